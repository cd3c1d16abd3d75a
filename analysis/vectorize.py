"""Sparse document × term counts with the kit's tokenisation, in one pass per document.

This is the machinery behind :func:`analysis.lexical.term_counts` (the tidy table) and
:func:`analysis.reuse.similarity` (TF-IDF rows). The rules are the kit's (see
:func:`analysis.lexical.term_counts`): words of :func:`analysis.text.words` in their term form
(:func:`analysis.text.normalise_token`), n-grams within a sentence and never across punctuation
between two words, and no n-gram containing a stop word. The counts are those rules exactly;
only the way of computing them differs from a word-by-word loop:

1. A text is cut at white space into *chunks* ("U.S.,", "“Hamas-run", "said."), paragraphs
   (:func:`analysis.text.paragraph_spans`) joined by a chunk without words. Each distinct
   chunk is resolved once per call: its words (:func:`analysis.text.word_spans` of the chunk,
   which are the words of the whole text), their term ids (−1 for a stop word) and where a run
   ends (any character between two words is punctuation; punctuation before the first word
   or a chunk without words ends the previous chunk's run). A text becomes the concatenation
   of its chunks' codes, without a Python step per word.
2. A sentence can also end in white space after a word that ends in a period ("in the U.S.
   The ..."). The segmenter decides such a mark from the token before and the token after it,
   so the decision is taken on the two chunks (once per distinct pair), and runs end exactly
   at :func:`analysis.text.sentence_spans` boundaries without segmenting every sentence.
3. n-grams are numbered with NumPy over the whole corpus (an n-gram is valid where n
   consecutive tokens are not stop words and no run ends inside it), and counted into a
   ``scipy.sparse`` matrix whose columns are the terms in sorted order.

Texts longer than one paragraph piece of the segmenter (200,000 characters) are read word by
word (sentences, then words) instead, which gives the same counts. ``tests/test_vectorize.py``
checks the counts against that word-by-word reading on hand-written and random texts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from bisect import bisect_left
from dataclasses import dataclass
from itertools import chain, compress
from typing import Any

import numpy as np

from analysis import text as _text

__all__ = ["TermMatrix", "string_column", "term_matrix"]

log = logging.getLogger(__name__)

#: a chunk with one run of letters and digits: its only word is that run (+ an abbreviation's
#: period), as no pattern of analysis.text.words joins two runs without a character between
_SIMPLE_CHUNK = re.compile(r"([\W_]*)([^\W_]+)([\W_]*)")
_PARAGRAPH_JOIN = " \x00 "
_SHIFT = 1  # code = (term id + 1) << _SHIFT | _BREAK flag; term id -1 = stop word (code 0 or 1)
_BREAK = 1  # an n-gram run ends after this word
_BATCH = 500  # texts split into chunks at a time (bounds the memory of the chunk lists)
_MARK = -1  # stream element: the run ends at the previous word (punctuation, paragraph end)


@dataclass(frozen=True)
class TermMatrix:
    """Counts of terms per document.

    Attributes
    ----------
    counts : scipy.sparse.csr_matrix
        int64, documents × terms, in the order of the texts given; row ``i`` holds the
        occurrences of each term in text ``i`` (sorted column indices, no explicit zeros).
    terms : numpy.ndarray
        object array of str, one per column, in ascending code-point order (Python's
        ``sorted``). A term is its words' term forms joined by one space.
    """

    counts: Any
    terms: np.ndarray

    def totals(self) -> np.ndarray:
        """Occurrences of each term over all documents (int64, one per column)."""
        return np.bincount(self.counts.indices, weights=self.counts.data,
                           minlength=len(self.terms)).astype(np.int64)


class _Terms:
    """Term ids of words (per call): term form, stop words, vocabulary."""

    def __init__(self, stop: frozenset[str] | set[str], lowercase: bool):
        self.stop = stop
        self.lowercase = lowercase
        self.vocab: dict[str, int] = {}

    def forms(self, words: list[str]) -> list[str]:
        """Term forms of words (:func:`analysis.text.normalise_token`, curly apostrophes straight)."""
        words = [w.replace("\u2019", "'") if "\u2019" in w else w for w in words]
        if not self.lowercase:
            return words
        norm = _text.normalise_token
        # normalise_token lower-cases all but capitalised initialisms: a word without
        # capitals is its own term form
        return [w if w.islower() else norm(w) for w in words]

    def codes(self, words: list[str]) -> list[int]:
        """Code of each word without flags: (term id + 1) << _SHIFT, 0 for a stop word."""
        stop = self.stop
        vocab = self.vocab
        setdefault = vocab.setdefault
        return [
            0 if t in stop else (setdefault(t, len(vocab)) + 1) << _SHIFT
            for t in self.forms(words)
        ]


def _resolve_chunks(
    chunks: Iterable[str], terms: _Terms, table: dict[str, tuple[int, ...]], checks: set[str]
) -> None:
    """Add the stream codes of new chunks (text without white space) to ``table``.

    A chunk's words are :func:`analysis.text.word_spans` of the chunk alone, which equal the
    words of the whole text (a word never contains white space, and the word pattern looks only
    at the characters of the word and the one after it). Any character between two words of a
    chunk is punctuation, so it ends the run; punctuation before the first word puts a
    :data:`_MARK` first (ending the previous chunk's run). Chunks whose last word ends in a
    period are added to ``checks`` (a sentence may end after them).
    """
    new = [c for c in chunks if c not in table]
    if not new:
        return
    # letters and digits only: the chunk is one word
    plain = list(compress(new, map(str.isalnum, new)))
    table.update(zip(plain, [(c,) for c in terms.codes(plain)]))
    if len(plain) == len(new):
        return
    # words with punctuation around them, or several words
    simple: list[tuple[str, str, str, str]] = []
    multi: list[str] = []
    for chunk in new:
        if chunk in table:
            continue
        m = _SIMPLE_CHUNK.fullmatch(chunk)
        if m is None:
            multi.append(chunk)
            continue
        lead, word, trail = m.groups()
        if trail and trail[0] == "." and word + "." in _text.ABBREVIATIONS:
            word, trail = word + ".", trail[1:]  # a known abbreviation keeps its period
        simple.append((chunk, lead, word, trail))
    codes = terms.codes([w for _, _, w, _ in simple])
    for (chunk, lead, word, trail), code in zip(simple, codes):
        if trail:
            code |= _BREAK
        elif word[-1] == ".":
            checks.add(chunk)
        table[chunk] = (_MARK, code) if lead else (code,)
    for chunk in multi:
        spans = _text.word_spans(chunk)
        if not spans:
            table[chunk] = (_MARK,)
            continue
        codes = terms.codes([chunk[s:e] for s, e in spans])
        n = len(chunk)
        for k, (_, e) in enumerate(spans):
            nxt = spans[k + 1][0] if k + 1 < len(spans) else n
            if nxt > e:
                codes[k] |= _BREAK
            elif e == n and chunk[e - 1] == ".":
                checks.add(chunk)
        table[chunk] = (_MARK, *codes) if spans[0][0] > 0 else tuple(codes)


def _ends_sentence(cur: str, nxt: str) -> bool:
    """Does a sentence end after chunk ``cur`` (its last word ends in a period), before ``nxt``?

    The segmenter decides a candidate mark from the token before it and the token after it
    (:func:`analysis.text.sentence_spans`); both are whole chunks here, so the decision is
    taken on the two chunks alone.
    """
    mini = f"{cur} {nxt}"
    return _text._is_boundary(mini, ".", "", len(cur) - 1, len(cur))


def _chunks(body: str) -> list[str]:
    """The chunks of a text; paragraphs are joined by a chunk without words (``"\\x00"``)."""
    spans = _text.paragraph_spans(body)
    if len(spans) == 1:
        return body.split()
    return _PARAGRAPH_JOIN.join([body[s:e] for s, e in spans]).split()


def _chunk_stream(
    chunks: list[str],
    table: dict[str, tuple[int, ...]],
    checks: set[str],
    ends: dict[tuple[str, str], bool],
    out: list[int],
) -> None:
    """Append the stream of one text's chunks, ending with a :data:`_MARK`."""
    vals = list(map(table.__getitem__, chunks))
    if not checks.isdisjoint(chunks):
        # a word ending in a period before white space ("U.S.", "Sen."): the segmenter's rule
        # for that candidate mark decides whether a sentence ends there
        last = len(chunks) - 1
        for i in reversed(list(compress(range(len(chunks)), map(checks.__contains__, chunks)))):
            if i == last or chunks[i + 1] == "\x00":
                continue  # the paragraph ends here anyway
            pair = (chunks[i], chunks[i + 1])
            end = ends.get(pair)
            if end is None:
                end = ends[pair] = _ends_sentence(*pair)
            if end:
                vals.insert(i + 1, (_MARK,))
    out.extend(chain.from_iterable(vals))
    out.append(_MARK)


def _reference_stream(body: str, terms: _Terms, out: list[int]) -> None:
    """Sentences, then words, one by one (texts beyond one paragraph piece of the segmenter)."""
    spans = _text.word_spans(body)
    starts = [s for s, _ in spans]
    for s_start, s_end in _text.sentence_spans(body):
        lo = bisect_left(starts, s_start)
        hi = bisect_left(starts, s_end)
        codes = terms.codes([body[ws:we] for ws, we in spans[lo:hi]])
        for k in range(lo, hi):
            out.append(codes[k - lo])
            if k + 1 < hi and body[spans[k][1]:spans[k + 1][0]].strip():
                out.append(_MARK)
        out.append(_MARK)


def _encode(texts: Sequence[str], terms: _Terms) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Term ids (−1 = stop word), run ends and the document of every word of every text."""
    out: list[int] = []
    ends: list[int] = []
    table: dict[str, tuple[int, ...]] = {}
    checks: set[str] = set()
    sentence_ends: dict[tuple[str, str], bool] = {}
    for lo in range(0, len(texts), _BATCH):
        batch = texts[lo : lo + _BATCH]
        # texts beyond one paragraph piece of the segmenter are read word by word
        chunked = [_chunks(b) if len(b) < _text._MAX_PARAGRAPH else None for b in batch]
        _resolve_chunks(
            set(chain.from_iterable(c for c in chunked if c is not None)), terms, table, checks
        )
        for body, chunks in zip(batch, chunked, strict=True):
            if chunks is None:
                _reference_stream(body, terms, out)
            else:
                _chunk_stream(chunks, table, checks, sentence_ends, out)
            ends.append(len(out))
    stream = np.asarray(out, dtype=np.int64)
    is_word = stream != _MARK
    word_at = np.flatnonzero(is_word)
    code = stream[word_at]
    brk = (code & _BREAK).astype(bool)
    # a mark ends the run at the last word before it
    last_word = np.cumsum(is_word) - 1
    before_mark = last_word[~is_word]
    brk[before_mark[before_mark >= 0]] = True
    doc = np.searchsorted(np.asarray(ends, dtype=np.int64), word_at, side="right")
    return (code >> _SHIFT) - 1, brk, doc


def term_matrix(
    texts: Sequence[str],
    *,
    ngram_range: tuple[int, int] = (1, 2),
    stop_words: frozenset[str] | set[str] = _text.STOP_WORDS,
    lowercase: bool = True,
) -> TermMatrix:
    """Count the terms of each text into a sparse document × term matrix.

    The same terms and counts as :func:`analysis.lexical.term_counts` (which checks its
    arguments and returns the tidy table); this function takes plain strings and checked
    options.

    Parameters
    ----------
    texts : sequence of str
        One string per document.
    ngram_range : (int, int), default (1, 2)
        Smallest and largest n-gram length in words (inclusive), 1 <= min <= max.
    stop_words : set of str, default :data:`analysis.text.STOP_WORDS`
        Term forms to drop, compared as they are (lower-case them for ``lowercase=True``); an
        n-gram containing one is not counted, and none is formed across it.
    lowercase : bool, default True
        Term form of :func:`analysis.text.normalise_token` (lower case, initialisms in
        capitals without dots); False keeps each word as written.

    Returns
    -------
    TermMatrix
        ``counts`` (documents × terms, occurrences per document, int64) and ``terms`` (sorted).
    """
    from scipy import sparse

    lo, hi = int(ngram_range[0]), int(ngram_range[1])
    texts = list(texts)
    n_docs = len(texts)
    reader = _Terms(stop_words, lowercase)
    tid, brk, doc = _encode(texts, reader)
    n_vocab = len(reader.vocab)
    words = np.empty(n_vocab, dtype=object)
    words[:] = list(reader.vocab)
    # Sorting terms: every character of a word sorts after the space that joins words, so
    # terms sort as the tuples of their words' ranks (a shorter tuple first on a tie).
    word_rank = np.empty(n_vocab, dtype=np.int64)
    word_rank[np.argsort(words.astype(str), kind="stable")] = np.arange(n_vocab)

    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    names: list[np.ndarray] = []
    sort_keys: list[np.ndarray] = []  # word ranks of each term, padded with -1 to ``hi``
    offset = 0
    valid = tid >= 0
    pos = np.flatnonzero(valid)  # start positions of valid n-grams of the current size
    key = tid[pos]  # their ids among n-grams of this size
    strings = words  # the n-gram of each id
    ranks = word_rank[:, None]  # the word ranks of each id
    for size in range(1, hi + 1):
        if size > 1:
            # extend each (size-1)-gram starting at pos by the token at pos + size - 1
            last = pos + size - 1
            inside = last < len(tid)
            pos, key, last = pos[inside], key[inside], last[inside]
            ok = valid[last] & ~brk[last - 1]
            pos, key, last = pos[ok], key[ok], last[ok]
            pairs, key = np.unique(key * n_vocab + tid[last], return_inverse=True)
            key = key.reshape(-1)
            prev, nxt = np.divmod(pairs, n_vocab)
            strings = np.array([f"{a} {b}" for a, b in zip(strings[prev], words[nxt])] or [],
                               dtype=object)
            ranks = np.column_stack([ranks[prev], word_rank[nxt]])
        if size >= lo:
            rows.append(doc[pos])
            cols.append(key + offset)
            names.append(strings)
            sort_keys.append(np.pad(ranks, ((0, 0), (0, hi - size)), constant_values=-1))
            offset += len(strings)
        if not len(pos):
            break
    terms = np.concatenate(names) if names else np.empty(0, dtype=object)
    # columns in sorted term order; only terms that occur at the asked sizes exist
    if len(terms):
        keys = np.concatenate(sort_keys)
        order = np.lexsort(keys.T[::-1])
    else:
        order = np.empty(0, np.int64)
    rank = np.empty(len(terms), dtype=np.int64)
    rank[order] = np.arange(len(terms))
    row = np.concatenate(rows) if rows else np.empty(0, np.int64)
    col = rank[np.concatenate(cols)] if cols else np.empty(0, np.int64)
    counts = sparse.csr_matrix(
        (np.ones(len(row), dtype=np.int64), (row, col)), shape=(n_docs, len(terms))
    )
    counts.sum_duplicates()
    counts.sort_indices()
    return TermMatrix(counts=counts, terms=terms[order])


def string_column(values: np.ndarray) -> "pd.Series":
    """A pandas column of strings, as pandas would store ``pd.Series(list(values))``.

    With pandas' default string dtype (pyarrow storage) the column is built through one
    ``pyarrow`` array instead of converting each Python string.
    """
    import pandas as pd

    dtype = pd.Series(["x"]).dtype
    if (
        isinstance(dtype, pd.StringDtype)
        and dtype.storage == "pyarrow"
        and len(values)
    ):
        import pyarrow as pa

        return pd.Series(pd.array(pa.array(values, type=pa.large_string()), dtype=dtype))
    return pd.Series(list(values))
