import pytest

from accounts.roles import Role
from tests.factories import EmployeeFactory, UserFactory
from tests.mfa import enrol_totp


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Payslip PDFs go to a throwaway private storage per test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "media")}},
    }
    settings.COMPANY_NAME = "Acme Widgets Ltd"
    settings.SITE_URL = "https://hr.example.test"
    return tmp_path / "media"


@pytest.fixture
def login(client):
    """Sign a user in; HR Admin and Payroll Admin get their required authenticator first."""
    def _login(user):
        enrol_totp(user)
        client.force_login(user)
        return client
    return _login


@pytest.fixture
def paid_people(db, hr_admin):
    """Two employees with logins and UK bank accounts."""
    from tests.factories.payroll_outputs import add_bank

    people = [
        EmployeeFactory(user=UserFactory(email=f"staff{i}@example.test", roles=[Role.EMPLOYEE]))
        for i in range(2)
    ]
    for person in people:
        add_bank(person, hr_admin)
    return people
