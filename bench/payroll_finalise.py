"""Benchmark: what finalising a run of N payslips records (payroll.services.issue), on PostgreSQL.

Run from the repository root (PostgreSQL running):

    python bench/payroll_finalise.py [--count 20000] [--reuse]

Uses its own database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
hrops_bench_finalise, created and migrated if missing) and builds one run of N payslips with 8
lines and a bank account each (bench/payslip_pdfs.py's builder; --reuse keeps the last one).
Then, each inside a transaction that is rolled back, it times:
- the numbering alone written the way main did it (Django bulk_update of `number`);
- `issue_details` (bank account, employer, tax setup and line YTD of every payslip) and
  `payslips_save_issued` (the numbers and those fields, one UPDATE ... FROM VALUES per 1,000).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE_URL",
                      "postgres://postgres@127.0.0.1:5432/hrops_bench_finalise")


def _pdf_bench():
    path = ROOT / "bench" / "payslip_pdfs.py"
    spec = importlib.util.spec_from_file_location("payslip_pdfs", path)
    module = importlib.util.module_from_spec(spec)
    saved, sys.argv = sys.argv, sys.argv[:1]
    spec.loader.exec_module(module)  # sets the environment (database, settings) on import
    sys.argv = saved
    return module


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    builder = _pdf_bench()
    builder.ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from payroll.models import PayRun, Payslip
    from payroll.services.issue import issue_details, payslips_save_issued

    call_command("migrate", verbosity=0)
    run = PayRun.objects.filter(schedule__name="Bench PDFs").order_by("-pk").first()
    if not args.reuse or run is None or run.payslips.count() != args.count:
        started = time.perf_counter()
        builder.build_run(args.count)
        print(f"built {args.count} payslips in {time.perf_counter() - started:.1f} s")
        run = PayRun.objects.filter(schedule__name="Bench PDFs").order_by("-pk").first()
    run = PayRun.objects.select_related("schedule", "period").get(pk=run.pk)
    ids = list(run.payslips.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        numbered = [Payslip(pk=pk, number=90_000_000 + i) for i, pk in enumerate(ids)]
        started = time.perf_counter()
        Payslip.objects.bulk_update(numbered, ["number"], batch_size=1000)
        print(f"numbers only, bulk_update (main): {time.perf_counter() - started:.2f} s")
        transaction.set_rollback(True)
    with transaction.atomic():
        numbered = [Payslip(pk=pk, number=90_000_000 + i) for i, pk in enumerate(ids)]
        started = time.perf_counter()
        fields = issue_details(run, numbered)
        middle = time.perf_counter()
        payslips_save_issued(numbered, ["number", *fields])
        done = time.perf_counter()
        print(f"issue_details: {middle - started:.2f} s; numbers + issued fields written: "
              f"{done - middle:.2f} s")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
