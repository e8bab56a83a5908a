"""Encryption at rest for national IDs and bank account numbers.

Keys come from settings.FIELD_ENCRYPTION_KEYS (Fernet keys, newest first). New values are written
with the first key; every listed key still decrypts, so rotating is: put a new key in front, run
`manage.py rotate_field_encryption`, then drop the old key. Without keys (development and tests
only; the `employees.E001` system check refuses production) a key is derived from SECRET_KEY.

Encrypted values are never searchable: lookups other than `isnull` are refused, and models keep a
separate last-4 column for masked display.
"""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.lookups import IsNull


class DecryptionError(ImproperlyConfigured):
    """A stored value could not be decrypted with any configured key (a key was dropped too early
    or the data was tampered with)."""


def configured_keys() -> list[str]:
    keys = getattr(settings, "FIELD_ENCRYPTION_KEYS", []) or []
    if isinstance(keys, str):
        keys = keys.split(",")
    return [k.strip() for k in keys if k and k.strip()]


def derived_key(secret_key: str) -> bytes:
    """A Fernet key derived from SECRET_KEY, for development and tests only."""
    raw = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"hrops-field-encryption", info=b"fernet-v1"
    ).derive(secret_key.encode())
    return base64.urlsafe_b64encode(raw)


@lru_cache(maxsize=8)
def _multifernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        return MultiFernet([Fernet(derived_key(secret_key))])
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes); "
            "generate one with `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`."
        ) from exc


def fernet() -> MultiFernet:
    return _multifernet(tuple(configured_keys()), settings.SECRET_KEY)


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError(
            "An encrypted value could not be decrypted with any key in FIELD_ENCRYPTION_KEYS."
        ) from exc


def rotate(token: str) -> str:
    """Re-encrypt a stored token with the newest key."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError("A value could not be decrypted for rotation.") from exc


def last4(value: str) -> str:
    compact = "".join(ch for ch in (value or "") if ch.isalnum())
    return compact[-4:]


class EncryptedTextField(models.TextField):
    """Stores a Fernet token; Python code sees the plaintext. "" stays "" (nothing to hide)."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name):
        # A token differs on every write, so equality or containment could never match:
        # refuse it loudly instead of returning silently empty results.
        if lookup_name == "isnull":
            return IsNull
        return None


def encrypted_fields(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
