"""The run's delivery page: waiting / sending / sent / failed for PDFs and emails, the oldest
item's wait, and "send again" for each state that can need it."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from delivery.models import DeliveryItem
from payroll.models import Payslip
from payroll.services import payslips as service
from tests.factories import EmployeeFactory, UserFactory
from tests.factories.payroll_outputs import finalised_run

pytestmark = pytest.mark.django_db
S = DeliveryItem.Status


def _run_with_emails(people, statuses):
    """A finalised run whose PDFs are ready and whose email items are in `statuses`."""
    run = finalised_run(people)
    with mock.patch("delivery.services.delivery_publish"):
        for payslip in run.payslips.order_by("pk"):
            service.payslip_render(payslip.pk)
    for item, (status, error) in zip(
            DeliveryItem.objects.filter(kind=service.EMAIL_KIND, group=f"payrun:{run.pk}")
            .order_by("pk"), statuses,
            strict=True):
        DeliveryItem.objects.filter(pk=item.pk).update(
            status=status, last_error=error, attempts=1,
            created_at=timezone.now() - timedelta(minutes=7))
    return run


@pytest.fixture
def payroll_client(login):
    return login(UserFactory(email="pay.delivery@example.test", roles=[Role.PAYROLL_ADMIN]))


def test_the_page_shows_each_state_of_the_emails_and_the_oldest_wait(paid_people,
                                                                     payroll_client):
    people = [*paid_people, EmployeeFactory()]
    run = _run_with_emails(people, [(S.QUEUED, "TimeoutError: timed out"), (S.SENDING, ""),
                                    (S.FAILED, "SMTPRecipientsRefused: 550 no such user")])
    # when
    response = payroll_client.get(reverse("payroll:run_delivery", args=[run.pk]))
    # then
    progress = response.context["progress"]
    assert progress["emails"] == {"queued": 1, "sending": 1, "done": 0, "failed": 1}
    assert progress["counts"]["ready"] == 3
    text = response.content.decode()
    assert "550 no such user" in text and "TimeoutError" in text
    assert "7\xa0minutes" in text  # the oldest item's wait
    assert "Send all failed again" in text and "Send waiting now" in text
    # and the partial htmx polls while something is waiting
    partial = payroll_client.get(reverse("payroll:run_delivery", args=[run.pk]),
                                 headers={"HX-Request": "true"})
    assert b'hx-trigger="every 3s"' in partial.content and b"<html" not in partial.content


def test_send_again_for_one_failed_email_sends_it_and_is_audited(
        paid_people, payroll_client, mailoutbox, django_capture_on_commit_callbacks):
    run = _run_with_emails(paid_people[:1], [(S.FAILED, "554 rejected")])
    item = DeliveryItem.objects.get(kind=service.EMAIL_KIND)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = payroll_client.post(reverse("payroll:delivery_item_retry", args=[item.pk]))
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("payroll:run_delivery", args=[run.pk])
    assert len(mailoutbox) == 1
    assert DeliveryItem.objects.get(pk=item.pk).status == S.DONE
    assert AuditEvent.objects.filter(object_type="delivery.deliveryitem",
                                     object_id=str(item.pk)).exists()


def test_send_all_failed_again_and_a_done_email_cannot_be_sent_again(
        paid_people, payroll_client, mailoutbox, django_capture_on_commit_callbacks):
    run = _run_with_emails(paid_people, [(S.FAILED, "554"), (S.DONE, "")])
    Payslip.objects.filter(run=run).update(emailed_at=None)
    done = DeliveryItem.objects.get(kind=service.EMAIL_KIND, status=S.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        payroll_client.post(reverse("payroll:run_retry_emails", args=[run.pk, "failed"]))
    assert len(mailoutbox) == 1
    # a done email: a clear message, nothing sent, no 500
    response = payroll_client.post(reverse("payroll:delivery_item_retry", args=[done.pk]),
                                   follow=True)
    assert response.status_code == 200
    assert "Only a failed or waiting item" in response.content.decode()
    assert len(mailoutbox) == 1


def test_retrying_a_state_that_needs_no_retry_is_a_404(paid_people, payroll_client):
    run = _run_with_emails(paid_people[:1], [(S.DONE, "")])
    url = reverse("payroll:run_retry_emails", args=[run.pk, "done"])
    assert payroll_client.post(url).status_code == 404
    assert payroll_client.get(reverse("payroll:run_retry_emails",
                                      args=[run.pk, "failed"])).status_code == 405


def test_only_a_payroll_admin_may_send_again(paid_people, login, hr_admin, org):
    _run_with_emails(paid_people[:1], [(S.FAILED, "554")])
    item = DeliveryItem.objects.get(kind=service.EMAIL_KIND)
    url = reverse("payroll:delivery_item_retry", args=[item.pk])
    assert login(hr_admin).post(url).status_code == 403
    assert login(org.users["employee"]).post(url).status_code == 403
    assert DeliveryItem.objects.get(pk=item.pk).status == S.FAILED


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_run_size(
        payroll_client, django_assert_max_num_queries, hr_admin):
    from tests.factories.payroll_outputs import add_bank

    def page_queries(n: int) -> int:
        people = [EmployeeFactory() for _ in range(n)]
        for person in people:
            add_bank(person, hr_admin)
        run = _run_with_emails(people, [(S.FAILED, "554")] * n)
        url = reverse("payroll:run_delivery", args=[run.pk])
        payroll_client.get(url)  # the first request of a session also touches the session
        # session, user and roles; run; the PDFs not ready by status and all the run's
        # payslips (one UNION of index-only counts); item counts (one UNION: the items not
        # done, and the emails done); PDFs needing attention; emails needing attention and
        # their employee numbers; those paid outside the payment file: which way the run
        # records it, and (these payslips were written without a payment method, as before
        # finalising recorded one) the payslips not paid by bank and which have an account
        # (payroll.services.outputs.paid_outside_summary; test_scale covers a recorded run);
        # the viewer's own employee (navigation); the session saved (savepoint, UPDATE,
        # release). Nothing is waiting, so the age and pace of waiting items are not read (two
        # more queries while anything is).
        with django_assert_max_num_queries(16) as captured:
            assert payroll_client.get(url).status_code == 200
        return len(captured)

    assert page_queries(2) == page_queries(12)


def test_a_run_with_its_summary_takes_the_payslip_count_from_it(payroll_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from payroll.models import PayRun
    from payroll.services.run_summary import run_summary_write

    # given a finalised run of three whose summary was written when it was calculated, two
    # PDFs ready and one failed
    run = finalised_run([EmployeeFactory() for _ in range(3)])
    run_summary_write(run)
    first, *others = run.payslips.order_by("pk")
    Payslip.objects.filter(pk__in=[p.pk for p in others]).update(
        pdf_status=Payslip.PdfStatus.READY)
    Payslip.objects.filter(pk=first.pk).update(pdf_status=Payslip.PdfStatus.FAILED)
    url = reverse("payroll:run_delivery", args=[run.pk])
    payroll_client.get(url)
    # when
    with CaptureQueriesContext(connection) as ctx:
        progress = payroll_client.get(url).context["progress"]
    # then the figures are the live ones, and no query counts every payslip of the run
    assert (progress["total"], progress["counts"]["ready"], progress["counts"]["failed"]) == (
        3, 2, 1)
    payslip_counts = [q["sql"] for q in ctx.captured_queries
                      if 'FROM "payroll_payslip"' in q["sql"] and "COUNT(" in q["sql"]]
    assert payslip_counts and all("'ready'" in sql for sql in payslip_counts)
    # and a summary of an earlier calculation (here saying 99) is not used: they are counted
    summary = run.summary
    summary.figures["totals"]["headcount"] = 99
    summary.save(update_fields=["figures"])
    PayRun.objects.filter(pk=run.pk).update(calc_generation=run.calc_generation + 1)
    progress = payroll_client.get(url).context["progress"]
    assert (progress["total"], progress["counts"]["ready"], progress["counts"]["failed"]) == (
        3, 2, 1)
