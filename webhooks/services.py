"""Writes of webhook subscriptions (HR Admin only, audited) and "send again"."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_hr_admin
from audit.services import audit_record
from delivery.models import DeliveryItem
from delivery.services import delivery_retry
from webhooks.models import Event, WebhookDelivery, WebhookSubscription
from webhooks.signing import new_secret
from webhooks.ssrf import UnsafeTarget, check_url

ROTATION_OVERLAP = timedelta(hours=24)
PURGE_BATCH = 2000


def require_webhook_admin(user) -> None:
    if not is_hr_admin(user):
        raise PermissionDenied(_("Only an HR Admin manages webhooks."))


def _validate(url: str, events: list[str]) -> None:
    if not events or not set(events) <= Event.ALL:
        raise ValidationError({"events": _("Choose at least one known event.")})
    try:
        check_url(url)
    except UnsafeTarget as exc:
        raise ValidationError({"url": str(exc)}) from None


@transaction.atomic
def subscription_create(*, acting_user, name: str, url: str, events: list[str],
                        sees_compensation: bool = False) -> tuple[WebhookSubscription, str]:
    """The subscription and its secret (shown once to the HR Admin)."""
    require_webhook_admin(acting_user)
    _validate(url, events)
    secret = new_secret()
    subscription = WebhookSubscription.objects.create(
        name=name, url=url, events=sorted(events), sees_compensation=sees_compensation,
        secret=secret, created_by=acting_user)
    audit_record(actor=acting_user, action="create", obj=subscription,
                 changes={"url": [None, url], "events": [None, sorted(events)],
                          "sees_compensation": [None, sees_compensation]})
    return subscription, secret


def _locked(subscription) -> WebhookSubscription:
    return WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)


@transaction.atomic
def subscription_set_active(*, acting_user, subscription: WebhookSubscription,
                            active: bool) -> WebhookSubscription:
    require_webhook_admin(acting_user)
    subscription = _locked(subscription)
    if subscription.is_active == active:
        return subscription
    subscription.is_active = active
    subscription.save(update_fields=["is_active"])
    audit_record(actor=acting_user, action="status", obj=subscription,
                 changes={"is_active": [not active, active]})
    return subscription


@transaction.atomic
def subscription_rotate_secret(*, acting_user, subscription: WebhookSubscription
                               ) -> tuple[WebhookSubscription, str]:
    """A new secret; the old one still signs (a second v1 signature) for ROTATION_OVERLAP, so
    the receiver can switch without dropping events."""
    require_webhook_admin(acting_user)
    subscription = _locked(subscription)
    secret = new_secret()
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_until = timezone.now() + ROTATION_OVERLAP
    subscription.secret = secret
    subscription.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    audit_record(actor=acting_user, action="update", obj=subscription,
                 note="webhook secret rotated", changes={"secret": ["[old]", "[new]"]})
    return subscription, secret


@transaction.atomic
def subscription_delete(*, acting_user, subscription: WebhookSubscription) -> None:
    require_webhook_admin(acting_user)
    subscription = _locked(subscription)
    audit_record(actor=acting_user, action="delete", obj=subscription,
                 changes={"url": [subscription.url, None]})
    # Waiting items find no delivery row and finish without sending.
    subscription.delete()


@transaction.atomic
def webhook_send_again(*, acting_user, delivery: WebhookDelivery) -> WebhookDelivery:
    """"Send again": the same event (same id and body) through a fresh round of attempts."""
    require_webhook_admin(acting_user)
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status not in (WebhookDelivery.Status.FAILED, WebhookDelivery.Status.RETRYING):
        raise ValidationError(_("Only a failed or retrying delivery can be sent again."))
    item = DeliveryItem.objects.filter(key=delivery.item_key).first()
    if item is None:
        raise ValidationError(_("This delivery's work item is gone; it cannot be sent again."))
    delivery_retry(item=item, acting_user=acting_user)
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.save(update_fields=["status"])
    return delivery


def webhook_deliveries_purge(*, older_than_days: int | None = None, now=None,
                             batch: int = PURGE_BATCH) -> int:
    """Daily: delete deliveries that are finished (delivered or failed) and whose last attempt
    (or creation, if never attempted) is more than WEBHOOK_DELIVERY_KEEP_DAYS old, with their
    delivery items (a failed item would otherwise stay for ever, pointing at nothing); the
    count of deliveries. Waiting and retrying ones stay whatever their age: they are still
    being worked on. In batches, each its own short transaction; a second run finds nothing."""
    days = settings.WEBHOOK_DELIVERY_KEEP_DAYS if older_than_days is None else older_than_days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    finished = (WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED)
    old = WebhookDelivery.objects.filter(
        Q(last_attempt_at__lt=cutoff) | Q(last_attempt_at__isnull=True),
        status__in=finished, created_at__lt=cutoff)
    removed = 0
    while True:
        ids = list(old.order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return removed
        with transaction.atomic():
            DeliveryItem.objects.filter(key__in=[f"webhook:{pk}" for pk in ids]).exclude(
                status__in=DeliveryItem.UNDELIVERED).delete()
            removed += WebhookDelivery.objects.filter(pk__in=ids, status__in=finished).delete()[0]
        if len(ids) < batch:
            return removed
