import pytest
from django.db import connection

from employees.directory import DirectoryFilters, directory_queryset

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_directory_search_is_served_by_the_trigram_index(hr_admin):
    # given: a tiny test table, where the planner would rather scan; forbid that to prove the
    # query's expression matches the index's (at 20,000 rows the planner picks it by itself)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # a full scan of another index
        # the partial name-order index of current staff (for deep directory pages) would serve the
        # "current staff" condition as a bitmap scan of its own; drop it inside this test's
        # transaction (rolled back) so only the search expression can use an index
        cursor.execute("DROP INDEX employee_current_name")
    # when
    plan = directory_queryset(hr_admin, DirectoryFilters(q="jane smi")).explain()
    # then
    assert "employee_search_trgm" in plan
