"""One person's time off, for HR (the profile's Time off tab: balances, ledger, sickness
history, working pattern, adjustments) and for managers (recording a report's sickness)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_hr
from audit.services import audit_record
from employees.access import Section, employee_get_for_viewer
from employees.models import Employee
from employees.profile import profile_tabs
from timeoff import forms, selectors
from timeoff.access import can_record_sickness
from timeoff.models import Category, LeaveRequest, WorkingPattern
from timeoff.services.kit_days import LIMITS as KIT_LIMITS
from timeoff.services.kit_days import kit_day_record
from timeoff.services.ledger import adjustment_post, entries_for
from timeoff.services.patterns import working_pattern_set
from timeoff.services.sickness import fit_note_attach, needs_fit_note, sickness_record
from timeoff.views.common import error, request_for_viewer

ENTRIES_ON_TAB = 100  # the latest ledger entries shown; balances are sums of all of them


def _hr_employee(request: HttpRequest, pk: int, queryset=None) -> Employee:
    # Sickness history is HR's only: the section only HR sees (employees.access).
    return employee_get_for_viewer(request.user, pk, section=Section.HISTORY,
                                   queryset=queryset)


def employee_leave(request: HttpRequest, pk: int) -> HttpResponse:
    # The profile header shows title, department and location: joined, not three queries.
    employee = _hr_employee(request, pk, Employee.objects.select_related(
        "job_title", "department", "location"))
    today = timezone.localdate()
    sickness = list(LeaveRequest.objects.filter(
        employee=employee, leave_type__category=Category.SICK).order_by("-first_day"))
    for row in sickness:
        row.needs_fit_note = needs_fit_note(row)
    family = list(LeaveRequest.objects.filter(
        employee=employee, status=LeaveRequest.Status.APPROVED,
        leave_type__category__in=list(KIT_LIMITS)).select_related("leave_type")
        .prefetch_related("kit_days").order_by("-first_day")[:20])
    for row in family:
        row.kit_limit = KIT_LIMITS[row.leave_type.category]
    # One more than shown: whether there are older ones, without counting them.
    entries = entries_for(employee, limit=ENTRIES_ON_TAB + 1)
    older = len(entries) > ENTRIES_ON_TAB
    if older:
        entries.remove(min(entries, key=lambda e: (e.effective_date, e.pk)))
    return render(request, "timeoff/employee_leave.html", {
        "employee": employee, "tabs": profile_tabs(request.user, employee),
        "current": "timeoff", "balances": selectors.my_balances(employee, today),
        "entries": entries, "older_entries": older,
        "requests": selectors.my_requests(employee),
        "sickness": sickness, "patterns": WorkingPattern.objects.filter(employee=employee),
        "adjust_form": forms.AdjustmentForm(initial={"effective_date": today}),
        "pattern_form": forms.PatternForm(initial={"effective_from": today}),
        "sick_form": forms.SicknessForm(), "fit_form": forms.FitNoteForm(),
        "family": family, "kit_form": forms.KitDayForm(),
    })


@require_POST
def kit_day_add(request: HttpRequest, request_pk: int) -> HttpResponse:
    """HR or the manager records a keeping-in-touch (SPLIT) day on approved family leave."""
    leave = request_for_viewer(request.user, request_pk)
    form = forms.KitDayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day worked."))
    else:
        try:
            kit_day_record(request=leave, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            error(request, exc)
        else:
            messages.success(request, _("Keeping-in-touch day recorded."))
    if is_hr(request.user):
        return redirect("timeoff:employee_leave", pk=leave.employee_id)
    return redirect("timeoff:approvals")


@require_POST
def employee_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _hr_employee(request, pk)
    form = forms.AdjustmentForm(request.POST)
    if form.is_valid():
        try:
            adjustment_post(employee=employee, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            error(request, exc)
        else:
            messages.success(request, _("Balance adjusted."))
    else:
        messages.error(request, _("Fill in type, amount, date and reason."))
    return redirect("timeoff:employee_leave", pk=employee.pk)


@require_POST
def employee_pattern(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_get_for_viewer(request.user, pk, section=Section.EMPLOYMENT,
                                       for_write=True)
    form = forms.PatternForm(request.POST)
    if form.is_valid():
        try:
            working_pattern_set(employee=employee, acting_user=request.user,
                                effective_from=form.cleaned_data["effective_from"],
                                hours=form.hours())
        except ValidationError as exc:
            error(request, exc)
        else:
            messages.success(request, _("Working pattern saved."))
    else:
        messages.error(request, _("Give a date and the hours of each day (0 for a day off)."))
    return redirect("timeoff:employee_leave", pk=employee.pk)


def employee_sickness(request: HttpRequest, pk: int) -> HttpResponse:
    """HR or the manager records a report's sickness."""
    employee = employee_get_for_viewer(request.user, pk)
    if not can_record_sickness(request.user, employee) or employee.user_id == request.user.pk:
        raise PermissionDenied(_("You may not record sickness for this person."))
    form = forms.SicknessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sickness_record(employee=employee, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Sickness recorded."))
            if is_hr(request.user):
                return redirect("timeoff:employee_leave", pk=employee.pk)
            return redirect("timeoff:approvals")
    return render(request, "timeoff/sickness_form.html", {"employee": employee, "form": form},
                  status=400 if form.errors else 200)


@require_POST
def fit_note_upload(request: HttpRequest, request_pk: int) -> HttpResponse:
    leave = request_for_viewer(request.user, request_pk)
    form = forms.FitNoteForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            fit_note_attach(request=leave, upload=form.cleaned_data["file"],
                            acting_user=request.user)
        except ValidationError as exc:
            error(request, exc)
        else:
            messages.success(request, _("Fit note saved."))
    if is_hr(request.user):
        return redirect("timeoff:employee_leave", pk=leave.employee_id)
    return redirect("timeoff:my_leave")


def fit_note_download(request: HttpRequest, request_pk: int) -> FileResponse:
    leave = request_for_viewer(request.user, request_pk)
    if not (is_hr(request.user) or leave.employee.user_id == request.user.pk):
        raise PermissionDenied(_("Fit notes are seen by HR and the employee only."))
    if not leave.fit_note:
        raise Http404("No fit note.")
    try:
        handle = leave.fit_note.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing from storage.")) from exc
    audit_record(actor=request.user, action="download", obj=leave, employee_id=leave.employee_id,
                 note="fit note")
    return FileResponse(handle, as_attachment=True, filename="fit-note",
                        content_type=leave.fit_note_content_type or "application/octet-stream")
