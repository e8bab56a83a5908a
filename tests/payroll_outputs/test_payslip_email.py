"""The payslip email is a delivery item: at least once, deduplicated, with a stable Message-ID."""

import threading
from unittest import mock

import pytest
from django.db import connection

from delivery.models import DeliveryItem
from delivery.services import delivery_run
from payroll.models import Payslip
from payroll.services import payslips as service
from tests.factories.payroll_outputs import finalised_run

S = DeliveryItem.Status


def _ready_with_email_item(payslip) -> DeliveryItem:
    """The PDF becomes ready; its email item is written in that same transaction (and not
    handed to a worker here: the test runs it)."""
    Payslip.objects.filter(pk=payslip.pk).update(pdf_status=Payslip.PdfStatus.PENDING)
    with mock.patch("delivery.services.delivery_publish"):
        service.payslip_render(payslip.pk)
    return DeliveryItem.objects.get(key=f"payslip.email:{payslip.pk}")


def test_employee_is_emailed_once_with_a_portal_link_and_no_attachment(
    paid_people, mailoutbox, django_capture_on_commit_callbacks
):
    run = finalised_run(paid_people[:1])
    payslip = run.payslips.get()
    # when the PDF is rendered (the email is queued on commit of the "ready" update)
    with django_capture_on_commit_callbacks(execute=True):
        service.payslip_render(payslip.pk)
    # then
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    item = DeliveryItem.objects.get(key=f"payslip.email:{payslip.pk}")
    assert message.to == [payslip.employee.user.email]
    assert message.extra_headers["Message-ID"] == item.message_id
    assert "https://hr.example.test/payroll/my/payslips/" in message.body
    assert message.attachments == []
    assert "%PDF" not in message.body
    assert Payslip.objects.get(pk=payslip.pk).emailed_at is not None
    assert item.status == S.DONE and item.group == f"payrun:{run.pk}"
    # and the same work delivered again (a redelivered message) sends nothing more
    assert service.payslip_email(item=item) is False
    assert len(mailoutbox) == 1


def test_no_email_item_before_the_pdf_is_ready(paid_people, mailoutbox):
    run = finalised_run(paid_people[:1])
    payslip = run.payslips.get()
    Payslip.objects.filter(pk=payslip.pk).update(pdf_status=Payslip.PdfStatus.FAILED)
    assert not DeliveryItem.objects.filter(kind=service.EMAIL_KIND).exists()
    assert mailoutbox == []


def test_a_failed_send_is_not_counted_as_sent_and_the_retry_sends_it_once(
        paid_people, mailoutbox, monkeypatch):
    # given a ready payslip whose mail relay refuses the connection
    run = finalised_run(paid_people[:1])
    payslip = run.payslips.get()
    item = _ready_with_email_item(payslip)

    def relay_down(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", relay_down)
    # when it is tried
    assert delivery_run(item_id=item.pk) == S.QUEUED
    # then it is not "emailed", and waits to retry with the reason
    assert Payslip.objects.get(pk=payslip.pk).emailed_at is None
    item.refresh_from_db()
    assert "Connection refused" in item.last_error and item.attempts == 1
    # when the relay is back and the backoff has passed
    monkeypatch.undo()
    DeliveryItem.objects.filter(pk=item.pk).update(available_at=item.created_at)
    assert delivery_run(item_id=item.pk) == S.DONE
    assert len(mailoutbox) == 1 and Payslip.objects.get(pk=payslip.pk).emailed_at is not None


def test_an_employee_without_an_address_is_a_failure_with_the_reason(paid_people, mailoutbox):
    run = finalised_run(paid_people[:1])
    payslip = run.payslips.get()
    employee = payslip.employee
    employee.user.is_active = False
    employee.user.save(update_fields=["is_active"])
    type(employee).objects.filter(pk=employee.pk).update(personal_email="", work_email="")
    item = _ready_with_email_item(payslip)
    assert delivery_run(item_id=item.pk) == S.FAILED
    item.refresh_from_db()
    assert "no email address" in item.last_error
    assert mailoutbox == []


def test_two_workers_at_once_send_one_email(postgres_db, paid_people, mailoutbox):
    # given a ready payslip and two workers that receive its email at the same moment
    run = finalised_run(paid_people[:1])
    item = _ready_with_email_item(run.payslips.get())
    barrier = threading.Barrier(2)
    results: list[str | None] = []

    def worker():
        try:
            barrier.wait()
            results.append(delivery_run(item_id=item.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then exactly one of them sent it
    assert sorted(results, key=str) == [None, S.DONE]
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("status", [S.FAILED, S.QUEUED])
def test_send_again_resends_a_failed_or_waiting_email(
        status, paid_people, mailoutbox, payroll_admin, django_capture_on_commit_callbacks):
    run = finalised_run(paid_people[:1])
    item = _ready_with_email_item(run.payslips.get())
    DeliveryItem.objects.filter(pk=item.pk).update(status=status, last_error="554 rejected")
    with django_capture_on_commit_callbacks(execute=True):
        assert service.payslip_emails_retry(run=run, status=status,
                                            acting_user=payroll_admin) == 1
    assert len(mailoutbox) == 1
    assert DeliveryItem.objects.get(pk=item.pk).status == S.DONE
