# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The time-sensitive tests run a second time at this moment, to show they hold late in the evening.
LATE_EVENING := 2026-12-01 23:30:00
TIME_TESTS := tests/test_schedule.py tests/test_timeline.py tests/test_live_day.py tests/test_group_work.py \
	tests/test_group_work_day.py tests/test_group_restart.py tests/test_control_room.py tests/test_item_adjust.py \
	tests/test_rehearsal.py tests/test_group_rounds.py tests/test_group_rounds_day.py

.PHONY: run test test-late install lint typecheck chromium postgresql faketime translations lock migration

run: $(STAMP)
	$(BIN)/python main.py serve --demo

test: $(STAMP) chromium postgresql faketime lint typecheck
	$(BIN)/python -m pytest -q
	$(MAKE) --no-print-directory test-late

# The same tests under libfaketime: the machine says it is 23.30 in Oslo (the app's own clock stays pinned).
test-late: $(STAMP) chromium faketime
	TZ=Europe/Oslo faketime '$(LATE_EVENING)' $(BIN)/python -m pytest -q -p no:cacheprovider $(TIME_TESTS)

install: $(STAMP)

# Exact versions from requirements.lock (`make lock` writes it again from pyproject.toml).
$(STAMP): pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

lock: $(STAMP)
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links \
	  -o requirements.lock pyproject.toml

# The browser tests drive Debian's Chromium; Playwright cannot download its own here.
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# The PostgreSQL tests start a throwaway server from Debian's PostgreSQL 15 binaries.
postgresql:
	@test -x /usr/lib/postgresql/15/bin/initdb || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql-15; }

faketime:
	@command -v faketime >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq faketime; }

# ruff, and the layers of .importlinter: imports point down only.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

# A new schema migration from the models, against a throwaway database at head: make migration NAME=what_changes
migration: $(STAMP)
	@test -n "$(NAME)" || { echo "usage: make migration NAME=what_changes" >&2; exit 2; }
	@schema=$$(mktemp -d) && number=$$(printf '%04d' $$(( $$(ls migrations/versions/[0-9]*.py | wc -l) + 1 ))) && \
	  DATABASE_URL="sqlite:///$$schema/schema.db" $(BIN)/alembic upgrade head && \
	  DATABASE_URL="sqlite:///$$schema/schema.db" $(BIN)/alembic revision --autogenerate \
	    --rev-id "$${number}_$(NAME)" -m "$(NAME)" && rm -r "$$schema"

# Re-extract the user-facing strings and merge them into the catalogues in assets/locales.
translations: $(STAMP)
	$(BIN)/pybabel extract --no-location --omit-header -F babel.cfg -k _ -k N_ -k n_:1,2 -o assets/locales/messages.pot .
	for lang in nb nn en; do \
	  $(BIN)/pybabel update --no-fuzzy-matching --omit-header -D messages -i assets/locales/messages.pot -d assets/locales -l $$lang; \
	done
