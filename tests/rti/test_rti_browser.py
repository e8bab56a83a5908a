"""In a real browser: a Payroll Admin goes from "Taxes to pay" to the month's pay run, prepares
and downloads the FPS, and records HMRC's acceptance."""

from datetime import date

import pytest
from lxml import etree

from accounts.roles import Role
from rti import govtalk
from rti.models import RtiSubmission
from tests.browser import login
from tests.factories import UserFactory
from tests.factories.liabilities import finalised_payslips
from tests.mfa import enrol_totp

from .conftest import pay, person


@pytest.mark.browser
def test_payroll_admin_downloads_the_fps_and_records_the_answer(page, password, employer):
    # given a finalised April 2026 (tax month 1) for one employee with every detail HMRC needs
    admin = UserFactory(email="rti@example.test", roles=[Role.PAYROLL_ADMIN])
    secret = enrol_totp(admin)
    alice = person("Alice", "Able", nino="AB123456C")
    run = finalised_payslips(employer, date(2026, 4, 30), [
        {"employee": alice, **pay("3000.00", "390.40", "156.16", "387.45")}],
        period=(date(2026, 4, 1), date(2026, 4, 30)))
    login(page, admin.email, password, totp_secret=secret)

    # when they go from Taxes to pay to the employer's RTI and the run's FPS
    page.goto("/")
    page.click("nav >> text=Taxes to pay")
    page.click("text=Acme Ltd")
    page.click("#rti-link")
    page.click(f"a[href='/payroll/rti/run/{run.pk}/']")
    page.click("#rti-prepare")
    page.wait_for_load_state("networkidle")
    assert page.locator("#rti-status-value").inner_text() == "Draft"

    # then the FPS downloads, with Alice's year to date and a valid IRmark
    with page.expect_download() as download_info:
        page.click("#rti-download")
    with open(download_info.value.path(), "rb") as handle:
        data = handle.read()
    assert govtalk.verify(data)
    assert b"<TaxablePay>3000.00</TaxablePay>" in data and b"<NINO>AB123456C</NINO>" in data
    assert etree.fromstring(data).findtext(f"{{{govtalk.ENVELOPE_NS}}}Header/"
                                           f"{{{govtalk.ENVELOPE_NS}}}MessageDetails/"
                                           f"{{{govtalk.ENVELOPE_NS}}}Class") == "HMRC-PAYE-RTI-FPS"

    # and recording HMRC's acceptance shows it on the page
    page.reload()
    page.select_option("select[name=outcome]", "accepted")
    page.fill("input[name=correlation_id]", "0123456789ABCDEF0123456789ABCDEF")
    page.click("#rti-answer button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#rti-status-value").inner_text() == "Accepted by HMRC"
    assert RtiSubmission.objects.get().correlation_id == "0123456789ABCDEF0123456789ABCDEF"
