"""From the filter form (and who is asking) to analytics.metrics.Filters."""

from datetime import date

from analytics.access import analytics_scope
from analytics.forms import WorkforceFilterForm
from analytics.metrics import Filters
from employees.access import Relation, relation
from employees.models import Department, Employee
from employees.selectors import report_ids


def department_and_below(department: Department) -> frozenset[int]:
    """The department and every department under it. One query."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Department.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, frontier = {department.pk}, [department.pk]
    while frontier:
        frontier = [c for pk in frontier for c in children.get(pk, []) if c not in found]
        found.update(frontier)
    return frozenset(found)


def filters_from_form(viewer, form: WorkforceFilterForm) -> Filters:
    """The viewer's scope (analytics.access) narrowed by the form. A manager's subtree is read
    from today's reporting lines."""
    ids = analytics_scope(viewer)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("manager"):
        manager = Employee.objects.filter(employee_number=data["manager"].strip()).first()
        visible = manager is not None and relation(viewer, manager) is not Relation.NONE
        subtree = frozenset(report_ids(manager)) if visible else frozenset()
        ids = subtree if ids is None else ids & subtree
    department = data.get("department")
    return Filters(
        department_ids=department_and_below(department) if department else None,
        location_id=data["location"].pk if data.get("location") else None,
        country=data.get("country") or "", employment_type=data.get("employment_type") or "",
        employee_ids=ids)


def month_param(value: date | str) -> date | str | None:
    """date -> "2026-03"; "2026-03" -> date(2026, 3, 1) (None when malformed)."""
    if isinstance(value, date):
        return value.strftime("%Y-%m")
    try:
        return date.fromisoformat(f"{value[:7]}-01") if value else None
    except ValueError:
        return None
