# RUS-dashboard. The two commands a fresh machine needs:
#   make run    set up (virtual environment, pinned requirements) and run the app on http://127.0.0.1:8050
#   make test   set up and run all tests (lint, unit, browser)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8050

.PHONY: run test test-unit test-browser test-pg lint audit serve init clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

init: $(VENV)/.runtime
	$(BIN)/python -m dashboard init

run: init
	$(BIN)/python app.py

serve: init  ## production-style: gunicorn with 2 workers
	$(BIN)/gunicorn app:server --workers 2 --threads 4 --timeout 60 --bind $(HOST):$(PORT)

lint: $(VENV)/.dev
	$(BIN)/ruff check dashboard tests app.py
	$(BIN)/ruff format --check dashboard tests app.py

# Known vulnerabilities in the pinned requirements (pip-audit). Where the advisory database cannot
# be reached (every package comes back "not found"), it says so in one line and does not fail.
audit: $(VENV)/.dev
	@out=$$(timeout 300 $(BIN)/pip-audit -r requirements.txt -s pypi --progress-spinner off 2>&1); status=$$?; \
	pinned=$$(grep -cE '^[^#[:space:]].*==' requirements.txt); \
	missing=$$(printf '%s\n' "$$out" | grep -c 'could not be audited'); \
	if [ "$$status" = 124 ] || printf '%s\n' "$$out" | grep -qE 'ConnectionError|NameResolutionError|Max retries'; then \
	  echo "audit skipped: the advisory database did not answer"; \
	elif [ "$$status" = 0 ] && [ "$$missing" -ge "$$pinned" ]; then \
	  echo "audit skipped: the advisory database is not reachable from here ($$missing of $$pinned packages not found)"; \
	elif [ "$$status" = 0 ]; then printf '%s\n' "$$out" | head -n 1; \
	else printf '%s\n' "$$out"; exit 1; fi

test-unit: $(VENV)/.dev
	$(BIN)/python -m pytest tests/unit -q

test-browser: $(VENV)/.dev
	$(BIN)/python -m pytest tests/browser -q

test: lint $(VENV)/.dev
	$(BIN)/python -m pytest -q

# The whole suite against PostgreSQL (TEST_DATABASE_URL must point at a database that may be wiped).
test-pg: $(VENV)/.dev
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache data/*.sqlite*
