"""Real services for tests: Redis (Celery broker) and PostgreSQL.

A test that needs one asks for the `redis_url` or `postgres_db` fixture. When the service is not
reachable the test is skipped (and pytest's summary lists it) — unless HROPS_REQUIRE_SERVICES=1
(set by .ci/run), which turns "not reachable" into a failure, so CI can never pass by skipping.
"""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.db import connection

REQUIRE = os.environ.get("HROPS_REQUIRE_SERVICES", "") in {"1", "true", "yes"}


def worker_index() -> int:
    """0 without pytest-xdist, else this worker's number (gw0 -> 0, gw1 -> 1, ...)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw") or 0)


def per_worker_redis_url(url: str) -> str:
    """The base URL's Redis db plus this worker's index (mod 16, Redis' default db count): each
    pytest-xdist worker gets a db of its own, so one worker's Celery processes never take another
    worker's tasks and a test that empties "its" queue empties only its own."""
    parsed = urlparse(url)
    base = int(parsed.path.strip("/") or 0)
    return parsed._replace(path=f"/{(base + worker_index()) % 16}").geturl()


# Every test that talks to Redis gets it from the `redis_url` fixture, never a hard-coded db.
REDIS_URL = per_worker_redis_url(os.environ.get("HROPS_TEST_REDIS_URL",
                                                "redis://127.0.0.1:6379/15"))


def _unavailable(what: str) -> None:
    if REQUIRE:
        pytest.fail(f"{what} is required (HROPS_REQUIRE_SERVICES=1) but not reachable")
    pytest.skip(f"{what} not reachable; set HROPS_REQUIRE_SERVICES=1 to make this a failure")


def _port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1",
                                       parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_url() -> str:
    if not _port_open(REDIS_URL, 6379):
        _unavailable(f"Redis at {REDIS_URL}")
    return REDIS_URL


@pytest.fixture
def postgres_db(transactional_db) -> None:
    """For tests that need PostgreSQL semantics (row locks, concurrent transactions)."""
    if connection.vendor != "postgresql":
        _unavailable("PostgreSQL (DATABASE_URL=postgres://...)")
