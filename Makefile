# One command to run the bot, one to run every test. Each sets itself up on a fresh machine.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/python bot.py $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check compass_bot bot.py tests benchmarks tools
	$(BIN)/ruff format --check compass_bot bot.py tests benchmarks tools
	$(BIN)/mypy compass_bot bot.py

test: lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/qa.py
	$(BIN)/python benchmarks/names.py
	$(BIN)/python benchmarks/screening.py
	$(BIN)/python benchmarks/personal_data.py
	$(BIN)/python benchmarks/heat.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
