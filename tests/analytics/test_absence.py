"""Sickness absence by department: absence rate and Bradford factor, hand-computed.

March 2026, Monday-Friday patterns, no GB public holiday: 22 working days each.
Ops: 5 people -> 110 days available. A: spells of 1 day (2 Mar) and 2 days (Thu 12 - Sun 15
Mar: Thu, Fri) -> S 2, D 3, Bradford 2 x 2 x 3 = 12. B: 9-10 Mar -> S 1, D 2, Bradford 2.
Days lost 5: absence rate 5 / 110 x 100 = 4.545..% -> 4.55; mean Bradford (12 + 2) / 5 = 2.80.
Tiny: 2 people, suppressed (fewer than 5).
"""

from datetime import date
from decimal import Decimal as D

import pytest

from accounts.roles import Role
from analytics.absence import absence_by_department, absence_people
from tests.factories import UserFactory
from tests.factories.employees import DepartmentFactory, EmployeeFactory
from tests.factories.timeoff import leave_type
from timeoff.services.sickness import sickness_record

pytestmark = pytest.mark.django_db
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
def ops(hr_admin):
    leave_type("sick")
    ops, tiny = DepartmentFactory(name="Ops"), DepartmentFactory(name="Tiny")
    people = [EmployeeFactory(department=ops) for _ in range(5)]
    for _ in range(2):
        EmployeeFactory(department=tiny)
    a, b = people[0], people[1]
    for person, first, last in ((a, 2, 2), (a, 12, 15), (b, 9, 10)):
        sickness_record(employee=person, first_day=date(2026, 3, first),
                        last_day=date(2026, 3, last), acting_user=hr_admin)
    return {"ops": ops, "a": a, "b": b}


def test_absence_rate_and_mean_bradford_by_department(ops):
    rows = {r.label: r for r in absence_by_department(None, *MARCH)}
    o = rows["Ops"]
    assert (o.people, o.available, o.lost, o.spells) == (5, D("110"), D("3") + D("2"), 3)
    assert (o.rate, o.mean_bradford) == (D("4.55"), D("2.80"))
    assert rows["Tiny"].suppressed and rows["Tiny"].rate is None


def test_people_behind_a_department(ops, hr_admin):
    lines = absence_people(hr_admin, None, *MARCH, ops["ops"].pk)
    assert [(line.employee, line.bradford) for line in lines] == [(ops["a"], D("12")),
                                                                   (ops["b"], D("2"))]


def test_page_roles_and_drill_down(ops, client, hr_admin):
    analyst = UserFactory(roles=[Role.HR_ANALYST])
    client.force_login(analyst)
    page = client.get("/analytics/absence/", {"first": "2026-03-01", "last": "2026-03-31",
                                              "department": ops["ops"].pk})
    assert page.status_code == 200 and b"4.55" in page.content
    assert [line.employee for line in page.context["drill"]] == [ops["a"], ops["b"]]
    csv = client.get("/analytics/absence/", {"first": "2026-03-01", "last": "2026-03-31",
                                             "format": "csv"}).content.decode("utf-8-sig")
    assert "Ops,5,110,5,4.55,3,2.80" in csv and "Tiny,2,,,,," in csv
    client.force_login(UserFactory(roles=[Role.EMPLOYEE]))
    assert client.get("/analytics/absence/").status_code == 403


def test_a_manager_sees_only_their_subtree_suppressed_when_small(ops, client):
    boss = EmployeeFactory(user=UserFactory(roles=[Role.MANAGER, Role.EMPLOYEE]))
    ops["a"].manager = boss
    ops["a"].save(update_fields=["manager"])
    client.force_login(boss.user)
    page = client.get("/analytics/absence/", {"first": "2026-03-01", "last": "2026-03-31",
                                              "department": ops["ops"].pk})
    assert page.status_code == 200
    (row,) = page.context["rows"]  # only A: one person, not shown, no drill-down
    assert (row.people, row.suppressed, row.rate) == (1, True, None)
    assert page.context["drill"] is None
