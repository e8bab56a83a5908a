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
def subject_access_zip(hr_admin, django_capture_on_commit_callbacks):
    """Run a subject-access export for `employee` (the task on commit) and return the ZIP's
    members as {name: bytes}."""
    import zipfile

    from compliance.models import JobStatus
    from compliance.services.exports import subject_access_request

    def export(employee) -> dict[str, bytes]:
        with django_capture_on_commit_callbacks(execute=True):
            job = subject_access_request(acting_user=hr_admin, employee=employee)
        job.refresh_from_db()
        assert job.status == JobStatus.READY, job.error
        with job.file.open("rb") as fh, zipfile.ZipFile(fh) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    return export


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
