"""The directory's manager filter is the searchable employee picker the hire form uses
(issue 13 leftover): an input with htmx suggestions from employees:picker into a datalist,
filtering by the picked employee number."""

import pytest
from django.urls import reverse

from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db
URL = reverse("employees:directory")


def test_the_manager_filter_is_the_employee_picker(hr_admin, login):
    # given a manager with one report
    boss = EmployeeFactory(employee_number="B1", legal_first_name="Bea", legal_last_name="Boss")
    report = EmployeeFactory(manager=boss)
    client = login(hr_admin)
    # when the directory is opened
    page = client.get(URL).content.decode()
    # then the manager input asks the picker for suggestions, into its datalist, without
    # pushing the picker's URL into the history as the live search form does
    field = page[page.index('name="manager"') - 300:page.index('name="manager"') + 600]
    assert f'hx-get="{reverse("employees:picker")}"' in field
    assert 'list="id_manager-options"' in field and '<datalist id="id_manager-options">' in field
    assert 'hx-push-url="false"' in field
    # and the picker suggests the manager by name, giving the number the filter takes
    options = client.get(reverse("employees:picker"), {"manager": "bea bo"}).content.decode()
    assert 'value="B1"' in options
    listed = client.get(URL, {"manager": "B1"}).context["page"].object_list
    assert [e.pk for e in listed] == [report.pk]


def test_an_unknown_manager_number_lists_nobody(hr_admin, login):
    EmployeeFactory(manager=EmployeeFactory(employee_number="B2"))
    client = login(hr_admin)
    assert list(client.get(URL, {"manager": "NOPE"}).context["page"].object_list) == []
