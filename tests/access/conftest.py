import pytest
from django.test import Client

from accounts.roles import requires_second_factor
from tests.mfa import enrol_totp


@pytest.fixture
def client_for(db):
    """client_for(user) -> a logged-in Client (roles that need a second factor enrolled)."""
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
def paid_self(uk_schedule):
    """paid_self(user) -> that user's own employee record, paid 38,000 on the UK schedule."""
    from tests.factories.payroll_runs import paid_employee

    def make(user):
        return paid_employee(uk_schedule, salary="38000.00", user=user)

    return make


@pytest.fixture
def client_factory():
    """client_factory() -> a fresh, anonymous test Client."""
    return Client
