"""Retention report with payroll's hook: payroll records are listed for action outside the
purge (report only), marked when a legal hold covers the person, and never purged."""

from datetime import date

import pytest
from django.urls import reverse

from compliance.services.retention import legal_hold_place, purge_execute, purge_propose
from employees.models import Employee
from payroll.models import Payslip
from tests.factories import EmployeeFactory
from tests.factories.payroll_history import paid_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def payroll_leaver():
    person = EmployeeFactory(hire_date=date(2012, 1, 9), status=Employee.Status.TERMINATED,
                             termination_date=date(2018, 9, 30))
    paid_on([person], pay_date=date(2018, 9, 28), country="GB")
    return person


def test_payroll_records_are_external_and_never_purged(hr_admin, payroll_leaver):
    # when a dry run is made and approved
    run = purge_propose(acting_user=hr_admin, today=date(2026, 1, 5))
    [item] = run.report["external"]
    assert item["employee_id"] == payroll_leaver.pk and item["held"] is False
    assert item["tax_year"] == "2018-19" and item["due_on"] == "2022-04-06"
    run = purge_execute(acting_user=hr_admin, run=run, today=date(2026, 1, 5))
    # then the finalised payslip is still there
    assert Payslip.objects.filter(employee=payroll_leaver).count() == 1
    assert run.result["deleted"] == [] and run.result["anonymised"] == []


def test_legal_hold_marks_payroll_records_held(hr_admin, payroll_leaver):
    legal_hold_place(acting_user=hr_admin, employee=payroll_leaver, reason="Pay claim")
    run = purge_propose(acting_user=hr_admin, today=date(2026, 1, 5))
    assert [i["held"] for i in run.report["external"]] == [True]


def test_purge_page_says_payroll_records_are_outside_the_purge(hr_admin, payroll_leaver,
                                                               login):
    run = purge_propose(acting_user=hr_admin, today=date(2026, 1, 5))
    client = login(hr_admin)
    body = client.get(reverse("compliance:purge_run", args=[run.pk])).content.decode()
    assert "outside the automated purge" in body
    assert "finalised payslips are never deleted" in body
    assert payroll_leaver.employee_number in body and "2022-04-06" in body
    csv = client.get(reverse("compliance:purge_run", args=[run.pk]) + "?format=csv")
    # (the leaver is also due for anonymisation under the default employee-record rule)
    [row] = [r for r in csv.content.decode("utf-8-sig").splitlines()[1:] if "2018-19" in r]
    assert row.endswith(",external")


def test_a_long_dry_run_page_shows_the_first_rows_and_the_export_has_all(hr_admin, login,
                                                                         monkeypatch):
    # given a dry run listing more payroll items than the page shows
    from compliance.models import PurgeRun
    from compliance.views import policies

    monkeypatch.setattr(policies, "PURGE_PAGE_ROWS", 3)
    items = [{"kind": "payroll", "label": f"Payroll record {n:02d}", "employee_id": n,
              "due_on": "2025-04-06", "held": False} for n in range(7)]
    run = PurgeRun.objects.create(as_of=date(2026, 1, 5), created_by=hr_admin,
                                  report={"due": [], "held": [], "external": items})
    client = login(hr_admin)
    # when
    body = client.get(reverse("compliance:purge_run", args=[run.pk])).content.decode()
    csv = client.get(reverse("compliance:purge_run", args=[run.pk]) + "?format=csv")
    # then the page has the total, the first 3 rows and says where the rest are
    assert "(7)" in body and "Payroll record 02" in body and "Payroll record 03" not in body
    assert "first 3 rows" in body
    assert len(csv.content.decode("utf-8-sig").splitlines()[1:]) == 7
