from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from yearend.access import sees_everyones


def nav_items(user) -> list[NavItem]:
    if not sees_everyones(user):
        return []
    return [NavItem(_("Year end"), reverse("yearend:index"), "year-end")]
