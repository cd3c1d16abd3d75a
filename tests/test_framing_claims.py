"""Numeric claims: normalisation, qualifiers, counted nouns, voice and attribution."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.framing import claims


def _docs(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"t{i}" for i in range(len(texts))], "outlet": ["T"] * len(texts),
                         "title": [""] * len(texts), "text": list(texts)})


@pytest.fixture(scope="module")
def seed_claims(seed_docs):
    return claims(seed_docs)


def test_abc_31000_passive_with_agent(seed_docs, seed_claims):
    c = seed_claims[(seed_claims["doc_id"] == "000") & (seed_claims["number"] == 31000)]
    assert len(c) == 1
    r = c.iloc[0]
    assert (r["qualifier"], r["counted"], r["verb"], r["voice"]) == ("more than", "people", "killed", "passive_agent")
    assert r["agent"] == "Israeli forces"
    assert "Ministry of Health" in r["attribution"] and r["attribution"].startswith("according to")
    assert r["category"] == "casualties"
    assert "31,000" in r["sentence"]
    text = seed_docs.set_index("doc_id").loc["000", "text"]
    assert text[r["start"] : r["end"]] == "more than 31,000 people"


def test_republisher_32000_active(seed_claims):
    c = seed_claims[(seed_claims["doc_id"] == "001") & (seed_claims["number"] == 32000)]
    assert len(c) == 1
    r = c.iloc[0]
    assert (r["voice"], r["verb"], r["counted"]) == ("active", "killed", "Palestinians")
    assert r["agent"] == "Israel’s military response"
    assert "health officials" in r["attribution"]


def test_both_1200_figures(seed_claims):
    c = seed_claims[seed_claims["number"] == 1200]
    assert set(c["outlet"]) == {"ABC News", "Reuters republisher"}
    assert (c["category"] == "casualties").all()
    rep = c[c["outlet"] == "Reuters republisher"].iloc[0]
    assert rep["attribution"] == "Israel says"
    abc = c[c["outlet"] == "ABC News"].iloc[0]
    assert abc["qualifier"] == "at least" and abc["voice"] == "passive_agent"
    assert abc["agent"] == "Hamas and other Palestinian militants"


def test_both_130_hostages(seed_claims):
    c = seed_claims[seed_claims["number"] == 130]
    assert set(c["outlet"]) == {"Reuters republisher", "VOI"}
    assert (c["qualifier"] == "more than").all()
    assert (c["counted"] == "hostages").all() and (c["category"] == "hostages").all()
    assert (c["voice"] == "passive_no_agent").all()


def test_a_million(seed_claims):
    c = seed_claims[seed_claims["number_text"] == "a million"]
    assert len(c) == 3 and (c["number"] == 1e6).all()


def test_dates(seed_claims):
    d = seed_claims[seed_claims["category"] == "date"]
    assert {"Oct. 7", "October 7", "March 28"} <= set(d["counted"])


@pytest.mark.parametrize(
    "text, number, qualifier",
    [
        ("Officials counted 31,000 ballots.", 31000.0, ""),
        ("About 2.5 million people live there.", 2.5e6, "about"),
        ("The aid was worth $1.5 billion.", 1.5e9, ""),
        ("Nearly a thousand people left.", 1000.0, "nearly"),
        ("At least 12 people were hurt.", 12.0, "at least"),
        ("Thousands of people marched.", 2000.0, ""),
    ],
)
def test_number_normalisation(text, number, qualifier):
    c = claims(_docs(text))
    assert len(c) == 1
    assert c.iloc[0]["number"] == pytest.approx(number)
    assert c.iloc[0]["qualifier"] == qualifier


@pytest.mark.parametrize(
    "text, voice, agent",
    [
        ("The strike killed 30 people.", "active", "The strike"),
        ("30 people were killed by the strike.", "passive_agent", "the strike"),
        ("30 people were killed on Monday.", "passive_no_agent", ""),
        ("30 people have reportedly been wounded.", "passive_no_agent", ""),
        ("30 people died.", "intransitive", ""),
        ("Rafah is home to 30 families.", "intransitive", ""),
    ],
)
def test_voice(text, voice, agent):
    c = claims(_docs(text))
    assert len(c) == 1
    assert c.iloc[0]["voice"] == voice
    assert c.iloc[0]["agent"] == agent


def test_categories():
    c = claims(_docs("Gunmen took 40 hostages. The fund paid $3 million. About 9 people were killed. "
                     "The talks start on March 3. The city has 12 schools."))
    assert list(c["category"]) == ["hostages", "money", "casualties", "date", "other"]


def test_said_attribution():
    c = claims(_docs("Police said 40 people were arrested."))
    assert c.iloc[0]["attribution"] == "Police said"


def test_bad_input():
    with pytest.raises(ParameterError):
        claims(pd.DataFrame({"doc_id": ["a"]}))
    assert claims(_docs("")).empty


def test_according_to_abbreviation():
    c = claims(_docs("According to the U.N., 1.7 million people have been displaced."))
    assert c.iloc[0]["attribution"] == "according to the U.N."
    assert c.iloc[0]["number"] == pytest.approx(1.7e6)
