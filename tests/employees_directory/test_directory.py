import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from employees.models import Employee
from tests.downloads import built_file
from tests.factories import DepartmentFactory, EmployeeFactory, LocationFactory
from tests.factories.employees_directory import people, salary

pytestmark = pytest.mark.django_db
URL = reverse("employees:directory")


def names(response) -> list[str]:
    return [e.employee_number for e in response.context["page"].object_list]


def test_search_matches_name_preferred_name_email_and_number(hr_admin, login):
    # given
    jane = EmployeeFactory(legal_first_name="Janet", legal_last_name="Okafor",
                           preferred_name="Jay", employee_number="E777",
                           work_email="janet.o@acme.test")
    EmployeeFactory(legal_first_name="Bob", legal_last_name="Smith")
    client = login(hr_admin)
    # when / then: every kind of term finds her, and only her
    for term in ["okaf", "Jay", "janet.o@", "janet.o@acme.test", "JANET.O@ACME.TEST", "e777",
                 "janet okafor"]:
        assert names(client.get(URL, {"q": term})) == [jane.employee_number], term
    assert names(client.get(URL, {"q": "nobody-like-this"})) == []


def test_filters_by_department_location_status_type_and_manager(hr_admin, login):
    # given
    sales, london = DepartmentFactory(name="Sales"), LocationFactory(name="Leeds")
    boss = EmployeeFactory(employee_number="B1")
    a = EmployeeFactory(department=sales, location=london, manager=boss,
                        employment_type="part_time")
    EmployeeFactory(department=sales, status=Employee.Status.ON_LEAVE)
    EmployeeFactory(status=Employee.Status.TERMINATED)
    client = login(hr_admin)
    # when / then
    assert len(names(client.get(URL, {"department": sales.pk}))) == 2
    assert names(client.get(URL, {"location": london.pk})) == [a.employee_number]
    assert names(client.get(URL, {"employment_type": "part_time"})) == [a.employee_number]
    assert names(client.get(URL, {"manager": "b1"})) == [a.employee_number]
    assert len(names(client.get(URL, {"status": "on_leave"}))) == 1
    # leavers are hidden by default, shown on request
    assert len(names(client.get(URL))) == 3
    assert len(names(client.get(URL, {"status": "all"}))) == 4
    assert len(names(client.get(URL, {"status": "terminated"}))) == 1


def test_sorts_by_name_number_hire_date_and_department(hr_admin, login):
    # given
    a = EmployeeFactory(legal_last_name="Zed", employee_number="N1", hire_date=date(2020, 1, 1),
                        department=DepartmentFactory(name="Alpha"))
    b = EmployeeFactory(legal_last_name="Abe", employee_number="N2", hire_date=date(2022, 1, 1),
                        department=DepartmentFactory(name="Beta"))
    client = login(hr_admin)
    # then
    assert names(client.get(URL, {"sort": "name"})) == ["N2", "N1"]
    assert names(client.get(URL, {"sort": "number"})) == [a.employee_number, b.employee_number]
    assert names(client.get(URL, {"sort": "-hire_date"})) == ["N2", "N1"]
    assert names(client.get(URL, {"sort": "department"})) == ["N1", "N2"]
    # an unknown sort falls back to name instead of failing
    assert client.get(URL, {"sort": "salary"}).status_code == 200


def test_paginates_fifty_per_page(hr_admin, login):
    # given
    people(55)
    client = login(hr_admin)
    # when
    first, second = client.get(URL), client.get(URL, {"page": 2})
    # then
    assert len(names(first)) == 50 and len(names(second)) == 5
    assert client.get(URL, {"page": "999"}).status_code == 200  # clamps to the last page


def test_htmx_search_returns_only_the_results_partial(hr_admin, login):
    EmployeeFactory(legal_last_name="Partial")
    client = login(hr_admin)
    response = client.get(URL, {"q": "partial"}, headers={"HX-Request": "true",
                                                         "HX-Target": "results"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="results">') and "<html" not in body


def _page_queries(client, django_assert_max_num_queries, n):
    # 1 session, 2 user, 3 user's role groups, 4 count, 5 the page's ids (deferred join), 6 the
    # page of employees with department/location/job title/manager joined, 7-8 department and
    # location options of the filter form, 9-11 savepoint + session update + release (allauth's
    # user-session tracking), 12 the custom fields the viewer may filter on (customfields).
    with django_assert_max_num_queries(12) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == n
    return len(ctx.captured_queries)


def test_query_count_is_constant_whatever_the_page_size(hr_admin, login,
                                                        django_assert_max_num_queries):
    # given
    client = login(hr_admin)
    people(5)
    few = _page_queries(client, django_assert_max_num_queries, 5)
    people(55)
    many = _page_queries(client, django_assert_max_num_queries, 50)
    # then
    assert few == many


@pytest.mark.parametrize("who, status", [
    ("hr_admin", 200), ("hr_staff", 200), ("payroll_admin", 200),
    ("manager", 200), ("employee", 200), ("intern", 403), ("other", 403),
])
def test_who_may_open_the_directory(who, status, request, org, login):
    # "employee" manages the intern, so counts as a manager; the intern and "other" manage nobody
    user = request.getfixturevalue(who) if who.endswith(("admin", "staff")) else org.users[who]
    assert login(user).get(URL).status_code == status


def test_manager_sees_only_their_reports_and_themself(org, login):
    # "manager" has report and (through report) intern
    response = login(org.users["manager"]).get(URL)
    listed = set(names(response))
    assert listed == {org.manager.employee_number, org.report.employee_number,
                      org.intern.employee_number}


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_csv_export_follows_the_filters_and_shows_pay_to_hr(hr_admin, login):
    # given
    sales = DepartmentFactory(name="Sales")
    sold = EmployeeFactory(department=sales)
    salary(sold, "51000.00")
    EmployeeFactory()
    # when
    rows = _csv(login(hr_admin).get(reverse("employees:directory_export", args=["csv"]),
                                    {"department": sales.pk}))
    # then
    assert rows[0][0] == "Employee number" and "Annual salary" in rows[0]
    assert len(rows) == 2 and rows[1][0] == sold.employee_number
    assert rows[1][rows[0].index("Annual salary")] == "51000.00"


def test_manager_export_has_no_pay_columns(org, login):
    salary(org.report, "39000.00")
    rows = _csv(login(org.users["manager"]).get(
        reverse("employees:directory_export", args=["csv"])))
    assert "Annual salary" not in rows[0] and "Currency" not in rows[0]
    assert len(rows) == 4  # header + manager, report, intern
    assert "39000.00" not in str(rows)


def test_manager_granted_team_pay_gets_pay_columns(org, login):
    from django.contrib.auth.models import Permission

    org.users["manager"].user_permissions.add(
        Permission.objects.get(codename="view_team_compensation"))
    rows = _csv(login(org.users["manager"]).get(
        reverse("employees:directory_export", args=["csv"])))
    assert "Annual salary" in rows[0]


def test_xlsx_export(hr_admin, login):
    # the XLSX is built by a worker: the request answers with its progress page at once
    EmployeeFactory(employee_number="X1")
    client = login(hr_admin)
    data = built_file(client, client.get(reverse("employees:directory_export", args=["xlsx"])))
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Employee number" and rows[1][0] == "X1"


def test_employee_cannot_export(org, login):
    response = login(org.users["other"]).get(
        reverse("employees:directory_export", args=["csv"]))
    assert response.status_code == 403


def test_bad_filter_values_are_ignored_not_fatal(hr_admin, login):
    EmployeeFactory(legal_last_name="Keepme")
    EmployeeFactory(legal_last_name="Other")
    response = login(hr_admin).get(URL, {"q": "keepme", "department": "abc", "status": "zzz",
                                         "page": "x"})
    assert response.status_code == 200
    assert len(names(response)) == 1
    assert "department" in response.context["form"].errors
