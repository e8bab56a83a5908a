"""The message builders and the IRmark, without the database.

HMRC's XSDs for 2026-27 could not be obtained (rti/messages.py says where they were looked for),
so these tests check structure: the element order of the data items guide and the mandatory
items, the value formats, and the IRmark against a digest computed here by hand."""

import base64
import hashlib
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from rti import govtalk
from rti import messages as M

D = Decimal
REFS = M.EmployerRefs("123/AB45678", "123PA00012345")


def _names(node) -> list[str]:
    return [etree.QName(c).localname for c in node]


def _employee(**overrides) -> M.FpsEmployee:
    values = dict(surname="Able", forenames=("Alice", "May", "Extra"), birth_date=date(1990, 1, 2),
                  gender="F", nino="AB123456C", pay_id="T1", taxable_pay_ytd=D("6000"),
                  tax_ytd=D("780.80"), taxable_pay=D("3000"), tax=D("390.40"),
                  pay_after_statutory_deductions=D("2453.44"), hours_band="D",
                  ni=(M.NiValues("A", D("3000"), D("6000"), D("1118"), D("978"), D("3904"),
                                 D("543.61"), D("1087.22"), D("156.16"), D("312.32")),))
    values.update(overrides)
    return M.FpsEmployee(**values)


def test_fps_body_follows_the_data_items_order():
    # given a starter who leaves, with a student loan, on a week 1 / month 1 Scottish code
    employee = _employee(start_date=date(2026, 5, 1), starter_declaration="A",
                         starter_student_loan=True, leaving_date=date(2026, 5, 20),
                         student_loan=D("61"), student_loan_ytd=D("61"),
                         student_loan_plan="plan_2", tax_code="S1257L", week1_month1=True,
                         director_method="AN")
    # when
    root = M.fps_body(REFS, M.FpsPayment("monthly", date(2026, 5, 29), 2, late_reason="G"),
                      [employee])
    # then
    ns = {"f": M.FPS_NS}
    assert etree.QName(root).namespace == M.FPS_NS
    assert _names(root) == ["IRheader", "FullPaymentSubmission"]
    assert _names(root.find("f:IRheader", ns)) == ["Keys", "PeriodEnd", "DefaultCurrency",
                                                   "IRmark", "Sender"]
    fps = root.find("f:FullPaymentSubmission", ns)
    assert _names(fps) == ["EmpRefs", "RelatedTaxYear", "Employee"]
    assert _names(fps.find("f:EmpRefs", ns)) == ["OfficeNo", "PayeRef", "AORef"]
    assert fps.findtext("f:RelatedTaxYear", namespaces=ns) == "26-27"
    details = fps.find("f:Employee/f:EmployeeDetails", ns)
    assert _names(details) == ["NINO", "Name", "BirthDate", "Gender"]
    assert _names(details.find("f:Name", ns)) == ["Fore", "Fore", "Sur"]  # two forenames at most
    employment = fps.find("f:Employee/f:Employment", ns)
    assert _names(employment) == ["DirectorsNIC", "Starter", "PayId", "LeavingDate",
                                  "FiguresToDate", "Payment", "NIlettersAndValues"]
    assert _names(employment.find("f:Starter", ns)) == ["StartDate", "StartDec", "StudentLoan"]
    assert _names(employment.find("f:FiguresToDate", ns)) == ["TaxablePay", "TotalTax",
                                                              "StudentLoansTD"]
    payment = employment.find("f:Payment", ns)
    assert _names(payment) == ["PayFreq", "PmtDate", "LateReason", "MonthNo", "PeriodsCovered",
                               "HoursWorked",
                               "TaxCode", "TaxablePay", "PayAfterStatDedns",
                               "StudentLoanRecovered", "TaxDeductedOrRefunded"]
    code = payment.find("f:TaxCode", ns)
    assert (code.text, code.get("TaxRegime"), code.get("BasisNonCumulative")) == (
        "1257L", "S", "yes")
    assert payment.find("f:StudentLoanRecovered", ns).get("PlanType") == "02"
    assert payment.findtext("f:StudentLoanRecovered", namespaces=ns) == "61.00"
    assert payment.findtext("f:TaxablePay", namespaces=ns) == "3000.00"
    ni = employment.find("f:NIlettersAndValues", ns)
    assert _names(ni) == ["NIletter", "GrossEarningsForNICsInPd", "GrossEarningsForNICsYTD",
                          "AtLELYTD", "LELtoPTYTD", "PTtoUELYTD", "TotalEmpNICInPd",
                          "TotalEmpNICYTD", "EmpeeContribnsInPd", "EmpeeContribnsYTD"]


def test_no_nino_means_the_address_is_written_and_weekly_pay_has_a_week_number():
    employee = _employee(nino="", address_lines=("1 High Street", "Leeds"), postcode="ls1 4ab")
    root = M.fps_body(REFS, M.FpsPayment("weekly", date(2026, 5, 29), 8), [employee])
    ns = {"f": M.FPS_NS}
    details = root.find("f:FullPaymentSubmission/f:Employee/f:EmployeeDetails", ns)
    assert _names(details) == ["Name", "Address", "BirthDate", "Gender"]
    assert _names(details.find("f:Address", ns)) == ["Line", "Line", "UKPostcode"]
    assert details.findtext("f:Address/f:UKPostcode", namespaces=ns) == "LS1 4AB"
    payment = root.find(".//f:Payment", ns)
    assert payment.findtext("f:PayFreq", namespaces=ns) == "W1"
    assert payment.findtext("f:WeekNo", namespaces=ns) == "8"


def test_eps_body_order_and_recoverable_amounts():
    figures = M.EpsFigures(tax_month=3, period_end=date(2026, 7, 5),
                           no_payment_from=date(2026, 6, 6), no_payment_to=date(2026, 7, 5),
                           employment_allowance=True, recovered_ytd={"smp": D("920.00")},
                           compensation_ytd={}, final_for_year=True)
    root = M.eps_body(REFS, figures)
    ns = {"e": M.EPS_NS}
    eps = root.find("e:EmployerPaymentSummary", ns)
    assert _names(eps) == ["EmpRefs", "NoPaymentDates", "EmpAllceInd", "DeMinimisStateAid",
                           "RecoverableAmountsYTD", "RelatedTaxYear", "FinalSubmission"]
    assert _names(eps.find("e:RecoverableAmountsYTD", ns)) == ["TaxMonth", "SMPRecovered"]
    assert eps.findtext("e:RecoverableAmountsYTD/e:SMPRecovered", namespaces=ns) == "920.00"
    assert eps.findtext("e:NoPaymentDates/e:From", namespaces=ns) == "2026-06-06"


@pytest.mark.parametrize(("code", "expected"), [
    ("1257L", ("1257L", None)), ("S1257L", ("1257L", "S")), ("C BR", ("BR", "C")),
    ("K475", ("K475", None)), ("SD1", ("D1", "S")), ("NT", ("NT", None)), ("0T", ("0T", None)),
    ("1257L W1", ("1257L", None)), ("1257LX", ("1257L", None))])
def test_tax_codes_split_into_code_and_regime(code, expected):
    assert M.split_tax_code(code) == expected


@pytest.mark.parametrize("code", ["", "1257", "L", "K0", "D9", "ABC"])
def test_bad_tax_codes_are_refused(code):
    with pytest.raises(M.MessageError):
        M.split_tax_code(code)


@pytest.mark.parametrize(("hours", "band"), [(None, "E"), ("15.99", "A"), ("16", "B"),
                                             ("23.99", "B"), ("24", "C"), ("29.99", "C"),
                                             ("30", "D"), ("37.5", "D")])
def test_hours_bands(hours, band):
    assert M.hours_band(D(hours) if hours else None) == band


def test_paye_reference_must_have_office_and_reference():
    assert M.split_paye_reference("123/ab45678") == ("123", "AB45678")
    for bad in ("", "12/AB1", "123AB45678", "123/", "123/AB 45678"):
        with pytest.raises(M.MessageError):
            M.split_paye_reference(bad)


def test_money_formats():
    assert M.money(D("-12.5")) == "-12.50"
    assert M.whole_pounds(D("61")) == "61.00"
    assert M.whole_pounds(D("1118.99")) == "1118.00"  # AtLELYTD: whole pounds, down


def test_irmark_is_base64_sha1_of_the_canonical_body_without_the_irmark():
    # given a body whose canonical form (Canonical XML 1.0: the envelope namespace inherited on
    # Body, the IRmark element gone, the whitespace around it kept) is written out by hand
    body = etree.fromstring('<IRenvelope xmlns="urn:test"><IRheader><IRmark Type="generic">'
                            '</IRmark><Sender>Employer</Sender></IRheader></IRenvelope>')
    message = govtalk.envelope("fps", body, office="123", reference="AB45678")
    canonical = (b'<Body xmlns="http://www.govtalk.gov.uk/CM/envelope"><IRenvelope '
                 b'xmlns="urn:test"><IRheader><Sender>Employer</Sender></IRheader></IRenvelope>'
                 b'</Body>')
    expected = base64.b64encode(hashlib.sha1(canonical).digest()).decode()  # noqa: S324
    # when / then
    assert govtalk.irmark(message) == expected
    # the mark does not depend on the IRmark element's own text
    message.find(".//{urn:test}IRmark").text = "anything"
    assert govtalk.irmark(message) == expected


def test_finished_message_carries_its_own_irmark_and_the_class():
    data, mark = govtalk.finished("eps", M.eps_body(REFS, M.EpsFigures(1, date(2026, 5, 5))),
                                  office="123", reference="AB45678")
    assert govtalk.verify(data)
    text = data.decode()
    assert "<Class>HMRC-PAYE-RTI-EPS</Class>" in text and f">{mark}</IRmark>" in text
    tampered = data.replace(b"<OfficeNo>123</OfficeNo>", b"<OfficeNo>124</OfficeNo>")
    assert not govtalk.verify(tampered)
