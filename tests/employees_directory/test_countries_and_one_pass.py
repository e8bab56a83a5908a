"""Countries are ISO 3166 everywhere on the employee record ("UK" is GB), and imports and the
hire form report every error in one pass."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from employees.countries import country_code, validate_country
from employees.models import Employee, Location
from lifecycle.models import Checklist
from tests.employees_directory.test_imports import csv_bytes, hire_row, refs, run
from tests.factories import EmployeeFactory
from tests.factories.lifecycle import make_template

pytestmark = pytest.mark.django_db
__all__ = ["refs"]  # the import file's fixture, used here too


@pytest.mark.parametrize(("typed", "code"), [
    ("GB", "GB"), ("gb", "GB"), (" UK ", "GB"), ("uk", "GB"), ("GBR", "GB"),
    ("United Kingdom", "GB"), ("us", "US"), ("USA", "US"), ("EL", "GR"), ("", ""),
])
def test_country_code_understands_codes_names_and_uk(typed, code):
    assert country_code(typed) == code


@pytest.mark.parametrize("typed", ["XX", "ZZ", "Q1", "Narnia", "G"])
def test_country_code_refuses_what_is_no_country(typed):
    with pytest.raises(ValidationError, match="not an ISO 3166 country"):
        country_code(typed)


def test_model_validator_refuses_uk_and_points_at_gb():
    with pytest.raises(ValidationError, match="use GB"):
        validate_country("UK")
    validate_country("GB")


def test_hire_with_uk_is_gb_and_the_gb_checklist_starts(client, hr_staff, org):
    # given a right-to-work checklist for GB only
    from tests.factories import DepartmentFactory, JobTitleFactory, LocationFactory

    make_template("UK right to work", countries=["GB"])
    dept, loc, title = DepartmentFactory(), LocationFactory(country="GB"), JobTitleFactory()
    client.force_login(hr_staff)
    # when HR types "UK"
    response = client.post(reverse("lifecycle:hire"), {
        "legal_first_name": "Ada", "legal_last_name": "Lovelace", "employee_number": "E0901",
        "work_email": "ada@work.example.test", "start_date": "2027-03-01", "work_country": "UK",
        "job_title": title.pk, "department": dept.pk, "location": loc.pk,
        "employment_type": "full_time", "fte": "1.000", "basis": "salary",
        "amount": "55000.00", "currency": "GBP"})
    # then the employee works in GB and the GB checklist started
    assert response.status_code == 302
    ada = Employee.objects.get(employee_number="E0901")
    assert ada.work_country == "GB"
    assert Checklist.objects.filter(employee=ada, name="UK right to work").exists()


def test_hire_form_shows_every_error_in_one_submit(client, hr_staff, org):
    # given an employee number and a work email that are taken
    EmployeeFactory(employee_number="E0902", work_email="taken@work.example.test")
    before = Employee.objects.count()
    client.force_login(hr_staff)
    # when the form also has a bad country and a bad amount
    response = client.post(reverse("lifecycle:hire"), {
        "legal_first_name": "Ada", "legal_last_name": "L", "employee_number": "E0902",
        "work_email": "taken@work.example.test", "start_date": "2027-03-01",
        "work_country": "XX", "employment_type": "full_time", "fte": "1", "basis": "salary",
        "amount": "55000.123", "currency": "GBP"})
    # then all of them are on the page at once, and nothing was written
    body = response.content.decode()
    assert response.status_code == 400
    for message in ["already taken", "Another employee has this work email",
                    "Not ISO 3166 countries", "at most 2 decimal places"]:
        assert message in body, message
    assert Employee.objects.count() == before


def test_import_reads_uk_as_gb_and_refuses_other_letters(hr_admin, refs):
    # when a file has "UK" on one row and "ZZ" on another
    result = run(hr_admin, csv_bytes(hire_row("N1", work_country="UK"),
                                     hire_row("N2", work_country="ZZ")))
    # then only the ZZ row is an error
    assert [(e.row, e.column) for e in result.errors] == [(3, "work_country")]
    assert "not an ISO 3166 country" in result.errors[0].message
    fixed = run(hr_admin, csv_bytes(hire_row("N1", work_country="UK")), commit=True)
    assert fixed.committed and Employee.objects.get(employee_number="N1").work_country == "GB"


def test_import_dry_run_reports_every_row_error_in_one_pass(hr_admin, refs):
    # given one row with a look-up error and a bad email, and another valid for planning but
    # with an email the record refuses
    result = run(hr_admin, csv_bytes(
        hire_row("N1", email="not-an-email", department="Nowhere"),
        hire_row("N2", email="still@bad@x"),
        hire_row("N3", amount="-5"),
    ))
    # then the first dry run lists all of them
    found = {(e.row, e.column) for e in result.errors}
    assert {(2, "department"), (2, "work_email"), (3, "work_email"), (4, "amount")} <= found
    assert not result.committed and not Employee.objects.filter(
        employee_number__in=["N1", "N2", "N3"]).exists()


def test_location_form_takes_uk_as_gb(client, hr_admin):
    from tests.mfa import enrol_totp

    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    url = reverse("employees:reference_create", args=["locations"])
    response = client.post(url, {"name": "Leeds", "city": "Leeds", "country": "UK",
                                 "timezone": "Europe/London"})
    assert response.status_code in (200, 302)
    assert Location.objects.get(name="Leeds").country == "GB"
    bad = client.post(url, {"name": "Atlantis", "country": "ZZ", "timezone": "UTC"})
    assert "not an ISO 3166 country" in bad.content.decode()
    assert not Location.objects.filter(name="Atlantis").exists()
