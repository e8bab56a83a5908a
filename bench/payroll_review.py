"""Benchmark: the pay run page, its flagged views and the run review at 20,000 payslips.

Run from the repository root (PostgreSQL on localhost; no Redis: calculation runs in-process):

    python bench/payroll_review.py [--employees 20000] [--db hrops_bench_review] [--repeat 30]

Creates (or reuses) the database and seeds N employees on one UK monthly schedule in bulk
(salaried with a 5% pension, every tenth hourly; 2% without a bank account). Then, through the
real services: period 1 is calculated, its no-bank flags overridden, approved by a second
Payroll Admin and finalised; for period 2 1% have left, 1% join mid-period, 5% get a 10% rise,
hourly hours vary and every 50th person has a bonus; period 2 is calculated and left for review.
Seeding is skipped when period 2 is already calculated (`--reseed` starts again). Period 1's
delivery is then recorded as a worker pool would leave it: every payslip's PDF and email item
done, except a few failed or waiting to retry (bulk rows, no PDF is rendered), so its delivery
page (issue 11: < 50 ms) is measured at 20,000 payslips. `--only TEXT` measures only the pages
whose label contains TEXT; `--paired` also alternates each page with the baseline request by
request and counts the shared buffers its SELECTs touch (EXPLAIN BUFFERS).

Each page is requested `--repeat` times through the Django test client (in-process, DEBUG off,
logged in as the approving Payroll Admin) and p50/p95 are printed with the SQL queries per
request, next to a bare-Django baseline page measured in the same run: 50 employee rows from
one query in a minimal template, through the same middleware (session, auth, MFA, CSP).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCHEDULE = "Bench review UK monthly"
FIRST = ["Olivia", "Noah", "Amelia", "Liam", "Isla", "Jacob", "Ava", "Mason", "Mia", "Lucas",
         "Sophia", "Ethan", "Grace", "Arjun", "Chloe", "Mohammed", "Zara", "Daniel", "Freya"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Taylor", "Davies", "Evans", "Wilson", "Khan",
        "Patel", "Walker", "Wright", "Robinson", "Thompson", "Okafor", "Kowalski", "Murphy"]


def _configure(args) -> None:
    os.environ.update({
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.db}",
        "DJANGO_SETTINGS_MODULE": "hrops.settings", "DEBUG": "False", "CELERY_BROKER_URL": "",
        "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuv",
        "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "False", "LOG_LEVEL": "WARNING",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    })
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.db],
                   capture_output=True, check=False)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _users():
    from django.contrib.auth import get_user_model

    from accounts.roles import Role
    from accounts.services import user_create

    found = []
    for email in ("bench.calc@example.test", "bench.approve@example.test"):
        user = get_user_model().objects.filter(email=email).first()
        found.append(user or user_create(
            acting_user=None, email=email, full_name=email.split("@")[0],
            roles=[Role.PAYROLL_ADMIN], password="bench-only-password",  # noqa: S106
            send_welcome=False))
    return found


def _people(schedule, start: int, stop: int, hire: date) -> None:
    """Employees start..stop-1 with pay, tax details, a pension and (98%) a bank account."""
    from employees.models import BankAccount, CompensationRecord, Employee
    from payroll.models import EmployeePayItem, PayComponent, TaxProfile

    emps = Employee.objects.bulk_create(
        Employee(employee_number=f"R{i:06d}", legal_first_name=FIRST[i % len(FIRST)],
                 legal_last_name=f"{LAST[i % len(LAST)]} {i:06d}", hire_date=hire,
                 status="active", work_country="GB") for i in range(start, stop))
    CompensationRecord.objects.bulk_create(
        CompensationRecord(
            employee=e, effective_date=hire, currency="GBP", pay_schedule=schedule,
            reason="hire", basis="hourly" if i % 10 == 0 else "salary",
            hourly_rate=Decimal("18.50") if i % 10 == 0 else None,
            annual_salary=None if i % 10 == 0 else Decimal(22000 + (i * 37) % 90000))
        for i, e in enumerate(emps, start=start))
    TaxProfile.objects.bulk_create(
        TaxProfile(employee=e, jurisdiction="UK", tax_code=("1257L", "S1257L", "BR")[i % 3],
                   ni_category="A") for i, e in enumerate(emps, start=start))
    pension, _ = PayComponent.objects.get_or_create(
        code="PENSION", defaults={"name": "Pension", "kind": "pre_tax_deduction",
                                  "calculation": "percent_of_base",
                                  "reduces_income_tax_wages": True})
    EmployeePayItem.objects.bulk_create(
        EmployeePayItem(employee=e, component=pension, percent=Decimal("5"), effective_from=hire)
        for e in emps)
    BankAccount.objects.bulk_create(
        BankAccount(employee=e, holder_name=e.legal_last_name, country="GB", scheme="uk",
                    sort_code="200000", account_number=f"{i:08d}", last4=f"{i:08d}"[-4:],
                    is_primary=True) for i, e in enumerate(emps, start=start) if i % 50 != 7)


def _calculate(schedule, number: int, calculator, hours: Callable[[int], Decimal],
               bonus_every: int = 0):
    from employees.models import CompensationRecord
    from payroll.models import PayComponent, RunInput
    from payroll.services.runs import run_calculate, run_create

    run = run_create(schedule=schedule, period=schedule.periods.get(number=number),
                     acting_user=calculator)
    hours_c, _ = PayComponent.objects.get_or_create(
        code="HOURS", defaults={"name": "Hours", "kind": "earning",
                                "calculation": "rate_x_hours"})
    bonus_c, _ = PayComponent.objects.get_or_create(
        code="BONUS", defaults={"name": "Bonus", "kind": "earning"})
    records = CompensationRecord.objects.filter(pay_schedule=schedule)
    hourly = set(records.filter(basis="hourly").values_list("employee_id", flat=True))
    inputs = [RunInput(run=run, employee_id=pk, component=hours_c, quantity=hours(pk))
              for pk in sorted(hourly)]
    if bonus_every:
        everyone = set(records.values_list("employee_id", flat=True))
        inputs += [RunInput(run=run, employee_id=pk, component=bonus_c, amount=Decimal("750"))
                   for pk in sorted(everyone) if pk % bonus_every == 0]
    RunInput.objects.bulk_create(inputs)
    started = time.perf_counter()
    run_calculate(run=run, acting_user=calculator)  # eager: every chunk runs on commit, here
    run.refresh_from_db()
    print(f"period {number}: {run.status}, {run.payslips.count()} payslips in "
          f"{time.perf_counter() - started:.1f} s")
    return run


def _finalise(run, approver) -> None:
    from django.db import transaction

    from payroll.selectors_flags import payslips_flagged
    from payroll.services.runs import finalise_in_transaction, payslip_flag_override, run_approve

    for payslip in payslips_flagged(run.payslips.all(), code="missing_bank_details"):
        payslip_flag_override(payslip=payslip, code="missing_bank_details",
                              comment="Bench: paid by cheque", acting_user=approver)
    run_approve(run=run, acting_user=approver)
    with transaction.atomic():
        finalise_in_transaction(run=run, acting_user=approver, deliver=False)


def _changes(schedule, n: int) -> None:
    """Between the periods: 1% leave, 1% join mid-period 2, 5% get a 10% rise."""
    from employees.models import CompensationRecord, Employee

    Employee.objects.filter(employee_number__in=[f"R{i:06d}" for i in range(3, n, 100)]).update(
        termination_date=date(2026, 5, 1), status="terminated")
    _people(schedule, n, n + n // 100, date(2026, 5, 20))
    rises = [
        CompensationRecord(employee_id=r.employee_id, effective_date=date(2026, 5, 6),
                           currency="GBP", pay_schedule=schedule, reason="merit",
                           basis="salary", annual_salary=r.annual_salary * Decimal("1.1"))
        for r in CompensationRecord.objects.filter(pay_schedule=schedule, basis="salary",
                                                   employee_id__isnull=False)
        if r.employee_id % 20 == 0]
    CompensationRecord.objects.bulk_create(rises)


def _delivered(run) -> None:
    """Period 1's PDFs and emails as a worker pool leaves them (once): all done but 3 failed
    PDFs, 5 failed emails and 5 waiting to retry after an error. Bulk rows: no PDF is made."""
    from django.db import connection
    from django.utils import timezone

    from delivery.models import DeliveryItem
    from payroll.services.payslips import EMAIL_KIND, PDF_KIND

    group = f"payrun:{run.pk}"
    if DeliveryItem.objects.filter(group=group, kind__in=[PDF_KIND, EMAIL_KIND]).exists():
        return
    ids = list(run.payslips.order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    S = DeliveryItem.Status

    def item(kind, pk, status, error=""):
        return DeliveryItem(kind=kind, key=f"{kind}:{pk}", group=group,
                            payload={"payslip_id": pk}, status=status, attempts=1,
                            last_error=error, done_at=now if status == S.DONE else None)

    failed_pdf, failed_mail, retrying = set(ids[100:103]), set(ids[200:205]), set(ids[300:305])
    DeliveryItem.objects.bulk_create(
        [item(PDF_KIND, pk, S.FAILED if pk in failed_pdf else S.DONE,
              "bench: font missing" if pk in failed_pdf else "") for pk in ids]
        + [item(EMAIL_KIND, pk, S.FAILED if pk in failed_mail else
                S.QUEUED if pk in retrying else S.DONE,
                "bench: 550 mailbox unavailable" if pk in failed_mail | retrying else "")
           for pk in ids if pk not in failed_pdf], batch_size=2000)
    with connection.cursor() as cursor:  # the finalised payslips' delivery fields only
        cursor.execute("UPDATE payroll_payslip SET pdf_status = CASE WHEN id = ANY(%s) "
                       "THEN 'failed' ELSE 'ready' END, pdf_attempts = 1 WHERE run_id = %s",
                       [sorted(failed_pdf), run.pk])
    with connection.cursor() as cursor:
        # What autovacuum does after 20,000 updated payslips (the bench server runs with it
        # off): without it every payslip count walks dead index entries and heap pages.
        cursor.execute("VACUUM (ANALYZE) payroll_payslip, delivery_deliveryitem")
    print(f"seed: period 1 delivery recorded ({len(ids)} payslips)")


def seed(n: int, reseed: bool):
    from django.db import connection

    from employees.models import Employee
    from payroll.models import PayRun, PaySchedule
    from payroll.services.periods import periods_generate

    calculator, approver = _users()
    schedule = PaySchedule.objects.filter(name=SCHEDULE).first()
    ready = schedule and PayRun.objects.filter(
        schedule=schedule, period__number=2, status="calculated").first()
    if ready and not reseed:
        print(f"seed: reusing run {ready.pk} ({ready.payslips.count()} payslips)")
        from payroll.models import PayRunSummary
        from payroll.services.run_summary import run_summary_write

        if not PayRunSummary.objects.filter(run=ready).exists():
            # calculated before run summaries existed: write what _finish writes now
            started = time.perf_counter()
            run_summary_write(PayRun.objects.select_related("corrects").get(pk=ready.pk))
            print(f"seed: summary written in {time.perf_counter() - started:.2f} s")
        _delivered(schedule.runs.get(period__number=1, kind="regular"))
        return ready, approver
    if reseed and schedule:
        sys.exit("--reseed: drop the database (dropdb) and run again.")
    if schedule is None:
        schedule = PaySchedule.objects.create(
            name=SCHEDULE, frequency="monthly", country="GB", currency="GBP",
            first_period_start=date(2026, 4, 6))
        periods_generate(schedule=schedule, until=date(2026, 7, 5), acting_user=None)
        started = time.perf_counter()
        _people(schedule, 0, n, date(2024, 1, 1))
        print(f"seed: {n} employees in {time.perf_counter() - started:.1f} s")
    if not PayRun.objects.filter(schedule=schedule, period__number=1,
                                 status="finalised").exists():
        PayRun.objects.filter(schedule=schedule).delete()  # an interrupted seed's drafts
        _finalise(_calculate(schedule, 1, calculator, hours=lambda pk: Decimal("160")),
                  approver)
    PayRun.objects.filter(schedule=schedule, period__number=2).delete()  # not calculated
    if schedule.runs.get().payslips.count() == Employee.objects.filter(
            employee_number__startswith="R").count():
        _changes(schedule, n)
    current = _calculate(schedule, 2, calculator, hours=lambda pk: Decimal(150 + pk % 20),
                         bonus_every=50)
    _delivered(schedule.runs.get(period__number=1, kind="regular"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return current, approver


BASELINE = """<!doctype html><html><head><title>Baseline</title></head><body><table>
{% for number, first, last in rows %}<tr><td>{{ number }}</td><td>{{ first }}</td>
<td>{{ last }}</td></tr>{% endfor %}</table></body></html>"""


def _mount_baseline() -> str:
    """A bench-only URLconf: the project's URLs plus one bare Django page."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import include, path

    from employees.models import Employee

    template = engines["django"].from_string(BASELINE)

    def baseline(request):
        rows = Employee.objects.order_by("pk").values_list(
            "employee_number", "legal_first_name", "legal_last_name")[:50]
        return HttpResponse(template.render({"rows": rows}, request))

    module = ModuleType("bench_review_urls")
    module.urlpatterns = [path("bench/baseline/", baseline), path("", include("hrops.urls"))]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    return "/bench/baseline/"


def measure(client, path: str, repeat: int) -> tuple[float, float, int, int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm caches, compile templates
    timings, queries, status, slowest = [], 0, 0, 0.0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        queries, status = len(ctx.captured_queries), response.status_code
        slowest = max([slowest] + [float(q["time"]) * 1000 for q in ctx.captured_queries])
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, queries, status, slowest


def paired(client, path: str, baseline: str, repeat: int) -> str:
    """The page and the baseline alternately, request by request (so load hits both alike),
    and the PostgreSQL shared buffers the page's SELECTs touch (EXPLAIN BUFFERS: does not
    depend on load)."""
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    client.get(baseline)
    page, bare = [], []
    for _ in range(repeat):
        for target, into in ((baseline, bare), (path, page)):
            started = time.perf_counter()
            client.get(target)
            into.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    blocks = 0
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            if query["sql"].lstrip("(").startswith("SELECT"):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + query["sql"])
                plan = cursor.fetchone()[0]
                plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
                blocks += plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)
    p50, base = statistics.median(page), statistics.median(bare)
    return (f"paired: p50 {p50:.1f} ms vs baseline {base:.1f} ms = {p50 / base:.2f}x; "
            f"{len(ctx.captured_queries)} queries, {blocks} shared buffers")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=20000)
    parser.add_argument("--db", default="hrops_bench_review")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--paired", action="store_true",
                        help="also alternate each page with the baseline and count buffers")
    parser.add_argument("--only", default="", help="measure only pages whose label contains "
                        "this (the baseline is always measured)")
    args = parser.parse_args()
    _configure(args)
    run, approver = seed(args.employees, args.reseed)
    from django.test import Client
    from django.urls import reverse

    from payroll.selectors_review import run_review

    baseline = _mount_baseline()
    client = Client()
    client.force_login(approver)
    session = client.session
    session["hrops_mfa_enrolled"] = True  # the bench user stands in for an enrolled admin
    session.save()
    review = run_review(run)
    print(f"\nrun {run.pk}: {review.totals.headcount} payslips, previous "
          f"{review.previous_totals.headcount}; joiners {review.joiners.total}, leavers "
          f"{review.leavers.total}, pay changed {review.pay_changed}; {args.repeat} requests\n")
    detail = reverse("payroll:run_detail", args=[run.pk])
    pages = [
        ("baseline: bare Django, 50 rows", baseline),
        ("run page, first page", detail),
        ("run page, page 150 (OFFSET 14,900)", f"{detail}?page=150"),
        ("flagged view, any flag", f"{detail}?flagged=1"),
        ("flagged view, one code (variance)", f"{detail}?flag=variance"),
        ("flagged view, blocking not overridden", f"{detail}?blocked=1"),
        ("run review", reverse("payroll:run_review", args=[run.pk])),
        ("delivery page, finalised period 1", reverse(
            "payroll:run_delivery", args=[run.schedule.runs.get(
                period__number=1, kind="regular").pk])),
    ]
    pages = [p for p in pages if p[0].startswith("baseline") or args.only in p[0]]
    print(f"{'page':<40} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'slowest q':>10} "
          f"{'status':>7}")
    for label, path in pages:
        p50, p95, queries, status, slowest = measure(client, path, args.repeat)
        print(f"{label:<40} {p50:8.1f} {p95:8.1f} {queries:8d} {slowest:9.1f} {status:7d}")
        if args.paired and path != baseline:
            print(f"    {paired(client, path, baseline, args.repeat)}")


if __name__ == "__main__":
    main()
