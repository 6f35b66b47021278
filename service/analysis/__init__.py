"""What is derived across documents: claim comparisons in `<{base}graph/analysis>`."""

from service.analysis.compare import Status, Verdict, compare_dates, compare_quantities
from service.analysis.writer import AnalysisWriter

__all__ = ["AnalysisWriter", "Status", "Verdict", "compare_dates", "compare_quantities"]
