"""Everyday HR (issue 13).

- Countries are ISO 3166 (employees.countries.validate_country on every country field); codes
  stored before that are put right: "UK" and "EL" (reserved by ISO 3166 for the United Kingdom
  and Greece) become GB and GR, lower case becomes upper case.
- The directory search also finds people by their personal email ("Name, email or number"):
  the trigram GIN index of 0002 is rebuilt on the new search expression
  (employees.directory.search_document). PostgreSQL only: on SQLite that step does nothing.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations, models
from django.db.models.functions import Upper

import employees.countries
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


ALIASES = {"UK": "GB", "EL": "GR"}
COUNTRY_FIELDS = {"Employee": ("country", "work_country", "national_id_country"),
                  "Location": ("country",)}


def fix_country_codes(apps, schema_editor):
    for model_name, fields in COUNTRY_FIELDS.items():
        model = apps.get_model("employees", model_name)
        for name in fields:
            model.objects.exclude(**{name: ""}).update(**{name: Upper(name)})
            for alias, code in ALIASES.items():
                model.objects.filter(**{name: alias}).update(**{name: code})


class Migration(migrations.Migration):
    dependencies = [("employees", "0006_access")]

    operations = [
        migrations.RunPython(_rebuild(NEW_FIELDS), _rebuild(OLD_FIELDS), elidable=False),
        migrations.RunPython(fix_country_codes, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name='employee',
            name='country',
            field=models.CharField(blank=True, max_length=2, validators=[employees.countries.validate_country], verbose_name='country'),
        ),
        migrations.AlterField(
            model_name='employee',
            name='national_id_country',
            field=models.CharField(blank=True, max_length=2, validators=[employees.countries.validate_country], verbose_name='national ID country'),
        ),
        migrations.AlterField(
            model_name='employee',
            name='work_country',
            field=models.CharField(default='GB', max_length=2, validators=[employees.countries.validate_country], verbose_name='work country'),
        ),
        migrations.AlterField(
            model_name='location',
            name='country',
            field=models.CharField(help_text='ISO 3166 code, e.g. US, GB', max_length=2, validators=[employees.countries.validate_country], verbose_name='country'),
        ),
    ]
