"""Latency of the competency queries: in process on pyoxigraph (the floor), over HTTP from
`factgraph serve`, and over HTTP from rdflib-endpoint serving the same quads.

Every system answers the same query text (service/sparql/competency/*.rq), asked for SPARQL JSON
results. A run is timed from the call to the last byte of the body: `Store.query` plus
`serialize(QueryResultsFormat.JSON)` in process, a POST (application/sparql-query) read to
the end over a kept-alive connection for the servers. The runs of a query stop after `runs`,
or once they have used `budget_s` (but never before `min_runs`), so a slow system is still
measured without the bench running for hours; a run that passes `timeout_s` counts as
">= timeout" and ends that query's runs.

Each answer is also reduced to its row count and a digest of its rows (variable, lexical
value), so the table can say whether the three systems gave the same answer.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from service.read.competency import QUESTIONS

ASK = "ASK {}"  # the constant cost of a request: parse, route, worker, serialise, send
JSON_RESULTS = "application/sparql-results+json"


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), by linear interpolation between the closest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(ms: list[float]) -> dict[str, float | int | None]:
    if not ms:
        return {"runs": 0, "p50_ms": None, "p99_ms": None, "mean_ms": None, "min_ms": None}
    return {
        "runs": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "min_ms": round(min(ms), 2),
    }


_FRACTION_ZEROS = re.compile(r"(\.\d*?)0+(?=Z$|[+-]\d\d:\d\d$|$)")


def _lexical(term: dict[str, str]) -> str:
    """A term's value, with the one spelling the engines differ on made the same: Oxigraph
    writes an xsd:dateTime canonically (`Z` for UTC, no trailing zeros in the seconds), rdflib
    as it was given (`.579410+00:00`)."""
    value = term["value"]
    if not term.get("datatype", "").endswith("#dateTime"):
        return value
    if value.endswith("+00:00"):
        value = value[: -len("+00:00")] + "Z"
    return _FRACTION_ZEROS.sub(r"\1", value).replace(".Z", "Z")


def answer_shape(body: bytes) -> dict[str, Any]:
    """Rows, size and a digest of a SPARQL JSON answer (order-independent, lexical values)."""
    data = json.loads(body)
    if "boolean" in data:
        return {"rows": 1, "bytes": len(body), "digest": str(data["boolean"])}
    rows = sorted(
        json.dumps(sorted((name, _lexical(term)) for name, term in row.items()))
        for row in data["results"]["bindings"]
    )
    digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]
    return {"rows": len(rows), "bytes": len(body), "digest": digest}


ONE_CLAIM = "cq6b_one_claim"  # cq6 as its comment says to use it: ?subject bound to one claim


def queries(keys: Iterable[str] | None = None, store_dir: Path | None = None) -> dict[str, str]:
    """The competency queries by key (default: all), and with a store, cq6 for one claim."""
    chosen = list(keys) if keys else [*QUESTIONS, ONE_CLAIM]
    texts = {key: QUESTIONS[key].sparql for key in chosen if key in QUESTIONS}
    if ONE_CLAIM in chosen and store_dir is not None:
        texts[ONE_CLAIM] = one_claim_provenance(store_dir)
    return texts


def one_claim_provenance(store_dir: Path) -> str:
    """cq6 with ?subject bound (VALUES) to the first quantity claim by IRI."""
    store = ox.Store.read_only(str(store_dir))
    rows = store.query(
        "SELECT ?claim WHERE { GRAPH ?g { ?claim a <https://w3id.org/factgraph/ns#QuantityClaim> }"
        " } ORDER BY ?claim LIMIT 1"
    )
    claim = next(iter(rows))["claim"]  # type: ignore[index]
    del rows
    text = QUESTIONS["cq6_triple_provenance"].sparql
    head, body = text.split("WHERE {", 1)
    return f"{head}WHERE {{\n  VALUES ?subject {{ {claim} }}{body}"


class _Runs:
    """Runs of one query on one system, within the bounds of the module docstring."""

    def __init__(self, runs: int, min_runs: int, budget_s: float) -> None:
        self.max_runs, self.min_runs, self.budget_s = runs, min_runs, budget_s
        self.ms: list[float] = []
        self.spent = 0.0
        self.timeouts = 0
        self.errors: list[str] = []
        self.shape: dict[str, Any] | None = None

    @property
    def done(self) -> bool:
        if self.timeouts or len(self.errors) >= 3:
            return True
        if len(self.ms) + len(self.errors) >= self.max_runs:
            return True
        return len(self.ms) >= self.min_runs and self.spent >= self.budget_s

    def result(self, timeout_s: float | None = None) -> dict[str, Any]:
        out: dict[str, Any] = summary(self.ms)
        out.update(self.shape or {})
        out["timeouts"] = self.timeouts
        if self.timeouts and timeout_s:
            out["timeout_s"] = timeout_s
        out["errors"] = len(self.errors)
        if self.errors:
            out["first_error"] = self.errors[0][:300]
        return out


def _round_robin(
    texts: dict[str, str],
    run_one: Callable[[str], tuple[float, bytes]],
    *,
    runs: int,
    min_runs: int,
    budget_s: float,
    warm_up: int,
) -> dict[str, _Runs]:
    """Each query in turn, one run at a time, so that a noisy moment hits every query."""
    state = {key: _Runs(runs, min_runs, budget_s) for key in texts}
    for key, text in texts.items():
        for _ in range(warm_up):
            try:
                _, body = run_one(text)
                state[key].shape = answer_shape(body)
            except Exception as exc:  # recorded; the query is measured anyway
                state[key].errors.append(f"warm-up: {exc}")
    while not all(s.done for s in state.values()):
        for key, text in texts.items():
            current = state[key]
            if current.done:
                continue
            try:
                seconds, body = run_one(text)
            except TimeoutError:
                current.timeouts += 1
                continue
            except Exception as exc:
                current.errors.append(str(exc))
                continue
            current.ms.append(1000 * seconds)
            current.spent += seconds
            if current.shape is None:
                current.shape = answer_shape(body)
    return state


def in_process(
    store_dir: Path,
    texts: dict[str, str],
    *,
    runs: int,
    min_runs: int = 3,
    budget_s: float = 60,
    warm_up: int = 1,
) -> dict[str, Any]:
    """The floor: pyoxigraph's `Store.query` + JSON serialisation, with the options the
    server uses (the union of the graphs as the default graph)."""
    store = ox.Store.read_only(str(store_dir))

    def run_one(text: str) -> tuple[float, bytes]:
        start = time.perf_counter()
        result = store.query(text, use_default_graph_as_union=True)
        body = result.serialize(format=ox.QueryResultsFormat.JSON)  # type: ignore[union-attr]
        seconds = time.perf_counter() - start
        del result
        return seconds, body or b""

    state = _round_robin(
        texts, run_one, runs=runs, min_runs=min_runs, budget_s=budget_s, warm_up=warm_up
    )
    return {key: s.result() for key, s in state.items()}


def over_http(
    base: str,
    path: str,
    texts: dict[str, str],
    *,
    runs: int,
    min_runs: int = 3,
    budget_s: float = 60,
    timeout_s: float = 120,
    warm_up: int = 1,
) -> dict[str, Any]:
    """The same queries POSTed to a SPARQL endpoint, one at a time, on one connection."""
    with httpx.Client(base_url=base, timeout=timeout_s) as client:

        def run_one(text: str) -> tuple[float, bytes]:
            start = time.perf_counter()
            try:
                response = client.post(
                    path,
                    content=text.encode("utf-8"),
                    headers={
                        "Content-Type": "application/sparql-query",
                        "Accept": JSON_RESULTS,
                    },
                )
                body = response.read()
            except httpx.TimeoutException:
                raise TimeoutError from None
            seconds = time.perf_counter() - start
            if response.status_code != 200:
                raise RuntimeError(f"HTTP {response.status_code}: {body[:300]!r}")
            return seconds, body

        state = _round_robin(
            texts, run_one, runs=runs, min_runs=min_runs, budget_s=budget_s, warm_up=warm_up
        )
    return {key: s.result(timeout_s) for key, s in state.items()}


def over_http_each(
    start_server: Callable[[], Any],
    texts: dict[str, str],
    *,
    runs: int,
    min_runs: int,
    budget_s: float,
    timeout_s: float,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """For a server that cannot stop a query (rdflib-endpoint evaluates it on its event loop):
    one query at a time, and after a timeout a fresh server for the next query.

    `start_server()` returns a context manager yielding a `servers.Server`. Returns the
    results and, per server started, its load time and memory.
    """
    results: dict[str, Any] = {}
    started: list[dict[str, Any]] = []
    pending = list(texts)
    while pending:
        with start_server() as server:
            started.append({"load_seconds": round(server.started_seconds, 1)})
            while pending:
                key = pending.pop(0)
                result = over_http(
                    server.base,
                    server.sparql,
                    {key: texts[key]},
                    runs=runs,
                    min_runs=min_runs,
                    budget_s=budget_s,
                    timeout_s=timeout_s,
                    warm_up=0,
                )[key]
                results[key] = result
                started[-1]["memory"] = server.sampler.mark(key)
                if result["timeouts"]:
                    break  # the server is still busy with it: start another
    return results, started
