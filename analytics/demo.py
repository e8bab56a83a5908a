"""Demo analytics: the gender HR recorded for the UK gender pay gap (GB staff), voluntary EEO-1
answers (US staff) and job categories, pay bands per job title, a headcount plan for this year
and the monthly workforce snapshot, so every report of the demo has something to show.
Idempotent: existing rows are left alone; the snapshot is rebuilt (it is a pre-aggregate)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.db.models import Count
from django.utils import timezone

from accounts.demo import DemoContext
from analytics.models import (
    EEOJobCategory,
    HeadcountPlan,
    PayBand,
    PayGapGender,
    SelfIdentification,
)
from analytics.snapshot import snapshot_refresh
from employees.models import CompensationRecord, Department, Employee, JobTitle

ZERO = Decimal(0)
RACES = [r for r, _ in SelfIdentification.Race.choices]
CATEGORIES = [c for c, _ in EEOJobCategory.Category.choices]


def _people(ctx: DemoContext) -> None:
    known_gpg = set(PayGapGender.objects.values_list("employee_id", flat=True))
    known_eeo = set(SelfIdentification.objects.values_list("employee_id", flat=True))
    gpg, eeo = [], []
    for pk, country in Employee.objects.order_by("pk").values_list("pk", "work_country"):
        roll = ctx.rng.random()
        if country == "GB" and pk not in known_gpg:
            gender = "woman" if roll < 0.47 else "man" if roll < 0.98 else "neither"
            gpg.append(PayGapGender(employee_id=pk, gender=gender))
        elif country == "US" and pk not in known_eeo:
            sex = "female" if roll < 0.45 else "male" if roll < 0.93 else "declined"
            eeo.append(SelfIdentification(employee_id=pk, sex=sex,
                                          race_ethnicity=ctx.rng.choice(RACES)))
    PayGapGender.objects.bulk_create(gpg)
    SelfIdentification.objects.bulk_create(eeo)


def _titles(ctx: DemoContext) -> None:
    hr_admin = ctx.users.get("hr.admin@demo.hrops.test")
    categorised = set(EEOJobCategory.objects.values_list("job_title_id", flat=True))
    banded = set(PayBand.objects.filter(currency="GBP").values_list("job_title_id", flat=True))
    salaries: dict[int, list[Decimal]] = {}
    for title, amount in CompensationRecord.objects.filter(
            currency="GBP", basis="salary", annual_salary__isnull=False).values_list(
            "employee__job_title_id", "annual_salary"):
        salaries.setdefault(title, []).append(amount)
    for title in JobTitle.objects.order_by("pk"):
        if title.pk not in categorised:
            EEOJobCategory.objects.create(job_title=title, category=ctx.rng.choice(CATEGORIES))
        if title.pk not in banded and salaries.get(title.pk):
            mid = Decimal(median(salaries[title.pk])).quantize(Decimal("1000"),
                                                               rounding=ROUND_HALF_UP)
            PayBand.objects.create(job_title=title, currency="GBP", minimum=mid * Decimal("0.8"),
                                   midpoint=mid, maximum=mid * Decimal("1.2"),
                                   updated_by=hr_admin)


def _plan(ctx: DemoContext) -> None:
    year = timezone.localdate().year
    counts = dict(Employee.objects.filter(status=Employee.Status.ACTIVE).values_list(
        "department_id").annotate(n=Count("pk")))
    existing = set(HeadcountPlan.objects.filter(month__year=year).values_list(
        "department_id", "month"))
    rows = []
    for department in Department.objects.order_by("pk"):
        base = counts.get(department.pk, 0)
        for month in range(1, 13):
            day = date(year, month, 1)
            if (department.pk, day) not in existing and base:
                budget = max(base + ctx.rng.randint(-1, 2), 0)
                rows.append(HeadcountPlan(department=department, month=day,
                                          budget_headcount=budget,
                                          budget_fte=max(Decimal(budget) - Decimal("0.5"), ZERO),
                                          note="Demo budget"))
    HeadcountPlan.objects.bulk_create(rows)


def _snapshot_period(ctx: DemoContext) -> None:
    """The UK demo payroll starts with tax year 2026-27 (6 April); the gender pay gap of the
    5 April 2026 snapshot needs the tax month containing it (6 March - 5 April 2026): it is run
    and finalised like the payroll demo's history, with annual bonuses for a third of people."""
    from payroll.demo import APPROVER, CALCULATOR, _components, _finalised_history, _hours_inputs
    from payroll.models import PayPeriod, PayRun, PaySchedule, RunInput
    from payroll.services.runs import run_create

    calculator, approver = ctx.users.get(CALCULATOR), ctx.users.get(APPROVER)
    schedule = PaySchedule.objects.filter(name="UK monthly").first()
    if schedule is None or calculator is None or approver is None:
        return
    period, _ = PayPeriod.objects.get_or_create(
        schedule=schedule, start_date=date(2026, 3, 6), defaults={
            "number": 12, "end_date": date(2026, 4, 5), "pay_date": date(2026, 3, 31)})
    if PayRun.objects.filter(period=period, kind=PayRun.Kind.REGULAR).exists():
        return
    components = _components()
    run = run_create(schedule=schedule, period=period, acting_user=calculator,
                     note="Tax month 12 of 2025-26 (gender pay gap snapshot)")
    _hours_inputs(run, components)
    from payroll.selectors import run_employee_ids

    RunInput.objects.bulk_create(
        RunInput(run=run, employee_id=pk, component=components["BONUS"],
                 amount=Decimal(ctx.rng.randrange(500, 4000)), note="Annual bonus")
        for pk in run_employee_ids(run) if ctx.rng.random() < 0.35)
    _finalised_history(run, calculator, approver)


def seed(ctx: DemoContext) -> None:
    _snapshot_period(ctx)
    _people(ctx)
    _titles(ctx)
    _plan(ctx)
    snapshot_refresh()
