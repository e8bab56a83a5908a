"""A leaver's open tasks: offered for cancelling or reassigning at offboarding, closed at
termination, so nobody's board keeps "Welcome lunch … Overdue" for someone who has gone.

Two kinds of open task belong to a leaver:
- tasks *about* them: their onboarding (or other non-offboarding) checklists. These are closed:
  the whole checklist is cancelled with the reason "closed: employee left". Their offboarding
  checklist is the exception: its tasks (final pay, return of equipment) go on after they left.
- tasks assigned *to* them by name on other people's checklists (a manager who leaves). Someone
  still has to do those, so they are handed on: to the person HR chose, else back to HR.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from employees.models import Employee
from lifecycle.models import AssigneeRule, Checklist, Task, TaskEvent
from lifecycle.selectors import leaver_checklists_about, leaver_tasks_assigned
from lifecycle.services.checklists import assignee_label, checklist_cancel

LEFT_REASON = gettext_lazy("closed: employee left")


def _about_checklists(employee: Employee) -> list[Checklist]:
    return list(leaver_checklists_about(employee).select_for_update().order_by("pk"))


@transaction.atomic
def leaver_tasks_cancel(*, acting_user, employee: Employee, reason: str = "") -> int:
    """Cancel the leaver's own open onboarding/other checklists; returns the tasks closed."""
    closed = 0
    for checklist in _about_checklists(employee):
        closed += checklist.tasks.filter(status=Task.Status.OPEN).count()
        checklist_cancel(acting_user=acting_user, checklist=checklist,
                         note=str(reason or LEFT_REASON))
    return closed


@transaction.atomic
def leaver_tasks_hand_over(*, acting_user, employee: Employee, to_user=None) -> int:
    """Give the tasks assigned to the leaver by name to `to_user`, or to HR when None."""
    tasks = list(
        leaver_tasks_assigned(employee).select_for_update(of=("self",))
        .select_related("checklist__employee", "assignee_user").order_by("pk")
    )
    for task in tasks:
        before = assignee_label(task)
        if to_user is not None and to_user.is_active and to_user.pk != employee.user_id:
            task.assignee_rule, task.assignee_user = AssigneeRule.USER, to_user
        else:
            task.assignee_rule, task.assignee_user = AssigneeRule.HR, None
        task.save(update_fields=["assignee_rule", "assignee_user"])
        after = assignee_label(task)
        note = _("%(before)s → %(after)s: %(name)s left") % {
            "before": before, "after": after, "name": employee.display_name}
        TaskEvent.objects.create(task=task, action=TaskEvent.Action.REASSIGNED,
                                 actor=_user(acting_user), note=note[:255])
        audit_record(actor=acting_user, action="update", obj=task,
                     employee_id=task.checklist.employee_id,
                     changes={"assignee": [before, after]}, note=note)
    return len(tasks)


@transaction.atomic
def leaver_tasks_close(*, acting_user, employee: Employee) -> tuple[int, int]:
    """At termination: close what is left about the leaver, hand on what was theirs to do.
    Idempotent: a second call finds nothing open."""
    return (leaver_tasks_cancel(acting_user=acting_user, employee=employee),
            leaver_tasks_hand_over(acting_user=acting_user, employee=employee))


def _user(acting_user):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None
