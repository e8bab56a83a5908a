"""Every report can be saved, scheduled and exported (analytics.catalogue), with the report's
own privacy rule: who may save it, receive it and, for report_export, whether its owner may
still open it."""

import json
from datetime import date
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.roles import Role
from analytics.catalogue import KINDS, may_open
from analytics.models import SavedReport
from analytics.saved import saved_reports_send_due
from tests.factories import UserFactory
from tests.factories.employees import EmployeeFactory
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db
QUERIES = {
    "workforce": "months=12", "pay": "currency=GBP", "pay_gap": "year=2026&sector=private",
    "eeo1": "as_of=2026-10-15", "absence": "first=2026-01-01&last=2026-03-31",
    "coverage": "months=12",
}
HEADERS = {
    "workforce": "Month,Headcount,FTE", "pay": "Department (",
    "pay_gap": "Figure,Value", "eeo1": "Job category,", "absence": "Department,People,",
    "coverage": "Month,Required,Compliant,Coverage %",
}


@pytest.fixture
def admin(hr_admin):
    enrol_totp(hr_admin)
    return hr_admin


def _save(client, kind, **extra):
    return client.post("/analytics/saved/", {"name": f"My {kind}", "kind": kind,
                                             "query": QUERIES[kind] + "&format=csv", **extra})


@pytest.mark.parametrize("kind", sorted(QUERIES))
def test_every_report_saves_and_exports(kind, admin, client):
    # given: HR Admin saves the report with its filters (format is not a filter)
    client.force_login(admin)
    _save(client, kind)
    report = SavedReport.objects.get(kind=kind)
    assert "format" not in report.params and report.params
    # when: report_export prints it, as CSV and as JSON
    out = StringIO()
    call_command("report_export", report.slug, stdout=out)
    as_json = StringIO()
    call_command("report_export", report.slug, "--format", "json", stdout=as_json)
    # then: the report's first table, header first; the link opens the report's own page
    assert out.getvalue().startswith(HEADERS[kind])
    assert isinstance(json.loads(as_json.getvalue()), list)
    page = client.get("/analytics/saved/")
    assert page.status_code == 200 and report.slug.encode() in page.content


def test_who_may_open_each_report():
    analyst = UserFactory(roles=[Role.HR_ANALYST])
    admin = UserFactory(roles=[Role.HR_ADMIN])
    manager = EmployeeFactory(user=UserFactory(roles=[Role.MANAGER, Role.EMPLOYEE])).user
    EmployeeFactory(manager=manager.employee)
    opens = {kind: (may_open(admin, kind), may_open(analyst, kind), may_open(manager, kind))
             for kind in KINDS}
    assert opens == {
        "workforce": (True, True, True), "absence": (True, True, True),
        "pay": (True, True, False), "coverage": (True, True, False),
        "pay_gap": (True, False, False), "eeo1": (True, False, False)}


def test_an_analyst_cannot_save_or_receive_eeo1_or_the_pay_gap(admin, client):
    analyst = UserFactory(email="analyst@example.test", roles=[Role.HR_ANALYST])
    client.force_login(analyst)
    _save(client, "eeo1")
    _save(client, "pay_gap")
    assert not SavedReport.objects.exists()
    client.force_login(admin)
    _save(client, "eeo1", schedule="monthly", recipients="analyst@example.test")
    assert not SavedReport.objects.exists()  # the analyst may not receive it either


def test_scheduled_absence_report_is_a_link(admin, client, django_capture_on_commit_callbacks):
    UserFactory(email="second@example.test", roles=[Role.HR_ANALYST])
    client.force_login(admin)
    _save(client, "absence", schedule="monthly", recipients="second@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_reports_send_due(day=date(2026, 4, 1)) == 1
    (message,) = mail.outbox
    # the saved filters' order is the database's (PostgreSQL's jsonb orders keys by length)
    [link] = [line for line in message.body.splitlines() if "/analytics/absence/?" in line]
    parts = urlsplit(link.strip())
    assert parts.path == "/analytics/absence/"
    assert parse_qs(parts.query) == {"first": ["2026-01-01"], "last": ["2026-03-31"]}
    assert not message.attachments


def test_export_refuses_an_owner_who_lost_access(admin, client):
    # given: an analyst's saved pay report; the analyst then loses the role
    analyst = UserFactory(roles=[Role.HR_ANALYST])
    client.force_login(analyst)
    _save(client, "pay")
    report = SavedReport.objects.get()
    analyst.groups.clear()
    # when / then: no data, a clear error
    with pytest.raises(CommandError, match="may no longer open"):
        call_command("report_export", report.slug, stdout=StringIO())


def test_export_names_the_tables_of_a_report(admin, client):
    client.force_login(admin)
    _save(client, "coverage")
    with pytest.raises(CommandError, match="Tables of this report: coverage"):
        call_command("report_export", SavedReport.objects.get().slug, "--table", "trend",
                     stdout=StringIO())
