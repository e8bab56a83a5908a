"""Reads for payslip delivery: an employee's issued payslips, a run's PDF progress."""

from itertools import groupby

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from payroll.models import PayRun, Payslip


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
    """Counts per PDF status (one query), plus the payslips that need attention."""
    counts = {status: 0 for status in Payslip.PdfStatus.values}
    for row in run.payslips.values("pdf_status").annotate(n=Count("pk")):
        counts[row["pdf_status"]] = row["n"]
    total = sum(counts.values())
    emailed = run.payslips.filter(emailed_at__isnull=False).count()
    attention = list(
        run.payslips.filter(pdf_status__in=[Payslip.PdfStatus.FAILED,
                                            Payslip.PdfStatus.RENDERING])
        .select_related("employee").order_by("employee__employee_number")[:200]
    )
    return {
        "counts": counts, "total": total, "emailed": emailed, "attention": attention,
        "percent": counts[Payslip.PdfStatus.READY] * 100 // total if total else 0,
    }
