"""Reads for year-end documents: a year's finalised payslips as facts, the documents a viewer
may have, and whether a tax year of an employer is closed (the lock payroll asks about)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from payroll.engine.tax_years import uk_tax_year_for, us_tax_year_for
from payroll.models import PayComponent, PayRun, PaySchedule, Payslip, PayslipLine
from yearend.figures import SlipFacts
from yearend.models import YearEndClose, YearEndDocument


def tax_year_of(schedule: PaySchedule, day: date) -> str:
    return uk_tax_year_for(day) if schedule.jurisdiction == "UK" else us_tax_year_for(day)


def tax_year_end(jurisdiction: str, tax_year: str) -> date:
    """The last day of a tax year: 5 April (UK), 31 December (US)."""
    if jurisdiction == "UK":
        return date(int(tax_year[:4]) + 1, 4, 5)
    return date(int(tax_year), 12, 31)


def year_is_closed(schedule_id: int, tax_year: str) -> bool:
    return YearEndClose.objects.filter(schedule_id=schedule_id, tax_year=tax_year,
                                       status=YearEndClose.Status.CLOSED).exists()


def year_close_for(schedule: PaySchedule, tax_year: str) -> YearEndClose | None:
    return YearEndClose.objects.filter(schedule=schedule, tax_year=tax_year).select_related(
        "closed_by").first()


def unfinalised_runs(schedule: PaySchedule, tax_year: str) -> QuerySet[PayRun]:
    """Runs of the schedule paid in the tax year that are not finalised (drafts, calculated,
    approved): the year cannot be closed while any exists."""
    jurisdiction = schedule.jurisdiction
    end = tax_year_end(jurisdiction, tax_year)
    start = date(int(tax_year[:4]), 4, 6) if jurisdiction == "UK" else date(int(tax_year), 1, 1)
    return PayRun.objects.filter(schedule=schedule, pay_date__range=(start, end)).exclude(
        status__in=PayRun.FROZEN)


def _tax_setup(issued: dict) -> tuple[str, bool, str, str]:
    tax = (issued or {}).get("tax") or {}
    return (tax.get("tax_code", ""), tax.get("basis", "cumulative") != "cumulative",
            tax.get("ni_category", "") or "A", tax.get("tax_period", ""))


def slip_facts(schedule: PaySchedule, tax_year: str, employee_ids: list[int] | None = None,
               *, on_or_before: date | None = None) -> dict[int, list[SlipFacts]]:
    """employee id -> their finalised payslips of this schedule in the tax year, as facts.
    Two queries (payslips, lines) whatever the headcount."""
    payslips = Payslip.objects.filter(run__schedule=schedule, tax_year=tax_year,
                                      run__status__in=PayRun.FROZEN)
    if employee_ids is not None:
        payslips = payslips.filter(employee_id__in=employee_ids)
    if on_or_before is not None:
        payslips = payslips.filter(run__pay_date__lte=on_or_before)
    rows = list(payslips.order_by("run__pay_date", "pk").values_list(
        "pk", "employee_id", "run__pay_date", "run__period_id", "run__kind", "ytd_increments",
        "issued_details"))
    lines: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for payslip_id, code, amount in PayslipLine.objects.filter(
            payslip_id__in=[r[0] for r in rows]).order_by().values_list(
            "payslip_id", "code", "amount"):
        lines[payslip_id].append((code, amount))
    facts: dict[int, list[SlipFacts]] = defaultdict(list)
    for pk, employee_id, pay_date, period_id, kind, increments, issued in rows:
        tax_code, week1, letter, period = _tax_setup(issued)
        facts[employee_id].append(SlipFacts(
            payslip_id=pk, employee_id=employee_id, pay_date=pay_date, period_id=period_id,
            run_kind=kind, increments={k: Decimal(str(v)) for k, v in increments.items()},
            lines=tuple(lines[pk]), tax_code=tax_code, week1_month1=week1, ni_letter=letter,
            tax_period=period))
    return facts


def w2_component_maps() -> tuple[dict[str, str], dict[str, str]]:
    """(line code -> box 12 code, line code -> box 14 label) from the pay components."""
    box12, box14 = {}, {}
    for code, box12_code, label in PayComponent.objects.values_list(
            "code", "w2_box12_code", "w2_box14_label"):
        if box12_code:
            box12[code] = box12_code
        if label:
            box14[code] = label
    return box12, box14


def documents_of(employee_id: int) -> QuerySet[YearEndDocument]:
    return YearEndDocument.objects.filter(employee_id=employee_id).select_related(
        "schedule").order_by("-tax_year", "kind", "pk")


def documents_for_year(schedule: PaySchedule, tax_year: str) -> QuerySet[YearEndDocument]:
    return YearEndDocument.objects.filter(schedule=schedule, tax_year=tax_year).select_related(
        "employee").order_by("kind", "employee__legal_last_name", "employee__legal_first_name")


def tax_years_of(schedule: PaySchedule) -> list[str]:
    """The tax years in which the schedule has finalised payslips, newest first."""
    return sorted(set(Payslip.objects.filter(
        run__schedule=schedule, run__status__in=PayRun.FROZEN).order_by().values_list(
        "tax_year", flat=True).distinct()), reverse=True)


def years_overview() -> list[dict]:
    """Every schedule's tax years with payslips, and whether each is closed (three queries)."""
    pairs = set(Payslip.objects.filter(run__status__in=PayRun.FROZEN).order_by().values_list(
        "run__schedule_id", "tax_year").distinct())
    closed = set(YearEndClose.objects.filter(status=YearEndClose.Status.CLOSED).values_list(
        "schedule_id", "tax_year"))
    schedules = PaySchedule.objects.in_bulk({s for s, _ in pairs})
    return [{"schedule": schedules[s], "tax_year": y, "closed": (s, y) in closed}
            for s, y in sorted(pairs, key=lambda p: (schedules[p[0]].name, p[1]), reverse=False)]
