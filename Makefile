# Footfall: `make run` starts the product, `make test` runs every check. Both work from a fresh clone.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: venv run test lint typecheck pytest bench clean tracker tracker-check dashboard dashboard-check browser-deps pirsch-sdk-deps
# why: CI runs as root on Debian; a developer's machine may need sudo for apt-get
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
TRACKER_DEPS := tracker/node_modules/.package-lock.json
DASHBOARD_DEPS := dashboard/node_modules/.package-lock.json
PIRSCH_SDK_DEPS := tests/pirsch_sdk/node_modules/.package-lock.json

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -U pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: venv
	$(BIN)/footfall serve

lint: venv
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench

typecheck: venv
	$(BIN)/mypy

pytest: venv browser-deps tracker-check dashboard-check pirsch-sdk-deps
	$(BIN)/pytest -q -p no:cacheprovider

test: lint typecheck pytest

# The JavaScript tracker: esbuild from npm builds src/footfall/web/static/ppms.js (committed).
$(TRACKER_DEPS): tracker/package.json tracker/package-lock.json
	command -v npm >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm)
	cd tracker && npm ci --no-audit --no-fund

tracker: $(TRACKER_DEPS)
	cd tracker && node build.mjs

tracker-check: $(TRACKER_DEPS)
	cd tracker && node build.mjs --check

# The official Pirsch Node SDK, run by tests/e2e/test_pirsch_sdk.py against a live server.
$(PIRSCH_SDK_DEPS): tests/pirsch_sdk/package.json tests/pirsch_sdk/package-lock.json
	command -v npm >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm)
	cd tests/pirsch_sdk && npm ci --no-audit --no-fund

pirsch-sdk-deps: $(PIRSCH_SDK_DEPS)

# The dashboard's chart: uPlot bundled by esbuild into src/footfall/web/static/dashboard.{js,css} (committed).
$(DASHBOARD_DEPS): dashboard/package.json dashboard/package-lock.json
	command -v npm >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm)
	cd dashboard && npm ci --no-audit --no-fund

dashboard: $(DASHBOARD_DEPS)
	cd dashboard && node build.mjs

dashboard-check: $(DASHBOARD_DEPS)
	cd dashboard && node build.mjs --check

# Browser tests drive Debian's Chromium through Playwright (no `playwright install` download).
browser-deps:
	test -x /usr/bin/chromium || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium)

bench: venv
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) footfall-data .pytest_cache .mypy_cache .ruff_cache
