# Common Ground: `make run` sets up and serves; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi:app

.PHONY: run test test-sqlite test-postgres test-browser lint install db seed translations bench clean

$(BIN)/flask: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]' -e examples/hello_plugin
	touch $(BIN)/flask

install: $(BIN)/flask

translations: install
	$(BIN)/pybabel compile -f -d core/translations >/dev/null
	@for d in plugins/*/translations examples/*/*/translations; do [ -d $$d ] && $(BIN)/pybabel compile -f -d $$d >/dev/null || true; done

db: install translations
	mkdir -p instance
	$(BIN)/flask db upgrade

seed: db
	$(BIN)/flask seed

run: seed
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: install translations
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: install translations
	bash bench/run.sh

clean:
	rm -rf $(VENV) build *.egg-info
