"""Issue 13 item 12: custom fields on the employee record - defined by HR Admin in sections
(text, number, date, choice, yes/no), seen and edited as each field says, audited, in imports,
exports and directory filters."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from customfields.models import CustomField, CustomFieldValue
from customfields.services import custom_field_save, custom_values_set
from employees.models import Employee
from tests.employees_directory.test_imports import HEADER, csv_bytes, hire_row, run
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db


def _field(hr_admin, key, kind="text", **over):
    data = {"section": "Equipment", "label": key.replace("_", " ").title(), "key": key,
            "kind": kind, **over}
    return custom_field_save(acting_user=hr_admin, data=data)


@pytest.fixture
def fields(hr_admin):
    return {
        "shirt": _field(hr_admin, "shirt_size", "choice", choices=["S", "M", "L"],
                        manager_sees=True, employee_sees=True, employee_edits=True),
        "laptop": _field(hr_admin, "laptop_tag", manager_sees=True, manager_edits=True),
        "badge": _field(hr_admin, "badge_expiry", "date"),  # HR only
        "desk": _field(hr_admin, "desk_number", "number", section="Office"),
        "parking": _field(hr_admin, "parking", "yes_no", section="Office"),
    }


def _login(client, user):
    enrol_totp(user) if user.groups.filter(name__in=["HR Admin", "Payroll Admin"]).exists() \
        else None
    client.force_login(user)
    return client


# Definitions -----------------------------------------------------------------------------------

def test_only_hr_admin_defines_fields_and_definitions_are_audited(hr_admin, hr_staff):
    field = _field(hr_admin, "shirt_size", "choice", choices=["S", "M"])
    event = AuditEvent.objects.get(object_type="customfields.customfield")
    assert event.changes["key"] == [None, "shirt_size"]
    with pytest.raises(PermissionDenied):
        custom_field_save(acting_user=hr_staff, field=field, data={"label": "x"})


@pytest.mark.parametrize("data, message", [
    ({"kind": "choice", "choices": []}, "at least one choice"),
    ({"employee_edits": True, "employee_sees": False}, "must see it"),
])
def test_bad_definitions_are_refused(hr_admin, data, message):
    with pytest.raises(ValidationError, match=message):
        _field(hr_admin, "thing", **data)


def test_definitions_page_creates_a_field(client, hr_admin, hr_staff):
    client = _login(client, hr_admin)
    response = client.post(reverse("customfields:fields"), {
        "section": "Preferences", "label": "Dietary needs", "key": "diet", "kind": "choice",
        "choices_text": "None\nVegetarian\nVegan", "employee_sees": "on", "employee_edits": "on",
        "position": "0", "is_active": "on"})
    assert response.status_code == 302
    assert CustomField.objects.get(key="diet").choices == ["None", "Vegetarian", "Vegan"]
    assert _login(client, hr_staff).get(reverse("customfields:fields")).status_code == 403


# Values: who sees and edits --------------------------------------------------------------------

def test_values_are_parsed_validated_in_one_pass_and_audited(org, hr_staff, fields):
    # when: two bad values at once
    with pytest.raises(ValidationError) as exc:
        custom_values_set(acting_user=hr_staff, employee=org.report, raw={
            "cf_shirt_size": "XXL", "cf_desk_number": "twelve", "cf_badge_expiry": "2027-03-01"})
    assert set(exc.value.message_dict) == {"cf_shirt_size", "cf_desk_number"}
    assert not CustomFieldValue.objects.exists()
    # when: good values
    changes = custom_values_set(acting_user=hr_staff, employee=org.report, raw={
        "cf_shirt_size": "m", "cf_desk_number": "1,204", "cf_badge_expiry": "2027-03-01",
        "cf_parking": "Yes"})
    # then: canonical values, one audit event with before/after
    assert changes == {"cf_shirt_size": [None, "M"], "cf_desk_number": [None, "1204"],
                       "cf_badge_expiry": [None, "2027-03-01"], "cf_parking": [None, "yes"]}
    event = AuditEvent.objects.filter(employee_id=org.report.pk, note="custom fields").get()
    assert event.changes == changes


def test_required_fields_cannot_be_emptied(org, hr_admin, hr_staff):
    _field(hr_admin, "cost_code", required=True)
    with pytest.raises(ValidationError, match="required"):
        custom_values_set(acting_user=hr_staff, employee=org.report, raw={"cf_cost_code": ""})


def test_who_sees_what_on_the_more_details_tab(client, org, hr_staff, payroll_admin, fields):
    custom_values_set(acting_user=hr_staff, employee=org.report, raw={
        "cf_shirt_size": "L", "cf_laptop_tag": "LT-778", "cf_badge_expiry": "2027-03-01"})
    url = reverse("customfields:employee", args=[org.report.pk])

    def shown(user) -> set[str]:
        response = _login(client, user).get(url)
        assert response.status_code == 200
        return {item.field.key for _s, items in response.context["sections"] for item in items}

    assert shown(hr_staff) == {"shirt_size", "laptop_tag", "badge_expiry", "desk_number",
                               "parking"}
    assert shown(org.users["manager"]) == {"shirt_size", "laptop_tag"}
    assert shown(org.users["employee"]) == {"shirt_size"}
    assert shown(payroll_admin) == set()
    # an unrelated colleague may not open the record at all
    assert _login(client, org.users["other"]).get(url).status_code == 404


def test_employee_edits_only_what_the_field_allows(client, org, fields):
    client = _login(client, org.users["employee"])
    url = reverse("customfields:employee", args=[org.report.pk])
    assert client.post(url, {"cf_shirt_size": "S"}).status_code == 302
    assert CustomFieldValue.objects.get(field=fields["shirt"]).value == "S"
    # the service refuses a field the employee may not edit, whatever the form says
    with pytest.raises(PermissionDenied):
        custom_values_set(acting_user=org.users["employee"], employee=org.report,
                          raw={"cf_laptop_tag": "mine"})


def test_manager_edits_their_reports_laptop_tag_but_not_a_strangers(org, fields):
    custom_values_set(acting_user=org.users["manager"], employee=org.report,
                      raw={"cf_laptop_tag": "LT-1"})
    with pytest.raises(PermissionDenied):
        custom_values_set(acting_user=org.users["manager"], employee=org.peer,
                          raw={"cf_laptop_tag": "LT-2"})


def test_hr_on_their_own_record_has_an_employees_rights(hr_staff, fields):
    from tests.factories import EmployeeFactory

    me = EmployeeFactory(user=hr_staff)
    with pytest.raises(PermissionDenied):
        custom_values_set(acting_user=hr_staff, employee=me, raw={"cf_badge_expiry": "2030-01-01"})


# Directory filter and export -------------------------------------------------------------------

def test_directory_filters_by_a_custom_field(client, org, hr_staff, fields):
    custom_values_set(acting_user=hr_staff, employee=org.report, raw={"cf_shirt_size": "L"})
    custom_values_set(acting_user=hr_staff, employee=org.peer, raw={"cf_shirt_size": "S"})
    client = _login(client, hr_staff)
    page = client.get(reverse("employees:directory"),
                      {"custom_field": "shirt_size", "custom_value": "l"}).context["page"]
    assert list(page.object_list) == [org.report]
    # the manager may filter on fields managers see only
    manager = _login(client, org.users["manager"])
    form = manager.get(reverse("employees:directory")).context["form"]
    assert dict(form.fields["custom_field"].choices).keys() == {"", "shirt_size", "laptop_tag"}


def test_export_has_the_custom_columns_the_viewer_may_see(client, org, hr_staff, fields,
                                                          django_assert_max_num_queries):
    custom_values_set(acting_user=hr_staff, employee=org.report,
                      raw={"cf_shirt_size": "L", "cf_badge_expiry": "2027-03-01"})
    client = _login(client, hr_staff)
    response = client.get(reverse("employees:directory_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header = rows[0]
    assert {"Shirt Size", "Badge Expiry", "Desk Number"} <= set(header)
    by_number = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_number[org.report.employee_number]["Shirt Size"] == "L"
    assert by_number[org.report.employee_number]["Badge Expiry"] == "2027-03-01"
    assert by_number[org.peer.employee_number]["Shirt Size"] == ""
    # a manager's export has only the fields managers see
    manager_rows = list(csv.reader(io.StringIO(b"".join(_login(client, org.users["manager"]).get(
        reverse("employees:directory_export", args=["csv"])).streaming_content).decode())))
    assert "Badge Expiry" not in manager_rows[0] and "Shirt Size" in manager_rows[0]


# Import ----------------------------------------------------------------------------------------

def test_import_takes_custom_columns_and_reports_their_errors_with_the_others(hr_admin, fields):
    from tests.factories import (
        DepartmentFactory,
        EmployeeFactory,
        JobTitleFactory,
        LocationFactory,
        PayScheduleFactory,
    )

    PayScheduleFactory()
    DepartmentFactory(name="Engineering", code="ENG")
    LocationFactory(name="London")
    JobTitleFactory(name="Engineer")
    EmployeeFactory(employee_number="B001")
    header = HEADER + ",cf_shirt_size,cf_desk_number"
    # when: a bad custom value and a bad standard value in one file
    bad = run(hr_admin, csv_bytes(hire_row("N1") + ",XXL,12",
                                  hire_row("N2", email="not-an-email") + ",M,x", header=header))
    # then: every error at once, the custom ones named by column
    assert {(e.row, e.column) for e in bad.errors} >= {(2, "cf_shirt_size"),
                                                       (3, "cf_desk_number"), (3, "work_email")}
    # when: a good file is committed
    good = run(hr_admin, csv_bytes(hire_row("N1") + ",m,12", header=header), commit=True)
    assert good.committed
    n1 = Employee.objects.get(employee_number="N1")
    assert dict(CustomFieldValue.objects.filter(employee=n1)
                .values_list("field__key", "value")) == {"shirt_size": "M", "desk_number": "12"}
