"""Onboarding and compliance, both ways (issue 13 item 9). A checklist task may name a
compliance requirement (Template → task → "Compliance requirement"):

- completing the task creates (or, for a renewal, adds) the employee's compliance record, with
  the document uploaded to the task as its evidence (verified at once when HR completes it,
  pending HR's verification otherwise);
- a record added on the compliance pages (or by the employee's own upload) completes the
  person's open tasks linked to that requirement ("closed: compliance record added").

Both run inside the transaction of the change that triggers them."""

from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_hr
from audit.services import audit_record
from compliance.services.records import RecordData, record_add
from lifecycle.models import Task, TaskEvent

_CLOSED_BY_RECORD = "closed: compliance record added"


def evidence_missing(task: Task) -> str:
    """Why a linked task cannot be completed yet, or ''."""
    rtype = task.compliance_requirement
    if rtype is not None and rtype.requires_document and not task.documents.exists():
        return _("Upload the evidence for “%(r)s” first.") % {"r": rtype.name}
    return ""


def task_record_compliance(*, acting_user, task: Task) -> None:
    """The compliance record for a linked task just completed (the task is closed already, so
    the record_added hook below does not close it again)."""
    rtype = task.compliance_requirement
    if rtype is None:
        return
    document = task.documents.order_by("-id").first()
    evidence = None
    if document is not None:
        evidence = File(document.file.open("rb"), name=document.original_name or "evidence")
    try:
        record_add(acting_user=acting_user, employee=task.checklist.employee,
                   requirement_type=rtype, evidence=evidence, verify=is_hr(acting_user),
                   data=RecordData(completed_on=timezone.localdate(),
                                   notes=_("From the checklist task “%(t)s”.") % {
                                       "t": task.title}))
    finally:
        if evidence is not None:
            evidence.close()


def tasks_complete_for_record(*, acting_user, record) -> int:
    """compliance.hooks.record_added: close the person's open tasks linked to the
    requirement. Returns how many were closed."""
    tasks = list(Task.objects.select_for_update(of=("self",)).filter(
        checklist__employee_id=record.employee_id, status=Task.Status.OPEN,
        compliance_requirement_id=record.requirement_type_id).order_by("pk"))
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    for task in tasks:
        task.status, task.closed_by, task.closed_at = Task.Status.DONE, user, timezone.now()
        task.skip_reason = _CLOSED_BY_RECORD
        task.save(update_fields=["status", "closed_by", "closed_at", "skip_reason"])
        TaskEvent.objects.create(task=task, action=TaskEvent.Action.COMPLETED, actor=user,
                                 note=_CLOSED_BY_RECORD)
        audit_record(actor=acting_user, action="status", obj=task,
                     employee_id=record.employee_id, note=_CLOSED_BY_RECORD,
                     changes={"status": [Task.Status.OPEN, Task.Status.DONE]})
    if tasks:
        from lifecycle.services.checklists import _refresh_checklist

        for checklist_id in sorted({t.checklist_id for t in tasks}):
            _refresh_checklist(checklist_id)
    return len(tasks)
