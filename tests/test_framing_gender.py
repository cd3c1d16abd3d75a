"""Gender of named sources: the article's evidence first, then the SSA first-name lexicon."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.framing import quotes, sources
from analysis.framing import gender as G


def _docs(*texts: str, outlets: list[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": [f"g{i}" for i in range(len(texts))],
        "outlet": outlets or ["Test"] * len(texts),
        "title": [""] * len(texts),
        "text": list(texts),
    })


# ----------------------------------------------------------------------------- lexicon


def test_derive_sums_years_and_drops_rare_names():
    counts = pd.DataFrame({
        "first_name": ["Ann", "ann", "Ann", "Lee", "lee", "Zed"],
        "sex": ["F", "f", "m", "M", "f", "m"],
        "count": [300, 250, 10, 400, 200, 20],
        "year_of_birth": [1950, 1960, 1960, 1950, 1960, 1950],
    })
    t = G.derive_first_name_table(counts, min_count=100)
    # zed (20 births) is left out; ann 550 girls + 10 boys; lee 200 girls + 400 boys
    assert t.to_dict("records") == [
        {"name": "ann", "n_female": 550, "n_male": 10},
        {"name": "lee", "n_female": 200, "n_male": 400},
    ]


def test_derive_refuses_bad_input():
    with pytest.raises(ParameterError, match="first_name"):
        G.derive_first_name_table(pd.DataFrame({"name": ["a"], "sex": ["f"], "count": [1]}))
    with pytest.raises(ParameterError, match="row 1"):
        G.derive_first_name_table(pd.DataFrame({"first_name": ["a", "b"], "sex": ["f", "x"],
                                                "count": [1, 1]}))


def test_shipped_lexicon_has_the_ssa_counts():
    table = G.first_name_table()
    # every row passed the derivation's 500-birth floor
    assert min(f + m for f, m in table.values()) >= 500
    f, m = table["mary"]
    assert f > 100 * m  # Mary: overwhelmingly girls in the SSA counts
    f, m = table["robert"]
    assert m > 100 * f


def test_given_name_skips_titles_and_initials():
    assert G.given_name("President Donald J. Trump") == "donald"
    assert G.given_name("Mr. Rother") == ""  # one word after the honorific
    assert G.given_name("J. Smith") == ""  # an initial tells nothing
    assert G.given_name("Trump") == ""


def test_first_name_gender_thresholds():
    assert G.first_name_gender("Mary Smith") == "female"
    assert G.first_name_gender("Robert Jones") == "male"
    # used for both (SSA: about 26 % girls), absent, or a single word: never guessed
    assert G.first_name_gender("Jordan Peel") == "unknown"
    assert G.first_name_gender("Xqzt Lee") == "unknown"
    assert G.first_name_gender("Smith") == "unknown"
    # Lindsey: about 95 % girls in the counts, below the 0.97 default
    assert G.first_name_gender("Lindsey Graham") == "unknown"
    assert G.first_name_gender("Lindsey Graham", threshold=0.9) == "female"
    with pytest.raises(ParameterError, match="threshold"):
        G.first_name_gender("Mary Smith", threshold=0.4)


def test_article_evidence_wins_over_the_lexicon():
    assert G.name_gender("Mary Smith", "male") == ("male", "article")
    assert G.name_gender("Mary Smith") == ("female", "first_name")
    assert G.name_gender("Jordan Peel") == ("unknown", "")
    with pytest.raises(ParameterError, match="article_evidence"):
        G.name_gender("Mary Smith", "f")


# ----------------------------------------------------------------------------- in quotes


def _named(text: str) -> pd.DataFrame:
    q = quotes(_docs(text))
    return q[q["speaker_type"] == "named"].reset_index(drop=True)


def test_honorific_in_the_article_tells_the_gender():
    # "Jordan" is used for both in the lexicon; "Ms." in the article settles it
    text = ('Jordan Pell runs the clinic.\n\n'
            '"We are full," Ms. Pell said.')
    d = _named(text)
    assert list(d["speaker"]) == ["Jordan Pell"]
    assert list(d["speaker_gender"]) == ["female"]
    assert list(d["gender_evidence"]) == ["article"]


def test_pronoun_after_the_subject_tells_the_gender():
    text = ('Jordan Pell opened the clinic on Monday. He said the beds were full.\n\n'
            '"We need more nurses," Pell said.')
    d = _named(text)
    assert set(d["speaker"]) == {"Jordan Pell"}
    assert set(d["speaker_gender"]) == {"male"}
    assert set(d["gender_evidence"]) == {"article"}


def test_pronoun_about_someone_else_is_no_evidence():
    # "she" follows Ann Lee's clause, not Jordan Pell's (an object here): Pell stays unknown
    text = ('Ann Lee thanked Jordan Pell, and she said the clinic would stay open.\n\n'
            '"We are full," Pell said.')
    d = _named(text)
    row = d[d["speaker"] == "Jordan Pell"].iloc[0]
    assert row["speaker_gender"] == "unknown" and row["gender_evidence"] == ""


def test_first_name_when_the_article_says_nothing():
    d = _named('"We are full," said Mary Pell.')
    assert list(d["speaker_gender"]) == ["female"]
    assert list(d["gender_evidence"]) == ["first_name"]


def test_honorific_picks_the_full_name_of_that_gender():
    text = ('Melania Trump visited the school with her husband on Monday.\n\n'
            '"The children were wonderful," Mr. Trump said.')
    d = _named(text)
    # "Mr. Trump" is not Melania Trump: the name stays as written, male by the honorific
    assert list(d["speaker"]) == ["Trump"]
    assert list(d["speaker_gender"]) == ["male"]


def test_unnamed_sources_have_no_gender():
    q = quotes(_docs('"It is over," an official said. "We lost," the ministry said.'))
    assert (q["speaker_gender"] == "").all() and (q["gender_evidence"] == "").all()


# ----------------------------------------------------------------------------- per outlet


def test_sources_count_named_people_by_gender():
    a = ('"We are full," said Mary Pell. "We need nurses," Pell said.\n\n'
         '"It will pass," said Robert Stone.\n\n'
         '"No comment," said Jordan Peel.')
    b = '"It is over," an official said.'
    s = sources(_docs(a, b, outlets=["A", "B"])).set_index("outlet")
    # Mary Pell counts once although quoted twice; Jordan Peel cannot be told
    assert (s.loc["A", "n_named_sources"], s.loc["A", "n_named_women"],
            s.loc["A", "n_named_men"], s.loc["A", "n_named_unknown"]) == (3, 1, 1, 1)
    assert s.loc["A", "share_women"] == pytest.approx(0.5)
    assert s.loc["B", "n_named_sources"] == 0 and math.isnan(s.loc["B", "share_women"])
