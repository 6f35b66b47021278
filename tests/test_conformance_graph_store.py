"""The W3C SPARQL 1.1 Graph Store Protocol manifests, run entry by entry against `/store`.

graph-store-protocol/manifest.ttl includes manifest-direct.ttl then manifest-indirect.ttl;
their entries run in that order, one test each, ids = the entry names (e.g.
`test_graph_store[put_get_repeat_indirect]`). Each entry names the features it needs with
mf:requires: `/store?graph=<IRI>` and `/store?default` are indirect graph identification,
`/store/<path>` (the URL naming the graph `<base>store/<path>`) is direct identification, and
a POST to `/store` itself creates a graph. An entry needing a feature not in
SUPPORTED_FEATURES would be skipped with the reason, never silently passed.

Every request carries `Authorization: Bearer <token>` (the service accepts GSP writes, and the
DROP ALL that empties the store before each entry, only with it). The manifests' paths
start with `/gsp`; they are sent to `/store` with the rest unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conformance.live import conformance_runner
from conformance.manifest import SUITE, ManifestTest, load_manifest
from conformance.runner import Runner

pytestmark = [pytest.mark.e2e, pytest.mark.conformance]

MANIFEST = SUITE / "graph-store-protocol" / "manifest.ttl"
ENTRIES = load_manifest(MANIFEST)

# The mf:requires features `/store` offers (the manifest's comment defines the three).
SUPPORTED_FEATURES = frozenset(
    {"DirectGraphIdentification", "IndirectGraphIdentification", "POSTGraphCreation"}
)


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    """The real server on a fresh store of its own (each entry starts from DROP ALL)."""
    with conformance_runner(tmp_path_factory.mktemp("gsp-store")) as runner:
        yield runner


def test_graph_store_manifests_are_read_whole() -> None:
    """4 direct and 9 indirect entries: losing some would pass by running less."""
    assert len(ENTRIES) == 13
    assert [entry.manifest.name for entry in ENTRIES] == (
        ["manifest-direct.ttl"] * 4 + ["manifest-indirect.ttl"] * 9
    )
    assert all(entry.kind == "GraphStoreProtocolTest" and entry.requests for entry in ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.id for entry in ENTRIES])
def test_graph_store(entry: ManifestTest, runner: Runner) -> None:
    """The entry's requests, sent in order, each get the response the manifest expects."""
    missing = entry.requires - SUPPORTED_FEATURES
    if missing:
        pytest.skip(f"needs mf:{', mf:'.join(sorted(missing))}, which /store does not offer")
    runner.run(entry)
