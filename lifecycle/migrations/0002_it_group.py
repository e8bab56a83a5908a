"""The "IT" group: IT has no HROps role, but lifecycle tasks can be assigned to IT as a team
(laptop, accounts, access revocation). Add IT people to this group in the Django admin."""

from django.db import migrations


def create_it_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="IT")


def remove_it_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="IT").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lifecycle", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_it_group, remove_it_group)]
