from django.apps import AppConfig


class EmployeesConfig(AppConfig):
    name = "employees"
    verbose_name = "Employees"

    def ready(self) -> None:
        from employees import checks  # noqa: F401  (registers the system checks)
