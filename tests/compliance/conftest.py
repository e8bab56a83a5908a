import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded evidence and generated files go to a per-test directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "media")}},
    }
    # Fast hashing: these tests create many logins and never test password strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path / "media"


@pytest.fixture
def pdf_upload():
    def make(name: str = "evidence.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, content, content_type="application/pdf")

    return make


@pytest.fixture
def login(client):
    """Log `user` in on the test client (enrolling a TOTP first where the role requires one)."""
    from accounts.roles import requires_second_factor
    from tests.mfa import enrol_totp

    def do(user):
        if requires_second_factor(user) and not user.authenticator_set.exists():
            enrol_totp(user)
        client.force_login(user)
        return client

    return do
