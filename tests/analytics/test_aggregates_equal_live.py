"""The reports' SQL aggregates equal the Python definitions they replace, on generated data:
pay quartiles, bands and counts (analytics.pay_sql against analytics.pay.distribution and a
per-person recomputation) and sickness absence (analytics.absence against
timeoff.reports.bradford, working patterns and public holidays included)."""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from analytics import pay
from analytics.absence import absence_by_department, sickness_days
from analytics.filters import department_and_below
from analytics.metrics import Filters
from analytics.services import pay_band_save
from employees.models import CompensationRecord, Employee, JobRecord
from tests.factories.analytics import person
from tests.factories.employees import DepartmentFactory, JobTitleFactory, LocationFactory
from tests.factories.timeoff import leave_type
from timeoff.models import LeaveRequest, WorkingPattern
from timeoff.reports import bradford

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 15)


def _annual(basis, salary, rate, hours):
    return pay.annual_pay(basis, salary, rate, hours)


@pytest.fixture
def payroll(db):
    """40 people in 3 departments x 4 titles, GB and US, salaried and hourly (some hourly
    without contracted hours), a few paid in USD, some hired after DAY (not counted)."""
    rng = random.Random(1515)
    eng = DepartmentFactory(name="Eng")
    depts = [eng, DepartmentFactory(name="Platform", parent=eng), DepartmentFactory(name="Ops")]
    locs = [LocationFactory(country="GB"), LocationFactory(country="US")]
    titles = [JobTitleFactory() for _ in range(4)]
    for i in range(40):
        e = person(hire=date(2025, 1, 6) if i < 37 else date(2026, 6, 1),
                   department=rng.choice(depts), location=rng.choice(locs),
                   title=rng.choice(titles), today=DAY)
        if rng.random() < 0.3:
            hours = rng.choice([None, Decimal("37.5"), Decimal("22.5")])
            JobRecord.objects.filter(employee=e).update(weekly_hours=hours)
            CompensationRecord.objects.create(
                employee=e, effective_date=date(2025, 1, 6), basis="hourly",
                hourly_rate=Decimal(rng.randrange(1200, 4000)) / 100, currency="GBP",
                reason="hire")
        else:
            CompensationRecord.objects.create(
                employee=e, effective_date=date(2025, 1, 6), basis="salary",
                annual_salary=Decimal(rng.randrange(2_000_000, 9_000_000)) / 100,
                currency="USD" if i % 13 == 0 else "GBP", reason="hire")
    return {"depts": depts, "titles": titles, "eng": eng}


def _reference(filters: Filters):
    """annual pay in GBP per (title, department), computed person by person."""
    people = {}
    for e in Employee.objects.filter(hire_date__lte=DAY):
        if filters.department_ids is not None and e.department_id not in filters.department_ids:
            continue
        record = CompensationRecord.objects.filter(employee=e).first()
        job = JobRecord.objects.filter(employee=e).first()
        if record.currency == "GBP":
            people[e.pk] = (e.job_title_id, e.department_id, _annual(
                record.basis, record.annual_salary, record.hourly_rate, job.weekly_hours))
    return people


@pytest.mark.parametrize("min_group", [1, 3])
def test_sql_quartiles_equal_the_python_definition(payroll, settings, min_group):
    settings.ANALYTICS_MIN_GROUP_SIZE = min_group
    for filters in (Filters(), Filters(department_ids=department_and_below(payroll["eng"]))):
        people = _reference(filters)
        population = pay.pay_population(filters, DAY)
        assert population.currency == "GBP"
        assert population.count == sum(1 for *_, a in people.values() if a is not None)
        assert population.not_annualised == sum(1 for *_, a in people.values() if a is None)
        for key, index in (("job_title", 0), ("department", 1)):
            groups = defaultdict(list)
            for row in people.values():
                if row[2] is not None:
                    groups[row[index]].append(row[2])
            model = payroll["titles"][0].__class__ if key == "job_title" else \
                payroll["eng"].__class__
            names = dict(model.objects.values_list("pk", "name"))
            expected = sorted((pay.distribution(names[g], v) for g, v in groups.items()),
                              key=lambda d: (-d.count, d.label))
            assert pay.distributions_by(population, key) == expected, (filters, key)


def test_sql_band_counts_equal_person_by_person(payroll, hr_admin, settings):
    settings.ANALYTICS_MIN_GROUP_SIZE = 1
    title = payroll["titles"][0]
    pay_band_save(acting_user=hr_admin, job_title=title, currency="GBP",
                  minimum=Decimal("40000"), midpoint=Decimal("55000"), maximum=Decimal("70000"))
    values = [a for t, _d, a in _reference(Filters()).values() if t == title.pk and a]
    rows, outside = pay.band_rows(pay.pay_population(Filters(), DAY))
    (row,) = rows
    below = [v for v in values if v < Decimal("40000")]
    above = [v for v in values if v > Decimal("70000")]
    mean = sum(values, Decimal("0")) / len(values)
    assert (row.count, row.below, row.above) == (len(values), len(below), len(above))
    assert row.average_compa == (mean / Decimal("55000")).quantize(Decimal("0.01"),
                                                                   ROUND_HALF_UP)
    assert sorted(p.annual for p, _b in outside) == sorted(below + above)


@pytest.fixture
def sick(hr_admin):
    """12 people in 2 departments; patterns for some (one changing mid-period); spells that
    cross the period's edges, fall on a weekend only, or on a public holiday (Good Friday
    2026-04-03 and Easter Monday 2026-04-06, England and Wales)."""
    rng = random.Random(1516)
    kind = leave_type("sick")
    depts = [DepartmentFactory(name="Ops"), DepartmentFactory(name="Sales")]
    people = [Employee.objects.get(pk=person(
        hire=date(2024, 1, 8), department=depts[i % 2], location=LocationFactory(country="GB"),
        title=JobTitleFactory(), fte="0.600" if i == 3 else "1.000").pk) for i in range(12)]
    WorkingPattern.objects.create(employee=people[0], effective_from=date(2024, 1, 8),
                                  weekday_hours=["7.5", "7.5", "7.5", "0", "0", "0", "0"])
    WorkingPattern.objects.create(employee=people[0], effective_from=date(2026, 4, 15),
                                  weekday_hours=["0", "0", "7.5", "7.5", "7.5", "7.5", "0"])
    WorkingPattern.objects.create(employee=people[1], effective_from=date(2024, 1, 8),
                                  weekday_hours=["0", "0", "0", "0", "0", "8", "8"])
    for employee in people:
        for _ in range(rng.randint(0, 4)):
            first = date(2026, 3, 20) + timedelta(days=rng.randrange(50))
            LeaveRequest.objects.create(
                employee=employee, leave_type=kind, first_day=first,
                last_day=first + timedelta(days=rng.randrange(6)), amount=Decimal("1"),
                status=rng.choice([LeaveRequest.Status.APPROVED] * 3
                                  + [LeaveRequest.Status.CANCELLED]))
    return people


def test_sickness_days_equal_the_bradford_reference(sick):
    first, last = date(2026, 4, 1), date(2026, 4, 30)
    reference = {line.employee.pk: (line.spells, line.days)
                 for line in bradford(first, last, limit=10 ** 6)}
    found = {pk: (spells, Decimal(lost)) for pk, (spells, lost, _d) in sickness_days(
        None, first, last).items()}
    assert found == reference and reference
    rows = absence_by_department(None, first, last)
    assert sum(r.lost for r in rows) == sum(days for _s, days in reference.values())
    assert sum(r.bradford_total for r in rows) == sum(
        s * s * d for s, d in reference.values())
