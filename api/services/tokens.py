"""Issuing, checking and revoking API tokens.

A token is `hrops_<prefix>_<secret>`: the prefix (public, unique) finds the row, the 256-bit
secret is stored only as its SHA-256 and compared in constant time. A fast hash is right here
(unlike passwords): the secret is random, so there is nothing to guess from a dictionary."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_hr_admin
from api import scopes as scope_list
from api.models import ApiToken, ServiceAccount
from audit.services import audit_record

PREFIX = "hrops"
# last_used_at is written at most this often per token: one UPDATE a minute, not one a call.
LAST_USED_GRANULARITY = timedelta(seconds=60)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str  # shown once, never stored


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_plaintext() -> tuple[str, str, str]:
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return prefix, secret, f"{PREFIX}_{prefix}_{secret}"


def _check_expiry(expires_at) -> None:
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})


@transaction.atomic
def _issue(*, acting_user, user, name: str, scopes, expires_at, service_account=None
           ) -> IssuedToken:
    _check_expiry(expires_at)
    wanted = scope_list.clean(scopes)
    if not wanted:
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    prefix, secret, plaintext = _new_plaintext()
    token = ApiToken.objects.create(
        user=user, service_account=service_account, name=name.strip()[:80], prefix=prefix,
        secret_sha256=_digest(secret), scopes=wanted, expires_at=expires_at,
        created_by=acting_user)
    audit_record(actor=acting_user, action="create", obj=token,
                 changes={"scopes": [None, wanted], "expires_at": [None, str(expires_at)]},
                 note=f"API token for {service_account or user}")
    return IssuedToken(token=token, plaintext=plaintext)


def personal_token_create(*, acting_user, name: str, scopes, expires_at=None) -> IssuedToken:
    """A person's own token: it acts as them, so it never has more rights than they do."""
    return _issue(acting_user=acting_user, user=acting_user, name=name, scopes=scopes,
                  expires_at=expires_at)


def service_token_create(*, acting_user, service_account: ServiceAccount, name: str, scopes=None,
                         expires_at=None) -> IssuedToken:
    if not is_hr_admin(acting_user):
        raise PermissionDenied(_("Only HR Admin issues service account tokens."))
    if not service_account.is_active:
        raise ValidationError(_("This service account is disabled."))
    allowed = set(service_account.scopes)
    wanted = set(scope_list.clean(scopes)) if scopes else allowed
    if wanted - allowed:
        raise ValidationError({"scopes": _("A token cannot have scopes its service account "
                                           "lacks: %s.") % ", ".join(sorted(wanted - allowed))})
    return _issue(acting_user=acting_user, user=service_account.user, name=name, scopes=wanted,
                  expires_at=expires_at, service_account=service_account)


@transaction.atomic
def token_revoke(*, acting_user, token: ApiToken) -> ApiToken:
    """Idempotent. The owner revokes their own personal token; HR Admin revokes any."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != acting_user.pk and not is_hr_admin(acting_user):
        raise PermissionDenied(_("You may not revoke this token."))
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = acting_user
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(actor=acting_user, action="status", obj=token,
                 changes={"revoked_at": [None, str(token.revoked_at)]})
    return token


def token_authenticate(plaintext: str) -> ApiToken | None:
    """The usable token this string names, or None (unknown, wrong secret, expired, revoked,
    its login disabled). One query."""
    parts = (plaintext or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    token = (ApiToken.objects.select_related("user", "service_account")
             .filter(prefix=parts[1]).first())
    if token is None or not hmac.compare_digest(token.secret_sha256, _digest(parts[2])):
        return None
    if not token.usable() or not token.user.is_active:
        return None
    if token.service_account_id and not token.service_account.is_active:
        return None
    return token


def token_touch(token: ApiToken, ip: str | None) -> None:
    """Record the last use without a write per call: a conditional UPDATE at most once a
    minute per token (healthchecks-style claim; concurrent calls do not pile up writes)."""
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USED_GRANULARITY:
        return
    from django.db.models import Q

    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_GRANULARITY),
        pk=token.pk,
    ).update(last_used_at=now, last_used_ip=ip)
    token.last_used_at = now
