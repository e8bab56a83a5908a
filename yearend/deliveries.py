"""Year-end work the delivery mechanism carries: one PDF per document (idempotent: a ready PDF is
kept) and the bulk ZIP of a schedule's year."""

from django.utils.translation import gettext as _

from delivery.models import DeliveryItem
from delivery.registry import PermanentError, handler
from yearend.models import YearEndDocument
from yearend.pdf import document_render
from yearend.services import bundles
from yearend.services.documents import PDF_KIND


@handler(PDF_KIND, batch=20, background=True)
def yearend_pdf(item: DeliveryItem) -> None:
    status = document_render(item.payload["document_id"])
    if status == YearEndDocument.PdfStatus.FAILED:
        error = YearEndDocument.objects.filter(pk=item.payload["document_id"]).values_list(
            "pdf_error", flat=True).first()
        raise PermanentError(error or _("The PDF could not be rendered."))


@handler(bundles.BUNDLE_KIND, time_limit=600, background=True)
def yearend_bundle(item: DeliveryItem) -> None:
    bundles.bundle_build(bundle_id=item.payload["bundle_id"])
