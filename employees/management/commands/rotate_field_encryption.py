from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from employees.crypto import encrypted_fields, rotate

BATCH = 500


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the newest key in FIELD_ENCRYPTION_KEYS. Run after "
        "putting a new key first; drop the old key only once this has finished."
    )

    def handle(self, *args, **options) -> None:
        total = 0
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if not fields:
                continue
            count = self._rotate_model(model, fields)
            total += count
            self.stdout.write(f"{model._meta.label}: {count} row(s) re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} row(s) re-encrypted."))

    def _rotate_model(self, model, fields: list[str]) -> int:
        """Works on the stored tokens (MultiFernet.rotate), so plaintext never leaves this loop
        and rows are written with a plain UPDATE (no auto_now change, no audit noise)."""
        table = model._meta.db_table
        pk = model._meta.pk.column
        columns = [model._meta.get_field(f).column for f in fields]
        count = 0
        q = connection.ops.quote_name
        # Identifiers come from model meta and are quoted; values are bound parameters.
        cols = ", ".join(q(c) for c in columns)
        sets = ", ".join(f"{q(c)} = %s" for c in columns)
        tbl, key = q(table), q(pk)
        select = f"SELECT {key}, {cols} FROM {tbl} WHERE {key} > %s ORDER BY {key}"  # noqa: S608
        select += f" LIMIT {BATCH}"
        update = f"UPDATE {tbl} SET {sets} WHERE {key} = %s"  # noqa: S608
        last = 0
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(select, [last])
                rows = cursor.fetchall()
                for row in rows:
                    tokens = [rotate(t) if t else t for t in row[1:]]
                    cursor.execute(update, [*tokens, row[0]])
                    count += 1
            if len(rows) < BATCH:
                return count
            last = rows[-1][0]
