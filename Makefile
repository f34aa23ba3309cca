# Everything starts from a machine with Python 3.11 and make: each target builds .venv when needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
FLASK := $(BIN)/flask --app service.app

LINT_DIR := tests/openapi-lint
LINT_STAMP := $(LINT_DIR)/node_modules/.package-lock.json

.PHONY: install lint-tools run migrate migration seed test openapi bench bench-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# The OpenAPI linters that tests/test_openapi_lint.py runs, at the versions package-lock.json pins. Without npm
# that test skips (and fails under CI), so a machine without Node.js can still run the rest.
$(LINT_STAMP): $(LINT_DIR)/package.json $(LINT_DIR)/package-lock.json
	cd $(LINT_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

lint-tools:
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(LINT_STAMP); \
	else echo "npm is not on PATH: the OpenAPI linters' test will be skipped"; fi

migrate: install
	$(FLASK) migrate

# A new, empty, numbered file in migrations/ to fill in by hand: make migration NAME=add_reviews
migration: install
	$(BIN)/pw_migrate create --database sqlite:///:memory: --directory migrations $(NAME)

seed: migrate
	$(FLASK) seed

# The container's own start (bin/start): migrate, seed, then gunicorn with gunicorn.conf.py.
# bin/announce.py prints the URLs and the key command once the server answers.
run: install
	@$(BIN)/python bin/announce.py "http://$${HOST:-127.0.0.1}:$(PORT)" '$(FLASK) keys create --owner "Your Name" --role editor' &
	PATH="$(CURDIR)/$(BIN):$$PATH" PORT=$(PORT) bin/start

test: install lint-tools
	$(BIN)/pytest

# Not part of `make test`: wrk against the service and a bare Flask app (see benchmarks/README.md).
# ARGS=--quick measures 10,000 claims only. bench-check tests the harness itself (generator, replay).
bench-check: install
	$(BIN)/pytest benchmarks/tests

bench: bench-check
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	$(BIN)/python -m benchmarks.run $(ARGS)

openapi: install
	$(FLASK) openapi > openapi.yaml

clean:
	rm -rf $(VENV) data .pytest_cache $(LINT_DIR)/node_modules
