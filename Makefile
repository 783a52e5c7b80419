# The two commands a new user runs: `make demo` and `make test`. Both set everything up first.
PYTHON   ?= python3
VENV     ?= .venv
PY       := $(VENV)/bin/python
STAMP    := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
# apt needs root: use sudo when we are not root and it is there.
SUDO     := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

.PHONY: demo test bench setup browser clean docs

setup: $(STAMP)

# Re-install whenever the declared dependencies change.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[sandbox,notebook,editors,analytics,test,docs]'
	@touch $(STAMP)

# Debian's headless Chromium for the browser tests (Playwright drives it; its own download cannot work here).
browser: $(CHROMIUM)
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

# The sandbox and JupyterLab with the quickstart open; HEADLESS=1 executes it and writes build/demo/quickstart.html.
demo: $(STAMP)
	$(PY) -m sume_notebook.demo $(if $(HEADLESS),--headless)

# The layer contracts of pyproject.toml (import-linter) first: a broken floor fails before any test runs.
test: $(STAMP) browser
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q

# The documentation site, warnings as errors; the example notebooks are executed against a throwaway sandbox.
docs: $(STAMP)
	$(PY) -m sphinx -W -b html docs docs/_build/html

bench: $(STAMP)
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) build .pytest_cache
