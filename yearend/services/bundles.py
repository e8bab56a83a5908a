"""The bulk ZIP of a schedule's year-end PDFs: requested by a Payroll Admin (a row and its
delivery item in one transaction), built by a worker (missing PDFs rendered first), stored with
default_storage through a temp file, then served after a permission check."""

from __future__ import annotations

import tempfile
import zipfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from audit.services import audit_record
from delivery.registry import PermanentError
from delivery.services import delivery_enqueue
from payroll.models import PaySchedule
from yearend.models import DocumentBundle, YearEndDocument
from yearend.pdf import document_render
from yearend.services.documents import require_payroll_admin

BUNDLE_KIND = "yearend.bundle"


@transaction.atomic
def bundle_request(*, schedule: PaySchedule, tax_year: str, kind: str,
                   acting_user) -> DocumentBundle:
    require_payroll_admin(acting_user)
    bundle = DocumentBundle.objects.create(schedule=schedule, tax_year=tax_year, kind=kind,
                                           requested_by=acting_user)
    delivery_enqueue(kind=BUNDLE_KIND, key=f"{BUNDLE_KIND}:{bundle.pk}",
                     payload={"bundle_id": bundle.pk}, group=f"yearend:{schedule.pk}:{tax_year}")
    audit_record(actor=acting_user, action="export", obj=bundle, note=f"{kind} ZIP requested")
    return bundle


def bundle_build(*, bundle_id: int) -> None:
    bundle = DocumentBundle.objects.filter(pk=bundle_id).first()
    if bundle is None or bundle.status == DocumentBundle.Status.READY:
        return
    documents = list(YearEndDocument.objects.filter(
        schedule_id=bundle.schedule_id, tax_year=bundle.tax_year, kind=bundle.kind
    ).select_related("employee").order_by("employee__employee_number", "pk"))
    try:
        with tempfile.TemporaryFile(suffix=".zip") as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for document in documents:
                    if document.pdf_status != YearEndDocument.PdfStatus.READY:
                        document_render(document.pk)
                        document.refresh_from_db()
                    with document.pdf_file.open("rb") as pdf:
                        archive.writestr(document.filename, pdf.read())
            handle.seek(0)
            name = default_storage.save(f"yearend/bundles/{bundle.pk}/{bundle.filename}",
                                        File(handle, name=bundle.filename))
    except Exception as exc:
        DocumentBundle.objects.filter(pk=bundle_id).update(
            status=DocumentBundle.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        raise PermanentError(str(exc) or type(exc).__name__) from exc
    DocumentBundle.objects.filter(pk=bundle_id).update(
        status=DocumentBundle.Status.READY, file=name, documents=len(documents), error="")
