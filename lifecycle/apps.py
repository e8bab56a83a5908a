from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "lifecycle"
    verbose_name = _("Lifecycle")

    def ready(self) -> None:
        from compliance.hooks import register_record_added
        from lifecycle.compliance import tasks_complete_for_record

        register_record_added(tasks_complete_for_record)
