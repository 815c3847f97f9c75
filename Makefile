# fiw's one task file: people and CI call the same targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FIW_SHARED ?= ../shared

.PHONY: run test lint format bench services clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/fiw audit "$(FIW_SHARED)/data/fiw/All_data_FIW_2013-2024.xlsx" \
	  --ratings "$(FIW_SHARED)/data/fiw/Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx"

services: $(STAMP)
	bash scripts/ensure-services.sh

test: $(STAMP) services
	source scripts/test-env.sh && $(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

bench: $(STAMP) services
	source scripts/test-env.sh && $(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache var
