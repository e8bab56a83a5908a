import logging
from smtplib import SMTPException

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.management import call_command

from hrops.mail import send_templated_email

log = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True, retry_jitter=True, max_retries=5,
)
def send_account_email_task(user_id: int, template: str) -> bool:
    """Send one templated account email (e.g. the welcome email) to a user, by id."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        log.info("send_account_email_task: user %s is gone or inactive; nothing sent", user_id)
        return False
    from accounts.services import set_password_url

    send_templated_email(
        template, {"user": user, "set_password_url": set_password_url(user)}, to=[user.email]
    )
    return True


@shared_task
def clear_expired_sessions_task() -> None:
    call_command("clearsessions")
