"""Payslips: the employee's own (portal), anyone's for HR and Payroll (profile tab), downloads
through a permission check (never a public URL), and the run's PDF delivery page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role, has_role
from delivery.models import DeliveryItem
from delivery.services import delivery_retry
from employees.access import Section, employee_get_for_viewer
from employees.profile import profile_tabs
from employees.selectors import employee_for_user
from hrops.downloads import stored_file_response
from payroll.models import PayRun, Payslip
from payroll.selectors_payslips import payslips_by_year, payslips_issued_to, run_pdf_progress
from payroll.services.outputs import paid_outside_summary
from payroll.services.payslips import (
    EMAIL_KIND,
    payslip_download_audit,
    payslip_emails_retry,
    payslip_retry,
    payslips_retry_failed_for_run,
)


def _require_payroll_admin(user) -> None:
    if not has_role(user, Role.PAYROLL_ADMIN):
        raise PermissionDenied(_("Only a Payroll Admin may see this page."))


def my_payslips(request: HttpRequest) -> HttpResponse:
    me = employee_for_user(request.user)
    years = payslips_by_year(payslips_issued_to(me.pk)) if me else []
    return render(request, "payroll/my_payslips.html", {"me": me, "years": years})


def employee_payslips(request: HttpRequest, pk: int) -> HttpResponse:
    # Managers get 403 here: payslips are not among the sections a manager may see.
    employee = employee_get_for_viewer(request.user, pk, section=Section.PAYSLIPS)
    years = payslips_by_year(payslips_issued_to(employee.pk))
    return render(request, "payroll/employee_payslips.html", {
        "employee": employee, "years": years, "current": "pay",
        "tabs": profile_tabs(request.user, employee),
    })


def payslip_download(request: HttpRequest, pk: int) -> FileResponse:
    payslip = get_object_or_404(
        Payslip.objects.select_related("run"), pk=pk, run__status__in=PayRun.FROZEN
    )
    employee_get_for_viewer(request.user, payslip.employee_id, section=Section.PAYSLIPS)
    if payslip.pdf_status != Payslip.PdfStatus.READY or not payslip.pdf_file:
        raise Http404(_("This payslip's PDF is not ready yet."))
    response = stored_file_response(
        payslip.pdf_file, content_type="application/pdf",
        filename=f"payslip-{payslip.display_number or payslip.pk}.pdf",
    )
    payslip_download_audit(payslip=payslip, acting_user=request.user)
    return response


def run_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    _require_payroll_admin(request.user)
    run = get_object_or_404(PayRun.objects.select_related("schedule", "period", "summary"),
                            pk=pk)
    finalised = run.status in PayRun.FROZEN
    context = {"run": run, "progress": run_pdf_progress(run), "finalised": finalised}
    if request.headers.get("HX-Request"):
        return render(request, "payroll/run_delivery.html#progress", context)
    context["paid_outside"] = paid_outside_summary(run) if finalised else None
    return render(request, "payroll/run_delivery.html", context)


@require_POST
def payslip_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_payroll_admin(request.user)
    payslip = get_object_or_404(Payslip, pk=pk, run__status__in=PayRun.FROZEN)
    try:
        payslip_retry(payslip=payslip, acting_user=request.user)
        messages.success(request, _("The payslip PDF was queued again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("payroll:run_delivery", pk=payslip.run_id)


@require_POST
def run_retry_failed(request: HttpRequest, pk: int) -> HttpResponse:
    _require_payroll_admin(request.user)
    run = get_object_or_404(PayRun, pk=pk, status__in=PayRun.FROZEN)
    count = payslips_retry_failed_for_run(run=run, acting_user=request.user)
    messages.success(request, _("%(n)d failed payslip PDF(s) queued again.") % {"n": count})
    return redirect("payroll:run_delivery", pk=run.pk)


@require_POST
def run_retry_emails(request: HttpRequest, pk: int, status: str) -> HttpResponse:
    """"Send again" for every email of the run in one state (failed, or waiting to retry)."""
    _require_payroll_admin(request.user)
    run = get_object_or_404(PayRun, pk=pk, status__in=PayRun.FROZEN)
    if status not in (DeliveryItem.Status.FAILED, DeliveryItem.Status.QUEUED):
        raise Http404(_("No such state to retry."))
    count = payslip_emails_retry(run=run, status=status, acting_user=request.user)
    messages.success(request, _("%(n)d payslip email(s) queued to send again.") % {"n": count})
    return redirect("payroll:run_delivery", pk=run.pk)


@require_POST
def delivery_item_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    """"Send again" for one payslip email."""
    _require_payroll_admin(request.user)
    item = get_object_or_404(DeliveryItem, pk=pk, kind=EMAIL_KIND, group__startswith="payrun:")
    try:
        delivery_retry(item=item, acting_user=request.user)
        messages.success(request, _("The email was queued to send again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("payroll:run_delivery", pk=int(item.group.removeprefix("payrun:")))
