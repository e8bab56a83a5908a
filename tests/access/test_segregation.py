"""Segregation of duties (issue 12, High): nobody changes their own pay, bank, tax setup,
recurring items or run inputs, nor decides their own request - through views, admin, services
and imports alike. Staff use the employees' own self-service request instead."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from employees.access import Section, SelfChangeForbidden, can_change
from employees.models import BankAccount, BankChangeRequest, CompensationRecord
from employees.services.bank import (
    bank_account_add,
    bank_change_request_approve,
    bank_change_request_create,
    bank_change_request_reject,
)
from employees.services.changes import compensation_change
from employees.services.core import PayData
from employees.services.imports import import_run
from payroll.models import EmployeePayItem, PayComponent, RunInput, TaxProfile
from payroll.services.inputs import run_input_set, run_inputs_import
from payroll.services.runs import run_create
from payroll.services.setup import tax_profile_save
from tests.factories import UserFactory
from tests.factories.employees_records import GB_IBAN

pytestmark = pytest.mark.django_db

NEW_ACCOUNT = {"holder_name": "Me Myself", "scheme": "iban", "country": "GB",
               "account_type": "checking", "iban": "GB33BUKB20201555555555", "bic": "BUKBGB22"}


def _salary_post(amount: str) -> dict:
    return {"pay-effective_date": date.today().isoformat(), "pay-basis": "salary",
            "pay-amount": amount, "pay-currency": "GBP", "pay-reason": "merit_increase",
            "pay-note": ""}


def _current_salaries(employee) -> list[Decimal]:
    return list(CompensationRecord.objects.filter(employee=employee)
                .values_list("annual_salary", flat=True))


@pytest.mark.parametrize("role", ["payroll_admin", "hr_admin", "hr_staff"])
def test_staff_cannot_raise_their_own_salary_through_the_profile(request, role, client_for,
                                                                 paid_self):
    # given: a staff member on 38,000
    user = request.getfixturevalue(role)
    me = paid_self(user)
    # when: they post a raise to 250,000 on their own compensation tab
    response = client_for(user).post(reverse("employees:compensation", args=[me.pk]),
                                     _salary_post("250000"))
    # then: refused, and pay is unchanged
    assert response.status_code == 403
    assert _current_salaries(me) == [Decimal("38000.00")]


@pytest.mark.parametrize("role", ["payroll_admin", "hr_admin"])
def test_staff_cannot_add_their_own_bank_account_through_the_bank_tab(request, role, client_for,
                                                                      paid_self):
    # given
    user = request.getfixturevalue(role)
    me = paid_self(user)
    before = list(BankAccount.objects.filter(employee=me).values_list("pk", "is_primary"))
    # when
    response = client_for(user).post(reverse("employees:bank_account_add", args=[me.pk]),
                                     NEW_ACCOUNT)
    # then
    assert response.status_code == 403
    assert list(BankAccount.objects.filter(employee=me).values_list("pk", "is_primary")) == before


def test_colleague_still_changes_a_staff_members_pay(client_for, hr_admin, payroll_admin,
                                                     paid_self):
    # given: the Payroll Admin's own record
    me = paid_self(payroll_admin)
    # when: the HR Admin (someone else) raises it
    response = client_for(hr_admin).post(reverse("employees:compensation", args=[me.pk]),
                                         _salary_post("40000"))
    # then
    assert response.status_code == 302
    assert Decimal("40000.00") in _current_salaries(me)


def test_services_refuse_self_changes_whoever_calls_them(payroll_admin, paid_self,
                                                         uk_schedule):
    # given
    me = paid_self(payroll_admin)
    # when / then: every pay and bank write refuses the acting user's own record
    with pytest.raises(SelfChangeForbidden):
        compensation_change(acting_user=payroll_admin, employee=me, effective_date=date.today(),
                            reason="merit_increase", pay=PayData(basis="salary", currency="GBP",
                                                        annual_salary=Decimal("250000"),
                                                        pay_schedule=uk_schedule))
    with pytest.raises(SelfChangeForbidden):
        bank_account_add(acting_user=payroll_admin, employee=me, details=NEW_ACCOUNT)
    profile = TaxProfile.objects.get(employee=me)
    profile.tax_code = "NT"
    with pytest.raises(SelfChangeForbidden):
        tax_profile_save(profile=profile, acting_user=payroll_admin)
    assert TaxProfile.objects.get(employee=me).tax_code == "1257L"
    assert _current_salaries(me) == [Decimal("38000.00")]


def test_payroll_admin_cannot_enter_their_own_run_inputs(payroll_admin, paid_self, uk_schedule):
    # given: a draft run that pays the Payroll Admin
    me = paid_self(payroll_admin)
    bonus = PayComponent.objects.create(code="BONUS", name="Bonus", kind="earning",
                                        calculation="fixed")
    run = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                     acting_user=payroll_admin)
    # when / then: the grid refuses
    with pytest.raises(SelfChangeForbidden):
        run_input_set(run=run, employee=me, component=bonus, acting_user=payroll_admin,
                      amount=Decimal("50000"))
    # and the CSV import names the row and writes nothing
    result = run_inputs_import(run=run, acting_user=payroll_admin, data=(
        f"employee_number,component,amount\n{me.employee_number},BONUS,50000\n").encode())
    assert result.created == 0
    assert "own inputs" in result.errors[0][1]
    assert not RunInput.objects.filter(employee=me).exists()


def test_run_input_grid_view_refuses_own_row(client_for, payroll_admin, paid_self, uk_schedule):
    # given
    me = paid_self(payroll_admin)
    bonus = PayComponent.objects.create(code="BONUS", name="Bonus", kind="earning",
                                        calculation="fixed")
    run = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                     acting_user=payroll_admin)
    # when
    response = client_for(payroll_admin).post(
        reverse("payroll:run_input_save", args=[run.pk]),
        {"employee_number": me.employee_number, "component": bonus.pk, "amount": "50000"})
    # then: the grid comes back with the reason, and nothing is written
    assert response.status_code == 400
    assert "own" in response.content.decode()
    assert not RunInput.objects.filter(employee=me).exists()


@pytest.mark.parametrize("url_name,data", [
    ("payroll:tax_profile_save", {"UK-tax_code": "NT", "UK-ni_category": "A"}),
    ("payroll:pay_item_add", {"component": "", "amount": "1000"}),
])
def test_pay_setup_of_yourself_is_forbidden(client_for, payroll_admin, paid_self, url_name,
                                            data):
    # given
    me = paid_self(payroll_admin)
    args = [me.pk, "UK"] if url_name == "payroll:tax_profile_save" else [me.pk]
    # when
    response = client_for(payroll_admin).post(reverse(url_name, args=args), data)
    # then
    assert response.status_code == 403
    assert TaxProfile.objects.get(employee=me).tax_code == "1257L"
    assert not EmployeePayItem.objects.filter(employee=me).exists()


def test_admin_pages_refuse_own_tax_profile_and_pay_items(client_for, paid_self):
    # given: an HR Admin with full Django admin rights has their own tax profile
    hr_admin = UserFactory(roles=[Role.HR_ADMIN], is_staff=True, is_superuser=True)
    me = paid_self(hr_admin)
    profile = TaxProfile.objects.get(employee=me)
    pension = PayComponent.objects.create(code="PENSION", name="Pension",
                                          kind="pre_tax_deduction", calculation="fixed")
    client = client_for(hr_admin)
    # when: they post a change to it, and add a recurring item for themself
    change = client.post(reverse("admin:payroll_taxprofile_change", args=[profile.pk]), {
        "employee": me.pk, "jurisdiction": "UK", "tax_code": "NT", "ni_category": "A"})
    add = client.post(reverse("admin:payroll_employeepayitem_add"), {
        "employee": me.pk, "component": pension.pk, "amount": "9999",
        "effective_from": "2024-01-08"})
    # then
    assert change.status_code == 403
    assert add.status_code == 403
    assert TaxProfile.objects.get(pk=profile.pk).tax_code == "1257L"
    assert not EmployeePayItem.objects.filter(employee=me).exists()


def test_staff_ask_for_their_own_bank_change_and_someone_else_approves(
        client_for, payroll_admin, second_payroll_admin, paid_self):
    # given
    me = paid_self(payroll_admin)
    # when: the Payroll Admin uses the employees' request form on their own record
    response = client_for(payroll_admin).post(
        reverse("employees:bank_request_create", args=[me.pk]), NEW_ACCOUNT)
    # then: it is a pending request, not a new account
    assert response.status_code == 302
    change = BankChangeRequest.objects.get(employee=me)
    assert change.status == BankChangeRequest.Status.PENDING
    # and they cannot approve (or reject) it themself
    with pytest.raises(SelfChangeForbidden):
        bank_change_request_approve(acting_user=payroll_admin, change=change)
    with pytest.raises(SelfChangeForbidden):
        bank_change_request_reject(acting_user=payroll_admin, change=change, reason="no")
    decide = client_for(payroll_admin).post(
        reverse("employees:bank_request_decide", args=[change.pk, "approve"]))
    assert decide.status_code == 302
    change.refresh_from_db()
    assert change.status == BankChangeRequest.Status.PENDING
    # and a colleague can
    bank_change_request_approve(acting_user=second_payroll_admin, change=change)
    assert BankAccount.objects.get(employee=me, is_primary=True).iban == NEW_ACCOUNT["iban"]


def test_bank_request_queue_marks_own_request_not_decidable(client_for, payroll_admin,
                                                            paid_self):
    # given
    me = paid_self(payroll_admin)
    bank_change_request_create(acting_user=payroll_admin, employee=me, details=NEW_ACCOUNT,
                               notify=False)
    # when
    html = client_for(payroll_admin).get(reverse("employees:bank_requests")).text
    # then
    assert "Your own request" in html
    assert reverse("employees:bank_request_decide",
                   args=[BankChangeRequest.objects.get().pk, "approve"]) not in html


def test_import_of_own_pay_change_is_a_row_error(hr_admin, paid_self):
    # given
    me = paid_self(hr_admin)
    content = (f"employee_number,effective_date,reason,amount\n"
               f"{me.employee_number},{date.today().isoformat()},merit_increase,250000\n").encode()
    # when
    result = import_run(acting_user=hr_admin, kind="changes", name="changes.csv",
                        content=content, commit=True)
    # then
    assert not result.committed
    assert any("your own" in e.message for e in result.errors)
    assert _current_salaries(me) == [Decimal("38000.00")]


def test_gate_checks_self_before_role(payroll_admin, hr_admin, paid_self, org):
    # given
    me = paid_self(payroll_admin)
    # then: on their own record a Payroll Admin has an employee's rights only
    for section in (Section.COMPENSATION, Section.BANK, Section.PAY_SETUP, Section.EMPLOYMENT,
                    Section.NATIONAL_ID):
        assert not can_change(payroll_admin, me, section)
    assert can_change(payroll_admin, me, Section.PERSONAL)
    assert can_change(payroll_admin, org.report, Section.COMPENSATION)
    assert can_change(hr_admin, me, Section.COMPENSATION)


def test_refusals_leave_no_audit_rows(payroll_admin, paid_self):
    # given
    me = paid_self(payroll_admin)
    before = AuditEvent.objects.count()
    # when
    with pytest.raises(SelfChangeForbidden):
        bank_account_add(acting_user=payroll_admin, employee=me, details={
            **NEW_ACCOUNT, "iban": GB_IBAN})
    # then
    assert AuditEvent.objects.count() == before


def test_other_self_writes_are_refused_too(payroll_admin, hr_admin, paid_self):
    from employees.models import Employee
    from employees.services.bank import national_id_set
    from employees.services.core import employee_change_status
    from payroll.models import UnpaidLeave
    from payroll.services.leave import unpaid_leave_create

    # given
    me = paid_self(payroll_admin)
    # when / then: unpaid leave (cuts pay), national ID (tax), status (leaver pay)
    with pytest.raises(SelfChangeForbidden):
        unpaid_leave_create(employee=me, first_day=date(2026, 3, 2), last_day=date(2026, 3, 3),
                            acting_user=payroll_admin)
    with pytest.raises(SelfChangeForbidden):
        national_id_set(acting_user=payroll_admin, employee=me, country="GB", value="AB123456C")
    hr_me = paid_self(hr_admin)
    with pytest.raises(SelfChangeForbidden):
        employee_change_status(acting_user=hr_admin, employee=hr_me,
                               to_status=Employee.Status.ON_LEAVE)
    assert not UnpaidLeave.objects.filter(employee=me).exists()
    assert Employee.objects.get(pk=hr_me.pk).status == Employee.Status.ACTIVE
