"""Tests for analysis.framing.loaded (loaded language per sentence and per outlet)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.framing.loaded import (
    LOADED_COLUMNS,
    LOADED_OUTLET_COLUMNS,
    loaded_language,
    loaded_language_by_outlet,
    loaded_lexicon,
)


def _docs(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "text"])


def _items(cell: str) -> list[str]:
    return [w.lower() for w in cell.split("; ")] if cell else []


def test_loaded_words_outside_quotes_count():
    docs = _docs(("a", "x", "The senator slammed the so-called reform as a radical scheme."))
    t = loaded_language(docs)
    assert list(t.columns) == LOADED_COLUMNS
    assert len(t) == 1
    items = _items(t.loc[0, "loaded_words"])
    for w in ("slammed", "so-called", "radical", "scheme"):
        assert w in items
    assert t.loc[0, "n_loaded"] == len(items) >= 4
    assert t.loc[0, "score"] >= 4.0
    assert (t.loc[0, "start"], t.loc[0, "end"]) == (0, len(docs.loc[0, "text"]))


def test_same_words_inside_quotation_marks_do_not_count():
    text = 'The senator said: "They slammed the so-called reform as a radical scheme."'
    t = loaded_language(_docs(("a", "x", text)))
    items = _items(t.loc[0, "loaded_words"])
    for w in ("slammed", "so-called", "radical", "scheme"):
        assert w not in items
    assert t.loc[0, "score"] == 0.0
    assert t.loc[0, "n_words"] == 3  # The senator said


def test_curly_quotes_are_excluded_too():
    text = "“It is a radical scheme and an appalling rant,” the mayor told reporters."
    t = loaded_language(_docs(("a", "x", text)))
    assert t.loc[0, "n_loaded"] == 0
    assert t.loc[0, "n_words"] == 4  # the mayor told reporters


def test_scare_quote_counts_as_one_item():
    text = "He paid his “respects” to the families on Tuesday."
    t = loaded_language(_docs(("a", "x", text)))
    assert _items(t.loc[0, "loaded_words"]) == ["“respects”"]
    assert t.loc[0, "score"] == 1.0


def test_phrase_entry_matches_inflected_form_once():
    t = loaded_language(_docs(("a", "x", "The governor took a swipe at the council on Monday.")))
    assert _items(t.loc[0, "loaded_words"]) == ["took a swipe"]
    assert t.loc[0, "n_loaded"] == 1


def test_score_direction_loaded_sentence_scores_higher():
    neutral = "The committee met on Tuesday and voted on the bill."
    loaded = "The embattled committee blasted the bill in a bitter, furious tirade."
    t = loaded_language(_docs(("a", "x", f"{neutral} {loaded}")))
    assert list(t["sent_id"]) == [0, 1]
    assert t.loc[0, "score"] == 0.0
    assert t.loc[1, "score"] >= 3.0
    assert t.loc[1, "score"] > t.loc[0, "score"]


def test_input_not_modified_and_empty_docs():
    docs = _docs(("a", "x", "The senator slammed the plan."))
    before = docs.copy()
    loaded_language(docs)
    pd.testing.assert_frame_equal(docs, before)
    empty = loaded_language(_docs())
    assert empty.empty and list(empty.columns) == LOADED_COLUMNS


def test_missing_text_column_is_a_clear_error():
    with pytest.raises(ParameterError, match="text"):
        loaded_language(pd.DataFrame({"doc_id": ["a"], "outlet": ["x"]}))


def test_by_outlet_estimate_by_hand_and_seeded_ci():
    docs = _docs(
        ("a1", "A", "The senator slammed the plan. The vote was held on Tuesday."),
        ("a2", "A", "The council met on Monday. Officials blasted the bill."),
        ("a3", "A", "The board met again in March."),
        ("b1", "B", "The court heard the case on Friday."),
    )
    t = loaded_language(docs)
    out = loaded_language_by_outlet(table=t, n_boot=500, seed=3)
    assert list(out.columns) == LOADED_OUTLET_COLUMNS
    a = out.set_index("outlet").loc["A"]
    # hand count: 2 loaded words (slammed, blasted) over 5+6 + 5+4 + 6 = 26 words
    assert a["n_loaded"] == 2 and a["n_words"] == 26
    assert a["estimate"] == pytest.approx(100 * 2 / 26)
    assert a["resampled"] == "articles" and a["n_docs"] == 3
    assert a["ci_low"] <= a["estimate"] <= a["ci_high"]
    assert a["ci_low"] < a["ci_high"]
    b = out.set_index("outlet").loc["B"]
    assert b["estimate"] == 0.0 and b["resampled"] == "sentences"
    again = loaded_language_by_outlet(table=t, n_boot=500, seed=3)
    pd.testing.assert_frame_equal(out, again)
    # from docs directly gives the same table
    pd.testing.assert_frame_equal(out, loaded_language_by_outlet(docs, n_boot=500, seed=3))


def test_by_outlet_bad_options():
    t = loaded_language(_docs(("a", "x", "The senator slammed the plan.")))
    with pytest.raises(ParameterError, match="n_boot"):
        loaded_language_by_outlet(table=t, n_boot=10)
    with pytest.raises(ParameterError, match="ci"):
        loaded_language_by_outlet(table=t, ci=95)
    with pytest.raises(ParameterError, match="docs or"):
        loaded_language_by_outlet()
    with pytest.raises(ParameterError, match="n_words"):
        loaded_language_by_outlet(table=t.drop(columns=["n_words"]))


def test_lexicon_table_is_well_formed():
    lex = loaded_lexicon()
    assert list(lex.columns) == ["entry", "category"]
    assert {"so-called", "slam", "take a swipe"} <= set(lex["entry"])
    assert not lex["entry"].duplicated().any()
    assert set(lex["category"]) <= {"label", "speech", "action", "evaluative", "intensifier", "hedge"}


def test_exclude_drops_a_list_entry_and_refuses_unknown_ones():
    docs = _docs(("a", "x", "The senator slammed the so-called reform."))
    full = _items(loaded_language(docs).loc[0, "loaded_words"])
    assert "so-called" in full
    fewer = _items(loaded_language(docs, exclude=["so-called"]).loc[0, "loaded_words"])
    assert fewer == [w for w in full if w != "so-called"]
    with pytest.raises(ParameterError, match="not in the kit's word list"):
        loaded_language(docs, exclude=["no-such-entry"])
    with pytest.raises(ParameterError, match="list of entries"):
        loaded_language(docs, exclude="slam")


def test_evaluative_adjective_from_subjectivity_lexicon_counts_but_neutral_subjective_does_not():
    # "amateurish" is in neither the kit's list nor VADER; in TextBlob's en-sentiment.xml it
    # has one sense, subjectivity 0.8, polarity -0.4: it counts with weight 0.8. "potential"
    # and "final" are subjective there (1.0) but have polarity 0: they do not count.
    text = "The potential final vote came after an amateurish count."
    t = loaded_language(_docs(("a", "x", text)))
    assert _items(t.loc[0, "loaded_words"]) == ["amateurish"]
    assert t.loc[0, "score"] == pytest.approx(0.8)


def test_quoted_title_is_neither_scare_quote_nor_counted():
    t = loaded_language(_docs(("a", "x", "She starred in “The Apprentice” for years.")))
    assert t.loc[0, "n_loaded"] == 0 and t.loc[0, "loaded_words"] == ""
    assert t.loc[0, "n_words"] == 5  # She starred in for years
