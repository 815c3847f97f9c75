# fiw's one task file: people and CI call the same targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FIW_SHARED ?= ../shared

.PHONY: run test fuzz lint format bench services assets dist clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Front-end packages from npm (package-lock.json), copied into the git-ignored vendor folder.
VENDOR := src/fiw/web/static/vendor
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/axe-core $(VENDOR)/d3-array $(VENDOR)/d3-geo $(VENDOR)/topojson-client $(VENDOR)/world-atlas $(VENDOR)/swagger-ui-dist
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE $(VENDOR)/axe-core/
	cp node_modules/d3-array/dist/d3-array.min.js node_modules/d3-array/LICENSE $(VENDOR)/d3-array/
	cp node_modules/d3-geo/dist/d3-geo.min.js node_modules/d3-geo/LICENSE $(VENDOR)/d3-geo/
	cp node_modules/topojson-client/dist/topojson-client.min.js node_modules/topojson-client/LICENSE $(VENDOR)/topojson-client/
	cp node_modules/world-atlas/countries-110m.json node_modules/world-atlas/LICENSE $(VENDOR)/world-atlas/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
	  node_modules/swagger-ui-dist/favicon-32x32.png node_modules/swagger-ui-dist/LICENSE $(VENDOR)/swagger-ui-dist/
	touch $@

assets: $(VENDOR)/.installed

# The sdist and the wheel in dist/, with the vendored front-end files (and their licences) built
# in: `pip install dist/fiw-*.whl` needs no Node, npm or checkout. The build backend
# (build_backend/fiw_build.py) refuses to build when the vendor folder is missing.
dist: $(STAMP) assets
	rm -rf dist
	$(BIN)/python -m build --outdir dist .

# The explorer on http://127.0.0.1:8000/: on first start `fiw serve` migrates the default SQLite
# database and imports the workbooks (FIW_DATA_DIR, else downloaded) and the report pages.
run: $(STAMP) assets
	$(BIN)/fiw serve --host 127.0.0.1 --port 8000

services: $(STAMP)
	bash scripts/ensure-services.sh

test: $(STAMP) services assets
	source scripts/test-env.sh && $(BIN)/python -m pytest -n 2 -q

# 10,000 mutated corpus pages through the library and a sample through `fiw parse` (tests/fuzz_pages.py).
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz_pages --mutants 10000

lint: $(STAMP)
	$(BIN)/ruff check src tests bench build_backend
	$(BIN)/ruff format --check src tests bench build_backend
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix src tests bench build_backend
	$(BIN)/ruff format src tests bench build_backend

bench: $(STAMP) services assets
	source scripts/test-env.sh && $(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache var build dist src/fiw.egg-info
