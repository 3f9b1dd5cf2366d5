# The two commands of the README: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
HRMS_WORKERS ?= 2

.PHONY: bench run dev test install install-dev translations lint typecheck imports pytest \
	extract-messages update-messages clean load

run: install ## install, migrate, load demo data when empty, serve on http://$(HOST):$(PORT)
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(BIN)/gunicorn --workers $(HRMS_WORKERS) --bind $(HOST):$(PORT) --access-logfile - wsgi:app

dev: install ## development server with the reloader
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --debug --host $(HOST) --port $(PORT)

test: install-dev lint typecheck imports pytest ## the whole suite (SQLite, and PostgreSQL alongside when configured)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed translations

install-dev: $(VENV)/.installed-dev translations

translations: $(VENV)/.installed ## compile the message catalogs
	$(BIN)/pybabel compile --use-fuzzy --statistics -d hrms/translations 2>&1 | grep -v '^compiling' || true
	@test -f hrms/translations/vi/LC_MESSAGES/messages.mo

lint:
	$(BIN)/ruff check .

typecheck:
	$(BIN)/mypy hrms/core hrms/reviews hrms/salary hrms/reports positions

imports:
	$(BIN)/lint-imports

pytest: ## SQLite, and PostgreSQL at the same time when HRMS_TEST_DATABASE_URL is set
	tests/run-suites.sh $(BIN)/pytest

SIZE ?= 100000

bench: install ## province-scale benchmark (SIZE people, default 100000; HRMS_BENCH_DATABASE_URL for PostgreSQL)
	SIZE=$(SIZE) $(BIN)/python -m bench.run --size $(SIZE)

LOAD_DURATION ?= 60
LOAD_USERS ?= 32
LOAD_PEOPLE ?= 100

load: install ## load and fault test: gunicorn (2 workers) on a throwaway database, LOAD_USERS users for LOAD_DURATION s, one worker killed; LOAD_POSTGRES_URL: on PostgreSQL
	$(BIN)/python ops/load.py --serve --duration $(LOAD_DURATION) --users $(LOAD_USERS) --people $(LOAD_PEOPLE) \
		$(if $(LOAD_POSTGRES_URL),--postgres-admin-url $(LOAD_POSTGRES_URL))

extract-messages: $(VENV)/.installed ## refresh messages.pot and merge it into the catalogs
	$(BIN)/pybabel extract --mapping-file babel.cfg --no-location --sort-output --ignore-dirs ".* ._" \
		--keywords _l --output-file hrms/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i hrms/translations/messages.pot -d hrms/translations

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
