"""A trigram GIN index so the directory's "contains" search stays fast at 20,000+ people.

The directory searches one expression, UPPER(first || ' ' || last || ' ' || preferred || ' ' ||
email || ' ' || number) (employees.directory.search_document); the index is on exactly that
expression, built by Django from the same parts so the two always match. PostgreSQL only: on
SQLite (the embedded default) this migration does nothing.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations, models
from django.db.models.functions import Coalesce, Concat, Upper

SEARCH_FIELDS = ("legal_first_name", "legal_last_name", "preferred_name", "work_email",
                 "employee_number")


def search_index() -> GinIndex:
    # Frozen copy of employees.directory.search_document (a migration must not import app code);
    # tests/employees_directory/test_search_index.py checks the planner uses it.
    parts: list = []
    for name in SEARCH_FIELDS:
        parts += [Coalesce(models.F(name), models.Value("")), models.Value(" ")]
    document = Upper(Concat(*parts[:-1], output_field=models.TextField()))
    return GinIndex(OpClass(document, name="gin_trgm_ops"), name="employee_search_trgm")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    employee = apps.get_model("employees", "Employee")
    schema_editor.add_index(employee, search_index())
    schema_editor.add_index(employee, models.Index(fields=["hire_date"],
                                                   name="employee_hire_date"))


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("employee_search_trgm", "employee_hire_date"):
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("employees", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
