"""The shapes news gives its attributions, one example each: who said what, with which words.

Each case is a sentence written for this test (no corpus text), with the statements a reader
finds in it as (speaker as written, cue, content)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from service.pipeline.documents import Document
from service.pipeline.extract import extract_documents, load_pipeline
from service.pipeline.records import Extraction


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def extract(nlp: Language, text: str) -> Extraction:
    (extraction,) = extract_documents(nlp, [Document(text=text)])
    return extraction


def said(nlp: Language, text: str) -> list[tuple[str | None, str, str]]:
    return [
        (s.speaker_mention.text if s.speaker_mention else None, s.cue.text, s.content.text)
        for s in extract(nlp, text).statements
    ]


@pytest.mark.parametrize(
    ("text", "statements"),
    [
        pytest.param(
            "The harbour, the mayor said, will reopen in May.",
            [("the mayor", "said", "The harbour"), ("the mayor", "said", "will reopen in May")],
            id="a speaker set off inside the sentence splits the words in two contents",
        ),
        pytest.param(
            "As the auditor noted in his report, the budget was never balanced.",
            [("the auditor", "noted", "the budget was never balanced")],
            id="as X noted",
        ),
        pytest.param(
            "A new survey by the institute shows that most farmers expect lower yields.",
            [("A new survey by the institute", "shows", "most farmers expect lower yields")],
            id="an artefact as the source",
        ),
        pytest.param(
            "Fuel prices will rise again, according to the energy ministry.",
            [("the energy ministry", "according to", "Fuel prices will rise again")],
            id="according to",
        ),
        pytest.param(
            "The plan was criticised by the opposition leader as reckless.",
            [("the opposition leader", "criticised", "The plan")],
            id="a passive with its agent",
        ),
        pytest.param(
            "The governor declined to say whether she would sign the bill.",
            [("The governor", "declined", "to say whether she would sign the bill")],
            id="a refusal to say is the statement",
        ),
        pytest.param(
            "The union called for the strike to end by Monday.",
            [("The union", "called", "the strike to end by Monday")],
            id="called for X to do Y",
        ),
        pytest.param(
            "The minister called the report a disgrace.",
            [("The minister", "called", "the report a disgrace")],
            id="called X a Y",
        ),
        pytest.param("He called his sister on Sunday.", [], id="a phone call says nothing"),
        pytest.param(
            "The company has written off its losses in the region.",
            [],
            id="a phrasal verb that is not speech",
        ),
        pytest.param(
            "Asked about the delay, 40 percent of residents said they were angry.",
            [("40 percent of residents", "said", "they were angry")],
            id="the ones asked are not the askers",
        ),
        pytest.param(
            "LONDON (Reuters) - Shares fell sharply on Monday, traders said.",
            [("traders", "said", "Shares fell sharply on Monday")],
            id="a dateline is no part of the words",
        ),
        pytest.param(
            "The engineer said that the dam was safe and that the gates would open on Friday.",
            [("The engineer", "said", "the dam was safe and that the gates would open on Friday")],
            id="two that-clauses joined are one content",
        ),
        pytest.param(
            '"The water is clean," said Rosa Vidal, a chemist who runs the city laboratory, '
            '"and it has been for years."',
            [("Rosa Vidal", "said", '"The water is clean,"'),
             ("Rosa Vidal", "said", '"and it has been for years."')],
            id="a quotation resumes after the speaker and all that is said of them",
        ),
        pytest.param(
            '"We will rebuild," Tomas Berg, the harbour master, said at the meeting.',
            [("Tomas Berg", "said", '"We will rebuild,"')],
            id="a speaker between the quotation and the cue",
        ),
        pytest.param(
            "In the northern districts, the inspector said, most wells are dry.",
            [("the inspector", "said", "In the northern districts"),
             ("the inspector", "said", "most wells are dry")],
            id="words before a speaker set off by commas are content too",
        ),
        pytest.param(
            "Turnout, according to the election office, was the highest in a decade.",
            [("the election office", "according to", "Turnout"),
             ("the election office", "according to", "was the highest in a decade")],
            id="according to X set off inside the sentence",
        ),
        pytest.param(
            "As reported by the regional paper, the mill will close in June.",
            [("the regional paper", "reported", "the mill will close in June")],
            id="as reported by X",
        ),
        pytest.param(
            "The mayor continued to defend the budget at the hearing.",
            [("The mayor", "defend", "the budget")],
            id="continued to do is no speech of its own",
        ),
        pytest.param(
            '"Close the border now," reads a banner on the bridge.',
            [("a banner on the bridge", "reads", '"Close the border now,"')],
            id="a document that reads",
        ),
        pytest.param(
            'He read the letter aloud: "Dear friends, we are leaving."',
            [],
            id="a reader reads no words of their own",
        ),
        pytest.param(
            "She is a lawyer who has long opposed the project.",
            [],
            id="a relative clause with an object describes its antecedent",
        ),
        pytest.param(
            'Most experts agree - Maria Chen: "The drought will last another year."',
            [("Maria Chen", ":", '"The drought will last another year."')],
            id="a name and a colon inside a line",
        ),
        pytest.param(
            "ALVAREZ: We have tested every well in the county.",
            [("ALVAREZ", ":", "We have tested every well in the county.")],
            id="a transcript's turn",
        ),
    ],
)
def test_attribution_shapes_of_news(
    nlp: Language, text: str, statements: list[tuple[str | None, str, str]]
) -> None:
    assert said(nlp, text) == statements


def test_attribution_quote_after_a_cue_naming_a_show_continues_the_speaker(
    nlp: Language,
) -> None:
    text = "“We will not give up,” the coach said on “Morning Edition.” “The season is long.”"
    assert said(nlp, text) == [
        ("the coach", "said", "“We will not give up,”"),
        ("the coach", "said", "“The season is long.”"),
    ]


def test_attribution_headline_names_its_speaker_before_a_colon_the_article_names_again(
    nlp: Language,
) -> None:
    text = (
        "Alvarez: Wells Are Safe, Tests Show\n\n"
        "The county's water chief, Rosa Alvarez, said on Monday that tests found no lead."
    )
    headline, body = extract(nlp, text).statements
    assert (headline.speaker_mention.text, headline.cue.text) == ("Alvarez", ":")
    assert headline.content.text == "Wells Are Safe, Tests Show"
    assert body.speaker == "rosa-alvarez"


def test_attribution_apposition_gives_the_name_and_keeps_the_role(nlp: Language) -> None:
    text = "The minister's foreign affairs adviser, Farhad Alaaldin, told AFP talks would go on."
    extraction = extract(nlp, text)
    (statement,) = extraction.statements
    assert statement.speaker_mention.text == (
        "The minister's foreign affairs adviser, Farhad Alaaldin")
    assert extraction.actors[statement.speaker].name == "Farhad Alaaldin"


def test_attribution_a_label_before_a_colon_is_no_speaker(nlp: Language) -> None:
    assert said(nlp, "Related: The city council voted to close the harbour for a month.") == []
