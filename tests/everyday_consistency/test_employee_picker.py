"""The searchable employee picker (issue 13 item 7): suggestions by name or number through the
access gate with a flat query count; the hire form's manager is a number input with it, not a
select of every employee."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from employees.models import Employee
from lifecycle.forms import HireForm
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("employees:picker")


def _options(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_hr_finds_people_by_name_or_number_leavers_left_out(client, hr_staff):
    # given
    ada = EmployeeFactory(legal_first_name="Ada", legal_last_name="Quimby", employee_number="Q77")
    EmployeeFactory(legal_first_name="Ada", legal_last_name="Quill",
                    status=Employee.Status.TERMINATED)
    client.force_login(hr_staff)
    # when / then: by part of the name (the input sends its own name as the parameter)
    by_name = _options(client, manager="quim")
    assert f'value="{ada.employee_number}"' in by_name and "Ada Quimby" in by_name
    # by number, and the leaver is not offered
    assert 'value="Q77"' in _options(client, employee="q77")
    assert "Quill" not in _options(client, manager="Ada Qui")
    assert _options(client, manager="   ") == "\n" or "<option" not in _options(client, q="")


def test_a_manager_is_offered_only_the_people_they_may_see(client, org):
    # given a manager, their report and an unrelated peer with the same surname
    org.report.legal_last_name = org.peer.legal_last_name = "Zzyzx"
    org.report.save()
    org.peer.save()
    client.force_login(org.users["manager"])
    # when
    found = _options(client, manager="zzyzx")
    # then
    assert f'value="{org.report.employee_number}"' in found
    assert f'value="{org.peer.employee_number}"' not in found


def test_suggestions_take_the_same_queries_whatever_the_headcount(client):
    # given an HR user
    client.force_login(UserFactory(roles=[Role.HR_STAFF]))
    counts = []
    for people in (5, 50):
        # and N people whose names match
        for n in range(people - len(counts and range(5))):
            EmployeeFactory(legal_last_name=f"Matcher{people}{n:03d}")
        client.get(URL, {"manager": "matcher"})  # warm the session and role caches
        # when
        with CaptureQueriesContext(connection) as queries:
            found = _options(client, manager="matcher")
        counts.append(len(queries))
        # then at most ten are offered
        assert found.count("<option") == min(people, 10)
    # in the same number of queries
    assert counts[0] == counts[1]


def test_the_hire_form_takes_the_manager_by_number_and_renders_no_select(hr_staff):
    # given a current employee and a leaver
    boss = EmployeeFactory(employee_number="M100")
    gone = EmployeeFactory(employee_number="M200", status=Employee.Status.TERMINATED)
    # then the manager field is the picker input, not a select of everyone
    html = str(HireForm()["manager"])
    assert 'name="manager"' in html and "<select" not in html
    assert 'list="id_manager-options"' in html and reverse("employees:picker") in html
    # and it takes a number, refusing unknown numbers and leavers with a message
    assert HireForm().fields["manager"].clean("m100") == boss
    for number in ("NOPE", gone.employee_number):
        with pytest.raises(Exception) as error:
            HireForm().fields["manager"].clean(number)
        assert "No current employee has the number" in str(error.value)
