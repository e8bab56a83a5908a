"""A real S3-compatible server for the object-storage tests: moto in server mode, on a free
port of this machine, reached over HTTP by boto3/django-storages exactly as AWS S3 or MinIO
would be. Skipped when moto (a dev dependency) is not installed."""

import pytest


@pytest.fixture(scope="session")
def s3_endpoint():
    import logging

    server_module = pytest.importorskip("moto.server", reason="moto is a dev dependency")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


S3_KEYS = {"access_key": "testing-access", "secret_key": "testing-secret"}


@pytest.fixture
def s3_storage(settings, s3_endpoint, request):
    """The default storage on a fresh private bucket; returns the boto3 client for asserts."""
    import boto3

    bucket = f"hrops-test-{abs(hash(request.node.nodeid)) % 10**10}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                          aws_access_key_id=S3_KEYS["access_key"],
                          aws_secret_access_key=S3_KEYS["secret_key"])
    client.create_bucket(Bucket=bucket)
    settings.HROPS_S3_BUCKET = bucket
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": bucket, "endpoint_url": s3_endpoint,
                    "region_name": "us-east-1", "default_acl": None, "querystring_auth": True,
                    "querystring_expire": 60, "file_overwrite": True,
                    "signature_version": "s3v4", **S3_KEYS},
    }}
    client.bucket = bucket
    return client


def keys(client) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=client.bucket).get(
        "Contents", []))


@pytest.fixture
def client_for(db):
    """client_for(user) -> a logged-in Client (roles that need a second factor enrolled)."""
    from django.test import Client

    from accounts.roles import requires_second_factor
    from tests.mfa import enrol_totp

    clients: dict[int, Client] = {}

    def make(user) -> Client:
        if user.pk not in clients:
            if requires_second_factor(user):
                enrol_totp(user)
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        return clients[user.pk]

    return make
