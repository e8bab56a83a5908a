"""Accrual, carry-over and expiry jobs: hand-computed amounts, posted once whatever the re-runs."""

from datetime import date
from decimal import Decimal as D

import pytest

from delivery.models import DeliveryItem
from delivery.services import delivery_run
from tests.factories.employees import EmployeeFactory
from tests.factories.timeoff import LeavePolicyFactory
from timeoff.models import LedgerEntry
from timeoff.services.jobs import accrual_post, accrual_run, year_end_run
from timeoff.services.ledger import balance
from timeoff.services.patterns import working_pattern_set
from timeoff.services.requests import Dates, request_approve, request_create

pytestmark = pytest.mark.django_db


def test_front_loaded_year_posts_once(holiday, policy):
    # given: a full-timer since 2024 and a joiner on 1 July 2026 (184 of 365 days)
    old = EmployeeFactory(hire_date=date(2024, 1, 8))
    new = EmployeeFactory(hire_date=date(2026, 7, 1))
    # when: the job runs three times
    for _ in range(3):
        accrual_post(employee_ids=[old.pk, new.pk], on=date(2026, 7, 2))
    # then: 25 days, and 25 x 184/365 = 12.6027 -> 12.60, each posted once
    assert balance(old, holiday, date(2026, 12, 31)) == D("25")
    assert balance(new, holiday, date(2026, 12, 31)) == D("12.60")
    assert LedgerEntry.objects.count() == 2
    assert LedgerEntry.objects.get(employee=new).effective_date == date(2026, 7, 1)


def test_monthly_accrual_posts_the_month_before(holiday):
    LeavePolicyFactory(leave_type=holiday, method="monthly", annual_amount=D("24"))
    person = EmployeeFactory(hire_date=date(2024, 1, 8))
    part = EmployeeFactory(hire_date=date(2024, 1, 8), fte=D("0.5"))
    for day in (date(2026, 3, 1), date(2026, 3, 2), date(2026, 4, 1)):
        accrual_post(employee_ids=[person.pk, part.pk], on=day)
    # 24 / 12 = 2 a month, February and March; half-time: 1 a month
    assert balance(person, holiday, date(2026, 3, 31)) == D("4")
    assert balance(part, holiday, date(2026, 3, 31)) == D("2")
    assert sorted(LedgerEntry.objects.filter(employee=person).values_list("period", flat=True)) \
        == ["2026-02", "2026-03"]


def test_uk_statutory_follows_the_working_pattern(holiday, hr_admin):
    LeavePolicyFactory(leave_type=holiday, method="uk_statutory", annual_amount=D("0"))
    person = EmployeeFactory(hire_date=date(2024, 1, 8))
    working_pattern_set(employee=person, effective_from=date(2024, 1, 8),
                        hours=["7.5", "7.5", "7.5", 0, 0, 0, 0], acting_user=hr_admin)
    accrual_post(employee_ids=[person.pk], on=date(2026, 1, 1))
    assert balance(person, holiday, date(2026, 1, 1)) == D("16.8")  # 3 days x 5.6


def test_policies_are_assigned_by_conditions(holiday):
    from tests.factories.employees import DepartmentFactory

    sales = DepartmentFactory()
    LeavePolicyFactory(leave_type=holiday, annual_amount=D("30"), priority=1,
                       departments=[sales.pk])
    LeavePolicyFactory(leave_type=holiday, annual_amount=D("25"), priority=2)
    seller = EmployeeFactory(department=sales)
    other = EmployeeFactory()
    accrual_post(employee_ids=[seller.pk, other.pk], on=date(2026, 1, 1))
    assert balance(seller, holiday, date(2026, 1, 1)) == D("30")
    assert balance(other, holiday, date(2026, 1, 1)) == D("25")


def test_the_run_fans_out_as_delivery_items(holiday, policy):
    people = [EmployeeFactory() for _ in range(3)]
    accrual_run(on=date(2026, 1, 1))
    accrual_run(on=date(2026, 1, 1))  # the same items again: nothing new
    items = list(DeliveryItem.objects.filter(kind="timeoff.accrual_chunk"))
    assert len(items) == 1 and sorted(items[0].payload["ids"]) == sorted(p.pk for p in people)
    delivery_run(item_id=items[0].pk)
    assert LedgerEntry.objects.filter(kind="accrual").count() == 3


def test_year_end_carries_over_up_to_the_limit_and_expires_only_unused(org, holiday, policy):
    # given: 25 days for 2026, 20 taken, a limit of 3 that expires after 3 months
    policy.carry_over_limit = D("3")
    policy.carry_over_expiry_months = 3
    policy.save()
    accrual_post(employee_ids=[org.report.pk], on=date(2026, 1, 1))
    request = request_create(employee=org.report, leave_type=holiday,
                             dates=Dates(date(2026, 6, 1), date(2026, 6, 26)),
                             acting_user=org.users["employee"])
    request_approve(request=request, acting_user=org.users["manager"])
    assert balance(org.report, holiday, date(2026, 12, 31)) == D("5")
    # when: the year end runs (twice), then 2027 is posted and 1 day is taken in February
    year_end_run(on=date(2027, 1, 1))
    year_end_run(on=date(2027, 1, 2))
    accrual_post(employee_ids=[org.report.pk], on=date(2027, 1, 1))
    # then: 5 left, 3 carried, 2 forfeited
    assert balance(org.report, holiday, date(2027, 1, 1)) == D("28")
    feb = request_create(employee=org.report, leave_type=holiday,
                         dates=Dates(date(2027, 2, 1), date(2027, 2, 1)),
                         acting_user=org.users["employee"])
    request_approve(request=feb, acting_user=org.users["manager"])
    # on 1 April 2027 only the 2 carried days not used expire, once
    year_end_run(on=date(2027, 4, 1))
    year_end_run(on=date(2027, 4, 5))
    assert balance(org.report, holiday, date(2027, 4, 1)) == D("25")
    kinds = list(LedgerEntry.objects.filter(employee=org.report).exclude(kind="taken")
                 .order_by("effective_date", "id").values_list("kind", "amount"))
    assert kinds == [("accrual", D("25.000")), ("expiry", D("-5.000")),
                     ("carry_over", D("3.000")), ("accrual", D("25.000")),
                     ("expiry", D("-2.000"))]


def test_irregular_hours_accrue_12_07_percent_of_finalised_hours():
    from tests.factories.payroll_outputs import finalised_run
    from tests.factories.timeoff import leave_type

    # given: 100 hours paid on a finalised November payslip, and one person on a contract
    # policy that wins by priority (so no hourly accrual for them)
    pto = leave_type("holiday", "hours")
    casual = EmployeeFactory(employment_type="temporary")
    salaried = EmployeeFactory()
    LeavePolicyFactory(leave_type=pto, method="front_loaded", annual_amount=D("0"),
                       priority=1, employment_types=["full_time"])
    LeavePolicyFactory(leave_type=pto, method="irregular", annual_amount=D("0"), priority=2)
    hours = (("HOURS", "Hours", "earning", "100", "15.000000", "1500.00"),)
    finalised_run([casual, salaried], lines=hours)
    # when the job runs twice
    accrual_post(employee_ids=[casual.pk, salaried.pk], on=date(2026, 12, 1))
    accrual_post(employee_ids=[casual.pk, salaried.pk], on=date(2026, 12, 2))
    # then 12.07% of 100 h = 12.07 h, once; nothing for the front-loaded person
    assert balance(casual, pto, date(2026, 12, 1)) == D("12.07")
    assert not LedgerEntry.objects.filter(employee=salaried).exists()


def test_accrual_per_pay_period_follows_the_persons_schedule(holiday, payroll_admin):
    # given a biweekly schedule (periods of 14 days from 27 Dec 2025) and 26 days a year:
    # 26 / 26 = 1 day a pay period
    from payroll.services.periods import periods_generate
    from tests.factories.employees import CompensationRecordFactory
    from tests.factories.payroll_runs import USBiweeklyScheduleFactory

    schedule = USBiweeklyScheduleFactory()
    periods_generate(schedule=schedule, until=date(2026, 3, 31), acting_user=payroll_admin)
    LeavePolicyFactory(leave_type=holiday, method="pay_period", annual_amount=D("26"))
    old = EmployeeFactory(hire_date=date(2024, 1, 8))
    joiner = EmployeeFactory(hire_date=date(2026, 1, 17))  # 7 of period 2's 14 days
    nobody = EmployeeFactory(hire_date=date(2024, 1, 8))  # no pay schedule: nothing
    for person in (old, joiner):
        CompensationRecordFactory(employee=person, effective_date=person.hire_date,
                                  pay_schedule=schedule, currency="USD")
    # when the job runs twice on 10 Feb and again the next day
    for day in (date(2026, 2, 10), date(2026, 2, 10), date(2026, 2, 11)):
        accrual_post(employee_ids=[old.pk, joiner.pk, nobody.pk], on=day)
    # then the periods that ended (27 Dec-9 Jan, 10-23 Jan, 24 Jan-6 Feb) posted once each
    assert balance(old, holiday, date(2026, 2, 10)) == D("3")
    assert balance(joiner, holiday, date(2026, 2, 10)) == D("1.5")  # 0.5 + 1
    assert balance(nobody, holiday, date(2026, 2, 10)) == D("0")
    entries = LedgerEntry.objects.filter(employee=old).order_by("effective_date")
    assert [e.effective_date for e in entries] == [
        date(2026, 1, 9), date(2026, 1, 23), date(2026, 2, 6)]
    assert all(e.period.startswith("pp:") for e in entries)


def test_one_accrual_per_pay_period_is_enforced_by_the_database(holiday):
    from django.db import IntegrityError, transaction

    policy = LeavePolicyFactory(leave_type=holiday, method="pay_period", annual_amount=D("26"))
    person = EmployeeFactory(hire_date=date(2024, 1, 8))
    row = dict(employee=person, leave_type=holiday, policy=policy, kind="accrual",
               amount=D("1"), effective_date=date(2026, 1, 9), period="pp:1")
    LedgerEntry.objects.create(**row)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(**row)
