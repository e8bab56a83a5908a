"""Payroll's part of the retention report: which leavers' payroll records may now be destroyed.

Compliance calls ``retention_due(today)`` (see ``compliance.services.retention._external_due``)
and lists the items as *external*: nothing here is deleted by compliance's purge, and finalised
payslips are immutable anyway (``payroll.models``). The list tells a Payroll/HR Admin what has
passed its statutory minimum; compliance applies legal holds to it, this module does not.

The rules (federal/national minimums; a longer state or contractual rule is not modelled):

* US — IRS, "Employment tax recordkeeping" and Pub. 15 section 2: "keep all records of
  employment taxes for at least 4 years after filing the 4th quarter for the year" (Pub. 583:
  "after the date the tax becomes due or is paid, whichever is later"). US withholding follows
  the calendar year wages are paid in (Pub. 15 sec. 9), and the returns that close a year (Form
  941 for Q4, Form 940, Forms W-2/W-3) are due on 31 January of the next year. So records of
  tax year Y are kept up to and including 31 January Y+5 and are due on **1 February Y+5** —
  one month later than "4 years after 31 December", which would destroy them before the IRS
  period ends. A late filing or payment extends the period; HROps does not record filing dates,
  so such a case needs a legal hold. The FLSA's 3 years (29 CFR 516.5) is inside this period.
* UK — HMRC, "PAYE and payroll for employers: keeping records": "You must keep records for
  3 years from the end of the tax year they relate to." The tax year runs 6 April to 5 April and
  a payment belongs to the tax year of its pay date. Records of the tax year ending 5 April Y
  are kept up to and including 5 April Y+3 and are due on **6 April Y+3**.

Only TERMINATED employees are listed: a current employee's payroll history feeds their YTD,
corrections and year-end forms, so it is never reported as due. A rehired person is current.
Countries with no rule here (e.g. a SEPA schedule in FR) are not listed rather than guessed.
"""

from datetime import date, timedelta

from django.db.models import Max, Q
from django.utils.translation import gettext as _

from employees.models import Employee
from payroll.models import PayRun, Payslip

US = ("US",)
UK = ("GB", "UK")
US_YEARS_AFTER_Q4_RETURN = 4
UK_YEARS_AFTER_TAX_YEAR = 3


# --- pure rules ------------------------------------------------------------------------------

def uk_tax_year_start(pay_date: date) -> int:
    """The calendar year in which the UK tax year of `pay_date` starts (6 April)."""
    return pay_date.year if (pay_date.month, pay_date.day) >= (4, 6) else pay_date.year - 1


def due_on(country: str, pay_date: date) -> date | None:
    """Pure: the first day the payroll records of `pay_date`'s tax year may be destroyed, or None
    when there is no rule for `country`."""
    if country in US:
        # Q4 returns due 31 Jan Y+1; kept 4 years after that, so due the day after.
        return date(pay_date.year + 1 + US_YEARS_AFTER_Q4_RETURN, 2, 1)
    if country in UK:
        tax_year_end = date(uk_tax_year_start(pay_date) + 1, 4, 5)
        return tax_year_end.replace(year=tax_year_end.year + UK_YEARS_AFTER_TAX_YEAR) + (
            timedelta(days=1))
    return None


def last_due_pay_date(country: str, today: date) -> date | None:
    """Pure: the latest pay date whose records are due on or before `today` (the end of the
    latest tax year that is due), so the query can filter before it aggregates.
    Invariant (tested): due_on(country, d) <= today  <=>  d <= last_due_pay_date(country, today).
    """
    if country in US:
        latest_year = today.year - 1 - US_YEARS_AFTER_Q4_RETURN - (
            1 if (today.month, today.day) < (2, 1) else 0)
        return date(latest_year, 12, 31)
    if country in UK:
        # The tax year starting S is due on 6 April S+4.
        latest_start = uk_tax_year_start(today) - 1 - UK_YEARS_AFTER_TAX_YEAR
        return date(latest_start + 1, 4, 5)
    return None


# --- the hook --------------------------------------------------------------------------------

def _person(row: dict) -> str:
    return (f"{row['employee__legal_first_name']} {row['employee__legal_last_name']} "
            f"({row['employee__employee_number']})")


def _label(template: str, row: dict) -> str:
    return template % {
        "country": "US" if row["run__schedule__country"] in US else "UK",
        "tax_year": row["tax_year"], "person": _person(row),
        "last_paid": row["last_paid"].isoformat(),
    }


def retention_due(today: date) -> list[dict]:
    """One item per terminated employee per (schedule country, tax year) whose payroll records
    are due on or before `today`: [{"kind", "label", "employee_id", "due_on", ...}].

    One query, whatever the number of employees: Postgres filters each country's payslips to
    the tax years that are already due, then groups by employee, country and tax year.
    Only payslips of finalised (or paid) runs count: a draft is not a record of pay.
    """
    cutoffs = Q()
    for countries in (US, UK):
        cutoffs |= Q(run__schedule__country__in=countries,
                     run__pay_date__lte=last_due_pay_date(countries[0], today))
    rows = (
        Payslip.objects.filter(cutoffs, employee__status=Employee.Status.TERMINATED,
                               run__status__in=PayRun.FROZEN)
        .values("employee_id", "employee__employee_number", "employee__legal_first_name",
                "employee__legal_last_name", "run__schedule__country", "tax_year")
        .annotate(last_paid=Max("run__pay_date"))
        .order_by("employee_id", "run__schedule__country", "tax_year")
    )
    template = _(  # translated once, not once per item (tens of thousands at 20,000 people)
        "Payroll records, %(country)s tax year %(tax_year)s (payslips and pay inputs): "
        "%(person)s, last paid %(last_paid)s"
    )
    items: list[dict] = []
    for row in rows:
        when = due_on(row["run__schedule__country"], row["last_paid"])
        if when is None or when > today:  # cannot happen given the filter; never list early
            continue
        items.append({
            "kind": "payroll_records",
            "label": _label(template, row),
            "employee_id": row["employee_id"],
            "employee": _person(row),
            "due_on": when.isoformat(),
            "country": row["run__schedule__country"],
            "tax_year": row["tax_year"],
            "last_pay_date": row["last_paid"].isoformat(),
        })
    return items


def employees_in_payroll_retention(today: date) -> set[int]:
    """Terminated employees whose payroll records are still inside their statutory period on
    `today`: the tax year of their LATEST finalised pay date is not yet due (or their schedule's
    country has no rule here, so the period is unknown and the records are kept). Compliance's
    retention report does not anonymise these people yet. A person never paid is not listed.

    One query: the latest finalised pay date per terminated employee and schedule country.
    """
    rows = (
        Payslip.objects.filter(employee__status=Employee.Status.TERMINATED,
                               run__status__in=PayRun.FROZEN)
        .values("employee_id", "run__schedule__country")
        .annotate(last_paid=Max("run__pay_date"))
        .order_by()
    )
    kept: set[int] = set()
    for row in rows:
        when = due_on(row["run__schedule__country"], row["last_paid"])
        if when is None or when > today:
            kept.add(row["employee_id"])
    return kept
