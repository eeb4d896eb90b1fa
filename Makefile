# The README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test install catalogs messages lint format clean

run: install catalogs
	$(PY) manage.py migrate --no-input
	$(PY) manage.py create_roles
	$(PY) manage.py load_demo
	$(PY) manage.py create_demo_editor --port $(PORT)
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install catalogs
	$(VENV)/bin/pytest $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

# Compile the interface catalogs in pure Python (no GNU gettext needed).
catalogs: install
	$(PY) manage.py compile_catalogs

# Refresh the catalogs from the templates and code (needs GNU gettext); the
# project's makemessages adds --no-location and ignores .venv and staticfiles.
messages: install
	$(PY) manage.py makemessages --all
	$(PY) manage.py compile_catalogs

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles newsroom.sqlite3
	find locale -name '*.mo' -delete
