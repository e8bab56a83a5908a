"""Subject-access ZIP with payroll's hook: the person's finalised payslips and their PDFs."""

import hashlib
import json
from datetime import date

import pytest
from django.core.files.storage import default_storage

from compliance.services import exports
from payroll.models import Payslip
from payroll.services.payslips import payslip_render
from tests.factories.payroll_history import paid_on

pytestmark = pytest.mark.django_db


def test_zip_has_own_finalised_payslips_and_pdfs_only(org, subject_access_zip):
    # given two finalised runs (one PDF rendered) paying the person and a colleague, and a draft
    may = paid_on([org.report, org.peer], pay_date=date(2026, 5, 29))
    june = paid_on([org.report, org.peer], pay_date=date(2026, 6, 30))
    paid_on([org.report], pay_date=date(2026, 7, 31), finalise=False)
    for payslip in Payslip.objects.filter(run=may):
        assert payslip_render(payslip.pk) == Payslip.PdfStatus.READY
    own_may = may.payslips.get(employee=org.report)
    own_june = june.payslips.get(employee=org.report)
    # when
    files = subject_access_zip(org.report)
    data = json.loads(files["data.json"])
    # then the person's two finalised payslips, newest first, and no one else's
    numbers = [p["number"] for p in data["payroll"]["payslips"]]
    assert numbers == [own_june.display_number, own_may.display_number]
    assert [p["pay_date"] for p in data["payroll"]["payslips"]] == ["2026-06-30", "2026-05-29"]
    # and exactly one PDF: the person's rendered May payslip, byte for byte
    pdfs = [n for n in files if n.startswith("files/payroll/")]
    assert pdfs == [f"files/payroll/2026-05-29-{own_may.display_number}.pdf"]
    own_may.refresh_from_db()
    assert hashlib.sha256(files[pdfs[0]]).hexdigest() == own_may.pdf_sha256
    assert data["payroll"]["payslips"][1]["pdf_file"] == pdfs[0]
    # storage paths stay out of data.json
    assert "files" not in data["payroll"] and "payslips/" not in files["data.json"].decode()


def test_a_missing_pdf_does_not_fail_the_export(org, subject_access_zip):
    run = paid_on([org.report], pay_date=date(2026, 5, 29))
    payslip = run.payslips.get()
    payslip_render(payslip.pk)
    payslip.refresh_from_db()
    default_storage.delete(payslip.pdf_file.name)
    files = subject_access_zip(org.report)
    assert not [n for n in files if n.startswith("files/payroll/")]
    assert len(json.loads(files["data.json"])["payroll"]["payslips"]) == 1


@pytest.mark.parametrize(("name", "ok"), [
    ("files/payroll/a.pdf", True), ("data.json", False), ("files/../data.json", False),
    ("/files/x.pdf", False), ("files//x.pdf", False), ("files/payroll/", False),
])
def test_hook_archive_names_stay_under_files(name, ok):
    assert exports._archive_name_ok(name) is ok


def test_a_broken_hook_is_an_error_not_a_missing_hook(monkeypatch):
    from compliance import hooks

    assert hooks.app_hook("audit", "privacy") is None  # no such hook: skipped
    assert hooks.app_hook("payroll", "privacy") is not None

    def broken(name):
        raise ModuleNotFoundError("No module named 'somelib'", name="somelib")

    monkeypatch.setattr(hooks, "import_module", broken)
    with pytest.raises(ModuleNotFoundError):
        hooks.app_hook("payroll", "privacy")
