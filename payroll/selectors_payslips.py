"""Reads for payslip delivery: an employee's issued payslips, a run's PDF progress."""

from itertools import groupby

from django.db.models import Count, QuerySet, Value
from django.utils.translation import gettext as _

from delivery.models import DeliveryItem
from delivery.selectors import delivery_attention, delivery_counts
from payroll.models import PayRun, Payslip
from payroll.selectors_review import stored_summary
from payroll.services.payslips import EMAIL_KIND, PDF_KIND


def payslips_issued_to(employee_id: int) -> QuerySet[Payslip]:
    """Payslips of finalised (or paid) runs only: drafts and previews are never the employee's.
    All years, and still there after they leave."""
    return (
        Payslip.objects.filter(employee_id=employee_id, run__status__in=PayRun.FROZEN)
        .select_related("run__period", "run__schedule")
        .order_by("-run__pay_date", "-pk")
    )


def tax_year_label(tax_year: str) -> str:
    """UK years run 6 April to 5 April ("2026-27"); US ones are calendar years ("2026")."""
    if "-" in tax_year:
        start = int(tax_year[:4])
        return _("Tax year %(year)s (6 April %(start)d to 5 April %(end)d)") % {
            "year": tax_year, "start": start, "end": start + 1}
    return tax_year


def payslips_by_year(payslips) -> list[tuple[str, list[Payslip]]]:
    """Payslips (newest first) grouped by the tax year they count in, not the calendar year:
    a UK payslip paid on 3 April 2027 belongs to 2026-27."""
    return [(tax_year_label(year), list(items)) for year, items in
            groupby(payslips, key=lambda p: p.tax_year)]


def run_pdf_progress(run: PayRun) -> dict:
    """The run's delivery page: PDFs by their status on the payslip (those not ready yet, on
    the partial index payslip_run_pdf_open; how many payslips the run has from its summary,
    no query when the run was loaded with select_related("summary"), else counted in the
    same query: a UNION of two index-only counts), PDF and email delivery items by state (one
    query; while any is undelivered, one more for the oldest item's wait and one per kind
    still busy for its pace), and what needs attention: failed or rendering PDFs (one query),
    failed or retrying emails (two queries)."""
    counts = {status: 0 for status in Payslip.PdfStatus.values}
    open_pdfs = run.payslips.exclude(pdf_status=Payslip.PdfStatus.READY)
    by_status = open_pdfs.order_by().values("pdf_status").annotate(n=Count("*"))
    summary = stored_summary(run) if run.status in PayRun.FROZEN else None
    if summary is not None:
        # A frozen run's payslips are fixed, and its summary's headcount is their number:
        # counting 20,000 payslips (a heap read while their PDFs are being marked ready, as
        # the visibility map is not set yet) was most of the page.
        total = summary.figures["totals"]["headcount"]
    else:
        total = 0
        everyone = run.payslips.order_by().annotate(pdf=Value("")).values("pdf").annotate(
            n=Count("*"))
        by_status = by_status.union(everyone, all=True).order_by()
    for row in by_status:
        if row["pdf_status"]:
            counts[row["pdf_status"]] = row["n"]
        else:
            total = row["n"]
    counts[Payslip.PdfStatus.READY] = total - sum(counts.values())
    group = f"payrun:{run.pk}"
    # PDFs done are counted on the payslips above: only emails need their "sent" count here
    items = delivery_counts(group=group, kinds=[PDF_KIND, EMAIL_KIND], done_kinds=[EMAIL_KIND])
    waits = [v["oldest_waiting"] for v in items.values() if v["oldest_waiting"]]
    attention = list(
        open_pdfs.filter(pdf_status__in=[Payslip.PdfStatus.FAILED, Payslip.PdfStatus.RENDERING])
        .select_related("employee").order_by("employee__employee_number")[:200]
    )
    emails = delivery_attention(group=group, kinds=[EMAIL_KIND])
    people = dict(Payslip.objects.filter(pk__in=[i.payload.get("payslip_id") for i in emails])
                  .select_related("employee").values_list("pk", "employee__employee_number"))
    for item in emails:
        item.employee_number = people.get(item.payload.get("payslip_id"), "")
    return {
        "counts": counts, "total": total, "attention": attention,
        "emails": items[EMAIL_KIND]["counts"],
        "email_attention": emails,
        # store11: the pace of the last minutes and the time left at it (None: no pace yet)
        "pdf_eta": items[PDF_KIND]["eta_seconds"], "pdf_rate": items[PDF_KIND]["per_second"],
        "email_eta": items[EMAIL_KIND]["eta_seconds"],
        "email_rate": items[EMAIL_KIND]["per_second"],
        "oldest_waiting": min(waits) if waits else None,
        "busy": bool(counts[Payslip.PdfStatus.PENDING] or counts[Payslip.PdfStatus.RENDERING]
                     or any(items[EMAIL_KIND]["counts"][s] for s in DeliveryItem.UNDELIVERED)),
        "percent": counts[Payslip.PdfStatus.READY] * 100 // total if total else 0,
    }
