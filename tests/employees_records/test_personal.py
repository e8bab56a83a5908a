from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from employees.models import EmergencyContact, Employee
from employees.services.personal import loaded_token
from tests.factories.employees_records import EmergencyContactFactory

pytestmark = pytest.mark.django_db


def _form_data(employee: Employee, **changes) -> dict:
    data = {
        "legal_first_name": employee.legal_first_name, "legal_last_name": employee.legal_last_name,
        "preferred_name": employee.preferred_name, "date_of_birth": "",
        "personal_email": employee.personal_email, "phone": employee.phone,
        "address_line1": "", "address_line2": "", "city": "", "region": "", "postal_code": "",
        "country": "", "version": employee.version, "loaded": loaded_token(employee),
    }
    return {**data, **changes}


def test_hr_edit_is_saved_and_audited_field_by_field(org, hr_staff, client_for):
    data = _form_data(org.report, phone="+44 20 7946 0000", city="Leeds",
                      date_of_birth="1990-05-17")
    response = client_for(hr_staff).post(reverse("employees:personal", args=[org.report.pk]),
                                         data)
    assert response.status_code == 302
    org.report.refresh_from_db()
    assert org.report.city == "Leeds" and org.report.date_of_birth == date(1990, 5, 17)
    event = AuditEvent.objects.get(object_type="employees.employee", action="update")
    assert event.changes["city"] == ["", "Leeds"]
    assert event.changes["phone"] == ["", "+44 20 7946 0000"]
    assert event.source == "form" and event.actor == hr_staff


def test_second_concurrent_save_is_refused_with_what_changed(org, hr_admin, hr_staff,
                                                             client_for):
    # given two HR users who opened the same form
    url = reverse("employees:personal", args=[org.report.pk])
    first = _form_data(org.report, city="Leeds")
    second = _form_data(org.report, city="York", phone="+44 1904 000000")
    assert client_for(hr_admin).post(url, first).status_code == 302
    # when the second saves from the stale version
    response = client_for(hr_staff).post(url, second)
    # then it is refused, naming the field and who changed it; nothing is overwritten
    assert response.status_code == 409
    assert "while you were editing" in response.text
    assert "hr.admin@example.test" in response.text
    assert "City" in response.text and "Leeds" in response.text
    org.report.refresh_from_db()
    assert org.report.city == "Leeds" and org.report.phone == ""
    assert org.report.version == 2


@pytest.mark.parametrize(("field", "value", "message"), [
    ("date_of_birth", "2999-01-01", "cannot be in the future"),
    ("phone", "call me", "Enter a phone number"),
    ("country", "England", "two-letter ISO"),
    ("personal_email", "not-an-email", "valid email"),
])
def test_bad_input_is_a_form_error(org, hr_admin, client_for, field, value, message):
    response = client_for(hr_admin).post(reverse("employees:personal", args=[org.report.pk]),
                                         _form_data(org.report, **{field: value}))
    assert response.status_code == 400
    assert message in response.text
    org.report.refresh_from_db()
    assert org.report.version == 1


def test_employee_edits_own_contact_details_through_portal(org, client_for):
    client = client_for(org.users["employee"])
    data = _form_data(org.report, address_line1="1 New Street", city="Bristol",
                      legal_first_name="Hacked")
    response = client.post(reverse("employees:personal", args=[org.report.pk]), data)
    assert response.status_code == 302
    org.report.refresh_from_db()
    assert org.report.city == "Bristol"
    assert org.report.legal_first_name != "Hacked"  # legal name is HR's to change
    event = AuditEvent.objects.get(object_type="employees.employee", action="update")
    assert event.source == "portal"


def test_manager_cannot_post_personal_details(org, client_for):
    response = client_for(org.users["manager"]).post(
        reverse("employees:personal", args=[org.report.pk]), _form_data(org.report, city="X"))
    assert response.status_code == 403


def test_emergency_contacts_add_edit_delete_with_one_primary(org, client_for):
    client = client_for(org.users["employee"])
    add = reverse("employees:contact_add", args=[org.report.pk])
    client.post(add, {"name": "Ana Report", "relationship": "Partner", "phone": "07700900123"})
    client.post(add, {"name": "Bo Report", "relationship": "Parent", "phone": "07700900124",
                      "is_primary": "on"})
    contacts = {c.name: c for c in EmergencyContact.objects.filter(employee=org.report)}
    assert contacts["Bo Report"].is_primary and not contacts["Ana Report"].is_primary
    edit = reverse("employees:contact_edit", args=[org.report.pk, contacts["Ana Report"].pk])
    client.post(edit, {"name": "Ana Report", "relationship": "Spouse", "phone": "07700900123"})
    client.post(reverse("employees:contact_delete",
                        args=[org.report.pk, contacts["Bo Report"].pk]))
    assert list(EmergencyContact.objects.filter(employee=org.report).values_list(
        "name", "relationship")) == [("Ana Report", "Spouse")]
    actions = list(AuditEvent.objects.filter(object_type="employees.emergencycontact")
                   .order_by("id").values_list("action", "source"))
    assert actions == [("create", "portal"), ("create", "portal"), ("update", "portal"),
                       ("delete", "portal")]


def test_contact_needs_a_phone(org, hr_admin, client_for):
    response = client_for(hr_admin).post(
        reverse("employees:contact_add", args=[org.report.pk]),
        {"name": "No Phone", "relationship": "Friend", "phone": ""})
    assert response.status_code == 400
    assert not EmergencyContact.objects.exists()


def test_other_employee_cannot_touch_contacts(org, client_for):
    contact = EmergencyContactFactory(employee=org.report)
    response = client_for(org.users["other"]).post(
        reverse("employees:contact_delete", args=[org.report.pk, contact.pk]))
    assert response.status_code == 404
    assert EmergencyContact.objects.filter(pk=contact.pk).exists()


def test_contact_edit_page_renders_for_hr(org, hr_staff, client_for):
    contact = EmergencyContactFactory(employee=org.report)
    response = client_for(hr_staff).get(
        reverse("employees:contact_edit", args=[org.report.pk, contact.pk]))
    assert response.status_code == 200
    assert contact.name in response.text


def test_personal_page_query_count(org, hr_admin, client_for, django_assert_max_num_queries):
    for _ in range(6):
        EmergencyContactFactory(employee=org.report, is_primary=False)
    client = client_for(hr_admin)
    # session + user + roles + MFA flag, employee with header, contacts, messages, the header's
    # "Leaving on" (latest employment)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("employees:personal", args=[org.report.pk])).status_code == 200
