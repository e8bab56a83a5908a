"""Lifecycle emails the delivery mechanism carries: the morning digest and the manager's
onboarding notice."""

from delivery.models import DeliveryItem
from delivery.registry import handler
from lifecycle.services.digest import DIGEST_KIND, digest_deliver
from lifecycle.services.notices import onboarding_notice_send


@handler(DIGEST_KIND)
def digest(item: DeliveryItem) -> None:
    digest_deliver(item=item)


@handler("lifecycle.onboarding_notice")
def onboarding_notice(item: DeliveryItem) -> None:
    onboarding_notice_send(item=item)
