"""Resetting someone's second factor needs two HR Admins (issue 12 item 1): one requests it, a
different one confirms it. Confirming deletes the person's authenticator and recovery codes, ends
every session they have and makes them enrol again at their next sign-in. Nobody requests or
confirms a reset of their own second factor. Every step is audited (who, when, IP)."""

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import MfaReset, User
from accounts.roles import is_hr_admin
from audit.services import audit_record


def _check(acting_user, user) -> None:
    if not is_hr_admin(acting_user):
        raise PermissionDenied(_("Only an HR Admin resets two-factor authentication."))
    if acting_user.pk == user.pk:
        raise ValidationError(_("You cannot reset your own two-factor authentication; ask "
                                "two other HR Admins."))


def _pending(user, *, lock: bool = False) -> MfaReset:
    qs = MfaReset.objects.filter(user=user, status=MfaReset.Status.PENDING)
    reset = (qs.select_for_update() if lock else qs).first()
    if reset is None:
        raise ValidationError(_("No two-factor reset is waiting for %(e)s.") % {"e": user.email})
    return reset


@transaction.atomic
def mfa_reset_request(*, acting_user, user) -> MfaReset:
    """Ask for a reset; idempotent while one is pending."""
    _check(acting_user, user)
    existing = MfaReset.objects.filter(user=user, status=MfaReset.Status.PENDING).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            reset = MfaReset.objects.create(user=user, requested_by=acting_user)
    except IntegrityError:  # another HR Admin asked at the same moment
        return MfaReset.objects.get(user=user, status=MfaReset.Status.PENDING)
    audit_record(actor=acting_user, action="update", obj=user,
                 changes={"mfa_reset": [None, MfaReset.Status.PENDING]},
                 note="two-factor reset requested")
    return reset


@transaction.atomic
def mfa_reset_confirm(*, acting_user, user) -> MfaReset:
    """The second HR Admin confirms: the authenticator goes, sessions end, enrol again."""
    from allauth.usersessions.models import UserSession

    _check(acting_user, user)
    reset = _pending(user, lock=True)
    if reset.requested_by_id == acting_user.pk:
        raise ValidationError(_("Another HR Admin must confirm the reset you requested."))
    reset.status, reset.decided_by, reset.decided_at = (
        MfaReset.Status.CONFIRMED, acting_user, timezone.now())
    reset.save(update_fields=["status", "decided_by", "decided_at"])
    kinds = sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    Authenticator.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(must_enrol_second_factor=True)
    for session in UserSession.objects.filter(user=user):
        session.end()
    audit_record(actor=acting_user, action="update", obj=user,
                 changes={"mfa_reset": [MfaReset.Status.PENDING, MfaReset.Status.CONFIRMED],
                          "authenticators": [kinds, []]},
                 note=f"two-factor reset requested by {reset.requested_by.email}, confirmed")
    return reset


@transaction.atomic
def mfa_reset_cancel(*, acting_user, user) -> MfaReset:
    _check(acting_user, user)
    reset = _pending(user, lock=True)
    reset.status, reset.decided_by, reset.decided_at = (
        MfaReset.Status.CANCELLED, acting_user, timezone.now())
    reset.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=acting_user, action="update", obj=user,
                 changes={"mfa_reset": [MfaReset.Status.PENDING, MfaReset.Status.CANCELLED]},
                 note="two-factor reset cancelled")
    return reset
