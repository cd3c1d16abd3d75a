"""Policy-frame dictionary scoring: counts, parts, term tables, user dictionaries, errors."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.framing import frame_hits, frame_terms, frames, load_frame_dictionary

BOYDSTUN = ["economic", "capacity_resources", "morality", "fairness_equality", "legality",
            "policy_prescription", "crime_punishment", "security_defense", "health_safety",
            "quality_of_life", "cultural_identity", "public_opinion", "political",
            "external_regulation", "other"]

USER = """
frames:
  war:
    label: War
    terms: [war, "ground invasion", attack*]
  talks:
    terms: [talks, meeting*]
"""


def _docs(title: str, text: str, outlet: str = "T", doc_id: str = "t0") -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [doc_id], "outlet": [outlet], "title": [title], "text": [text]})


def test_default_dictionary_has_the_15_dimensions():
    d = load_frame_dictionary()
    assert list(d) == BOYDSTUN
    assert all(d[f]["terms"] for f in BOYDSTUN if f != "other")
    assert d["legality"]["label"].startswith("Legality")


def test_counts_by_hand():
    docs = _docs("War talks", "The attack came after the talks. A ground invasion and an attacker.\n\n"
                               "More meetings. Nothing else here at all.")
    f = frames(docs, USER).set_index(["part", "frame"])
    # headline: war, talks (2 words); lede: attack, talks, ground invasion, attacker;
    # body: meetings
    assert f.loc[("headline", "war"), "n_hits"] == 1
    assert f.loc[("headline", "talks"), "n_hits"] == 1
    assert f.loc[("headline", "war"), "n_words"] == 2
    assert f.loc[("lede", "war"), "n_hits"] == 3  # attack, ground invasion (one phrase), attacker
    assert f.loc[("lede", "talks"), "n_hits"] == 1
    assert f.loc[("body", "talks"), "n_hits"] == 1
    assert f.loc[("all", "war"), "n_hits"] == 4
    n_all = f.loc[("all", "war"), "n_words"]
    assert n_all == sum(f.loc[(p, "war"), "n_words"] for p in ["headline", "lede", "body"])
    assert f.loc[("all", "war"), "per_1k_words"] == pytest.approx(1000 * 4 / n_all)


def test_phrase_claims_its_words():
    docs = _docs("", "ground invasion")
    d = {"frames": {"a": {"terms": ["ground invasion", "invasion"]}}}
    f = frames(docs, d, parts=False)
    assert f["n_hits"].tolist() == [1]


def test_hits_are_traceable(seed_docs):
    h = frame_hits(seed_docs)
    assert {"doc_id", "outlet", "sent_id", "sentence", "frame", "term", "matched"} <= set(h.columns)
    f = frames(seed_docs)
    allrows = f[f["part"] == "all"].set_index(["doc_id", "frame"])["n_hits"]
    counted = h.groupby(["doc_id", "frame"]).size()
    for key, n in counted.items():
        assert allrows[key] == n
    assert h.loc[h["part"] == "headline", "sent_id"].eq(-1).all()


def test_by_outlet_sums_documents(seed_docs):
    two = pd.concat([seed_docs, seed_docs.assign(doc_id=seed_docs["doc_id"] + "b")], ignore_index=True)
    fo = frames(two, by="outlet", parts=False).set_index(["outlet", "frame"]).sort_index()
    fd = frames(seed_docs, parts=False).set_index(["outlet", "frame"]).sort_index()
    assert (fo["n_hits"] == 2 * fd["n_hits"]).all()
    assert (fo["per_1k_words"] - fd["per_1k_words"]).abs().max() < 1e-9
    assert (fo["n_docs"] == 2).all()


def test_frame_terms_difference(seed_docs):
    t = frame_terms(seed_docs)
    r = t[(t["outlet"] == "ABC News") & (t["term"] == "Ramadan")]
    assert len(r) == 1 and r.iloc[0]["n_target"] == 1 and r.iloc[0]["n_reference"] == 0
    ok = t.dropna(subset=["per_1k_target", "per_1k_reference"])
    assert ((ok["per_1k_target"] - ok["per_1k_reference"] - ok["diff_per_1k"]).abs() < 1e-9).all()
    # totals across outlets agree with frame_hits
    h = frame_hits(seed_docs)
    assert t.groupby("outlet")["n_target"].sum().sum() == len(h)


def test_glob_and_case():
    f = frames(_docs("", "Economists fear ECONOMIC costs."), {"frames": {"e": ["econom*"]}}, parts=False)
    assert f["n_hits"].tolist() == [2]


def test_unknown_field_names_line_and_fix():
    bad = "frames:\n  war:\n    label: War\n    words: [war]\n"
    with pytest.raises(ParameterError, match=r"unknown field 'words'.*line 4.*'terms'"):
        load_frame_dictionary(bad)
    with pytest.raises(ParameterError, match=r"unknown top-level field 'frame'.*line 1"):
        load_frame_dictionary("frame:\n  war: [war]\nframes:\n  a: [b]\n")


def test_invalid_yaml_and_bad_terms(tmp_path):
    with pytest.raises(ParameterError, match=r"line \d+"):
        load_frame_dictionary("frames:\n  war: [war\n  peace: [x]\n")
    with pytest.raises(ParameterError, match="must be a list"):
        load_frame_dictionary("frames:\n  war:\n    terms: war\n")
    p = tmp_path / "f.yaml"
    p.write_text(USER, encoding="utf-8")
    assert list(load_frame_dictionary(p)) == ["war", "talks"]
    with pytest.raises(ParameterError, match="by="):
        frames(_docs("", "x"), by="sentence")


# --------------------------------------------------------------------------- parsed-text rules


def _matched(text: str, dictionary=None, title: str = "") -> list[tuple[str, str]]:
    h = frame_hits(_docs(title, text), dictionary)
    return sorted(zip(h["frame"], h["matched"]))


def test_false_friends_of_globs_are_excluded_by_default():
    # investigation is not an investment; defendants are not defence
    got = _matched("Prosecutors opened an investigation. The defendants pleaded not guilty.")
    assert ("economic", "investigation") not in got
    assert not any(frame == "security_defense" for frame, _ in got)
    got = _matched("Investors want to invest more; the country defended its defense budget.")
    assert ("economic", "investors") in got and ("economic", "invest") in got
    assert ("security_defense", "defense") in got


def test_named_entities_never_match_frame_words():
    user = {"frames": {"ext": ["un", "u.n."], "fair": ["justice"], "pol": ["president"]}}
    got = _matched("Kim Jong Un met the U.N. envoy. The Justice Department and the president "
                   "spoke. President Trump wants justice.", user)
    # "Un" is part of a name, "Justice" of the Justice Department, "President" a title
    assert ("ext", "un") not in got
    assert ("fair", "justice") in got and got.count(("fair", "justice")) == 1
    assert got.count(("pol", "president")) == 1


def test_lemma_and_part_of_speech():
    d = {"frames": {"pol": ["plan/NOUN", "court/NOUN"], "war": ["strike/NOUN"]}}
    got = _matched("He plans to visit. The plan failed. Courts ruled. She courted voters. "
                   "The strike hit. They will strike a deal.", d)
    assert got == [("pol", "courts"), ("pol", "plan"), ("war", "strike")]


def test_multi_word_exclusion_is_per_frame():
    d = {"frames": {"war": {"terms": ["war"], "exclude": ["trade war*", "war of words"]},
                    "eco": {"terms": ["trade"]}}}
    got = _matched("The trade war hurt farmers. A war of words began. The war ended.", d)
    assert got == [("eco", "trade"), ("war", "war")]


def test_hyphenated_terms_match_joined_words():
    d = {"frames": {"p": ["cease-fire", "two-state"]}}
    got = _matched("A cease-fire and a two-state plan; the fire did not cease.", d)
    assert got == [("p", "cease-fire"), ("p", "two-state")]


def test_capitalised_entry_may_match_a_capitalised_word():
    d = {"frames": {"c": ["Ramadan", "ramadan"]}}
    got = _matched("The talks resumed after Ramadan ended.", d)
    assert got == [("c", "ramadan")]
    h = frame_hits(_docs("", "The talks resumed after Ramadan ended."), d)
    assert list(h["term"]) == ["Ramadan"]


def test_bad_exclude_names_the_frame():
    with pytest.raises(ParameterError, match=r"frame 'war' exclude.*must be a list"):
        load_frame_dictionary("frames:\n  war:\n    terms: [war]\n    exclude: trade war\n")


def test_text_longer_than_the_parser_takes_is_read_without_the_parse(monkeypatch, caplog):
    from analysis import nlp

    monkeypatch.setattr(nlp.load_pipeline(), "max_length", 40)
    docs = _docs("", "The war went on. Investors fled the market after the war ended.", doc_id="long1")
    with caplog.at_level("WARNING", logger="analysis.framing.frames"):
        h = frame_hits(docs, {"frames": {"war": ["war"], "eco": ["market"]}})
    assert sorted(h["matched"]) == ["market", "war", "war"]
    assert "long1" in caplog.text and "more than the parser takes" in caplog.text


def test_compiled_matcher_is_shared_by_equal_dictionaries_only(seed_docs):
    import importlib

    F = importlib.import_module("analysis.framing.frames")

    F._MATCHERS.clear()
    fresh = frame_hits(seed_docs)  # compiles the default dictionary's matcher
    assert len(F._MATCHERS) == 1
    again = frame_hits(seed_docs)  # found compiled: same rows
    assert len(F._MATCHERS) == 1
    pd.testing.assert_frame_equal(fresh, again)
    # the default dictionary handed out is a copy: changing it changes neither the cache nor the next call
    d = load_frame_dictionary()
    d["economic"]["terms"] = ["week"]
    assert load_frame_dictionary()["economic"]["terms"] != ["week"]
    custom = frame_hits(seed_docs, d)
    assert len(F._MATCHERS) == 2  # another content: its own matcher
    econ = custom[custom["frame"] == "economic"]
    assert not econ.empty and set(econ["term"].str.lower()) == {"week"}
