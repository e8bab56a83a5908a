"""Employee pay setup pages: HR and Payroll only (managers never, not even the employee)."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import Role
from payroll.models import EmployeePayItem, PayComponent, TaxProfile
from tests.payroll_runs.helpers import login

pytestmark = pytest.mark.django_db


def test_setup_page_permission_matrix(client, org, payroll_admin, hr_admin, hr_staff):
    target = org.report
    url = reverse("payroll:employee_setup", args=[target.pk])
    for user in (payroll_admin, hr_admin):
        login(client, user)
        assert client.get(url).status_code == 200
    # HR Staff sees no tax setup by default (issue 12); the Payroll Viewer grant opens it
    login(client, hr_staff)
    assert client.get(url).status_code == 404
    hr_staff.groups.add(Group.objects.get(name=Role.PAYROLL_VIEWER))
    assert client.get(url).status_code == 200
    # manager-of, manager-not-of, self, other employee: the page does not exist for them
    for who in ("manager", "boss", "employee", "other", "intern"):
        login(client, org.users[who])
        assert client.get(url).status_code == 404, who
        post = client.post(reverse("payroll:tax_profile_save", args=[target.pk, "UK"]),
                           {"UK-tax_code": "1257L"})
        assert post.status_code == 404, who
    # HR Staff may look but not change
    login(client, hr_staff)
    assert client.post(reverse("payroll:tax_profile_save", args=[target.pk, "UK"]),
                       {"UK-tax_code": "1257L"}).status_code == 403


def _uk_post(**overrides):
    data = {"UK-tax_code": "1257L", "UK-ni_category": "A", "UK-starter_declaration": "B",
            "UK-w4_form_year": "2020", "UK-filing_status": "single", "UK-marital_status": "single",
            "UK-allowances": "0", "UK-step3_credits": "0", "UK-step4a_other_income": "0",
            "UK-step4b_deductions": "0", "UK-step4c_extra_withholding": "0",
            "UK-extra_withholding": "0"}
    data.update({f"UK-{k}": v for k, v in overrides.items()})
    return data


def test_tax_profile_saves_and_rejects_bad_codes(client, org, payroll_admin):
    login(client, payroll_admin)
    url = reverse("payroll:tax_profile_save", args=[org.report.pk, "UK"])
    bad = client.post(url, _uk_post(tax_code="12X57", ni_category="Q"))
    assert bad.status_code == 400
    assert not TaxProfile.objects.exists()
    good = client.post(url, _uk_post(tax_code=" s1257l ", week1_month1="on"))
    assert good.status_code == 302
    profile = TaxProfile.objects.get(employee=org.report, jurisdiction="UK")
    assert (profile.tax_code, profile.week1_month1, profile.starter_declaration) == (
        "S1257L", True, "B")


def test_recurring_items_add_validate_and_remove(client, org, payroll_admin):
    pension = PayComponent.objects.create(code="PENSION", name="Pension",
                                          kind="pre_tax_deduction",
                                          calculation="percent_of_base")
    login(client, payroll_admin)
    url = reverse("payroll:pay_item_add", args=[org.report.pk])
    bad = client.post(url, {"component": pension.pk, "percent": "5",
                            "effective_from": "2026-05-01", "effective_to": "2026-04-01"})
    assert bad.status_code == 400
    ok = client.post(url, {"component": pension.pk, "percent": "5",
                           "effective_from": "2026-04-01"})
    assert ok.status_code == 302
    item = EmployeePayItem.objects.get(employee=org.report)
    assert item.effective_from == date(2026, 4, 1)
    client.post(reverse("payroll:pay_item_delete", args=[org.report.pk, item.pk]))
    assert not EmployeePayItem.objects.exists()
