import pytest


@pytest.fixture
def login(client):
    """Log `user` into the test client; roles that must use a second factor count as enrolled."""

    def _login(user):
        client.force_login(user)
        session = client.session
        session["hrops_mfa_enrolled"] = True
        session.save()
        return client

    return _login

