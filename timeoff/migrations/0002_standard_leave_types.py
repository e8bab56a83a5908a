from django.db import migrations

from timeoff.standard import standard_types_ensure


def add(apps, schema_editor):
    standard_types_ensure(apps.get_model("timeoff", "LeaveType"))


class Migration(migrations.Migration):
    dependencies = [("timeoff", "0001_time_off")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
