"""The directory search also finds people by their personal email ("Name, email or number"):
the trigram GIN index of 0002 is rebuilt on the new search expression
(employees.directory.search_document). PostgreSQL only: on SQLite this does nothing."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations, models
from django.db.models.functions import Coalesce, Concat, Upper

OLD_FIELDS = ("legal_first_name", "legal_last_name", "preferred_name", "work_email",
              "employee_number")
NEW_FIELDS = (*OLD_FIELDS, "personal_email")


def search_index(fields: tuple[str, ...]) -> GinIndex:
    # Frozen copy of employees.directory.search_document (a migration must not import app code);
    # tests/employees_directory/test_search_index.py checks the planner uses it.
    parts: list = []
    for name in fields:
        parts += [Coalesce(models.F(name), models.Value("")), models.Value(" ")]
    document = Upper(Concat(*parts[:-1], output_field=models.TextField()))
    return GinIndex(OpClass(document, name="gin_trgm_ops"), name="employee_search_trgm")


def _rebuild(fields: tuple[str, ...]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute('DROP INDEX IF EXISTS "employee_search_trgm"')
        schema_editor.add_index(apps.get_model("employees", "Employee"), search_index(fields))
    return run


class Migration(migrations.Migration):
    dependencies = [("employees", "0004_employee_anonymised_at")]

    operations = [
        migrations.RunPython(_rebuild(NEW_FIELDS), _rebuild(OLD_FIELDS), elidable=False),
    ]
