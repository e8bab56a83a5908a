"""Profile tabs owned by the employee record: overview, job history, compensation; status
changes and rehire."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employees.access import (
    Relation,
    Section,
    can_change,
    can_view,
    employee_get_for_viewer,
    relation,
)
from employees.directory import (
    compensation_timeline,
    job_timeline,
    upcoming_compensation_changes,
    upcoming_job_changes,
)
from employees.forms_directory import (
    AsOfForm,
    CompensationChangeForm,
    JobChangeForm,
    RehireForm,
    StatusForm,
)
from employees.hooks import PayChangeImpact, pay_change_impact
from employees.models import ChangeProposal, CompensationRecord, Employee, JobRecord
from employees.profile import profile_tabs
from employees.selectors import compensation_as_of, job_as_of
from employees.services.changes import compensation_change, future_change_cancel, job_change
from employees.services.core import IllegalTransition, employee_change_status, employee_rehire
from employees.services.proposals import change_propose, pay_change_needs_second_approval

_PROFILE_QS = Employee.objects.select_related("department", "location", "job_title", "manager")
_OVERVIEW_QS = _PROFILE_QS.select_related("photo")


def _context(request: HttpRequest, employee: Employee, current: str, **extra) -> dict:
    return {"employee": employee, "tabs": profile_tabs(request.user, employee),
            "current": current, **extra}


def _as_of(request: HttpRequest) -> tuple[AsOfForm, date]:
    form = AsOfForm(request.GET or None)
    on = form.cleaned_data.get("as_of") if form.is_valid() else None
    return form, on or timezone.localdate()


def profile(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_get_for_viewer(request.user, pk, queryset=_OVERVIEW_QS)
    viewer = request.user
    sees_job = can_view(viewer, employee, Section.EMPLOYMENT)
    sees_pay = can_view(viewer, employee, Section.COMPENSATION)
    return render(request, "employees/profile_overview.html", _context(
        request, employee, "overview",
        sees_job=sees_job, sees_pay=sees_pay,
        pay=compensation_as_of(employee, timezone.localdate()) if sees_pay else None,
        upcoming_jobs=upcoming_job_changes(employee) if sees_job else [],
        upcoming_pay=upcoming_compensation_changes(employee) if sees_pay else [],
        may_change_status=can_change(viewer, employee, Section.EMPLOYMENT),
        may_change_photo=can_change(viewer, employee, Section.PHOTO),
        manager_linkable=employee.manager is not None
        and relation(viewer, employee.manager) is not Relation.NONE,
        status_form=StatusForm(),
        report_count=employee.direct_reports.exclude(
            status=Employee.Status.TERMINATED).count(),
    ))


def employment(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_get_for_viewer(request.user, pk, section=Section.EMPLOYMENT,
                                       queryset=_PROFILE_QS)
    may_change = can_change(request.user, employee, Section.EMPLOYMENT)
    as_of_form, on = _as_of(request)
    today = timezone.localdate()
    in_force = job_as_of(employee, on)
    current = in_force if on == today else job_as_of(employee, today)
    form = JobChangeForm.for_employee(employee, current=current)
    if request.method == "POST":
        employee_get_for_viewer(request.user, pk, section=Section.EMPLOYMENT, for_write=True)
        form = JobChangeForm.for_employee(employee, data=request.POST, current=current)
        if form.is_valid():
            try:
                record = job_change(acting_user=request.user, employee=employee,
                                    effective_date=form.cleaned_data["effective_date"],
                                    job=form.job(), reason=form.cleaned_data["reason"],
                                    note=form.cleaned_data["note"])
            except ValidationError as exc:
                form.add_error(None, _remap(exc, form))
            else:
                messages.success(request, _("Job change effective %(d)s saved.")
                                 % {"d": record.effective_date})
                return redirect("employees:employment", pk=employee.pk)
    return render(request, "employees/profile_employment.html", _context(
        request, employee, "employment", form=form, may_change=may_change,
        may_propose=relation(request.user, employee) is Relation.MANAGER,
        records=job_timeline(employee), as_of_form=as_of_form, on=on,
        in_force=in_force, today=today,
    ), status=400 if request.method == "POST" else 200)


def compensation(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_get_for_viewer(request.user, pk, section=Section.COMPENSATION,
                                       queryset=_PROFILE_QS)
    may_change = can_change(request.user, employee, Section.COMPENSATION)
    current = compensation_as_of(employee, timezone.localdate())
    form, impact = CompensationChangeForm.for_record(current), None
    if request.method == "POST":
        employee_get_for_viewer(request.user, pk, section=Section.COMPENSATION, for_write=True)
        form = CompensationChangeForm.for_record(current, data=request.POST)
        impact = _unconfirmed_impact(request, employee, form) if form.is_valid() else None
        if form.is_valid() and impact is None:
            try:
                done = _pay_change_or_proposal(request, employee, form)
            except ValidationError as exc:
                form.add_error(None, _remap(exc, form))
            else:
                messages.success(request, done)
                return redirect("employees:compensation", pk=employee.pk)
    as_of_form, on = _as_of(request)
    return render(request, "employees/profile_compensation.html", _context(
        request, employee, "compensation", form=form, may_change=may_change,
        records=compensation_timeline(employee), as_of_form=as_of_form, on=on,
        in_force=compensation_as_of(employee, on), today=timezone.localdate(), impact=impact,
    ), status=400 if request.method == "POST" and impact is None else 200)


def _pay_change_or_proposal(request: HttpRequest, employee: Employee,
                            form: CompensationChangeForm) -> str:
    """Save the pay change, or, above the company's second-approval thresholds (Access
    levels), propose it for another HR Admin or Payroll Admin to approve. Returns the message."""
    values = {"acting_user": request.user, "employee": employee, "pay": form.pay(),
              "effective_date": form.cleaned_data["effective_date"],
              "reason": form.cleaned_data["reason"], "note": form.cleaned_data["note"]}
    if pay_change_needs_second_approval(employee=employee, pay=values["pay"],
                                        effective_date=values["effective_date"]):
        change_propose(kind=ChangeProposal.Kind.PAY, origin=ChangeProposal.Origin.SECOND_APPROVAL,
                       **values)
        return _("This pay change needs a second approver: it takes effect once another HR "
                 "Admin or Payroll Admin approves it (Change proposals).")
    record = compensation_change(**values)
    return _("Pay change effective %(d)s saved.") % {"d": record.effective_date}


def _unconfirmed_impact(request: HttpRequest, employee: Employee,
                        form: CompensationChangeForm) -> PayChangeImpact | None:
    """What a valid pay change would do to finalised pay, unless this POST confirms exactly
    that (the confirm step): a change reaching finalised periods is never saved unwarned."""
    impact = pay_change_impact(employee=employee,
                               effective_date=form.cleaned_data["effective_date"],
                               pay=form.pay())
    if impact is None or request.POST.get("retro_confirmed") == impact.fingerprint:
        return None
    return impact


@require_POST
def status_change(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_get_for_viewer(request.user, pk, section=Section.EMPLOYMENT,
                                       for_write=True)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status change."))
        return redirect("employees:profile", pk=pk)
    try:
        employee = employee_change_status(
            acting_user=request.user, employee=employee,
            to_status=StatusForm.ACTIONS[form.cleaned_data["action"]],
            note=form.cleaned_data["note"])
    except IllegalTransition as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is now %(status)s.") % {
            "name": employee.display_name, "status": employee.get_status_display().lower()})
    return redirect("employees:profile", pk=pk)


def rehire(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_get_for_viewer(request.user, pk, section=Section.EMPLOYMENT,
                                       for_write=True, queryset=_PROFILE_QS)
    if employee.status != Employee.Status.TERMINATED:
        messages.error(request, _("Only someone who has left can be rehired."))
        return redirect("employees:profile", pk=pk)
    if employee.employments.filter(end_date__isnull=True).exists():
        messages.error(request, _("Record the last working day of the previous employment "
                                  "before rehiring."))
        return redirect("employees:profile", pk=pk)
    initial = JobChangeForm.for_employee(employee).initial
    previous_pay = compensation_as_of(employee, timezone.localdate())
    if previous_pay:
        initial.update(basis=previous_pay.basis, currency=previous_pay.currency,
                       amount=previous_pay.annual_salary or previous_pay.hourly_rate,
                       pay_schedule=previous_pay.pay_schedule_id)
    form = RehireForm(request.POST or None, initial=initial, prefix="rehire")
    if request.method == "POST" and form.is_valid():
        try:
            employee_rehire(acting_user=request.user, employee=employee,
                            start_date=form.cleaned_data["effective_date"], job=form.job(),
                            pay=form.pay())
        except ValidationError as exc:
            form.add_error(None, _remap(exc, form))
        else:
            messages.success(request, _("%(name)s is rehired from %(d)s.") % {
                "name": employee.display_name, "d": form.cleaned_data["effective_date"]})
            return redirect("employees:profile", pk=pk)
    return render(request, "employees/rehire.html", _context(request, employee, "overview",
                                                             form=form),
                  status=400 if request.method == "POST" else 200)


@require_POST
def change_cancel(request: HttpRequest, pk: int, kind: str, record_pk: int) -> HttpResponse:
    """Withdraw a future-dated job ("job") or pay ("pay") change."""
    if kind not in ("job", "pay"):
        raise Http404
    model, section, tab = ((JobRecord, Section.EMPLOYMENT, "employees:employment")
                           if kind == "job" else
                           (CompensationRecord, Section.COMPENSATION, "employees:compensation"))
    employee = employee_get_for_viewer(request.user, pk, section=section, for_write=True)
    record = get_object_or_404(model, pk=record_pk, employee=employee)
    try:
        future_change_cancel(acting_user=request.user, record=record)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The change due %(d)s is cancelled.")
                         % {"d": record.effective_date})
    return redirect(tab, pk=pk)


def _remap(exc: ValidationError, form) -> ValidationError:
    """Put a service's field errors on the matching form field (or on the form as a whole)."""
    if not hasattr(exc, "error_dict"):
        return exc
    aliases = {"start_date": "effective_date", "annual_salary": "amount",
               "hourly_rate": "amount"}
    mapped: dict[str, list[str]] = {}
    for name, errors in exc.message_dict.items():
        target = aliases.get(name, name)
        mapped.setdefault(target if target in form.fields else "__all__", []).extend(errors)
    return ValidationError(mapped)
