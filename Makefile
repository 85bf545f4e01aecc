# BatteryTrace: `make run` starts everything locally, `make test` runs the suite on a real Neo4j.
SHELL := /bin/bash
PY := .venv/bin/python
BT := .venv/bin/batterytrace
STAMP := .venv/.installed-stamp
# Settings (README, "Configuration"): make's command line or the environment first, then .env, then the
# default, as the API (pydantic-settings) and the launcher read theirs. Only these three are read, and
# none is put into the environment here: a plain `-include .env` would override variables make got
# from the environment and pass .env's NEO4J_URI on to `make test` (the suite takes a set NEO4J_URI
# as the server to empty; tests/conftest.py). The launcher and the API read NEO4J_* from .env themselves.
dotenv = $(shell sed -nE 's/^[[:space:]]*(export[[:space:]]+)?$(1)[[:space:]]*=[[:space:]]*//p' .env 2>/dev/null \
  | tail -n 1 | sed -E 's/[[:space:]]+\#.*$$//; s/^["\x27](.*)["\x27]$$/\1/')
define setting
ifeq ($$(origin $(1)),undefined)
$(1) := $$(or $$(call dotenv,$(1)),$(2))
endif
endef
$(eval $(call setting,API_HOST,127.0.0.1))
$(eval $(call setting,API_PORT,8000))
# One API worker process per core (each with its own driver); set API_WORKERS=1 to debug in one process.
$(eval $(call setting,API_WORKERS,$(shell nproc 2>/dev/null || echo 2)))
DEMO_BATTERIES ?= 2000
DEMO_SEED ?= 7
DEMO_DIR := var/demo-world

.DEFAULT_GOAL := help
.PHONY: help install run api api-url demo demo-keys fuzz load-test neo4j-start neo4j-stop neo4j-status neo4j-logs reproject test test-fast lint format clean bench bench-quick

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 18

$(STAMP): pyproject.toml
	python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the project with its dev tools

neo4j-start: $(STAMP) ## start the local Neo4j (assembled from Maven Central on first use)
	$(BT) neo4j start

neo4j-stop: $(STAMP) ## stop the local Neo4j
	$(BT) neo4j stop

neo4j-status: $(STAMP) ## is the local Neo4j running?
	$(BT) neo4j status

neo4j-logs: $(STAMP) ## the tail of the local Neo4j's logs
	$(BT) neo4j logs

demo: neo4j-start ## generate the demo world (once) and load it through the ingest path
	@if [ ! -f $(DEMO_DIR)/manifest.json ]; then \
	  $(BT) synth --batteries $(DEMO_BATTERIES) --seed $(DEMO_SEED) --out $(DEMO_DIR); fi
	$(BT) ledger upgrade
	$(BT) load $(DEMO_DIR)
	$(BT) findings sweep > /dev/null

reproject: neo4j-start ## rebuild the local store's derived state after an upgrade that asks for it
	$(BT) reproject

demo-keys: neo4j-start ## issue one demo API key per role, print them, save them to var/demo-keys.json
	$(BT) keys demo --out var/demo-keys.json

api: $(STAMP) ## serve the API on http://API_HOST:API_PORT with API_WORKERS processes (docs at /docs)
	@echo "api: http://$(API_HOST):$(API_PORT) (docs at /docs), $(API_WORKERS) workers"
	$(PY) -m uvicorn app.main:create_app --factory --host $(API_HOST) --port $(API_PORT) --workers $(API_WORKERS)

api-url: ## print the URL `make api` serves on, from the same settings (the README sets API=$(make -s api-url))
	@echo "http://$(if $(filter 0.0.0.0,$(API_HOST)),127.0.0.1,$(API_HOST)):$(API_PORT)"

run: pdf-deps neo4j-start demo demo-keys ui api ## local Neo4j (NEO4J_PORT), schema, demo world, then the API on API_HOST:API_PORT

test: $(STAMP) e2e-deps pdf-deps ui ## the whole suite against a real Neo4j
	$(PY) -m pytest

test-fast: $(STAMP) ## only the tests that need no database
	$(PY) -m pytest tests/unit

# The web UI (ui/: TypeScript, Vite, cytoscape from npm) is built into app/static/ui/ (git-ignored),
# which the API serves at /ui. Make's timestamps skip the build when it is newer than its sources.
UI_OUT := app/static/ui/index.html
# Swagger UI and ReDoc for /docs and /redoc, copied from the same npm install (no CDN at run time).
APIDOCS := app/static/apidocs
UI_SRC := $(shell find ui/src -type f 2>/dev/null) ui/index.html ui/package.json ui/package-lock.json ui/tsconfig.json ui/vite.config.ts \
	  app/identifiers/provinces.json
.PHONY: ui e2e-deps pdf-deps test-e2e

ui: $(UI_OUT) $(APIDOCS)/swagger-ui-bundle.js ## build the web UI into app/static/ui/ (npm ci, unit tests, vite; skipped when up to date)

ui/node_modules/.package-lock.json: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	@touch $@

$(UI_OUT): ui/node_modules/.package-lock.json $(UI_SRC)
	cd ui && npm test && npm run build

$(APIDOCS)/swagger-ui-bundle.js: ui/node_modules/.package-lock.json
	mkdir -p $(APIDOCS)
	cp ui/node_modules/swagger-ui-dist/swagger-ui-bundle.js ui/node_modules/swagger-ui-dist/swagger-ui.css \
	   ui/node_modules/swagger-ui-dist/favicon-32x32.png ui/node_modules/swagger-ui-dist/oauth2-redirect.html \
	   ui/node_modules/redoc/bundles/redoc.standalone.js $(APIDOCS)/
	cp ui/node_modules/swagger-ui-dist/LICENSE $(APIDOCS)/LICENSE.swagger-ui
	cp ui/node_modules/redoc/LICENSE $(APIDOCS)/LICENSE.redoc
	@# ReDoc's sidebar credit shows a logo from its vendor's CDN: point it at an empty data URL, so the
	@# served bundle names no outside host (the page's policy refused it anyway; tests/e2e/test_docs.py)
	sed -i 's#https://cdn\.redoc\.ly/redoc/logo-mini\.svg#data:,#g' $(APIDOCS)/redoc.standalone.js

e2e-deps: ## Debian's chromium and a CJK font for the browser tests (apt-get as root, only when missing)
	@if [ ! -x /usr/bin/chromium ]; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; fi
	@# a CJK font, so the Chinese pages (and their screenshots) show characters, not boxes
	@if ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-wqy-microhei; fi

pdf-deps: ## Debian's CJK font for the dossier PDF and poppler-utils for its tests (apt-get as root, only when missing)
	@if [ ! -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || [ ! -x /usr/bin/pdftotext ]; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-wqy-microhei poppler-utils; fi

test-e2e: $(STAMP) e2e-deps ui ## only the browser tests: headless Chromium against a real API server
	$(PY) -m pytest -m e2e tests/e2e

fuzz: $(STAMP) ## the long schemathesis run (FUZZ_EXAMPLES per operation, default 200) against a real API
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-200} $(PY) -m pytest -s tests/api/test_fuzz.py

load-test: $(STAMP) ## the short bounded load run of the suite, printing its figures (make bench runs a longer one)
	$(PY) -m pytest -s tests/integration/test_load.py

lint: $(STAMP) ## ruff, mypy and the import contracts (the layers in pyproject.toml)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	.venv/bin/lint-imports --no-cache

format: $(STAMP) ## apply ruff's formatting and safe fixes
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(STAMP) ## benchmarks on a 1,000,000-pack world -> bench/results.json (takes long)
	$(PY) bench/run.py --batteries 1000000

bench-quick: $(STAMP) ## the same benchmarks on 100,000 packs
	$(PY) bench/run.py --batteries 100000 --out bench/results-quick.json

# Ground truth for the network analyses: a 100,000-pack world loaded into its own Neo4j
# (var/neo4j-eval, Bolt port 7721, fresh store; the dev data is untouched). Exit 1 unless the
# planted broker ranks first and the planted ring is found. Takes about 5-10 minutes.
EVAL_BATTERIES ?= 100000
EVAL_SEED ?= 7
.PHONY: analytics-eval
analytics-eval: $(STAMP) ## do the analyses find the planted broker and ring in a 100,000-pack world?
	$(BT) eval analytics --batteries $(EVAL_BATTERIES) --seed $(EVAL_SEED) --neo4j-home var/neo4j-eval --port 7721

# Ground truth for the leakage rules: a 100,000-pack world with planted leakage and its look-alikes,
# loaded with its recorded_at values into its own Neo4j (var/neo4j-leval, Bolt port 7722, fresh store).
# Prints precision and recall per rule; exit 1 unless every rule is exact. About 10-15 minutes.
.PHONY: leakage-eval
leakage-eval: $(STAMP) ## precision and recall of every leakage rule against planted ground truth (100,000 packs)
	$(BT) eval leakage --batteries $(EVAL_BATTERIES) --seed $(EVAL_SEED) --neo4j-home var/neo4j-leval --port 7722

# Fade by chemistry: mean SoH by age band per chemistry from a synthetic world's health readings
# (no database), printed as a table and drawn into docs/fade_by_chemistry.png.
FADE_BATTERIES ?= 50000
.PHONY: fade-plot
fade-plot: $(STAMP) ## mean state of health by age band and chemistry (table, docs/fade_by_chemistry.png)
	$(BT) eval fade --batteries $(FADE_BATTERIES) --seed $(EVAL_SEED) --png docs/fade_by_chemistry.png

clean: ## stop Neo4j and remove local state (var/), keeping the cached jars
	-$(BT) neo4j stop
	-$(BT) neo4j stop --home var/neo4j-test
	rm -rf var
