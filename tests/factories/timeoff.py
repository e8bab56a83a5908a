from decimal import Decimal

import factory

from timeoff.models import LeavePolicy, LeaveType
from timeoff.standard import standard_types_ensure


def leave_type(category: str = "holiday", unit: str = "days") -> LeaveType:
    """The standard type of a category (created by timeoff's data migration, and again here:
    a transactional test's flush removes migration rows for the tests after it)."""
    standard_types_ensure(LeaveType)
    return LeaveType.objects.filter(category=category, unit=unit).order_by("pk").first()


class LeavePolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeavePolicy

    name = factory.Sequence(lambda n: f"Policy {n}")
    leave_type = factory.LazyFunction(leave_type)
    method = "front_loaded"
    annual_amount = Decimal("25")
