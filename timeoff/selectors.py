"""Reads for the time-off pages, scoped by who is asking. Every list is a fixed number of queries,
whatever the headcount."""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role, is_hr
from employees.access import is_self, viewer_report_ids
from employees.models import Employee
from employees.selectors import employee_for_user
from hrops.calendars import public_holidays
from timeoff.access import delegating_managers
from timeoff.models import Category, LeaveRequest, LeaveType, LedgerEntry
from timeoff.services.ledger import balances

OPEN = (LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED)
CALENDAR_ROWS = 50  # people a page: a month grid a manager can read, and a fast page


def active_types() -> list[LeaveType]:
    return list(LeaveType.objects.filter(is_active=True).order_by("name"))


def tracked_types(active: list[LeaveType] | None = None) -> list[LeaveType]:
    return [t for t in (active if active is not None else active_types()) if t.tracks_balance]


def requestable_types(active: list[LeaveType] | None = None) -> list[LeaveType]:
    """What an employee asks for in the portal; sickness is recorded, not requested."""
    return [t for t in (active if active is not None else active_types())
            if t.category != Category.SICK]


@dataclass
class BalanceLine:
    leave_type: LeaveType
    today: Decimal
    pending: Decimal
    year_end: Decimal


def my_balances(employee: Employee, today: date,
                active: list[LeaveType] | None = None) -> list[BalanceLine]:
    """Per tracked type: today's balance, what waits for approval, and the balance at the end of
    the calendar year with everything booked (approved and pending). Three queries whatever the
    number of types (the types unless given, the ledger sums, the pending sums)."""
    year_end = date(today.year, 12, 31)
    types = tracked_types(active)
    sums = {row["leave_type_id"]: row for row in LedgerEntry.objects.filter(
        employee=employee, leave_type__in=types, effective_date__lte=year_end,
    ).values("leave_type_id").annotate(now=Sum("amount", filter=Q(effective_date__lte=today)),
                                       end=Sum("amount")).order_by()}
    waiting = dict(LeaveRequest.objects.filter(
        employee=employee, leave_type__in=types, status=LeaveRequest.Status.PENDING,
        first_day__lte=year_end,
    ).values("leave_type_id").annotate(total=Sum("amount")).order_by()
        .values_list("leave_type_id", "total"))
    lines = []
    for leave_type in types:
        row = sums.get(leave_type.pk, {})
        pending = waiting.get(leave_type.pk) or Decimal("0")
        lines.append(BalanceLine(leave_type, row.get("now") or Decimal("0"), pending,
                                 (row.get("end") or Decimal("0")) - pending))
    return lines


def my_requests(employee: Employee, limit: int = 50) -> list[LeaveRequest]:
    return list(LeaveRequest.objects.filter(employee=employee).select_related("leave_type")
                .order_by("-first_day", "-id")[:limit])


def _decidable(viewer) -> Q | None:
    """Whose requests the viewer decides, as a filter (None = nobody's)."""
    me = employee_for_user(viewer)
    if is_hr(viewer):
        scope = Q()
    elif me is not None:
        scope = Q(employee_id__in=viewer_report_ids(viewer)) | Q(
            employee__manager_id__in=delegating_managers(viewer))
    else:
        scope = None
    if has_role(viewer, Role.PAYROLL_ADMIN) and not is_hr(viewer):
        # Payroll Admin also decides unpaid leave (timeoff.access.can_decide).
        scope = Q(leave_type__category=Category.UNPAID) | (scope if scope is not None else Q(
            pk__in=[]))
    if scope is None:
        return None
    if me is not None:
        scope &= ~Q(employee=me)
    return scope


def pending_for_approver(viewer, limit: int = 200) -> list[LeaveRequest]:
    scope = _decidable(viewer)
    if scope is None:
        return []
    rows = list(LeaveRequest.objects.filter(scope, status=LeaveRequest.Status.PENDING)
                .select_related("employee", "leave_type").order_by("first_day", "id")[:limit])
    _annotate_balance_after(rows)
    return rows


def _annotate_balance_after(rows: list[LeaveRequest]) -> None:
    """Each pending request's "balance after": one query per leave type on the page."""
    by_type: dict[int, list[LeaveRequest]] = {}
    for row in rows:
        if row.leave_type.tracks_balance:
            by_type.setdefault(row.leave_type_id, []).append(row)
    for type_id, group in by_type.items():
        last = max(r.last_day for r in group)
        found = balances({r.employee_id for r in group}, type_id, last)
        for row in group:
            row.balance_after = found.get(row.employee_id, Decimal("0")) - row.amount


# --- the calendar ---

@dataclass
class CalendarRow:
    employee: Employee
    cells: list[str] = field(default_factory=list)  # per day: "" or a label

    @property
    def spans(self) -> list[tuple[str, int]]:
        """Consecutive days with the same label as one (label, days) cell: a month of 200
        people is a few hundred table cells, not 6,000 (template rendering is the cost)."""
        spans: list[tuple[str, int]] = []
        for cell in self.cells:
            if spans and spans[-1][0] == cell:
                spans[-1] = (cell, spans[-1][1] + 1)
            else:
                spans.append((cell, 1))
        return spans


@dataclass
class MonthCalendar:
    first: date
    days: list[date]
    holidays: set[date]
    rows: list[CalendarRow]
    has_next: bool
    page: int = 0

    @property
    def holiday_list(self) -> list[date]:
        return sorted(self.holidays)

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return self.first + timedelta(days=calendar.monthrange(self.first.year,
                                                               self.first.month)[1])


def _team_scope(viewer) -> tuple[QuerySet[Employee] | None, bool]:
    """(people the viewer's calendar shows, whether leave types are shown for all of them).
    HR: everyone, with types. A manager: their reports and themself, with types. Anyone else:
    their own team (their manager's direct reports and the manager), types only for themself."""
    if is_hr(viewer):
        return Employee.objects.all(), True
    me = employee_for_user(viewer)
    if me is None:
        return None, False
    reports = viewer_report_ids(viewer)
    if reports:
        return Employee.objects.filter(pk__in=reports | {me.pk}), True
    team = Q(pk=me.pk)
    if me.manager_id:
        team |= Q(manager_id=me.manager_id) | Q(pk=me.manager_id)
    return Employee.objects.filter(team), False


def month_calendar(viewer, first: date, *, department_id: int | None = None,
                   location_id: int | None = None, page: int = 0) -> MonthCalendar | None:
    """The people of the viewer's scope who are away in the month, by name, CALENDAR_ROWS a
    page: two queries (the page of people, their requests) whatever the headcount."""
    people, show_types = _team_scope(viewer)
    if people is None:
        return None
    if department_id:
        people = people.filter(department_id=department_id)
    if location_id:
        people = people.filter(location_id=location_id)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    in_month = Q(status__in=OPEN, first_day__lte=last, last_day__gte=first)
    away = LeaveRequest.objects.filter(in_month).values("employee_id")
    offset = page * CALENDAR_ROWS
    page_people = list(people.filter(pk__in=away).order_by(
        "legal_last_name", "legal_first_name", "pk").only(
        "pk", "user_id", "legal_first_name", "legal_last_name", "preferred_name")[
        offset:offset + CALENDAR_ROWS + 1])
    more = len(page_people) > CALENDAR_ROWS
    rows = {p.pk: CalendarRow(p, [""] * len(days)) for p in page_people[:CALENDAR_ROWS]}
    for req in LeaveRequest.objects.filter(in_month, employee_id__in=list(rows)).select_related(
            "leave_type").only("employee_id", "first_day", "last_day", "status",
                               "leave_type__name").order_by("first_day", "pk"):
        row = rows[req.employee_id]
        label = _label(viewer, req, row.employee, show_types)
        lo = (max(req.first_day, first) - first).days
        hi = (min(req.last_day, last) - first).days
        row.cells[lo:hi + 1] = [label] * (hi - lo + 1)
    me = employee_for_user(viewer)
    country = me.work_country if me else "GB"
    holidays = public_holidays(country, [first.year])
    return MonthCalendar(first, days, {d for d in days if d in holidays}, list(rows.values()),
                         more, page)


def _label(viewer, req: LeaveRequest, employee: Employee, show_types: bool) -> str:
    text = req.leave_type.name if show_types or is_self(viewer, employee) else _("Away")
    if req.status == LeaveRequest.Status.PENDING:
        return _("%(label)s (pending)") % {"label": text}
    return text
