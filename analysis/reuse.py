"""Text reuse between articles: similarity, shared passages, "% original" and coverage.

* :func:`similarity` - TF-IDF cosine similarity between documents, or averaged per outlet pair.
* :func:`shared_passages` - passages two documents share: exact word runs (found through an
  inverted index of word n-gram hashes, so only documents sharing an n-gram are compared, as in
  passim) and close paraphrases (sentence pairs with high TF-IDF cosine that are not exact runs).
* :func:`originality` - the share of each document's words that appear in no other document.
* :func:`information_units` / :func:`coverage` - for one story, clusters of sentences that say the
  same thing across outlets, and which outlet reported which.

References: Smith, Cordell & Mullen (2015), "Computational methods for uncovering reprinted texts
in antebellum newspapers" (passim: word-anchored n-grams, candidate pairs sharing n-grams,
alignments of at least 50 characters); Churnalism (Media Standards Trust, 2011: a text is
flagged when more than 20 % overlaps a press release); Salton & Buckley (1988) for TF-IDF.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from analysis import lexical as _lexical
from analysis import text as _text
from analysis.errors import NotEnoughData, ParameterError

__all__ = [
    "COVERAGE_UNIT_COLUMNS",
    "ORIGINALITY_COLUMNS",
    "PASSAGE_COLUMNS",
    "SIMILARITY_SETTINGS",
    "Coverage",
    "coverage",
    "information_units",
    "originality",
    "shared_passages",
    "similarity",
]

log = logging.getLogger(__name__)

PASSAGE_COLUMNS = [
    "doc_a",
    "doc_b",
    "outlet_a",
    "outlet_b",
    "kind",
    "text_a",
    "text_b",
    "start_a",
    "end_a",
    "start_b",
    "end_b",
    "n_words",
    "similarity",
]
ORIGINALITY_COLUMNS = [
    "doc_id",
    "outlet",
    "n_words",
    "n_words_shared",
    "n_words_exact",
    "share_shared",
    "share_exact",
    "share_original",
]
COVERAGE_UNIT_COLUMNS = [
    "event_id",
    "unit_id",
    "representative",
    "representative_doc",
    "n_sentences",
    "n_docs",
    "n_outlets",
    "outlets",
    "single_outlet",
]

#: Fixed settings of :func:`similarity` (documented so results can be reproduced elsewhere).
SIMILARITY_SETTINGS = {
    "tokenizer": "analysis.text.tokens (lower-cased words)",
    "stop_words": "analysis.text.STOP_WORDS removed",
    "ngram_range": (1, 2),
    "sublinear_tf": True,
    "idf": "smooth: ln((1 + n_docs) / (1 + df)) + 1",
    "norm": "l2",
}

_MONTHS = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june",
    "jul": "july", "aug": "august", "sep": "september", "sept": "september",
    "oct": "october", "nov": "november", "dec": "december",
}  # fmt: skip
_NUM_RE = re.compile(r"^\d[\d,]*(?:\.\d+)?$")


# --------------------------------------------------------------------------- helpers


def _docs_checked(docs: pd.DataFrame, func: str, *, min_docs: int = 2) -> pd.DataFrame:
    _lexical.check_docs(docs, needed=["doc_id", "outlet", "text"], func=func)
    if len(docs) < min_docs:
        raise NotEnoughData(
            f"{func}: needs at least {min_docs} documents to compare, got {len(docs)}; "
            "add articles (e.g. several outlets' reports of the same event)."
        )
    return docs


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _match_key(word: str) -> str:
    """Key for exact matching: lower case, abbreviation dots dropped ("U.S." == "US")."""
    return word.lower().replace(".", "")


def _content_key(word: str, stem) -> str | None:
    """Key for similarity of sentences: None for stop words; stems; months and numbers unified.

    Acronyms written in capitals ("US", "UN") are never stop words. Numbers become their order
    of magnitude rounded to one significant figure ("31,000" and "32,000" both give
    ``<num:3e4>``), so sentences that report a similar figure share a feature.
    """
    low = word.lower()
    if low in _text.STOP_WORDS and not _is_acronym(word):
        return None
    low = low.replace(".", "")
    if low.endswith("'s"):
        low = low[:-2]
    elif low.endswith("'"):
        low = low[:-1]
    if not low:
        return None
    if _NUM_RE.match(low):
        value = float(low.replace(",", ""))
        if value == 0:
            return "<num:0>"
        exp = int(np.floor(np.log10(value)))
        lead = int(round(value / 10**exp))
        if lead == 10:
            lead, exp = 1, exp + 1
        return f"<num:{lead}e{exp}>"
    low = _MONTHS.get(low, low)
    return stem(low)


def _stemmer():
    """Word -> content key (:func:`_content_key` with a Porter stemmer), memoised per call."""
    # the kit's Porter stemmer: NLTK's default-mode output (tested word for word) without
    # loading nltk, which pulls scipy.stats and scikit-learn into the process
    from analysis.stemmer import PorterStemmer

    ps = PorterStemmer()
    cache: dict[str, str | None] = {}

    def key(word: str) -> str | None:
        try:
            return cache[word]
        except KeyError:
            out = cache[word] = _content_key(word, ps.stem)
            return out

    return key


@dataclass
class _Doc:
    doc_id: object
    outlet: object
    text: str
    spans: list[tuple[int, int]]  # word character spans
    keys: list[str]  # match keys, one per word
    sent_words: list[tuple[int, int]]  # word index range of each sentence
    sent_spans: list[tuple[int, int]]  # character span of each sentence


def _prepare(docs: pd.DataFrame) -> list[_Doc]:
    out = []
    keys: dict[str, str] = {}

    def key(word: str) -> str:
        k = keys.get(word)
        if k is None:
            k = keys[word] = _match_key(word)
        return k

    for doc_id, outlet, body in zip(docs["doc_id"], docs["outlet"], docs["text"], strict=True):
        body = _lexical._text_of(body)
        spans = _text.word_spans(body)
        words = [body[s:e].replace("\u2019", "'") for s, e in spans]
        starts = np.array([s for s, _ in spans], dtype=np.int64)
        sent_spans = _text.sentence_spans(body)
        sent_words = []
        for s, e in sent_spans:
            lo = int(np.searchsorted(starts, s, side="left"))
            hi = int(np.searchsorted(starts, e, side="left"))
            sent_words.append((lo, hi))
        out.append(
            _Doc(
                doc_id, outlet, body, spans, [key(w) for w in words], sent_words, sent_spans
            )
        )
    return out


def _tfidf_weights(raw: Any, *, sublinear: bool = True) -> Any:
    """TF-IDF rows of a document × term count matrix, as scikit-learn's ``TfidfTransformer``.

    tf = count, or 1 + ln(count) with ``sublinear``; idf = ln((1 + n) / (1 + df)) + 1 (smooth
    idf, n documents, df = documents containing the term); each row is then scaled to unit
    Euclidean length (rows without terms stay zero). Same numbers as
    ``TfidfTransformer(norm="l2", smooth_idf=True, sublinear_tf=sublinear)`` (tested), without
    importing scikit-learn (about a second in a fresh kernel).

    Returns
    -------
    scipy.sparse.csr_matrix
        float64, same shape as ``raw``.
    """
    from scipy import sparse

    mat = sparse.csr_matrix(raw, dtype=np.float64, copy=True)
    mat.sum_duplicates()
    mat.eliminate_zeros()
    n_docs, n_terms = mat.shape
    if sublinear:
        np.log(mat.data, out=mat.data)
        mat.data += 1.0
    df = np.bincount(mat.indices, minlength=n_terms)
    idf = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0
    mat.data *= idf[mat.indices]
    row = np.repeat(np.arange(n_docs), np.diff(mat.indptr))
    norms = np.sqrt(np.bincount(row, weights=mat.data * mat.data, minlength=n_docs))
    norms[norms == 0.0] = 1.0
    mat.data /= norms[row]
    return mat


def _tfidf(feature_lists: Sequence[list[str]], *, sublinear: bool = True) -> Any:
    """TF-IDF rows (see :func:`_tfidf_weights`) of lists of features, one list per row."""
    from scipy import sparse

    vocab: dict[str, int] = {}
    indices: list[int] = []
    indptr = [0]
    for feats in feature_lists:
        indices.extend(vocab.setdefault(f, len(vocab)) for f in feats)
        indptr.append(len(indices))
    raw = sparse.csr_matrix(
        (np.ones(len(indices)), np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=(len(feature_lists), len(vocab)),
    )
    return _tfidf_weights(raw, sublinear=sublinear)


# --------------------------------------------------------------------------- similarity


def _gram(mat, *, dense_cols: int = 2048, min_rows: int = 2000) -> np.ndarray:
    """Dense ``mat @ mat.T`` for a sparse row-normalised matrix, fast on many documents.

    A sparse product costs the sum of squared document frequencies, which explodes for
    terms found in most documents. For large inputs the ``dense_cols`` most frequent terms are
    multiplied as a dense block (BLAS) and the remaining, rarer terms as a sparse product; the
    sum is the same Gram matrix up to floating-point rounding.
    """
    if mat.shape[0] < min_rows or mat.shape[1] <= dense_cols:
        return (mat @ mat.T).toarray()
    csc = mat.tocsc()
    df = np.diff(csc.indptr)
    order = np.argsort(-df, kind="stable")
    dense_idx = np.sort(order[:dense_cols])
    sparse_idx = np.sort(order[dense_cols:])
    block = csc[:, dense_idx].toarray()
    out = block @ block.T
    del block
    rest = csc[:, sparse_idx].tocsr()
    step = 2000
    for lo in range(0, rest.shape[0], step):
        out[lo : lo + step] += (rest[lo : lo + step] @ rest.T).toarray()
    return out


def similarity(docs: pd.DataFrame, *, by: str = "doc", same_event: bool = True) -> pd.DataFrame:
    """TF-IDF cosine similarity between documents (``by="doc"``) or outlets (``by="outlet"``).

    Documents are represented by TF-IDF vectors with fixed settings
    (:data:`SIMILARITY_SETTINGS`): the terms of :func:`analysis.lexical.term_counts` with its
    defaults (kit words, lower-cased, unigrams and bigrams within sentences, stop words
    removed), sublinear tf (1 + ln tf), smooth idf, l2 normalisation (the numbers of
    scikit-learn's ``TfidfTransformer``). The idf is learned from the documents given, so
    similarities depend on the corpus passed in.

    Parameters
    ----------
    docs : pandas.DataFrame
        The docs table (``doc_id, outlet, text``; ``event_id`` for ``same_event``).
    by : {"doc", "outlet"}
        ``"doc"``: document × document matrix. ``"outlet"``: outlet × outlet matrix whose cell
        (A, B) is the mean cosine over pairs of documents (a from A, b from B, a ≠ b); the
        diagonal is the mean similarity between different documents of one outlet (NaN if it
        has a single document). Computed from summed unit vectors, so it scales to many
        documents without the document × document matrix.
    same_event : bool, default True
        With ``by="outlet"``, average only pairs of documents about the same ``event_id``
        (comparing coverage of one story); ignored when docs have no ``event_id``.

    Returns
    -------
    pandas.DataFrame
        Square, symmetric matrix indexed and columned by ``doc_id`` (input order) or outlet
        (sorted); values are cosine similarities in [0, 1], higher = more shared vocabulary.
        The diagonal of the document matrix is 1 (0 for a document without terms).

    Raises
    ------
    NotEnoughData
        Fewer than two documents.
    """
    if by not in ("doc", "outlet"):
        raise ParameterError(f"similarity: `by` must be 'doc' or 'outlet', got {by!r}.")
    from scipy import sparse

    _docs_checked(docs, "similarity")
    # the counts of term_counts as a sparse matrix (NotEnoughData if no terms)
    raw = _lexical.document_terms(docs, ngram_range=(1, 2)).counts
    mat = _tfidf_weights(raw, sublinear=True)
    if by == "doc":
        sims = _gram(mat)
        np.clip(sims, 0.0, 1.0, out=sims)
        ids = docs["doc_id"].tolist()
        out = pd.DataFrame(sims, index=pd.Index(ids, name="doc_id"), columns=ids)
        out.columns.name = "doc_id"
        out.attrs["settings"] = dict(SIMILARITY_SETTINGS)
        return out

    outlets = sorted(docs["outlet"].astype(str).unique())
    o_pos = {o: k for k, o in enumerate(outlets)}
    doc_o = np.array([o_pos[str(o)] for o in docs["outlet"]])
    if same_event and "event_id" in docs.columns:
        groups = docs["event_id"].astype(str).to_numpy()
    else:
        groups = np.zeros(len(docs), dtype=object)
    num = np.zeros((len(outlets), len(outlets)))
    den = np.zeros((len(outlets), len(outlets)))
    norms_sq = np.asarray(mat.multiply(mat).sum(axis=1)).ravel()
    for g in pd.unique(groups):
        rows = np.flatnonzero(groups == g)
        ind = sparse.csr_matrix(
            (np.ones(len(rows)), (doc_o[rows], np.arange(len(rows)))),
            shape=(len(outlets), len(rows)),
        )
        sums = ind @ mat[rows]  # outlet × term sums of unit vectors
        dots = (sums @ sums.T).toarray()
        counts = np.bincount(doc_o[rows], minlength=len(outlets)).astype(float)
        self_sq = np.bincount(doc_o[rows], weights=norms_sq[rows], minlength=len(outlets))
        pair_n = np.outer(counts, counts)
        np.fill_diagonal(pair_n, counts * (counts - 1))
        dots[np.diag_indices_from(dots)] -= self_sq  # drop each document's similarity to itself
        num += dots
        den += pair_n
    with np.errstate(invalid="ignore", divide="ignore"):
        vals = np.where(den > 0, num / den, np.nan)
    vals = np.clip(vals, 0.0, 1.0)
    out = pd.DataFrame(vals, index=pd.Index(outlets, name="outlet"), columns=outlets)
    out.columns.name = "outlet"
    out.attrs["settings"] = dict(SIMILARITY_SETTINGS, same_event=same_event)
    return out


# --------------------------------------------------------------------------- shared passages


def _rolling_hashes(ids: np.ndarray, n: int) -> np.ndarray:
    """64-bit polynomial hash of every window of ``n`` token ids (wrap-around arithmetic)."""
    if len(ids) < n:
        return np.empty(0, dtype=np.uint64)
    base = np.uint64(1_000_003)
    h = np.zeros(len(ids) - n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * base + ids[k : len(ids) - n + 1 + k].astype(np.uint64) + np.uint64(1)
    return h


def _candidate_pairs(hashes: list[np.ndarray], *, max_df: int, min_shared: int) -> dict:
    """Document pairs sharing at least ``min_shared`` distinct n-gram hashes (inverted index).

    n-grams found in more than ``max_df`` documents (boilerplate) do not propose pairs.
    """
    if not hashes:
        return {}
    doc_of = np.concatenate(
        [np.full(len(np.unique(h)), d, dtype=np.int64) for d, h in enumerate(hashes)]
    )
    hs = np.concatenate([np.unique(h) for h in hashes])
    if len(hs) == 0:
        return {}
    order = np.argsort(hs, kind="stable")
    hs, doc_of = hs[order], doc_of[order]
    bounds = np.flatnonzero(np.diff(hs)) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [len(hs)]])
    sizes = ends - starts
    shared: dict[tuple[int, int], int] = defaultdict(int)
    useful = (sizes >= 2) & (sizes <= max_df)
    for s, e in zip(starts[useful], ends[useful], strict=True):
        members = doc_of[s:e]
        for i in range(len(members)):
            a = int(members[i])
            for j in range(i + 1, len(members)):
                shared[(a, int(members[j]))] += 1
    return {p: c for p, c in shared.items() if c >= min_shared}


def _exact_runs(
    ha: np.ndarray,
    hb: np.ndarray,
    ida: np.ndarray,
    idb: np.ndarray,
    n: int,
    *,
    max_repeats: int | None = None,
) -> list[tuple[int, int, int, int]]:
    """Maximal runs of identical words: (start_a, end_a, start_b, end_b) in word indices, sorted.

    ``ha``/``hb`` are the n-gram hashes of two documents and ``ida``/``idb`` their word ids
    (one vocabulary). Every position pair with the same hash whose ``n`` word ids agree (a
    guard against hash collisions) seeds a match; seeds on one diagonal at consecutive
    positions form one run. An n-gram found more than ``max_repeats`` times in either document
    seeds nothing (repeated boilerplate; without this cap the seeds of one n-gram grow with
    the product of its counts). Vectorised: cost and memory grow with the number of seeds, at
    most ``max_repeats ** 2`` per distinct shared n-gram.
    """
    if len(ha) == 0 or len(hb) == 0:
        return []
    order_a = np.argsort(ha, kind="stable")
    sorted_a = ha[order_a]
    lo = np.searchsorted(sorted_a, hb, side="left")
    hi = np.searchsorted(sorted_a, hb, side="right")
    count_a = hi - lo
    if max_repeats is not None:
        ub, inv, cb = np.unique(hb, return_inverse=True, return_counts=True)
        over = (count_a > max_repeats) | (cb[inv] > max_repeats)
        count_a = np.where(over, 0, count_a)
    total = int(count_a.sum())
    if total == 0:
        return []
    j = np.repeat(np.arange(len(hb), dtype=np.int64), count_a)
    # offsets into sorted_a: lo[j] + 0, 1, ... count_a[j] - 1
    starts = np.repeat(lo - np.concatenate([[0], np.cumsum(count_a)[:-1]]), count_a)
    i = order_a[starts + np.arange(total, dtype=np.int64)].astype(np.int64)
    same = np.ones(total, dtype=bool)
    for k in range(n):  # guard against hash collisions
        same &= ida[i + k] == idb[j + k]
    i, j = i[same], j[same]
    if len(i) == 0:
        return []
    d = j - i
    order = np.lexsort((i, d))
    i, d = i[order], d[order]
    new_run = np.ones(len(i), dtype=bool)
    new_run[1:] = (d[1:] != d[:-1]) | (i[1:] != i[:-1] + 1)
    first = np.flatnonzero(new_run)
    last = np.concatenate([first[1:], [len(i)]]) - 1
    sa, la, dd = i[first], i[last], d[first]
    runs = np.column_stack([sa, la + n, sa + dd, la + n + dd])
    runs = runs[np.lexsort(runs.T[::-1])]
    return [tuple(r) for r in runs.tolist()]


def _paraphrase_candidates(
    sent_feats: list[list[str]], sent_doc: np.ndarray, *, max_df: int, chunk: int = 2000
) -> np.ndarray:
    """Sentence pairs (from different documents) that share content-word bigrams.

    Only bigrams (features with a space) index sentences: single words are too common. Bigrams
    in more than ``max_df`` sentences are skipped. A pair is a candidate when it shares at
    least two such bigrams, or one when the shorter sentence has at most three bigrams (short
    quotes such as "We're working to set a date."). Shared counts come from a sparse
    sentence × bigram product computed in row chunks, so memory stays bounded.
    """
    from scipy import sparse

    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    n_bigrams = np.zeros(len(sent_feats), dtype=np.int64)
    for k, feats in enumerate(sent_feats):
        bis = {f for f in feats if " " in f}
        n_bigrams[k] = len(bis)
        for f in bis:
            rows.append(k)
            cols.append(vocab.setdefault(f, len(vocab)))
    if not rows:
        return np.empty((0, 2), dtype=np.int64)
    mat = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(sent_feats), len(vocab))
    )
    df = np.bincount(np.asarray(cols), minlength=len(vocab))
    keep = np.flatnonzero((df >= 2) & (df <= max_df))
    if len(keep) == 0:
        return np.empty((0, 2), dtype=np.int64)
    mat = mat[:, keep].tocsr()
    mat_t = mat.T.tocsr()
    found = []
    for lo in range(0, mat.shape[0], chunk):
        prod = (mat[lo : lo + chunk] @ mat_t).tocoo()
        r = prod.row.astype(np.int64) + lo
        c = prod.col.astype(np.int64)
        short = np.minimum(n_bigrams[r], n_bigrams[c]) <= 3
        ok = (r < c) & (sent_doc[r] != sent_doc[c]) & ((prod.data >= 2) | short)
        if ok.any():
            found.append(np.column_stack([r[ok], c[ok]]))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.concatenate(found)


def _sentence_features(
    doc: _Doc, stem, *, bigrams: bool = True, hyphen_parts: bool = False
) -> list[list[str]]:
    """Per sentence: stemmed content words (``stem`` from :func:`_stemmer`).

    ``bigrams`` adds pairs of consecutive content words; ``hyphen_parts`` adds the parts of a
    hyphenated word ("Hamas-run" also gives ``hama`` and ``run``).
    """
    out = []
    for lo, hi in doc.sent_words:
        keys = []
        extra = []
        for s, e in doc.spans[lo:hi]:
            word = doc.text[s:e].replace("\u2019", "'")
            k = stem(word)
            if k is None:
                continue
            keys.append(k)
            if hyphen_parts and "-" in word and not k.startswith("<num"):
                for part in word.split("-"):
                    kp = stem(part) if part else None
                    if kp is not None and kp != k:
                        extra.append(kp)
        feats = keys + extra
        if bigrams:
            feats.extend(f"{a} {b}" for a, b in zip(keys, keys[1:]))
        out.append(feats)
    return out


def _shared(
    docs: pd.DataFrame,
    *,
    n: int,
    min_words: int,
    paraphrase_threshold: float | None,
    max_df: int,
    min_shared: int,
    func: str,
    max_repeats: int | None = 10,
) -> pd.DataFrame:
    if not isinstance(n, (int, np.integer)) or n < 2:
        raise ParameterError(f"{func}: `n` (words per n-gram) must be an integer >= 2, got {n!r}.")
    if not isinstance(min_words, (int, np.integer)) or min_words < n:
        raise ParameterError(
            f"{func}: `min_words` must be an integer >= n ({n}), got {min_words!r}."
        )
    if paraphrase_threshold is not None and not 0 < paraphrase_threshold <= 1:
        raise ParameterError(
            f"{func}: `paraphrase_threshold` must lie in (0, 1] or be None (no paraphrases), "
            f"got {paraphrase_threshold!r}."
        )
    if not isinstance(max_df, (int, np.integer)) or max_df < 2:
        raise ParameterError(f"{func}: `max_df` must be an integer >= 2, got {max_df!r}.")
    if not isinstance(min_shared, (int, np.integer)) or min_shared < 1:
        raise ParameterError(f"{func}: `min_shared` must be an integer >= 1, got {min_shared!r}.")
    if max_repeats is not None and (
        isinstance(max_repeats, bool) or not isinstance(max_repeats, (int, np.integer)) or max_repeats < 1
    ):
        raise ParameterError(
            f"{func}: `max_repeats` must be an integer >= 1 or None (no cap), got {max_repeats!r}."
        )
    _docs_checked(docs, func)
    prepared = _prepare(docs)
    vocab: dict[str, int] = {}
    ids = [
        np.array([vocab.setdefault(k, len(vocab)) for k in d.keys], dtype=np.int64)
        for d in prepared
    ]
    hashes = [_rolling_hashes(a, n) for a in ids]
    pairs = _candidate_pairs(hashes, max_df=max_df, min_shared=min_shared)
    n_repeated = 0
    if max_repeats is not None:
        for h in hashes:
            n_repeated += int((np.unique(h, return_counts=True)[1] > max_repeats).sum())
        if n_repeated:
            log.info(
                "%s: %d n-grams occur more than %d times in one document and seed no exact run.",
                func, n_repeated, max_repeats,
            )

    rows: list[dict] = []
    pair_cover: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
    for a, b in sorted(pairs):
        da, db = prepared[a], prepared[b]
        for sa, ea, sb, eb in _exact_runs(
            hashes[a], hashes[b], ids[a], ids[b], n, max_repeats=max_repeats
        ):
            if ea - sa < min_words:
                continue
            ca, cb = pair_cover.setdefault(
                (a, b), (np.zeros(len(da.keys), bool), np.zeros(len(db.keys), bool))
            )
            ca[sa:ea] = True
            cb[sb:eb] = True
            c0a, c1a = da.spans[sa][0], da.spans[ea - 1][1]
            c0b, c1b = db.spans[sb][0], db.spans[eb - 1][1]
            rows.append(
                {
                    "doc_a": da.doc_id, "doc_b": db.doc_id,
                    "outlet_a": da.outlet, "outlet_b": db.outlet, "kind": "exact",
                    "text_a": da.text[c0a:c1a], "text_b": db.text[c0b:c1b],
                    "start_a": c0a, "end_a": c1a, "start_b": c0b, "end_b": c1b,
                    "n_words": ea - sa, "similarity": 1.0,
                }
            )  # fmt: skip
    compared = set(pairs)
    n_exact_pairs = len(pairs)
    n_sentence_pairs = 0

    if paraphrase_threshold is not None:
        stem = _stemmer()
        sent_feats: list[list[str]] = []
        sent_ref: list[tuple[int, int]] = []
        for d_i, d in enumerate(prepared):
            for s_i, feats in enumerate(_sentence_features(d, stem)):
                sent_feats.append(feats)
                sent_ref.append((d_i, s_i))
        if sent_feats and any(sent_feats):
            sent_doc = np.array([r[0] for r in sent_ref], dtype=np.int64)
            cand = _paraphrase_candidates(sent_feats, sent_doc, max_df=max_df)
            n_sentence_pairs = len(cand)
            if len(cand):
                lo_doc = np.minimum(sent_doc[cand[:, 0]], sent_doc[cand[:, 1]])
                hi_doc = np.maximum(sent_doc[cand[:, 0]], sent_doc[cand[:, 1]])
                compared.update(zip(lo_doc.tolist(), hi_doc.tolist(), strict=True))
                tf = _tfidf(sent_feats)
                sims = np.concatenate(
                    [
                        np.asarray(
                            tf[cand[lo : lo + 100_000, 0]]
                            .multiply(tf[cand[lo : lo + 100_000, 1]])
                            .sum(axis=1)
                        ).ravel()
                        for lo in range(0, len(cand), 100_000)
                    ]
                )
                keep = sims >= paraphrase_threshold
                cover_sums: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
                for (i, j), sim in zip(cand[keep].tolist(), sims[keep].tolist(), strict=True):
                    (a, sa_i), (b, sb_i) = sent_ref[i], sent_ref[j]
                    if a > b:
                        a, b, sa_i, sb_i = b, a, sb_i, sa_i
                    da, db = prepared[a], prepared[b]
                    lo_a, hi_a = da.sent_words[sa_i]
                    lo_b, hi_b = db.sent_words[sb_i]
                    if hi_a <= lo_a or hi_b <= lo_b:
                        continue
                    pc = cover_sums.get((a, b))
                    if pc is None and (a, b) in pair_cover:
                        pc = cover_sums[(a, b)] = tuple(
                            np.concatenate([[0], np.cumsum(c)]) for c in pair_cover[(a, b)]
                        )
                    if pc is not None and (
                        2 * (pc[0][hi_a] - pc[0][lo_a]) >= hi_a - lo_a
                        and 2 * (pc[1][hi_b] - pc[1][lo_b]) >= hi_b - lo_b
                    ):
                        continue  # already reported as an exact run (half of both covered)
                    c0a, c1a = da.sent_spans[sa_i]
                    c0b, c1b = db.sent_spans[sb_i]
                    rows.append(
                        {
                            "doc_a": da.doc_id, "doc_b": db.doc_id,
                            "outlet_a": da.outlet, "outlet_b": db.outlet, "kind": "paraphrase",
                            "text_a": da.text[c0a:c1a], "text_b": db.text[c0b:c1b],
                            "start_a": c0a, "end_a": c1a, "start_b": c0b, "end_b": c1b,
                            "n_words": min(hi_a - lo_a, hi_b - lo_b),
                            "similarity": min(float(sim), 1.0),
                        }
                    )  # fmt: skip

    order = {doc_id: k for k, doc_id in enumerate(docs["doc_id"])}
    out = pd.DataFrame(rows, columns=PASSAGE_COLUMNS)
    if len(out):
        out["_a"] = out["doc_a"].map(order)
        out["_b"] = out["doc_b"].map(order)
        out["_k"] = (out["kind"] != "exact").astype(int)
        out = out.sort_values(["_a", "_b", "_k", "start_a", "start_b"], kind="mergesort")
        out = out.drop(columns=["_a", "_b", "_k"]).reset_index(drop=True)
    for c in ("start_a", "end_a", "start_b", "end_b", "n_words"):
        out[c] = out[c].astype("int64")
    out["similarity"] = out["similarity"].astype(float)
    out.attrs.update(
        {
            "n": int(n),
            "min_words": int(min_words),
            "paraphrase_threshold": paraphrase_threshold,
            "max_df": int(max_df),
            "min_shared": int(min_shared),
            "max_repeats": None if max_repeats is None else int(max_repeats),
            "n_repeated_ngrams": n_repeated,
            "n_candidate_pairs": len(compared),
            "n_exact_candidate_pairs": n_exact_pairs,
            "n_sentence_pairs_compared": n_sentence_pairs,
            "n_all_pairs": len(prepared) * (len(prepared) - 1) // 2,
        }
    )
    return out


def shared_passages(
    docs: pd.DataFrame,
    *,
    n: int = 8,
    min_words: int = 8,
    paraphrase_threshold: float | None = 0.4,
    max_df: int = 100,
    min_shared: int = 1,
    max_repeats: int | None = 10,
) -> pd.DataFrame:
    """Passages that pairs of documents share: exact word runs and close paraphrases.

    Exact reuse: every document's words (kit words; case and abbreviation dots ignored, so
    "U.S." matches "US") are cut into overlapping word ``n``-grams and hashed; an inverted index
    from hash to documents proposes only the pairs of documents that share at least
    ``min_shared`` n-grams (never all pairs; n-grams found in more than ``max_df`` documents,
    i.e. boilerplate, propose no pair - passim does the same). For each candidate pair, matching
    n-grams on the same diagonal are merged into maximal runs of identical words; runs of at
    least ``min_words`` words are reported (8 words is about passim's 50-character minimum).

    Paraphrase: sentences (kit segmenter) are compared by TF-IDF cosine over stemmed content
    words and their adjacent bigrams (stop words removed; numbers rounded to one significant
    figure), for sentence pairs of different documents proposed by a bigram index: they share
    at least two content-word bigrams, or one if the shorter sentence has at most three
    (bigrams in more than ``max_df`` sentences are skipped).
    A pair with cosine >= ``paraphrase_threshold`` is reported as ``"paraphrase"`` unless exact
    runs between the same two documents already cover half of both sentences.

    Parameters
    ----------
    docs : pandas.DataFrame
        The docs table (``doc_id, outlet, text``).
    n : int, default 8
        Words per n-gram for exact matching.
    min_words : int, default 8
        Shortest exact run reported, in words (>= ``n``).
    paraphrase_threshold : float or None, default 0.4
        Cosine (0-1) a sentence pair needs to count as a paraphrase; None = exact runs only.
        On the seed articles every pair at or above 0.4 is a rewrite of the same sentence
        (the rewritten Reuters sentences of 001 and 004 score 0.4-0.8); between 0.3 and 0.4
        most pairs still are, but some only share a topic.
    max_df : int, default 100
        n-grams (and sentence features) in more than this many documents (sentences) do not
        propose candidate pairs.
    min_shared : int, default 1
        Shared n-grams a document pair needs to be compared for exact runs.
    max_repeats : int or None, default 10
        An n-gram found more than this many times within one document seeds no exact run
        (repeated boilerplate; counted in ``attrs["n_repeated_ngrams"]``). None = no cap.

    Cost. Exact runs: the index holds one hash per word; a candidate pair costs its number
    of matching n-gram positions, at most ``max_repeats ** 2`` per shared n-gram, so time and
    memory grow linearly with the text (without the cap, a passage repeated k times in both
    documents gives k² matches and k² passages). Paraphrases: a bigram in at most ``max_df``
    sentences proposes at most ``max_df ** 2 / 2`` pairs, found by sparse products in blocks of
    2,000 sentences. The output has one row per passage. Measured in
    ``benchmarks/reuse_scale.py``.

    Returns
    -------
    pandas.DataFrame
        One row per shared passage, ordered by document pair (input order), exact before
        paraphrase, then position:

        - ``doc_a``, ``doc_b``: documents (``doc_a`` comes first in the input).
        - ``outlet_a``, ``outlet_b``: their outlets.
        - ``kind``: ``"exact"`` (identical word run) or ``"paraphrase"`` (similar sentences).
        - ``text_a``, ``text_b``: the passage as written in each document.
        - ``start_a``, ``end_a``, ``start_b``, ``end_b``: character offsets into ``text``
          (``text[start:end]`` is the passage).
        - ``n_words``: words in the run (exact) or in the shorter sentence (paraphrase).
        - ``similarity``: 1.0 for exact runs; TF-IDF cosine (0-1) for paraphrases; higher =
          closer.

        ``DataFrame.attrs`` holds the settings and the work done: ``n_candidate_pairs``
        (document pairs examined by either stage), ``n_exact_candidate_pairs`` (pairs
        proposed by the n-gram index), ``n_sentence_pairs_compared`` (paraphrase candidates)
        and ``n_all_pairs`` (what comparing everything would cost); ``max_repeats`` and
        ``n_repeated_ngrams`` (distinct n-grams per document above the cap, summed).

    Raises
    ------
    NotEnoughData
        Fewer than two documents.
    """
    return _shared(
        docs,
        n=n,
        min_words=min_words,
        paraphrase_threshold=paraphrase_threshold,
        max_df=max_df,
        min_shared=min_shared,
        func="shared_passages",
        max_repeats=max_repeats,
    )


def originality(
    docs: pd.DataFrame,
    *,
    passages: pd.DataFrame | None = None,
    n: int = 8,
    min_words: int = 8,
    paraphrase_threshold: float | None = 0.4,
    max_df: int = 100,
    min_shared: int = 1,
    max_repeats: int | None = 10,
) -> pd.DataFrame:
    """Share of each document's words that it shares with another document ("% original").

    A word is *shared* when it lies in an exact run or in a paraphrased sentence found by
    :func:`shared_passages` (same parameters) with any other document of the input.
    Churnalism flags a text when more than 20 % of it overlaps a source.

    Parameters
    ----------
    docs : pandas.DataFrame
        The docs table (``doc_id, outlet, text``).
    passages : pandas.DataFrame, optional
        The result of ``shared_passages(docs, ...)`` when you already have it: the shares are
        then read from its passages (same numbers, without finding them again) and the
        settings below are those it was made with. Given ``orient_passages(passages, docs)``
        instead, a passage counts against an article only when the article took it: the same
        quotation in both articles and the passages an article ran first (by ``wire_source`` or
        ``published``) leave its share original.
    n, min_words, paraphrase_threshold, max_df, min_shared, max_repeats
        As in :func:`shared_passages` (used when ``passages`` is not given).

    Returns
    -------
    pandas.DataFrame
        One row per document, input order:

        - ``doc_id``, ``outlet``.
        - ``n_words``: kit words in ``text``.
        - ``n_words_shared``: words in any shared passage (exact or paraphrase).
        - ``n_words_exact``: words in exact runs only.
        - ``share_shared``: n_words_shared / n_words (0-1); higher = more reused text.
        - ``share_exact``: n_words_exact / n_words (0-1).
        - ``share_original``: 1 − share_shared (0-1); higher = more original text.
          NaN shares for a document without words.
    """
    if passages is None:
        passages = _shared(
            docs,
            n=n,
            min_words=min_words,
            paraphrase_threshold=paraphrase_threshold,
            max_df=max_df,
            min_shared=min_shared,
            func="originality",
            max_repeats=max_repeats,
        )
    covered, covered_exact = _covered_by(docs, passages)
    n_words = np.array([len(c) for c in covered], dtype=np.int64)
    n_shared = np.array([int(c.sum()) for c in covered], dtype=np.int64)
    n_exact = np.array([int(c.sum()) for c in covered_exact], dtype=np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n_words > 0, n_shared / np.maximum(n_words, 1), np.nan)
        share_exact = np.where(n_words > 0, n_exact / np.maximum(n_words, 1), np.nan)
    out = pd.DataFrame(
        {
            "doc_id": docs["doc_id"].to_numpy(),
            "outlet": docs["outlet"].to_numpy(),
            "n_words": n_words,
            "n_words_shared": n_shared,
            "n_words_exact": n_exact,
            "share_shared": share,
            "share_exact": share_exact,
            "share_original": 1.0 - share,
        },
        columns=ORIGINALITY_COLUMNS,
    )
    out.attrs.update(passages.attrs)
    return out


def _counts_against(passages: pd.DataFrame, side: str) -> list[bool]:
    """For an oriented table (:func:`orient_passages`): does each passage count against the
    article on ``side``? Not when it is the same quotation, nor when that article ran it first."""
    docs_ = passages[f"doc_{side}"].astype(str)
    return [not bool(q) and str(f) != d for q, f, d in zip(passages["quotation"], passages["first_doc"], docs_)]


def _covered_by(docs: pd.DataFrame, passages: pd.DataFrame) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per document, which words lie in a passage of ``passages`` (any kind; exact only).

    With an oriented table (:func:`orient_passages`) a passage marks only the articles it
    counts against: not a quotation both quote, not the article that ran it first.

    A word counts when its whole span lies inside a passage's character span; exact runs and
    paraphrased sentences start and end on word boundaries, so this marks exactly their words.
    """
    if not isinstance(passages, pd.DataFrame) or not set(PASSAGE_COLUMNS) <= set(passages.columns):
        raise ParameterError(
            "originality: `passages` must be the table returned by shared_passages(docs); "
            f"it needs the columns {list(PASSAGE_COLUMNS)}."
        )
    _docs_checked(docs, "originality")
    pos = {doc_id: k for k, doc_id in enumerate(docs["doc_id"])}
    unknown = sorted(map(str, (set(passages["doc_a"]) | set(passages["doc_b"])) - set(pos)))
    if unknown:
        raise ParameterError(
            f"originality: `passages` names documents not in docs ({unknown[:5]}); pass the "
            "shared_passages result of these same docs."
        )
    starts, ends = [], []
    for body in docs["text"]:
        spans = _text.word_spans(_lexical._text_of(body))
        starts.append(np.array([a for a, _ in spans], dtype=np.int64))
        ends.append(np.array([b for _, b in spans], dtype=np.int64))
    covered = [np.zeros(len(a), dtype=bool) for a in starts]
    exact = [np.zeros(len(a), dtype=bool) for a in starts]
    oriented = {"quotation", "first_doc"} <= set(passages.columns)
    for side in ("a", "b"):
        for doc_id, kind, lo, hi, keep in zip(
            passages[f"doc_{side}"], passages["kind"], passages[f"start_{side}"], passages[f"end_{side}"],
            _counts_against(passages, side) if oriented else [True] * len(passages), strict=True,
        ):
            if not keep:
                continue
            d = pos[doc_id]
            first = int(np.searchsorted(starts[d], lo, side="left"))
            last = int(np.searchsorted(ends[d], hi, side="right"))  # words ending by `hi`
            covered[d][first:last] = True
            if kind == "exact":
                exact[d][first:last] = True
    return covered, exact


# --------------------------------------------------------------------------- bounded clustering

#: Components of at most this many sentences are clustered by scipy's ``linkage`` on their
#: sentences (square and condensed distance matrices of at most 1,000 sentences: 12 MB).
_SCIPY_MAX_SENTENCES = 1000
#: Largest group of distinct sentence vectors clustered at once by :func:`_upgma_cut`; its
#: distance matrix takes ``_DENSE_MAX ** 2 * 8`` bytes (4,000: 128 MB).
_DENSE_MAX = 4000
#: Entries of one row block of a sparse product (bounds the memory of blocked products).
_BLOCK_ENTRIES = 4_000_000


def _identical_rows(mat) -> tuple[np.ndarray, np.ndarray]:
    """Group identical non-empty rows of a CSR matrix.

    Returns ``(group, first)``: ``group[i]`` is the group of row ``i`` and ``first[g]`` the
    first row of group ``g``. Rows without entries each form their own group (two empty rows
    have cosine 0, not 1).
    """
    mat = mat.tocsr()
    mat.sort_indices()
    seen: dict[tuple[bytes, bytes], int] = {}
    group = np.empty(mat.shape[0], dtype=np.int64)
    first: list[int] = []
    for i in range(mat.shape[0]):
        lo, hi = mat.indptr[i], mat.indptr[i + 1]
        if hi == lo:
            group[i] = len(first)
            first.append(i)
            continue
        key = (mat.indices[lo:hi].tobytes(), mat.data[lo:hi].tobytes())
        g = seen.get(key)
        if g is None:
            g = seen[key] = len(first)
            first.append(i)
        group[i] = g
    return group, np.asarray(first, dtype=np.int64)


def _components_at(mat, threshold: float) -> np.ndarray:
    """Connected components of the graph linking rows with cosine >= ``threshold``.

    The product ``mat @ mat.T`` is computed in row blocks of at most :data:`_BLOCK_ENTRIES`
    potential entries and only the links are kept, so memory grows with the number of links,
    not with the square of the number of rows.
    """
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    n = mat.shape[0]
    mat_t = mat.T.tocsc()
    step = max(1, _BLOCK_ENTRIES // max(n, 1))
    rows, cols = [], []
    for lo in range(0, n, step):
        prod = (mat[lo : lo + step] @ mat_t).tocoo()
        ok = prod.data >= threshold - 1e-9  # a little wider than needed: never too fine
        rows.append(prod.row[ok].astype(np.int64) + lo)
        cols.append(prod.col[ok].astype(np.int64))
    r = np.concatenate(rows) if rows else np.empty(0, dtype=np.int64)
    c = np.concatenate(cols) if cols else np.empty(0, dtype=np.int64)
    graph = sparse.csr_matrix((np.ones(len(r), dtype=np.int8), (r, c)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _upgma_cut(dist: np.ndarray, weights: np.ndarray, t: float) -> np.ndarray:
    """Flat clusters of average linkage (UPGMA) over weighted points, cut at height ``t``.

    A point of weight k stands for k identical observations, so the clusters equal those of
    ``fcluster(linkage(..., "average"), t, "distance")`` on the expanded observations. Uses the
    nearest-neighbour chain (Murtagh 1983) with the Lance-Williams update for average linkage;
    a cluster whose nearest neighbour lies farther than ``t`` is final (average linkage is
    reducible, so nothing can come closer), so merges above ``t`` are never made.

    ``dist`` (square, symmetric) is overwritten. Returns a label per point.
    """
    m = len(weights)
    size = np.asarray(weights, dtype=np.float64).copy()
    np.fill_diagonal(dist, np.inf)
    parent = np.arange(m)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    active = np.ones(m, dtype=bool)
    chain: list[int] = []
    left = m
    while left:
        if not chain:
            chain.append(int(np.argmax(active)))
        a = chain[-1]
        row = dist[a]
        b = int(np.argmin(row))
        if len(chain) > 1 and row[chain[-2]] <= row[b]:
            b = chain[-2]
        if not row[b] <= t:  # also inf: nothing left to merge with
            active[a] = False
            dist[:, a] = np.inf
            dist[a, :] = np.inf
            chain.pop()
            left -= 1
            continue
        if len(chain) > 1 and b == chain[-2]:
            chain.pop()
            chain.pop()
            new = (size[a] * dist[a] + size[b] * dist[b]) / (size[a] + size[b])
            size[a] += size[b]
            active[b] = False
            dist[b, :] = np.inf
            dist[:, b] = np.inf
            new[a] = np.inf
            new[b] = np.inf
            new[~active] = np.inf
            dist[a, :] = new
            dist[:, a] = new
            parent[find(b)] = find(a)
            left -= 1
            continue
        chain.append(b)
    return np.array([find(i) for i in range(m)], dtype=np.int64)


def _cluster_labels(
    tf,
    threshold: float,
    *,
    scipy_max: int | None = None,
    dense_max: int | None = None,
) -> tuple[np.ndarray, bool]:
    """Average-linkage clusters of the rows of ``tf`` (unit rows), cut at mean cosine ``threshold``.

    The result equals ``fcluster(linkage(1 - cos, "average"), 1 - threshold, "distance")`` on
    all rows, computed in bounded memory:

    1. Identical rows are grouped (wire copy repeats sentences word for word).
    2. Two clusters merge only when their mean cosine is >= ``threshold``, so at least one pair
       across them has cosine >= ``threshold``: every cluster lies inside one connected
       component of the graph of such pairs (built from blocked sparse products). Components
       are clustered one by one.
    3. A component of at most ``scipy_max`` sentences is clustered by scipy on its sentences
       (exactly the former dense computation, restricted to the component); a larger one by
       :func:`_upgma_cut` on its distinct rows, weighted by their repeats.
    4. A component with more than ``dense_max`` distinct rows is split into the components
       at a higher cosine (halfway to 1) until each fits; only then can the result differ from
       the unbounded computation (a warning is logged and the second value is True).

    Memory: at most ``dense_max ** 2 * 8`` bytes for one distance matrix (128 MB at the
    default 4,000) plus the links of step 2.

    Returns
    -------
    (numpy.ndarray, bool)
        A label per row (arbitrary numbers, equal within a cluster) and whether any component
        had to be split (approximation).
    """
    scipy_max = _SCIPY_MAX_SENTENCES if scipy_max is None else scipy_max
    dense_max = _DENSE_MAX if dense_max is None else dense_max
    n = tf.shape[0]
    t = 1.0 - threshold
    group, first = _identical_rows(tf)
    uniq = tf[first]
    n_rep = np.bincount(group, minlength=len(first))
    comp = _components_at(uniq, threshold)
    labels = np.empty(n, dtype=np.int64)
    next_label = 0
    split = False
    # members of each component: sentences (via their group) and distinct rows
    by_comp = np.argsort(comp[group], kind="stable")
    bounds = np.flatnonzero(np.diff(comp[group][by_comp])) + 1
    pending = [(rows, threshold) for rows in np.split(by_comp, bounds)]
    while pending:
        rows, level = pending.pop()
        if len(rows) == 1:
            labels[rows] = next_label
            next_label += 1
            continue
        if len(rows) <= scipy_max:
            from scipy.cluster.hierarchy import fcluster, linkage
            from scipy.spatial.distance import squareform

            sub = tf[rows]
            dist = 1.0 - (sub @ sub.T).toarray()
            np.clip(dist, 0.0, 1.0, out=dist)
            np.fill_diagonal(dist, 0.0)
            tree = linkage(squareform(dist, checks=False), method="average")
            lab = fcluster(tree, t=t, criterion="distance")
            labels[rows] = lab + next_label
            next_label += int(lab.max()) + 1
            continue
        groups, inverse = np.unique(group[rows], return_inverse=True)
        if len(groups) > dense_max:
            finer = level + (1.0 - level) / 2.0
            if finer - level < 1e-6:  # cannot split further: cut in order
                parts = [rows[k : k + dense_max] for k in range(0, len(rows), dense_max)]
            else:
                sub_comp = _components_at(uniq[groups], finer)[inverse]
                order = np.argsort(sub_comp, kind="stable")
                cuts = np.flatnonzero(np.diff(sub_comp[order])) + 1
                parts = np.split(rows[order], cuts)
            split = True
            pending.extend((p, finer) for p in parts)
            continue
        sub = uniq[groups]
        dist = 1.0 - (sub @ sub.T).toarray()
        np.clip(dist, 0.0, 1.0, out=dist)
        np.fill_diagonal(dist, 0.0)
        lab = _upgma_cut(dist, n_rep[groups], t)
        labels[rows] = lab[inverse] + next_label
        next_label += int(lab.max()) + 1
    if split:
        log.warning(
            "information_units: a group of more than %d distinct similar sentences was split "
            "to bound memory; units in it may be finer than with unbounded memory.",
            dense_max,
        )
    return labels, split


# --------------------------------------------------------------------------- coverage


class Coverage(NamedTuple):
    """Result of :func:`coverage`: the information units and the unit × outlet matrix."""

    units: pd.DataFrame
    matrix: pd.DataFrame


def _select_event(docs: pd.DataFrame, event: str | None, func: str) -> tuple[pd.DataFrame, object]:
    if "event_id" not in docs.columns:
        if event is not None:
            raise ParameterError(f"{func}: `event` given but docs have no `event_id` column.")
        return docs, pd.NA
    events = pd.unique(docs["event_id"].astype(str))
    if event is None:
        if len(events) > 1:
            raise ParameterError(
                f"{func}: docs cover {len(events)} events; pass event=... (one of "
                f"{sorted(events)[:20]})."
            )
        return docs, docs["event_id"].iloc[0] if len(docs) else pd.NA
    if str(event) not in events:
        raise ParameterError(
            f"{func}: unknown event {event!r}; events in docs: {sorted(events)[:20]}."
        )
    return docs[docs["event_id"].astype(str) == str(event)], event


def _units(docs: pd.DataFrame, event: str | None, threshold: float):
    if not 0 < threshold <= 1:
        raise ParameterError(
            f"information_units: `threshold` must lie in (0, 1], got {threshold!r}; try 0.25."
        )
    _lexical.check_docs(docs, needed=["doc_id", "outlet", "text"], func="information_units")
    sub, _ = _select_event(docs, event, "information_units")
    if len(sub) < 2:
        raise NotEnoughData(
            f"information_units: needs at least two documents of the story, got {len(sub)}; "
            "add other outlets' reports of the same event."
        )
    prepared = _prepare(sub)
    stem = _stemmer()
    feats: list[list[str]] = []
    meta = []
    for d_i, d in enumerate(prepared):
        for s_i, f in enumerate(_sentence_features(d, stem, bigrams=False, hyphen_parts=True)):
            feats.append(f)
            s, e = d.sent_spans[s_i]
            meta.append((d_i, d.doc_id, d.outlet, s_i, " ".join(d.text[s:e].split()), s, e))
    if not any(feats):
        raise NotEnoughData("information_units: no content words in the story's sentences.")
    tf = _tfidf(feats)
    if len(meta) == 1:
        labels, split = np.zeros(1, dtype=np.int64), False
    else:
        labels, split = _cluster_labels(tf, threshold)
    # renumber by first appearance
    remap: dict[int, int] = {}
    unit = np.array([remap.setdefault(int(lab), len(remap)) for lab in labels], dtype=np.int64)
    out = pd.DataFrame(
        {
            "doc_id": [m[1] for m in meta],
            "outlet": [m[2] for m in meta],
            "sent_id": np.array([m[3] for m in meta], dtype=np.int64),
            "sentence": [m[4] for m in meta],
            "start": np.array([m[5] for m in meta], dtype=np.int64),
            "end": np.array([m[6] for m in meta], dtype=np.int64),
            "unit_id": unit,
        }
    )
    out.attrs["threshold"] = float(threshold)
    out.attrs["split_for_memory"] = bool(split)
    return out, tf


def information_units(
    docs: pd.DataFrame, *, event: str | None = None, threshold: float = 0.25
) -> pd.DataFrame:
    """Assign every sentence of one story to an information unit.

    An information unit is a group of sentences that say the same thing. Method:

    1. Sentences from :func:`analysis.text.sentence_spans`.
    2. Features: content words (kit words minus :data:`analysis.text.STOP_WORDS`; capitalised
       acronyms such as "US" kept), Porter-stemmed, possessive "'s" and abbreviation dots
       dropped, month abbreviations spelled out, hyphenated words also split into their parts
       ("Hamas-run" gives ``hamas-run``, ``hama``, ``run``), and numbers replaced by their
       value rounded to one significant figure ("31,000" and "32,000" both become
       ``<num:3e4>``, so updated tolls still match).
    3. TF-IDF (sublinear tf, smooth idf learned from the story's sentences, l2 norm) and
       cosine similarity between every pair of sentences.
    4. Average-linkage agglomerative clustering (UPGMA) on distance 1 - cosine, cut where the
       mean similarity between two groups falls below ``threshold``. Average linkage avoids the
       chaining of single linkage (connected components), where one loosely related sentence
       glues two facts together.

    Cost is bounded (see ``_cluster_labels``): identical sentences are grouped, and since two
    groups merge only when some pair across them has cosine >= ``threshold``, the story is cut
    into the connected components of such pairs (found by blocked sparse products: memory grows
    with the number of similar pairs, not with the square of the sentences) and each component
    is clustered alone. A component of up to 1,000 sentences is clustered exactly as a dense
    computation over the whole story would; a larger one on its distinct sentences, weighted
    by their repeats (same clusters). One distance matrix holds at most 4,000 distinct
    sentences (128 MB); only a component with more distinct, mutually similar sentences than
    that is split at a higher cosine, which can make its units finer (a warning is logged and
    ``attrs["split_for_memory"]`` is True). Measured in ``benchmarks/reuse_scale.py``.

    Parameters
    ----------
    docs : pandas.DataFrame
        The docs table (``doc_id, outlet, text``; ``event_id`` to select a story).
    event : str, optional
        ``event_id`` to analyse; required when docs hold several events.
    threshold : float, default 0.25
        Mean cosine (0-1) two groups of sentences need to merge into one unit. Lower = larger,
        looser units. On the seed articles the range 0.20-0.25 puts the five outlets' versions
        of the press secretary's "working to set / find a (convenient) date" quote into one
        unit and the two Gaza death-toll sentences (31,000 in ABC News, 32,000 in the Reuters
        republisher) into one unit of those two outlets; at 0.30 the quote splits in two
        (tests/test_reuse.py checks both facts at the default).

    Returns
    -------
    pandas.DataFrame
        One row per sentence: ``doc_id``, ``outlet``, ``sent_id`` (0-based within the
        document), ``sentence`` (text), ``start``, ``end`` (character offsets into ``text``),
        ``unit_id`` (int, numbered by first appearance in input order).
        ``attrs``: ``threshold`` and ``split_for_memory`` (bool, see above).
    """
    return _units(docs, event, threshold)[0]


def coverage(
    docs: pd.DataFrame, *, event: str | None = None, threshold: float = 0.25
) -> Coverage:
    """Which outlet reported which piece of information, for one story.

    Builds information units with :func:`information_units` (same ``event`` and
    ``threshold``) and summarises them.

    Returns
    -------
    Coverage
        A named tuple ``(units, matrix)``:

        ``units`` - one row per information unit, most widely reported first (then by first
        appearance):

        - ``event_id``; ``unit_id`` (as in :func:`information_units`).
        - ``representative``: the unit's most central sentence (highest mean cosine to the
          unit's other sentences; the first sentence on ties).
        - ``representative_doc``: ``doc_id`` of that sentence.
        - ``n_sentences``, ``n_docs``, ``n_outlets``: how many sentences, documents and outlets
          carry the unit.
        - ``outlets``: the outlets, sorted, joined by ``"; "``.
        - ``single_outlet``: True when only one outlet reported the unit.

        ``matrix`` - boolean DataFrame, index ``unit_id`` (same order as ``units``), one column
        per outlet (sorted): True when the outlet reported the unit.

        ``units.attrs``: ``threshold`` and ``split_for_memory`` (see
        :func:`information_units`: memory is bounded; True only when a very large group of
        similar sentences had to be split). The representative of a unit of more than 1,000
        sentences is found from each sentence's dot product with the unit's summed vector
        (linear cost; the same sentence up to rounding ties).
    """
    sent, tf = _units(docs, event, threshold)
    _, event_id = _select_event(docs, event, "coverage")
    outlets = sorted(sent["outlet"].astype(str).unique())
    rows = []
    for unit_id, grp in sent.groupby("unit_id", sort=True):
        idx = grp.index.to_numpy()
        if len(idx) > 1:
            rows_tf = tf[idx]
            if len(idx) <= _SCIPY_MAX_SENTENCES:
                sums = (rows_tf @ rows_tf.T).toarray().sum(axis=1)
            else:  # each row times the unit's summed vector: linear, same values up to rounding
                total = np.asarray(rows_tf.sum(axis=0)).ravel()
                sums = rows_tf @ total
            centrality = (sums - 1.0) / (len(idx) - 1)
            best = idx[int(np.argmax(centrality))]
        else:
            best = idx[0]
        outs = sorted(grp["outlet"].astype(str).unique())
        rows.append(
            {
                "event_id": event_id,
                "unit_id": int(unit_id),
                "representative": sent.at[best, "sentence"],
                "representative_doc": sent.at[best, "doc_id"],
                "n_sentences": len(idx),
                "n_docs": grp["doc_id"].nunique(),
                "n_outlets": len(outs),
                "outlets": "; ".join(outs),
                "single_outlet": len(outs) == 1,
            }
        )
    units = pd.DataFrame(rows, columns=COVERAGE_UNIT_COLUMNS)
    units = units.sort_values(
        ["n_outlets", "unit_id"], ascending=[False, True], kind="mergesort"
    ).reset_index(drop=True)
    present = sent.assign(outlet=sent["outlet"].astype(str)).groupby("unit_id")["outlet"].agg(set)
    matrix = pd.DataFrame(
        [[o in present[u] for o in outlets] for u in units["unit_id"]],
        index=pd.Index(units["unit_id"].to_numpy(), name="unit_id"),
        columns=pd.Index(outlets, name="outlet"),
        dtype=bool,
    )
    units.attrs["threshold"] = float(threshold)
    units.attrs["split_for_memory"] = bool(sent.attrs.get("split_for_memory", False))
    return Coverage(units, matrix)


# --------------------------------------------------------------------------- who ran it first


def _same_name(a: object, b: object) -> bool:
    """Two outlet / wire names are the same when their letters and digits match (any case)."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    squeeze = lambda s: re.sub(r"[^0-9a-z]+", "", s.casefold())  # noqa: E731
    return bool(squeeze(a)) and squeeze(a) == squeeze(b)


def _half_quoted(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """True when at least half of the characters ``start:end`` lie inside quotation marks."""
    inside = sum(max(0, min(end, b) - max(start, a)) for a, b in spans)
    return end > start and inside >= 0.5 * (end - start)


def orient_passages(passages: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """Who ran a shared passage first, and whether it is the same quotation rather than copy.

    Rules, in order, for the two articles ``doc_a`` and ``doc_b`` of a passage:

    1. ``wire_source``: when one article names the other's outlet as its wire source, the
       other is the source (basis ``"wire_source"``);
    2. both name the same wire source, which is neither outlet: both copied it (basis
       ``"same wire"``; no first outlet);
    3. ``published``: the earlier article is the source (basis ``"published"``); equal times
       (e.g. dates without a time on the same day) or missing dates leave it undetermined;
    4. otherwise ``"undetermined"``.

    A passage at least half inside quotation marks in both articles is ``quotation``: the same
    speaker quoted by both, not copied wording (False when the table has no character offsets
    or ``docs`` no ``text``).

    Parameters
    ----------
    passages : DataFrame
        :func:`shared_passages` output.
    docs : DataFrame
        The docs table (``doc_id, text``; ``published`` and ``wire_source`` when the manifest
        has them).

    Returns
    -------
    DataFrame
        A new table: the passage columns plus ``quotation`` (bool), ``first_doc``,
        ``first_outlet`` and ``later_outlet`` (empty when undetermined or both copied a wire),
        ``wire`` (the common wire source of rule 2, else empty) and ``basis``
        (``"wire_source"``, ``"same wire"``, ``"published"`` or ``"undetermined"``).
        :func:`originality` given this table counts against an article only the wording it
        took: neither quotations nor the passages it ran first.
    """
    from analysis.framing._patterns import quote_spans

    need = {"doc_a", "doc_b", "outlet_a", "outlet_b"}
    if not isinstance(passages, pd.DataFrame) or not need <= set(passages.columns):
        raise ParameterError(f"orient_passages: expected the shared_passages table with the columns {sorted(need)}.")
    offsets = {"start_a", "end_a", "start_b", "end_b"} <= set(passages.columns) and "text" in docs.columns
    ids = docs["doc_id"].astype(str)
    if "published" in docs.columns:
        dates = pd.to_datetime(docs["published"], errors="coerce")
    else:
        dates = pd.Series(pd.NaT, index=docs.index, dtype="datetime64[ns]")
    when = dict(zip(ids, dates))
    wire = dict(zip(ids, docs["wire_source"])) if "wire_source" in docs.columns else {}
    texts = dict(zip(ids, docs["text"])) if "text" in docs.columns else {}
    spans: dict[str, list[tuple[int, int]]] = {}

    def quoted(doc: str, s: int, e: int) -> bool:
        if doc not in spans:
            spans[doc] = quote_spans(_lexical._text_of(texts.get(doc, "")))
        return _half_quoted(int(s), int(e), spans[doc])

    first_doc, first, later, common, basis, quotation = [], [], [], [], [], []
    zero = [0] * len(passages)
    for a, b, oa, ob, sa, ea, sb, eb in zip(
        passages["doc_a"].astype(str), passages["doc_b"].astype(str), passages["outlet_a"], passages["outlet_b"],
        *((passages[c] for c in ("start_a", "end_a", "start_b", "end_b")) if offsets else (zero,) * 4), strict=True,
    ):
        quotation.append(bool(offsets) and quoted(a, sa, ea) and quoted(b, sb, eb))
        wa, wb = wire.get(a), wire.get(b)
        ta, tb = when.get(a, pd.NaT), when.get(b, pd.NaT)
        if _same_name(wb, oa) and not _same_name(wa, ob):
            row = (a, oa, ob, "", "wire_source")
        elif _same_name(wa, ob) and not _same_name(wb, oa):
            row = (b, ob, oa, "", "wire_source")
        elif _same_name(wa, wb):
            row = ("", "", "", str(wa), "same wire")
        elif pd.notna(ta) and pd.notna(tb) and ta != tb:
            row = (a, oa, ob, "", "published") if ta < tb else (b, ob, oa, "", "published")
        else:
            row = ("", "", "", "", "undetermined")
        for col, value in zip((first_doc, first, later, common, basis), row):
            col.append(value)
    out = passages.assign(quotation=quotation, first_doc=first_doc, first_outlet=first, later_outlet=later,
                          wire=common, basis=basis)
    out.attrs.update(passages.attrs)
    return out
