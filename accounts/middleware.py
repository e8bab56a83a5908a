from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from accounts.roles import requires_second_factor

# Paths a user who still has to set up a second factor may reach.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/")


class RequireSecondFactorMiddleware:
    """HR Admin and Payroll Admin must enrol a TOTP authenticator before using anything else,
    the Django admin included, and so must anyone whose second factor two HR Admins reset.
    Anyone else may enrol voluntarily."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and (requires_second_factor(user) or user.must_enrol_second_factor)
            and not request.session.get("hrops_mfa_enrolled")
        ):
            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                # Remember for this session; allauth itself asks for the code at login.
                request.session["hrops_mfa_enrolled"] = True
                if user.must_enrol_second_factor:  # enrolled again after an HR reset
                    get_user_model().objects.filter(pk=user.pk).update(must_enrol_second_factor=False)
            else:
                messages.warning(
                    request,
                    _("Your role requires two-factor authentication. Set up an authenticator app "
                      "to continue.") if requires_second_factor(user) else
                    _("HR reset your two-factor authentication. Set up an authenticator app "
                      "to continue."),
                )
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class NoStoreMiddleware:
    """Every response to a signed-in user may carry personal data (a bank tab, a payslip PDF, an
    export): tell browsers and proxies not to keep it (ASVS 5.0 V14.3.2)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
