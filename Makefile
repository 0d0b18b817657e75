# Fresh machine: `make run` (dashboard on demo data) or `make test` (every test, browser tests included).
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
POVERTY_DB ?= data/baclieu.duckdb
export POVERTY_DB

.PHONY: run test setup setup-dev warehouse lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

warehouse: $(VENV)/.runtime
	$(BIN)/python -m data.build

# The import page for everyone on this server (POVERTY_ALLOW_IMPORT=1, data/access.py), so this machine only.
run: $(VENV)/.runtime
	$(BIN)/python -m data.build --if-stale
	POVERTY_ALLOW_IMPORT=1 $(BIN)/streamlit run app.py --server.address 127.0.0.1 --browser.serverAddress localhost

test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(VENV)/.dev
	$(BIN)/ruff check .

bench: $(VENV)/.dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) data/*.duckdb data/*.duckdb.versions data/*.duckdb.lock bench/out
