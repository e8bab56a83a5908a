"""Shared bits of the profile tabs owned by the records views."""

from django.http import HttpRequest

from employees.access import Relation, employee_get_for_viewer, relation
from employees.models import Employee
from employees.profile import profile_tabs


def tab_context(request: HttpRequest, employee: Employee, current: str, **extra) -> dict:
    return {"employee": employee, "tabs": profile_tabs(request.user, employee),
            "current": current, **extra}


def audit_source(viewer, employee: Employee) -> str | None:
    """Employees changing their own record act through the portal; staff through forms."""
    return "portal" if relation(viewer, employee) is Relation.SELF else None


def profile_queryset():
    """What the profile header shows, in the same query as the employee."""
    return Employee.objects.select_related("job_title", "department", "location")


def get_employee(request: HttpRequest, pk: int, *, section, for_write: bool = False) -> Employee:
    """employees.access's gate (404 / 403), loading the header's relations in the same query."""
    return employee_get_for_viewer(request.user, pk, section=section, for_write=for_write,
                                   queryset=profile_queryset())
