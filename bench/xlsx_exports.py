"""Benchmark: the big XLSX files a worker builds (payroll register, directory), at N rows.

    .venv/bin/python bench/xlsx_exports.py [--rows 20000] [--db hrops_bench_xlsx] [--repeat 3]

Uses its own database (PostgreSQL on 127.0.0.1, `--db`, created and migrated if missing; the
server can be changed with BENCH_PG=postgres://user@host:port) and a temporary MEDIA_ROOT.
Builds one finalised run of N payslips (8 lines each; `payslip_pdfs.build_run`), so N
employees for the directory too, then times the worker's side of each download
(`delivery.downloads.download_build`: the rows from the database, the XLSX written to a temp
file, stored): wall time, this process's CPU time and its peak RSS growth (VmHWM, reset
through /proc/self/clear_refs before each build). Query counts do not depend on N.
Then the two streamed CSVs a web worker sends (the register's `run_register_csv_stream`, the
directory's `export_rows` through `exports.csv_lines`): every chunk made and counted, none kept.

To pair with another checkout (e.g. main), copy this file into it and run it there against
the same `--db`, alternating; the CPU seconds are the figure that load changes least.
"""

import argparse
import os
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--rows", type=int, default=20_000)
parser.add_argument("--db", default="hrops_bench_xlsx")
parser.add_argument("--repeat", type=int, default=3)
args = parser.parse_args()
server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
os.environ["BENCH_DATABASE_URL"] = f"{server}/{args.db}"

import bench.payslip_pdfs as pdf_bench  # noqa: E402  (sets the bench environment)

os.environ.pop("CELERY_BROKER_URL", None)  # no broker: nothing is published, builds run here
os.environ["DELIVERY_EMBEDDED_BACKGROUND"] = "False"
os.environ["DEBUG"] = "False"
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
pdf_bench.ensure_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def _rss_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def timed(label: str, request) -> None:
    from delivery.downloads import download_build
    from delivery.models import Download

    for _ in range(args.repeat):
        with mock.patch("delivery.services.delivery_publish"):  # the worker is this process
            download = request()
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        before = _rss_kib("VmRSS:")
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            download_build(download_id=download.pk)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        growth = (_rss_kib("VmHWM:") - before) / 1024
        download = Download.objects.get(pk=download.pk)
        assert download.status == Download.Status.READY, download.error
        print(f"{label:<30} {download.rows_done:7d} rows {wall:7.2f} s wall {cpu:6.2f} s cpu "
              f"{growth:6.1f} MiB RSS+ {download.file.size / 1e6:5.1f} MB "
              f"{len(queries):3d} queries", flush=True)


def timed_stream(label: str, make) -> None:
    """A streamed CSV (the web worker's side): every chunk made and counted, none kept."""
    for _ in range(args.repeat):
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        before = _rss_kib("VmRSS:")
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            size, lines = 0, 0
            for chunk in make():
                size += len(chunk)
                lines += 1
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        growth = (_rss_kib("VmHWM:") - before) / 1024
        print(f"{label:<30} {lines:7d} chunks {wall:7.2f} s wall {cpu:6.2f} s cpu "
              f"{growth:6.1f} MiB RSS+ {size / 1e6:5.1f} MB {len(queries):3d} queries", flush=True)


def main() -> None:
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role
    from delivery.downloads import download_request
    from employees.views.directory import EXPORT_XLSX_KIND
    from payroll.models import PayRun, Payslip
    from payroll.services.outputs import run_register_xlsx_request

    call_command("migrate", verbosity=0)
    run = PayRun.objects.filter(schedule__name="Bench PDFs").order_by("-pk").first()
    if run is None or Payslip.objects.filter(run=run).count() != args.rows:
        started = time.perf_counter()
        run = PayRun.objects.get(pk=pdf_bench.build_run(args.rows))
        print(f"built a run of {args.rows} payslips in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user, _ = User.objects.get_or_create(email="bench.xlsx@example.test")
    user.groups.add(*[Group.objects.get_or_create(name=r.value)[0]
                      for r in (Role.HR_ADMIN, Role.PAYROLL_ADMIN)])
    print(f"load average {os.getloadavg()[0]:.1f}")
    timed("register XLSX (worker)", lambda: run_register_xlsx_request(run=run, acting_user=user))
    timed("directory XLSX (worker)", lambda: download_request(
        acting_user=user, kind=EXPORT_XLSX_KIND, params={"query": ""}, title="Bench",
        filename="bench.xlsx"))
    from django.http import QueryDict

    from employees.views.directory import _with_header, export_rows
    from hrops import exports
    from payroll.services.outputs import run_register_csv_stream

    timed_stream("register CSV (stream)",
                 lambda: run_register_csv_stream(run=run, acting_user=user).chunks)
    timed_stream("directory CSV (stream)", lambda: exports.csv_lines(
        _with_header(*_columns_rows(export_rows(user, QueryDict(""))))))
    print(f"load average {os.getloadavg()[0]:.1f}")


def _columns_rows(exported):
    columns, _qs, rows = exported
    return columns, rows


main()
