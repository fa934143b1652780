# omicsdl — the two quick-start commands, plus a few for developers.
# Each target creates the virtual environment .venv if it is missing.
# torch is installed first, pinned to the CPU wheel (torch==2.13.0): a bare
# `torch` requirement would pull a multi-GB CUDA build.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= omicsdl-demo
STAMP  := $(VENV)/.omicsdl-installed

.PHONY: demo test lint bench clean-venv

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e . --group test
	touch $(STAMP)

## demo: set up and run the main job on the embedded TCGA-LIHC data; prints the report path last
demo: $(STAMP)
	$(BIN)/omicsdl demo --out $(OUT)

## test: set up and run the test suite
test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/python -m pip install --quiet ruff
	$(BIN)/ruff check omicsdl tests benchmarks examples workflows data_manifests
	$(BIN)/ruff format --check omicsdl tests benchmarks data_manifests examples

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean-venv:
	rm -rf $(VENV)
