from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimeoffConfig(AppConfig):
    name = "timeoff"
    verbose_name = _("Time off")
