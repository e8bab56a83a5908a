from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from liabilities.access import sees_liabilities


def nav_items(user) -> list[NavItem]:
    if not sees_liabilities(user):
        return []
    return [NavItem(_("Taxes to pay"), reverse("liabilities:index"), "liabilities")]
