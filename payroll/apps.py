from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "payroll"

    def ready(self) -> None:
        # The employees app asks, before saving a back-dated pay change, what it does to pay
        # already finalised (employees.hooks): payroll answers with the retro-pay preview.
        from employees.hooks import register_pay_change_preview
        from payroll.services.retro import retro_preview

        register_pay_change_preview(retro_preview)
