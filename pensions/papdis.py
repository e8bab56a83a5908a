"""The contributions file for a scheme and a pay run, in the PAPDIS CSV layout.

PAPDIS (Payroll And Pension Data Interface Standard, v1.1, published by PAPDIS / the Pensions
and Lifetime Savings Association) is a CSV of one row per worker per pay period. The
specification document itself could not be retrieved here; the columns below are the core
fields as named by public implementations of v1.1 (employer and pay period, worker identity and
address, employment start, assessment and event codes, pensionable earnings and contribution
amounts). Codes used: FrequencyCode W1 / W2 / W4 / M1; AssessmentCode 1 eligible jobholder,
2 non-eligible jobholder, 3 entitled worker, 0 outside the age range; EventCode 1 automatic
enrolment, 2 opt in, 3 opt out, 5 postponement, 6 cessation, blank for no event in the period;
StatutoryLetterCode L1 enrolment, L2 postponement, L3 non-eligible, L4 entitled. Contributions
are the gross amounts (for relief at source, the deduction divided by 0.8, the scheme claims
the 20%)."""

from decimal import ROUND_HALF_UP, Decimal

from hrops.exports import to_csv
from payroll.engine.statutory.auto_enrolment import qualifying_earnings
from payroll.models import PayRun, PayslipLine
from pensions.models import Assessment, Letter, Membership, PensionScheme

VERSION = "1.1"
COLUMNS = [
    "PAPDISVersion", "PensionProviderId", "EmployerId", "Group", "PayPeriodStartDate",
    "PayPeriodEndDate", "PayrollPeriodFrequency", "ContributionDeductionDate", "EmployeeId",
    "Title", "Forename1", "Forename2", "Surname", "BirthDate", "Gender",
    "NationalInsuranceNumber", "EmployeeAddress1", "EmployeeAddress2", "EmployeeAddress3",
    "EmployeeAddress4", "Postcode", "Country", "EmailAddress", "EmploymentStartDate",
    "AssessmentCode", "EventCode", "EventDate", "StatutoryLetterCode", "PensionableEarningsAmount",
    "EmployerContributionsAmount", "EmployeeContributionsAmount", "EmployerContributionsPercent",
    "EmployeeContributionsPercent",
]
FREQUENCY = {"weekly": "W1", "fortnightly": "W2", "biweekly": "W2", "four_weekly": "W4",
             "monthly": "M1"}
ASSESSMENT = {"eligible": "1", "non_eligible": "2", "entitled": "3", "outside": "0"}
LETTER = {Letter.Kind.ENROLMENT: "L1", Letter.Kind.REENROLMENT: "L1",
          Letter.Kind.POSTPONEMENT: "L2", Letter.Kind.NON_ELIGIBLE: "L3",
          Letter.Kind.ENTITLED: "L4"}
CENT = Decimal("0.01")
# Relief at source: the payslip shows 80% of the gross contribution (payroll.engine); the file
# carries the gross. Half up to the penny (the engine rounded the 80% half up once).
RAS_NET = Decimal("0.8")


def _event(membership: Membership, start, end) -> tuple[str, str]:
    for code, day in (("1", membership.enrolled_on if membership.status in (
            Membership.Status.ENROLLED,) else None),
            ("2", membership.enrolled_on if membership.status in (
                Membership.Status.OPTED_IN, Membership.Status.JOINED) else None),
            ("3", membership.opted_out_on), ("6", membership.ceased_on),
            ("5", membership.postponed_until and membership.status == "postponed"
             and membership.updated_at.date())):
        if day and start <= day <= end:
            return code, day.isoformat()
    return "", ""


def _pensionable(scheme: PensionScheme, assessment, run: PayRun):
    if assessment is None:
        return ""
    if scheme.basis == PensionScheme.Basis.QUALIFYING:
        return qualifying_earnings(assessment.earnings, run.schedule.frequency)
    return assessment.earnings


def papdis_rows(scheme: PensionScheme, run: PayRun):
    period = run.period
    codes = {scheme.employee_component.code: "ee", scheme.employer_component.code: "er"}
    amounts: dict[int, dict[str, Decimal]] = {}
    for line in PayslipLine.objects.filter(payslip__run=run, code__in=codes).values(
            "payslip__employee_id", "code", "amount", "trace"):
        amounts.setdefault(line["payslip__employee_id"], {})[codes[line["code"]]] = line["amount"]
    assessments = {a.employee_id: a for a in Assessment.objects.filter(
        scheme=scheme, period=period)}
    members = Membership.objects.filter(scheme=scheme, employee_id__in=set(amounts) | set(
        assessments)).select_related("employee").prefetch_related("letters")
    ras = scheme.relief == PensionScheme.Relief.RELIEF_AT_SOURCE
    yield COLUMNS
    for m in sorted(members, key=lambda m: m.employee.employee_number):
        e = m.employee
        got = amounts.get(e.pk, {})
        ee = got.get("ee", Decimal("0.00"))
        if ras:
            ee = (ee / RAS_NET).quantize(CENT, rounding=ROUND_HALF_UP)
        assessment = assessments.get(e.pk)
        event, event_date = _event(m, period.start_date, period.end_date)
        letters = [letter for letter in m.letters.all()
                   if period.start_date <= letter.reference_date <= period.end_date]
        yield [
            VERSION, scheme.scheme_reference, scheme.employer_reference, "", period.start_date,
            period.end_date, FREQUENCY.get(run.schedule.frequency, ""), run.pay_date,
            e.employee_number, "", e.legal_first_name, "", e.legal_last_name, e.date_of_birth,
            "", "", e.address_line1, e.address_line2, e.city, e.region, e.postal_code,
            e.country, e.work_email or e.personal_email, e.hire_date,
            ASSESSMENT.get(assessment.category, "") if assessment else "", event, event_date,
            LETTER.get(letters[0].kind, "") if letters else "",
            _pensionable(scheme, assessment, run), got.get("er", Decimal("0.00")), ee,
            scheme.employer_percent, scheme.employee_percent,
        ]


def papdis_csv(scheme: PensionScheme, run: PayRun) -> bytes:
    return to_csv(papdis_rows(scheme, run), bom=False, decimal_places=2)
