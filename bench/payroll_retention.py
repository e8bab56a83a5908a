"""Benchmark: payroll.retention.retention_due over N terminated employees' pay history.

Run from the repository root (PostgreSQL on localhost; use a scratch database):

    python bench/payroll_retention.py [--employees 20000] [--years 6] [--db hrops_bench_ret]

Seeds N leavers (half on a US, half on a UK monthly schedule) with one finalised payslip per
month for --years years ending in 2025 (inserted with one INSERT ... SELECT), plus N/10 current
employees paid the same way, runs ANALYZE, then times retention_due(today) and counts queries.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _configure(db: str) -> None:
    os.environ.update({
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "DJANGO_SETTINGS_MODULE": "hrops.settings", "DEBUG": "True",
    })
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db],
                   capture_output=True, check=False)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seed(n: int, years: int) -> None:
    from django.db import connection

    from employees.models import Employee
    from payroll.models import PayPeriod, PayRun, PaySchedule

    if Employee.objects.filter(employee_number__startswith="RB").exists():
        return
    t = time.perf_counter()
    people = [
        Employee(employee_number=f"RB{i:06d}", legal_first_name="Bench", legal_last_name=str(i),
                 hire_date=date(2015, 1, 5),
                 status="terminated" if i < n else "active",
                 termination_date=date(2025, 12, 31) if i < n else None)
        for i in range(n + n // 10)
    ]
    Employee.objects.bulk_create(people, batch_size=2000)
    for country, currency in (("US", "USD"), ("GB", "GBP")):
        schedule = PaySchedule.objects.create(
            name=f"Bench retention {country}", frequency="monthly", country=country,
            currency=currency, first_period_start=date(2015, 1, 1))
        for year in range(2026 - years, 2026):
            for month in range(1, 13):
                pay_date = date(year, month, 25)
                period = PayPeriod.objects.create(schedule=schedule, number=month,
                                                  start_date=date(year, month, 1),
                                                  end_date=pay_date, pay_date=pay_date)
                PayRun.objects.create(schedule=schedule, period=period, pay_date=pay_date,
                                      currency=currency, status="paid")
    # Even employee numbers on the US schedule, odd on the UK one; tax year from the pay date.
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO payroll_payslip (run_id, employee_id, number, currency, tax_year, gross,
                total_pre_tax, total_employee_tax, total_post_tax, net, employer_cost, ytd,
                ytd_increments, inputs_hash, reasons, flags, overrides, pdf_status, pdf_file,
                pdf_sha256, pdf_error, pdf_attempts)
            SELECT r.id, e.id, row_number() OVER (), r.currency,
                CASE WHEN s.country = 'US' THEN extract(year FROM r.pay_date)::text
                     ELSE to_char(r.pay_date - interval '3 months 5 days', 'YYYY') || '-'
                          || to_char(r.pay_date + interval '8 months 26 days', 'YY') END,
                3000, 0, 600, 0, 2400, 3300, '{}', '{}', 'bench', '[]', '[]', '[]', 'ready',
                '', '', '', 0
            FROM employees_employee e
            JOIN payroll_payschedule s ON s.name LIKE 'Bench retention %'
                AND (s.country = 'US') = (substring(e.employee_number, 3)::int % 2 = 0)
            JOIN payroll_payrun r ON r.schedule_id = s.id
            WHERE e.employee_number LIKE 'RB%'
        """)
        cursor.execute("ANALYZE")
    print(f"seeded in {time.perf_counter() - t:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=20000)
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--db", default="hrops_bench_ret")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    _configure(args.db)
    _seed(args.employees, args.years)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from payroll.models import Payslip
    from payroll.retention import retention_due

    print(f"payslips: {Payslip.objects.count()}")
    timings = []
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            items = retention_due(date(2026, 11, 26))
            timings.append(time.perf_counter() - t)
    timings.sort()
    print(f"items: {len(items)}, queries: {len(queries)}, "
          f"best {timings[0] * 1000:.0f} ms, median {timings[len(timings) // 2] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
