"""The scheduled ledger jobs: accrual, and the year end (carry-over and expiry).

Idempotent by the database: each entry carries its period ("2026" for a front-loaded year,
"2026-03" for a month, "pp:<pay period id>" for a pay period, "close:2026", "carry:2026",
"carried:2026") and LedgerEntry's unique constraint (policy, person, kind, period) refuses
a second one, so a re-run, a retried delivery item or two workers at once post nothing
twice (bulk_create(ignore_conflicts=True)).
The daily accrual fans out through the delivery mechanism, one item per 1,000 people.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum

from audit.services import audit_record
from delivery.models import DeliveryItem
from delivery.services import delivery_enqueue_many
from employees.models import Employee
from lifecycle.services.checklists import conditions_match
from timeoff.entitlement import (
    IRREGULAR_RATE,
    PERIODS_PER_YEAR,
    leave_year,
    monthly_share,
    pay_period_share,
    per_hour_accrual,
)
from timeoff.models import EntryKind, LeavePolicy, LedgerEntry, Method
from timeoff.services.ledger import ZERO
from timeoff.services.patterns import patterns_for
from timeoff.services.policies import active_policies, facts_of, year_entitlement

ACCRUAL_KIND = "timeoff.accrual_chunk"
CHUNK = 1000
JOB_METHODS = (Method.FRONT_LOADED, Method.MONTHLY, Method.UK_STATUTORY)
HOUR_METHODS = (Method.PER_HOUR, Method.IRREGULAR)
# Hours worked: the HOURS and OVERTIME lines of finalised payslips whose period ended lately.
HOURS_CODES = ("HOURS", "OVERTIME")
HOURS_WINDOW = timedelta(days=62)
EMPLOYEE_FIELDS = ("id", "department_id", "location_id", "employment_type", "work_country",
                   "fte", "hire_date", "termination_date")
# Pay periods that ended lately: a missed day (or a late period) catches up.
PAY_PERIOD_WINDOW = timedelta(days=62)
# The year end is worked for a month after it, so a missed day catches up.
YEAR_END_WINDOW = timedelta(days=31)


def _people(on: date):
    """Everyone employed on some day of the period an accrual on `on` may cover."""
    return Employee.objects.filter(hire_date__lte=on).filter(
        Q(termination_date__isnull=True) | Q(termination_date__gte=on - timedelta(days=366)))


def accrual_run(*, on: date) -> int:
    """The beat job: one delivery item per chunk of people. Returns the number of items."""
    ids = list(_people(on).order_by("pk").values_list("pk", flat=True))
    chunks = [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]
    with transaction.atomic():
        delivery_enqueue_many(kind=ACCRUAL_KIND, items=[
            (f"timeoff.accrual:{on}:{n}", {"day": on.isoformat(), "ids": chunk})
            for n, chunk in enumerate(chunks)])
    return len(chunks)


def accrual_chunk_deliver(*, item: DeliveryItem) -> int:
    return accrual_post(employee_ids=item.payload["ids"],
                        on=date.fromisoformat(item.payload["day"]))


def _policy_of(employee, policies: list[LeavePolicy], leave_type_id: int):
    facts = facts_of(employee)
    for policy in policies:
        if policy.leave_type_id == leave_type_id and conditions_match(policy, facts):
            return policy
    return None


def _due(policy: LeavePolicy, employee, pattern, on: date) -> tuple[str, date, Decimal] | None:
    """(period, effective date, amount) the policy owes the person as of `on`, or None."""
    if policy.method == Method.MONTHLY:
        month_last = on.replace(day=1) - timedelta(days=1)
        month_first = month_last.replace(day=1)
        if employee.hire_date > month_last or (
                employee.termination_date and employee.termination_date < month_first):
            return None
        # The full-year figure: the month share pro-rates a joiner's or leaver's part month.
        full_year = year_entitlement(policy, employee, pattern, month_last, whole_year=True)
        amount = monthly_share(full_year, month_first, month_last, employee.hire_date,
                               employee.termination_date)
        return f"{month_first:%Y-%m}", month_last, amount
    first, _last = leave_year(on, policy.year_start_month)
    if employee.termination_date and employee.termination_date < first:
        return None
    amount = year_entitlement(policy, employee, pattern, on)
    return f"{first:%Y}", max(first, employee.hire_date), amount


def accrual_post(*, employee_ids: Iterable[int], on: date) -> int:
    """Post what is due on `on` to these people; returns the number of new entries."""
    every = [p for p in active_policies() if p.leave_type.tracks_balance]
    policies = [p for p in every if p.method in JOB_METHODS]
    hourly = [p for p in every if p.method in HOUR_METHODS]
    by_period = [p for p in every if p.method == Method.PAY_PERIOD]
    people = list(Employee.objects.filter(pk__in=list(employee_ids)).only(*EMPLOYEE_FIELDS))
    # Each person's policy is chosen among all of a type's policies (priority), then posted by
    # the part of the job its method belongs to.
    posted = _hours_post(people, every, hourly, on) if hourly else 0
    posted += _pay_period_post(people, every, by_period, on) if by_period else 0
    if not policies:
        return posted
    return posted + _periodic_post(people, every, policies, on)


def _hours_rows(employee_ids: list[int], on: date) -> list[tuple[int, int, date, Decimal]]:
    """(employee, payslip, period end, hours) from finalised payslips of the window."""
    from payroll.models import FROZEN_STATUSES, PayslipLine

    rows = PayslipLine.objects.filter(
        payslip__employee_id__in=employee_ids, payslip__run__status__in=FROZEN_STATUSES,
        payslip__run__period__end_date__gt=on - HOURS_WINDOW,
        payslip__run__period__end_date__lte=on, code__in=HOURS_CODES,
    ).values("payslip__employee_id", "payslip_id", "payslip__run__period__end_date").annotate(
        hours=Sum("quantity"))
    return [(r["payslip__employee_id"], r["payslip_id"], r["payslip__run__period__end_date"],
             r["hours"] or ZERO) for r in rows]


def _hours_post(people: list, every: list[LeavePolicy], policies: list[LeavePolicy],
                on: date) -> int:
    """12.07% (reg 15B) or the policy's PTO rate of the hours each finalised payslip paid."""
    by_pk = {p.pk: p for p in people}
    rows = []
    for employee_id, payslip_id, end, hours in _hours_rows(list(by_pk), on):
        for type_id in sorted({p.leave_type_id for p in policies}):
            policy = _policy_of(by_pk[employee_id], every, type_id)
            if policy is None or policy.method not in HOUR_METHODS or hours <= 0:
                continue
            rate = IRREGULAR_RATE if policy.method == Method.IRREGULAR else policy.per_hour_rate
            rows.append(LedgerEntry(
                employee_id=employee_id, leave_type_id=type_id, policy=policy,
                kind=EntryKind.ACCRUAL, amount=per_hour_accrual(hours, rate), effective_date=end,
                period=f"hours:{payslip_id}", reason=f"{policy.name}: {hours} hours worked"))
    return _insert(rows, f"hours accrual {on}")


def _schedules_of(people: list, on: date) -> dict[int, list[tuple[date, int | None]]]:
    """Each person's pay schedule history up to `on`: [(effective date, schedule id)], oldest
    first (one query)."""
    from employees.models import CompensationRecord

    history: dict[int, list[tuple[date, int | None]]] = {}
    for employee_id, effective, schedule_id in CompensationRecord.objects.filter(
            employee_id__in=[e.pk for e in people], effective_date__lte=on,
    ).order_by("effective_date").values_list("employee_id", "effective_date", "pay_schedule_id"):
        history.setdefault(employee_id, []).append((effective, schedule_id))
    return history


def _schedule_on(history: list[tuple[date, int | None]], day: date) -> int | None:
    found = None
    for effective, schedule_id in history:
        if effective <= day:
            found = schedule_id
    return found


def _pay_period_post(people: list, every: list[LeavePolicy], policies: list[LeavePolicy],
                     on: date) -> int:
    """1/periods-a-year of the full-year entitlement for each pay period of the person's
    schedule (the one in force at the period's end) that ended before `on`, pro rata for a
    part period; period "pp:<id>", so the constraint posts each period once."""
    from payroll.models import PayPeriod

    history = _schedules_of(people, on)
    periods: dict[int, list] = {}
    for period in PayPeriod.objects.filter(
            schedule_id__in={s for h in history.values() for _d, s in h if s},
            end_date__lt=on, end_date__gte=on - PAY_PERIOD_WINDOW,
    ).select_related("schedule").order_by("start_date"):
        periods.setdefault(period.schedule_id, []).append(period)
    pattern_of = patterns_for(people)
    type_ids = sorted({p.leave_type_id for p in policies})
    rows = []
    for employee in people:
        for period in (p for s in {s for _d, s in history.get(employee.pk, []) if s}
                       for p in periods.get(s, [])):
            if _schedule_on(history[employee.pk], period.end_date) != period.schedule_id:
                continue
            if employee.hire_date > period.end_date or (
                    employee.termination_date and employee.termination_date < period.start_date):
                continue
            for type_id in type_ids:
                policy = _policy_of(employee, every, type_id)
                if policy is None or policy.method != Method.PAY_PERIOD:
                    continue
                full_year = year_entitlement(policy, employee, pattern_of[employee.pk](
                    period.end_date), period.end_date, whole_year=True)
                amount = pay_period_share(
                    full_year, PERIODS_PER_YEAR[period.schedule.frequency], period.start_date,
                    period.end_date, employee.hire_date, employee.termination_date)
                if amount:
                    rows.append(LedgerEntry(
                        employee_id=employee.pk, leave_type_id=type_id, policy=policy,
                        kind=EntryKind.ACCRUAL, amount=amount, effective_date=period.end_date,
                        period=f"pp:{period.pk}", reason=(
                            f"{policy.name}: pay period {period.start_date} – "
                            f"{period.end_date}")))
    return _insert(rows, f"pay period accrual {on}")


def _periodic_post(people: list, every: list[LeavePolicy], policies: list[LeavePolicy],
                   on: date) -> int:
    pattern_of = patterns_for(people)
    type_ids = sorted({p.leave_type_id for p in policies})
    rows = []
    for employee in people:
        for type_id in type_ids:
            policy = _policy_of(employee, every, type_id)
            if policy is None or policy.method not in JOB_METHODS:
                continue
            pattern = pattern_of[employee.pk](on)
            due = _due(policy, employee, pattern, on)
            if due is None or due[2] == 0:
                continue
            period, effective, amount = due
            rows.append(LedgerEntry(employee_id=employee.pk, leave_type_id=type_id,
                                    policy=policy, kind=EntryKind.ACCRUAL, amount=amount,
                                    effective_date=effective, period=period,
                                    reason=f"{policy.name}: {period}"))
    return _insert(rows, f"accrual {on}")


def _insert(rows: list[LedgerEntry], note: str) -> int:
    """Insert the entries the constraint lets through; one audit event for the batch."""
    if not rows:
        return 0
    periods = {row.period for row in rows}
    mine = LedgerEntry.objects.filter(period__in=periods,
                                      employee_id__in={row.employee_id for row in rows})
    with transaction.atomic():
        before = mine.count()
        LedgerEntry.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        count = mine.count() - before
        if count:  # a re-run that posts nothing leaves no trace either
            audit_record(actor=None, action="create", obj=rows[0].policy, note=note,
                         changes={"entries": [None, count]}, source="job")
    return count


def _balances_on(policy: LeavePolicy, employee_ids: list[int], on: date) -> dict[int, Decimal]:
    rows = LedgerEntry.objects.filter(
        leave_type_id=policy.leave_type_id, employee_id__in=employee_ids, effective_date__lte=on,
    ).values("employee_id").annotate(total=Sum("amount"))
    return {r["employee_id"]: r["total"] for r in rows}


def _governed(policy: LeavePolicy, policies: list[LeavePolicy]) -> list[int]:
    """The people whose balance of this leave type this policy governs (entries exist)."""
    ids = set(LedgerEntry.objects.filter(leave_type_id=policy.leave_type_id)
              .values_list("employee_id", flat=True))
    people = Employee.objects.filter(pk__in=ids).only(*EMPLOYEE_FIELDS)
    return [e.pk for e in people if _policy_of(e, policies, policy.leave_type_id) == policy]


def _close_year(policy: LeavePolicy, ids: list[int], year_last: date) -> list[LedgerEntry]:
    """Everything left at the year end expires; up to the limit comes back as carry-over."""
    rows = []
    for employee_id, total in _balances_on(policy, ids, year_last).items():
        if total <= 0:
            continue  # nothing to carry; a negative balance simply continues
        limit = policy.carry_over_limit
        carried = total if limit is None else min(total, limit)
        common = {"employee_id": employee_id, "leave_type_id": policy.leave_type_id,
                  "policy": policy}
        rows.append(LedgerEntry(**common, kind=EntryKind.EXPIRY, amount=-total,
                                effective_date=year_last, period=f"close:{year_last.year}",
                                reason=f"Leave year ending {year_last} closed"))
        if carried > 0:
            rows.append(LedgerEntry(**common, kind=EntryKind.CARRY_OVER, amount=carried,
                                    effective_date=year_last + timedelta(days=1),
                                    period=f"carry:{year_last.year}",
                                    reason=f"Carried over from the year ending {year_last}"))
    return rows


def _expire_carried(policy: LeavePolicy, ids: list[int], year_last: date,
                    expires: date) -> list[LedgerEntry]:
    """Only the part of the carried leave not used by the expiry date expires (leave taken
    after the year end uses carried days first) - never all of it (cf. frappe/hrms#2770)."""
    carried = {e.employee_id: e.amount for e in LedgerEntry.objects.filter(
        policy=policy, kind=EntryKind.CARRY_OVER, period=f"carry:{year_last.year}",
        employee_id__in=ids)}
    taken = {r["employee_id"]: -r["total"] for r in LedgerEntry.objects.filter(
        leave_type_id=policy.leave_type_id, employee_id__in=list(carried),
        kind=EntryKind.TAKEN, effective_date__gt=year_last, effective_date__lt=expires,
    ).values("employee_id").annotate(total=Sum("amount"))}
    rows = []
    for employee_id, amount in carried.items():
        unused = amount - max(taken.get(employee_id, ZERO), ZERO)
        if unused > 0:
            rows.append(LedgerEntry(
                employee_id=employee_id, leave_type_id=policy.leave_type_id, policy=policy,
                kind=EntryKind.EXPIRY, amount=-unused, effective_date=expires,
                period=f"carried:{year_last.year}",
                reason=f"Unused carry-over from the year ending {year_last} expired"))
    return rows


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def year_end_run(*, on: date) -> int:
    """Beat, daily: close the leave year that ended (within a month), expire unused carry-over
    whose expiry date has come (within a month). Returns the number of new entries."""
    policies = active_policies()
    posted = 0
    for policy in (p for p in policies if p.leave_type.tracks_balance):
        first, _last = leave_year(on, policy.year_start_month)
        year_last = first - timedelta(days=1)
        ids = None
        if on - first < YEAR_END_WINDOW:
            ids = _governed(policy, policies)
            posted += _insert(_close_year(policy, ids, year_last), f"year end {year_last}")
        if policy.carry_over_expiry_months:
            # The carry-over of the year before this one, or of the last year end.
            for closed_last in (year_last, leave_year(year_last, policy.year_start_month)[0]
                                - timedelta(days=1)):
                expires = _add_months(closed_last + timedelta(days=1),
                                      policy.carry_over_expiry_months)
                if timedelta(0) <= on - expires < YEAR_END_WINDOW:
                    ids = ids if ids is not None else _governed(policy, policies)
                    posted += _insert(_expire_carried(policy, ids, closed_last, expires),
                                      f"carry-over expiry {expires}")
    return posted
