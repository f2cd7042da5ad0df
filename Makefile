# draftroom: `make dev` runs the whole stack, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CHROMIUM ?= /usr/bin/chromium

.PHONY: dev test install lint typecheck pytest browser migrations clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests (Playwright drives it via executable_path).
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "installing Debian chromium for the browser tests"; \
		if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

dev: install
	$(BIN)/draftroom dev

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

pytest: install browser
	$(BIN)/pytest

test: lint typecheck pytest

# Regenerate the migration after changing draftroom/db/tables (no database needed).
migrations: install
	PICCOLO_CONF=piccolo_conf $(BIN)/piccolo migrations new draftroom --auto

clean:
	rm -rf $(VENV) .data .pytest_cache .mypy_cache .ruff_cache
