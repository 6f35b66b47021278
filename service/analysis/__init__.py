"""What is derived across documents: claim comparisons in `<{base}graph/analysis>`."""

from service.analysis.compare import Status, Verdict, compare_dates, compare_quantities
from service.analysis.writer import ClaimComparer, comparison_iri, drop_document, run_iri

__all__ = [
    "ClaimComparer",
    "Status",
    "Verdict",
    "compare_dates",
    "compare_quantities",
    "comparison_iri",
    "drop_document",
    "run_iri",
]
