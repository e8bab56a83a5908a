"""HR's time-off reports, on the page and as CSV / XLSX (hrops/exports.py)."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_hr, sees_payroll
from audit.services import audit_record
from hrops.exports import to_csv, to_xlsx
from timeoff import reports
from timeoff.models import LeaveType

KINDS = ("balances", "bradford", "upcoming")


def _context(request: HttpRequest) -> dict:
    if not is_hr(request.user):
        raise PermissionDenied(_("Time-off reports are for HR."))
    today = timezone.localdate()
    types = list(LeaveType.objects.filter(tracks_balance=True, is_active=True).order_by("name"))
    chosen = next((t for t in types if str(t.pk) == request.GET.get("type")),
                  types[0] if types else None)
    year_ago = today - timedelta(weeks=52)
    return {"today": today, "types": types, "chosen": chosen, "since": year_ago,
            "with_pay": sees_payroll(request.user)}


def report_page(request: HttpRequest) -> HttpResponse:
    ctx = _context(request)
    today, since = ctx["today"], ctx["since"]
    ctx.update(
        balances=reports.balances_by_department(ctx["chosen"], today, with_pay=ctx["with_pay"])
        if ctx["chosen"] else [],
        rates=reports.absence_rate(since, today), bradford=reports.bradford(since, today),
        upcoming=reports.upcoming(today, limit=reports.UPCOMING_ON_PAGE),
        upcoming_count=reports.upcoming_count(today))
    return render(request, "timeoff/reports.html", ctx)


def _rows(kind: str, ctx: dict) -> list[list]:
    today, since = ctx["today"], ctx["since"]
    if kind == "balances":
        rows = [[_("Department"), _("Headcount"), _("Untaken"), _("Liability")]]
        for line in reports.balances_by_department(ctx["chosen"], today,
                                                   with_pay=ctx["with_pay"]):
            money = "; ".join(f"{v} {c}" for c, v in sorted(line.liability.items()))
            rows.append([line.name, line.headcount, line.balance,
                         money if ctx["with_pay"] else ""])
        return rows
    if kind == "bradford":
        rows = [[_("Employee number"), _("Name"), _("Spells"), _("Days"), _("Bradford factor")]]
        rows += [[line.employee.employee_number, line.employee.display_name, line.spells,
                  line.days, line.bradford] for line in reports.bradford(since, today, None)]
        return rows
    rows = [[_("Employee number"), _("Name"), _("Type"), _("From"), _("To"), _("Status")]]
    rows += [[r.employee.employee_number, r.employee.display_name, r.leave_type.name,
              r.first_day, r.last_day, r.get_status_display()] for r in reports.upcoming(today)]
    return rows


def report_export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    ctx = _context(request)
    if kind not in KINDS or fmt not in ("csv", "xlsx") or (kind == "balances"
                                                          and not ctx["chosen"]):
        raise Http404("No such export.")
    rows = _rows(kind, ctx)
    audit_record(actor=request.user, action="export", obj=ctx["chosen"] or request.user,
                 note=f"time-off report {kind} ({len(rows) - 1} rows)")
    name = f"timeoff-{kind}-{date.today():%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(to_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(to_xlsx(rows, title=kind), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
