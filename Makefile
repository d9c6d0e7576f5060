# The entry points: `make run` serves the demo site, `make test` runs every test, `make serve` runs the
# production configuration locally.
# Both create the virtual environment and install what they need first.

SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py

# Safe defaults for local runs and tests; anything set in the environment wins.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-test-only-secret-key-not-for-production} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-localhost,127.0.0.1,testserver} \
	HTTPS_ONLY=$${HTTPS_ONLY:-0} DJANGO_ALLOW_ASYNC_UNSAFE=true

.PHONY: run serve test lint format messages bench bench-roster check-deploy clean

$(STAMP): requirements.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (python3.13, python3.12 or python3)."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

run: $(STAMP)
	@export DEBUG=$${DEBUG:-1}; \
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v0 && \
	$(MANAGE) migrate --no-input -v0 && \
	$(MANAGE) seed_demo --if-empty && \
	echo "Serving http://127.0.0.1:$${PORT:-8000}/ (Ctrl-C stops it)" && \
	$(MANAGE) runserver 127.0.0.1:$${PORT:-8000}

# The production configuration on this machine: DEBUG off, static files collected, gunicorn, and the
# task worker beside it. Variables set in the environment win (DATABASE_URL, REDIS_URL...); the secret
# key is made once into var/secret_key. HTTP on loopback, so HTTPS_ONLY defaults to 0 here.
serve: $(STAMP)
	@mkdir -p var && test -s var/secret_key || $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
	@export DEBUG=0 SECRET_KEY=$${SECRET_KEY:-$$(cat var/secret_key)} \
	  ALLOWED_HOSTS=$${ALLOWED_HOSTS:-localhost,127.0.0.1} HTTPS_ONLY=$${HTTPS_ONLY:-0} \
	  TASKS_BACKEND=$${TASKS_BACKEND:-database}; \
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v0 && \
	$(MANAGE) collectstatic --no-input -v0 && \
	$(MANAGE) migrate --no-input -v0 && \
	{ $(MANAGE) db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	  echo "Serving http://127.0.0.1:$${PORT:-8000}/ with gunicorn, DEBUG off, and the task worker (Ctrl-C stops both)"; \
	  $(BIN)/gunicorn config.wsgi --bind 127.0.0.1:$${PORT:-8000} --workers $${WEB_CONCURRENCY:-3} \
	    --timeout 30 --no-control-socket --access-logfile -; }

test: $(STAMP)
	@export $(TEST_ENV); \
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v0 && \
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@export $(TEST_ENV); $(MANAGE) makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(STAMP)
	@export DEBUG=1; $(MANAGE) makemessages -l fr --ignore=.venv --ignore=var --ignore=tests --ignore=bench --no-obsolete

check-deploy: $(STAMP)
	@export DEBUG=0 SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=stories.example.com EMAIL_HOST=smtp.example.com HTTPS_ONLY=1 REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0}; \
	$(MANAGE) check --deploy --fail-level WARNING

bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The HR roster import at a chain's scale (10,000 people, 300 stores): see bench/README.md.
bench-roster: $(STAMP)
	$(BIN)/python bench/roster.py run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
