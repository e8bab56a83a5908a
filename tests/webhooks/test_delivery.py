"""Issue 17 item 5: a real HTTP receiver on loopback (allow-listed) that fails, then succeeds:
the delivery is retried with the delivery mechanism's backoff, logged (status, code, latency,
attempts), given up after WEBHOOK_MAX_ATTEMPTS, and "send again" delivers it."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from delivery.models import DeliveryItem
from delivery.services import delivery_run
from webhooks.events import emit
from webhooks.models import WebhookDelivery
from webhooks.services import subscription_create, subscription_rotate_secret, webhook_send_again
from webhooks.signing import verify

pytestmark = pytest.mark.django_db
DATA = {"id": 7, "employee_number": "E7"}


def _subscribe(hr_admin, url):
    return subscription_create(acting_user=hr_admin, name="IdP", url=url,
                               events=["employee.hired"])


def _run(delivery, later=0):
    item = DeliveryItem.objects.get(key=delivery.item_key)
    status = delivery_run(item_id=item.pk, now=timezone.now() + timedelta(seconds=later))
    delivery.refresh_from_db()
    return status


def test_a_receiver_that_fails_then_succeeds_gets_the_signed_event(hr_admin, receiver):
    # given a subscription to a receiver that answers 500, then 200
    hook = receiver(500, 200)
    _subscription, secret = _subscribe(hr_admin, hook.url)
    assert emit("employee.hired", DATA) == 1
    delivery = WebhookDelivery.objects.get()
    # when it is sent: the 500 is recorded and the item waits (exponential backoff)
    assert _run(delivery) == DeliveryItem.Status.QUEUED
    item = DeliveryItem.objects.get(key=delivery.item_key)
    assert item.available_at > timezone.now() + timedelta(seconds=20)
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("retrying", 500, 1)
    assert _run(delivery) is None  # not due yet
    # then the retry after the backoff is delivered
    assert _run(delivery, later=60) == DeliveryItem.Status.DONE
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("delivered", 200, 2)
    assert delivery.latency_ms is not None and '"ok": true' in delivery.response_excerpt
    # and both requests carried the same event id, and a valid signature
    first, second = hook.requests
    assert first["headers"]["Webhook-Id"] == second["headers"]["Webhook-Id"] == str(
        delivery.event_id)
    assert verify(secret, second["headers"], second["body"])
    body = json.loads(second["body"])
    assert (body["type"], body["data"], body["id"]) == ("employee.hired", DATA,
                                                        str(delivery.event_id))
    assert body["occurred_at"]


def test_gives_up_after_the_attempts_and_send_again_delivers(hr_admin, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    hook = receiver(503, 503, 200)
    _subscribe(hr_admin, hook.url)
    emit("employee.hired", DATA)
    delivery = WebhookDelivery.objects.get()
    assert _run(delivery) == DeliveryItem.Status.QUEUED
    assert _run(delivery, later=120) == DeliveryItem.Status.FAILED
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 2, "HTTP 503")
    # "send again": the same event through a fresh round of attempts
    webhook_send_again(acting_user=hr_admin, delivery=delivery)
    assert _run(delivery) == DeliveryItem.Status.DONE
    assert delivery.status == "delivered"
    assert len({r["headers"]["Webhook-Id"] for r in hook.requests}) == 1
    with pytest.raises(ValidationError):  # a delivered one is not sent again
        webhook_send_again(acting_user=hr_admin, delivery=delivery)


def test_a_refused_connection_is_retried(hr_admin, receiver):
    hook = receiver()
    _subscribe(hr_admin, hook.url)
    hook.close()  # nobody listens on that port any more
    emit("employee.hired", DATA)
    delivery = WebhookDelivery.objects.get()
    assert _run(delivery) == DeliveryItem.Status.QUEUED
    assert delivery.status == "retrying" and "Error" in delivery.last_error


def test_a_name_that_now_resolves_to_a_private_address_is_not_sent(hr_admin, dns):
    # given a subscription checked when its name was public (DNS rebinding afterwards)
    dns["hooks.example.com"] = "93.184.216.34"
    _subscribe(hr_admin, "https://hooks.example.com/hook")
    emit("employee.hired", DATA)
    dns["hooks.example.com"] = "10.0.0.5"
    delivery = WebhookDelivery.objects.get()
    # then the send refuses for good, without connecting
    assert _run(delivery) == DeliveryItem.Status.FAILED
    assert delivery.status == "failed" and "10.0.0.5" in delivery.last_error


def test_a_rotated_secret_signs_beside_the_old_one(hr_admin, receiver):
    hook = receiver(200)
    subscription, old = _subscribe(hr_admin, hook.url)
    subscription, new = subscription_rotate_secret(acting_user=hr_admin,
                                                   subscription=subscription)
    emit("employee.hired", DATA)
    _run(WebhookDelivery.objects.get())
    [request] = hook.requests
    assert verify(new, request["headers"], request["body"])
    assert verify(old, request["headers"], request["body"])
