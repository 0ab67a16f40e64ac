from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "machiplan.web"
    verbose_name = "公開ページ (Public pages)"
