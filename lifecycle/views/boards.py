from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_hr
from audit.services import audit_record
from employees.access import Section, employee_get_for_viewer
from employees.profile import profile_tabs
from hrops.downloads import stored_file_response
from lifecycle import access, forms, selectors
from lifecycle.models import Checklist, ChecklistTemplate, TaskDocument
from lifecycle.services import checklists as svc


def _back(request: HttpRequest, task=None) -> HttpResponse:
    nxt = request.POST.get("next") or request.GET.get("next")
    if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()},
                                               require_https=request.is_secure()):
        return redirect(nxt)
    if task is not None:
        return redirect("lifecycle:task", pk=task.pk)
    return redirect("lifecycle:my_tasks")


def _error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def my_tasks(request: HttpRequest) -> HttpResponse:
    """Every user's board: what is assigned to them, by name, role or as the employee."""
    form = forms.BoardFilterForm(request.GET or None)
    filters = selectors.BoardFilters()
    if form.is_valid():
        filters = selectors.BoardFilters(show=form.cleaned_data["show"] or "open",
                                         kind=form.cleaned_data["kind"],
                                         q=form.cleaned_data["q"].strip())
    today = timezone.localdate()
    tasks = selectors.my_tasks(request.user, filters, today)
    for task in tasks:
        task.assignee_text = svc.assignee_label(task)
    return render(request, "lifecycle/my_tasks.html", {
        "form": form, "tasks": tasks, "today": today, "filters": filters,
        "counts": selectors.board_counts(request.user, today),
        "limit": selectors.BOARD_LIMIT,
    })


@require_POST
def bulk_complete(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("task") if v.isdigit()]
    if not ids:
        messages.warning(request, _("Select at least one task."))
        return _back(request)
    done, problems = svc.tasks_bulk_complete(acting_user=request.user, task_ids=ids)
    if done:
        messages.success(request, _("%d task(s) completed.") % len(done))
    for problem in problems:
        messages.warning(request, problem)
    return _back(request)


def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.task_get_for_viewer(request.user, pk)
    can_work = access.can_work(request.user, task) and task.is_open
    return render(request, "lifecycle/task.html", {
        "task": task, "employee": task.checklist.employee,
        "assignee": svc.assignee_label(task),
        "can_work": can_work,
        "can_reassign": access.can_reassign(request.user, task) and task.is_open,
        "missing": svc.requirement_missing(task) if task.is_open else "",
        "events": task.events.select_related("actor"),
        "documents": task.documents.select_related("uploaded_by"),
        "skip_form": forms.SkipForm(), "reassign_form": forms.ReassignForm(),
        "upload_form": forms.UploadForm(), "ack_form": forms.AcknowledgeForm(),
        "fields_form": forms.employee_fields_form(task) if task.form_fields else None,
    })


@require_POST
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.task_get_for_viewer(request.user, pk, for_work=True)
    htmx = request.headers.get("HX-Request") == "true"
    try:
        task = svc.task_complete(acting_user=request.user, task=task)
    except ValidationError as exc:
        _error(request, exc)
        if htmx:  # the task page shows what is missing
            return HttpResponse(headers={"HX-Redirect": reverse("lifecycle:task",
                                                                args=[task.pk])})
        return redirect("lifecycle:task", pk=task.pk)
    if htmx:  # swap the My tasks row in place
        task.assignee_text = svc.assignee_label(task)
        return render(request, "lifecycle/my_tasks.html#row",
                      {"task": task, "today": timezone.localdate()})
    messages.success(request, _("“%s” is done.") % task.title)
    return _back(request, task)


@require_POST
def task_skip(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.task_get_for_viewer(request.user, pk, for_work=True)
    form = forms.SkipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for skipping the task."))
        return redirect("lifecycle:task", pk=task.pk)
    try:
        svc.task_skip(acting_user=request.user, task=task, reason=form.cleaned_data["reason"])
        messages.success(request, _("“%s” was skipped.") % task.title)
    except ValidationError as exc:
        _error(request, exc)
    return redirect("lifecycle:task", pk=task.pk)


@require_POST
def task_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.task_get_for_viewer(request.user, pk)
    if not access.can_reassign(request.user, task):
        raise PermissionDenied(_("Only HR may reassign tasks."))
    form = forms.ReassignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who to reassign the task to."))
        return redirect("lifecycle:task", pk=task.pk)
    try:
        svc.task_reassign(acting_user=request.user, task=task, to_user=form.cleaned_data["user"],
                          note=form.cleaned_data["note"])
        messages.success(request, _("Reassigned to %s.") % form.cleaned_data["user"])
    except ValidationError as exc:
        _error(request, exc)
    return redirect("lifecycle:task", pk=task.pk)


@require_POST
def task_upload(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.task_get_for_viewer(request.user, pk, for_work=True)
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect("lifecycle:task", pk=task.pk)
    try:
        svc.task_upload_document(acting_user=request.user, task=task,
                                 upload=form.cleaned_data["file"])
        messages.success(request, _("“%(file)s” is attached to “%(task)s”.") % {
            "file": form.cleaned_data["file"].name, "task": task.title})
    except ValidationError as exc:
        _error(request, exc)
    return redirect("lifecycle:task", pk=task.pk)


@require_POST
def task_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """Acknowledge the text and complete the task in one step."""
    task = access.task_get_for_viewer(request.user, pk, for_work=True)
    if not forms.AcknowledgeForm(request.POST).is_valid():
        messages.error(request, _("Tick the box to confirm you have read the text."))
        return redirect("lifecycle:task", pk=task.pk)
    try:
        svc.task_acknowledge(acting_user=request.user, task=task)
        svc.task_complete(acting_user=request.user, task=task)
        messages.success(request, _("Thank you: “%s” is done.") % task.title)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("lifecycle:task", pk=task.pk)
    return _back(request, task)


@require_POST
def task_fill_fields(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the requested employee fields and complete the task."""
    task = access.task_get_for_viewer(request.user, pk, for_work=True)
    form = forms.employee_fields_form(task, data=request.POST)
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.fields}
        try:
            svc.task_fill_fields(acting_user=request.user, task=task, values=values)
            svc.task_complete(acting_user=request.user, task=task)
            messages.success(request, _("Saved: “%s” is done.") % task.title)
            return _back(request, task)
        except ValidationError as exc:
            _error(request, exc)
    task.refresh_from_db()
    return render(request, "lifecycle/task.html", {
        "task": task, "employee": task.checklist.employee, "assignee": svc.assignee_label(task),
        "can_work": True, "can_reassign": access.can_reassign(request.user, task),
        "missing": svc.requirement_missing(task), "events": task.events.select_related("actor"),
        "documents": task.documents.all(), "skip_form": forms.SkipForm(),
        "reassign_form": forms.ReassignForm(), "upload_form": forms.UploadForm(),
        "ack_form": forms.AcknowledgeForm(), "fields_form": form,
    }, status=400)


def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(TaskDocument.objects.select_related("task"), pk=pk)
    task = access.task_get_for_viewer(request.user, document.task_id)
    response = stored_file_response(document.file, filename=document.original_name,
                                    content_type=document.content_type)
    audit_record(actor=request.user, action="download", obj=document,
                 employee_id=task.checklist.employee_id)
    return response


def employee_checklists(request: HttpRequest, pk: int) -> HttpResponse:
    """The profile's Tasks tab: every checklist of this person, with progress."""
    employee = employee_get_for_viewer(request.user, pk, section=Section.TASKS)
    checklists = selectors.checklists_for_employee(employee)
    for checklist in checklists:
        for task in checklist.tasks.all():
            task.assignee_text = svc.assignee_label(task)
    hr = is_hr(request.user)
    return render(request, "lifecycle/employee_checklists.html", {
        "employee": employee, "tabs": profile_tabs(request.user, employee), "current": "tasks",
        "checklists": checklists, "is_hr": hr, "today": timezone.localdate(),
        "leaver": selectors.leaver_notice_for(employee),
        "templates": selectors.templates_current().filter(is_active=True) if hr else [],
    })


@require_POST
def checklist_start(request: HttpRequest, pk: int) -> HttpResponse:
    """HR starts a template by hand (e.g. a transfer checklist)."""
    employee = employee_get_for_viewer(request.user, pk, section=Section.TASKS, for_write=True)
    raw = request.POST.get("template", "")
    template = ChecklistTemplate.objects.filter(
        pk=int(raw) if raw.isdigit() else 0, is_current=True, is_active=True).first()
    employment = selectors.open_employment(employee) or employee.employments.first()
    if template is None or employment is None:
        messages.error(request, _("Choose an active template."))
        return redirect("lifecycle:employee_checklists", pk=employee.pk)
    anchor = timezone.localdate() if template.kind == "other" else None
    checklist = svc.checklist_start(acting_user=request.user, template=template,
                                    employee=employee, employment=employment, anchor_date=anchor)
    if checklist is None:
        messages.warning(request, _("Not started: it is already running for this person, or none "
                                    "of its tasks apply to them."))
    else:
        messages.success(request, _("Started “%s”.") % checklist.name)
    return redirect("lifecycle:employee_checklists", pk=employee.pk)


@require_POST
def checklist_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = get_object_or_404(Checklist, pk=pk)
    employee_get_for_viewer(request.user, checklist.employee_id, section=Section.TASKS,
                            for_write=True)
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    svc.checklist_cancel(acting_user=request.user, checklist=checklist, note=note)
    messages.success(request, _("Checklist cancelled; its open tasks are closed."))
    return redirect(reverse("lifecycle:employee_checklists", args=[checklist.employee_id]))
