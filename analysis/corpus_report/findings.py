"""Findings in words: the outlet differences that survive the correction for multiple comparisons.

:func:`findings` reads the table of :func:`analysis.corpus_report.paired_differences` and keeps
each difference whose corrected q-value is below ``alpha`` and whose interval excludes zero,
written as a sentence: "HuffPost uses more loaded language than the New York Times: +1.2 per
1,000 words, 95 % CI 0.4–2.0, 30 stories". Nothing found gives an empty table with the same
columns.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import numpy as np
import pandas as pd

from analysis.corpus_report.measures import MEASURES, MeasureSpec
from analysis.errors import ParameterError

__all__ = ["FINDING_COLUMNS", "OUTLET_NAMES", "findings", "outlet_name"]

log = logging.getLogger(__name__)

FINDING_COLUMNS = ["measure", "outlet_a", "outlet_b", "difference", "ci_low", "ci_high", "n_stories", "p", "q",
                   "unit", "sentence"]

#: Readers' names of common outlet codes (the code itself is used for any other outlet).
OUTLET_NAMES: dict[str, str] = {
    "foxnews": "Fox News", "fox": "Fox News", "nytimes": "the New York Times", "nyt": "the New York Times",
    "huffpost": "HuffPost", "huffingtonpost": "HuffPost", "usatoday": "USA Today", "breitbart": "Breitbart",
    "washingtonpost": "the Washington Post", "wapo": "the Washington Post", "cnn": "CNN", "abc": "ABC News",
    "bbc": "the BBC", "reuters": "Reuters", "ap": "the Associated Press", "guardian": "the Guardian",
    "wsj": "the Wall Street Journal", "npr": "NPR", "msnbc": "MSNBC", "politico": "Politico",
}


def outlet_name(outlet: Any, names: dict[str, str] | None = None) -> str:
    """A reader's name for an outlet code: ``names`` first, then :data:`OUTLET_NAMES`, else the code."""
    key = str(outlet)
    if names and key in names:
        return str(names[key])
    return OUTLET_NAMES.get(key.lower().replace(" ", ""), key)


def _capital(s: str) -> str:
    """Sentence-initial form of a reader's name: "the New York Times" -> "The New York Times";
    other names and outlet codes keep their spelling."""
    return "The" + s[3:] if s.startswith("the ") else s


def _digits(low: float, high: float) -> int:
    """Decimals that show the interval's width with two significant figures (0-4)."""
    width = abs(high - low)
    if not math.isfinite(width) or width == 0:
        return 2
    return int(min(4, max(0, 1 - math.floor(math.log10(width)))))


def _fmt(x: float, k: int, sign: bool = False) -> str:
    s = f"{x:+.{k}f}" if sign else f"{x:.{k}f}"
    return s.replace("-", "−")


def _sentence(spec: MeasureSpec | None, measure: str, hi: str, lo: str, diff: float, low: float, high: float,
              n: int, ci: float) -> str:
    scale = spec.scale if spec else 1.0
    d, a, b = diff * scale, low * scale, high * scale
    k = _digits(a, b)
    verb = spec.higher if spec else f"scores higher on {measure}"
    unit = f" {spec.unit}" if spec and spec.unit else ""
    pct = f"{ci * 100:g}"
    return (f"{_capital(hi)} {verb} than {lo}: {_fmt(d, k, sign=True)}{unit}, {pct} % CI "
            f"{_fmt(a, k)}–{_fmt(b, k)}, {n} {'story' if n == 1 else 'stories'}.")


def findings(pairwise: pd.DataFrame, outlets: pd.DataFrame | None = None, *, alpha: float = 0.05,
             ci: float = 0.95, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Significant outlet differences, one sentence each, strongest first.

    A difference is a finding when its corrected ``q`` (the correction named in
    ``pairwise.attrs["correction"]``, Holm by default) is below ``alpha`` and its interval
    excludes zero. The sentence names the outlet with the higher value first, so the
    difference is written positive and the interval turned round with it.

    Parameters
    ----------
    pairwise : DataFrame
        :func:`analysis.corpus_report.paired_differences` (``outlet_a, outlet_b, measure,
        n_stories, difference, ci_low, ci_high, p, q``); not modified.
    outlets : DataFrame, optional
        :func:`analysis.corpus_report.outlet_estimates`; when given, only measures it lists
        are reported (a check that the two tables belong together).
    alpha : float
        Threshold on ``q``.
    ci : float
        Coverage of the intervals in ``pairwise`` (written in the sentence).
    names : dict, optional
        Readers' names of outlet codes (else :data:`OUTLET_NAMES`, else the code).

    Returns
    -------
    DataFrame
        ``measure, outlet_a`` (the outlet with the higher value), ``outlet_b``,
        ``difference`` (a − b, positive, in the measure's unit as in the tables: shares 0-1),
        ``ci_low, ci_high`` (its interval), ``n_stories, p, q``, ``unit`` (of the number in
        the sentence; shares are written in percentage points), ``sentence``. Sorted by q,
        then by the size of the difference relative to its interval. Empty (same columns)
        when nothing passes.
    """
    if not isinstance(pairwise, pd.DataFrame):
        raise ParameterError(f"findings: pairwise must be the DataFrame of paired_differences, got {type(pairwise).__name__}.")
    need = ["outlet_a", "outlet_b", "measure", "n_stories", "difference", "ci_low", "ci_high", "q"]
    missing = [c for c in need if c not in pairwise.columns]
    if missing:
        raise ParameterError(f"findings: pairwise lacks column(s) {missing}; pass paired_differences(story_measures(docs)).")
    if not isinstance(alpha, (float, int)) or not 0 < alpha < 1:
        raise ParameterError(f"findings: alpha must be between 0 and 1 (got {alpha!r}); e.g. alpha=0.05.")
    if not isinstance(ci, (float, int)) or not 0 < ci < 1:
        raise ParameterError(f"findings: ci must be between 0 and 1 (got {ci!r}).")
    t = pairwise
    if outlets is not None:
        if "measure" not in outlets.columns:
            raise ParameterError("findings: outlets lacks the 'measure' column; pass outlet_estimates(table).")
        t = t[t["measure"].isin(set(outlets["measure"]))]
    q = pd.to_numeric(t["q"], errors="coerce")
    low = pd.to_numeric(t["ci_low"], errors="coerce")
    high = pd.to_numeric(t["ci_high"], errors="coerce")
    keep = (q < alpha) & ((low > 0) | (high < 0))
    sel = t[keep.to_numpy()]
    rows = []
    for r in sel.itertuples(index=False):
        spec = MEASURES.get(r.measure)
        diff, lo_, hi_ = float(r.difference), float(r.ci_low), float(r.ci_high)
        a, b = r.outlet_a, r.outlet_b
        if diff < 0:
            a, b, diff, lo_, hi_ = b, a, -diff, -hi_, -lo_
        sentence = _sentence(spec, r.measure, outlet_name(a, names), outlet_name(b, names), diff, lo_, hi_,
                             int(r.n_stories), ci)
        rows.append(dict(measure=r.measure, outlet_a=a, outlet_b=b, difference=diff, ci_low=lo_, ci_high=hi_,
                         n_stories=int(r.n_stories), p=float(getattr(r, "p", np.nan)), q=float(r.q),
                         unit=spec.unit if spec else "", sentence=sentence))
    out = pd.DataFrame(rows, columns=FINDING_COLUMNS)
    if len(out):
        width = (out["ci_high"] - out["ci_low"]).replace(0, np.nan)
        out = out.assign(_z=-(out["difference"] / width).fillna(np.inf)).sort_values(
            ["q", "_z"], kind="mergesort").drop(columns="_z").reset_index(drop=True)
    out.attrs["correction"] = pairwise.attrs.get("correction", "")
    log.info("findings: %d of %d differences pass q < %g with an interval excluding zero", len(out), len(t), alpha)
    return out
