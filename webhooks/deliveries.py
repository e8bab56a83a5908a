"""The "webhook.send" delivery: check the target again (SSRF), sign, POST, record the attempt on
the delivery row. 2xx = delivered; anything else is a TransientError, retried with the delivery
mechanism's exponential backoff until WEBHOOK_MAX_ATTEMPTS, then failed. At least once: a
receiver may see an event twice (a lost reply), and deduplicates by `Webhook-Id`."""

import json
import time

import urllib3
from django.conf import settings
from django.utils import timezone

from delivery.registry import PermanentError, TransientError, handler
from webhooks.events import KIND
from webhooks.models import WebhookDelivery
from webhooks.sender import post
from webhooks.signing import signature_header
from webhooks.ssrf import UnsafeTarget, check_url

D = WebhookDelivery.Status


def _record(delivery: WebhookDelivery, item, status: str, **fields) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=status, attempts=item.attempts, last_attempt_at=timezone.now(), **fields)


def _fail(delivery, item, error: str, **fields):
    last = item.attempts >= settings.WEBHOOK_MAX_ATTEMPTS
    _record(delivery, item, D.FAILED if last else D.RETRYING, last_error=error[:2000], **fields)
    raise (PermanentError if last else TransientError)(error)


@handler(KIND)
def webhook_send(item) -> None:
    delivery = (WebhookDelivery.objects.select_related("subscription")
                .filter(pk=item.payload.get("delivery")).first())
    if delivery is None or delivery.status == D.DELIVERED:
        return  # deleted with its subscription, or a duplicate run of a delivered item
    subscription = delivery.subscription
    if not subscription.is_active:
        _record(delivery, item, D.FAILED, last_error="The subscription is paused.")
        raise PermanentError("subscription paused")
    try:
        target = check_url(subscription.url)
    except UnsafeTarget as exc:  # never retried into an internal address
        _record(delivery, item, D.FAILED, last_error=str(exc))
        raise PermanentError(str(exc)) from None
    body = json.dumps(delivery.body, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    headers = {"Webhook-Id": str(delivery.event_id), "Webhook-Timestamp": str(timestamp),
               "Webhook-Signature": signature_header(subscription.secrets(), timestamp, body)}
    try:
        reply = post(target, body, headers)
    except urllib3.exceptions.HTTPError as exc:
        _fail(delivery, item, f"{type(exc).__name__}: {exc}", response_code=None)
        return
    result = {"response_code": reply.status, "latency_ms": reply.latency_ms,
              "response_excerpt": reply.excerpt}
    if 200 <= reply.status < 300:
        _record(delivery, item, D.DELIVERED, delivered_at=timezone.now(), last_error="",
                **result)
        return
    _fail(delivery, item, f"HTTP {reply.status}", **result)
