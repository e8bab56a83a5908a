"""Directory and profile page latency at scale (run on demand, not part of the test suite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hrops_bench_emp \
        .venv/bin/python bench/employees_directory.py --n 20000

Seeds N employees (bulk_create; skipped when the database already holds them), then requests
each page through the Django test client logged in as HR Admin and prints p50/p95 latency and
the number of SQL queries per request.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Production-like settings: DEBUG off (no query logging overhead), plain storage, test host.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrops.settings")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuv")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "False")
os.environ.setdefault("STATICFILES_BACKEND",
                      "django.contrib.staticfiles.storage.StaticFilesStorage")
os.environ.setdefault("CELERY_BROKER_URL", "")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from employees.models import (  # noqa: E402
    ChangeReason,
    CompensationRecord,
    Department,
    Employee,
    Employment,
    JobRecord,
    JobTitle,
    Location,
)
from payroll.models import PaySchedule  # noqa: E402

FIRST = ["Olivia", "Noah", "Amelia", "Liam", "Isla", "Jacob", "Ava", "Mason", "Mia", "Lucas",
         "Sophia", "Ethan", "Grace", "Arjun", "Chloe", "Mohammed", "Zara", "Daniel", "Freya",
         "Kwame", "Lily", "Hiroshi", "Emily", "Mateo", "Aisha", "Jack", "Sofia", "Ravi"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Taylor", "Davies", "Evans", "Wilson",
        "Thomas", "Roberts", "Khan", "Patel", "Walker", "Wright", "Robinson", "Thompson",
        "White", "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris", "Martin", "Garcia",
        "Nguyen", "Okafor", "Kowalski", "Murphy", "Campbell", "Stewart", "Anderson", "Clarke"]
# Surnames built from syllables: thousands of distinct names, as in a real company (a short list
# would make every search match hundreds of rows).
SYLLABLES = ["ab", "an", "ber", "cal", "dor", "el", "fen", "gar", "hol", "is", "jor", "kin",
             "lan", "mor", "nel", "ok", "per", "quin", "ros", "sat", "tor", "ul", "van", "wes",
             "yar", "zel", "af", "ston", "ley", "wick"]
BRANCHING = 8  # reports per manager: 20,000 people are 6 levels deep
BATCH = 2000


def seed(n: int, rng: random.Random, reseed: bool) -> None:
    have = Employee.objects.filter(employee_number__startswith="BX").count()
    if have >= n and not reseed:
        print(f"seed: {have} bench employees already present")
        return
    bench = Employee.objects.filter(employee_number__startswith="BX")
    CompensationRecord.objects.filter(employee__in=bench).delete()
    JobRecord.objects.filter(employee__in=bench).delete()
    Employment.objects.filter(employee__in=bench).delete()
    bench.update(manager=None)
    bench.delete()
    started = time.perf_counter()
    with transaction.atomic():
        depts = [Department.objects.get_or_create(code=f"BD{i}", defaults={
            "name": f"Bench department {i}"})[0] for i in range(25)]
        locs = [Location.objects.get_or_create(name=f"Bench office {i}", defaults={
            "country": "GB", "city": "London"})[0] for i in range(12)]
        titles = [JobTitle.objects.get_or_create(name=f"Bench title {i}")[0] for i in range(60)]
        schedule, _ = PaySchedule.objects.get_or_create(name="Bench monthly", defaults={
            "frequency": "monthly", "country": "GB", "currency": "GBP",
            "first_period_start": date(2026, 4, 6)})
        people = []
        for i in range(n):
            first = rng.choice(FIRST)
            last = rng.choice(LAST) if i % 4 == 0 else "".join(
                rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize()
            people.append(Employee(
                employee_number=f"BX{i:06d}", legal_first_name=first, legal_last_name=last,
                preferred_name=rng.choice(["", "", "", first[:3]]),
                work_email=f"{first}.{last}.{i}@bench.example".lower(), work_country="GB",
                status=rng.choices(["active", "on_leave", "terminated", "pre_hire"],
                                   [90, 3, 5, 2])[0],
                hire_date=date(2015, 1, 1) + timedelta(days=rng.randrange(4000)),
                department=rng.choice(depts), location=rng.choice(locs),
                job_title=rng.choice(titles),
                employment_type=rng.choices(["full_time", "part_time", "contractor"],
                                            [85, 10, 5])[0],
            ))
        Employee.objects.bulk_create(people, batch_size=BATCH)
        for i, person in enumerate(people):
            person.manager = people[(i - 1) // BRANCHING] if i else None
        Employee.objects.bulk_update(people, ["manager"], batch_size=BATCH)
        Employment.objects.bulk_create(
            [Employment(employee=p, start_date=p.hire_date) for p in people], batch_size=BATCH)
        JobRecord.objects.bulk_create([
            JobRecord(employee=p, effective_date=p.hire_date, job_title=p.job_title,
                      department=p.department, location=p.location, manager=p.manager,
                      employment_type=p.employment_type, fte=p.fte, reason=ChangeReason.HIRE)
            for p in people], batch_size=BATCH)
        CompensationRecord.objects.bulk_create([
            CompensationRecord(employee=p, effective_date=p.hire_date, basis="salary",
                               annual_salary=Decimal(rng.randrange(25000, 150000)),
                               currency="GBP", pay_schedule=schedule,
                               reason=ChangeReason.HIRE)
            for p in people], batch_size=BATCH)
    # VACUUM as well as ANALYZE: the bench server runs with autovacuum off, and without the
    # visibility map the directory's index-only OFFSET (employee_current_name) fetches the heap
    # page of every skipped row (17,000 heap fetches at page 200: ~40 ms instead of ~3 ms).
    # Production's autovacuum would have vacuumed after this many inserts and updates.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    print(f"seed: {n} employees in {time.perf_counter() - started:.1f} s")


def hr_client() -> Client:
    user, _ = User.objects.get_or_create(email="bench.hr@example.test",
                                         defaults={"full_name": "Bench HR"})
    user.groups.add(Group.objects.get(name="HR Admin"))
    client = Client()
    client.force_login(user)
    session = client.session
    session["hrops_mfa_enrolled"] = True  # the bench user stands in for an enrolled admin
    session.save()
    return client


def measure(client: Client, path: str, repeat: int) -> tuple[float, float, int, int]:
    client.get(path)  # warm caches, compile templates
    timings, queries, status = [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(path)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - started) * 1000)
        queries, status = len(ctx.captured_queries), response.status_code
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, queries, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="employees to seed")
    parser.add_argument("--repeat", type=int, default=30, help="requests per page")
    parser.add_argument("--reseed", action="store_true", help="drop and re-create bench data")
    parser.add_argument("--baseline", action="store_true",
                        help="also time page 1 and page 200 against a bare-Django 50-row page, "
                             "request by request")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the indexes are PostgreSQL's).")
    call_command("migrate", verbosity=0)
    seed(args.n, random.Random(20_000), args.reseed)
    client = hr_client()
    middle = Employee.objects.get(employee_number=f"BX{min(args.n - 1, 9):06d}")
    dept = Department.objects.get(code="BD3")
    directory = reverse("employees:directory")
    # A surname that exists, from the middle of the alphabet.
    surname = (Employee.objects.filter(employee_number__startswith="BX", legal_last_name__gte="M")
               .order_by("legal_last_name").values_list("legal_last_name", flat=True).first())
    pages = [
        ("directory, first page", directory),
        ("directory, search 'okaf'", f"{directory}?q=okaf"),
        (f"directory, search '{surname.lower()}'", f"{directory}?q={surname.lower()}"),
        ("directory, search 'olivia smith'", f"{directory}?q=olivia+smith"),
        ("directory, search number 'BX0123'", f"{directory}?q=BX0123"),
        ("directory, dept + type filter", f"{directory}?department={dept.pk}"
                                          "&employment_type=full_time&sort=-hire_date"),
        ("directory, page 200", f"{directory}?page=200"),
        ("profile overview", reverse("employees:profile", args=[middle.pk])),
        ("profile job history", reverse("employees:employment", args=[middle.pk])),
        ("profile compensation", reverse("employees:compensation", args=[middle.pk])),
        ("org chart (manager of 8)", reverse("employees:org_chart_for", args=[middle.pk])),
    ]
    print(f"\n{Employee.objects.count()} employees; {args.repeat} requests per page\n")
    print(f"{'page':<38} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'status':>7}")
    for label, path in pages:
        p50, p95, queries, status = measure(client, path, args.repeat)
        print(f"{label:<38} {p50:8.1f} {p95:8.1f} {queries:8d} {status:7d}")
    if args.baseline:
        from payroll_review import _mount_baseline, paired

        baseline = _mount_baseline()
        for label, path in pages[:1] + pages[6:7]:
            print(f"{label:<38} {paired(client, path, baseline, args.repeat)}")
    p50, p95, queries, status = measure(
        client, reverse("employees:directory_export", args=["csv"]), 3)
    print(f"{'export CSV (all, streamed)':<38} {p50:8.1f} {p95:8.1f} {queries:8d} {status:7d}")


if __name__ == "__main__":
    main()
