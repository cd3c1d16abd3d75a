"""Readability per document and per sentence: the counts behind every score, then the scores.

Counts come from the kit's news-aware text primitives (:mod:`analysis.text`): sentences that
do not break at "U.S.", "Sen." or "Oct. 7", words that exclude punctuation, and syllables from
the CMU Pronouncing Dictionary with a Pyphen fallback. Every formula is a pure, vectorised
function of counts (``*_from_counts``), so a score can be recomputed from the count columns —
and, given textstat's counts, each one equals textstat 0.7.13's unrounded backend value.

Sources of the formulas: Flesch (1948); Kincaid, Fishburne, Rogers & Chissom (1975); Gunning
(1952); McLaughlin (1969, SMOG); Coleman & Liau (1975); Senter & Smith (1967, ARI); Dale & Chall
(1948); O'Hayre (1966, Linsear Write); Björnsson (1968, LIX). Coefficients follow
``shared/guide/METHODS.md`` and textstat 0.7.13 (``textstat/backend/metrics``).

textstat 0.7.13 does not round by default (``set_rounding_points(None)``); the kit compares
against those unrounded values and never rounds its own.

Speed: a corpus is counted in one pass. Each whitespace token's word features (syllables,
easy-list membership, letters, ...) are computed once and cached; per-sentence and per-document
sums are one sparse matrix product; the formulas run once over whole columns. On news-length
documents this is over ten times faster than calling textstat's nine standard formulas per
document (``benchmarks/readability.py``); most of the remaining time is sentence segmentation.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import text as _text
from analysis.corpus import check_docs
from analysis.errors import ParameterError, ResourceMissing

__all__ = [
    "readability",
    "readability_sentences",
    "flesch_reading_ease_from_counts",
    "flesch_kincaid_grade_from_counts",
    "gunning_fog_from_counts",
    "smog_from_counts",
    "coleman_liau_from_counts",
    "ari_from_counts",
    "dale_chall_1948_from_counts",
    "linsear_write_from_counts",
    "lix_from_counts",
    "consensus_grade_from_scores",
    "scores_from_counts",
    "easy_words",
    "COUNT_COLUMNS",
    "SCORE_COLUMNS",
    "GRADE_COLUMNS",
]

logger = logging.getLogger(__name__)

KEY_COLUMNS = ["doc_id", "outlet", "event_id"]

#: Count columns of :func:`readability`, in order.
COUNT_COLUMNS = [
    "n_sentences",
    "n_words",
    "n_syllables",
    "n_polysyllables",
    "n_long_words",
    "n_difficult_words",
    "n_complex_words",
    "n_letters",
    "n_characters",
]

#: Score columns of :func:`readability`, in order (each recomputable from the counts).
SCORE_COLUMNS = [
    "words_per_sentence",
    "syllables_per_word",
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog",
    "coleman_liau",
    "coleman_liau_textstat",
    "ari",
    "dale_chall_1948",
    "linsear_write",
    "lix",
    "consensus_grade",
]

#: The US grade-level formulas whose median is ``consensus_grade``.
GRADE_COLUMNS = ["flesch_kincaid_grade", "gunning_fog", "smog", "coleman_liau", "ari", "linsear_write"]

#: Number of words Linsear Write samples from the start of a document (O'Hayre 1966).
LINSEAR_SAMPLE_WORDS = 100

_END_PUNCT = re.compile(r"[.!?\u2026]")
_ENGLISH_CODES = {"en", "eng", "english"}


# --------------------------------------------------------------------------------------------
# Formulas on counts (pure, vectorised). Zero denominators give NaN, never an error.
# --------------------------------------------------------------------------------------------


def _f(x: object) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _div(num: object, den: object) -> np.ndarray:
    num, den = _f(num), _f(den)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    return np.where(den > 0, out, np.nan)


def _out(x: np.ndarray) -> np.ndarray | float:
    return float(x) if np.ndim(x) == 0 else x


def flesch_reading_ease_from_counts(n_words, n_sentences, n_syllables):
    """Flesch Reading Ease (Flesch 1948): ``206.835 − 1.015·ASL − 84.6·ASW``.

    ASL = words / sentences, ASW = syllables / words. Higher = easier to read (roughly 0–100;
    60–70 is plain English). Arrays broadcast; NaN where a denominator is zero.

    Returns
    -------
    float or numpy.ndarray
    """
    asl, asw = _div(n_words, n_sentences), _div(n_syllables, n_words)
    return _out(206.835 - 1.015 * asl - 84.6 * asw)


def flesch_kincaid_grade_from_counts(n_words, n_sentences, n_syllables):
    """Flesch-Kincaid grade (Kincaid et al. 1975): ``0.39·ASL + 11.8·ASW − 15.59``.

    A US school grade; higher = harder. NaN where a denominator is zero.

    Returns
    -------
    float or numpy.ndarray
    """
    asl, asw = _div(n_words, n_sentences), _div(n_syllables, n_words)
    return _out(0.39 * asl + 11.8 * asw - 15.59)


def gunning_fog_from_counts(n_words, n_sentences, n_complex_words):
    """Gunning Fog index (Gunning 1952): ``0.4·(ASL + 100·complex / words)``.

    ``complex`` as in textstat: 3+ syllables and not on the Dale-Chall easy-word list (Gunning
    also excluded proper nouns and -es/-ed forms; neither the kit nor textstat does). A US
    grade; higher = harder.

    Returns
    -------
    float or numpy.ndarray
    """
    asl = _div(n_words, n_sentences)
    return _out(0.4 * (asl + 100.0 * _div(n_complex_words, n_words)))


def smog_from_counts(n_sentences, n_polysyllables):
    """SMOG grade (McLaughlin 1969): ``1.043·√(30·polysyllables / sentences) + 3.1291``.

    Polysyllables = words of 3+ syllables. Calibrated on 30-sentence samples; like textstat the
    kit applies it to any length. A US grade; higher = harder.

    Returns
    -------
    float or numpy.ndarray
    """
    return _out(1.043 * np.sqrt(30.0 * _div(n_polysyllables, n_sentences)) + 3.1291)


def coleman_liau_from_counts(n_words, n_sentences, n_letters, *, letter_coef: float = 0.0588):
    """Coleman-Liau index (Coleman & Liau 1975): ``c·L − 0.296·S − 15.8``.

    L = letters per 100 words, S = sentences per 100 words. ``letter_coef`` is 0.0588 in the
    original paper (the kit's ``coleman_liau``); textstat uses 0.058 (the kit's
    ``coleman_liau_textstat``). A US grade; higher = harder.

    Returns
    -------
    float or numpy.ndarray
    """
    letters = 100.0 * _div(n_letters, n_words)
    sents = 100.0 * _div(n_sentences, n_words)
    return _out(letter_coef * letters - 0.296 * sents - 15.8)


def ari_from_counts(n_words, n_sentences, n_characters):
    """Automated Readability Index (Senter & Smith 1967).

    ``4.71·characters / words + 0.5·words / sentences − 21.43``. A US grade; higher = harder.

    Returns
    -------
    float or numpy.ndarray
    """
    return _out(4.71 * _div(n_characters, n_words) + 0.5 * _div(n_words, n_sentences) - 21.43)


def dale_chall_1948_from_counts(n_words, n_sentences, n_difficult_words):
    """Dale-Chall raw score, 1948 formula with its adjustment, as in textstat.

    ``0.1579·PDW + 0.0496·ASL``, plus 3.6365 when PDW > 5, where PDW is the percentage of words
    not on the Dale-Chall easy-word list (Dale & Chall 1948). Not the 1995 "new Dale-Chall"
    (quanteda's ``Dale.Chall.new``). Scores ≤ 4.9 read as grade 4 or below, 9.0–9.9 as
    college; higher = harder.

    Returns
    -------
    float or numpy.ndarray
    """
    pdw = 100.0 * _div(n_difficult_words, n_words)
    score = 0.1579 * pdw + 0.0496 * _div(n_words, n_sentences)
    return _out(np.where(pdw > 5, score + 3.6365, score))


def linsear_write_from_counts(n_easy, n_hard, n_sentences):
    """Linsear Write (O'Hayre 1966) on a word sample, as in textstat.

    ``r = (easy + 3·hard) / sentences``; ``r − 2`` when ``r ≤ 20``; then halved. Easy words
    have 1–2 syllables, hard words 3+. The kit's document score samples the first 100 words
    and the sentences that begin within them. A US grade; higher = harder.

    Returns
    -------
    float or numpy.ndarray
    """
    r = _div(_f(n_easy) + 3.0 * _f(n_hard), n_sentences)
    return _out(np.where(r <= 20, r - 2.0, r) / 2.0)


def lix_from_counts(n_words, n_sentences, n_long_words):
    """LIX (Björnsson 1968): ``ASL + 100·long words / words``; long = more than 6 letters.

    Higher = harder (below 30 very easy, above 60 very hard).

    Returns
    -------
    float or numpy.ndarray
    """
    return _out(_div(n_words, n_sentences) + 100.0 * _div(n_long_words, n_words))


def consensus_grade_from_scores(scores: pd.DataFrame) -> pd.Series:
    """Median of the US grade-level formulas, row by row.

    The grade formulas are :data:`GRADE_COLUMNS`: Flesch-Kincaid, Gunning Fog, SMOG,
    Coleman-Liau (0.0588), ARI and Linsear Write. Flesch Reading Ease, Dale-Chall and LIX are
    left out because they are not on a grade scale. NaN entries are ignored; all NaN gives NaN.
    This is not textstat's ``text_standard`` (which votes on floor/ceil/round of each score).

    Returns
    -------
    pandas.Series
        Grade level; higher = harder.
    """
    block = scores[GRADE_COLUMNS].to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        med = np.nanmedian(block, axis=1) if block.size else np.zeros(0)
    return pd.Series(med, index=scores.index, name="consensus_grade")


def scores_from_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Every score of :data:`SCORE_COLUMNS` from a frame of counts.

    Parameters
    ----------
    counts : pandas.DataFrame
        Columns ``n_sentences, n_words, n_syllables, n_polysyllables, n_long_words,
        n_difficult_words, n_complex_words, n_letters, n_characters`` and, for Linsear Write,
        ``n_linsear_easy, n_linsear_hard, n_linsear_sentences`` (when missing, Linsear Write
        uses all words: easy = words − polysyllables, hard = polysyllables, all sentences).

    Returns
    -------
    pandas.DataFrame
        The :data:`SCORE_COLUMNS`, same index as ``counts``; see :func:`readability`.
    """
    c = {k: counts[k].to_numpy(dtype=float) for k in COUNT_COLUMNS}
    if {"n_linsear_easy", "n_linsear_hard", "n_linsear_sentences"} <= set(counts.columns):
        lw = linsear_write_from_counts(
            counts["n_linsear_easy"].to_numpy(dtype=float),
            counts["n_linsear_hard"].to_numpy(dtype=float),
            counts["n_linsear_sentences"].to_numpy(dtype=float),
        )
    else:
        lw = linsear_write_from_counts(
            c["n_words"] - c["n_polysyllables"], c["n_polysyllables"], c["n_sentences"]
        )
    w, s = c["n_words"], c["n_sentences"]
    out = pd.DataFrame(
        {
            "words_per_sentence": _div(w, s),
            "syllables_per_word": _div(c["n_syllables"], w),
            "flesch_reading_ease": flesch_reading_ease_from_counts(w, s, c["n_syllables"]),
            "flesch_kincaid_grade": flesch_kincaid_grade_from_counts(w, s, c["n_syllables"]),
            "gunning_fog": gunning_fog_from_counts(w, s, c["n_complex_words"]),
            "smog": smog_from_counts(s, c["n_polysyllables"]),
            "coleman_liau": coleman_liau_from_counts(w, s, c["n_letters"]),
            "coleman_liau_textstat": coleman_liau_from_counts(
                w, s, c["n_letters"], letter_coef=0.058
            ),
            "ari": ari_from_counts(w, s, c["n_characters"]),
            "dale_chall_1948": dale_chall_1948_from_counts(w, s, c["n_difficult_words"]),
            "linsear_write": lw,
            "lix": lix_from_counts(w, s, c["n_long_words"]),
        },
        index=counts.index,
    )
    out["consensus_grade"] = consensus_grade_from_scores(out)
    return out


# --------------------------------------------------------------------------------------------
# Word features, cached per word form
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def easy_words() -> frozenset[str]:
    """The Dale-Chall easy-word list (about 3,000 words, lower case) shipped with textstat.

    Loaded at run time from the ``textstat`` package (``textstat/resources/en/easy_words.txt``),
    the same list textstat's Dale-Chall and Gunning Fog use.

    Raises
    ------
    ResourceMissing
        When textstat or its word list is not installed (``pip install textstat==0.7.13``).
    """
    try:
        import importlib.util
        from pathlib import Path

        # locate the installed package without importing it (importing textstat loads nltk)
        spec = importlib.util.find_spec("textstat")
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError("textstat")
        ref = Path(list(spec.submodule_search_locations)[0]) / "resources" / "en" / "easy_words.txt"
        with ref.open(encoding="utf-8") as fh:
            words = frozenset(line.strip().lower() for line in fh if line.strip())
    except (ModuleNotFoundError, FileNotFoundError) as exc:  # pragma: no cover - env issue
        raise ResourceMissing(
            "The Dale-Chall easy-word list comes from the 'textstat' package "
            "(textstat/resources/en/easy_words.txt); install it with pip install textstat==0.7.13"
        ) from exc
    if not words:  # pragma: no cover - env issue
        raise ResourceMissing("textstat's easy_words.txt is empty; reinstall textstat==0.7.13")
    return words


# Per-word feature vector, in this order (column 0 is the number of words).
#: Count columns of :func:`readability_sentences` (summable: a document is their sum):
#: every per-document count but ``n_sentences``, plus Linsear Write's easy-word count.
SENTENCE_COUNT_COLUMNS = [c for c in COUNT_COLUMNS if c != "n_sentences"] + ["n_linsear_easy"]
_FEATURES = SENTENCE_COUNT_COLUMNS + ["n_stop_words"]
_COL = {name: j for j, name in enumerate(_FEATURES)}


def _word_features(word: str) -> tuple[int, ...]:
    """Feature vector of one word (see ``_FEATURES``)."""
    lower = word.lower()
    syl = int(_text.syllables(word))
    alnum = sum(ch.isalnum() for ch in word)
    letters = sum(ch.isalpha() for ch in word)
    easy = lower in easy_words()
    poly = syl >= 3
    return (
        1,
        syl,
        int(poly),
        int(alnum > 6),
        int(not easy),
        int(poly and not easy),
        letters,
        alnum,
        int(1 <= syl <= 2),
        int(lower in _text.STOP_WORDS),
    )


class _TokenTable:
    """Whitespace token -> summed word features, cached; rows kept in a growing numpy array.

    :func:`analysis.text.words` never matches across whitespace (its pattern has no
    look-behind and its look-aheads only reject letters), so the words of a text are the
    words of its whitespace-separated tokens in order; caching per token is exact. Id 0 is a
    placeholder (never a token).
    """

    max_tokens = 1_000_000

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.word_rows: list[tuple[tuple[int, ...], ...]] = [()]
        self.array = np.zeros((1024, len(_FEATURES)), dtype=np.int64)
        self.size = 1
        self._lock = threading.Lock()

    def add(self, tok: str) -> int:
        rows = tuple(_word_features(w) for w in _text.words(tok))
        with self._lock:  # threads (e.g. a threaded Dask worker) may share the table
            known = self.ids.get(tok)
            if known is not None:
                return known
            idx = self.size
            if idx >= self.array.shape[0]:
                grown = np.zeros((self.array.shape[0] * 2, len(_FEATURES)), dtype=np.int64)
                grown[:idx] = self.array[:idx]
                self.array = grown
            if rows:
                self.array[idx] = np.sum(rows, axis=0)
            self.word_rows.append(rows)
            self.size += 1
            self.ids[tok] = idx  # published last: a reader sees the id only once its row exists
            return idx


_TOKENS = _TokenTable()


def _token_table() -> _TokenTable:
    """The shared token table, replaced by a fresh one when it grows past ``max_tokens``."""
    global _TOKENS
    if len(_TOKENS.ids) > _TokenTable.max_tokens:
        _TOKENS = _TokenTable()
    return _TOKENS


def _segment_sums(ids: np.ndarray, indptr: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Row sums of ``table[ids[indptr[i]:indptr[i+1]]]`` for every segment ``i``.

    Done as a sparse (segment x token-id) incidence matrix times the feature table, so the
    per-token feature matrix is never materialised.
    """
    n_seg = len(indptr) - 1
    if n_seg <= 0:
        return np.zeros((0, table.shape[1]), dtype=np.int64)
    from scipy import sparse

    inc = sparse.csr_array(
        (np.ones(len(ids), dtype=np.int64), ids, indptr), shape=(n_seg, table.shape[0])
    )
    return np.asarray(inc @ table, dtype=np.int64)


def _corpus_counts(texts: list[str], *, keep_sentences: bool = False) -> dict[str, object]:
    """Count every feature of every sentence and document in one pass over the corpus.

    Sentences come from :func:`analysis.text.sentence_spans`; words and syllables from
    :func:`analysis.text.words` and :func:`analysis.text.syllables` (through the token cache).
    Returns per-document count arrays (``_FEATURES`` columns, ``n_sentences`` and the Linsear
    Write sample) and, with ``keep_sentences``, per-sentence rows and texts.
    """
    tokens = _token_table()
    ids_get = tokens.ids.get
    add = tokens.add
    all_ids: list[int] = []
    sent_start: list[int] = []  # first token of each sentence (global token index)
    sent_doc: list[int] = []  # document index of each sentence
    sent_text: list[str] = []
    for d, t in enumerate(texts):
        if not t or t.isspace():
            continue
        doc_toks: list[str] = []
        for s, e in _text.sentence_spans(t):
            toks = t[s:e].split()
            if not toks:
                continue
            sent_start.append(len(all_ids) + len(doc_toks))
            sent_doc.append(d)
            doc_toks.extend(toks)
            if keep_sentences:
                sent_text.append(" ".join(toks))
        ids = list(map(ids_get, doc_toks))
        if None in ids:
            ids = [i if i is not None else add(x) for i, x in zip(ids, doc_toks)]
        all_ids.extend(ids)
    n_docs, n_feat = len(texts), len(_FEATURES)
    table = tokens.array  # rows past the ids used here are zeros or newer tokens: harmless
    ids = np.asarray(all_ids, dtype=np.int64)
    starts = np.asarray(sent_start, dtype=np.int64)
    sdoc = np.asarray(sent_doc, dtype=np.int64)
    # sentence sums = (sentence x token-id incidence matrix) @ (token-id x feature table)
    sent_feats = _segment_sums(ids, np.append(starts, len(ids)), table)
    doc_feats = np.zeros((n_docs, n_feat), dtype=np.int64)
    if len(sdoc):
        np.add.at(doc_feats, sdoc, sent_feats)
    has_words = sent_feats[:, 0] > 0
    n_sent = np.bincount(sdoc[has_words], minlength=n_docs)

    # Linsear Write sample: the first LINSEAR_SAMPLE_WORDS words of each document and the
    # sentences (with words) that begin within them.
    lw = np.zeros((n_docs, 3), dtype=np.int64)  # easy, hard, sentences
    if len(starts):
        cum_words = np.zeros(len(ids) + 1, dtype=np.int64)  # words before token i
        np.cumsum(table[ids, 0], out=cum_words[1:])
        first_sent = np.searchsorted(sdoc, np.arange(n_docs), side="left")
        last_sent = np.searchsorted(sdoc, np.arange(n_docs), side="right")
        docs_idx = np.flatnonzero(last_sent > first_sent)
        tok_lo = starts[first_sent[docs_idx]]
        tok_hi = np.append(starts, len(ids))[last_sent[docs_idx]]
        word0 = cum_words[tok_lo]
        target = word0 + LINSEAR_SAMPLE_WORDS
        # tokens [lo, k_end) lie wholly inside the sample (cum_words[k_end] <= target)
        k_end = np.searchsorted(cum_words, target, side="right") - 1
        k_end = np.minimum(np.maximum(k_end, tok_lo), tok_hi)
        lengths = k_end - tok_lo
        offsets = np.concatenate(([0], np.cumsum(lengths)))
        pos = np.repeat(tok_lo - offsets[:-1], lengths) + np.arange(offsets[-1])
        sample = _segment_sums(ids[pos], offsets, table[:, [_COL["n_linsear_easy"], _COL["n_polysyllables"]]])
        easy, hard = sample[:, 0].copy(), sample[:, 1].copy()
        # a token straddling the sample's end ("U.S.-Israeli" with room for one word) adds
        # its first words only
        short = (k_end < tok_hi) & (cum_words[k_end] < target)
        for j in np.flatnonzero(short):
            need = int(target[j] - cum_words[k_end[j]])
            for row in tokens.word_rows[int(ids[k_end[j]])][:need]:
                easy[j] += row[_COL["n_linsear_easy"]]
                hard[j] += row[_COL["n_polysyllables"]]
        doc_word0 = np.zeros(n_docs, dtype=np.int64)
        doc_word0[docs_idx] = word0
        in_sample = (cum_words[starts] < doc_word0[sdoc] + LINSEAR_SAMPLE_WORDS) & has_words
        lw[docs_idx, 0] = easy
        lw[docs_idx, 1] = hard
        lw[:, 2] = np.bincount(sdoc[in_sample], minlength=n_docs)
    out: dict[str, object] = {"doc_feats": doc_feats, "n_sentences": n_sent, "linsear": lw}
    if keep_sentences:
        out.update(sent_feats=sent_feats, sent_doc=sdoc, sent_text=sent_text)
    return out


# --------------------------------------------------------------------------------------------
# Public tables
# --------------------------------------------------------------------------------------------


def _keys(docs: pd.DataFrame) -> pd.DataFrame:
    keys = pd.DataFrame(
        {
            "doc_id": docs["doc_id"].reset_index(drop=True),
            "outlet": docs["outlet"].reset_index(drop=True),
            "event_id": (
                docs["event_id"].reset_index(drop=True)
                if "event_id" in docs.columns
                else pd.Series([None] * len(docs), dtype=object)
            ),
        }
    )
    return keys


def _texts(docs: pd.DataFrame) -> list[str]:
    out = []
    for t in docs["text"].tolist():
        out.append(t if isinstance(t, str) else "")
    return out


def _is_english_code(value: object) -> bool | None:
    """True/False for a language code, None when unknown (missing / empty)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    code = str(value).strip().lower()
    if not code or code in {"und", "unknown", "nan", "none"}:
        return None
    root = re.split(r"[-_]", code)[0]
    return root in _ENGLISH_CODES


def readability(
    docs: pd.DataFrame,
    *,
    audit: bool = True,
    min_words: int = 3,
    min_stopword_share: float = 0.15,
    stopword_check_min_words: int = 20,
) -> pd.DataFrame:
    """Readability counts and formulas, one row per document.

    Sentences, words and syllables come from :mod:`analysis.text` (news-aware segmentation,
    CMU dictionary syllables with a Pyphen fallback); counts are computed once per document and
    every formula is vectorised over the whole table.

    Parameters
    ----------
    docs : pandas.DataFrame
        The corpus from :func:`analysis.corpus.load_corpus` (needs ``doc_id, outlet, text``;
        ``event_id`` and ``language`` are used when present).
    audit : bool
        Add textstat's own counts and grade for the same text (see Returns). Costs one textstat
        pass per document; turn off for large corpora.
    min_words : int
        Documents with fewer words get NaN scores (the counts are kept) and a ``note``.
    min_stopword_share : float
        A document of at least ``stopword_check_min_words`` words whose share of English stop
        words (:data:`analysis.text.STOP_WORDS`) is below this is flagged ``non_english``.
    stopword_check_min_words : int
        Shorter documents are not checked by stop-word share.

    Returns
    -------
    pandas.DataFrame
        One row per document, in input order:

        - ``doc_id, outlet, event_id``: keys from ``docs``.
        - ``n_sentences``: sentences with at least one word (kit segmentation).
        - ``n_words``: words (letters/digits with internal apostrophes, hyphens and
          abbreviation periods; punctuation is not a word).
        - ``n_syllables``: syllables (CMU dict, Pyphen + 1 fallback, abbreviations as read).
        - ``n_polysyllables``: words of 3+ syllables (SMOG, Linsear Write).
        - ``n_long_words``: words of 7+ letters or digits (LIX "more than six letters").
        - ``n_difficult_words``: words whose lower-case form is not on the Dale-Chall easy list
          (:func:`easy_words`, textstat's list; inflections and names count as difficult).
        - ``n_complex_words``: Gunning's complex words, textstat's definition: 3+ syllables and
          not on the easy list (proper nouns and -es/-ed forms are not excluded).
        - ``n_letters``: alphabetic characters in words (Coleman-Liau L).
        - ``n_characters``: letters and digits in words (ARI; punctuation not counted).
        - ``words_per_sentence`` (ASL), ``syllables_per_word`` (ASW): higher = harder.
        - ``flesch_reading_ease``: 206.835 − 1.015·ASL − 84.6·ASW; **higher = easier**.
        - ``flesch_kincaid_grade``: 0.39·ASL + 11.8·ASW − 15.59; grade, higher = harder.
        - ``gunning_fog``: 0.4·(ASL + 100·complex/words); grade, higher = harder.
        - ``smog``: 1.043·√(30·polysyllables/sentences) + 3.1291; grade, higher = harder.
        - ``coleman_liau``: 0.0588·L − 0.296·S − 15.8 (Coleman & Liau 1975 coefficient).
        - ``coleman_liau_textstat``: the same with textstat's 0.058 letter coefficient.
        - ``ari``: 4.71·characters/words + 0.5·ASL − 21.43; grade, higher = harder.
        - ``dale_chall_1948``: 0.1579·PDW + 0.0496·ASL (+3.6365 if PDW > 5), textstat's
          formula; raw score, higher = harder.
        - ``linsear_write``: on the first 100 words and the sentences beginning in them;
          grade, higher = harder.
        - ``lix``: ASL + 100·long/words; higher = harder.
        - ``consensus_grade``: median of FK, Fog, SMOG, Coleman-Liau, ARI, Linsear Write.
        - ``n_linsear_easy, n_linsear_hard, n_linsear_sentences``: the Linsear Write sample.
        - ``stopword_share``: share of words that are English stop words (0–1).
        - ``language``: the docs' ``language`` value ("" when absent).
        - ``non_english``: True when ``language`` is not English or the stop-word check fails;
          the formulas are calibrated for English only.
        - ``textstat_n_sentences, textstat_n_words, textstat_n_syllables,
          textstat_flesch_kincaid_grade`` (when ``audit``): textstat 0.7.13's own counts and
          unrounded FK grade for the same text (offline textstat from
          :func:`analysis.text.textstat_offline`). Differences show segmentation effects:
          textstat splits at every ``.!?`` and drops pieces of two words or fewer.
        - ``note``: "" or the reasons a row's scores are NaN or flagged.

    Notes
    -----
    Degenerate documents never raise: empty text, fewer than ``min_words`` words, or no
    sentence-ending punctuation (so sentence length is unknown) give NaN scores with the
    reason in ``note``.
    """
    check_docs(docs, func="readability")
    if min_words < 1:
        raise ParameterError(f"readability: min_words must be >= 1 (got {min_words})")
    texts = _texts(docs)
    res = _corpus_counts(texts)
    extra = ["n_linsear_easy", "n_linsear_hard", "n_linsear_sentences"]
    counts = pd.DataFrame(res["doc_feats"], columns=_FEATURES)
    counts["n_sentences"] = res["n_sentences"]
    counts[extra] = res["linsear"]
    scores = scores_from_counts(counts)

    notes: list[list[str]] = [[] for _ in texts]
    bad = np.zeros(len(texts), dtype=bool)
    n_words = counts["n_words"].to_numpy()
    for i, t in enumerate(texts):
        if n_words[i] == 0:
            notes[i].append("empty: no words")
            bad[i] = True
        elif n_words[i] < min_words:
            notes[i].append(f"too short: {n_words[i]} word(s), fewer than min_words={min_words}")
            bad[i] = True
        elif not _END_PUNCT.search(t):
            notes[i].append("no sentence-ending punctuation: sentence length unknown")
            bad[i] = True
    scores.loc[bad, :] = np.nan
    # The word-level ratio does not depend on sentences; keep it when words exist.
    keep_asw = bad & (n_words >= min_words)
    scores.loc[keep_asw, "syllables_per_word"] = (
        counts.loc[keep_asw, "n_syllables"] / counts.loc[keep_asw, "n_words"]
    )

    stop_share = _div(counts["n_stop_words"].to_numpy(), n_words)
    if "language" in docs.columns:
        langs = ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                 for v in docs["language"].tolist()]
    else:
        langs = [""] * len(texts)
    non_english = np.zeros(len(texts), dtype=bool)
    for i, code in enumerate(langs):
        eng = _is_english_code(code)
        if eng is False:
            non_english[i] = True
            notes[i].append(f"language {code!r} is not English: formulas are calibrated for English")
        elif n_words[i] >= stopword_check_min_words and stop_share[i] < min_stopword_share:
            non_english[i] = True
            notes[i].append(
                f"stop-word share {stop_share[i]:.2f} < {min_stopword_share}: "
                "text may not be English"
            )
    keys = _keys(docs)
    out = pd.concat([keys, counts[COUNT_COLUMNS], scores, counts[extra]], axis=1)
    out["stopword_share"] = stop_share
    out["language"] = langs
    out["non_english"] = non_english
    if non_english.any():
        flagged = keys.loc[non_english, "doc_id"].astype(str).tolist()
        msg = (
            f"readability: {len(flagged)} document(s) look non-English ({', '.join(flagged[:10])}"
            f"{', …' if len(flagged) > 10 else ''}); their rows are marked non_english=True "
            "because the formulas are calibrated for English"
        )
        logger.warning(msg)
        warnings.warn(msg, UserWarning, stacklevel=2)
    if audit:
        out = pd.concat([out, _audit(texts)], axis=1)
    out["note"] = ["; ".join(n) for n in notes]
    return out


def _audit(texts: Iterable[str]) -> pd.DataFrame:
    ts = _text.textstat_offline()
    rows = []
    for t in texts:
        if not t.strip():
            rows.append((0, 0, 0, np.nan))
            continue
        rows.append(
            (
                int(ts.sentence_count(t)),
                int(ts.lexicon_count(t)),
                int(ts.syllable_count(t)),
                float(ts.flesch_kincaid_grade(t)),
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "textstat_n_sentences",
            "textstat_n_words",
            "textstat_n_syllables",
            "textstat_flesch_kincaid_grade",
        ],
    )




def readability_sentences(docs: pd.DataFrame) -> pd.DataFrame:
    """Per-sentence counts and scores, so a user sees which sentences drive a document's score.

    Parameters
    ----------
    docs : pandas.DataFrame
        The corpus from :func:`analysis.corpus.load_corpus` (needs ``doc_id, outlet, text``).

    Returns
    -------
    pandas.DataFrame
        One row per sentence (kit segmentation, :func:`analysis.text.sentences`), documents in
        input order:

        - ``doc_id, outlet, event_id``: keys; ``sent_id``: 0-based position in the document.
        - ``sentence``: the sentence text.
        - ``n_words, n_syllables, n_polysyllables``: as in :func:`readability`.
        - ``flesch_kincaid_grade``: FK of the sentence alone (its ASL is its length); grade,
          higher = harder.
        - ``flesch_reading_ease``: FRE of the sentence alone; higher = easier.
        - ``n_long_words, n_difficult_words, n_complex_words, n_letters, n_characters,
          n_linsear_easy``: the other counts, so any document formula can be recomputed from
          summed sentences (:mod:`analysis.compare` resamples sentences this way).

        Sentences without words are dropped (they carry no counts); documents without words
        give no rows.
    """
    check_docs(docs, func="readability_sentences")
    keys = _keys(docs)
    texts = _texts(docs)
    res = _corpus_counts(texts, keep_sentences=True)
    feats = res["sent_feats"]
    keep = feats[:, 0] > 0
    sdoc = res["sent_doc"][keep]
    out = pd.DataFrame(feats[keep], columns=_FEATURES)
    first = np.searchsorted(sdoc, sdoc, side="left")
    out.insert(0, "sentence", pd.Series([t for t, k in zip(res["sent_text"], keep) if k], dtype="str"))
    out.insert(0, "sent_id", np.arange(len(sdoc)) - first)
    for col in ("event_id", "outlet", "doc_id"):
        out.insert(0, col, keys[col].iloc[sdoc].reset_index(drop=True))
    ones = np.ones(len(out))
    w, syl = out["n_words"].to_numpy(), out["n_syllables"].to_numpy()
    out["flesch_kincaid_grade"] = np.asarray(flesch_kincaid_grade_from_counts(w, ones, syl), float)
    out["flesch_reading_ease"] = np.asarray(flesch_reading_ease_from_counts(w, ones, syl), float)
    order = (
        ["doc_id", "outlet", "event_id", "sent_id", "sentence", "n_words", "n_syllables",
         "n_polysyllables", "flesch_kincaid_grade", "flesch_reading_ease"]
        + [c for c in SENTENCE_COUNT_COLUMNS if c not in ("n_words", "n_syllables", "n_polysyllables")]
    )
    return out[order].reset_index(drop=True)
