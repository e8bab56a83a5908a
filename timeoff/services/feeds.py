"""The per-person iCal feed (RFC 5545, written by the icalendar package)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from icalendar import Calendar, Event

from audit.services import audit_record
from employees.models import Employee
from timeoff.models import CalendarFeed, LeaveRequest, _token

FEED_LIMIT = 500


@transaction.atomic
def feed_reset(*, employee: Employee, acting_user) -> CalendarFeed:
    """Create the feed, or give it a new token (the old address stops working)."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(employee=employee)
    if not created:
        feed.token = _token()
        feed.save(update_fields=["token"])
    audit_record(actor=acting_user, action="create" if created else "update", obj=feed,
                 employee_id=employee.pk, note="calendar feed address",
                 changes={"token": ["***" if not created else None, "***"]})
    return feed


def feed_ical(employee: Employee) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.COMPANY_NAME}//HROps time off//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{employee.display_name}: time off")
    rows = LeaveRequest.objects.filter(
        employee=employee, status__in=(LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED),
    ).select_related("leave_type").order_by("-first_day")[:FEED_LIMIT]
    domain = settings.SITE_URL.split("//")[-1].split("/")[0]
    for row in rows:
        event = Event()
        event.add("uid", f"timeoff-{row.pk}@{domain}")
        pending = row.status == LeaveRequest.Status.PENDING
        event.add("summary", f"{row.leave_type.name}{' (pending)' if pending else ''}")
        event.add("dtstart", row.first_day)
        event.add("dtend", row.last_day + timedelta(days=1))  # DTEND is exclusive
        event.add("dtstamp", row.requested_at)
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    return cal.to_ical()
