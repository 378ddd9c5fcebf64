# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install lint typecheck chromium postgresql translations

run: $(STAMP)
	$(BIN)/python main.py serve --demo

test: $(STAMP) chromium postgresql lint typecheck
	$(BIN)/python -m pytest -q

install: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The browser tests drive Debian's Chromium; Playwright cannot download its own here.
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# The PostgreSQL tests start a throwaway server from Debian's PostgreSQL 15 binaries.
postgresql:
	@test -x /usr/lib/postgresql/15/bin/initdb || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql-15; }

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

# Re-extract the user-facing strings and merge them into the catalogues in assets/locales.
translations: $(STAMP)
	$(BIN)/pybabel extract --no-location --omit-header -F babel.cfg -k _ -k N_ -k n_:1,2 -o assets/locales/messages.pot .
	for lang in nb nn en; do \
	  $(BIN)/pybabel update --no-fuzzy-matching --omit-header -D messages -i assets/locales/messages.pot -d assets/locales -l $$lang; \
	done
