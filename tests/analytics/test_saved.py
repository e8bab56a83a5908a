"""Saved and scheduled reports: filters kept, emails with a link only (through delivery),
idempotent per day, report_export for automation."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.roles import Role
from analytics.models import SavedReport
from analytics.saved import saved_reports_send_due
from delivery.models import DeliveryItem
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(db):
    return UserFactory(email="analyst@example.test", roles=[Role.HR_ANALYST])


def _save(client, **extra):
    return client.post("/analytics/saved/", {
        "name": "Engineering trend", "kind": "workforce",
        "query": "as_of=2026-03-15&months=12&format=csv&evil=1", **extra})


def test_save_keeps_filters_and_lists_it(company, analyst, client):
    client.force_login(analyst)
    _save(client, query=f"as_of=2026-03-15&months=12&department={company.eng.pk}")
    report = SavedReport.objects.get()
    assert report.slug == "engineering-trend"
    assert report.params == {"as_of": "2026-03-15", "months": "12",
                             "department": str(company.eng.pk)}
    page = client.get("/analytics/saved/")
    assert b"engineering-trend" in page.content
    assert f"department={company.eng.pk}".encode() in page.content


def test_recipients_must_be_allowed_to_open_the_report(company, analyst, client):
    UserFactory(email="peer@example.test", roles=[Role.EMPLOYEE])
    client.force_login(analyst)
    _save(client, schedule="weekly", recipients="peer@example.test, nobody@example.test")
    assert not SavedReport.objects.exists()


def test_scheduled_email_has_a_link_and_no_data_and_is_sent_once(
        company, analyst, client, django_capture_on_commit_callbacks):
    # given: a weekly report to a second analyst
    UserFactory(email="second@example.test", roles=[Role.HR_ANALYST])
    client.force_login(analyst)
    _save(client, schedule="weekly", recipients="second@example.test")
    monday = date(2026, 3, 16)
    # when: the morning job runs twice on a Monday, and once on a Tuesday
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_reports_send_due(day=monday) == 1
    with django_capture_on_commit_callbacks(execute=True):
        saved_reports_send_due(day=monday)
        assert saved_reports_send_due(day=date(2026, 3, 17)) == 0
    # then: one delivery item, one email, with the link and none of the numbers
    assert DeliveryItem.objects.filter(kind="analytics.saved_report").count() == 1
    (message,) = mail.outbox
    assert message.to == ["second@example.test"]
    assert "/analytics/?as_of=2026-03-15&months=12" in message.body
    assert company.people.a.employee_number not in message.body
    assert not message.attachments


def test_only_the_owner_deletes(company, analyst, client):
    client.force_login(analyst)
    _save(client)
    report = SavedReport.objects.get()
    other = UserFactory(roles=[Role.HR_ANALYST])
    client.force_login(other)
    assert client.post(f"/analytics/saved/{report.pk}/delete/").status_code == 404
    client.force_login(analyst)
    client.post(f"/analytics/saved/{report.pk}/delete/")
    assert not SavedReport.objects.exists()


def test_report_export_prints_csv_and_json(company, analyst, client):
    client.force_login(analyst)
    _save(client)
    out = StringIO()
    call_command("report_export", "engineering-trend", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Month,Headcount,FTE")
    assert lines[-1].startswith("2026-03,4,3.500")
    out = StringIO()
    call_command("report_export", "engineering-trend", "--format", "json", "--table",
                 "tenure", "--as-of", "2026-03-15", stdout=out)
    assert json.loads(out.getvalue())[0] == {"Tenure": "< 1 year", "People": 2}
