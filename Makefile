# Minka: `make run` to set up and serve, `make test` to set up and test.
# PYTHON=/path/to/python3.12+ overrides the interpreter search.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run on both cores; PYTEST_ARGS="-n 0" runs them in one process.
PYTEST_ARGS ?= -n auto

# Python 3.12 or newer: on PATH, or under pyenv (whose shims refuse to run a
# version that is not selected, so the versions folder is searched directly).
find_python = for candidate in $(PYTHON) python3.14 python3.13 python3.12 \
		$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
	  if command -v $$candidate >/dev/null 2>&1 && \
	     $$candidate -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    command -v $$candidate; exit 0; fi; \
	done; exit 1

.PHONY: run demo system test setup lint format messages bench clean vendor

$(STAMP): requirements.txt
	@py=$$($(find_python)) || { echo "Minka needs Python 3.12 or newer, and none was found."; \
	  echo "Install one (e.g. 'apt-get install python3.12' or 'pyenv install 3.13'), or run 'make PYTHON=/path/to/python3.12 ...'."; exit 1; }; \
	if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  echo "Creating $(VENV) with $$py"; rm -rf $(VENV); $$py -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*; touch $@

setup: $(STAMP)

run: demo
	DEBUG=on $(BIN)/python manage.py runserver $(HOST):$(PORT)

# What `make run` sets up before serving: the tables and the demo cooperative, on DATABASE_URL's
# database or, without one, the SQLite file db.sqlite3.
demo: setup system
	DEBUG=on $(BIN)/python manage.py migrate --no-input
	DEBUG=on $(BIN)/python manage.py seed_demo

# The Debian packages of the PDF reports (as root, installed; otherwise the command to run).
system:
	@scripts/system-packages

# The whole suite on PostgreSQL when DATABASE_URL is set, then always on SQLite, the database
# `make run` serves; the walks of `make run` and of the README's deploy run in the SQLite pass.
test: setup
	@scripts/system-packages --tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@echo "== The house's floors (ARCHITECTURE.md; the contracts in pyproject.toml)"
	PYTHONPATH=. $(BIN)/lint-imports --no-cache
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "== The suite on PostgreSQL"; \
	  $(BIN)/python -m pytest $(PYTEST_ARGS) -m "not paths" || exit 1; \
	fi
	@echo "== The suite on SQLite"
	DATABASE_URL=sqlite://:memory: MINKA_REQUIRE_POSTGRES= $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=. $(BIN)/lint-imports --no-cache

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: setup
	$(BIN)/python manage.py makemessages --locale es --locale en --ignore '$(VENV)/*'
	$(BIN)/python manage.py compilemessages --ignore '$(VENV)/*'

# The figures of PERFORMANCE.md on the national data set (PostgreSQL only), built once if missing.
bench: setup
	@test -n "$$DATABASE_URL" || { echo "make bench measures PostgreSQL: set DATABASE_URL=postgres://user:password@host:5432/minka"; exit 1; }
	SECRET_KEY=$${SECRET_KEY:-bench-only-not-a-secret} $(BIN)/python manage.py migrate --no-input
	$(BIN)/python bench/api.py --has-data || \
	  SECRET_KEY=$${SECRET_KEY:-bench-only-not-a-secret} $(BIN)/python manage.py seed_demo --cooperatives 100 --families 100000
	$(BIN)/python bench/api.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/exports.py
	$(BIN)/python bench/imports.py
	$(BIN)/python bench/geometries.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache

# The browser libraries, from npm into static/vendor/ (committed, so that `make run` needs no npm).
# A minified file names its source map, which collectstatic's manifest must find: the maps come along.
vendor:
	npm ci --no-audit --no-fund
	rm -rf static/vendor/leaflet static/vendor/leaflet-draw static/vendor/chart.js static/vendor/htmx
	mkdir -p static/vendor/leaflet static/vendor/leaflet-draw static/vendor/chart.js static/vendor/htmx
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images node_modules/leaflet/LICENSE static/vendor/leaflet/
	cp -r node_modules/leaflet-draw/dist/leaflet.draw.js node_modules/leaflet-draw/dist/leaflet.draw.css node_modules/leaflet-draw/dist/images static/vendor/leaflet-draw/
	node -e 'const p=require("./node_modules/leaflet-draw/package.json"); console.log(`$${p.name} $${p.version}: $${p.license} licence (the package ships no licence file; (c) 2012-2017 Jacob Toye, Jon West, Smartrak, Leaflet; https://github.com/Leaflet/Leaflet.draw).`)' > static/vendor/leaflet-draw/LICENSE
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map node_modules/chart.js/LICENSE.md static/vendor/chart.js/
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE static/vendor/htmx/
	# axe-core checks the pages in the browser tests (never served to users).
	mkdir -p tests/browser/vendor/axe-core
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE tests/browser/vendor/axe-core/
