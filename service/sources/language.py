"""The language of a text, and what the service does with a text it cannot read.

Detection is py3langid's (langid.py's Naive Bayes model over byte n-grams, 97 languages, a
model of a few MB shipped in the wheel: offline, fast and deterministic). The extraction
pipeline reads the languages in `READABLE` only: a text found to be in another one is refused
with the language named, or, when the caller asks, stored without claims and with the reason,
never quietly stored with none.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from babel import Locale, UnknownLocaleError
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from service.pipeline.documents import Document, DocumentError

__all__ = [
    "READABLE",
    "Detected",
    "LanguageNotReadError",
    "detect",
    "language_name",
    "with_language",
]

# Languages the extraction pipeline reads, each by its spaCy pipeline (settings.spacy_model
# for English). Another language joins by a pipeline of its own and its entry here.
READABLE: frozenset[str] = frozenset({"en"})

# A text is judged only when the detector is this sure and the text this long: a headline or
# a list of numbers is too short to tell, and such a text keeps the language it was sent with.
_MIN_PROBABILITY = 0.9
_MIN_LETTERS = 40


class LanguageNotReadError(DocumentError):
    """The text is in a language the pipeline does not read (HTTP 422, the language named)."""


@dataclass(frozen=True, slots=True)
class Detected:
    code: str  # ISO 639-1, e.g. "fr"
    probability: float  # 0..1, of that language among the model's

    @property
    def name(self) -> str:
        return language_name(self.code)


@cache
def _identifier() -> LanguageIdentifier:
    """Loaded once per process (the model unpacks in about a tenth of a second)."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_name(code: str) -> str:
    """The language's English name ('fr' -> 'French'); the code itself when unknown."""
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (UnknownLocaleError, ValueError):
        return code


def detect(text: str) -> Detected | None:
    """The text's language, or None when the text is too short or the model unsure."""
    if sum(ch.isalpha() for ch in text) < _MIN_LETTERS:
        return None
    code, probability = _identifier().classify(text)
    if probability < _MIN_PROBABILITY:
        return None
    return Detected(str(code), float(probability))


def with_language(document: Document, *, store_unread: bool) -> Document:
    """The document with its detected language; one the pipeline does not read is refused
    (`LanguageNotReadError`) or, with `store_unread`, kept with the reason it has no claims.

    A declared language stands where the detector cannot tell."""
    found = detect(document.text)
    language = found.code if found else document.language.split("-")[0].lower()
    if language in READABLE:
        return replace(document, language=found.code) if found else document
    name = language_name(language)
    how = f"detected with probability {found.probability:.2f}" if found else "as declared"
    reason = (
        f"the text is in {name} ({language}, {how}); factgraph extracts claims from "
        f"{', '.join(language_name(code) for code in sorted(READABLE))} only"
    )
    if not store_unread:
        raise LanguageNotReadError(reason, document.source)
    return replace(document, language=language, claims_withheld=reason)
