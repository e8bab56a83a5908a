"""Tokens: stored hashed, expiry and revocation, last use, per-call audit, rate limit, and the
HTML pages that issue them."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.services import user_deactivate
from api.models import ApiCall, ApiToken
from api.scopes import Scope
from api.services.accounts import service_account_set_active
from api.services.tokens import personal_token_create, token_revoke
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db
ME = "/api/v1/departments/"


def test_only_the_sha256_of_the_secret_is_stored(hr_staff):
    issued = personal_token_create(acting_user=hr_staff, name="x", scopes=["employees:read"])
    _, prefix, secret = issued.plaintext.split("_", 2)
    row = ApiToken.objects.get(pk=issued.token.pk)
    assert row.prefix == prefix
    assert row.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=row.pk).values().get())


def test_a_wrong_secret_an_expired_or_a_revoked_token_is_401(hr_staff):
    issued = personal_token_create(acting_user=hr_staff, name="x", scopes=["employees:read"])
    assert ApiClient(issued.plaintext).get(ME).status_code == 200
    assert ApiClient(issued.plaintext[:-2] + "xx").get(ME).status_code == 401
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now())
    expired = ApiClient(issued.plaintext).get(ME)
    assert expired.status_code == 401
    assert expired["Content-Type"] == "application/problem+json"
    assert expired["WWW-Authenticate"].startswith("Bearer")
    ApiToken.objects.filter(pk=issued.token.pk).update(
        expires_at=timezone.now() + timedelta(days=1))
    token_revoke(acting_user=hr_staff, token=issued.token)
    assert ApiClient(issued.plaintext).get(ME).status_code == 401


def test_a_leavers_token_and_a_disabled_service_account_stop_working(
        hr_admin, org, service_account, service_api):
    mine = ApiClient(personal_token_create(acting_user=org.users["manager"], name="x",
                                           scopes=["employees:read"]).plaintext)
    integration = service_api()
    user_deactivate(acting_user=hr_admin, user=org.users["manager"])
    service_account_set_active(acting_user=hr_admin, account=service_account, active=False)
    assert mine.get(ME).status_code == 401
    assert integration.get(ME).status_code == 401


def test_every_call_is_logged_once_and_last_use_is_kept(hr_staff):
    issued = personal_token_create(acting_user=hr_staff, name="x", scopes=["employees:read"])
    api = ApiClient(issued.plaintext)
    api.get(ME)
    api.get("/api/v1/payroll/runs/")  # lacks payroll:read
    ApiClient("hrops_nope_nope").get(ME)
    calls = list(ApiCall.objects.order_by("id").values_list("token_id", "user_id", "method",
                                                            "path", "status", "ip_address"))
    assert calls == [
        (issued.token.pk, hr_staff.pk, "GET", ME, 200, "127.0.0.1"),
        (issued.token.pk, hr_staff.pk, "GET", "/api/v1/payroll/runs/", 403, "127.0.0.1"),
        (None, None, "GET", ME, 401, "127.0.0.1"),
    ]
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None and issued.token.last_used_ip == "127.0.0.1"


def test_over_the_limit_is_429_with_retry_after(hr_staff, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    api = ApiClient(personal_token_create(acting_user=hr_staff, name="x",
                                          scopes=["employees:read"]).plaintext)
    other = ApiClient(personal_token_create(acting_user=hr_staff, name="y",
                                            scopes=["employees:read"]).plaintext)
    codes = [api.get(ME).status_code for _ in range(3)]
    limited = api.get(ME)
    assert codes == [200, 200, 429]
    assert limited["Content-Type"] == "application/problem+json"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert other.get(ME).status_code == 200  # per token


def test_personal_token_page_shows_the_secret_once(client_for, org):
    client = client_for(org.users["employee"])
    response = client.post("/api/tokens/", {"name": "script", "scopes": ["employees:read"],
                                            "expires_in": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=org.users["employee"])
    assert f"hrops_{token.prefix}_" in response.content.decode()
    again = client.get("/api/tokens/").content.decode()
    assert f"hrops_{token.prefix}_…" in again and token.secret_sha256 not in again
    assert token.expires_at is not None


def test_only_hr_admin_manages_service_accounts(client_for, hr_admin, hr_staff):
    assert client_for(hr_staff).get("/api/service-accounts/").status_code == 403
    admin = client_for(hr_admin)
    created = admin.post("/api/service-accounts/", {"name": "Okta", "scopes": [
        Scope.EMPLOYEES_READ]})
    assert created.status_code == 302
    issued = admin.post(created["Location"], {"name": "prod", "scopes": [Scope.EMPLOYEES_READ],
                                              "expires_in": ""})
    plaintext = issued.content.decode().split('id="new-token">')[1].split("<")[0]
    assert ApiClient(plaintext).get(ME).status_code == 200
    # a token cannot have a scope its account lacks
    refused = admin.post(created["Location"], {"name": "x", "scopes": [Scope.PAYROLL_READ]})
    assert refused.status_code == 400


def test_the_call_log_is_purged_after_its_keep_days(hr_staff, settings):
    from api.services.calls import api_calls_purge

    settings.API_CALL_LOG_KEEP_DAYS = 30
    api = ApiClient(personal_token_create(acting_user=hr_staff, name="x",
                                          scopes=["employees:read"]).plaintext)
    api.get(ME)
    api.get(ME)
    ApiCall.objects.filter(pk=ApiCall.objects.order_by("id").first().pk).update(
        at=timezone.now() - timedelta(days=31))
    assert api_calls_purge() == 1
    assert api_calls_purge() == 0  # idempotent
    assert ApiCall.objects.count() == 1
