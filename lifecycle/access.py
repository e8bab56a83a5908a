"""Who may see and work a lifecycle task.

- Work (complete, skip, upload, acknowledge, fill in): HR (HR Admin, HR Staff) on any task; anyone
  else only on tasks assigned to them: by name (assignee_user), through their role group (HR, the
  "IT" group, Payroll Admin), or as the employee the checklist is about (the "employee" rule).
- See: whoever may work it, plus anyone who may see the employee's Tasks section
  (employees.access: the employee's managers, up the chain, and the employee themself).
- Reassign: HR only.
Nobody else learns a task exists (404).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.roles import is_hr, user_roles
from employees.access import Section, can_view
from lifecycle.models import ROLE_GROUPS, AssigneeRule, Task


def role_rules_for(user) -> set[str]:
    """The assignee rules whose tasks land on this user's board through their groups."""
    roles = user_roles(user)
    return {rule for rule, groups in ROLE_GROUPS.items() if roles & set(groups)}


def assigned_q(user, prefix: str = "") -> Q:
    """Tasks assigned to `user` (as a filter on Task, or through `prefix` on a related model)."""
    p = prefix
    q = Q(**{f"{p}assignee_user": user}) | Q(
        **{f"{p}assignee_rule": AssigneeRule.EMPLOYEE, f"{p}assignee_user__isnull": True,
           f"{p}checklist__employee__user": user}
    )
    rules = role_rules_for(user)
    if rules:
        q |= Q(**{f"{p}assignee_rule__in": rules, f"{p}assignee_user__isnull": True})
    return q


def is_assigned(user, task: Task) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if task.assignee_user_id is not None:
        return task.assignee_user_id == user.pk
    if task.assignee_rule == AssigneeRule.EMPLOYEE:
        return task.checklist.employee.user_id == user.pk
    return task.assignee_rule in role_rules_for(user)


def can_work(user, task: Task) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return is_hr(user) or is_assigned(user, task)


def can_see(user, task: Task) -> bool:
    return can_work(user, task) or can_view(user, task.checklist.employee, Section.TASKS)


def can_reassign(user, task: Task) -> bool:
    return is_hr(user)


def task_get_for_viewer(user, pk: int, *, for_work: bool = False) -> Task:
    task = (
        Task.objects.select_related("checklist__employee__user", "assignee_user")
        .filter(pk=pk).first()
    )
    if task is None or not can_see(user, task):
        raise Http404("No such task.")
    if for_work and not can_work(user, task):
        raise PermissionDenied("Only the person this task is assigned to, or HR, may do this.")
    return task
