# Entry points: `make install`, `make quiz`, `make test`, `make lint`. Each creates .venv on
# first use and reinstalls only when pyproject.toml changes. `normquiz` lives in .venv/bin:
# `. .venv/bin/activate` puts it on PATH (README, Quick start).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# The CPU build of torch, pinned: a local wheel on our machines. Installed first so
# nothing later resolves `torch` to the registry's CUDA build.
TORCH  := torch==2.13.0

.PHONY: quiz test lint format install clean

quiz: $(STAMP)
	$(BIN)/normquiz quiz

test: $(STAMP)
	$(BIN)/python -m pytest

# ruff (lint and format), mypy (strict), import-linter (the layer contract)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

install: $(STAMP)
	@echo "normquiz is installed in $(VENV)/bin. Put it on your PATH in this shell with:"
	@echo "  . $(VENV)/bin/activate"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
