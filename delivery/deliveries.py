"""The delivery mechanism's own work: building a big download (delivery.downloads)."""

from delivery.downloads import BUILD_KIND, download_build
from delivery.models import DeliveryItem
from delivery.registry import handler


@handler(BUILD_KIND, background=True)
def build(item: DeliveryItem) -> None:
    download_build(download_id=item.payload["download_id"])
