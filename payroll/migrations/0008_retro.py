# Retro pay: a Payroll Admin's confirmation of a recovery (payroll.services.retro).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('employees', '0004_employee_anonymised_at'),
        ('payroll', '0007_schedule_supplemental_method'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RetroRecovery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='amount to recover')),
                ('comment', models.CharField(blank=True, max_length=500, verbose_name='comment')),
                ('confirmed_at', models.DateTimeField(auto_now_add=True)),
                ('confirmed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('employee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='retro_recoveries', to='employees.employee')),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='payroll.payperiod')),
            ],
            options={
                'ordering': ['employee', 'period__start_date'],
                'constraints': [models.UniqueConstraint(fields=('employee', 'period', 'amount'), name='retrorecovery_one_per_amount'), models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='retrorecovery_positive')],
            },
        ),
    ]
