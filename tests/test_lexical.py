"""Tests for analysis.lexical: diversity (against lexicalrichness and by hand) and term counts."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from lexicalrichness import LexicalRichness

from analysis import text as T
from analysis.errors import CorpusError, NotEnoughData, ParameterError
from analysis.lexical import (
    DIVERSITY_COLUMNS,
    TERM_COUNT_COLUMNS,
    diversity,
    hdd,
    mattr,
    mtld,
    term_counts,
    ttr,
)


def _docs(texts, outlets=None):
    outlets = outlets or [f"O{i}" for i in range(len(texts))]
    return pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(len(texts))],
            "event_id": "e1",
            "outlet": outlets,
            "text": texts,
        }
    )


# --- diversity equals the reference implementation on the same token list ---------------------


def _reference(tokens):
    lr = LexicalRichness(list(tokens), preprocessor=None, tokenizer=None)
    return lr


def test_diversity_matches_lexicalrichness_on_seeds(seed_docs):
    div = diversity(seed_docs)
    assert list(div.columns) == DIVERSITY_COLUMNS
    assert div["doc_id"].tolist() == seed_docs["doc_id"].tolist()
    for row, body in zip(div.itertuples(), seed_docs["text"], strict=True):
        toks = T.tokens(body)
        lr = _reference(toks)
        assert row.n_tokens == lr.words
        assert row.n_types == lr.terms
        assert row.ttr == pytest.approx(lr.ttr, rel=1e-12)
        assert row.mattr == pytest.approx(lr.mattr(window_size=100), rel=0.01)
        assert row.mtld == pytest.approx(lr.mtld(threshold=0.72), rel=0.01)
        assert row.hdd == pytest.approx(lr.hdd(draws=42), rel=0.01)
        # in fact they agree to floating-point precision
        assert row.mtld == pytest.approx(lr.mtld(threshold=0.72), rel=1e-9)
        assert row.hdd == pytest.approx(lr.hdd(draws=42), rel=1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("n_tokens,vocab", [(60, 15), (250, 60), (400, 400), (150, 4)])
def test_measures_match_lexicalrichness_on_random_tokens(seed, n_tokens, vocab):
    rng = np.random.default_rng(seed)
    toks = [f"w{k}" for k in rng.zipf(1.6, size=n_tokens) % vocab]
    lr = _reference(toks)
    assert mtld(toks) == pytest.approx(lr.mtld(threshold=0.72), rel=1e-9)
    assert mtld(toks, threshold=0.6) == pytest.approx(lr.mtld(threshold=0.6), rel=1e-9)
    assert hdd(toks) == pytest.approx(lr.hdd(draws=42), rel=1e-9)
    assert mattr(toks, window=50) == pytest.approx(lr.mattr(window_size=50), rel=1e-9)


def test_mtld_by_hand_threshold_is_inclusive():
    # "a b a b": running TTR 1, 1, 2/3, 2/4=0.5 -> with threshold 0.5 the factor closes at
    # token 4 because TTR <= threshold (lexicalrichness convention): 1 factor, MTLD = 4.
    toks = ["a", "b", "a", "b"]
    assert mtld(toks, threshold=0.5) == pytest.approx(4.0)
    # threshold 0.72: factor closes at token 3 (TTR 0.667); rest "b" has TTR 1 -> partial 0.
    # forward: 4 / 1 = 4; reverse "b a b a": same -> 4.
    assert mtld(toks, threshold=0.72) == pytest.approx(4.0)
    # all-unique text: never reaches the threshold, one factor, MTLD = N
    assert mtld(list("abcdefg")) == pytest.approx(7.0)
    # "a a a a a": closes at token 2 (TTR .5), 4 (TTR .5); rest "a" TTR 1 -> 2 factors -> 2.5
    assert mtld(["a"] * 5) == pytest.approx(2.5)


def test_hdd_by_hand():
    # 42 draws from 44 tokens: 2 tokens "x" and 42 distinct others.
    toks = ["x", "x"] + [f"t{i}" for i in range(42)]
    n, s = 44, 42
    p_x = 1 - math.comb(n - 2, s) / math.comb(n, s)
    p_t = 1 - math.comb(n - 1, s) / math.comb(n, s)
    assert hdd(toks) == pytest.approx((p_x + 42 * p_t) / s, rel=1e-12)


def test_mattr_by_hand_and_short_text_falls_back_to_ttr():
    toks = ["a", "b", "a", "c", "c"]
    # windows of 3: (a b a)=2/3, (b a c)=3/3, (a c c)=2/3 -> mean 7/9
    assert mattr(toks, window=3) == pytest.approx(7 / 9)
    assert mattr(toks, window=10) == pytest.approx(ttr(toks)) == pytest.approx(3 / 5)
    div = diversity(_docs(["A b a c c."]), window=10)
    assert div.loc[0, "mattr"] == pytest.approx(0.6)
    assert div.loc[0, "mattr_window"] == 5


def test_diversity_short_and_empty_documents():
    div = diversity(_docs(["Short text here.", ""]))
    assert div.loc[0, "n_tokens"] == 3
    assert math.isnan(div.loc[0, "hdd"])  # N < 42: no 42-token draw possible
    assert div.loc[0, "ttr"] == 1.0
    assert div.loc[1, "n_tokens"] == 0
    assert div.loc[1, ["ttr", "mattr", "mtld", "hdd"]].isna().all()


def test_diversity_does_not_modify_input_and_states_parameters(seed_docs):
    before = seed_docs.copy()
    div = diversity(seed_docs, window=50, mtld_threshold=0.7, hdd_sample=30)
    pd.testing.assert_frame_equal(seed_docs, before)
    assert div.attrs["window"] == 50 and div.attrs["mtld_threshold"] == 0.7
    assert (div["mattr_window"] == 50).all()


def test_more_repetitive_text_scores_lower():
    varied = " ".join(f"word{i}" for i in range(120))
    repetitive = " ".join(["same", "words", "again"] * 40)
    div = diversity(_docs([varied, repetitive]))
    for col in ("ttr", "mattr", "mtld", "hdd"):
        assert div.loc[0, col] > div.loc[1, col], col


@pytest.mark.parametrize(
    "kwargs",
    [
        {"window": 0},
        {"window": 2.5},
        {"mtld_threshold": 1.0},
        {"mtld_threshold": 0},
        {"hdd_sample": 0},
    ],
)
def test_diversity_bad_parameters(kwargs):
    with pytest.raises(ParameterError):
        diversity(_docs(["Some words."]), **kwargs)


def test_diversity_bad_docs():
    with pytest.raises(CorpusError, match="text"):
        diversity(pd.DataFrame({"doc_id": ["a"], "outlet": ["x"]}))
    with pytest.raises(CorpusError, match="DataFrame"):
        diversity(["not", "a", "frame"])
    with pytest.raises(CorpusError, match="unique"):
        diversity(pd.DataFrame({"doc_id": ["a", "a"], "outlet": ["x", "y"], "text": ["b", "c"]}))


# --- term counts --------------------------------------------------------------------------------


def test_term_counts_by_hand():
    docs = _docs(["The city of Rafah. Rafah city, the city."])
    tc = term_counts(docs)
    assert list(tc.columns) == TERM_COUNT_COLUMNS
    got = dict(zip(tc["term"], tc["n"], strict=True))
    # unigrams: city x3, rafah x2. bigrams: "city rafah" would cross "of" (a stop word) and
    # "rafah rafah" a sentence boundary; "rafah city" is inside sentence 2; "city the" has a
    # comma and a stop word.
    assert got == {"city": 3, "rafah": 2, "rafah city": 1}


def test_term_counts_bigrams_do_not_cross_sentences_or_punctuation():
    docs = _docs(["Gaza ceasefire. Talks resumed, Washington said."])
    tc = term_counts(docs, stop_words=None)
    terms = set(tc["term"])
    assert "gaza ceasefire" in terms and "talks resumed" in terms
    assert "ceasefire talks" not in terms  # sentence boundary
    assert "resumed washington" not in terms  # comma
    assert "washington said" in terms


def test_term_counts_options(seed_docs):
    uni = term_counts(seed_docs, ngram_range=(1, 1), stop_words=None)
    assert not uni["term"].str.contains(" ").any()
    assert "the" in set(uni["term"])
    # the unigram counts of every document equal a count of the kit's tokens
    for doc_id, body in zip(seed_docs["doc_id"], seed_docs["text"], strict=True):
        mine = uni[uni["doc_id"] == doc_id].set_index("term")["n"].to_dict()
        assert mine == dict(Counter(T.tokens(body)))
    big = term_counts(seed_docs, ngram_range=(2, 2))
    assert big["term"].str.count(" ").eq(1).all()
    frequent = term_counts(seed_docs, min_count=5)
    totals = frequent.groupby("term")["n"].sum()
    assert (totals >= 5).all()
    cased = term_counts(seed_docs, ngram_range=(1, 1), lowercase=False)
    assert "Netanyahu" in set(cased["term"])
    assert set(term_counts(seed_docs)["doc_id"]) == set(seed_docs["doc_id"])


def test_term_counts_empty_vocabulary_names_the_fix():
    docs = _docs(["The and of to it is.", "Was it? It was."])
    with pytest.raises(NotEnoughData, match="stop_words=None"):
        term_counts(docs)
    assert len(term_counts(docs, stop_words=None)) > 0


@pytest.mark.parametrize("ngram_range", [(0, 1), (2, 1), (1,), "12"])
def test_term_counts_bad_ngram_range(ngram_range):
    with pytest.raises(ParameterError, match="ngram_range"):
        term_counts(_docs(["Words here."]), ngram_range=ngram_range)


def test_term_counts_stop_words_string_rejected():
    with pytest.raises(ParameterError, match="stop_words"):
        term_counts(_docs(["Words here."]), stop_words="english")
