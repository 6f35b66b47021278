# The two commands a user needs: `make run` and `make test`. Everything else they call.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STORE ?= var/store
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install ingest-seeds lint bench bench-peers clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

ingest-seeds: $(STAMP)
	$(BIN)/factgraph ingest seeds/ --store $(STORE)

run: ingest-seeds
	$(BIN)/factgraph serve --store $(STORE) --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check service tests bench
	bash scripts/install-browser.sh
	bash scripts/virtuoso.sh install
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m bench.ingest --documents 300 --json bench/out/ingest.json

bench-peers: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,peers]'
	$(BIN)/python -m bench.peers --json bench/out/peers.json

lint: $(STAMP)
	$(BIN)/ruff check service tests bench

clean:
	rm -rf $(VENV) var .pytest_cache
