"""Tests for analysis.word_choice: same fact, different words."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.errors import NotEnoughData, ParameterError
from analysis.reuse import information_units
from analysis.word_choice import (
    WORD_CHOICE_COLUMNS,
    different_words,
    word_choice,
    word_choice_html,
    word_key,
    word_keys,
)

GAZA = ("In the Gaza Strip, more than 31,000 people have been killed by Israeli forces since "
        "Oct. 7, according to Gaza's Hamas-controlled Ministry of Health.")
ISRAEL = ("Israel’s military response has killed more than 32,000 Palestinians, according to "
          "health officials in the Hamas-run enclave.")


def _phrases(sentence: str, spans: list[tuple[int, int]]) -> list[str]:
    return [sentence[s:e] for s, e in spans]


@pytest.mark.parametrize(
    ("word", "keys"),
    [
        ("killed", ("kill",)),
        ("kills", ("kill",)),
        ("31,000", ("31000",)),
        ("U.S.", ("us",)),
        ("Gaza's", ("gaza",)),
        ("Israel’s", ("israel",)),
        ("Oct.", ("octob",)),
        ("October", ("octob",)),
        ("been", ("be",)),
        ("has", ("have",)),
        ("we're", ("we", "be")),
        ("didn’t", ("did", "not")),
        ("won't", ("will", "not")),
        ("it's", ("it", "be")),
    ],
)
def test_word_keys(word, keys):
    assert word_keys(word) == keys
    assert word_key(word) == keys[0]


def test_death_toll_pair_by_hand():
    only_a, only_b = different_words(GAZA, ISRAEL)
    # worked out by hand: every word of one sentence whose key is absent from the other,
    # grouped into runs that punctuation ends; "In"/"in", "killed", "more than",
    # "according to" and "Health"/"health" are shared; "have"/"has" are one verb;
    # "Hamas-controlled" and "Hamas-run" are different words
    assert _phrases(GAZA, only_a) == [
        "Gaza Strip", "31,000 people", "been", "by Israeli forces since Oct. 7",
        "Gaza's Hamas-controlled Ministry of",
    ]
    assert _phrases(ISRAEL, only_b) == [
        "Israel’s military response", "32,000 Palestinians", "officials", "Hamas-run enclave",
    ]


def test_same_words_in_another_order_do_not_differ():
    a = "Israeli forces killed 30 people on Monday."
    b = "On Monday, 30 people were killed by Israeli forces."
    only_a, only_b = different_words(a, b)
    assert _phrases(a, only_a) == []
    # the passive's auxiliary and agent marker are what b adds
    assert _phrases(b, only_b) == ["were", "by"]


def test_articles_and_contractions_never_differ():
    assert different_words("We're working to set a date.", "We are working to set the date.") == ([], [])


def test_punctuation_splits_runs_and_case_is_ignored():
    a = "Officials said, in Gaza, the toll rose."
    b = "OFFICIALS SAID the toll rose sharply."
    only_a, only_b = different_words(a, b)
    assert _phrases(a, only_a) == ["in Gaza"]
    assert _phrases(b, only_b) == ["sharply"]


def _toy_docs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["a1", "b1", "c1"],
            "event_id": ["e", "e", "e"],
            "outlet": ["Alpha", "Beta", "Gamma"],
            "text": [
                "The mayor of Springfield resigned on Tuesday after a corruption inquiry. "
                "Heavy snow closed every school in the county.",
                "Springfield's embattled mayor quit on Tuesday after a corruption inquiry. "
                "A new bakery opened downtown with a long queue of customers.",
                "The city council will vote on the budget next month. "
                "Farmers protested against new water rules outside parliament.",
            ],
        }
    )


def test_toy_story_aligns_the_shared_fact_only():
    docs = _toy_docs()
    before = docs.copy()
    table = word_choice(docs)
    pd.testing.assert_frame_equal(docs, before)  # input untouched
    assert list(table.columns) == WORD_CHOICE_COLUMNS
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["doc_a"], row["doc_b"], row["outlet_a"], row["outlet_b"]) == ("a1", "b1", "Alpha", "Beta")
    assert (row["sent_id_a"], row["sent_id_b"]) == (0, 0)
    # "of" has no counterpart in "Springfield's"; "The"/"a" never differ
    assert row["only_a"] == "of | resigned"
    assert row["only_b"] == "embattled | quit"
    assert (row["n_only_a"], row["n_only_b"]) == (2, 2)
    assert row["n_outlets"] == 2
    # content keys by hand: a = {mayor, springfield, resign, tuesday, corrupt, inquiri} (6),
    # b = {springfield, embattl, mayor, quit, tuesday, corrupt, inquiri} (7); shared 5
    assert row["similarity"] == pytest.approx(2 * 5 / 13)


def test_identical_pairs_kept_or_dropped():
    docs = pd.DataFrame(
        {
            "doc_id": ["1", "2"],
            "outlet": ["A", "B"],
            "text": ["Rain fell across the northern valley overnight.",
                     "Rain fell across the northern valley overnight."],
        }
    )
    kept = word_choice(docs)
    assert len(kept) == 1 and kept.iloc[0]["only_a"] == "" and kept.iloc[0]["n_only_b"] == 0
    assert kept.iloc[0]["similarity"] == 1.0
    assert word_choice(docs, include_identical=False).empty
    assert "No fact" in word_choice_html(kept)


def test_same_outlet_articles_are_not_paired():
    docs = pd.DataFrame(
        {
            "doc_id": ["1", "2"],
            "outlet": ["A", "A"],
            "text": ["The bridge reopened on Friday after repairs.",
                     "The bridge was reopened Friday after long repairs."],
        }
    )
    table = word_choice(docs)
    assert table.empty and list(table.columns) == WORD_CHOICE_COLUMNS


def test_seed_death_toll_pair(seed_docs):
    table = word_choice(seed_docs)
    toll = table[table["sentence_a"].str.contains("31,000") & table["sentence_b"].str.contains("32,000")]
    assert len(toll) == 1
    row = toll.iloc[0]
    assert (row["outlet_a"], row["outlet_b"]) == ("ABC News", "Reuters republisher")
    assert "more than 31,000 people have been killed by Israeli forces" in row["sentence_a"]
    assert "Israel’s military response has killed more than 32,000 Palestinians" in row["sentence_b"]
    only_a = row["only_a"].split(" | ")
    only_b = row["only_b"].split(" | ")
    assert "31,000 people" in only_a and "by Israeli forces since Oct. 7" in only_a
    assert "Israel’s military response" in only_b and "32,000 Palestinians" in only_b
    # shared words are not listed as different
    assert not any("killed" in p or "more than" in p for p in only_a + only_b)
    # the Israeli death toll of the same unit is aligned as its own pair
    israeli = table[(table["unit_id"] == row["unit_id"]) & table["sentence_a"].str.contains("1,200")]
    assert len(israeli) == 1 and "1,200" in israeli.iloc[0]["sentence_b"]


def test_seed_table_properties(seed_docs):
    units = information_units(seed_docs)
    table = word_choice(seed_docs, units=units)
    pd.testing.assert_frame_equal(table, word_choice(seed_docs))
    assert (table["outlet_a"] != table["outlet_b"]).all()
    assert table["similarity"].between(0, 1).all()
    # every aligned sentence is a sentence of its unit and article
    index = set(zip(units["doc_id"], units["sent_id"], units["unit_id"], strict=True))
    for r in table.itertuples():
        assert (r.doc_a, r.sent_id_a, r.unit_id) in index
        assert (r.doc_b, r.sent_id_b, r.unit_id) in index
    # units most widely reported first
    assert table["n_outlets"].is_monotonic_decreasing
    # one-to-one alignment within each article pair and unit
    for _, grp in table.groupby(["unit_id", "doc_a", "doc_b"]):
        assert grp["sent_id_a"].is_unique and grp["sent_id_b"].is_unique


def test_html_escapes_and_marks():
    table = pd.DataFrame(
        {
            "unit_id": [4],
            "outlet_a": ["A&B <News>"],
            "outlet_b": ["C"],
            "sentence_a": ["Police said <b>two</b> people died."],
            "sentence_b": ["Police said three people died."],
            "similarity": [0.5],
        }
    )
    out = str(word_choice_html(table))
    assert "A&amp;B &lt;News&gt;" in out
    assert "<b>" not in out and "&lt;" in out
    assert "<mark>two</mark>" in out and "<mark>three</mark>" in out
    assert "<mark>Police" not in out
    assert word_choice_html(table)._repr_html_() == out


def test_html_row_limits(seed_docs):
    table = word_choice(seed_docs)
    differing = table[(table["n_only_a"] > 0) | (table["n_only_b"] > 0)]
    out = str(word_choice_html(table, max_rows=3, per_unit=None))
    assert out.count("<tr><td") == 3
    assert out.startswith(f"<p>3 of {len(differing)} aligned pairs worded differently;")
    # per unit: the closest differing pairs; the seed death toll (a two-outlet unit) is shown
    out = str(word_choice_html(table))
    per_unit = differing.groupby("unit_id").size().clip(upper=3).sum()
    assert out.count("<tr><td") == min(per_unit, 60)
    assert "<mark>31,000 people</mark>" in out and "<mark>32,000 Palestinians</mark>" in out
    unit0 = differing[differing["unit_id"] == 0].sort_values("similarity", ascending=False, kind="stable")
    shown0 = re.findall(r'<tr><td style="text-align:right">0</td>.*?([\d.]+)</td></tr>', out)
    assert [float(x) for x in shown0] == [round(x, 3) for x in unit0["similarity"].head(3)]


def test_bad_input(seed_docs):
    with pytest.raises(ParameterError, match="min_outlets"):
        word_choice(seed_docs, min_outlets=1)
    with pytest.raises(ParameterError, match="min_similarity"):
        word_choice(seed_docs, min_similarity=2)
    with pytest.raises(ParameterError, match="units"):
        word_choice(seed_docs, units=pd.DataFrame({"doc_id": []}))
    with pytest.raises(ParameterError, match="threshold"):
        word_choice(seed_docs, threshold=0)
    with pytest.raises(NotEnoughData):
        word_choice(seed_docs.iloc[:1])
    with pytest.raises(ParameterError, match="sentence_a"):
        word_choice_html(pd.DataFrame({"unit_id": [1]}))
    with pytest.raises(ParameterError, match="max_rows"):
        word_choice_html(word_choice(seed_docs), max_rows=0)
    with pytest.raises(ParameterError, match="per_unit"):
        word_choice_html(word_choice(seed_docs), per_unit=True)
