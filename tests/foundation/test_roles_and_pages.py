import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import EmployeeFactory, UserFactory
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db


def test_roles_exist_as_groups():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


def test_staff_home_is_for_hr_and_payroll(client, hr_staff):
    client.force_login(hr_staff)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Headcount" in response.content.decode()


def test_employee_is_sent_from_staff_home_to_portal(client):
    user = UserFactory(roles=[Role.EMPLOYEE])
    EmployeeFactory(user=user)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_portal_shows_own_record(client):
    user = UserFactory(roles=[Role.EMPLOYEE])
    me = EmployeeFactory(user=user, legal_first_name="Zelda", preferred_name="Zee")
    client.force_login(user)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert "Hello, Zee" in response.content.decode()
    assert me.employee_number in response.content.decode()


def test_portal_without_employee_record_explains_itself(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("portal:home"))
    assert "not linked to an employee record" in response.content.decode()


def test_navigation_depends_on_role(client, hr_admin):
    employee = UserFactory(roles=[Role.EMPLOYEE])
    client.force_login(employee)
    nav = client.get(reverse("portal:home")).context["nav_items"]
    assert [str(i.label) for i in nav] == ["My portal"]
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    labels = [str(i.label) for i in client.get(reverse("portal:home")).context["nav_items"]]
    assert "Home" in labels and "Admin" in labels


def test_django_admin_refuses_non_staff(client):
    user = UserFactory(roles=[Role.EMPLOYEE])
    client.force_login(user)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_friendly_404_page(client, hr_staff):
    client.force_login(hr_staff)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "couldn" in response.content.decode()


def test_friendly_500_page_stands_alone():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html


def test_htmx_is_served_from_static_not_a_cdn(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "/static/vendor/htmx.min.js" in html
    assert "unpkg" not in html and "cdn" not in html.lower()
