import os
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from delivery.models import DeliveryItem
from delivery.services import delivery_relay, delivery_run
from payroll.models import Payslip
from payroll.pdf import sha256
from payroll.services import payslips as service
from tests.factories.payroll_outputs import finalised_run

S = Payslip.PdfStatus


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: nothing in the worker gets to handle it."""


def _files(media, run) -> list[str]:
    folder = media / "payslips" / str(run.pk)
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_finalised_run_renders_every_payslip_once_with_its_sha256(
    paid_people, django_capture_on_commit_callbacks, private_media
):
    # given a finalised run of two payslips
    run = finalised_run(paid_people)
    # when the core's finalisation hook queues them (eager Celery runs them on commit)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        count = service.payslips_render_for_run(run.pk)
    # then
    assert count == 2 and len(callbacks) >= 1
    for payslip in Payslip.objects.filter(run=run):
        assert payslip.pdf_status == S.READY and payslip.pdf_attempts == 1
        data = default_storage.open(payslip.pdf_file.name, "rb").read()
        assert data.startswith(b"%PDF-")
        assert payslip.pdf_sha256 == sha256(data)
    assert _files(private_media, run) == [f"payslip-{p.pk}.pdf" for p in
                                          Payslip.objects.filter(run=run).order_by("pk")]
    # and a second request queues nothing (all done)
    assert service.payslips_render_for_run(run.pk) == 0


def test_rendering_twice_gives_identical_bytes(paid_people):
    run = finalised_run(paid_people[:1])
    payslip = run.payslips.get()
    assert service.payslip_render(payslip.pk) == S.READY
    payslip.refresh_from_db()
    first = default_storage.open(payslip.pdf_file.name, "rb").read()
    # when rendered again (as after a retry)
    Payslip.objects.filter(pk=payslip.pk).update(pdf_status=S.FAILED)
    assert service.payslip_render(payslip.pk) == S.READY
    payslip.refresh_from_db()
    second = default_storage.open(payslip.pdf_file.name, "rb").read()
    # then same bytes, same stored hash, and no creation date or random id in the file
    assert first == second and payslip.pdf_sha256 == sha256(second)
    assert b"/CreationDate" not in first and b"/ModDate" not in first and b"/ID" not in first


def test_a_claimed_or_ready_payslip_is_not_rendered_again(paid_people):
    run = finalised_run(paid_people[:1])
    payslip = run.payslips.get()
    # another worker holds it
    Payslip.objects.filter(pk=payslip.pk).update(pdf_status=S.RENDERING)
    assert service.payslip_render(payslip.pk) is None
    # done
    Payslip.objects.filter(pk=payslip.pk).update(pdf_status=S.PENDING)
    assert service.payslip_render(payslip.pk) == S.READY
    assert service.payslip_render(payslip.pk) is None
    assert Payslip.objects.get(pk=payslip.pk).pdf_attempts == 1


def test_payslips_of_a_run_not_yet_finalised_are_never_rendered(paid_people):
    run = finalised_run(paid_people[:1], finalise=False)
    assert service.payslips_render_for_run(run.pk) == 0
    assert service.payslip_render(run.payslips.get().pk) is None
    assert run.payslips.get().pdf_status == S.PENDING


def test_failure_keeps_the_error_and_a_payroll_admin_retry_renders_it(
    paid_people, payroll_admin, monkeypatch, django_capture_on_commit_callbacks
):
    run = finalised_run(paid_people[:1])
    payslip = run.payslips.get()
    # given rendering fails (e.g. a font missing on the worker)
    monkeypatch.setattr(service, "render_pdf", lambda html: (_ for _ in ()).throw(
        OSError("font not found")))
    assert service.payslip_render(payslip.pk) == S.FAILED
    payslip.refresh_from_db()
    assert payslip.pdf_status == S.FAILED and "font not found" in payslip.pdf_error
    # when the problem is fixed and a Payroll Admin retries
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        service.payslip_retry(payslip=payslip, acting_user=payroll_admin)
    # then
    payslip.refresh_from_db()
    assert payslip.pdf_status == S.READY and payslip.pdf_error == ""
    assert payslip.pdf_attempts == 2


def test_only_a_payroll_admin_may_retry(paid_people, hr_admin):
    run = finalised_run(paid_people[:1])
    payslip = run.payslips.get()
    Payslip.objects.filter(pk=payslip.pk).update(pdf_status=S.FAILED)
    with pytest.raises(PermissionDenied):
        service.payslip_retry(payslip=payslip, acting_user=hr_admin)


def test_a_worker_killed_mid_render_leaves_nothing_missing_or_duplicated(
    paid_people, monkeypatch, private_media, settings, django_capture_on_commit_callbacks
):
    # given a finalised run of two whose PDF items are queued; the worker dies while rendering
    # the first one (after claiming its item: "sending", with a lease)
    run = finalised_run(paid_people)
    first, second = run.payslips.order_by("pk")
    with transaction.atomic():
        service.payslips_render_for_run(run.pk)
    items = {i.payload["payslip_id"]: i for i in DeliveryItem.objects.filter(kind="payslip.pdf")}
    real_render = service.render_pdf

    def dies(html):
        raise WorkerKilled

    monkeypatch.setattr(service, "render_pdf", dies)
    with pytest.raises(WorkerKilled):
        delivery_run(item_id=items[first.pk].pk)
    monkeypatch.setattr(service, "render_pdf", real_render)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_run(item_id=items[second.pk].pk) == "done"
    assert Payslip.objects.get(pk=first.pk).pdf_status == S.RENDERING
    # the message is redelivered while the lease holds: the claim leaves it alone
    assert delivery_run(item_id=items[first.pk].pk) is None
    # when the relay runs after the lease ran out, it queues it again and it is rendered
    later = timezone.now() + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_relay(now=later) == 1
    # then every payslip is ready, each has exactly one file, and no temp files remain
    statuses = list(run.payslips.order_by("pk").values_list("pdf_status", flat=True))
    assert statuses == [S.READY, S.READY]
    assert Payslip.objects.get(pk=first.pk).pdf_attempts == 2
    assert _files(private_media, run) == [f"payslip-{first.pk}.pdf", f"payslip-{second.pk}.pdf"]
    assert set(DeliveryItem.objects.filter(kind="payslip.pdf").values_list(
        "status", flat=True)) == {"done"}


def test_html_shows_the_lines_ytd_and_only_the_masked_account(paid_people):
    run = finalised_run(paid_people[:1])
    payslip = Payslip.objects.select_related("run__period", "employee__department").get(run=run)
    html = service.payslip_html(service.payslip_document(payslip))
    employee = payslip.employee
    assert "Acme Widgets Ltd" in html
    assert employee.legal_last_name in html and employee.employee_number in html
    assert payslip.display_number in html
    assert "Basic pay" in html and "160" in html and "3,200.00" in html
    assert "<td class=\"n\">20</td>" in html  # the rate, without trailing zeros
    assert "Year to date" in html and "26,560.00" in html  # gross YTD
    assert "Net pay: GBP 2,579.44" in html
    assert "•••• 9911" in html
    assert "55779911" not in html and "200000" not in html


def test_bytes_do_not_depend_on_what_the_worker_rendered_before(paid_people):
    # given a worker process that keeps its font configuration between payslips
    run = finalised_run(paid_people)
    first, second = (
        service.payslip_document(p) for p in
        Payslip.objects.select_related("run__period", "employee__department").filter(run=run)
    )
    before = service.render_pdf(service.payslip_html(first))
    # when it renders someone else (other glyphs) and then the first one again
    service.render_pdf(service.payslip_html(second))
    after = service.render_pdf(service.payslip_html(first))
    # then
    assert before == after


def test_employer_contributions_and_employer_taxes_have_their_own_headings():
    from decimal import Decimal

    from payroll.pdf import PdfLine, sections

    lines = (PdfLine("NI_ER", "Employer NI", "employer_tax", None, None, Decimal("443.61")),
             PdfLine("PENSION_ER", "Employer pension", "employer_contribution", None, None,
                     Decimal("103.94")))
    headings = [section["heading"] for section in sections(lines)]
    assert headings == ["Paid by your employer: contributions", "Paid by your employer: taxes"]


def test_the_payslip_user_agent_sheet_styles_every_element_the_template_uses(paid_people):
    # The payslip replaces WeasyPrint's long HTML5 user-agent sheet with a short one; an element
    # added to the template without a rule there would lose its default display and look.
    import re
    from html.parser import HTMLParser

    from payroll.pdf import PAYSLIP_UA_CSS

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.seen = set()

        def handle_starttag(self, tag, attrs):
            self.seen.add(tag)

    run = finalised_run(paid_people[:1])
    payslip = Payslip.objects.select_related("run__period", "employee__department").get(run=run)
    parser = Tags()
    parser.feed(service.payslip_html(service.payslip_document(payslip)))
    styled = set(re.findall(r"[a-z0-9]+(?=[^{}]*\{)", re.sub(r"\{[^}]*\}", "{}", PAYSLIP_UA_CSS)))
    assert parser.seen and parser.seen <= styled, parser.seen - styled
