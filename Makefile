# FreightDesk — the project's vocabulary: run, test, lint, bench.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: run test test-pg lint bench install browser gettext messages demo clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

install: $(VENV)/.installed

# Debian's Chromium for the end-to-end tests (Playwright drives /usr/bin/chromium), CJK fonts for screenshots.
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }

# gettext's msgfmt compiles the translations (zh-hans is the default language).
gettext:
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; }

messages: install gettext
	$(PY) manage.py compilemessages -v 0 --ignore=.venv

demo: install messages
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py demo_data

# The whole system on SQLite: web on http://127.0.0.1:8000 and the task worker; one Ctrl-C stops both.
run: demo
	$(VENV)/bin/honcho -f Procfile.dev start

test: install browser messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
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
