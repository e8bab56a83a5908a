from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class DeliveryConfig(AppConfig):
    name = "delivery"

    def ready(self) -> None:
        # Each app declares the work it delivers in `<app>/deliveries.py` (like admin.py):
        # importing those modules registers their handlers.
        autodiscover_modules("deliveries")
