# Readiness developer commands. `make run` and `make test` are all you need.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000
# Parallel test workers (pytest-xdist); each gets its own PostgreSQL database.
TEST_WORKERS ?= 2

export FLASK_APP := wsgi

.PHONY: run test check fuzz db demo install clean translations lock plotly

# Reinstall only when pyproject.toml or the lock file is newer than the last install.
# requirements.lock pins every package, so two installs a week apart are the same.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

# Regenerate requirements.lock after changing a range in pyproject.toml: a fresh virtualenv
# installs the newest versions the ranges allow, and its `pip freeze` becomes the lock.
LOCK_VENV := .lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet '.[dev]'
	{ sed -n '/^#/p' requirements.lock; $(LOCK_VENV)/bin/python -m pip freeze | grep -iv '^readiness'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock
	rm -rf $(LOCK_VENV)

install: $(STAMP)

db: $(STAMP)
	$(BIN)/flask --app wsgi db upgrade

demo: db
	$(BIN)/flask --app wsgi demo load --followups

run: demo
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

# Lint and type-check before any test runs: a failure here stops `make test` (and so CI).
check: $(STAMP)
	$(BIN)/ruff check readiness tests wsgi.py gunicorn.conf.py
	$(BIN)/mypy

test: check
	$(BIN)/pytest -n $(TEST_WORKERS)

# The full input-fuzzing campaign (make test runs a smaller one; CI's SQLite pass runs this one).
fuzz: $(STAMP)
	READINESS_FUZZ=full $(BIN)/pytest -n $(TEST_WORKERS) tests/web/test_fuzz_inputs.py

# Refresh every catalogue after changing interface strings, translate, then compile.
# N_ / NC_ mark document sentences (readiness/i18n.py) translated later in the document's language.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -k NC_:1c,2 -o readiness/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i readiness/translations/messages.pot -d readiness/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d readiness/translations

clean:
	rm -rf $(VENV) .pytest_cache $(LOCK_VENV)

# Rebuild the partial Plotly bundle (only the chart types the app draws) after changing vendor/plotly/.
plotly:
	cd vendor/plotly && npm ci --no-audit --no-fund --loglevel=error && node build.js
