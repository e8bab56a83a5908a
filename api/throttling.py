"""Per-token rate limit: a fixed one-minute window counted in the cache (`cache.add` then
`cache.incr`, both atomic on Redis; the embedded locmem cache works too, per process). Over the
limit: 429 with Retry-After, the seconds left in the window (RFC 9110 section 10.2.3)."""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

WINDOW_SECONDS = 60


def limit_per_minute() -> int:
    return int(getattr(settings, "API_RATE_LIMIT_PER_MINUTE", 600))


class TokenRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        token = getattr(request, "auth", None)
        if token is None:
            return True
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        key = f"hrops:api-rate:{token.pk}:{window}"
        cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
            count = 1
        self._wait = (window + 1) * WINDOW_SECONDS - now
        return count <= limit_per_minute()

    def wait(self) -> float:
        return max(1.0, self._wait)
