"""The hire form optionally takes date of birth, home address, national ID and a bank account
(issue 13 item 7): saved through the profile's services in the hire's transaction, every error
shown in one submit, and a bad part leaves no half-hired person."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from employees.models import BankAccount, Employee
from employees.services.core import JobData, PayData
from lifecycle.services.flows import HireData, HireExtras, hire_create
from tests.factories.employees_records import GB_IBAN

pytestmark = pytest.mark.django_db


def _form(ref, **extra) -> dict:
    return {
        "legal_first_name": "Ada", "legal_last_name": "Lovelace", "employee_number": "E0901",
        "work_email": "", "start_date": "2027-03-01", "work_country": "GB",
        "job_title": ref.title.pk, "department": ref.eng.pk, "location": ref.london.pk,
        "employment_type": "full_time", "fte": "1.000", "basis": "salary",
        "amount": "55000.00", "currency": "GBP", **extra,
    }


def test_hire_with_personal_details_national_id_and_bank_account(client, hr_staff, ref):
    # given
    client.force_login(hr_staff)
    # when HR fills in the optional parts too
    response = client.post(reverse("lifecycle:hire"), _form(
        ref, **{"personal-date_of_birth": "1990-05-17", "personal-address_line1": "1 Mill Lane",
                "personal-city": "Leeds", "personal-postal_code": "LS1 4AP",
                "personal-country": "UK", "nid-national_id_country": "GB",
                "nid-national_id": "ab 12 34 56 c", "bank-holder_name": "Ada Lovelace",
                "bank-scheme": "iban", "bank-country": "GB", "bank-account_type": "checking",
                "bank-iban": GB_IBAN, "bank-bic": "NWBKGB2L"}))
    # then one hire holds all of it, each change audited
    assert response.status_code == 302, response.content.decode()[:2000]
    ada = Employee.objects.get(employee_number="E0901")
    assert ada.date_of_birth == date(1990, 5, 17) and ada.city == "Leeds" and ada.country == "GB"
    assert ada.national_id_last4 == "456C" and ada.national_id_country == "GB"
    account = BankAccount.objects.get(employee=ada)
    assert account.is_primary and account.last4 == GB_IBAN[-4:]
    assert AuditEvent.objects.filter(employee_id=ada.pk).count() >= 3


def test_every_error_of_every_part_shows_in_one_submit_and_nothing_is_saved(client, hr_staff,
                                                                           ref):
    client.force_login(hr_staff)
    # when the main form and two optional parts are wrong at once
    response = client.post(reverse("lifecycle:hire"), _form(
        ref, legal_last_name="", **{"personal-date_of_birth": "2999-01-01",
                                    "bank-holder_name": "Ada", "bank-scheme": "iban",
                                    "bank-country": "GB", "bank-account_type": "checking",
                                    "bank-iban": "GB00NOTANIBAN"}))
    # then all three are reported together, and nobody was hired
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required" in body
    assert "cannot be in the future" in body
    assert "IBAN" in body and 'value="GB00NOTANIBAN"' in body
    assert not Employee.objects.exists()


def test_blank_optional_parts_are_skipped(client, hr_staff, ref):
    client.force_login(hr_staff)
    response = client.post(reverse("lifecycle:hire"), _form(ref, **{"bank-scheme": "iban",
                                                                    "bank-country": "GB"}))
    assert response.status_code == 302
    ada = Employee.objects.get(employee_number="E0901")
    assert not BankAccount.objects.filter(employee=ada).exists() and not ada.national_id_last4


def test_a_bad_bank_account_undoes_the_whole_hire(hr_staff, ref):
    # given hire data whose bank part the service refuses (the form was bypassed)
    data = HireData(
        employee_number="E0902", legal_first_name="Bo", legal_last_name="Bad",
        start_date=date(2027, 3, 1), work_country="GB",
        job=JobData(job_title=ref.title, department=ref.eng, location=ref.london, manager=None,
                    employment_type="full_time", fte=Decimal("1.000")),
        pay=PayData(basis="salary", currency="GBP", annual_salary=Decimal("40000.00"),
                    pay_schedule=ref.schedule),
        extras=HireExtras(personal={"city": "York"}, national_id=None,
                          bank={"holder_name": "Bo", "scheme": "iban", "country": "GB",
                                "iban": "GB00BAD"}))
    # when / then
    with pytest.raises(ValidationError):
        hire_create(acting_user=hr_staff, data=data)
    assert not Employee.objects.filter(employee_number="E0902").exists()
