"""Payroll cost from finalised payslips, for reports (analytics): sums only, by month of the
pay date and by the department of the job record in force on it."""

from datetime import date

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import TruncMonth

from employees.models import JobRecord
from payroll.models import Payslip

FINAL = ("finalised", "paid")


def payroll_cost_by_department_month(first: date, last: date, *,
                                     employee_ids=None) -> list[dict]:
    """[{month, department_id, currency, people, gross, employer_tax, employer_cost}] for the
    finalised (or paid) runs paid between first and last. One query."""
    department = JobRecord.objects.filter(
        employee_id=OuterRef("employee_id"), effective_date__lte=OuterRef("run__pay_date"),
    ).order_by("-effective_date").values("department_id")[:1]
    qs = Payslip.objects.filter(run__status__in=FINAL, run__pay_date__range=(first, last))
    if employee_ids is not None:
        qs = qs.filter(employee_id__in=list(employee_ids))
    return list(qs.annotate(department_id_at=Subquery(department), month=TruncMonth(
        "run__pay_date")).values("month", "department_id_at", "currency").annotate(
        people=Count("employee_id", distinct=True), gross=Sum("gross"),
        employer_tax=Sum("total_employer_tax"), employer_cost=Sum("employer_cost"),
    ).order_by("month", "department_id_at", "currency"))


def runs_finalised_since(moment) -> bool:
    """Whether a run was finalised after `moment` (a pre-aggregate older than that is stale)."""
    from payroll.models import PayRun

    return PayRun.objects.filter(finalised_at__gt=moment).exists()
