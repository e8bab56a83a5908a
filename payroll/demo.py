"""Demo payroll: tax details and recurring items for everyone, a year of finalised history (UK
monthly from April, US biweekly from January, up to the latest pay date), and one draft run per
schedule ready to calculate (a few spot bonuses, a little unpaid leave). Idempotent: existing
runs, profiles, items and leave are left alone.

History is calculated with the engine directly in bulk (no Celery round trip), then approved and
finalised through the same services as the pages, with the demo's two Payroll Admins as the four
eyes.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from accounts.demo import DemoContext
from employees.models import CompensationRecord, Employee
from payroll.models import (
    EmployeePayItem,
    PayComponent,
    PayRun,
    PaySchedule,
    Payslip,
    RunInput,
    TaxProfile,
    UnpaidLeave,
)
from payroll.selectors import run_employee_ids
from payroll.services.calculation import HOURS_CODE, calculate_employees
from payroll.services.leave import unpaid_leave_create
from payroll.services.payment_details import PaymentDetails, schedule_payment_details_update
from payroll.services.periods import periods_generate
from payroll.services.runs import (
    finalise_in_transaction,
    run_approve,
    run_create,
    run_mark_paid,
)

CALCULATOR = "payroll.admin@demo.hrops.test"
APPROVER = "payroll.approver@demo.hrops.test"

COMPONENTS = [
    dict(code="HOURS", name="Hours worked", kind="earning", calculation="rate_x_hours"),
    dict(code="OVERTIME", name="Overtime", kind="earning", calculation="rate_x_hours",
         multiplier=Decimal("1.5")),
    dict(code="BONUS", name="Bonus", kind="earning"),
    dict(code="REIMB", name="Expense reimbursement", kind="reimbursement",
         income_taxable=False, social_taxable=False),
    dict(code="PENSION", name="Pension (net pay arrangement)", kind="pre_tax_deduction",
         calculation="percent_of_base", default_percent=Decimal("5"),
         reduces_income_tax_wages=True),
    dict(code="ER_PENSION", name="Employer pension", kind="employer_contribution",
         calculation="percent_of_base", default_percent=Decimal("3"), base="basic_pay"),
    dict(code="401K", name="401(k) deferral", kind="pre_tax_deduction",
         calculation="percent_of_base", default_percent=Decimal("6"),
         reduces_income_tax_wages=True),
    dict(code="HEALTH", name="Health premium (Section 125)", kind="pre_tax_deduction",
         default_amount=Decimal("120.00"), reduces_income_tax_wages=True,
         reduces_social_wages=True),
    dict(code="LOAN", name="Season ticket loan", kind="post_tax_deduction"),
]
HOURS_PER_PERIOD = {"monthly": Decimal("160"), "biweekly": Decimal("80")}


def _components() -> dict[str, PayComponent]:
    found = {c.code: c for c in PayComponent.objects.all()}
    for spec in COMPONENTS:
        if spec["code"] not in found:
            found[spec["code"]] = PayComponent.objects.create(**spec)
    return found


def _setup(ctx: DemoContext, schedule: PaySchedule, components: dict) -> None:
    """Tax details and recurring items for everyone on the schedule (once)."""
    ids = set(CompensationRecord.objects.filter(pay_schedule=schedule).values_list(
        "employee_id", flat=True))
    jurisdiction = schedule.jurisdiction
    have = set(TaxProfile.objects.filter(employee_id__in=ids, jurisdiction=jurisdiction)
               .values_list("employee_id", flat=True))
    rng = ctx.rng
    profiles = []
    for pk in sorted(ids - have):
        if jurisdiction == "UK":
            code = rng.choice(["1257L"] * 8 + ["S1257L", "BR", "K475"])
            profiles.append(TaxProfile(employee_id=pk, jurisdiction="UK", tax_code=code,
                                       ni_category=rng.choice("AAAAAAAAM" if pk % 2 else "A")))
        else:
            profiles.append(TaxProfile(
                employee_id=pk, jurisdiction="US", filing_status=rng.choice(
                    ["single", "married_filing_jointly", "head_of_household"]),
                step3_credits=Decimal(rng.choice([0, 0, 2000, 4000]))))
    TaxProfile.objects.bulk_create(profiles)
    have_items = set(EmployeePayItem.objects.filter(employee_id__in=ids).values_list(
        "employee_id", flat=True))
    codes = ["PENSION", "ER_PENSION"] if jurisdiction == "UK" else ["401K", "HEALTH"]
    hires = dict(CompensationRecord.objects.filter(employee_id__in=ids).order_by(
        "-effective_date").values_list("employee_id", "employee__hire_date"))
    EmployeePayItem.objects.bulk_create(
        EmployeePayItem(employee_id=pk, component=components[code], effective_from=hires[pk])
        for pk in sorted(ids - have_items) for code in codes
    )


def _hours_inputs(run: PayRun, components: dict) -> None:
    """Hourly staff work a standard period (a few with overtime) in every run."""
    period = run.period
    hourly = set(CompensationRecord.objects.filter(
        employee_id__in=run_employee_ids(run), basis="hourly",
        effective_date__lte=period.end_date).values_list("employee_id", flat=True))
    hours = HOURS_PER_PERIOD.get(run.schedule.frequency, Decimal("80"))
    rows = [RunInput(run=run, employee_id=pk, component=components[HOURS_CODE], quantity=hours)
            for pk in sorted(hourly)]
    rows += [RunInput(run=run, employee_id=pk, component=components["OVERTIME"],
                      quantity=Decimal(4 + (pk + period.number) % 6))
             for pk in sorted(hourly) if (pk + period.number) % 3 == 0]
    RunInput.objects.bulk_create(rows, ignore_conflicts=True)


def _finalised_history(run: PayRun, calculator, approver) -> None:
    # Nobody approves a run containing their own payslip (segregation of duties): when the demo
    # approver is paid on this schedule, the two demo Payroll Admins swap places.
    ids = run_employee_ids(run)
    if Employee.objects.filter(pk__in=ids, user=approver).exists():
        calculator, approver = approver, calculator
    calculate_employees(run, ids)
    total = run.payslips.count()
    PayRun.objects.filter(pk=run.pk).update(
        status=PayRun.Status.CALCULATED, calculated_by=calculator, calculated_at=timezone.now(),
        progress_total=total, progress_done=total)
    # History is pre-reviewed: accept its flags (e.g. the demo has no bank accounts on file).
    flagged = [p for p in run.payslips.exclude(flags=[]).only("id", "flags", "run_id")]
    for p in flagged:
        p.overrides = [{"code": f["code"], "comment": "Demo history: reviewed",
                        "by": calculator.email, "by_id": calculator.pk,
                        "at": timezone.now().isoformat()} for f in p.flags if f.get("blocking")]
    Payslip.objects.bulk_update(flagged, ["overrides"], batch_size=500)
    run.refresh_from_db()
    run_approve(run=run, acting_user=approver)
    # History: employees were told at the time, and PDFs are rendered below only for the demo
    # logins (the rest on demand with `manage.py payslips_render_pending`), so seeding stays fast.
    finalise_in_transaction(run=run, acting_user=approver, deliver=False)
    run.payslips.update(emailed_at=timezone.now())
    run_mark_paid(run=run, acting_user=approver)


def _render_demo_login_payslips(ctx: DemoContext) -> None:
    """PDFs for the demo logins' own payslips, so the portal has something to download."""
    from payroll.services.payslips import payslips_queue_pdfs

    payslips_queue_pdfs(Payslip.objects.filter(
        employee__user__in=list(ctx.users.values()), pdf_status=Payslip.PdfStatus.PENDING,
        run__status__in=PayRun.FROZEN,
    ))


def _unpaid_leave(run: PayRun, calculator) -> None:
    """Two days of unpaid leave for one salaried employee in a new upcoming run, so calculating
    it shows the deduction and its reason."""
    record = CompensationRecord.objects.filter(
        employee_id__in=run_employee_ids(run), basis="salary"
    ).exclude(employee__user=calculator).select_related("employee").order_by("employee_id").first()
    if record is None or UnpaidLeave.objects.filter(employee_id=record.employee_id).exists():
        return
    first = run.period.start_date + timedelta(days=7)
    unpaid_leave_create(employee=record.employee, first_day=first,
                        last_day=first + timedelta(days=1), reason="Personal (demo)",
                        acting_user=calculator)


# Published example values (the ECBS example IBAN, the Federal Reserve's test routing number),
# so the demo's payment files can be made without configuring anything.
DEMO_PAYMENT_DETAILS = {
    "UK": PaymentDetails(payer_name="Acme Widgets Ltd", debtor_iban="GB82WEST12345698765432",
                         debtor_bic="NWBKGB2L"),
    "US": PaymentDetails(payer_name="Acme Widgets Inc", ach_company_id="1123456789",
                         ach_odfi_routing="021000021", ach_destination_name="DEMO BANK NA"),
}


def _payment_details(schedule: PaySchedule, calculator) -> None:
    if schedule.payer_name:
        return  # set before (by the demo or by someone trying it out): keep it
    schedule_payment_details_update(schedule=schedule, acting_user=calculator,
                                    data=DEMO_PAYMENT_DETAILS[schedule.jurisdiction])


def seed(ctx: DemoContext) -> None:
    calculator, approver = ctx.users.get(CALCULATOR), ctx.users.get(APPROVER)
    if calculator is None or approver is None:
        return
    today = timezone.localdate()
    components = _components()
    for schedule in PaySchedule.objects.filter(Q(name="UK monthly") | Q(name="US biweekly")):
        periods_generate(schedule=schedule, until=today + timedelta(days=40),
                         acting_user=calculator)
        _setup(ctx, schedule, components)
        _payment_details(schedule, calculator)
        # UK tax year from 6 April; the US calendar year.
        year_start = date(today.year if today >= date(today.year, 4, 6) else today.year - 1,
                          4, 6) if schedule.jurisdiction == "UK" else date(today.year, 1, 1)
        periods = list(schedule.periods.filter(pay_date__gte=year_start).order_by("start_date"))
        runs = {r.period_id: r for r in PayRun.objects.filter(schedule=schedule,
                                                               kind=PayRun.Kind.REGULAR)}
        past = [p for p in periods if p.pay_date <= today]
        for period in past:
            if period.pk in runs:
                continue
            run = run_create(schedule=schedule, period=period, acting_user=calculator)
            _hours_inputs(run, components)
            _finalised_history(run, calculator, approver)
        upcoming = next((p for p in periods if p.pay_date > today), None)
        if upcoming is not None and upcoming.pk not in runs:
            run = run_create(schedule=schedule, period=upcoming, acting_user=calculator,
                             note="Ready to calculate")
            _hours_inputs(run, components)
            ids = run_employee_ids(run)[:5]
            RunInput.objects.bulk_create(
                RunInput(run=run, employee_id=pk, component=components["BONUS"],
                         amount=Decimal("500.00"), note="Spot bonus") for pk in ids)
            _unpaid_leave(run, calculator)
    _render_demo_login_payslips(ctx)
