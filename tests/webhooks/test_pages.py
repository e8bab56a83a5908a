"""Issue 17 item 5: the HR Admin's webhook pages: create (secret shown once), pause, delete,
"send again", audited; every other role is refused and writes nothing."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.mfa import enrol_totp
from webhooks.events import emit
from webhooks.models import WebhookDelivery, WebhookSubscription
from webhooks.services import subscription_create

pytestmark = pytest.mark.django_db
FORM = {"name": "Okta", "url": "https://hooks.example.com/hook",
        "events": ["employee.hired", "employee.terminated"]}


def _login(client, user):
    enrol_totp(user)
    client.force_login(user)
    return client


@pytest.fixture
def public(dns):
    dns["hooks.example.com"] = "93.184.216.34"


def test_hr_admin_creates_sees_the_secret_once_pauses_and_deletes(client, hr_admin, public):
    _login(client, hr_admin)
    assert b"Webhooks" in client.get(reverse("home")).content  # in the menu
    response = client.post(reverse("webhooks:subscriptions"), FORM)
    subscription = WebhookSubscription.objects.get()
    assert response.status_code == 200 and subscription.secret.encode() in response.content
    assert b"import hashlib, hmac, time" in response.content  # the verification example
    page = client.get(reverse("webhooks:subscription", args=[subscription.pk]))
    assert subscription.secret.encode() not in page.content  # shown once
    action = reverse("webhooks:subscription_action", args=[subscription.pk])
    client.post(action, {"action": "pause"})
    subscription.refresh_from_db()
    assert subscription.is_active is False
    assert client.post(action, {"action": "nonsense"}).status_code == 400
    client.post(action, {"action": "delete"})
    assert not WebhookSubscription.objects.exists()
    assert list(AuditEvent.objects.filter(
        object_type__contains="webhooksubscription").values_list("action", flat=True)
        .order_by("pk")) == ["create", "status", "delete"]


def test_an_internal_url_is_a_form_error(client, hr_admin):
    _login(client, hr_admin)
    response = client.post(reverse("webhooks:subscriptions"),
                           {**FORM, "url": "https://10.0.0.1/hook"})
    assert response.status_code == 400 and b"10.0.0.1" in response.content
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize("role", ["hr_staff", "payroll_admin", "employee"])
def test_only_hr_admin(client, hr_admin, hr_staff, payroll_admin, org, public, role):
    user = {"hr_staff": hr_staff, "payroll_admin": payroll_admin,
            "employee": org.users["employee"]}[role]
    subscription, _secret = subscription_create(acting_user=hr_admin, **FORM)
    emit("employee.hired", {"id": 1})
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed")
    _login(client, user)
    assert client.get(reverse("webhooks:subscriptions")).status_code == 403
    assert client.post(reverse("webhooks:subscriptions"), FORM).status_code == 403
    assert client.post(reverse("webhooks:subscription_action", args=[subscription.pk]),
                       {"action": "delete"}).status_code == 403
    assert client.post(reverse("webhooks:send_again", args=[delivery.pk])).status_code == 403
    assert WebhookSubscription.objects.count() == 1
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert b"/webhooks/" not in client.get(reverse("portal:home")).content


def test_send_again_from_the_log(client, hr_admin, public):
    subscription, _secret = subscription_create(acting_user=hr_admin, **FORM)
    emit("employee.hired", {"id": 1})
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", last_error="HTTP 500")
    _login(client, hr_admin)
    page = client.get(reverse("webhooks:subscription", args=[subscription.pk]))
    assert b"Send again" in page.content and b"HTTP 500" in page.content
    client.post(reverse("webhooks:send_again", args=[delivery.pk]))
    delivery.refresh_from_db()
    assert delivery.status == "pending"
