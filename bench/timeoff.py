"""Time off at scale (run on demand, not part of the test suite): the accrual job for N
employees, then the calendar, balance and approvals pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hrops_bench_timeoff \
        .venv/bin/python bench/timeoff.py --n 20000

Seeds N employees (bench/employees_directory.py's seed, kept between runs), runs the accrual job
as production does (the beat task enqueues one delivery item per 1,000 people; with no broker
they run in-process on commit), runs it again (it must post nothing), books approved leave for
one person in ten this month, and prints p50/p95 latency and queries per page.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# First: it sets the environment up and calls django.setup().
from bench.employees_directory import hr_client, measure, seed  # isort: split

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from employees.models import Employee
from timeoff.models import (
    EntryKind,
    LeavePolicy,
    LeaveRequest,
    LeaveType,
    LedgerEntry,
    Method,
)
from timeoff.services.jobs import accrual_run


def _policy() -> LeaveType:
    holiday = LeaveType.objects.get(name="Holiday")
    LeavePolicy.objects.get_or_create(name="Bench UK statutory", defaults={
        "leave_type": holiday, "method": Method.UK_STATUTORY, "countries": ["GB"]})
    return holiday


def accrue(on) -> None:
    before = LedgerEntry.objects.count()
    started = time.perf_counter()
    items = accrual_run(on=on)
    first = time.perf_counter() - started
    posted = LedgerEntry.objects.count() - before
    started = time.perf_counter()
    accrual_run(on=on + timedelta(days=1))  # the next day: the same year, nothing new
    again = time.perf_counter() - started
    print(f"accrual job: {items} delivery items, {posted} entries in {first:.1f} s; "
          f"next day's run {again:.1f} s, {LedgerEntry.objects.count() - before - posted} new")


def book(holiday: LeaveType, rng: random.Random, today) -> None:
    if LeaveRequest.objects.filter(employee__employee_number__startswith="BX").exists():
        return
    people = list(Employee.objects.filter(employee_number__startswith="BX")
                  .exclude(status="terminated").only("pk"))
    first = today.replace(day=1)
    rows, entries = [], []
    for person in people[::10]:
        start = first + timedelta(days=rng.randrange(20))
        rows.append(LeaveRequest(employee=person, leave_type=holiday, first_day=start,
                                 last_day=start + timedelta(days=rng.randrange(4)),
                                 amount=Decimal("2"), status=LeaveRequest.Status.APPROVED))
    with transaction.atomic():
        LeaveRequest.objects.bulk_create(rows, batch_size=2000)
        for row in rows:
            entries.append(LedgerEntry(employee_id=row.employee_id, leave_type=holiday,
                                       kind=EntryKind.TAKEN, amount=-row.amount,
                                       effective_date=row.first_day, request=row))
        LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"booked {len(rows)} approved requests this month")


def client_for(employee: Employee) -> Client:
    employee.refresh_from_db(fields=["user"])
    user = employee.user
    if user is None:
        user = User.objects.create(email=f"bench.{employee.employee_number.lower()}"
                                         "@example.test", full_name=employee.legal_name)
        Employee.objects.filter(pk=employee.pk).update(user=user)
    client = Client()
    client.force_login(user)
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="employees to seed")
    parser.add_argument("--repeat", type=int, default=30, help="requests per page")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    call_command("migrate", verbosity=0)
    rng = random.Random(14)
    seed(args.n, rng, False)
    holiday = _policy()
    today = timezone.localdate()
    accrue(today)
    book(holiday, rng, today)
    hr = hr_client()
    # A manager of 8 in the middle of the tree, and one of their reports.
    manager = Employee.objects.get(employee_number="BX000009")
    report = Employee.objects.filter(manager=manager).order_by("pk").first()
    calendar = reverse("timeoff:calendar")
    month = f"?month={today:%Y-%m}"
    pages = [
        # The bare-Django baseline of the same run: signed in, the whole middleware stack, one
        # query (the machine's load shows here first).
        ("baseline: /healthz/ (1 query)", hr, reverse("healthz")),
        ("calendar, HR, everyone", hr, f"{calendar}{month}"),
        ("calendar, HR, one department", hr, f"{calendar}{month}&department="
                                             f"{manager.department_id}"),
        ("calendar, manager of 8", client_for(manager), f"{calendar}{month}"),
        ("calendar, employee (own team)", client_for(report), f"{calendar}{month}"),
        ("my time off (balances)", client_for(report), reverse("timeoff:my_leave")),
        ("approvals, manager of 8", client_for(manager), reverse("timeoff:approvals")),
        ("approvals, HR", hr, reverse("timeoff:approvals")),
        ("employee's time-off tab, HR", hr, reverse("timeoff:employee_leave",
                                                    args=[report.pk])),
        ("reports (balances, absence), HR", hr, reverse("timeoff:reports")),
    ]
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n{Employee.objects.count()} employees; {args.repeat} requests per page; "
          f"load average {load} on {os.cpu_count()} cores\n")
    print(f"{'page':<34} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'status':>7}")
    for label, client, path in pages:
        p50, p95, queries, status = measure(client, path, args.repeat)
        print(f"{label:<34} {p50:8.1f} {p95:8.1f} {queries:8d} {status:7d}")


if __name__ == "__main__":
    main()
