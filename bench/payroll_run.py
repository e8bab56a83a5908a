"""Benchmark: calculate one pay run of N employees with 2 Celery workers on PostgreSQL + Redis.

Run from the repository root (PostgreSQL and Redis on localhost):

    python bench/payroll_run.py [--employees 20000] [--db hrops_bench_pay]
        [--redis redis://127.0.0.1:6379/14] [--workers 2]

Creates (or reuses) the database, seeds N employees on one UK monthly schedule in bulk (salaried
with a 5% pension; every tenth hourly with hours for the period), starts the workers as
subprocesses, then times run_calculate from the request to the run being CALCULATED: chunking,
the workers' engine calls, payslip and line inserts, and progress updates.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _configure(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.db}",
        "CELERY_BROKER_URL": args.redis, "DJANGO_SETTINGS_MODULE": "hrops.settings",
        "DEBUG": "True", "CONN_MAX_AGE": "60",
    })
    os.environ.update(env)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.db],
                   capture_output=True, check=False)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


def _seed(n: int):
    from employees.models import CompensationRecord, Employee
    from payroll.models import EmployeePayItem, PayComponent, PaySchedule, TaxProfile
    from payroll.services.periods import periods_generate

    schedule, _ = PaySchedule.objects.get_or_create(
        name="Bench UK monthly", defaults={"frequency": "monthly", "country": "GB",
                                           "currency": "GBP",
                                           "first_period_start": date(2026, 4, 6)})
    periods_generate(schedule=schedule, until=date(2026, 6, 5), acting_user=None)
    have = Employee.objects.filter(employee_number__startswith="B").count()
    if have < n:
        t = time.perf_counter()
        hire = date(2024, 1, 1)
        emps = Employee.objects.bulk_create(
            Employee(employee_number=f"B{i:06d}", legal_first_name="Bench",
                     legal_last_name=f"Person {i:06d}", hire_date=hire, status="active",
                     work_country="GB")
            for i in range(have, n))
        CompensationRecord.objects.bulk_create(
            CompensationRecord(
                employee=e, effective_date=hire, currency="GBP", pay_schedule=schedule,
                reason="hire", basis="hourly" if i % 10 == 0 else "salary",
                hourly_rate=Decimal("18.50") if i % 10 == 0 else None,
                annual_salary=None if i % 10 == 0 else Decimal(22000 + (i * 37) % 90000))
            for i, e in enumerate(emps, start=have))
        TaxProfile.objects.bulk_create(
            TaxProfile(employee=e, jurisdiction="UK", tax_code=("1257L", "S1257L", "BR")[i % 3],
                       ni_category="A") for i, e in enumerate(emps))
        pension, _ = PayComponent.objects.get_or_create(
            code="PENSION", defaults={"name": "Pension", "kind": "pre_tax_deduction",
                                      "calculation": "percent_of_base",
                                      "reduces_income_tax_wages": True})
        EmployeePayItem.objects.bulk_create(
            EmployeePayItem(employee=e, component=pension, percent=Decimal("5"),
                            effective_from=hire) for e in emps)
        print(f"seeded {len(emps)} employees in {time.perf_counter() - t:.1f} s")
    return schedule


def _fresh_run(schedule, user, n):
    from employees.models import CompensationRecord
    from payroll.models import PayComponent, PayRun, RunInput
    from payroll.services.runs import run_create

    period = schedule.periods.order_by("start_date").first()
    PayRun.objects.filter(schedule=schedule).delete()  # drafts only: the bench never finalises
    run = run_create(schedule=schedule, period=period, acting_user=user)
    hours, _ = PayComponent.objects.get_or_create(
        code="HOURS", defaults={"name": "Hours", "kind": "earning",
                                "calculation": "rate_x_hours"})
    hourly = CompensationRecord.objects.filter(pay_schedule=schedule, basis="hourly")
    RunInput.objects.bulk_create(
        RunInput(run=run, employee_id=pk, component=hours, quantity=Decimal("160"))
        for pk in hourly.values_list("employee_id", flat=True))
    return run


def _user():
    from django.contrib.auth import get_user_model

    from accounts.roles import Role
    from accounts.services import user_create

    user = get_user_model().objects.filter(email="bench.payroll@example.test").first()
    return user or user_create(acting_user=None, email="bench.payroll@example.test",
                               full_name="Bench Payroll", roles=[Role.PAYROLL_ADMIN],
                               password="bench-only-password",  # noqa: S106 - bench user
                               send_welcome=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=20000)
    parser.add_argument("--db", default="hrops_bench_pay")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    env = _configure(args)
    schedule = _seed(args.employees)
    user = _user()
    run = _fresh_run(schedule, user, args.employees)
    celery = str(Path(sys.executable).with_name("celery"))
    workers = [subprocess.Popen(
        [celery, "-A", "hrops", "worker", "-c", "1", "-n", f"bench{i}@%h", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "-l", "warning", "--purge"] if i == 0 else
        [celery, "-A", "hrops", "worker", "-c", "1", "-n", f"bench{i}@%h", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "-l", "warning"],
        cwd=ROOT, env=env) for i in range(args.workers)]
    try:
        from hrops.celery import app

        deadline = time.time() + 60
        while time.time() < deadline:
            replies = app.control.ping(timeout=1) or []
            if len(replies) >= args.workers:
                break
        from payroll.models import PayRun
        from payroll.services.runs import run_calculate

        start = time.perf_counter()
        run_calculate(run=run, acting_user=user)
        while True:
            run.refresh_from_db()
            if run.status != PayRun.Status.CALCULATING:
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        count = run.payslips.count()
        print(f"status={run.status} payslips={count} lines="
              f"{sum(1 for _ in run.payslips.values_list('lines__id'))} "
              f"workers={args.workers} seconds={seconds:.1f} payslips/s={count / seconds:.0f}")
        if run.last_error:
            print("last error:", run.last_error)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=30)


if __name__ == "__main__":
    main()
