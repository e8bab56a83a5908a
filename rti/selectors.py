"""Reads for RTI: a finalised UK run as FPS values (with a row-level problems list), and an
employer's tax month as EPS values (from the P32 that liabilities computes). A fixed number of
queries per run, whatever the headcount."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from employees.models import Employee, JobRecord
from liabilities import hmrc
from liabilities.employers import LegalEmployer
from liabilities.models import Employer
from liabilities.selectors import RECOVERABLE, uk_p32
from payroll.engine.jurisdictions.uk_ni import ni_tables
from payroll.engine.tax_years import uk_tax_period
from payroll.models import PayRun, PaySchedule, Payslip, PayslipLine, TaxProfile
from payroll.services.periods import period_number
from rti import messages as M
from rti.models import RtiPerson, RtiSubmission
from yearend.figures import ni_band_earnings

ZERO = Decimal("0.00")
FPS_KINDS = (PayRun.Kind.REGULAR, PayRun.Kind.OFF_CYCLE, PayRun.Kind.FINAL_PAY)
# "Figures to date": statutory payments year to date (HROps YTD key -> FPS element).
STATUTORY_YTD = (("uk_smp", "SMPYTD"), ("uk_spp", "SPPYTD"), ("uk_sap", "SAPYTD"),
                 ("uk_shpp", "ShPPYTD"), ("uk_spbp", "SPBPYTD"), ("uk_sncp", "SNCPYTD"))


@dataclass(frozen=True)
class Problem:
    """One thing to fix before the message can be built: who (blank: the employer) and what."""

    message: str
    employee_id: int | None = None
    employee_name: str = ""
    fix_url: str = ""
    code: str = ""  # "gender": the FPS page offers to set it for everyone at once


@dataclass
class Prepared:
    """A message's values, or the problems that stop it."""

    kind: str
    paye_reference: str
    tax_year: str
    tax_month: int
    refs: M.EmployerRefs | None = None
    problems: list[Problem] = field(default_factory=list)
    payment: M.FpsPayment | None = None
    employees: list[M.FpsEmployee] = field(default_factory=list)
    eps: M.EpsFigures | None = None
    figures: dict = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)  # EPS: why one is needed this month


def _d(value) -> Decimal:
    return Decimal(str(value or "0"))


def employer_refs(paye_reference: str, problems: list[Problem]) -> M.EmployerRefs | None:
    """The employer's references; a problem for each that is missing or malformed."""
    from django.urls import reverse

    if not paye_reference:
        problems.append(Problem(_("The pay schedule has no employer PAYE reference: fill it in "
                                  "the schedule's employer details (like 123/AB45678).")))
        return None
    try:
        M.split_paye_reference(paye_reference)
    except M.MessageError:
        problems.append(Problem(_("The PAYE reference %(r)s is not like 123/AB45678.")
                                % {"r": paye_reference}))
        return None
    row = Employer.objects.filter(country="GB", reference=paye_reference).first()
    aoref = row.accounts_office_reference if row else ""
    if not aoref:
        problems.append(Problem(
            _("No Accounts Office reference for %(r)s: fill it in the settings of Taxes to pay "
              "(13 characters, like 123PA00012345).") % {"r": paye_reference},
            fix_url=reverse("liabilities:employer", args=["gb", paye_reference.replace("/", "_")])))
        return None
    return M.EmployerRefs(paye_reference, aoref)


def _schedule_ids(paye_reference: str) -> list[int]:
    return list(PaySchedule.objects.filter(employer_paye_reference=paye_reference)
                .values_list("pk", flat=True))


def _earlier_or_same(run: PayRun) -> Q:
    """Payslips paid before this run, or on the same day by a run created no later."""
    return Q(run__pay_date__lt=run.pay_date) | Q(run__pay_date=run.pay_date, run_id__lte=run.pk)


def _pension_codes() -> tuple[set[str], set[str]]:
    """(net pay arrangement, relief at source) employee contribution line codes."""
    from pensions.models import PensionScheme

    net, ras = set(), set()
    for code, relief in PensionScheme.objects.filter(
            employee_component__isnull=False).values_list("employee_component__code", "relief"):
        (net if relief == PensionScheme.Relief.NET_PAY else ras).add(code)
    return net, ras


def _weekly_hours(employee_ids: list[int], on: date) -> dict[int, Decimal | None]:
    hours: dict[int, Decimal | None] = {}
    for employee_id, value in JobRecord.objects.filter(
            employee_id__in=employee_ids, effective_date__lte=on).order_by(
            "employee_id", "-effective_date", "-pk").values_list("employee_id", "weekly_hours"):
        hours.setdefault(employee_id, value)
    return hours


@dataclass
class _Year:
    """One employee's tax year so far in this PAYE scheme (including this run)."""

    sums: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    ni_by_letter: dict[str, dict[str, Decimal]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: ZERO)))
    ni_pay_by_period: dict[tuple[str, int], Decimal] = field(
        default_factory=lambda: defaultdict(lambda: ZERO))
    pension: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))


def _letter(issued: dict | None) -> str:
    return (((issued or {}).get("tax") or {}).get("ni_category") or "A").upper()


def _years(run: PayRun, schedule_ids: list[int], employee_ids: list[int], tax_year: str,
           net_codes: set[str], ras_codes: set[str]) -> dict[int, _Year]:
    """Two queries: the year's finalised payslips up to this run, their pension lines."""
    slips = Payslip.objects.filter(
        _earlier_or_same(run), run__schedule_id__in=schedule_ids, tax_year=tax_year,
        employee_id__in=employee_ids, run__status__in=PayRun.FROZEN)
    years: dict[int, _Year] = defaultdict(_Year)
    for employee_id, period_id, increments, issued in slips.values_list(
            "employee_id", "run__period_id", "ytd_increments", "issued_details"):
        year, letter = years[employee_id], _letter(issued)
        for key, value in increments.items():
            year.sums[key] += _d(value)
        ni = year.ni_by_letter[letter]
        ni["ni_pay"] += _d(increments.get("uk_ni_pay"))
        ni["employee"] += _d(increments.get("uk_employee_ni"))
        ni["employer"] += _d(increments.get("uk_employer_ni"))
        year.ni_pay_by_period[(letter, period_id)] += _d(increments.get("uk_ni_pay"))
    for employee_id, code, amount in PayslipLine.objects.filter(
            payslip__in=slips, code__in=net_codes | ras_codes).values_list(
            "payslip__employee_id", "code", "amount").order_by():
        years[employee_id].pension["net" if code in net_codes else "ras"] += amount
    return years


def _ni_blocks(year: _Year, letter_now: str, increments: dict,
               thresholds: dict[str, Decimal]) -> tuple[M.NiValues, ...]:
    """One block per letter used in the year; in-period values only on this payment's letter.
    Band figures: each earnings period's NI-able pay split at the LEL / PT / UEL of the period
    (yearend.figures.ni_band_earnings, as on the P60), summed over the year."""
    bands: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for (letter, _period), ni_pay in year.ni_pay_by_period.items():
        for i, amount in enumerate(ni_band_earnings(ni_pay, thresholds)):
            bands[letter][i] += amount
    blocks = []
    for letter in sorted(year.ni_by_letter):
        ytd = year.ni_by_letter[letter]
        now = letter == letter_now
        employee_now = _d(increments.get("uk_employee_ni")) if now else ZERO
        employer_now = _d(increments.get("uk_employer_ni")) if now else ZERO
        blocks.append(M.NiValues(
            letter=letter, gross_in_period=_d(increments.get("uk_ni_pay")) if now else ZERO,
            gross_ytd=ytd["ni_pay"], at_lel_ytd=bands[letter][0], lel_to_pt_ytd=bands[letter][1],
            pt_to_uel_ytd=bands[letter][2], total_nic_in_period=employee_now + employer_now,
            total_nic_ytd=ytd["employee"] + ytd["employer"], employee_in_period=employee_now,
            employee_ytd=ytd["employee"]))
    return tuple(blocks)


def _name(employee: Employee) -> str:
    return f"{employee.legal_first_name} {employee.legal_last_name}".strip()


def _person_problems(employee: Employee, gender: str, tax_code: str) -> list[tuple[str, str]]:
    """What stops this person's FPS record (HMRC data items guide, "Employee details": date of
    birth and gender are mandatory; the NINO may be left out only with a full address)."""
    found = []
    nino = _nino(employee)
    if employee.national_id and not nino and employee.national_id_country in ("", "GB"):
        found.append(("nino", _("The National Insurance number is not valid (like "
                                "AB123456C).")))
    if not nino and not (employee.address_line1 and employee.postal_code):
        found.append(("address", _("No National Insurance number and no address: HMRC needs "
                                   "one of them (address line 1 and postcode).")))
    if employee.date_of_birth is None:
        found.append(("birth_date", _("No date of birth.")))
    if not employee.legal_last_name.strip():
        found.append(("name", _("No legal last name.")))
    if not gender:
        found.append(("gender", _("No gender recorded for HMRC (M or F as on legal "
                                  "documents).")))
    try:
        M.split_tax_code(tax_code)
    except M.MessageError:
        found.append(("tax_code", _("The tax code %(c)s is not one RTI accepts.")
                      % {"c": tax_code or "-"}))
    return found


def _fix_url(code: str, employee_id: int, run: PayRun) -> str:
    """Where the problem is fixed: the details for HMRC (gender), else the employee record."""
    from django.urls import reverse

    if code == "gender":
        return reverse("rti:person", args=[employee_id]) + f"?run={run.pk}"
    if code == "tax_code":
        return reverse("payroll:employee_setup", args=[employee_id])
    return reverse("employees:profile", args=[employee_id])


def _nino(employee: Employee) -> str:
    if employee.national_id_country not in ("", "GB"):
        return ""
    value = (employee.national_id or "").upper().replace(" ", "")
    return value if M.NINO.match(value) else ""


def _starters(run: PayRun, schedule_ids: list[int], employees: dict[int, Employee],
              tax_year: str) -> set[int]:
    """Employees hired in this tax year with no finalised payslip in this PAYE scheme before
    this run: their first FPS carries the starter details (data items guide, "Starter
    details"). Someone hired earlier whose first HROps payslip this is came over from another
    payroll, which reported them already."""
    year_start = date(int(tax_year[:4]), 4, 6)
    hired = [pk for pk, e in employees.items() if e.hire_date >= year_start]
    paid_before = set(Payslip.objects.filter(
        _earlier_or_same(run), run__schedule_id__in=schedule_ids, employee_id__in=hired,
        run__status__in=PayRun.FROZEN).exclude(run=run).values_list("employee_id", flat=True))
    return set(hired) - paid_before


def _director(profile: TaxProfile | None, tax_year: str) -> tuple[str, int | None]:
    if profile is None or not profile.is_director:
        return "", None
    method = "AL" if profile.director_method == TaxProfile.DirectorMethod.ALTERNATIVE else "AN"
    appointed = profile.director_appointed_on
    week = None
    if appointed and uk_tax_year(appointed) == tax_year:
        week = uk_tax_period(appointed, "weekly")
    return method, week


def uk_tax_year(day: date) -> str:
    return hmrc.tax_year_of(day)


@dataclass
class _RunFacts:
    """Everything an FPS reads about a run's people, loaded in a fixed number of queries."""

    run: PayRun
    tax_year: str
    employees: dict[int, Employee]
    profiles: dict[int, TaxProfile]
    genders: dict[int, str]
    hours: dict[int, Decimal | None]
    net_codes: set[str]
    ras_codes: set[str]
    years: dict[int, _Year]
    starters: set[int]
    lines: dict[int, dict[str, Decimal]]
    thresholds: dict[str, Decimal]


def _run_facts(run: PayRun, reference: str, tax_year: str, employee_ids: list[int]) -> _RunFacts:
    net_codes, ras_codes = _pension_codes()
    schedule_ids = _schedule_ids(reference)
    employees = {e.pk: e for e in Employee.objects.filter(pk__in=employee_ids)}
    lines: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for employee_id, category, code, amount in PayslipLine.objects.filter(
            payslip__run=run).values_list("payslip__employee_id", "category", "code",
                                          "amount").order_by():
        lines[employee_id][code] += amount
        lines[employee_id][f"category:{category}"] += amount
    return _RunFacts(
        run=run, tax_year=tax_year, employees=employees,
        profiles={p.employee_id: p for p in TaxProfile.objects.filter(
            employee_id__in=employee_ids, jurisdiction=TaxProfile.Jurisdiction.UK)},
        genders=dict(RtiPerson.objects.filter(employee_id__in=employee_ids)
                     .values_list("employee_id", "gender")),
        hours=_weekly_hours(employee_ids, run.pay_date), net_codes=net_codes,
        ras_codes=ras_codes,
        years=_years(run, schedule_ids, employee_ids, tax_year, net_codes, ras_codes),
        starters=_starters(run, schedule_ids, employees, tax_year), lines=lines,
        thresholds=ni_tables(tax_year).thresholds[run.schedule.frequency])


def _tax_setup(issued: dict | None, profile: TaxProfile | None) -> tuple[str, bool]:
    """The tax code and week 1 / month 1 basis the payslip was worked with (its issued
    details), else the profile's."""
    tax = (issued or {}).get("tax") or {}
    code = tax.get("tax_code") or (profile.tax_code if profile else "") or "1257L"
    if tax:
        return code, tax.get("basis", "cumulative") != "cumulative"
    return code, bool(profile and profile.week1_month1)


def _fps_employee(f: _RunFacts, employee_id: int, gross: Decimal, employee_tax: Decimal,
                  increments: dict, issued: dict | None, tax_code: str,
                  week1: bool) -> M.FpsEmployee:
    employee, profile, run = f.employees[employee_id], f.profiles.get(employee_id), f.run
    year, lines = f.years[employee_id], f.lines[employee_id]
    director_method, director_week = _director(profile, f.tax_year)
    starter = employee_id in f.starters
    leaving = employee.termination_date
    # "Date of leaving" goes on the FPS of the last payment (the period it falls in, or a
    # final pay run after it).
    if leaving is not None and not (leaving <= run.period.end_date
                                    or run.kind == PayRun.Kind.FINAL_PAY):
        leaving = None
    plan = profile.student_loan_plan if profile else ""
    ras_now = sum((lines[c] for c in f.ras_codes), ZERO)
    return M.FpsEmployee(
        surname=employee.legal_last_name, forenames=tuple(employee.legal_first_name.split()),
        birth_date=employee.date_of_birth, gender=f.genders[employee_id], nino=_nino(employee),
        address_lines=tuple(x for x in (employee.address_line1, employee.address_line2,
                                         employee.city, employee.region) if x),
        postcode=employee.postal_code if employee.country in ("", "GB") else "",
        pay_id=employee.employee_number, director_method=director_method,
        director_appointed_week=director_week,
        start_date=employee.hire_date if starter else None,
        starter_declaration=(profile.starter_declaration if starter and profile else ""),
        starter_student_loan=bool(starter and plan),
        starter_postgrad_loan=bool(starter and profile and profile.postgraduate_loan),
        leaving_date=leaving,
        taxable_pay_ytd=year.sums["uk_taxable_pay"], tax_ytd=year.sums["uk_tax_paid"],
        student_loan_ytd=year.sums["uk_student_loan"],
        postgrad_loan_ytd=year.sums["uk_postgraduate_loan"],
        pension_net_pay_ytd=year.pension["net"], pension_not_net_pay_ytd=year.pension["ras"],
        statutory_ytd=tuple((el, year.sums[key]) for key, el in STATUTORY_YTD),
        hours_band=M.hours_band(f.hours.get(employee_id)), tax_code=tax_code,
        week1_month1=week1, taxable_pay=_d(increments.get("uk_taxable_pay")),
        non_tax_or_nic_pay=lines["category:reimbursement"],
        # Voluntary deductions after tax; relief-at-source pension is reported apart.
        deductions_from_net_pay=lines["category:post_tax_deduction"] - ras_now,
        # "Pay after statutory deductions": gross less the statutory deductions HROps makes
        # (PAYE, employee NI, student and postgraduate loans: the employee-tax lines).
        pay_after_statutory_deductions=gross - employee_tax,
        pension_net_pay=sum((lines[c] for c in f.net_codes), ZERO), pension_not_net_pay=ras_now,
        student_loan=lines["SL"], student_loan_plan=plan, postgrad_loan=lines["PGL"],
        tax=_d(increments.get("uk_tax_paid")),
        ni=_ni_blocks(year, _letter(issued), increments, f.thresholds))


def fps_prepare_values(run: PayRun, *, late_reason: str = "") -> Prepared:
    """The FPS of a finalised UK run, or the problems that stop it."""
    schedule = run.schedule
    reference = schedule.employer_paye_reference
    tax_year = uk_tax_year(run.pay_date)
    prepared = Prepared("fps", reference, tax_year, hmrc.tax_month_of(run.pay_date))
    if tax_year != M.TAX_YEAR:
        prepared.problems.append(Problem(
            _("HROps builds RTI messages for the %(y)s tax year (HMRC schema 26-27); this run "
              "is paid in %(t)s.") % {"y": M.TAX_YEAR, "t": tax_year}))
        return prepared
    prepared.refs = employer_refs(reference, prepared.problems)
    if prepared.refs is None:
        return prepared
    rows = list(run.payslips.values_list(
        "employee_id", "gross", "total_employee_tax", "ytd_increments", "issued_details"))
    facts = _run_facts(run, reference, tax_year, [r[0] for r in rows])
    people = facts.employees
    for employee_id, gross, employee_tax, increments, issued in sorted(
            rows, key=lambda r: (people[r[0]].legal_last_name, r[0])):
        tax_code, week1 = _tax_setup(issued, facts.profiles.get(employee_id))
        found = _person_problems(people[employee_id], facts.genders.get(employee_id, ""),
                                 tax_code)
        prepared.problems.extend(Problem(
            message, employee_id, _name(people[employee_id]), _fix_url(code, employee_id, run),
            code) for code, message in found)
        if not found:
            prepared.employees.append(_fps_employee(facts, employee_id, gross, employee_tax,
                                                    increments, issued, tax_code, week1))
    prepared.payment = M.FpsPayment(
        pay_frequency=schedule.frequency, payment_date=run.pay_date,
        # The tax month, or the last tax week of the period holding the pay date (the number
        # the payslip prints: payroll.services.periods.period_number).
        period_number=period_number(schedule, run.period.start_date, run.period.end_date,
                                    run.pay_date),
        irregular=run.kind == PayRun.Kind.OFF_CYCLE, late_reason=late_reason)
    prepared.figures = {
        "employees": len(prepared.employees),
        "taxable_pay": str(sum((e.taxable_pay for e in prepared.employees), ZERO)),
        "tax": str(sum((e.tax for e in prepared.employees), ZERO))}
    return prepared


def fps_refusal(run: PayRun) -> str:
    """Why a run has no FPS, or "" when it may have one."""
    if run.schedule.jurisdiction != "UK":
        return _("Only UK pay runs are reported to HMRC by RTI.")
    if run.status not in PayRun.FROZEN:
        return _("An FPS is prepared once the run is finalised.")
    if run.kind not in FPS_KINDS:
        return _("A correction run has no FPS of its own: the corrected year-to-date figures go "
                 "on the next FPS (HMRC: correcting payroll errors in the current tax year).")
    return ""


# ---------------------------------------------------------------------------------------------
# EPS
# ---------------------------------------------------------------------------------------------

def _recovered_ytd(schedule_ids: list[int], tax_year: str, upto: date) -> tuple[dict, dict]:
    """Statutory pay recovered and NIC compensation year to date per kind (smp, spp, ...): the
    same payslip keys liabilities' P32 adds up (liabilities.selectors.RECOVERED_KEYS). One
    query, only payslips that carry any."""
    recovered: dict[str, Decimal] = defaultdict(lambda: ZERO)
    compensation: dict[str, Decimal] = defaultdict(lambda: ZERO)
    keys = [f"uk_{c}_{what}" for c in RECOVERABLE for what in ("recovered", "nic_compensation")]
    start = date(int(tax_year[:4]), 4, 6)
    for increments in Payslip.objects.filter(
            run__schedule_id__in=schedule_ids, run__status__in=PayRun.FROZEN,
            run__pay_date__range=(start, upto), ytd_increments__has_any_keys=keys
    ).values_list("ytd_increments", flat=True):
        for kind in RECOVERABLE:
            recovered[kind] += _d(increments.get(f"uk_{kind}_recovered"))
            compensation[kind] += _d(increments.get(f"uk_{kind}_nic_compensation"))
    return dict(recovered), dict(compensation)


def _ea_already_claimed(reference: str, tax_year: str, month: int) -> bool:
    """Employment Allowance is claimed once a tax year (GOV.UK "Employment Allowance: how to
    claim"): an earlier EPS of the year that went to HMRC carried it."""
    return RtiSubmission.objects.filter(
        kind=RtiSubmission.Kind.EPS, paye_reference=reference, tax_year=tax_year,
        tax_month__lt=month, figures__employment_allowance=True,
        status__in=[RtiSubmission.Status.SUBMITTED, RtiSubmission.Status.ACCEPTED]).exists()


def eps_prepare_values(employer: LegalEmployer, tax_year: str, month: int, *,
                       final_for_year: bool = False) -> Prepared:
    """The EPS of one employer and tax month, built on liabilities' P32 rows (the recoverable
    amounts and Employment Allowance it nets off), with why one is needed."""
    prepared = Prepared("eps", employer.reference, tax_year, month)
    if tax_year != M.TAX_YEAR:
        prepared.problems.append(Problem(
            _("HROps builds RTI messages for the %(y)s tax year (HMRC schema 26-27).")
            % {"y": M.TAX_YEAR}))
        return prepared
    prepared.refs = employer_refs(employer.reference, prepared.problems)
    if prepared.refs is None:
        return prepared
    start, end = hmrc.period_bounds(tax_year, month)
    recovered, compensation = _recovered_ytd(employer.schedule_ids, tax_year, end)
    p32_recovered = sum(recovered.values(), ZERO)
    p32_compensation = sum(compensation.values(), ZERO)
    row = None
    if not employer.settings.quarterly_payer:
        # The EPS totals are the P32's (monthly rows; a quarterly payer's rows span three
        # months): a disagreement would mean two readings of the payslips.
        rows = [r for r in uk_p32(employer) if r.tax_year == tax_year]
        row = next((r for r in rows if r.month == month), None)
        p32_recovered = sum((r.statutory_recovered for r in rows if r.month <= month), ZERO)
        p32_compensation = sum((r.nic_compensation for r in rows if r.month <= month), ZERO)
        if (sum(recovered.values(), ZERO), sum(compensation.values(), ZERO)) != (
                p32_recovered, p32_compensation):
            prepared.problems.append(Problem(_("The recoverable amounts do not add up to the "
                                               "P32's; report this as a bug.")))
    claimed = tax_year in employer.settings.employment_allowance_years
    allowance = claimed and not _ea_already_claimed(employer.reference, tax_year, month)
    no_payment = not Payslip.objects.filter(
        run__schedule_id__in=employer.schedule_ids, run__status__in=PayRun.FROZEN,
        run__pay_date__range=(start, end)).exists()
    if no_payment:
        prepared.reasons.append(_("Nobody was paid in this tax month: HMRC expects an EPS instead "
                                  "of an FPS."))
    if any(recovered.values()) or any(compensation.values()):
        prepared.reasons.append(_("Statutory pay is recovered: the EPS tells HMRC the amounts "
                                  "year to date."))
    if allowance:
        prepared.reasons.append(_("The Employment Allowance is claimed for %(y)s.")
                                % {"y": tax_year})
    if final_for_year:
        prepared.reasons.append(_("Final submission for the tax year."))
    prepared.eps = M.EpsFigures(
        tax_month=month, period_end=end, no_payment_from=start if no_payment else None,
        no_payment_to=end if no_payment else None, employment_allowance=allowance,
        recovered_ytd=recovered, compensation_ytd=compensation, final_for_year=final_for_year)
    prepared.figures = {
        "recovered_ytd": str(p32_recovered), "compensation_ytd": str(p32_compensation),
        "employment_allowance": allowance, "no_payment": no_payment,
        "employment_allowance_month": str(row.employment_allowance if row else ZERO),
        "by_kind": {k: str(v) for k, v in recovered.items() if v}}
    return prepared


def employees_for_run(run: PayRun, employee_ids: list[int]) -> list[Employee]:
    """Those of `employee_ids` who have a payslip on the run (nobody else can be set from it)."""
    return list(Employee.objects.filter(
        pk__in=run.payslips.filter(employee_id__in=employee_ids).values("employee_id")))


def submission_for_run(run: PayRun) -> RtiSubmission | None:
    return RtiSubmission.objects.filter(kind=RtiSubmission.Kind.FPS, run=run).first()


def submission_for_month(reference: str, tax_year: str, month: int) -> RtiSubmission | None:
    return RtiSubmission.objects.filter(kind=RtiSubmission.Kind.EPS, paye_reference=reference,
                                        tax_year=tax_year, tax_month=month).first()


def submissions_for_employer(reference: str, tax_year: str) -> list[RtiSubmission]:
    """The employer's submissions of the year (FPS and EPS), newest first."""
    return list(RtiSubmission.objects.filter(paye_reference=reference, tax_year=tax_year)
                .select_related("run").order_by("-tax_month", "-pk"))
