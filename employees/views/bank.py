"""Bank & tax IDs tab, reveal of secrets, and the queue of employees' bank change requests."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role, has_role
from audit.services import audit_record
from employees.access import (
    Relation,
    Section,
    can_decide_request,
    can_reveal_secrets,
    can_view,
    is_self,
    relation,
)
from employees.models import BankAccount, BankChangeRequest, Employee
from employees.record_forms import BankAccountForm, NationalIdForm, RejectForm
from employees.services import bank as bank_services
from employees.validation import format_national_id
from employees.views.records_common import get_employee, tab_context


def may_manage_bank(viewer, employee: Employee) -> bool:
    """Bank details and national IDs are changed by HR Admin and Payroll Admin only (not HR
    Staff, not managers), never their own; the employee asks for a change through a request."""
    return (relation(viewer, employee) in {Relation.HR, Relation.PAYROLL}
            and can_reveal_secrets(viewer) and not is_self(viewer, employee))


def _for_manage(request: HttpRequest, pk: int) -> Employee:
    employee = get_employee(request, pk, section=Section.BANK)
    if not may_manage_bank(request.user, employee):
        raise PermissionDenied(_("Only HR Admin and Payroll Admin change bank details, and "
                                 "never their own."))
    return employee


def bank(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_employee(request, pk, section=Section.BANK)
    own = is_self(request.user, employee)
    return render(request, "employees/bank.html", tab_context(
        request, employee, "bank",
        accounts=list(employee.bank_accounts.all()),
        show_national_id=can_view(request.user, employee, Section.NATIONAL_ID),
        can_reveal=can_reveal_secrets(request.user),
        can_manage=may_manage_bank(request.user, employee),
        is_self=own,
        pending=employee.bank_change_requests.filter(
            status=BankChangeRequest.Status.PENDING).first() if own else None,
        national_id_form=NationalIdForm(initial={
            "national_id_country": employee.national_id_country or employee.work_country}),
        account_form=BankAccountForm(initial={
            "holder_name": employee.legal_name, "country": employee.work_country,
            "scheme": "us_ach" if employee.work_country == "US" else "uk"}),
    ))


@require_POST
def reveal(request: HttpRequest, pk: int, what: str, account_pk: int | None = None
           ) -> HttpResponse:
    """Show one secret in full (htmx swap) to HR Admin / Payroll Admin; each reveal audited."""
    section = Section.NATIONAL_ID if what == "national_id" else Section.BANK
    employee = get_employee(request, pk, section=section)
    if not can_reveal_secrets(request.user):
        raise PermissionDenied(_("Only HR Admin and Payroll Admin can reveal this."))
    if what == "national_id":
        if not employee.national_id:
            raise Http404
        value = format_national_id(employee.national_id_country, employee.national_id)
        audit_record(actor=request.user, action="reveal", obj=employee, employee_id=employee.pk,
                     note="national_id")
    elif what == "account":
        account = get_object_or_404(BankAccount, pk=account_pk, employee=employee)
        value = account.iban or account.account_number
        audit_record(actor=request.user, action="reveal", obj=account, employee_id=employee.pk,
                     note="iban" if account.iban else "account_number")
    else:
        raise Http404
    return render(request, "employees/bank.html#revealed", {"value": value})


@require_POST
def national_id_set(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _for_manage(request, pk)
    form = NationalIdForm(request.POST)
    if form.is_valid():
        bank_services.national_id_set(
            acting_user=request.user, employee=employee,
            country=form.cleaned_data["national_id_country"],
            value=form.cleaned_data["national_id"])
        messages.success(request, _("National ID saved."))
        return redirect("employees:bank", pk=employee.pk)
    return render(request, "employees/bank_form.html", tab_context(
        request, employee, "bank", form=form, title=_("Set national ID"),
        action_url=request.path), status=400)


def account_edit(request: HttpRequest, pk: int, account_pk: int | None = None) -> HttpResponse:
    """Add (account_pk None) or correct a bank account."""
    employee = _for_manage(request, pk)
    account = None
    if account_pk is not None:
        account = get_object_or_404(BankAccount, pk=account_pk, employee=employee)
    initial = {}
    if account is not None:
        initial = {f: getattr(account, f) for f in (
            "holder_name", "scheme", "country", "account_type", "bic", "sort_code",
            "routing_number")}
    form = BankAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if account is None:
                bank_services.bank_account_add(acting_user=request.user, employee=employee,
                                               details=form.details())
            else:
                bank_services.bank_account_update(acting_user=request.user, account=account,
                                                  details=form.details())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Bank account saved. The employee has been emailed."))
            return redirect("employees:bank", pk=employee.pk)
    title = _("Add bank account") if account is None else _("Correct bank account %(masked)s") % {
        "masked": account.masked}
    return render(request, "employees/bank_form.html", tab_context(
        request, employee, "bank", form=form, title=title, action_url=request.path,
        account=account), status=400 if form.errors else 200)


@require_POST
def account_action(request: HttpRequest, pk: int, account_pk: int, action: str) -> HttpResponse:
    employee = _for_manage(request, pk)
    account = get_object_or_404(BankAccount, pk=account_pk, employee=employee)
    try:
        if action == "primary":
            bank_services.bank_account_set_primary(acting_user=request.user, account=account)
            messages.success(request, _("Salary will now be paid into %(m)s.") % {
                "m": account.masked})
        elif action == "deactivate":
            bank_services.bank_account_deactivate(acting_user=request.user, account=account)
            messages.success(request, _("Account %(m)s deactivated.") % {"m": account.masked})
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("employees:bank", pk=employee.pk)


def _queue_gate(request: HttpRequest) -> None:
    if not has_role(request.user, Role.HR_ADMIN, Role.PAYROLL_ADMIN):
        raise PermissionDenied(_("Bank change requests are decided by HR Admin or Payroll "
                                 "Admin."))


def bank_requests(request: HttpRequest) -> HttpResponse:
    _queue_gate(request)
    status = request.GET.get("status") or BankChangeRequest.Status.PENDING
    if status not in BankChangeRequest.Status.values:
        status = BankChangeRequest.Status.PENDING
    qs = BankChangeRequest.objects.filter(status=status).select_related(
        "employee", "requested_by", "decided_by").order_by("requested_at")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    current = {a.employee_id: a for a in BankAccount.objects.filter(
        employee_id__in=[r.employee_id for r in page], is_primary=True)}
    rows = [(r, current.get(r.employee_id), can_decide_request(request.user, r.employee))
            for r in page]
    return render(request, "employees/bank_requests.html", {
        "page": page, "rows": rows, "status": status,
        "statuses": BankChangeRequest.Status.choices, "reject_form": RejectForm()})


@require_POST
def bank_request_decide(request: HttpRequest, request_pk: int, decision: str) -> HttpResponse:
    _queue_gate(request)
    change = get_object_or_404(BankChangeRequest.objects.select_related("employee"),
                               pk=request_pk)
    try:
        if decision == "approve":
            bank_services.bank_change_request_approve(acting_user=request.user, change=change)
            messages.success(request, _("Approved: %(name)s is now paid into %(m)s.") % {
                "name": change.employee.display_name, "m": change.masked})
        elif decision == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give a reason for rejecting the request."))
                return redirect("employees:bank_requests")
            bank_services.bank_change_request_reject(
                acting_user=request.user, change=change, reason=form.cleaned_data["reason"])
            messages.success(request, _("Rejected; %(name)s has been told why.") % {
                "name": change.employee.display_name})
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("employees:bank_requests")
