# Newsroom: `make run` to try it, `make test` to check it. `make help` lists the rest.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: help run test lint install migrate demo clean

help:
	@echo "make run    create .venv, install, migrate, load the demo and serve on http://$(HOST):$(PORT)/"
	@echo "make test   run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make lint   ruff, migration check and the production deploy check"
	@echo "make clean  remove .venv and var/ (the local database, media and secret key)"

# The virtual environment is rebuilt when the pinned requirements change.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@python=$$(bin/find-python) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py load_demo

run: demo
	@echo "Serving the site on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	DEBUG=1 SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	NEWSROOM_PRODUCTION=1 SECRET_KEY=lint-only-$$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9) \
		ALLOWED_HOSTS=news.example.org SITE_URL=https://news.example.org \
		$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var
