"""Time-off work the delivery mechanism carries: request emails and the accrual job's chunks."""

from delivery.models import DeliveryItem
from delivery.registry import handler
from timeoff.services.jobs import ACCRUAL_KIND, accrual_chunk_deliver
from timeoff.services.notices import KIND, request_notice_send


@handler(KIND)
def request_notice(item: DeliveryItem) -> None:
    request_notice_send(item=item)


@handler(ACCRUAL_KIND)
def accrual_chunk(item: DeliveryItem) -> None:
    accrual_chunk_deliver(item=item)
