from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiabilitiesConfig(AppConfig):
    name = "liabilities"
    verbose_name = _("Employer tax liabilities")
