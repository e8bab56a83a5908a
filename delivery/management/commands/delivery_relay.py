from django.core.management.base import BaseCommand

from delivery.services import delivery_relay


class Command(BaseCommand):
    help = ("Publish every delivery item that is due (what the beat does each minute). "
            "For the embedded mode, where no beat runs: from cron, or by hand.")

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{delivery_relay()} item(s) published")
