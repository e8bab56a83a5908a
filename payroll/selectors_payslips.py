"""Reads for payslip delivery: an employee's issued payslips, a run's PDF progress."""

from itertools import groupby

from django.db.models import Count, QuerySet

from payroll.models import PayRun, Payslip


def payslips_issued_to(employee_id: int) -> QuerySet[Payslip]:
    """Payslips of finalised (or paid) runs only: drafts and previews are never the employee's.
    All years, and still there after they leave."""
    return (
        Payslip.objects.filter(employee_id=employee_id, run__status__in=PayRun.FROZEN)
        .select_related("run__period", "run__schedule")
        .order_by("-run__pay_date", "-pk")
    )


def payslips_by_year(payslips) -> list[tuple[int, list[Payslip]]]:
    return [(year, list(items)) for year, items in
            groupby(payslips, key=lambda p: p.run.pay_date.year)]


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
