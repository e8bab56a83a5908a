"""Failed sign-in throttling keyed by account AND client IP, with growing delays (ASVS 5.0
V6.3.1 / NIST SP 800-63B 5.2.2): after LOGIN_FREE_FAILURES wrong passwords for one email from
one IP, each further attempt from there waits twice as long as the last (1 s, 2 s, 4 s ... capped
at LOGIN_MAX_DELAY_SECONDS). The account is never locked: its owner signing in from another
address is not slowed down by an attacker guessing elsewhere. A coarse per-IP limit (allauth's
"login_failed" rate, per IP only) still caps one address trying many accounts."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from audit.middleware import client_ip


def _key(request, email: str) -> str:
    raw = f"{(email or '').strip().lower()}|{client_ip(request) or '-'}"
    return "hrops:login-throttle:" + hashlib.sha256(raw.encode()).hexdigest()


def _free() -> int:
    return int(getattr(settings, "LOGIN_FREE_FAILURES", 5))


def _max_delay() -> int:
    return int(getattr(settings, "LOGIN_MAX_DELAY_SECONDS", 15 * 60))


def delay_for(failures: int) -> int:
    """Seconds to wait after `failures` consecutive failures (0 while still free)."""
    if failures < _free():
        return 0
    return min(2 ** (failures - _free()), _max_delay())


def seconds_to_wait(request, email: str) -> int:
    state = cache.get(_key(request, email))
    if not state:
        return 0
    return max(0, int(state["until"] - time.time() + 0.999))


def record_failure(request, email: str) -> int:
    """Count one failure; returns the delay now imposed on this account from this IP."""
    key = _key(request, email)
    state = cache.get(key) or {"failures": 0, "until": 0}
    state["failures"] += 1
    delay = delay_for(state["failures"])
    state["until"] = time.time() + delay
    # Forget the count a while after the last failure, however long the delay was.
    cache.set(key, state, timeout=max(delay, _max_delay()) + 60)
    return delay


def clear(request, email: str) -> None:
    cache.delete(_key(request, email))
