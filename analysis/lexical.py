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

The term-count table (``doc_id, outlet, term, n``) feeds :mod:`analysis.keyness`.
"""

from __future__ import annotations

import functools

import logging
import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis import corpus as _corpus
from analysis import text as _text
from analysis.errors import NotEnoughData, ParameterError

__all__ = [
    "DIVERSITY_COLUMNS",
    "TERM_COUNT_COLUMNS",
    "diversity",
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


def _sentence_chunks(body: str, lowercase: bool) -> Iterable[list[str]]:
    """Runs of words with nothing but white space between them, sentence by sentence.

    A chunk ends at a sentence boundary and at any punctuation between two words (comma,
    dash, quotation mark, parenthesis, colon), so n-grams never span them. Words are those of
    :func:`analysis.text.words` (one :func:`analysis.text.word_spans` pass per document).
    """
    spans = _text.word_spans(body)
    if not spans:
        return
    starts = [s for s, _ in spans]
    for s_start, s_end in _text.sentence_spans(body):
        lo = bisect_left(starts, s_start)
        hi = bisect_left(starts, s_end)
        chunk: list[str] = []
        prev_end = None
        for ws, we in spans[lo:hi]:
            if prev_end is not None and body[prev_end:ws].strip():
                yield chunk
                chunk = []
            word = body[ws:we].replace("\u2019", "'")
            chunk.append(_text.normalise_token(word) if lowercase else word)
            prev_end = we
        if chunk:
            yield chunk


def _ngrams(
    chunk: Sequence[str], lo: int, hi: int, stop: frozenset[str] | set[str]
) -> Iterable[str]:
    """n-grams of one chunk; an n-gram containing a stop word is skipped."""
    keep = [t not in stop for t in chunk]
    n_tok = len(chunk)
    for size in range(lo, hi + 1):
        run = 0  # length of the current run of non-stop tokens ending at i
        for i in range(n_tok):
            run = run + 1 if keep[i] else 0
            if run >= size:
                yield " ".join(chunk[i - size + 1 : i + 1])


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
    bigram ``city rafah``). Terms are the n-gram's words joined by one space.

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
    check_docs(docs, needed=["doc_id", "outlet", "text"], func="term_counts")
    if (
        not isinstance(ngram_range, (tuple, list))
        or len(ngram_range) != 2
        or not all(isinstance(x, (int, np.integer)) for x in ngram_range)
        or not 1 <= ngram_range[0] <= ngram_range[1]
    ):
        raise ParameterError(
            f"term_counts: `ngram_range` must be (min_n, max_n) with 1 <= min_n <= max_n, "
            f"got {ngram_range!r}; e.g. (1, 2)."
        )
    if not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise ParameterError(
            f"term_counts: `min_count` must be an integer >= 1, got {min_count!r}."
        )
    stop: frozenset[str] | set[str]
    if stop_words is None:
        stop = frozenset()
    elif isinstance(stop_words, str):
        raise ParameterError(
            "term_counts: `stop_words` must be a collection of words or None, not a string; "
            "pass analysis.text.STOP_WORDS or a set."
        )
    else:
        stop = {w.lower() for w in stop_words} if lowercase else set(stop_words)
    lo, hi = int(ngram_range[0]), int(ngram_range[1])

    doc_col: list[object] = []
    outlet_col: list[object] = []
    term_col: list[str] = []
    n_col: list[int] = []
    total: Counter[str] = Counter()
    for doc_id, outlet, body in zip(docs["doc_id"], docs["outlet"], docs["text"], strict=True):
        counts: Counter[str] = Counter()
        for chunk in _sentence_chunks(_text_of(body), lowercase):
            counts.update(_ngrams(chunk, lo, hi, stop))
        total.update(counts)
        for term in sorted(counts):
            doc_col.append(doc_id)
            outlet_col.append(outlet)
            term_col.append(term)
            n_col.append(counts[term])
    out = pd.DataFrame(
        {"doc_id": doc_col, "outlet": outlet_col, "term": term_col, "n": n_col},
        columns=TERM_COUNT_COLUMNS,
    )
    out["n"] = out["n"].astype("int64")
    if min_count > 1 and len(out):
        keep = {t for t, c in total.items() if c >= min_count}
        out = out[out["term"].isin(keep)].reset_index(drop=True)
    if out.empty:
        raise NotEnoughData(
            f"term_counts: no terms left in {len(docs)} document(s) after removing stop words "
            f"({len(stop)} stop words) "
            f"and applying min_count={min_count}; pass stop_words=None, a smaller stop-word "
            "list or a lower min_count, or check that `text` is not empty."
        )
    out.attrs.update({"ngram_range": (lo, hi), "min_count": int(min_count), "lowercase": lowercase})
    return out
