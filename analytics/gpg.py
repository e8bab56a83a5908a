"""The UK gender pay gap report: the six figures for the government service, the audit sheet
behind them (HR Admin only: individual pay), and HR Admin's record of each employee's gender."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import is_hr_admin
from analytics.gpg_data import pay_gap_people, snapshot_date
from analytics.gpg_rules import REQUIRED_FROM, Figures, figures, to_decimal
from analytics.models import PayGapGender
from audit.services import audit_record
from employees.models import Employee

FOUR = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class PayGapReport:
    snapshot: date
    sector: str
    employer: str
    figures: Figures

    @property
    def required(self) -> bool:
        return self.figures.required

    @property
    def required_from(self) -> int:
        return REQUIRED_FROM


def pay_gap_report(year: int, sector: str = "private", employer: str = "") -> PayGapReport:
    day = snapshot_date(year, sector)
    return PayGapReport(day, sector, employer, figures(pay_gap_people(day, employer)))


def figure_rows(report: PayGapReport) -> list[list[object]]:
    """The figures as the government service asks for them (percentages, one decimal place)."""
    f = report.figures
    rows: list[list[object]] = [
        ["Figure", "Value"], ["Snapshot date", report.snapshot],
        ["Relevant employees", f.relevant],
        ["Mean gender pay gap in hourly pay %", f.mean_gap],
        ["Median gender pay gap in hourly pay %", f.median_gap],
        ["Mean gender pay gap in bonus pay %", f.mean_bonus_gap],
        ["Median gender pay gap in bonus pay %", f.median_bonus_gap],
        ["Men receiving bonus pay %", f.men_bonus_percent],
        ["Women receiving bonus pay %", f.women_bonus_percent]]
    for band, men, women, _size in f.quartiles:
        rows += [[f"{band} quarter: men %", men], [f"{band} quarter: women %", women]]
    return rows


def sheet_rows(report: PayGapReport) -> list[list[object]]:
    """Line by line, each relevant employee (HR Admin only: it shows individual pay)."""
    rows: list[list[object]] = [[
        "Employee number", "Gender", "Gender from", "Pay period days", "Ordinary pay",
        "Bonus in the period (pro rata)", "Weekly working hours", "Hours from",
        "Hourly rate", "Quarter", "Bonus pay in 12 months", "Hourly figures",
        "Reason left out"]]
    for row in sorted(report.figures.rows, key=lambda r: r.person.label):
        p = row.person
        rows.append([
            p.label, p.gender or "-", p.gender_source, p.period_days, p.ordinary,
            to_decimal(row.period_bonus, FOUR) if p.ordinary is not None else None,
            to_decimal(Fraction(p.weekly_hours), FOUR) if p.weekly_hours else None,
            p.hours_source,
            to_decimal(row.hourly, FOUR) if row.hourly is not None else None,
            ("Lower", "Lower middle", "Upper middle", "Upper")[row.quartile]
            if row.quartile is not None else "", p.bonus_12_months,
            "included" if row.included else "excluded", row.reason])
    return rows


@transaction.atomic
def pay_gap_gender_set(*, acting_user, employee: Employee, gender: str) -> PayGapGender:
    """HR Admin records the gender an employee identifies with. The audit event says it
    changed, not what to (the trail is read by more people than HR Admin)."""
    if not is_hr_admin(acting_user):
        raise PermissionDenied(_("Only HR Admin records gender for the pay gap report."))
    if employee.user_id is not None and employee.user_id == acting_user.pk:
        raise PermissionDenied(_("You cannot change your own record."))
    record = PayGapGender.objects.select_for_update().filter(employee=employee).first()
    if record and record.gender == gender:
        return record
    created = record is None
    record = record or PayGapGender(employee=employee)
    record.gender, record.updated_by = gender, acting_user
    record.save()
    audit_record(actor=acting_user, action="create" if created else "update", obj=record,
                 employee_id=employee.pk, changes={"gender": ["(hidden)", "(hidden)"]},
                 note="Gender for the gender pay gap report (HR Admin only)")
    return record
