"""The common questions as SPARQL: who said this, where does this claim come from, what did
this actor say.

User values never enter the query text: each is checked here, then handed to the engine as a
binding (`Store.select(..., bindings)`; the bound variable is in the projection, as pyoxigraph
requires). Each answer also carries the query as a user can run it: the same text with the
values written as a `VALUES` clause by pyoxigraph's own term serialiser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from service.rdf.registry import actor_iri
from service.read.queries import PREFIX_HEADER
from service.store import Store, iri_term, literal_term

__all__ = [
    "ACTOR_EXISTS",
    "ACTOR_STATEMENTS",
    "MAX_TEXT_CHARS",
    "SOURCE_OF",
    "WHO_SAID",
    "Answer",
    "InvalidInputError",
    "UnknownActorError",
    "actor_statements",
    "check_iri",
    "check_text",
    "shown",
    "source_of",
    "who_said",
]

MAX_TEXT_CHARS = 500
MAX_IRI_CHARS = 2_000
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class InvalidInputError(ValueError):
    """A value the question cannot take; the message says what to send instead."""


class UnknownActorError(LookupError):
    """No actor with that slug is known."""


@dataclass(frozen=True, slots=True)
class Answer:
    """Rows and the exact SPARQL (values shown bound) that produced them."""

    sparql: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    about: dict[str, Any] = field(default_factory=dict)

    def to_json(self, name: str) -> dict[str, Any]:
        return {**self.about, name: self.rows, "count": len(self.rows), "sparql": self.sparql}


# --- checks -----------------------------------------------------------------------------------


def check_text(text: str | None, what: str = "text") -> str:
    """Non-empty, at most MAX_TEXT_CHARS, no control characters but spaces."""
    if text is None or not text.strip():
        raise InvalidInputError(f"give the {what} to look for, e.g. ?{what}=language of force")
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInputError(
            f"the {what} is {len(text)} characters long; send at most {MAX_TEXT_CHARS}"
        )
    if any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        raise InvalidInputError(f"the {what} holds control characters; send plain text")
    return text.strip()


def check_iri(iri: str | None, what: str = "claim") -> str:
    """An absolute http(s) IRI with none of the characters an IRI may not hold."""
    if iri is None or not iri:
        raise InvalidInputError(f"give the {what} IRI, e.g. ?{what}=http://.../quantity/0")
    if len(iri) > MAX_IRI_CHARS:
        raise InvalidInputError(f"the {what} IRI is longer than {MAX_IRI_CHARS} characters")
    bad = _IRI_FORBIDDEN.search(iri)
    if bad is not None:
        raise InvalidInputError(
            f"the {what} IRI holds {bad.group()!r}, which an IRI may not hold "
            '(no spaces or <>"{}|\\^`)'
        )
    if not re.match(r"https?://[^/]", iri):
        raise InvalidInputError(f"the {what} IRI must be an absolute http:// or https:// IRI")
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise InvalidInputError(f"the {what} IRI is not a valid IRI: {exc}") from None
    return iri


def shown(sparql: str, bindings: dict[str, str]) -> str:
    """The query as a user can copy and run it: the values as a VALUES clause at the top of
    the WHERE block. The same solutions as the engine's substitution, because every query here
    uses a bound variable in triple patterns or in a FILTER at the top level only."""
    if not bindings:
        return sparql
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(bindings.values())
    where = sparql.index("WHERE {") + len("WHERE {")
    return f"{sparql[:where]}\n  VALUES ({names}) {{ ({terms}) }}{sparql[where:]}"


def _run(store: Store, sparql: str, bindings: dict[str, str]) -> tuple[list[dict], str]:
    return store.select(sparql, bindings), shown(sparql, bindings)


def _once(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """The first row per `key` (OPTIONAL joins can repeat a statement, e.g. two names)."""
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(row[key], row)
    return list(seen.values())


# --- who said ---------------------------------------------------------------------------------

WHO_SAID = (
    PREFIX_HEADER
    + """SELECT ?text ?statement ?speaker ?speakerName ?cue ?content
       ?statementType ?document ?outlet ?date ?sentence ?sentenceText ?begin ?end
       ?contentBegin ?contentEnd
WHERE {
  GRAPH ?document {
    ?statement a fg:Statement ; fg:content ?content ; fg:cue ?cue ; fg:speaker ?speaker ;
        fg:statementType ?statementType ; prov:wasDerivedFrom ?sentence .
    ?sentence nif:beginIndex ?begin ; nif:endIndex ?end ; nif:anchorOf ?sentenceText .
    OPTIONAL { ?speaker schema:name ?speakerName }
    OPTIONAL { ?statement fg:contentSpan ?span .
               ?span nif:beginIndex ?contentBegin ; nif:endIndex ?contentEnd }
    OPTIONAL { ?document schema:publisher/schema:name ?outlet }
    OPTIONAL { ?document schema:datePublished ?date }
  }
  FILTER(CONTAINS(LCASE(?content), LCASE(?text)))
}
ORDER BY ?date ?document ?begin ?statement
"""
)


def _local(iri: str | None) -> str | None:
    return None if iri is None else iri.rsplit("#", 1)[-1]


def _int(text: str | None) -> int | None:
    return None if text is None else int(text)


def _statement(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "statement": row["statement"],
        "speaker": {"iri": row["speaker"], "name": row["speakerName"]},
        "cue": row["cue"],
        "content": row["content"],
        "content_offsets": {"begin": _int(row["contentBegin"]), "end": _int(row["contentEnd"])},
        "type": _local(row["statementType"]),
        "document": row["document"],
        "outlet": row["outlet"],
        "date": row["date"],
        "sentence": {
            "iri": row["sentence"],
            "text": row["sentenceText"],
            "begin": _int(row["begin"]),
            "end": _int(row["end"]),
        },
    }


def who_said(store: Store, text: str | None) -> Answer:
    """Statements whose content contains `text` (case-insensitive), with who and where."""
    value = check_text(text)
    rows, sparql = _run(store, WHO_SAID, {"text": literal_term(value)})
    return Answer(sparql, [_statement(r) for r in _once(rows, "statement")], {"text": value})


# --- source of --------------------------------------------------------------------------------

SOURCE_OF = (
    PREFIX_HEADER
    + """SELECT ?claim ?kind ?document ?outlet ?date ?sentence ?sentenceText
       ?begin ?end ?mention ?mentionBegin ?mentionEnd ?run ?startedAt ?endedAt ?software
       ?softwareVersion ?model ?modelVersion ?statement ?claimant ?claimantName
WHERE {
  GRAPH ?document {
    ?claim a ?kind ; schema:appearance ?document ; prov:wasDerivedFrom ?sentence ;
        prov:wasGeneratedBy ?run .
    FILTER(?kind IN (fg:Statement, fg:QuantityClaim, fg:DateClaim))
    ?sentence nif:beginIndex ?begin ; nif:endIndex ?end ; nif:anchorOf ?sentenceText .
    OPTIONAL { ?document schema:publisher/schema:name ?outlet }
    OPTIONAL { ?document schema:datePublished ?date }
    OPTIONAL { ?claim fg:mention|fg:contentSpan ?span .
               ?span nif:anchorOf ?mention ; nif:beginIndex ?mentionBegin ;
                   nif:endIndex ?mentionEnd }
    OPTIONAL { ?run prov:startedAtTime ?startedAt ; prov:endedAtTime ?endedAt }
    OPTIONAL { ?run prov:wasAssociatedWith ?software .
               OPTIONAL { ?software schema:softwareVersion ?softwareVersion }
               OPTIONAL { ?software fg:spacyModel ?model }
               OPTIONAL { ?software fg:spacyModelVersion ?modelVersion } }
    OPTIONAL { ?claim fg:statement ?statement }
    OPTIONAL { ?claim fg:claimedBy|fg:speaker ?claimant
               OPTIONAL { ?claimant schema:name ?claimantName } }
  }
}
LIMIT 10
"""
)


def source_of(store: Store, claim: str | None) -> Answer:
    """Where a claim comes from: document, outlet, sentence, offsets, run and versions."""
    iri = check_iri(claim)
    rows, sparql = _run(store, SOURCE_OF, {"claim": iri_term(iri)})
    answers = []
    for row in rows[:1]:  # one claim: one document, one sentence, one run
        answers.append(
            {
                "claim": row["claim"],
                "kind": _local(row["kind"]),
                "document": row["document"],
                "outlet": row["outlet"],
                "date": row["date"],
                "sentence": {
                    "iri": row["sentence"],
                    "text": row["sentenceText"],
                    "begin": _int(row["begin"]),
                    "end": _int(row["end"]),
                },
                "mention": {
                    "text": row["mention"],
                    "begin": _int(row["mentionBegin"]),
                    "end": _int(row["mentionEnd"]),
                },
                "extraction": {
                    "run": row["run"],
                    "started": row["startedAt"],
                    "ended": row["endedAt"],
                    "software": row["software"],
                    "software_version": row["softwareVersion"],
                    "spacy_model": row["model"],
                    "spacy_model_version": row["modelVersion"],
                },
                "statement": row["statement"],
                "claimant": {"iri": row["claimant"], "name": row["claimantName"]},
            }
        )
    return Answer(sparql, answers, {"claim": iri})


# --- an actor's statements --------------------------------------------------------------------

ACTOR_EXISTS = PREFIX_HEADER + """SELECT ?actor ?name WHERE { ?actor schema:name ?name } LIMIT 1"""

ACTOR_STATEMENTS = (
    PREFIX_HEADER
    + """SELECT ?actor ?statement ?speaker ?speakerName ?cue ?content
       ?statementType ?document ?outlet ?date ?sentence ?sentenceText ?begin ?end
       ?contentBegin ?contentEnd ?citedBy ?citedByName
WHERE {
  GRAPH ?document {
    ?statement a fg:Statement ; fg:speaker ?actor ; fg:content ?content ; fg:cue ?cue ;
        fg:statementType ?statementType ; prov:wasDerivedFrom ?sentence .
    BIND(?actor AS ?speaker)
    ?sentence nif:beginIndex ?begin ; nif:endIndex ?end ; nif:anchorOf ?sentenceText .
    OPTIONAL { ?actor schema:name ?speakerName }
    OPTIONAL { ?statement fg:contentSpan ?span .
               ?span nif:beginIndex ?contentBegin ; nif:endIndex ?contentEnd }
    OPTIONAL { ?document schema:publisher/schema:name ?outlet }
    OPTIONAL { ?document schema:datePublished ?date }
    OPTIONAL { ?statement fg:nestedIn/fg:speaker ?citedBy
               OPTIONAL { ?citedBy schema:name ?citedByName } }
  }
}
ORDER BY ?date ?document ?begin ?statement
"""
)


def actor_statements(store: Store, base_iri: str, slug: str) -> Answer:
    """What the actor said, where, when, and who reported it (the outlet, and whoever the
    outlet cites it through)."""
    if len(slug) > 200 or not _SLUG.fullmatch(slug):
        raise InvalidInputError(
            f"{slug[:60]!r} is not an actor slug; slugs look like 'islamic-resistance-in-iraq'"
        )
    iri = str(actor_iri(base_iri, slug))
    bindings = {"actor": iri_term(iri)}
    known = store.select(ACTOR_EXISTS, bindings)
    if not known:
        raise UnknownActorError(f"no actor {slug!r} is known; GET /sparql can list actors")
    rows, sparql = _run(store, ACTOR_STATEMENTS, bindings)
    statements = []
    for row in _once(rows, "statement"):
        entry = _statement(row)
        entry["reported_by"] = {
            "outlet": row["outlet"],
            "via": None
            if row["citedBy"] is None
            else {
                "iri": row["citedBy"],
                "name": row["citedByName"],
            },
        }
        statements.append(entry)
    about = {"actor": {"iri": iri, "slug": slug, "name": known[0]["name"]}}
    return Answer(sparql, statements, about)
