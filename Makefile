# Two commands do all set-up on a fresh machine (Python 3.11, pip, make):
#   make demo   the Almaty 2023 example, end to end
#   make test   the whole suite: ruff, mypy, pytest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo serve test lint typecheck unit system-deps bench clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/saylau results examples/almaty-2023

# The results service on the Almaty example (SQLite in ./saylau-data); set SAYLAU_ADMIN_PASSWORD to choose
# the administrator's password, otherwise one is generated and printed once.
serve: $(STAMP)
	$(BIN)/saylau serve examples/almaty-2023 --data saylau-data

system-deps:
	@bash scripts/system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check $(wildcard src tests benchmarks)
	$(BIN)/ruff format --check $(wildcard src tests benchmarks)

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) system-deps
	$(BIN)/pytest -n 2 -q

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python benchmarks/allocation.py
	$(BIN)/python benchmarks/tabulation.py
	$(BIN)/python benchmarks/election_day_offline.py
	$(BIN)/python benchmarks/cli.py
	$(BIN)/python benchmarks/projection.py
	$(BIN)/python benchmarks/projection_backtest.py
	$(BIN)/python benchmarks/service.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
