# Two commands on a fresh machine:
#   make demo   set up a virtual environment and match the bundled sample CV
#   make test   set up a virtual environment (and Debian's chromium for the browser tests) and run the test suite
# Each creates .venv on first use (Python 3.11+ as `python3`, or PYTHON=...).

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: demo test bench build clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/matcher match --file examples/cv_key_account.txt --years 6

test: $(STAMP)
	sh scripts/ensure-chromium.sh
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_real.py
	$(BIN)/python benchmarks/bench_vacancy.py
	$(BIN)/python benchmarks/bench_server.py
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/bench_resolve.py
	$(BIN)/python benchmarks/bench_match.py
	$(BIN)/python benchmarks/bench_batch.py
	$(BIN)/python benchmarks/bench_parse.py

build: $(STAMP)
	$(BIN)/matcher build

clean:
	rm -rf $(VENV) models/index-* models/.build.lock .pytest_cache .hypothesis
