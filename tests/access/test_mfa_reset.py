"""Resetting someone's two-factor authentication takes two HR Admins (issue 12 item 1)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from accounts.models import MfaReset, User
from accounts.roles import Role
from audit.models import AuditEvent
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.mfa import enrol_totp, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_hr_admin(db):
    return UserFactory(email="hr.admin2@example.test", roles=[Role.HR_ADMIN])


@pytest.fixture
def priya(db):
    user = UserFactory(email="priya@example.test", roles=[Role.PAYROLL_ADMIN])
    user.totp_secret = enrol_totp(user)
    return user


def _act(client, user, action):
    return client.post(reverse("accounts:user_action", args=[user.pk, action]), follow=True)


def test_one_hr_admin_requests_another_confirms_and_the_person_must_enrol_again(
        client_for, hr_admin, second_hr_admin, priya):
    # given: Priya is signed in somewhere
    other = Client()
    other.post("/accounts/login/", {"login": priya.email, "password": PASSWORD})
    other.post("/accounts/2fa/authenticate/", {"code": totp_code(priya.totp_secret)})
    assert other.get("/").status_code == 200
    assert UserSession.objects.filter(user=priya).exists()

    # when: the first HR Admin requests, which changes nothing yet
    page = _act(client_for(hr_admin), priya, "mfa-reset")
    assert "another HR Admin must confirm" in page.text
    assert Authenticator.objects.filter(user=priya).exists()

    # and the second confirms
    page = _act(client_for(second_hr_admin), priya, "mfa-reset-confirm")

    # then: her authenticator and recovery codes are gone, her sessions ended
    assert "enrol again" in page.text
    assert not Authenticator.objects.filter(user=priya).exists()
    assert other.get("/").status_code == 302  # signed out
    reset = MfaReset.objects.get(user=priya)
    assert (reset.status, reset.requested_by, reset.decided_by) == (
        MfaReset.Status.CONFIRMED, hr_admin, second_hr_admin)
    events = AuditEvent.objects.filter(object_type="accounts.user", object_id=str(priya.pk))
    assert {e.actor_id for e in events if "mfa_reset" in e.changes} == {
        hr_admin.pk, second_hr_admin.pk}
    confirmed = next(e for e in events if e.changes.get("mfa_reset") == ["pending", "confirmed"])
    assert confirmed.changes["authenticators"] == [["recovery_codes", "totp"], []]
    assert confirmed.ip_address


def test_the_requester_cannot_confirm_their_own_request(client_for, hr_admin, priya):
    client = client_for(hr_admin)
    _act(client, priya, "mfa-reset")

    page = _act(client, priya, "mfa-reset-confirm")

    assert "Another HR Admin must confirm" in page.text
    assert Authenticator.objects.filter(user=priya).exists()
    assert MfaReset.objects.get(user=priya).status == MfaReset.Status.PENDING


def test_nobody_resets_their_own_second_factor(client_for, hr_admin, second_hr_admin):
    page = _act(client_for(hr_admin), hr_admin, "mfa-reset")

    assert "cannot reset your own" in page.text
    assert not MfaReset.objects.exists()
    # nor confirms one about themself that someone else asked for
    _act(client_for(second_hr_admin), hr_admin, "mfa-reset")
    page = _act(client_for(hr_admin), hr_admin, "mfa-reset-confirm")
    assert "cannot reset your own" in page.text
    assert Authenticator.objects.filter(user=hr_admin).exists()


def test_a_cancelled_request_cannot_be_confirmed(client_for, hr_admin, second_hr_admin, priya):
    _act(client_for(hr_admin), priya, "mfa-reset")
    _act(client_for(hr_admin), priya, "mfa-reset-cancel")

    page = _act(client_for(second_hr_admin), priya, "mfa-reset-confirm")

    assert "No two-factor reset is waiting" in page.text
    assert Authenticator.objects.filter(user=priya).exists()


def test_requesting_twice_keeps_one_pending_request(client_for, hr_admin, second_hr_admin, priya):
    _act(client_for(hr_admin), priya, "mfa-reset")
    _act(client_for(second_hr_admin), priya, "mfa-reset")

    assert MfaReset.objects.filter(user=priya, status=MfaReset.Status.PENDING).count() == 1


@pytest.mark.parametrize("role", ["hr_staff", "payroll_admin"])
def test_only_hr_admins_reset_second_factors(request, role, client_for, priya):
    client = client_for(request.getfixturevalue(role))
    assert client.post(reverse("accounts:user_action", args=[priya.pk, "mfa-reset"])
                       ).status_code == 403
    assert not MfaReset.objects.exists()


def test_after_a_reset_even_an_employee_must_enrol_again_and_then_is_free(
        client, client_for, hr_admin, second_hr_admin):
    # given: an employee who had turned TOTP on voluntarily
    emp = UserFactory(email="emp@example.test", roles=[Role.EMPLOYEE])
    enrol_totp(emp)
    _act(client_for(hr_admin), emp, "mfa-reset")
    _act(client_for(second_hr_admin), emp, "mfa-reset-confirm")
    assert User.objects.get(pk=emp.pk).must_enrol_second_factor

    # when: they sign in again (no code asked: there is no authenticator now)
    client.post("/accounts/login/", {"login": emp.email, "password": PASSWORD})

    # then: sent to set up an authenticator before anything else
    response = client.get("/portal/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert client.get("/portal/").status_code == 200
    assert not User.objects.get(pk=emp.pk).must_enrol_second_factor


def test_users_page_shows_the_pending_reset_and_who_asked(client_for, hr_admin,
                                                          second_hr_admin, priya):
    _act(client_for(hr_admin), priya, "mfa-reset")

    mine = client_for(hr_admin).get(reverse("accounts:users"), {"q": "priya"}).text
    theirs = client_for(second_hr_admin).get(reverse("accounts:users"), {"q": "priya"}).text

    assert "Reset requested by hr.admin@example.test" in mine
    assert "Confirm reset" not in mine and "Cancel reset" in mine
    assert "Confirm reset" in theirs
