# The two commands a user needs: `make run` and `make test`. Everything else they call.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# IRIs are minted under the address the server answers at, so ingest and serve share it; a
# store holds one base's IRIs, so another port gets a store of its own.
BASE_IRI ?= http://localhost:$(PORT)/
STORE ?= $(if $(filter 8000,$(PORT)),var/store,var/store-$(PORT))

.PHONY: run test install ingest-seeds lint bench bench-peers bench-growth bench-growth-report clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

# The seeds' own actors (a user file beside the default registry); ACTORS= runs without them.
ACTORS ?= seeds/actors.ttl
WITH_ACTORS := $(if $(ACTORS),FACTGRAPH_ACTORS=$(ACTORS))

ingest-seeds: $(STAMP)
	$(WITH_ACTORS) FACTGRAPH_BASE_IRI=$(BASE_IRI) $(BIN)/factgraph ingest seeds/ --store $(STORE)

run: ingest-seeds
	$(WITH_ACTORS) FACTGRAPH_BASE_IRI=$(BASE_IRI) $(BIN)/factgraph serve --store $(STORE) --host $(HOST) --port $(PORT)

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

# Growth: stores of ~10^4, 10^5, 10^6 quads (cached in bench/out/stores), query latency against
# in-process pyoxigraph and rdflib-endpoint, server memory, load, ingest cost per document.
# Quick check: make bench-growth GROWTH_SIZES=10000
# Knobs: GROWTH_SIZES (quads, comma-separated), GROWTH_ARGS (any other flag of bench.growth,
# e.g. GROWTH_ARGS="--runs 30 --no-rdflib --load-seconds 10").
GROWTH_SIZES ?= 10000,100000,1000000
GROWTH_ARGS ?=
bench-growth: $(STAMP)
	$(BIN)/python -m bench.growth --sizes $(GROWTH_SIZES) $(GROWTH_ARGS)

bench-growth-report: $(STAMP)
	$(BIN)/python -m bench.growth --report

lint: $(STAMP)
	$(BIN)/ruff check service tests bench

clean:
	rm -rf $(VENV) var .pytest_cache
