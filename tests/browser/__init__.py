"""Browser tests. A package, so that its conftest is `browser.conftest` and never replaces `conftest` (tests/conftest.py)
in sys.modules, which test modules import helpers from."""
