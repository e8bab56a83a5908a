import pytest

from employees.models import BankAccount
from employees.selectors import BankDetails, bank_details_for_payment
from employees.services.bank import bank_account_add, bank_account_deactivate
from tests.factories.employees import EmployeeFactory
from tests.factories.employees_records import GB_IBAN, BankAccountFactory, UsBankAccountFactory

pytestmark = pytest.mark.django_db


def test_bank_details_for_payment_returns_primary_active_decrypted(django_assert_num_queries):
    # given a GB and a US employee with accounts, and one with only an inactive account
    gb = BankAccountFactory()
    BankAccountFactory(employee=gb.employee, is_primary=False, iban="DE89370400440532013000")
    us = UsBankAccountFactory()
    gone = BankAccountFactory(is_primary=False, is_active=False)
    nobody = EmployeeFactory()
    ids = [gb.employee_id, us.employee_id, gone.employee_id, nobody.pk]
    # when payroll asks (one query: the accounts)
    with django_assert_num_queries(1):
        details = bank_details_for_payment(ids)
    # then
    assert set(details) == {gb.employee_id, us.employee_id}
    assert details[gb.employee_id] == BankDetails(
        holder_name=gb.holder_name, country="GB", iban=GB_IBAN, bic="NWBKGB2L",
        routing_number="", account_number="", sort_code="", account_type="checking",
        last4="5432",
    )
    assert details[us.employee_id].routing_number == "111000025"
    assert details[us.employee_id].account_number == "000123456789"


def test_new_primary_replaces_old_and_deactivated_is_never_paid(hr_admin):
    employee = EmployeeFactory()
    first = bank_account_add(acting_user=hr_admin, employee=employee, details={
        "holder_name": "A B", "country": "GB", "scheme": "uk", "sort_code": "20-00-00",
        "account_number": "12345678"})
    second = bank_account_add(acting_user=hr_admin, employee=employee, details={
        "holder_name": "A B", "country": "GB", "scheme": "iban", "iban": GB_IBAN})
    assert bank_details_for_payment([employee.pk])[employee.pk].iban == GB_IBAN
    first.refresh_from_db()
    assert not first.is_primary and first.is_active
    bank_account_deactivate(acting_user=hr_admin, account=second)
    assert bank_details_for_payment([employee.pk]) == {}
    assert BankAccount.objects.filter(employee=employee, is_primary=True).count() == 0
