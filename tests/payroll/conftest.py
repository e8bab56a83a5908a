import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Payslip PDFs go to a throwaway storage per test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "media")}},
    }
    return tmp_path / "media"

