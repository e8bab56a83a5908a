"""The run review and run page at 20,000 payslips: a payslip total for employer taxes, and two
PostgreSQL indexes.

- ``Payslip.total_employer_tax``: the sum of the payslip's ``employer_tax`` lines, like its other
  totals (written by payroll.services.calculation.build_payslip from now on). Existing payslips
  are backfilled from their own stored lines: no amount of any payslip changes, the new column
  only restates what its lines already say, so the review can sum payslips instead of joining
  ~8 lines per payslip (300 ms at 20,000 payslips).
- ``payslip_run_totals``: (run, employee) with the money columns included, so a run's totals and
  the joins of two runs' payslips by employee (joiners, leavers, pay changes) are index-only.
- ``payslip_run_flagged``: a partial index of the payslips that carry any flag (a few percent),
  so counts by flag, the blocked count and the flagged lists read only those rows.
The indexes are PostgreSQL only (INCLUDE and jsonb); on SQLite that step does nothing.
"""

from decimal import Decimal

from django.db import migrations, models

BACKFILL = """
UPDATE payroll_payslip SET total_employer_tax = (
    SELECT SUM(l.amount) FROM payroll_payslipline l
    WHERE l.payslip_id = payroll_payslip.id AND l.category = 'employer_tax')
WHERE EXISTS (SELECT 1 FROM payroll_payslipline l
              WHERE l.payslip_id = payroll_payslip.id AND l.category = 'employer_tax')
"""

INDEXES = {
    "payslip_run_totals": (
        "CREATE INDEX IF NOT EXISTS payslip_run_totals ON payroll_payslip (run_id, employee_id) "
        "INCLUDE (id, gross, total_pre_tax, total_employee_tax, total_post_tax, net, "
        "employer_cost, total_employer_tax)"),
    "payslip_run_flagged": (
        "CREATE INDEX IF NOT EXISTS payslip_run_flagged ON payroll_payslip (run_id) "
        "WHERE flags <> '[]'::jsonb"),
}


def backfill(apps, schema_editor):
    schema_editor.execute(BACKFILL)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in INDEXES.values():
        schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("payroll", "0010_payment_snapshot_and_employer")]

    operations = [
        migrations.AddField(
            model_name="payslip",
            name="total_employer_tax",
            field=models.DecimalField(decimal_places=2, db_default=Decimal("0.00"),
                                      default=Decimal("0.00"), max_digits=12,
                                      verbose_name="employer taxes"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
