"""Bank accounts, national IDs and the employee's bank change requests. Every change is audited
with masked before/after and the employee is emailed (work and personal address) whenever their
bank details change, so a diverted salary is noticed before payday."""

from uuid import uuid4

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.services import audit_record, diff, snapshot
from delivery.services import delivery_enqueue
from employees.access import require_not_self
from employees.models import BankAccount, BankChangeRequest, Employee
from employees.validation import clean_bank_details, validate_national_id
from notifications.models import Notification
from notifications.services import notify as notify_in_app
from notifications.services import notify_user_ids

BANK_SNAPSHOT = ("holder_name", "country", "scheme", "account_type", "iban", "bic",
                 "routing_number", "sort_code", "account_number", "is_primary", "is_active")
BANK_SECRETS = ("iban", "account_number")
DETAIL_FIELDS = ("holder_name", "country", "scheme", "account_type", "iban", "bic",
                 "routing_number", "sort_code", "account_number", "last4")


def _notify(employee: Employee, event: str, last4: str, reason: str = "") -> None:
    # Durable: written with the change it reports, so a broker outage delays the notice
    # instead of losing it (delivery/).
    delivery_enqueue(kind="employees.bank_notice", key=f"employees.bank_notice:{uuid4().hex}",
                     group=f"employee:{employee.pk}",
                     payload={"employee_id": employee.pk, "event": event, "last4": last4,
                              "reason": reason})


def _tell_approvers(change: BankChangeRequest, acting_user) -> None:
    """The bell of everyone who may decide the request (HR Admin, Payroll Admin), the
    requester aside: nobody decides their own."""
    from django.contrib.auth import get_user_model

    approvers = (get_user_model().objects
                 .filter(groups__name__in=[Role.HR_ADMIN, Role.PAYROLL_ADMIN], is_active=True)
                 .exclude(pk=getattr(acting_user, "pk", None)).distinct())
    if change.employee.user_id is not None:
        approvers = approvers.exclude(pk=change.employee.user_id)
    notify_user_ids(user_ids=approvers.values_list("pk", flat=True),
                    kind=Notification.Kind.APPROVAL_WAITING,
                    text=_("Bank change for %(name)s waiting for approval (account ending "
                           "%(last4)s)") % {"name": change.employee.display_name,
                                            "last4": change.last4},
                    url=reverse("employees:bank_requests"),
                    key=f"employees.bank_request:{change.pk}")


def _tell_requester(change: BankChangeRequest) -> None:
    texts = {BankChangeRequest.Status.APPROVED: _("Your bank change (account ending %(last4)s) "
                                                  "was approved."),
             BankChangeRequest.Status.REJECTED: _("Your bank change (account ending %(last4)s) "
                                                  "was rejected: %(reason)s")}
    notify_in_app(recipient_user=change.employee.user, kind=Notification.Kind.REQUEST_DECIDED,
                  text=texts[change.status] % {"last4": change.last4, "reason": change.reason},
                  url=reverse("employees:my_bank"), key=f"employees.bank_decided:{change.pk}")


def _clean(details: dict) -> dict:
    cleaned = clean_bank_details(
        scheme=details.get("scheme", ""), country=details.get("country", ""),
        **{k: details.get(k, "") for k in ("iban", "bic", "routing_number", "sort_code",
                                           "account_number")},
    )
    holder = (details.get("holder_name") or "").strip()
    if not holder:
        raise ValidationError({"holder_name": _("Enter the account holder's name.")})
    return {
        **cleaned, "holder_name": holder, "country": details["country"].upper(),
        "scheme": details["scheme"], "account_type": details.get("account_type") or "checking",
    }


def _lock_employee(employee: Employee) -> Employee:
    return Employee.objects.select_for_update().get(pk=employee.pk)


def _make_primary(account: BankAccount) -> BankAccount | None:
    """Demote the current primary (if another) so the partial unique index holds."""
    previous = (
        BankAccount.objects.filter(employee_id=account.employee_id, is_primary=True)
        .exclude(pk=account.pk).first()
    )
    if previous is not None:
        previous.is_primary = False
        previous.save(update_fields=["is_primary", "updated_at"])
    return previous


@transaction.atomic
def bank_account_add(
    *, acting_user, employee: Employee, details: dict, make_primary: bool = True,
    notify: bool = True, source: str | None = None,
) -> BankAccount:
    require_not_self(acting_user, employee, _("bank accounts"))
    cleaned = _clean(details)
    _lock_employee(employee)
    has_primary = BankAccount.objects.filter(employee=employee, is_primary=True).exists()
    account = BankAccount(employee=employee, created_by=_user(acting_user), **cleaned)
    primary = make_primary or not has_primary
    if primary:
        account.save()
        previous = _make_primary(account)
        account.is_primary = True
        account.save(update_fields=["is_primary", "updated_at"])
        if previous is not None:
            audit_record(actor=acting_user, action="update", obj=previous,
                         employee_id=employee.pk, changes={"is_primary": [True, False]},
                         source=source)
    else:
        account.save()
    audit_record(actor=acting_user, action="create", obj=account, employee_id=employee.pk,
                 changes=diff({}, snapshot(account, BANK_SNAPSHOT), secret_fields=BANK_SECRETS),
                 source=source)
    if notify:
        _notify(employee, "changed", account.last4)
    return account


@transaction.atomic
def bank_account_update(
    *, acting_user, account: BankAccount, details: dict, source: str | None = None
) -> BankAccount:
    cleaned = _clean(details)
    account = BankAccount.objects.select_for_update().select_related("employee").get(pk=account.pk)
    require_not_self(acting_user, account.employee, _("bank accounts"))
    before = snapshot(account, BANK_SNAPSHOT)
    for name, value in cleaned.items():
        setattr(account, name, value)
    changes = diff(before, snapshot(account, BANK_SNAPSHOT), secret_fields=BANK_SECRETS)
    if not changes:
        return account
    account.save()
    audit_record(actor=acting_user, action="update", obj=account,
                 employee_id=account.employee_id, changes=changes, source=source)
    _notify(account.employee, "changed", account.last4)
    return account


@transaction.atomic
def bank_account_set_primary(*, acting_user, account: BankAccount) -> BankAccount:
    require_not_self(acting_user, account.employee, _("bank accounts"))
    _lock_employee(account.employee)
    account = BankAccount.objects.select_for_update().get(pk=account.pk)
    if account.is_primary:
        return account
    if not account.is_active:
        raise ValidationError(_("Reactivate the account before making it primary."))
    previous = _make_primary(account)
    account.is_primary = True
    account.save(update_fields=["is_primary", "updated_at"])
    if previous is not None:
        audit_record(actor=acting_user, action="update", obj=previous,
                     employee_id=account.employee_id, changes={"is_primary": [True, False]})
    audit_record(actor=acting_user, action="update", obj=account,
                 employee_id=account.employee_id, changes={"is_primary": [False, True]})
    _notify(account.employee, "changed", account.last4)
    return account


@transaction.atomic
def bank_account_deactivate(*, acting_user, account: BankAccount) -> BankAccount:
    account = BankAccount.objects.select_for_update().select_related("employee").get(pk=account.pk)
    require_not_self(acting_user, account.employee, _("bank accounts"))
    if not account.is_active:
        return account
    changes = {"is_active": [True, False]}
    if account.is_primary:
        changes["is_primary"] = [True, False]
    account.is_active = False
    account.is_primary = False
    account.save(update_fields=["is_active", "is_primary", "updated_at"])
    audit_record(actor=acting_user, action="update", obj=account,
                 employee_id=account.employee_id, changes=changes)
    _notify(account.employee, "changed", account.last4)
    return account


@transaction.atomic
def national_id_set(
    *, acting_user, employee: Employee, country: str, value: str, source: str | None = None
) -> Employee:
    try:
        compact = validate_national_id(country, value)
    except ValidationError as exc:
        raise ValidationError({"national_id": exc.messages}) from exc
    employee = _lock_employee(employee)
    require_not_self(acting_user, employee, _("national ID"))
    before = snapshot(employee, ("national_id", "national_id_country"))
    employee.national_id = compact
    employee.national_id_country = country
    employee.national_id_last4 = compact[-4:]
    changes = diff(before, snapshot(employee, ("national_id", "national_id_country")),
                   secret_fields=("national_id",))
    if not changes:
        return employee
    employee.version += 1
    employee.save(update_fields=["national_id", "national_id_country", "national_id_last4",
                                 "version", "updated_at"])
    audit_record(actor=acting_user, action="update", obj=employee, employee_id=employee.pk,
                 changes=changes, source=source)
    return employee


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def bank_change_request_create(
    *, acting_user, employee: Employee, details: dict, notify: bool = True
) -> BankChangeRequest:
    cleaned = _clean(details)
    _lock_employee(employee)
    if BankChangeRequest.objects.filter(
        employee=employee, status=BankChangeRequest.Status.PENDING
    ).exists():
        raise ValidationError(_("You already have a bank change waiting for HR. Cancel it "
                                "first if you want to ask for a different account."))
    request = BankChangeRequest.objects.create(
        employee=employee, requested_by=_user(acting_user), **cleaned
    )
    audit_record(actor=acting_user, action="create", obj=request, employee_id=employee.pk,
                 changes=diff({}, snapshot(request, (*DETAIL_FIELDS[:-1], "status")),
                              secret_fields=BANK_SECRETS),
                 source="portal")
    if notify:
        _notify(employee, "requested", request.last4)
    _tell_approvers(request, acting_user)
    return request


def _lock_pending(change: BankChangeRequest) -> BankChangeRequest:
    """Lock the request row; a second approver (or a cancel) that lost the race sees it decided."""
    locked = BankChangeRequest.objects.select_for_update().select_related("employee").get(
        pk=change.pk
    )
    if locked.status != BankChangeRequest.Status.PENDING:
        raise ValidationError(
            _("This request was already %(status)s.") % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def bank_change_request_approve(*, acting_user, change: BankChangeRequest) -> BankChangeRequest:
    change = _lock_pending(change)
    # Segregation of duties: nobody approves where their own salary goes.
    require_not_self(acting_user, change.employee, _("bank details (someone else approves)"))
    details = {name: getattr(change, name) for name in DETAIL_FIELDS if name != "last4"}
    account = bank_account_add(acting_user=acting_user, employee=change.employee,
                               details=details, make_primary=True, notify=False)
    change.status = BankChangeRequest.Status.APPROVED
    change.decided_by = _user(acting_user)
    change.decided_at = timezone.now()
    change.resulting_account = account
    change.save(update_fields=["status", "decided_by", "decided_at", "resulting_account"])
    audit_record(actor=acting_user, action="status", obj=change, employee_id=change.employee_id,
                 changes={"status": ["pending", "approved"]})
    _notify(change.employee, "approved", change.last4)
    _tell_requester(change)
    return change


@transaction.atomic
def bank_change_request_reject(
    *, acting_user, change: BankChangeRequest, reason: str
) -> BankChangeRequest:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so the employee knows what to fix.")})
    change = _lock_pending(change)
    require_not_self(acting_user, change.employee,
                     _("bank change request (withdraw it instead)"))
    change.status = BankChangeRequest.Status.REJECTED
    change.decided_by = _user(acting_user)
    change.decided_at = timezone.now()
    change.reason = reason.strip()
    change.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit_record(actor=acting_user, action="status", obj=change, employee_id=change.employee_id,
                 changes={"status": ["pending", "rejected"]}, note=change.reason)
    _notify(change.employee, "rejected", change.last4, change.reason)
    _tell_requester(change)
    return change


@transaction.atomic
def bank_change_request_cancel(*, acting_user, change: BankChangeRequest) -> BankChangeRequest:
    change = _lock_pending(change)
    change.status = BankChangeRequest.Status.CANCELLED
    change.decided_by = _user(acting_user)
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=acting_user, action="status", obj=change, employee_id=change.employee_id,
                 changes={"status": ["pending", "cancelled"]}, source="portal")
    return change
