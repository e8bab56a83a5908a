"""Query parameters shared by the views; bad values are 400 problems naming the parameter."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError


def as_of(request, name: str = "as_of") -> date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        value = parse_date(raw)
    except ValueError:
        value = None
    if value is None:
        raise ValidationError({name: _("A date as YYYY-MM-DD.")})
    return value


def moment(request, name: str) -> datetime | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        value = parse_datetime(raw.replace(" ", "+"))
    except ValueError:
        value = None
    if value is None:
        day = parse_date(raw) if len(raw) == 10 else None
        if day is None:
            raise ValidationError({name: _("A date-time as ISO 8601, e.g. "
                                            "2026-01-31T09:00:00Z.")})
        value = datetime(day.year, day.month, day.day)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value
