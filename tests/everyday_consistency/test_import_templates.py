"""Imports offer XLSX and CSV templates (issue 13 item 7): the same columns and example row."""

import pytest
from django.urls import reverse

from employees.services.imports import TEMPLATES, read_table

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_xlsx_and_csv_templates_hold_the_same_rows(kind, client, hr_admin):
    # given HR signed in (second factor counted as done)
    client.force_login(hr_admin)
    session = client.session
    session["hrops_mfa_enrolled"] = True
    session.save()
    # when both templates are downloaded
    xlsx = client.get(reverse("employees:import_template_xlsx", args=[kind]))
    csv = client.get(reverse("employees:import_template", args=[kind]))
    # then the workbook is a workbook, and it reads back as the CSV does
    assert xlsx.status_code == 200 and csv.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f'{kind}-import-template.xlsx' in xlsx["Content-Disposition"]
    rows = read_table("t.xlsx", xlsx.content)
    assert rows == read_table("t.csv", csv.content)
    assert rows[0] == list(TEMPLATES[kind][0])


def test_the_import_page_links_both_formats(client, hr_admin):
    client.force_login(hr_admin)
    session = client.session
    session["hrops_mfa_enrolled"] = True
    session.save()
    page = client.get(reverse("employees:import")).content.decode()
    assert reverse("employees:import_template_xlsx", args=["employees"]) in page
    assert reverse("employees:import_template", args=["changes"]) in page
