"""Signing a webhook: HMAC-SHA256 over `timestamp + "." + body` with the subscription's secret,
sent as `Webhook-Signature: v1=<hex>` (several, space-separated, while a rotated secret's overlap
lasts), beside `Webhook-Id` (the event id: the receiver's idempotency key) and
`Webhook-Timestamp` (Unix seconds). `verify` is the receiver's side, as documented in
webhooks/README.md."""

import hashlib
import hmac
import secrets
import time

REPLAY_WINDOW_SECONDS = 300


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secrets_: list[str], timestamp: int, body: bytes) -> str:
    return " ".join(f"v1={sign(secret, timestamp, body)}" for secret in secrets_)


def verify(secret: str, headers: dict, body: bytes, *, now: float | None = None,
           window: int = REPLAY_WINDOW_SECONDS) -> bool:
    """True when one v1 signature matches and the timestamp is within `window` seconds."""
    try:
        timestamp = int(headers["Webhook-Timestamp"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > window:
        return False
    expected = sign(secret, timestamp, body)
    return any(hmac.compare_digest(expected, part.removeprefix("v1="))
               for part in headers.get("Webhook-Signature", "").split() if part.startswith("v1="))
