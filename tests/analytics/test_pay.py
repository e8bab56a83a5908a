"""Pay analytics on a hand-computed dataset.

Engineering, GBP annual pay on 15 Mar 2026: 30,000 40,000 50,000 60,000 70,000 and an hourly
20.00 x 37.5 h x 52 = 39,000. Sorted: 30,000 39,000 40,000 50,000 60,000 70,000 (n = 6).
Inclusive quartiles (position (n - 1) x p): Q1 at 1.25 = 39,000 + 0.25 x 1,000 = 39,250.00;
median at 2.5 = 45,000.00; Q3 at 3.75 = 50,000 + 0.75 x 10,000 = 57,500.00.
Band 35,000 / 50,000 / 65,000: below 1 (30,000), above 1 (70,000), within 4; compa-ratios
0.60 0.78 0.80 1.00 1.20 1.40, average 5.78 / 6 = 0.963 -> 0.96.
Merit increases on 1 Jan 2026: +20%, +11.11%, +11.11%, +20%, +25% -> average 17.4; one
promotion (hourly 18 -> 20, +11.1%) is a group of 1: suppressed.
Sales has 2 people: suppressed everywhere. One person paid in USD is counted apart.
"""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from analytics import pay
from analytics.metrics import Filters
from analytics.services import pay_band_save
from employees.models import ChangeReason, CompensationRecord, JobRecord
from tests.factories import UserFactory
from tests.factories.analytics import person
from tests.factories.employees import DepartmentFactory, JobTitleFactory, LocationFactory
from tests.factories.payroll_history import paid_on

AS_OF = date(2026, 3, 15)
MERIT = date(2026, 1, 1)


def _salary(employee, amount: str, on: date, reason=ChangeReason.HIRE, currency="GBP"):
    CompensationRecord.objects.create(employee=employee, effective_date=on, basis="salary",
                                      annual_salary=Decimal(amount), currency=currency,
                                      reason=reason)


@pytest.fixture
def paid(db):
    eng, sales = DepartmentFactory(name="Eng"), DepartmentFactory(name="Sales")
    london, title, other = LocationFactory(), JobTitleFactory(name="Engineer"), JobTitleFactory()
    hired = date(2024, 1, 8)
    engineers = []
    for before, after in (("25000", "30000"), ("36000", "40000"), ("45000", "50000"),
                          ("50000", "60000"), ("56000", "70000")):
        e = person(hire=hired, department=eng, location=london, title=title)
        _salary(e, before, hired)
        _salary(e, after, MERIT, ChangeReason.MERIT_INCREASE)
        engineers.append(e)
    hourly = person(hire=hired, department=eng, location=london, title=title)
    JobRecord.objects.filter(employee=hourly).update(weekly_hours=Decimal("37.5"))
    for rate, on, reason in (("18.00", hired, ChangeReason.HIRE),
                             ("20.00", date(2026, 2, 1), ChangeReason.PROMOTION)):
        CompensationRecord.objects.create(employee=hourly, effective_date=on, basis="hourly",
                                          hourly_rate=Decimal(rate), currency="GBP",
                                          reason=reason)
    sellers = [person(hire=hired, department=sales, location=london, title=other)
               for _ in range(2)]
    for s in sellers:
        _salary(s, "90000", hired)
    _salary(person(hire=hired, department=eng, location=london, title=title), "80000", hired,
            currency="USD")
    return {"eng": eng, "sales": sales, "title": title, "engineers": engineers,
            "hourly": hourly, "sellers": sellers}


def test_distribution_quartiles_and_suppression(paid):
    population = pay.pay_population(Filters(), AS_OF)
    assert population.currency == "GBP"
    assert population.other_currencies == {"USD": 1}
    rows = {d.label: d for d in pay.distributions_by(population, "department")}
    assert (rows["Eng"].q1, rows["Eng"].median, rows["Eng"].q3) == (
        Decimal("39250.00"), Decimal("45000.00"), Decimal("57500.00"))
    assert rows["Sales"].suppressed and rows["Sales"].median is None
    assert rows["Sales"].count == 2


def test_suppression_threshold_is_configurable(paid, settings):
    settings.ANALYTICS_MIN_GROUP_SIZE = 2
    rows = {d.label: d for d in pay.distributions_by(pay.pay_population(Filters(), AS_OF),
                                                     "department")}
    assert rows["Sales"].median == Decimal("90000.00")


def test_bands_compa_ratio_and_people_outside(paid, hr_admin):
    pay_band_save(acting_user=hr_admin, job_title=paid["title"], currency="GBP",
                  minimum=Decimal("35000"), midpoint=Decimal("50000"), maximum=Decimal("65000"))
    rows, outside = pay.band_rows(pay.pay_population(Filters(), AS_OF))
    (row,) = rows
    assert (row.count, row.below, row.within, row.above) == (6, 1, 4, 1)
    assert row.average_compa == Decimal("0.96")
    assert sorted(p.annual for p, _ in outside) == [Decimal("30000.00"), Decimal("70000.00")]


def test_pay_changes_by_reason(paid):
    rows = {r.reason: r for r in pay.pay_changes(date(2025, 4, 1), AS_OF, Filters(), "GBP")}
    assert (rows["Merit increase"].count, rows["Merit increase"].average_percent) == (
        5, Decimal("17.4"))
    assert rows["Promotion"].count == 1 and rows["Promotion"].average_percent is None


def test_payroll_cost_from_finalised_payslips_only(paid):
    # given: Feb: 5 engineers and 2 sellers finalised; a draft run in March is not counted
    paid_on(paid["engineers"] + paid["sellers"], pay_date=date(2026, 2, 27))
    paid_on(paid["engineers"], pay_date=date(2026, 3, 13), finalise=False)
    # when
    rows = pay.payroll_cost(date(2025, 4, 1), AS_OF, Filters(), "GBP")
    # then: each payslip gross 3,320.00, employer NI 380.27, employer cost 3,796.27
    eng = next(r for r in rows if r.department == "Eng")
    assert (eng.month, eng.people, eng.gross, eng.employer_tax, eng.employer_cost) == (
        date(2026, 2, 1), 5, Decimal("16600.00"), Decimal("1901.35"), Decimal("18981.35"))
    sales = next(r for r in rows if r.department == "Sales")
    assert sales.suppressed and sales.gross is None
    assert len(rows) == 2


def test_pay_page_roles(paid, client, hr_admin):
    from tests.mfa import enrol_totp

    analyst = UserFactory(roles=[Role.HR_ANALYST])
    client.force_login(analyst)
    page = client.get("/analytics/pay/", {"as_of": "2026-03-15"})
    assert page.status_code == 200 and page.context["outside"] is None  # no individual pay
    assert b"45000.00" in page.content
    csv = client.get("/analytics/pay/", {"as_of": "2026-03-15", "table": "by_department",
                                         "format": "csv"}).content.decode("utf-8-sig")
    assert "Eng,6,39250.00,45000.00,57500.00" in csv
    assert "Sales,2,,," in csv
    manager = UserFactory(roles=[Role.MANAGER])
    enrol_totp(hr_admin)
    client.force_login(manager)
    assert client.get("/analytics/pay/").status_code == 403


def test_payroll_cost_snapshot_equals_live_and_goes_stale_on_finalisation(paid):
    from django.utils import timezone

    from analytics.snapshot import snapshot_payroll_cost, snapshot_refresh
    from payroll.models import PayRun
    from payroll.selectors_cost import payroll_cost_by_department_month

    paid_on(paid["engineers"] + paid["sellers"], pay_date=date(2026, 2, 27))
    snapshot_refresh()
    today = timezone.localdate()
    first = date(2025, 4, 1)
    assert snapshot_payroll_cost(first, today) == [
        {**r, "month": r["month"].date() if hasattr(r["month"], "date") else r["month"]}
        for r in payroll_cost_by_department_month(first, today)]
    # a run finalised after the snapshot: the report computes live instead
    run = paid_on(paid["engineers"], pay_date=date(2026, 3, 13))
    PayRun.objects.filter(pk=run.pk).update(finalised_at=timezone.now())
    assert snapshot_payroll_cost(first, today) is None
