"""Who may see and edit a custom field, on top of employees.access (the one gate): HR always
(on their own record, an employee's rights only: self before role); a manager of the person
and the person themself as the field says. Payroll and unrelated colleagues: never."""

from employees.access import Relation, is_self, relation
from employees.models import Employee


def can_see(viewer, employee: Employee, field) -> bool:
    rel = relation(viewer, employee)
    if rel is Relation.HR:
        return True
    if rel is Relation.SELF:
        return field.employee_sees
    if rel is Relation.MANAGER:
        return field.manager_sees
    return False


def can_edit(viewer, employee: Employee, field) -> bool:
    if is_self(viewer, employee):
        return field.employee_edits
    rel = relation(viewer, employee)
    if rel is Relation.HR:
        return True
    if rel is Relation.MANAGER:
        return field.manager_edits
    return False


def audience_sees(viewer, field) -> bool:
    """For lists of many people (directory filter, export): HR sees every field, a manager
    the fields managers see (the directory lists only their reports to them)."""
    from accounts.roles import is_hr
    from employees.access import is_manager

    if is_hr(viewer):
        return True
    return field.manager_sees and is_manager(viewer)
