import pytest

from accounts.roles import Role
from tests.factories import EmployeeFactory, UserFactory
from tests.factories.accounts import PASSWORD

pytest_plugins = ["tests.services", "tests.browser", "tests.sso", "tests.fast_flush"]


@pytest.fixture(autouse=True)
def _fast_hashing_and_fresh_cache(settings):
    """Fast password hashing (the real hasher costs ~0.3 s per login), and an empty cache per
    test so login throttling counters never leak between tests."""
    from django.core.cache import cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _embedded_work_inline(settings):
    """Embedded mode hands big files and imports to a background thread (delivery/embedded.py);
    a second thread cannot see a test transaction's rows, so tests run that work inline, on
    commit. tests/delivery/test_embedded_background.py tests the thread itself."""
    settings.DELIVERY_EMBEDDED_BACKGROUND = False


ROLE_GROUPS = [*(role.value for role in Role), "IT"]


@pytest.fixture(autouse=True)
def _role_groups(request):
    """Role groups come from data migrations; a transactional test flushes the database at its
    end, which would leave later tests without them. Make sure they exist for every DB test."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(
        {"transactional_db", "live_server", "postgres_db"} & names
        or (marker and marker.kwargs.get("transaction"))
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    from django.contrib.auth.models import Group

    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def hr_admin(db):
    return UserFactory(email="hr.admin@example.test", roles=[Role.HR_ADMIN])


@pytest.fixture
def hr_staff(db):
    return UserFactory(email="hr.staff@example.test", roles=[Role.HR_STAFF])


@pytest.fixture
def payroll_admin(db):
    return UserFactory(email="payroll@example.test", roles=[Role.PAYROLL_ADMIN])


@pytest.fixture
def second_payroll_admin(db):
    """Four-eyes: a second Payroll Admin to approve what the first calculated."""
    return UserFactory(email="payroll2@example.test", roles=[Role.PAYROLL_ADMIN])


@pytest.fixture
def uk_schedule(db, payroll_admin):
    """A UK monthly schedule with its periods up to March 2026."""
    from datetime import date

    from payroll.services.periods import periods_generate
    from tests.factories.payroll_runs import UKMonthlyScheduleFactory

    schedule = UKMonthlyScheduleFactory()
    periods_generate(schedule=schedule, until=date(2026, 3, 31), acting_user=payroll_admin)
    return schedule


@pytest.fixture
def org(db):
    """A small org: boss -> manager -> report -> intern, plus an unrelated peer, each with a login.

    Returns a namespace with `.boss`, `.manager`, `.report`, `.intern`, `.peer` (Employees) and
    `.users` (role -> User): "manager" is the manager's login, "employee" the report's, "other"
    the peer's.
    """
    from types import SimpleNamespace

    users = {
        "boss": UserFactory(email="boss@example.test", roles=[Role.MANAGER, Role.EMPLOYEE]),
        "manager": UserFactory(email="manager@example.test", roles=[Role.MANAGER, Role.EMPLOYEE]),
        "employee": UserFactory(email="employee@example.test", roles=[Role.EMPLOYEE]),
        "intern": UserFactory(email="intern@example.test", roles=[Role.EMPLOYEE]),
        "other": UserFactory(email="other@example.test", roles=[Role.EMPLOYEE]),
    }
    boss = EmployeeFactory(user=users["boss"])
    manager = EmployeeFactory(user=users["manager"], manager=boss)
    report = EmployeeFactory(user=users["employee"], manager=manager)
    intern = EmployeeFactory(user=users["intern"], manager=report)
    peer = EmployeeFactory(user=users["other"], manager=boss)
    return SimpleNamespace(boss=boss, manager=manager, report=report, intern=intern, peer=peer,
                           users=users)
