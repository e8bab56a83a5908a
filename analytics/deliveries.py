"""Analytics emails the delivery mechanism carries: scheduled saved reports (a link only)."""

from analytics.saved import REPORT_EMAIL_KIND, saved_report_deliver
from delivery.models import DeliveryItem
from delivery.registry import handler


@handler(REPORT_EMAIL_KIND)
def saved_report(item: DeliveryItem) -> None:
    saved_report_deliver(item=item)
