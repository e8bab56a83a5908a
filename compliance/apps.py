from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"

    def ready(self) -> None:
        # A job change can add or drop requirements (rules match department, location, title,
        # employment type, country): the stored statuses follow in the same transaction.
        from compliance.services.statuses import compliance_status_refresh_employees
        from employees.hooks import register_job_fields_listener

        register_job_fields_listener(compliance_status_refresh_employees)
