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


# --------------------------------------------------------------------------- numbers as written


def _one(text: str) -> pd.Series:
    c = claims(_docs(text))
    assert len(c) == 1, c[["number_text", "category"]].to_dict("records")
    return c.iloc[0]


@pytest.mark.parametrize(
    "text, number, high, number_text",
    [
        ("Twelve people died in the fire.", 12.0, 12.0, "Twelve"),
        ("Officials found twenty-five bodies.", 25.0, 25.0, "twenty-five"),
        ("Five hundred and eighty-four days passed.", 584.0, 584.0, "Five hundred and eighty-four"),
        ("Hundreds of thousands of people marched.", 2e5, 1e6, "Hundreds of thousands of"),
        ("Tens of thousands of people fled.", 2e4, 1e5, "tens of thousands of"),
        ("Dozens of people were hurt.", 24.0, 100.0, "Dozens of"),
    ],
)
def test_spelled_out_numbers_and_magnitudes(text, number, high, number_text):
    r = _one(text)
    assert (r["number"], r["number_high"], r["number_text"].lower()) == (number, high, number_text.lower())
    assert r["category"] != "date"


def test_more_than_a_million():
    r = _one("More than a million people fled the city.")
    assert (r["number"], r["qualifier"], r["counted"]) == (1e6, "more than", "people")


@pytest.mark.parametrize(
    "text, number, high, qualifier",
    [
        ("Police arrested 40 to 50 protesters.", 40.0, 50.0, ""),
        ("Police arrested 40-50 protesters.", 40.0, 50.0, ""),
        ("Police arrested between 40 and 50 protesters.", 40.0, 50.0, "between"),
        ("The plan costs $2 billion to $3 billion.", 2e9, 3e9, ""),
    ],
)
def test_ranges_are_one_claim(text, number, high, qualifier):
    r = _one(text)
    assert (r["number"], r["number_high"], r["qualifier"]) == (number, high, qualifier)


def test_percentages_and_money():
    c = claims(_docs("Turnout rose to 62 percent, or 62% of voters. The fund paid 40 million dollars."))
    assert list(c["category"]) == ["percent", "percent", "money"]
    assert list(c["number"]) == [62.0, 62.0, 4e7]
    assert c.iloc[0]["counted"] == "percent"


@pytest.mark.parametrize(
    "text, category, number_text",
    [
        ("The vote closed at 4:20 p.m. on Monday.", "time", "4:20 p.m."),
        ("The vote closed at 11 a.m. on Monday.", "time", "11 a.m."),
        ("The vote closed at 16:45 on Monday.", "time", "16:45"),
        ("He fought in the Korean War of 1950-53 as a boy.", "date", "1950-53"),
        ("The law was signed in 2019 by the governor.", "date", "2019"),
        ("The law was signed on Jan. 5 by the governor.", "date", "5"),
    ],
)
def test_dates_and_clock_times_are_never_counts(text, category, number_text):
    r = _one(text)
    assert (r["category"], r["number_text"]) == (category, number_text)
    assert r["voice"] == "none"


@pytest.mark.parametrize(
    "text",
    [
        "The governor vetoed SB 1062 on Wednesday.",
        "She spoke outside 10 Downing Street yesterday.",
        "Families with Section 8 vouchers were worried.",
        "The Boeing 737 was grounded.",
        "He flew an F-35 over the base.",
        "Congress passed H.R. 1 in the spring.",
    ],
)
def test_names_addresses_and_bill_numbers_are_not_claims(text):
    assert claims(_docs(text)).empty


def test_pronoun_uses_of_numbers_are_not_claims():
    c = claims(_docs("No one came. The two met in Paris. One of them left."))
    assert c.empty


# --------------------------------------------------------------------------- voice from the parse


@pytest.mark.parametrize(
    "text, voice, verb, agent",
    [
        ("The militants took 240 hostages.", "active", "took", "The militants"),
        ("Congress approved 5 billion dollars for the wall.", "active", "approved", "Congress"),
        ("Twelve people died in the fire.", "intransitive", "died", ""),
        ("About 40 people were arrested by the police.", "passive_agent", "arrested", "the police"),
        ("Asylum seekers are typically held for up to three days.", "passive_no_agent", "held", ""),
        ("Five senators signed the letter.", "active", "signed", "Five senators"),
    ],
)
def test_voice_for_every_claim_with_a_verb(text, voice, verb, agent):
    r = _one(text)
    assert (r["voice"], r["verb"], r["agent"]) == (voice, verb, agent)


def test_attribution_kept():
    c = claims(_docs("About 40 people were arrested, police said. "
                     "According to the ministry, 12 soldiers died."))
    assert c.iloc[0]["attribution"] == "police said"
    assert c.iloc[1]["attribution"] == "according to the ministry"


def test_input_not_modified():
    docs = _docs("Twelve people died.")
    before = docs.copy()
    claims(docs)
    pd.testing.assert_frame_equal(docs, before)


def test_text_longer_than_the_parser_takes_keeps_the_patterns(monkeypatch):
    from analysis import nlp

    monkeypatch.setattr(nlp.load_pipeline(), "max_length", 20)
    c = claims(_docs("At least 12 people were hurt by the blast on Monday."))
    assert len(c) == 1
    assert (c.iloc[0]["number"], c.iloc[0]["voice"], c.iloc[0]["agent"]) == (12.0, "passive_agent", "the blast")


def test_slash_dates_and_pounds_of_weight():
    c = claims(_docs("Marchers at the 9/12 rally said he lost 110 pounds. The deal cost £40 million."))
    assert list(c["category"]) == ["date", "other", "money"]
    assert c.iloc[0]["number_text"] == "9/12"
    assert c.iloc[1]["number"] == 110.0
