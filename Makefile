# The two commands a newcomer needs: `make demo` and `make test`. Everything else is what they call.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
PYTHON_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
ASSETS_STAMP := commonweal/static/build/.built
# The PostgreSQL that the second test run uses; CI sets it, and fails if it cannot connect.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/commonweal
DEMO_DB ?= $(CURDIR)/demo.sqlite3

.PHONY: install assets demo serve test lint test-sqlite test-postgres bench clean

install: $(PYTHON_STAMP) $(ASSETS_STAMP)

$(PYTHON_STAMP): requirements/lock.txt pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Commonweal needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements/lock.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(ASSETS_STAMP): $(NODE_STAMP) frontend/build.mjs $(wildcard frontend/*.scss frontend/*.js)
	node frontend/build.mjs
	touch $@

assets: $(ASSETS_STAMP)

demo: install
	rm -f $(DEMO_DB)
	COMMONWEAL_DEBUG=true DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/python manage.py migrate --no-input
	COMMONWEAL_DEBUG=true DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/python manage.py build_demo
	COMMONWEAL_DEBUG=true DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Serve an already built demo without rebuilding it.
serve: install
	COMMONWEAL_DEBUG=true DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	COMMONWEAL_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

test-sqlite: install
	@echo "== pytest on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -n 2

test-postgres: install
	@if $(BIN)/python -m commonweal.dbcheck "$(TEST_POSTGRES_URL)"; then \
		echo "== pytest on PostgreSQL ($(TEST_POSTGRES_URL)) =="; \
		DATABASE_URL="$(TEST_POSTGRES_URL)" $(BIN)/pytest -n 2; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI: cannot connect to PostgreSQL at $(TEST_POSTGRES_URL); the PostgreSQL run is required." >&2; exit 1; \
	else \
		echo "== SKIPPED the PostgreSQL run: no server at $(TEST_POSTGRES_URL) (set TEST_POSTGRES_URL to run it) =="; \
	fi

test: lint test-sqlite test-postgres

bench: install
	for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) node_modules commonweal/static/build demo.sqlite3
