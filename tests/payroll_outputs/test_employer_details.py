"""The legal employer on a pay schedule: edited by a Payroll Admin on the schedule page,
validated (EIN NN-NNNNNNN, PAYE reference NNN/XXXXXX), audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from payroll.outputs.nacha import _alpha
from payroll.outputs.sepa import _text
from payroll.services.employer import EmployerDetails, schedule_employer_update
from payroll.services.issue import w4_summary
from payroll.validators import clean_ein, clean_paye_reference, validate_ein
from tests.factories import UserFactory

VALID = {"employer_legal_name": "Acme Widgets Ltd", "employer_address": "1 High Street\r\nLeeds",
         "employer_paye_reference": "123 / ab45678", "employer_ein": ""}


def _url(schedule):
    return reverse("payroll:schedule_employer_details", args=[schedule.pk])


def test_a_payroll_admin_sees_and_saves_the_employer_details_audited(uk_schedule, payroll_admin,
                                                                     login):
    client = login(payroll_admin)
    page = client.get(reverse("payroll:schedule_detail", args=[uk_schedule.pk])).content.decode()
    assert "Employer on payslips" in page and _url(uk_schedule) in page
    # when
    response = client.post(_url(uk_schedule), VALID)
    # then the values are stored compacted, and the change is in the audit trail
    assert response.status_code == 302
    uk_schedule.refresh_from_db()
    assert uk_schedule.employer_paye_reference == "123/AB45678"
    assert uk_schedule.employer_address == "1 High Street\nLeeds"
    event = AuditEvent.objects.get(note="employer details")
    assert event.changes["employer_paye_reference"] == ["", "123/AB45678"]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("employer_ein", "12-345678", "An EIN is 9 digits written NN-NNNNNNN"),
    ("employer_ein", "07-3456789", "a prefix the IRS assigns"),  # 07 is never assigned
    ("employer_paye_reference", "12/AB456", "3 digits, a slash"),
    ("employer_paye_reference", "123AB456", "3 digits, a slash"),
])
def test_a_bad_reference_is_refused_with_a_clear_message_and_nothing_is_saved(
        uk_schedule, payroll_admin, login, field, value, message):
    client = login(payroll_admin)
    response = client.post(_url(uk_schedule), {**VALID, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    uk_schedule.refresh_from_db()
    assert uk_schedule.employer_legal_name == "" and uk_schedule.employer_paye_reference == ""
    assert not AuditEvent.objects.filter(note="employer details").exists()


# HR Staff sees payroll pages only with the Payroll Viewer grant (accounts.roles.sees_payroll).
@pytest.mark.parametrize("roles", [[Role.HR_ADMIN], [Role.HR_STAFF, Role.PAYROLL_VIEWER]])
def test_hr_may_look_but_not_change_the_employer_details(uk_schedule, login, roles):
    user = UserFactory(email="hr.look@example.test", roles=roles)
    client = login(user)
    page = client.get(reverse("payroll:schedule_detail", args=[uk_schedule.pk])).content.decode()
    assert "Employer on payslips" in page and _url(uk_schedule) not in page
    assert client.post(_url(uk_schedule), VALID).status_code == 403
    uk_schedule.refresh_from_db()
    assert uk_schedule.employer_legal_name == ""


def test_an_employee_does_not_learn_the_page_exists(uk_schedule, org, client):
    client.force_login(org.users["employee"])
    assert client.post(_url(uk_schedule), VALID).status_code == 404


def test_the_service_refuses_anyone_but_a_payroll_admin(uk_schedule, hr_admin):
    with pytest.raises(PermissionDenied):
        schedule_employer_update(schedule=uk_schedule, acting_user=hr_admin,
                                 data=EmployerDetails(employer_legal_name="X"))


def test_reference_formats():
    # IRS: an EIN is written NN-NNNNNNN; HMRC: office number / employer reference
    assert clean_ein("123456789") == "12-3456789" == clean_ein(" 12-3456789 ")
    assert clean_paye_reference("123/a1b2c3") == "123/A1B2C3"
    for bad in ("1234567890", "AB-CDEFGHI"):
        with pytest.raises(ValidationError):
            clean_ein(bad)
    with pytest.raises(ValidationError):
        clean_paye_reference("123/AB-456")


def test_names_are_transliterated_for_bank_files_never_blanked():
    # NACHA fields are upper-case ASCII; pain.001 the SEPA set
    assert _alpha("Éamonn Ó Briain", 22) == "EAMONN O BRIAIN".ljust(22)
    assert _text("Éamonn Ó Briain", 70) == "Eamonn O Briain"
    assert _text("Jürgen Weiß-Łukasiewicz", 70) == "Jurgen Weiss-Lukasiewicz"
    # what has no transliteration is left out, the rest kept
    assert _alpha("Ana \u0000Núñez", 10) == "ANA  NUNEZ"


def test_w4_summaries():
    from payroll.models import TaxProfile

    assert "No Form W-4 on file" in w4_summary(None)
    old = TaxProfile(w4_form_year=2019, marital_status="married", allowances=3)
    assert w4_summary(old) == "Form W-4 (2019): Married, 3 allowance(s), extra 0.00"
    assert w4_summary(TaxProfile(exempt=True)) == "Form W-4: exempt from withholding"


def test_the_admin_form_refuses_a_bad_ein_too(uk_schedule):
    # the model validators guard every ModelForm (the Django admin included)
    uk_schedule.employer_ein = "12-345678"
    with pytest.raises(ValidationError) as caught:
        uk_schedule.full_clean()
    assert "employer_ein" in caught.value.message_dict
    validate_ein("12-3456789")
