"""Run inputs (grid, employee picker, paste and CSV) and the bulk flag override of a run.

Payroll Admins change inputs; HR may look; nobody else knows the pages exist (404).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Role, has_role
from payroll.forms import BulkEntryForm, BulkOverrideForm, CsvImportForm, RunInputForm
from payroll.models import PayRun, RunInput
from payroll.reasons import flag_label
from payroll.selectors_inputs import run_employee_search, run_inputs_grid
from payroll.services import inputs as input_services
from payroll.services import overrides as override_services
from payroll.services.runs import require_payroll_admin
from payroll.views import _get_run

MAX_UPLOAD = 5 * 1024 * 1024


def _can_edit(request: HttpRequest, run: PayRun) -> bool:
    return has_role(request.user, Role.PAYROLL_ADMIN) and run.status in input_services.EDITABLE


def _grid(request: HttpRequest, run: PayRun, status: int = 200, **extra) -> HttpResponse:
    ctx = {"run": run, "inputs": run_inputs_grid(run), "form": RunInputForm(run=run),
           "import_form": CsvImportForm(), "paste_form": BulkEntryForm(),
           "can_edit": _can_edit(request, run), **extra}
    return render(request, "payroll/run_inputs.html", ctx, status=status)


@require_GET
def run_inputs(request: HttpRequest, pk: int) -> HttpResponse:
    return _grid(request, _get_run(request, pk))


@require_GET
def run_input_employees(request: HttpRequest, pk: int) -> HttpResponse:
    """The picker's suggestions (htmx): people of this run matching what was typed."""
    run = _get_run(request, pk)
    found = run_employee_search(run, request.GET.get("employee_number", "")[:120])
    return render(request, "payroll/run_inputs.html#employee_options", {"found": found})


def _saved_message(obj: RunInput | None, same_component: int) -> str:
    if obj is None:
        return _("Input removed.")
    message = _("Saved: %(c)s for %(e)s.") % {"c": obj.component.code, "e": obj.employee}
    if same_component > 1:
        message += " " + _("They have %(n)d %(c)s inputs in this run; all of them are paid.") % {
            "n": same_component, "c": obj.component.code}
    return message


@require_POST
def run_input_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an input (full page) or change one grid row (htmx: the row comes back)."""
    run = _get_run(request, pk)
    require_payroll_admin(request.user)
    form = RunInputForm(request.POST, run=run)
    obj, error = None, ""
    if form.is_valid():
        d = form.cleaned_data
        try:
            obj = input_services.run_input_set(
                run=run, employee=d["employee"], component=d["component"],
                quantity=d["quantity"], rate=d["rate"], amount=d["amount"], note=d["note"],
                run_input=d["run_input"], acting_user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    existing = form.cleaned_data.get("run_input") if hasattr(form, "cleaned_data") else None
    if request.headers.get("HX-Request") and existing is not None:
        same = RunInput.objects.filter(run=run, employee=existing.employee_id,
                                       component=existing.component_id).count()
        return render(request, "payroll/run_inputs.html#row_response", {
            "run": run, "ri": obj if not error else existing, "row_id": existing.pk,
            "can_edit": True, "error": error, "status_message": "" if error else
            _saved_message(obj, same)}, status=422 if error else 200)
    if error:
        return _grid(request, run, status=400, form=form, form_error=error)
    messages.success(request, _saved_message(obj, RunInput.objects.filter(
        run=run, employee=obj.employee_id, component=obj.component_id).count() if obj else 0))
    return redirect("payroll:run_inputs", pk=run.pk)


def _bulk_done(request: HttpRequest, run: PayRun, result, **forms) -> HttpResponse:
    if not result.errors:
        messages.success(request, _("%(n)d input(s) added.") % {"n": result.created})
        return redirect("payroll:run_inputs", pk=run.pk)
    return _grid(request, run, status=400, import_errors=result.errors, **forms)


@require_POST
def run_inputs_import(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    require_payroll_admin(request.user)
    form = CsvImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _grid(request, run, status=400, import_form=form,
                     import_errors=[(0, _("Choose a CSV file."))])
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD:
        return _grid(request, run, status=400, import_form=form,
                     import_errors=[(0, _("The file is larger than 5 MB."))])
    try:
        result = input_services.run_inputs_import(run=run, data=upload.read(),
                                                  acting_user=request.user)
    except ValidationError as exc:
        result = input_services.ImportResult(0, [(0, m) for m in exc.messages])
    return _bulk_done(request, run, result, import_form=form)


@require_POST
def run_inputs_paste(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    require_payroll_admin(request.user)
    form = BulkEntryForm(request.POST)
    if not form.is_valid():
        return _grid(request, run, status=400, paste_form=form)
    try:
        result = input_services.run_inputs_paste(run=run, text=form.cleaned_data["rows"],
                                                 acting_user=request.user)
    except ValidationError as exc:
        result = input_services.ImportResult(0, [(0, m) for m in exc.messages])
    return _bulk_done(request, run, result, paste_form=form)


def _override_codes(run: PayRun) -> list[tuple[str, str]]:
    counts = override_services.run_overridable_flags(run)
    return [(code, f"{flag_label(code)} ({n})") for code, n in sorted(counts.items())]


@require_GET
def run_bulk_override_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The bulk override form (loaded by htmx into the run page); empty when there is nothing
    this user may override."""
    run = _get_run(request, pk)
    codes = _override_codes(run) if (
        run.status == PayRun.Status.CALCULATED and has_role(request.user, Role.PAYROLL_ADMIN)
    ) else []
    if not codes:
        return HttpResponse("")
    return render(request, "payroll/_bulk_override.html#form", {
        "run": run, "form": BulkOverrideForm(codes=codes)})


@require_POST
def run_bulk_override(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    require_payroll_admin(request.user)
    form = BulkOverrideForm(request.POST, codes=_override_codes(run))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("payroll:run_detail", pk=run.pk)
    d = form.cleaned_data
    try:
        n = override_services.payslip_flags_override_bulk(
            run=run, code=d["code"], comment=d["comment"], acting_user=request.user,
            employee_numbers=d["employee_numbers"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(flag)s overridden on %(n)d payslip(s); your comment is "
                                    "recorded on each.") % {"flag": flag_label(d["code"]),
                                                            "n": n})
    return redirect("payroll:run_detail", pk=run.pk)
