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

.PHONY: run test db demo install clean translations

# Reinstall only when pyproject.toml is newer than the last install.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

db: $(STAMP)
	$(BIN)/flask --app wsgi db upgrade

demo: db
	$(BIN)/flask --app wsgi demo load

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
	rm -rf $(VENV) .pytest_cache
