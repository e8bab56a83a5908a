"""Reports: liability (untaken x day rate), Bradford factor, absence rate, upcoming; exports."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import requires_second_factor
from tests.factories.employees import CompensationRecordFactory, DepartmentFactory, EmployeeFactory
from tests.mfa import enrol_totp
from timeoff import reports
from timeoff.services.ledger import entry_post
from timeoff.services.sickness import sickness_record

pytestmark = pytest.mark.django_db


def test_liability_is_untaken_days_times_the_day_rate(holiday, hr_admin):
    # given: 26,000 a year, 5 days a week: 26000 / 52 / 5 = 100.00 a day; 7.5 days untaken
    dept = DepartmentFactory(name="Ops")
    person = EmployeeFactory(department=dept)
    CompensationRecordFactory(employee=person, annual_salary=D("26000.00"),
                              effective_date=date(2024, 1, 8))
    entry_post(employee=person, leave_type=holiday, kind="opening", amount=D("7.5"),
               effective_date=date(2026, 1, 1), reason="opening")
    # when
    (line,) = [x for x in reports.balances_by_department(holiday, date(2026, 6, 1),
                                                         with_pay=True) if x.name == "Ops"]
    # then
    assert line.balance == D("7.5") and line.liability == {"GBP": D("750.00")}
    (hidden,) = [x for x in reports.balances_by_department(holiday, date(2026, 6, 1),
                                                           with_pay=False) if x.name == "Ops"]
    assert hidden.liability == {}


def test_bradford_factor_is_spells_squared_times_days(org, hr_admin):
    # two spells of 1 and 2 working days: S=2, D=3 -> 2 x 2 x 3 = 12
    sickness_record(employee=org.report, first_day=date(2026, 3, 2), last_day=date(2026, 3, 2),
                    acting_user=hr_admin)
    sickness_record(employee=org.report, first_day=date(2026, 3, 12),
                    last_day=date(2026, 3, 15), acting_user=hr_admin)  # Thu-Sun: 2 days
    (line,) = reports.bradford(date(2026, 1, 1), date(2026, 12, 31))
    assert (line.spells, line.days, line.bradford) == (2, D("3"), D("12"))


def test_absence_rate_by_department(hr_admin):
    # one person in a department, March 2026 has 22 working days; 2 days sick -> 9.09%
    dept = DepartmentFactory(name="Solo")
    person = EmployeeFactory(department=dept)
    sickness_record(employee=person, first_day=date(2026, 3, 2), last_day=date(2026, 3, 3),
                    acting_user=hr_admin)
    rates = reports.absence_rate(date(2026, 3, 1), date(2026, 3, 31))
    assert rates["Solo"] == D("9.09")


def test_hr_exports_and_others_cannot(client, org, hr_staff, holiday):
    start = timezone.localdate() + timedelta(days=3)
    sickness_record(employee=org.report, first_day=start, last_day=start,
                    acting_user=hr_staff)
    client.force_login(hr_staff)
    page = client.get(reverse("timeoff:reports"))
    assert page.status_code == 200 and b"Liability" not in page.content  # no Payroll Viewer
    csv = client.get(reverse("timeoff:report_export", args=["upcoming", "csv"]))
    assert csv.status_code == 200 and org.report.employee_number in csv.content.decode()
    xlsx = client.get(reverse("timeoff:report_export", args=["bradford", "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    user = org.users["manager"]
    if requires_second_factor(user):
        enrol_totp(user)
    client.force_login(user)
    assert client.get(reverse("timeoff:reports")).status_code == 403


def test_opening_balances_dry_run_then_post(client, org, hr_admin, holiday):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from timeoff.services.ledger import balance

    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    good = (f"employee_number,leave_type,amount,effective_date,reason\r\n"
            f"{org.report.employee_number},Holiday,12.5,2026-01-01,Old system\r\n").encode()
    bad = good + b"NOPE,Holiday,x,2026-13-01,\r\n"
    url = reverse("timeoff:opening_balances")
    # a file with a bad row posts nothing and names each problem
    response = client.post(url, {"file": SimpleUploadedFile("o.csv", bad), "commit": "1"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Row 3, employee_number" in body and "Row 3, amount" in body and \
        "Row 3, effective_date" in body
    assert balance(org.report, holiday, date(2026, 1, 1)) == 0
    # the dry run posts nothing either
    client.post(url, {"file": SimpleUploadedFile("o.csv", good)})
    assert balance(org.report, holiday, date(2026, 1, 1)) == 0
    client.post(url, {"file": SimpleUploadedFile("o.csv", good), "commit": "1"})
    assert balance(org.report, holiday, date(2026, 1, 1)) == D("12.5")
    template = client.get(reverse("timeoff:opening_template", args=["xlsx"]))
    assert template.content[:2] == b"PK"


# --- the liability is computed by the database for everyone on the default week (one GROUP
# BY query, integers: timeoff/reports.py) and person by person for people with a pattern of
# their own; both must give what owed() gives for the same person, to the cent.

def _person(dept, fte="1.000", **pay):
    person = EmployeeFactory(department=dept, fte=D(fte))
    CompensationRecordFactory(employee=person, effective_date=date(2024, 1, 8), **pay)
    return person


HOURLY = {"basis": "hourly", "annual_salary": None}
# (leave type unit, FTE, pay, units untaken, the hand-computed liability)
LIABILITY_CASES = [
    # 26,001.30 / 52 / 5 = 100.005 a day, 1 day: exactly half a cent, half up -> 100.01
    ("days", "1.000", {"annual_salary": D("26001.30")}, D("1"), D("100.01")),
    # 1.3 x 1.00 / 260 = 0.005 exactly -> 0.01 (a day rate rounded first, 0.0038461538...,
    # times 1.3 would be 0.00499999... and round down: owed() divides last)
    ("days", "1.000", {"annual_salary": D("1.00")}, D("1.3"), D("0.01")),
    # 31,000 / 52 / 5 = 119.2307...; x 3.333 = 397.3961... -> 397.40
    ("days", "1.000", {"annual_salary": D("31000.00")}, D("3.333"), D("397.40")),
    # hourly 12.3456 x 37.5 x 0.8 / 5 = 74.0736 a day; x 3.333 = 246.8873... -> 246.89
    ("days", "0.800", {**HOURLY, "hourly_rate": D("12.3456")}, D("3.333"), D("246.89")),
    # hours: 31,000 / 52 / (37.5 x 0.6) = 26.4957... an hour; x 10.5 = 278.2051... -> 278.21
    ("hours", "0.600", {"annual_salary": D("31000.00")}, D("10.5"), D("278.21")),
    # hours, hourly: 10.01 x 0.5 = 5.005, half up -> 5.01
    ("hours", "1.000", {**HOURLY, "hourly_rate": D("10.0100")}, D("0.5"), D("5.01")),
]


@pytest.mark.parametrize(("unit", "fte", "pay", "units", "expected"), LIABILITY_CASES)
def test_liability_in_sql_matches_the_rule_to_the_cent(unit, fte, pay, units, expected):
    from tests.factories.timeoff import leave_type as make_type
    from timeoff.entitlement import Pattern

    # given: one person of the case in a department of their own
    kind = make_type("holiday")
    kind.unit = unit
    kind.save(update_fields=["unit"])
    dept = DepartmentFactory(name="Case")
    person = _person(dept, fte, **pay)
    entry_post(employee=person, leave_type=kind, kind="opening", amount=units,
               effective_date=date(2026, 1, 1), reason="opening")
    # when
    (line,) = [x for x in reports.balances_by_department(kind, date(2026, 6, 1), with_pay=True)
               if x.name == "Case"]
    # then: the hand figure, and the Python rule (owed) agrees with it
    record = person.compensation_records.get()
    python = reports.owed(units, (record.basis, record.annual_salary, record.hourly_rate, "GBP"),
                          Pattern.standard(D("37.5") * D(fte)), unit)
    assert line.liability == {"GBP": expected} == {"GBP": python}


def test_liability_sums_people_on_both_paths_and_skips_who_owes_nothing(holiday, hr_admin):
    from timeoff.services.patterns import working_pattern_set

    dept = DepartmentFactory(name="Mixed")
    # 26,000 / 52 / 5 = 100.00 a day x 2 = 200.00 (the default week, in SQL)
    week = _person(dept, annual_salary=D("26000.00"))
    # 20,800 / 52 / 4 days of their own pattern = 100.00 a day x 3 = 300.00 (Python)
    own = _person(dept, annual_salary=D("20800.00"))
    working_pattern_set(employee=own, effective_from=date(2026, 1, 1),
                        hours=["7.5", "7.5", "7.5", "7.5", "0", "0", "0"], acting_user=hr_admin)
    # a pay rise after the report date changes nothing; the one before it counts
    CompensationRecordFactory(employee=week, effective_date=date(2026, 9, 1),
                              annual_salary=D("52000.00"), reason="raise")
    # a negative balance owes nothing, a leaver is not counted, USD is kept apart
    negative = _person(dept, annual_salary=D("30000.00"))
    leaver = _person(dept, annual_salary=D("30000.00"))
    leaver.status = "terminated"
    leaver.save(update_fields=["status"])
    dollars = _person(dept, annual_salary=D("52000.00"), currency="USD")  # 200.00 a day
    for person, amount in ((week, "2"), (own, "3"), (negative, "-1"), (leaver, "5"),
                           (dollars, "0.5")):
        entry_post(employee=person, leave_type=holiday, kind="opening", amount=D(amount),
                   effective_date=date(2026, 1, 1), reason="opening")
    (line,) = [x for x in reports.balances_by_department(holiday, date(2026, 6, 1),
                                                         with_pay=True) if x.name == "Mixed"]
    # headcount and balance: current people only (the leaver's 5 days are not counted)
    assert (line.headcount, line.balance) == (4, D("4.5"))
    assert line.liability == {"GBP": D("500.00"), "USD": D("100.00")}


def test_absence_rate_counts_own_patterns_and_the_default_week(hr_admin):
    from timeoff.services.patterns import working_pattern_set

    # March 2026: 22 weekdays, no bank holiday in England. Two people on the default week
    # (22 + 22) and one working Mondays only (5 Mondays: 2, 9, 16, 23, 30) = 49 available;
    # 2 days sick -> 2 / 49 = 4.0816...% -> 4.08
    dept = DepartmentFactory(name="Pair")
    sick, _other = EmployeeFactory(department=dept), EmployeeFactory(department=dept)
    monday = EmployeeFactory(department=dept)
    working_pattern_set(employee=monday, effective_from=date(2026, 1, 1),
                        hours=["8", "0", "0", "0", "0", "0", "0"], acting_user=hr_admin)
    sickness_record(employee=sick, first_day=date(2026, 3, 2), last_day=date(2026, 3, 3),
                    acting_user=hr_admin)
    assert reports.absence_rate(date(2026, 3, 1), date(2026, 3, 31))["Pair"] == D("4.08")


def test_upcoming_lists_a_page_and_the_export_lists_all(client, hr_admin, holiday, monkeypatch):
    from timeoff.models import LeaveRequest

    monkeypatch.setattr(reports, "UPCOMING_ON_PAGE", 2)
    start = timezone.localdate() + timedelta(days=1)
    people = [EmployeeFactory() for _ in range(3)]
    for person in people:
        LeaveRequest.objects.create(employee=person, leave_type=holiday, first_day=start,
                                    last_day=start, amount=D("1"), status="approved")
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    page = client.get(reverse("timeoff:reports")).content.decode()
    assert "The first 2 of 3" in page
    csv = client.get(reverse("timeoff:report_export", args=["upcoming", "csv"])).content.decode()
    assert all(p.employee_number in csv for p in people)


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="PostgreSQL raises on a 64-bit overflow; SQLite turns it into a float")
def test_liability_past_64_bit_integers_is_computed_person_by_person(holiday):
    # 999,999 days untaken at 9,999,999,999.99 a year: U x S = 999999000 x 999999999999
    # overflows BIGINT; the report falls back to owed() for everyone instead of an error:
    # 9,999,999,999.99 / 52 / 5 = 38,461,538.4615... a day x 999,999 = 38,461,499,999,961.54
    dept = DepartmentFactory(name="Huge")
    person = _person(dept, annual_salary=D("9999999999.99"))
    entry_post(employee=person, leave_type=holiday, kind="opening", amount=D("999999"),
               effective_date=date(2026, 1, 1), reason="opening")
    (line,) = [x for x in reports.balances_by_department(holiday, date(2026, 6, 1),
                                                         with_pay=True) if x.name == "Huge"]
    assert line.liability == {"GBP": D("38461499999961.54")}


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(unit=st.sampled_from(["days", "hours"]), hourly=st.booleans(),
       cents=st.integers(100, 50_000_000), ten_thousandths=st.integers(1, 2_000_000),
       thousandths=st.integers(1, 400_000), fte=st.integers(10, 1500))
def test_the_sql_liability_equals_the_rule_for_any_pay(db, unit, hourly, cents,
                                                       ten_thousandths, thousandths, fte):
    """For any salary (1.00 .. 500,000.00) or hourly rate (0.0001 .. 200), untaken amount
    (0.001 .. 400) and FTE (0.01 .. 1.5): the database's integer rounding gives owed()'s cent."""
    from tests.factories.timeoff import leave_type as make_type
    from timeoff.entitlement import Pattern

    units, full_time = D(thousandths) / 1000, D(fte) / 1000
    pay = ({"basis": "hourly", "annual_salary": None, "hourly_rate": D(ten_thousandths) / 10000}
           if hourly else {"annual_salary": D(cents) / 100})
    with transaction.atomic():
        kind = make_type("holiday")
        kind.unit = unit
        kind.save(update_fields=["unit"])
        person = _person(DepartmentFactory(name="Any"), str(full_time), **pay)
        entry_post(employee=person, leave_type=kind, kind="opening", amount=units,
                   effective_date=date(2026, 1, 1), reason="opening")
        (line,) = [x for x in reports.balances_by_department(kind, date(2026, 6, 1),
                                                             with_pay=True) if x.name == "Any"]
        record = person.compensation_records.get()
        expected = reports.owed(units, (record.basis, record.annual_salary, record.hourly_rate,
                                        "GBP"), Pattern.standard(D("37.5") * full_time), unit)
        # None: no day rate (nothing owed, no line); 0.00: owed rounds to nothing
        assert line.liability == ({"GBP": expected} if expected is not None else {})
        transaction.set_rollback(True)
