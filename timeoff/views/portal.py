"""The employee's own time off, in the portal: balances, requests, self-certified sickness."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employees.selectors import employee_for_user
from timeoff import forms, selectors
from timeoff.models import CalendarFeed
from timeoff.services import requests as svc
from timeoff.services.sickness import sickness_record
from timeoff.views.common import error, request_for_viewer


def _me(request: HttpRequest):
    me = employee_for_user(request.user)
    if me is None:
        raise Http404("No employee record for this login.")
    return me


def _page(request: HttpRequest, me, form=None, sick_form=None, status: int = 200):
    today = timezone.localdate()
    feed = CalendarFeed.objects.filter(employee=me).first()
    active = selectors.active_types()  # one query for the balances and the form
    return render(request, "timeoff/my_leave.html", {
        "me": me, "today": today, "balances": selectors.my_balances(me, today, active),
        "requests": selectors.my_requests(me),
        "form": form or forms.RequestForm(types=selectors.requestable_types(active)),
        "sick_form": sick_form or forms.SicknessForm(prefix="sick"), "feed": feed,
    }, status=status)


def my_leave(request: HttpRequest) -> HttpResponse:
    return _page(request, _me(request))


@require_POST
def request_new(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = forms.RequestForm(request.POST, types=selectors.requestable_types())
    if form.is_valid():
        try:
            svc.request_create(employee=me, leave_type=form.cleaned_data["leave_type"],
                               dates=form.dates(), note=form.cleaned_data["note"],
                               expected_week=form.cleaned_data["expected_week"],
                               acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Request sent for approval."))
            return redirect("timeoff:my_leave")
    return _page(request, me, form=form, status=400)


def request_preview(request: HttpRequest) -> HttpResponse:
    """htmx: what the dates would cost and the balance after, while the form is filled in."""
    me = _me(request)
    form = forms.RequestForm(request.GET, types=selectors.requestable_types())
    context = {"form": form}
    if form.is_valid():
        leave_type = form.cleaned_data["leave_type"]
        try:
            cost = svc.cost_of(me, leave_type, form.dates())
        except ValidationError as exc:
            context["problem"] = " ".join(exc.messages)
        else:
            context.update(cost=cost, leave_type=leave_type, on=form.cleaned_data["last_day"],
                           after=svc.balance_after(me, leave_type, form.cleaned_data["last_day"],
                                                   cost) if leave_type.tracks_balance else None)
    return render(request, "timeoff/_preview.html", context)


@require_POST
def request_cancel(request: HttpRequest, request_pk: int) -> HttpResponse:
    leave = request_for_viewer(request.user, request_pk)
    try:
        svc.request_cancel(request=leave, acting_user=request.user,
                           reason=request.POST.get("reason", ""))
    except PermissionDenied:
        raise
    except ValidationError as exc:
        error(request, exc)
    else:
        messages.success(request, _("Request cancelled."))
    nxt = request.POST.get("next")
    return redirect(nxt if nxt in ("timeoff:approvals",) else "timeoff:my_leave")


@require_POST
def sickness_self(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = forms.SicknessForm(request.POST, prefix="sick")
    if form.is_valid():
        try:
            sickness_record(employee=me, first_day=form.cleaned_data["first_day"],
                            last_day=form.cleaned_data["last_day"],
                            note=form.cleaned_data["note"], acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Sickness recorded. Get well soon."))
            return redirect("timeoff:my_leave")
    return _page(request, me, sick_form=form, status=400)
