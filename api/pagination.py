"""Keyset ("cursor") pagination: stable under inserts and updates while a client walks the
list. Rows are ordered by (updated_at, id) for syncs (or id alone for reference data); the
cursor holds the last row's key, so each page is one indexed range query whatever its depth.
A row changed during a walk moves to the end and is seen again, never skipped."""

import base64
import json
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


def page_limit(request) -> int:
    raw = request.query_params.get("limit", "")
    if not raw:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationError({"limit": _("A whole number from 1 to %d.") % MAX_LIMIT})
    return int(raw)


def _encode(values: list) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(cursor: str, n: int) -> list:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        assert isinstance(values, list) and len(values) == n
        if n == 2:
            stamp = parse_datetime(values[0])
            assert stamp is not None and isinstance(values[1], int)
            return [stamp, values[1]]
        assert isinstance(values[0], int)
        return values
    except (ValueError, AssertionError, TypeError) as exc:
        raise ValidationError({"cursor": _("This cursor is not one this API gave out.")}) \
            from exc


def keyset_page(qs: QuerySet, request, *, by_updated: bool = True,
                values: tuple[str, ...] | None = None) -> tuple[list, str | None]:
    """(rows of this page, the cursor of the next page or None). With `values`, rows are
    dicts of those fields (which must include id, and updated_at when by_updated)."""
    limit = page_limit(request)
    cursor = request.query_params.get("cursor")
    if by_updated:
        qs = qs.order_by("updated_at", "id")
        if cursor:
            stamp, pk = _decode(cursor, 2)
            # The plain range first, so the (updated_at, id) index bounds the scan; the OR only
            # drops the rows of the cursor's own instant already seen.
            qs = qs.filter(Q(updated_at__gt=stamp) | Q(id__gt=pk), updated_at__gte=stamp)
    else:
        qs = qs.order_by("id")
        if cursor:
            (pk,) = _decode(cursor, 1)
            qs = qs.filter(id__gt=pk)
    if values:
        qs = qs.values(*values)
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if not more or not rows:
        return rows, None
    last = rows[-1] if values else {"id": rows[-1].pk,
                                     "updated_at": getattr(rows[-1], "updated_at", None)}
    key = [last["updated_at"], last["id"]] if by_updated else [last["id"]]
    return rows, _encode(key)


def page_body(request, items: list, next_cursor: str | None) -> dict:
    next_url = None
    if next_cursor:
        query = request.query_params.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(request.path) + "?" + query.urlencode()
    return {"results": items, "next_cursor": next_cursor, "next": next_url}
