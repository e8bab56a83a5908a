import pytest
from django.test import Client

from api.scopes import ALL
from api.services.accounts import service_account_create
from api.services.tokens import personal_token_create, service_token_create
from tests.access.conftest import client_for  # noqa: F401  (the signed-in client fixture)


class ApiClient:
    """A test client that sends `Authorization: Bearer <token>` and JSON."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, data=None, headers: dict | None = None):
        return self.client.get(path, data, headers={**self.headers, **(headers or {})})

    def post(self, path: str, body=None, **headers):
        return self.client.post(path, body or {}, content_type="application/json",
                                headers={**self.headers, **headers})

    def patch(self, path: str, body=None, **headers):
        return self.client.patch(path, body or {}, content_type="application/json",
                                 headers={**self.headers, **headers})


@pytest.fixture
def service_account(hr_admin):
    return service_account_create(acting_user=hr_admin, name="IT sync", scopes=list(ALL))


@pytest.fixture
def service_api(hr_admin, service_account):
    """service_api(scopes) -> an ApiClient with a token of the service account (all scopes)
    limited to those scopes."""
    made = {}

    def make(scopes=ALL) -> ApiClient:
        key = tuple(sorted(scopes))
        if key not in made:
            made[key] = ApiClient(service_token_create(
                acting_user=hr_admin, service_account=service_account, name="t",
                scopes=list(scopes)).plaintext)
        return made[key]

    return make


@pytest.fixture
def personal_api():
    """personal_api(user, scopes) -> an ApiClient with that user's personal token."""

    def make(user, scopes=ALL) -> ApiClient:
        return ApiClient(personal_token_create(acting_user=user, name="mine",
                                               scopes=list(scopes)).plaintext)

    return make

