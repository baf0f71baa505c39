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

.PHONY: run test db demo install clean translations lock

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

test: $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS)

# Refresh the French catalogue after changing interface strings, translate, then compile.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o readiness/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i readiness/translations/messages.pot -d readiness/translations -l fr --no-fuzzy-matching
	$(BIN)/pybabel compile -d readiness/translations

clean:
	rm -rf $(VENV) .pytest_cache $(LOCK_VENV)
