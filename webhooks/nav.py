from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from accounts.roles import is_hr_admin


def nav_items(user) -> list[NavItem]:
    """HR Admin only: "Webhooks" (decided by roles, already loaded for the menu: no query)."""
    if is_hr_admin(user):
        return [NavItem(_("Webhooks"), reverse("webhooks:subscriptions"), "webhooks")]
    return []
