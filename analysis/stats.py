"""Small statistical helpers shared by the measures: seeded RNG, bootstrap CIs, BH q-values.

Everything random in the kit goes through :func:`rng` so a run with the same ``seed``
repeats exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["rng", "bootstrap_ci", "bootstrap_indices", "bh_qvalues"]


def rng(seed: int | None = 0) -> np.random.Generator:
    """Return the kit's random generator (PCG64) for ``seed``.

    Parameters
    ----------
    seed : int or None
        Seed; ``None`` gives fresh entropy (not reproducible, avoid in reports).

    Returns
    -------
    numpy.random.Generator
    """
    return np.random.default_rng(seed)


def bootstrap_indices(n: int, n_boot: int, *, seed: int = 0) -> np.ndarray:
    """Indices of ``n_boot`` resamples with replacement of ``n`` items.

    Returns
    -------
    numpy.ndarray
        Integer array of shape ``(n_boot, n)``.
    """
    if n <= 0:
        raise ValueError("bootstrap_indices needs at least one item to resample")
    return rng(seed).integers(0, n, size=(n_boot, n))


def bootstrap_ci(
    values: Sequence[float] | np.ndarray,
    *,
    stat: Callable[[np.ndarray], float] = np.mean,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
) -> tuple[float, float, float]:
    """Percentile bootstrap confidence interval of ``stat(values)``.

    Efron & Tibshirani (1993), percentile method. NaN values are dropped first.

    Parameters
    ----------
    values : array-like of float
        The observations (documents or sentences).
    stat : callable
        Statistic computed on a 1-D array; must accept an ``axis`` keyword when it is a
        numpy reduction (``np.mean``, ``np.median``) — then the resamples are vectorised.
    n_boot : int
        Number of resamples.
    ci : float
        Coverage of the interval, e.g. 0.95.
    seed : int
        Seed of the resampling; identical inputs and seed give identical intervals.

    Returns
    -------
    tuple of float
        ``(estimate, low, high)`` in the unit of ``values``. With one observation the
        interval collapses to the estimate; with none all three are NaN.
    """
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1 (got {ci!r}); use e.g. ci=0.95")
    arr = np.asarray(values, dtype=float)
    arr = arr[~np.isnan(arr)]
    if arr.size == 0:
        return (float("nan"),) * 3
    estimate = float(stat(arr))
    if arr.size == 1:
        return estimate, estimate, estimate
    idx = bootstrap_indices(arr.size, n_boot, seed=seed)
    samples = arr[idx]
    try:
        boot = np.asarray(stat(samples, axis=1), dtype=float)  # type: ignore[call-arg]
    except TypeError:
        boot = np.array([stat(row) for row in samples], dtype=float)
    alpha = (1 - ci) / 2
    low, high = np.nanquantile(boot, [alpha, 1 - alpha])
    return estimate, float(low), float(high)


def bh_qvalues(pvalues: Sequence[float] | np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg (1995) adjusted p-values (q-values) controlling the FDR.

    q_(i) = min_{k >= i} ( m · p_(k) / k ), capped at 1, returned in the input order.
    NaN p-values stay NaN and do not count towards ``m``.

    Parameters
    ----------
    pvalues : array-like of float
        Unadjusted p-values in [0, 1].

    Returns
    -------
    numpy.ndarray
        q-values, same shape and order as ``pvalues``; lower = stronger evidence.
    """
    p = np.asarray(pvalues, dtype=float)
    q = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return q
    pv = p[ok]
    order = np.argsort(pv, kind="mergesort")
    ranked = pv[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.clip(ranked, 0, 1)
    q[ok] = out
    return q
