"""Single sign-on by SAML 2.0 through allauth's saml provider (python3-saml), with responses
signed in the test by a throw-away IdP key (tests/sso.py). SP-initiated: the AuthnRequest's ID
comes back as InResponseTo, as a real IdP would send it. Skipped where python3-saml / xmlsec are
not installed."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model

from accounts.roles import Role
from accounts.services import user_deactivate
from tests.factories import UserFactory
from tests.sso import (
    require,
    saml_idp_certificate,
    saml_response,
    saml_settings,
    self_signed_certificate,
)

pytestmark = pytest.mark.django_db

ACS = "http://testserver/accounts/saml/test-saml/acs/"
AUDIENCE = "http://testserver/accounts/saml/test-saml/metadata/"


@pytest.fixture
def saml_idp(db):
    require("onelogin", "python3-saml (pip install -e .[saml])")
    require("xmlsec", "xmlsec (pip install -e .[saml]; Debian's libxmlsec1-dev)")
    from allauth.socialaccount.models import SocialApp

    key, cert = saml_idp_certificate()
    SocialApp.objects.create(provider="saml", provider_id="test-saml", name="Test SAML IdP",
                             client_id="test-saml", settings=saml_settings(cert))
    return key, cert


@pytest.fixture
def client():
    """A browser always sends Host (python3-saml reads it); Django's test client does not."""
    from django.test import Client

    return Client(HTTP_HOST="testserver")


def _request_id(client) -> str:
    from onelogin.saml2.utils import OneLogin_Saml2_Utils

    start = client.post("/accounts/saml/test-saml/login/")
    assert start.status_code == 302
    location = urlsplit(start["Location"])
    assert location.netloc == "idp.example.test"
    xml = OneLogin_Saml2_Utils.decode_base64_and_inflate(parse_qs(location.query)["SAMLRequest"][0])
    text = xml.decode() if isinstance(xml, bytes) else xml
    return text.split(' ID="', 1)[1].split('"', 1)[0]


def _post_response(client, saml_b64: str):
    acs = client.post("/accounts/saml/test-saml/acs/", {"SAMLResponse": saml_b64})
    assert acs.status_code == 302
    return client.get(acs["Location"])


def _signed_in_as(client):
    user = client.get("/", follow=True).wsgi_request.user
    return user if user.is_authenticated else None


def test_signed_response_with_verified_email_signs_in(client, saml_idp):
    key, cert = saml_idp
    sam = UserFactory(email="sam@example.test", roles=[Role.EMPLOYEE])

    request_id = _request_id(client)
    response = _post_response(client, saml_response(
        key_pem=key, cert_pem=cert, in_response_to=request_id, acs_url=ACS, audience=AUDIENCE,
        email="sam@example.test"))

    assert response.status_code == 302
    assert _signed_in_as(client) == sam


@pytest.mark.usefixtures("saml_idp")  # the app trusts only its own certificate
def test_response_signed_by_another_key_is_refused(client):
    other_key, other_cert = self_signed_certificate()
    UserFactory(email="sam@example.test", roles=[Role.EMPLOYEE])

    request_id = _request_id(client)
    response = _post_response(client, saml_response(
        key_pem=other_key, cert_pem=other_cert, in_response_to=request_id, acs_url=ACS,
        audience=AUDIENCE, email="sam@example.test"))

    assert response.status_code == 401  # allauth's "authentication error" page
    assert _signed_in_as(client) is None


def test_unverified_email_signs_nobody_in(client, saml_idp):
    key, cert = saml_idp
    UserFactory(email="sam@example.test", roles=[Role.EMPLOYEE])

    request_id = _request_id(client)
    _post_response(client, saml_response(
        key_pem=key, cert_pem=cert, in_response_to=request_id, acs_url=ACS, audience=AUDIENCE,
        email="sam@example.test", verified=False))

    assert _signed_in_as(client) is None


def test_unsolicited_response_is_refused(client, saml_idp):
    # IdP-initiated sign-in is off: a response answering no request of ours is not accepted
    key, cert = saml_idp
    UserFactory(email="sam@example.test", roles=[Role.EMPLOYEE])

    _post_response(client, saml_response(
        key_pem=key, cert_pem=cert, in_response_to="_never-asked", acs_url=ACS,
        audience=AUDIENCE, email="sam@example.test"))

    assert _signed_in_as(client) is None


def test_deactivated_person_cannot_sign_in_by_saml(client, saml_idp, hr_admin):
    key, cert = saml_idp
    sam = UserFactory(email="sam@example.test", roles=[Role.EMPLOYEE])
    user_deactivate(acting_user=hr_admin, user=sam)

    request_id = _request_id(client)
    _post_response(client, saml_response(
        key_pem=key, cert_pem=cert, in_response_to=request_id, acs_url=ACS, audience=AUDIENCE,
        email="sam@example.test"))

    assert _signed_in_as(client) is None
    assert not get_user_model().objects.get(pk=sam.pk).is_active
