"""Pension schemes (HR Admin / Payroll Admin) and the employee's own pension in the portal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employees.selectors import employee_for_user
from payroll.models import PayRun
from pensions import selectors
from pensions.forms import DateForm, SchemeForm
from pensions.models import Membership, PensionScheme
from pensions.papdis import papdis_csv
from pensions.services import optout, reenrolment
from pensions.services.schemes import require_scheme_admin, scheme_save


def scheme_list(request: HttpRequest) -> HttpResponse:
    require_scheme_admin(request.user)
    form = SchemeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                scheme = scheme_save(scheme=form.save(commit=False), acting_user=request.user,
                                     schedules=form.cleaned_data["schedules"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Scheme saved."))
                return redirect("pensions:scheme_detail", pk=scheme.pk)
        status = 400
    return render(request, "pensions/scheme_list.html", {
        "schemes": PensionScheme.objects.order_by("name"), "form": form}, status=status)


def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_scheme_admin(request.user)
    scheme = get_object_or_404(PensionScheme, pk=pk)
    return render(request, "pensions/scheme_detail.html", {
        "scheme": scheme, "members": selectors.scheme_members(scheme),
        "runs": selectors.scheme_runs(scheme), "date_form": DateForm()})


def papdis_download(request: HttpRequest, pk: int, run_pk: int) -> HttpResponse:
    require_scheme_admin(request.user)
    scheme = get_object_or_404(PensionScheme, pk=pk)
    run = get_object_or_404(PayRun.objects.select_related("period", "schedule"), pk=run_pk,
                            schedule__in=scheme.schedules.all())
    response = HttpResponse(papdis_csv(scheme, run), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="papdis-{scheme.pk}-{run.period.end_date:%Y%m%d}.csv"')
    return response


def _dated(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    require_scheme_admin(request.user)
    membership = get_object_or_404(Membership, pk=pk)
    form = DateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid date."))
        return redirect("pensions:scheme_detail", pk=membership.scheme_id)
    try:
        action(membership, form.cleaned_data["date"], request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("pensions:scheme_detail", pk=membership.scheme_id)
    messages.success(request, done)
    return redirect("pensions:scheme_detail", pk=membership.scheme_id)


@require_POST
def member_opt_out(request: HttpRequest, pk: int) -> HttpResponse:
    return _dated(request, pk, lambda m, d, u: optout.opt_out(
        membership=m, notice_date=d, acting_user=u), _("Opt-out recorded."))


@require_POST
def member_cease(request: HttpRequest, pk: int) -> HttpResponse:
    return _dated(request, pk, lambda m, d, u: optout.cease(
        membership=m, on=d, acting_user=u), _("Cessation recorded."))


@require_POST
def scheme_reenrol(request: HttpRequest, pk: int) -> HttpResponse:
    require_scheme_admin(request.user)
    scheme = get_object_or_404(PensionScheme, pk=pk)
    form = DateForm(request.POST)
    if form.is_valid():
        try:
            done = reenrolment.reenrol(scheme=scheme, on=form.cleaned_data["date"],
                                       acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Re-enrolment done: %(n)s re-enrolled of %(a)s "
                                        "assessed.") % {"n": done.reenrolled, "a": done.assessed})
    else:
        messages.error(request, _("Enter a valid date."))
    return redirect("pensions:scheme_detail", pk=scheme.pk)


def _me(request: HttpRequest):
    me = employee_for_user(request.user)
    if me is None:
        raise Http404("No employee record for this login.")
    return me


def my_pension(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    return render(request, "pensions/my_pension.html", {
        "memberships": selectors.my_memberships(me), "today": timezone.localdate()})


@require_POST
def my_opt_out(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    membership = get_object_or_404(Membership, pk=pk, employee=me)
    try:
        optout.opt_out(membership=membership, notice_date=timezone.localdate(),
                       acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You have opted out. Your contributions will be refunded "
                                    "in your next pay."))
    return redirect("pensions:my_pension")
