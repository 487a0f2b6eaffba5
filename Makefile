# Claimtrack: `make run` serves the seeded site on http://127.0.0.1:8000; `make test` runs every check.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The first Python 3.12+ on the PATH (pyenv reads .python-version).
PYTHON ?= $(shell for candidate in python3 python3.12 python3.13; do \
	if $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	echo $$candidate; break; fi; done)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install browser-deps run test test-sqlite lint migrate seed bench faults eval clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Claimtrack needs Python 3.12 or newer on the PATH." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# The browser tests need Debian's Chromium, Java for the Nu Html Checker, and the npm checkers.
BROWSER_PACKAGES := $(if $(shell command -v chromium),,chromium) $(if $(shell command -v java),,default-jre-headless)
browser-deps: node_modules/.installed
ifneq ($(strip $(BROWSER_PACKAGES)),)
	@test "$$(id -u)" = 0 || { echo "Install $(BROWSER_PACKAGES) (Debian packages) for the browser tests." >&2; exit 1; }
	apt-get update -q && apt-get install -y -q --no-install-recommends $(BROWSER_PACKAGES)
endif

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# A local secret key, generated once and kept out of git.
.env:
	@echo "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
	@echo "Wrote a new SECRET_KEY to .env"

migrate: install .env
	$(BIN)/python manage.py migrate --no-input

seed: migrate
	$(BIN)/python manage.py load_seeds

# The site's own links and the printed login address follow HOST and PORT (config/settings.py).
run: export HOST := $(HOST)
run: export PORT := $(PORT)
run: seed
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py create_editor
	@echo "Serving Claimtrack on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/gunicorn config.wsgi --config gunicorn.conf.py --bind $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

test: install browser-deps .env lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# What CI runs on SQLite besides `make test` on PostgreSQL: everything but the browser tests,
# which need no second database.
test-sqlite: install .env
	env -u DATABASE_URL $(BIN)/pytest -m "not browser"

# Load test on PostgreSQL with 100,000 claims and 1,000,000 statements (generated on first run).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/claimtrack_bench
bench: install .env
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py

# Load on loopback while PostgreSQL and then Redis restart and six exports run, with a
# PostgreSQL and a Redis of its own: requests, 5xx, p99 and stale pages for each phase.
faults: install .env
	$(BIN)/python bench/faults.py

# The attribution assistant's precision, recall and speed on its development set.
eval: install .env
	$(BIN)/python manage.py evaluate_assistant

clean:
	rm -rf $(VENV) node_modules staticfiles test-artifacts .pytest_cache .ruff_cache
