import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory
from tests.mfa import enrol_totp, totp_code

pytestmark = pytest.mark.django_db


def _login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_user_signs_in_with_email_and_password(client, password):
    # given
    UserFactory(email="ann@example.test", roles=[Role.EMPLOYEE])
    # when
    response = _login(client, "Ann@Example.test", password)
    # then
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


def test_wrong_password_is_refused_with_a_message(client):
    UserFactory(email="ann@example.test")
    response = _login(client, "ann@example.test", "not-the-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert client.get(reverse("portal:home")).status_code == 302


def test_sign_out_ends_the_session(client, password):
    UserFactory(email="ann@example.test")
    _login(client, "ann@example.test", password)
    # when
    client.post(reverse("account_logout"))
    # then
    assert client.get(reverse("portal:home")).status_code == 302


def test_self_signup_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert "closed" in response.content.decode().lower()


def test_password_reset_sends_email_with_text_and_html_parts(client):
    # given
    UserFactory(email="ann@example.test")
    # when
    client.post(reverse("account_reset_password"), {"email": "ann@example.test"})
    # then
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ann@example.test"]
    assert "/accounts/password/reset/key/" in message.body
    html = [body for body, mime in message.alternatives if mime == "text/html"]
    assert html and "Choose a new password" in html[0]


def test_password_reset_link_sets_a_new_password(client):
    UserFactory(email="ann@example.test")
    client.post(reverse("account_reset_password"), {"email": "ann@example.test"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/key/" in line)
    path = link[link.index("/accounts/"):].strip()
    # when: the key page redirects to a session-bound form
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    client.post(form_url, {"password1": "brand-new-pass-42", "password2": "brand-new-pass-42"})
    # then
    assert _login(client, "ann@example.test", "brand-new-pass-42").status_code == 302


def test_failed_logins_are_throttled_per_account_and_ip(client, settings, monkeypatch):
    # given: five wrong passwords for one account from this client's address (clock frozen,
    # so the growing delay has not run out whatever the speed of the machine)
    from accounts import throttle

    now = throttle.time.time()
    monkeypatch.setattr(throttle.time, "time", lambda: now)
    UserFactory(email="ann@example.test")
    for _ in range(5):
        _login(client, "ann@example.test", "wrong-password")
    # when: even the right password is refused from here while the delay runs
    response = _login(client, "ann@example.test", "correct-horse-battery-9")
    # then (tests/access/test_auth_hardening.py: the owner elsewhere is not slowed down)
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()


def test_failed_logins_are_throttled_per_ip_across_accounts(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS,
                                    "login_failed": "3/15m/ip"}
    for n in range(3):
        UserFactory(email=f"user{n}@ip.test")
        _login(client, f"user{n}@ip.test", "wrong-password")
    UserFactory(email="fresh@ip.test")
    response = _login(client, "fresh@ip.test", "correct-horse-battery-9")
    assert "Too many failed login attempts" in response.content.decode()


def test_hr_admin_without_second_factor_is_sent_to_set_one_up(client, password):
    # given
    UserFactory(email="boss@example.test", roles=[Role.HR_ADMIN])
    _login(client, "boss@example.test", password)
    # when
    response = client.get(reverse("home"))
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_django_admin_is_also_behind_the_second_factor(client, password):
    UserFactory(email="boss@example.test", roles=[Role.HR_ADMIN], is_staff=True)
    _login(client, "boss@example.test", password)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_hr_admin_with_totp_must_enter_a_code_at_login(client, password):
    # given
    user = UserFactory(email="boss@example.test", roles=[Role.HR_ADMIN], is_staff=True)
    secret = enrol_totp(user)
    # when: the password alone is not enough
    response = _login(client, "boss@example.test", password)
    # then
    assert response.status_code == 302
    assert "/2fa/authenticate" in response["Location"]
    assert client.get(reverse("home")).status_code == 302
    # when: the code is given
    bad = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert bad.status_code == 200
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    # then
    assert client.get(reverse("home")).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_employee_may_use_a_second_factor_voluntarily(client, password, settings):
    user = UserFactory(email="ann@example.test", roles=[Role.EMPLOYEE])
    _login(client, "ann@example.test", password)
    assert client.get(reverse("portal:home")).status_code == 200  # not forced
    # when: the sign-in is older than the reauthentication window, adding a factor asks for
    # the password again first (a hijacked session can't add one)
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
    client.post(response["Location"], {"password": password})
    page = client.get(reverse("mfa_activate_totp"))
    # then
    assert page.status_code == 200
    assert "secret" in page.context or b"Authenticator" in page.content
    assert not Authenticator.objects.filter(user=user).exists()


def test_session_expires_after_inactivity(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_idle_session_is_rejected(client, password):
    # given a signed-in user whose session has passed its idle expiry
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    UserFactory(email="ann@example.test")
    _login(client, "ann@example.test", password)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    # when / then
    assert client.get(reverse("portal:home")).status_code == 302


def test_hr_admin_is_not_asked_for_the_password_again_right_after_signing_in(client, password):
    # given an HR Admin who must set up an authenticator
    UserFactory(email="boss@example.test", roles=[Role.HR_ADMIN])
    _login(client, "boss@example.test", password)
    # when they are sent to set it up, seconds after signing in
    response = client.get(reverse("mfa_activate_totp"))
    # then the set-up page opens: the sign-in's password counts as the confirmation
    assert response.status_code == 200
    assert b"Authenticator" in response.content or "secret" in response.context


def test_sign_in_page_does_not_invite_people_to_sign_up(client):
    body = client.get(reverse("account_login")).content.decode()
    assert "sign up" not in body.lower()
    assert reverse("account_signup") not in body
