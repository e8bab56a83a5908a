from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from accounts.roles import Role, has_role, is_hr
from lifecycle.models import IT_GROUP


def nav_items(user) -> list[NavItem]:
    """HR: the lifecycle dashboard. Managers, payroll and IT: their task board. Employees reach
    their tasks from the portal's "Your tasks" card, so their menu stays "My portal" only."""
    if is_hr(user):
        return [NavItem(_("Lifecycle"), reverse("lifecycle:dashboard"), "lifecycle")]
    if has_role(user, Role.MANAGER, Role.PAYROLL_ADMIN, IT_GROUP):
        return [NavItem(_("My tasks"), reverse("lifecycle:my_tasks"), "lifecycle")]
    return []
