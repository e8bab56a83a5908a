"""The colleague directory (issue 13): every current employee's work details - name, title,
department, location, work email, manager - for everyone in the company while HR Admin leaves
it on (Access levels). Nothing else of the record is shown here."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET

from employees.access import Relation, can_see_work_details, relation, sees_colleagues
from employees.directory import COLLEAGUE_RELATED, colleague_queryset, org_chart_scope
from employees.models import Department, Employee, Location

PAGE_SIZE = 50


class ColleagueSearchForm(forms.Form):
    q = forms.CharField(label=_l("Search"), required=False, max_length=100,
                        widget=forms.SearchInput(attrs={
                            "placeholder": _l("Name or work email"), "autocomplete": "off"}))
    department = forms.ModelChoiceField(Department.objects.all(), required=False,
                                        empty_label=_l("All departments"))
    location = forms.ModelChoiceField(Location.objects.all(), required=False,
                                      empty_label=_l("All locations"))


def _gate(request: HttpRequest) -> None:
    if not sees_colleagues(request.user):
        raise PermissionDenied(_("The colleague directory is not open to you."))


@require_GET
def colleagues(request: HttpRequest) -> HttpResponse:
    _gate(request)
    form = ColleagueSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(colleague_queryset(data.get("q") or "", data.get("department"),
                                        data.get("location")), PAGE_SIZE
                     ).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "params": params.urlencode()}
    partial = request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results"
    response = render(request, "employees/colleagues.html" + ("#results" if partial else ""),
                      context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _on_chart(request: HttpRequest, person: Employee) -> bool:
    if person.status == Employee.Status.TERMINATED:
        return False
    scope = org_chart_scope(request.user)
    return scope is None or person.pk in scope


@require_GET
def colleague(request: HttpRequest, pk: int) -> HttpResponse:
    person = Employee.objects.select_related(*COLLEAGUE_RELATED).filter(pk=pk).first()
    if person is None or not can_see_work_details(request.user, person):
        raise Http404(_("No such colleague."))
    return render(request, "employees/colleague.html", {
        "p": person,
        "profile_linkable": relation(request.user, person) is not Relation.NONE,
        "chart_linkable": _on_chart(request, person),
        "manager_visible": person.manager is not None
        and can_see_work_details(request.user, person.manager),
    })
