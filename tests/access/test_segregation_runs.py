"""Segregation of duties in pay runs (issue 12 item 2): nobody approves a run containing their own
payslip, and a run flags payslips whose pay or bank details the calculator changed since the
last run."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from employees.services.bank import bank_account_add
from employees.services.changes import compensation_change
from employees.services.core import PayData
from payroll.models import PayRun
from payroll.services.runs import run_approve, run_calculate
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import calculated_run, finalised_run

pytestmark = pytest.mark.django_db

CODE = "changed_by_calculator"
ACCOUNT = {"holder_name": "A Person", "scheme": "iban", "country": "GB",
           "account_type": "checking", "iban": "GB33BUKB20201555555555", "bic": "BUKBGB22"}


def _flags(run, employee) -> list[str]:
    return [f["code"] for f in run.payslips.get(employee=employee).flags]


def test_nobody_approves_a_run_with_their_own_payslip(uk_schedule, payroll_admin,
                                                      second_payroll_admin,
                                                      django_capture_on_commit_callbacks):
    # given: the second Payroll Admin is paid on this schedule
    paid_employee(uk_schedule)
    paid_employee(uk_schedule, user=second_payroll_admin)
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)

    # when / then: they may not approve it (four-eyes is satisfied, but it is their own pay)
    with pytest.raises(ValidationError, match="your own payslip"):
        run_approve(run=run, acting_user=second_payroll_admin)
    run.refresh_from_db()
    assert run.status == PayRun.Status.CALCULATED


def test_own_payslip_refusal_is_a_message_on_the_run_page(client_for, uk_schedule,
                                                          payroll_admin, second_payroll_admin,
                                                          django_capture_on_commit_callbacks):
    paid_employee(uk_schedule, user=second_payroll_admin)
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)

    page = client_for(second_payroll_admin).post(
        reverse("payroll:run_action", args=[run.pk, "approve"]), follow=True)

    assert "contains your own payslip" in page.text
    run.refresh_from_db()
    assert run.status == PayRun.Status.CALCULATED


def test_someone_not_in_the_run_still_approves(uk_schedule, payroll_admin, second_payroll_admin,
                                               django_capture_on_commit_callbacks):
    paid_employee(uk_schedule, user=payroll_admin)  # the calculator's own payslip is in it
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)

    run_approve(run=run, acting_user=second_payroll_admin)

    run.refresh_from_db()
    assert run.status == PayRun.Status.APPROVED


def test_payslip_whose_pay_the_calculator_raised_is_flagged(uk_schedule, payroll_admin,
                                                            second_payroll_admin,
                                                            django_capture_on_commit_callbacks):
    # given: the calculator raises one person's pay; someone else changes another's bank
    raised, banked, untouched = (paid_employee(uk_schedule) for _ in range(3))
    compensation_change(acting_user=payroll_admin, employee=raised,
                        effective_date=date(2025, 4, 1),
                        pay=PayData(basis="salary", annual_salary=Decimal("90000"), currency="GBP",
                                    pay_schedule=uk_schedule), reason="merit_increase")
    bank_account_add(acting_user=second_payroll_admin, employee=banked, details=ACCOUNT,
                     make_primary=True)

    # when
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)

    # then: only the payslip the calculator touched carries the flag (a review flag)
    assert CODE in _flags(run, raised)
    assert CODE not in _flags(run, banked)
    assert CODE not in _flags(run, untouched)
    flag = next(f for f in run.payslips.get(employee=raised).flags if f["code"] == CODE)
    assert "pay" in flag["message"] and not flag["blocking"]
    assert run.payslips.filter(employee=raised).count() == 1


def test_bank_change_by_the_calculator_is_flagged_too(uk_schedule, payroll_admin,
                                                      django_capture_on_commit_callbacks):
    person = paid_employee(uk_schedule)
    bank_account_add(acting_user=payroll_admin, employee=person, details=ACCOUNT,
                     make_primary=True)

    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)

    flag = next(f for f in run.payslips.get(employee=person).flags if f["code"] == CODE)
    assert "bank details" in flag["message"]


def test_a_change_before_the_last_finalised_run_is_not_flagged_again(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    person = paid_employee(uk_schedule)
    bank_account_add(acting_user=payroll_admin, employee=person, details=ACCOUNT,
                     make_primary=True)
    finalised_run(uk_schedule, 1, second_payroll_admin, payroll_admin,
                  django_capture_on_commit_callbacks)

    run = calculated_run(uk_schedule, 2, payroll_admin, django_capture_on_commit_callbacks)

    assert CODE not in _flags(run, person)


def test_flag_follows_whoever_calculates(uk_schedule, payroll_admin, second_payroll_admin,
                                         django_capture_on_commit_callbacks):
    # the flag is about the calculator: recalculated by someone else, it goes away
    person = paid_employee(uk_schedule)
    bank_account_add(acting_user=payroll_admin, employee=person, details=ACCOUNT,
                     make_primary=True)
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    assert CODE in _flags(run, person)

    with django_capture_on_commit_callbacks(execute=True):
        run_calculate(run=run, acting_user=second_payroll_admin)

    run.refresh_from_db()
    assert CODE not in _flags(run, person)
