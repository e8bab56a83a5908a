import pytest
from django.test import Client

from accounts.roles import requires_second_factor
from tests.mfa import enrol_totp


@pytest.fixture
def client_for(db):
    """client_for(user) -> a logged-in Client (HR Admin / Payroll Admin enrolled in TOTP)."""

    clients: dict[int, Client] = {}

    def make(user) -> Client:
        if user.pk not in clients:
            if requires_second_factor(user):
                enrol_totp(user)
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        return clients[user.pk]

    return make


@pytest.fixture
def viewers(org, hr_admin, hr_staff, payroll_admin):
    """role -> (user, target employee). Everyone looks at org.report except "manager_not_of",
    who looks at the peer (not in the manager's line)."""
    return {
        "hr_admin": (hr_admin, org.report),
        "hr_staff": (hr_staff, org.report),
        "payroll_admin": (payroll_admin, org.report),
        "manager_of": (org.users["manager"], org.report),
        "manager_not_of": (org.users["manager"], org.peer),
        "self": (org.users["employee"], org.report),
        "other_employee": (org.users["other"], org.report),
    }


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "media")}},
    }
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher costs ~0.3 s per user; these tests create several users each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def role_groups(request):
    """A transactional test starts after an earlier one flushed the tables, migration-made role
    groups included: put them back before any user fixture assigns roles."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group

    from accounts.roles import Role

    for role in Role:
        Group.objects.get_or_create(name=role)
