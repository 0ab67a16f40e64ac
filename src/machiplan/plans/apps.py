from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "machiplan.plans"
    verbose_name = "計画 (Plans)"
    default_auto_field = "django.db.models.BigAutoField"
