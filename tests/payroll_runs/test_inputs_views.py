"""The inputs grid: permissions, employee picker, row edits by htmx, messages, paste, queries."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from payroll.models import PayComponent, RunInput
from payroll.services.inputs import run_input_set
from payroll.services.runs import run_create
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def bonus(db):
    return PayComponent.objects.create(code="BONUS", name="Bonus", kind="earning")


@pytest.fixture
def draft(uk_schedule, uk_staff, payroll_admin):
    return run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                      acting_user=payroll_admin)


def _url(name, run):
    return reverse(f"payroll:{name}", args=[run.pk])


def test_permissions_on_the_inputs_pages(client, draft, payroll_admin, hr_admin, org, bonus):
    pages = [_url("run_inputs", draft), _url("run_input_employees", draft) + "?employee_number=a"]
    posts = [_url("run_input_save", draft), _url("run_inputs_paste", draft),
             _url("run_inputs_import", draft)]
    for user in (payroll_admin, hr_admin):
        login(client, user)
        assert all(client.get(url).status_code == 200 for url in pages), user
    # HR may look but not change
    login(client, hr_admin)
    assert all(client.post(url, {}).status_code == 403 for url in posts)
    assert "Add an input" not in client.get(pages[0]).content.decode()
    # managers, the employee and others: the pages do not exist for them
    for who in ("manager", "employee", "other"):
        login(client, org.users[who])
        assert all(client.get(url).status_code == 404 for url in pages), who
        assert all(client.post(url, {}).status_code == 404 for url in posts), who


def test_picker_suggests_people_of_this_run_by_name_or_number(client, draft, uk_staff, org,
                                                              payroll_admin):
    login(client, payroll_admin)
    target = uk_staff[0]
    url = _url("run_input_employees", draft)
    # by a piece of the last name
    body = client.get(url, {"employee_number": target.legal_last_name[:4]}).content.decode()
    assert f'<option value="{target.employee_number}">' in body
    # by the start of the number
    body = client.get(url, {"employee_number": target.employee_number[:-1]}).content.decode()
    assert target.employee_number in body
    # someone not paid in this run is never offered
    body = client.get(url, {"employee_number": org.peer.employee_number}).content.decode()
    assert org.peer.employee_number not in body


def test_add_by_picker_text_then_edit_the_row_by_htmx(client, draft, uk_staff, payroll_admin,
                                                     bonus):
    login(client, payroll_admin)
    employee = uk_staff[0]
    # when an input is added with the picker's "Name (number)" text
    response = client.post(_url("run_input_save", draft), {
        "employee_number": f"{employee.display_name} ({employee.employee_number})",
        "component": bonus.pk, "amount": "250"}, follow=True)
    # then it is saved, with a success message
    ri = RunInput.objects.get(run=draft)
    assert (ri.employee, ri.amount) == (employee, Decimal("250.00"))
    assert "Saved: BONUS for" in response.content.decode()
    # when a second bonus is added by the unique full name, the message says both are paid
    response = client.post(_url("run_input_save", draft), {
        "employee_number": employee.display_name, "component": bonus.pk, "amount": "100"},
        follow=True)
    assert "They have 2 BONUS inputs in this run; all of them are paid." in (
        response.content.decode())
    # when the first row is changed by htmx: the row comes back with an out-of-band message
    response = client.post(_url("run_input_save", draft), {"input": ri.pk, "amount": "300"},
                           HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and f'id="input-{ri.pk}"' in body
    assert 'hx-swap-oob="true"' in body and "Saved: BONUS" in body
    ri.refresh_from_db()
    assert ri.amount == Decimal("300.00")
    # a bad value: 422 with the reason inside the row, nothing changed
    response = client.post(_url("run_input_save", draft), {"input": ri.pk, "amount": "-5"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "does not allow negative amounts" in response.content.decode()
    ri.refresh_from_db()
    assert ri.amount == Decimal("300.00")
    # emptying the row removes it
    response = client.post(_url("run_input_save", draft), {"input": ri.pk},
                           HTTP_HX_REQUEST="true")
    assert "Input removed." in response.content.decode()
    assert not RunInput.objects.filter(pk=ri.pk).exists()


def test_bad_additions_are_refused_with_a_specific_message(client, draft, uk_staff, org,
                                                           payroll_admin, bonus, uk_schedule):
    login(client, payroll_admin)
    cases = [
        ({"employee_number": "NOBODY", "component": bonus.pk, "amount": "1"},
         "No employee has the number or name NOBODY"),
        ({"employee_number": org.peer.employee_number, "component": bonus.pk, "amount": "1"},
         "is not paid in this run"),
        ({"employee_number": uk_staff[0].employee_number, "amount": "1"},
         "Choose a component"),
        ({"employee_number": uk_staff[0].employee_number, "component": bonus.pk,
          "amount": "-1"}, "BONUS does not allow negative amounts"),
        ({"employee_number": uk_staff[0].employee_number, "component": bonus.pk,
          "amount": "1.234"}, "Ensure that there are no more than 2 decimal places"),
    ]
    for data, message in cases:
        response = client.post(_url("run_input_save", draft), data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    assert not RunInput.objects.exists()


def test_an_ambiguous_name_asks_to_pick_from_the_list(client, draft, uk_schedule, uk_staff,
                                                      payroll_admin, bonus):
    twin = paid_employee(uk_schedule, legal_first_name=uk_staff[0].legal_first_name,
                         legal_last_name=uk_staff[0].legal_last_name)
    login(client, payroll_admin)
    response = client.post(_url("run_input_save", draft), {
        "employee_number": f"{twin.legal_first_name} {twin.legal_last_name}",
        "component": bonus.pk, "amount": "1"})
    assert response.status_code == 400
    assert "pick one from the list" in response.content.decode()


def test_paste_view_adds_all_rows_or_lists_the_bad_ones(client, draft, uk_staff, payroll_admin,
                                                        bonus):
    login(client, payroll_admin)
    a, b = (e.employee_number for e in uk_staff)
    response = client.post(_url("run_inputs_paste", draft),
                           {"rows": f"{a}\tBONUS\t\t\t10\n{b}\tNOPE\t\t\t5\n"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was added" in body and "Line 2: unknown component" in body
    assert not RunInput.objects.exists()
    response = client.post(_url("run_inputs_paste", draft),
                           {"rows": f"{a}\tBONUS\t\t\t10\n{b}\tBONUS\t\t\t5\n"}, follow=True)
    assert "2 input(s) added." in response.content.decode()
    assert RunInput.objects.filter(run=draft).count() == 2


def _headers_and_cells(body: str) -> tuple[int, set[int]]:
    head = re.search(r"<thead>(.*?)</thead>", body, re.S).group(1)
    rows = re.findall(r'<tr id="input-\d+"[^>]*>(.*?)</tr>', body, re.S)
    return head.count("<th"), {row.count("<td") for row in rows}


def test_grid_columns_line_up_and_queries_do_not_grow_with_inputs(
        client, draft, uk_schedule, payroll_admin, bonus, django_assert_max_num_queries):
    staff = [paid_employee(uk_schedule) for _ in range(12)]
    login(client, payroll_admin)
    client.get(_url("run_inputs", draft))  # the first request after login also saves the session

    def grid_queries(n: int) -> int:
        for employee in staff[:n]:
            run_input_set(run=draft, employee=employee, component=bonus, amount=Decimal("5"),
                          acting_user=payroll_admin)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_url("run_inputs", draft))
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    few, _ = grid_queries(2)
    many, body = grid_queries(12)
    # then each editable row has as many cells as the header (aligned columns)
    headers, cells = _headers_and_cells(body)
    assert cells == {headers} and headers == 7
    # and the page costs the same whatever the number of inputs: session, user, role groups,
    # run, the viewer's employee record, inputs (employee and component joined), components
    # for the add form (a server-side cursor on PostgreSQL), session save (+ its savepoint)
    assert few == many
    with django_assert_max_num_queries(10):
        client.get(_url("run_inputs", draft))
