"""What a token may do: scopes. A token never has more rights than the user it acts as
(employees.access decides per person and section); a scope only narrows them further. Pure
data, no queries."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Scope(StrEnum):
    EMPLOYEES_READ = "employees:read"
    EMPLOYEES_WRITE = "employees:write"
    COMPENSATION_READ = "compensation:read"
    COMPENSATION_WRITE = "compensation:write"
    PAYROLL_READ = "payroll:read"
    TIMEOFF_READ = "timeoff:read"
    COMPLIANCE_READ = "compliance:read"
    LIFECYCLE_READ = "lifecycle:read"
    ANALYTICS_READ = "analytics:read"


DESCRIPTIONS: dict[Scope, str] = {
    Scope.EMPLOYEES_READ: _("People, their jobs, departments, locations, job titles, org tree"),
    Scope.EMPLOYEES_WRITE: _("Hire, change personal details, offboard"),
    Scope.COMPENSATION_READ: _("Pay (current and history) and masked bank accounts"),
    Scope.COMPENSATION_WRITE: _("Set pay (needed to hire: a hire has a salary)"),
    Scope.PAYROLL_READ: _("Pay runs and payslip summaries"),
    Scope.TIMEOFF_READ: _("Time-off balances and requests"),
    Scope.COMPLIANCE_READ: _("Compliance records and statuses"),
    Scope.LIFECYCLE_READ: _("Onboarding and offboarding checklists and tasks"),
    Scope.ANALYTICS_READ: _("The analytics reports: workforce, absence, pay and compliance "
                            "coverage; gender pay gap and EEO-1 for HR Admin"),
}

ALL = frozenset(Scope)
READ_ONLY = frozenset(s for s in Scope if s.endswith(":read"))


def choices() -> list[tuple[str, str]]:
    return [(s.value, f"{s.value} — {DESCRIPTIONS[s]}") for s in Scope]


def clean(values) -> list[str]:
    """Known scopes only, in a stable order."""
    wanted = set(values or ())
    return [s.value for s in Scope if s.value in wanted]
