"""Directory: search by any email, exports that follow the filters on the page, shareable URLs."""

import csv
import io
import re
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db
URL = reverse("employees:directory")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}


def _numbers(response) -> list[str]:
    return [e.employee_number for e in response.context["page"].object_list]


def _export_href(html: str, fmt: str) -> str:
    match = re.search(rf'data-export="{fmt}" href="([^"]+)"', html)
    assert match, f"no {fmt} export link in the results"
    return unescape(match.group(1))


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_search_by_personal_email_finds_the_person(hr_admin, login):
    # given someone HR knows by their private address
    jane = EmployeeFactory(work_email="j.okafor@acme.test", personal_email="jane.o@home.test")
    EmployeeFactory()
    # when HR searches for the full address, or part of it
    client = login(hr_admin)
    # then she is found
    for term in ["jane.o@home.test", "JANE.O@HOME", "j.okafor@acme.test"]:
        assert _numbers(client.get(URL, {"q": term})) == [jane.employee_number], term


def test_export_link_of_a_filtered_htmx_search_carries_the_filters(hr_admin, login):
    # given 3 people in Sales among 5
    sales = DepartmentFactory(name="Sales")
    sold = {EmployeeFactory(department=sales).employee_number for _ in range(3)}
    EmployeeFactory.create_batch(2)
    client = login(hr_admin)
    # when the page is filtered through htmx (only #results is swapped)
    fragment = client.get(URL, {"department": sales.pk}, **HTMX).content.decode()
    # then the export links in what was swapped carry the filter, and export just those 3
    href = _export_href(fragment, "csv")
    assert f"department={sales.pk}" in href
    rows = _csv(client.get(href))
    assert {row[0] for row in rows[1:]} == sold
    assert f"department={sales.pk}" in _export_href(fragment, "xlsx")


def test_unfiltered_export_link_has_no_stray_query(hr_admin, login):
    EmployeeFactory()
    page = login(hr_admin).get(URL).content.decode()
    assert _export_href(page, "csv") == reverse("employees:directory_export", args=["csv"])


def test_directory_varies_on_htmx_so_shared_links_get_the_whole_page(hr_admin, login):
    EmployeeFactory.create_batch(2)
    client = login(hr_admin)
    # given a filtered, paginated URL as htmx pushed it to the address bar
    fragment = client.get(URL, {"q": "", "page": "1", "sort": "-name"}, **HTMX)
    # when the same URL is opened as a link (no htmx headers)
    page = client.get(URL, {"q": "", "page": "1", "sort": "-name"})
    # then caches keep the two apart, and the link gets the full page with the form
    assert "HX-Request" in fragment["Vary"] and "HX-Request" in page["Vary"]
    assert "<form" not in fragment.content.decode()
    assert "<form" in page.content.decode() and 'id="results"' in page.content.decode()


