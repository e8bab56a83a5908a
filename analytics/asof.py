"""The as-of figures of the workforce report computed in the database: a handful of
aggregate queries whose result size does not depend on headcount (the people themselves are
never loaded). Standard SQL, so PostgreSQL and SQLite give the same answers; the definitions
are those of analytics.metrics (tests/analytics compare both)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.db import connection

from analytics.metrics import (
    ONE_DP,
    SPAN_BANDS,
    TENURE_BANDS,
    Filters,
    Retention,
    Span,
)

# The job record in force on a day: the latest effective on or before it.
_IN_FORCE = """j.effective_date <= %s AND NOT EXISTS (
    SELECT 1 FROM employees_jobrecord j2 WHERE j2.employee_id = j.employee_id
    AND j2.effective_date > j.effective_date AND j2.effective_date <= %s)"""
_OPEN_ON = "e.start_date <= %s AND (e.end_date IS NULL OR e.end_date >= %s)"


def _filter_sql(filters: Filters, id_column: str = "j.employee_id") -> tuple[str, list]:
    parts, params = [], []
    if filters.department_ids is not None:
        ids = sorted(filters.department_ids) or [-1]
        parts.append(f"j.department_id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    if filters.location_id is not None:
        parts.append("j.location_id = %s")
        params.append(filters.location_id)
    if filters.country:
        parts.append("l.country = %s")
        params.append(filters.country)
    if filters.employment_type:
        parts.append("j.employment_type = %s")
        params.append(filters.employment_type)
    if filters.employee_ids is not None:
        ids = sorted(filters.employee_ids) or [-1]
        parts.append(f"{id_column} IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    return "".join(f" AND {p}" for p in parts), params


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _people_sql(day: date, filters: Filters, select: str, tail: str = "") -> tuple[str, list]:
    """People employed on `day` (e) with their job that day (j). Today, j is the employee row
    itself: it mirrors the job record in force today (employees.services keeps it in step), so
    the default report needs no effective-date search."""
    # Only constant SQL and %s placeholders are put together here; every value is a parameter.
    if day == report_today():
        where, params = _filter_sql(filters, "j.id")
        sql = (f"SELECT {select} FROM employees_employment e "  # noqa: S608
               "JOIN employees_employee j ON j.id = e.employee_id "
               "JOIN employees_location l ON l.id = j.location_id "
               f"WHERE {_OPEN_ON}{where} {tail}")
        return sql, [day, day, *params]
    where, params = _filter_sql(filters)
    sql = (f"SELECT {select} FROM employees_employment e "  # noqa: S608
           "JOIN employees_jobrecord j ON j.employee_id = e.employee_id "
           "JOIN employees_location l ON l.id = j.location_id "
           f"WHERE {_OPEN_ON} AND {_IN_FORCE}{where} {tail}")
    return sql, [day, day, day, day, *params]


def report_today() -> date:
    from analytics import reports

    return reports.report_today()


@dataclass(frozen=True)
class AsOf:
    headcount: int
    fte: Decimal
    tenure: dict[str, int]
    span: Span


def as_of_figures(day: date, filters: Filters) -> AsOf:
    """Headcount, FTE, tenure bands (one query) and span of control (one query)."""
    cuts = [_years_before(day, low) for low, _, _ in TENURE_BANDS[1:]]
    bands = ", ".join("SUM(CASE WHEN e.start_date <= %s THEN 1 ELSE 0 END)" for _ in cuts)
    sql, params = _people_sql(day, filters, f"COUNT(*), SUM(j.fte), {bands}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*cuts, *params])
        count, fte, *at_least = cursor.fetchone()
    at_least = [int(n or 0) for n in at_least]
    tenure, above = {}, [*at_least, 0]
    tenure[TENURE_BANDS[0][2]] = count - (at_least[0] if at_least else 0)
    for index, (_, _, label) in enumerate(TENURE_BANDS[1:]):
        tenure[label] = above[index] - above[index + 1]
    return AsOf(count, Decimal(str(fte or 0)).quantize(Decimal("0.001")), tenure,
                _span(day, filters))


def _span(day: date, filters: Filters) -> Span:
    manager_employed = ("AND EXISTS (SELECT 1 FROM employees_employment m WHERE "
                        "m.employee_id = j.manager_id AND m.start_date <= %s AND "
                        "(m.end_date IS NULL OR m.end_date >= %s))")
    sql, params = _people_sql(day, filters, "j.manager_id, COUNT(*)",
                              f"AND j.manager_id IS NOT NULL {manager_employed} "
                              "GROUP BY j.manager_id")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, day, day])
        reports_of = dict(cursor.fetchall())
    counts = {label: 0 for _, _, label in SPAN_BANDS}
    for n in reports_of.values():
        for low, high, label in SPAN_BANDS:
            if n >= low and (high is None or n <= high):
                counts[label] += 1
    values = list(reports_of.values())
    average = (Decimal(sum(values)) / len(values)).quantize(ONE_DP, ROUND_HALF_UP) \
        if values else None
    mid = Decimal(str(median(values))).quantize(ONE_DP, ROUND_HALF_UP) if values else None
    return Span(len(values), average, mid, counts, {})


def retention_figures(day: date, filters: Filters) -> tuple[Retention, Retention]:
    """New-hire retention at 90 days and 1 year: one query for both cohorts (their start and
    last days only), the job in force on the start date filtered."""
    first, last = day - timedelta(days=365 + 364), day - timedelta(days=90)
    where, params = _filter_sql(filters)
    sql = ("SELECT e.start_date, e.end_date FROM employees_employment e "  # noqa: S608
           "JOIN employees_jobrecord j ON j.employee_id = e.employee_id "
           "JOIN employees_location l ON l.id = j.location_id "
           "WHERE e.start_date BETWEEN %s AND %s AND j.effective_date <= e.start_date "
           "AND NOT EXISTS (SELECT 1 FROM employees_jobrecord j2 WHERE j2.employee_id = "
           "j.employee_id AND j2.effective_date > j.effective_date "
           f"AND j2.effective_date <= e.start_date){where}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [first, last, *params])
        rows = [(_date(a), _date(b)) for a, b in cursor.fetchall()]
    out = []
    for days in (90, 365):
        to = day - timedelta(days=days)
        since = to - timedelta(days=364)
        cohort = [(s, e) for s, e in rows if since <= s <= to]
        kept = sum(1 for s, e in cohort if e is None or e >= s + timedelta(days=days))
        out.append(Retention(days, len(cohort), kept, since, to))
    return out[0], out[1]


def _date(value) -> date | None:
    """SQLite returns dates from raw SQL as text."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def people_page(day: date, filters: Filters, *, band: str = "", offset: int = 0,
                limit: int | None = None) -> tuple[int, list[tuple]]:
    """(how many, one page by name) of the people employed on `day`, optionally of one tenure
    band: rows (employee id, start, end, reason, department, job title, location, type).
    Two queries, whatever the headcount."""
    tail, extra = "", []
    for low, high, label in TENURE_BANDS:
        if label == band:
            tail = "AND e.start_date <= %s"
            extra = [_years_before(day, low)]
            if high is not None:
                tail += " AND e.start_date > %s"
                extra.append(_years_before(day, high))
    count_sql, params = _people_sql(day, filters, "COUNT(*)", tail)
    select = ("e.employee_id, e.start_date, e.end_date, e.termination_reason, j.department_id, "
              "j.job_title_id, j.location_id, j.employment_type")
    order = ("ORDER BY p.legal_last_name, p.legal_first_name, p.id"
             + (" LIMIT %s OFFSET %s" if limit is not None else ""))
    page_sql, _ = _people_sql(day, filters, select, tail)
    page_sql = page_sql.replace(" WHERE ", " JOIN employees_employee p ON p.id = e.employee_id "
                                          "WHERE ", 1) + " " + order
    with connection.cursor() as cursor:
        cursor.execute(count_sql, [*params, *extra])
        (total,) = cursor.fetchone()
        cursor.execute(page_sql, [*params, *extra, *([limit, offset] if limit is not None
                                                     else [])])
        rows = [(r[0], _date(r[1]), _date(r[2]), *r[3:]) for r in cursor.fetchall()]
    return total, rows

