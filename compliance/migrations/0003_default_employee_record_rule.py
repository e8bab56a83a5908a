"""A default retention rule for the employee record itself: anonymise a former employee's personal
data 6 years after the employment ends.

No statute sets this period. Six years is a common UK practice (the Limitation Act 1980 gives
6 years for contract claims); it is a default for HR to review in the admin, not legal advice.
An employee is only ever anonymised through a dry run that an HR Admin approves, never while
their payroll records are inside their own statutory period or under a legal hold.
"""

from django.db import migrations

NAME = "Employee record: 6 years after employment ends (default, review)"


def create_rule(apps, schema_editor):
    RetentionRule = apps.get_model("compliance", "RetentionRule")
    if not RetentionRule.objects.filter(kind="employee_record").exists():
        RetentionRule.objects.create(name=NAME, kind="employee_record", years_after_end=6,
                                     action="anonymise", active=True)


def remove_rule(apps, schema_editor):
    apps.get_model("compliance", "RetentionRule").objects.filter(
        kind="employee_record", name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0002_retentionrule_kind")]

    operations = [migrations.RunPython(create_rule, remove_rule)]
