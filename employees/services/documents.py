"""Files on a profile: uploaded by HR, downloaded only through a permission-checked view; every
upload, download and deletion audited."""

import logging

from django.db import transaction

from audit.services import audit_record
from employees.models import Document, Employee

log = logging.getLogger(__name__)


@transaction.atomic
def document_upload(*, acting_user, employee: Employee, doc_type: str, title: str, upload
                    ) -> Document:
    document = Document(
        employee=employee, doc_type=doc_type, title=title.strip(),
        original_name=(upload.name or "file")[-255:],
        content_type=(getattr(upload, "content_type", "") or "application/octet-stream")[:100],
        size=upload.size,
        uploaded_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    document.file.save(upload.name, upload, save=False)
    stored = document.file.name
    # Should the row fail to save, do not leave an orphan file behind.
    try:
        document.save()
    except Exception:
        document.file.storage.delete(stored)
        raise
    audit_record(actor=acting_user, action="create", obj=document, employee_id=employee.pk,
                 changes={"title": [None, document.title], "doc_type": [None, doc_type],
                          "file": [None, document.original_name], "size": [None, document.size]})
    return document


def document_download_audit(*, acting_user, document: Document) -> None:
    audit_record(actor=acting_user, action="download", obj=document,
                 employee_id=document.employee_id, note=document.original_name)


def document_delete(*, acting_user, document: Document) -> None:
    name, storage = document.file.name, document.file.storage
    with transaction.atomic():
        audit_record(actor=acting_user, action="delete", obj=document,
                     employee_id=document.employee_id,
                     changes={"title": [document.title, None],
                              "file": [document.original_name, None]})
        document.delete()
    # The file goes only once the row is gone for good (no slow I/O inside the transaction).
    try:
        storage.delete(name)
    except OSError:
        log.exception("Could not delete stored file %s", name)
