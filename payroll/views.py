"""Pay run pages. Payroll Admins run payroll; HR may look; nobody else knows the pages exist."""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Role, has_role, sees_payroll
from employees.access import Section, can_change, can_view
from employees.models import Employee
from payroll import selectors, selectors_flags, selectors_review
from payroll.forms import (
    CorrectionForm,
    OverrideForm,
    PayItemForm,
    PaymentDetailsForm,
    RunCreateForm,
    SupplementalMethodForm,
    TaxProfileForm,
    UnpaidLeaveForm,
)
from payroll.models import (
    EmployeePayItem,
    PayRun,
    PaySchedule,
    PayslipLine,
    TaxProfile,
    UnpaidLeave,
)
from payroll.services import leave as leave_services
from payroll.services import payment_details
from payroll.services import runs as run_services
from payroll.services import schedules as schedule_services
from payroll.services import setup as setup_services
from payroll.services.periods import periods_generate
from payroll.views_employer import employer_form_for

FLAG_CODE = re.compile(r"[a-z0-9_]{1,40}")


def _staff(request: HttpRequest) -> None:
    """Payroll pages exist only for HR Admin, Payroll Admin and Payroll Viewers (404 for everyone
    else: no existence leak)."""
    if not sees_payroll(request.user):
        raise Http404


def _get_run(request: HttpRequest, pk: int) -> PayRun:
    _staff(request)
    # With its summary (payroll.services.run_summary): the run page and review read it, and
    # it costs no query of its own.
    return get_object_or_404(PayRun.objects.select_related(
        "schedule", "period", "corrects", "calculated_by", "approved_by", "finalised_by",
        "summary"), pk=pk)


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    runs = selectors.run_list().annotate(n_payslips=Count("payslips"))[:100]
    return render(request, "payroll/run_list.html", {
        "runs": runs, "form": RunCreateForm(), "schedules": PaySchedule.objects.all(),
        "can_run": has_role(request.user, Role.PAYROLL_ADMIN)})


@require_POST
def run_create(request: HttpRequest) -> HttpResponse:
    _staff(request)
    run_services.require_payroll_admin(request.user)
    form = RunCreateForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            run = run_services.run_create(
                schedule=d["schedule"], period=d["period"], kind=d["kind"],
                employees=d["employees"], pay_date=d["pay_date"], note=d["note"],
                acting_user=request.user)
            return redirect("payroll:run_detail", pk=run.pk)
        except ValidationError as exc:
            _fail(request, exc)
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
    return redirect("payroll:run_list")


@require_GET
def schedule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    schedule = get_object_or_404(PaySchedule, pk=pk)
    can_run = has_role(request.user, Role.PAYROLL_ADMIN)
    return render(request, "payroll/schedule_detail.html", {
        "schedule": schedule, "periods": schedule.periods.order_by("-start_date")[:60],
        "can_run": can_run,
        "payment_form": PaymentDetailsForm(initial=_payment_form_initial(schedule))
        if can_run else None,
        "supplemental_form": SupplementalMethodForm(
            initial={"supplemental_method": schedule.supplemental_method})
        if can_run and schedule.country == "US" else None,
        "employer_form": employer_form_for(schedule) if can_run else None})


def _payment_form_initial(schedule: PaySchedule) -> dict:
    return {name: getattr(schedule, name) for name in payment_details.FIELDS
            if name != "debtor_iban"}


@require_POST
def schedule_payment_details(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    run_services.require_payroll_admin(request.user)
    schedule = get_object_or_404(PaySchedule, pk=pk)
    form = PaymentDetailsForm(request.POST)
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in payment_details.FIELDS}
        if not values["debtor_iban"] and not form.cleaned_data["clear_debtor_iban"]:
            values["debtor_iban"] = schedule.debtor_iban  # empty means "keep"
        try:
            payment_details.schedule_payment_details_update(
                schedule=schedule, data=payment_details.PaymentDetails(**values),
                acting_user=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Payment file details saved."))
            return redirect("payroll:schedule_detail", pk=pk)
    return render(request, "payroll/schedule_detail.html", {
        "schedule": schedule, "periods": schedule.periods.order_by("-start_date")[:60],
        "can_run": True, "payment_form": form}, status=400)


@require_POST
def schedule_supplemental_method(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    run_services.require_payroll_admin(request.user)
    schedule = get_object_or_404(PaySchedule, pk=pk)
    form = SupplementalMethodForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how supplemental wages are withheld."))
        return redirect("payroll:schedule_detail", pk=pk)
    try:
        schedule_services.schedule_supplemental_method_set(
            schedule=schedule, method=form.cleaned_data["supplemental_method"],
            acting_user=request.user)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Supplemental wages withholding saved."))
    return redirect("payroll:schedule_detail", pk=pk)


@require_POST
def schedule_generate(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    run_services.require_payroll_admin(request.user)
    schedule = get_object_or_404(PaySchedule, pk=pk)
    from datetime import date, timedelta

    try:
        new = periods_generate(schedule=schedule, until=date.today() + timedelta(days=120),
                               acting_user=request.user)
    except ValidationError as exc:  # e.g. a country the payroll engine does not support
        _fail(request, exc)
    else:
        messages.success(request, _("%(n)d period(s) generated.") % {"n": len(new)})
    return redirect("payroll:schedule_detail", pk=pk)


def _run_filter(request: HttpRequest) -> dict:
    """The run page's payslip filter: one flag code, unresolved blocking flags, or any flag."""
    code = request.GET.get("flag", "")
    if code and not FLAG_CODE.fullmatch(code):
        raise BadRequest(_("Unknown flag code."))
    return {"flag": code, "blocked": request.GET.get("blocked") == "1",
            "flagged": request.GET.get("flagged") == "1"}


@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The run: totals and flag counts from SQL aggregates, payslips 100 a page (optionally
    only the flagged ones): a fixed number of queries at any headcount."""
    run = _get_run(request, pk)
    if request.headers.get("HX-Request") and request.GET.get("part") == "progress":
        if run.status != PayRun.Status.CALCULATING:
            response = HttpResponse("")  # done (or failed): reload the page to show results
            response["HX-Refresh"] = "true"
            return response
        return render(request, "payroll/run_detail.html#progress", {
            "run": run, "can_run": has_role(request.user, Role.PAYROLL_ADMIN)})
    filters = _run_filter(request)
    payslips = selectors.run_payslips(run)
    if any(filters.values()):
        payslips = selectors_flags.payslips_flagged(payslips, code=filters["flag"],
                                                    blocked=filters["blocked"])
    totals = selectors_review.run_page_totals(run)
    page = selectors_review.payslip_page(payslips, request.GET.get("page"), count=None if any(
        filters.values()) or run.status == PayRun.Status.CALCULATING else totals.headcount)
    query = urlencode({k: "1" if v is True else v for k, v in filters.items() if v})
    return render(request, "payroll/run_detail.html", {
        "run": run, "payslips": page, "page_obj": page, "filters": filters, "query": query,
        "filtered": bool(query), "can_run": has_role(request.user, Role.PAYROLL_ADMIN),
        "totals": totals,
        # payslip_detail's URL less the payslip id, which ends it: one reverse() for 100 rows
        "payslip_url": reverse("payroll:payslip_detail", args=[run.pk, 0]).removesuffix("0/"),
        "flag_counts": selectors_flags.flag_counts(run.pk),
        "blocked": selectors_flags.blocked_count(run.pk), "correction_form": CorrectionForm()})


@require_GET
def run_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The run-level review the approver reads before the Approve button (which lives here)."""
    run = _get_run(request, pk)
    return render(request, "payroll/run_review.html", {
        "run": run, "review": selectors_review.run_review(run),
        "blocked": selectors_flags.blocked_count(run.pk),
        "can_run": has_role(request.user, Role.PAYROLL_ADMIN),
        "is_calculator": run.calculated_by_id == request.user.pk})


ACTIONS = {
    "calculate": run_services.run_calculate,
    "approve": run_services.run_approve,
    "finalise": run_services.run_finalise,
    "paid": run_services.run_mark_paid,
}
# The work these start is durable (delivery/): it is queued even while the broker is down.
QUEUED_MESSAGES = {
    "calculate": gettext_lazy("Calculation queued: the results appear here as the workers finish."),
    "finalise": gettext_lazy("Run finalised. Payslip PDFs and emails are queued for delivery."),
}


@require_POST
def run_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    run = _get_run(request, pk)
    service = ACTIONS.get(action)
    if service is None:
        raise Http404
    kwargs = {"restart": True} if action == "calculate" and request.POST.get("restart") else {}
    try:
        service(run=run, acting_user=request.user, **kwargs)
        if action in QUEUED_MESSAGES:
            messages.success(request, QUEUED_MESSAGES[action])
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("payroll:run_detail", pk=run.pk)


@require_POST
def run_correct(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    run_services.require_payroll_admin(request.user)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the employee numbers to correct."))
        return redirect("payroll:run_detail", pk=run.pk)
    numbers = form.cleaned_data["employee_numbers"].replace(",", " ").split()
    ids = list(Employee.objects.filter(employee_number__in=numbers).values_list("pk", flat=True))
    try:
        new = run_services.run_correction_create(
            original=run, employee_ids=ids, acting_user=request.user,
            pay_date=form.cleaned_data["pay_date"], note=form.cleaned_data["note"])
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("payroll:run_detail", pk=run.pk)
    return redirect("payroll:run_detail", pk=new.pk)


@require_GET
def payslip_detail(request: HttpRequest, pk: int, payslip_pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    payslip = selectors.payslip_with_lines(run, payslip_pk)
    if payslip is None:
        raise Http404
    return render(request, "payroll/payslip_detail.html", {
        "run": run, "payslip": payslip, "rows": selectors.line_variance(payslip),
        "override_form": OverrideForm(),
        "can_override": has_role(request.user, Role.PAYROLL_ADMIN)
        and run.status == PayRun.Status.CALCULATED})


@require_GET
def line_trace(request: HttpRequest, line_pk: int) -> HttpResponse:
    _staff(request)
    line = get_object_or_404(PayslipLine, pk=line_pk)
    return render(request, "payroll/payslip_detail.html#trace", {"line": line})


@require_POST
def payslip_override(request: HttpRequest, pk: int, payslip_pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    payslip = get_object_or_404(run.payslips, pk=payslip_pk)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why this flag is acceptable."))
    else:
        try:
            run_services.payslip_flag_override(
                payslip=payslip, code=form.cleaned_data["code"],
                comment=form.cleaned_data["comment"], acting_user=request.user)
            messages.success(request, _("Flag overridden; your comment is recorded."))
        except ValidationError as exc:
            _fail(request, exc)
    return redirect("payroll:payslip_detail", pk=run.pk, payslip_pk=payslip.pk)


def _setup_employee(request: HttpRequest, pk: int, *, write: bool = False) -> Employee:
    """Pay setup is for HR Admin, Payroll and Payroll Viewers only; managers (even with grants)
    and the employee never; nobody changes their own (employees.access)."""
    _staff(request)
    employee = Employee.objects.filter(pk=pk).first()
    if employee is None or not can_view(request.user, employee, Section.PAY_SETUP):
        raise Http404
    if write and not can_change(request.user, employee, Section.PAY_SETUP):
        raise PermissionDenied
    return employee


def _setup_context(employee: Employee, **extra) -> dict:
    profiles = {p.jurisdiction: p for p in TaxProfile.objects.filter(employee=employee)}
    forms = extra.pop("tax_forms", {})
    for code in ("UK", "US"):
        if code not in forms:
            instance = profiles.get(code) or TaxProfile(employee=employee, jurisdiction=code)
            forms[code] = TaxProfileForm(instance=instance, prefix=code)
    return {"employee": employee, "tax_forms": forms, "profiles": profiles,
            "items": EmployeePayItem.objects.filter(employee=employee).select_related(
                "component"),
            "item_form": extra.pop("item_form", PayItemForm()),
            **_leave_context(employee, extra.pop("leave_form", None)), **extra}


def _leave_context(employee: Employee, form: UnpaidLeaveForm | None = None) -> dict:
    return {"employee": employee, "unpaid_leave": selectors.unpaid_leave_for_employee(employee),
            "leave_form": form or UnpaidLeaveForm()}


@require_GET
def employee_setup(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _setup_employee(request, pk)
    return render(request, "payroll/employee_setup.html", _setup_context(
        employee, can_edit=can_change(request.user, employee, Section.PAY_SETUP)))


@require_POST
def tax_profile_save(request: HttpRequest, pk: int, jurisdiction: str) -> HttpResponse:
    employee = _setup_employee(request, pk, write=True)
    if jurisdiction not in ("UK", "US"):
        raise Http404
    instance = TaxProfile.objects.filter(employee=employee, jurisdiction=jurisdiction).first() or \
        TaxProfile(employee=employee, jurisdiction=jurisdiction)
    form = TaxProfileForm(request.POST, instance=instance, prefix=jurisdiction)
    if form.is_valid():
        setup_services.tax_profile_save(profile=form.save(commit=False), acting_user=request.user)
        messages.success(request, _("Tax details saved."))
        return redirect("payroll:employee_setup", pk=employee.pk)
    return render(request, "payroll/employee_setup.html", _setup_context(
        employee, tax_forms={jurisdiction: form}, can_edit=True), status=400)


@require_POST
def pay_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _setup_employee(request, pk, write=True)
    form = PayItemForm(request.POST, instance=EmployeePayItem(employee=employee))
    if form.is_valid():
        setup_services.pay_item_save(item=form.save(commit=False), acting_user=request.user)
        messages.success(request, _("Recurring item added."))
        return redirect("payroll:employee_setup", pk=employee.pk)
    return render(request, "payroll/employee_setup.html", _setup_context(
        employee, item_form=form, can_edit=True), status=400)


@require_POST
def pay_item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    employee = _setup_employee(request, pk, write=True)
    item = get_object_or_404(EmployeePayItem, pk=item_pk, employee=employee)
    setup_services.pay_item_delete(item=item, acting_user=request.user)
    messages.success(request, _("Recurring item removed."))
    return redirect(reverse("payroll:employee_setup", args=[employee.pk]))


def _leave_done(request: HttpRequest, employee: Employee, *, form: UnpaidLeaveForm | None = None,
                error: str = "", success: str = "") -> HttpResponse:
    """htmx gets the unpaid leave section back (422 with its errors: the section opts in to
    swapping them); a plain form post gets a redirect, or the whole page with the errors."""
    failed = bool(error or (form is not None and form.errors))
    if request.headers.get("HX-Request"):
        ctx = _leave_context(employee, form if failed else None)
        return render(request, "payroll/employee_setup.html#leave",
                      {**ctx, "leave_error": error, "can_edit": True},
                      status=422 if failed else 200)
    if not failed:
        messages.success(request, success)
        return redirect("payroll:employee_setup", pk=employee.pk)
    return render(request, "payroll/employee_setup.html", _setup_context(
        employee, leave_form=form, leave_error=error, can_edit=True), status=400)


@require_POST
def unpaid_leave_add(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _setup_employee(request, pk, write=True)
    form = UnpaidLeaveForm(request.POST)
    if form.is_valid():
        try:
            leave_services.unpaid_leave_create(employee=employee, acting_user=request.user,
                                               **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
    return _leave_done(request, employee, form=form, success=_("Unpaid leave recorded."))


@require_POST
def unpaid_leave_delete(request: HttpRequest, pk: int, leave_pk: int) -> HttpResponse:
    employee = _setup_employee(request, pk, write=True)
    leave = get_object_or_404(UnpaidLeave, pk=leave_pk, employee=employee)
    error = ""
    try:
        leave_services.unpaid_leave_delete(leave=leave, acting_user=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return _leave_done(request, employee, error=error, success=_("Unpaid leave removed."))
