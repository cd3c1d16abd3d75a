"""Tests for analysis.compare: bootstrap intervals per outlet and paired outlet differences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import compare as cmp
from analysis import readability as rd
from analysis.errors import NotEnoughData, ParameterError


@pytest.fixture(scope="module")
def seed_features(seed_docs):
    return rd.readability(seed_docs, audit=False)


@pytest.fixture(scope="module")
def seed_sentences(seed_docs):
    return rd.readability_sentences(seed_docs)


def many_docs(values: dict[str, list[float]], metric: str = "score") -> pd.DataFrame:
    rows = []
    for outlet, vals in values.items():
        for i, v in enumerate(vals):
            rows.append({"doc_id": f"{outlet}{i}", "outlet": outlet, "event_id": f"ev{i}", metric: v})
    return pd.DataFrame(rows)


def sentence_rows(doc_id: str, outlet: str, sizes: list[tuple[int, int]]) -> pd.DataFrame:
    """Sentence table rows with given (n_words, n_syllables); other counts zero."""
    rows = []
    for i, (w, s) in enumerate(sizes):
        row = {c: 0 for c in rd.SENTENCE_COUNT_COLUMNS}
        row.update(doc_id=doc_id, outlet=outlet, event_id="e", sent_id=i, sentence="x",
                   n_words=w, n_syllables=s)
        rows.append(row)
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------
# compare_outlets


def test_seed_outlets_bootstrap_over_sentences(seed_features, seed_sentences):
    out = cmp.compare_outlets(seed_features, "flesch_kincaid_grade", sentences=seed_sentences)
    assert list(out.columns) == ["outlet", "metric", "n_docs", "estimate", "ci_low", "ci_high",
                                 "ci_unit", "n_units"]
    assert len(out) == 5 and (out["ci_unit"] == "sentence").all()
    assert (out["n_docs"] == 1).all()
    by_outlet = seed_features.set_index("outlet")["flesch_kincaid_grade"]
    np.testing.assert_allclose(out["estimate"], by_outlet.loc[out["outlet"]].to_numpy())
    assert ((out["ci_low"] < out["estimate"]) & (out["estimate"] < out["ci_high"])).all()
    assert out["n_units"].tolist() == seed_features.set_index("outlet").loc[
        out["outlet"], "n_sentences"].tolist()


def test_same_seed_same_result_and_seed_matters(seed_features, seed_sentences):
    kw = dict(sentences=seed_sentences, n_boot=500)
    a = cmp.compare_outlets(seed_features, ["lix", "flesch_reading_ease"], seed=3, **kw)
    b = cmp.compare_outlets(seed_features, ["lix", "flesch_reading_ease"], seed=3, **kw)
    pd.testing.assert_frame_equal(a, b)
    c = cmp.compare_outlets(seed_features, ["lix", "flesch_reading_ease"], seed=4, **kw)
    assert not np.allclose(a["ci_low"], c["ci_low"])
    assert a["metric"].tolist() == ["lix"] * 5 + ["flesch_reading_ease"] * 5


def test_document_bootstrap_estimate_is_mean_and_ci_contains_it():
    feats = many_docs({"A": [1.0, 2.0, 3.0, 6.0], "B": [10.0, 12.0, 14.0]})
    out = cmp.compare_outlets(feats, "score").set_index("outlet")
    assert out.loc["A", "estimate"] == pytest.approx(3.0)
    assert out.loc["B", "estimate"] == pytest.approx(12.0)
    assert (out["ci_unit"] == "document").all()
    assert out.loc["A", "n_docs"] == 4 and out.loc["B", "n_units"] == 3
    assert (out["ci_low"] <= out["estimate"]).all() and (out["estimate"] <= out["ci_high"]).all()
    # the interval of a mean lies within the range of the data
    assert out.loc["A", "ci_low"] >= 1.0 and out.loc["A", "ci_high"] <= 6.0


def test_ci_narrows_with_more_documents():
    gen = np.random.default_rng(11)
    small = many_docs({"A": list(gen.normal(10, 2, 10)), "B": list(gen.normal(12, 2, 10))})
    big = many_docs({"A": list(gen.normal(10, 2, 160)), "B": list(gen.normal(12, 2, 160))})
    w_small = cmp.compare_outlets(small, "score").eval("ci_high - ci_low")
    w_big = cmp.compare_outlets(big, "score").eval("ci_high - ci_low")
    assert (w_big < w_small / 2).all()


def test_ci_narrows_with_more_sentences(seed_docs):
    docs = seed_docs.iloc[:2].copy()
    longer = docs.copy()
    longer["text"] = [t + "\n\n" + t + "\n\n" + t + "\n\n" + t for t in docs["text"]]
    w = []
    for d in (docs, longer):
        out = cmp.compare_outlets(rd.readability(d, audit=False), "flesch_kincaid_grade",
                                  sentences=rd.readability_sentences(d))
        w.append((out["ci_high"] - out["ci_low"]).to_numpy())
    # four copies of the same sentences: same estimate, interval about half as wide
    assert (w[1] < 0.7 * w[0]).all()


def test_sentence_bootstrap_recomputes_ratio_from_summed_counts():
    # One 40-word sentence with 80 syllables and nine 2-word sentences of 2 syllables.
    # Ratio estimate: syllables/words = (80 + 18) / (40 + 18) = 1.69. A replicate with k long
    # sentences gives (80k + 2(10-k)) / (40k + 2(10-k)): 1.0, 1.69, 1.83, 1.88 for k = 0..3.
    # The mean of per-sentence ratios would give 1 + 0.1k <= 1.3 for k <= 3.
    sents = pd.concat(
        [sentence_rows("a", "A", [(40, 80)] + [(2, 2)] * 9), sentence_rows("b", "B", [(5, 5)] * 4)],
        ignore_index=True,
    )
    feats = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"], "event_id": "e",
                          "syllables_per_word": [98 / 58, 1.0]})
    out = cmp.compare_outlets(feats, "syllables_per_word", sentences=sents, n_boot=4000)
    a = out.set_index("outlet").loc["A"]
    assert a["estimate"] == pytest.approx(98 / 58)
    assert a["ci_low"] == pytest.approx(1.0)
    assert a["ci_high"] > 1.8
    b = out.set_index("outlet").loc["B"]
    assert b["ci_low"] == b["ci_high"] == 1.0  # identical sentences: no spread


def test_one_document_outlet_without_sentences_warns_and_gives_nan_interval(seed_features):
    with pytest.warns(UserWarning, match="readability_sentences"):
        out = cmp.compare_outlets(seed_features, "flesch_kincaid_grade")
    assert out["ci_low"].isna().all() and (out["ci_unit"] == "none").all()
    assert out["estimate"].notna().all()


def test_linsear_write_is_not_resampled_over_sentences(seed_features, seed_sentences):
    with pytest.warns(UserWarning, match="first 100 words|cannot be recomputed"):
        out = cmp.compare_outlets(seed_features, "linsear_write", sentences=seed_sentences)
    assert out["ci_low"].isna().all()


def test_fewer_than_two_outlets_is_not_enough_data(seed_features):
    one = seed_features[seed_features["outlet"] == "AP"]
    with pytest.raises(NotEnoughData, match="at least 2 outlets"):
        cmp.compare_outlets(one, "flesch_kincaid_grade")
    with pytest.raises(NotEnoughData, match="at least 2 outlets"):
        cmp.pairwise_differences(one, "flesch_kincaid_grade")


def test_unknown_metric_lists_valid_ones(seed_features):
    with pytest.raises(ParameterError) as err:
        cmp.compare_outlets(seed_features, "fleschh")
    assert "fleschh" in str(err.value)
    assert "flesch_kincaid_grade" in str(err.value) and "smog" in str(err.value)
    with pytest.raises(ParameterError, match="unknown metric"):
        cmp.pairwise_differences(seed_features, ["lix", "outlet"])
    with pytest.raises(ParameterError, match="n_boot"):
        cmp.compare_outlets(seed_features, "lix", n_boot=0)
    with pytest.raises(ParameterError, match="ci"):
        cmp.compare_outlets(seed_features, "lix", ci=95)


def test_inputs_not_modified(seed_features, seed_sentences):
    f0, s0 = seed_features.copy(deep=True), seed_sentences.copy(deep=True)
    cmp.compare_outlets(seed_features, "lix", sentences=seed_sentences, n_boot=200)
    cmp.pairwise_differences(seed_features, "lix", sentences=seed_sentences, n_boot=200)
    pd.testing.assert_frame_equal(seed_features, f0)
    pd.testing.assert_frame_equal(seed_sentences, s0)


# ------------------------------------------------------------------------------------------
# pairwise_differences


def test_seed_pairs_use_sentences_within_the_one_event(seed_features, seed_sentences):
    out = cmp.pairwise_differences(seed_features, "flesch_kincaid_grade", sentences=seed_sentences)
    assert list(out.columns) == ["outlet_a", "outlet_b", "metric", "n_pairs", "difference",
                                 "ci_low", "ci_high", "ci_unit"]
    assert len(out) == 10 and (out["n_pairs"] == 1).all() and (out["ci_unit"] == "sentence").all()
    fk = seed_features.set_index("outlet")["flesch_kincaid_grade"]
    np.testing.assert_allclose(out["difference"], fk.loc[out["outlet_a"]].to_numpy()
                               - fk.loc[out["outlet_b"]].to_numpy())
    assert ((out["ci_low"] < out["difference"]) & (out["difference"] < out["ci_high"])).all()


def test_swapping_outlets_flips_the_sign(seed_features, seed_sentences):
    kw = dict(sentences=seed_sentences, n_boot=500, seed=7)
    ab = cmp.pairwise_differences(seed_features, "gunning_fog", order=["AP", "VOI"], **kw).iloc[0]
    ba = cmp.pairwise_differences(seed_features, "gunning_fog", order=["VOI", "AP"], **kw).iloc[0]
    assert (ab["outlet_a"], ab["outlet_b"]) == ("AP", "VOI")
    assert ba["difference"] == pytest.approx(-ab["difference"])
    assert ba["ci_low"] == pytest.approx(-ab["ci_high"])
    assert ba["ci_high"] == pytest.approx(-ab["ci_low"])


def test_pairing_by_event_removes_story_choice():
    # A is exactly 1 grade above B in every story; stories differ by 10 grades.
    rows = []
    for i, level in enumerate([5.0, 15.0, 25.0, 8.0]):
        rows.append({"doc_id": f"a{i}", "outlet": "A", "event_id": f"ev{i}", "g": level + 1})
        rows.append({"doc_id": f"b{i}", "outlet": "B", "event_id": f"ev{i}", "g": level})
    # B also covered an easy story A did not cover: unpaired comparison is distorted by it
    rows.append({"doc_id": "b9", "outlet": "B", "event_id": "ev9", "g": 1.0})
    feats = pd.DataFrame(rows)
    paired = cmp.pairwise_differences(feats, "g").iloc[0]
    assert paired["n_pairs"] == 4 and paired["ci_unit"] == "event"
    assert paired["difference"] == pytest.approx(1.0)
    assert paired["ci_low"] == pytest.approx(1.0) and paired["ci_high"] == pytest.approx(1.0)
    unpaired = cmp.pairwise_differences(feats, "g", by_event=False).iloc[0]
    assert unpaired["ci_unit"] == "document" and unpaired["n_pairs"] == 4 * 5
    assert unpaired["difference"] == pytest.approx(np.mean([6, 16, 26, 9]) - np.mean([5, 15, 25, 8, 1]))
    assert unpaired["ci_high"] - unpaired["ci_low"] > 5


def test_pairs_without_shared_events_are_nan():
    feats = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"], "event_id": ["e1", "e2"],
                          "g": [1.0, 2.0]})
    out = cmp.pairwise_differences(feats, "g").iloc[0]
    assert out["n_pairs"] == 0 and np.isnan(out["difference"]) and out["ci_unit"] == "none"


def test_order_must_name_known_outlets(seed_features):
    with pytest.raises(ParameterError, match="order"):
        cmp.pairwise_differences(seed_features, "lix", order=["AP", "Nowhere"])


def test_pairwise_is_deterministic(seed_features, seed_sentences):
    a = cmp.pairwise_differences(seed_features, "lix", sentences=seed_sentences, n_boot=300)
    b = cmp.pairwise_differences(seed_features, "lix", sentences=seed_sentences, n_boot=300)
    pd.testing.assert_frame_equal(a, b)
