# Fanxing: `make demo` serves the platform with demo data; `make test` runs every test.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FANXING_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test lint format bench bench-large clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

# The tests install the dense extra too, so they exercise techmatch's dense vectors (torch: a few minutes),
# and the milvus extra, so they exercise the Milvus search backend against milvus-lite (half a minute).
$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test,dense,milvus]"
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/fanxing demo

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	FANXING_FAST_HASHER=1 $(BIN)/fanxing makemigrations --check --dry-run
	FANXING_FAST_HASHER=1 $(BIN)/pytest -n 2 -p no:cacheprovider

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The benchmarks (not part of the tests): the web platform, the matching engine at 10k and 100k
# documents (bench-large adds 1M, about 20 minutes), and every demo demand matched.
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/demo_matching.py

bench-large: $(VENV)/.installed-test
	$(BIN)/python benchmarks/engine.py --large

clean:
	rm -rf $(VENV) var
