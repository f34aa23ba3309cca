# Everything starts from a machine with Python 3.11 and make: each target builds .venv when needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
WEB_CONCURRENCY ?= 2
FLASK := $(BIN)/flask --app service

.PHONY: install run migrate migration seed test openapi clean

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

run: seed
	$(BIN)/gunicorn --no-control-socket --bind 127.0.0.1:$(PORT) --workers $(WEB_CONCURRENCY) 'service:create_app()'

test: install
	$(BIN)/pytest

openapi: install
	$(FLASK) openapi > openapi.yaml

clean:
	rm -rf $(VENV) data .pytest_cache
