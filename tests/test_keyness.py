"""Tests for analysis.keyness: weighted log-odds with an informative Dirichlet prior."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from analysis.errors import CorpusError, NotEnoughData, ParameterError
from analysis.keyness import (
    KEYNESS_COLUMNS,
    keyness,
    keyness_summary,
    log_odds_dirichlet,
    merge_term_variants,
    outlet_name_terms,
    significant_terms,
)
from analysis.lexical import term_counts
from analysis.stats import bh_qvalues


def _docs(rows):
    """rows: list of (outlet, text)."""
    return pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(len(rows))],
            "event_id": "e1",
            "outlet": [r[0] for r in rows],
            "text": [r[1] for r in rows],
        }
    )


def _counts(rows):
    """rows: list of (doc_id, outlet, term, n)."""
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "term", "n"])


# --- hand computation --------------------------------------------------------------------------

TOY_COUNTS = _counts(
    [
        ("a1", "A", "cat", 6),
        ("a1", "A", "dog", 1),
        ("a1", "A", "tree", 3),
        ("b1", "B", "cat", 1),
        ("b1", "B", "dog", 5),
        ("b1", "B", "tree", 4),
        ("c1", "C", "cat", 2),
        ("c1", "C", "dog", 2),
        ("c1", "C", "tree", 2),
    ]
)


def _hand_z(y_i, n_i, y_j, n_j, alpha_w, a0):
    d = math.log((y_i + alpha_w) / (n_i + a0 - y_i - alpha_w)) - math.log(
        (y_j + alpha_w) / (n_j + a0 - y_j - alpha_w)
    )
    var = 1 / (y_i + alpha_w) + 1 / (y_j + alpha_w)
    return d, d / math.sqrt(var)


def test_z_scores_recomputed_by_hand_named_pair():
    out = keyness(TOY_COUNTS, target="A", reference="B", min_count=1)
    # pooled counts: cat 9, dog 8, tree 9 of 26 tokens; default a0 = 26 -> alpha_w = count
    pooled = {"cat": 9, "dog": 8, "tree": 9}
    for term, y_i, y_j in [("cat", 6, 1), ("dog", 1, 5), ("tree", 3, 4)]:
        d, z = _hand_z(y_i, 10, y_j, 10, pooled[term], 26)
        row = out.set_index("term").loc[term]
        assert row["log_odds"] == pytest.approx(d, rel=1e-12)
        assert row["z"] == pytest.approx(z, rel=1e-12)
        assert row["n_target"] == y_i and row["n_reference"] == y_j
        assert row["p"] == pytest.approx(2 * norm.sf(abs(z)), rel=1e-9)
    assert out.attrs["a0"] == 26


def test_z_scores_recomputed_by_hand_vs_rest_with_stated_a0():
    out = keyness(TOY_COUNTS, target="C", min_count=1, a0=10.0)
    pooled = {"cat": 9, "dog": 8, "tree": 9}
    rest = {"cat": 7, "dog": 6, "tree": 7}
    for term in pooled:
        alpha_w = 10.0 * pooled[term] / 26
        d, z = _hand_z(2, 6, rest[term], 20, alpha_w, 10.0)
        row = out.set_index("term").loc[term]
        assert row["reference"] == "rest"
        assert row["log_odds"] == pytest.approx(d, rel=1e-12)
        assert row["z"] == pytest.approx(z, rel=1e-12)


def test_uniform_prior_by_hand():
    out = keyness(TOY_COUNTS, target="A", reference="B", prior="uniform", min_count=1)
    a0 = 0.01 * 3
    d, z = _hand_z(6, 10, 1, 10, a0 / 3, a0)
    assert out.set_index("term").loc["cat", "z"] == pytest.approx(z, rel=1e-12)


def test_q_values_are_bh_of_p_within_each_comparison(seed_docs):
    out = keyness(seed_docs, n_boot=0)
    for _, grp in out.groupby("outlet"):
        np.testing.assert_allclose(grp["q"].to_numpy(), bh_qvalues(grp["p"].to_numpy()))
        np.testing.assert_allclose(grp["p"], 2 * norm.sf(grp["z"].abs()))


def test_log_odds_function_is_antisymmetric():
    y_i = np.array([5.0, 0.0, 3.0])
    y_j = np.array([1.0, 4.0, 3.0])
    alpha = np.array([1.0, 0.5, 2.0])
    d1, z1 = log_odds_dirichlet(y_i, y_j, alpha)
    d2, z2 = log_odds_dirichlet(y_j, y_i, alpha)
    np.testing.assert_allclose(d1, -d2)
    np.testing.assert_allclose(z1, -z2)


# --- properties ---------------------------------------------------------------------------------


def test_swapping_target_and_reference_flips_every_sign(seed_docs):
    ab = keyness(seed_docs, target="ABC News", reference="VOI", n_boot=0)
    ba = keyness(seed_docs, target="VOI", reference="ABC News", n_boot=0)
    merged = ab.merge(ba, on="term", suffixes=("_ab", "_ba"))
    assert len(merged) == len(ab) == len(ba) > 50
    np.testing.assert_allclose(merged["z_ab"], -merged["z_ba"], rtol=1e-12)
    np.testing.assert_allclose(merged["log_odds_ab"], -merged["log_odds_ba"], rtol=1e-12)
    assert (merged["n_target_ab"] == merged["n_reference_ba"]).all()
    nonzero = merged["z_ab"].abs() > 1e-9
    assert (np.sign(merged.loc[nonzero, "z_ab"]) == -np.sign(merged.loc[nonzero, "z_ba"])).all()


def test_toy_corpus_obvious_answer_and_stability():
    cats = "Cats purr. Cats nap. The cat sleeps. Cats hunt kittens."
    dogs = "Dogs bark. Dogs dig. The dog runs. Dogs chase puppies."
    rows = [("Felines", f"{cats} Story {i} about town.") for i in range(8)]
    rows += [("Canines", f"{dogs} Story {i} about town.") for i in range(8)]
    # one Feline article repeats "zebra" 24 times: as frequent as "cats", but in one article
    rows.append(("Felines", " ".join(["Zebra"] * 24) + "."))
    out = keyness(_docs(rows), n_boot=300, seed=1)
    fel = out[out["outlet"] == "Felines"].set_index("term")
    can = out[out["outlet"] == "Canines"].set_index("term")
    assert fel.loc["cats", "z"] > 1.96 and fel.loc["dogs", "z"] < -1.96
    assert can.loc["dogs", "z"] > 1.96 and can.loc["cats", "z"] < -1.96
    assert fel.index[0] in ("cats", "zebra") and can.index[0] == "dogs"
    assert fel.loc["cats", "q"] < 0.05
    # same counts, same z ...
    assert fel.loc["zebra", "z"] == pytest.approx(fel.loc["cats", "z"])
    # ... but a word in every article is stable and a word from one article is not:
    # the zebra article is left out of about (8/9)^9 = 35 % of resamples
    assert fel.loc["cats", "stability"] > 0.9
    assert fel.loc["zebra", "stability"] < 0.8
    assert out["stability"].between(0, 1).all()
    # seeded: the same seed repeats exactly, another seed may differ only in stability
    again = keyness(_docs(rows), n_boot=300, seed=1)
    pd.testing.assert_frame_equal(out, again)


def test_every_outlet_vs_rest_on_seeds(seed_docs):
    out = keyness(seed_docs)
    assert list(out.columns) == KEYNESS_COLUMNS
    assert set(out["outlet"]) == set(seed_docs["outlet"])
    assert (out["reference"] == "rest").all()
    # each outlet has both over- and under-used terms, sorted by z within outlet
    for _, grp in out.groupby("outlet"):
        assert (grp["z"] > 0).any() and (grp["z"] < 0).any()
        assert grp["z"].is_monotonic_decreasing
        assert grp["q"].between(0, 1).all()
    top = out.groupby("outlet").head(3)
    assert "PM" in set(top.loc[top["outlet"] == "VOI", "term"])  # VOI's house style "PM Netanyahu" (initialisms keep capitals)
    # the outlet's own name is self-reference, not word choice: left out of every comparison
    assert not {"ABC", "abc", "abc's", "news", "reuters"} & set(out["term"])
    assert {"ABC", "abc's", "news"} <= set(out.attrs["excluded"])
    # one article per outlet: nothing to resample, stability is NaN (documented)
    assert out["stability"].isna().all()
    # counts input gives the same table as docs input
    tc = term_counts(seed_docs, ngram_range=(1, 1))
    pd.testing.assert_frame_equal(keyness(tc), out)


def test_columns_never_change_with_options(seed_docs):
    variants = [
        keyness(seed_docs, n_boot=0),
        keyness(seed_docs, target="AP"),
        keyness(seed_docs, target="AP", reference="Bloomberg", prior="uniform", min_count=1),
        keyness(seed_docs, ngram_range=(1, 2), stop_words=None, a0=50.0),
    ]
    for v in variants:
        assert list(v.columns) == KEYNESS_COLUMNS
    assert (variants[2]["reference"] == "Bloomberg").all()


def test_min_count_filters_terms(seed_docs):
    out = keyness(seed_docs, min_count=4, n_boot=0)
    assert ((out["n_target"] + out["n_reference"]) >= 4).all()


def test_does_not_modify_input(seed_docs):
    before = seed_docs.copy()
    keyness(seed_docs, n_boot=5)
    pd.testing.assert_frame_equal(seed_docs, before)


# --- bad input ----------------------------------------------------------------------------------


def test_unknown_target_lists_outlets(seed_docs):
    with pytest.raises(ParameterError, match=r"unknown target outlet 'Fox'.*ABC News"):
        keyness(seed_docs, target="Fox")
    with pytest.raises(ParameterError, match="reference"):
        keyness(seed_docs, target="AP", reference="Fox")
    with pytest.raises(ParameterError, match="different"):
        keyness(seed_docs, target="AP", reference="AP")
    with pytest.raises(ParameterError, match="target"):
        keyness(seed_docs, reference="AP")
    with pytest.raises(ParameterError, match="prior"):
        keyness(seed_docs, prior="flat")


def test_one_document_or_one_outlet(seed_docs):
    with pytest.raises(NotEnoughData, match="two outlets"):
        keyness(seed_docs.iloc[:1])
    same = seed_docs.assign(outlet="AP")
    with pytest.raises(NotEnoughData, match="two outlets"):
        keyness(same)
    with pytest.raises(NotEnoughData, match="two outlets"):
        keyness(TOY_COUNTS[TOY_COUNTS["outlet"] == "A"])


def test_empty_vocabulary_after_stop_words():
    docs = _docs([("A", "The and of to it."), ("B", "It is what it is.")])
    with pytest.raises(NotEnoughData, match="stop_words=None"):
        keyness(docs)
    with pytest.raises(NotEnoughData, match="min_count"):
        keyness(_docs([("A", "Alpha beta."), ("B", "Gamma delta.")]), min_count=5)


def test_document_under_two_outlets_is_rejected():
    bad = pd.concat(
        [TOY_COUNTS, _counts([("a1", "B", "cat", 1)])], ignore_index=True
    )
    with pytest.raises(CorpusError, match="a1"):
        keyness(bad)
    with pytest.raises(CorpusError, match="term-count table"):
        keyness(["not a frame"])


# --- honest keyness: variants merged, house style and self-reference left out -------------------


def _merged(rows, **kw):
    out = merge_term_variants(_counts(rows), **kw)
    return {(d, t): n for d, t, n in zip(out["doc_id"], out["term"], out["n"])}, out


def test_hyphen_spellings_are_one_term_shown_as_the_most_used():
    # "cease-fire" 4 times in all, "ceasefire" 3: the hyphenated spelling names the term
    got, out = _merged([("a1", "A", "ceasefire", 1), ("a1", "A", "cease-fire", 4), ("b1", "B", "ceasefire", 2)])
    assert got == {("a1", "cease-fire"): 5, ("b1", "cease-fire"): 2}
    assert out.attrs["variants"] == {"cease-fire": ["cease-fire", "ceasefire"]}
    # "ceasefire" 4 times, "cease-fire" 1: the closed spelling names it
    got, out = _merged([("a1", "A", "ceasefire", 2), ("a1", "A", "cease-fire", 1), ("b1", "B", "ceasefire", 2)])
    assert got == {("a1", "ceasefire"): 3, ("b1", "ceasefire"): 2}
    # a tie goes to the shorter spelling
    got, _ = _merged([("a1", "A", "ceasefire", 1), ("b1", "B", "cease-fire", 1)])
    assert got == {("a1", "ceasefire"): 1, ("b1", "ceasefire"): 1}


def test_possessives_count_as_the_word_and_initialisms_keep_capitals():
    got, _ = _merged([("a1", "A", "netanyahu's", 2), ("a1", "A", "netanyahu", 1), ("b1", "B", "israelis’", 1),
                      ("b1", "B", "PM", 1), ("b1", "B", "pm's", 1), ("b1", "B", "israel's military", 1)])
    assert got == {("a1", "netanyahu"): 3, ("b1", "israelis"): 1, ("b1", "PM"): 2, ("b1", "israel military"): 1}


def test_house_style_abbreviations_count_as_the_word():
    got, _ = _merged([("a1", "A", "sen.", 1), ("b1", "B", "senator", 2), ("a1", "A", "oct.", 1), ("b1", "B", "october", 1),
                      ("a1", "A", "u.s.", 1), ("b1", "B", "US", 2), ("b1", "B", "us", 4)])
    assert got == {("a1", "senator"): 1, ("b1", "senator"): 2, ("a1", "october"): 1, ("b1", "october"): 1,
                   ("a1", "US"): 1, ("b1", "US"): 2, ("b1", "us"): 4}  # the pronoun stays apart


def test_honorifics_and_numbers_are_left_out_with_their_ngrams():
    got, out = _merged([("a1", "A", "mr.", 3), ("a1", "A", "mr. biden", 2), ("a1", "A", "biden", 5), ("b1", "B", "dr.", 1),
                        ("b1", "B", "Mrs.", 1), ("b1", "B", "7", 4), ("b1", "B", "31,000", 1), ("b1", "B", "oct. 7", 2)])
    assert got == {("a1", "biden"): 5, ("b1", "october 7"): 2}
    assert out.attrs["excluded"] == sorted(["mr.", "mr. biden", "dr.", "Mrs.", "7", "31,000"])
    kept, _ = _merged([("a1", "A", "mr.", 3), ("b1", "B", "7", 1)], drop_honorifics=False, drop_numbers=False)
    assert kept == {("a1", "mr."): 3, ("b1", "7"): 1}


def test_outlet_names_and_their_obvious_words_are_left_out():
    words, phrases = outlet_name_terms(["ABC News", "Voice of America", "foxnews", "The New York Times"])
    assert {"abc", "news", "abcnews", "voa", "fox", "foxnews", "nyt"} <= words
    assert {"abc news", "voice of america", "fox news", "new york times"} <= phrases
    assert not {"new", "york", "times", "voice", "america", "of", "the"} & words  # ordinary words stay
    rows = [("a1", "ABC News", "ABC", 4), ("a1", "ABC News", "abc's", 1), ("a1", "ABC News", "news", 2),
            ("a1", "ABC News", "hamas", 3), ("b1", "foxnews", "fox news digital", 1), ("b1", "foxnews", "fox", 2),
            ("b1", "foxnews", "times", 1), ("b1", "foxnews", "hamas", 1)]
    got, _ = _merged(rows)
    assert got == {("a1", "hamas"): 3, ("b1", "times"): 1, ("b1", "hamas"): 1}
    got, _ = _merged(rows, drop_outlet_names=False, exclude_terms=["Hamas"])
    assert ("a1", "ABC") in got and ("a1", "hamas") not in got


def test_merging_does_not_touch_the_input_and_can_be_switched_off():
    rows = _counts([("a1", "A", "cease-fire", 1), ("b1", "B", "ceasefire", 1)])
    before = rows.copy()
    off = merge_term_variants(rows, merge_variants=False)
    assert sorted(off["term"]) == ["cease-fire", "ceasefire"]
    pd.testing.assert_frame_equal(rows, before)


def test_keyness_counts_merged_terms_and_names_their_variants():
    docs = _docs([("A", "The cease-fire held. A ceasefire talk. Mr. Smith backed the ceasefire."),
                  ("B", "Troops advanced. Smith's troops advanced again into the town.")])
    out = keyness(docs, min_count=1, n_boot=0)
    a = out[out["outlet"] == "A"].set_index("term")
    assert a.loc["ceasefire", "n_target"] == 3 and a.loc["ceasefire", "variants"] == "cease-fire|ceasefire"
    assert a.loc["smith", "n_target"] == 1 and a.loc["smith", "n_reference"] == 1  # "Smith's" is Smith
    assert a.loc["troops", "variants"] == ""
    assert "mr." not in set(out["term"])
    raw = keyness(docs, min_count=1, n_boot=0, merge_variants=False, drop_honorifics=False)
    assert {"cease-fire", "ceasefire", "mr."} <= set(raw["term"])
    assert list(raw.columns) == KEYNESS_COLUMNS


def test_significant_terms_and_the_sentence_when_nothing_passes(seed_docs):
    out = keyness(seed_docs, n_boot=0)
    assert significant_terms(out).empty  # one article per outlet: smallest q on the seeds is 0.92
    sentence = keyness_summary(out)
    smallest = out.loc[out["q"].idxmin()]
    assert sentence.startswith("No term sets any outlet apart at q < 0.05")
    assert f"smallest q = {smallest['q']:.2f}" in sentence and f'"{smallest["term"]}" in {smallest["outlet"]}' in sentence
    assert sentence.count(".") == sentence.rstrip(".").count(".") + 1  # one sentence, ends with a full stop


def test_significant_terms_and_the_sentence_when_some_pass():
    cats = "Cats purr. Cats nap. The cat sleeps. Cats hunt kittens."
    dogs = "Dogs bark. Dogs dig. The dog runs. Dogs chase puppies."
    rows = [("Felines", f"{cats} Story {i} about town.") for i in range(8)]
    rows += [("Canines", f"{dogs} Story {i} about town.") for i in range(8)]
    out = keyness(_docs(rows), n_boot=0)
    sig = significant_terms(out, alpha=0.05)
    assert len(sig) > 0 and (sig["q"] < 0.05).all()
    assert set(sig.columns) == set(out.columns)
    assert len(sig) == int((out["q"] < 0.05).sum())
    assert significant_terms(out, alpha=1e-300).empty
    sentence = keyness_summary(out, n_terms=1)
    assert sentence.startswith(f"At q < 0.05, {len(sig)} terms set outlets apart: ")
    top_can = sig[(sig["outlet"] == "Canines") & (sig["z"] > 0)]["term"].iloc[0]
    assert f'Canines uses "{top_can}" more than the other outlets' in sentence
    with pytest.raises(ParameterError, match="alpha"):
        keyness_summary(out, alpha=5)
    with pytest.raises(ParameterError, match="lacks column"):
        significant_terms(out.drop(columns="q"))
