"""HR Admin's webhook pages: the subscriptions (create: the secret is shown once), one
subscription's delivery log with the verification example, and its POST actions."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from webhooks.forms import SubscriptionForm
from webhooks.models import WebhookDelivery, WebhookSubscription
from webhooks.selectors import delivery_log, subscriptions_list
from webhooks.services import (
    require_webhook_admin,
    subscription_create,
    subscription_delete,
    subscription_rotate_secret,
    subscription_set_active,
    webhook_send_again,
)
from webhooks.signing import REPLAY_WINDOW_SECONDS


def subscription_list(request: HttpRequest) -> HttpResponse:
    require_webhook_admin(request.user)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = subscription_create(acting_user=request.user,
                                                       **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return _detail(request, subscription, secret=secret)
    return render(request, "webhooks/subscriptions.html", {
        "form": form, "subscriptions": subscriptions_list()},
        status=400 if form.errors else 200)


def _detail(request, subscription, *, secret: str = "") -> HttpResponse:
    return render(request, "webhooks/subscription.html", {
        "subscription": subscription, "deliveries": delivery_log(subscription),
        "secret": secret, "window": REPLAY_WINDOW_SECONDS,
        "keep_days": settings.WEBHOOK_DELIVERY_KEEP_DAYS})


def subscription_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_webhook_admin(request.user)
    return _detail(request, get_object_or_404(WebhookSubscription, pk=pk))


@require_POST
def subscription_action(request: HttpRequest, pk: int) -> HttpResponse:
    require_webhook_admin(request.user)
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    action = request.POST.get("action")
    if action in ("pause", "resume"):
        subscription_set_active(acting_user=request.user, subscription=subscription,
                                active=action == "resume")
    elif action == "rotate":
        subscription, secret = subscription_rotate_secret(acting_user=request.user,
                                                          subscription=subscription)
        return _detail(request, subscription, secret=secret)
    elif action == "delete":
        subscription_delete(acting_user=request.user, subscription=subscription)
        messages.success(request, _("Deleted the subscription “%(n)s”.")
                         % {"n": subscription.name})
        return redirect("webhooks:subscriptions")
    else:
        return HttpResponse(_("Unknown action."), status=400)
    return redirect("webhooks:subscription", pk=subscription.pk)


@require_POST
def delivery_send_again(request: HttpRequest, pk: int) -> HttpResponse:
    require_webhook_admin(request.user)
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    try:
        webhook_send_again(acting_user=request.user, delivery=delivery)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Queued to be sent again."))
    return redirect("webhooks:subscription", pk=delivery.subscription_id)
