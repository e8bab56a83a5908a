"""Single sign-on by OpenID Connect, end to end against a real OpenID provider running in the test
process (django-oauth-toolkit, RS256 ID tokens, PKCE; see tests/sso.py): allauth's own
openid_connect provider does discovery, the token exchange, ID-token verification and userinfo
over HTTP to the live server."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from accounts.roles import Role
from accounts.services import user_deactivate
from audit.models import AuditEvent
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.mfa import enrol_totp, totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def _signed_in_as(client):
    response = client.get("/", follow=True)
    user = response.wsgi_request.user
    return user if user.is_authenticated else None


def test_verified_email_signs_in_the_matching_login(client, oidc_idp):
    # given: an HROps login HR created, and the IdP vouching for the same address
    priya = UserFactory(email="priya@example.test", roles=[Role.EMPLOYEE])
    idp_user = oidc_idp.user_for("Priya@Example.test", verified=True)

    # when
    response = oidc_idp.sign_in(client, idp_user)

    # then: signed in as Priya, the IdP identity linked, her password left alone
    assert response.status_code == 302
    assert _signed_in_as(client) == priya
    assert SocialAccount.objects.filter(user=priya, provider="test-idp").exists()
    priya.refresh_from_db()
    assert priya.has_usable_password()


def test_unverified_email_never_signs_anyone_in(client, oidc_idp):
    UserFactory(email="priya@example.test", roles=[Role.EMPLOYEE])
    idp_user = oidc_idp.user_for("priya@example.test", verified=False)

    response = oidc_idp.sign_in(client, idp_user, follow=True)

    assert _signed_in_as(client) is None
    assert not SocialAccount.objects.exists()
    assert response.status_code == 200


def test_unknown_address_creates_no_login_by_default(client, oidc_idp):
    idp_user = oidc_idp.user_for("stranger@example.test")
    before = get_user_model().objects.count()

    oidc_idp.sign_in(client, idp_user, follow=True)

    assert _signed_in_as(client) is None
    assert get_user_model().objects.count() == before


def test_hr_may_allow_sso_to_create_employee_logins(client, oidc_idp, settings):
    settings.SSO_CREATE_USERS = True
    idp_user = oidc_idp.user_for("newstarter@example.test")

    oidc_idp.sign_in(client, idp_user)

    user = get_user_model().objects.get(email="newstarter@example.test")
    assert _signed_in_as(client) == user
    assert sorted(user.groups.values_list("name", flat=True)) == [Role.EMPLOYEE]
    assert AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk),
                                     action="create").exists()


def test_even_when_allowed_an_unverified_address_creates_nothing(client, oidc_idp, settings):
    settings.SSO_CREATE_USERS = True
    idp_user = oidc_idp.user_for("unsure@example.test", verified=False)

    oidc_idp.sign_in(client, idp_user, follow=True)

    assert not get_user_model().objects.filter(email="unsure@example.test").exists()


def test_deactivating_ends_an_sso_session_and_refuses_the_next_sso_sign_in(
        client, oidc_idp, hr_admin):
    priya = UserFactory(email="priya@example.test", roles=[Role.EMPLOYEE])
    idp_user = oidc_idp.user_for("priya@example.test")
    oidc_idp.sign_in(client, idp_user)
    assert _signed_in_as(client) == priya

    user_deactivate(acting_user=hr_admin, user=priya)

    assert _signed_in_as(client) is None
    oidc_idp.sign_in(client, idp_user, follow=True)
    assert _signed_in_as(client) is None


def test_sso_sign_in_still_asks_for_the_second_factor(client, oidc_idp):
    # decided: the IdP's own MFA is not taken as ours; HR Admin still types a TOTP code
    admin = UserFactory(email="admin@example.test", roles=[Role.HR_ADMIN])
    secret = enrol_totp(admin)
    idp_user = oidc_idp.user_for("admin@example.test")

    response = oidc_idp.sign_in(client, idp_user)

    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert _signed_in_as(client) is None
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert _signed_in_as(client) == admin


def test_sso_admin_without_authenticator_must_enrol_and_can(client, oidc_idp):
    # an HR Admin invited without a password signs in by SSO: sent to set up TOTP, and the
    # fresh SSO sign-in counts as "confirm it's you" (there is no password to confirm with)
    admin = UserFactory(email="admin@example.test", roles=[Role.HR_ADMIN])
    admin.set_unusable_password()
    admin.save()
    idp_user = oidc_idp.user_for("admin@example.test")
    oidc_idp.sign_in(client, idp_user)

    response = client.get("/employees/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    done = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert done.status_code == 302
    assert client.get("/employees/").status_code == 200


def test_sso_only_roles_cannot_sign_in_with_a_password(client, oidc_idp, settings):
    settings.SSO_ONLY_ROLES = [Role.HR_ADMIN, Role.HR_STAFF, Role.PAYROLL_ADMIN]
    staff = UserFactory(email="staff@example.test", roles=[Role.HR_STAFF])
    employee = UserFactory(email="emp@example.test", roles=[Role.EMPLOYEE])

    refused = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert refused.status_code == 200
    assert b"single sign-on" in refused.content
    assert _signed_in_as(client) is None

    client.post("/accounts/login/", {"login": employee.email, "password": PASSWORD})
    assert _signed_in_as(client) == employee
    client.post("/accounts/logout/")

    oidc_idp.sign_in(client, oidc_idp.user_for("staff@example.test"))
    assert _signed_in_as(client) == staff


def test_login_page_offers_the_identity_provider(client, oidc_idp):
    page = client.get("/accounts/login/")
    assert b"Test IdP" in page.content



@pytest.mark.django_db(transaction=False)
def test_hr_admin_configures_identity_providers_in_the_django_admin(client_for, hr_admin,
                                                                    hr_staff):
    # given: HR Admin (staff for the Django admin, as user_set_roles makes them) and HR Staff
    hr_admin.is_staff = True
    hr_admin.save(update_fields=["is_staff"])
    # then: HR Admin may add an identity provider (allauth's Social applications)
    assert client_for(hr_admin).get("/admin/socialaccount/socialapp/add/").status_code == 200
    assert client_for(hr_staff).get("/admin/socialaccount/socialapp/add/").status_code in (
        302, 403)
