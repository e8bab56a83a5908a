"""Benchmark: render N payslip PDFs (default 1,000) with 2 Celery workers, Redis and PostgreSQL.

Run from the repository root (PostgreSQL and Redis running):

    python bench/payslip_pdfs.py [--count 1000] [--workers 2]

Uses its own database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
hrops_bench_pdf, created and migrated if missing), its own Redis db (BENCH_REDIS_URL, default
redis://127.0.0.1:6379/11) and a temporary MEDIA_ROOT. It builds one finalised run of N payslips
(8 lines each, YTD, a bank account each, the employer, tax details and a year to date on
every line as finalisation records them), starts the workers as subprocesses (`celery worker`,
prefork, one process each), waits until they answer, then times from
`payslips_render_for_run` until every payslip is "ready" (the ready-emails run too, to a dummy
mail backend). Prints seconds and PDFs/s. Target: under 60 s for 1,000 on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hrops_bench_pdf"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
MEDIA_ROOT = tempfile.mkdtemp(prefix="hrops-bench-pdf-")
ENV = {
    "DATABASE_URL": DATABASE_URL,
    "CELERY_BROKER_URL": REDIS_URL,
    "MEDIA_ROOT": MEDIA_ROOT,
    "EMAIL_URL": "dummymail://",
    "SECRET_KEY": "bench-only-secret-key-0123456789abcdef0123456789",
    "DEBUG": "True",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "hrops.settings",
}
os.environ.update(ENV)


def ensure_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def build_run(count: int) -> int:
    """One finalised run with `count` payslips, built in bulk (the calculation is benchmarked
    separately); returns the run id."""
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from employees.models import BankAccount, Department, Employee
    from payroll.models import PayPeriod, PayRun, PaySchedule, Payslip, PayslipLine

    PayRun.objects.filter(schedule__name="Bench PDFs").update(status=PayRun.Status.DRAFT)
    PayslipLine.objects.filter(payslip__run__schedule__name="Bench PDFs").delete()
    Payslip.objects.filter(run__schedule__name="Bench PDFs").delete()
    PayRun.objects.filter(schedule__name="Bench PDFs").delete()
    schedule, _ = PaySchedule.objects.get_or_create(
        name="Bench PDFs", defaults={"frequency": "monthly", "country": "GB", "currency": "GBP",
                                     "first_period_start": date(2026, 4, 1)})
    period, _ = PayPeriod.objects.get_or_create(
        schedule=schedule, start_date=date(2026, 11, 1),
        defaults={"number": 8, "end_date": date(2026, 11, 30), "pay_date": date(2026, 11, 27)})
    departments = [Department.objects.get_or_create(name=f"Bench {n}", code=f"BN{n}")[0]
                   for n in range(5)]
    existing = Employee.objects.filter(employee_number__startswith="BENCH").count()
    Employee.objects.bulk_create([
        Employee(employee_number=f"BENCH{n:05d}", legal_first_name=f"First{n}",
                 legal_last_name=f"Last{n}", work_email=f"bench{n}@bench.example.test",
                 hire_date=date(2024, 1, 8), department=departments[n % 5])
        for n in range(existing, count)
    ])
    employees = list(Employee.objects.filter(employee_number__startswith="BENCH")
                     .order_by("employee_number")[:count])
    have_bank = set(BankAccount.objects.filter(employee__in=employees)
                    .values_list("employee_id", flat=True))
    BankAccount.objects.bulk_create([
        BankAccount(employee=e, holder_name=e.legal_first_name, country="GB", scheme="uk",
                    sort_code="200000", account_number=f"{e.pk:08d}", last4=f"{e.pk:08d}"[-4:],
                    is_primary=True, is_active=True)
        for e in employees if e.pk not in have_bank
    ])
    run = PayRun.objects.create(schedule=schedule, period=period, pay_date=period.pay_date,
                                currency="GBP", status=PayRun.Status.APPROVED)
    base = 10_000_000 + run.pk * 100_000
    lines = (("BASIC", "Basic pay", "earning", "160", "20.5", "3280.00"),
             ("OVERTIME", "Overtime", "earning", "6", "30.75", "184.50"),
             ("PENSION", "Pension", "pre_tax_deduction", None, None, "173.23"),
             ("PAYE", "Income tax", "employee_tax", None, None, "441.20"),
             ("NI_EE", "Employee NI", "employee_tax", None, None, "146.51"),
             ("LOAN", "Loan", "post_tax_deduction", None, None, "50.00"),
             ("NI_ER", "Employer NI", "employer_tax", None, None, "443.61"),
             ("PENSION_ER", "Employer pension", "employer_contribution", None, None, "103.94"))
    # What finalisation records for the printed payslip (payroll.services.issue): employer,
    # tax setup and a year to date on every line, so the full layout is what is timed.
    issued = {
        "employer": {"payer_name": "Bench Widgets Ltd", "legal_name": "Bench Widgets Limited",
                     "address": "1 High Street\nLeeds\nLS1 1AA",
                     "paye_reference": "123/AB45678", "ein": ""},
        "tax": {"tax_code": "1257L", "basis": "cumulative", "ni_category": "A",
                "ni_number": "•••• 456C", "tax_period": "Month 8"},
        "line_ytd": {code: str(Decimal(a) * 8) for code, _, _, _, _, a in lines},
        "paid_outside_reason": ""}
    slips = Payslip.objects.bulk_create([
        Payslip(run=run, employee=e, number=base + i, currency="GBP", tax_year="2026-27",
                gross=Decimal("3464.50"), total_pre_tax=Decimal("173.23"),
                total_employee_tax=Decimal("587.71"), total_post_tax=Decimal("50.00"),
                net=Decimal("2653.56"), employer_cost=Decimal("4012.05"),
                ytd={"gross": "27716.00", "net": "21228.48", "uk_tax_paid": "3529.60",
                     "uk_employee_ni": "1172.08"}, inputs_hash="bench",
                payment_method="bank", bank_last4=f"{e.pk:08d}"[-4:], issued_details=issued)
        for i, e in enumerate(employees)
    ], batch_size=500)
    PayslipLine.objects.bulk_create([
        PayslipLine(payslip=s, sort_order=i, code=code, description=desc, category=cat,
                    quantity=Decimal(q) if q else None, rate=Decimal(r) if r else None,
                    amount=Decimal(a))
        for s in slips for i, (code, desc, cat, q, r, a) in enumerate(lines)
    ], batch_size=2000)
    PayRun.objects.filter(pk=run.pk).update(
        status=PayRun.Status.FINALISED, finalised_at=datetime(2026, 11, 20, tzinfo=UTC))
    return run.pk


def start_workers(n: int, code: Path = ROOT) -> list[subprocess.Popen]:
    """`n` workers running the code of the checkout `code` (this one, or `--against`)."""
    celery = str(Path(sys.executable).with_name("celery"))
    env = {**os.environ, **ENV, "PYTHONPATH": str(code)}
    return [
        subprocess.Popen(
            [celery, "-A", "hrops", "worker", "--pool=prefork", "--concurrency=1",
             "--loglevel=WARNING", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-n", f"benchpdf{i}@%h"],
            cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for i in range(n)
    ]


def _tree_cpu(pids: list[int]) -> float:
    """CPU seconds used so far by these processes and all their descendants (the prefork pool
    children do the rendering), read from /proc: start-up is left out by reading it twice."""
    total, stack = 0.0, list(pids)
    ticks = os.sysconf("SC_CLK_TCK")
    while stack:
        pid = stack.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
            for task in Path(f"/proc/{pid}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def timed_round(count: int, workers: int, code: Path) -> tuple[int, float, float, float]:
    """(PDFs, seconds, KiB per PDF, worker CPU seconds) for one fresh run rendered by workers
    of `code`. The CPU figure (from the first payslip queued to the last one ready, start-up
    left out) depends far less on the machine's load than the seconds do."""
    from hrops.celery import app
    from payroll.models import Payslip
    from payroll.services.payslips import payslips_render_for_run

    run_id = build_run(count)
    app.control.purge()
    started_workers = start_workers(workers, code)
    try:
        deadline = time.monotonic() + 90
        while len(app.control.ping(timeout=0.5) or []) < workers:
            if time.monotonic() > deadline:
                raise SystemExit("the workers did not start")
        pids = [worker.pid for worker in started_workers]
        cpu_before = _tree_cpu(pids)
        started = time.perf_counter()
        queued = payslips_render_for_run(run_id)
        pending = Payslip.objects.filter(run_id=run_id).exclude(pdf_status="ready")
        while pending.exists():
            if pending.filter(pdf_status="failed").exists():
                error = pending.filter(pdf_status="failed").values_list("pdf_error", flat=True)[0]
                raise SystemExit(f"a payslip failed: {error}")
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        time.sleep(2)  # the last ready-emails
        cpu = _tree_cpu(pids) - cpu_before
    finally:
        for worker in started_workers:
            worker.terminate()
        for worker in started_workers:
            worker.wait(timeout=30)
        app.control.purge()  # ready-emails still queued for this throwaway run
    files = list((Path(MEDIA_ROOT) / "payslips" / str(run_id)).glob("*.pdf"))
    return queued, elapsed, sum(f.stat().st_size for f in files) / max(len(files), 1) / 1024, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--against", type=Path, default=None,
                        help="another checkout (e.g. a worktree of main): its workers are timed "
                             "too, alternating with this one's, on the same database and load")
    parser.add_argument("--rounds", type=int, default=1, help="rounds (each side once a round)")
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    sides = [("this checkout", ROOT)] + ([("against", args.against.resolve())]
                                         if args.against else [])
    results: dict[str, list[float]] = {label: [] for label, _code in sides}
    for round_ in range(args.rounds):
        for label, code in (sides if round_ % 2 == 0 else sides[::-1]):
            queued, elapsed, size, cpu = timed_round(args.count, args.workers, code)
            results[label].append(queued / elapsed)
            print(f"{label:<14} {queued} PDFs by {args.workers} workers in {elapsed:.1f} s "
                  f"({queued / elapsed:.1f} PDFs/s), {size:.1f} KiB each, workers' CPU "
                  f"{1000 * cpu / queued:.0f} ms per PDF (email included); load average "
                  f"{os.getloadavg()[0]:.1f}", flush=True)
    if args.against:
        mine, theirs = (max(results[label]) for label, _code in sides)
        print(f"best PDFs/s: this checkout {mine:.1f}, against {theirs:.1f} "
              f"({mine / theirs:.2f}x); target 30/s with 2 workers")


if __name__ == "__main__":
    main()
