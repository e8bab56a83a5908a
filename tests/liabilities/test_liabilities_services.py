"""Taxes to pay from real rows: only finalised payslips count, settings and payments are
audited, partial payments leave the rest, only a Payroll Admin records, overdue ones notify."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from liabilities.employers import legal_employer_get, legal_employers
from liabilities.models import LiabilityPayment
from liabilities.selectors import form_941, liabilities_for
from liabilities.services import (
    PaymentData,
    employer_settings_update,
    liability_payment_record,
    overdue_notify,
)
from notifications.models import Notification
from payroll.models import PayRun
from tests.factories import EmployeeFactory
from tests.factories.liabilities import (
    employer_schedule,
    finalised_payslips,
    uk_lines,
    us_lines,
)

pytestmark = pytest.mark.django_db
KEY = "paye|2026-27:M08"


@pytest.fixture
def uk_month():
    """Tax month 8 of 2026-27: two finalised payslips (one with SMP recovered), and a draft
    run in the same month that must not count."""
    schedule = employer_schedule()
    a, b = EmployeeFactory(), EmployeeFactory()
    finalised_payslips(schedule, date(2026, 11, 27), [
        {"employee": a, "lines": uk_lines("400.00", "200.00", "300.00", sl="150.00")},
        {"employee": b, "lines": uk_lines("250.00", "120.00", "180.00", pgl="60.00"),
         "increments": {"uk_smp": "800.00", "uk_smp_recovered": "736.00",
                        "uk_smp_nic_compensation": "0.00"}}])
    other = employer_schedule(name="UK off-cycle")
    finalised_payslips(other, date(2026, 11, 28), [
        {"employee": a, "lines": uk_lines("999.00", "0", "0")}], status=PayRun.Status.APPROVED)
    return legal_employer_get("gb", "123_AB45678")


def _item(employer, key=KEY):
    items, _schedules = liabilities_for(employer)
    return next(i for i in items if i.payment_key == key)


def test_p32_month_from_finalised_payslips_with_the_allowance_claimed(uk_month, payroll_admin):
    # given the Employment Allowance claimed for 2026-27
    employer_settings_update(employer=uk_month, values={"employment_allowance_years":
                                                        ["2026-27"]}, acting_user=payroll_admin)
    # when
    item = _item(legal_employer_get("gb", "123_AB45678"))
    # then (hand-computed in test_hmrc_p32): 1,660 - 736 - 480 = 444.00, due 22 Dec 2026
    assert item.amount == D("444.00") and item.due == date(2026, 12, 22)
    assert item.detail.statutory_recovered == D("736.00")
    assert AuditEvent.objects.filter(object_type="liabilities.employer",
                                     note="tax liability settings").exists()


def test_partial_payments_leave_the_rest_and_overpaying_is_refused(uk_month, payroll_admin):
    # given no Employment Allowance: 1,660 - 736 recovered = 924.00 due
    # when 500 is paid, then 424 is left
    liability_payment_record(employer=uk_month, acting_user=payroll_admin, data=PaymentData(
        KEY, D("500.00"), date(2026, 11, 29), "HMRC-REF-1"))
    assert _item(uk_month).remaining == D("424.00")
    with pytest.raises(ValidationError, match=r"424\.00 left"):
        liability_payment_record(employer=uk_month, acting_user=payroll_admin,
                                 data=PaymentData(KEY, D("424.01"), date(2026, 11, 29)))
    liability_payment_record(employer=uk_month, acting_user=payroll_admin,
                             data=PaymentData(KEY, D("424.00"), date(2026, 11, 30)))
    assert _item(uk_month).remaining == 0
    assert AuditEvent.objects.filter(object_type="liabilities.liabilitypayment").count() == 2


@pytest.mark.parametrize("who", ["hr_admin", "hr_staff"])
def test_only_a_payroll_admin_records_a_payment(uk_month, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        liability_payment_record(employer=uk_month, acting_user=user,
                                 data=PaymentData(KEY, D("1.00"), date(2026, 11, 29)))
    assert not LiabilityPayment.objects.exists()


def test_unknown_liability_or_future_date_is_refused(uk_month, payroll_admin):
    with pytest.raises(ValidationError, match="no such liability"):
        liability_payment_record(employer=uk_month, acting_user=payroll_admin,
                                 data=PaymentData("paye|2026-27:M01", D("1.00"),
                                                  date(2026, 11, 29)))
    with pytest.raises(ValidationError):
        liability_payment_record(employer=uk_month, acting_user=payroll_admin,
                                 data=PaymentData(KEY, D("1.00"), date(2999, 1, 1)))


def test_overdue_liability_notifies_each_payroll_admin_once(uk_month, payroll_admin,
                                                            second_payroll_admin, hr_admin):
    # given the 22 Dec 2026 due date has passed with nothing paid
    assert overdue_notify(today=date(2026, 12, 22)) == 0
    # when the daily job runs twice
    assert overdue_notify(today=date(2026, 12, 23)) == 1
    overdue_notify(today=date(2026, 12, 24))
    # then each Payroll Admin has one notification, nobody else
    rows = Notification.objects.filter(kind="liability_overdue")
    assert sorted(rows.values_list("recipient__email", flat=True)) == sorted(
        [payroll_admin.email, second_payroll_admin.email])
    assert "924.00 left to pay" in rows.first().text


def test_schedules_without_a_reference_are_named_not_guessed(db):
    employer_schedule()
    employer_schedule(name="No ref", reference="").save()
    from payroll.models import PaySchedule

    PaySchedule.objects.filter(name="No ref").update(employer_paye_reference="")
    employers, unreferenced = legal_employers()
    assert [e.reference for e in employers] == ["123/AB45678"] and unreferenced == ["No ref"]


def _us_employer(people: int, ein: str = "12-3456789"):
    schedule = employer_schedule(country="US", name=f"US {ein}", reference=ein)
    staff = [EmployeeFactory() for _ in range(people)]
    for day in (date(2026, 10, 30), date(2026, 11, 27)):
        finalised_payslips(schedule, day, [
            {"employee": e, "lines": us_lines(), "gross": "3000.00",
             "increments": {"us_income_tax_wages": "3000.00", "us_fica_wages": "3000.00"}}
            for e in staff])
    return legal_employer_get("us", ein)


def test_us_monthly_deposits_and_the_941_quarter_from_payslips(payroll_admin):
    employer = _us_employer(2)
    items, schedules = liabilities_for(employer)
    assert schedules[2026][0] == "monthly"  # a new employer
    deposits = [i for i in items if i.tax == "941"]
    # per person 300 + 2 x 186 + 2 x 43.50 = 759.00; October's due Monday 16 Nov (15th Sunday)
    assert [(d.due, d.amount) for d in deposits] == [(date(2026, 11, 16), D("1518.00")),
                                                     (date(2026, 12, 15), D("1518.00"))]
    liability_payment_record(employer=employer, acting_user=payroll_admin, data=PaymentData(
        deposits[0].payment_key, D("1518.00"), date(2026, 11, 13), "EFTPS 1"))
    form = form_941(legal_employer_get("us", "12-3456789"), 2026, 4)
    assert form.lines["2"] == D("12000.00") and form.lines["12"] == D("3036.00")
    assert form.lines["13"] == D("1518.00") and form.lines["14"] == D("1518.00")


def test_us_liabilities_queries_do_not_grow_with_headcount():
    def count(people: int, ein: str) -> int:
        employer = _us_employer(people, ein)
        with CaptureQueriesContext(connection) as ctx:
            liabilities_for(employer)
            form_941(employer, 2026, 4)
        return len(ctx)

    # aggregates per pay date and per employer, never a query per payslip
    assert count(2, "12-3456789") == count(10, "98-7654321")


def test_lookback_taxes_over_50000_make_a_semiweekly_depositor(payroll_admin):
    # given 2025 look-back taxes paid before HROps (1 Jul 2024 - 30 Jun 2025)
    employer = _us_employer(1)
    employer_settings_update(employer=employer, acting_user=payroll_admin,
                             values={"lookback_prior_total": D("50000.01")})
    items, schedules = liabilities_for(legal_employer_get("us", "12-3456789"))
    assert schedules[2026][0] == "semiweekly"
    # Friday 30 Oct 2026 -> Wednesday 4 Nov; Friday 27 Nov -> Wednesday 2 Dec
    assert [i.due for i in items if i.tax == "941"] == [date(2026, 11, 4), date(2026, 12, 2)]


def test_uk_p32_queries_do_not_grow_with_headcount():
    def count(people: int, reference: str) -> int:
        schedule = employer_schedule(name=reference, reference=reference)
        finalised_payslips(schedule, date(2026, 11, 27), [
            {"employee": EmployeeFactory(), "lines": uk_lines(),
             "increments": {"uk_smp_recovered": "10.00"}} for _ in range(people)])
        employer = legal_employer_get("gb", reference.replace("/", "_"))
        with CaptureQueriesContext(connection) as ctx:
            liabilities_for(employer)
        return len(ctx)

    assert count(2, "123/A1") == count(10, "123/A2")
