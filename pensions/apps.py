from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PensionsConfig(AppConfig):
    name = "pensions"
    verbose_name = _("Pensions")

    def ready(self) -> None:
        from pensions import hooks  # noqa: F401  (connects to payroll's run_calculated)
