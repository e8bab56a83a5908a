"""Who may see analytics, and about whom (issue 15 item 8). Aggregates: HR Admin and HR
Analyst for everyone, a manager for their own subtree (their direct and indirect reports).
Individual pay is never part of these reports; the people behind a number are listed only when
employees.access lets the viewer see them."""

from django.core.exceptions import PermissionDenied

from accounts.roles import Role, has_role
from employees.access import is_manager
from employees.selectors import employee_for_user, report_ids


def sees_all_analytics(viewer) -> bool:
    return has_role(viewer, Role.HR_ADMIN, Role.HR_ANALYST)


def can_use_analytics(viewer) -> bool:
    return sees_all_analytics(viewer) or is_manager(viewer)


def can_edit_plan(viewer) -> bool:
    return sees_all_analytics(viewer)


def require_analytics(viewer) -> None:
    if not can_use_analytics(viewer):
        raise PermissionDenied("People analytics are for HR Admin, HR Analyst and managers.")


def require_plan_editor(viewer) -> None:
    if not can_edit_plan(viewer):
        raise PermissionDenied("Only HR Admin and HR Analyst edit the headcount plan.")


def analytics_scope(viewer) -> frozenset[int] | None:
    """Employee ids the viewer's reports cover (None: everyone)."""
    if sees_all_analytics(viewer):
        return None
    me = employee_for_user(viewer)
    return frozenset(report_ids(me)) if me else frozenset()


def require_pay_analytics(viewer) -> None:
    """Pay aggregates: HR Admin and HR Analyst (managers see workforce numbers only)."""
    if not sees_all_analytics(viewer):
        raise PermissionDenied("Pay analytics are for HR Admin and HR Analyst.")


def sees_individual_pay(viewer) -> bool:
    """The list of people outside their pay band shows pay: HR Admin only."""
    return has_role(viewer, Role.HR_ADMIN)
