from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit.selectors import audit_events_for_employee
from employees.access import Section
from employees.record_forms import HistoryFilterForm
from employees.views.records_common import get_employee, tab_context


def history(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_employee(request, pk, section=Section.HISTORY)
    form = HistoryFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"object_type": data.get("kind") or "", "action": data.get("action") or "",
                   "since": data.get("since"), "until": data.get("until")}
    events = audit_events_for_employee(employee.pk, **filters)
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "employees/history.html", tab_context(
        request, employee, "history", form=form, page=page, query=query.urlencode()))
