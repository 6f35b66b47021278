"""service.claimreview.proposition: the claim a fact-checker is offered reads as a claim."""

from __future__ import annotations

import pytest

from service.claimreview.proposition import proposition

QUOTE = ("“There is no imminent withdrawal order from US President Joe Biden or issued by his "
         "office,”")
TROOPS = ("There are roughly 2,500 American troops in Iraq and some 900 in Syria as part of "
          "what Washington claims to be a fighting force against Daesh.")


@pytest.mark.parametrize(
    ("kind", "fields", "expected"),
    [
        # a bare number becomes the clause of its sentence that states it
        ("quantity", {"sentence": TROOPS, "mention": "roughly 2,500 American troops"},
         "There are roughly 2,500 American troops in Iraq."),
        # a second number sharing the verb borrows the first clause's opening
        ("quantity", {"sentence": TROOPS, "mention": "some 900"},
         "There are some 900 in Syria as part of what Washington claims to be a fighting force "
         "against Daesh."),
        # a quote with a trailing comma inside the quotation marks
        ("statement", {"sentence": "x", "content": QUOTE},
         "There is no imminent withdrawal order from US President Joe Biden or issued by his "
         "office."),
        # indirect speech loses its "that"
        ("statement", {"sentence": "x", "content": "that the US and Iraq will begin talks"},
         "The US and Iraq will begin talks."),
        # the attribution is not part of the claim
        ("quantity", {"sentence": "According to US officials, over 118 attacks have been "
                                  "reported since mid-October.", "mention": "over 118 attacks"},
         "Over 118 attacks have been reported since mid-October."),
        ("quantity", {"sentence": "Turnout reached 64 percent, the electoral commission said.",
                      "mention": "64 percent"},
         "Turnout reached 64 percent."),
        # a number inside a statement's content is that content
        ("quantity", {"sentence": "Officials said the army had lost 300 tanks, while others "
                                  "disagreed.", "mention": "300 tanks",
                      "statement_content": "the army had lost 300 tanks"},
         "The army had lost 300 tanks."),
        # a fragment of a statement ("more attacks") is no proposition: its sentence is
        ("statement", {"sentence": "Iraqi resistance dismisses US withdrawal talks, vows more "
                                   "attacks", "content": "more attacks"},
         "Iraqi resistance dismisses US withdrawal talks, vows more attacks."),
        # a list's ", and" does not cut the clause
        ("quantity", {"sentence": "More than 26,000 Palestinians, some 70 percent of whom are "
                                  "women, children, and adolescents, have been killed, while "
                                  "upwards of 64,100 others have been injured.",
                      "mention": "More than 26,000 Palestinians"},
         "More than 26,000 Palestinians, some 70 percent of whom are women, children, and "
         "adolescents, have been killed."),
    ],
)
def test_claimreview_proposition_reads_as_a_claim(
    kind: str, fields: dict[str, str], expected: str
) -> None:
    assert proposition(kind, **fields) == expected
