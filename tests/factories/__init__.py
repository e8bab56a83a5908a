from tests.factories.accounts import UserFactory
from tests.factories.employees import (
    CompensationRecordFactory,
    DepartmentFactory,
    EmployeeFactory,
    JobTitleFactory,
    LocationFactory,
)
from tests.factories.payroll import PayScheduleFactory

__all__ = [
    "CompensationRecordFactory",
    "DepartmentFactory",
    "EmployeeFactory",
    "JobTitleFactory",
    "LocationFactory",
    "PayScheduleFactory",
    "UserFactory",
]
