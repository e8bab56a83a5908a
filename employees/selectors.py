"""Reads of the employee record. Effective-dated questions ("as of D") are answered here only."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery

from employees.models import CompensationRecord, Employee, Employment, JobRecord
from hrops.sql_ids import id_array


def with_leaving_on(qs: QuerySet[Employee]) -> QuerySet[Employee]:
    """Annotate `leaving_on` (Employee.leaving_on without a query per row): the last working
    day of each employee's latest employment, when one is recorded."""
    latest = (Employment.objects.filter(employee=OuterRef("pk")).order_by("-start_date")
              .values("end_date")[:1])
    return qs.annotate(leaving_on=Subquery(latest))


def compensation_as_of(employee: Employee | int, on: date) -> CompensationRecord | None:
    """The compensation record in force on `on` (the latest effective on or before it).

    This is the only way payroll reads pay: a future-dated record changes nothing before its date.
    """
    employee_id = employee if isinstance(employee, int) else employee.pk
    return (
        CompensationRecord.objects.filter(employee_id=employee_id, effective_date__lte=on)
        .select_related("pay_schedule")
        .order_by("-effective_date")
        .first()
    )


def compensation_segments(
    employee: Employee | int, start: date, end: date
) -> list[CompensationRecord]:
    """Every compensation record in force at some point between start and end, oldest first."""
    employee_id = employee if isinstance(employee, int) else employee.pk
    in_force_at_start = compensation_as_of(employee_id, start)
    later = list(
        CompensationRecord.objects.filter(
            employee_id=employee_id, effective_date__gt=start, effective_date__lte=end
        ).order_by("effective_date")
    )
    return ([in_force_at_start] if in_force_at_start else []) + later


def job_as_of(employee: Employee | int, on: date) -> JobRecord | None:
    employee_id = employee if isinstance(employee, int) else employee.pk
    return (
        JobRecord.objects.filter(employee_id=employee_id, effective_date__lte=on)
        .select_related("job_title", "department", "location", "manager")
        .order_by("-effective_date")
        .first()
    )


def employee_for_user(user) -> Employee | None:
    """The employee record linked to a login, or None (e.g. an admin with no HR record)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_hrops_employee", False)
    if cached is False:
        cached = (
            Employee.objects.filter(user=user)
            .select_related("job_title", "department", "location", "manager")
            .first()
        )
        user._hrops_employee = cached
    return cached


def report_ids(manager: Employee) -> set[int]:
    """Ids of everyone reporting to `manager`, directly or indirectly.

    One query per level of the hierarchy (org charts are shallow); the set also stops a corrupt
    cycle from looping forever.
    """
    found: set[int] = set()
    frontier = {manager.pk}
    while frontier:
        level = set(
            Employee.objects.filter(manager_id__in=frontier).values_list("id", flat=True)
        ) - found - {manager.pk}
        found |= level
        frontier = level
    return found


def manager_chain(employee: Employee) -> list[Employee]:
    """The employee's managers, nearest first, up to the top."""
    chain: list[Employee] = []
    seen = {employee.pk}
    current = employee.manager
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = current.manager
    return chain


def employees_active_on(on: date) -> QuerySet[Employee]:
    return Employee.objects.filter(hire_date__lte=on).exclude(
        status=Employee.Status.TERMINATED, termination_date__lt=on
    )


@dataclass(frozen=True)
class BankDetails:
    """Decrypted payment details of an employee's primary account, for payroll payment files."""

    holder_name: str
    country: str
    iban: str
    bic: str
    routing_number: str
    account_number: str
    sort_code: str
    account_type: str
    last4: str


def bank_details_for_payment(employee_ids: Iterable[int]) -> dict[int, BankDetails]:
    """employee id -> BankDetails of their primary active account (employees with none are
    absent). One query; decryption happens as the rows load."""
    from employees.models import BankAccount

    accounts = BankAccount.objects.filter(
        employee_id__in=list(employee_ids), is_primary=True, is_active=True
    )
    return {
        account.employee_id: BankDetails(
            holder_name=account.holder_name, country=account.country, iban=account.iban,
            bic=account.bic, routing_number=account.routing_number,
            account_number=account.account_number, sort_code=account.sort_code,
            account_type=account.account_type, last4=account.last4,
        )
        for account in accounts
    }


def employees_with_payment_account(employee_ids: Iterable[int]) -> set[int]:
    """Ids of the employees who have the account bank_details_for_payment would pay (primary
    and active), without loading or decrypting it. One query."""
    from employees.models import BankAccount

    return set(BankAccount.objects.filter(
        employee_id__in_ids=id_array(employee_ids), is_primary=True, is_active=True
    ).order_by().values_list("employee_id", flat=True))  # no ordering: no join to names


def weekly_hours_as_of(employee_ids: Iterable[int], on: date) -> dict[int, Decimal]:
    """employee id -> contracted hours a week on the job record in force on `on` (employees
    whose record has none are absent). One query, for any number of employees."""
    found: dict[int, Decimal | None] = {}
    for employee_id, hours in JobRecord.objects.filter(
        employee_id__in_ids=id_array(employee_ids), effective_date__lte=on
    ).order_by("employee_id", "effective_date").values_list("employee_id", "weekly_hours"):
        found[employee_id] = hours  # ordered by date: the record in force wins
    return {pk: hours for pk, hours in found.items() if hours is not None}


def compensation_bases_as_of(employee_ids: Iterable[int], on: date) -> dict[int, str]:
    """employee id -> pay basis ("salary" / "hourly") of the compensation record in force on
    `on` (employees with none are absent). One query."""
    found: dict[int, str] = {}
    for employee_id, basis in CompensationRecord.objects.filter(
        employee_id__in=list(employee_ids), effective_date__lte=on
    ).order_by("employee_id", "effective_date").values_list("employee_id", "basis"):
        found[employee_id] = basis
    return found
