"""A run's payslip flags counted and filtered in SQL: the run page and approval never load the
flags of every payslip into Python (at 20,000 payslips that alone took ~450 ms).

Flags and overrides are JSON lists on the payslip (``payroll.services.calculation._flag``:
``{"code", "message", "blocking", "overridable"}``; an override names the ``code`` it accepts).
The SQL walks those lists with the database's own JSON functions: ``jsonb_array_elements`` on
PostgreSQL, ``json_each`` on SQLite (the embedded default). Both give one row per flag.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from payroll import reasons
from payroll.models import Payslip

PAYSLIP_TABLE = Payslip._meta.db_table

# {col} is the payslip table (or its alias); "f" is one element of its flags list.
_DIALECTS = {
    "postgresql": {
        "elements": "jsonb_array_elements({col}.flags) AS f(value)",
        "code": "(f.value ->> 'code')",
        "blocking": "(f.value ->> 'blocking') = 'true'",
        "overridden": "{col}.overrides @> jsonb_build_array("
                      "jsonb_build_object('code', f.value ->> 'code'))",
        # the predicate of the partial index payslip_run_flagged (0011_review_indexes)
        "flagged": "{col}.flags <> '[]'::jsonb",
    },
    "sqlite": {
        "elements": "json_each({col}.flags) AS f",
        "code": "json_extract(f.value, '$.code')",
        "blocking": "json_extract(f.value, '$.blocking') = 1",
        "overridden": "EXISTS (SELECT 1 FROM json_each({col}.overrides) AS o "
                      "WHERE json_extract(o.value, '$.code') = json_extract(f.value, '$.code'))",
        "flagged": "{col}.flags <> '[]'",
    },
}


def _sql(template: str, col: str) -> str:
    dialect = _DIALECTS.get(connection.vendor)
    if dialect is None:  # the project runs on PostgreSQL or SQLite only (hrops.settings)
        raise NotImplementedError(f"No flag SQL for the {connection.vendor} backend.")
    return template.format(**{key: part.format(col=col) for key, part in dialect.items()})


def _condition(template: str, params: tuple = ()) -> RawSQL:
    # Only constant SQL fragments are formatted in; the flag code is a bound parameter.
    return RawSQL(_sql(template, f'"{PAYSLIP_TABLE}"'), params,  # noqa: S611
                  output_field=BooleanField())


def has_unresolved_blocking_flag() -> RawSQL:
    """True for a payslip with a blocking flag that no override accepts (what stops approval)."""
    return _condition("EXISTS (SELECT 1 FROM {elements} WHERE {blocking} AND NOT {overridden})")


def has_flag(code: str) -> RawSQL:
    return _condition("EXISTS (SELECT 1 FROM {elements} WHERE {code} = %s)", (code,))


def blocked_count(run_id: int) -> int:
    """Payslips of the run that still have a blocking flag to resolve or override: one query."""
    return payslips_flagged(Payslip.objects.filter(run_id=run_id), blocked=True).count()


@dataclass(frozen=True, slots=True)
class FlagCount:
    code: str
    payslips: int
    overridden: int
    blocking: bool

    @property
    def label(self) -> str:
        return reasons.flag_label(self.code)

    @property
    def open(self) -> int:
        return self.payslips - self.overridden


_COUNTS = (
    "SELECT {code}, COUNT(DISTINCT p.id), "
    "COUNT(DISTINCT CASE WHEN {overridden} THEN p.id END), "
    "MAX(CASE WHEN {blocking} THEN 1 ELSE 0 END) "
    "FROM payroll_payslip p, {elements} WHERE p.run_id = %s AND {flagged} "
    "GROUP BY 1 ORDER BY 1"
)


def flag_counts(run_id: int) -> list[FlagCount]:
    """Per flag code: how many payslips carry it, how many of those are overridden, and whether
    it blocks approval. One grouped query, in code order."""
    sql = _sql(_COUNTS, "p")
    with connection.cursor() as cursor:
        cursor.execute(sql, [run_id])
        return [FlagCount(code or "", int(n), int(done or 0), bool(blocking))
                for code, n, done, blocking in cursor.fetchall()]


def payslips_flagged(payslips: QuerySet[Payslip], *, code: str = "",
                     blocked: bool = False) -> QuerySet[Payslip]:
    """Narrow a run's payslips to the flagged ones: with one flag `code`, with an unresolved
    blocking flag, or (neither) any flag at all. "Any flag" comes first in every case: on
    PostgreSQL it is the partial index payslip_run_flagged, so only flagged rows are read."""
    flagged = payslips.exclude(flags=[])
    if code:
        return flagged.filter(has_flag(code))
    if blocked:
        return flagged.filter(has_unresolved_blocking_flag())
    return flagged
