"""Read the W3C test manifests (mf:, ht:, cnt:, ut:) with rdflib into plain Python records.

The manifests are the specification of the tests: the runner reads them rather than restating
them, so an updated copy of the suite is picked up without touching the test modules.

Terms read, per entry (an `mf:entries` item, in list order; `mf:include` lists are followed):
  mf:name, rdf:type, mf:requires (features the endpoint must offer), dawgt:approval;
  ut:graphData [ ut:graph <file> ; rdfs:label "graph IRI" ] (data loaded before the test);
  mf:action [ ht:requests ( ht:Request ... ) ] with ht:methodName, ht:absolutePath,
  ht:headers ( [ ht:fieldName ; ht:fieldValue ] ), ht:body [ cnt:chars ; cnt:characterEncoding ];
  ht:resp with mf:expectedStatus (hts: codes or hts:StatusCodeNxx classes), mf:expectedBoolean,
  mf:expectedFormat ("boolean", "tabular", "RDF"), mf:expectedLocation (a template variable
  for the Location header), and the expected ht:headers and ht:body of the response.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

__all__ = [
    "CNT",
    "DAWGT",
    "HT",
    "HTS",
    "MF",
    "SUITE",
    "UT",
    "Body",
    "ExpectedResponse",
    "GraphData",
    "Header",
    "HttpRequest",
    "ManifestError",
    "ManifestTest",
    "load_manifest",
]

SUITE = Path(__file__).resolve().parent / "w3c-sparql11"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")

# hts: names are the RFC 2616 reason phrases run together (hts:NoContent, hts:NotFound...).
_STATUS_BY_NAME = {re.sub(r"[^A-Za-z]", "", status.phrase): status.value for status in HTTPStatus}
_STATUS_CLASS = re.compile(r"StatusCode([1-5])xx")


class ManifestError(ValueError):
    """The manifest says something this reader does not understand: fail loudly, never guess."""


@dataclass(frozen=True, slots=True)
class Header:
    """One ht:RequestHeader or ht:ResponseHeader."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Body:
    """A cnt:ContentAsText body: the characters and the encoding they go on the wire in."""

    chars: str
    encoding: str = "UTF-8"

    def encoded(self, variables: dict[str, str] | None = None) -> bytes:
        """The bytes to send, after substituting template variables (mf:expectedLocation)."""
        return substitute(self.chars, variables).encode(self.encoding)


@dataclass(frozen=True, slots=True)
class ExpectedResponse:
    """What one request must answer; an unset field is not checked."""

    statuses: tuple[str, ...]  # hts: local names, e.g. ("StatusCode2xx", "StatusCode3xx")
    boolean: bool | None = None
    format: str | None = None  # "boolean", "tabular" or "RDF"
    location_variable: str | None = None  # e.g. "$LOCATION$"
    headers: tuple[Header, ...] = ()
    body: Body | None = None

    def status_matches(self, code: int) -> bool:
        """Whether `code` is one of the expected codes or in one of the expected classes."""
        return any(_status_matches(name, code) for name in self.statuses)

    def describe_statuses(self) -> str:
        """The expected statuses as a person reads them: '2xx or 3xx', '201 (Created)'."""
        return " or ".join(_describe_status(name) for name in self.statuses)


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """One ht:Request of a test, with its manifest path (rewritten by the runner)."""

    method: str
    path: str
    headers: tuple[Header, ...]
    body: Body | None
    response: ExpectedResponse

    def header(self, name: str) -> str | None:
        """The value of the request header `name` (case-insensitive), if the manifest sets it."""
        for header in self.headers:
            if header.name.lower() == name.lower():
                return header.value
        return None


@dataclass(frozen=True, slots=True)
class GraphData:
    """A ut:graphData item: a data file to load into the named graph its label names."""

    file: Path
    graph: str


@dataclass(frozen=True, slots=True)
class ManifestTest:
    """One manifest entry: its id (the IRI's local name), what it needs, and its requests."""

    id: str
    iri: str
    name: str
    kind: str  # rdf:type local name: ProtocolTest, GraphStoreProtocolTest...
    manifest: Path
    requires: frozenset[str] = frozenset()
    approval: str | None = None
    graph_data: tuple[GraphData, ...] = ()
    requests: tuple[HttpRequest, ...] = field(default=())


def substitute(text: str, variables: dict[str, str] | None) -> str:
    """`text` with each template variable (e.g. $LOCATION$) replaced by its value."""
    for name, value in (variables or {}).items():
        text = text.replace(name, value)
    return text


def _status_matches(name: str, code: int) -> bool:
    if match := _STATUS_CLASS.fullmatch(name):
        return code // 100 == int(match.group(1))
    return _STATUS_BY_NAME[name] == code


def _describe_status(name: str) -> str:
    if match := _STATUS_CLASS.fullmatch(name):
        return f"{match.group(1)}xx"
    return f"{_STATUS_BY_NAME[name]} ({name})"


def _path(node: Node) -> Path:
    """The local file a file: IRI names (the manifests are parsed with file: base IRIs)."""
    parsed = urlparse(str(node))
    if parsed.scheme != "file":
        raise ManifestError(f"{node} is not a local file")
    return Path(url2pathname(parsed.path))


def _local(node: Node) -> str:
    text = str(node)
    return re.split(r"[#/]", text)[-1]


def _one(graph: Graph, subject: Node, predicate: URIRef) -> Node | None:
    values = list(graph.objects(subject, predicate))
    if len(values) > 1:
        raise ManifestError(f"{subject} has {len(values)} values for {predicate}, expected one")
    return values[0] if values else None


def _text(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    value = _one(graph, subject, predicate)
    return None if value is None else str(value)


def _list(graph: Graph, subject: Node, predicate: URIRef) -> list[Node]:
    head = _one(graph, subject, predicate)
    return [] if head is None else list(Collection(graph, head))


def _headers(graph: Graph, subject: Node) -> tuple[Header, ...]:
    headers = []
    for node in _list(graph, subject, HT.headers):
        name, value = _text(graph, node, HT.fieldName), _text(graph, node, HT.fieldValue)
        if name is None or value is None:
            raise ManifestError(f"a header of {subject} lacks ht:fieldName or ht:fieldValue")
        headers.append(Header(name, value))
    return tuple(headers)


def _body(graph: Graph, subject: Node) -> Body | None:
    node = _one(graph, subject, HT.body)
    if node is None:
        return None
    chars = _text(graph, node, CNT.chars)
    if chars is None:
        raise ManifestError(f"the body of {subject} has no cnt:chars")
    return Body(chars, _text(graph, node, CNT.characterEncoding) or "UTF-8")


def _response(graph: Graph, request: Node) -> ExpectedResponse:
    node = _one(graph, request, HT.resp)
    if node is None:
        raise ManifestError(f"request {request} has no ht:resp")
    statuses = tuple(sorted(_local(s) for s in graph.objects(node, MF.expectedStatus)))
    for name in statuses:
        if not _STATUS_CLASS.fullmatch(name) and name not in _STATUS_BY_NAME:
            raise ManifestError(f"unknown status hts:{name}")
    if not statuses:
        raise ManifestError(f"the response of {request} has no mf:expectedStatus")
    boolean = _one(graph, node, MF.expectedBoolean)
    if boolean is not None and not (isinstance(boolean, Literal) and boolean.datatype):
        raise ManifestError(f"mf:expectedBoolean of {request} is not a typed literal")
    result_format = _text(graph, node, MF.expectedFormat)
    if result_format not in (None, "boolean", "tabular", "RDF"):
        raise ManifestError(f"unknown mf:expectedFormat {result_format!r}")
    return ExpectedResponse(
        statuses=statuses,
        boolean=None if boolean is None else bool(boolean.toPython()),
        format=result_format,
        location_variable=_text(graph, node, MF.expectedLocation),
        headers=_headers(graph, node),
        body=_body(graph, node),
    )


def _request(graph: Graph, node: Node) -> HttpRequest:
    method, path = _text(graph, node, HT.methodName), _text(graph, node, HT.absolutePath)
    if method is None or path is None:
        raise ManifestError(f"request {node} lacks ht:methodName or ht:absolutePath")
    return HttpRequest(
        method, path, _headers(graph, node), _body(graph, node), _response(graph, node)
    )


def _test(graph: Graph, entry: URIRef, manifest: Path) -> ManifestTest:
    kinds = [t for t in graph.objects(entry, RDF.type) if str(t).startswith(str(MF))]
    if len(kinds) != 1:
        raise ManifestError(f"{entry} has no single mf: test type")
    graph_data = []
    for node in graph.objects(entry, UT.graphData):
        source, label = _one(graph, node, UT.graph), _text(graph, node, RDFS.label)
        if source is None or label is None:
            raise ManifestError(f"a ut:graphData of {entry} lacks ut:graph or rdfs:label")
        graph_data.append(GraphData(_path(source), label))
    action = _one(graph, entry, MF.action)
    requests = (
        ()
        if action is None
        else tuple(_request(graph, node) for node in _list(graph, action, HT.requests))
    )
    approval = _one(graph, entry, DAWGT.approval)
    return ManifestTest(
        id=_local(entry),
        iri=str(entry),
        name=_text(graph, entry, MF.name) or _local(entry),
        kind=_local(kinds[0]),
        manifest=manifest,
        requires=frozenset(_local(f) for f in graph.objects(entry, MF.requires)),
        approval=None if approval is None else _local(approval),
        # rdflib's set of triples has no order; sort so the load order is the same every run
        graph_data=tuple(sorted(graph_data, key=lambda data: (data.graph, str(data.file)))),
        requests=requests,
    )


def load_manifest(path: Path) -> list[ManifestTest]:
    """The entries of the manifest at `path` and of the manifests it includes, in list order."""
    path = path.resolve()
    graph = Graph().parse(path, format="turtle", publicID=path.as_uri())
    manifest = URIRef(path.as_uri())
    if (manifest, RDF.type, MF.Manifest) not in graph:
        raise ManifestError(f"{path} does not describe itself as an mf:Manifest")
    tests = []
    for included in _list(graph, manifest, MF.include):
        tests.extend(load_manifest(_path(included)))
    for entry in _list(graph, manifest, MF.entries):
        if not isinstance(entry, URIRef):
            raise ManifestError(f"an entry of {path} is not an IRI")
        tests.append(_test(graph, entry, path))
    ids = [test.id for test in tests]
    if len(ids) != len(set(ids)):
        raise ManifestError(f"{path}: entry names are not unique: {ids}")
    return tests
