"""Issue 11 items 2-3: the pages that grew with the company, and the big files, at N employees
(run on demand, not part of the test suite).

    createdb -h 127.0.0.1 -U postgres hrops_bench_flat      # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hrops_bench_flat \
        .venv/bin/python bench/flat_pages.py --n 20000 [--repeat 30]

Seeds the directory's bench company (bench/employees_directory.py), four requirement types with
~80,000 cells (records for two of them, mixed expiries, some pending), the stored statuses
(timed: a full rebuild) and one finalised run of N payslips (8 lines each). Then prints each
page's p50/p95 and queries next to a bare-Django 50-row page measured in the same run, and for
each export its time and the process's peak RSS growth (VmHWM, reset before each export).
"""

import argparse
import os
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import employees_directory as directory_bench
from django.db import connection, transaction
from django.urls import reverse
from payroll_review import _mount_baseline as mount_baseline
from payroll_review import measure

LINES = (("BASIC", "Basic pay", "earning", "3280.00"), ("OVERTIME", "Overtime", "earning",
         "184.50"), ("PENSION", "Pension", "pre_tax_deduction", "173.23"),
         ("PAYE", "Income tax", "employee_tax", "441.20"),
         ("NI_EE", "Employee NI", "employee_tax", "146.51"),
         ("LOAN", "Loan", "post_tax_deduction", "50.00"),
         ("NI_ER", "Employer NI", "employer_tax", "443.61"),
         ("PENSION_ER", "Employer pension", "employer_contribution", "103.94"))


def seed_compliance() -> float:
    """Requirement types, rules and records in bulk, then a full rebuild of the stored statuses
    (its seconds are returned)."""
    from compliance.models import ComplianceRecord, RequirementRule, RequirementType
    from compliance.services.statuses import compliance_status_refresh
    from employees.models import Department, Employee

    if RequirementType.objects.filter(name__startswith="Bench ").exists():
        started = time.perf_counter()
        compliance_status_refresh()
        return time.perf_counter() - started
    with transaction.atomic():
        types = [RequirementType.objects.create(name=f"Bench {name}", kind=kind,
                                                requires_document=False)
                 for name, kind in (("right to work", "right_to_work"),
                                    ("fire safety", "training"), ("forklift", "licence"),
                                    ("DBS check", "background_check"))]
        RequirementRule.objects.bulk_create([
            RequirementRule(requirement_type=types[0], scope="everyone"),
            RequirementRule(requirement_type=types[1], scope="everyone"),
            RequirementRule(requirement_type=types[2], scope="department",
                            department=Department.objects.get(code="BD3")),
            RequirementRule(requirement_type=types[3], scope="country", country="GB")])
        today = date.today()
        offsets = (-20, 10, 25, 50, 80, 200, 700, None)
        ids = list(Employee.objects.filter(employee_number__startswith="BX")
                   .values_list("pk", flat=True))
        ComplianceRecord.objects.bulk_create([
            ComplianceRecord(employee_id=pk, requirement_type=rtype,
                             completed_on=today - timedelta(days=400),
                             expires_on=None if offsets[(i + n) % 8] is None
                             else today + timedelta(days=offsets[(i + n) % 8]),
                             verification="pending" if i % 11 == 0 else "verified")
            for i, pk in enumerate(ids) for n, rtype in enumerate(types[:2]) if i % 7],
            batch_size=2000)
    started = time.perf_counter()
    compliance_status_refresh()
    return time.perf_counter() - started


def seed_run() -> int:
    """One finalised run paying every current bench employee (bulk, as payslip_pdfs.py)."""
    from employees.models import Employee
    from payroll.models import PayPeriod, PayRun, PaySchedule, Payslip, PayslipLine

    schedule = PaySchedule.objects.get(name="Bench monthly")
    run = PayRun.objects.filter(schedule=schedule, status=PayRun.Status.FINALISED).first()
    if run is not None:
        return run.pk
    period, _ = PayPeriod.objects.get_or_create(
        schedule=schedule, start_date=date(2026, 11, 6),
        defaults={"number": 8, "end_date": date(2026, 12, 5), "pay_date": date(2026, 11, 27)})
    run = PayRun.objects.create(schedule=schedule, period=period, pay_date=period.pay_date,
                                currency="GBP", status=PayRun.Status.APPROVED)
    people = list(Employee.objects.filter(employee_number__startswith="BX")
                  .exclude(status="terminated").values_list("pk", flat=True))
    slips = Payslip.objects.bulk_create([
        Payslip(run=run, employee_id=pk, number=20_000_000 + i, currency="GBP",
                tax_year="2026-27", gross=Decimal("3464.50"), total_pre_tax=Decimal("173.23"),
                total_employee_tax=Decimal("587.71"), total_post_tax=Decimal("50.00"),
                net=Decimal("2653.56"), employer_cost=Decimal("4012.05"), inputs_hash="bench",
                payment_method="outside" if i % 50 == 0 else "bank",
                issued_details={"paid_outside_reason": "Paid by cheque" if i % 50 == 0
                                else ""}, pdf_status="ready")
        for i, pk in enumerate(people)], batch_size=1000)
    PayslipLine.objects.bulk_create([
        PayslipLine(payslip=s, sort_order=i, code=code, description=desc, category=cat,
                    amount=Decimal(a))
        for s in slips for i, (code, desc, cat, a) in enumerate(LINES)], batch_size=5000)
    PayRun.objects.filter(pk=run.pk).update(status=PayRun.Status.FINALISED,
                                            finalised_at=datetime(2026, 11, 20, tzinfo=UTC))
    return run.pk


def _rss_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def timed_export(label: str, make) -> None:
    """Seconds and peak RSS growth (MiB) of one export, the peak reset first (clear_refs 5)."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    before = _rss_kib("VmRSS:")
    started = time.perf_counter()
    size = make()
    seconds = time.perf_counter() - started
    growth = (_rss_kib("VmHWM:") - before) / 1024
    print(f"{label:<44} {seconds:8.2f} s {growth:8.1f} MiB {size / 1024:9.0f} KiB")


def exports(client, run_id: int) -> None:
    from accounts.models import User
    from delivery.downloads import download_build, download_request
    from delivery.models import Download
    from employees.views.directory import EXPORT_XLSX_KIND
    from payroll.models import PayRun
    from payroll.services.outputs import run_register_xlsx_request

    user = User.objects.get(email="bench.hr@example.test")
    run = PayRun.objects.get(pk=run_id)

    def streamed(url: str):
        def go() -> int:
            started = time.perf_counter()
            response = client.get(url)
            first = next(iter(response.streaming_content))
            print(f"  (first bytes of {url} after {1000 * (time.perf_counter() - started):.0f}"
                  " ms)")
            return len(first) + sum(len(chunk) for chunk in response.streaming_content)
        return go

    def built(request):
        def go() -> int:
            from unittest import mock

            started = time.perf_counter()
            # As with a broker: the request only records the item (publishing is a message);
            # this process then builds it as the worker does.
            with mock.patch("delivery.services.delivery_publish"):
                download = request()
            asked = time.perf_counter() - started
            print(f"  (request answered in {1000 * asked:.0f} ms; building...)")
            download_build(download_id=download.pk)
            download = Download.objects.get(pk=download.pk)
            return download.file.size
        return go

    print(f"\n{'export':<44} {'time':>10} {'RSS peak +':>12} {'size':>13}")
    timed_export("register CSV, streamed (web)",
                 streamed(reverse("payroll:run_register", args=[run_id, "csv"])))
    timed_export("register XLSX, built (worker)", built(
        lambda: run_register_xlsx_request(run=run, acting_user=user)))
    timed_export("directory CSV, all current, streamed (web)",
                 streamed(reverse("employees:directory_export", args=["csv"])))
    timed_export("directory XLSX, all current, built (worker)", built(
        lambda: download_request(acting_user=user, kind=EXPORT_XLSX_KIND, params={"query": ""},
                                 title="Bench", filename="bench.xlsx")))


def main() -> None:
    import random

    from django.core.management import call_command

    from compliance.models import ComplianceStatus, RequirementType
    from employees.models import Employee

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="employees to seed")
    parser.add_argument("--repeat", type=int, default=30, help="requests per page")
    parser.add_argument("--no-exports", action="store_true", help="pages only")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    os.environ.setdefault("DOWNLOADS_KEEP_HOURS", "1")
    call_command("migrate", verbosity=0)
    directory_bench.seed(args.n, random.Random(20_000), False)
    rebuild = seed_compliance()
    run_id = seed_run()
    with connection.cursor() as cursor:
        # VACUUM too: with autovacuum off (as on the bench server) index-only scans fetch
        # every heap page (employees_directory.seed).
        cursor.execute("VACUUM (ANALYZE)")
    baseline = mount_baseline()
    client = directory_bench.hr_client()
    from django.contrib.auth.models import Group

    from accounts.models import User

    # The register is a Payroll Admin's file: the bench user holds both roles.
    User.objects.get(email="bench.hr@example.test").groups.add(
        Group.objects.get(name="Payroll Admin"))
    client.get("/")
    types = {t.name: t.pk for t in RequirementType.objects.filter(name__startswith="Bench ")}
    print(f"\n{Employee.objects.count()} employees, {ComplianceStatus.objects.count()} stored "
          f"statuses (full rebuild {rebuild:.1f} s); {args.repeat} requests per page\n")
    matrix = reverse("compliance:matrix")
    pages = [
        ("baseline: bare Django, 50 rows", baseline),
        ("HR home", reverse("home")),
        ("compliance dashboard", reverse("compliance:dashboard")),
        ("matrix, status expired", f"{matrix}?status=expired"),
        ("matrix, forklift + missing", f"{matrix}?requirement={types['Bench forklift']}"
                                       "&status=missing"),
        ("matrix, right to work, page 100", f"{matrix}?requirement="
                                            f"{types['Bench right to work']}&page=100"),
        ("run delivery page (finalised run)", reverse("payroll:run_delivery", args=[run_id])),
        ("directory, page 200", f"{reverse('employees:directory')}?page=200"),
    ]
    print(f"{'page':<40} {'p50 ms':>8} {'p95 ms':>8} {'× base':>7} {'queries':>8} "
          f"{'slowest q':>10} {'status':>7}")
    base = None
    for label, path in pages:
        p50, p95, queries, status, slowest = measure(client, path, args.repeat)
        base = base or p50
        print(f"{label:<40} {p50:8.1f} {p95:8.1f} {p50 / base:7.1f} {queries:8d} "
              f"{slowest:9.1f} {status:7d}")
    if not args.no_exports:
        exports(client, run_id)


if __name__ == "__main__":
    main()
