# FreightDesk — the project's vocabulary: run, test, lint, bench.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: run test test-pg lint bench install install-runtime lock check-lock browser gettext messages demo clean

# Dependencies: requirements.in (what the site runs on) and requirements-dev.in (tests, linters,
# benchmarks) are compiled by `make lock` to requirements.txt and requirements-dev.txt, every package
# pinned. `make run` installs the runtime lock; `make test`, `make lint` and `make bench` both.
$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -r requirements.txt -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install-runtime: $(VENV)/.runtime

install: $(VENV)/.installed

lock: install
	$(VENV)/bin/uv pip compile -q --python-platform linux --python-version 3.11 --custom-compile-command "make lock" requirements.in -o requirements.txt
	$(VENV)/bin/uv pip compile -q --python-platform linux --python-version 3.11 --custom-compile-command "make lock" requirements-dev.in -o requirements-dev.txt

# Fails (and lists them) when the virtualenv holds a package the locks do not pin, or another version.
check-lock: install
	@! $(VENV)/bin/uv pip sync --dry-run --python $(PY) requirements.txt requirements-dev.txt 2>&1 | grep -A1000 '^Would'

# Debian's Chromium for the end-to-end tests (Playwright drives /usr/bin/chromium), CJK fonts for screenshots.
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }

# gettext's msgfmt compiles the translations (zh-hans is the default language).
gettext:
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; }

messages: install-runtime gettext
	$(PY) manage.py compilemessages -v 0 --ignore=.venv

demo: install-runtime messages
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py demo_data

# The whole system on SQLite: web on http://127.0.0.1:8000 and the task worker; one Ctrl-C stops both.
run: demo
	$(VENV)/bin/honcho -f Procfile.dev start

test: install browser messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# The same suite on PostgreSQL (DATABASE_URL must point at a server; the test database is thrown away).
test-pg: install browser messages
	$(PY) -m pytest -n 2 --dist loadgroup --create-db $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf var/*.sqlite3* staticfiles
