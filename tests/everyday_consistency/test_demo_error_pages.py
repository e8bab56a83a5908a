"""`make run` shows the product's own 404 and error pages, never Django's technical ones
(issue 13 item 7): the demo server runs with DEBUG off and HROPS_DEMO on (plain HTTP, static
files from the source folders)."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

PROBE = """
from django.conf import settings
from django.core.management import call_command
from django.test import Client
call_command("check")
client = Client(raise_request_exception=False)
missing = client.get("/no-such-page/")
css = client.get("/static/css/app.css")
print("DEBUG", settings.DEBUG)
print("MISSING", missing.status_code, "couldn't find that page" in missing.content.decode())
print("TECHNICAL", "DEBUG = True" in missing.content.decode())
print("CSS", css.status_code, css.get("Location", ""))
"""


def test_make_run_serves_the_demo_with_debug_off():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile[makefile.index("\nrun:"):makefile.index("\nlint:")]
    assert "DEBUG=False HROPS_DEMO=True" in run and "runserver" in run


def test_demo_mode_answers_with_the_products_404_and_serves_static_files(tmp_path):
    # given the environment `make run` gives the server (a .env-style secret, no Fernet keys)
    env = {k: v for k, v in os.environ.items()
           if k not in {"FIELD_ENCRYPTION_KEYS", "STATICFILES_BACKEND", "SECURE_SSL_REDIRECT",
                        "DJANGO_SETTINGS_MODULE"}}
    env.update({"DEBUG": "False", "HROPS_DEMO": "True", "SECRET_KEY": "demo-" + "k" * 50,
                "ALLOWED_HOSTS": "testserver,127.0.0.1",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"})
    # when a missing page and a stylesheet are requested
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", PROBE], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=180)
    # then the checks pass, the 404 is the product's page, and static files are served (no
    # HTTPS redirect on the demo's plain HTTP)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert lines["DEBUG"] == "False"
    assert lines["MISSING"] == "404 True"
    assert lines["TECHNICAL"] == "False"
    assert lines["CSS"].strip() == "200"
