"""In a real browser: an employee signs in to the portal and downloads their P60; a leaver
downloads their P45."""

from datetime import date

import pytest

from delivery.files import store_atomically
from tests.browser import login
from yearend.models import DocumentKind, YearEndDocument
from yearend.services.documents import year_documents_produce


def _sign_out(page) -> None:
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/accounts/login/**")


def _download(page, link_text: str) -> bytes:
    page.goto("/portal/")
    page.click("text=My tax documents")
    page.wait_for_selector(f"text={link_text}")
    with page.expect_download() as info:
        page.click("a:has-text('Download PDF')")
    return open(info.value.path(), "rb").read()


@pytest.mark.browser
def test_employee_downloads_their_p60_and_the_leaver_their_p45(page, password, uk_year,
                                                              payroll_admin):
    # given: the tax year has ended and its P60s are produced; the worker stored the PDFs
    # (stand-ins here: tests/yearend/test_services.py renders a real one)
    year_documents_produce(schedule=uk_year["schedule"], tax_year="2025-26",
                           acting_user=payroll_admin, today=date(2026, 5, 1))
    for document in YearEndDocument.objects.all():
        name = store_atomically(f"yearend/test/{document.pk}.pdf",
                                b"%PDF-1.7 " + document.kind.encode())
        YearEndDocument.objects.filter(pk=document.pk).update(
            pdf_status=YearEndDocument.PdfStatus.READY, pdf_file=name)
    # when / then: the stayer gets their P60
    login(page, uk_year["stayer"].user.email, password)
    data = _download(page, "P60 end of year certificate")
    assert data[:4] == b"%PDF"
    p60 = YearEndDocument.objects.get(kind=DocumentKind.P60)
    assert data == p60.pdf_file.open("rb").read()
    _sign_out(page)
    # and the leaver their P45
    login(page, uk_year["leaver"].user.email, password)
    data = _download(page, "P45 details of employee leaving work")
    assert data == YearEndDocument.objects.get(kind=DocumentKind.P45).pdf_file.open("rb").read()
