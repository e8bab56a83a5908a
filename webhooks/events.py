"""`emit(...)`: the one call a service makes where a change happens, inside its transaction.
Each active subscription that asked for the event gets a delivery row and a delivery item
(written in the same transaction: a rolled-back change sends nothing). Compensation events go
only to subscriptions with the compensation scope."""

import uuid

from delivery.services import delivery_enqueue_many
from webhooks.models import Event, WebhookDelivery, WebhookSubscription
from webhooks.serializers import envelope

KIND = "webhook.send"
SCOPED = {Event.COMPENSATION_CHANGED: "sees_compensation"}


def emit(event_type: str, data: dict) -> int:
    """Record `event_type` with `data` (a resource of webhooks.serializers) for every subscriber;
    the number of deliveries queued. One query when nobody subscribes."""
    return emit_many(event_type, [data])


def emit_many(event_type: str, datas: list[dict]) -> int:
    """One event per resource (a bulk import's hires): one query for the subscribers, a few
    INSERTs for the rest."""
    if event_type not in Event.ALL:
        raise ValueError(f"unknown webhook event {event_type!r}")
    scope = SCOPED.get(event_type)
    subscribers = [sub for sub in WebhookSubscription.objects.filter(is_active=True)
                   if event_type in sub.events and (scope is None or getattr(sub, scope))]
    if not subscribers or not datas:
        return 0
    rows = []
    for data in datas:
        event_id = str(uuid.uuid4())
        body = envelope(event_id=event_id, event_type=event_type, data=data)
        rows += [WebhookDelivery(subscription=sub, event_id=event_id, event_type=event_type,
                                 body=body) for sub in subscribers]
    rows = WebhookDelivery.objects.bulk_create(rows, batch_size=1000)
    if rows[0].pk is None:  # backends that do not return ids from a bulk INSERT
        rows = list(WebhookDelivery.objects.filter(
            event_id__in={row.event_id for row in rows}).order_by("pk"))
    delivery_enqueue_many(kind=KIND, items=[(row.item_key, {"delivery": row.pk}) for row in rows])
    return len(rows)
