# Everything starts from a machine with Python 3.11 and make: each target builds .venv when needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
FLASK := $(BIN)/flask --app service.app

.PHONY: install run migrate migration seed test openapi bench bench-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(FLASK) migrate

# A new, empty, numbered file in migrations/ to fill in by hand: make migration NAME=add_reviews
migration: install
	$(BIN)/pw_migrate create --database sqlite:///:memory: --directory migrations $(NAME)

seed: migrate
	$(FLASK) seed

# The container's own start (bin/start): migrate, seed, then gunicorn with gunicorn.conf.py.
run: install
	@echo "Writes need an API key. Make one with:"
	@echo "  $(FLASK) keys create --owner \"Your Name\" --role editor"
	@echo "The review console: http://127.0.0.1:$(PORT)/console/ (API docs: /docs)"
	PATH="$(CURDIR)/$(BIN):$$PATH" PORT=$(PORT) bin/start

test: install
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
	rm -rf $(VENV) data .pytest_cache
