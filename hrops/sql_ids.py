"""Filter on a long list of ids with one query parameter.

`filter(employee_id__in=ids)` with the 200 ids of a calculation chunk makes Django build 200
placeholders and psycopg parse and bind them, for every query of the chunk (about 5 ms each
on PostgreSQL, ~15% of a chunk's time). `filter(employee_id__in=ids_in(ids))` sends the ids as
ONE array parameter instead: `employee_id IN (SELECT unnest(%s::bigint[]))`, which PostgreSQL
plans as a semi-join on the index like the literal list. Other databases get the list as it is
(unchanged SQL); so does an empty list (Django answers it without a query).
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL


def ids_in(ids: Iterable[int]):
    """The right-hand side of an `__in` lookup on integer ids (see the module docstring)."""
    ids = list(ids)
    if not ids or connection.vendor != "postgresql":
        return ids
    return RawSQL("SELECT unnest(%s::bigint[])", [ids])
