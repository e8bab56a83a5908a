from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from accounts.roles import Role, has_role
from analytics.access import sees_all_analytics


def nav_items(user) -> list[NavItem]:
    # The Manager group is the navigation hint (accounts.roles): no reporting-line query on
    # every page; the pages themselves check the reporting lines (analytics.access).
    if not (sees_all_analytics(user) or has_role(user, Role.MANAGER)):
        return []
    return [NavItem(_("Analytics"), reverse("analytics:workforce"), "analytics")]
