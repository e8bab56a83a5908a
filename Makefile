# HROps: `make run` (app with demo data) and `make test` (ruff + the whole pytest suite).
# Python 3.12+ is picked by .python-version under pyenv; override with PYTHON=python3.12.
PYTHON ?= python
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Links in emails point at the server `make run` starts, unless SITE_URL is set in the environment.
SITE_URL ?= http://$(HOST)
# The demo answers on the host it is started on (and on loopback).
ALLOWED_HOSTS ?= $(firstword $(subst :, ,$(HOST))),127.0.0.1,localhost

.PHONY: run test install lint bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "HROps needs Python 3.12+ (found " + sys.version.split()[0] + "); set PYTHON=python3.12")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet '.[dev]'
	@touch $@

install: $(VENV)/.installed

# A local .env for the embedded mode: DEBUG on, a random secret key, SQLite, in-process tasks.
.env:
	@printf 'DEBUG=True\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
	@echo "Wrote .env for local development (DEBUG=True, SQLite, Celery in-process)."

run: install .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "HROps is starting on http://$(HOST)/ (scheduled jobs run in the same process)"
	@# DEBUG off, so visitors see the product's own 404 and error pages; HROPS_DEMO keeps plain
	@# HTTP and serves static files from the source folders (see hrops/settings.py).
	DEBUG=False HROPS_DEMO=True ALLOWED_HOSTS=$(ALLOWED_HOSTS) SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver $(HOST)

lint: install
	$(BIN)/ruff check .

# The suite runs on every core (pytest-xdist, at most 4 workers: each builds its own test
# database). PYTEST_WORKERS=0 runs it in one process; `python -m pytest tests/x` is one process.
PYTEST_WORKERS ?= auto
test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --maxprocesses=4 --dist worksteal

bench: install
	@echo "Benchmarks: see bench/README.md"

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
