"""Payment files from real finalised runs: people paid outside the file (no bank account, flag
overridden) are left out and listed; the account recorded at finalisation is the one paid; the
schedule's payer name is the payer; names are transliterated, never blanked."""

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from lxml import etree

from accounts.roles import Role
from audit.models import AuditEvent
from employees.services.bank import bank_account_add
from payroll.models import PaymentMethod, Payslip
from payroll.outputs import sepa
from payroll.services.outputs import paid_outside_file
from payroll.services.periods import periods_generate
from payroll.services.runs import payslip_flag_override, run_approve, run_finalise
from tests.factories import UserFactory
from tests.factories.payroll_runs import USBiweeklyScheduleFactory, paid_employee
from tests.payroll_runs.helpers import calculated_run

XSD = Path(__file__).parent / "schemas" / "pain.001.001.09.xsd"
NS = {"p": sepa.NAMESPACE}
CHEQUE = "Paid by cheque on the pay date"


@pytest.fixture
def us_schedule(db, payroll_admin):
    schedule = USBiweeklyScheduleFactory(
        payer_name="Acme Widgets Inc", ach_company_id="1123456789",
        ach_odfi_routing="021000021", ach_destination_name="JPMORGAN CHASE")
    periods_generate(schedule=schedule, until=date(2026, 3, 31), acting_user=payroll_admin)
    return schedule


@pytest.fixture
def eur_settings(settings):
    settings.PAYROLL_DEBTOR_IBAN = "DE89370400440532013000"
    settings.PAYROLL_DEBTOR_BIC = "COBADEFFXXX"


def finalise_paying_outside(schedule, number, admin, approver, capture):
    """Calculate, override every "no bank account" flag as paid by cheque, approve (a second
    admin), finalise."""
    run = calculated_run(schedule, number, admin, capture)
    for payslip in run.payslips.all():
        if any(f["code"] == "missing_bank_details" for f in payslip.flags):
            payslip_flag_override(payslip=payslip, code="missing_bank_details", comment=CHEQUE,
                                  acting_user=admin)
    run_approve(run=run, acting_user=approver)
    with capture(execute=True):
        run_finalise(run=run, acting_user=approver)
    run.refresh_from_db()
    return run


def _download(client, run, fmt):
    return client.get(reverse("payroll:run_payment_file", args=[run.pk, fmt]))


@pytest.fixture
def payroll_client(payroll_admin, login):
    return login(payroll_admin)


@pytest.fixture
def us_run(us_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    banked = paid_employee(us_schedule, salary="52000.00", legal_first_name="Éamonn",
                           legal_last_name="Ó Briain")
    unbanked = paid_employee(us_schedule, salary="65000.00", bank=False)
    run = finalise_paying_outside(us_schedule, 2, payroll_admin, second_payroll_admin,
                                  django_capture_on_commit_callbacks)
    return run, banked, unbanked


def test_nacha_leaves_out_the_person_paid_by_cheque_and_its_controls_count_only_the_others(
        us_run, payroll_client):
    run, banked, unbanked = us_run
    paid = run.payslips.get(employee=banked)
    # when
    response = _download(payroll_client, run, "nacha")
    # then: header, batch header, one entry, batch control, file control, padded to 10
    assert response.status_code == 200
    records = response.content.decode("ascii").splitlines()
    assert [r[0] for r in records[:5]] == ["1", "5", "6", "8", "9"]
    assert len(records) == 10 and all(len(r) == 94 for r in records)
    entry, batch_control, file_control = records[2], records[3], records[4]
    cents = int(paid.net * 100)
    assert entry[29:39] == f"{cents:010d}"
    assert unbanked.employee_number not in response.content.decode()
    # batch control: 1 entry, entry hash = the one receiving bank's 8-digit id (111000025)
    assert batch_control[4:10] == "000001"
    assert batch_control[10:20] == "0011100002"
    assert batch_control[32:44] == f"{cents:012d}"
    assert file_control[13:21] == "00000001" and file_control[43:55] == f"{cents:012d}"


def test_the_person_paid_outside_is_recorded_at_finalisation_with_the_override_comment(us_run):
    run, banked, unbanked = us_run
    outside = run.payslips.get(employee=unbanked)
    assert outside.payment_method == PaymentMethod.OUTSIDE and outside.bank_snapshot == ""
    assert run.payslips.get(employee=banked).payment_method == PaymentMethod.BANK
    # then the list has their net pay and why
    [row] = paid_outside_file(run)
    assert (row.employee_number, row.amount, row.currency, row.reason) == (
        unbanked.employee_number, outside.net, "USD", CHEQUE)
    # 65,000 / 26 = 2,500.00 gross (a whole biweekly period); net is that less withholding
    assert outside.gross == Decimal("2500.00") and Decimal("0") < outside.net < outside.gross


def test_the_delivery_page_lists_who_is_paid_outside_the_file_with_a_csv(us_run, payroll_client):
    run, _, unbanked = us_run
    outside = run.payslips.get(employee=unbanked)
    # when
    page = payroll_client.get(reverse("payroll:run_delivery", args=[run.pk])).content.decode()
    # then
    assert "Paid outside the payment file" in page
    assert unbanked.employee_number in page and CHEQUE in page
    assert f"{outside.net:,.2f}" in page
    csv_url = reverse("payroll:run_paid_outside", args=[run.pk])
    assert csv_url in page
    response = payroll_client.get(csv_url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Employee number", "Name", "Net pay", "Currency", "Reason"]
    assert rows[1] == [unbanked.employee_number,
                       f"{unbanked.legal_first_name} {unbanked.legal_last_name}",
                       f"{outside.net:.2f}", "USD", CHEQUE]
    assert rows[2] == ["Total", "1 employees", f"{outside.net:.2f}", "USD", ""]
    assert AuditEvent.objects.filter(action="export", note="paid_outside.csv").exists()


def test_the_paid_outside_csv_neutralises_a_formula_in_a_comment(us_run, payroll_client):
    # given the override comment recorded at finalisation starts like a spreadsheet formula
    run, _, unbanked = us_run
    outside = run.payslips.get(employee=unbanked)
    formula = '=HYPERLINK("https://evil.example","x")'
    Payslip.objects.filter(pk=outside.pk).update(
        issued_details={**outside.issued_details, "paid_outside_reason": formula})
    # when the list is downloaded
    response = payroll_client.get(reverse("payroll:run_paid_outside", args=[run.pk]))
    # then it goes through the shared export writer: text, never a formula (hrops.exports)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response.status_code == 200
    assert rows[1][4] == "'" + formula
    assert rows[1][2] == f"{outside.net:.2f}"


@pytest.mark.parametrize("role", [Role.HR_ADMIN, Role.HR_STAFF, Role.EMPLOYEE, Role.MANAGER])
def test_only_a_payroll_admin_may_take_the_paid_outside_list(us_run, client, role):
    run, _, _ = us_run
    user = UserFactory(email=f"{role}@example.test", roles=[role])
    from tests.mfa import enrol_totp

    enrol_totp(user)
    client.force_login(user)
    response = client.get(reverse("payroll:run_paid_outside", args=[run.pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(note="paid_outside.csv").exists()


def test_the_file_pays_the_account_recorded_at_finalisation_not_the_one_on_file_now(
        us_run, payroll_client, hr_admin):
    run, banked, _ = us_run
    # given the employee's account is replaced after the run was finalised
    bank_account_add(acting_user=hr_admin, employee=banked, notify=False, details={
        "scheme": "us_ach", "holder_name": "New Holder", "country": "US",
        "routing_number": "011000015", "account_number": "999888777666",
        "account_type": "savings"})
    # when
    entry = _download(payroll_client, run, "nacha").content.decode().splitlines()[2]
    # then the old account (routing 111000025, checking 000123456789) is paid
    assert entry[1:3] == "22" and entry[3:12] == "111000025"
    assert entry[12:29].strip() == "000123456789"
    # and the snapshot is encrypted at rest, shown masked
    payslip = run.payslips.get(employee=banked)
    assert payslip.bank_last4 == "6789"
    with connection.cursor() as cursor:
        cursor.execute("SELECT bank_snapshot FROM payroll_payslip WHERE id = %s", [payslip.pk])
        raw = cursor.fetchone()[0]
    assert raw and "000123456789" not in raw and "111000025" not in raw


def test_the_us_file_uses_the_schedules_payer_name_and_transliterates_names(us_run,
                                                                             payroll_client):
    run, _, _ = us_run
    records = _download(payroll_client, run, "nacha").content.decode().splitlines()
    # batch header company name (positions 5-20) and file header origin name (64-86)
    assert records[1][4:20] == "ACME WIDGETS INC"
    assert records[0][63:86] == "ACME WIDGETS INC".ljust(23)
    # entry individual name (55-76): "Éamonn Ó Briain" transliterated, never blanked
    assert records[2][54:76] == "EAMONN O BRIAIN".ljust(22)
    assert "ACME WIDGETS LTD" not in "\n".join(records)


def test_the_payslip_pdf_and_email_name_the_schedules_payer(us_run, mailoutbox):
    run, banked, _ = us_run
    from payroll.services import payslips as service

    payslip = Payslip.objects.select_related("run__period", "run__schedule",
                                             "employee__department").get(run=run,
                                                                         employee=banked)
    html = service.payslip_html(service.payslip_document(payslip))
    assert "<h1>Acme Widgets Inc</h1>" in html and "Acme Widgets Ltd" not in html
    # the emails went out when the PDFs were rendered on finalisation
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert message.subject == "Your Acme Widgets Inc payslip for 23 January 2026 is ready"
        assert "Your payslip from Acme Widgets Inc" in message.body
        assert "Acme Widgets Ltd" not in message.body


def test_pain001_leaves_out_the_unbanked_person_and_validates(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks,
        payroll_client, eur_settings):
    # given a UK schedule paying by ISO 20022 credit transfer, its own payer name
    uk_schedule.payer_name = "Acme Widgets (UK) Ltd"
    uk_schedule.save(update_fields=["payer_name"])
    banked = paid_employee(uk_schedule, legal_first_name="Zoë", legal_last_name="Weiß")
    unbanked = paid_employee(uk_schedule, bank=False)
    run = finalise_paying_outside(uk_schedule, 1, payroll_admin, second_payroll_admin,
                                  django_capture_on_commit_callbacks)
    paid = run.payslips.get(employee=banked)
    # when
    response = _download(payroll_client, run, "pain001")
    # then
    assert response.status_code == 200
    document = etree.fromstring(response.content)
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(document)
    assert document.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "1"
    assert document.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == f"{paid.net:.2f}"
    assert document.findtext(".//p:PmtInf/p:CtrlSum", namespaces=NS) == f"{paid.net:.2f}"
    assert document.findtext(".//p:InitgPty/p:Nm", namespaces=NS) == "Acme Widgets (UK) Ltd"
    assert document.findtext(".//p:Dbtr/p:Nm", namespaces=NS) == "Acme Widgets (UK) Ltd"
    # the factory's holder name is the legal name: "Zoë Weiß" -> "Zoe Weiss"
    assert document.findtext(".//p:Cdtr/p:Nm", namespaces=NS) == "Zoe Weiss"
    assert unbanked.employee_number.encode() not in response.content
    assert [r.employee_number for r in paid_outside_file(run)] == [unbanked.employee_number]


def test_a_run_where_nobody_is_paid_by_bank_says_so(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks,
        payroll_client, eur_settings):
    paid_employee(uk_schedule, bank=False)
    run = finalise_paying_outside(uk_schedule, 1, payroll_admin, second_payroll_admin,
                                  django_capture_on_commit_callbacks)
    response = _download(payroll_client, run, "pain001")
    assert response.status_code == 422
    assert b"paid outside the payment file" in response.content
