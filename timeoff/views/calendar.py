"""Who's out: the month calendar, and each person's private iCal feed."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_hr
from employees.models import Department, Location
from employees.selectors import employee_for_user
from timeoff import forms, selectors
from timeoff.models import CalendarFeed
from timeoff.services.feeds import feed_ical, feed_reset


def team_calendar(request: HttpRequest) -> HttpResponse:
    form = forms.MonthForm(request.GET or None)
    first = timezone.localdate().replace(day=1)
    department = location = None
    if form.is_valid():
        if form.cleaned_data["month"]:
            year, month = (int(x) for x in form.cleaned_data["month"].split("-"))
            if not 1 <= month <= 12 or not 1900 < year < 3000:
                raise Http404("No such month.")
            first = date(year, month, 1)
        department, location = form.cleaned_data["department"], form.cleaned_data["location"]
    hr = is_hr(request.user)
    page = (form.cleaned_data.get("page") or 0) if form.is_valid() else 0
    month = selectors.month_calendar(request.user, first, department_id=department if hr else None,
                                     location_id=location if hr else None, page=page)
    if month is None:
        raise Http404("No employee record for this login.")
    return render(request, "timeoff/calendar.html", {
        "month": month, "hr": hr, "department": department, "location": location,
        "departments": Department.objects.order_by("name") if hr else [],
        "locations": Location.objects.order_by("name") if hr else [],
    })


@login_not_required
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public by design (calendar apps cannot sign in): the unguessable token is the key, and the
    feed carries only the person's own dates and leave types."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("employee"), token=token)
    response = HttpResponse(feed_ical(feed.employee), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_POST
def ical_reset(request: HttpRequest) -> HttpResponse:
    me = employee_for_user(request.user)
    if me is None:
        raise Http404("No employee record for this login.")
    feed_reset(employee=me, acting_user=request.user)
    messages.success(request, _("Your calendar address is new; the old one no longer works."))
    return redirect("timeoff:my_leave")
