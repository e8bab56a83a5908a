"""Account emails (the welcome email with its set-password link) as delivery items."""

import logging

from django.contrib.auth import get_user_model

from delivery.mail import send_item_email
from delivery.models import DeliveryItem
from delivery.registry import handler

log = logging.getLogger(__name__)
ACCOUNT_EMAIL_KIND = "accounts.email"


@handler(ACCOUNT_EMAIL_KIND)
def account_email(item: DeliveryItem) -> None:
    from accounts.services import set_password_url

    user_id, template = item.payload["user_id"], item.payload["template"]
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        log.info("account email: user %s is gone or inactive; nothing sent", user_id)
        return
    send_item_email(item, template,
                    {"user": user, "set_password_url": set_password_url(user)}, to=[user.email])
