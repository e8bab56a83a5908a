from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts import throttle


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
        return user
