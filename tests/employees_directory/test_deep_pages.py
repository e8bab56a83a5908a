"""Deep directory pages are picked on ids first (DeferredJoinPaginator): the same rows in the
same order as a plain OFFSET, and the same queries at 200 and at 2,000 people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from employees.directory import DirectoryFilters, directory_queryset
from tests.factories.payroll_review import bulk_employees
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db
URL = reverse("employees:directory")


def _page(client, query: str) -> tuple[int, list]:
    """The queries a directory page costs and its rows."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    return len(ctx.captured_queries), list(response.context["page"].object_list)


def _last_page(client, n: int) -> tuple[int, list]:
    return _page(client, f"page={n // 50}&sort=-hire_date")


def test_deep_pages_do_not_grow_and_match_a_plain_offset(client, hr_admin):
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    bulk_employees(200, prefix="S")
    client.get(URL)  # warms per-session caches
    small, _rows = _last_page(client, 200)
    bulk_employees(1800, prefix="L")
    large, rows = _last_page(client, 2000)
    assert large == small
    plain = list(directory_queryset(hr_admin, DirectoryFilters(sort="-hire_date"))[1950:2000])
    assert [e.pk for e in rows] == [e.pk for e in plain]
    assert all(hasattr(e, "leaving_on") for e in rows)  # annotations kept on the page rows


def test_page_200_costs_the_queries_of_page_2_and_page_1_one_fewer(client, hr_admin):
    # given 10,000 people: page 200 of 50 is the last
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    bulk_employees(10_000, prefix="D")
    client.get(URL)  # warms per-session caches
    # when
    first, first_rows = _page(client, "page=1")
    second, _rows = _page(client, "page=2")
    deep, deep_rows = _page(client, "page=200")
    # then: deep pages pick ids first (one query more than the first page's single LIMIT)
    assert deep == second == first + 1
    plain = list(directory_queryset(hr_admin, DirectoryFilters()))
    assert [e.pk for e in first_rows] == [e.pk for e in plain[:50]]
    assert [e.pk for e in deep_rows] == [e.pk for e in plain[9950:10000]]
    assert all(hasattr(e, "leaving_on") for e in first_rows + deep_rows)
