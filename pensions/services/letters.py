"""The statutory information, as letters emailed through the delivery mechanism.

Content follows TPR's template letters (detailed guidance no. 5 "Automatic enrolment"
and the letter templates): enrolment (the enrolment date, contribution rates and amounts basis,
tax relief, the right to opt out and the window, where to get the opt-out notice, the right to
cease later), postponement (the deferral date, the right to opt in or join meanwhile),
non-eligible jobholder (right to opt in with employer contributions) and entitled worker (right
to join, no employer contribution required). Given within six weeks of the enrolment or
deferral date (reg. 2(3)/(4) of the 2010 Regulations: "within one month" is the opt-out window,
"six weeks" the information deadline)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from delivery.mail import send_item_email
from delivery.models import DeliveryItem
from delivery.services import delivery_enqueue
from pensions.models import Letter, Membership

log = logging.getLogger(__name__)
KIND = "pensions.letter"
INFORMATION_DEADLINE = timedelta(weeks=6)


def letter_issue(membership: Membership, kind: str, reference_date, **details) -> Letter:
    """Once per (membership, kind, date): a repeated assessment sends nothing more."""
    letter, created = Letter.objects.get_or_create(
        membership=membership, kind=kind, reference_date=reference_date,
        defaults={"details": {**details, "due_by": str(reference_date + INFORMATION_DEADLINE)}})
    if created:
        delivery_enqueue(kind=KIND, key=f"pensions.letter:{letter.pk}",
                         payload={"letter_id": letter.pk})
    return letter


def _recipient(employee) -> list[str]:
    user = employee.user
    if user is not None and user.is_active and user.email:
        return [user.email]
    email = employee.work_email or employee.personal_email
    return [email] if email else []


def letter_send(*, item: DeliveryItem) -> bool:
    letter = Letter.objects.select_related(
        "membership__employee__user", "membership__scheme").filter(
        pk=item.payload["letter_id"]).first()
    if letter is None or letter.emailed_at is not None:
        return False
    to = _recipient(letter.membership.employee)
    if not to:
        log.info("pension letter %s: nobody to send it to", letter.pk)
        return False
    site = settings.SITE_URL.rstrip("/")
    send_item_email(item, "pensions_letter", {
        "letter": letter, "membership": letter.membership, "scheme": letter.membership.scheme,
        "employee": letter.membership.employee,
        "url": f"{site}{reverse('pensions:my_pension')}"}, to=to)
    Letter.objects.filter(pk=letter.pk).update(emailed_at=timezone.now())
    return True
