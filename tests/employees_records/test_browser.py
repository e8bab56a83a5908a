"""The reveal button in a real browser: htmx swaps the masked value for the full one under the
strict CSP (no inline script), and the reveal is audited."""

import pytest

from audit.models import AuditEvent
from employees.services.bank import national_id_set
from tests.browser import login
from tests.mfa import enrol_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_admin_reveals_national_id_in_place(page, org, hr_admin, password):
    national_id_set(acting_user=hr_admin, employee=org.report, country="GB", value="AB123456C")
    secret = enrol_totp(hr_admin)
    login(page, hr_admin.email, password, totp_secret=secret)
    page.goto(f"/employees/{org.report.pk}/bank/")
    assert page.inner_text("#nid") == "•••• 456C"
    page.click("#nid + form button")
    page.wait_for_selector("#nid code.secret-value")
    assert page.inner_text("#nid") == "AB 12 34 56 C"
    assert page.url.endswith(f"/employees/{org.report.pk}/bank/")  # swapped, not navigated
    assert AuditEvent.objects.filter(action="reveal", actor=hr_admin).count() == 1
