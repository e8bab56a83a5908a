"""In-app notifications for each leave step: who is told, the link, and no duplicates."""

from datetime import date

import pytest

from notifications.models import Notification
from timeoff.models import Delegation
from timeoff.services.inapp import request_step
from timeoff.services.requests import Dates, request_approve, request_cancel, request_create
from timeoff.services.sickness import sickness_record

pytestmark = pytest.mark.django_db
MON, TUE = date(2026, 3, 9), date(2026, 3, 10)


def _notes(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk")
                .values_list("kind", "url", "text"))


def test_request_tells_manager_and_delegate_then_the_decision_tells_the_employee(
        funded, holiday):
    # given the manager's delegate for today
    Delegation.objects.create(manager=funded.manager, delegate=funded.peer,
                              first_day=date(2020, 1, 1), last_day=date(2099, 12, 31))
    # when the report books and the manager approves, then cancels
    request = request_create(employee=funded.report, leave_type=holiday,
                             dates=Dates(MON, TUE), acting_user=funded.users["employee"])
    request_approve(request=request, acting_user=funded.users["manager"])
    request_cancel(request=request, acting_user=funded.users["manager"],
                   today=date(2026, 3, 1))
    # then the approvers heard of the request, linking to it in their list
    for who in ("manager", "other"):
        [(kind, url, text)] = _notes(funded.users[who])
        assert kind == "approval_waiting" and url == f"/timeoff/approvals/#request-{request.pk}"
        assert "2026-03-09 – 2026-03-10" in text
    # and the employee heard of the approval and the cancellation, not of their own request
    assert [(k, u) for k, u, _t in _notes(funded.users["employee"])] == [
        ("request_decided", f"/timeoff/#request-{request.pk}")] * 2
    assert "approved" in _notes(funded.users["employee"])[0][2]
    assert not _notes(funded.users["boss"])


def test_a_repeated_step_adds_no_second_notification(funded, holiday):
    request = request_create(employee=funded.report, leave_type=holiday,
                             dates=Dates(MON, TUE), acting_user=funded.users["employee"])
    request_step(request, "requested", funded.users["employee"])  # a retry
    assert len(_notes(funded.users["manager"])) == 1


def test_sickness_recorded_by_the_manager_tells_the_employee_and_asks_a_fit_note(org):
    sick = sickness_record(employee=org.report, first_day=date(2026, 3, 2),
                           last_day=date(2026, 3, 13), acting_user=org.users["manager"])
    kinds = [k for k, _u, _t in _notes(org.users["employee"])]
    assert kinds == ["other", "task_due"]
    assert all(u == f"/timeoff/#request-{sick.pk}" for _k, u, _t in
               _notes(org.users["employee"]))
    # the manager recorded it: they are not told about their own action
    assert not _notes(org.users["manager"])


def test_self_certified_sickness_tells_the_manager(org):
    sickness_record(employee=org.report, first_day=date(2026, 3, 2),
                    last_day=date(2026, 3, 4), acting_user=org.users["employee"])
    [(kind, url, text)] = _notes(org.users["manager"])
    assert kind == "other" and url == "/timeoff/calendar/?month=2026-03"
    assert "self-certified" in text
    assert not _notes(org.users["employee"])
