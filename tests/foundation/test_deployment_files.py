"""The production shape: one image, web/worker/beat + PostgreSQL + Redis."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
yaml = pytest.importorskip("yaml")


def test_compose_runs_web_worker_and_beat_from_one_image_with_postgres_and_redis():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["build"] == "."
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://")
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "hrops", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "hrops", "beat"]


def test_dockerfile_installs_pango_and_harfbuzz_subset():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "libharfbuzz-subset0" in dockerfile
    assert "libpango-1.0-0" in dockerfile
    assert "python:3.12" in dockerfile
