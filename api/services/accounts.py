"""Service accounts: a login with no person behind it, for an integration (IT provisioning,
finance). It behaves like HR Staff limited by its scopes: it sees everyone, changes what HR Staff
may change, and is given Payroll Viewer (pay runs) or HR Analyst (analytics) only when those
scopes are granted. It can never sign in with a password (none is set, its address is not
deliverable) and it has no employee record, so it is never "self" to anyone."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role, is_hr_admin
from accounts.services import user_create, user_set_roles
from api import scopes as scope_list
from api.models import ServiceAccount
from api.scopes import Scope
from audit.services import audit_record

EMAIL_DOMAIN = "service-accounts.invalid"  # RFC 2606: never deliverable


def roles_for(scopes) -> list[str]:
    roles = [Role.HR_STAFF]
    if Scope.PAYROLL_READ in scopes:
        roles.append(Role.PAYROLL_VIEWER)
    if Scope.ANALYTICS_READ in scopes:
        roles.append(Role.HR_ANALYST)
    return roles


def _require_admin(acting_user) -> None:
    if not is_hr_admin(acting_user):
        raise PermissionDenied(_("Only HR Admin manages service accounts."))


@transaction.atomic
def service_account_create(*, acting_user, name: str, scopes, description: str = ""
                           ) -> ServiceAccount:
    _require_admin(acting_user)
    name = name.strip()
    wanted = scope_list.clean(scopes)
    if not name:
        raise ValidationError({"name": _("Give the service account a name.")})
    if not wanted:
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    if ServiceAccount.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("A service account with this name exists.")})
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "integration"
    user = user_create(acting_user=acting_user, email=f"{slug}@{EMAIL_DOMAIN}",
                       full_name=f"Service account: {name}", roles=roles_for(wanted),
                       send_welcome=False)
    account = ServiceAccount.objects.create(name=name, description=description, user=user,
                                            scopes=wanted, created_by=acting_user)
    audit_record(actor=acting_user, action="create", obj=account,
                 changes={"scopes": [None, wanted]})
    return account


@transaction.atomic
def service_account_set_active(*, acting_user, account: ServiceAccount, active: bool
                               ) -> ServiceAccount:
    """Disabling stops every token at once (token_authenticate checks the account)."""
    _require_admin(acting_user)
    account = ServiceAccount.objects.select_for_update().get(pk=account.pk)
    if account.is_active == active:
        return account
    account.is_active = active
    account.save(update_fields=["is_active"])
    user_set_roles(acting_user=acting_user, user=account.user,
                   roles=roles_for(account.scopes) if active else [])
    audit_record(actor=acting_user, action="status", obj=account,
                 changes={"is_active": [not active, active]})
    return account
