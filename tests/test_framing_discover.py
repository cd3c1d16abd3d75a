"""Discovered actors: grouping rules on hand-written snippets, the YAML round trip, and the
dictionary a report uses."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.framing import (
    actor_labels,
    actor_mentions,
    actors_for_report,
    actors_to_dictionary,
    discover_actors,
    entities,
    load_actor_dictionary,
    sources,
    write_actor_yaml,
)
from analysis.framing.actors import default_actor_path, same_name
from analysis.framing.discover import ACTOR_COLUMNS, actor_yaml_text, discover_mentions


def _docs(*texts: str, outlets=None) -> pd.DataFrame:
    outlets = outlets or [f"Outlet {i}" for i in range(len(texts))]
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "outlet": outlets,
                         "title": [""] * len(texts), "text": list(texts)})


def _actor(table: pd.DataFrame, alias: str) -> pd.Series:
    """The one row whose aliases contain ``alias``."""
    rows = table[table["aliases"].map(lambda a: alias in a)]
    assert len(rows) == 1, (alias, table[["actor", "aliases"]])
    return rows.iloc[0]


VARIANTS = _docs(
    "White House spokeswoman Karine Jean-Pierre said on Monday that talks with Israel would "
    "continue. Defense Minister Yoav Gallant arrived in Washington. Gallant met officials.",
    "Karin Jean-Pierre told reporters that the meeting was useful. Israeli national security "
    "adviser Tzachi Hanegbi joined the talks. Galant, though not part of the delegation, was there.",
    "Press Secretary Karine-Jean Pierre said the trip was off. Tzahi Hanegbi declined to comment. "
    "Jean-Pierre repeated the point on Tuesday.",
)
TRUMP = _docs(
    "President Trump said on Monday that he would sign the bill. Mr. Trump spoke at length.",
    "Donald Trump signed the bill. Trump later left for Florida.",
    "Trump was asked about it. President Donald Trump declined to answer.",
)
CLINTON = _docs(
    "Hillary Clinton spoke in Ohio on Monday. Clinton said the race was close.",
    "Bill Clinton campaigned in Iowa. Clinton told voters to turn out. Hillary Clinton was in Ohio.",
)
FLOOD = _docs(
    "Mayor Linda Okafor said the river rose overnight in Millbrook. Okafor ordered an evacuation.",
    "Linda Okafor, the mayor of Millbrook, thanked volunteers. Fire chief Tom Reyes said crews "
    "worked all night. Reyes praised the volunteers.",
)


@pytest.fixture(scope="module")
def variants():
    return discover_actors(VARIANTS, min_mentions=1)


def test_columns_and_types(variants):
    assert list(variants.columns) == ACTOR_COLUMNS
    assert set(variants["type"]) <= {"person", "organisation", "state/place", "group"}
    assert (variants["n_mentions"] >= variants["n_docs"]).all()
    assert (variants["n_docs"] >= variants["n_outlets"]).all()
    assert list(variants["n_mentions"]) == sorted(variants["n_mentions"], reverse=True)


def test_spelling_variants_grouped(variants):
    kjp = _actor(variants, "Karine Jean-Pierre")
    assert kjp["actor"] == "Karine Jean-Pierre" and kjp["type"] == "person"
    assert {"Karin Jean-Pierre", "Karine-Jean Pierre", "Jean-Pierre"} <= set(kjp["aliases"])
    assert kjp["n_outlets"] == 3
    hanegbi = _actor(variants, "Tzachi Hanegbi")
    assert set(hanegbi["aliases"]) == {"Tzachi Hanegbi", "Tzahi Hanegbi"}
    gallant = _actor(variants, "Yoav Gallant")
    assert {"Gallant", "Galant"} <= set(gallant["aliases"])
    assert gallant["n_mentions"] == 3


def test_titles_and_possessives_stripped():
    t = discover_actors(_docs("Prime Minister Benjamin Netanyahu's office said no. Netanyahu's aides agreed.",
                              "PM Netanyahu left. Benjamin Netanyahu spoke later."), min_mentions=1)
    row = _actor(t, "Netanyahu")
    assert row["actor"] == "Benjamin Netanyahu"
    assert set(row["aliases"]) == {"Netanyahu", "Benjamin Netanyahu"}
    assert row["n_mentions"] == 4


def test_putin_of_russia_not_merged():
    t = discover_actors(_docs("President Vladimir Putin of Russia met the envoy in Moscow. Putin said Russia wanted peace.",
                              "Russian officials said Vladimir Putin would attend. Russia denied the report."),
                        min_mentions=1)
    putin, russia = _actor(t, "Vladimir Putin"), _actor(t, "Russia")
    assert putin["actor"] != russia["actor"]
    assert set(putin["aliases"]) == {"Vladimir Putin", "Putin"} and putin["type"] == "person"
    assert russia["type"] == "state/place"
    assert "Russian" in russia["aliases"]  # the demonym joins its state


def test_kim_joins_kim_jong_un():
    t = discover_actors(_docs("North Korean leader Kim Jong Un met officials. Kim smiled.",
                              "Kim Jong Un crossed the border. Kim then spoke for an hour."), min_mentions=1)
    row = _actor(t, "Kim Jong Un")
    assert row["actor"] == "Kim Jong Un" and set(row["aliases"]) == {"Kim", "Kim Jong Un"}
    assert row["n_mentions"] == 4


def test_trump_forms_one_actor():
    t = discover_actors(TRUMP)
    row = _actor(t, "Trump")
    assert row["actor"] == "Donald Trump"
    assert set(row["aliases"]) == {"Trump", "Donald Trump"}  # "Mr."/"President" stripped
    assert row["n_mentions"] == 6 and row["n_outlets"] == 3


def test_two_people_sharing_a_surname_kept_apart():
    t = discover_actors(CLINTON, min_mentions=1)
    people = t[t["type"] == "person"].set_index("actor")
    assert {"Hillary Clinton", "Bill Clinton"} <= set(people.index)
    # the bare "Clinton" goes to the one its article named last
    m = discover_mentions(CLINTON, min_mentions=1)
    bare = m[m["mention"] == "Clinton"].set_index("doc_id")["actor"]
    assert bare["d0"] == "Hillary Clinton" and bare["d1"] == "Bill Clinton"
    assert people.loc["Hillary Clinton", "n_mentions"] == 3
    assert people.loc["Bill Clinton", "n_mentions"] == 2


def test_ambiguous_surname_by_honorific():
    docs = _docs("First lady Melania Trump and President Donald Trump hosted the dinner. "
                 "Later that night, far from the hall, the guests left. Mrs. Trump wore white. "
                 "Mr. Trump spoke.")
    m = discover_mentions(docs, min_mentions=1)
    got = dict(zip(m["start"], m["actor"]))
    text = docs["text"][0]
    assert got[text.index("Trump wore")] == "Melania Trump"
    assert got[text.index("Trump spoke")] == "Donald Trump"


def test_gates_is_not_games():
    assert same_name("Gates", "Games") is False
    docs = _docs("Bill Gates gave money to the foundation. Gates said it would fund vaccines.",
                 "The Olympic Games open in Paris next week. The Games will cost billions. Gates did not attend.")
    t = discover_actors(docs, min_mentions=1)
    gates = _actor(t, "Gates")
    assert gates["actor"] == "Bill Gates" and not any("Games" in a for a in gates["aliases"])
    e = entities(docs)
    assert not (e["spelling"].str.contains("Games") & (e["canonical"] == "Bill Gates")).any()


def test_united_states_one_actor():
    t = discover_actors(_docs("The United States acted. US officials spoke. America will decide.",
                              "The U.S. said it would act. The United States sent aid."), min_mentions=1)
    row = _actor(t, "U.S.")
    assert row["actor"] == "United States" and set(row["aliases"]) == {"United States", "US", "U.S.", "America"}
    assert row["n_mentions"] == 5


def test_white_house_is_not_a_president():
    t = discover_actors(_docs("The White House said President Barack Obama would sign it. Obama agreed.",
                              "White House officials said Obama was pleased."), min_mentions=1)
    wh, obama = _actor(t, "White House"), _actor(t, "Obama")
    assert wh["actor"] == "White House" and obama["actor"] == "Barack Obama"


def test_publisher_naming_itself_is_not_an_actor():
    docs = _docs("Fox News reported that Senator Jane Doe spoke. Doe said no.",
                 "The senator told Fox News that Jane Doe was wrong. Fox News aired it.",
                 outlets=["Fox News", "Other Paper"])
    m = discover_mentions(docs, min_mentions=1)
    fox = m[m["mention"] == "Fox News"]
    assert set(fox["doc_id"]) == {"d1"}  # kept where another outlet reports on it


def test_junk_dropped():
    t = discover_actors(_docs("Mr. said nothing on Monday, January 5. The 2024 Budget passed. "
                              "Sen. X spoke. Ann Lee and Ann Lee met Bob Ray."), min_mentions=1)
    names = set(t["actor"])
    assert not names & {"Mr.", "Monday", "January", "X", "Sen."}
    assert "Ann Lee" in names


def test_min_mentions_and_bad_parameters():
    t1 = discover_actors(FLOOD, min_mentions=1)
    t3 = discover_actors(FLOOD, min_mentions=3)
    assert set(t3["actor"]) == set(t1.loc[t1["n_mentions"] >= 3, "actor"])
    with pytest.raises(ParameterError, match="min_mentions"):
        discover_actors(FLOOD, min_mentions=0)
    with pytest.raises(ParameterError):
        discover_actors(pd.DataFrame({"x": [1]}))
    empty = discover_actors(FLOOD.iloc[:0])
    assert list(empty.columns) == ACTOR_COLUMNS and empty.empty


def test_input_not_modified():
    before = FLOOD.copy()
    discover_actors(FLOOD)
    pd.testing.assert_frame_equal(FLOOD, before)


# ----------------------------------------------------------------------------- defaults


def test_story_without_seed_actors_gets_its_own_people():
    t = discover_actors(FLOOD)
    assert {"Linda Okafor", "Tom Reyes"} <= set(t["actor"])
    m = actor_mentions(FLOOD)  # actors=None: the story's own actors, not the seed dictionary
    assert {"Linda Okafor", "Tom Reyes"} <= set(m["actor"])
    assert not set(m["actor"]) & set(load_actor_dictionary(default_actor_path()))
    lab = actor_labels(FLOOD)
    assert "Linda Okafor" in set(lab["actor"])
    assert set(lab["actor"]) <= set(t["actor"])


def test_sources_by_side_only_with_sides():
    s = sources(FLOOD)
    assert not [c for c in s.columns if c.startswith("n_side_")]
    seed = sources(FLOOD, default_actor_path())
    assert "n_side_israel" in seed.columns


def test_security_council_inside_a_longer_name():
    seed = default_actor_path()
    m = actor_mentions(_docs("The National Security Council met. The U.N. Security Council voted. "
                             "The Security Council adjourned."), seed)
    assert list(m["mention"]) == ["U.N. Security Council", "Security Council"]
    assert set(m["actor"]) == {"United Nations"}


# ----------------------------------------------------------------------------- YAML


def test_yaml_round_trip(tmp_path, variants):
    path = write_actor_yaml(variants, tmp_path / "story_actors.yaml")
    back = load_actor_dictionary(path)
    assert back == actors_to_dictionary(variants)
    assert back["Karine Jean-Pierre"]["type"] == "person"
    m = actor_mentions(VARIANTS, path)
    assert set(m.loc[m["mention"].str.contains("Hanegbi"), "actor"]) == {"Tzachi Hanegbi"}


def test_yaml_aliases_are_literal(tmp_path):
    table = pd.DataFrame({
        "actor": ["AT*T", "Yahoo!", "Who?", "C++ (Group)"], "type": ["organisation"] * 4,
        "aliases": [["AT*T"], ["Yahoo!"], ["Who?"], ["C++ (Group)"]], "n_mentions": [3, 2, 2, 2],
        "n_outlets": [1, 1, 1, 1], "n_docs": [1, 1, 1, 1],
    })
    d = actors_to_dictionary(table)
    assert d["AT*T"]["aliases"] == ["AT\\*T"] and d["Who?"]["aliases"] == ["Who\\?"]
    path = write_actor_yaml(table, tmp_path / "a.yaml")
    assert load_actor_dictionary(path) == d
    assert "AT\\*T" in actor_yaml_text(table) or "AT\\\\*T" in actor_yaml_text(table)
    text = "ATxT and ATT said no. AT*T said yes. C++ (Group) agreed. Who? asked Whom."
    m = actor_mentions(_docs(text), path)
    assert list(m["mention"]) == ["AT*T", "C++ (Group)", "Who?"]


def test_alias_owned_by_one_actor():
    table = pd.DataFrame({"actor": ["Hillary Clinton", "Bill Clinton"], "type": ["person", "person"],
                          "aliases": [["Hillary Clinton", "Clinton"], ["Bill Clinton", "Clinton"]],
                          "n_mentions": [5, 3]})
    d = actors_to_dictionary(table)
    assert d["Hillary Clinton"]["aliases"] == ["Hillary Clinton", "Clinton"]
    assert d["Bill Clinton"]["aliases"] == ["Bill Clinton"]
    with pytest.raises(ParameterError, match="discover_actors"):
        actors_to_dictionary(pd.DataFrame({"x": [1]}))
    with pytest.raises(ParameterError, match=".yaml"):
        write_actor_yaml(table, "actors.txt")


# ----------------------------------------------------------------------------- reports


def test_actors_for_report_provenance(tmp_path, seed_docs):
    seed = default_actor_path()
    # no parameter, seed corpus
    d, t = actors_for_report(seed_docs, "", None)
    assert set(t["source"]) == {f"file:{seed}"} and "Hamas" in d
    assert list(t.columns) == ["actor", "type", "side", "aliases", "source"]
    # an explicit file
    f = tmp_path / "mine.yaml"
    f.write_text("actors:\n  Linda Okafor:\n    aliases: [Okafor, Linda Okafor]\n    side: city\n", encoding="utf-8")
    d, t = actors_for_report(FLOOD, str(f), tmp_path)
    assert list(d) == ["Linda Okafor"] and list(t["source"]) == [f"file:{f}"] and list(t["side"]) == ["city"]
    # the corpus folder's own actors.yaml
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "actors.yaml").write_text("actors:\n  Tom Reyes: [Reyes]\n", encoding="utf-8")
    d, t = actors_for_report(FLOOD, "", corpus)
    assert list(d) == ["Tom Reyes"] and list(t["source"]) == [f"file:{corpus / 'actors.yaml'}"]
    # a folder without one: discovered
    bare = tmp_path / "bare"
    bare.mkdir()
    d, t = actors_for_report(FLOOD, "", bare)
    assert set(t["source"]) == {"discovered"}
    assert {"Linda Okafor", "Tom Reyes"} <= set(d) and t["type"].notna().all()


def test_actors_for_report_bad_path(tmp_path):
    with pytest.raises(ParameterError, match=r"actors=.*no such file.*actor dictionary"):
        actors_for_report(FLOOD, str(tmp_path / "missing.yaml"), None)
    (tmp_path / "x.txt").write_text("hi", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"actors=.*\.yaml"):
        actors_for_report(FLOOD, str(tmp_path / "x.txt"), None)


# ----------------------------------------------------------------------------- seeds


def test_seed_story_discovered(seed_docs):
    t = discover_actors(seed_docs)
    for name in ["Benjamin Netanyahu", "Joe Biden", "Karine Jean-Pierre", "Yoav Gallant",
                 "Tzachi Hanegbi", "Ron Dermer", "Hamas", "Israel", "United Nations", "United States"]:
        assert name in set(t["actor"]), name
    assert "White House" not in _actor(t, "Biden")["aliases"]
    un = _actor(t, "U.N.")
    assert un["actor"] == "United Nations" and un["type"] == "organisation"


@pytest.mark.parametrize(
    "x, y, same",
    [
        ("Donald J. Trump", "Donald Trump", True),
        ("Jim Mattis", "James Mattis", True),  # a common short form of the first name
        ("Robert S. Mueller III", "Robert Mueller", True),
        ("Karine-Jean Pierre", "Karine Jean-Pierre", True),
        ("Hillary Rodham Clinton", "Hillary Clinton", True),
        ("George W. Bush", "George H. W. Bush", False),  # father and son
        ("Hillary Clinton", "Bill Clinton", False),
        ("Kim Jong Un", "Kim Jong Il", False),
    ],
)
def test_person_name_compatibility(x, y, same):
    from analysis.framing.discover import _persons_compatible

    assert _persons_compatible(x, y) is same


def test_short_form_first_name_joins():
    t = discover_actors(_docs("Defense Secretary Jim Mattis resigned. Mattis wrote a letter.",
                              "James Mattis, the defense secretary, left. Mattis was praised."), min_mentions=1)
    row = _actor(t, "Jim Mattis")
    assert set(row["aliases"]) == {"Jim Mattis", "James Mattis", "Mattis"} and row["n_mentions"] == 4


def test_entities_join_trump_and_keep_putin_from_russia():
    e = entities(TRUMP)
    ids = e.groupby("spelling")["entity_id"].unique()
    assert list(ids["Trump"]) == list(ids["Donald Trump"])
    assert set(e.loc[e["spelling"] == "Trump", "canonical"]) == {"Donald Trump"}
    e2 = entities(_docs("President Vladimir Putin of Russia met the envoy. Putin said Russia wanted peace."))
    ids2 = e2.groupby("spelling")["entity_id"].unique()
    assert list(ids2["Putin"]) == list(ids2["Vladimir Putin"]) != list(ids2["Russia"])


def test_empty_dictionary_gives_empty_tables():
    docs = _docs("the river rose overnight and everyone left early.")
    assert discover_actors(docs).empty and actors_to_dictionary(discover_actors(docs)) == {}
    assert actor_labels(docs, {}).empty and actor_mentions(docs, {}).empty
    assert not [c for c in sources(docs, {}).columns if c.startswith("n_side_")]


def test_hyphenated_names_and_brackets():
    docs = _docs("Chick-fil-A president Dan Cathy spoke. [Barack] Obama said Chick-fil-A was wrong. "
                 "Hamas-run Gaza suffered.", "Chick-fil-A fans came. Barack Obama spoke. Hamas said no.")
    t = discover_actors(docs, min_mentions=1)
    assert set(_actor(t, "Chick-fil-A")["aliases"]) == {"Chick-fil-A"}
    assert set(_actor(t, "Barack Obama")["aliases"]) == {"Barack Obama", "Obama"}
    assert set(_actor(t, "Hamas")["aliases"]) == {"Hamas"}  # not "Hamas-run"


def test_alias_after_a_descriptive_adjective_still_matches():
    seed = default_actor_path()
    m = actor_mentions(_docs("The Islamist Hamas movement said no. Sunday Netanyahu spoke."), seed)
    assert list(m["actor"]) == ["Hamas", "Benjamin Netanyahu"]


def test_father_and_son_apart_outlet_styles_joined():
    family = _docs("Donald Trump Jr. met the lawyer. His father, President Donald Trump, defended him. "
                   "Trump Jr. later spoke.", "Donald Trump Jr. released the emails. Donald Trump Jr. apologised.")
    t = discover_actors(family, min_mentions=1)
    assert _actor(t, "Donald Trump Jr.")["actor"] != _actor(t, "Donald Trump")["actor"]
    assert "Trump Jr." in _actor(t, "Donald Trump Jr.")["aliases"]
    styles = _docs("Vice President Joseph R. Biden Jr. spoke. Mr. Biden smiled.", "Joe Biden spoke. Biden left.")
    row = _actor(discover_actors(styles, min_mentions=1), "Joe Biden")
    assert {"Joseph R. Biden Jr.", "Joe Biden", "Biden"} <= set(row["aliases"])


def test_local_titles_stripped_and_street_names_not_people():
    t = discover_actors(_docs(
        "Councillor Alan Pryce said the vote would go ahead. Residents of Mill Lane were evacuated.",
        "Pryce told reporters the council had no choice. Water reached Mill Lane by noon."), min_mentions=1)
    pryce = _actor(t, "Pryce")
    assert pryce["actor"] == "Alan Pryce" and pryce["type"] == "person"
    assert "Councillor Alan Pryce" not in pryce["aliases"]
    lane = t[t["actor"] == "Mill Lane"]
    assert (lane["type"] != "person").all()


def test_a_titled_surname_read_as_an_organisation_is_the_person_possessive_too():
    docs = _docs(
        "Sheriff Joe Arpaio of Maricopa County endorsed Rick Perry on Tuesday. Arpaio praised the governor.",
        "Sheriff Arpaio's office said the sheriff would campaign. Joe Arpaio spoke in Iowa.",
        "Sheriff Arpaio's deputies were sued. The sheriff denied wrongdoing, and Arpaio left.",
        outlets=["A", "B", "C"])
    table = discover_actors(docs)
    arpaio = table[table["actor"].str.contains("Arpaio")]
    assert len(arpaio) == 1 and arpaio["type"].iloc[0] == "person", table[["actor", "type"]]
    lab = actor_labels(docs, actors=actors_to_dictionary(table))
    who = set(lab.loc[lab["label"].str.lower() == "sheriff", "actor"])
    assert who == {arpaio["actor"].iloc[0]}, lab[["actor", "label", "label_kind"]]


def test_a_participle_after_the_name_is_a_designation_only_in_the_passive():
    from analysis.framing.actors import _DESIGNATION

    def label(after: str):
        m = _DESIGNATION.match(after)
        return m.group(1) if m else None

    assert label(", considered a terrorist group by the U.S.") == "terrorist group"
    assert label(" was designated a terrorist group.") == "terrorist group"
    assert label(" who was branded a traitor.") == "traitor"
    # the name is the one who considers: his view of something else, not a label of him
    assert label(" considered ill-advised and that ended in tragedy.") is None
    assert label(" considered making a third-party run.") is None
