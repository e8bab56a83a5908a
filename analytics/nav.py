from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from analytics.access import can_use_analytics


def nav_items(user) -> list[NavItem]:
    if not can_use_analytics(user):
        return []
    return [NavItem(_("Analytics"), reverse("analytics:workforce"), "analytics")]
