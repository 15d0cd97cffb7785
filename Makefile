# The two commands: `make run` (serve the demo) and `make test` (the whole suite); `make lint` checks
# the import layers.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := run.py

.PHONY: run test lint install-dev clean

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

## install-dev: install the dev dependencies only (CI does this once before running suites side by side)
install-dev: $(VENV)/.dev

clean:
	rm -rf $(VENV) .pytest_cache
