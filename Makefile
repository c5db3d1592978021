# The partner-termination desk. `make run` serves the demo; `make test` runs every test on
# SQLite and PostgreSQL. Both start with `make setup`, which installs what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
APT_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 gettext chromium poppler-utils
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: help setup run test test-sqlite test-postgres lint format bench load lock messages letters

help:
	@echo "make run    set up, load demo data and serve on http://127.0.0.1:8000"
	@echo "make test   set up, then run every test on SQLite and on PostgreSQL"
	@echo "make lint   ruff format check and lint"
	@echo "make bench  performance figures (name value unit)"
	@echo "make load   bounded load run against gunicorn on loopback"
	@echo "make letters  sample letters of every kind and language into letter-samples/ (PDF + PNG)"

setup: $(VENV)/.installed
	@bash scripts/apt_packages.sh $(APT_PACKAGES)
	@$(PY) manage.py compilemessages --ignore=.venv -v 0

$(VENV)/.installed: requirements.lock pyproject.toml
	@bash scripts/find_python.sh > /dev/null
	@test -x $(PY) || $$(bash scripts/find_python.sh) -m venv $(VENV)
	@$(PIP) install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

run: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	@# The task worker beside the server (letters' e-mails and acceptance codes are tasks); it
	@# stops with the server.
	@$(PY) manage.py db_worker --interval 1 --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

test: setup lint
	@bash scripts/run_tests.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=staticfiles --ignore=tests --no-obsolete
	$(PY) manage.py makemessages -d djangojs -l zh_Hans -l en --ignore=.venv --ignore=staticfiles --ignore=static/vendor --ignore=tests --no-obsolete

lock:
	$(VENV)/bin/pip install --quiet uv && $(VENV)/bin/uv pip compile pyproject.toml --extra dev -o requirements.lock --python $(PY)

# Sample letters from fixed, unsaved data (no database is read or written), for reviewing the
# wording in templates/letters/kinds/: a PDF and a PNG per page of each.
letters: setup
	@$(PY) manage.py letter_samples --out letter-samples

bench: setup
	@bash scripts/bench.sh

load: setup
	@bash scripts/load.sh
