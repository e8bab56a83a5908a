import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_reports_database_ok_without_login(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"},
                               "delivery": {"oldest_undelivered_seconds": None}}


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"


@pytest.mark.django_db
def test_healthz_checks_the_broker_when_configured(client, settings, redis_url):
    from tests.celery_broker import celery_on_broker

    settings.CELERY_BROKER_URL = redis_url
    with celery_on_broker(redis_url):
        ok = client.get(reverse("healthz"))
    with celery_on_broker("redis://127.0.0.1:1/0"):  # nothing listens on port 1
        down = client.get(reverse("healthz"))
    assert ok.json()["checks"]["broker"] == "ok"
    assert down.status_code == 503
    assert down.json()["checks"]["broker"] == "error"


def _table_counts() -> dict[str, int]:
    from django.apps import apps

    # The compliance summary's change markers are not data: every status refresh inserts one
    # (the summary is out of use until the next build deletes them), even when nothing changed.
    markers = {"compliance.ComplianceSummaryChange"}
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "employees", "audit", "lifecycle", "payroll",
                                     "compliance", "auth"} and model._meta.label not in markers
    }


@pytest.mark.django_db
def test_seed_demo_builds_a_company_and_is_idempotent():
    from employees.models import Department, Employee, Location

    # when
    call_command("seed_demo", stdout=StringIO())
    first = _table_counts()
    call_command("seed_demo", stdout=StringIO())
    # then: the second run changed nothing
    assert _table_counts() == first
    assert 190 <= Employee.objects.count() <= 220
    assert Department.objects.count() >= 8 and Location.objects.count() >= 4
    # a real hierarchy: a single top, several levels
    current = Employee.objects.exclude(status=Employee.Status.TERMINATED)
    assert current.filter(manager__isnull=True).count() == 1
    assert Employee.objects.filter(manager__manager__manager__isnull=False).exists()
    assert Employee.objects.filter(status=Employee.Status.PRE_HIRE).exists()
    assert Employee.objects.exclude(user=None).count() >= 6
    # payroll's upcoming runs have a little unpaid leave to deduct
    from payroll.models import UnpaidLeave

    assert UnpaidLeave.objects.count() == 2
    # and payment file details, so the demo's bank files can be made out of the box
    from payroll.models import PaySchedule
    from payroll.services.payment_details import originator

    uk, us = PaySchedule.objects.get(name="UK monthly"), PaySchedule.objects.get(name="US biweekly")
    assert originator(uk).iban.startswith("GB") and originator(us).odfi_routing == "021000021"
    # and two long-gone leavers give the retention dry run something to show (one under a hold)
    from compliance.services.retention import retention_report

    report = retention_report(today=date.today())
    assert [i["employee"] for i in report["employees"]] == ["Morgan Oldfield (E9001)"]
    assert [i["employee"] for i in report["employees_held"]] == ["Riley Hart (E9002)"]
    assert {i["employee_id"] for i in report["due"]} == {
        Employee.objects.get(employee_number="E9001").pk}


def test_check_deploy_passes_with_production_environment(tmp_path):
    env = {
        # Not the test-only OIDC provider (tests.env adds django-oauth-toolkit for SSO tests).
        **{k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DEBUG", "HROPS_TEST_OIDC"))},
        "DEBUG": "False",
        "SECRET_KEY": "x9" * 30 + "-production-grade-secret-key-for-the-check",
        "ALLOWED_HOSTS": "hrops.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check-deploy.sqlite3'}",  # per xdist worker
        "FIELD_ENCRYPTION_KEYS": "IlGnY4HMrwMZc1FUPw4TOcjglro89s_rcEHVyzXh9OY=",
        "SECURE_SSL_REDIRECT": "True",
        "EMAIL_URL": "smtp+tls://hrops:secret@mail.example.com:587",
    }
    env.pop("STATICFILES_BACKEND", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env["DEBUG"] = "False"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
