"""Run manifest tests over HTTP against a live service and say, precisely, what did not conform.

Mapping from the manifests to this service:
- ht:absolutePath `/sparql/...` goes to the service's `/sparql...` and `/gsp...` to `/store...`
  (the rest of the path and the query string are sent byte for byte, percent-escapes and all).
- Every request carries `Authorization: Bearer <token>`: the manifests assume an endpoint that
  accepts updates and Graph Store writes, and this service accepts them only with its token.
- Before each entry the store is emptied with `DROP ALL` (SPARQL Update, with the token) and the
  entry's ut:graphData files are loaded with INSERT DATA into the graphs their labels name.
  The entries assume a fresh endpoint: several GSP entries PUT person/1.ttl and each expects
  201 Created, and post_get_post_get_* POST a blank-node graph that, merged into the copy an
  earlier entry left, would no longer be isomorphic to the expected one. Run in order on one
  store without this, 4 of the 13 GSP entries fail on any correct server.
- The requests of an entry run in order on one client, as ht:Connection describes;
  mf:expectedLocation binds the response's Location header to a variable (e.g. $LOCATION$)
  that later requests of the entry use in their path, headers and body.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic, to_canonical_graph
from rdflib.query import Result

from conformance.manifest import ExpectedResponse, HttpRequest, ManifestTest, substitute

__all__ = [
    "BOOLEAN_MEDIA_TYPES",
    "RDF_FORMATS",
    "TABULAR_MEDIA_TYPES",
    "Endpoint",
    "Exchange",
    "Runner",
    "error_message",
    "media_type",
    "parse_rdf",
]

# mf:expectedFormat "boolean" / "tabular": the SPARQL 1.1 result formats (JSON, XML; CSV and TSV
# for SELECT only), by their registered media types.
BOOLEAN_MEDIA_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR_MEDIA_TYPES = (*BOOLEAN_MEDIA_TYPES, "text/csv", "text/tab-separated-values")
# mf:expectedFormat "RDF": the RDF media types rdflib parses, with the rdflib format for each.
# RDFa (which the manifest's comments also allow) is left out: rdflib 7 has no RDFa parser.
RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/trig": "trig",
    "application/n-quads": "nquads",
    "text/n3": "n3",
    "application/trix": "trix",
}
_QUAD_FORMATS = ("trig", "nquads", "trix")
_EXCERPT = 400


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type value without its parameters, lower-cased."""
    return (content_type or "").split(";")[0].strip().lower()


def _parameters(content_type: str) -> dict[str, str]:
    params = {}
    for item in content_type.split(";")[1:]:
        name, _, value = item.partition("=")
        params[name.strip().lower()] = value.strip().strip('"').lower()
    return params


def parse_rdf(body: bytes, content_type: str | None, base: str) -> Graph:
    """The triples of an RDF body (a quad format gives the union of its graphs)."""
    rdf_format = RDF_FORMATS.get(media_type(content_type))
    if rdf_format is None:
        raise ValueError(f"{content_type!r} is not an RDF media type this runner reads")
    if rdf_format in _QUAD_FORMATS:
        dataset = Dataset()
        dataset.parse(data=body, format=rdf_format, publicID=base)
        union = Graph()
        for s, p, o, _ in dataset.quads():
            union.add((s, p, o))
        return union
    return Graph().parse(data=body, format=rdf_format, publicID=base)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where the service under test answers, and the token that unlocks its writes."""

    base: str  # e.g. http://127.0.0.1:8123
    token: str | None
    sparql: str = "/sparql"
    store: str = "/store"

    def rewrite(self, path: str) -> str:
        """The manifest's ht:absolutePath on this service (`/sparql/` and `/gsp` prefixes)."""
        if path.startswith("/sparql/"):
            rest = path.removeprefix("/sparql/")
            return self.sparql + (rest if not rest or rest.startswith("?") else "/" + rest)
        if path == "/gsp" or path.startswith(("/gsp?", "/gsp/")):
            return self.store + path.removeprefix("/gsp")
        raise ValueError(f"the manifest path {path!r} has no mapping to this service")

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


@dataclass(slots=True)
class Exchange:
    """One request as sent and the response as received, for the failure report."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None
    response: httpx.Response
    problems: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """The exchange in a few lines: what was sent, what came back, what was wrong."""
        sent = [f"{self.method} {self.url}"]
        sent += [f"  {k}: {v}" for k, v in self.headers.items() if k.lower() != "authorization"]
        if self.body:
            sent.append(f"  body: {_excerpt(self.body)}")
        got = self.response
        lines = [
            *sent,
            f"-> {got.status_code} {got.headers.get('content-type', '(no content-type)')}"
            + (f" Location: {got.headers['location']}" if "location" in got.headers else ""),
        ]
        if got.content:
            lines.append(f"  body: {_excerpt(got.content)}")
        lines += [f"  PROBLEM: {problem}" for problem in self.problems]
        return "\n".join(lines)


def _excerpt(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace")
    return repr(text if len(text) <= _EXCERPT else text[:_EXCERPT] + "...")


class Runner:
    """Sends a manifest entry's requests to one service and checks each response."""

    def __init__(self, client: httpx.Client, endpoint: Endpoint) -> None:
        self.client = client
        self.endpoint = endpoint

    # -- set-up, through the service itself ------------------------------------------------

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update with the token; fail the test as a set-up error if refused."""
        response = self.client.post(
            self.endpoint.base + self.endpoint.sparql,
            content=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update", **self.endpoint.auth()},
        )
        if not response.is_success:
            raise AssertionError(
                f"set-up failed: the service refused the update {sparql[:200]!r}: "
                f"{response.status_code} {_excerpt(response.content)}"
            )

    def prepare(self, test: ManifestTest) -> None:
        """Empty the store, then load the entry's ut:graphData into the graphs they name."""
        self.update("DROP ALL")
        for data in test.graph_data:
            triples = data.file.read_text(encoding="utf-8")
            self.update(f"INSERT DATA {{ GRAPH <{data.graph}> {{\n{triples}\n}} }}")

    # -- the requests -----------------------------------------------------------------------

    def run(self, test: ManifestTest) -> list[Exchange]:
        """Prepare the store and send every request of `test`; raise on the first misfit."""
        self.prepare(test)
        exchanges: list[Exchange] = []
        variables: dict[str, str] = {}
        for step, request in enumerate(test.requests, start=1):
            exchange = self.send(request, variables)
            exchanges.append(exchange)
            exchange.problems.extend(self.check(request.response, exchange, variables))
            if exchange.problems:
                history = "\n\n".join(e.describe() for e in exchanges)
                raise AssertionError(
                    f"{test.id} ({test.name}): request {step} of {len(test.requests)} "
                    f"does not conform\n\n{history}"
                )
        return exchanges

    def send(self, request: HttpRequest, variables: dict[str, str]) -> Exchange:
        """Send one ht:Request as the manifest words it (plus the token)."""
        url = self.endpoint.base + self.endpoint.rewrite(substitute(request.path, variables))
        headers = {h.name: substitute(h.value, variables) for h in request.headers}
        body = None if request.body is None else request.body.encoded(variables)
        response = self.client.request(
            request.method, url, headers={**headers, **self.endpoint.auth()}, content=body
        )
        return Exchange(request.method, url, headers, body, response)

    def check(
        self, expected: ExpectedResponse, exchange: Exchange, variables: dict[str, str]
    ) -> Iterator[str]:
        """Every way the response misses what the manifest expects (nothing when it conforms)."""
        response = exchange.response
        if not expected.status_matches(response.status_code):
            yield f"status {response.status_code}, expected {expected.describe_statuses()}"
            return  # the rest describes a response of another kind: no use checking it
        content_type = response.headers.get("content-type")
        if expected.format is not None:
            yield from _check_format(expected.format, response)
        if expected.boolean is not None:
            yield from _check_boolean(expected.boolean, response)
        for header in expected.headers:
            yield from _check_header(header.name, header.value, response)
        if expected.body is not None:
            yield from _check_graph(expected, response, exchange.url, content_type)
        if expected.location_variable is not None:
            location = response.headers.get("location")
            if not location:
                yield "no Location header (the manifest expects one: mf:expectedLocation)"
            else:
                # a relative Location names the IRI it resolves to against the request URL
                variables[expected.location_variable] = urljoin(exchange.url, location)


def _read_results(response: httpx.Response) -> Result:
    kind = media_type(response.headers.get("content-type"))
    if kind not in TABULAR_MEDIA_TYPES:
        raise ValueError(f"{kind or 'no content-type'} is not a SPARQL results media type")
    return Result.parse(io.BytesIO(response.content), content_type=kind)


def _check_format(expected: str, response: httpx.Response) -> Iterator[str]:
    kind = media_type(response.headers.get("content-type"))
    if expected == "RDF":
        if kind not in RDF_FORMATS:
            yield f"content-type {kind!r} is not an RDF media type ({', '.join(RDF_FORMATS)})"
            return
        try:
            parse_rdf(response.content, kind, str(response.url))
        except Exception as exc:  # any parser error means "not RDF"
            yield f"the {kind} body does not parse as RDF: {exc}"
        return
    allowed = BOOLEAN_MEDIA_TYPES if expected == "boolean" else TABULAR_MEDIA_TYPES
    if kind not in allowed:
        yield f"content-type {kind!r} is not a {expected} result type ({', '.join(allowed)})"
        return
    try:
        result = _read_results(response)
    except Exception as exc:  # the parsers raise many kinds
        yield f"the {kind} body does not parse as SPARQL results: {exc}"
        return
    wanted = "ASK" if expected == "boolean" else "SELECT"
    if result.type != wanted:
        yield f"the result is a {result.type} result, expected {wanted} ({expected})"


def _check_boolean(expected: bool, response: httpx.Response) -> Iterator[str]:
    try:
        result = _read_results(response)
    except Exception as exc:
        yield f"cannot read a boolean from the response: {exc}"
        return
    if result.type != "ASK":
        yield f"the result is a {result.type} result, expected a boolean"
    elif result.askAnswer is not expected:
        yield f"boolean {str(result.askAnswer).lower()}, expected {str(expected).lower()}"


def _check_header(name: str, value: str, response: httpx.Response) -> Iterator[str]:
    actual = response.headers.get(name)
    if actual is None:
        yield f"no {name} header, expected {value!r}"
        return
    if name.lower() != "content-type":
        if actual != value:
            yield f"{name} is {actual!r}, expected {value!r}"
        return
    # a media type with parameters: the type must match, and each parameter the manifest
    # gives must be there with the same value (case-insensitive); others may follow
    wanted, got = _parameters(value), _parameters(actual)
    if media_type(actual) != media_type(value) or any(got.get(k) != v for k, v in wanted.items()):
        yield f"content-type is {actual!r}, expected {value!r}"


def _check_graph(
    expected: ExpectedResponse, response: httpx.Response, url: str, content_type: str | None
) -> Iterator[str]:
    assert expected.body is not None
    declared = next(
        (h.value for h in expected.headers if h.name.lower() == "content-type"), "text/turtle"
    )
    wanted = parse_rdf(expected.body.chars.encode("utf-8"), declared, url)
    try:
        got = parse_rdf(response.content, content_type, url)
    except Exception as exc:
        yield f"the response body does not parse as RDF ({content_type}): {exc}"
        return
    if not isomorphic(wanted, got):
        expected_nt = _canonical(wanted)
        actual_nt = _canonical(got)
        yield (
            "the graph is not isomorphic to the manifest's expected graph\n"
            f"    expected ({len(wanted)} triples):\n{expected_nt}\n"
            f"    got ({len(got)} triples):\n{actual_nt}"
        )


def _canonical(graph: Graph) -> str:
    """The graph as sorted N-Triples with canonical blank nodes, for a readable diff."""
    text = to_canonical_graph(graph).serialize(format="nt")
    return "\n".join(f"      {line}" for line in sorted(text.splitlines()) if line.strip())


def error_message(response: httpx.Response) -> str:
    """The service's `{"error": ...}` sentence, or '' when the body is not that shape."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return ""
    return body.get("error", "") if isinstance(body, dict) else ""
