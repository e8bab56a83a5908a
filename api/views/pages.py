"""HTML pages: everyone's personal tokens; HR Admin's service accounts and their tokens.
A new token's secret is shown once, on the answer to the POST that made it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_hr_admin
from api import selectors
from api.forms import ServiceAccountForm, TokenForm
from api.models import ApiToken, ServiceAccount
from api.services.accounts import service_account_create, service_account_set_active
from api.services.tokens import personal_token_create, service_token_create, token_revoke


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(field if field in form.fields else None, errors)


def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = personal_token_create(
                acting_user=request.user, name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"], expires_at=form.expires_at())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            form = TokenForm()
    return render(request, "api/tokens.html", {
        "form": form, "issued": issued, "tokens": selectors.personal_tokens(request.user)},
        status=400 if form.errors else 200)


@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    if token.user_id != request.user.pk and not is_hr_admin(request.user):
        raise PermissionDenied
    token_revoke(acting_user=request.user, token=token)
    messages.success(request, _("Token %s revoked.") % token.name)
    if token.service_account_id:
        return redirect("api:service_account", pk=token.service_account_id)
    return redirect("api:tokens")


def _require_admin(user) -> None:
    if not is_hr_admin(user):
        raise PermissionDenied(_("Only HR Admin manages service accounts."))


def service_accounts(request: HttpRequest) -> HttpResponse:
    _require_admin(request.user)
    form = ServiceAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = service_account_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Service account %s created.") % account.name)
            return redirect("api:service_account", pk=account.pk)
    return render(request, "api/service_accounts.html", {
        "form": form, "accounts": selectors.service_accounts()},
        status=400 if form.errors else 200)


def service_account(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request.user)
    account = get_object_or_404(ServiceAccount, pk=pk)
    form = TokenForm(request.POST or None, allowed=account.scopes,
                     initial={"scopes": account.scopes})
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = service_token_create(
                acting_user=request.user, service_account=account,
                name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at())
        except ValidationError as exc:
            _add_errors(form, exc)
    return render(request, "api/service_account.html", {
        "account": account, "form": form, "issued": issued,
        "tokens": selectors.service_account_tokens(account)},
        status=400 if form.errors else 200)


@require_POST
def service_account_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require_admin(request.user)
    account = get_object_or_404(ServiceAccount, pk=pk)
    if action not in ("enable", "disable"):
        raise PermissionDenied
    service_account_set_active(acting_user=request.user, account=account,
                               active=action == "enable")
    return redirect("api:service_account", pk=account.pk)
