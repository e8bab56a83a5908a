"""Required fields on a schedule's payment details: an empty form no longer wipes them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from payroll.models import PaySchedule
from payroll.services.payment_details import PaymentDetails, schedule_payment_details_update
from tests.factories.payroll_runs import USBiweeklyScheduleFactory

pytestmark = pytest.mark.django_db
IBAN = "GB82WEST12345698765432"


@pytest.fixture(autouse=True)
def no_installation_defaults(settings):
    for name in ("PAYROLL_ACH_COMPANY_ID", "PAYROLL_ACH_ODFI_ROUTING", "PAYROLL_DEBTOR_IBAN",
                 "PAYROLL_DEBTOR_BIC", "PAYROLL_ACH_ORIGIN_NAME"):
        setattr(settings, name, "")


def test_empty_post_keeps_the_schedules_payment_details(client_for, payroll_admin, uk_schedule):
    # given: a schedule with its payer, IBAN and BIC
    schedule_payment_details_update(schedule=uk_schedule, acting_user=payroll_admin,
                                    data=PaymentDetails(payer_name="Acme Ltd", debtor_iban=IBAN,
                                                        debtor_bic="NWBKGB2L"))
    # when: the form is posted empty, asking to remove the IBAN
    response = client_for(payroll_admin).post(
        reverse("payroll:schedule_payment_details", args=[uk_schedule.pk]),
        {"clear_debtor_iban": "on"})
    # then: a form error, and nothing is wiped
    assert response.status_code == 400
    assert "needed for the payment file" in response.text
    stored = PaySchedule.objects.get(pk=uk_schedule.pk)
    assert (stored.payer_name, stored.debtor_iban, stored.debtor_bic) == (
        "Acme Ltd", IBAN, "NWBKGB2L")


def test_us_schedule_needs_company_id_and_bank_unless_settings_give_them(payroll_admin,
                                                                         settings):
    # given
    schedule = USBiweeklyScheduleFactory()
    # when / then: without them, each is named
    with pytest.raises(ValidationError) as missing:
        schedule_payment_details_update(schedule=schedule, acting_user=payroll_admin,
                                        data=PaymentDetails(payer_name="Acme Inc"))
    assert set(missing.value.message_dict) == {"ach_company_id", "ach_odfi_routing"}
    # when: the installation sets them, the schedule may leave them empty
    settings.PAYROLL_ACH_COMPANY_ID = "1123456789"
    settings.PAYROLL_ACH_ODFI_ROUTING = "021000021"
    schedule_payment_details_update(schedule=schedule, acting_user=payroll_admin,
                                    data=PaymentDetails(payer_name="Acme Inc"))
    assert PaySchedule.objects.get(pk=schedule.pk).payer_name == "Acme Inc"
