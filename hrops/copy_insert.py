"""Insert many new model instances at once: COPY on PostgreSQL, bulk_create elsewhere.

`Model.objects.bulk_create` on PostgreSQL spends most of a big write (an import of 20,000
people, a pay-run chunk's payslips) turning rows into parameters in Python. `copy_insert` draws
the primary keys from the table's sequence in one query, sets them on the instances, and sends
the rows through one COPY. Each column gets exactly what the model would save: the field's own
`pre_save` + `get_db_prep_save` (JSON, encryption, files, auto_now dates, enums...), except for
values of the plain built-in types (str, int, bool, Decimal, date, None) in plain
field types, which those steps return unchanged and which go in as they are (most of the cost
of the write was calling them 300,000 times). The same holds for a JSON field's dict or list
(sent as its JSON text, what the field's own adapter sends), an aware datetime and a stored
file name; and the field steps that remain get the database connection itself, not the
`django.db.connection` proxy (each attribute read through the proxy is a thread-local lookup:
~16,000 a pay-run chunk).
"""

import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone

# Not datetime: a naive one is made aware in TIME_ZONE by the field, not by COPY.
PLAIN_VALUES = frozenset({str, int, bool, Decimal, date, type(None)})
PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField,
                models.DecimalField, models.DateField, models.ForeignKey)
# Subclasses of the plain field types whose saving converts the value.
CONVERTING_FIELDS = (models.JSONField, models.FileField, models.GenericIPAddressField)


def _is_plain(field: models.Field) -> bool:
    from employees.crypto import EncryptedTextField  # the one custom field that converts

    if isinstance(field, (*CONVERTING_FIELDS, EncryptedTextField)):
        return False
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return False
    if isinstance(field, models.ForeignKey):
        return _is_plain(field.target_field)
    return isinstance(field, PLAIN_FIELDS)


def _column_value(field: models.Field, conn, now: datetime):
    """A function giving what `obj` stores in this column (`conn`: the connection itself;
    `now`: the time an auto_now(_add) datetime of this write is set to)."""
    from employees.crypto import EncryptedTextField

    name = field.attname

    def saved(obj):
        return field.get_db_prep_save(field.pre_save(obj, True), conn)

    if type(field) is models.DateTimeField and (field.auto_now or field.auto_now_add) \
            and settings.USE_TZ:
        # What the field's pre_save does (set the attribute to timezone.now()), with one
        # moment for the whole write: 120,000 clock reads and conversions in a 20,000-person
        # import.
        def stamped(obj):
            obj.__dict__[name] = now
            return now
        return stamped
    if isinstance(field, (models.GenericIPAddressField, EncryptedTextField)):
        # None is stored as NULL by both (and "" as "" by the encrypted field: nothing to hide);
        # only a real value needs the field's conversion.
        blank = (None, "") if isinstance(field, EncryptedTextField) else (None,)

        def converted(obj):
            raw = obj.__dict__[name]
            return raw if type(raw) in (str, type(None)) and raw in blank else saved(obj)
        return converted

    if isinstance(field, models.JSONField) and not field.null:
        # As Django's adapt_json_value dumps (django.db.models.fields.json.get_json_dumps).
        dumps = json.dumps if field.encoder is None else partial(json.dumps, cls=field.encoder)

        def as_json(obj):
            raw = obj.__dict__[name]
            if type(raw) in (dict, list):
                return dumps(raw)
            return saved(obj)
        return as_json
    if isinstance(field, models.DateTimeField) and not (field.auto_now or field.auto_now_add):
        def moment(obj):
            raw = obj.__dict__[name]
            if type(raw) is datetime and raw.tzinfo is not None:
                return raw  # what the field would send on PostgreSQL (USE_TZ)
            return saved(obj)
        return moment
    if type(field) is models.FileField:
        def stored_name(obj):
            raw = obj.__dict__[name]
            return raw if type(raw) is str else saved(obj)  # a name: no file to save
        return stored_name
    if not _is_plain(field):
        return saved

    def value(obj):
        raw = obj.__dict__[name]
        if type(raw) in PLAIN_VALUES:
            return raw
        return saved(obj)
    return value


def assign_pks(model: type[models.Model], objs: Sequence[models.Model]) -> bool:
    """PostgreSQL: give each instance without one a pk from the table's sequence (one query),
    e.g. to point rows at each other before `copy_insert`; elsewhere False (nothing done)."""
    if connection.vendor != "postgresql":
        return False
    meta = model._meta
    missing = [obj for obj in objs if obj.pk is None]
    if missing:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM "
                           "generate_series(1, %s)", [meta.db_table, meta.pk.column, len(missing)])
            for obj, (pk,) in zip(missing, cursor.fetchall(), strict=True):
                obj.pk = pk
    return True


def copy_insert(model: type[models.Model], objs: Sequence[models.Model],
                batch_size: int = 1000) -> None:
    """`model.objects.bulk_create(objs)`, setting each pk (see the module docstring); on
    PostgreSQL a pk already set by `assign_pks` is kept."""
    if not assign_pks(model, objs) or not objs:
        model.objects.bulk_create(objs, batch_size=batch_size)
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    conn = connections[DEFAULT_DB_ALIAS]
    now = timezone.now()
    values = [_column_value(f, conn, now) for f in fields]
    with connection.cursor() as cursor:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in [meta.pk, *fields])
        # The wrapper's underlying psycopg cursor: same connection, same transaction.
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([obj.pk, *(value(obj) for value in values)])
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
