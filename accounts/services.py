from collections.abc import Iterable

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.services import audit_record
from delivery.services import delivery_enqueue

User = get_user_model()


def set_password_url(user) -> str:
    """A one-time link where the user chooses a password (allauth's reset-from-key page)."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user)},
    )
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@transaction.atomic
def user_create(
    *,
    acting_user,
    email: str,
    full_name: str,
    roles: Iterable[str] = (Role.EMPLOYEE,),
    password: str | None = None,
    send_welcome: bool = True,
):
    """Create a login. Without a password, the user gets a welcome email to choose one."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this email address already exists.")})
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    user_set_roles(acting_user=acting_user, user=user, roles=roles)
    audit_record(actor=acting_user, action="create", obj=user,
                 changes={"email": [None, email], "roles": [[], sorted(roles)]})
    if send_welcome:
        # Durable: the welcome email is written with the new login (delivery/).
        delivery_enqueue(kind="accounts.email", key=f"accounts.email:welcome:{user.pk}",
                         payload={"user_id": user.pk, "template": "welcome"},
                         group=f"user:{user.pk}")
    return user


def _refuse_self(acting_user, user, message: str) -> None:
    if getattr(acting_user, "is_authenticated", False) and acting_user.pk == user.pk:
        raise ValidationError(message)


@transaction.atomic
def user_set_roles(*, acting_user, user, roles: Iterable[str]) -> None:
    """Replace a user's roles. Nobody changes their own (segregation of duties): another HR
    Admin does it. Audited with before/after (and, from a request, the IP)."""
    _refuse_self(acting_user, user, _("You cannot change your own roles; ask another HR Admin."))
    given, user = user, User.objects.select_for_update().get(pk=user.pk)
    wanted = set(roles)
    unknown = wanted - {r.value for r in Role}
    if unknown:
        raise ValidationError(_("Unknown role(s): %s") % ", ".join(sorted(unknown)))
    before = sorted(user.groups.values_list("name", flat=True))
    user.groups.set(Group.objects.filter(name__in=wanted))
    # Only HR Admin may use the Django admin; it is still behind the same login and 2FA.
    is_staff = Role.HR_ADMIN in wanted or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    given.__dict__.pop("_hrops_roles", None)
    given.is_staff = user.is_staff
    if before != sorted(wanted):
        audit_record(actor=acting_user, action="update", obj=user,
                     changes={"roles": [before, sorted(wanted)]})


@transaction.atomic
def user_deactivate(*, acting_user, user, note: str = "") -> None:
    """Disable a login and end every session it has (e.g. the day after a leaver's last day)."""
    from allauth.usersessions.models import UserSession

    _refuse_self(acting_user, user, _("You cannot deactivate your own login."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(actor=acting_user, action="update", obj=user,
                     changes={"is_active": [True, False]}, note=note)
    for session in UserSession.objects.filter(user=user):
        session.end()


@transaction.atomic
def user_reactivate(*, acting_user, user, note: str = ""):
    """Let a deactivated login sign in again (its old sessions stay ended)."""
    _refuse_self(acting_user, user, _("You cannot reactivate your own login."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(actor=acting_user, action="update", obj=user,
                     changes={"is_active": [False, True]}, note=note)
    return user


def user_invite_resend(*, acting_user, user) -> None:
    """Email a fresh set-password link (links last PASSWORD_RESET_TIMEOUT, 1 hour)."""
    from accounts.tasks import send_account_email_task

    audit_record(actor=acting_user, action="update", obj=user, note="invitation sent")
    send_account_email_task.delay_on_commit(user.pk, "welcome")


@transaction.atomic
def user_anonymise(*, acting_user, user, note: str = "") -> list[str]:
    """A former employee's login when their personal data is anonymised: disabled, every
    session ended (as at offboarding), the name cleared and the email replaced by a unique
    address that can never receive mail (RFC 2606 ".invalid"), so the real address can be used
    by a new account. Verified addresses and second factors are deleted. Idempotent; returns
    the names of the fields that changed (the caller's single audit event lists them)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    user = User.objects.select_for_update().get(pk=user.pk)
    user_deactivate(acting_user=acting_user, user=user, note=note)
    values = {"email": f"anonymised-{user.pk}@invalid", "full_name": "", "first_name": "",
              "last_name": ""}
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, values[name])
    if user.has_usable_password():
        user.set_unusable_password()
        changed.append("password")
    if changed:
        user.save(update_fields=changed)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    return changed
