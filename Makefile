# Everything starts from a machine with Python 3.11 and make: each target builds .venv when needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
WEB_CONCURRENCY ?= 2
FLASK := $(BIN)/flask --app service

.PHONY: install run migrate seed test openapi clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(FLASK) migrate

seed: migrate
	$(FLASK) seed

run: seed
	@echo "Writes need an API key. Make one with:"
	@echo "  $(FLASK) keys create --owner \"Your Name\" --role editor"
	$(BIN)/gunicorn --no-control-socket --bind 127.0.0.1:$(PORT) --workers $(WEB_CONCURRENCY) 'service:create_app()'

test: install
	$(BIN)/pytest

openapi: install
	$(FLASK) openapi > openapi.yaml

clean:
	rm -rf $(VENV) data .pytest_cache
