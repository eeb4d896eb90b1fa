# The README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The settings default to production; these commands are for development.
export DJANGO_DEBUG = true

.PHONY: run test install catalogs messages lint format clean browser-tools screenshots observatory bench faults bench-search

run: install catalogs
	$(PY) manage.py migrate --no-input
	$(PY) manage.py render_editions
	$(PY) manage.py create_roles
	$(PY) manage.py load_demo
	$(PY) manage.py create_demo_editor --port $(PORT)
	# The background worker (README, "Background work") runs beside the server and stops with it.
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The suite runs on every core, up to four (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto --maxprocesses 4
test: install catalogs
	$(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

# The browser tests need Debian's Chromium, fonts for every script and
# axe-core; the observatory test needs the Mozilla HTTP Observatory's scanner.
# Without them they skip. Installing Chromium needs root.
AXE_CORE_VERSION := 4.14.1
OBSERVATORY_VERSION := 1.4.8
OBSERVATORY := node_modules/@mdn/mdn-http-observatory
BROWSER_PACKAGES := chromium fonts-noto-core fonts-noto-cjk

browser-tools:
	dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1 || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(BROWSER_PACKAGES))
	test -f node_modules/axe-core/axe.min.js && grep -q '"version": "$(AXE_CORE_VERSION)"' node_modules/axe-core/package.json \
		&& grep -q '"version": "$(OBSERVATORY_VERSION)"' $(OBSERVATORY)/package.json \
		|| npm install --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
			axe-core@$(AXE_CORE_VERSION) @mdn/mdn-http-observatory@$(OBSERVATORY_VERSION)
	# The scanner's install script would download the browsers' HSTS preload
	# list (--ignore-scripts skips it); the scanned 127.0.0.1 is on no such list.
	test -f $(OBSERVATORY)/conf/hsts-preload.json || echo '{}' > $(OBSERVATORY)/conf/hsts-preload.json

# Grade the reader's pages with the Mozilla HTTP Observatory's scanner
# (tests/test_observatory.py): prints each page's score; fails below A+.
observatory: install catalogs
	test -f $(OBSERVATORY)/src/scan.js || $(MAKE) browser-tools
	$(VENV)/bin/pytest -q -s -m observatory tests/test_observatory.py

# Retake the README's screenshots into docs/screenshots/.
screenshots: install catalogs
	NEWSROOM_SCREENSHOTS=1 $(VENV)/bin/pytest -q -m browser tests/test_screenshots.py
	if command -v pngquant >/dev/null; then \
		pngquant --force --skip-if-larger --quality 70-95 --strip --ext .png docs/screenshots/*.png || true; \
	else echo "pngquant is not installed (apt-get install pngquant): the screenshots stay uncompressed."; fi

# The benchmark (README, "Benchmark"): BENCH_ARGS="--reports 1000,100000" for other sizes.
bench: install catalogs
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(PY) -m bench $(BENCH_ARGS)

# Readers under load while PostgreSQL restarts and Redis stops (README, "Faults").
faults: install catalogs
	$(PY) -m bench.faults $(FAULT_ARGS)

# The search page's speed in every language (README, "Search"): BENCH_ARGS="--reports 100000".
bench-search: install catalogs
	$(PY) -m bench.search $(BENCH_ARGS)

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
	rm -rf $(VENV) staticfiles newsroom.sqlite3 node_modules .bench
	find locale -name '*.mo' -delete
