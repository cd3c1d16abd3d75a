"""VADER tone per sentence, per outlet and per actor."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.framing import tone, tone_by_actor, tone_by_outlet


def _docs(texts, outlets) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"t{i}" for i in range(len(texts))], "outlet": outlets,
                         "title": [""] * len(texts), "text": texts})


def test_matches_reference_vader(seed_docs):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    t = tone(seed_docs)
    assert {"doc_id", "outlet", "sent_id", "sentence", "compound", "pos", "neu", "neg"} <= set(t.columns)
    for r in t.head(20).itertuples():
        assert r.compound == pytest.approx(sia.polarity_scores(r.sentence)["compound"])
    assert t["compound"].between(-1, 1).all()
    assert ((t["pos"] + t["neu"] + t["neg"]) - 1).abs().max() < 0.01


def test_direction():
    t = tone(_docs(["This is a wonderful, great success. This is a horrible, deadly disaster."], ["A"]))
    assert t.loc[0, "compound"] > 0.5 and t.loc[1, "compound"] < -0.5


def test_by_outlet_ci_and_order():
    docs = _docs(["Great news. Wonderful day. Happy people.", "Terrible news. Awful day. Sad people."],
                 ["Good", "Bad"])
    out = tone_by_outlet(docs, n_boot=500).set_index("outlet")
    assert out.loc["Good", "estimate"] > 0 > out.loc["Bad", "estimate"]
    assert (out["ci_low"] <= out["estimate"]).all() and (out["estimate"] <= out["ci_high"]).all()
    assert (out["n_sentences"] == 3).all()
    again = tone_by_outlet(docs, n_boot=500)
    pd.testing.assert_frame_equal(out.reset_index(), again)  # seeded


def test_by_actor(seed_docs):
    from analysis.framing import actor_mentions
    from analysis.framing.actors import default_actor_path

    seed = default_actor_path()  # explicit: None would use the story's discovered actors
    ta = tone_by_actor(seed_docs, seed, n_boot=200)
    t = tone(seed_docs, actors=None)
    m = actor_mentions(seed_docs, seed)
    hamas = m[(m["actor"] == "Hamas") & (m["outlet"] == "AP")][["doc_id", "sent_id"]].drop_duplicates()
    expected = t.merge(hamas, on=["doc_id", "sent_id"])["compound"].mean()
    row = ta[(ta["outlet"] == "AP") & (ta["actor"] == "Hamas")].iloc[0]
    assert row["n_sentences"] == len(hamas)
    assert row["estimate"] == pytest.approx(expected)


def test_bad_parameters(seed_docs):
    with pytest.raises(ParameterError):
        tone_by_outlet(seed_docs, n_boot=5)
    with pytest.raises(ParameterError):
        tone_by_outlet(seed_docs, ci=95)
    with pytest.raises(ParameterError):
        tone(pd.DataFrame({"x": [1]}))
