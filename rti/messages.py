"""HMRC RTI messages for 2026-27: the Full Payment Submission (FPS) and the Employer Payment
Summary (EPS) body (the IRenvelope), built from plain values. Pure Python (lxml, no Django).

Sources (checked 1 December 2026):
- HMRC "Real Time Information: technical specifications 2026 to 2027" (GOV.UK, PAYE Online
  technical specifications), the 2026-27 RIM artefacts: FullPaymentSubmission-2027-v1-0.xsd,
  namespace http://www.govtalk.gov.uk/taxation/PAYE/RTI/FullPaymentSubmission/26-27/1, and
  EmployerPaymentSummary-2027-v1-0.xsd, namespace .../EmployerPaymentSummary/26-27/1.
- HMRC "Guidance on RTI data items 2026 to 2027" (the data items guide), FPS and EPS tables.
  Section names used in comments below are that guide's: "Employer", "Employee details",
  "Employment details", "Starter details", "Figures to date", "Payment", "NI letters and
  values", "Recoverable amounts", "Final submission".
The XSDs themselves could not be obtained here (not on PyPI, npm or in the code corpus): the
element names and their order follow the data items guide and the published message samples,
and tests check that order and the mandatory items structurally, not against HMRC's XSD.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from lxml import etree

FPS_NS = "http://www.govtalk.gov.uk/taxation/PAYE/RTI/FullPaymentSubmission/26-27/1"
EPS_NS = "http://www.govtalk.gov.uk/taxation/PAYE/RTI/EmployerPaymentSummary/26-27/1"
TAX_YEAR = "2026-27"
RELATED_TAX_YEAR = "26-27"  # data items guide, "Related tax year": YY-YY
# IRheader PeriodEnd: the last day of the tax year the message is for (the published FPS and
# EPS samples: "<PeriodEnd>2017-04-05</PeriodEnd>" on a 16-17 EPS), not the payment date.
TAX_YEAR_END = date(2027, 4, 5)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")

# "Payment": PayFreq values (data items guide, "Pay frequency"): W1 weekly, W2 fortnightly,
# W4 four-weekly, M1 calendar monthly, M3 quarterly, M6 bi-annually, MA annually, IO one-off,
# IR irregular.
PAY_FREQ = {"weekly": "W1", "fortnightly": "W2", "four_weekly": "W4", "monthly": "M1"}
# "Payment": StudentLoanRecovered PlanType (data items guide item 192, "Student Loan plan
# type", with Plan 5 added from April 2026: ICB "RTI data specifications for 2026/27").
PLAN_TYPE = {"plan_1": "01", "plan_2": "02", "plan_4": "04", "plan_5": "05"}
# The tax code element holds the code only; an S / C prefix is the TaxRegime attribute and a
# week 1 / month 1 basis is BasisNonCumulative="yes" (data items guide, "Tax code operated").
TAX_CODE = re.compile(r"^(([1-9][0-9]{0,5}[LMNPTY])|BR|0T|NT|D[0-8]|K[1-9][0-9]{0,5})$")
NINO = re.compile(r"^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D ]$")


class MessageError(ValueError):
    """A value that cannot be written into the message (bad tax code, reference, ...)."""


def money(amount: Decimal) -> str:
    """Monetary items are pounds and pence, two places (the schema's monetary pattern). The
    payslip amounts are stored to the penny already, so this only formats."""
    value = Decimal(amount).quantize(CENT)
    return f"{value:.2f}"


def whole_pounds(amount: Decimal) -> str:
    """StudentLoansTD, PostgradLoansTD, StudentLoanRecovered, PostgradLoanRecovered and AtLELYTD
    are whole pounds written with ".00" (data items guide). Student loan deductions are whole
    pounds already (HMRC CWG2: rounded down to the pound); the floor only guards AtLELYTD."""
    return f"{Decimal(amount).quantize(Decimal('1'), rounding=ROUND_FLOOR):.2f}"


def split_paye_reference(reference: str) -> tuple[str, str]:
    """"123/AB45678" -> ("123", "AB45678"): HMRC office number and the reference after it
    (data items guide, "Employer": HMRC office number, Employer PAYE reference)."""
    office, _, rest = (reference or "").partition("/")
    if not (len(office) == 3 and office.isdigit() and 1 <= len(rest) <= 10 and rest.isalnum()):
        raise MessageError(f"PAYE reference {reference!r} is not like 123/AB45678")
    return office, rest.upper()


def split_tax_code(code: str) -> tuple[str, str | None]:
    """"S1257L" -> ("1257L", "S"); "C BR" -> ("BR", "C"); "1257L" -> ("1257L", None)."""
    text = (code or "").upper().replace(" ", "")
    for suffix in ("W1", "M1", "X"):  # a basis written into the code is the attribute instead
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
    regime = None
    if text[:1] in ("S", "C") and text[1:2] != "" and text not in ("NT",):
        regime, text = text[0], text[1:]
    if not TAX_CODE.match(text):
        raise MessageError(f"tax code {code!r} is not one RTI accepts")
    return text, regime


def hours_band(weekly_hours: Decimal | None) -> str:
    """"Number of normal hours worked" (data items guide): A up to 15.99, B 16 to 23.99, C 24 to
    29.99, D 30 or more, E other (used when the contracted hours are not known)."""
    if weekly_hours is None:
        return "E"
    for band, limit in (("A", Decimal("16")), ("B", Decimal("24")), ("C", Decimal("30"))):
        if weekly_hours < limit:
            return band
    return "D"


@dataclass(frozen=True, slots=True)
class EmployerRefs:
    paye_reference: str  # 123/AB45678
    accounts_office_reference: str  # 123PA00012345
    corporation_tax_reference: str = ""


@dataclass(frozen=True, slots=True)
class NiValues:
    """One "NI letters and values" block: in-period values of this payment and the year to date
    of the letter (the band figures of every earnings period of the year)."""

    letter: str
    gross_in_period: Decimal
    gross_ytd: Decimal
    at_lel_ytd: Decimal
    lel_to_pt_ytd: Decimal
    pt_to_uel_ytd: Decimal
    total_nic_in_period: Decimal  # employee + employer
    total_nic_ytd: Decimal
    employee_in_period: Decimal
    employee_ytd: Decimal


@dataclass(frozen=True, slots=True)
class FpsEmployee:
    # "Employee details"
    surname: str
    forenames: tuple[str, ...]
    birth_date: date
    gender: str  # M / F
    nino: str = ""
    address_lines: tuple[str, ...] = ()
    postcode: str = ""
    # "Employment details"
    pay_id: str = ""
    director_method: str = ""  # "AN" annual / "AL" alternative, or "" when not a director
    director_appointed_week: int | None = None
    start_date: date | None = None  # "Starter details": present on the first FPS
    starter_declaration: str = ""
    starter_student_loan: bool = False
    starter_postgrad_loan: bool = False
    leaving_date: date | None = None
    # "Figures to date": this employment, this tax year, including this payment
    taxable_pay_ytd: Decimal = ZERO
    tax_ytd: Decimal = ZERO
    student_loan_ytd: Decimal = ZERO
    postgrad_loan_ytd: Decimal = ZERO
    pension_net_pay_ytd: Decimal = ZERO
    pension_not_net_pay_ytd: Decimal = ZERO
    statutory_ytd: tuple[tuple[str, Decimal], ...] = ()  # (element, amount), e.g. SMPYTD
    # "Payment"
    hours_band: str = "E"
    tax_code: str = "1257L"
    week1_month1: bool = False
    taxable_pay: Decimal = ZERO
    non_tax_or_nic_pay: Decimal = ZERO
    deductions_from_net_pay: Decimal = ZERO
    pay_after_statutory_deductions: Decimal = ZERO
    pension_net_pay: Decimal = ZERO
    pension_not_net_pay: Decimal = ZERO
    student_loan: Decimal = ZERO
    student_loan_plan: str = ""
    postgrad_loan: Decimal = ZERO
    tax: Decimal = ZERO
    ni: tuple[NiValues, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class FpsPayment:
    """What is the same for everyone on the run ("Payment")."""

    pay_frequency: str  # HROps schedule frequency
    payment_date: date
    period_number: int  # MonthNo for monthly, else WeekNo
    periods_covered: int = 1
    irregular: bool = False  # an off-cycle run: PayFreq IO (one-off)
    late_reason: str = ""  # LATE_REASONS key, when the FPS goes after the payment date


# "Late reporting reason" (data items guide; GOV.UK "What payroll information to report to
# HMRC": "If you send an FPS after your employee's payday, let HMRC know why"). E (micro
# employer "on or before" relaxation) ended on 5 April 2016 and is not offered.
LATE_REASONS = {
    "A": "Notional payment: payment to expat by third party or overseas employer",
    "B": "Notional payment: employment related security",
    "C": "Notional payment: other",
    "D": "Payment subject to Class 1 NICs but P11D for tax",
    "F": "Impractical to report work done on the day",
    "G": "Reasonable excuse",
    "H": "Correction to earlier submission",
}


def _el(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    child = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        child.text = text
    return child


def _header(root, refs: EmployerRefs) -> None:
    """IRheader: the keys (office number and reference), the period end (the tax year's last
    day), currency, IRmark placeholder and sender (data items guide, "Header"; the IRmark is
    filled in by govtalk)."""
    office, reference = split_paye_reference(refs.paye_reference)
    header = _el(root, "IRheader")
    keys = _el(header, "Keys")
    _el(keys, "Key", office, Type="TaxOfficeNumber")
    _el(keys, "Key", reference, Type="TaxOfficeReference")
    _el(header, "PeriodEnd", TAX_YEAR_END.isoformat())
    _el(header, "DefaultCurrency", "GBP")
    _el(header, "IRmark", "", Type="generic")
    _el(header, "Sender", "Employer")


def _emp_refs(parent, refs: EmployerRefs) -> None:
    office, reference = split_paye_reference(refs.paye_reference)
    emp_refs = _el(parent, "EmpRefs")
    _el(emp_refs, "OfficeNo", office)
    _el(emp_refs, "PayeRef", reference)
    _el(emp_refs, "AORef", refs.accounts_office_reference)
    if refs.corporation_tax_reference:
        _el(emp_refs, "COTAXRef", refs.corporation_tax_reference)


def _employee_details(parent, e: FpsEmployee) -> None:
    """"Employee details": NINO when known; name; address (mandatory when there is no NINO);
    date of birth; gender (data items guide: "If the NINO is not known, the address must be
    provided")."""
    details = _el(parent, "EmployeeDetails")
    if e.nino:
        _el(details, "NINO", e.nino)
    name = _el(details, "Name")
    for forename in e.forenames[:2]:  # up to two forenames
        _el(name, "Fore", forename[:35])
    _el(name, "Sur", e.surname[:35])
    if e.address_lines:
        address = _el(details, "Address")
        for line in e.address_lines[:4]:
            _el(address, "Line", line[:35])
        if e.postcode:
            _el(address, "UKPostcode", e.postcode.upper())
    _el(details, "BirthDate", e.birth_date.isoformat())
    _el(details, "Gender", e.gender)


def _figures_to_date(parent, e: FpsEmployee) -> None:
    figures = _el(parent, "FiguresToDate")
    _el(figures, "TaxablePay", money(e.taxable_pay_ytd))
    _el(figures, "TotalTax", money(e.tax_ytd))
    if e.student_loan_ytd:
        _el(figures, "StudentLoansTD", whole_pounds(e.student_loan_ytd))
    if e.postgrad_loan_ytd:
        _el(figures, "PostgradLoansTD", whole_pounds(e.postgrad_loan_ytd))
    if e.pension_net_pay_ytd:
        _el(figures, "EmpeePenContribnsPaidYTD", money(e.pension_net_pay_ytd))
    if e.pension_not_net_pay_ytd:
        _el(figures, "EmpeePenContribnsNotPaidYTD", money(e.pension_not_net_pay_ytd))
    for element, amount in e.statutory_ytd:
        if amount:
            _el(figures, element, money(amount))


def _payment(parent, e: FpsEmployee, p: FpsPayment) -> None:
    """"Payment". MonthNo for monthly pay, WeekNo otherwise: the tax month / week of the payment
    date (data items guide, "Tax week number" / "Tax month"); a one-off payment (off-cycle run)
    still reports the period of its payment date."""
    payment = _el(parent, "Payment")
    _el(payment, "PayFreq", "IO" if p.irregular else PAY_FREQ[p.pay_frequency])
    _el(payment, "PmtDate", p.payment_date.isoformat())
    if p.late_reason:
        _el(payment, "LateReason", p.late_reason)
    _el(payment, "MonthNo" if p.pay_frequency == "monthly" else "WeekNo", str(p.period_number))
    _el(payment, "PeriodsCovered", str(p.periods_covered))
    _el(payment, "HoursWorked", e.hours_band)
    code, regime = split_tax_code(e.tax_code)
    _el(payment, "TaxCode", code, BasisNonCumulative="yes" if e.week1_month1 else None,
        TaxRegime=regime)
    _el(payment, "TaxablePay", money(e.taxable_pay))
    if e.non_tax_or_nic_pay:
        _el(payment, "NonTaxOrNICPmt", money(e.non_tax_or_nic_pay))
    if e.deductions_from_net_pay:
        _el(payment, "DednsFromNetPay", money(e.deductions_from_net_pay))
    _el(payment, "PayAfterStatDedns", money(e.pay_after_statutory_deductions))
    if e.pension_net_pay:
        _el(payment, "EmpeePenContribnsPaid", money(e.pension_net_pay))
    if e.pension_not_net_pay:
        _el(payment, "EmpeePenContribnsNotPaid", money(e.pension_not_net_pay))
    if e.student_loan:
        _el(payment, "StudentLoanRecovered", whole_pounds(e.student_loan),
            PlanType=PLAN_TYPE.get(e.student_loan_plan))
    if e.postgrad_loan:
        _el(payment, "PostgradLoanRecovered", whole_pounds(e.postgrad_loan))
    _el(payment, "TaxDeductedOrRefunded", money(e.tax))


def _ni(parent, ni: NiValues) -> None:
    block = _el(parent, "NIlettersAndValues")
    _el(block, "NIletter", ni.letter)
    _el(block, "GrossEarningsForNICsInPd", money(ni.gross_in_period))
    _el(block, "GrossEarningsForNICsYTD", money(ni.gross_ytd))
    _el(block, "AtLELYTD", whole_pounds(ni.at_lel_ytd))
    _el(block, "LELtoPTYTD", money(ni.lel_to_pt_ytd))
    _el(block, "PTtoUELYTD", money(ni.pt_to_uel_ytd))
    _el(block, "TotalEmpNICInPd", money(ni.total_nic_in_period))
    _el(block, "TotalEmpNICYTD", money(ni.total_nic_ytd))
    _el(block, "EmpeeContribnsInPd", money(ni.employee_in_period))
    _el(block, "EmpeeContribnsYTD", money(ni.employee_ytd))


def _employment(parent, e: FpsEmployee, p: FpsPayment) -> None:
    """"Employment details", in the order the schema's sequence has them: directors' NI basis
    (AN annual / AL alternative) and week of appointment, starter details, payroll ID, leaving
    date, figures to date, this payment, then one NI block per letter used in the year."""
    employment = _el(parent, "Employment")
    if e.director_method:
        _el(employment, "DirectorsNIC", e.director_method)
        if e.director_appointed_week:
            _el(employment, "TaxWkOfApptOfDirector", str(e.director_appointed_week))
    if e.start_date is not None:
        starter = _el(employment, "Starter")
        _el(starter, "StartDate", e.start_date.isoformat())
        if e.starter_declaration:
            _el(starter, "StartDec", e.starter_declaration)
        if e.starter_student_loan:
            _el(starter, "StudentLoan", "yes")
        if e.starter_postgrad_loan:
            _el(starter, "PostgradLoan", "yes")
    if e.pay_id:
        _el(employment, "PayId", e.pay_id[:35])
    if e.leaving_date is not None:
        _el(employment, "LeavingDate", e.leaving_date.isoformat())
    _figures_to_date(employment, e)
    _payment(employment, e, p)
    for ni in e.ni:
        _ni(employment, ni)


def fps_body(refs: EmployerRefs, payment: FpsPayment, employees: list[FpsEmployee], *,
             final_for_year: bool = False) -> etree._Element:
    """The FPS IRenvelope: header, employer references, related tax year, one Employee per
    payslip, and "Final submission for year" when this is the year's last FPS."""
    root = etree.Element(f"{{{FPS_NS}}}IRenvelope", nsmap={None: FPS_NS})
    _header(root, refs)
    fps = _el(root, "FullPaymentSubmission")
    _emp_refs(fps, refs)
    _el(fps, "RelatedTaxYear", RELATED_TAX_YEAR)
    for employee in employees:
        node = _el(fps, "Employee")
        _employee_details(node, employee)
        _employment(node, employee, payment)
    if final_for_year:
        final = _el(fps, "FinalSubmission")
        _el(final, "ForYear", "yes")
    _qualify(root, FPS_NS)
    return root


# EPS "Recoverable amounts" (year to date), in the schema's order.
RECOVERABLE_ELEMENTS = (
    ("smp", "SMPRecovered"), ("spp", "SPPRecovered"), ("sap", "SAPRecovered"),
    ("shpp", "ShPPRecovered"), ("spbp", "SPBPRecovered"), ("sncp", "SNCPRecovered"))
COMPENSATION_ELEMENTS = (
    ("smp", "NICCompensationOnSMP"), ("spp", "NICCompensationOnSPP"),
    ("sap", "NICCompensationOnSAP"), ("shpp", "NICCompensationOnShPP"),
    ("spbp", "NICCompensationOnSPBP"), ("sncp", "NICCompensationOnSNCP"))


@dataclass(frozen=True, slots=True)
class EpsFigures:
    tax_month: int  # 1-12
    period_end: date  # the 5th ending the tax month (shown on the page; not in the header)
    no_payment_from: date | None = None  # "No payment for period": the tax month's bounds
    no_payment_to: date | None = None
    employment_allowance: bool = False
    recovered_ytd: dict[str, Decimal] = field(default_factory=dict)  # smp -> amount
    compensation_ytd: dict[str, Decimal] = field(default_factory=dict)
    final_for_year: bool = False


def eps_body(refs: EmployerRefs, f: EpsFigures) -> etree._Element:
    """The EPS IRenvelope (data items guide, EPS): employer references; "No payment dates"
    (from / to) when nobody was paid in the period; the Employment Allowance indicator with the
    de minimis state aid sector (HROps records no sector: "NA", not in a sector subject to the
    de minimis rules: GOV.UK "Employment Allowance: check if you're eligible"); the year-to-date
    recoverable statutory payments and NIC compensation with the tax month they run to; the
    related tax year; "Final submission for year" when chosen."""
    root = etree.Element(f"{{{EPS_NS}}}IRenvelope", nsmap={None: EPS_NS})
    _header(root, refs)
    eps = _el(root, "EmployerPaymentSummary")
    _emp_refs(eps, refs)
    if f.no_payment_from is not None:
        dates = _el(eps, "NoPaymentDates")
        _el(dates, "From", f.no_payment_from.isoformat())
        _el(dates, "To", f.no_payment_to.isoformat())
    if f.employment_allowance:
        _el(eps, "EmpAllceInd", "yes")
        aid = _el(eps, "DeMinimisStateAid")
        _el(aid, "NA", "yes")
    recovered = [(el, f.recovered_ytd.get(k, ZERO)) for k, el in RECOVERABLE_ELEMENTS]
    compensation = [(el, f.compensation_ytd.get(k, ZERO)) for k, el in COMPENSATION_ELEMENTS]
    if any(a for _e, a in recovered + compensation):
        block = _el(eps, "RecoverableAmountsYTD")
        _el(block, "TaxMonth", str(f.tax_month))
        for element, amount in recovered + compensation:
            if amount:
                _el(block, element, money(amount))
    _el(eps, "RelatedTaxYear", RELATED_TAX_YEAR)
    if f.final_for_year:
        final = _el(eps, "FinalSubmission")
        _el(final, "ForYear", "yes")
    _qualify(root, EPS_NS)
    return root


def _qualify(root, namespace: str) -> None:
    """Children were made without a namespace; they all belong to the message's (default)."""
    for node in root.iter():
        if isinstance(node.tag, str) and not node.tag.startswith("{"):
            node.tag = f"{{{namespace}}}{node.tag}"
