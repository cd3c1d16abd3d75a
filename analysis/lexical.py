"""Lexical diversity per document and the term-count table.

Diversity measures (per document, on lower-cased kit tokens from :func:`analysis.text.tokens`):

* TTR = V / N (types over tokens).
* MATTR, the moving-average TTR (Covington & McFall 2010): the mean TTR of every window of
  ``window`` consecutive tokens.
* MTLD, the measure of textual lexical diversity (McCarthy & Jarvis 2010): the mean length of
  runs of tokens that keep their running TTR above a threshold, averaged over a forward and a
  reversed pass.
* HD-D (McCarthy & Jarvis 2007): the expected TTR of a random sample of ``hdd_sample`` tokens,
  from the hypergeometric distribution.

All four are "higher = more varied vocabulary". MTLD and HD-D follow the ``lexicalrichness``
package (0.5.1) exactly, so the kit's values equal it on the same token list.

The term-count table (``doc_id, outlet, term, n``) feeds :mod:`analysis.keyness`; the same
counts as a sparse matrix (:func:`document_terms`, computed by :mod:`analysis.vectorize`) feed
:func:`analysis.reuse.similarity`.
"""

from __future__ import annotations

import functools

import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis import corpus as _corpus
from analysis import text as _text
from analysis import vectorize as _vectorize
from analysis.errors import NotEnoughData, ParameterError

__all__ = [
    "DIVERSITY_COLUMNS",
    "TERM_COUNT_COLUMNS",
    "diversity",
    "document_terms",
    "hdd",
    "mattr",
    "mtld",
    "term_counts",
    "ttr",
]

log = logging.getLogger(__name__)

DIVERSITY_COLUMNS = [
    "doc_id",
    "outlet",
    "event_id",
    "n_tokens",
    "n_types",
    "ttr",
    "mattr",
    "mattr_window",
    "mtld",
    "hdd",
]
TERM_COUNT_COLUMNS = ["doc_id", "outlet", "term", "n"]

# --------------------------------------------------------------------------- input checks


check_docs = functools.partial(_corpus.check_docs, unique_ids=True)  # shared with reuse


def _text_of(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


# --------------------------------------------------------------------------- measures on tokens


def ttr(tokens: Sequence[str]) -> float:
    """Type-token ratio V / N (Templin 1957); NaN for an empty token list.

    Higher = more varied vocabulary, but falls with text length.
    """
    n = len(tokens)
    return len(set(tokens)) / n if n else float("nan")


def mattr(tokens: Sequence[str], *, window: int = 100) -> float:
    """Moving-average type-token ratio (Covington & McFall 2010).

    The mean TTR over every window of ``window`` consecutive tokens (N − window + 1 windows),
    computed in one pass with a sliding count. When the text is shorter than the window
    (N < window) the only window is the whole text and MATTR equals TTR (the caller reports the
    effective window in ``mattr_window``). Equals ``lexicalrichness`` ``mattr(window_size)``.

    Parameters
    ----------
    tokens : sequence of str
        Tokens in text order.
    window : int, default 100
        Window length in tokens (100 as in quanteda and lexicalrichness).

    Returns
    -------
    float
        MATTR in [0, 1]; higher = more varied vocabulary. NaN for no tokens.
    """
    if not isinstance(window, (int, np.integer)) or isinstance(window, bool) or window < 1:
        raise ParameterError(f"mattr: `window` must be a positive integer, got {window!r}.")
    n = len(tokens)
    if n == 0:
        return float("nan")
    if n <= window:
        return ttr(tokens)
    counts: Counter[str] = Counter(tokens[:window])
    types = len(counts)
    total = types
    for i in range(window, n):
        new, old = tokens[i], tokens[i - window]
        if new != old:
            counts[old] -= 1
            if counts[old] == 0:
                del counts[old]
                types -= 1
            if counts[new] == 0:
                types += 1
            counts[new] += 1
        total += types
    return total / ((n - window + 1) * window)


def _mtld_pass(tokens: Iterable[str], n_tokens: int, n_types: int, threshold: float) -> float:
    seen: set[str] = set()
    count = 0
    factors = 0.0
    running = 1.0
    for tok in tokens:
        count += 1
        seen.add(tok)
        running = len(seen) / count
        if running <= threshold:  # a factor closes at TTR <= threshold (lexicalrichness)
            factors += 1
            seen = set()
            count = 0
    if count > 0:
        factors += (1 - running) / (1 - threshold)
    if factors == 0:
        # The text never reached the threshold and its last partial factor is empty (every
        # token unique): one factor, as in lexicalrichness.
        whole = n_types / n_tokens
        factors = 1.0 if whole == 1 else (1 - whole) / (1 - threshold)
    return n_tokens / factors


def mtld(tokens: Sequence[str], *, threshold: float = 0.72) -> float:
    """Measure of textual lexical diversity (McCarthy & Jarvis 2010).

    Walk the tokens keeping the running TTR of the current factor; when it falls to the
    threshold (``TTR <= threshold``, the ``lexicalrichness`` convention) count one factor and
    start a new one. The unfinished last factor adds ``(1 - TTR_rest) / (1 - threshold)``.
    MTLD = N / factors, averaged over the forward and the reversed token order. A text whose
    tokens are all different has one factor (MTLD = N).

    Parameters
    ----------
    tokens : sequence of str
        Tokens in text order.
    threshold : float, default 0.72
        Factor threshold (McCarthy & Jarvis recommend 0.72).

    Returns
    -------
    float
        MTLD in tokens per factor; higher = more varied vocabulary. NaN for no tokens.
    """
    if not 0 < threshold < 1:
        raise ParameterError(f"mtld: `threshold` must lie in (0, 1), got {threshold!r}.")
    n = len(tokens)
    if n == 0:
        return float("nan")
    v = len(set(tokens))
    forward = _mtld_pass(tokens, n, v, threshold)
    backward = _mtld_pass(reversed(tokens), n, v, threshold)
    return (forward + backward) / 2


def hdd(tokens: Sequence[str], *, sample: int = 42) -> float:
    """Hypergeometric distribution diversity, HD-D (McCarthy & Jarvis 2007).

    HD-D = Σ over types of [1 − C(N − f, s) / C(N, s)] / s, where f is the type's frequency and
    s the sample size: the expected TTR of a random draw of s tokens without replacement.

    Parameters
    ----------
    tokens : sequence of str
        Tokens (order irrelevant).
    sample : int, default 42
        Draw size s (42 as in McCarthy & Jarvis and lexicalrichness).

    Returns
    -------
    float
        HD-D in [0, 1]; higher = more varied vocabulary. NaN when N < ``sample`` (the draw is
        impossible; lexicalrichness raises instead).
    """
    if not isinstance(sample, (int, np.integer)) or isinstance(sample, bool) or sample < 1:
        raise ParameterError(f"hdd: `sample` must be a positive integer, got {sample!r}.")
    n = len(tokens)
    if n < sample:
        return float("nan")
    from scipy.special import gammaln

    freqs = np.fromiter(Counter(tokens).values(), dtype=float)
    rest = n - freqs
    # log C(N-f, s) - log C(N, s); the term is 0 when N - f < s.
    ok = rest >= sample
    log_ratio = (
        gammaln(rest[ok] + 1)
        - gammaln(rest[ok] - sample + 1)
        - gammaln(n + 1)
        + gammaln(n - sample + 1)
    )
    p_absent = np.zeros_like(freqs)
    p_absent[ok] = np.exp(log_ratio)
    return float(np.sum(1.0 - p_absent) / sample)


# --------------------------------------------------------------------------- per document


def diversity(
    docs: pd.DataFrame,
    *,
    window: int = 100,
    mtld_threshold: float = 0.72,
    hdd_sample: int = 42,
) -> pd.DataFrame:
    """Lexical diversity of each document: TTR, MATTR, MTLD and HD-D.

    Tokens are :func:`analysis.text.tokens` of ``text`` (lower-cased words: letters/digits with
    internal apostrophes and hyphens, numbers as one token, punctuation dropped). Formulas as in
    METHODS.md; MTLD and HD-D match the ``lexicalrichness`` package on the same token list.

    Parameters
    ----------
    docs : pandas.DataFrame
        The docs table; reads ``doc_id``, ``outlet``, ``text`` (and ``event_id`` if present).
    window : int, default 100
        MATTR window in tokens (Covington & McFall 2010; quanteda and lexicalrichness use 100).
    mtld_threshold : float, default 0.72
        MTLD factor threshold; a factor closes when the running TTR is ``<=`` it.
    hdd_sample : int, default 42
        HD-D draw size in tokens.

    Returns
    -------
    pandas.DataFrame
        One row per document, in input order:

        - ``doc_id``, ``outlet``, ``event_id``: keys (``event_id`` is NA if docs lack it).
        - ``n_tokens``: tokens N; ``n_types``: distinct tokens V.
        - ``ttr``: V / N in [0, 1].
        - ``mattr``: moving-average TTR over windows of ``window`` tokens, in [0, 1]. When
          N < ``window`` there is one window, the whole text, so ``mattr`` equals ``ttr``.
        - ``mattr_window``: the window actually used, min(``window``, N) tokens (shows where
          MATTR fell back to TTR).
        - ``mtld``: tokens per factor (McCarthy & Jarvis 2010), forward/reverse mean.
        - ``hdd``: HD-D in [0, 1] for a draw of ``hdd_sample`` tokens; NaN if N < ``hdd_sample``.

        Every score: higher = more varied vocabulary. All scores are NaN for a document without
        tokens. Parameters are kept in ``DataFrame.attrs``.

    References
    ----------
    Covington, M. A., & McFall, J. D. (2010). Cutting the Gordian knot: The moving-average
    type-token ratio (MATTR). Journal of Quantitative Linguistics, 17(2), 94-100.
    McCarthy, P. M., & Jarvis, S. (2007). vocd: A theoretical and empirical evaluation.
    Language Testing, 24(4), 459-488.
    McCarthy, P. M., & Jarvis, S. (2010). MTLD, vocd-D, and HD-D. Behavior Research Methods,
    42(2), 381-392.
    """
    check_docs(docs, needed=["doc_id", "outlet", "text"], func="diversity")
    if not isinstance(window, (int, np.integer)) or isinstance(window, bool) or window < 1:
        raise ParameterError(f"diversity: `window` must be a positive integer, got {window!r}.")
    if not 0 < mtld_threshold < 1:
        raise ParameterError(
            f"diversity: `mtld_threshold` must lie in (0, 1), got {mtld_threshold!r}; use 0.72."
        )
    if (
        not isinstance(hdd_sample, (int, np.integer))
        or isinstance(hdd_sample, bool)
        or hdd_sample < 1
    ):
        raise ParameterError(
            f"diversity: `hdd_sample` must be a positive integer, got {hdd_sample!r}; use 42."
        )
    rows = []
    events = docs["event_id"] if "event_id" in docs.columns else pd.Series(pd.NA, index=docs.index)
    for doc_id, outlet, event_id, body in zip(
        docs["doc_id"], docs["outlet"], events, docs["text"], strict=True
    ):
        toks = _text.tokens(_text_of(body))
        n = len(toks)
        if n and n < window:
            log.info(
                "diversity: document %s has %d tokens < window %d; MATTR equals TTR.",
                doc_id,
                n,
                window,
            )
        rows.append(
            {
                "doc_id": doc_id,
                "outlet": outlet,
                "event_id": event_id,
                "n_tokens": n,
                "n_types": len(set(toks)),
                "ttr": ttr(toks),
                "mattr": mattr(toks, window=window),
                "mattr_window": min(window, n),
                "mtld": mtld(toks, threshold=mtld_threshold),
                "hdd": hdd(toks, sample=hdd_sample),
            }
        )
    out = pd.DataFrame(rows, columns=DIVERSITY_COLUMNS)
    out["n_tokens"] = out["n_tokens"].astype("int64")
    out["n_types"] = out["n_types"].astype("int64")
    out["mattr_window"] = out["mattr_window"].astype("int64")
    out.attrs.update(
        {
            "tokenizer": "analysis.text.tokens (lower-cased)",
            "window": int(window),
            "mtld_threshold": float(mtld_threshold),
            "hdd_sample": int(hdd_sample),
        }
    )
    return out


# --------------------------------------------------------------------------- term counts


def document_terms(
    docs: pd.DataFrame,
    *,
    ngram_range: tuple[int, int] = (1, 2),
    stop_words: Iterable[str] | None = _text.STOP_WORDS,
    min_count: int = 1,
    lowercase: bool = True,
) -> _vectorize.TermMatrix:
    """The counts of :func:`term_counts` as a sparse document × term matrix.

    Same rules, options and errors as :func:`term_counts` (see its parameters); use it when
    the next step wants a matrix (TF-IDF, similarity) rather than the tidy table. Counted by
    :func:`analysis.vectorize.term_matrix`.

    Returns
    -------
    analysis.vectorize.TermMatrix
        ``counts``: scipy.sparse CSR matrix, one row per document (input order), one column per
        term, occurrences per document (int64); ``terms``: the column terms, sorted. Terms whose
        corpus total is below ``min_count`` are left out.

    Raises
    ------
    NotEnoughData
        If no term is left (e.g. every word is a stop word); the message names the fix.
    """
    return _document_terms(docs, ngram_range=ngram_range, stop_words=stop_words,
                           min_count=min_count, lowercase=lowercase, func="document_terms")


def _document_terms(
    docs: pd.DataFrame,
    *,
    ngram_range: tuple[int, int],
    stop_words: Iterable[str] | None,
    min_count: int,
    lowercase: bool,
    func: str,
) -> _vectorize.TermMatrix:
    """:func:`document_terms`; ``func`` names the public function in error messages."""
    check_docs(docs, needed=["doc_id", "outlet", "text"], func=func)
    if (
        not isinstance(ngram_range, (tuple, list))
        or len(ngram_range) != 2
        or not all(isinstance(x, (int, np.integer)) for x in ngram_range)
        or not 1 <= ngram_range[0] <= ngram_range[1]
    ):
        raise ParameterError(
            f"{func}: `ngram_range` must be (min_n, max_n) with 1 <= min_n <= max_n, "
            f"got {ngram_range!r}; e.g. (1, 2)."
        )
    if not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise ParameterError(
            f"{func}: `min_count` must be an integer >= 1, got {min_count!r}."
        )
    stop: frozenset[str] | set[str]
    if stop_words is None:
        stop = frozenset()
    elif isinstance(stop_words, str):
        raise ParameterError(
            f"{func}: `stop_words` must be a collection of words or None, not a string; "
            "pass analysis.text.STOP_WORDS or a set."
        )
    else:
        stop = {w.lower() for w in stop_words} if lowercase else set(stop_words)
    lo, hi = int(ngram_range[0]), int(ngram_range[1])

    tm = _vectorize.term_matrix(
        [_text_of(body) for body in docs["text"]],
        ngram_range=(lo, hi),
        stop_words=stop,
        lowercase=lowercase,
    )
    if min_count > 1 and tm.counts.nnz:
        keep = np.flatnonzero(tm.totals() >= min_count)
        kept = tm.counts[:, keep].tocsr()
        kept.sort_indices()
        tm = _vectorize.TermMatrix(counts=kept, terms=tm.terms[keep])
    if not tm.counts.nnz:
        raise NotEnoughData(
            f"{func}: no terms left in {len(docs)} document(s) after removing stop words "
            f"({len(stop)} stop words) "
            f"and applying min_count={min_count}; pass stop_words=None, a smaller stop-word "
            "list or a lower min_count, or check that `text` is not empty."
        )
    return tm


def _take(column: pd.Series, rows: np.ndarray) -> pd.Series:
    """``column``'s values at positions ``rows``, with the dtype pandas infers for them."""
    values = column.array.take(rows)
    if values.dtype == object:
        # as pandas infers a column from a list of these values (str, int64, ...)
        return pd.Series(np.asarray(values, dtype=object)).infer_objects()
    return pd.Series(values)


def term_counts(
    docs: pd.DataFrame,
    *,
    ngram_range: tuple[int, int] = (1, 2),
    stop_words: Iterable[str] | None = _text.STOP_WORDS,
    min_count: int = 1,
    lowercase: bool = True,
) -> pd.DataFrame:
    """Count words and word n-grams per document.

    Each document's ``text`` is split into sentences (:func:`analysis.text.sentence_spans`) and
    words (:func:`analysis.text.words`). n-grams never cross a sentence boundary, nor any
    punctuation between two words (comma, dash, colon, quotation mark, parenthesis).
    Stop-word policy:
    an n-gram (unigram or longer) that contains a stop word is dropped, and n-grams are never
    formed across a removed stop word ("the city of Rafah" gives ``city`` and ``rafah`` but no
    bigram ``city rafah``). Terms are the n-gram's words joined by one space. Counted in one
    pass per document into a sparse matrix (:func:`document_terms`,
    :func:`analysis.vectorize.term_matrix`); this table is its tidy form.

    Parameters
    ----------
    docs : pandas.DataFrame
        The docs table; reads ``doc_id``, ``outlet``, ``text``.
    ngram_range : (int, int), default (1, 2)
        Smallest and largest n-gram length in words (inclusive).
    stop_words : iterable of str or None, default :data:`analysis.text.STOP_WORDS`
        Words to drop (compared after lower-casing when ``lowercase``); None keeps every word.
    min_count : int, default 1
        Keep a term only if its count over the whole corpus is at least this.
    lowercase : bool, default True
        Lower-case words before counting.

    Returns
    -------
    pandas.DataFrame
        Term-count table, one row per (document, term) with n >= 1: ``doc_id``, ``outlet``,
        ``term`` (str), ``n`` (int, occurrences in the document). Sorted by document (input
        order) then term.

    Raises
    ------
    NotEnoughData
        If no term is left (e.g. every word is a stop word); the message names the fix.
    """
    tm = _document_terms(
        docs,
        ngram_range=ngram_range,
        stop_words=stop_words,
        min_count=min_count,
        lowercase=lowercase,
        func="term_counts",
    )
    counts = tm.counts
    rows = np.repeat(np.arange(len(docs)), np.diff(counts.indptr))
    out = pd.DataFrame(
        {
            "doc_id": _take(docs["doc_id"], rows),
            "outlet": _take(docs["outlet"], rows),
            "term": _take(_vectorize.string_column(tm.terms), counts.indices),
            "n": counts.data.astype("int64"),
        },
        columns=TERM_COUNT_COLUMNS,
    )
    lo, hi = int(ngram_range[0]), int(ngram_range[1])
    out.attrs.update({"ngram_range": (lo, hi), "min_count": int(min_count), "lowercase": lowercase})
    return out
