"""Benchmark: what retro pay adds to one calculation chunk (payroll.services.retro).

Run from the repository root (PostgreSQL on localhost; a scratch database):

    python bench/retro_chunk.py [--employees 200] [--db hrops_bench_retro] [--repeat 5]

Seeds N salaried UK employees (one chunk is 200), calculates and finalises months 1 and 2
through the services (no payslip PDFs), then times ``prepare`` for month 3 three ways: nobody
with a back-dated change, everyone with a rise entered in advance (one extra query, nothing
reached), and everyone with a rise back-dated into both finalised months (arrears for 2
periods each). Prints the median time and the SQL queries of each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup(db: str) -> None:
    os.environ.update({
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}", "CELERY_BROKER_URL": "",
        "DJANGO_SETTINGS_MODULE": "hrops.settings", "DEBUG": "True",
    })
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db],
                   capture_output=True, check=False)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seed(n: int):
    from employees.models import CompensationRecord, Employee
    from payroll.models import PaySchedule, TaxProfile
    from payroll.services.periods import periods_generate

    schedule = PaySchedule.objects.create(
        name="Bench retro", frequency="monthly", country="GB", currency="GBP",
        first_period_start=date(2025, 4, 6))
    periods_generate(schedule=schedule, until=date(2025, 7, 5), acting_user=None)
    hire = date(2024, 1, 1)
    emps = Employee.objects.bulk_create(
        Employee(employee_number=f"R{i:06d}", legal_first_name="Bench",
                 legal_last_name=f"Retro {i:06d}", hire_date=hire, status="active",
                 work_country="GB") for i in range(n))
    CompensationRecord.objects.bulk_create(
        CompensationRecord(employee=e, effective_date=hire, currency="GBP",
                           pay_schedule=schedule, reason="hire", basis="salary",
                           annual_salary=Decimal(22000 + (i * 37) % 90000))
        for i, e in enumerate(emps))
    TaxProfile.objects.bulk_create(
        TaxProfile(employee=e, jurisdiction="UK", tax_code="1257L", ni_category="A")
        for e in emps)
    return schedule, emps


def _users():
    from accounts.roles import Role
    from accounts.services import user_create

    return [user_create(acting_user=None, email=f"bench.retro{i}@example.test",
                        full_name=f"Bench {i}", roles=[Role.PAYROLL_ADMIN],
                        password="bench-only-password",  # noqa: S106 - bench user
                        send_welcome=False) for i in (1, 2)]


def _finalise(schedule, number: int, users) -> None:
    from django.db import transaction

    from payroll.models import PayRun
    from payroll.services.runs import finalise_in_transaction, run_calculate, run_create

    run = run_create(schedule=schedule, period=schedule.periods.get(number=number),
                     acting_user=users[0])
    run_calculate(run=run, acting_user=users[0])  # eager: no broker
    # Bench shortcut (not what is measured): no bank accounts were seeded, so accept the
    # flags and approve directly; finalising itself goes through the service.
    run.payslips.update(flags=[])
    PayRun.objects.filter(pk=run.pk).update(status="approved", approved_by=users[1])
    with transaction.atomic():
        finalise_in_transaction(run=run, acting_user=users[1], deliver=False)


def _time(run, ids, repeat: int) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from payroll.services.calculation import prepare

    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            prepared = prepare(run, ids)
            times.append((time.perf_counter() - t) * 1000)
    items = sum(len(p.inputs.items) for p in prepared)
    return statistics.median(times), len(ctx.captured_queries), items


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=200)
    parser.add_argument("--db", default="hrops_bench_retro")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    _setup(args.db)
    from employees.models import CompensationRecord
    from payroll.models import PayRun
    from payroll.services.runs import run_create

    schedule, emps = _seed(args.employees)
    users = _users()
    for number in (1, 2):
        _finalise(schedule, number, users)
    run = run_create(schedule=schedule, period=schedule.periods.get(number=3),
                     acting_user=users[0])
    run = PayRun.objects.select_related("period", "schedule").get(pk=run.pk)
    ids = [e.pk for e in emps]
    rows = [("no back-dated change", *_time(run, ids, args.repeat))]
    advance = CompensationRecord.objects.bulk_create(
        CompensationRecord(employee=e, effective_date=date(2025, 7, 1), currency="GBP",
                           pay_schedule=schedule, reason="merit_increase", basis="salary",
                           annual_salary=Decimal("99000")) for e in emps)
    # "entered in advance": created before the finalised runs it could reach.
    CompensationRecord.objects.filter(pk__in=[r.pk for r in advance]).update(
        created_at=datetime(2025, 1, 1, tzinfo=UTC), effective_date=date(2025, 4, 20))
    rows.append(("rise entered in advance", *_time(run, ids, args.repeat)))
    CompensationRecord.objects.filter(pk__in=[r.pk for r in advance]).delete()
    CompensationRecord.objects.bulk_create(
        CompensationRecord(employee=e, effective_date=date(2025, 4, 20), currency="GBP",
                           pay_schedule=schedule, reason="merit_increase", basis="salary",
                           annual_salary=Decimal("99000")) for e in emps)
    rows.append(("rise back-dated 2 finalised months", *_time(run, ids, args.repeat)))
    if args.profile:
        import cProfile
        import pstats

        from payroll.services.calculation import prepare

        profile = cProfile.Profile()
        profile.runcall(prepare, run, ids)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    print(f"prepare() for one chunk of {len(ids)} employees, median of {args.repeat}:")
    for label, ms, queries, items in rows:
        print(f"  {label:38} {ms:8.1f} ms  {queries:3d} queries  {items:4d} arrears items")


if __name__ == "__main__":
    main()
