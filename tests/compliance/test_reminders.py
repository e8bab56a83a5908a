"""Expiry reminders: stages, escalation recipients, idempotence (incl. two racing workers on
PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from compliance.models import ReminderSent
from compliance.services.records import RecordData, record_add
from compliance.services.reminders import reminder_send, reminders_due, reminders_run
from compliance.tasks import compliance_reminders_task
from tests.factories.compliance import RequirementRuleFactory


@pytest.fixture
def sends(django_capture_on_commit_callbacks):
    """Run a service, then what it queued on commit (the emails), as a real commit would."""
    def call(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)
    return call



def _record(org, hr_admin, days_left: int):
    rtype = RequirementRuleFactory(requirement_type__name="Forklift licence").requirement_type
    today = timezone.localdate()
    return record_add(acting_user=hr_admin, employee=org.report, requirement_type=rtype,
                      verify=True, data=RecordData(completed_on=today - timedelta(days=300),
                                                   expires_on=today + timedelta(days=days_left)))


@pytest.mark.django_db
def test_sixty_day_stage_emails_the_employee_only(sends, org, hr_admin):
    record = _record(org, hr_admin, 45)
    today = timezone.localdate()
    assert sends(reminders_run, today=today) == 1
    assert mail.outbox[0].to == [org.report.work_email]
    assert "Forklift licence" in mail.outbox[0].subject
    assert ReminderSent.objects.get(record=record).stage == "60"
    # again the same day, and the next day: nothing new (still the 60-day stage)
    assert sends(reminders_run, today=today) == 0
    assert sends(reminders_run, today=today + timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_stages_progress_and_escalate_to_manager_and_hr(sends, org, hr_admin, hr_staff):
    record = _record(org, hr_admin, 45)
    today = timezone.localdate()
    sends(reminders_run, today=today)                              # 60
    sends(reminders_run, today=today + timedelta(days=20))         # 30 (25 days left)
    sends(reminders_run, today=today + timedelta(days=40))         # 7 (5 days left): escalation
    sends(reminders_run, today=today + timedelta(days=46))         # expired: escalation
    sends(reminders_run, today=today + timedelta(days=50))         # nothing more
    stages = list(ReminderSent.objects.filter(record=record).order_by("sent_at", "id")
                  .values_list("stage", flat=True))
    assert stages == ["60", "30", "7", "expired"]
    assert len(mail.outbox) == 4
    escalated = mail.outbox[2]
    assert org.manager.work_email in escalated.to
    assert {hr_admin.email, hr_staff.email} <= set(escalated.to)
    assert mail.outbox[3].subject.startswith("Expired")
    assert org.manager.work_email not in mail.outbox[1].to


@pytest.mark.django_db
def test_missed_days_send_only_the_most_urgent_stage(org, hr_admin):
    record = _record(org, hr_admin, 3)
    assert reminders_run(today=timezone.localdate()) == 1
    assert list(ReminderSent.objects.filter(record=record).values_list("stage", flat=True)) == [
        "7"]


@pytest.mark.django_db
def test_renewed_record_is_not_reminded(org, hr_admin):
    old = _record(org, hr_admin, 5)
    today = timezone.localdate()
    record_add(acting_user=hr_admin, employee=org.report, requirement_type=old.requirement_type,
               verify=True, data=RecordData(completed_on=today,
                                            expires_on=today + timedelta(days=700)))
    assert reminders_due(today=today) == []


@pytest.mark.django_db
def test_a_failed_send_keeps_the_claim_and_is_retried_once(
        sends, org, hr_admin, monkeypatch, django_capture_on_commit_callbacks):
    from delivery.models import DeliveryItem
    from delivery.services import delivery_relay

    record = _record(org, hr_admin, 5)

    def boom(self):
        raise ConnectionError("SMTP down")

    # when the mail relay is down
    monkeypatch.setattr("django.core.mail.EmailMessage.send", boom)
    assert sends(reminder_send, record_id=record.pk, stage="7",
                 today=timezone.localdate()) is True
    # then the stage stays claimed (a second beat queues nothing) and the email waits
    item = DeliveryItem.objects.get(kind="compliance.reminder")
    assert item.status == "queued" and "SMTP down" in item.last_error
    assert ReminderSent.objects.filter(record=record, stage="7").count() == 1
    assert sends(reminders_run, today=timezone.localdate()) == 0
    # and once the relay is back and the backoff has passed: sent once
    monkeypatch.undo()
    DeliveryItem.objects.filter(pk=item.pk).update(available_at=item.created_at)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_relay() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == item.message_id


@pytest.mark.django_db
def test_beat_task_runs_the_scan(sends, org, hr_admin):
    _record(org, hr_admin, 5)
    assert sends(lambda: compliance_reminders_task.apply().get()) == 1
    assert sends(lambda: compliance_reminders_task.apply().get()) == 0
    assert len(mail.outbox) == 1


@pytest.mark.services
def test_two_workers_racing_send_once(postgres_db, org, hr_admin):
    # given one due reminder
    record = _record(org, hr_admin, 5)
    today = timezone.localdate()
    barrier = threading.Barrier(2)
    results: list[bool] = []
    errors: list[BaseException] = []

    def worker():
        try:
            barrier.wait()
            results.append(reminder_send(record_id=record.pk, stage="7", today=today))
        except BaseException as exc:  # pragma: no cover - surfaced by the assert below
            errors.append(exc)
        finally:
            connection.close()

    # when two workers (own DB connections) send the same stage at the same moment
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then exactly one claims and sends
    assert not errors
    assert sorted(results) == [False, True]
    assert ReminderSent.objects.filter(record=record, stage="7").count() == 1
    assert len(mail.outbox) == 1
