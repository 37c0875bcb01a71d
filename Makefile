# Two entry points for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
QUESTION ?= what must Cambridgeshire improve?

.PHONY: run test bench eval

# The virtual environment, rebuilt when pyproject.toml changes. uv (from PyPI, or yours if it is on the PATH)
# installs the packages in seconds and says what it is doing; plain pip if uv cannot be had.
$(BIN)/inspection-bot: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "inspection-bot needs Python 3.11 or newer (set PYTHON=...)"; exit 1; }
	@echo "Setting up $(VENV)/ (once, about 10 s): the packages in pyproject.toml, from PyPI."
	@$(PYTHON) -m venv $(VENV)
	@uv=$$(command -v uv || { $(BIN)/python -m pip install --quiet --disable-pip-version-check uv >/dev/null 2>&1 && echo $(BIN)/uv; }); \
	if [ -n "$$uv" ]; then \
		{ VIRTUAL_ENV=$(CURDIR)/$(VENV) $$uv pip install --python $(BIN)/python -e ".[test]" 2>&1; echo $$? > $(VENV)/.status; } | grep -v '^ [+~-] '; \
		[ "$$(cat $(VENV)/.status)" = 0 ]; \
	else \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip && \
		$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on -e ".[test]"; \
	fi
	@rm -f $(VENV)/.status
	@touch $@
	@echo "Ready."

# With a bot token (in the environment or .env) this runs the bot; without one it answers QUESTION.
run: $(BIN)/inspection-bot
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ] || grep -qs '^TELEGRAM_BOT_TOKEN=.' .env; then \
		exec $(BIN)/inspection-bot run; \
	else \
		$(BIN)/inspection-bot ask "$(QUESTION)"; \
	fi

test: $(BIN)/inspection-bot
	$(BIN)/ruff check --quiet .
	$(BIN)/python -m pytest

# The benchmarks of bench/ (10k, 100k and 1M findings); writes bench/RESULTS.md. Not part of `make test`.
bench: $(BIN)/inspection-bot
	$(BIN)/python -m bench

# Quality: findings against the layout fixtures' golden files (eval/FINDINGS.md), the labelled question set
# (tests/questions/) over every fixture document (eval/RESULTS.md), with pass rates per class, and the same on real
# public pages (eval/real/, eval/REAL.md) when their local cache is present (eval/real/README.md), and concerns followed
# across documents against labelled chains (eval/PROGRESS.md).
eval: $(BIN)/inspection-bot
	$(BIN)/python -m eval.findings
	$(BIN)/python -m eval.questions
	$(BIN)/python -m eval.real
	$(BIN)/python -m eval.progress
