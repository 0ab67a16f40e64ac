from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "machiplan.api"
    verbose_name = "API"
