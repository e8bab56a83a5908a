import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
)
from allauth.core import context
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts import throttle
from accounts.sso import password_login_refused


def _login_of(credentials: dict) -> str:
    return credentials.get("email") or credentials.get("username") or ""


class AccountAdapter(DefaultAccountAdapter):
    """HR creates accounts; nobody signs themself up. Failed sign-ins slow down per account + IP
    (accounts.throttle) instead of locking the account everywhere."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        wait = throttle.seconds_to_wait(request, _login_of(credentials))
        if wait:
            raise ValidationError(
                _("Too many failed login attempts from here. Try again in %(s)d seconds.")
                % {"s": wait}, code="too_many_login_attempts")
        super().pre_authenticate(request, **credentials)  # the per-IP limit

    def authentication_failed(self, request: HttpRequest, **credentials) -> None:
        throttle.record_failure(request, _login_of(credentials))
        super().authentication_failed(request, **credentials)

    def authenticate(self, request: HttpRequest, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:  # the right password from here: start counting afresh
            throttle.clear(request, _login_of(credentials))
            if password_login_refused(user):
                # Checked after the password, so the answer tells a stranger nothing about
                # which addresses belong to staff.
                raise ValidationError(
                    _("Your role signs in through single sign-on: use the button below."),
                    code="sso_only")
        return user

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A sign-in through the identity provider minutes ago proves as much as a password
        typed at sign-in (below); without this, someone signed in by SSO who has no password
        could not enrol the authenticator their role requires."""
        request = context.request
        if request is not None and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            if records and records[-1].get("method") == "socialaccount" and \
                    time.time() - records[-1].get("at", 0) \
                    < account_settings.REAUTHENTICATION_TIMEOUT:
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def post_login(self, request: HttpRequest, user, **kwargs) -> HttpResponse:
        count_sign_in_as_reauthentication(request)
        return super().post_login(request, user, **kwargs)


def count_sign_in_as_reauthentication(request: HttpRequest) -> None:
    """A password typed at sign-in proves as much as one typed at "confirm it's you": allauth
    only counts the latter, so HR Admin, sent straight from sign-in to set up an authenticator,
    was asked for the password again seconds later. Marking the sign-in's own records lets
    them through for ACCOUNT_REAUTHENTICATION_TIMEOUT (5 minutes); an older session (the
    hijacked-session case reauthentication exists for) is still asked."""
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if not isinstance(records, list):
        return
    methods = account_settings.REAUTHENTICATION_METHODS
    changed = False
    for record in records:
        if isinstance(record, dict) and record.get("method") in methods \
                and not record.get("reauthenticated"):
            record["reauthenticated"] = True
            changed = True
    if changed:
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records
