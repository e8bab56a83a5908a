from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.roles import is_hr
from employees.models import Department, Location
from lifecycle import forms, selectors
from lifecycle.models import ChecklistTemplate
from lifecycle.services import templates as svc


def _require_hr(user) -> None:
    if not is_hr(user):
        raise PermissionDenied(_("Only HR may manage checklist templates."))


def template_list(request: HttpRequest) -> HttpResponse:
    _require_hr(request.user)
    return render(request, "lifecycle/templates.html",
                  {"templates": selectors.templates_current()})


def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_hr(request.user)
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    names = {
        "departments": dict(Department.objects.values_list("id", "name")),
        "locations": dict(Location.objects.values_list("id", "name")),
    }
    tasks = list(template.tasks.select_related("assignee_user"))
    for item in [template, *tasks]:
        item.department_names = [names["departments"].get(i, i) for i in item.departments]
        item.location_names = [names["locations"].get(i, i) for i in item.locations]
    return render(request, "lifecycle/template_detail.html", {
        "template": template, "tasks": tasks, "versions": selectors.template_versions(template),
    })


def _save(request: HttpRequest, template: ChecklistTemplate | None) -> HttpResponse:
    if template is not None:
        initial = {"name": template.name, "kind": template.kind,
                   "description": template.description, "is_active": template.is_active,
                   **forms.ConditionsMixin.initial_conditions(template)}
        task_initial = [
            {**{k: v for k, v in task.items() if k not in ("countries",)},
             "countries": ", ".join(task["countries"])}
            for task in svc.template_task_data(template)
        ]
    else:
        initial, task_initial = {"is_active": True}, []
    form = forms.TemplateForm(request.POST or None, initial=initial)
    # ?extra=N adds empty task rows (the page links to it); bounded so a URL cannot blow it up.
    raw = request.GET.get("extra", "")
    extra = min(int(raw), 30) if raw.isdigit() else (2 if template else 5)
    formset_class = formset_factory(forms.TemplateTaskForm, extra=extra, can_delete=True)
    formset = formset_class(request.POST or None, initial=task_initial, prefix="tasks")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        # Untouched extra rows have no cleaned_data; rows ticked "delete" are dropped.
        tasks = [f.task_data() for f in formset.forms
                 if f.cleaned_data.get("title") and not f.cleaned_data.get("DELETE")]
        data = svc.TemplateData(name=form.cleaned_data["name"], kind=form.cleaned_data["kind"],
                                description=form.cleaned_data["description"],
                                is_active=form.cleaned_data["is_active"], **form.conditions())
        try:
            if template is None:
                saved = svc.template_create(acting_user=request.user, data=data, tasks=tasks)
            else:
                saved = svc.template_update(acting_user=request.user, template=template,
                                            data=data, tasks=tasks)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved “%(name)s” version %(v)d.")
                             % {"name": saved.name, "v": saved.version})
            return redirect("lifecycle:template", pk=saved.pk)
    return render(request, "lifecycle/template_form.html", {
        "form": form, "formset": formset, "template": template, "more_rows": extra + 5,
    }, status=400 if request.method == "POST" else 200)


def template_create(request: HttpRequest) -> HttpResponse:
    _require_hr(request.user)
    return _save(request, None)


def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_hr(request.user)
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    if not template.is_current:
        current = ChecklistTemplate.objects.get(family=template.family, is_current=True)
        messages.info(request, _("That was an old version; you are editing the current one."))
        return redirect("lifecycle:template_edit", pk=current.pk)
    return _save(request, template)
