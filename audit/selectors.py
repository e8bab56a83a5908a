from datetime import date

from django.db.models import QuerySet

from audit.models import AuditEvent


def audit_events_for_employee(
    employee_id: int,
    *,
    object_type: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(employee_id=employee_id).select_related("actor")
    if object_type:
        events = events.filter(object_type=object_type)
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events
