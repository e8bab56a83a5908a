"""From stored setup to engine inputs, and from engine results to stored payslips.

Everything here works on a chunk of employees with a fixed number of queries (no per-employee
queries), so a 20,000-employee run is 100 chunks of cheap, bulk work.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from employees.models import CompensationRecord, Employee
from employees.selectors import weekly_hours_as_of
from hrops.copy_insert import copy_insert
from hrops.sql_ids import id_array
from payroll import engine
from payroll.engine import tax_years as engine_tax_years
from payroll.engine.jurisdictions.registry import get as get_jurisdiction
from payroll.models import (
    JURISDICTION_BY_COUNTRY,
    EmployeePayItem,
    PayComponent,
    PayRun,
    Payslip,
    PayslipLine,
    RunInput,
    TaxProfile,
)
from payroll.selectors import (
    bank_details_missing,
    previous_payslips,
    unpaid_leave_days_by_employee,
)
from payroll.selectors_position import pay_position
from payroll.services.sod_flags import changed_by_calculator_flags
from payroll.services.statutory import statutory_for_chunk

ZERO = Decimal("0")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")
# Run inputs with these component codes feed the engine's hours, paid at the employee's own
# hourly rate from their compensation record.
HOURS_CODE = "HOURS"
OVERTIME_CODE = "OVERTIME"

BLOCKING_FLAGS = {"variance", "negative_net", "missing_tax_setup", "missing_bank_details",
                  "calculation_error", "missing_hours"}
NOT_OVERRIDABLE = {"calculation_error"}


def engine_component(component: PayComponent) -> engine.PayComponent:
    """The engine's component for a stored one (percent is stored as 5 for 5%)."""
    rate = component.default_rate
    if component.calculation == PayComponent.Calculation.PERCENT_OF_BASE:
        rate = component.default_percent / HUNDRED if component.default_percent else None
    cap = component.garnishment_cap_percent
    return engine.PayComponent(
        code=component.code, name=component.name, kind=component.kind,
        calculation=component.calculation, amount=component.default_amount, rate=rate,
        multiplier=component.multiplier, base=component.base,
        income_taxable=component.income_taxable, social_taxable=component.social_taxable,
        reduces_income_tax_wages=component.reduces_income_tax_wages,
        reduces_social_wages=component.reduces_social_wages,
        relief_at_source=component.relief_at_source,
        garnishment_cap_rate=cap / HUNDRED if cap is not None else None,
        mandatory=component.mandatory,
    )


def _pay_item(component: PayComponent, *, amount=None, quantity=None, rate=None,
              percent=None, one_off: bool = False, cache: dict | None = None) -> engine.PayItem:
    if component.calculation == PayComponent.Calculation.PERCENT_OF_BASE and percent is not None:
        rate = percent / HUNDRED
    if cache is None:
        comp = engine_component(component)
    elif (comp := cache.get(component.pk)) is None:
        comp = cache[component.pk] = engine_component(component)
    if one_off and comp.kind == "earning":
        # A one-off earning of a run (bonus, commission) is supplemental wages, not regular
        # wages (IRS Pub 15 section 7); recurring items and salary are regular wages.
        comp = replace(comp, supplemental=True)
    return engine.PayItem(comp, amount=amount, quantity=quantity, rate=rate)


def us_w4(profile: TaxProfile) -> engine.USW4:
    return engine.USW4(
        form_year=profile.w4_form_year, filing_status=profile.filing_status,
        step2_checkbox=profile.step2_checkbox, step3_credits=profile.step3_credits,
        step4a_other_income=profile.step4a_other_income,
        step4b_deductions=profile.step4b_deductions,
        step4c_extra_withholding=profile.step4c_extra_withholding, exempt=profile.exempt,
        nonresident_alien=profile.nonresident_alien, marital_status=profile.marital_status,
        allowances=profile.allowances, extra_withholding=profile.extra_withholding,
    )


# The last regular tax period of a UK year per frequency (a week-53 style period after it is
# final too): where alternative arrangements recalculate directors' NI on the annual basis.
UK_LAST_PERIOD = {"weekly": 52, "fortnightly": 26, "four_weekly": 13, "monthly": 12}


def uk_director(profile: TaxProfile, *, pay_date: date, frequency: str, period_number: int,
                leaving: bool) -> engine.UKDirector | None:
    """The engine's director details for this payment, or None when NI is per pay period.

    Not yet appointed on the pay date: not a director for this payment. Appointed during this
    tax year: a pro-rata earnings period from the tax week of appointment (NIM12022). The final
    period (alternative arrangements) is the year's last period or a leaver's last pay.
    """
    appointed = profile.director_appointed_on
    if not profile.is_director or (appointed is not None and appointed > pay_date):
        return None
    in_this_year = appointed is not None and (
        engine_tax_years.uk_tax_year_for(appointed) == engine_tax_years.uk_tax_year_for(pay_date))
    return engine.UKDirector(
        method=profile.director_method,
        appointed_week=engine_tax_years.uk_tax_week(appointed) if in_this_year else None,
        final_period=leaving or period_number >= UK_LAST_PERIOD.get(frequency, 12),
    )


def uk_tax(profile: TaxProfile, director: engine.UKDirector | None = None) -> engine.UKTaxProfile:
    return engine.UKTaxProfile(tax_code=profile.tax_code or "1257L",
                               week1_month1=profile.week1_month1,
                               ni_category=profile.ni_category or "A", director=director,
                               student_loan_plan=profile.student_loan_plan,
                               postgraduate_loan=profile.postgraduate_loan)


def tax_period_number(schedule, period, pay_date: date) -> int:
    """UK: the tax period OF THE PAY DATE (HMRC: PAYE and NI are worked in the tax week or
    month in which a payment is made), so an off-cycle paid in another month is taxed there;
    US: the period's own number (nothing in the US calculation depends on it)."""
    if (schedule.is_supported and schedule.jurisdiction == "UK"
            and schedule.frequency in UK_LAST_PERIOD):
        return engine_tax_years.uk_tax_period(pay_date, schedule.frequency)
    return period.number


def _ytd(values: dict[str, Decimal], **extra) -> engine.YearToDate:
    return engine.YearToDate(**extra,
        us_fica_wages=values.get("us_fica_wages", ZERO),
        us_social_security_tax=values.get("us_social_security_tax", ZERO),
        uk_taxable_pay=values.get("uk_taxable_pay", ZERO),
        uk_tax_paid=values.get("uk_tax_paid", ZERO),
        # Directors' earnings period so far: the same finalised payslips' director keys, which
        # only payments made as a director carry (no extra query).
        uk_director_ni_pay=values.get("uk_director_ni_pay", ZERO),
        uk_director_employee_ni=values.get("uk_director_employee_ni", ZERO),
        uk_director_employer_ni=values.get("uk_director_employer_ni", ZERO),
    )


class CompRow(NamedTuple):
    """What the calculation reads of a compensation record (payroll.services.retro and
    .statutory read the same attributes)."""

    employee_id: int
    effective_date: date
    basis: str
    annual_salary: Decimal | None
    hourly_rate: Decimal | None
    reason: str
    created_at: datetime


class TaxRow(NamedTuple):
    """What the calculation reads of a tax profile (us_w4, uk_tax, uk_director)."""

    employee_id: int
    tax_code: str
    week1_month1: bool
    ni_category: str
    student_loan_plan: str
    postgraduate_loan: bool
    is_director: bool
    director_appointed_on: date | None
    director_method: str
    w4_form_year: int | None
    filing_status: str
    step2_checkbox: bool
    step3_credits: Decimal
    step4a_other_income: Decimal
    step4b_deductions: Decimal
    step4c_extra_withholding: Decimal
    exempt: bool
    nonresident_alien: bool
    marital_status: str
    allowances: int
    extra_withholding: Decimal


@dataclass
class Prepared:
    """One employee's engine inputs plus what the variance review needs to know."""

    employee: Employee
    inputs: engine.PayInputs
    inputs_hash: str
    tax_year: str
    prior_ytd: dict[str, Decimal]
    flags: list[dict] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    has_inputs: bool = False
    rate_changed: bool = False


def _segments(records: list[CompensationRecord], start: date, end: date):
    """Compensation records in force in [start, end] as engine segments (effective_to inclusive)."""
    in_force = [r for r in records if r.effective_date <= start][-1:] + [
        r for r in records if start < r.effective_date <= end
    ]
    segments = []
    for i, record in enumerate(in_force):
        nxt = in_force[i + 1].effective_date - timedelta(days=1) if i + 1 < len(in_force) else None
        segments.append(engine.CompensationSegment(
            effective_from=record.effective_date, effective_to=nxt,
            annual_salary=record.annual_salary if record.basis == "salary" else None,
            hourly_rate=record.hourly_rate if record.basis == "hourly" else None,
            reason=record.reason,
        ))
    return tuple(segments), in_force


def prepare(run: PayRun, employee_ids: list[int], *, pay_date: date | None = None,
            exclude_run_ids: frozenset = frozenset()) -> list[Prepared]:
    """Engine inputs for a chunk of employees: a fixed number of queries, whatever its size."""
    period, schedule = run.period, run.schedule
    pay_date = pay_date or run.pay_date
    # An unsupported country keeps its own code: the engine refuses it, nothing falls back to
    # another country's taxes (calculate_employees flags every payslip instead).
    jurisdiction = JURISDICTION_BY_COUNTRY.get(schedule.country, schedule.country)
    tax_year = get_jurisdiction(jurisdiction).tax_year_for(pay_date) if (
        schedule.is_supported) else ""
    start, end = period.start_date, period.end_date
    ids = id_array(employee_ids)  # one array parameter (hrops/sql_ids.py)
    employees = Employee.objects.filter(pk__in_ids=ids).only(
        "id", "hire_date", "termination_date", "legal_first_name", "legal_last_name",
        "employee_number",
    )
    # Rows, not model instances: building ~1,000 instances was a fifth of a chunk's time.
    comp: dict[int, list[CompRow]] = defaultdict(list)
    for row in CompensationRecord.objects.filter(
        employee_id__in_ids=ids, effective_date__lte=end
    ).order_by("employee_id", "effective_date").values_list(*CompRow._fields):
        comp[row[0]].append(CompRow(*row))
    items: dict[int, list[engine.PayItem]] = defaultdict(list)
    # An off-cycle run pays only its own inputs (a bonus, say): no salary, no recurring items.
    # A correction of an off-cycle run recalculates that off-cycle payment, not a salary.
    off_cycle = PayRun.Kind.OFF_CYCLE in (run.kind, getattr(run.corrects, "kind", None))
    if off_cycle:
        comp.clear()
    rows = [] if off_cycle else list(EmployeePayItem.objects.filter(
        employee_id__in_ids=ids, effective_from__lte=end
    ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start)).order_by(
        "employee_id", "component__code", "pk"
    ).values_list("employee_id", "component_id", "amount", "quantity", "rate", "percent"))
    components = PayComponent.objects.in_bulk({row[1] for row in rows})
    engine_components: dict[int, engine.PayComponent] = {}
    for employee_id, component_id, amount, quantity, rate, percent in rows:
        items[employee_id].append(_pay_item(
            components[component_id], amount=amount, quantity=quantity, rate=rate,
            percent=percent, cache=engine_components))
    hours: dict[int, dict[str, Decimal]] = defaultdict(dict)
    with_inputs: set[int] = set()
    for ri in RunInput.objects.filter(
        run=run, employee_id__in_ids=ids
    ).select_related("component").order_by("employee_id", "component__code"):
        with_inputs.add(ri.employee_id)
        if ri.component.code in (HOURS_CODE, OVERTIME_CODE):
            # Several inputs of one component all count.
            emp_hours = hours[ri.employee_id]
            emp_hours[ri.component.code] = emp_hours.get(ri.component.code, ZERO) + (
                ri.quantity or ZERO)
            hours[ri.employee_id]["multiplier"] = ri.component.multiplier
        else:
            items[ri.employee_id].append(_pay_item(
                ri.component, amount=ri.amount, quantity=ri.quantity, rate=ri.rate,
                one_off=True))
    leave = {} if off_cycle else unpaid_leave_days_by_employee(employee_ids, start, end)
    # No ordering: the model's (by employee name) joined the employee table for nothing.
    profiles = {row[0]: TaxRow(*row) for row in TaxProfile.objects.filter(
        employee_id__in_ids=ids, jurisdiction=jurisdiction
    ).order_by().values_list(*TaxRow._fields)}
    # Year to date and the other payments of this payment's tax period (payroll.selectors_position)
    position = pay_position(run, employee_ids, tax_year=tax_year, pay_date=pay_date,
                            exclude_run_ids={run.pk, *exclude_run_ids})
    ytd = position.ytd
    period_number = tax_period_number(schedule, period, pay_date)
    weekly = weekly_hours_as_of(employee_ids, end)
    options = engine.Options(whole_dollar_withholding=schedule.whole_dollar_withholding,
                             supplemental_method=schedule.supplemental_method)
    # Imported here, not at the top: payroll.services.retro builds on this module (_segments).
    from payroll.services.retro import retro_apply, retro_for_chunk

    # Arrears for finalised periods a back-dated pay change reaches (payroll.services.retro).
    retro = retro_for_chunk(run, employees, comp)
    # UK statutory sick and family pay (payroll.services.statutory).
    statutory = statutory_for_chunk(run, employees, comp, leave, exclude_run_ids=exclude_run_ids)
    prepared = []
    for employee in employees:
        segments, records = _segments(comp[employee.pk], start, end)
        arrears = retro.get(employee.pk)
        profile = profiles.get(employee.pk)
        emp_hours = hours.get(employee.pk, {})
        # No UK tax details: HMRC's emergency code on a month 1 / week 1 basis.
        uk_profile = engine.UKTaxProfile(week1_month1=True)
        if profile is not None:
            director = uk_director(
                profile, pay_date=pay_date, frequency=schedule.frequency,
                period_number=period_number,
                leaving=bool(employee.termination_date and employee.termination_date <= end),
            ) if jurisdiction == "UK" else None
            uk_profile = uk_tax(profile, director)
        inputs = engine.PayInputs(
            jurisdiction=jurisdiction, pay_date=pay_date, period_start=start, period_end=end,
            pay_frequency=schedule.frequency, compensation=segments,
            period_number=period_number,
            employment_start=employee.hire_date if employee.hire_date > start else None,
            employment_end=employee.termination_date if employee.termination_date
            and employee.termination_date < end else None,
            proration_basis=schedule.proration_basis,
            unpaid_leave_days=statutory.unpaid_days(employee.pk, leave.get(employee.pk, ())),
            hours_worked=emp_hours.get(HOURS_CODE, ZERO),
            overtime_hours=emp_hours.get(OVERTIME_CODE, ZERO),
            overtime_multiplier=emp_hours.get("multiplier", Decimal("1.5")),
            weekly_hours=weekly.get(employee.pk),
            items=tuple(items[employee.pk]) + (arrears.items if arrears else ())
            + statutory.items(employee.pk),
            off_cycle=off_cycle,
            us_w4=us_w4(profile) if profile and jurisdiction == "US" else None,
            uk_tax=uk_profile,
            ytd=_ytd(ytd.get(employee.pk, {}), **position.engine_ytd_extra(employee.pk)),
            options=options,
        )
        # The hash covers every input, unpaid leave days included: adding or removing leave
        # recalculates that employee, and an employee with no leave hashes as before. Other
        # runs of the period still pending are part of it: their finalisation recalculates;
        # so are the arrears a back-dated pay change adds.
        digest = hashlib.sha256(repr((inputs, tax_year) + (
            (arrears.hash_part,) if arrears and arrears.hash_part else ())).encode()
            + position.digest_part(employee.pk).encode()).hexdigest()
        p = Prepared(employee, inputs, digest, tax_year, ytd.get(employee.pk, {}),
                     has_inputs=employee.pk in with_inputs,
                     rate_changed=any(r.effective_date > start for r in records[1:]))
        if profile is None:
            p.flags.append(_flag("missing_tax_setup", "No tax details on file; emergency "
                                 "defaults used."))
        if (pending := position.pending_flag(employee.pk)) is not None:
            p.flags.append(pending)
        retro_apply(p, arrears)
        statutory.apply(p)
        prepared.append(p)
    return prepared


def _flag(code: str, message: str) -> dict:
    return {"code": code, "message": message, "blocking": code in BLOCKING_FLAGS,
            "overridable": code not in NOT_OVERRIDABLE}


def _stringify(values: dict[str, Decimal]) -> dict[str, str]:
    return {k: str(v) for k, v in sorted(values.items())}


def _review(run: PayRun, p: Prepared, result: engine.PayResult | None, previous) -> None:
    """Reasons for change against the previous finalised payslip, and flags to review."""
    start, end = run.period.start_date, run.period.end_date
    emp = p.employee
    if previous is None or start <= emp.hire_date <= end:
        p.reasons.append("new_hire")
    if emp.termination_date and emp.termination_date <= end:
        p.reasons.append("leaver")
    if p.rate_changed or (previous is not None and any(
        s.effective_from > previous.period_end for s in p.inputs.compensation
    )):
        p.reasons.append("rate_change")
    if result is not None and any(
        line.code == "SALARY" and line.trace.get("inputs", {}).get("segment")
        != [start.isoformat(), end.isoformat()] for line in result.lines
    ):
        p.reasons.append("proration")
    if result is not None and any(
        line.code == "SALARY" and line.trace.get("inputs", {}).get("unpaid_leave_days")
        for line in result.lines
    ):
        p.reasons.append("unpaid_leave")
    elif previous is not None and "unpaid_leave" in previous.reasons:
        # Back to full pay after a period with unpaid leave: the same cause, explained once
        # (a separate code, so it does not carry on into every later period).
        p.reasons.append("unpaid_leave_ended")
    if p.has_inputs:
        p.reasons.append("one_off_input")
    if previous is not None and previous.tax_year != p.tax_year:
        p.reasons.append("tax_table_change")
    if result is None:
        return
    if result.net < ZERO:
        p.flags.append(_flag("negative_net", f"Net pay is negative ({result.net})."))
    threshold = run.schedule.variance_threshold_percent
    if previous is not None and previous.net:
        change = (result.net - previous.net) / abs(previous.net) * HUNDRED
        if abs(change) > threshold:
            p.flags.append(_flag(
                "variance", f"Net pay changed {change.quantize(CENT)}% from {previous.net} "
                f"(threshold {threshold}%)."))


def build_payslip(run: PayRun, p: Prepared, result, lines, previous, *,
                  increments: dict[str, Decimal] | None = None) -> Payslip:
    """A payslip row whose totals are sums of the stored lines (never of unrounded figures)."""
    if increments is None:
        _review(run, p, result, previous)
        increments = dict(result.ytd_increments) if result is not None else {}
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        totals[line.category] += line.amount
    gross = totals["earning"] + totals["reimbursement"]
    employer = totals["employer_contribution"] + totals["employer_tax"]
    net = gross - totals["pre_tax_deduction"] - totals["employee_tax"] - totals[
        "post_tax_deduction"]
    ytd = dict(p.prior_ytd)
    for key, value in increments.items():
        ytd[key] = ytd.get(key, ZERO) + value
    return Payslip(
        run=run, employee=p.employee, currency=run.currency, tax_year=p.tax_year, gross=gross,
        total_pre_tax=totals["pre_tax_deduction"], total_employee_tax=totals["employee_tax"],
        total_post_tax=totals["post_tax_deduction"], net=net, employer_cost=gross + employer,
        total_employer_tax=totals["employer_tax"],
        ytd=_stringify(ytd), ytd_increments=_stringify(increments), inputs_hash=p.inputs_hash,
        reasons=p.reasons, flags=p.flags, overrides=[], calculated_at=timezone.now(),
    )


def store(run: PayRun, built: list[tuple[Payslip, list]], existing: dict[int, Payslip]) -> None:
    """Replace changed employees' payslips: update the row in place (same id), new lines."""
    changed_ids = [existing[ps.employee_id].pk for ps, _ in built if ps.employee_id in existing]
    if changed_ids:  # a first calculation has nothing to delete (and the guard's query)
        PayslipLine.objects.filter(payslip_id__in=changed_ids).delete()
    to_update, to_create = [], []
    for payslip, _ in built:
        old = existing.get(payslip.employee_id)
        if old is not None:
            payslip.pk = old.pk
            to_update.append(payslip)
        else:
            to_create.append(payslip)
    fields = ["currency", "tax_year", "gross", "total_pre_tax", "total_employee_tax",
              "total_post_tax", "net", "employer_cost", "ytd", "ytd_increments", "inputs_hash",
              "reasons", "flags", "overrides", "calculated_at", "total_employer_tax"]
    Payslip.objects.bulk_update(to_update, fields, batch_size=500)
    # COPY on PostgreSQL (hrops/copy_insert.py): Django's multi-row INSERT spent ~0.2 s of a
    # 200-payslip chunk building and binding ~6,000 parameters.
    copy_insert(Payslip, to_create, batch_size=500)
    rows = [(payslip.pk, order, line.code, line.description[:200], line.category,
             line.quantity, line.rate, line.amount, line.trace)
            for payslip, lines in built for order, line in enumerate(lines)]
    _insert_lines(rows)


LINE_COLUMNS = ("payslip_id", "sort_order", "code", "description", "category", "quantity",
                "rate", "amount", "trace")


def _insert_lines(rows: list[tuple]) -> None:
    """Insert payslip lines; on PostgreSQL through COPY, which is several times faster than a
    multi-row INSERT for the ~8 lines x 200 payslips of a chunk."""
    if connection.vendor != "postgresql":
        PayslipLine.objects.bulk_create(
            (PayslipLine(**dict(zip(LINE_COLUMNS, row, strict=True))) for row in rows),
            batch_size=1000)
        return
    table = PayslipLine._meta.db_table
    sql = f"COPY {table} ({', '.join(LINE_COLUMNS)}) FROM STDIN"
    # The wrapper's underlying psycopg cursor: same connection, same transaction.
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row((*row[:8], _trace_json(row[8])))


# json.dumps(trace, default=str) without building a new encoder for each of a run's ~120,000
# lines (json.dumps does whenever an option such as `default` is given): the same text.
_trace_json = json.JSONEncoder(default=str).encode


def calculate_employees(run: PayRun, employee_ids: list[int]) -> int:
    """Calculate (or keep) each employee's payslip in this run; returns how many changed.

    An employee whose inputs hash equals the stored payslip's keeps that payslip untouched (same
    row, same lines): recalculating a draft only rewrites what changed.
    """
    if run.kind == PayRun.Kind.CORRECTION:
        from payroll.services.corrections import calculate_correction_employees

        return calculate_correction_employees(run, employee_ids)
    existing = {p.employee_id: p for p in Payslip.objects.filter(
        run=run, employee_id__in_ids=id_array(employee_ids)).order_by().only(
            "id", "employee_id", "inputs_hash")}
    prepared = prepare(run, employee_ids)
    data_flags(run, prepared)
    todo = [p for p in prepared if existing.get(p.employee.pk) is None
            or existing[p.employee.pk].inputs_hash != p.inputs_hash]
    if not todo:
        return 0
    previous = previous_payslips([p.employee.pk for p in todo], run.pay_date,
                                 exclude_run_id=run.pk)
    built = []
    for p in todo:
        if not run.schedule.is_supported:
            result, lines = None, []  # flagged by data_flags: never another country's taxes
        else:
            try:
                result = engine.calculate(p.inputs)
                lines = list(result.lines)
            except (LookupError, ValueError, ArithmeticError) as exc:
                result, lines = None, []
                p.flags.append(_flag("calculation_error", f"{type(exc).__name__}: {exc}"))
        built.append((build_payslip(run, p, result, lines, previous.get(p.employee.pk)), lines))
    store(run, built, existing)
    return len(todo)


def data_flags(run: PayRun, prepared: list[Prepared]) -> None:
    """Flags that come from current data rather than from the calculation (bank details, pay
    schedule country, hours), worked out on EVERY calculation and folded into the inputs hash:
    adding or removing a bank account recalculates that payslip, so its flags are never stale.
    One query per chunk (bank details)."""
    missing_bank = bank_details_missing([p.employee.pk for p in prepared]) or set()
    unsupported = None if run.schedule.is_supported else run.schedule.unsupported_message
    changed_by_calculator_flags(run, prepared, _flag)  # payroll/services/sod_flags.py
    for p in prepared:
        if unsupported:
            p.flags.append(_flag("calculation_error", unsupported))
        if p.employee.pk in missing_bank:
            p.flags.append(_flag("missing_bank_details", "No bank account for payment."))
        if run.kind == PayRun.Kind.REGULAR and not p.inputs.hours_worked and any(
            s.hourly_rate is not None for s in p.inputs.compensation
        ):
            p.flags.append(_flag("missing_hours", "Paid by the hour, but no hours were entered "
                                 "for this run: nothing is paid for hours."))
        state = json.dumps([[f["code"], f["message"]] for f in p.flags])
        p.inputs_hash = hashlib.sha256(f"{p.inputs_hash}:{state}".encode()).hexdigest()
