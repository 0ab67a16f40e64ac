from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "machiplan.reports"
    verbose_name = "報告書 (Reports)"
