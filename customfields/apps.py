from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomFieldsConfig(AppConfig):
    name = "customfields"
    verbose_name = _("Custom fields")

    def ready(self) -> None:
        from customfields.extension import CustomFieldsExtension
        from employees.hooks import register_record_extension

        register_record_extension(CustomFieldsExtension())
