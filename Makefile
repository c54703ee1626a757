# Common Ground: `make run` sets up and serves (web server and job worker); `make test` runs the whole suite.
# Both are safe to repeat: the virtualenv is rebuilt only when setup.cfg changes, demo data is seeded once.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
EXAMPLE_PLUGIN := examples/hello_plugin
EVENTS_PLUGIN := examples/events_plugin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi:app

.PHONY: run test lint install translations db seed bench clean

$(INSTALLED): setup.cfg pyproject.toml $(wildcard $(EXAMPLE_PLUGIN)/setup.cfg $(EXAMPLE_PLUGIN)/pyproject.toml $(EVENTS_PLUGIN)/setup.cfg $(EVENTS_PLUGIN)/pyproject.toml)
	@echo "== Installing pinned dependencies into $(VENV)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]' -e $(EXAMPLE_PLUGIN) -e $(EVENTS_PLUGIN)
	@touch $@

install: $(INSTALLED)

translations: $(INSTALLED)
	@for dir in core/translations plugins/*/translations $(EXAMPLE_PLUGIN)/*/translations $(EVENTS_PLUGIN)/*/translations; do \
	  if ls $$dir/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	    $(BIN)/pybabel -q compile -f -d $$dir || exit 1; \
	  fi; \
	done

db: translations
	@mkdir -p instance
	$(BIN)/flask db upgrade

seed: db
	$(BIN)/flask seed

# One command, two processes: the web server and the job worker that delivers mail; Ctrl+C stops both.
# Links in mail point at http://$(HOST):$(PORT) unless SITE_URL is configured.
run: seed
	$(BIN)/flask dev --host $(HOST) --port $(PORT)

test: translations
	bash scripts/test.sh

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: translations
	bash bench/run.sh

clean:
	rm -rf $(VENV) build *.egg-info
