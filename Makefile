# BibNet developer commands. On a fresh machine:  make run   /   make test
#
# Everything is installed into .venv. pip runs only when pyproject.toml changed since the
# last install: each install leaves a stamp file named after the extras and a hash of
# pyproject.toml, so editing (or checking out) a different pyproject.toml reinstalls.

PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 5000
PYTEST_ARGS ?=

BIN := $(VENV)/bin
PY  := $(BIN)/python
PIP := $(PY) -m pip --disable-pip-version-check
PYPROJECT_HASH := $(shell $(PYTHON) -c "import hashlib; print(hashlib.sha256(open('pyproject.toml','rb').read()).hexdigest()[:12])" 2>/dev/null || echo none)
STAMP_APP  := $(VENV)/.installed-app-$(PYPROJECT_HASH)
STAMP_TEST := $(VENV)/.installed-test-$(PYPROJECT_HASH)

.DEFAULT_GOAL := help
.PHONY: help run test bench bench-funding install install-test translations clean distclean

help:
	@echo "make run           install into $(VENV), migrate, load the demo, serve http://127.0.0.1:$(PORT)"
	@echo "make test          install with the test extras and run pytest (PYTEST_ARGS='-k api -x')"
	@echo "make bench         benchmark the room bookings on a throwaway PostgreSQL (see bench/README.md)"
	@echo "make bench-funding benchmark the funding report exports of 1,000,000 items against COPY (about 10 min)"
	@echo "make install       install the app into $(VENV) (editable)"
	@echo "make install-test  install the app with the test extras"
	@echo "make translations  extract the texts into the .po files and compile the .mo files"
	@echo "make clean         remove $(VENV), build output and caches (keeps instance/)"
	@echo "make distclean     clean, and also remove instance/ (demo database, files, outbox)"

$(PY):
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "BibNet needs Python 3.11 or newer (PYTHON=$(PYTHON))")'
	$(PYTHON) -m venv $(VENV)
	rm -f $(VENV)/.installed-*

# A test install includes everything a plain install does, so it satisfies `make run` too.
$(STAMP_APP): pyproject.toml | $(PY)
	@if [ -f $(STAMP_TEST) ]; then echo "$(VENV) is up to date (test install)"; else \
		set -e; rm -f $(VENV)/.installed-app-*; $(PIP) install -e .; fi
	touch $@

$(STAMP_TEST): pyproject.toml | $(PY)
	rm -f $(VENV)/.installed-test-*
	$(PIP) install -e '.[test]'
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
test: $(STAMP_TEST)
	@rc=0; $(PY) -m pytest -n auto $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests (exit 5)" >&2; fi; \
	exit $$rc

bench: $(STAMP_APP)
	$(PY) bench/rooms_bench.py

bench-funding: $(STAMP_APP)
	$(PY) bench/funding_export.py

translations: $(STAMP_APP)
	$(BIN)/bibnet translate extract
	$(BIN)/bibnet translate compile

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf instance
