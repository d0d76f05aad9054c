# BibNet developer commands. On a fresh machine:  make run   /   make test
#
# Everything is installed into .venv, at the versions pinned in constraints.txt (the lock; refresh it
# with `make lock`). pip runs only when pyproject.toml or the lock changed since the last install: each
# install leaves a stamp file named after the extras and a hash of both files, so editing (or checking
# out) either one reinstalls.

PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 5000
PYTEST_ARGS ?=

BIN := $(VENV)/bin
PY  := $(BIN)/python
PIP := $(PY) -m pip --disable-pip-version-check
LOCK := constraints.txt
INSTALL_HASH := $(shell $(PYTHON) -c "import hashlib; print(hashlib.sha256(b''.join(open(f,'rb').read() for f in ('pyproject.toml','$(LOCK)'))).hexdigest()[:12])" 2>/dev/null || echo none)
STAMP_APP  := $(VENV)/.installed-app-$(INSTALL_HASH)
STAMP_TEST := $(VENV)/.installed-test-$(INSTALL_HASH)

# `make lock` resolves pyproject.toml with every extra for the Python and platform of CI and the Docker
# image (3.11, Linux), whatever machine runs it; uv is pinned and kept in its own venv, out of the app's.
UV_VERSION := 0.13.8
LOCK_TOOLS := $(VENV)/lock-tools
UV := $(LOCK_TOOLS)/bin/uv
UV_COMPILE := $(UV) pip compile pyproject.toml --all-extras --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --custom-compile-command 'make lock' --quiet --output-file $(LOCK)

# Every dependency that pyproject.toml names (extras included) must be pinned in the lock: pip would
# install one that is not at whatever version is newest that day.
define CHECK_LOCK
import re, sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
wanted = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
name = lambda text: re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", text.strip()).group()).lower()
missing = sorted({name(r) for r in wanted} - {name(line) for line in open("$(LOCK)") if line[:1].isalnum()})
sys.exit(f"$(LOCK) does not pin {', '.join(missing)}: run `make lock`" if missing else 0)
endef
export CHECK_LOCK

.DEFAULT_GOAL := help
.PHONY: help run test lint bench bench-funding install install-test lock lock-upgrade translations clean distclean

help:
	@echo "make run           install into $(VENV), migrate, load the demo, serve http://127.0.0.1:$(PORT)"
	@echo "make test          install with the test extras and run pytest (PYTEST_ARGS='-k api -x')"
	@echo "make lint          ruff check (the configuration is in pyproject.toml); make test runs it first"
	@echo "make bench         benchmark the room bookings on a throwaway PostgreSQL (see bench/README.md)"
	@echo "make bench-funding benchmark the funding report exports of 1,000,000 items against COPY (about 10 min)"
	@echo "make install       install the app into $(VENV) (editable)"
	@echo "make install-test  install the app with the test extras"
	@echo "make lock          pin new or changed dependencies of pyproject.toml in $(LOCK), keeping the other pins"
	@echo "make lock-upgrade  re-resolve $(LOCK) with the newest versions pyproject.toml allows"
	@echo "make translations  extract the texts into the .po files and compile the .mo files"
	@echo "make clean         remove $(VENV), build output and caches (keeps instance/)"
	@echo "make distclean     clean, and also remove instance/ (demo database, files, outbox)"

$(PY):
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "BibNet needs Python 3.11 or newer (PYTHON=$(PYTHON))")'
	$(PYTHON) -m venv $(VENV)
	rm -f $(VENV)/.installed-*

# A test install includes everything a plain install does, so it satisfies `make run` too.
$(STAMP_APP): pyproject.toml $(LOCK) | $(PY)
	@if [ -f $(STAMP_TEST) ]; then echo "$(VENV) is up to date (test install)"; else \
		set -e; $(PYTHON) -c "$$CHECK_LOCK"; rm -f $(VENV)/.installed-app-*; $(PIP) install -c $(LOCK) -e .; fi
	touch $@

$(STAMP_TEST): pyproject.toml $(LOCK) | $(PY)
	@$(PYTHON) -c "$$CHECK_LOCK"
	rm -f $(VENV)/.installed-test-*
	$(PIP) install -c $(LOCK) -e '.[test]'
	touch $@

install: $(STAMP_APP)
install-test: $(STAMP_TEST)

run: $(STAMP_APP)
	$(BIN)/bibnet db upgrade
	$(BIN)/bibnet demo
	$(BIN)/bibnet run --host 127.0.0.1 --port $(PORT)

# pytest exits with 5 when it collected no tests; that is a failure here (the suite exists).
# -n auto: one pytest-xdist worker per CPU core, each with its own databases (tests/conftest.py);
# PYTEST_ARGS='-n 0' runs in one process, for pdb or print debugging.
# The lint runs first: it takes a second, and a finding fails the run like a failing test.
test: $(STAMP_TEST) lint
	@rc=0; $(PY) -m pytest -n auto $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests (exit 5)" >&2; fi; \
	exit $$rc

lint: $(STAMP_TEST)
	$(BIN)/ruff check .

bench: $(STAMP_APP)
	$(PY) bench/rooms_bench.py

bench-funding: $(STAMP_APP)
	$(PY) bench/funding_export.py

$(UV):
	$(PYTHON) -m venv $(LOCK_TOOLS)
	$(LOCK_TOOLS)/bin/python -m pip --disable-pip-version-check install -q 'uv==$(UV_VERSION)'

lock: $(UV)
	$(UV_COMPILE)

lock-upgrade: $(UV)
	$(UV_COMPILE) --upgrade

translations: $(STAMP_APP)
	$(BIN)/bibnet translate extract
	$(BIN)/bibnet translate compile

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf instance
