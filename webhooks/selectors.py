from webhooks.models import WebhookDelivery, WebhookSubscription

LOG_SIZE = 50


def subscriptions_list():
    return WebhookSubscription.objects.all()


def delivery_log(subscription: WebhookSubscription) -> list[WebhookDelivery]:
    return list(subscription.deliveries.defer("body").order_by("-pk")[:LOG_SIZE])
