"""Authentication hardening (issue 12, ASVS 5.0 V6): throttling per account + IP with growing
delays, 1-hour single-use reset links, MFA enrolment that cannot dead-end, no-store on pages and
downloads with personal data, legal-hold release by HR Admin only."""

import re
import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts import throttle
from accounts.roles import Role
from compliance.models import LegalHold
from compliance.services.retention import legal_hold_place
from tests.factories import EmployeeFactory, UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, email, password, ip="198.51.100.7"):
    return client.post(reverse("account_login"), {"login": email, "password": password},
                       REMOTE_ADDR=ip)


def test_failures_from_one_ip_slow_that_ip_but_not_the_owner_elsewhere(client, monkeypatch):
    # given: an attacker guesses an HR Admin's password from one address (clock frozen)
    now = time.time()
    monkeypatch.setattr(throttle.time, "time", lambda: now)
    UserFactory(email="boss@example.test", roles=[Role.EMPLOYEE])
    for _ in range(6):
        _login(client, "boss@example.test", "wrong-password", ip="203.0.113.9")
    # when: the attacker tries again at once, and the owner signs in from their own address
    attacker = _login(client, "boss@example.test", PASSWORD, ip="203.0.113.9")
    owner = _login(client, "boss@example.test", PASSWORD, ip="198.51.100.20")
    # then: only the attacker's address waits; the account is not locked
    assert "Too many failed login attempts" in attacker.content.decode()
    assert owner.status_code == 302


def test_delays_grow_and_are_capped(settings):
    # given
    settings.LOGIN_FREE_FAILURES = 5
    settings.LOGIN_MAX_DELAY_SECONDS = 900
    # then: free attempts, then 1 s, 2 s, 4 s ... up to 15 minutes
    assert [throttle.delay_for(n) for n in range(1, 10)] == [0, 0, 0, 0, 1, 2, 4, 8, 16]
    assert throttle.delay_for(40) == 900


def test_after_the_delay_the_right_password_works(client, settings, monkeypatch):
    # given: five failures from one address
    UserFactory(email="ann@example.test")
    for _ in range(5):
        _login(client, "ann@example.test", "wrong")
    # when: the 1-second delay has passed
    now = time.time()
    monkeypatch.setattr(throttle.time, "time", lambda: now + 2)
    # then
    assert _login(client, "ann@example.test", PASSWORD).status_code == 302


def _reset_path(client, email):
    client.post(reverse("account_reset_password"), {"email": email})
    body = mail.outbox[-1].body
    return re.search(r"(/accounts/password/reset/key/\S+)", body).group(1)


def test_reset_link_is_single_use(client):
    # given
    UserFactory(email="ann@example.test")
    path = _reset_path(client, "ann@example.test")
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    client.post(form_url, {"password1": "brand-new-pass-42", "password2": "brand-new-pass-42"})
    # when: the same link is opened again
    again = client.get(path, follow=True)
    # then: it is refused
    text = again.content.decode().lower()
    assert "password1" not in text
    assert "invalid" in text or "expired" in text


def test_reset_link_expires_after_one_hour(client, settings, monkeypatch):
    # given
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    user = UserFactory(email="ann@example.test")
    from allauth.account.forms import default_token_generator

    token = default_token_generator.make_token(user)
    # when: an hour and a minute later
    real_now = default_token_generator._now()
    monkeypatch.setattr(default_token_generator, "_now",
                        lambda: real_now + timedelta(minutes=61))
    # then
    assert not default_token_generator.check_token(user, token)


def test_admin_who_opens_email_page_first_can_still_enrol_totp(client):
    # given: a new HR Admin (must enrol TOTP before anything else)
    user = UserFactory(email="new.admin@example.test", roles=[Role.HR_ADMIN])
    _login(client, user.email, PASSWORD)
    # when: they open "Email addresses" and try to add one
    page = client.get("/accounts/email/")
    post = client.post("/accounts/email/", {"email": "other@example.test", "action_add": ""})
    # then: no address is created and TOTP set-up stays reachable
    assert page.status_code == 200 and "HR manages sign-in addresses" in page.content.decode()
    assert post.status_code == 403
    assert not EmailAddress.objects.filter(user=user, verified=False).exists()
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200


def test_unverified_address_no_longer_blocks_totp(client):
    # given: an address left unverified (as the old email page created)
    user = UserFactory(email="payroll.new@example.test", roles=[Role.PAYROLL_ADMIN])
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    _login(client, user.email, PASSWORD)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    # when
    setup = client.get(reverse("mfa_activate_totp"))
    # then: the form, not a redirect back to itself
    assert setup.status_code == 200


def test_signed_in_pages_and_downloads_are_not_stored(client, hr_staff):
    # given
    client.force_login(hr_staff)
    me = EmployeeFactory(user=hr_staff)
    # when
    responses = [client.get(reverse("employees:bank", args=[me.pk])),
                 client.get(reverse("employees:directory_export", args=["csv"])),
                 client.get(reverse("portal:home"))]
    # then
    for response in responses:
        assert "no-store" in response["Cache-Control"]


def test_only_hr_admin_releases_a_legal_hold(client, hr_admin, hr_staff):
    from tests.mfa import enrol_totp

    # given
    employee = EmployeeFactory()
    hold = legal_hold_place(acting_user=hr_admin, employee=employee, reason="Tribunal claim")
    url = reverse("compliance:legal_hold_release", args=[hold.pk])
    # when: HR Staff tries
    client.force_login(hr_staff)
    staff = client.post(url)
    # then
    assert staff.status_code == 403
    assert LegalHold.objects.get(pk=hold.pk).released_at is None
    page = client.get(reverse("compliance:employee", args=[employee.pk])).content.decode()
    assert url not in page
    # and HR Admin can
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    assert client.post(url).status_code == 302
    assert LegalHold.objects.get(pk=hold.pk).released_at is not None
