"""Payroll's retention hook: which leavers' payroll records are past the statutory minimum.
US (IRS): 4 years after the year's Q4 returns (due 31 January) -> due 1 February Y+5.
UK (HMRC): 3 years from the end of the tax year (5 April) -> due 6 April."""

from datetime import date, timedelta

import pytest

from employees.models import Employee
from payroll.retention import due_on, last_due_pay_date, retention_due
from tests.factories import EmployeeFactory
from tests.factories.payroll_history import paid_on


def leaver(**kwargs) -> Employee:
    return EmployeeFactory(hire_date=date(2015, 1, 5), status=Employee.Status.TERMINATED,
                           termination_date=date(2021, 6, 30), **kwargs)


# --- pure rules ------------------------------------------------------------------------------

@pytest.mark.parametrize(("pay_date", "expected"), [
    (date(2020, 1, 1), date(2025, 2, 1)),
    (date(2020, 12, 31), date(2025, 2, 1)),
    (date(2021, 1, 1), date(2026, 2, 1)),
])
def test_us_records_are_due_four_years_after_the_q4_returns(pay_date, expected):
    assert due_on("US", pay_date) == expected


@pytest.mark.parametrize(("pay_date", "expected"), [
    (date(2021, 4, 5), date(2024, 4, 6)),   # last day of tax year 2020-21
    (date(2021, 4, 6), date(2025, 4, 6)),   # first day of tax year 2021-22
    (date(2020, 4, 6), date(2024, 4, 6)),
])
def test_uk_records_are_due_three_years_after_the_tax_year_ends(pay_date, expected):
    assert due_on("GB", pay_date) == expected
    assert due_on("UK", pay_date) == expected


def test_no_rule_no_due_date():
    assert due_on("FR", date(2010, 1, 1)) is None
    assert last_due_pay_date("FR", date(2030, 1, 1)) is None


@pytest.mark.parametrize("country", ["US", "GB"])
def test_query_cutoff_agrees_with_due_date(country):
    # The SQL filter (pay date <= cutoff) must select exactly the pay dates that are due.
    pay_dates = [date(y, m, d) for y in range(2014, 2024)
                 for m, d in ((1, 1), (1, 31), (2, 1), (4, 5), (4, 6), (12, 31))]
    today = date(2023, 1, 1)
    while today < date(2027, 1, 1):
        cutoff = last_due_pay_date(country, today)
        for pay_date in pay_dates:
            assert (due_on(country, pay_date) <= today) == (pay_date <= cutoff), (today, pay_date)
        today += timedelta(days=1)


# --- the hook --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_us_boundary_day_before_and_day_of():
    # given a leaver last paid in (US tax year) 2020
    person = leaver()
    paid_on([person], pay_date=date(2020, 6, 30), country="US")
    paid_on([person], pay_date=date(2020, 12, 31), country="US")
    # then nothing on 31 January 2025 (IRS period still running) ...
    assert retention_due(date(2025, 1, 31)) == []
    # ... and one item, for the whole tax year, on 1 February 2025
    [item] = retention_due(date(2025, 2, 1))
    assert item["kind"] == "payroll_records" and item["employee_id"] == person.pk
    assert item["due_on"] == "2025-02-01" and item["tax_year"] == "2020"
    assert item["country"] == "US" and item["last_pay_date"] == "2020-12-31"
    assert "2020" in item["label"] and person.employee_number in item["label"]


@pytest.mark.django_db
def test_uk_tax_year_boundary_5_april_vs_6_april():
    # given pay on the last day of 2020-21 and on the first day of 2021-22
    person = leaver()
    paid_on([person], pay_date=date(2021, 4, 5), country="GB")
    paid_on([person], pay_date=date(2021, 4, 6), country="GB")
    # then
    assert retention_due(date(2024, 4, 5)) == []
    assert [(i["tax_year"], i["due_on"]) for i in retention_due(date(2024, 4, 6))] == [
        ("2020-21", "2024-04-06")]
    assert len(retention_due(date(2025, 4, 5))) == 1
    assert [(i["tax_year"], i["due_on"]) for i in retention_due(date(2025, 4, 6))] == [
        ("2020-21", "2024-04-06"), ("2021-22", "2025-04-06")]


@pytest.mark.django_db
def test_one_item_per_employee_country_and_tax_year():
    # given two leavers paid in the US and the UK over two tax years each
    first, second = leaver(), leaver()
    for pay_date in (date(2018, 3, 31), date(2018, 12, 31), date(2019, 1, 31)):
        paid_on([first, second], pay_date=pay_date, country="US")
        paid_on([first], pay_date=pay_date, country="GB")
    # when
    items = retention_due(date(2026, 1, 1))
    # then US 2018 (due 2023-02-01), US 2019 (2024-02-01); UK 2017-18 (2021-04-06) and
    # 2018-19 (2022-04-06) for the first only
    got = sorted((i["employee_id"], i["country"], i["tax_year"], i["due_on"]) for i in items)
    assert got == sorted([
        (first.pk, "GB", "2017-18", "2021-04-06"), (first.pk, "GB", "2018-19", "2022-04-06"),
        (first.pk, "US", "2018", "2023-02-01"), (first.pk, "US", "2019", "2024-02-01"),
        (second.pk, "US", "2018", "2023-02-01"), (second.pk, "US", "2019", "2024-02-01"),
    ])
    assert {i["last_pay_date"] for i in items if i["tax_year"] == "2018"} == {"2018-12-31"}


@pytest.mark.django_db
def test_current_employees_and_draft_results_are_never_listed():
    # given people still employed (active, on leave), paid long ago
    active = EmployeeFactory(hire_date=date(2010, 1, 4))
    on_leave = EmployeeFactory(hire_date=date(2010, 1, 4), status=Employee.Status.ON_LEAVE)
    paid_on([active, on_leave], pay_date=date(2012, 5, 31), country="US")
    paid_on([active, on_leave], pay_date=date(2012, 5, 31), country="GB")
    # and a leaver whose only old result is a draft (never finalised)
    person = leaver()
    paid_on([person], pay_date=date(2012, 6, 30), country="GB", finalise=False)
    # then nothing is due
    assert retention_due(date(2030, 1, 1)) == []


@pytest.mark.django_db
def test_countries_without_a_rule_are_not_listed():
    # given a leaver paid long ago on a French schedule (no rule here: not guessed)
    paid_on([leaver()], pay_date=date(2012, 6, 30), country="FR")
    assert retention_due(date(2030, 1, 1)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("people", [2, 20])
def test_one_query_whatever_the_number_of_employees(people, django_assert_num_queries):
    # given leavers with two US and two UK tax years each
    staff = [leaver() for _ in range(people)]
    for pay_date in (date(2016, 6, 30), date(2017, 6, 30)):
        paid_on(staff, pay_date=pay_date, country="US")
        paid_on(staff, pay_date=pay_date, country="GB")
    # when / then: one grouped query (payslip JOIN run, schedule, employee)
    with django_assert_num_queries(1):
        items = retention_due(date(2026, 1, 1))
    assert len(items) == people * 4
