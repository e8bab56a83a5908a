import threading

import pytest
from django.db import connection

from payroll.models import Payslip
from payroll.services import payslips as service
from tests.factories.payroll_outputs import finalised_run


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
    assert message.to == [payslip.employee.user.email]
    assert "https://hr.example.test/payroll/my/payslips/" in message.body
    assert message.attachments == []
    assert "%PDF" not in message.body
    assert Payslip.objects.get(pk=payslip.pk).emailed_at is not None
    # and calling it again (a redelivered task) sends nothing more
    assert service.payslip_email(payslip.pk) is False
    assert len(mailoutbox) == 1


def test_no_email_before_the_pdf_is_ready(paid_people, mailoutbox):
    run = finalised_run(paid_people[:1])
    assert service.payslip_email(run.payslips.get().pk) is False
    assert mailoutbox == []


def test_a_failed_send_releases_the_claim_for_the_retry(paid_people, mailoutbox, monkeypatch):
    run = finalised_run(paid_people[:1])
    payslip = run.payslips.get()
    Payslip.objects.filter(pk=payslip.pk).update(pdf_status=Payslip.PdfStatus.READY)

    def smtp_down(*args, **kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr(service, "send_templated_email", smtp_down)
    with pytest.raises(ConnectionError):
        service.payslip_email(payslip.pk)
    assert Payslip.objects.get(pk=payslip.pk).emailed_at is None
    monkeypatch.undo()
    assert service.payslip_email(payslip.pk) is True
    assert len(mailoutbox) == 1


def test_two_workers_at_once_send_one_email(postgres_db, paid_people, mailoutbox):
    # given a ready payslip and two workers that receive its email task at the same moment
    run = finalised_run(paid_people[:1])
    payslip = run.payslips.get()
    Payslip.objects.filter(pk=payslip.pk).update(pdf_status=Payslip.PdfStatus.READY)
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def worker():
        try:
            barrier.wait()
            results.append(service.payslip_email(payslip.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then exactly one of them sent it
    assert sorted(results) == [False, True]
    assert len(mailoutbox) == 1
