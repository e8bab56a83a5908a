"""The pay report's aggregates computed in the database (analytics.pay states the
definitions): the people are never loaded, only a few rows per group come back, so the page
does not grow with headcount. Standard SQL (CTEs, window functions), so PostgreSQL and SQLite
answer the same; amounts are compared and ranked in SQL, while every figure shown (quartile
interpolation, the compa-ratio) is worked out in Python with Decimals from the stored amounts.

The people of a report: employed on the day (analytics.asof), with the pay record in force
that day. Annual pay: the annual salary; or, for hourly pay, rate x the contracted weekly hours
of the job record in force x 52, half up to the cent (analytics.pay.annual_pay).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection

from analytics.asof import _people_sql
from analytics.metrics import Filters

_PAY_JOIN = ("JOIN employees_compensationrecord c ON c.employee_id = e.employee_id "
             "AND c.effective_date <= %s AND NOT EXISTS (SELECT 1 FROM "
             "employees_compensationrecord c2 WHERE c2.employee_id = c.employee_id "
             "AND c2.effective_date > c.effective_date AND c2.effective_date <= %s) ")
_LOCATION_JOIN = "JOIN employees_location l ON l.id = j.location_id "
# Contracted hours of the job record in force, read only for hourly pay.
_HOURS = ("CASE WHEN c.basis = 'hourly' THEN (SELECT h.weekly_hours FROM employees_jobrecord h "
          "WHERE h.employee_id = e.employee_id AND h.effective_date <= %s "
          "ORDER BY h.effective_date DESC LIMIT 1) END")


# The queries on top of _base; constant SQL, every value a parameter.
# Per currency: people, and people with an annual pay; the report's currency (the one asked
# for, else the most common); each job title's and department's size and the annual pay at the
# ranks the inclusive quartiles need ((n - 1) x p and the next, p = 1/4, 1/2, 3/4; from 0).
_POPULATION = (
    ", c AS (SELECT cur, COUNT(*) AS people, COUNT(annual) AS annualised FROM a GROUP BY cur), "
    "chosen AS (SELECT cur FROM c ORDER BY CASE WHEN cur = %s THEN 0 ELSE 1 END, people DESC, "
    "cur DESC LIMIT 1), "
    "g AS (SELECT 0 AS k, title AS g, annual, CAST(ROUND(annual * 100) AS BIGINT) AS cents "
    "FROM a WHERE cur = (SELECT cur FROM chosen) AND annual IS NOT NULL UNION ALL SELECT 1, "
    "dept, annual, CAST(ROUND(annual * 100) AS BIGINT) FROM a WHERE cur = (SELECT cur FROM "
    "chosen) AND annual IS NOT NULL), "
    # Ranked on whole cents (an integer sort; annual pay has two decimal places).
    "r AS (SELECT k, g, annual, ROW_NUMBER() OVER (PARTITION BY k, g ORDER BY cents) - 1 AS i, "
    "COUNT(*) OVER (PARTITION BY k, g) AS n FROM g) "
    # (The typed branch first: PostgreSQL types a UNION's NULL columns from the left.)
    "SELECT k, g, NULL, n, i, annual FROM r WHERE i IN ((n - 1) / 4, (n - 1) / 2, "
    "(3 * (n - 1)) / 4) OR i IN ((n - 1) / 4 + 1, (n - 1) / 2 + 1, (3 * (n - 1)) / 4 + 1) "
    "UNION ALL SELECT 2, NULL, cur, people, annualised, NULL FROM c "
    "UNION ALL SELECT 3, NULL, cur, NULL, NULL, NULL FROM chosen")
_BAND_COUNTS = (
    "SELECT a.title, COUNT(*), SUM(CASE WHEN a.annual < b.minimum THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN a.annual > b.maximum THEN 1 ELSE 0 END), "
    "SUM(CAST(ROUND(a.annual * 100) AS INTEGER)) FROM a JOIN analytics_payband b "
    "ON b.job_title_id = a.title AND b.currency = a.cur WHERE a.cur = %s AND a.annual IS "
    "NOT NULL GROUP BY a.title")
_OUTSIDE_BANDS = (
    "SELECT a.pk, a.title, a.annual FROM a JOIN analytics_payband b ON b.job_title_id = "
    "a.title AND b.currency = a.cur WHERE a.cur = %s AND (a.annual < b.minimum OR "
    "a.annual > b.maximum) ORDER BY a.title, a.annual, a.pk")


def _base(day: date, filters: Filters) -> tuple[str, list]:
    """`WITH p AS (...), a AS (...)`: one row per person with currency, department, title,
    pay basis, salary, rate, hours and annual pay (NULL: hourly without contracted hours)."""
    select = (f"e.employee_id AS pk, j.department_id AS dept, j.job_title_id AS title, "
              f"c.currency AS cur, c.basis AS basis, c.annual_salary AS salary, "
              f"c.hourly_rate AS rate, {_HOURS} AS hours")
    sql, params = _people_sql(day, filters, select)
    # The pay record joins after the location (before the WHERE; the select's own subquery
    # has a WHERE of its own).
    sql = sql.replace(_LOCATION_JOIN, _LOCATION_JOIN + _PAY_JOIN, 1)
    return (f"WITH p AS ({sql}), a AS (SELECT p.*, CASE WHEN "  # noqa: S608
            "basis = 'salary' THEN salary WHEN hours > 0 THEN ROUND(rate * hours * 52, 2) "
            "END AS annual FROM p) "), [day, day, day, *params]


def _run(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def amount(value) -> Decimal | None:
    """SQLite returns numbers of raw SQL as float or int: back to the cent they were stored
    as (every amount here has two decimal places)."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(Decimal("0.01"))


@dataclass
class Population:
    currency: str
    counts: dict[str, tuple[int, int]]  # currency -> (people, with an annual pay)
    # ("title" | "dept", group id) -> (people, {rank: annual pay})
    points: dict[tuple[str, int | None], tuple[int, dict[int, Decimal]]]


def population(day: date, filters: Filters, currency: str = "") -> Population:
    """Every currency's head count, the report's currency and its quartile points by job title
    and department. One query: a few rows per group, whatever the headcount."""
    sql, params = _base(day, filters)
    found = Population("", {}, {})
    for kind, group, cur, n, rank, annual in _run(sql + _POPULATION, [*params, currency]):
        if kind == 2:  # a currency: people, people with an annual pay
            found.counts[cur] = (n, rank)
        elif kind == 3:  # the report's currency
            found.currency = cur
        else:
            key = ("title" if kind == 0 else "dept", group)
            found.points.setdefault(key, (n, {}))[1][rank] = amount(annual)
    return found


def band_counts(day: date, filters: Filters, currency: str) -> dict[int, tuple]:
    """job title id -> (people, below the band minimum, above its maximum, total annual pay in
    cents) for the titles with a band in `currency`. One query."""
    sql, params = _base(day, filters)
    return {row[0]: row[1:] for row in _run(sql + _BAND_COUNTS, [*params, currency])}


def outside_bands(day: date, filters: Filters, currency: str) -> list[tuple[int, int, Decimal]]:
    """(employee id, job title id, annual pay) of the people outside their band. One query."""
    sql, params = _base(day, filters)
    return [(pk, title, amount(annual)) for pk, title, annual in _run(
        sql + _OUTSIDE_BANDS, [*params, currency])]
