# foedus — every target calls the command line or a script; no logic lives here.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
FOEDUS := $(VENV)/bin/foedus
# Offline data: the official releases mirror next to the project, when it exists.
SHARED_RAW := $(abspath ../shared/data/raw)
export FOEDUS_DATA_DIR ?= $(if $(wildcard $(SHARED_RAW)/SOURCES.tsv),$(SHARED_RAW),)

.DEFAULT_GOAL := help
.PHONY: help install test tables bench data reference clean docs tutorials multiverse johnson_leeds_2011 leeds_2003 fuhrmann_sechser_2014 morrow_1991 tomz_weeks_2021 berkemeier_fuhrmann_2018 leeds_anac_2005 johnson_leeds_2011_escalation fang_johnson_leeds_2014 debate

help:  ## list the targets
	@grep -E '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "} {printf "  make %-12s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip

# pip runs again only when pyproject.toml changed since the last install (quiet targets)
INSTALLED := $(VENV)/.installed
$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(INSTALLED)  ## create .venv and install foedus with its test extras (once per change of pyproject.toml)

test: install  ## run the test suite (real-data tests need FOEDUS_DATA_DIR)
	$(PY) -m pytest

tables: install  ## run every stale registered replication (FORCE=1: all); outputs go to results/<study>/
	$(FOEDUS) replicate --all $(if $(FORCE),--force)
	$(PY) -m foedus.replication.debate results

johnson_leeds_2011: install  ## replicate Johnson & Leeds (2011) only; results/johnson_leeds_2011/
	$(FOEDUS) replicate johnson_leeds_2011

leeds_2003: install  ## replicate Leeds (2003) only; results/leeds_2003/
	$(FOEDUS) replicate leeds_2003

fuhrmann_sechser_2014: install  ## replicate Fuhrmann & Sechser (2014) only; results/fuhrmann_sechser_2014/
	$(FOEDUS) replicate fuhrmann_sechser_2014

johnson_leeds_2011_escalation: install  ## replicate Johnson & Leeds (2011) Tables 2-3 (selection probit); results/johnson_leeds_2011_escalation/
	$(FOEDUS) replicate johnson_leeds_2011_escalation

fang_johnson_leeds_2014: install  ## Fang, Johnson & Leeds (2014), reconstructed; results/fang_johnson_leeds_2014/
	$(FOEDUS) replicate fang_johnson_leeds_2014

morrow_1991: install  ## after Morrow (1991), reconstructed: alliance asymmetry and duration; results/morrow_1991/
	$(FOEDUS) replicate morrow_1991

tomz_weeks_2021: install  ## replicate Tomz & Weeks (2021) Study 1 only; results/tomz_weeks_2021/
	$(FOEDUS) replicate tomz_weeks_2021

berkemeier_fuhrmann_2018: install  ## shares of alliance commitments honored (Berkemeier & Fuhrmann 2018); results/berkemeier_fuhrmann_2018/
	$(FOEDUS) replicate berkemeier_fuhrmann_2018

leeds_anac_2005: install  ## replicate Leeds & Anac (2005) only; results/leeds_anac_2005/
	$(FOEDUS) replicate leeds_anac_2005
debate: install  ## the deterrence debate (K&V, L&J, Morrow 2017) and its side-by-side figure; results/deterrence_debate/
	$(FOEDUS) replicate kenwick_vasquez_2017
	$(FOEDUS) replicate leeds_johnson_2017
	$(FOEDUS) replicate morrow_2017
	$(PY) -m foedus.replication.debate results

multiverse: install  ## fit Johnson & Leeds (2011) across its grid of coding choices; results/<study>/multiverse/
	$(FOEDUS) multiverse johnson_leeds_2011

bench: install  ## time panels and estimators (medians; see bench/)
	$(PY) bench/run.py

data: install  ## fetch (or find offline) and verify every data set
	$(FOEDUS) data fetch --all
	$(FOEDUS) data verify

tutorials: install  ## run the tutorials (docs/tutorials/); outputs and figures go to the docs site
	MPLBACKEND=Agg $(PY) docs/hooks/foedus_docs.py

# The site shows the tutorials' real outputs: those not run since their last edit are run first,
# on a stated subsample of years (the pages say which); `make tutorials` runs the full periods.
# Study pages show results/<study>/ as `foedus replicate` wrote it; studies whose outputs are missing,
# from a subsample, or stale (other code, changed inputs) are rerun first, on their full design.
DOCS_TUTORIAL_YEARS ?= 1900-1920
docs: install  ## build the documentation site into site/ (runs stale tutorials on $(DOCS_TUTORIAL_YEARS); warnings are errors)
	$(PY) -m pip install -q -e '.[docs]'
	MPLBACKEND=Agg $(PY) docs/hooks/foedus_docs.py --stale --years $(DOCS_TUTORIAL_YEARS)
	MPLBACKEND=Agg $(PY) docs/hooks/foedus_docs.py --studies --stale
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

REFERENCE_PANEL := $(abspath build/reference/real_panel.csv)
SURVIVAL_PANEL := $(abspath build/reference/alliance_durations.csv)
HECKPROBIT_PANEL := $(abspath build/reference/heckprobit_panel.csv)
reference: install  ## regenerate the R reference fixtures in tests/reference/ (needs R and the data)
	mkdir -p $(dir $(REFERENCE_PANEL))
	$(PY) tests/reference/real_panel.py $(REFERENCE_PANEL)
	cd tests/reference && FOEDUS_REFERENCE_PANEL=$(REFERENCE_PANEL) Rscript make_reference.R
	$(PY) tests/reference/survival_panel.py $(SURVIVAL_PANEL)
	cd tests/reference && FOEDUS_SURVIVAL_PANEL=$(SURVIVAL_PANEL) Rscript survival_reference.R
	$(PY) tests/reference/tomz_weeks_raw.py $(abspath build/reference/tomz_weeks_raw.csv)
	cd tests/reference && FOEDUS_TOMZ_WEEKS_RAW=$(abspath build/reference/tomz_weeks_raw.csv) Rscript make_reference_ols.R
	$(PY) tests/reference/heckprobit_panel.py $(HECKPROBIT_PANEL)
	cd tests/reference && FOEDUS_HECKPROBIT_PANEL=$(HECKPROBIT_PANEL) Rscript heckprobit_reference.R
	cd tests/reference && Rscript leeds_anac_2005.R
	$(PY) tests/reference/make_alliance_columns.py tests/reference/alliance_columns.json
	cd tests/reference && Rscript make_weighted_reference.R
	cd tests/reference && Rscript bvn_reference.R

clean:  ## remove the virtual environment and build leftovers
	rm -rf $(VENV) build *.egg-info .pytest_cache
