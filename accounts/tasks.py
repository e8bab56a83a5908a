"""Account emails are delivery items (accounts/deliveries.py)."""

import logging

from celery import shared_task
from django.core.management import call_command

log = logging.getLogger(__name__)


@shared_task
def clear_expired_sessions_task() -> None:
    call_command("clearsessions")
