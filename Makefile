# framing: one command for the study, one for the tests.
# `make report` and `make test` create .venv when missing and install the pinned lock file first;
# a second call skips the installs (the stamp file is newer than the lock and pyproject.toml).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CONFIG ?= config/study.yaml
JOBS   ?=

.PHONY: help setup report test lint typecheck check lab lock benchmark bench faults screenshot paper-check model clean clean-reports

help:
	@echo "make report     set up .venv if needed, run the whole study, write reports/"
	@echo "make test       set up .venv if needed, run the test suite"
	@echo "make lab        open JupyterLab on notebooks/"
	@echo "make lint       ruff + mypy"
	@echo "make benchmark  run benchmarks/ (reads ../shared/corpora when present) and regenerate the README performance table; make bench is the same"
	@echo "make faults     replay Ctrl-C, SIGTERM, kill -9 and concurrent runs on a temporary project copy"
	@echo "make screenshot render reports/index.html in headless Chromium -> reports/index.png"
	@echo "make paper-check compile every table and figure in a one- and a two-column article (fails on overfull boxes)"
	@echo "make lock       regenerate requirements.lock from pyproject.toml"
	@echo "make model      retrain the shipped general model (src/framing/models/general.pkl; needs ../shared)"
	@echo "make clean      remove data/processed and reports outputs"

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

report: $(STAMP)
	$(BIN)/framing run --config $(CONFIG)

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks notebooks
	$(BIN)/mypy

check: lint test

# JupyterLab refuses to start as root without --allow-root (containers, CI images); FRAMING_ROOT lets every
# notebook resolve data/ and reports/ against the project root whatever folder Lab runs it from.
LAB_ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: $(STAMP)
	FRAMING_ROOT="$(CURDIR)" $(BIN)/jupyter lab $(LAB_ROOT_FLAG) --notebook-dir=notebooks

benchmark: $(STAMP)
	$(BIN)/python -m benchmarks

faults: $(STAMP)
	$(BIN)/python -m benchmarks faults

bench: benchmark

# the shipped general model (docs/validation.md, "The general model"): after a change of the lexicons, the
# classifier's features or the package version; the same data give the same file (SOURCE_DATE_EPOCH: 1 Dec 2008)
model: $(STAMP)
	SOURCE_DATE_EPOCH=1228089600 $(BIN)/python -c "from framing.agreement import build_general_model; print(build_general_model()[0])"

screenshot: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || { echo "installing Debian's chromium (headless browser)"; \
	  apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
	@test -f reports/index.html || $(MAKE) report
	$(BIN)/framing screenshot reports/index.html --out reports/index.png

# Debian's TeX (installed when missing: needs root and apt); the tables and figures of reports/ must exist.
TEX_PACKAGES := texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-science
paper-check: $(STAMP)
	@command -v pdflatex >/dev/null 2>&1 && kpsewhich xltabular.sty >/dev/null 2>&1 || { \
	  echo "installing Debian's TeX ($(TEX_PACKAGES))"; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $(TEX_PACKAGES) >/dev/null; }
	@test -d reports/tables || $(MAKE) report
	$(BIN)/python -m framing.plots.paper reports

# uv resolves for this platform and drops environment markers; hyperscan has no Linux ARM wheel, so its
# marker from pyproject.toml is put back (elsewhere the pyahocorasick fallback matcher runs).
HS_MARKER := platform_machine == 'x86_64' or platform_machine == 'AMD64' or sys_platform == 'darwin'
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock
	sed -i "s/^\(hyperscan==[0-9.]*\)$$/\1 ; $(HS_MARKER)/" requirements.lock

clean-reports:  # every generated output of reports/ (key results, evidence, batch runs, run records), not .gitkeep
	find reports -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +

clean: clean-reports  # and every processed corpus and cache of data/processed/ (data/raw is never touched)
	find data/processed -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +
