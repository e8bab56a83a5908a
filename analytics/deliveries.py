"""Analytics work the delivery mechanism carries: scheduled saved reports (a link only) and
"Recalculate" of the stored gender pay gap figures."""

from analytics.gpg_store import REFRESH_KIND, pay_gap_store
from analytics.saved import REPORT_EMAIL_KIND, saved_report_deliver
from delivery.models import DeliveryItem
from delivery.registry import handler


@handler(REPORT_EMAIL_KIND)
def saved_report(item: DeliveryItem) -> None:
    saved_report_deliver(item=item)


@handler(REFRESH_KIND, time_limit=900)
def pay_gap_refresh(item: DeliveryItem) -> None:
    """Idempotent: a full recomputation from the record, stored by one upsert."""
    payload = item.payload
    pay_gap_store(int(payload["year"]), payload["sector"], payload.get("employer", ""))
