"""The morning digest: content, one per person per day, opt-out."""

import threading
from datetime import date
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from employees.models import Employment
from lifecycle.models import AssigneeRule, DigestSent
from lifecycle.services.checklists import checklist_start, task_complete
from lifecycle.services.digest import digest_recipients, digest_send
from lifecycle.tasks import send_digests_task
from tests.factories.lifecycle import make_template, task_spec

TODAY = date(2027, 3, 3)  # a Wednesday

@pytest.fixture
def sends(django_capture_on_commit_callbacks):
    """Run a service, then what it queued on commit (the emails), as a real commit would."""
    def call(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)
    return call



@pytest.fixture
def due_tasks(org, hr_staff, it_user):
    """For org.report, starting 2027-03-01: overdue, due today and future tasks."""
    template = make_template("General", tasks=[
        task_spec("Overdue handbook", assignee_rule=AssigneeRule.EMPLOYEE, offset_days=0),
        task_spec("Today's form", assignee_rule=AssigneeRule.EMPLOYEE, offset_days=2),
        task_spec("Future survey", assignee_rule=AssigneeRule.EMPLOYEE, offset_days=30),
        task_spec("Lunch", assignee_rule=AssigneeRule.MANAGER, offset_days=1),
        task_spec("Laptop", assignee_rule=AssigneeRule.IT, offset_days=-1),
        task_spec("Done already", assignee_rule=AssigneeRule.EMPLOYEE, offset_days=-1),
    ])
    checklist = checklist_start(acting_user=hr_staff, template=template, employee=org.report,
                                employment=Employment.objects.get(employee=org.report),
                                anchor_date=date(2027, 3, 1))
    task_complete(acting_user=hr_staff, task=checklist.tasks.get(title="Done already"))
    mail.outbox.clear()
    return checklist


@pytest.mark.django_db
def test_digest_lists_due_and_overdue_tasks_with_links(sends, org, due_tasks):
    # when
    assert sends(digest_send, user_id=org.users["employee"].pk, day=TODAY) is True
    # then one email, with today's and overdue tasks only
    [email] = mail.outbox
    assert email.to == ["employee@example.test"]
    assert "2 due or overdue" in email.subject
    assert "Overdue handbook" in email.body and "(OVERDUE)" in email.body
    assert "Today's form" in email.body
    assert "Future survey" not in email.body and "Done already" not in email.body
    task = due_tasks.tasks.get(title="Today's form")
    assert f"http://127.0.0.1:8000/lifecycle/tasks/{task.pk}/" in email.body
    html = email.alternatives[0].content
    assert f'href="http://127.0.0.1:8000/lifecycle/tasks/{task.pk}/"' in html


@pytest.mark.django_db
def test_recipients_include_role_members_and_managers(org, due_tasks, it_user, hr_staff):
    recipients = set(digest_recipients(TODAY))
    assert recipients == {org.users["employee"].pk, org.users["manager"].pk, it_user.pk}
    # on 2027-03-01 only the IT task (due 02-26) and the handbook are due
    assert set(digest_recipients(date(2027, 3, 1))) == {org.users["employee"].pk, it_user.pk}


@pytest.mark.django_db
def test_beat_twice_sends_each_person_one_digest(sends, org, due_tasks, it_user):
    # when beat fires twice (eager tasks run each per-user digest task in-process)
    sends(send_digests_task, TODAY.isoformat())
    sends(send_digests_task, TODAY.isoformat())
    # and a worker retries one user's task
    assert sends(digest_send, user_id=it_user.pk, day=TODAY) is False
    # then each person got exactly one email
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(["employee@example.test", "manager@example.test",
                                 "it@example.test"])
    assert DigestSent.objects.filter(day=TODAY).count() == 3
    # the next day is a new digest
    sends(send_digests_task, "2027-03-04")
    assert len(mail.outbox) == 6


@pytest.mark.django_db
def test_user_can_turn_the_digest_off(sends, client, org, due_tasks):
    user = org.users["employee"]
    client.force_login(user)
    assert client.get(reverse("lifecycle:settings")).status_code == 200
    client.post(reverse("lifecycle:settings"), {})
    user.refresh_from_db()
    assert user.receives_task_digest is False
    assert user.pk not in digest_recipients(TODAY)
    assert sends(digest_send, user_id=user.pk, day=TODAY) is False
    assert mail.outbox == []
    client.post(reverse("lifecycle:settings"), {"receives_task_digest": "on"})
    user.refresh_from_db()
    assert user.receives_task_digest is True


@pytest.mark.django_db
def test_a_failed_send_keeps_the_claim_and_the_retry_sends_it_once(
        sends, org, due_tasks, django_capture_on_commit_callbacks):
    from delivery.models import DeliveryItem
    from delivery.services import delivery_relay

    user_id = org.users["employee"].pk
    # when the relay refuses the connection
    with mock.patch("delivery.mail.render_email") as render:
        render.return_value.send.side_effect = SMTPServerDisconnected("down")
        render.return_value.extra_headers = {}
        assert sends(digest_send, user_id=user_id, day=TODAY) is True
    # then the day stays claimed (no second digest queued) and the email waits to retry
    item = DeliveryItem.objects.get(kind="lifecycle.digest")
    assert item.status == "queued" and "down" in item.last_error
    assert sends(digest_send, user_id=user_id, day=TODAY) is False
    assert mail.outbox == []
    # and once the backoff has passed, the relay sends it, once
    DeliveryItem.objects.filter(pk=item.pk).update(available_at=item.created_at)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_relay() == 1
    assert [m.to for m in mail.outbox] == [["employee@example.test"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == item.message_id


@pytest.mark.django_db
def test_no_digest_without_due_tasks(sends, org, due_tasks):
    assert sends(digest_send, user_id=org.users["other"].pk, day=TODAY) is False
    assert mail.outbox == []


def test_two_workers_racing_send_one_digest(postgres_db, org, due_tasks):
    """Two threads (two database connections) send the same user's digest at the same moment:
    the unique (user, day) claim lets exactly one through."""
    user_id = org.users["employee"].pk
    barrier = threading.Barrier(2)
    results: list[bool] = []
    errors: list[BaseException] = []
    real_claim = __import__("lifecycle.services.digest", fromlist=["digest_claim"]).digest_claim

    def claim_after_barrier(**kwargs):
        barrier.wait(timeout=10)  # both threads have passed the early "already sent?" check
        return real_claim(**kwargs)

    def worker():
        try:
            results.append(digest_send(user_id=user_id, day=TODAY))
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch("lifecycle.services.digest.digest_claim", side_effect=claim_after_barrier):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    assert errors == []
    assert sorted(results) == [False, True]
    assert len([m for m in mail.outbox if m.to == ["employee@example.test"]]) == 1
    assert DigestSent.objects.filter(user_id=user_id, day=TODAY).count() == 1
