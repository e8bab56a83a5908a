import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from tests.factories import UserFactory
from tests.factories.employees import DepartmentFactory, JobTitleFactory, LocationFactory
from tests.factories.payroll import PayScheduleFactory


@pytest.fixture
def it_user(db):
    user = UserFactory(email="it@example.test", roles=[Role.EMPLOYEE])
    user.groups.add(Group.objects.get(name="IT"))
    return user


@pytest.fixture
def ref(db):
    """Reference data for hires: departments, locations, a title, a pay schedule."""
    from types import SimpleNamespace

    return SimpleNamespace(
        eng=DepartmentFactory(name="Engineering", code="ENG"),
        sales=DepartmentFactory(name="Sales", code="SALES"),
        london=LocationFactory(name="London HQ", country="GB"),
        nyc=LocationFactory(name="New York", city="New York", country="US",
                            timezone="America/New_York"),
        title=JobTitleFactory(name="Engineer"),
        schedule=PayScheduleFactory(),
    )


@pytest.fixture(autouse=True)
def _role_groups_after_flush(request):
    """Transactional tests flush the database afterwards, data migrations' rows included; make
    sure the role groups (and the IT group) exist for the transactional tests here."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    for name in [*(r.value for r in Role), "IT"]:
        Group.objects.get_or_create(name=name)
