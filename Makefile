# corpsearch: `make demo` sets everything up and runs the main job on the bundled fixtures;
# `make test` sets everything up and runs the tests, lint and type checks.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_INDEX := build/demo-index

.PHONY: setup demo serve test lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

demo: setup
	rm -rf $(DEMO_INDEX)
	$(BIN)/corpsearch index --index $(DEMO_INDEX) fixtures/seed/seed_page.html fixtures/pages
	@echo; echo '$$ corpsearch query "author:_mowaten_" --sort date'
	@$(BIN)/corpsearch query --index $(DEMO_INDEX) --sort date "author:_mowaten_"
	@echo; echo '$$ corpsearch query "\"kill their own people\""'
	@$(BIN)/corpsearch query --index $(DEMO_INDEX) '"kill their own people"'
	@echo; echo '$$ corpsearch query "date:[2014-09-13T17:00 TO 2014-09-13T18:00] kind:comment" --tz Asia/Beirut --format json'
	@$(BIN)/corpsearch query --index $(DEMO_INDEX) --tz Asia/Beirut --format json "date:[2014-09-13T17:00 TO 2014-09-13T18:00] kind:comment"
	@echo; echo '$$ corpsearch query "headline:mobile OR headline:starmer"'
	@$(BIN)/corpsearch query --index $(DEMO_INDEX) "headline:mobile OR headline:starmer"

# The web app on the bundled fixtures: http://127.0.0.1:8000/ (Ctrl+C stops it).
serve: setup
	$(BIN)/corpsearch index --index $(DEMO_INDEX) fixtures/seed/seed_page.html fixtures/pages
	$(BIN)/corpsearch serve --index $(DEMO_INDEX)

test: setup
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

BENCH_SIZES ?= 10000
BENCH_ARGS ?=

# Writes docs/benchmarks.md and benchmarks/results/*.json; corpora go to benchmarks/corpus/.
# At 100k pages (11 GB of HTML): make bench BENCH_SIZES=100000 BENCH_ARGS="--engines tantivy"
bench: setup
	$(BIN)/python benchmarks/run_benchmarks.py --sizes $(BENCH_SIZES) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build
