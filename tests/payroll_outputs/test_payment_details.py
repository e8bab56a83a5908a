"""Payment file details per pay schedule: set by a Payroll Admin on the schedule page (checked,
audited with the IBAN masked), used by the NACHA and SEPA files, settings as the fallback."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from lxml import etree

from audit.models import AuditEvent
from payroll.models import PaySchedule
from payroll.outputs import sepa
from payroll.services.payment_details import (
    PaymentDetails,
    originator,
    schedule_payment_details_update,
)
from tests.factories import EmployeeFactory
from tests.factories.payroll_outputs import add_bank, finalised_run

pytestmark = pytest.mark.django_db
XSD = Path(__file__).parent / "schemas" / "pain.001.001.09.xsd"
NS = {"p": sepa.NAMESPACE}
IBAN = "DE89370400440532013000"


@pytest.fixture(autouse=True)
def no_installation_defaults(settings):
    for name in ("PAYROLL_ACH_COMPANY_ID", "PAYROLL_ACH_ODFI_ROUTING", "PAYROLL_DEBTOR_IBAN",
                 "PAYROLL_DEBTOR_BIC", "PAYROLL_ACH_DESTINATION_NAME"):
        setattr(settings, name, "")


def test_details_are_checked_compacted_and_audited_with_the_iban_masked(payroll_admin):
    schedule = finalised_run([], currency="EUR", country="DE").schedule
    # bad input: each field gets its own message, nothing is saved
    with pytest.raises(ValidationError) as bad:
        schedule_payment_details_update(schedule=schedule, acting_user=payroll_admin,
                                        data=PaymentDetails(debtor_iban="DE00 1234",
                                                            ach_odfi_routing="123456789",
                                                            ach_company_id="12345"))
    assert set(bad.value.message_dict) == {"debtor_iban", "ach_odfi_routing", "ach_company_id"}
    assert PaySchedule.objects.get(pk=schedule.pk).debtor_iban == ""
    # good input
    schedule_payment_details_update(schedule=schedule, acting_user=payroll_admin,
                                    data=PaymentDetails(debtor_iban="de89 3704 0044 0532 0130 00",
                                                        debtor_bic="COBADEFFXXX"))
    schedule.refresh_from_db()
    assert schedule.debtor_iban == IBAN and schedule.debtor_iban_masked == "•••• 3000"
    event = AuditEvent.objects.get(object_type="payroll.payschedule")
    assert IBAN not in str(event.changes) and "3000" in str(event.changes["debtor_iban"])


def test_only_a_payroll_admin_may_change_them(hr_admin, login, payroll_admin):
    schedule = finalised_run([], currency="EUR", country="DE").schedule
    with pytest.raises(PermissionDenied):
        schedule_payment_details_update(schedule=schedule, acting_user=hr_admin,
                                        data=PaymentDetails(debtor_bic="COBADEFFXXX"))
    url = reverse("payroll:schedule_payment_details", args=[schedule.pk])
    client = login(hr_admin)
    assert client.post(url, {"debtor_bic": "COBADEFFXXX"}).status_code == 403
    # HR sees the page with the IBAN masked, without the form
    page = client.get(reverse("payroll:schedule_detail", args=[schedule.pk]))
    assert b"Payment file details" in page.content and b"Change payment file" not in page.content


def test_the_page_saves_keeps_the_iban_when_left_empty_and_shows_errors(payroll_admin, login):
    schedule = finalised_run([], currency="EUR", country="DE").schedule
    client = login(payroll_admin)
    url = reverse("payroll:schedule_payment_details", args=[schedule.pk])
    assert client.post(url, {"debtor_iban": IBAN, "debtor_bic": "COBADEFFXXX"}).status_code == 302
    # empty IBAN keeps the one on file
    assert client.post(url, {"debtor_iban": "", "debtor_bic": "DEUTDEFF"}).status_code == 302
    schedule.refresh_from_db()
    assert (schedule.debtor_iban, schedule.debtor_bic) == (IBAN, "DEUTDEFF")
    page = client.get(reverse("payroll:schedule_detail", args=[schedule.pk])).content.decode()
    assert "•••• 3000" in page and IBAN not in page
    # a bad routing number is a form error, not a 500, and changes nothing
    response = client.post(url, {"ach_odfi_routing": "123456789"})
    assert response.status_code == 400 and "routing" in response.content.decode().lower()
    # "remove" alone is refused: the SEPA file needs an IBAN (issue 12: an empty form wiped it)
    assert client.post(url, {"clear_debtor_iban": "on"}).status_code == 400
    schedule.refresh_from_db()
    assert schedule.debtor_iban == IBAN


def test_payment_files_use_the_schedules_details_over_settings(payroll_admin, hr_admin, login,
                                                              settings):
    settings.PAYROLL_DEBTOR_IBAN = "GB82WEST12345698765432"  # the installation default
    people = [EmployeeFactory() for _ in range(2)]
    for person in people:
        add_bank(person, hr_admin, scheme="iban")
    run = finalised_run(people, currency="EUR", country="DE")
    assert originator(run.schedule).iban == "GB82WEST12345698765432"  # fallback
    schedule_payment_details_update(schedule=run.schedule, acting_user=payroll_admin,
                                    data=PaymentDetails(debtor_iban=IBAN,
                                                        debtor_bic="COBADEFFXXX"))
    response = login(payroll_admin).get(
        reverse("payroll:run_payment_file", args=[run.pk, "pain001"]))
    document = etree.fromstring(response.content)
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(document)
    assert document.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == IBAN


def test_without_any_details_the_file_is_refused_with_where_to_set_them(payroll_admin, login,
                                                                        hr_admin):
    person = EmployeeFactory(work_country="US")
    add_bank(person, hr_admin, scheme="us_ach")
    run = finalised_run([person], currency="USD", country="US")
    client = login(payroll_admin)
    response = client.get(reverse("payroll:run_payment_file", args=[run.pk, "nacha"]))
    assert response.status_code == 422
    assert b"pay schedule" in response.content
    schedule_payment_details_update(schedule=run.schedule, acting_user=payroll_admin,
                                    data=PaymentDetails(ach_company_id="1123456789",
                                                        ach_odfi_routing="021000021"))
    response = client.get(reverse("payroll:run_payment_file", args=[run.pk, "nacha"]))
    assert response.status_code == 200
    assert response.content.decode().splitlines()[0][4:13] == "021000021"  # destination
