"""Second-factor helpers for tests: enrol a user's TOTP authenticator and compute a valid code."""

import time

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings


def enrol_totp(user) -> str:
    """Give `user` a TOTP authenticator (and recovery codes); returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def totp_code(secret: str, *, step_offset: int = 0) -> str:
    period = getattr(settings, "MFA_TOTP_PERIOD", 30)
    counter = int(time.time()) // period + step_offset
    return format_hotp_value(hotp_value(secret, counter))
