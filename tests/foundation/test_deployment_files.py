"""The production shape: one image, web/worker/beat + PostgreSQL + Redis."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
yaml = pytest.importorskip("yaml")


def test_compose_runs_web_worker_and_beat_from_one_image_with_postgres_and_redis():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "beat"}
    for name in ("migrate", "web", "worker", "beat"):
        service = services[name]
        assert service["build"] == "."
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://")
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "hrops", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "hrops", "beat"]


def test_compose_migrates_once_before_web_worker_and_beat_not_in_every_web_replica():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"}
        assert "migrate" not in " ".join(services[name]["command"])


def test_dockerfile_installs_pango_and_harfbuzz_subset():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "libharfbuzz-subset0" in dockerfile
    assert "libpango-1.0-0" in dockerfile
    assert "python:3.12" in dockerfile


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_points_site_url_at_the_host_it_serves():
    # given `make run HOST=...` (dry run: print the commands, run none)
    result = subprocess.run(
        ["make", "-n", "run", "HOST=0.0.0.0:8101"], cwd=ROOT, capture_output=True, text=True,
        check=True, env={k: v for k, v in os.environ.items() if k != "SITE_URL"},
    )
    # then the server starts with links in emails pointing at that host
    assert "SITE_URL=http://0.0.0.0:8101 .venv/bin/python manage.py runserver 0.0.0.0:8101" \
        in result.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_keeps_a_site_url_given_in_the_environment():
    result = subprocess.run(
        ["make", "-n", "run", "HOST=0.0.0.0:8101"], cwd=ROOT, capture_output=True, text=True,
        check=True, env={**os.environ, "SITE_URL": "https://hr.example.com"},
    )
    assert "SITE_URL=https://hr.example.com .venv/bin/python manage.py runserver" in result.stdout
