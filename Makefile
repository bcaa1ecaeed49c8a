# One command to run the bot, one to run every test. Each sets itself up on a fresh machine.
# The first Python 3.11 to 3.13 on the PATH; name another with `make run PYTHON=python3.12`.
SUPPORTED := python3.11 python3.12 python3.13 python3
ifeq ($(origin PYTHON),undefined)
PYTHON := $(firstword $(foreach p,$(SUPPORTED),$(shell command -v $(p) 2>/dev/null)))
endif
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { \
	  $(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' \
	    2>/dev/null || { echo "compass-bot needs Python 3.11 to 3.13 (tried:" \
	    "$(or $(PYTHON),$(SUPPORTED): none on the PATH)); name one, e.g." \
	    "make run PYTHON=python3.12" >&2; exit 2; }; \
	  $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# .venv with the project installed, nothing run (a server's checkout: see deploy/)
install: $(STAMP)

run: install
	$(BIN)/python bot.py $(ARGS)

lint: install
	$(BIN)/ruff check compass_bot bot.py tests benchmarks tools
	$(BIN)/ruff format --check compass_bot bot.py tests benchmarks tools
	$(BIN)/mypy compass_bot bot.py

# two workers: most tests wait on a subprocess or a socket, and CI has two cores
test: lint
	$(BIN)/python -m pytest -n 2

bench: install
	$(BIN)/python benchmarks/qa.py
	$(BIN)/python benchmarks/names.py
	$(BIN)/python benchmarks/screening.py
	$(BIN)/python benchmarks/personal_data.py
	$(BIN)/python benchmarks/heat.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
