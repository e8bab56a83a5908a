"""The payroll work the delivery mechanism carries: payslip PDFs, payslip emails and the
calculation chunks of a pay run. Each handler is idempotent: a redelivered item finds its work
done (the payslip's PDF claim, `emailed_at`, the chunk's `done_at`) and returns."""

from django.utils.translation import gettext as _

from delivery.downloads import download_kind
from delivery.models import DeliveryItem
from delivery.registry import PermanentError, handler, is_transient
from payroll.models import Payslip
from payroll.services import payslips
from payroll.services.outputs import (
    REGISTER_XLSX_KIND,
    register_download_check,
    register_download_rows,
)
from payroll.services.runs import CHUNK_KIND, run_calculate_chunk, run_calculation_failed


# 20 PDFs per message: fewer broker round trips; each still claimed on its own.
@handler(payslips.PDF_KIND, batch=20, background=True)
def payslip_pdf(item: DeliveryItem) -> None:
    status = payslips.payslip_render(item.payload["payslip_id"], take_over=True)
    if status == Payslip.PdfStatus.FAILED:
        error = Payslip.objects.filter(pk=item.payload["payslip_id"]).values_list(
            "pdf_error", flat=True).first()
        raise PermanentError(error or _("The PDF could not be rendered."))


@handler(payslips.EMAIL_KIND)
def payslip_email(item: DeliveryItem) -> None:
    payslips.payslip_email(item=item)


@handler(CHUNK_KIND)
def calculation_chunk(item: DeliveryItem) -> None:
    chunk_id = item.payload["chunk_id"]
    try:
        run_calculate_chunk(chunk_id=chunk_id)
    except Exception as exc:
        if is_transient(exc):
            raise  # the item is retried with backoff; the run stays "calculating"
        # A bug or bad data: back to draft with the error on the run page.
        run_calculation_failed(chunk_id=chunk_id, error=f"{type(exc).__name__}: {exc}")
        raise PermanentError(f"{type(exc).__name__}: {exc}") from exc


# The XLSX register of a finalised run, built by a worker (delivery.downloads).
download_kind(REGISTER_XLSX_KIND, check=register_download_check)(register_download_rows)
