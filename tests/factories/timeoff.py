from decimal import Decimal

import factory

from timeoff.models import LeavePolicy, LeaveType


def leave_type(category: str = "holiday", unit: str = "days") -> LeaveType:
    """The standard type of a category (created by timeoff's data migration)."""
    return LeaveType.objects.filter(category=category, unit=unit).order_by("pk").first()


class LeavePolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeavePolicy

    name = factory.Sequence(lambda n: f"Policy {n}")
    leave_type = factory.LazyFunction(leave_type)
    method = "front_loaded"
    annual_amount = Decimal("25")
