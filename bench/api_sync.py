"""API sync at scale (issue 17 item 4; run on demand, not part of the test suite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hrops_bench_api \
        .venv/bin/python bench/api_sync.py --n 20000

Seeds N employees with the directory bench's seeder (skipped when present), then walks
GET /api/v1/employees/?limit=200 from the first page to the last with a service-account token,
as an IT-provisioning sync would, and prints p50/p95 per page, the queries per page and the total
walk time, next to a bare-Django JSON view of 200 rows measured in the same run.
Targets: the whole walk under 20 s, each page under 100 ms p50.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import employees_directory as seeder


def _mount_baseline() -> str:
    """A bench-only URLconf: the project's URLs plus one bare Django JSON page of 200 rows."""
    from django.conf import settings
    from django.contrib.auth.decorators import login_not_required
    from django.http import JsonResponse
    from django.urls import include, path

    from employees.models import Employee

    @login_not_required
    def baseline(request):
        rows = list(Employee.objects.order_by("updated_at", "id").values(
            "id", "employee_number", "legal_first_name", "legal_last_name", "work_email",
            "job_title__name", "department__name", "location__name", "manager_id",
            "updated_at")[:200])
        return JsonResponse({"results": rows})

    module = ModuleType("bench_api_urls")
    module.urlpatterns = [path("bench/baseline/", baseline), path("", include("hrops.urls"))]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    return "/bench/baseline/"


def _token() -> str:
    from accounts.models import User
    from api.models import ServiceAccount
    from api.scopes import Scope
    from api.services.accounts import service_account_create
    from api.services.tokens import service_token_create

    admin = seeder.hr_client() and User.objects.get(email="bench.hr@example.test")
    account = ServiceAccount.objects.filter(name="Bench sync").first() or service_account_create(
        acting_user=admin, name="Bench sync", scopes=[Scope.EMPLOYEES_READ])
    return service_token_create(acting_user=admin, service_account=account,
                                name="bench").plaintext


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def walk(client, headers: dict, limit: int) -> tuple[list[float], list[int], int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url, timings, queries, rows = f"/api/v1/employees/?limit={limit}", [], [], 0
    started = time.perf_counter()
    while url:
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url, headers=headers)
            timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        rows += len(body["results"])
        queries.append(len(ctx.captured_queries))
        url = body["next"]
    return timings, queries, rows, time.perf_counter() - started


def main() -> None:
    import random

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="employees to seed")
    parser.add_argument("--limit", type=int, default=200, help="page size")
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    call_command("migrate", verbosity=0)
    seeder.seed(args.n, random.Random(20_000), args.reseed)
    baseline = _mount_baseline()
    client = Client()
    headers = {"Authorization": f"Bearer {_token()}"}
    client.get(baseline)
    base = []
    for _ in range(30):
        t0 = time.perf_counter()
        client.get(baseline)
        base.append((time.perf_counter() - t0) * 1000)
    timings, queries, rows, total = walk(client, headers, args.limit)
    print(f"\n{rows} employees listed in {len(timings)} pages of {args.limit}\n")
    print(f"{'what':<42} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    print(f"{'baseline: bare Django JSON, 200 rows':<42} {statistics.median(base):8.1f} "
          f"{_p95(base):8.1f} {1:8d}")
    print(f"{'API page of ' + str(args.limit) + ' (token, scope, log)':<42} "
          f"{statistics.median(timings):8.1f} {_p95(timings):8.1f} "
          f"{max(queries):8d}")
    print(f"\nwhole walk: {total:.2f} s (target < 20 s); queries per page min {min(queries)} "
          f"max {max(queries)}")


if __name__ == "__main__":
    main()
