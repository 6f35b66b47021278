"""The W3C SPARQL 1.1 Protocol manifest, run entry by entry against the real server.

One test per manifest entry, in manifest order, ids = the entry names (e.g.
`test_protocol[bad_query_method]`). The server runs with an update token and every request
carries `Authorization: Bearer <token>`: the manifest's update entries (and the DROP ALL and
INSERT DATA that set each entry up) are writes, which the service accepts only with it. The
token does not change how queries are answered, so sending it on them hides nothing.
How each manifest term is checked: see tests/conformance/runner.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conformance.live import conformance_runner
from conformance.manifest import SUITE, ManifestTest, load_manifest
from conformance.runner import Runner

pytestmark = [pytest.mark.e2e, pytest.mark.conformance]

MANIFEST = SUITE / "protocol" / "manifest.ttl"
ENTRIES = load_manifest(MANIFEST)


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    """The real server on a fresh store of its own (the entries DROP ALL)."""
    with conformance_runner(tmp_path_factory.mktemp("protocol-store")) as runner:
        yield runner


def test_protocol_manifest_is_read_whole() -> None:
    """A reader that silently lost entries would make the suite pass by running nothing."""
    assert len(ENTRIES) == 34
    assert all(entry.kind == "ProtocolTest" and entry.requests for entry in ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.id for entry in ENTRIES])
def test_protocol(entry: ManifestTest, runner: Runner) -> None:
    """The entry's requests, sent in order, each get the response the manifest expects."""
    runner.run(entry)
