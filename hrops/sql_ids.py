"""Filter on a long list of ids with one query parameter: `filter(employee_id__in_ids=ids)`.

`filter(employee_id__in=ids)` with the 200 ids of a calculation chunk makes Django build 200
placeholders and psycopg parse and bind them, for every query of the chunk (about 5 ms each
on PostgreSQL, ~15% of a chunk's time). The `in_ids` lookup sends the ids as ONE array
parameter instead: `employee_id = ANY(%s::bigint[])`, which PostgreSQL plans as an index scan
like the literal list (it turns `IN (1, 2, ...)` into the same `= ANY`). Other databases get
Django's own `IN (...)` (unchanged SQL); an empty list matches nothing without a query.

Pass `id_array(ids)` rather than the list where a chunk's queries are built (Django otherwise
resolves and checks each of the 200 ids of a list on every filter, ~40,000 calls a chunk);
any iterable of ints works too.

Not `IN (SELECT unnest(%s))` (`ids_in`, kept for callers not yet moved): PostgreSQL plans that
as a semi-join and, for 200 ids of a table of 20,000 rows, picks a hash join over a
SEQUENTIAL scan of the whole table (random_page_cost 4 makes 200 index probes look dearer),
so each chunk of a pay run read every row of five tables: ~13 ms per query at 20,000
employees instead of ~0.3 ms, and growing with the company (bench/README.md, "Payroll run
calculation", 2026-12-01 calc10).
"""

from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In, Lookup


class IdArray:
    """Ids for `__in_ids`, with their PostgreSQL array literal worked out once. Deliberately
    not iterable: Django then passes it to the lookup as one value."""

    __slots__ = ("ids", "literal")

    def __init__(self, ids: Iterable[int]):
        self.ids = tuple(int(pk) for pk in ids)
        self.literal = "{" + ",".join(map(str, self.ids)) + "}"

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return f"IdArray({len(self.ids)} ids)"


def id_array(ids: Iterable[int]) -> IdArray:
    return ids if isinstance(ids, IdArray) else IdArray(ids)


class InIds(Lookup):
    """`<integer column>__in_ids=<IdArray or iterable of ints>`: see the module docstring."""

    lookup_name = "in_ids"
    prepare_rhs = False  # many ints, not one value of the field

    def get_prep_lookup(self):
        return id_array(self.rhs)

    def as_sql(self, compiler, connection):
        if not self.rhs.ids:
            raise EmptyResultSet  # like `__in=[]`: no query at all
        if connection.vendor != "postgresql":
            return In(self.lhs, list(self.rhs.ids)).as_sql(compiler, connection)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        # The array as its text literal ('{1,2,3}', cast in SQL): psycopg's list dumper spent
        # ~1 ms a query checking and converting 200 ints one by one.
        return f"{lhs_sql} = ANY(%s::bigint[])", [*lhs_params, self.rhs.literal]


# Related fields do not inherit Field's lookups (ForeignObject.get_class_lookups stops there).
models.Field.register_lookup(InIds)
models.ForeignObject.register_lookup(InIds)


def ids_in(ids: Iterable[int]):
    """The right-hand side of an `__in` lookup on integer ids, as `IN (SELECT unnest(...))`.
    Prefer the `__in_ids` lookup (see the module docstring for why)."""
    ids = list(ids)
    if not ids or connection.vendor != "postgresql":
        return ids
    return RawSQL("SELECT unnest(%s::bigint[])", [ids])
