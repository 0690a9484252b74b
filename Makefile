# Two commands do everything: `make run` serves the app, `make test` runs the whole suite.
# Each sets up what it needs first (virtual environment, packages) and is safe to repeat.

PYTHON ?= python3
# `make test` runs in two processes (pytest-xdist), or one when PYTEST_ARGS names only test
# files or tests; tests/conftest.py says how. PYTEST_XDIST="-n 0" runs everything in one.
PYTEST_XDIST ?= -n auto --dist loadgroup
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test install lint format demo

run: install
	$(BIN)/lantoa serve --demo

test: install
	@scripts/ensure-chromium.sh
	@scripts/ensure-libreoffice.sh
	$(BIN)/pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml
	@scripts/make-venv.sh "$(PYTHON)" "$(VENV)"
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $@

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
