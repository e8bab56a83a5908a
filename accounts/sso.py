"""Single sign-on through django-allauth's own OpenID Connect and SAML providers (issue 12).

What HROps adds to allauth's flow, and why:
- a person is matched to an HROps login only by an address the identity provider vouches for
  (allauth's email authentication uses verified addresses only); an unverified or unknown address
  never signs anyone in;
- no login is created by SSO unless SSO_CREATE_USERS is on (HR creates accounts), and then only
  for a verified address, with the Employee role only;
- a login HR created is HR's statement of that person's address: when an IdP's verified address
  matches it, the address is recorded as verified rather than letting allauth wipe the password
  (which it does to protect self-signed-up accounts HROps does not have);
- a second factor is still required: allauth's MFA stage runs for SSO sign-ins as for passwords,
  and RequireSecondFactorMiddleware sends HR Admin and Payroll Admin to enrol first. An IdP's own
  MFA is not taken as ours, because HROps cannot check what the IdP asked for.
"""

from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.contrib.auth.models import Group
from django.http import HttpRequest

from accounts.roles import Role, has_role
from audit.services import audit_record


def password_login_refused(user) -> bool:
    """Roles that must sign in through the identity provider (SSO_ONLY_ROLES)."""
    roles = getattr(settings, "SSO_ONLY_ROLES", [])
    return bool(roles) and has_role(user, *roles)


def _verified_emails(sociallogin: SocialLogin) -> list[str]:
    return [a.email.lower() for a in sociallogin.email_addresses if a.verified]


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return bool(settings.SSO_CREATE_USERS) and bool(_verified_emails(sociallogin))

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        email = getattr(sociallogin, "_did_authenticate_by_email", None)
        user = sociallogin.user
        if email and user is not None and user.pk and user.email.lower() == email.lower():
            EmailAddress.objects.update_or_create(
                user=user, email__iexact=email,
                defaults={"email": user.email, "verified": True, "primary": True})
        super().pre_social_login(request, sociallogin)

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form=None):
        """Only with SSO_CREATE_USERS: a new login with the Employee role, audited."""
        user = super().save_user(request, sociallogin, form)
        user.groups.add(Group.objects.get(name=Role.EMPLOYEE))
        audit_record(actor=None, action="create", obj=user, note="created by single sign-on",
                     changes={"email": [None, user.email], "roles": [[], [Role.EMPLOYEE]],
                              "sso_provider": [None, sociallogin.account.provider]})
        return user
