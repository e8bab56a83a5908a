"""People analytics at scale (run on demand, not part of the test suite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hrops_bench_analytics \
        .venv/bin/python bench/analytics_reports.py --n 20000

Seeds about N people employed today with 5+ years of history (hires every month, leavers
with reasons, job moves), rebuilds the monthly snapshot (timed: the nightly job), then requests
every analytics report as an HR Analyst and prints p50/p95 latency and SQL queries.
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
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from analytics.snapshot import snapshot_refresh  # noqa: E402
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

REASONS = ["resignation"] * 6 + ["dismissal", "redundancy", "end_of_contract", "retirement",
                                 "mutual", "other"]
BRANCHING = 8
BATCH = 5000


def _people(n: int, rng: random.Random, today: date) -> list[dict]:
    """~n employed today: a core hired before the 5 years, then monthly hires of whom ~15% a
    year leave."""
    out = []
    start = today - timedelta(days=365 * 6)
    for i in range(int(n * 1.35)):
        if i < n * 0.55:
            hire = date(2008, 1, 1) + timedelta(days=rng.randrange((start - date(2008, 1, 1)).days))
        else:
            hire = start + timedelta(days=rng.randrange((today - start).days + 60))
        end = None
        if rng.random() < 0.3:
            end = hire + timedelta(days=rng.randrange(30, 2400))
            end = end if end > start else start + timedelta(days=rng.randrange(400))
        out.append({"i": i, "hire": hire, "end": end, "reason": rng.choice(REASONS)})
    return out


def seed(n: int, rng: random.Random, reseed: bool) -> None:
    have = Employee.objects.filter(employee_number__startswith="AX").count()
    if have and not reseed:
        print(f"seed: {have} bench people already present")
        return
    bench = Employee.objects.filter(employee_number__startswith="AX")
    JobRecord.objects.filter(employee__in=bench).delete()
    Employment.objects.filter(employee__in=bench).delete()
    bench.update(manager=None)
    CompensationRecord.objects.filter(employee__in=bench).delete()
    bench.delete()
    started = time.perf_counter()
    today = timezone.localdate()
    with transaction.atomic():
        depts = [Department.objects.get_or_create(code=f"AD{i}", defaults={
            "name": f"Analytics department {i}"})[0] for i in range(25)]
        locs = [Location.objects.get_or_create(name=f"Analytics office {i}", defaults={
            "country": "GB" if i < 8 else "US", "city": "City"})[0] for i in range(12)]
        titles = [JobTitle.objects.get_or_create(name=f"Analytics title {i}")[0]
                  for i in range(60)]
        specs = _people(n, rng, today)
        people = [Employee(
            employee_number=f"AX{s['i']:06d}", legal_first_name="Person",
            legal_last_name=f"N{s['i']:06d}", work_email=f"ax{s['i']}@bench.example",
            status="terminated" if s["end"] and s["end"] < today else "active",
            hire_date=s["hire"], termination_date=s["end"] if s["end"] and s["end"] < today
            else None, department=rng.choice(depts), location=rng.choice(locs),
            job_title=rng.choice(titles),
            employment_type=rng.choices(["full_time", "part_time", "contractor", "temporary"],
                                        [80, 12, 4, 4])[0],
            fte=Decimal("1.000")) for s in specs]
        Employee.objects.bulk_create(people, batch_size=BATCH)
        for i, person in enumerate(people):
            person.manager = people[(i - 1) // BRANCHING] if i else None
        Employee.objects.bulk_update(people, ["manager"], batch_size=BATCH)
        Employment.objects.bulk_create([
            Employment(employee=p, start_date=s["hire"], end_date=s["end"],
                       termination_reason=s["reason"] if s["end"] else "")
            for p, s in zip(people, specs, strict=True)], batch_size=BATCH)
        records = []
        for p, s in zip(people, specs, strict=True):
            records.append(JobRecord(
                employee=p, effective_date=s["hire"], job_title=p.job_title,
                department=p.department, location=p.location, manager=p.manager,
                employment_type=p.employment_type, fte=p.fte, reason=ChangeReason.HIRE))
            moved = s["hire"] + timedelta(days=rng.randrange(200, 1500))
            if moved < (s["end"] or today) and rng.random() < 0.6:
                records.append(JobRecord(
                    employee=p, effective_date=moved, job_title=rng.choice(titles),
                    department=rng.choice(depts), location=p.location, manager=p.manager,
                    employment_type=p.employment_type, fte=rng.choice(
                        [Decimal("1.000"), Decimal("0.800")]), reason=ChangeReason.TRANSFER))
        JobRecord.objects.bulk_create(records, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seed: {len(people)} people, {len(records)} job records in "
          f"{time.perf_counter() - started:.1f} s")


def seed_pay(rng: random.Random, payslip_months: int) -> None:
    """A pay record per bench person (30% with a later merit increase) and `payslip_months`
    months of finalised payslips for everyone employed on each pay date."""
    from payroll.models import PayPeriod, PayRun, PaySchedule, Payslip

    people = list(Employee.objects.filter(employee_number__startswith="AX").values_list(
        "pk", "hire_date"))
    if not CompensationRecord.objects.filter(employee_id=people[0][0]).exists():
        records = []
        for pk, hire in people:
            salary = Decimal(rng.randrange(25_000, 120_000))
            records.append(CompensationRecord(employee_id=pk, effective_date=hire,
                                              basis="salary", annual_salary=salary,
                                              currency="GBP", reason=ChangeReason.HIRE))
            if rng.random() < 0.3:
                records.append(CompensationRecord(
                    employee_id=pk, effective_date=hire + timedelta(days=400), basis="salary",
                    annual_salary=(salary * Decimal("1.05")).quantize(Decimal("0.01")),
                    currency="GBP", reason=ChangeReason.MERIT_INCREASE))
        CompensationRecord.objects.bulk_create(records, batch_size=BATCH)
        print(f"seed: {len(records)} pay records")
    schedule, _ = PaySchedule.objects.get_or_create(name="Analytics bench", defaults={
        "frequency": "monthly", "country": "GB", "currency": "GBP",
        "first_period_start": date(2015, 1, 1)})
    if payslip_months == 0 or PayRun.objects.filter(schedule=schedule).exists():
        return
    today = timezone.localdate()
    for back in range(payslip_months, 0, -1):
        pay_date = (today.replace(day=1) - timedelta(days=30 * back)).replace(day=25)
        period = PayPeriod.objects.create(schedule=schedule, number=pay_date.month,
                                          start_date=pay_date.replace(day=1),
                                          end_date=pay_date, pay_date=pay_date)
        run = PayRun.objects.create(schedule=schedule, period=period, status="finalised",
                                    pay_date=pay_date, currency="GBP")
        employed = Employment.objects.filter(start_date__lte=pay_date).exclude(
            end_date__lt=pay_date).values_list("employee_id", flat=True)
        Payslip.objects.bulk_create([Payslip(
            run=run, employee_id=pk, currency="GBP", tax_year="2026-27",
            gross=Decimal("3000.00"), total_pre_tax=Decimal("0"),
            total_employee_tax=Decimal("600.00"), total_post_tax=Decimal("0"),
            total_employer_tax=Decimal("350.00"), net=Decimal("2400.00"),
            employer_cost=Decimal("3450.00"), inputs_hash="bench") for pk in employed],
            batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seed: {payslip_months} months of payslips")


def seed_gender_pay(rng: random.Random) -> None:
    """The UK gender pay gap's inputs: a gender for every bench person, 37.5 contracted hours,
    a salary line on each payslip of the period containing 5 April and an annual bonus line
    for one in five on each payslip of the 12 months before it."""
    from analytics.models import PayGapGender
    from payroll.models import Payslip, PayslipLine

    bench = Employee.objects.filter(employee_number__startswith="AX")
    if PayGapGender.objects.filter(employee__in=bench).exists():
        return
    PayGapGender.objects.bulk_create([
        PayGapGender(employee_id=pk, gender="woman" if rng.random() < 0.48 else "man")
        for pk in bench.values_list("pk", flat=True)], batch_size=BATCH)
    JobRecord.objects.filter(employee__in=bench).update(weekly_hours=Decimal("37.5"))
    lines = []
    for payslip in Payslip.objects.filter(run__schedule__name="Analytics bench").values_list(
            "pk", flat=True):
        lines.append(PayslipLine(payslip_id=payslip, sort_order=0, code="SALARY",
                                 description="Salary", category="earning",
                                 amount=Decimal(rng.randrange(1800, 9000))))
        if rng.random() < 0.2:
            lines.append(PayslipLine(payslip_id=payslip, sort_order=1, code="BONUS",
                                     description="Bonus", category="earning",
                                     amount=Decimal(rng.randrange(100, 5000))))
    PayslipLine.objects.bulk_create(lines, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seed: {len(lines)} payslip lines, genders for the gender pay gap")


def seed_sickness(rng: random.Random) -> None:
    """Sickness for the absence report: about half of today's bench staff with one to three
    approved spells of 1-5 days in the last 15 months (approved sickness, bulk inserted)."""
    from timeoff.models import LeaveRequest
    from timeoff.services.sickness import sick_type

    bench = Employee.objects.filter(employee_number__startswith="AX")
    if LeaveRequest.objects.filter(employee__in=bench).exists():
        return
    kind = sick_type()
    today = timezone.localdate()
    rows = []
    for pk in bench.exclude(status="terminated").values_list("pk", flat=True):
        if rng.random() < 0.5:
            continue
        for _ in range(rng.randint(1, 3)):
            first = today - timedelta(days=rng.randrange(455))
            rows.append(LeaveRequest(
                employee_id=pk, leave_type=kind, first_day=first,
                last_day=first + timedelta(days=rng.randrange(5)), amount=Decimal("1"),
                status=LeaveRequest.Status.APPROVED))
    LeaveRequest.objects.bulk_create(rows, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seed: {len(rows)} sickness spells")


def admin_client() -> Client:
    """An HR Admin (EEO-1 and the pay gap's audit sheet are theirs), second factor enrolled."""
    from tests.mfa import enrol_totp

    user, created = User.objects.get_or_create(email="bench.admin@example.test",
                                               defaults={"full_name": "Bench Admin"})
    user.groups.add(Group.objects.get(name="HR Admin"))
    if created:
        enrol_totp(user)
    client = Client()
    client.force_login(user)
    return client


def analyst_client() -> Client:
    user, _ = User.objects.get_or_create(email="bench.analyst@example.test",
                                         defaults={"full_name": "Bench Analyst"})
    user.groups.add(Group.objects.get(name="HR Analyst"))
    client = Client()
    client.force_login(user)
    return client


def measure(client: Client, path: str, repeat: int) -> tuple[float, float, int, int]:
    client.get(path)
    timings, queries, status = [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        queries, status = len(ctx.captured_queries), response.status_code
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, queries, status


def refresh_pay_gap() -> None:
    """The stored gender pay gap figures (part of the nightly job), timed, when the code has
    them (main before issue 15's last part computes them on every request)."""
    try:
        from analytics.gpg_store import pay_gap_refresh_due
    except ImportError:
        return
    started = time.perf_counter()
    done = pay_gap_refresh_due()
    print(f"gender pay gap store (nightly job): {done} snapshot(s) in "
          f"{time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="people employed today")
    parser.add_argument("--repeat", type=int, default=15, help="requests per report")
    parser.add_argument("--reseed", action="store_true", help="drop and re-create bench data")
    parser.add_argument("--only", default="", help="measure only reports whose label contains "
                        "this (the baseline is always measured)")
    parser.add_argument("--no-refresh", action="store_true",
                        help="keep the stored pre-aggregates (skip the nightly jobs)")
    parser.add_argument("--payslip-months", type=int, default=12,
                        help="months of finalised payslips to seed")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    call_command("migrate", verbosity=0)
    seed(args.n, random.Random(15), args.reseed)
    seed_pay(random.Random(16), args.payslip_months)
    seed_gender_pay(random.Random(17))
    seed_sickness(random.Random(18))
    if not args.no_refresh:
        started = time.perf_counter()
        run = snapshot_refresh()
        print(f"snapshot refresh (nightly job): {run.rows} rows in "
              f"{time.perf_counter() - started:.1f} s")
        refresh_pay_gap()
    client, admin = analyst_client(), admin_client()
    dept = Department.objects.get(code="AD3")
    us = "US"
    manager = Employee.objects.get(employee_number="AX000009")  # ~300 people below
    month = (timezone.localdate().replace(day=1) - timedelta(days=40)).strftime("%Y-%m")
    snapshot_year = timezone.localdate().year if timezone.localdate() >= date(
        timezone.localdate().year, 4, 5) else timezone.localdate().year - 1
    pages = [
        ("baseline: bare Django (/healthz)", "/healthz"),
        ("workforce, 24 months", "/analytics/"),
        ("workforce, 60 months", "/analytics/?months=60"),
        ("workforce, department", f"/analytics/?department={dept.pk}&months=60"),
        ("workforce, country + type", f"/analytics/?country={us}&employment_type=full_time"),
        ("workforce, as of a year ago", "/analytics/?as_of="
         f"{(timezone.localdate() - timedelta(days=365)).isoformat()}"),
        ("workforce, manager subtree (live)", f"/analytics/?manager={manager.employee_number}"),
        ("trend CSV, 60 months", "/analytics/?months=60&table=trend&format=csv"),
        ("people: a month's leavers", f"/analytics/people/?metric=leavers&month={month}"),
        ("people: headcount, page 1", "/analytics/people/?metric=headcount"),
        ("people: a month's leavers CSV",
         f"/analytics/people/?metric=leavers&month={month}&format=csv"),
        ("people: tenure band", "/analytics/people/?metric=tenure&band=2%E2%80%935+years"),
        ("pay report", "/analytics/pay/"),
        ("pay report, department", f"/analytics/pay/?department={dept.pk}"),
        ("pay table CSV (by title)", "/analytics/pay/?table=by_title&format=csv"),
        ("gender pay gap", f"/analytics/gender-pay-gap/?year={snapshot_year}"),
        ("absence, 52 weeks", "/analytics/absence/"),
        ("absence, 52 weeks, a department", f"/analytics/absence/?department={dept.pk}"),
        ("compliance coverage, 60 months", "/analytics/compliance/?months=60"),
        ("EEO-1 (HR Admin)", "/analytics/eeo1/"),
    ]
    employed = Employment.objects.filter(end_date__isnull=True).count()
    print(f"\n{Employee.objects.count()} people ({employed} with an open employment); "
          f"{args.repeat} requests per report\n")
    print(f"{'report':<38} {'p50 ms':>8} {'p95 ms':>8} {'x base':>7} {'queries':>8} "
          f"{'status':>7}")
    baseline = None
    for label, path in pages:
        if args.only and not label.startswith("baseline") and args.only not in label:
            continue
        p50, p95, queries, status = measure(admin if "HR Admin" in label else client, path,
                                            args.repeat)
        baseline = baseline or p50  # the first row: the same machine's floor in this run
        print(f"{label:<38} {p50:8.1f} {p95:8.1f} {p50 / baseline:7.1f} {queries:8d} "
              f"{status:7d}")


if __name__ == "__main__":
    main()
