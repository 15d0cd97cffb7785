# The two commands: `make run` (serve the demo) and `make test` (the whole suite); `make lint` checks
# the import layers, `make check` the style and types (ruff, mypy); `make requirements` recompiles the
# pinned, hashed requirements files from requirements.in and requirements-dev.in.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := run.py

.PHONY: run test lint check format requirements install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

## run: install, migrate the SQLite database in instance/, load demo data once, serve on PORT (5000)
run: $(VENV)/.runtime
	BROKERAGE_ENV=development $(BIN)/flask db upgrade
	BROKERAGE_ENV=development $(BIN)/flask seed
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl+C to stop)"
	BROKERAGE_ENV=development PORT=$(PORT) $(BIN)/python run.py

## test: install the dev dependencies and run every test, one process per core (TEST_DATABASE_URL
## selects PostgreSQL; TEST_WORKERS=0 runs in one process; PYTEST_ARGS passes more options)
TEST_WORKERS ?= auto
test: $(VENV)/.dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

## lint: check the import layers: contracts/app.ini (the features' order) with each feature's
## contracts/<feature>.ini (its stages' order), read together as one configuration
lint: $(VENV)/.dev
	@config=$$(mktemp); trap 'rm -f "$$config"' EXIT; \
	cat contracts/app.ini $$(ls contracts/*.ini | grep -v '^contracts/app.ini$$') >"$$config"; \
	$(BIN)/lint-imports --no-cache "$$config"

## check: ruff's lint rules and its format check, then mypy, over brokerage/ (settings in pyproject.toml)
check: $(VENV)/.dev
	@status=0; \
	$(BIN)/ruff check brokerage || status=1; \
	$(BIN)/ruff format --check brokerage || status=1; \
	$(BIN)/mypy || status=1; \
	exit $$status

## format: sort the imports and apply ruff's formatter to brokerage/ (what `make check` then accepts)
format: $(VENV)/.dev
	$(BIN)/ruff check --select I --fix --quiet brokerage
	$(BIN)/ruff format brokerage

## requirements: recompile requirements.txt and requirements-dev.txt (exact versions, with their hashes)
## after a change to requirements.in or requirements-dev.in; versions already pinned stay unless
## UPGRADE=1 (every package to its newest allowed) or UPGRADE_PACKAGE=name (that one)
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make requirements" $(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links \
	$(if $(UPGRADE),--upgrade) $(if $(UPGRADE_PACKAGE),--upgrade-package $(UPGRADE_PACKAGE))
requirements: | $(BIN)/python
	$(BIN)/python -m pip install --quiet pip-tools==7.7.0
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in

## install-dev: install the dev dependencies only (CI does this once before running suites side by side)
install-dev: $(VENV)/.dev

clean:
	rm -rf $(VENV) .pytest_cache
