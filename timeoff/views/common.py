from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from employees.access import Relation, relation
from timeoff.models import LeaveRequest


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
