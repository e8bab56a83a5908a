from django.conf import settings
from django.core.checks import Error, register

from employees.crypto import configured_keys


@register()
def field_encryption_keys_check(app_configs, **kwargs) -> list[Error]:
    """Production must bring its own encryption keys: a key derived from SECRET_KEY would tie
    the national IDs and bank accounts to a value that is often shared or rotated carelessly.
    The `make run` demo (HROPS_DEMO, DEBUG off) keeps the derived key of its own .env."""
    if settings.DEBUG or getattr(settings, "DEMO", False) or configured_keys():
        return []
    return [Error(
        "FIELD_ENCRYPTION_KEYS is not set.",
        hint="Set FIELD_ENCRYPTION_KEYS to one or more comma-separated Fernet keys (newest first).",
        id="employees.E001",
    )]
