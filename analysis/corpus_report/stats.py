"""Outlet estimates and paired outlet differences across stories, with a story-level bootstrap.

The unit of resampling is the story (``event_id``), not the article: articles of one story
share its topic, sources and vocabulary, so they are not independent draws (a cluster
bootstrap; Davison & Hinkley 1997, sec. 3.8).

* :func:`outlet_estimates` — each outlet's mean over the stories it covered, with a
  percentile bootstrap interval from resampling those stories with replacement.
* :func:`paired_differences` — for every pair of outlets, the mean over the stories both
  covered of the per-story difference a − b (so an outlet is not judged by which stories it
  chose), a percentile bootstrap interval from resampling those stories, a two-sided
  **sign-flip permutation** p-value (under "no difference" each story's difference is as
  likely positive as negative; exact enumeration of all 2^n sign patterns when
  2^n <= ``n_perm``, otherwise ``n_perm`` random patterns with p = (1 + #{|T*| >= |T|}) /
  (n_perm + 1)), and q-values corrected across all comparisons of the table (Holm 1979,
  family-wise error; or Benjamini-Hochberg 1995, false discovery rate).

Random numbers: stories are ordered by ``event_id``; the bootstrap of a group of n stories
uses ``analysis.stats.bootstrap_indices(n, n_boot, seed=seed)`` (the same index matrix for every
group of the same size), the sign flips ``analysis.stats.rng(seed + 1)``. All replicates are
computed with numpy array operations.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ParameterError
from analysis.stats import bh_qvalues, bootstrap_indices, rng

__all__ = ["OUTLET_COLUMNS", "PAIRWISE_COLUMNS", "CORRECTIONS", "outlet_estimates", "paired_differences",
           "holm_qvalues", "sign_flip_pvalue", "method_card"]

log = logging.getLogger(__name__)

OUTLET_COLUMNS = ["outlet", "measure", "n_stories", "estimate", "ci_low", "ci_high"]
PAIRWISE_COLUMNS = ["outlet_a", "outlet_b", "measure", "n_stories", "difference", "ci_low", "ci_high", "p", "q"]
#: Corrections for multiple comparisons accepted by :func:`paired_differences`.
CORRECTIONS = {"holm": "Holm (1979) step-down, family-wise error rate",
               "bh": "Benjamini-Hochberg (1995), false discovery rate"}

_CHUNK = 2_000_000  # array elements per block of replicates (bounds memory)


def _check_table(table: Any, func: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"{func}: table must be the DataFrame of story_measures(docs), got {type(table).__name__}.")
    need = ["event_id", "outlet", "measure", "value"]
    missing = [c for c in need if c not in table.columns]
    if missing:
        raise ParameterError(f"{func}: table lacks column(s) {missing}; pass the long table of "
                             "analysis.corpus_report.story_measures(docs) (event_id, outlet, measure, value).")
    dup = table.duplicated(["event_id", "outlet", "measure"])
    if dup.any():
        r = table.loc[dup].iloc[0]
        raise ParameterError(f"{func}: table has several rows for story {r['event_id']!r}, outlet {r['outlet']!r}, "
                             f"measure {r['measure']!r}; pool an outlet's articles per story first (story_measures does).")
    values = pd.to_numeric(table["value"], errors="coerce")
    bad = values.isna() & table["value"].notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise ParameterError(f"{func}: table row {row} has a non-numeric value {table['value'].iloc[row]!r}.")
    out = table[need].copy()
    out["value"] = values.astype(float)
    return out


def _check_boot(n_boot: Any, ci: Any, seed: Any, func: str) -> None:
    if not isinstance(n_boot, (int, np.integer)) or isinstance(n_boot, bool) or n_boot < 1:
        raise ParameterError(f"{func}: n_boot must be a positive integer (got {n_boot!r}); e.g. n_boot=2000.")
    if not isinstance(ci, (float, int)) or not 0 < ci < 1:
        raise ParameterError(f"{func}: ci must be between 0 and 1 (got {ci!r}); e.g. ci=0.95.")
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise ParameterError(f"{func}: seed must be an integer (got {seed!r}).")


def _cube(t: pd.DataFrame) -> tuple[list, list, np.ndarray]:
    """Values as an array measure x story x outlet (NaN where missing); stories and outlets sorted."""
    m_codes, measures = pd.factorize(t["measure"], sort=False)
    e_codes, _events = pd.factorize(t["event_id"], sort=True)
    o_codes, outlets = pd.factorize(t["outlet"], sort=True)
    cube = np.full((len(measures), len(_events), len(outlets)), np.nan)
    cube[m_codes, e_codes, o_codes] = t["value"].to_numpy(dtype=float)
    return list(measures), list(outlets), cube


def _boot_means(values: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Means of ``values[idx]`` row by row, in blocks of rows (bounded memory)."""
    n_boot, n = idx.shape
    step = max(1, _CHUNK // max(n, 1))
    out = np.empty(n_boot)
    for a in range(0, n_boot, step):
        out[a:a + step] = values[idx[a:a + step]].mean(axis=1)
    return out


def _interval(boot: np.ndarray, ci: float) -> tuple[float, float]:
    alpha = (1 - ci) / 2
    low, high = np.quantile(boot, [alpha, 1 - alpha])
    return float(low), float(high)


class _Indices:
    """Bootstrap index matrices by group size, made once per call."""

    def __init__(self, n_boot: int, seed: int) -> None:
        self.n_boot, self.seed, self.cache = n_boot, seed, {}

    def __call__(self, n: int) -> np.ndarray:
        if n not in self.cache:
            self.cache[n] = bootstrap_indices(n, self.n_boot, seed=self.seed)
        return self.cache[n]


def _ci_of(values: np.ndarray, indices: _Indices, ci: float) -> tuple[float, float]:
    n = values.size
    if n == 1:
        return float(values[0]), float(values[0])
    return _interval(_boot_means(values, indices(n)), ci)


def outlet_estimates(table: pd.DataFrame, *, n_boot: int = 2000, ci: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Each outlet's mean over stories with a story (cluster) bootstrap interval.

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.corpus_report.story_measures` (``event_id, outlet, measure, value``,
        one row per story, outlet and measure); not modified. NaN values are left out.
    n_boot : int
        Bootstrap replicates.
    ci : float
        Coverage of the interval (0.95 = 95 %).
    seed : int
        Seed; the replicates of a group of n stories (sorted by ``event_id``) are the rows of
        ``analysis.stats.bootstrap_indices(n, n_boot, seed=seed)``.

    Returns
    -------
    DataFrame
        ``outlet, measure, n_stories`` (stories with a value), ``estimate`` (mean of the
        per-story values, in the measure's unit; direction as in
        :data:`analysis.corpus_report.MEASURES`), ``ci_low, ci_high`` (percentile interval
        of the mean over stories resampled with replacement; equal to the estimate with one
        story). Sorted by measure (order of first appearance) and outlet.
    """
    _check_boot(n_boot, ci, seed, "outlet_estimates")
    t = _check_table(table, "outlet_estimates").dropna(subset=["value"])
    if t.empty:
        return pd.DataFrame(columns=OUTLET_COLUMNS)
    indices = _Indices(n_boot, seed)
    rows = []
    measures, outlets, cube = _cube(t)
    for m, measure in enumerate(measures):
        for o, outlet in enumerate(outlets):
            v = cube[m, :, o]
            v = v[~np.isnan(v)]
            if v.size == 0:
                continue
            low, high = _ci_of(v, indices, ci)
            rows.append(dict(outlet=outlet, measure=measure, n_stories=int(v.size), estimate=float(v.mean()),
                             ci_low=low, ci_high=high))
    return pd.DataFrame(rows, columns=OUTLET_COLUMNS)


def holm_qvalues(pvalues: Any) -> np.ndarray:
    """Holm (1979) step-down adjusted p-values, controlling the family-wise error rate.

    q_(i) = max_{k <= i} min(1, (m − k + 1) · p_(k)) for p sorted ascending; NaN stays NaN and
    does not count towards m.

    Parameters
    ----------
    pvalues : array-like of float
        Unadjusted p-values.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in the input order; lower = stronger evidence.
    """
    p = np.asarray(pvalues, dtype=float)
    q = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return q
    pv = p[ok]
    order = np.argsort(pv, kind="mergesort")
    adj = np.minimum(1.0, (m - np.arange(m)) * pv[order])
    adj = np.maximum.accumulate(adj)
    out = np.empty(m)
    out[order] = adj
    q[ok] = out
    return q


class _Signs:
    """Sign patterns of the permutation test by number of stories, made once per call.

    Small sets (up to :attr:`EXACT_FLOAT64` elements, which includes every exact enumeration)
    are kept in float64; larger ones in float32 up to :attr:`KEEP` elements (the products are
    then summed in single precision, relative error ~1e-6, immaterial for a Monte Carlo
    p-value); sets larger still are drawn again in blocks (same seed, same patterns)."""

    EXACT_FLOAT64 = 2_000_000
    KEEP = 40_000_000  # 160 MB of float32

    def __init__(self, n_perm: int, seed: int) -> None:
        self.n_perm, self.seed, self.cache = n_perm, seed, {}

    def exact(self, n: int) -> bool:
        return n <= 30 and 2 ** n <= self.n_perm

    def _draw(self, n: int, dtype: type):
        g = rng(self.seed)
        step = max(1, _CHUNK // n)
        for a in range(0, self.n_perm, step):
            k = min(step, self.n_perm - a)
            yield np.where(g.random((k, n)) < 0.5, 1, -1).astype(dtype)

    def blocks(self, n: int):
        """The pattern matrix (+1/-1) in one or several blocks of rows."""
        if n not in self.cache:
            if self.exact(n):
                self.cache[n] = (((np.arange(2 ** n)[:, None] >> np.arange(n)) & 1) * 2 - 1).astype(float)
            elif self.n_perm * n <= self.EXACT_FLOAT64:
                self.cache[n] = np.concatenate(list(self._draw(n, np.float64)))
            elif self.n_perm * n <= self.KEEP:
                self.cache[n] = np.concatenate(list(self._draw(n, np.float32)))
        if n in self.cache:
            yield self.cache[n]
        else:
            yield from self._draw(n, np.float32)

    def pvalue(self, d: np.ndarray) -> float:
        n = d.size
        if n == 0:
            return float("nan")
        observed = abs(d.sum())
        count = 0
        for block in self.blocks(n):
            single = block.dtype == np.float32
            tol = (1e-5 if single else 1e-12) * max(1.0, float(np.abs(d).sum()))
            count += int(np.count_nonzero(np.abs(block @ d.astype(block.dtype)) >= observed - tol))
        if self.exact(n):
            return count / 2 ** n
        return (1 + count) / (self.n_perm + 1)


def sign_flip_pvalue(diffs: np.ndarray, *, n_perm: int = 9999, seed: int = 0) -> float:
    """Two-sided sign-flip permutation p-value of the mean of paired differences.

    Under the null of no difference each story's difference is symmetric around zero, so its
    sign is exchangeable. With n differences, all 2^n sign patterns are enumerated when
    2^n <= ``n_perm`` (exact p = #{|mean(s·d)| >= |mean(d)|} / 2^n); otherwise ``n_perm``
    patterns are drawn (each sign +1 when ``analysis.stats.rng(seed).random() < 0.5``, row by
    row) and p = (1 + #{...}) / (n_perm + 1).

    Parameters
    ----------
    diffs : array of float
        Per-story differences (no NaN).
    n_perm : int
        Random sign patterns when exact enumeration would need more.
    seed : int
        Seed of the random patterns.

    Returns
    -------
    float
        p in (0, 1]; NaN without differences. All-zero differences give 1.
    """
    return _Signs(n_perm, seed).pvalue(np.asarray(diffs, dtype=float))


def paired_differences(table: pd.DataFrame, *, n_boot: int = 2000, ci: float = 0.95, seed: int = 0,
                       correction: str = "holm", n_perm: int = 9999, min_stories: int = 2) -> pd.DataFrame:
    """Every pair of outlets' difference, paired within the stories both covered.

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.corpus_report.story_measures`; not modified. NaN values are left out
        (a story counts for a pair and measure when both outlets have a value).
    n_boot : int
        Bootstrap replicates of the interval.
    ci : float
        Coverage of the interval.
    seed : int
        Seed (see the module docstring for how replicates are drawn).
    correction : {"holm", "bh"}
        Correction of the p-values across all comparisons of the table (every pair × every
        measure with at least ``min_stories`` paired stories): Holm (family-wise error rate)
        or Benjamini-Hochberg (false discovery rate).
    n_perm : int
        Random sign patterns of the permutation test (the smallest p it can give is
        1 / (n_perm + 1); keep it well above the number of comparisons / alpha).
    min_stories : int
        Pairs with fewer paired stories get NaN ``p`` and ``q`` and are not counted in the
        correction.

    Returns
    -------
    DataFrame
        ``outlet_a, outlet_b`` (every pair, a before b in sorted order), ``measure``,
        ``n_stories`` (stories both covered with a value), ``difference`` (mean over those
        stories of value_a − value_b, in the measure's unit; positive = a higher, whose
        meaning is given by the measure's direction), ``ci_low, ci_high`` (percentile
        interval, stories resampled with replacement), ``p`` (two-sided sign-flip
        permutation p-value), ``q`` (p corrected across all comparisons by ``correction``;
        the method is in ``DataFrame.attrs["correction"]``).
    """
    _check_boot(n_boot, ci, seed, "paired_differences")
    if correction not in CORRECTIONS:
        raise ParameterError(f"paired_differences: correction={correction!r}; use one of {sorted(CORRECTIONS)}.")
    if not isinstance(n_perm, (int, np.integer)) or n_perm < 1:
        raise ParameterError(f"paired_differences: n_perm must be a positive integer (got {n_perm!r}).")
    if not isinstance(min_stories, (int, np.integer)) or min_stories < 1:
        raise ParameterError(f"paired_differences: min_stories must be a positive integer (got {min_stories!r}).")
    t = _check_table(table, "paired_differences").dropna(subset=["value"])
    indices = _Indices(n_boot, seed)
    signs = _Signs(n_perm, seed + 1)
    rows = []
    measures, outlets, cube = _cube(t)
    for m, measure in enumerate(measures):
        for i, j in itertools.combinations(range(len(outlets)), 2):
            va, vb = cube[m, :, i], cube[m, :, j]
            ok = ~(np.isnan(va) | np.isnan(vb))
            d = va[ok] - vb[ok]
            a, b = outlets[i], outlets[j]
            n = int(d.size)
            if n == 0:
                continue
            low, high = _ci_of(d, indices, ci)
            p = signs.pvalue(d) if n >= min_stories else float("nan")
            rows.append(dict(outlet_a=a, outlet_b=b, measure=measure, n_stories=n, difference=float(d.mean()),
                             ci_low=low, ci_high=high, p=p))
    out = pd.DataFrame(rows, columns=PAIRWISE_COLUMNS)
    if len(out):
        p = out["p"].to_numpy(dtype=float)
        out["q"] = holm_qvalues(p) if correction == "holm" else bh_qvalues(p)
    out.attrs["correction"] = CORRECTIONS[correction]
    out.attrs["correction_key"] = correction
    out.attrs["test"] = "two-sided sign-flip permutation test of the mean paired difference"
    m = int(out["p"].notna().sum()) if len(out) else 0
    if m and 1 / (n_perm + 1) * (m if correction == "holm" else 1) >= 0.05:
        log.warning("paired_differences: with %d comparisons and n_perm=%d no Holm-corrected q can fall below 0.05; "
                    "raise n_perm", m, n_perm)
    return out


def method_card(*, n_boot: int = 2000, ci: float = 0.95, seed: int = 0, correction: str = "holm",
                n_perm: int = 9999, alpha: float = 0.05) -> dict[str, str]:
    """How the corpus tables were computed, one line per entry, for a report's method card.

    Returns
    -------
    dict of str to str
        ``unit`` (what is resampled), ``outlet_estimate``, ``paired_difference``,
        ``interval``, ``test``, ``correction``, ``finding`` (the rule of
        :func:`analysis.corpus_report.findings`), ``seed``.
    """
    if correction not in CORRECTIONS:
        raise ParameterError(f"method_card: correction={correction!r}; use one of {sorted(CORRECTIONS)}.")
    return {
        "unit": "the story (event_id): stories are resampled, not articles; an outlet's articles in one story "
                "are pooled word-weighted first",
        "outlet_estimate": "mean over the stories the outlet covered",
        "paired_difference": "mean over the stories both outlets covered of the per-story difference a - b",
        "interval": f"{ci * 100:g} % percentile bootstrap, {n_boot} resamples of the stories with replacement",
        "test": f"two-sided sign-flip permutation test of the mean paired difference (exact when 2^n <= {n_perm}, "
                f"else {n_perm} random sign patterns)",
        "correction": f"{CORRECTIONS[correction]}, across every pair of outlets and every measure",
        "finding": f"corrected q < {alpha:g} and the interval excludes zero",
        "seed": str(seed),
    }
