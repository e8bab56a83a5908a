"""Org chart: boxes from a person up to the top and down to their reports; deeper levels load
on demand (htmx, one subtree at a time), so a 20,000-person company renders one level at a time
and every page costs the same few queries whatever the headcount."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from employees.access import Relation, relation, sees_everyone
from employees.directory import org_chain, org_chart_scope, org_reports, org_roots, org_search
from employees.models import Employee
from employees.selectors import employee_for_user


def _gate(request: HttpRequest, pk: int | None = None) -> set[int] | None:
    """HR, payroll and managers browse the whole chart, and so does every employee while the
    colleague directory is on (Access levels); otherwise an employee sees their own place on
    it (themself, their managers, who reports to them or to those managers). The profile behind
    each box opens only where allowed. Returns the scope (None: anyone)."""
    if not (sees_everyone(request.user) or employee_for_user(request.user)):
        raise PermissionDenied(_("The org chart is for employees."))
    scope = org_chart_scope(request.user)
    if pk is not None and scope is not None and pk not in scope:
        raise Http404(_("No such person on the org chart."))
    return scope


def _profile_ids(viewer, people: list[Employee]) -> set[int]:
    return {p.pk for p in people if relation(viewer, p) is not Relation.NONE}


def _person(pk: int) -> Employee:
    person = (Employee.objects.select_related("job_title", "department", "photo")
              .exclude(status=Employee.Status.TERMINATED).filter(pk=pk).first())
    if person is None:
        raise Http404(_("No such person on the org chart."))
    return person


@require_GET
def org_chart(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    scope = _gate(request, pk)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        results = org_search(q, scope)
        partial = request.headers.get("HX-Request") and request.headers.get("HX-Target") == (
            "org-results")
        response = render(request, "employees/org_chart.html" + ("#results" if partial else ""),
                          {"q": q, "results": results, "searched": True,
                           "linkable": _profile_ids(request.user, results)})
        patch_vary_headers(response, ["HX-Request", "HX-Target"])
        return response
    if pk is None:
        me = employee_for_user(request.user)
        if me is None or me.status == Employee.Status.TERMINATED:
            roots = org_roots()
            return render(request, "employees/org_chart.html", {
                "roots": roots, "linkable": _profile_ids(request.user, roots)})
        pk = me.pk
    person = _person(pk)
    chain = org_chain(person)
    reports = org_reports(person)
    return render(request, "employees/org_chart.html", {
        "person": person, "chain": chain, "reports": reports,
        "linkable": _profile_ids(request.user, [person, *chain, *reports]),
    })


@require_GET
def org_children(request: HttpRequest, pk: int) -> HttpResponse:
    _gate(request, pk)
    person = _person(pk)
    reports = org_reports(person)
    return render(request, "employees/org_chart.html#children", {
        "reports": reports, "linkable": _profile_ids(request.user, reports)})
