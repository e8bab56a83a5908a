"""Real Celery processes for the delivery tests: workers and beats as subprocesses on Redis and
the test database (PostgreSQL), started and stopped by id."""

import os
import signal
import subprocess
import sys
import time
from email import message_from_bytes
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
# Django's file backend ends each whole message with a line of 79 dashes.
_END_OF_MESSAGE = b"-" * 79 + b"\n"


def database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


def _env(redis_url: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url(), "CELERY_BROKER_URL": redis_url,
            "SECRET_KEY": settings.SECRET_KEY,
            "MEDIA_ROOT": settings.STORAGES["default"]["OPTIONS"]["location"], **extra}


def start_worker(redis_url: str, mail_dir: Path, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "hrops", "worker", "-c", "1", "--pool", "solo",
         "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel", "WARNING"],
        cwd=ROOT, env=_env(redis_url, EMAIL_URL=f"filemail://{mail_dir}", **extra),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )


def start_beat(redis_url: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "hrops", "beat", "--loglevel", "INFO"],
        cwd=ROOT, env=_env(redis_url, **extra),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )


def kill(proc: subprocess.Popen) -> None:
    """SIGKILL, as the OOM killer or a lost node would: nothing gets to clean up."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=15)


def stop(proc: subprocess.Popen) -> str:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        output, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
    return (output or b"").decode(errors="replace")


def wait_for(condition, timeout: float = 90.0, what: str = "the workers") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not finish in time")
        time.sleep(0.1)


def mails(mail_dir: Path) -> list:
    """Every whole message the workers wrote. One file can hold several (the file backend names
    files by second and object id, which Python reuses), each ended by the dashes."""
    found = []
    for path in sorted(mail_dir.glob("*.log")):
        raw = path.read_bytes()
        whole = raw[:raw.rfind(_END_OF_MESSAGE) + len(_END_OF_MESSAGE)] if \
            _END_OF_MESSAGE in raw else b""
        found.extend(message_from_bytes(part.lstrip(b"\n")) for part in
                     whole.split(_END_OF_MESSAGE) if part.strip())
    return found
