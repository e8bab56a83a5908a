from datetime import date

import factory

from payroll.models import PaySchedule


class PayScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaySchedule
        django_get_or_create = ("name",)

    name = "UK monthly"
    frequency = "monthly"
    country = "GB"
    currency = "GBP"
    first_period_start = date(2026, 4, 6)
