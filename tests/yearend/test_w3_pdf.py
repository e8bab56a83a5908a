"""Form W-3 as a PDF (it was on screen only): the W-2 totals of the year, for HR Admin and
Payroll Admin, audited; refused for a UK schedule and before any W-2 exists."""

import shutil
import subprocess

import pytest

from audit.models import AuditEvent
from tests.yearend.test_views import _client, us_year  # noqa: F401 (the fixture)
from yearend.models import YearEndDocument

pytestmark = pytest.mark.django_db


def test_w3_pdf_has_the_totals_of_the_w2s(us_year, client, payroll_admin, tmp_path):  # noqa: F811
    # given the two W-2s of tests/yearend/test_views.py::us_year (box 1: 7,600 + 5,000)
    schedule, _people = us_year
    _client(client, payroll_admin)
    page = client.get(f"/year-end/schedules/{schedule.pk}/2026/").content.decode()
    assert 'id="w3-pdf"' in page
    # when
    response = client.get(f"/year-end/schedules/{schedule.pk}/2026/w3.pdf")
    # then
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-"
    assert response["Content-Disposition"] == 'attachment; filename="W-3-2026.pdf"'
    assert AuditEvent.objects.filter(action="export", note__startswith="Form W-3 PDF 2026").exists()
    if shutil.which("pdftotext"):
        path = tmp_path / "w3.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "Form W-3" in text and "12600.00" in text and "12-3456789" in text
        assert "Acme Inc" in text


def test_w3_pdf_needs_w2s_and_a_us_schedule(us_year, client, payroll_admin, uk_year):  # noqa: F811
    schedule, _people = us_year
    _client(client, payroll_admin)
    YearEndDocument.objects.filter(schedule=schedule).delete()
    response = client.get(f"/year-end/schedules/{schedule.pk}/2026/w3.pdf")
    assert response.status_code == 302
    uk = uk_year["schedule"]
    assert client.get(f"/year-end/schedules/{uk.pk}/2025-26/w3.pdf").status_code == 404


def test_others_do_not_get_the_w3(us_year, client, hr_staff):  # noqa: F811
    schedule, _people = us_year
    _client(client, hr_staff)
    assert client.get(f"/year-end/schedules/{schedule.pk}/2026/w3.pdf").status_code == 404
