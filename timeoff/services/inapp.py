"""In-app notifications for every leave step (notifications.services.notify_many), written in
the transaction of the step next to its email (timeoff.services.notices):
- requested -> the direct manager and today's delegates (link: their approvals list);
- approved / declined / cancelled -> the employee (link: the request on their time-off page);
- sickness recorded by someone else -> the employee; self-certified -> the manager and
  delegates (link: the sickness on the employee's page, or the calendar for a manager);
- fit note due (sickness over 7 days without one) -> the employee and the manager.
Each is keyed by the request, its version and the step, so a retried service adds nothing;
the person who acted is not told about their own action."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from employees.models import Employee
from notifications.models import Notification
from notifications.services import Note, notify_many
from timeoff.models import Delegation, LeaveRequest

KINDS = {"requested": Notification.Kind.APPROVAL_WAITING,
         "approved": Notification.Kind.REQUEST_DECIDED,
         "declined": Notification.Kind.REQUEST_DECIDED,
         "cancelled": Notification.Kind.REQUEST_DECIDED}


def approver_users(employee: Employee) -> list:
    """The direct manager's and today's delegates' logins (two queries at most)."""
    if employee.manager_id is None:
        return []
    today = timezone.localdate()
    ids = [employee.manager_id, *Delegation.objects.filter(
        manager_id=employee.manager_id, first_day__lte=today, last_day__gte=today
    ).values_list("delegate_id", flat=True)]
    return [p.user for p in Employee.objects.filter(pk__in=ids, user__isnull=False)
            .select_related("user").order_by("pk")]


def _span(request: LeaveRequest) -> str:
    if request.first_day == request.last_day:
        return str(request.first_day)
    return f"{request.first_day} – {request.last_day}"


def _send(users, acting_user, kind: str, text: str, url: str, key: str) -> None:
    acting = getattr(acting_user, "pk", None)
    notify_many([Note(u, kind, text, url, key) for u in users if u.pk != acting])


def request_step(request: LeaveRequest, event: str, acting_user) -> None:
    what = {"type": request.leave_type, "dates": _span(request),
            "name": request.employee.display_name}
    key = f"timeoff.request:{request.pk}:{request.version}:{event}"
    if event == "requested":
        _send(approver_users(request.employee), acting_user, KINDS[event],
              _("%(name)s asks for %(type)s, %(dates)s.") % what,
              f"{reverse('timeoff:approvals')}#request-{request.pk}", key)
        return
    text = {"approved": _("Your %(type)s request for %(dates)s was approved."),
            "declined": _("Your %(type)s request for %(dates)s was declined."),
            "cancelled": _("Your %(type)s request for %(dates)s was cancelled.")}[event] % what
    _send([request.employee.user] if request.employee.user_id else [], acting_user,
          KINDS[event], text, f"{reverse('timeoff:my_leave')}#request-{request.pk}", key)


def sickness_recorded(request: LeaveRequest, acting_user, *, fit_note_due: bool) -> None:
    what = {"dates": _span(request), "name": request.employee.display_name}
    employee_user = [request.employee.user] if request.employee.user_id else []
    managers = approver_users(request.employee)
    mine = f"{reverse('timeoff:my_leave')}#request-{request.pk}"
    team = f"{reverse('timeoff:calendar')}?month={request.first_day:%Y-%m}"
    key = f"timeoff.sickness:{request.pk}"
    if request.self_certified:
        _send(managers, acting_user, Notification.Kind.OTHER,
              _("%(name)s self-certified sickness, %(dates)s.") % what, team, key)
    else:
        _send(employee_user, acting_user, Notification.Kind.OTHER,
              _("Sickness was recorded for you, %(dates)s.") % what, mine, key)
        _send(managers, acting_user, Notification.Kind.OTHER,
              _("Sickness was recorded for %(name)s, %(dates)s.") % what, team, key)
    if fit_note_due:
        key = f"timeoff.fit_note_due:{request.pk}"
        _send(employee_user, None, Notification.Kind.TASK_DUE,
              _("Your sickness %(dates)s is over 7 days: a fit note is needed.") % what,
              mine, key)
        _send(managers, acting_user, Notification.Kind.TASK_DUE,
              _("A fit note is needed for %(name)s's sickness, %(dates)s.") % what, team, key)
