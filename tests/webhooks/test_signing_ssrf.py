"""Issue 17 item 5: signatures (HMAC-SHA256 over timestamp.body) and verification with a replay
window; SSRF refusals of internal addresses, at subscription and at send time."""

import time

import pytest
from django.core.exceptions import ValidationError

from webhooks.models import WebhookSubscription
from webhooks.services import subscription_create
from webhooks.signing import sign, signature_header, verify
from webhooks.ssrf import UnsafeTarget, check_url

BODY = b'{"id":"e1","type":"employee.hired"}'


def _headers(secret, timestamp, body=BODY):
    return {"Webhook-Timestamp": str(timestamp),
            "Webhook-Signature": signature_header([secret], timestamp, body)}


def test_a_signed_body_verifies_and_a_tampered_or_old_one_does_not():
    now = int(time.time())
    headers = _headers("whsec_a", now)
    assert headers["Webhook-Signature"] == f"v1={sign('whsec_a', now, BODY)}"
    assert verify("whsec_a", headers, BODY)
    assert not verify("whsec_b", headers, BODY)  # another secret
    assert not verify("whsec_a", headers, BODY.replace(b"hired", b"fired"))  # tampered body
    old = _headers("whsec_a", now - 301)
    assert not verify("whsec_a", old, BODY)  # outside the 5-minute replay window
    moved = {**headers, "Webhook-Timestamp": str(now - 1)}  # the timestamp is signed too
    assert not verify("whsec_a", moved, BODY)
    assert not verify("whsec_a", {}, BODY)


def test_during_a_rotation_both_secrets_sign():
    now = int(time.time())
    header = signature_header(["whsec_new", "whsec_old"], now, BODY)
    for secret in ("whsec_new", "whsec_old"):
        assert verify(secret, {"Webhook-Timestamp": str(now), "Webhook-Signature": header}, BODY)


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest/",
    "https://[::1]/hook", "https://192.168.0.10/", "https://[fd00::1]/", "https://0.0.0.0/",
    "https://[fe80::1]/", "https://224.0.0.1/", "https://[::ffff:127.0.0.1]/",
])
def test_internal_addresses_are_refused(url):
    with pytest.raises(UnsafeTarget):
        check_url(url)


def test_a_host_name_resolving_to_a_private_address_is_refused(dns):
    dns["hooks.example.com"] = "93.184.216.34"
    dns["intranet.example.com"] = "10.0.0.7"
    assert check_url("https://hooks.example.com/x?y=1").address == "93.184.216.34"
    with pytest.raises(UnsafeTarget, match=r"10\.0\.0\.7"):
        check_url("https://intranet.example.com/hook")


def test_http_only_in_debug_or_for_allow_listed_hosts(dns, settings):
    dns["hooks.example.com"] = "93.184.216.34"
    settings.DEBUG = False
    with pytest.raises(UnsafeTarget, match="https"):
        check_url("http://hooks.example.com/")
    with pytest.raises(UnsafeTarget):
        check_url("https://user:pw@hooks.example.com/")
    settings.WEBHOOK_ALLOWED_HOSTS = ["hooks.example.com"]
    assert check_url("http://hooks.example.com/").scheme == "http"


def test_allow_listed_cidr_lets_an_internal_receiver_in(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["10.20.0.0/16"]
    assert check_url("https://10.20.3.4/hook").address == "10.20.3.4"
    with pytest.raises(UnsafeTarget):
        check_url("https://10.21.3.4/hook")


@pytest.mark.django_db
def test_the_subscription_form_error_names_the_internal_address(hr_admin):
    with pytest.raises(ValidationError) as caught:
        subscription_create(acting_user=hr_admin, name="IdP", url="https://169.254.169.254/",
                            events=["employee.hired"])
    assert "169.254.169.254" in str(caught.value.message_dict["url"])
    assert not WebhookSubscription.objects.exists()
