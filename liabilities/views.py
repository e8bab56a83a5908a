"""Taxes to pay per legal employer: the P32 (UK), deposits and Forms 941/940 (US), payments."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import is_payroll_admin
from liabilities import exports, hmrc
from liabilities.access import require_records_liabilities, require_sees_liabilities
from liabilities.employers import legal_employer_get, legal_employers
from liabilities.forms import PaymentForm, UkSettingsForm, UsSettingsForm
from liabilities.selectors import form_940, form_941, liabilities_for, mark_overdue
from liabilities.services import PaymentData, employer_settings_update, liability_payment_record


def index(request: HttpRequest) -> HttpResponse:
    require_sees_liabilities(request.user)
    employers, unreferenced = legal_employers()
    today = timezone.localdate()
    rows = []
    for employer in employers:
        items, _schedules = liabilities_for(employer)
        rows.append((employer, sum((i.remaining for i in items), 0),
                     sum(1 for i in items if i.overdue_on(today))))
    return render(request, "liabilities/index.html",
                  {"rows": rows, "unreferenced": unreferenced})


def _settings_form(employer, data=None):
    s = employer.settings
    if employer.country == "GB":
        return UkSettingsForm(data, initial={
            "employment_allowance_years": ", ".join(s.employment_allowance_years),
            "quarterly_payer": s.quarterly_payer,
            "accounts_office_reference": s.accounts_office_reference})
    return UsSettingsForm(data, initial={"deposit_schedule": s.deposit_schedule,
                                         "lookback_prior_total": s.lookback_prior_total,
                                         "unemployment_state": s.unemployment_state})


def _quarter(request: HttpRequest, today: date) -> tuple[int, int]:
    try:
        year = int(request.GET.get("year", today.year))
        quarter = int(request.GET.get("quarter", (today.month - 1) // 3 + 1))
    except ValueError:
        return today.year, (today.month - 1) // 3 + 1
    return max(2000, min(year, 2100)), max(1, min(quarter, 4))


def employer_page(request: HttpRequest, country: str, slug: str, *, payment_form=None,
                  settings_form=None, status: int = 200) -> HttpResponse:
    require_sees_liabilities(request.user)
    employer = legal_employer_get(country, slug)
    items, schedules = liabilities_for(employer)
    today = timezone.localdate()
    context = {"employer": employer, "items": mark_overdue(items, today),
               "schedules": schedules, "can_record": is_payroll_admin(request.user),
               "payment_form": payment_form or PaymentForm(initial={"paid_on": today}),
               "settings_form": settings_form or _settings_form(employer)}
    if employer.country == "GB" and items and not employer.settings.quarterly_payer:
        context["quarterly_allowed"] = hmrc.quarterly_allowed([i.detail for i in items])
    if employer.country == "US":
        year, quarter = _quarter(request, today)
        context.update(year=year, quarter=quarter, f941=form_941(employer, year, quarter),
                       f940=form_940(employer, year))
    return render(request, "liabilities/employer.html", context, status=status)


def p32_download(request: HttpRequest, country: str, slug: str, fmt: str) -> HttpResponse:
    require_sees_liabilities(request.user)
    employer = legal_employer_get(country, slug)
    if employer.country != "GB" or fmt not in ("csv", "xlsx", "print"):
        return render(request, "liabilities/refused.html", {"employer": employer}, status=404)
    items, _schedules = liabilities_for(employer)
    if fmt == "print":
        return render(request, "liabilities/p32_print.html",
                      {"employer": employer, "items": mark_overdue(items, timezone.localdate())})
    output = exports.p32_file(employer, items, fmt=fmt, acting_user=request.user)
    response = HttpResponse(output.data, content_type=output.content_type)
    response["Content-Disposition"] = f'attachment; filename="{output.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def payment_record(request: HttpRequest, country: str, slug: str) -> HttpResponse:
    require_records_liabilities(request.user)
    employer = legal_employer_get(country, slug)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            liability_payment_record(employer=employer, data=PaymentData(**form.cleaned_data),
                                     acting_user=request.user)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect("liabilities:employer", country, slug)
    return employer_page(request, country, slug, payment_form=form, status=422)


@require_POST
def settings_update(request: HttpRequest, country: str, slug: str) -> HttpResponse:
    require_records_liabilities(request.user)
    employer = legal_employer_get(country, slug)
    form = _settings_form(employer, request.POST)
    if not form.is_valid():
        return employer_page(request, country, slug, settings_form=form, status=422)
    employer_settings_update(employer=employer, values=form.cleaned_data,
                             acting_user=request.user)
    return redirect("liabilities:employer", country, slug)
