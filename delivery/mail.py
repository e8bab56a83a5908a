"""Email as a delivery item: every message carries the item's stable Message-ID."""

from collections.abc import Mapping, Sequence

from delivery.models import DeliveryItem
from hrops.mail import render_email


def send_item_email(item: DeliveryItem, template: str, context: Mapping[str, object], *,
                    to: Sequence[str]) -> None:
    """Send through the configured backend. An error propagates so the item records it and
    retries (a timeout, a refused connection, an SMTP 4xx) or fails with the reason."""
    message = render_email(template, context, to=to)
    message.extra_headers["Message-ID"] = item.message_id
    message.send()
