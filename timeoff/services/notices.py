"""Emails about a request, one delivery item per step (requested, approved, declined,
cancelled), and the step's in-app notifications (timeoff.services.inapp) in the same
transaction."""

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from delivery.mail import send_item_email
from delivery.models import DeliveryItem
from delivery.services import delivery_enqueue
from employees.models import Employee
from timeoff.models import Delegation, LeaveRequest
from timeoff.services.inapp import request_step

log = logging.getLogger(__name__)
KIND = "timeoff.request_notice"


def enqueue(request: LeaveRequest, event: str, acting_user=None, *, inapp: bool = True) -> None:
    """Inside the transaction of the change; the key makes a repeated step send nothing more.
    ``inapp``: also the in-app notifications of the step (sickness sends its own)."""
    delivery_enqueue(kind=KIND, key=f"timeoff.request:{request.pk}:{request.version}:{event}",
                     payload={"request_id": request.pk, "event": event})
    if inapp:
        request_step(request, event, acting_user)


def _approver_emails(employee: Employee) -> list[str]:
    manager = employee.manager
    if manager is None:
        return []
    today = timezone.localdate()
    people = [manager, *Employee.objects.filter(
        pk__in=Delegation.objects.filter(manager=manager, first_day__lte=today,
                                         last_day__gte=today).values("delegate_id"))]
    return sorted({p.user.email for p in people
                   if p.user_id and p.user.is_active and p.user.email})


def recipients(request: LeaveRequest, event: str) -> list[str]:
    if event == "requested":
        return _approver_emails(request.employee)
    user = request.employee.user
    return [user.email] if user is not None and user.is_active and user.email else []


def request_notice_send(*, item: DeliveryItem) -> bool:
    request = LeaveRequest.objects.select_related(
        "employee__user", "employee__manager__user", "leave_type", "decided_by").filter(
        pk=item.payload["request_id"]).first()
    if request is None:
        log.info("leave notice: request %s is gone", item.payload["request_id"])
        return False
    event = item.payload["event"]
    to = recipients(request, event)
    if not to:
        return False
    site = settings.SITE_URL.rstrip("/")
    page = reverse("timeoff:approvals") if event == "requested" else reverse("timeoff:my_leave")
    send_item_email(item, "timeoff_request_notice",
                    {"request": request, "event": event, "url": f"{site}{page}"}, to=to)
    return True
