from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "machiplan.staff"
    verbose_name = "職員・入力と承認 (Staff)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from machiplan.plans.signals import plan_loaded, plan_replacing

        from .services.audit import record_load
        from .services.entries import refuse_replacing_pending

        plan_loaded.connect(record_load, dispatch_uid="staff-audit-plan-load")
        plan_replacing.connect(refuse_replacing_pending, dispatch_uid="staff-pending-figures")
