# The two commands of the README: `make run` (set up and serve the product locally) and
# `make test` (set up and run the whole test suite). Everything else here serves those two.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
export APP_ENV ?= local

.PHONY: run test lint setup system-packages messages bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,dev]"
	touch $@

setup: $(VENV)/.installed

# Chromium for the browser tests and gettext for the translations, from Debian's packages.
system-packages:
	bash scripts/system-packages.sh

messages: setup
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages -v0 --ignore=.venv; \
	else echo "gettext missing: pages fall back to the source strings (make system-packages)"; fi

run: setup messages
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: setup system-packages messages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

bench: setup
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
