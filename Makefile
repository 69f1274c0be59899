# Two commands do all set-up on a fresh machine (Python 3.11, pip, make):
#   make demo   the Almaty 2023 example, end to end
#   make test   the whole suite: ruff, mypy, pytest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/pip -q --disable-pip-version-check
# Where `make wheelhouse` writes every wheel saylau needs on this platform (docs/installing.md).
WHEELHOUSE ?= wheelhouse

.PHONY: demo serve test lint typecheck unit system-deps bench clean locks release wheelhouse fuzz-service

# The development lock, checked against its hashes; saylau itself editable, built by the lock's setuptools.
# The lock names every package, so pip installs it as written (--no-deps: pip 23 would otherwise look for an
# extra a package asks of another, such as coverage[toml], outside the lock); pip check then proves it whole.
$(STAMP): requirements/dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes --no-deps -r requirements/dev.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/saylau results examples/almaty-2023

# The results service on the Almaty example (SQLite in ./saylau-data); set SAYLAU_ADMIN_PASSWORD to choose
# the administrator's password, otherwise one is generated and printed once. The demo: no air-gap check.
serve: $(STAMP)
	$(BIN)/saylau serve examples/almaty-2023 --data saylau-data --air-gap off

system-deps:
	@bash scripts/system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check $(wildcard src tests benchmarks)
	$(BIN)/ruff format --check $(wildcard src tests benchmarks)

typecheck: $(STAMP)
	$(BIN)/mypy

# tests/packaging installs saylau's wheel from the wheelhouse into a fresh virtualenv, with no index.
unit: $(STAMP) system-deps wheelhouse
	SAYLAU_WHEELHOUSE=$(abspath $(WHEELHOUSE)) $(BIN)/pytest -n 2 -q

test: lint typecheck unit

# Schemathesis against a running `saylau serve`, as each role, on SQLite and PostgreSQL, a few thousand
# requests per role and database: 0 server errors, 0 undocumented statuses or content types (issue 21). CI
# runs it after `make test`, whose suite runs the same test as a smoke of 3 examples per operation.
FUZZ_EXAMPLES ?= 50
fuzz-service: $(STAMP) system-deps
	SAYLAU_SCHEMATHESIS=$(FUZZ_EXAMPLES) $(BIN)/pytest -q -n 2 -rP tests/service/test_schemathesis.py

bench: $(STAMP)
	$(BIN)/python benchmarks/allocation.py
	$(BIN)/python benchmarks/tabulation.py
	$(BIN)/python benchmarks/election_day_offline.py
	$(BIN)/python benchmarks/cli.py
	$(BIN)/python benchmarks/projection.py
	$(BIN)/python benchmarks/projection_backtest.py
	$(BIN)/python benchmarks/service.py

# Regenerates requirements/dev.lock and requirements/runtime.lock from pyproject.toml (UPGRADE=1: newest).
locks: $(STAMP)
	bash scripts/locks.sh $(if $(UPGRADE),--upgrade)

# The sdist and the wheel in dist/, checked (twine check --strict: metadata and the README as PyPI shows it).
release: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .
	$(BIN)/twine check --strict dist/*

# Every wheel saylau needs on this platform (the runtime lock's, hash-checked) and saylau's own, in one folder
# a commission copies to a machine with no network (docs/installing.md), with the lock and SHA256SUMS.
wheelhouse: $(STAMP)
	mkdir -p $(WHEELHOUSE)
	rm -f $(WHEELHOUSE)/saylau-*.whl
	$(PIP) download --require-hashes --no-deps --only-binary=:all: -r requirements/runtime.lock -d $(WHEELHOUSE)
	$(BIN)/python -m build --wheel --no-isolation --outdir $(WHEELHOUSE) . >/dev/null
	cp requirements/runtime.lock $(WHEELHOUSE)/runtime.lock
	cd $(WHEELHOUSE) && sha256sum *.whl runtime.lock >SHA256SUMS

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache dist $(WHEELHOUSE)
