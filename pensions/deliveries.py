"""Pension work the delivery mechanism carries: the statutory letters and the per-run
assessment."""

from delivery.models import DeliveryItem
from delivery.registry import handler
from pensions.services.assessment import ASSESS_KIND, assess_deliver
from pensions.services.letters import KIND, letter_send


@handler(KIND)
def letter(item: DeliveryItem) -> None:
    letter_send(item=item)


@handler(ASSESS_KIND)
def assess(item: DeliveryItem) -> None:
    assess_deliver(item=item)
