"""JSON-LD a person can read: Oxigraph's expanded output, compacted with the project's prefixes.

Oxigraph writes JSON-LD in expanded form (every key a full IRI, no `@context`). This rewrites
it as `{"@context": {prefix: namespace, ...}, "@graph": [...]}` with compact IRIs (`schema:name`)
for keys, node ids and datatypes, and `rdf:type` as `@type`: the same triples, as a JSON-LD
processor reads them back. Only the prefixes used go into the context. It imports nothing but
json, so a query worker can use it and still start fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

__all__ = ["compact_jsonld", "compact_jsonld_graphs"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class _Compactor:
    def __init__(self, prefixes: Mapping[str, str]) -> None:
        # The longest namespace first, so that a nested one wins over its parent.
        self._namespaces = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.used: dict[str, str] = {}

    def iri(self, value: str) -> str:
        for prefix, namespace in self._namespaces:
            if value.startswith(namespace) and len(value) > len(namespace):
                local = value[len(namespace) :]
                if local.startswith("//"):  # `p://...` would read as an absolute IRI
                    break
                self.used[prefix] = namespace
                return f"{prefix}:{local}"
        return value

    def node(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.node(item) for item in value]
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "@id" or (key == "@type" and isinstance(item, str)):
                out[key] = self.iri(item) if not item.startswith("_:") else item
            elif key == _RDF_TYPE and _all_iris(item):
                out["@type"] = [self.iri(ref["@id"]) for ref in item]
            elif key.startswith("@"):
                out[key] = self.node(item)
            else:
                out[self.iri(key)] = self.node(item)
        return out


def _all_iris(values: Any) -> bool:
    """True for a list of node references to IRIs (`[{"@id": "http..."}]`), as `@type` takes."""
    return isinstance(values, list) and all(
        isinstance(v, dict) and set(v) == {"@id"} and not v["@id"].startswith("_:")
        for v in values
    )


def compact_jsonld(expanded: bytes, prefixes: Mapping[str, str]) -> bytes:
    """The expanded JSON-LD document `expanded`, compacted with `prefixes`."""
    compactor = _Compactor(prefixes)
    graph = compactor.node(json.loads(expanded))
    if not isinstance(graph, list):
        graph = [graph]
    context = dict(sorted(compactor.used.items()))
    return json.dumps({"@context": context, "@graph": graph}, ensure_ascii=False).encode()


def compact_jsonld_graphs(graphs: Iterable[bytes], prefixes: Mapping[str, str]) -> Iterator[bytes]:
    """One compacted JSON-LD document, written as it goes, from the expanded JSON-LD of one
    graph at a time: a whole-store export held in memory one graph, not one dataset, at a
    time. The context comes first, so it declares every prefix rather than those used."""
    compactor = _Compactor(prefixes)
    context = json.dumps(dict(sorted(prefixes.items())), ensure_ascii=False)
    yield f'{{"@context": {context}, "@graph": ['.encode()
    first = True
    for expanded in graphs:
        nodes = compactor.node(json.loads(expanded or b"[]"))
        for node in nodes if isinstance(nodes, list) else [nodes]:
            yield (b"" if first else b",\n") + json.dumps(node, ensure_ascii=False).encode()
            first = False
    yield b"]}\n"
