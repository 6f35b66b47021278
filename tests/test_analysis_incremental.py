"""Comparisons kept incrementally: one document's claims against others', replaced, dropped."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest

from service.analysis import AnalysisWriter
from service.rdf import iris
from service.rdf.vocab import sparql_prologue
from service.sparql import load
from service.store import QueryError
from service.store.oxigraph import OxigraphStore

MAX_CANDIDATES = 60  # the LIMIT of service/sparql/analysis/candidate_quantities.rq
BASE = "http://example.org/"
FG = "https://w3id.org/factgraph/ns#"
SDO = "http://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def doc(n: int) -> str:
    return f"{BASE}id/document/{n:016x}"


def quantity(
    document: str, n: int, key: str, low: int | None, high: int | None, **extra: str
) -> str:
    claim = f"<{document}/quantity/{n}>"
    value = low if low is not None else high
    lines = [
        f"{claim} {RDF_TYPE} <{FG}QuantityClaim> .",
        f'{claim} <{FG}countedKey> "{key}" .',
        f'{claim} <{SDO}value> "{value}"^^<{XSD}decimal> .',
        f"{claim} <{FG}comparator> <{FG}approximately> .",
    ]
    if low is not None:
        lines.append(f'{claim} <{SDO}minValue> "{low}"^^<{XSD}decimal> .')
    if high is not None:
        lines.append(f'{claim} <{SDO}maxValue> "{high}"^^<{XSD}decimal> .')
    if "start" in extra:
        lines.append(f'{claim} <{FG}timeStart> "{extra["start"]}"^^<{XSD}date> .')
    place = extra.get("place", "iraq")  # what the claim measures: present in Iraq, unless told
    if place:
        lines.append(f"{claim} <{FG}location> <{BASE}id/actor/{place}> .")
    lines.append(f'{claim} <{FG}predicateKey> "{extra.get("predicate", "present")}" .')
    lines.append(f"{claim} <{FG}nature> <{FG}Stock> .")
    if "by" in extra:
        lines.append(f"{claim} <{FG}claimedBy> <{BASE}id/actor/{extra['by']}> .")
        lines.append(f"{claim} <{SDO}appearance> <{document}> .")
    return "\n".join(lines) + "\n"


def date_claim(document: str, n: int, key: str, earliest: str, latest: str) -> str:
    claim = f"<{document}/date/{n}>"
    return (
        f"{claim} {RDF_TYPE} <{FG}DateClaim> .\n"
        f'{claim} <{FG}eventKey> "{key}" .\n'
        f'{claim} <{FG}earliest> "{earliest}"^^<{XSD}date> .\n'
        f'{claim} <{FG}latest> "{latest}"^^<{XSD}date> .\n'
    )


class SpyStore(OxigraphStore):
    """Records the bindings of every select, to see which keys were looked up."""

    def __init__(self) -> None:
        super().__init__(None)
        self.bound: list[Mapping[str, str]] = []

    def select(self, sparql: str, bindings: Mapping[str, str] | None = None):  # type: ignore[override]
        self.bound.append(dict(bindings or {}))
        return super().select(sparql, bindings)


def comparisons(store: OxigraphStore) -> dict[frozenset[str], tuple[str, str]]:
    rows = store.select(
        sparql_prologue()
        + """SELECT ?analysis ?c ?status ?reason ?claim WHERE {
          GRAPH ?analysis { ?c a fg:ClaimComparison ; fg:status ?status ; fg:reason ?reason ;
                               fg:comparedClaim ?claim } }""",
        {"analysis": f"<{iris.analysis_graph(BASE)}>"},
    )
    pairs: dict[str, set[str]] = {}
    info: dict[str, tuple[str, str]] = {}
    for row in rows:
        pairs.setdefault(row["c"], set()).add(row["claim"])
        info[row["c"]] = (row["status"].rsplit("#", 1)[-1], row["reason"])
    return {frozenset(claims): info[c] for c, claims in pairs.items()}


@pytest.fixture
def store() -> SpyStore:
    return SpyStore()


def put(store: OxigraphStore, document: str, data: str) -> AnalysisWriter:
    store.replace_graph(document, data.encode())
    comparer = AnalysisWriter(store, BASE)
    comparer(document)
    return comparer


def test_analysis_incremental_compares_a_new_document_with_the_others(store: SpyStore) -> None:
    put(
        store, doc(1), quantity(doc(1), 0, "troop", 2250, 2750) + quantity(doc(1), 1, "troop", 5, 5)
    )
    assert comparisons(store) == {}  # one source (no other claimant) is not compared with itself
    put(store, doc(2), quantity(doc(2), 0, "troop", 2500, 2500))
    found = comparisons(store)
    a, b = f"{doc(1)}/quantity/0", f"{doc(1)}/quantity/1"
    new = f"{doc(2)}/quantity/0"
    assert found[frozenset({a, new})][0] == "Corroboration"
    assert found[frozenset({b, new})][0] == "Conflict"
    assert len(found) == 2


def test_analysis_incremental_looks_up_only_the_document_s_keys(store: SpyStore) -> None:
    put(store, doc(1), quantity(doc(1), 0, "attack", 100, 200))
    put(store, doc(2), quantity(doc(2), 0, "patient", 1, 2))
    store.bound.clear()
    put(store, doc(3), quantity(doc(3), 0, "us-troop", 1, 2))
    looked_up = {value for bindings in store.bound for value in bindings.values()}
    assert '"us-troop"' in looked_up
    assert '"troop"' in looked_up
    assert '"-us-troop"' in looked_up
    assert not any("attack" in v or "patient" in v for v in looked_up)


def test_analysis_incremental_reingest_replaces_only_that_document_s_comparisons(
    store: SpyStore,
) -> None:
    put(store, doc(1), quantity(doc(1), 0, "attack", 100, 200))
    put(store, doc(2), quantity(doc(2), 0, "attack", 150, 150))
    put(store, doc(3), quantity(doc(3), 0, "attack", 500, 500))
    assert len(comparisons(store)) == 3
    # document 3 now says something that agrees with both: its two comparisons change
    put(store, doc(3), quantity(doc(3), 0, "attack", 120, 180))
    found = comparisons(store)
    assert len(found) == 3
    assert {status for status, _ in found.values()} == {"Corroboration"}
    before = store.quad_count()
    put(store, doc(3), quantity(doc(3), 0, "attack", 120, 180))
    assert store.quad_count() == before == len(store._db)


def test_analysis_incremental_periods_apart_are_related(store: SpyStore) -> None:
    put(store, doc(1), quantity(doc(1), 0, "attack", 118, None, start="2023-10-15"))
    put(store, doc(2), quantity(doc(2), 0, "attack", 135, 165, start="2023-10-07"))
    ((status, reason),) = comparisons(store).values()
    assert status == "Related"
    assert "periods" in reason


def test_analysis_incremental_dates_of_one_event(store: SpyStore) -> None:
    put(store, doc(1), date_claim(doc(1), 0, "islamic-state/defeat", "2017-09-01", "2017-12-31"))
    put(store, doc(2), date_claim(doc(2), 0, "islamic-state/defeat", "2019-01-01", "2019-12-31"))
    put(store, doc(3), date_claim(doc(3), 0, "other/event", "2019-01-01", "2019-12-31"))
    ((status, reason),) = comparisons(store).values()
    assert status == "Conflict"
    assert "2017-12-31" in reason


def test_analysis_incremental_delete_drops_the_graph_and_its_comparisons(store: SpyStore) -> None:
    put(store, doc(1), quantity(doc(1), 0, "attack", 100, 200))
    put(store, doc(2), quantity(doc(2), 0, "attack", 150, 150))
    put(store, doc(3), quantity(doc(3), 0, "attack", 170, 170))
    assert len(comparisons(store)) == 3
    assert AnalysisWriter(store, BASE).drop_document(doc(2))
    assert not store.has_graph(doc(2))
    found = comparisons(store)
    assert list(found) == [frozenset({f"{doc(1)}/quantity/0", f"{doc(3)}/quantity/0"})]
    assert not AnalysisWriter(store, BASE).drop_document(doc(2))
    assert store.quad_count() == len(store._db)
    runs = store.select(sparql_prologue() + "SELECT ?run WHERE { ?run prov:used ?d }", {})
    assert {r["run"].rsplit("/", 1)[-1] for r in runs} == {f"{1:016x}", f"{3:016x}"}


def test_analysis_incremental_records_the_run_and_derivation(store: SpyStore) -> None:
    put(store, doc(1), quantity(doc(1), 0, "attack", 100, 200))
    put(store, doc(2), quantity(doc(2), 0, "attack", 150, 150))
    rows = store.select(
        sparql_prologue()
        + """SELECT ?c ?from ?run ?ended ?version WHERE {
          ?c a fg:ClaimComparison ; prov:wasDerivedFrom ?from ; prov:wasGeneratedBy ?run .
          ?run a prov:Activity ; prov:endedAtTime ?ended ;
               prov:wasAssociatedWith/schema:softwareVersion ?version }"""
    )
    assert len({r["from"] for r in rows}) == 2
    assert all(r["ended"] and r["version"] for r in rows)
    assert all(r["c"].startswith(f"{BASE}id/comparison/") for r in rows)


def test_analysis_incremental_hostile_keys_stay_values(store: SpyStore) -> None:
    hostile = 'x\\" } UNION { ?s ?p ?o } #'
    escaped = hostile.replace("\\", "\\\\").replace('"', '\\"')
    put(store, doc(1), quantity(doc(1), 0, escaped, 1, 2))
    put(store, doc(2), quantity(doc(2), 0, escaped, 5, 6))
    ((status, _),) = comparisons(store).values()
    assert status == "Conflict"


def test_analysis_incremental_a_general_key_finds_the_refined_ones_ingested_before(
    store: SpyStore,
) -> None:
    put(store, doc(1), quantity(doc(1), 0, "us-troop", 2250, 2750))
    put(store, doc(2), quantity(doc(2), 0, "uk-troop", 10, 10))
    put(store, doc(3), quantity(doc(3), 0, "troop", 2500, 2500))
    found = comparisons(store)
    us = frozenset({f"{doc(1)}/quantity/0", f"{doc(3)}/quantity/0"})
    uk = frozenset({f"{doc(2)}/quantity/0", f"{doc(3)}/quantity/0"})
    # "troops" may be US or UK troops: related, never a conflict, whatever the numbers
    assert found[us][0] == found[uk][0] == "Related"
    assert "us-troop" in found[us][1]
    assert len(found) == 2  # us-troop and uk-troop are not the same thing


def test_analysis_incremental_two_sources_in_one_document_are_compared(
    store: SpyStore,
) -> None:
    put(store, doc(1), quantity(doc(1), 0, "euro", 300, None, by="union")
        + quantity(doc(1), 1, "euro", 200, 200, by="government")
        + quantity(doc(1), 2, "euro", 310, 310, by="union"))
    found = comparisons(store)
    union, government, again = (f"{doc(1)}/quantity/{n}" for n in range(3))
    assert found[frozenset({union, government})][0] == "Conflict"
    assert found[frozenset({again, government})][0] == "Conflict"
    assert frozenset({union, again}) not in found  # one source does not corroborate itself
    assert len(found) == 2


class NoLateralStore(SpyStore):
    """A SPARQL 1.1 server without LATERAL (Virtuoso 7 refuses it as a syntax error)."""

    def select(self, sparql: str, bindings: Mapping[str, str] | None = None):  # type: ignore[override]
        if re.search(r"\bLATERAL\s*\{", sparql):
            raise QueryError("syntax error at 'LATERAL'")
        return super().select(sparql, bindings)


def test_analysis_incremental_a_store_without_lateral_gets_the_same_comparisons() -> None:
    found = []
    for store in (SpyStore(), NoLateralStore()):
        put(store, doc(1), quantity(doc(1), 0, "troop", 2250, 2750)
            + date_claim(doc(1), 1, "islamic-state/defeat", "2017-09-01", "2017-12-31"))
        put(store, doc(2), quantity(doc(2), 0, "troop", 900, 900)
            + quantity(doc(2), 1, "us-troop", 2500, 2500)
            + date_claim(doc(2), 2, "islamic-state/defeat", "2019-01-01", "2019-12-31"))
        found.append(comparisons(store))
    assert found[0] == found[1]
    assert sorted(status for status, _ in found[1].values()) == ["Conflict", "Conflict",
                                                                 "Related"]


def test_analysis_incremental_other_predicates_are_not_compared(store: SpyStore) -> None:
    put(store, doc(1), quantity(doc(1), 0, "troop", 3, 3, predicate="die"))
    put(store, doc(2), quantity(doc(2), 0, "troop", 900, 900))
    assert comparisons(store) == {}


def test_analysis_incremental_keeps_a_bounded_number_of_comparisons_per_claim(
    store: SpyStore,
) -> None:
    """Hundreds of articles counting the same thing must not make each ingest cost more."""
    from service.analysis.writer import MAX_PER_STATUS

    for n in range(MAX_PER_STATUS + 5):
        put(store, doc(n), quantity(doc(n), 0, "troop", 2400, 2600))  # all corroborate
    put(store, doc(100), quantity(doc(100), 0, "troop", 9000, 9100))  # conflicts with all
    new = f"{doc(100)}/quantity/0"
    touching = [status for claims, (status, _) in comparisons(store).items() if new in claims]
    assert touching.count("Conflict") == MAX_PER_STATUS
    put(store, doc(101), quantity(doc(101), 0, "troop", 2450, 2550))
    newest = f"{doc(101)}/quantity/0"
    statuses = [status for claims, (status, _) in comparisons(store).items() if newest in claims]
    assert statuses.count("Corroboration") == MAX_PER_STATUS
    assert statuses.count("Conflict") == 1  # never crowded out by the corroborations


def test_analysis_incremental_reads_a_bounded_number_of_candidates_newest_first(
    store: SpyStore,
) -> None:
    """However many articles count the same thing, a key reads its 60 newest claims only."""
    for n in range(MAX_CANDIDATES + 10):
        published = f'<{doc(n)}> <{SDO}datePublished> "2024-{1 + n // 28:02d}-{1 + n % 28:02d}"'
        store.replace_graph(
            doc(n),
            (quantity(doc(n), 0, "troop", 2400, 2600) + published + f"^^<{XSD}date> .\n").encode(),
        )
    rows = store.select(load("analysis/candidate_quantities.rq"), {"key": '"troop"'})
    documents = [row["document"] for row in rows]
    assert len(documents) == MAX_CANDIDATES
    assert documents[0] == doc(MAX_CANDIDATES + 9)  # the most recently published first
    assert doc(0) not in documents
