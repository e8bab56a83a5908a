from django.db.models import Count

from accounts.roles import Role, has_role
from employees.access import sees_everyone
from employees.directory import leaving_soon, starting_soon, upcoming_changes_count
from employees.models import BankChangeRequest, Employee


def home_cards(user) -> list[dict]:
    if not sees_everyone(user):
        return []
    return _headcount_cards(user) + _bank_request_cards(user)


def _headcount_cards(user) -> list[dict]:
    by_status = dict(
        Employee.objects.values_list("status").annotate(n=Count("id")).order_by()
    )
    return [
        {
            "template": "employees/cards/headcount.html",
            "active": by_status.get(Employee.Status.ACTIVE, 0),
            "on_leave": by_status.get(Employee.Status.ON_LEAVE, 0),
            "pre_hire": by_status.get(Employee.Status.PRE_HIRE, 0),
            "terminated": by_status.get(Employee.Status.TERMINATED, 0),
        },
        {
            "template": "employees/cards/upcoming.html",
            "starting": starting_soon(),
            "leaving": leaving_soon(),
            "changes": upcoming_changes_count(),
        },
    ]


def _bank_request_cards(user) -> list[dict]:
    """HR Admin / Payroll Admin: bank changes waiting for a decision (records branch)."""
    if not has_role(user, Role.HR_ADMIN, Role.PAYROLL_ADMIN):
        return []
    pending = BankChangeRequest.objects.filter(status=BankChangeRequest.Status.PENDING).count()
    return [{"template": "employees/cards/bank_requests.html", "pending": pending}]
