# Two entry points for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
QUESTION ?= what must Cambridgeshire improve?

.PHONY: run test

# The virtual environment, rebuilt when pyproject.toml changes.
$(BIN)/inspection-bot: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "inspection-bot needs Python 3.11 or newer (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $@

run: $(BIN)/inspection-bot
	$(BIN)/inspection-bot ask "$(QUESTION)"

test: $(BIN)/inspection-bot
	$(BIN)/python -m pytest
