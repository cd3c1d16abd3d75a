"""The corpus comparison: outlets compared across many stories, paired within each story.

Statistics half: per-story measures (:func:`story_measures`), outlet estimates with a
story-level bootstrap (:func:`outlet_estimates`), paired differences of every pair of outlets
with corrected p-values (:func:`paired_differences`) and the findings in words
(:func:`findings`).
"""

from analysis.corpus_report.findings import FINDING_COLUMNS, OUTLET_NAMES, findings, outlet_name
from analysis.corpus_report.measures import (
    MEASURES,
    STORY_MEASURE_COLUMNS,
    MeasureSpec,
    document_measures,
    measure_registry,
    pool_measures,
    story_measures,
)
from analysis.corpus_report.stats import (
    CORRECTIONS,
    OUTLET_COLUMNS,
    PAIRWISE_COLUMNS,
    holm_qvalues,
    method_card,
    outlet_estimates,
    paired_differences,
    sign_flip_pvalue,
)

__all__ = [
    "CORRECTIONS",
    "FINDING_COLUMNS",
    "MEASURES",
    "OUTLET_COLUMNS",
    "OUTLET_NAMES",
    "PAIRWISE_COLUMNS",
    "STORY_MEASURE_COLUMNS",
    "MeasureSpec",
    "document_measures",
    "findings",
    "holm_qvalues",
    "measure_registry",
    "method_card",
    "outlet_estimates",
    "outlet_name",
    "paired_differences",
    "pool_measures",
    "sign_flip_pvalue",
    "story_measures",
]
