"""Employee import at company scale (run on demand, not part of the test suite).

    .venv/bin/python bench/employees_import.py --rows 20000 [--format csv|xlsx] [--db NAME]

Creates (or empties) the scratch database `hrops_bench_import` (PostgreSQL on 127.0.0.1, or the
one in DATABASE_URL's server), migrates, seeds the reference data (departments, locations, job
titles, a pay schedule), writes one file of N new employees (managers in the same file: a tree 8
wide), then times, in-process (the delivery handlers run as a worker would):
- the upload and dry run: store the file, read + check every row (`import_check`),
- the apply: one all-or-nothing transaction (`import_apply`),
and prints rows/s, the file size and the queries of each phase.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=2000)
parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
parser.add_argument("--db", default="hrops_bench_import")
args = parser.parse_args()

server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
os.environ["DATABASE_URL"] = f"{server}/{args.db}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrops.settings")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuv")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("CELERY_BROKER_URL", "")
# Embedded mode hands an import to a background thread after the response (delivery/embedded.py);
# here each step runs inline on commit instead, so a call returns when its step is done.
os.environ["DELIVERY_EMBEDDED_BACKGROUND"] = "False"
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="hrops-bench-import-"))

import psycopg  # noqa: E402

with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
    admin.execute(f'DROP DATABASE IF EXISTS "{args.db}"')
    admin.execute(f'CREATE DATABASE "{args.db}"')

import django  # noqa: E402

django.setup()

from datetime import date  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from employees.models import Department, Employee, JobTitle, Location  # noqa: E402
from hrops import exports  # noqa: E402
from payroll.models import PaySchedule  # noqa: E402

call_command("migrate", verbosity=0)
for i in range(25):
    Department.objects.create(name=f"Department {i}", code=f"D{i:02d}")
for i in range(12):
    Location.objects.create(name=f"Office {i}")
for i in range(60):
    JobTitle.objects.create(name=f"Title {i}")
PaySchedule.objects.create(name="UK monthly", frequency="monthly", country="GB", currency="GBP",
                           first_period_start=date(2026, 4, 6))
from django.contrib.auth.models import Group  # noqa: E402

hr, _ = Group.objects.get_or_create(name=Role.HR_ADMIN.value)
user = User.objects.create_user(email="bench.hr@example.test", password="x")  # noqa: S106
user.groups.add(hr)

HEADER = ["employee_number", "legal_first_name", "legal_last_name", "work_email",
          "hire_date", "department", "location", "job_title", "manager_number",
          "work_country", "pay_basis", "amount", "currency", "pay_schedule"]
rows = [HEADER]
for i in range(args.rows):
    manager = f"IM{(i - 1) // 8:06d}" if i else ""
    rows.append([f"IM{i:06d}", f"First{i}", f"Last{i}", f"person{i}@bench.example",
                 "2026-01-05", f"Department {i % 25}", f"Office {i % 12}", f"Title {i % 60}",
                 manager, "GB", "salary", f"{30000 + i % 5000}.00", "GBP", "UK monthly"])
content = exports.to_csv(rows, bom=False) if args.format == "csv" else exports.to_xlsx(rows)
name = f"bench.{args.format}"
print(f"{args.rows} rows, {len(content) / 1e6:.1f} MB {args.format}")

from employees.services import import_jobs  # noqa: E402

# Embedded mode (no broker): each delivery item runs in this process when the transaction that
# queued it commits, exactly the work a worker does; so each call below returns when its step
# (the check, the apply) is done.
job = None


def upload():
    global job
    job = import_jobs.import_job_create(acting_user=user, kind="employees", name=name,
                                        upload=io.BytesIO(content), size=len(content))


def confirm():
    import_jobs.import_job_confirm(acting_user=user, job=job)


for phase, run in (("upload + dry run", upload), ("apply", confirm)):
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        run()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    job.refresh_from_db()
    # CPU: this process only (PostgreSQL's own work is not in it); load inflates it far less
    # than the seconds.
    print(f"{phase:17s} {seconds:7.1f} s  {cpu:7.1f} s cpu  {args.rows / seconds:7.0f} rows/s  "
          f"{len(queries):6d} queries  status={job.status} errors={len(job.errors)}  "
          f"load {os.getloadavg()[0]:.1f}")
print(f"employees now: {Employee.objects.count()}")
