"""Tests for analysis.vectorize (sparse term counts) and the faster paths built on it.

The sparse counts must equal the word-by-word reading of the rules (sentences of
``analysis.text.sentence_spans``, words of ``analysis.text.word_spans``, a run broken by any
punctuation between two words, n-grams without stop words), written out below as the
reference. Also here: ``similarity`` equals the TF-IDF cosine of the tidy term counts, and
the tone module's faster VADER equals ``vaderSentiment`` sentence for sentence.
"""

from __future__ import annotations

import importlib
from bisect import bisect_left
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from analysis import text as tx
from analysis import vectorize as vz
from analysis.errors import NotEnoughData
from analysis.lexical import document_terms, term_counts
from analysis.reuse import _tfidf_weights, similarity

# --------------------------------------------------------------------------- the reference


def reference_counts(
    body: str, lo: int = 1, hi: int = 2, stop=tx.STOP_WORDS, lowercase: bool = True
) -> Counter:
    """Term counts of one text, word by word (the rules as term_counts documents them)."""
    spans = tx.word_spans(body)
    starts = [s for s, _ in spans]
    counts: Counter = Counter()
    for s_start, s_end in tx.sentence_spans(body):
        a, b = bisect_left(starts, s_start), bisect_left(starts, s_end)
        runs, run, prev_end = [], [], None
        for ws, we in spans[a:b]:
            if prev_end is not None and body[prev_end:ws].strip():
                runs.append(run)
                run = []
            word = body[ws:we].replace("\u2019", "'")
            run.append(tx.normalise_token(word) if lowercase else word)
            prev_end = we
        runs.append(run)
        for run in runs:
            keep = [t not in stop for t in run]
            for size in range(lo, hi + 1):
                for i in range(len(run) - size + 1):
                    if all(keep[i : i + size]):
                        counts[" ".join(run[i : i + size])] += 1
    return counts


def matrix_counts(texts: list[str], **kwargs) -> list[Counter]:
    tm = vz.term_matrix(texts, **kwargs)
    out = []
    for r in range(tm.counts.shape[0]):
        row = tm.counts.getrow(r)
        out.append(Counter({tm.terms[c]: int(n) for c, n in zip(row.indices, row.data)}))
    return out


TRICKY = [
    'Sen. Rick Scott, R-Fla., met the U.S. envoy. "Why?" he asked.',
    "In the U.S. The president spoke. In the U.S. officials spoke.",
    "The city of Rafah was hit; Hamas-run ministry said 31,000 died (2.5 per cent).",
    "N.A.A.C.P. leaders met at 9 a.m. on Oct. 7 in Washington, D.C. — then left.",
    "HARTFORD, Conn. \u2014 Gov. Ned Lamont said it\u2019s over. U.S.5 is odd. Dr. Who's here.",
    "Headline without a stop\n\nFirst paragraph sentence one. Sentence two\nLine three.",
    "A hard-wrapped paragraph line that is long enough to count as wrapped text\n"
    "and a second line that is about as long as the first one was in here\nend.",
    "US and U.S. and us and UN and U.N. and Nato and NATO.",
    "Stop lying!\u201d Mr. Fox wrote. \u201cWho are you?\u201d he asked. ...and then? Yes!",
    "Words\x00between\x00nul characters and_underscores and \u2018quotes\u2019 here.",
    "Jan. 5, 2024: No. 10 Downing St. said Inc. and Corp. and Co. were fine, Jr. said.",
    "",
    "   \n\n  ",
    "!!! ??? ... \u2014 ,,,",
    "single",
    "Mr. Smith went to Washington. Mrs. Smith did not. Ms. Jones and Dr. No agreed.",
    "George W. Bush met C. A. Dutch Ruppersberger in St. Louis.",
    "Line one in the U.S.\r\nLine two\r\n\r\nPara two.\tTabbed\u00a0words in the U.S.\u00a0The end.",
    "Ends with an abbreviation, Sen.\n\nU.S.\n(U.S.) \"U.S.\" U.S.-led, U.S.'s Gov.-elect",
]


def random_texts(n: int, seed: int) -> list[str]:
    """Texts drawn from words, abbreviations, punctuation and line breaks."""
    rng = np.random.default_rng(seed)
    vocab = (
        "the a of and city Rafah Hamas officials said President Trump Kim Jong Un us US "
        "U.S. U.N. UN Sen. Rep. Gov. Mr. Mrs. Dr. St. Oct. Jan. a.m. p.m. R-Fla. D-N.C. "
        "Inc. No. 31,000 2.5 1990s it's it\u2019s don't Hamas-run well-known N.A.A.C.P. "
        "e.g. vs. W. J. The But In He It This Who"
    ).split()
    puncts = [". ", ", ", "; ", ": ", " \u2014 ", "? ", "! ", '" ', ' "', " (", ") ", " ", " ",
              " ", " ", " ", "\n", "\n\n", "... ", "\u201d ", " \u201c", ".\u201d "]
    out = []
    for _ in range(n):
        k = int(rng.integers(0, 60))
        parts = []
        for _ in range(k):
            parts.append(str(vocab[int(rng.integers(len(vocab)))]))
            parts.append(str(puncts[int(rng.integers(len(puncts)))]))
        out.append("".join(parts))
    return out


# --------------------------------------------------------------------------- equality


@pytest.mark.parametrize("kwargs", [
    {},
    {"ngram_range": (1, 1)},
    {"ngram_range": (2, 3)},
    {"ngram_range": (1, 4), "stop_words": frozenset()},
    {"lowercase": False, "stop_words": frozenset()},
])
def test_term_matrix_equals_word_by_word_reading(kwargs, seed_docs):
    texts = TRICKY + random_texts(150, seed=1) + seed_docs["text"].tolist()
    lo, hi = kwargs.get("ngram_range", (1, 2))
    stop = kwargs.get("stop_words", tx.STOP_WORDS)
    lowercase = kwargs.get("lowercase", True)
    got = matrix_counts(texts, **kwargs)
    for text, counts in zip(texts, got, strict=True):
        assert counts == reference_counts(text, lo, hi, stop, lowercase), text


@pytest.mark.parametrize("ngram_range", [(1, 2), (1, 3), (2, 3)])
def test_terms_sorted_and_counts_sparse_int(ngram_range):
    tm = vz.term_matrix(TRICKY + random_texts(100, seed=2), ngram_range=ngram_range,
                        stop_words=frozenset({"the", "a"}))
    terms = list(tm.terms)
    assert terms == sorted(terms) and len(set(terms)) == len(terms)
    assert tm.counts.dtype == np.int64 and tm.counts.has_sorted_indices
    assert (tm.counts.data > 0).all()
    assert tm.totals().sum() == tm.counts.sum()


def test_texts_longer_than_a_paragraph_piece_read_word_by_word():
    # beyond 200,000 characters the segmenter cuts paragraphs into pieces; such texts take
    # the word-by-word path, which must give the same counts as the reference
    body = " ".join(["The U.S. envoy met Sen. Rick Scott, R-Fla., in Gaza City."] * 3600)
    assert len(body) >= tx._MAX_PARAGRAPH
    got = matrix_counts([body, "Gaza City again."])
    assert got[0] == reference_counts(body)
    assert got[0]["gaza city"] == 3600 and got[0]["US envoy"] == 3600
    assert got[1] == Counter({"gaza": 1, "city": 1, "gaza city": 1})


def test_by_hand():
    got = matrix_counts(["The city of Rafah. In the U.S. The envoy, Sen. Rick Scott, spoke."])[0]
    assert got == Counter({
        "city": 1, "rafah": 1, "US": 1, "envoy": 1, "sen.": 1, "rick": 1, "scott": 1,
        "spoke": 1, "sen. rick": 1, "rick scott": 1,
    })  # no "US envoy": a sentence ends after U.S.; no "envoy sen.": a comma between


def test_term_counts_is_the_tidy_form_of_document_terms(seed_docs):
    tc = term_counts(seed_docs)
    tm = document_terms(seed_docs)
    assert list(tc.columns) == ["doc_id", "outlet", "term", "n"]
    assert tc["n"].sum() == tm.counts.sum() and len(tc) == tm.counts.nnz
    first = seed_docs["doc_id"].iloc[0]
    row = tm.counts.getrow(0)
    expected = dict(zip(tm.terms[row.indices], row.data))
    got = tc[tc["doc_id"] == first].set_index("term")["n"].to_dict()
    assert got == expected
    # sorted by document (input order), then term
    order = pd.Categorical(tc["doc_id"], categories=seed_docs["doc_id"], ordered=True)
    assert (np.diff(order.codes) >= 0).all()
    for _, g in tc.groupby("doc_id", sort=False):
        assert g["term"].tolist() == sorted(g["term"])


def test_min_count_keeps_terms_frequent_in_the_corpus(seed_docs):
    all_terms = term_counts(seed_docs)
    totals = all_terms.groupby("term")["n"].sum()
    frequent = term_counts(seed_docs, min_count=4)
    assert set(frequent["term"]) == set(totals[totals >= 4].index)
    tm = document_terms(seed_docs, min_count=4)
    assert tm.totals().min() >= 4 and tm.counts.has_sorted_indices


def test_document_terms_errors_name_the_fix():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"], "text": ["The and of.", "It is."]})
    with pytest.raises(NotEnoughData, match="document_terms: no terms left.*stop_words=None"):
        document_terms(docs)
    with pytest.raises(NotEnoughData, match="term_counts: no terms left"):
        term_counts(docs)


def test_inputs_not_modified(seed_docs):
    before = seed_docs.copy(deep=True)
    term_counts(seed_docs)
    similarity(seed_docs)
    pd.testing.assert_frame_equal(seed_docs, before)


# --------------------------------------------------------------------------- similarity


def test_similarity_equals_tfidf_cosine_of_the_tidy_counts(seed_docs):
    from scipy import sparse

    counts = term_counts(seed_docs)
    rows = pd.Series(np.arange(len(seed_docs)), index=seed_docs["doc_id"])
    cols, _terms = pd.factorize(counts["term"])
    raw = sparse.csr_matrix(
        (counts["n"].to_numpy(float), (rows.loc[counts["doc_id"]].to_numpy(), cols)),
        shape=(len(seed_docs), len(_terms)),
    )
    w = _tfidf_weights(raw)
    expected = np.clip((w @ w.T).toarray(), 0, 1)
    got = similarity(seed_docs)
    np.testing.assert_allclose(got.to_numpy(), expected, rtol=0, atol=1e-12)
    assert list(got.index) == seed_docs["doc_id"].tolist()


def test_similarity_equals_scikit_learn_on_the_kit_terms(seed_docs):
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.metrics.pairwise import linear_kernel

    tm = document_terms(seed_docs)
    w = TfidfTransformer(sublinear_tf=True).fit_transform(tm.counts.astype(float))
    np.testing.assert_allclose(similarity(seed_docs).to_numpy(), np.clip(linear_kernel(w), 0, 1),
                               rtol=0, atol=1e-12)


# --------------------------------------------------------------------------- tone

TONE_SENTENCES = [
    "The attack was horrific and the response was brutal.",
    "It was not good, but it was not terrible either.",
    "The plan is GREAT but the execution is awful!!!",
    "Never so happy; without doubt the best day.",
    "This is the least bad option, at least for now.",
    "No problem, no worries, no one was hurt.",
    "He isn't happy and doesn't like it.",
    "That was kind of good and sort of nice.",
    "The deal was the bomb, a real kiss of death for rivals, yeah right.",
    "Officials said the ceasefire is extremely fragile and very uncertain.",
    "I love it \U0001F600 but hate the ending \U0001F621.",
    "  Leading and trailing spaces matter not.  ",
    ":) :( :D <3 happy",
    "ALL CAPS ANGER HERE",
    "Some WORDS are LOUD and good.",
    "",
    "...",
    "Nothing to see in this sentence at all.",
    "The so called victory was this bad.",
    "kind of",
    "He said: 'no'.",
]


def random_tone_sentences(n: int, seed: int) -> list[str]:
    """Sentences dense in what VADER's rules react to: lexicon words, boosters, negations,
    "no", "least", "but", capitals, idioms, emoticons and punctuation."""
    rng = np.random.default_rng(seed)
    vocab = (
        "good bad great awful love hate happy sad fragile brutal nice no not never least "
        "very extremely kind of sort but so this without doubt isn't don't GOOD BAD VERY "
        "the officials said war peace yeah right kiss death bomb at the least barely hardly "
        "Good :) :( ! ? ... the hostages were freed killed hurt"
    ).split()
    out = []
    for _ in range(n):
        k = int(rng.integers(1, 16))
        words = [str(vocab[int(j)]) for j in rng.integers(0, len(vocab), size=k)]
        out.append(" ".join(words) + str(rng.choice(["", ".", "!", "!!", "?", " :)"])))
    return out


def test_fast_vader_equals_vader_sentence_for_sentence(seed_docs):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    tone_module = importlib.import_module("analysis.framing.tone")
    fast = tone_module._analyzer()
    ref = SentimentIntensityAnalyzer()
    sentences = TONE_SENTENCES + [s for t in seed_docs["text"] for s in tx.sentences(t)]
    sentences += random_texts(100, seed=3) + random_tone_sentences(600, seed=4)
    for s in sentences:
        assert fast.polarity_scores(s) == ref.polarity_scores(s), s


def test_tone_table_from_cache_equals_fresh(seed_docs):
    from analysis.framing import tone

    tone_module = importlib.import_module("analysis.framing.tone")
    tone_module._sentence_scores.cache_clear()
    fresh = tone(seed_docs, actors={})
    cached = tone(seed_docs, actors={})
    pd.testing.assert_frame_equal(fresh, cached)
    assert tone_module._sentence_scores.cache_info().hits >= len(fresh) - fresh["sentence"].nunique()
    assert fresh["compound"].dtype == np.float64 and fresh["sent_id"].dtype == np.int64
