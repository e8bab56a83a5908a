"""Users and roles (HR Admin): search, invite, assign/remove roles, deactivate/reactivate; all
through accounts.services, which refuse changes to yourself and audit with the request's IP."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import mfa_reset, services
from accounts.forms import ROLE_CHOICES, InviteForm, RolesForm, UserSearchForm
from accounts.roles import is_hr_admin
from accounts.selectors import user_list


def _require_hr_admin(request: HttpRequest) -> None:
    if not is_hr_admin(request.user):
        raise PermissionDenied(_("Only an HR Admin manages users and roles."))


def users(request: HttpRequest) -> HttpResponse:
    _require_hr_admin(request)
    search = UserSearchForm(request.GET or None)
    q = search.cleaned_data["q"].strip() if search.is_valid() else ""
    page = Paginator(user_list(search=q), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/users.html", {
        "page": page, "search": search, "q": q, "invite_form": InviteForm(),
        "role_choices": ROLE_CHOICES})


@require_POST
def user_invite(request: HttpRequest) -> HttpResponse:
    _require_hr_admin(request)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            user = services.user_create(
                acting_user=request.user, email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"], roles=form.cleaned_data["roles"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Invitation sent to %(e)s.") % {"e": user.email})
            return redirect("accounts:users")
    return render(request, "accounts/users.html", {
        "page": Paginator(user_list(), 50).get_page(1), "search": UserSearchForm(),
        "q": "", "invite_form": form, "role_choices": ROLE_CHOICES}, status=400)


ACTIONS = {
    "deactivate": (services.user_deactivate, _("%(e)s can no longer sign in; their sessions "
                                               "have ended.")),
    "reactivate": (services.user_reactivate, _("%(e)s can sign in again.")),
    "resend": (services.user_invite_resend, _("A new set-password link was sent to %(e)s.")),
    "mfa-reset": (mfa_reset.mfa_reset_request, _("Two-factor reset of %(e)s requested: another "
                                                 "HR Admin must confirm it.")),
    "mfa-reset-confirm": (mfa_reset.mfa_reset_confirm, _("Two-factor authentication of %(e)s "
                                                         "was reset: they enrol again at their "
                                                         "next sign-in.")),
    "mfa-reset-cancel": (mfa_reset.mfa_reset_cancel, _("Two-factor reset of %(e)s cancelled.")),
}


@require_POST
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require_hr_admin(request)
    if action not in ACTIONS:
        raise Http404
    user = get_object_or_404(get_user_model(), pk=pk)
    service, done = ACTIONS[action]
    try:
        service(acting_user=request.user, user=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"e": user.email})
    return redirect("accounts:users")


@require_POST
def user_roles(request: HttpRequest, pk: int) -> HttpResponse:
    _require_hr_admin(request)
    user = get_object_or_404(get_user_model(), pk=pk)
    form = RolesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose valid roles."))
        return redirect("accounts:users")
    try:
        services.user_set_roles(acting_user=request.user, user=user,
                                roles=form.cleaned_data["roles"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Roles of %(e)s saved.") % {"e": user.email})
    return redirect("accounts:users")


def email_managed_by_hr(request: HttpRequest) -> HttpResponse:
    """Replaces allauth's "Email addresses" page: the sign-in address is HR's to change (Users
    and roles). Adding an unverified address there used to block TOTP enrolment for good."""
    if request.method != "GET":
        raise PermissionDenied(_("Your sign-in address is managed by HR."))
    return render(request, "accounts/email_managed.html")
