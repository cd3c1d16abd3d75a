"""Outlet comparisons with bootstrap confidence intervals.

:func:`compare_outlets` gives each outlet's estimate of a per-document metric with a percentile
bootstrap interval (Efron & Tibshirani 1993): over documents when the outlet has several, over
the sentences of its one document otherwise (the seed corpus has one article per outlet).
:func:`pairwise_differences` gives every outlet pair's difference; when ``event_id`` groups the
same story across outlets the difference is taken within each story first (paired), so an
outlet is not judged by which stories it chose to cover.

Ratio scores (Flesch-Kincaid and the other readability formulas) are resampled the way they
are defined: a bootstrap replicate draws sentences with replacement, sums their counts and
recomputes the formula — never the mean of per-sentence scores, which weights a two-word
sentence like a forty-word one.
"""

from __future__ import annotations

import logging
import warnings
import zlib
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from analysis import stats as _stats
from analysis.errors import NotEnoughData, ParameterError
from analysis.readability import (
    COUNT_COLUMNS,
    ari_from_counts,
    coleman_liau_from_counts,
    dale_chall_1948_from_counts,
    flesch_kincaid_grade_from_counts,
    flesch_reading_ease_from_counts,
    gunning_fog_from_counts,
    lix_from_counts,
    smog_from_counts,
)

__all__ = ["compare_outlets", "pairwise_differences", "SENTENCE_METRICS"]

logger = logging.getLogger(__name__)

_KEY_COLUMNS = {"doc_id", "outlet", "event_id", "sent_id"}


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    return np.where(den > 0, out, np.nan)


Counts = dict[str, np.ndarray]

#: Metrics that can be recomputed from summed sentence counts (the sentence bootstrap).
#: Linsear Write (first 100 words only) and consensus_grade (which includes it) cannot.
SENTENCE_METRICS: dict[str, Callable[[Counts], np.ndarray]] = {
    "words_per_sentence": lambda c: _ratio(c["n_words"], c["n_sentences"]),
    "syllables_per_word": lambda c: _ratio(c["n_syllables"], c["n_words"]),
    "flesch_reading_ease": lambda c: flesch_reading_ease_from_counts(
        c["n_words"], c["n_sentences"], c["n_syllables"]
    ),
    "flesch_kincaid_grade": lambda c: flesch_kincaid_grade_from_counts(
        c["n_words"], c["n_sentences"], c["n_syllables"]
    ),
    "gunning_fog": lambda c: gunning_fog_from_counts(
        c["n_words"], c["n_sentences"], c["n_complex_words"]
    ),
    "smog": lambda c: smog_from_counts(c["n_sentences"], c["n_polysyllables"]),
    "coleman_liau": lambda c: coleman_liau_from_counts(
        c["n_words"], c["n_sentences"], c["n_letters"]
    ),
    "coleman_liau_textstat": lambda c: coleman_liau_from_counts(
        c["n_words"], c["n_sentences"], c["n_letters"], letter_coef=0.058
    ),
    "ari": lambda c: ari_from_counts(c["n_words"], c["n_sentences"], c["n_characters"]),
    "dale_chall_1948": lambda c: dale_chall_1948_from_counts(
        c["n_words"], c["n_sentences"], c["n_difficult_words"]
    ),
    "lix": lambda c: lix_from_counts(c["n_words"], c["n_sentences"], c["n_long_words"]),
}

# the summable per-sentence counts the resampled formulas read
_SENTENCE_COUNTS = [c for c in COUNT_COLUMNS if c != "n_sentences"]


# --------------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------------


def _valid_metrics(features: pd.DataFrame) -> list[str]:
    return [
        c
        for c in features.columns
        if c not in _KEY_COLUMNS
        and (pd.api.types.is_numeric_dtype(features[c]) and not pd.api.types.is_bool_dtype(features[c]))
    ]


def _check(
    features: pd.DataFrame, metric: str | Sequence[str], n_boot: int, ci: float, func: str
) -> list[str]:
    if not isinstance(features, pd.DataFrame):
        raise ParameterError(
            f"{func}: features must be a DataFrame such as analysis.readability.readability(docs)"
            f" (got {type(features).__name__})"
        )
    missing = [c for c in ("doc_id", "outlet") if c not in features.columns]
    if missing:
        raise ParameterError(
            f"{func}: features lacks column(s) {missing}; pass a per-document feature table "
            "(one row per doc_id with its outlet)"
        )
    metrics = [metric] if isinstance(metric, str) else list(metric)
    if not metrics:
        raise ParameterError(f"{func}: metric is empty; name at least one column of features")
    valid = _valid_metrics(features)
    unknown = [m for m in metrics if m not in valid]
    if unknown:
        raise ParameterError(
            f"{func}: unknown metric(s) {unknown}; valid metrics are the numeric columns of "
            f"features: {', '.join(valid)}"
        )
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ParameterError(f"{func}: n_boot must be a positive integer (got {n_boot!r})")
    if not 0 < ci < 1:
        raise ParameterError(f"{func}: ci must be between 0 and 1, e.g. 0.95 (got {ci!r})")
    return metrics


def _outlets(features: pd.DataFrame, func: str) -> list:
    outlets = sorted(features["outlet"].dropna().unique().tolist(), key=str)
    if len(outlets) < 2:
        raise NotEnoughData(
            f"{func}: needs documents from at least 2 outlets to compare; features has "
            f"{len(outlets)} ({', '.join(map(str, outlets)) or 'none'}). Add another outlet's "
            "articles to the corpus."
        )
    return outlets


def _child_seed(seed: int, *parts: object) -> np.random.Generator:
    """A generator determined by ``seed`` and labels (order of other work does not matter)."""
    keys = [int(seed) & 0xFFFFFFFF] + [zlib.crc32(str(p).encode("utf-8")) for p in parts]
    return np.random.default_rng(keys)


def _int_seed(seed: int, *parts: object) -> int:
    return int(_child_seed(seed, *parts).integers(0, 2**31 - 1))


def _percentile(boot: np.ndarray, ci: float) -> tuple[float, float]:
    boot = np.asarray(boot, dtype=float)
    boot = boot[~np.isnan(boot)]
    if boot.size == 0:
        return float("nan"), float("nan")
    alpha = (1 - ci) / 2
    lo, hi = np.quantile(boot, [alpha, 1 - alpha])
    return float(lo), float(hi)


def _sentence_counts(sentences: pd.DataFrame | None, func: str) -> dict[object, np.ndarray] | None:
    if sentences is None:
        return None
    if not isinstance(sentences, pd.DataFrame):
        raise ParameterError(
            f"{func}: sentences must be the DataFrame from "
            "analysis.readability.readability_sentences(docs)"
        )
    missing = [c for c in ["doc_id", *_SENTENCE_COUNTS] if c not in sentences.columns]
    if missing:
        raise ParameterError(
            f"{func}: sentences lacks column(s) {missing}; pass "
            "analysis.readability.readability_sentences(docs)"
        )
    out: dict[object, np.ndarray] = {}
    sub = sentences[sentences["n_words"] > 0]
    for doc_id, grp in sub.groupby("doc_id", sort=False):
        out[doc_id] = grp[_SENTENCE_COUNTS].to_numpy(dtype=float)
    return out


def _sentence_boot(
    counts: np.ndarray, metric: str, n_boot: int, gen: np.random.Generator
) -> np.ndarray:
    """Replicates of ``metric`` for one document: resample its sentences, sum, recompute."""
    m = counts.shape[0]
    idx = gen.integers(0, m, size=(n_boot, m))
    sums = counts[idx].sum(axis=1)
    c = {name: sums[:, j] for j, name in enumerate(_SENTENCE_COUNTS)}
    c["n_sentences"] = np.full(n_boot, float(m))
    return np.asarray(SENTENCE_METRICS[metric](c), dtype=float)


class _SentenceProblem(Exception):
    """Why a sentence bootstrap is not possible (turned into NaN interval + warning)."""


def _doc_sentence_boot(
    doc_id: object,
    metric: str,
    sent_counts: dict[object, np.ndarray] | None,
    n_boot: int,
    seed: int,
) -> np.ndarray:
    if sent_counts is None:
        raise _SentenceProblem(
            "pass sentences=analysis.readability.readability_sentences(docs) to bootstrap "
            "over its sentences"
        )
    if metric not in SENTENCE_METRICS:
        raise _SentenceProblem(
            f"metric {metric!r} cannot be recomputed from resampled sentences (sentence-"
            f"resampled metrics: {', '.join(SENTENCE_METRICS)}); compare it over documents"
        )
    counts = sent_counts.get(doc_id)
    if counts is None or counts.shape[0] == 0:
        raise _SentenceProblem(f"sentences has no rows for doc_id {doc_id!r}")
    if counts.shape[0] < 2:
        raise _SentenceProblem(f"doc_id {doc_id!r} has a single sentence: nothing to resample")
    return _sentence_boot(counts, metric, n_boot, _child_seed(seed, "doc", doc_id, metric))


def _warn(msg: str) -> None:
    logger.warning(msg)
    warnings.warn(msg, UserWarning, stacklevel=3)


# --------------------------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------------------------


def compare_outlets(
    features: pd.DataFrame,
    metric: str | Sequence[str],
    *,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
    sentences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each outlet's estimate of a per-document metric with a bootstrap confidence interval.

    With several documents, the estimate is the mean of the outlet's document values and the
    interval a percentile bootstrap over documents (:func:`analysis.stats.bootstrap_ci`). With
    one document, the estimate is that document's value and the interval a percentile bootstrap
    over its sentences: each replicate draws the document's sentences with replacement, sums
    their counts and recomputes the formula (so Flesch-Kincaid stays a ratio of totals). This
    needs ``sentences`` and a metric in :data:`SENTENCE_METRICS`; otherwise the interval is NaN,
    ``ci_unit`` is ``"none"`` and a warning says why.

    Parameters
    ----------
    features : pandas.DataFrame
        Per-document features, e.g. :func:`analysis.readability.readability` (``doc_id,
        outlet`` and numeric metric columns). Documents whose metric is NaN are left out.
    metric : str or sequence of str
        Column name(s) of ``features`` to compare.
    n_boot : int
        Bootstrap replicates.
    ci : float
        Coverage of the interval (0.95 = 95 %).
    seed : int
        Seed; the same inputs and seed give identical output.
    sentences : pandas.DataFrame, optional
        :func:`analysis.readability.readability_sentences` output, for one-document outlets.

    Returns
    -------
    pandas.DataFrame
        One row per (metric, outlet), metrics in the order given, outlets sorted:

        - ``outlet``, ``metric``.
        - ``n_docs``: documents of the outlet with a value.
        - ``estimate``: mean over documents (one document: its value), in the metric's unit
          and direction (e.g. FK grade: higher = harder; Flesch Reading Ease: higher = easier).
        - ``ci_low, ci_high``: percentile bootstrap interval of the estimate.
        - ``ci_unit``: ``"document"``, ``"sentence"`` or ``"none"`` (no interval possible).
        - ``n_units``: number of documents or sentences resampled.

    Raises
    ------
    NotEnoughData
        Fewer than two outlets.
    ParameterError
        Unknown metric (the message lists the valid ones), bad ``n_boot`` or ``ci``.
    """
    metrics = _check(features, metric, n_boot, ci, "compare_outlets")
    outlets = _outlets(features, "compare_outlets")
    sent_counts = _sentence_counts(sentences, "compare_outlets")
    rows = []
    for m in metrics:
        for outlet in outlets:
            sub = features.loc[features["outlet"] == outlet, ["doc_id", m]].dropna(subset=[m])
            n_docs = len(sub)
            row = {"outlet": outlet, "metric": m, "n_docs": n_docs}
            if n_docs == 0:
                row.update(estimate=np.nan, ci_low=np.nan, ci_high=np.nan, ci_unit="none", n_units=0)
            elif n_docs >= 2:
                est, lo, hi = _stats.bootstrap_ci(
                    sub[m].to_numpy(dtype=float),
                    n_boot=n_boot,
                    ci=ci,
                    seed=_int_seed(seed, "outlet", outlet, m),
                )
                row.update(estimate=est, ci_low=lo, ci_high=hi, ci_unit="document", n_units=n_docs)
            else:
                doc_id = sub["doc_id"].iloc[0]
                est = float(sub[m].iloc[0])
                try:
                    boot = _doc_sentence_boot(doc_id, m, sent_counts, n_boot, seed)
                    lo, hi = _percentile(boot, ci)
                    n_units = int(sent_counts[doc_id].shape[0])  # type: ignore[index]
                    row.update(estimate=est, ci_low=lo, ci_high=hi, ci_unit="sentence",
                               n_units=n_units)
                except _SentenceProblem as why:
                    _warn(f"compare_outlets: outlet {outlet!r} has one document ({doc_id!r}) for "
                          f"{m!r}; no interval: {why}")
                    row.update(estimate=est, ci_low=np.nan, ci_high=np.nan, ci_unit="none",
                               n_units=1)
            rows.append(row)
    return pd.DataFrame(
        rows,
        columns=["outlet", "metric", "n_docs", "estimate", "ci_low", "ci_high", "ci_unit", "n_units"],
    )


def _side_boot(
    sub: pd.DataFrame,
    m: str,
    sent_counts: dict[object, np.ndarray] | None,
    n_boot: int,
    seed: int,
    label: object,
) -> tuple[np.ndarray, str]:
    """Replicates of one outlet's mean (documents, or sentences of its single document)."""
    vals = sub[m].to_numpy(dtype=float)
    if len(vals) >= 2:
        gen = _child_seed(seed, "side", label, m)
        idx = gen.integers(0, len(vals), size=(n_boot, len(vals)))
        return vals[idx].mean(axis=1), "document"
    boot = _doc_sentence_boot(sub["doc_id"].iloc[0], m, sent_counts, n_boot, seed)
    return boot, "sentence"


def pairwise_differences(
    features: pd.DataFrame,
    metric: str | Sequence[str],
    *,
    by_event: bool = True,
    order: Sequence[object] | None = None,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
    sentences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Difference between every pair of outlets, ``outlet_a − outlet_b``, with a bootstrap CI.

    **Paired by event** (``by_event=True`` and an ``event_id`` column): for each event covered
    by both outlets, ``d = mean(a's documents) − mean(b's documents)`` within that event; the
    difference is the mean of ``d`` over shared events. With two or more shared events the
    interval is a percentile bootstrap over events (``ci_unit="event"``). With exactly one
    shared event (the seed corpus), the interval resamples sentences: each document of the two
    outlets in that event is bootstrapped over its own sentences (counts summed, formula
    recomputed), each outlet's replicate is the mean over its documents, and the replicate
    difference is a − b (``ci_unit="sentence"``; needs ``sentences``).

    **Unpaired** (``by_event=False`` or no ``event_id``): the difference of the outlets' means
    over all their documents; each side is resampled independently — over documents when it has
    several, over its one document's sentences otherwise (``ci_unit`` is ``"document"`` when
    both sides resample documents, else ``"sentence"``).

    Resampling draws are tied to seed, document and metric (not to the pair's order), so
    swapping two outlets flips the sign of ``difference`` and of the interval exactly.

    Parameters
    ----------
    features : pandas.DataFrame
        Per-document features with ``doc_id, outlet`` (and ``event_id`` for pairing).
    metric : str or sequence of str
        Column name(s) of ``features``.
    by_event : bool
        Pair within events (recommended when the corpus groups the same story).
    order : sequence, optional
        Outlets to compare and their order: pairs are ``(order[i], order[j])`` for ``i < j``.
        Default: all outlets, sorted.
    n_boot, ci, seed, sentences
        As in :func:`compare_outlets`.

    Returns
    -------
    pandas.DataFrame
        One row per (metric, pair):

        - ``outlet_a, outlet_b, metric``.
        - ``n_pairs``: shared events used (paired) or document pairs ``n_a·n_b`` (unpaired).
        - ``difference``: a − b in the metric's unit; its sign follows the metric's direction
          (FK grade: positive = a harder; Flesch Reading Ease: positive = a easier).
        - ``ci_low, ci_high``: percentile bootstrap interval of the difference (NaN when no
          interval is possible; a warning says why).
        - ``ci_unit``: ``"event"``, ``"document"``, ``"sentence"`` or ``"none"``.

    Raises
    ------
    NotEnoughData
        Fewer than two outlets.
    ParameterError
        Unknown metric or outlet in ``order``, bad ``n_boot`` or ``ci``.
    """
    metrics = _check(features, metric, n_boot, ci, "pairwise_differences")
    outlets = _outlets(features, "pairwise_differences")
    if order is not None:
        order = list(order)
        unknown = [o for o in order if o not in outlets]
        if unknown or len(order) < 2 or len(set(order)) != len(order):
            raise ParameterError(
                f"pairwise_differences: order must list at least two distinct outlets of "
                f"features (unknown: {unknown}); outlets are: {', '.join(map(str, outlets))}"
            )
        outlets = order
    sent_counts = _sentence_counts(sentences, "pairwise_differences")
    paired = by_event and "event_id" in features.columns and features["event_id"].notna().any()
    rows = []
    for m in metrics:
        data = features.dropna(subset=[m])
        for i, a in enumerate(outlets):
            for b in outlets[i + 1:]:
                da = data[data["outlet"] == a]
                db = data[data["outlet"] == b]
                row = {"outlet_a": a, "outlet_b": b, "metric": m}
                if paired:
                    row.update(_paired(da, db, m, sent_counts, n_boot, ci, seed))
                else:
                    row.update(_unpaired(da, db, m, sent_counts, n_boot, ci, seed))
                rows.append(row)
    return pd.DataFrame(
        rows,
        columns=["outlet_a", "outlet_b", "metric", "n_pairs", "difference", "ci_low", "ci_high",
                 "ci_unit"],
    )


def _nan_row(n_pairs: int, diff: float = np.nan) -> dict:
    return {"n_pairs": n_pairs, "difference": diff, "ci_low": np.nan, "ci_high": np.nan,
            "ci_unit": "none"}


def _paired(da, db, m, sent_counts, n_boot, ci, seed) -> dict:
    ma = da.groupby("event_id")[m].mean()
    mb = db.groupby("event_id")[m].mean()
    shared = sorted(set(ma.index) & set(mb.index), key=str)
    if not shared:
        return _nan_row(0)
    d = (ma.loc[shared] - mb.loc[shared]).to_numpy(dtype=float)
    est = float(d.mean())
    if len(shared) >= 2:
        gen = _child_seed(seed, "events", m, *shared)
        idx = gen.integers(0, len(d), size=(n_boot, len(d)))
        lo, hi = _percentile(d[idx].mean(axis=1), ci)
        return {"n_pairs": len(shared), "difference": est, "ci_low": lo, "ci_high": hi,
                "ci_unit": "event"}
    ev = shared[0]
    try:
        reps = []
        for side in (da, db):
            docs = side.loc[side["event_id"] == ev, "doc_id"].tolist()
            reps.append(
                np.mean([_doc_sentence_boot(doc, m, sent_counts, n_boot, seed) for doc in docs],
                        axis=0)
            )
    except _SentenceProblem as why:
        _warn(f"pairwise_differences: outlets {da['outlet'].iloc[0]!r} and "
              f"{db['outlet'].iloc[0]!r} share one event ({ev!r}) for {m!r}; no interval: {why}")
        return _nan_row(1, est)
    lo, hi = _percentile(reps[0] - reps[1], ci)
    return {"n_pairs": 1, "difference": est, "ci_low": lo, "ci_high": hi, "ci_unit": "sentence"}


def _unpaired(da, db, m, sent_counts, n_boot, ci, seed) -> dict:
    n_pairs = len(da) * len(db)
    if len(da) == 0 or len(db) == 0:
        return _nan_row(n_pairs)
    est = float(da[m].mean() - db[m].mean())
    try:
        ra, ua = _side_boot(da, m, sent_counts, n_boot, seed, da["outlet"].iloc[0])
        rb, ub = _side_boot(db, m, sent_counts, n_boot, seed, db["outlet"].iloc[0])
    except _SentenceProblem as why:
        _warn(f"pairwise_differences: {da['outlet'].iloc[0]!r} vs {db['outlet'].iloc[0]!r} for "
              f"{m!r}; no interval: {why}")
        return _nan_row(n_pairs, est)
    lo, hi = _percentile(ra - rb, ci)
    unit = "document" if ua == ub == "document" else "sentence"
    return {"n_pairs": n_pairs, "difference": est, "ci_low": lo, "ci_high": hi, "ci_unit": unit}
