# Boundaries: every target installs what it needs first, so a clean clone works.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit quality bench install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The main job. Until the web app exists it screens the example posts and prints the report;
# breaches in the examples are expected, so only a usage error (64) or a crash fails the target.
run: $(STAMP)
	@rc=0; $(BIN)/boundaries check --jsonl examples/posts.jsonl --context examples/context.json \
		--pupils examples/pupils.csv --format text || rc=$$?; \
	if [ $$rc -gt 2 ]; then exit $$rc; fi

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# pytest exits 5 when it collects nothing: that is a failure here, never a pass.
unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck unit

quality: $(STAMP)
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/pupils_disambiguation.py

$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

bench: $(VENV)/.bench-installed
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .mypy_cache .ruff_cache .pytest_cache
