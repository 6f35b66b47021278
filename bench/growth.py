"""How factgraph holds up as the store grows from 10^4 to 10^6 quads.

    .venv/bin/python -m bench.growth                       # 10^4, 10^5, 10^6 (long)
    .venv/bin/python -m bench.growth --sizes 10000         # a quick check
    .venv/bin/python -m bench.growth --report              # the tables from bench/out/*.json

For each size: the store is built (or taken from bench/out/stores, `bench/scale.py`), then
1. the competency queries in process on pyoxigraph, the floor (`bench/latency.py`);
2. `factgraph serve` on a copy of that store (query limits raised, `--server-env`): the same
   queries over HTTP, and `ASK {}` for the constant cost of a request; the server's memory
   (its process and every child: the query workers) after them;
3. two bounded concurrent loads on it (`bench/load.py`): every query, and the lookups only;
   the memory after them;
4. `factgraph serve` with its default limits: each query once (which ones it stops);
5. rdflib-endpoint (its own CLI) serving the same quads, exported as N-Quads.
Also cq6 as its comment says to use it, for one claim (`cq6b`).
Each size's numbers go to bench/out/growth-<size>.json; `--report` prints the tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
from importlib.metadata import version
from pathlib import Path
from typing import Any

import psutil
import pyoxigraph as ox

from bench import latency, load, scale, servers

OUT = scale.OUT
# The measured server answers every query to its end, so each has a latency to compare; what
# the default limits (30 s, 50 MB) do to the same queries is measured beside (--check-defaults).
MEASURED_LIMITS = ["FACTGRAPH_QUERY_TIMEOUT=600", "FACTGRAPH_MAX_RESULT_BYTES=2000000000"]
# The lookups: queries whose answer is a few rows found through the indexes.
LIGHT = ["cq1_language_of_force", "cq2_us_troops_in_iraq", "cq4_politico", latency.ONE_CLAIM]


def _machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "versions": {
            name: version(name)
            for name in ("pyoxigraph", "rdflib", "rdflib-endpoint", "uvicorn", "fastapi")
        },
    }


def export_nquads(store_dir: Path, target: Path) -> Path:
    """The store's quads as N-Quads (cached until the store is rebuilt), for rdflib-endpoint."""
    stale = target.exists() and target.stat().st_mtime < store_dir.stat().st_mtime
    if stale or not target.exists():
        store = ox.Store.read_only(str(store_dir))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        store.dump(str(partial), ox.RdfFormat.N_QUADS)
        partial.rename(target)
        del store
    return target


def measure_size(size: str, args: argparse.Namespace) -> dict[str, Any]:
    snapshot = scale.snapshot_dir(args.out, int(float(size)))
    info = json.loads((args.out / "scale.json").read_text("utf-8"))["snapshots"][size]
    texts = latency.queries(args.queries, snapshot)
    logs = args.out / "logs" / size
    logs.mkdir(parents=True, exist_ok=True)
    bounds = {"runs": args.runs, "min_runs": args.min_runs, "budget_s": args.budget}
    result: dict[str, Any] = {
        "size": size,
        "quads": info["quads"],
        "documents": info["documents"],
        "measured": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": scale.git_commit(),
        "machine": _machine(),
        "settings": {k: v for k, v in vars(args).items() if k not in ("out", "func")},
    }
    print(f"[{size}] in process (floor)", flush=True)
    result["inprocess"] = latency.in_process(snapshot, {"ask": latency.ASK, **texts}, **bounds)
    result["ask_inprocess"] = result["inprocess"].pop("ask")

    env = dict(item.split("=", 1) for item in args.server_env or [])
    print(f"[{size}] factgraph serve over HTTP {env or ''}", flush=True)
    result["server_env"] = env
    with servers.factgraph_server(snapshot, env=env, log_dir=logs) as server:
        result["factgraph_start_seconds"] = round(server.started_seconds, 2)
        server.sampler.mark("idle")
        # ASK {} runs in turn with the queries, so it pays what they leave behind (memory to
        # give back, caches taken) as they do: the overhead they meet, not a quiet-loop best.
        result["http"] = latency.over_http(
            server.base,
            server.sparql,
            {"ask": latency.ASK, **texts},
            timeout_s=args.timeout,
            **bounds,
        )
        result["ask"] = result["http"].pop("ask")
        server.sampler.mark("after_queries")
        mixes = {"load": args.load_queries or args.queries, "load_light": args.light_queries}
        for name, keys in mixes.items():
            if args.load_seconds <= 0 or (name == "load_light" and not keys):
                continue
            print(f"[{size}] {name}: {args.clients} clients, {args.load_seconds} s", flush=True)
            result[name] = load.run_load(
                server.base,
                latency.queries(keys, snapshot),
                clients=args.clients,
                seconds=args.load_seconds,
                max_requests=args.load_requests,
                timeout_s=args.load_timeout,
            )
            result[name]["queries"] = list(latency.queries(keys, snapshot))
            server.sampler.mark("after_load")
        result["factgraph_memory"] = server.sampler.marks

    if args.check_defaults:
        print(f"[{size}] factgraph serve with its default limits: each query once", flush=True)
        with servers.factgraph_server(snapshot, log_dir=logs) as server:
            result["default_limits"] = latency.over_http(
                server.base,
                server.sparql,
                texts,
                runs=1,
                min_runs=1,
                budget_s=0,
                timeout_s=args.timeout,
                warm_up=0,
            )
    if args.rdflib:
        print(f"[{size}] rdflib-endpoint over HTTP", flush=True)
        nquads = export_nquads(snapshot, args.out / "export" / f"q{size}.nq")
        result["rdflib"], result["rdflib_servers"] = latency.over_http_each(
            lambda: servers.rdflib_server(nquads, logs),
            texts,
            runs=args.rdflib_runs,
            min_runs=min(args.rdflib_min_runs, args.rdflib_runs),
            budget_s=args.rdflib_budget,
            timeout_s=args.rdflib_timeout,
        )
        slow = {k: texts[k] for k, v in result["rdflib"].items() if v["timeouts"]}
        if slow and args.rdflib_extra_timeout > 0:
            print(
                f"[{size}] rdflib-endpoint, once more with {args.rdflib_extra_timeout:g} s: "
                f"{', '.join(slow)}",
                flush=True,
            )
            result["rdflib_long"], _ = latency.over_http_each(
                lambda: servers.rdflib_server(nquads, logs),
                slow,
                runs=1,
                min_runs=1,
                budget_s=0,
                timeout_s=args.rdflib_extra_timeout,
            )
    path = args.out / f"growth-{size}.json"
    path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"[{size}] wrote {path}", flush=True)
    return result


# --- the tables --------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _ratio(a: float | None, b: float | None, at_least: bool = False) -> str:
    if a is None or b is None or b <= 0:
        return "–"
    value = a / b
    text = f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return f"≥ {text}" if at_least else text


def _cell(
    entry: dict[str, Any] | None, field: str, longer: dict[str, Any] | None = None
) -> tuple[float | None, bool]:
    """A latency, and whether it is only a lower bound (the query timed out); a run with a
    longer timeout (`longer`) stands in for a timed-out one."""
    if entry and entry.get("timeouts") and longer:
        entry = longer
    if not entry:
        return None, False
    if entry.get("timeouts"):
        return float(entry["timeout_s"]) * 1000, True
    return entry.get(field), False


def _short(key: str) -> str:
    return key.split("_", 1)[0]


def tables(results: list[dict[str, Any]], state: dict[str, Any]) -> str:
    lines: list[str] = []
    add = lines.append
    add("Sizes reached:\n")
    add("| size | quads | documents | ingest ms/doc, last ≤ 50 docs before it (quads covered) |")
    add("|---|---:|---:|---|")
    costs = {row["size"]: row for row in scale.checkpoint_costs(state)}
    for r in results:
        c = costs.get(r["size"], {})
        window = c.get("window_quads", [0, 0])
        add(
            f"| {r['size']} | {r['quads']:,} | {r['documents']} | "
            f"{c.get('ms_per_document', '–')} ({window[0]:,}–{window[1]:,}) |"
        )
    add("\nQuery latency, ms (p50 / p99), SPARQL JSON results:\n")
    add(
        "| size | query | rows | in process p50 / p99 | factgraph HTTP p50 / p99 | "
        "rdflib-endpoint p50 / p99 | rdflib rows |"
    )
    add("|---|---|---:|---:|---:|---:|---:|")
    for r in results:
        ask = r["ask"]
        floor_ask = r.get("ask_inprocess", {})
        add(
            f"| {r['size']} | `ASK {{}}` | 1 | {_ms(floor_ask.get('p50_ms'))} / "
            f"{_ms(floor_ask.get('p99_ms'))} | {_ms(ask['p50_ms'])} / {_ms(ask['p99_ms'])} "
            "| – | – |"
        )
        for key, floor in r["inprocess"].items():
            http = r["http"].get(key, {})
            rdf = (r.get("rdflib") or {}).get(key)
            longer = (r.get("rdflib_long") or {}).get(key)
            rdf_p50, lower = _cell(rdf, "p50_ms", longer)
            rdf_p99, _ = _cell(rdf, "p99_ms", longer)
            pre = "≥ " if lower else ""
            rdf_text = f"{pre}{_ms(rdf_p50)} / {pre}{_ms(rdf_p99)}" if rdf else "–"
            if rdf and rdf.get("timeouts") and longer and not longer.get("timeouts"):
                rdf_text = f"{_ms(rdf_p50)} (1 run; ≥ {_ms(rdf['timeout_s'] * 1000)} in the bench)"
                rdf = longer
            http_text = f"{_ms(http.get('p50_ms'))} / {_ms(http.get('p99_ms'))}"
            if http.get("errors"):
                http_text += f" ({http['errors']} errors)"
            rdf_rows = "–"
            if rdf and rdf.get("rows") is not None:
                same = rdf.get("digest") == floor.get("digest")
                rdf_rows = f"{rdf['rows']:,}" + ("" if same else " (differ)")
            add(
                f"| {r['size']} | {_short(key)} | {floor.get('rows', 0):,} | "
                f"{_ms(floor['p50_ms'])} / {_ms(floor['p99_ms'])} | {http_text} | "
                f"{rdf_text} | {rdf_rows} |"
            )
    add("\nRatios (p50 unless marked; HTTP overhead = factgraph's `ASK {}` p50):\n")
    add(
        "| size | query | HTTP / in process | p99: HTTP / in process | "
        "(HTTP − overhead) / in process | HTTP ≤ 1.5 × in process + overhead? "
        "| rdflib / HTTP | p99: rdflib / HTTP |"
    )
    add("|---|---|---:|---:|---:|---|---:|---:|")
    for r in results:
        overhead = r["ask"]["p50_ms"]
        for key, floor in r["inprocess"].items():
            http = r["http"].get(key, {})
            rdf = (r.get("rdflib") or {}).get(key)
            longer = (r.get("rdflib_long") or {}).get(key)
            rdf_p50, lower = _cell(rdf, "p50_ms", longer)
            rdf_p99, lower99 = _cell(rdf, "p99_ms", longer)
            net = None if http.get("p50_ms") is None else http["p50_ms"] - overhead
            goal = "–"
            if net is not None and floor["p50_ms"] is not None:
                goal = "yes" if net <= 1.5 * floor["p50_ms"] else "**no**"
            add(
                f"| {r['size']} | {_short(key)} | {_ratio(http.get('p50_ms'), floor['p50_ms'])} | "
                f"{_ratio(http.get('p99_ms'), floor['p99_ms'])} | {_ratio(net, floor['p50_ms'])} "
                f"| {goal} | {_ratio(rdf_p50, http.get('p50_ms'), lower)} "
                f"| {_ratio(rdf_p99, http.get('p99_ms'), lower99)} |"
            )
    checked = [r for r in results if r.get("default_limits")]
    if checked:
        add("\nWith the server's default limits (each query once; what a user gets):\n")
        add("| size | query | ms | answer |")
        add("|---|---|---:|---|")
        for r in checked:
            for key, entry in r["default_limits"].items():
                answer = f"{entry['rows']:,} rows" if entry.get("runs") else "–"
                if entry.get("errors"):
                    answer = entry.get("first_error", "error")[:120].replace("|", "/")
                add(f"| {r['size']} | {_short(key)} | {_ms(entry.get('p50_ms'))} | {answer} |")
    add("\nServer memory (RSS of the process and all its children, MiB):\n")
    add("| size | idle | peak after the queries | peak after the load | processes (peak) |")
    add("|---|---:|---:|---:|---:|")
    for r in results:
        marks = r.get("factgraph_memory", {})
        idle = marks.get("idle", {})
        queried = marks.get("after_queries", {})
        loaded = marks.get("after_load", {})
        add(
            f"| {r['size']} | {idle.get('rss_tree_mib', '–')} | "
            f"{queried.get('peak_tree_mib', '–')} | {loaded.get('peak_tree_mib', '–')} | "
            f"{loaded.get('peak_processes', queried.get('peak_processes', '–'))} |"
        )
    rdflib_rows = [r for r in results if r.get("rdflib_servers")]
    if rdflib_rows:
        add("\nrdflib-endpoint: load time and memory (for scale):\n")
        add("| size | servers started | load s (each) | peak RSS MiB |")
        add("|---|---:|---|---:|")
        for r in rdflib_rows:
            started = r["rdflib_servers"]
            peaks = [s["memory"]["peak_tree_mib"] for s in started if "memory" in s]
            add(
                f"| {r['size']} | {len(started)} | "
                f"{', '.join(str(s['load_seconds']) for s in started)} | "
                f"{max(peaks) if peaks else '–'} |"
            )
    add("\nLoad (bounded asyncio client on 127.0.0.1):\n")
    add("| size | mix | clients | requests | wall s | requests/s | p50 ms | p99 ms | errors |")
    add("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        for name in ("load", "load_light"):
            run = r.get(name)
            if not run:
                continue
            mix = ", ".join(_short(k) for k in run.get("queries", [])) + ", /healthz"
            add(
                f"| {r['size']} | {mix} | {run['clients']} | {run['requests']} | "
                f"{run['wall_seconds']} | {run['requests_per_second']} | "
                f"{_ms(run['all']['p50_ms'])} | {_ms(run['all']['p99_ms'])} | {run['errors']} |"
            )
    add("\nIngest cost per document as the store grows (mean over the last ≤ 50 documents before")
    add("it; commit and compare run on the writer thread, beside the next extractions):\n")
    add("| size | quads covered | documents | wall ms/doc | commit ms/doc | compare ms/doc |")
    add("|---|---|---:|---:|---:|---:|")
    for row in costs.values():
        lo, hi = row["window_quads"]
        add(
            f"| {row['size']} | {lo:,}–{hi:,} | {row['documents_in_window']} | "
            f"{row['ms_per_document']} | {row['commit_ms_per_document']} | "
            f"{row['compare_ms_per_document']} |"
        )
    return "\n".join(lines)


def report(out: Path) -> str:
    state = json.loads((out / "scale.json").read_text("utf-8"))
    results = [
        json.loads(p.read_text("utf-8"))
        for p in sorted(out.glob("growth-*.json"), key=lambda p: float(p.stem.split("-")[1]))
    ]
    return tables(results, state)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(t) for t in scale.DEFAULT_TARGETS),
        help="Store sizes in quads, comma-separated.",
    )
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--report", action="store_true", help="Only print the tables.")
    parser.add_argument("--rebuild", action="store_true", help="Build the stores again.")
    parser.add_argument("--queries", nargs="*", help="Competency query keys (default: all).")
    parser.add_argument("--runs", type=int, default=50, help="Runs per query, at most.")
    parser.add_argument("--min-runs", type=int, default=5)
    parser.add_argument("--budget", type=float, default=60, help="Seconds per query, then stop.")
    parser.add_argument("--timeout", type=float, default=120, help="Client timeout, seconds.")
    parser.add_argument(
        "--server-env",
        nargs="*",
        metavar="KEY=VALUE",
        default=MEASURED_LIMITS,
        help="Settings of the measured server (default: limits raised so that every query "
        "is measured to its end; none: the defaults).",
    )
    parser.add_argument(
        "--no-check-defaults",
        dest="check_defaults",
        action="store_false",
        help="Skip asking each query once of a server with its default limits.",
    )
    parser.add_argument("--no-rdflib", dest="rdflib", action="store_false")
    parser.add_argument("--rdflib-runs", type=int, default=10)
    parser.add_argument("--rdflib-min-runs", type=int, default=3)
    parser.add_argument(
        "--rdflib-extra-timeout",
        type=float,
        default=0,
        help="Run each query rdflib-endpoint timed out on once more with this timeout (s).",
    )
    parser.add_argument("--rdflib-budget", type=float, default=60)
    parser.add_argument("--rdflib-timeout", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--load-seconds", type=float, default=20, help="0: no load run.")
    parser.add_argument("--load-requests", type=int, default=2000)
    parser.add_argument("--load-queries", nargs="*", help="Queries in the load mix.")
    parser.add_argument(
        "--light-queries",
        nargs="*",
        default=LIGHT,
        help="A second load run with these (the lookups; none: no second run).",
    )
    parser.add_argument(
        "--load-timeout", type=float, default=600, help="Client timeout under load, seconds."
    )
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    if args.report:
        print(report(args.out))
        return
    targets = [int(float(s)) for s in args.sizes.split(",") if s]
    state = scale.build(targets, args.out, rebuild=args.rebuild)
    for target in targets:
        measure_size(scale.label(target), args)
    print(report(args.out) if state else "")


if __name__ == "__main__":
    main()
