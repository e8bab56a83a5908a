"""Lifecycle's part of a GDPR subject-access export (Art. 15): the person's onboarding and
offboarding checklists, their tasks with history and uploaded files, and offboarding records.

Called by ``compliance.services.exports`` as ``lifecycle.privacy.subject_access_data``. Task
uploads are copied into the archive under files/tasks/ (``files``). A fixed number of queries.
"""

from django.db.models import Prefetch

from employees.models import Employee
from hrops.uploads import safe_file_name
from lifecycle.models import Checklist, LeaverNotice, Task, TaskDocument, TaskEvent


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def task_file_archive_name(document: TaskDocument) -> str:
    name = safe_file_name(document.original_name, default="upload")
    return f"files/tasks/{document.task_id}-{document.pk}-{name}"


def subject_access_data(employee: Employee) -> dict:
    tasks = Task.objects.order_by("due_date", "position", "pk").prefetch_related(
        Prefetch("events", queryset=TaskEvent.objects.order_by("at", "pk")),
        Prefetch("documents", queryset=TaskDocument.objects.order_by("uploaded_at", "pk")),
    )
    checklists = list(
        Checklist.objects.filter(employee=employee).order_by("started_at", "pk")
        .prefetch_related(Prefetch("tasks", queryset=tasks))
    )
    files = [(task_file_archive_name(d), d.file.name)
             for c in checklists for t in c.tasks.all() for d in t.documents.all()]
    return {
        "checklists": [{
            "name": c.name, "kind": c.kind, "status": c.status,
            "anchor_date": _iso(c.anchor_date), "started": _iso(c.started_at),
            "completed": _iso(c.completed_at), "cancelled": _iso(c.cancelled_at),
            "tasks": [{
                "title": t.title, "status": t.status, "due_date": _iso(t.due_date),
                "acknowledged": _iso(t.acknowledged_at), "closed": _iso(t.closed_at),
                "skip_reason": t.skip_reason,
                "history": [{"action": e.action, "at": _iso(e.at), "note": e.note}
                            for e in t.events.all()],
                "uploads": [{"file_name": d.original_name, "uploaded": _iso(d.uploaded_at),
                             "archive_file": task_file_archive_name(d)}
                            for d in t.documents.all()],
            } for t in c.tasks.all()],
        } for c in checklists],
        "offboarding": [{
            "last_day": _iso(n.last_day), "reason": n.reason,
            "notice_given_on": _iso(n.notice_given_on), "notice_end_date": _iso(n.notice_end_date),
            "rehire_eligible": n.rehire_eligible, "status": n.status, "note": n.note,
        } for n in LeaverNotice.objects.filter(employee=employee).order_by("created_at", "pk")],
        "files": files,
    }
