from django.apps import AppConfig


class YearendConfig(AppConfig):
    name = "yearend"
    verbose_name = "Year end"
