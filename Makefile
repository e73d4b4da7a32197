# Newsroom: `make run` to try it, `make test` to check it. `make help` lists the rest.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: help run test lint install migrate demo clean browser axe screenshots bench-images bench-search bench-import lock audit serve bench bench-tools bench-wagtail

help:
	@echo "make run    create .venv, install, migrate, load the demo and serve on http://$(HOST):$(PORT)/"
	@echo "make test   run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL),"
	@echo "            browser tests included (installs Chromium and axe-core first when it can)"
	@echo "make lint   ruff, migration check and the production deploy check"
	@echo "make lock   regenerate the hashed lock files from requirements*.txt (needs PyPI)"
	@echo "make clean  remove .venv and var/ (the local database, media and secret key)"
	@echo "make serve  gunicorn with production settings on $(HOST):$(PORT) (needs SECRET_KEY...: docs/deploy.md)"
	@echo "make bench  seed $(BENCH_ARTICLES) articles, load every page with wrk (gunicorn, cache, nginx);"
	@echo "            BENCH_ARTICLES=, BENCH_SECONDS=, DATABASE_URL=postgres://.../nr_bench, BASE=<git rev>,"
	@echo "            SAVE=1 (writes docs/benchmarks/pages-<date>-<commit>.txt)"
	@echo "make bench-wagtail  the article and home pages against a Wagtail copy of the same articles"
	@echo "            (DATABASE_URL= Newsroom's, WAGTAIL_DATABASE_URL=, BENCH_ARTICLES=, SAVE=1, NO_SEED=1)"
	@echo "make bench-images  time all renditions of a 4000x3000 JPEG and report peak memory"
	@echo "make bench-search  seed 100,000 articles into PostgreSQL database $(BENCH_DB) and time searches"
	@echo "make bench-import  time importing 1,000 generated articles into PostgreSQL database $(BENCH_IMPORT_DB)"

# requirements.txt and requirements-dev.txt name our direct dependencies (edit those);
# the .lock files pin every package with its hashes, and installs come only from them
# (--require-hashes: a tampered or substituted download is refused). `make lock`
# regenerates them after a change; bin/check-lock stops an install from a stale lock.
$(VENV)/.installed: requirements.lock requirements-dev.lock requirements.txt requirements-dev.txt
	@python=$$(bin/find-python) || exit 1; \
	"$$python" bin/check-lock || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	@touch $@

PIP_COMPILE = $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-find-links --no-emit-index-url
lock:
	@python=$$(bin/find-python) || exit 1; \
	if [ ! -x $(PY) ]; then "$$python" -m venv $(VENV) || exit 1; fi
	@[ -x $(VENV)/bin/pip-compile ] || $(PY) -m pip install --quiet pip-tools==7.6.2
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --output-file requirements-dev.lock requirements-dev.txt
	$(PIP_COMPILE) --output-file bench/wagtail/requirements.lock bench/wagtail/requirements.txt
	rm -f $(VENV)/.installed var/bench-wagtail/venv/.installed

# Known vulnerabilities in the locked packages (also part of `make lint`).
audit: install
	$(PY) bin/audit-lock requirements-dev.lock

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py load_demo

run: demo
	@echo "Serving the site on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	DEBUG=1 SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

test: install browser axe
	$(PY) -m pytest $(PYTEST_ARGS)

# The browser tests (tests/browser) drive Debian's Chromium through Playwright from PyPI
# (never `playwright install`: it downloads a browser of its own). Installed here when
# missing and we are root (CI); otherwise the browser tests skip and say why.
CHROMIUM := /usr/bin/chromium
browser:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium and chromium-driver for the browser tests"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; \
	else \
		echo "NOTE: $(CHROMIUM) is missing and this is not root: the browser tests will be skipped."; \
		echo "      Install it with: sudo apt-get install -y chromium chromium-driver"; \
	fi

# axe-core (accessibility rules), from the npm registry, pinned by package-lock.json.
# The browser tests inject node_modules/axe-core/axe.min.js into the pages they check.
AXE := node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "NOTE: npm is missing: the accessibility checks in the browser tests will be skipped."; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	NEWSROOM_PRODUCTION=1 SECRET_KEY=lint-only-$$(head -c 48 /dev/urandom | base64 | tr -dc a-zA-Z0-9) \
		ALLOWED_HOSTS=news.example.org SITE_URL=https://news.example.org \
		$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) bin/check-lock
	$(PY) bin/audit-lock requirements-dev.lock

# Refresh the README's picture of the article page from the browser suite's screenshot.
ARTICLE_SHOT := tests/browser/test_page_quality.py::test_public_page_is_accessible_light_and_self_contained[article]
screenshots: install browser axe
	$(PY) -m pytest -q "$(ARTICLE_SHOT)"
	mkdir -p docs/screenshots && cp test-artifacts/article-1280-top.png docs/screenshots/article.png

bench-images: install
	$(PY) manage.py bench_images
# Import benchmark: 1,000 generated plain-text articles into a PostgreSQL database of its own
# (created when missing). Target: under 30 s. Results are kept in docs/benchmarks/.
BENCH_IMPORT_SERVER ?= postgres://root@127.0.0.1:5432
BENCH_IMPORT_DB ?= nr_bench_import
bench-import: install
	@psql "$(BENCH_IMPORT_SERVER)/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$(BENCH_IMPORT_DB)'" | grep -q 1 \
		|| psql "$(BENCH_IMPORT_SERVER)/postgres" -c 'CREATE DATABASE "$(BENCH_IMPORT_DB)"'
	DATABASE_URL=$(BENCH_IMPORT_SERVER)/$(BENCH_IMPORT_DB) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_IMPORT_SERVER)/$(BENCH_IMPORT_DB) $(PY) manage.py bench_import $(BENCH_ARGS)

# Search benchmark: its own PostgreSQL database, created if missing, never anyone's data.
BENCH_DB ?= nr_bench_search
BENCH_SERVER ?= postgres://root@127.0.0.1:5432
bench-search: install
	@psql "$(BENCH_SERVER)/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$(BENCH_DB)'" | grep -q 1 \
		|| psql "$(BENCH_SERVER)/postgres" -c 'CREATE DATABASE "$(BENCH_DB)"'
	DATABASE_URL=$(BENCH_SERVER)/$(BENCH_DB) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_SERVER)/$(BENCH_DB) $(PY) manage.py bench_search $(BENCH_ARGS)

# Production serving: migrate, collect hashed and compressed static files, then gunicorn.
# Settings come from the environment (docs/deploy.md); put nginx in front
# (deploy/nginx/newsroom.conf). WEB_CONCURRENCY sets the number of workers.
WEB_CONCURRENCY ?= 2
serve: install
	@[ -n "$$SECRET_KEY" ] || { echo "make serve uses production settings: set SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS and SITE_URL (docs/deploy.md)"; exit 1; }
	NEWSROOM_PRODUCTION=1 $(PY) manage.py migrate --noinput
	NEWSROOM_PRODUCTION=1 $(PY) manage.py collectstatic --noinput -v0
	NEWSROOM_PRODUCTION=1 exec $(VENV)/bin/gunicorn newsroom.wsgi --bind $(HOST):$(PORT) \
		--workers $(WEB_CONCURRENCY) --max-requests 20000 --max-requests-jitter 2000 \
		--timeout 30 --graceful-timeout 20

# Page benchmark (newsroom/bench.py): BENCH_ARTICLES articles in var/bench/ (SQLite) or the
# PostgreSQL database DATABASE_URL names (must contain "bench"); BASE=<rev> compares.
# nginx and wrk come from Debian, installed here when missing and we are root.
BENCH_ARTICLES ?= 100000
bench: install bench-tools
	BENCH_ARTICLES=$(BENCH_ARTICLES) $(PY) -m newsroom.bench $(if $(BASE),--base $(BASE)) $(if $(SAVE),--save)

# Newsroom against Wagtail (newsroom/bench_wagtail.py): the same articles, copied from
# Newsroom's benchmark database into a minimal Wagtail site (bench/wagtail/) that runs from
# its own virtualenv, built from its hashed lock file: Wagtail never enters .venv.
WAGTAIL_VENV := var/bench-wagtail/venv
BENCH_DATABASE_URL ?= postgres://root@127.0.0.1:5432/nr_bench
WAGTAIL_DATABASE_URL ?= postgres://root@127.0.0.1:5432/nr_bench_wagtail
$(WAGTAIL_VENV)/.installed: bench/wagtail/requirements.lock bench/wagtail/requirements.txt
	@python=$$(bin/find-python) || exit 1; \
	"$$python" bin/check-lock || exit 1; \
	if [ ! -x $(WAGTAIL_VENV)/bin/python ]; then echo "Creating $(WAGTAIL_VENV) with $$python"; "$$python" -m venv $(WAGTAIL_VENV) || exit 1; fi
	$(WAGTAIL_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		-r bench/wagtail/requirements.lock
	@touch $@

bench-wagtail: install bench-tools $(WAGTAIL_VENV)/.installed
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} WAGTAIL_DATABASE_URL=$(WAGTAIL_DATABASE_URL) \
		BENCH_ARTICLES=$(BENCH_ARTICLES) $(PY) -m newsroom.bench_wagtail $(if $(SAVE),--save) $(if $(NO_SEED),--no-seed)

bench-tools:
	@if command -v nginx >/dev/null && command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's nginx-light and wrk for the benchmark"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nginx-light wrk; \
	else \
		echo "make bench needs nginx and wrk: sudo apt-get install -y nginx-light wrk"; exit 1; \
	fi

clean:
	rm -rf $(VENV) var node_modules test-artifacts
