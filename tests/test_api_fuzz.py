"""Schemathesis against the served OpenAPI document of a real server on 127.0.0.1, with the
seeds loaded: as a client without the token and as one with it. Bounded in examples per
operation and in time per request; no answer may be a 5xx, none may stray from its schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import live_server, post_seeds

pytestmark = pytest.mark.e2e

TOKEN = "fuzz-token-0123456789abcdef"
EXAMPLES = 25  # per operation and per client
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def fuzzed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own (the fuzzer writes), on loopback, with a token and the seeds."""
    store: Path = tmp_path_factory.mktemp("fuzz")
    env = {"FACTGRAPH_UPDATE_TOKEN": TOKEN, "FACTGRAPH_QUERY_TIMEOUT": "5"}
    with live_server(store, env) as base:
        post_seeds(base, TOKEN)
        yield base


@pytest.fixture(scope="module")
def operations(fuzzed_server: str) -> list[schemathesis.APIOperation]:
    """Every operation of the served OpenAPI document, bodies and parameters included."""
    assert fuzzed_server.startswith("http://127.0.0.1:")
    api = schemathesis.openapi.from_url(f"{fuzzed_server}/openapi.json")
    return [result.ok() for result in api.get_all_operations()]


_BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _fuzz(operation: schemathesis.APIOperation, headers: dict[str, str]) -> int:
    """Run one operation's examples; the number of requests sent."""
    sent = 0

    @_BOUNDED
    @given(case=operation.as_strategy())
    def run(case: schemathesis.Case) -> None:
        nonlocal sent
        sent += 1
        case.call_and_validate(checks=CHECKS, headers={**(case.headers or {}), **headers},
                               timeout=30)  # fmt: skip

    run()
    return sent


@pytest.mark.parametrize("with_token", [False, True], ids=["without-token", "with-token"])
def test_api_fuzz_no_5xx_and_no_answer_off_its_schema(
    operations: list[schemathesis.APIOperation], with_token: bool
) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"} if with_token else {}
    sent = {f"{op.method.upper()} {op.path}": _fuzz(op, headers) for op in operations}
    print(f"fuzzed {len(sent)} operations with {sum(sent.values())} requests")  # for -s runs
    assert len(sent) > 30
    assert all(count > 0 for count in sent.values()), sent
