"""Extraction quality against hand gold, scored on the graph the service stores."""

from service.evaluation.gold import GoldDocument, GoldQuantity, GoldStatement, load_gold
from service.evaluation.score import DocumentScore, Scores, score_document, summarise

__all__ = [
    "DocumentScore",
    "GoldDocument",
    "GoldQuantity",
    "GoldStatement",
    "Scores",
    "load_gold",
    "score_document",
    "summarise",
]
