"""Lifecycle's part of anonymising a former employee whose retention period has passed.

Called by compliance's retention purge (``compliance.services.retention_employees``) through
the hook ``lifecycle.services.retention.employee_data_erase`` inside its transaction. Checklists
and tasks stay (who did what, when: the organisation's own record of the process); the files
the person or HR uploaded to tasks (ID copies, signed forms) are deleted, and free text about
them (leaver-notice notes, task event notes, skip reasons) is cleared.
"""

from django.db import transaction

from employees.models import Employee
from hrops.uploads import delete_files_on_commit
from lifecycle.models import LeaverNotice, Task, TaskDocument, TaskEvent


@transaction.atomic
def employee_data_erase(*, acting_user, employee: Employee) -> dict[str, int]:
    """Delete task uploads (files after commit) and clear free-text notes; returns counts.
    Idempotent. The caller records the audit event (one for the whole anonymisation)."""
    uploads = TaskDocument.objects.filter(task__checklist__employee=employee)
    files = list(uploads.values_list("file", flat=True))
    deleted = len(files)
    uploads.delete()
    delete_files_on_commit(files)
    notes = LeaverNotice.objects.filter(employee=employee).exclude(note="").update(note="")
    # Free text on the person's tasks: event notes (e.g. an uploaded file's name) and reasons.
    events = TaskEvent.objects.filter(task__checklist__employee=employee).exclude(
        note="").update(note="")
    reasons = Task.objects.filter(checklist__employee=employee).exclude(
        skip_reason="").update(skip_reason="")
    return {"task uploads": deleted, "leaver notice notes": notes,
            "task notes and reasons": events + reasons}
