"""Recompute every stored compliance status from scratch (after loading people in bulk outside
the services, or changing COMPLIANCE_EXPIRING_SOON_DAYS)."""

from django.core.management.base import BaseCommand

from compliance.services.statuses import compliance_status_refresh


class Command(BaseCommand):
    help = "Recompute the stored compliance status of every person and requirement."

    def handle(self, *args, **options) -> None:
        written = compliance_status_refresh()
        self.stdout.write(f"{written} compliance statuses written.")
