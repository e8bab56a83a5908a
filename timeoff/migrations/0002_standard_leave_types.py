from django.db import migrations

# name, category, unit, has a balance, weeks-in-12-months limit
STANDARD = [
    ("Holiday", "holiday", "days", True, None),
    ("PTO", "holiday", "hours", True, None),
    ("Sickness", "sick", "days", False, None),
    ("Unpaid leave", "unpaid", "days", False, None),
    ("Maternity leave", "maternity", "days", False, None),
    ("Paternity leave", "paternity", "days", False, None),
    ("Adoption leave", "adoption", "days", False, None),
    ("Shared parental leave", "shared_parental", "days", False, None),
    ("FMLA leave", "fmla", "days", False, 12),
    ("Bereavement", "bereavement", "days", False, None),
    ("Other", "other", "days", False, None),
]


def add(apps, schema_editor):
    LeaveType = apps.get_model("timeoff", "LeaveType")
    for name, category, unit, balance, weeks in STANDARD:
        LeaveType.objects.get_or_create(name=name, defaults={
            "category": category, "unit": unit, "tracks_balance": balance,
            "max_weeks_per_12_months": weeks})


class Migration(migrations.Migration):
    dependencies = [("timeoff", "0001_time_off")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
