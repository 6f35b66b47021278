"""Import ClaimReview JSON-LD (one review, a list, or a Data Commons `DataFeed`).

Each review goes to its own named graph `{base}id/claimreview/{hash}` (the hash of its url and
claimReviewed, so importing it again replaces it), as schema: triples with its provenance
(`prov:wasDerivedFrom` its url, `prov:generatedAtTime`) and its link to the stored claim it
reviews (`fg:reviews`, and an `fg:ReviewLink` with the matcher's score and method), or none.
A review that lacks fields Google's markup requires is imported with a warning naming them
(`markup.py`); a field that is there but wrong is refused. The JSON is checked and rewritten
before rdflib reads it: only schema.org's context is accepted and it is replaced by an inline
one (nothing is ever fetched), nested `@id`s become `sameAs` (a review cannot say things about
the service's own nodes), and only schema.org properties are kept.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from service.claimreview.claims import find_candidates
from service.claimreview.markup import warning
from service.claimreview.matching import Match, ReviewSignals, match_review
from service.pipeline.documents import decode_utf8
from service.rdf import iris
from service.rdf.input_limits import NestingTooDeepError, refuse_deep
from service.rdf.vocab import FG, PROV, RDF, SDO, XSD, new_graph
from service.store import Store

__all__ = [
    "INLINE_CONTEXT",
    "ClaimReviewError",
    "ImportedReview",
    "import_claimreviews",
    "parse_claimreviews",
    "to_graph",
]

INLINE_CONTEXT: dict[str, Any] = {
    "@vocab": str(SDO),
    "url": {"@type": "@id"},
    "sameAs": {"@type": "@id"},
}
_SCHEMA_CONTEXTS = frozenset(
    f"{scheme}://schema.org{slash}" for scheme in ("http", "https") for slash in ("", "/")
)
_SCHEMA_PREFIXES = ("schema:", "http://schema.org/", "https://schema.org/")
_REFUSED_KEYWORDS = frozenset({"@graph", "@reverse", "@included", "@nest", "@context"})
_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
_MAX_DEPTH = 20


class ClaimReviewError(ValueError):
    """The body cannot be imported; the message says where and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class ImportedReview:
    iri: str
    url: str | None
    claim_reviewed: str | None
    rating: str | None
    matches: tuple[Match, ...]
    warning: str | None = None  # the fields of Google's markup it lacks

    def to_json(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "url": self.url,
            "claimReviewed": self.claim_reviewed,
            "rating": self.rating,
            "matches": [m.to_json() for m in self.matches],
            "warning": self.warning,
        }


# ---------------------------------------------------------------- reading the JSON


def _types(node: dict[str, Any]) -> set[str]:
    """The schema.org type names of a node ("schema:ClaimReview" -> "ClaimReview")."""
    raw = node.get("@type", [])
    names = raw if isinstance(raw, list) else [raw]
    found = set()
    for name in names:
        if isinstance(name, str):
            for prefix in _SCHEMA_PREFIXES:
                if name.startswith(prefix):
                    name = name[len(prefix) :]
                    break
            found.add(name)
    return found


def _check_context(node: dict[str, Any], where: str) -> None:
    context = node.get("@context")
    if context is None:
        return
    contexts = context if isinstance(context, list) else [context]
    if not all(isinstance(c, str) and c in _SCHEMA_CONTEXTS for c in contexts):
        raise ClaimReviewError(
            f"{where} has an @context other than schema.org's ({json.dumps(context)[:80]}); "
            'use "@context": "https://schema.org" (other contexts are never fetched)'
        )


def _reviews(data: Any, where: str, depth: int = 0) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each ClaimReview in a review, a list, an @graph, or a DataFeed's elements' items."""
    if depth > 4:
        raise ClaimReviewError(f"{where} nests feeds and lists too deeply")
    if isinstance(data, list):
        for i, item in enumerate(data):
            yield from _reviews(item, f"{where}[{i}]", depth + 1)
        return
    if not isinstance(data, dict):
        raise ClaimReviewError(f"{where} is {type(data).__name__}, not a ClaimReview object")
    _check_context(data, where)
    types = _types(data)
    if "ClaimReview" in types:
        yield where, data
    elif "DataFeed" in types:
        elements = data.get("dataFeedElement")
        if not isinstance(elements, list | dict):
            raise ClaimReviewError(f"{where} is a DataFeed without dataFeedElement")
        yield from _reviews(elements, f"{where}.dataFeedElement", depth + 1)
    elif "DataFeedItem" in types or ("item" in data and "@type" not in data):
        if "item" not in data:
            raise ClaimReviewError(f"{where} is a DataFeedItem without item")
        yield from _reviews(data["item"], f"{where}.item", depth + 1)
    elif "@graph" in data and "@type" not in data:
        yield from _reviews(data["@graph"], f"{where}.@graph", depth + 1)
    else:
        found = ", ".join(sorted(types)) or "no @type"
        raise ClaimReviewError(
            f"{where} is not a ClaimReview (it has {found}); send ClaimReview objects, a list "
            "of them, or a schema.org DataFeed whose dataFeedElement items are ClaimReviews"
        )


def _text(value: Any) -> str | None:
    """A plain string, or the @value of a value object."""
    if isinstance(value, dict):
        value = value.get("@value")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _check_review(review: dict[str, Any], where: str) -> tuple[str | None, str | None]:
    """The review's claimReviewed and url, None where missing (the import warns of it); a
    value that is there but wrong (a url that is no http(s) URL, a number for a text) is
    refused."""
    given = review.get("claimReviewed")
    claim = _text(given)
    if given is not None and claim is None and not (isinstance(given, str) and not given.strip()):
        raise ClaimReviewError(f"{where}.claimReviewed is not text")
    url = _text(review.get("url"))
    if review.get("url") is not None and (url is None or not _IRI.fullmatch(url)):
        raise ClaimReviewError(f"{where} has a url that is not an absolute http(s) URL")
    for key in ("reviewRating", "itemReviewed", "author"):
        values = review.get(key)
        values = values if isinstance(values, list) else [values]
        if any(v is not None and not isinstance(v, dict | str) for v in values):
            raise ClaimReviewError(f"{where}.{key} is neither an object nor a string")
    if claim is None and url is None and not review.get("itemReviewed"):
        raise ClaimReviewError(
            f"{where} says nothing of what it reviews: it has no claimReviewed, no "
            "itemReviewed and no url (Google's ClaimReview markup requires claimReviewed, "
            "reviewRating and url)"
        )
    return claim, url


def parse_claimreviews(raw: bytes) -> list[tuple[str, dict[str, Any]]]:
    """The reviews in a request body, each with where it was; ClaimReviewError otherwise."""
    text = decode_utf8(raw)  # EncodingError for bytes that are not UTF-8
    try:
        refuse_deep(text, "the body", json=True)
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ClaimReviewError(f"the body is not JSON: {exc.msg} at line {exc.lineno}") from None
    except (RecursionError, NestingTooDeepError):
        raise ClaimReviewError("the body nests JSON too deeply") from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        reason = str(exc).split(":")[0]
        raise ClaimReviewError(f"the body is JSON this service cannot read: {reason}") from None
    found = list(_reviews(data, "the body"))
    if not found:
        raise ClaimReviewError("the body holds no ClaimReview")
    for where, review in found:
        _check_review(review, where)
    return found


# ---------------------------------------------------------------- signals for matching


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def signals(review: dict[str, Any]) -> ReviewSignals:
    """What the matcher uses: claimReviewed, the claimant's names, the item's IRIs, URLs."""
    names: list[str] = []
    ids: list[str] = []
    urls: list[str] = []
    for item in _as_list(review.get("itemReviewed")):
        if not isinstance(item, dict):
            continue
        ids += [i for i in [item.get("@id"), *_as_list(item.get("sameAs"))] if isinstance(i, str)]
        for author in _as_list(item.get("author")):
            if isinstance(author, dict):
                names += [n for n in map(_text, _as_list(author.get("name"))) if n]
            elif _text(author):
                names.append(str(_text(author)))
        for key in ("appearance", "firstAppearance"):
            for place in _as_list(item.get(key)):
                url = place.get("url") if isinstance(place, dict) else place
                urls += [u for u in _as_list(url) if isinstance(u, str)]
    return ReviewSignals(
        claim_reviewed=_text(review.get("claimReviewed")) or "",
        author_names=tuple(dict.fromkeys(names)),
        item_ids=tuple(dict.fromkeys(ids)),
        appearance_urls=tuple(dict.fromkeys(urls)),
    )


def _rating(review: dict[str, Any]) -> str | None:
    for rating in _as_list(review.get("reviewRating")):
        if isinstance(rating, dict):
            name = _text(rating.get("alternateName")) or _text(rating.get("name"))
            if name:
                return name
            if rating.get("ratingValue") is not None:
                return str(rating["ratingValue"])
    return None


# ---------------------------------------------------------------- JSON to RDF


def _clean(node: Any, where: str, depth: int = 0) -> Any:
    """A copy with schema.org terms only, nested @ids as sameAs, and no keyword that could
    name other graphs or subjects."""
    if depth > _MAX_DEPTH:
        raise ClaimReviewError(f"{where} nests objects more than {_MAX_DEPTH} deep")
    if isinstance(node, list):
        return [_clean(v, where, depth + 1) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    same_as = _as_list(node.get("sameAs"))
    for key, value in node.items():
        if key in _REFUSED_KEYWORDS:
            if key == "@context":
                continue  # checked already: schema.org's, replaced by the inline one
            raise ClaimReviewError(f"{where} uses {key}, which a ClaimReview import does not take")
        if key == "@id":
            if isinstance(value, str) and _IRI.fullmatch(value):
                same_as.append(value)
        elif key == "@type":
            kept = sorted(_types(node) - {t for t in _types(node) if ":" in t})
            if kept:
                out["@type"] = kept
        elif key in ("url", "sameAs"):
            continue  # added below, IRIs checked
        elif key.startswith("@") or ":" not in key:
            out[key] = _clean(value, f"{where}.{key}", depth + 1)
    urls = [u for u in _as_list(node.get("url")) if u is not None]
    for name, values in (("url", urls), ("sameAs", same_as)):
        kept = [v if isinstance(v, str) and _IRI.fullmatch(v) else {"@value": str(v)}
                for v in values if isinstance(v, str | int | float)]
        if kept:
            out[name] = kept
    return out


def to_graph(
    review: dict[str, Any], iri: str, where: str, matches: Sequence[Match], now: datetime
) -> Graph:
    """The review as schema: triples under `iri`, with provenance and `fg:reviews` links."""
    body = _clean({k: v for k, v in review.items() if k != "@id"}, where)
    own = review.get("@id")
    if isinstance(own, str) and own != iri and _IRI.fullmatch(own):
        body.setdefault("sameAs", []).append(own)
    body.update({"@context": INLINE_CONTEXT, "@id": iri})
    try:
        parsed = Graph().parse(data=json.dumps(body), format="json-ld", base=iri)
    except Exception as exc:  # rdflib's JSON-LD errors have many types; the client needs one
        raise ClaimReviewError(f"{where} is not valid JSON-LD: {str(exc)[:200]}") from None
    node = URIRef(iri)
    graph = new_graph(node)
    for s, p, o in parsed:
        if not (s == node or isinstance(s, BNode)) or not str(p).startswith((str(SDO), str(RDF))):
            raise ClaimReviewError(f"{where} describes {s} besides the review")
        graph.add((s, p, o))
    graph.add((node, RDF.type, SDO.ClaimReview))
    graph.add((node, RDF.type, PROV.Entity))
    url = _text(review.get("url"))
    if url:
        graph.add((node, PROV.wasDerivedFrom, URIRef(url)))
    when = Literal(now.isoformat(), datatype=XSD.dateTime)
    graph.add((node, PROV.generatedAtTime, when))
    for found in matches:
        _link_triples(graph, node, found, when)
    return graph


def _link_triples(graph: Graph, review: URIRef, found: Match, when: Literal) -> None:
    """The review's link to a claim: the plain `fg:reviews`, and the link as a node of its own
    (`fg:ReviewLink`) with the score and the method that found it."""
    claim = URIRef(found.claim)
    link = URIRef(iris.review_link(str(review), found.claim))
    graph.add((review, FG.reviews, claim))
    graph.add((link, RDF.type, FG.ReviewLink))
    graph.add((link, RDF.type, PROV.Entity))
    graph.add((link, FG.linkedReview, review))
    graph.add((link, FG.linkedClaim, claim))
    graph.add((link, FG.score, Literal(format(Decimal(str(found.score)), "f"),
                                       datatype=XSD.decimal)))
    graph.add((link, FG.method, Literal(found.method)))
    graph.add((link, PROV.generatedAtTime, when))


def _storable(graph: Graph, where: str) -> bytes:
    """The graph as the N-Triples the store takes, checked by the store's own parser (rdflib
    writes IRIs Oxigraph refuses, such as one holding a control character)."""
    data = graph.serialize(format="nt", encoding="utf-8")
    try:
        for _ in ox.parse(data, ox.RdfFormat.N_TRIPLES):
            pass
    except SyntaxError as exc:
        reason = str(exc).split(": ", 1)[-1].split("(line")[0].strip()  # not our lines
        raise ClaimReviewError(f"{where} cannot be stored, so nothing was: {reason}") from None
    return data


def _identity(review: dict[str, Any], url: str | None) -> str:
    """What names a review across imports: its url, else its own @id, else its content."""
    own = review.get("@id")
    if url:
        return url
    if isinstance(own, str) and own:
        return own
    return hashlib.sha256(json.dumps(review, sort_keys=True).encode("utf-8")).hexdigest()


def import_claimreviews(store: Store, raw: bytes, base_iri: str) -> list[ImportedReview]:
    """All or nothing: every review is checked, matched and turned into the triples the store
    takes before the first is stored; one that cannot be is a ClaimReviewError naming it, and
    the store is left as it was."""
    found = parse_claimreviews(raw)
    now = datetime.now(UTC).replace(microsecond=0)
    prepared = []
    for where, review in found:
        claim, url = _check_review(review, where)
        iri = iris.claimreview(base_iri, _identity(review, url), claim or "")
        wanted = signals(review)
        matches = tuple(match_review(wanted, find_candidates(store, wanted)))
        data = _storable(to_graph(review, iri, where, matches, now), where)
        imported = ImportedReview(
            iri, url, claim, _rating(review), matches, warning(where, review)
        )
        prepared.append((imported, data))
    for imported, data in prepared:
        store.replace_graph(imported.iri, data)
    return [imported for imported, _ in prepared]
