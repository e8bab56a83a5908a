"""Saved and scheduled reports (issue 15 item 7): a report's filters kept under a name; weekly
or monthly an email with a link (never the data) to each recipient, through the delivery
mechanism. A recipient sees what their own access allows when they open the link."""

import logging
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from analytics.catalogue import KINDS, may_open
from analytics.models import SavedReport
from audit.services import audit_record
from delivery.services import delivery_enqueue

log = logging.getLogger(__name__)
REPORT_EMAIL_KIND = "analytics.saved_report"


def may_receive(user, kind: str) -> bool:
    """The report's own rule (analytics.catalogue): a recipient opens the link with their own
    access, so only people who may open the report are sent it."""
    return may_open(user, kind)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "report"
    slug, n = base, 2
    while SavedReport.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def recipients_from_emails(text: str, kind: str) -> list:
    """Users named by email (comma or space separated), each allowed to open the report."""
    emails = {e.strip().lower() for e in text.replace(",", " ").split() if e.strip()}
    users = list(get_user_model().objects.filter(email__in=emails))
    found = {u.email.lower() for u in users}
    errors = [_("No user %(email)s.") % {"email": e} for e in sorted(emails - found)]
    errors += [_("%(email)s may not open this report.") % {"email": u.email}
               for u in users if not may_receive(u, kind)]
    if errors:
        raise ValidationError(errors)
    return users


@transaction.atomic
def saved_report_save(*, acting_user, name: str, kind: str, params: dict, schedule: str,
                      recipients: list) -> SavedReport:
    if not may_receive(acting_user, kind):
        raise PermissionDenied(_("You may not open this report."))
    report = SavedReport.objects.create(
        owner=acting_user, name=name, slug=_unique_slug(name), kind=kind, schedule=schedule,
        params={k: str(v) for k, v in params.items() if k in KINDS[kind].params and v})
    report.recipients.set(recipients)
    audit_record(actor=acting_user, action="create", obj=report, changes={
        "params": [None, report.params], "schedule": [None, schedule],
        "recipients": [None, sorted(u.email for u in recipients)]})
    return report


@transaction.atomic
def saved_report_delete(*, acting_user, report: SavedReport) -> None:
    if report.owner_id != acting_user.pk:
        raise PermissionDenied(_("Only the owner deletes a saved report."))
    audit_record(actor=acting_user, action="delete", obj=report)
    report.delete()


def report_url(report: SavedReport) -> str:
    query = urlencode(report.params)
    return (f"{settings.SITE_URL}{reverse(KINDS[report.kind].url_name)}"
            f"{'?' + query if query else ''}")


def is_due(report: SavedReport, day: date) -> bool:
    if report.schedule == SavedReport.Schedule.WEEKLY:
        return day.weekday() == 0
    return report.schedule == SavedReport.Schedule.MONTHLY and day.day == 1


@transaction.atomic
def saved_reports_send_due(*, day: date) -> int:
    """Queue one email per recipient of each report due on `day`. Idempotent: the delivery
    key (report, recipient, day) is unique, so a second run queues nothing new."""
    items = 0
    for report in SavedReport.objects.exclude(schedule="").prefetch_related("recipients"):
        if not is_due(report, day):
            continue
        for user in report.recipients.all():
            delivery_enqueue(kind=REPORT_EMAIL_KIND,
                             key=f"analytics-report:{report.pk}:{user.pk}:{day.isoformat()}",
                             payload={"report_id": report.pk, "user_id": user.pk,
                                      "day": day.isoformat()})
            items += 1
    return items


def saved_report_deliver(*, item) -> bool:
    """Send one report email (a link). False when the report or the recipient's access is
    gone by now."""
    from delivery.mail import send_item_email

    report = SavedReport.objects.filter(pk=item.payload["report_id"]).first()
    user = get_user_model().objects.filter(pk=item.payload["user_id"]).first()
    if report is None or user is None or not may_receive(user, report.kind):
        log.info("saved report %s to user %s: no longer sent", item.payload["report_id"],
                 item.payload["user_id"])
        return False
    send_item_email(item, "analytics_report", {"report": report, "user": user,
                                               "url": report_url(report),
                                               "day": date.fromisoformat(item.payload["day"])},
                    to=[user.email])
    return True
