from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from accounts.roles import is_hr_admin


def nav_items(user) -> list[NavItem]:
    """HR Admin: service accounts (their page links to personal tokens too); everyone else
    reaches "API tokens" from the menu. Decided by roles: no query."""
    if is_hr_admin(user):
        return [NavItem(_("API"), reverse("api:service_accounts"), "api")]
    return [NavItem(_("API tokens"), reverse("api:tokens"), "api")]
