"""Single sign-on test helpers: a real OpenID provider in the test process (django-oauth-toolkit
with OIDC on, an RSA key generated once per test process), and signed SAML responses made with
python3-saml / xmlsec. Tests needing either skip when the library is missing (or fail with
HROPS_REQUIRE_SERVICES=1, as in CI, which installs them)."""

import base64
import datetime as dt
import functools
import importlib.util
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.services import _unavailable

# The claims the IdP gives each of its users (keyed by the IdP-side user's pk).
IDP_CLAIMS: dict[int, dict] = {}


def require(module: str, what: str) -> None:
    if importlib.util.find_spec(module) is None:
        _unavailable(what)


def rsa_private_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


@functools.cache
def oidc_signing_key_pem() -> str:
    """The test IdP's ID-token signing key: one per test process (RSA generation is slow)."""
    return rsa_private_key_pem()


def self_signed_certificate() -> tuple[str, str]:
    """(private key PEM, certificate PEM) for an IdP signing SAML responses."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    key_pem = rsa_private_key_pem()
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test IdP")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .sign(key, hashes.SHA256()))
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


@functools.cache
def saml_idp_certificate() -> tuple[str, str]:
    """The test SAML IdP's (key, certificate): one per test process (RSA generation is slow)."""
    return self_signed_certificate()


def _validator_class():
    from oauth2_provider.oauth2_validators import OAuth2Validator

    class ClaimsValidator(OAuth2Validator):
        oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "email": "email",
                            "email_verified": "email"}

        def get_additional_claims(self, request):
            return IDP_CLAIMS.get(request.user.pk, {})

    return ClaimsValidator


class ClaimsValidator:  # resolved lazily: oauth2_provider may be absent
    def __new__(cls, *args, **kwargs):
        return _validator_class()(*args, **kwargs)


@pytest.fixture
def oidc_idp(settings, live_server, db):
    """An OpenID provider at {live_server}/idp/ and an allauth SocialApp pointing at it.
    Returns a namespace with `user_for(email, verified)` (an IdP-side account whose claims are
    that address) and `sign_in(client, idp_user)` (the whole redirect dance; returns the final
    response of the callback)."""
    require("oauth2_provider", "django-oauth-toolkit (pip install -e .[dev])")
    from types import SimpleNamespace

    from allauth.socialaccount.models import SocialApp
    from oauth2_provider.models import get_application_model

    from tests.factories import UserFactory

    settings.ROOT_URLCONF = "tests.access.sso_idp_urls"
    settings.OAUTH2_PROVIDER = {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": oidc_signing_key_pem(),
        "SCOPES": {"openid": "OpenID", "profile": "Profile", "email": "Email"},
        "OAUTH2_VALIDATOR_CLASS": "tests.sso.ClaimsValidator",
        "PKCE_REQUIRED": True,
    }
    Application = get_application_model()
    callback = "http://testserver/accounts/oidc/test-idp/login/callback/"
    Application.objects.create(
        name="HROps", client_id="hrops-client", client_secret="hrops-secret",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=callback, algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True)
    SocialApp.objects.create(
        provider="openid_connect", provider_id="test-idp", name="Test IdP",
        client_id="hrops-client", secret="hrops-secret",
        settings={"server_url": f"{live_server.url}/idp"})

    def user_for(email: str, *, verified: bool = True):
        idp_user = UserFactory(email=f"idp-{len(IDP_CLAIMS)}-{email}.idp.invalid", roles=[])
        IDP_CLAIMS[idp_user.pk] = {"email": email, "email_verified": verified}
        return idp_user

    def sign_in(client, idp_user, *, follow: bool = False):
        from django.test import Client

        start = client.post("/accounts/oidc/test-idp/login/")
        assert start.status_code == 302, start
        authorize = urlsplit(start["Location"])
        assert authorize.path == "/idp/authorize/"
        idp_browser = Client()
        idp_browser.force_login(idp_user)
        answer = idp_browser.get(authorize.path, parse_qs(authorize.query))
        assert answer.status_code == 302, answer.content[:500]
        back = urlsplit(answer["Location"])
        assert back.path == "/accounts/oidc/test-idp/login/callback/", answer["Location"]
        return client.get(back.path, parse_qs(back.query), follow=follow)

    yield SimpleNamespace(user_for=user_for, sign_in=sign_in)
    IDP_CLAIMS.clear()


def saml_settings(cert_pem: str, *, org: str = "test-saml") -> dict:
    return {
        "idp": {"entity_id": "https://idp.example.test/saml",
                "sso_url": "https://idp.example.test/saml/sso", "x509cert": cert_pem},
        "attribute_mapping": {
            "uid": "uid", "email": "email", "email_verified": "email_verified",
            "first_name": "first_name", "last_name": "last_name"},
        "advanced": {"want_assertion_signed": True, "want_message_signed": False,
                     "allow_single_label_domains": True, "reject_idp_initiated_sso": True},
    }


def saml_response(*, key_pem: str, cert_pem: str, in_response_to: str, acs_url: str,
                  audience: str, email: str, verified: bool = True, uid: str = "u-1") -> str:
    """A SAML 2.0 Response whose assertion is signed (RSA-SHA256) by the test IdP, base64."""
    from onelogin.saml2.constants import OneLogin_Saml2_Constants as C
    from onelogin.saml2.utils import OneLogin_Saml2_Utils

    now = dt.datetime.now(dt.UTC)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    issued, later = now.strftime(fmt), (now + dt.timedelta(minutes=5)).strftime(fmt)
    before = (now - dt.timedelta(minutes=1)).strftime(fmt)
    attrs = {"uid": uid, "email": email, "email_verified": "true" if verified else "false",
             "first_name": "Sam", "last_name": "Lee"}
    attributes = "".join(
        f'<saml:Attribute Name="{k}"><saml:AttributeValue>{v}</saml:AttributeValue>'
        f"</saml:Attribute>" for k, v in attrs.items())
    issuer = "https://idp.example.test/saml"
    assertion = (
        f'<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
        f'ID="_a{uid}{now.timestamp():.0f}" Version="2.0" IssueInstant="{issued}">'
        f"<saml:Issuer>{issuer}</saml:Issuer>"
        f'<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:'
        f'persistent">{uid}</saml:NameID>'
        f'<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData NotOnOrAfter="{later}" Recipient="{acs_url}" '
        f'InResponseTo="{in_response_to}"/></saml:SubjectConfirmation></saml:Subject>'
        f'<saml:Conditions NotBefore="{before}" NotOnOrAfter="{later}">'
        f"<saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience>"
        f"</saml:AudienceRestriction></saml:Conditions>"
        f'<saml:AuthnStatement AuthnInstant="{issued}" SessionIndex="_s1">'
        f"<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:"
        f"classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>"
        f"</saml:AuthnStatement>"
        f"<saml:AttributeStatement>{attributes}</saml:AttributeStatement></saml:Assertion>")
    signed = OneLogin_Saml2_Utils.add_sign(
        assertion, key_pem, cert_pem, sign_algorithm=C.RSA_SHA256, digest_algorithm=C.SHA256)
    if isinstance(signed, bytes):
        signed = signed.decode()
    signed = signed.split("?>", 1)[-1] if signed.startswith("<?xml") else signed
    response = (
        f'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        f'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r{now.timestamp():.0f}" '
        f'Version="2.0" IssueInstant="{issued}" Destination="{acs_url}" '
        f'InResponseTo="{in_response_to}"><saml:Issuer>{issuer}</saml:Issuer>'
        f'<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>'
        f"</samlp:Status>{signed}</samlp:Response>")
    return base64.b64encode(response.encode()).decode()
