"""In-app notifications about tasks (notifications app): assigned when a checklist starts or a
task is reassigned, due each morning with the digest. Called inside the services' own
transactions; the morning ones are keyed per (user, day), so a second run adds nothing."""

from collections import defaultdict
from datetime import date

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lifecycle.models import AssigneeRule, Checklist, Task
from lifecycle.selectors import digest_recipient_ids, digest_tasks_for
from notifications.models import Notification
from notifications.services import notify


def _named_assignee(task: Task, checklist: Checklist):
    """The one user a task is for, or None when it belongs to a role (HR, IT, payroll): those
    see it on their boards and the digest, not as a personal notification."""
    if task.assignee_user is not None:
        return task.assignee_user
    if task.assignee_rule == AssigneeRule.EMPLOYEE:
        return checklist.employee.user
    return None


def checklist_tasks_assigned_notify(*, checklist: Checklist, tasks: list[Task]) -> None:
    by_user: dict[int, list[Task]] = defaultdict(list)
    users = {}
    for task in tasks:
        user = _named_assignee(task, checklist)
        if user is not None:
            by_user[user.pk].append(task)
            users[user.pk] = user
    for user_id, mine in by_user.items():
        first = min(mine, key=lambda t: (t.due_date, t.pk))
        url = (reverse("lifecycle:task", args=[first.pk]) if len(mine) == 1
               else reverse("lifecycle:my_tasks"))
        text = ngettext(
            "%(n)d task assigned to you: %(title)s for %(name)s (due %(due)s)",
            "%(n)d tasks assigned to you for %(name)s's %(checklist)s (first due %(due)s)",
            len(mine)) % {"n": len(mine), "title": first.title, "checklist": checklist.name,
                          "name": checklist.employee.display_name,
                          "due": date_format(first.due_date)}
        notify(recipient_user=users[user_id], kind=Notification.Kind.TASK_ASSIGNED, text=text,
               url=url, key=f"lifecycle.assigned:{checklist.pk}:{user_id}")


def task_reassigned_notify(*, task: Task, to_user) -> None:
    notify(recipient_user=to_user, kind=Notification.Kind.TASK_ASSIGNED,
           text=_("Task assigned to you: %(title)s for %(name)s (due %(due)s)") % {
               "title": task.title, "name": task.checklist.employee.display_name,
               "due": date_format(task.due_date)},
           url=reverse("lifecycle:task", args=[task.pk]))


def tasks_due_notify(*, day: date) -> int:
    """One "tasks due" notification per person with open tasks due on `day` or overdue,
    whether or not they take the digest email. Idempotent: keyed per (user, day)."""
    made = 0
    users = get_user_model().objects.filter(pk__in=digest_recipient_ids(day, wants_email=False))
    for user in users.order_by("pk"):
        tasks = digest_tasks_for(user, day)
        if not tasks:
            continue
        overdue = sum(1 for t in tasks if t.due_date < day)
        text = ngettext("%(n)d task due today or overdue", "%(n)d tasks due today or overdue",
                        len(tasks)) % {"n": len(tasks)}
        if overdue:
            text += " " + ngettext("(%(n)d overdue)", "(%(n)d overdue)", overdue) % {"n": overdue}
        notify(recipient_user=user, kind=Notification.Kind.TASK_DUE, text=text,
               url=reverse("lifecycle:my_tasks") + "?show=today",
               key=f"lifecycle.due:{day.isoformat()}")
        made += 1
    return made
