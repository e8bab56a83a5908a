"""BACS Standard 18: record layouts, totals and the contra; from a real finalised run, those
paid outside the file are left out and listed."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from payroll.models import PayRun, PaySchedule, Payslip
from payroll.outputs import bacs
from payroll.outputs.types import Originator, OutputError, Payee, PaymentBatch
from payroll.services.outputs import paid_outside_file, run_payment_file
from payroll.services.payment_details import PaymentDetails, clean_payment_details
from tests.factories import EmployeeFactory
from tests.factories.payroll_outputs import finalised_run

ORIGINATOR = Originator("Acme Widgets Ltd", bacs_sun="123456", bacs_sort_code="40-12-34",
                        bacs_account_number="87654321")


def _payee(n: int, amount: str, name: str = "Pat Doe") -> Payee:
    return Payee(n, f"E{n}", name, D(amount), holder_name=name, sort_code="20-00-00",
                 account_number=f"5577{n:04d}", reference=f"PS-{n:08d}")


def _batch(payees) -> PaymentBatch:
    return PaymentBatch("RUN-7", "GBP", date(2026, 11, 27),
                        datetime(2026, 11, 25, 14, 30, tzinfo=UTC), tuple(payees))


def _file(payees) -> list[str]:
    data = bacs.build(_batch(payees), ORIGINATOR)
    assert data.endswith("\r\n")
    return data.split("\r\n")[:-1]


def test_every_label_is_80_and_every_record_100_characters_in_order():
    lines = _file([_payee(1, "1234.56"), _payee(2, "0.01")])
    assert [x[:4] for x in lines[:4]] == ["VOL1", "HDR1", "HDR2", "UHL1"]
    assert [x[:4] for x in lines[-3:]] == ["EOF1", "EOF2", "UTL1"]
    assert all(len(x) == 80 for x in lines[:4] + lines[-3:])
    assert all(len(x) == 100 for x in lines[4:-3]) and len(lines[4:-3]) == 3
    # processing day 27 Nov 2026 = day 331, as " YYDDD"
    assert lines[3][4:10] == " 26331"
    assert lines[0][41:47] == "123456"  # the service user number in VOL1's owner id


def test_credit_records_and_one_contra_whose_total_is_in_utl1():
    lines = _file([_payee(1, "1234.56"), _payee(2, "0.01"), _payee(3, "99.99")])
    records = lines[4:-3]
    credits, contras = records[:-1], [r for r in records if r[15:17] == "17"]
    assert len(contras) == 1 and records[-1] == contras[0]
    first = credits[0]
    assert (first[0:6], first[6:14], first[14], first[15:17]) == ("200000", "55770001", "0",
                                                                  "99")
    assert (first[17:23], first[23:31]) == ("401234", "87654321")
    assert first[35:46] == "00000123456"
    assert first[46:64].rstrip() == "ACME WIDGETS LTD"
    assert first[64:82].rstrip() == "PS-00000001"
    contra = contras[0]
    assert contra[0:14] == "40123487654321" and contra[64:82].rstrip() == "CONTRA"
    total = sum(int(r[35:46]) for r in credits)
    assert int(contra[35:46]) == total == 133456
    utl = lines[-1]
    # debit total (the contra), credit total, debit count, credit count
    assert (int(utl[4:17]), int(utl[17:30]), int(utl[30:37]), int(utl[37:44])) == (
        total, total, 1, 3)


def test_names_are_transliterated_upper_case_in_the_bacs_character_set():
    lines = _file([_payee(1, "10.00", name="Zoë Ó'Briain-Müller (Jr)")])
    assert lines[4][82:100] == "ZOE O BRIAIN-MULLE"
    assert all(ch.isascii() for line in lines for ch in line)


def test_missing_sun_or_bad_account_is_refused_with_a_message():
    with pytest.raises(OutputError, match="service user number"):
        bacs.build(_batch([_payee(1, "1.00")]), Originator("Acme"))
    bad = Payee(1, "E1", "Pat", D("1.00"), sort_code="2000", account_number="1")
    with pytest.raises(OutputError, match="E1 Pat: sort code"):
        bacs.build(_batch([bad]), ORIGINATOR)


def test_schedule_bacs_details_are_validated():
    with pytest.raises(ValidationError) as exc:
        clean_payment_details(PaymentDetails(bacs_sun="12345", bacs_sort_code="1",
                                             bacs_account_number="x"))
    assert set(exc.value.message_dict) == {"bacs_sun", "bacs_sort_code", "bacs_account_number"}


@pytest.mark.django_db
def test_a_uk_runs_bacs_file_leaves_out_the_unbanked_and_lists_them(payroll_admin):
    # given a GBP run: one person paid by bank, one with no bank account (paid outside)
    banked, unbanked = EmployeeFactory(), EmployeeFactory(legal_first_name="Éamonn")
    run = finalised_run([banked, unbanked], finalise=False)
    PaySchedule.objects.filter(pk=run.schedule_id).update(
        bacs_sun="123456", bacs_sort_code="401234", bacs_account_number="87654321")
    Payslip.objects.filter(run=run, employee=banked).update(
        payment_method="bank", bank_last4="9911", bank_snapshot=json.dumps(
            {"holder_name": "Zoë Banked", "sort_code": "200000", "account_number": "55779911"}))
    Payslip.objects.filter(run=run, employee=unbanked).update(
        payment_method="outside", issued_details={"paid_outside_reason": "No bank account"})
    PayRun.objects.filter(pk=run.pk).update(status=PayRun.Status.FINALISED,
                                            finalised_at=datetime(2026, 11, 20, tzinfo=UTC))
    run.refresh_from_db()
    # when
    output = run_payment_file(run=run, fmt="bacs18", acting_user=payroll_admin)
    # then one credit (and the contra), the other person listed as paid outside the file
    lines = output.data.decode("ascii").split("\r\n")[:-1]
    credits = [x for x in lines if len(x) == 100 and x[15:17] == "99"]
    assert len(credits) == 1 and credits[0][82:100].rstrip() == "ZOE BANKED"
    [outside] = paid_outside_file(run)
    assert outside.name.startswith("Éamonn") and outside.reason == "No bank account"
    assert output.filename.endswith(".bacs.txt")


@pytest.mark.django_db
def test_a_uk_schedule_paying_by_bacs_needs_its_three_details_not_an_iban(payroll_admin,
                                                                         settings):
    from payroll.services.payment_details import schedule_payment_details_update
    from tests.factories.payroll_runs import UKMonthlyScheduleFactory

    settings.PAYROLL_DEBTOR_IBAN = ""
    schedule = UKMonthlyScheduleFactory()
    with pytest.raises(ValidationError) as missing:
        schedule_payment_details_update(schedule=schedule, acting_user=payroll_admin,
                                        data=PaymentDetails(bacs_sun="123456"))
    assert set(missing.value.message_dict) == {"bacs_sort_code", "bacs_account_number"}
    schedule_payment_details_update(schedule=schedule, acting_user=payroll_admin,
                                    data=PaymentDetails(bacs_sun="123456",
                                                        bacs_sort_code="40-12-34",
                                                        bacs_account_number="87654321"))
    stored = PaySchedule.objects.get(pk=schedule.pk)
    assert (stored.bacs_sun, stored.bacs_sort_code, stored.debtor_iban) == ("123456", "401234",
                                                                           "")
