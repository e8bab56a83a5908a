from django.apps import AppConfig


class YearendConfig(AppConfig):
    name = "yearend"
    verbose_name = "Year end"

    def ready(self) -> None:
        from yearend import hooks  # noqa: F401  (connects to payroll's signals)
