from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from employees.access import Relation, relation
from timeoff.models import LeaveRequest, Unit


def error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def request_for_viewer(viewer, pk: int) -> LeaveRequest:
    """A request the viewer may at least see (their own, their reports', HR: all); else 404."""
    leave = get_object_or_404(LeaveRequest.objects.select_related("employee", "leave_type"),
                              pk=pk)
    from timeoff.access import is_approver_of

    if relation(viewer, leave.employee) is Relation.NONE and not is_approver_of(
            viewer, leave.employee):
        raise Http404("No such request.")
    return leave


def day_span(first: date, last: date) -> str:
    """'3 Dec', '3-5 Dec', '28 Nov - 2 Dec', '30 Dec 2026 - 2 Jan 2027' with en dashes (month
    names translated by Django's date format)."""
    if first == last:
        return dateformat.format(first, "j M")
    if first.year != last.year:
        return f"{dateformat.format(first, 'j M Y')} \u2013 {dateformat.format(last, 'j M Y')}"
    if first.month == last.month:
        return f"{first.day}\u2013{dateformat.format(last, 'j M')}"
    return f"{dateformat.format(first, 'j M')} \u2013 {dateformat.format(last, 'j M')}"


def _amount(leave: LeaveRequest) -> str:
    # 3.000 -> "3", 0.500 -> "0.5": the amount as entered, without the stored trailing zeros.
    n = leave.amount.normalize() if leave.amount is not None else Decimal("0")
    text = f"{n:f}"
    plural = 1 if n == 1 else 2
    if leave.leave_type.unit == Unit.HOURS:
        return ngettext("%(n)s hour", "%(n)s hours", plural) % {"n": text}
    return ngettext("%(n)s day", "%(n)s days", plural) % {"n": text}


def request_summary(leave: LeaveRequest) -> str:
    """"Ana Silva's Holiday, 3-5 Dec (3 days)" (typographic apostrophe and dash): whose
    leave, which, when and how much, for the message that confirms a decision."""
    return _("%(name)s’s %(type)s, %(dates)s (%(amount)s)") % {
        "name": leave.employee.display_name, "type": leave.leave_type.name,
        "dates": day_span(leave.first_day, leave.last_day), "amount": _amount(leave)}
