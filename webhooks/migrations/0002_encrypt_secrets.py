"""Webhook signing secrets encrypted at rest (issue 17 leftovers): the columns become
EncryptedTextField (employees.crypto, FIELD_ENCRYPTION_KEYS) and every stored secret is
encrypted in place. Raw SQL on the stored values: the field itself would try to decrypt the
plaintext. A value that already decrypts is left alone, so running it again changes nothing;
reversing decrypts them back before the columns shrink."""

from django.db import migrations

import employees.crypto

TABLE = "webhooks_webhooksubscription"
COLUMNS = ("secret", "previous_secret")


def _is_token(value: str) -> bool:
    try:
        employees.crypto.decrypt(value)
    except employees.crypto.DecryptionError:
        return False
    return True


def _convert(schema_editor, change) -> None:
    connection = schema_editor.connection
    q = connection.ops.quote_name
    cols = ", ".join(q(c) for c in COLUMNS)
    sets = ", ".join(f"{q(c)} = %s" for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {cols} FROM {q(TABLE)}")  # noqa: S608 (identifiers quoted)
        for pk, *values in cursor.fetchall():
            new = [change(v) if v else v for v in values]
            if new != values:
                cursor.execute(f"UPDATE {q(TABLE)} SET {sets} WHERE id = %s",  # noqa: S608
                               [*new, pk])


def encrypt_existing(apps, schema_editor) -> None:
    _convert(schema_editor, lambda v: v if _is_token(v) else employees.crypto.encrypt(v))


def decrypt_existing(apps, schema_editor) -> None:
    _convert(schema_editor, lambda v: employees.crypto.decrypt(v) if _is_token(v) else v)


class Migration(migrations.Migration):

    dependencies = [
        ("webhooks", "0001_webhook_subscriptions_and_deliveries"),
    ]

    operations = [
        migrations.AlterField(
            model_name="webhooksubscription",
            name="previous_secret",
            field=employees.crypto.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name="webhooksubscription",
            name="secret",
            field=employees.crypto.EncryptedTextField(),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
