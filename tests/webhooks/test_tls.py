"""Issue 17 leftovers: the HTTPS path connects to the address the SSRF check resolved, and still
verifies the receiver's certificate for the URL's host name (sent as SNI). A real loopback HTTPS
receiver with a certificate made here, signed by a CA made here that WEBHOOK_CA_BUNDLE trusts:
delivered when the certificate names the host, refused (and retried) when it does not."""

import datetime as dt
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import urllib3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.webhooks.test_delivery import _run
from webhooks.events import emit
from webhooks.models import WebhookDelivery
from webhooks.sender import post
from webhooks.services import subscription_create
from webhooks.signing import verify
from webhooks.ssrf import Target

pytestmark = pytest.mark.django_db
HOST = "hooks.internal.test"


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _cert(subject, issuer, public_key, signing_key, *, ca: bool, names=(), issuer_key=None):
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(public_key).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5))
               .not_valid_after(now + dt.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key),
                              critical=False))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
            key_encipherment=False, data_encipherment=False, key_agreement=False,
            encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = (builder
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]),
                                  critical=False)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                                  critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                       issuer_key.public_key()), critical=False))
    return builder.sign(signing_key, hashes.SHA256())


def _pem(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture
def pki(tmp_path, settings):
    """A CA the sender trusts (WEBHOOK_CA_BUNDLE) and make(names) -> a signed server cert."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert(_name("HROps test CA"), _name("HROps test CA"), ca_key.public_key(), ca_key,
               ca=True)
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(_pem(ca))
    settings.WEBHOOK_CA_BUNDLE = str(bundle)

    def make(*names: str) -> tuple[str, str]:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _cert(_name(names[0]), ca.subject, key.public_key(), ca_key, ca=False,
                     names=names, issuer_key=ca_key)
        cert_file, key_file = tmp_path / f"{names[0]}.pem", tmp_path / f"{names[0]}.key"
        cert_file.write_bytes(_pem(cert))
        key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                               serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        return str(cert_file), str(key_file)

    return make


class HttpsReceiver:
    """Answers 200 to every POST over TLS with the given certificate; records SNI and bodies."""

    def __init__(self, cert_file: str, key_file: str) -> None:
        self.requests: list[dict] = []
        self.server_names: list[str | None] = []
        receiver = self

        class Handle(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        context.sni_callback = lambda sock, name, ctx: receiver.server_names.append(name)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handle)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def https_receiver():
    made = []

    def make(cert_and_key) -> HttpsReceiver:
        made.append(HttpsReceiver(*cert_and_key))
        return made[-1]

    yield make
    for each in made:
        each.close()


def _target(port: int, host: str = HOST) -> Target:
    return Target(scheme="https", host=host, port=port, path="/hook", address="127.0.0.1")


def test_the_pinned_connection_verifies_the_certificate_for_the_host_name(pki, https_receiver):
    # given a receiver on 127.0.0.1 whose certificate names hooks.internal.test
    hook = https_receiver(pki(HOST))
    # when the sender connects to the address with the host name
    reply = post(_target(hook.port), b"{}", {})
    # then TLS succeeds, with the name sent as SNI (and as Host)
    assert reply.status == 200
    assert hook.server_names == [HOST]
    assert hook.requests[0]["headers"]["Host"] == f"{HOST}:{hook.port}"


def test_a_certificate_for_another_name_is_refused(pki, https_receiver):
    # given the same address answering with a certificate for another name (trusted CA)
    hook = https_receiver(pki("elsewhere.example"))
    # when / then: the handshake is refused, nothing is sent
    with pytest.raises(urllib3.exceptions.SSLError, match=r"(?i)hostname|match"):
        post(_target(hook.port), b"{}", {})
    assert hook.requests == []


def test_a_certificate_from_an_untrusted_ca_is_refused(pki, https_receiver, settings, tmp_path):
    hook = https_receiver(pki(HOST))
    settings.WEBHOOK_CA_BUNDLE = None  # the system's trust store: our test CA is not in it
    with pytest.raises(urllib3.exceptions.SSLError, match=r"(?i)certificate verify failed"):
        post(_target(hook.port), b"{}", {})
    assert hook.requests == []


def test_a_delivery_over_https_to_a_checked_name(pki, https_receiver, hr_admin, dns, settings):
    # given hooks.internal.test resolving to the loopback receiver, allow-listed
    hook = https_receiver(pki(HOST))
    dns[HOST] = "127.0.0.1"
    settings.WEBHOOK_ALLOWED_HOSTS = [HOST]
    _subscription, secret = subscription_create(
        acting_user=hr_admin, name="IdP", url=f"https://{HOST}:{hook.port}/hook",
        events=["employee.hired"])
    emit("employee.hired", {"id": 7})
    delivery = WebhookDelivery.objects.get()
    # when the delivery runs: delivered, signed, SNI = the URL's host
    _run(delivery)
    assert (delivery.status, delivery.response_code) == ("delivered", 200)
    assert hook.server_names == [HOST]
    assert verify(secret, hook.requests[0]["headers"], hook.requests[0]["body"])
    assert json.loads(hook.requests[0]["body"])["data"] == {"id": 7}


def test_a_delivery_to_a_name_the_certificate_does_not_carry_is_retried(pki, https_receiver,
                                                                         hr_admin, dns,
                                                                         settings):
    hook = https_receiver(pki("elsewhere.example"))
    dns[HOST] = "127.0.0.1"
    settings.WEBHOOK_ALLOWED_HOSTS = [HOST]
    subscription_create(acting_user=hr_admin, name="IdP", url=f"https://{HOST}:{hook.port}/h",
                        events=["employee.hired"])
    emit("employee.hired", {"id": 7})
    delivery = WebhookDelivery.objects.get()
    _run(delivery)
    assert (delivery.status, delivery.response_code) == ("retrying", None)
    assert "SSLError" in delivery.last_error and hook.requests == []
