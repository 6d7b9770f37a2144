# foedus — every target calls the command line or a script; no logic lives here.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
FOEDUS := $(VENV)/bin/foedus
# Offline data: the official releases mirror next to the project, when it exists.
SHARED_RAW := $(abspath ../shared/data/raw)
export FOEDUS_DATA_DIR ?= $(if $(wildcard $(SHARED_RAW)/SOURCES.tsv),$(SHARED_RAW),)

.DEFAULT_GOAL := help
.PHONY: help install test tables bench data reference clean

help:  ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "} {printf "  make %-12s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip

install: $(PY)  ## create .venv and install foedus with its test extras
	$(PY) -m pip install -e '.[test]'

test: install  ## run the test suite (real-data tests need FOEDUS_DATA_DIR)
	$(PY) -m pytest

tables: install  ## run every registered replication; outputs go to results/<study>/
	$(FOEDUS) replicate --all

bench: install  ## time panels and estimators (medians; see bench/)
	$(PY) bench/run.py

data: install  ## fetch (or find offline) and verify every data set
	$(FOEDUS) data fetch --all
	$(FOEDUS) data verify

reference:  ## regenerate the R reference fixtures in tests/reference/ (needs R)
	cd tests/reference && Rscript make_reference.R

clean:  ## remove the virtual environment and build leftovers
	rm -rf $(VENV) build *.egg-info .pytest_cache
