"""Register, payment files and GL journal from the database, through the views."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree
from openpyxl import load_workbook

from audit.models import AuditEvent
from payroll.outputs import sepa
from tests.downloads import built_file
from tests.factories import EmployeeFactory
from tests.factories.payroll_outputs import add_bank, finalised_run

XSD = Path(__file__).parent / "schemas" / "pain.001.001.09.xsd"
NS = {"p": sepa.NAMESPACE}


@pytest.fixture
def payroll_client(payroll_admin, login):
    return login(payroll_admin)


@pytest.fixture(autouse=True)
def company_bank(settings):
    settings.PAYROLL_ACH_COMPANY_ID = "1123456789"
    settings.PAYROLL_ACH_ODFI_ROUTING = "021000021"
    settings.PAYROLL_ACH_DESTINATION_NAME = "JPMORGAN CHASE"
    settings.PAYROLL_DEBTOR_IBAN = "DE89370400440532013000"
    settings.PAYROLL_DEBTOR_BIC = "COBADEFFXXX"


def _url(name, run, *args):
    return reverse(f"payroll:{name}", args=[run.pk, *args])


def test_outputs_are_refused_for_a_run_not_finalised(payroll_client, paid_people):
    run = finalised_run(paid_people, finalise=False)
    for url in (_url("run_register", run, "csv"), _url("run_register", run, "xlsx"),
                _url("run_payment_file", run, "pain001"), _url("run_gl", run)):
        response = payroll_client.get(url)
        assert response.status_code == 409
        assert b"only from a finalised run" in response.content


def test_outputs_are_payroll_admin_only(paid_people, login, hr_admin, org):
    run = finalised_run(paid_people)
    for user in (hr_admin, org.users["employee"], org.users["manager"]):
        assert login(user).get(_url("run_register", run, "csv")).status_code == 403


def test_register_csv_and_xlsx(payroll_client, paid_people):
    run = finalised_run(paid_people)
    response = payroll_client.get(_url("run_register", run, "csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.streaming  # CSV registers are streamed (flat memory at 20,000 payslips)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1 + 2 + 1  # header, two employees, totals
    net_col = rows[0].index("Net pay")
    assert Decimal(rows[-1][net_col]) == sum(p.net for p in run.payslips.all())
    assert "BASIC Basic pay" in rows[0] and "NI_ER Employer NI" in rows[0]
    xlsx = built_file(payroll_client, payroll_client.get(_url("run_register", run, "xlsx")))
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet.max_row == 4 and sheet.cell(4, 1).value == "Total"
    # the two files taken from the run (the XLSX request also audits its Download, not counted)
    assert AuditEvent.objects.filter(action="export", object_type="payroll.payrun",
                                     object_id=str(run.pk)).count() == 2


def test_sepa_payment_file_validates_and_its_control_sum_is_the_net_pay(
    payroll_client, hr_admin
):
    people = [EmployeeFactory() for _ in range(3)]
    for person in people:
        add_bank(person, hr_admin, scheme="iban")
    run = finalised_run(people, currency="EUR", country="DE")
    response = payroll_client.get(_url("run_payment_file", run, "pain001"))
    assert response.status_code == 200
    document = etree.fromstring(response.content)
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(document)
    control_sum = Decimal(document.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS))
    assert control_sum == sum(p.net for p in run.payslips.all())
    assert document.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "3"
    event = AuditEvent.objects.get(action="export", object_id=str(run.pk))
    assert event.note == "payment.pain001"


def test_nacha_file_from_a_us_run(payroll_client, hr_admin):
    people = [EmployeeFactory(work_country="US") for _ in range(2)]
    for person in people:
        add_bank(person, hr_admin, scheme="us_ach")
    run = finalised_run(people, currency="USD", country="US")
    response = payroll_client.get(_url("run_payment_file", run, "nacha"))
    assert response.status_code == 200
    records = response.content.decode().splitlines()
    assert len(records) == 10 and all(len(r) == 94 for r in records)
    file_control = next(r for r in records if r.startswith("9") and not r.startswith("99"))
    total = sum(p.net for p in run.payslips.all())
    assert int(file_control[43:55]) == int(total * 100)
    entries = [r for r in records if r.startswith("6")]
    assert [e[3:12] for e in entries] == ["011000015", "011000015"]
    assert entries[0][12:29].strip() == "123456789012"


def test_payment_file_of_an_older_run_leaves_out_who_has_no_bank_account(
        payroll_client, hr_admin):
    # given a run finalised before payslips recorded their payment (no snapshot), in euro
    banked = EmployeeFactory()
    add_bank(banked, hr_admin, scheme="iban")
    nobody = EmployeeFactory()
    run = finalised_run([banked, nobody], currency="EUR", country="GB")
    # when the payment file is taken
    response = payroll_client.get(_url("run_payment_file", run, "pain001"))
    # then it pays the banked person only, and the delivery page lists the other one
    assert response.status_code == 200
    assert response.content.count(b"<CdtTrfTxInf>") == 1
    assert nobody.employee_number.encode() not in response.content
    page = payroll_client.get(reverse("payroll:run_delivery", args=[run.pk]))
    assert nobody.employee_number in page.content.decode()


def test_nacha_refuses_a_non_dollar_run(payroll_client, paid_people):
    run = finalised_run(paid_people)
    response = payroll_client.get(_url("run_payment_file", run, "nacha"))
    assert response.status_code == 422 and b"US dollars" in response.content


def test_gl_journal_balances(payroll_client, paid_people):
    run = finalised_run(paid_people)
    response = payroll_client.get(_url("run_gl", run))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    body = rows[1:-1]
    debit = sum(Decimal(r[4] or "0") for r in body)
    credit = sum(Decimal(r[5] or "0") for r in body)
    assert debit == credit and rows[-1][4] == rows[-1][5] == f"{debit:.2f}"
    net = sum(Decimal(r[5]) for r in body if r[3].startswith("2100"))
    assert net == sum(p.net for p in run.payslips.all())
