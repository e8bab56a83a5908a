"""Test-wide environment, loaded as a pytest plugin (`-p tests.env`) so it runs before
pytest-django reads the settings."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef")
# A fixed test-only Fernet key, so subprocesses (manage.py in tests) pass the startup check.
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "dGVzdC1vbmx5LWtleS1ub3QtZm9yLXByb2R1Y3Rpb24=")
# Tests never talk to a real mail server or broker unless a test sets one up itself.
os.environ["EMAIL_URL"] = "consolemail://"
os.environ.setdefault("CELERY_BROKER_URL", "")
# The test client speaks plain HTTP; production keeps the HTTPS redirect on.
os.environ.setdefault("SECURE_SSL_REDIRECT", "False")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# Uploaded files and rendered PDFs go to a throw-away directory, never the checkout's media/.
# One per pytest-xdist worker: workers inherit the controller's environment, and two workers
# writing payslip_1.pdf into the same directory would overwrite each other's files.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if os.environ.get("MEDIA_ROOT", "") in {"", os.environ.get("HROPS_TEST_MEDIA_ROOT_MADE")}:
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix=f"hrops-test-media-{_WORKER}-")
    os.environ["HROPS_TEST_MEDIA_ROOT_MADE"] = os.environ["MEDIA_ROOT"]
# A real OpenID provider (django-oauth-toolkit) inside the test process, for the SSO tests.
os.environ.setdefault("HROPS_TEST_OIDC_PROVIDER", "1")
