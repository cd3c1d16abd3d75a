"""Corpus comparison statistics: per-story measures, story bootstrap, paired differences, findings."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from analysis.corpus import load_corpus
from analysis.corpus_report import (
    FINDING_COLUMNS,
    MEASURES,
    OUTLET_COLUMNS,
    PAIRWISE_COLUMNS,
    STORY_MEASURE_COLUMNS,
    document_measures,
    findings,
    holm_qvalues,
    outlet_estimates,
    paired_differences,
    pool_measures,
    sign_flip_pvalue,
    story_measures,
)
from analysis.errors import ParameterError
from analysis.stats import bh_qvalues, bootstrap_indices

EVERYDAY = "tests/data/everyday"

# ---------------------------------------------------------------- a small table with known values

VALUES = {  # outlet -> values in stories s1..s4 (NaN = not covered)
    "a": [1.0, 2.0, 3.0, 4.0],
    "b": [2.0, 2.0, 2.0, 6.0],
    "c": [0.0, 1.0, 0.0, np.nan],
}


def _table(values: dict = VALUES, measure: str = "m") -> pd.DataFrame:
    rows = []
    for outlet, vs in values.items():
        for k, v in enumerate(vs):
            rows.append(dict(event_id=f"s{k + 1}", outlet=outlet, measure=measure, value=v, n_docs=1, n_words=100))
    return pd.DataFrame(rows, columns=STORY_MEASURE_COLUMNS)


def _percentile_by_hand(values: list[float], n_boot: int, seed: int, ci: float = 0.95) -> tuple[float, float]:
    idx = bootstrap_indices(len(values), n_boot, seed=seed)
    means = [sum(values[i] for i in row) / len(row) for row in idx.tolist()]
    lo, hi = np.quantile(means, [(1 - ci) / 2, 1 - (1 - ci) / 2])
    return float(lo), float(hi)


def test_outlet_estimates_equal_hand_computation():
    table = _table()
    before = table.copy()
    out = outlet_estimates(table, n_boot=3000, seed=7)
    pd.testing.assert_frame_equal(table, before)  # input untouched
    assert list(out.columns) == OUTLET_COLUMNS
    got = out.set_index("outlet")
    assert got.loc["a", "estimate"] == pytest.approx(2.5)
    assert got.loc["b", "estimate"] == pytest.approx(3.0)
    assert got.loc["c", "estimate"] == pytest.approx(1 / 3)
    assert got.loc["c", "n_stories"] == 3 and got.loc["a", "n_stories"] == 4
    for outlet, vals in (("a", [1, 2, 3, 4]), ("b", [2, 2, 2, 6]), ("c", [0, 1, 0])):
        lo, hi = _percentile_by_hand(vals, 3000, 7)
        assert got.loc[outlet, "ci_low"] == pytest.approx(lo)
        assert got.loc[outlet, "ci_high"] == pytest.approx(hi)
    # resampling stories of a = {1,2,3,4}: the mean lies within [1, 4] and the interval is not degenerate
    assert 1 <= got.loc["a", "ci_low"] < 2.5 < got.loc["a", "ci_high"] <= 4


def test_outlet_estimates_order_of_rows_does_not_matter_and_seed_repeats():
    table = _table()
    shuffled = table.sample(frac=1.0, random_state=3).reset_index(drop=True)
    a = outlet_estimates(table, n_boot=500, seed=1)
    b = outlet_estimates(shuffled, n_boot=500, seed=1)
    pd.testing.assert_frame_equal(a, b)
    # continuous values: another seed moves the interval a little, the same seed repeats it
    smooth = _table({"a": list(np.random.default_rng(0).normal(size=12))})
    s1, s1_again = outlet_estimates(smooth, n_boot=500, seed=1), outlet_estimates(smooth, n_boot=500, seed=1)
    s2 = outlet_estimates(smooth, n_boot=500, seed=2)
    pd.testing.assert_frame_equal(s1, s1_again)
    assert s1.loc[0, "ci_low"] != s2.loc[0, "ci_low"]
    assert abs(s1.loc[0, "ci_low"] - s2.loc[0, "ci_low"]) < 0.3


def test_paired_difference_is_mean_of_per_story_differences_with_hand_ci_and_exact_p():
    table = _table()
    out = paired_differences(table, n_boot=4000, seed=11, correction="holm")
    assert list(out.columns) == PAIRWISE_COLUMNS
    assert len(out) == 3  # every pair once
    got = out.set_index(["outlet_a", "outlet_b"])
    # a - b per story: -1, 0, 1, -2 -> mean -0.5
    assert got.loc[("a", "b"), "difference"] == pytest.approx(-0.5)
    assert got.loc[("a", "b"), "n_stories"] == 4
    # b - c paired over the three stories c covered: 2, 1, 2 -> 5/3 (not 3.0 - 1/3)
    assert got.loc[("b", "c"), "difference"] == pytest.approx(5 / 3)
    assert got.loc[("b", "c"), "n_stories"] == 3
    lo, hi = _percentile_by_hand([-1, 0, 1, -2], 4000, 11)
    assert (got.loc[("a", "b"), "ci_low"], got.loc[("a", "b"), "ci_high"]) == (pytest.approx(lo), pytest.approx(hi))
    lo, hi = _percentile_by_hand([2, 1, 2], 4000, 11)
    assert (got.loc[("b", "c"), "ci_low"], got.loc[("b", "c"), "ci_high"]) == (pytest.approx(lo), pytest.approx(hi))
    # exact sign-flip p by enumeration: 2^3 patterns of (2, 1, 2); |sum| >= 5 only for all + and all -
    for pair, d in ((("b", "c"), [2, 1, 2]), (("a", "b"), [-1, 0, 1, -2])):
        pats = list(itertools.product([-1, 1], repeat=len(d)))
        obs = abs(sum(d))
        p = sum(abs(sum(s * x for s, x in zip(pat, d))) >= obs for pat in pats) / len(pats)
        assert got.loc[pair, "p"] == pytest.approx(p)
    assert got.loc[("b", "c"), "p"] == pytest.approx(2 / 8)
    # Holm over the three comparisons, by hand
    assert out["q"].to_numpy() == pytest.approx(holm_qvalues(out["p"].to_numpy()))
    assert "Holm" in out.attrs["correction"]


def test_swapping_outlet_names_flips_the_sign():
    renamed = _table().replace({"outlet": {"a": "z"}})
    out = paired_differences(renamed, n_boot=1000, seed=0).set_index(["outlet_a", "outlet_b"])
    ref = paired_differences(_table(), n_boot=1000, seed=0).set_index(["outlet_a", "outlet_b"])
    assert out.loc[("b", "z"), "difference"] == pytest.approx(-ref.loc[("a", "b"), "difference"])
    assert out.loc[("b", "z"), "p"] == pytest.approx(ref.loc[("a", "b"), "p"])


def test_holm_and_bh_by_hand():
    p = [0.01, 0.04, 0.03, 0.005]
    # sorted .005 .01 .03 .04 -> x4 x3 x2 x1 = .02 .03 .06 .04 -> running max .02 .03 .06 .06
    assert holm_qvalues(p) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert np.isnan(holm_qvalues([0.2, np.nan])[1]) and holm_qvalues([0.2, np.nan])[0] == pytest.approx(0.2)
    table = pd.concat([_table(measure="m1"), _table(measure="m2")], ignore_index=True)
    bh = paired_differences(table, n_boot=500, correction="bh")
    assert bh["q"].to_numpy() == pytest.approx(bh_qvalues(bh["p"].to_numpy()))
    assert "Benjamini" in bh.attrs["correction"]
    holm = paired_differences(table, n_boot=500, correction="holm")
    assert (holm["q"] >= bh["q"] - 1e-12).all()  # Holm is never less strict than BH


def test_sign_flip_monte_carlo_close_to_exact():
    d = np.random.default_rng(5).normal(0.4, 1.0, size=14)
    pats = ((np.arange(2 ** 14)[:, None] >> np.arange(14)) & 1) * 2 - 1
    exact = float(np.mean(np.abs(pats @ d) >= abs(d.sum()) - 1e-12))
    assert sign_flip_pvalue(d, n_perm=2 ** 14) == pytest.approx(exact)  # enumerated
    mc = sign_flip_pvalue(d, n_perm=9999, seed=3)  # random patterns
    assert abs(mc - exact) < 0.02
    # a constant shift in 25 stories: no random pattern reaches it
    assert sign_flip_pvalue(np.ones(25), n_perm=999) == pytest.approx(1 / 1000)
    assert sign_flip_pvalue(np.zeros(6)) == 1.0


@pytest.mark.parametrize("bad, message", [
    (dict(correction="bonferroni"), "correction"),
    (dict(n_boot=0), "n_boot"),
    (dict(ci=95), "ci"),
])
def test_bad_parameters_are_named(bad, message):
    with pytest.raises(ParameterError, match=message):
        paired_differences(_table(), **bad)


def test_bad_tables_are_refused_with_the_fix():
    with pytest.raises(ParameterError, match="story_measures"):
        outlet_estimates(_table().drop(columns=["event_id"]))
    dup = pd.concat([_table(), _table().iloc[[0]]], ignore_index=True)
    with pytest.raises(ParameterError, match="several rows for story 's1'"):
        paired_differences(dup)
    text = _table().astype({"value": object})
    text.loc[2, "value"] = "high"
    with pytest.raises(ParameterError, match="row 2"):
        outlet_estimates(text)


# ---------------------------------------------------------------- findings in words

def _pairwise(**row) -> pd.DataFrame:
    base = dict(outlet_a="nytimes", outlet_b="huffpost", measure="loaded_per_1k_words", n_stories=30,
                difference=-1.2, ci_low=-2.0, ci_high=-0.4, p=0.001, q=0.01)
    base.update(row)
    return pd.DataFrame([base], columns=PAIRWISE_COLUMNS)


def test_finding_sentence_names_the_higher_outlet_first():
    f = findings(_pairwise())
    assert list(f.columns) == FINDING_COLUMNS
    assert f.loc[0, "sentence"] == ("HuffPost uses more loaded language than the New York Times: +1.2 per 1,000 "
                                    "words, 95 % CI 0.4–2.0, 30 stories.")
    assert (f.loc[0, "outlet_a"], f.loc[0, "outlet_b"]) == ("huffpost", "nytimes")
    assert (f.loc[0, "difference"], f.loc[0, "ci_low"], f.loc[0, "ci_high"]) == (1.2, 0.4, 2.0)


def test_finding_shares_in_percentage_points_and_readability_direction():
    f = findings(_pairwise(measure="share_anonymous", outlet_a="foxnews", difference=0.052, ci_low=0.021,
                           ci_high=0.083))
    assert f.loc[0, "sentence"] == ("Fox News relies more on anonymous sources than HuffPost: +5.2 percentage "
                                    "points, 95 % CI 2.1–8.3, 30 stories.")
    f = findings(_pairwise(measure="flesch_reading_ease", outlet_a="x", outlet_b="y", difference=-4.0,
                           ci_low=-6.5, ci_high=-1.5), names={"x": "Outlet X", "y": "Outlet Y"})
    assert f.loc[0, "sentence"].startswith("Outlet Y is easier to read (Flesch Reading Ease) than Outlet X: +4.0 points")
    f = findings(_pairwise(outlet_a="nytimes", outlet_b="dailyx", difference=1.0, ci_low=0.5, ci_high=1.5))
    assert f.loc[0, "sentence"].startswith("The New York Times uses more loaded language than dailyx: +1.0")
    f = findings(_pairwise(outlet_a="nytimes", outlet_b="dailyx", difference=-1.0, ci_low=-1.5, ci_high=-0.5))
    assert f.loc[0, "sentence"].startswith("dailyx uses more loaded language than the New York Times")


def test_no_finding_when_q_too_high_or_interval_covers_zero():
    assert findings(_pairwise(q=0.2)).empty
    assert findings(_pairwise(ci_low=-2.0, ci_high=0.1)).empty
    empty = findings(_pairwise(q=0.2))
    assert list(empty.columns) == FINDING_COLUMNS
    with pytest.raises(ParameterError, match="alpha"):
        findings(_pairwise(), alpha=5)


# ---------------------------------------------------------------- pooling of one outlet's articles

def _counts(**cols) -> pd.DataFrame:
    base = dict(doc_id=["d1", "d2"], event_id=["e", "e"], outlet=["o", "o"], n_words=[100, 300],
                n_sentences=[5, 10], n_syllables=[150, 420], mtld=[50.0, 90.0], n_tone_sentences=[5, 10],
                sum_compound=[1.0, -4.0], loaded_score=[2.0, 1.5], n_words_unquoted=[80, 270], n_quotes=[4, 0],
                n_anonymous=[1, 0], n_evaluative_verbs=[1, 0], n_neutral_verbs=[3, 0], n_frame_hits=[4, 6])
    for key in (m[len("frame_"):] for m in MEASURES if m.startswith("frame_")):
        base[f"n_frame_{key}"] = [0, 0]
    base["n_frame_economic"] = [1, 2]
    base["n_frame_political"] = [3, 4]
    base.update(cols)
    return pd.DataFrame(base)


def test_articles_of_one_outlet_in_one_story_pool_word_weighted():
    t = pool_measures(_counts()).set_index("measure")
    assert list(pool_measures(_counts()).columns) == STORY_MEASURE_COLUMNS
    assert set(t.index) == set(MEASURES)
    assert (t["n_docs"] == 2).all() and (t["n_words"] == 400).all()
    v = t["value"]
    assert v["loaded_per_1k_words"] == pytest.approx(1000 * 3.5 / 350)
    assert v["quotes_per_1k_words"] == pytest.approx(1000 * 4 / 400)
    assert v["share_anonymous"] == pytest.approx(0.25)
    assert v["share_evaluative_verbs"] == pytest.approx(0.25)
    assert v["mtld"] == pytest.approx((50 * 100 + 90 * 300) / 400)
    assert v["tone"] == pytest.approx((0.2 * 100 + (-0.4) * 300) / 400)
    # Flesch Reading Ease from the summed counts: 206.835 - 1.015 * 400/15 - 84.6 * 570/400
    assert v["flesch_reading_ease"] == pytest.approx(206.835 - 1.015 * 400 / 15 - 84.6 * 570 / 400)
    assert v["flesch_kincaid_grade"] == pytest.approx(0.39 * 400 / 15 + 11.8 * 570 / 400 - 15.59)
    assert v["frame_economic"] == pytest.approx(3 / 10)
    assert v["frame_political"] == pytest.approx(7 / 10)
    assert v["frame_morality"] == 0


def test_undefined_shares_are_nan_not_zero():
    t = pool_measures(_counts(n_quotes=[0, 0], n_anonymous=[0, 0], n_evaluative_verbs=[0, 0],
                              n_neutral_verbs=[0, 0])).set_index("measure")
    assert np.isnan(t.loc["share_anonymous", "value"]) and np.isnan(t.loc["share_evaluative_verbs", "value"])


# ---------------------------------------------------------------- real articles resampled into stories

PLANT = '"We are looking at it," a senior official said on condition of anonymity.'
OUTLETS = ("outlet_a", "outlet_b", "outlet_c")


@pytest.fixture(scope="module")
def pool() -> pd.DataFrame:
    """Fourteen articles of four real-looking stories: the seeds and the everyday stories."""
    docs = pd.concat([load_corpus(), load_corpus(EVERYDAY)], ignore_index=True)
    return docs[["doc_id", "event_id", "title", "text"]].reset_index(drop=True)


def _stories(pool: pd.DataFrame, *, n_stories: int, seed: int, plant: str | None = None) -> pd.DataFrame:
    """Stories drawn with replacement from the pool's stories; three of the story's articles
    dealt at random to the outlets (so no outlet differs from another unless planted)."""
    g = np.random.default_rng(seed)
    events = [grp.reset_index(drop=True) for _e, grp in pool.groupby("event_id", sort=True)]
    rows = []
    for k in range(n_stories):
        grp = events[int(g.integers(0, len(events)))]
        for outlet, i in zip(OUTLETS, g.permutation(len(grp))[: len(OUTLETS)]):
            text = grp.at[int(i), "text"]
            if plant and outlet == "outlet_a":
                text = text + "\n\n" + plant
            rows.append(dict(doc_id=f"story{k:03d}-{outlet}", event_id=f"story{k:03d}", outlet=outlet,
                             title=grp.at[int(i), "title"], text=text))
    return pd.DataFrame(rows)


def test_the_planted_sentence_moves_only_sourcing_measures():
    from analysis.framing import frame_hits, loaded_language, quotes, tone

    one = pd.DataFrame(dict(doc_id=["x"], outlet=["o"], title=[""], text=[PLANT]))
    q = quotes(one)
    assert q[["kind", "anonymous", "verb_class"]].values.tolist() == [["direct", True, "neutral"]]
    assert frame_hits(one).empty and loaded_language(one)["score"].sum() == 0
    assert tone(one, actors={})["compound"].tolist() == [0.0]


def test_story_measures_long_form_matches_the_framing_functions(pool, tmp_path):
    from analysis.framing import loaded_language, quotes

    docs = _stories(pool, n_stories=4, seed=0)
    before = docs.copy()
    t = story_measures(docs, cache_dir=tmp_path)
    pd.testing.assert_frame_equal(docs, before)
    assert list(t.columns) == STORY_MEASURE_COLUMNS
    assert len(t) == 4 * 3 * len(MEASURES)
    assert not t.duplicated(["event_id", "outlet", "measure"]).any()
    one = docs.iloc[[0]]
    q = quotes(one)
    q = q[q["kind"] != "term"]
    ll = loaded_language(one)
    counts = document_measures(one)
    row = t[(t["event_id"] == one["event_id"].iloc[0]) & (t["outlet"] == one["outlet"].iloc[0])].set_index("measure")
    assert row.loc["quotes_per_1k_words", "value"] == pytest.approx(1000 * len(q) / counts["n_words"].iloc[0])
    assert row.loc["share_anonymous", "value"] == pytest.approx(q["anonymous"].mean())
    assert row.loc["loaded_per_1k_words", "value"] == pytest.approx(1000 * ll["score"].sum() / ll["n_words"].sum())
    # warm cache: same table, and the framing counts were stored
    assert (tmp_path / "corpus-measures").is_dir()
    pd.testing.assert_frame_equal(story_measures(docs, cache_dir=tmp_path), t)


def test_story_measures_refuses_docs_without_stories(pool):
    docs = _stories(pool, n_stories=1, seed=0).drop(columns=["event_id"])
    with pytest.raises(ParameterError, match="event_id"):
        story_measures(docs)
    docs = _stories(pool, n_stories=1, seed=0)
    docs.loc[1, "outlet"] = None
    with pytest.raises(ParameterError, match="row 1"):
        story_measures(docs)


def _run(docs: pd.DataFrame, cache) -> pd.DataFrame:
    table = story_measures(docs, cache_dir=cache)
    pw = paired_differences(table, n_boot=500, seed=0, n_perm=4999)
    return findings(pw, outlet_estimates(table, n_boot=200, seed=0))


def test_planted_anonymous_source_is_found_and_unchanged_corpora_give_nothing(pool, tmp_path):
    # one added anonymous quotation among an article's ~11 moves its share by ~0.08 while the articles
    # of a story differ by ~0.15: 120 stories are needed to find it after Holm's correction over 69
    # comparisons (benchmarks/planted.py measures the rate on BASIL)
    for seed in range(3):
        found = _run(_stories(pool, n_stories=120, seed=seed, plant=PLANT), tmp_path)
        anon = found[found["measure"] == "share_anonymous"]
        assert {"outlet_a"} == set(anon["outlet_a"]), (seed, found["sentence"].tolist())
        assert len(anon) == 2  # outlet_a against each of the other two
        assert anon["sentence"].str.contains("relies more on anonymous sources").all()
        null = _run(_stories(pool, n_stories=120, seed=100 + seed), tmp_path)
        assert null.empty, (seed, null["sentence"].tolist())


def test_method_card_names_the_test_and_the_correction():
    from analysis.corpus_report import method_card

    card = method_card(n_boot=500, correction="bh", alpha=0.1)
    assert "sign-flip permutation" in card["test"] and "Benjamini-Hochberg" in card["correction"]
    assert "500 resamples of the stories" in card["interval"] and "q < 0.1" in card["finding"]
    with pytest.raises(ParameterError, match="correction"):
        method_card(correction="none")


def test_empty_corpus_gives_empty_tables():
    empty = pd.DataFrame(columns=["doc_id", "event_id", "outlet", "title", "text"])
    t = story_measures(empty)
    assert t.empty and list(t.columns) == STORY_MEASURE_COLUMNS
    assert outlet_estimates(t).empty and list(outlet_estimates(t).columns) == OUTLET_COLUMNS
    pw = paired_differences(t)
    assert pw.empty and list(pw.columns) == PAIRWISE_COLUMNS
    assert findings(pw).empty


@pytest.mark.slow
def test_batches_and_the_dask_engine_give_the_same_table(pool, tmp_path):
    from distributed import LocalCluster

    from analysis import nlp

    docs = _stories(pool, n_stories=3, seed=5)
    ref = story_measures(docs)
    pd.testing.assert_frame_equal(story_measures(docs, batch_size=2), ref)
    nlp.parse(docs, cache_dir=tmp_path)  # the worker reads the parses, and computes the measures itself
    cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                           host="127.0.0.1")
    try:
        got = story_measures(docs, engine="dask", scheduler=cluster.scheduler_address, batch_size=4,
                             cache_dir=tmp_path)
    finally:
        cluster.close()
    pd.testing.assert_frame_equal(got, ref)
    with pytest.raises(ParameterError, match="engine"):
        story_measures(docs, engine="spark")
