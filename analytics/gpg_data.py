"""The rows of the UK gender pay gap (analytics.gpg_rules) read from payroll, the employee
record and time off: a fixed number of queries whatever the headcount.

- Relevant employees (SI 2017/172 reg. 1(2)): an employment open on the snapshot date, working
  in Great Britain (work country GB), optionally of one legal employer (the employer legal name
  of the pay schedule of their pay in force on the snapshot date).
- Relevant pay period (reg. 5): the pay period of a finalised (or paid) run that contains the
  snapshot date; every finalised run for that period counts (regular, off-cycle, correction).
- Lines: ordinary pay (reg. 3) and bonus pay (reg. 4) by the component's gender pay class
  (payroll.PayComponent.gender_pay_class); built-in lines of the engine by code below.
- Bonus pay of the 12 months ending with the snapshot date (regs. 10-12): bonus lines of
  finalised runs paid in that window.
- Reduced pay because of leave (reg. 1(2) "full-pay relevant employee"): unpaid leave recorded
  in payroll (time off's unpaid and family leave book it there) overlapping the pay period.
- Weekly working hours (reg. 7): contracted hours of the job record in force; else the time-off
  working pattern in force; else (no normal hours) hours paid in the period x 7 / period days;
  else HROps' default week, 37.5 h x FTE (labelled so on the audit sheet).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from django.db.models import Exists, OuterRef, Q, Sum

from analytics.gpg_rules import MAN, WOMAN, ZERO, BonusPaid, PayGapPerson
from analytics.models import PayGapGender, SelfIdentification
from employees.models import CompensationRecord, Employee, Employment, JobRecord
from payroll.models import PayComponent, PayslipLine, UnpaidLeave
from timeoff.models import WorkingPattern
from timeoff.services.patterns import FULL_TIME_HOURS

FINAL = ("finalised", "paid")
ORDINARY, BONUS, EXCLUDED = "ordinary", "bonus", "excluded"
# Lines the payroll engine writes without a PayComponent row, or whose meaning is fixed by law:
# salary and hourly pay are basic pay and statutory leave pay is pay for leave (reg. 3(1));
# overtime is never ordinary pay (reg. 3); bonus and commission are bonus pay (reg. 4).
BUILT_IN = {"SALARY": ORDINARY, "HOURLY": ORDINARY, "SSP": ORDINARY, "SMP": ORDINARY,
            "SPP": ORDINARY, "SAP": ORDINARY, "SHPP": ORDINARY, "OVERTIME": EXCLUDED,
            "BONUS": BONUS, "COMMISSION": BONUS}
SNAPSHOT_DAY = {"private": (4, 5), "public": (3, 31)}  # 5 April; 31 March (public authorities)


def snapshot_date(year: int, sector: str) -> date:
    month, day = SNAPSHOT_DAY[sector]
    return date(year, month, day)


@dataclass(frozen=True, slots=True)
class Component:
    klass: str
    bonus_period_days: int | None


def components() -> dict[str, Component]:
    return {code: Component(klass, days) for code, klass, days in PayComponent.objects.values_list(
        "code", "gender_pay_class", "bonus_period_days")}


def line_class(code: str, category: str, known: dict[str, Component]) -> str:
    component = known.get(code)
    if component and component.klass:
        return component.klass
    if code in BUILT_IN:
        return BUILT_IN[code]
    return ORDINARY if category == "earning" else EXCLUDED


def relevant_employees(day: date, employer: str = ""):
    """Reg. 1(2): employed on the snapshot date (GB workers of the employer)."""
    open_on = Employment.objects.filter(employee_id=OuterRef("pk"), start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day))
    people = Employee.objects.filter(Exists(open_on), work_country="GB")
    if employer:
        pay = CompensationRecord.objects.filter(
            employee_id=OuterRef("pk"), effective_date__lte=day).order_by(
            "-effective_date").values("pay_schedule__employer_legal_name")[:1]
        people = people.alias(employer_name=pay).filter(employer_name=employer)
    return people


def genders(people) -> dict[int, tuple[str, str]]:
    """employee id -> (gender, where it came from): HR's pay gap record; else the employee's own
    EEO-1 self-identification (male / female); else unknown."""
    found = {pk: ("", "not recorded") for pk in people.values_list("pk", flat=True)}
    sexes = {"male": MAN, "female": WOMAN}
    for pk, sex in SelfIdentification.objects.filter(employee__in=people).values_list(
            "employee_id", "sex"):
        if sex in sexes:
            found[pk] = (sexes[sex], "self-identification")
    for pk, gender in PayGapGender.objects.filter(employee__in=people).values_list(
            "employee_id", "gender"):
        found[pk] = ("" if gender == PayGapGender.Gender.NEITHER else gender, "HR record")
    return found


def _in_force(model, people, day: date, date_field: str, *fields: str) -> dict[int, tuple]:
    later = model.objects.filter(employee_id=OuterRef("employee_id"), **{
        f"{date_field}__gt": OuterRef(date_field), f"{date_field}__lte": day})
    rows = model.objects.filter(employee__in=people, **{f"{date_field}__lte": day}).filter(
        ~Exists(later)).values_list("employee_id", *fields)
    return {row[0]: row[1:] for row in rows}


def weekly_hours(people, day: date) -> tuple[dict[int, tuple[Decimal, str]], dict]:
    """Reg. 7(1)(a): the contracted hours in force; else the working pattern's week. Also the
    FTE in force (the time-off default pattern, 37.5 h x FTE, is the last resort)."""
    found: dict[int, tuple[Decimal, str]] = {}
    ftes = {}
    for pk, (hours, fte) in _in_force(JobRecord, people, day, "effective_date",
                                      "weekly_hours", "fte").items():
        ftes[pk] = fte
        if hours:
            found[pk] = (hours, "contract")
    for pk, (pattern,) in _in_force(WorkingPattern, people, day, "effective_from",
                                    "weekday_hours").items():
        if pk not in found:
            total = sum((Decimal(str(h)) for h in (pattern or [])), ZERO)
            if total > 0:
                found[pk] = (total, "working pattern")
    return found, ftes


def period_lines(people, day: date):
    return PayslipLine.objects.filter(
        payslip__employee__in=people, payslip__run__status__in=FINAL,
        payslip__run__period__start_date__lte=day,
        payslip__run__period__end_date__gte=day).values_list(
        "payslip__employee_id", "code", "category", "amount", "quantity",
        "payslip__run__period__start_date", "payslip__run__period__end_date")


def bonus_twelve_months(people, day: date, known: dict[str, Component]) -> dict[int, Decimal]:
    """Regs. 10-12: bonus pay paid in the 12 months ending with the snapshot date."""
    first = day.replace(year=day.year - 1) + timedelta(days=1)
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    # Only bonus codes can be bonus lines (an unknown code is ordinary pay or excluded).
    codes = {c for c, k in known.items() if k.klass == BONUS} | {
        c for c, k in BUILT_IN.items() if k == BONUS and not (c in known and known[c].klass)}
    rows = PayslipLine.objects.filter(
        code__in=sorted(codes), payslip__employee__in=people, payslip__run__status__in=FINAL,
        payslip__run__pay_date__range=(first, day)).values(
        "payslip__employee_id", "code", "category").annotate(total=Sum("amount"))
    for row in rows:
        if line_class(row["code"], row["category"], known) == BONUS:
            totals[row["payslip__employee_id"]] += row["total"]
    return totals


def on_unpaid_leave(people, periods: dict[int, tuple[date, date]]) -> set[int]:
    first = min((p[0] for p in periods.values()), default=None)
    last = max((p[1] for p in periods.values()), default=None)
    if first is None:
        return set()
    found = set()
    for pk, start, end in UnpaidLeave.objects.filter(
            employee__in=people, first_day__lte=last, last_day__gte=first).values_list(
            "employee_id", "first_day", "last_day"):
        period = periods.get(pk)
        if period and start <= period[1] and end >= period[0]:
            found.add(pk)
    return found


def pay_gap_people(day: date, employer: str = "") -> list[PayGapPerson]:
    """One PayGapPerson per relevant employee on `day` (about ten queries)."""
    people = relevant_employees(day, employer)
    labels = dict(people.values_list("pk", "employee_number"))
    gender = genders(people)
    known = components()
    ordinary: dict[int, Decimal] = {}
    bonuses: dict[int, list[BonusPaid]] = defaultdict(list)
    hours_paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    periods: dict[int, tuple[date, date]] = {}
    for pk, code, category, amount, quantity, start, end in period_lines(people, day):
        periods.setdefault(pk, (start, end))
        klass = line_class(code, category, known)
        ordinary.setdefault(pk, ZERO)
        if klass == ORDINARY:
            ordinary[pk] += amount
            if code == "HOURLY" and quantity:
                hours_paid[pk] += quantity
        elif klass == BONUS:
            component = known.get(code)
            bonuses[pk].append(BonusPaid(amount, component.bonus_period_days
                                         if component else None))
    hours, ftes = weekly_hours(people, day)
    leave = on_unpaid_leave(people, periods)
    bonus_year = bonus_twelve_months(people, day, known)
    result = []
    for pk in sorted(labels):
        start, end = periods.get(pk, (day, day))
        days = (end - start).days + 1
        weekly, source = hours.get(pk, (None, ""))
        if weekly is None and hours_paid.get(pk):
            # Reg. 7: no normal working hours -> hours worked in the pay period, per week.
            weekly, source = Fraction(hours_paid[pk]) * 7 / days, "hours paid in the period"
        elif weekly is None and ftes.get(pk):
            # Nothing recorded: HROps' default week (timeoff.services.patterns: Monday to
            # Friday, 37.5 h x FTE), shown as such on the audit sheet for HR to correct.
            weekly, source = FULL_TIME_HOURS * ftes[pk], "default week (37.5 h x FTE)"
        result.append(PayGapPerson(
            key=pk, label=labels[pk], gender=gender[pk][0], ordinary=ordinary.get(pk),
            period_days=days, weekly_hours=weekly, bonuses=tuple(bonuses.get(pk, ())),
            bonus_12_months=bonus_year.get(pk, ZERO), reduced_for_leave=pk in leave,
            hours_source=source, gender_source=gender[pk][1]))
    return result


def employers() -> list[str]:
    from payroll.models import PaySchedule

    return sorted(set(PaySchedule.objects.filter(country="GB").exclude(
        employer_legal_name="").values_list("employer_legal_name", flat=True)))
