# Groundswell: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export GROUNDSWELL_DATA_DIR ?= $(CURDIR)/var
# The PostgreSQL pass of `make test` runs when something answers here.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
# The production pass's Redis database: emptied by the tests, so one of its own.
PROD_TEST_REDIS_URL ?= redis://127.0.0.1:6379/14
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test test-sqlite test-postgres test-production lint fmt assets translations messages bench clean

install: .make-python .make-assets translations

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

.make-python: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error

.make-assets: frontend/node_modules/.package-lock.json frontend/build.mjs $(shell find frontend/src -type f 2>/dev/null)
	cd frontend && node build.mjs > /dev/null
	@touch $@

assets: .make-assets

translations: .make-python
	@$(BIN)/groundswell compile_translations

run: install
	GROUNDSWELL_BASE_URL=$${GROUNDSWELL_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/groundswell setup
	GROUNDSWELL_BASE_URL=$${GROUNDSWELL_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/groundswell serve --host $(HOST) --port $(PORT)

lint: .make-python
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

fmt: .make-python
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

test: install lint test-sqlite test-postgres

test-sqlite: install
	@echo "== Test pass 1: SQLite"
	env -u DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	@if $(BIN)/python tests/postgres_reachable.py "$(PG_TEST_URL)"; then \
		echo "== Test pass 2: PostgreSQL at $(PG_TEST_URL)"; \
		DATABASE_URL="$(PG_TEST_URL)" $(BIN)/python -m pytest $(PYTEST_ARGS); \
	elif [ -n "$$GROUNDSWELL_REQUIRE_POSTGRES" ]; then \
		echo "== Test pass 2: PostgreSQL is required (GROUNDSWELL_REQUIRE_POSTGRES) but nothing answers at $(PG_TEST_URL)"; \
		exit 1; \
	else \
		echo "== Test pass 2: SKIPPED. No PostgreSQL answers at $(PG_TEST_URL); set PG_TEST_URL to run it."; \
	fi

# Pass 3, the production profile: the whole suite on PostgreSQL, Redis and object storage (a throwaway Ceph
# RADOS Gateway on loopback, from Debian's ceph-mon, ceph-osd and radosgw), including the test of two app
# servers behind nginx (Debian's nginx); every part of it is required here.
test-production: install
	@echo "== Test pass 3: production profile (PostgreSQL at $(PG_TEST_URL), Redis at $(PROD_TEST_REDIS_URL), object storage, nginx)"
	DATABASE_URL="$(PG_TEST_URL)" REDIS_URL="$(PROD_TEST_REDIS_URL)" GROUNDSWELL_TEST_PRODUCTION=1 \
		GROUNDSWELL_REQUIRE_PRODUCTION_PROFILE=1 GROUNDSWELL_REQUIRE_REDIS=1 \
		$(BIN)/python tests/deploy/objectstore.py -- $(BIN)/python -m pytest $(PYTEST_ARGS)

# Extract the strings to translate (needs GNU gettext's xgettext; only translators need this).
messages: .make-python
	cd src/groundswell && ../../$(BIN)/django-admin makemessages --settings=tests.settings --pythonpath=../.. \
		-l fr -l es -l de -l ar -l en --no-obsolete --ignore='static/*'

# Every benchmark (bench/run_all.py): writes docs/benchmarks.md and bench/results.json. Needs wrk and nginx
# (Debian's packages); the PostgreSQL runs when one answers at PG_TEST_URL.
bench: install
	@if $(BIN)/python tests/postgres_reachable.py "$(PG_TEST_URL)"; then \
		$(BIN)/python bench/run_all.py --postgres "$(PG_TEST_URL)"; \
	else \
		$(BIN)/python bench/run_all.py --postgres ""; \
	fi

clean:
	rm -rf $(VENV) .make-python .make-assets frontend/node_modules src/groundswell/static/vendor src/groundswell/static/groundswell
