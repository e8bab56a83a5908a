"""Compliance work the delivery mechanism carries: expiry reminders, evidence packs and
subject-access exports.
Each render claims its status row (pending -> rendering -> ready | failed), so a redelivered
item finds the file done; a failed render fails the item with the same reason."""

from compliance.models import EvidencePack, JobStatus, SubjectAccessExport
from compliance.services import exports, reminders
from delivery.models import DeliveryItem
from delivery.registry import PermanentError, handler


def _raise_if_failed(model, pk: int) -> None:
    row = model.objects.filter(pk=pk).values("status", "error").first()
    if row and row["status"] == JobStatus.FAILED:
        raise PermanentError(row["error"] or "The file could not be made.")


@handler("compliance.evidence_pack", background=True)
def evidence_pack(item: DeliveryItem) -> None:
    exports.evidence_pack_render(pack_id=item.payload["pack_id"], take_over=True)
    _raise_if_failed(EvidencePack, item.payload["pack_id"])


@handler("compliance.subject_access", background=True)
def subject_access(item: DeliveryItem) -> None:
    exports.subject_access_render(export_id=item.payload["export_id"], take_over=True)
    _raise_if_failed(SubjectAccessExport, item.payload["export_id"])


@handler(reminders.REMINDER_KIND)
def reminder(item: DeliveryItem) -> None:
    reminders.reminder_deliver(item=item)
