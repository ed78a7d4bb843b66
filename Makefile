# The README's commands. `make run` serves the API with a task worker; `make test` runs the checks and the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# One gunicorn worker per core, as diamantedesk/gunicorn_conf.py defaults to (measured: bench/RESULTS.md).
WORKERS ?= $(shell nproc)
BIND ?= 127.0.0.1:8000
# The admin browser test drives Debian's chromium; Playwright's own browser downloads are not used.
CHROMIUM := /usr/bin/chromium
WRK := /usr/bin/wrk
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test lint migrate bench bench-quick bench-memory fuzz faults faults-quick clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

migrate: $(BIN)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

# One task worker (webhooks, mail) beside gunicorn; it stops with it.
run: migrate
	$(BIN)/python manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	WEB_CONCURRENCY=$(WORKERS) $(BIN)/gunicorn diamantedesk.asgi:application -c python:diamantedesk.gunicorn_conf --bind $(BIND)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0

test: lint $(CHROMIUM)
	$(BIN)/pytest

# Installed once, when missing; the lock timeout lets it wait for another apt run instead of failing.
$(CHROMIUM):
	$(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium

# Generated requests from the OpenAPI document, new ones each run: make fuzz [EXAMPLES=200] (per operation)
EXAMPLES ?= 200
fuzz: $(BIN)/.installed
	DESK_FUZZ_EXAMPLES=$(EXAMPLES) $(BIN)/pytest tests/api/test_fuzz.py

# Seeds the database it is given (DATABASE_URL, REDIS_URL; SQLite under var/bench/ without), serves it with
# gunicorn as production does, and loads every endpoint with wrk: make bench [TICKETS=1000000] [ARGS=...]
TICKETS ?= 10000
bench: $(BIN)/.installed $(WRK)
	$(BIN)/python bench/run.py --tickets $(TICKETS) $(ARGS)

# About a minute: 2,000 tickets, 3 s an endpoint. CI runs it on SQLite.
bench-quick: $(BIN)/.installed $(WRK)
	$(BIN)/python bench/run.py --quick $(ARGS)

# Worker memory over a long run of reads, recycling off, on the database `make bench` seeded.
REQUESTS ?= 100000
bench-memory: $(BIN)/.installed $(WRK)
	$(BIN)/python bench/memory.py --requests $(REQUESTS) $(ARGS)

# Debian's wrk, installed once when missing, as chromium is.
$(WRK):
	$(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq wrk

# The fault suite: nginx in front of three app servers, two task workers, private PostgreSQL, Redis and
# S3, all on 127.0.0.1:9100-9112, then faults under load; a table of figures, non-zero on a failed check.
# make faults [QUICK=1] [PORT_BASE=9200]; `timeout` bounds it, and the suite tears everything down on its signal.
NGINX := /usr/sbin/nginx
FAULTS_TIMEOUT := $(if $(QUICK),600,1800)
faults: $(BIN)/.installed $(NGINX)
	timeout $(FAULTS_TIMEOUT) $(BIN)/python -m bench.faults $(if $(QUICK),--quick) $(if $(PORT_BASE),--port-base $(PORT_BASE))

faults-quick:
	$(MAKE) faults QUICK=1

$(NGINX):
	$(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq nginx

clean:
	rm -rf $(VENV) var/test.sqlite3 .hypothesis
