from django.utils import timezone

from lifecycle.selectors import open_tasks_for_employee_self


def portal_cards(user, employee) -> list[dict]:
    """The portal: the employee's own open tasks (before and after day one)."""
    tasks = open_tasks_for_employee_self(user)
    return [{"template": "lifecycle/cards/portal_tasks.html", "tasks": tasks,
             "today": timezone.localdate()}]
