"""Actor dictionary, labels, mentions and entity grouping."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.framing import actor_labels, entities, load_actor_dictionary
from analysis.framing.actors import actor_mentions, actor_summary, default_actor_path, same_name

# the seed story's dictionary, passed explicitly: without one the functions use the story's
# discovered actors (tests/test_framing_discover.py)
SEED = default_actor_path()


def _docs(*texts: str, outlets=None) -> pd.DataFrame:
    outlets = outlets or ["Test"] * len(texts)
    return pd.DataFrame(
        {"doc_id": [f"t{i}" for i in range(len(texts))], "outlet": outlets,
         "title": [""] * len(texts), "text": list(texts)}
    )


@pytest.fixture(scope="module")
def labels(seed_docs):
    return actor_labels(seed_docs, SEED)


@pytest.fixture(scope="module")
def ents(seed_docs):
    return entities(seed_docs)


def _hamas(labels, outlet):
    return labels[(labels["actor"] == "Hamas") & (labels["outlet"] == outlet)]


# ----------------------------------------------------------------------------- seeds


def test_abc_calls_hamas_terrorists_outside_quotes(labels):
    abc = _hamas(labels, "ABC News")
    terror = abc[abc["label"].str.contains("terrorist")]
    assert {"terrorists", "terrorist group"} <= set(terror["label"])
    assert not terror["in_quote"].any()
    row = terror[terror["label"] == "terrorists"].iloc[0]
    assert "Hamas terrorists" in row["sentence"]


def test_bloomberg_designated_terrorist_group(labels):
    bb = _hamas(labels, "Bloomberg")
    des = bb[bb["label_kind"] == "designation"]
    assert list(des["label"]) == ["terrorist group"]
    assert "designated a terrorist group" in des.iloc[0]["sentence"]


def test_ap_militant_group(labels):
    ap = _hamas(labels, "AP")
    assert (ap["label"] == "militant group").sum() == 2
    assert not ap["label"].str.contains("terror").any()


@pytest.mark.parametrize("outlet", ["ABC News", "AP", "Reuters republisher"])
def test_hamas_run_or_controlled(labels, outlet):
    comp = _hamas(labels, outlet)
    comp = comp[comp["label_kind"] == "compound"]
    assert comp["label"].isin(["Hamas-run", "Hamas-controlled"]).any()


def test_bloomberg_and_voi_have_no_compound(labels):
    for outlet in ["Bloomberg", "VOI"]:
        assert not (_hamas(labels, outlet)["label_kind"] == "compound").any()


def test_labels_traceable(seed_docs, labels):
    texts = dict(zip(seed_docs["doc_id"], seed_docs["text"]))
    heads = dict(zip(seed_docs["doc_id"], seed_docs["title"]))
    for r in labels.itertuples():
        # headline rows have offsets into the title
        src = heads[r.doc_id] if r.in_headline else texts[r.doc_id]
        assert src[r.start : r.end].lower().startswith(r.label.lower()[:5]) or r.label_kind == "anaphor"
        assert r.sentence in src


def test_anaphor_links_by_title_and_side(labels):
    bb = labels[(labels["outlet"] == "Bloomberg") & (labels["label"] == "israeli leader")]
    assert list(bb["actor"]) == ["Benjamin Netanyahu"]  # not Biden, named just before


def test_mentions_and_summary(seed_docs):
    m = actor_mentions(seed_docs, SEED)
    assert {"doc_id", "outlet", "sent_id", "sentence", "actor", "mention", "in_quote"} <= set(m.columns)
    s = actor_summary(seed_docs, SEED).set_index(["outlet", "actor"])
    # counts agree with the row-level table
    for (outlet, actor), n in m.groupby(["outlet", "actor"]).size().items():
        assert s.loc[(outlet, actor), "n_mentions"] == n
    # every outlet names Netanyahu; the longest alias wins (no double count of "Benjamin")
    assert (s.xs("Benjamin Netanyahu", level="actor")["n_mentions"] >= 2).all()
    first = m[(m["doc_id"] == "000") & (m["sent_id"] == 0) & (m["actor"] == "Benjamin Netanyahu")]
    assert list(first["mention"]) == ["Benjamin Netanyahu"]


# ----------------------------------------------------------------------------- snippets

SNIPPET_ACTORS = {
    "actors": {
        "Hamas": {"aliases": ["Hamas*"], "type": "group", "side": "p"},
        "Ann Lee": {"aliases": ["Lee", "Ann Lee"], "type": "person", "side": "a"},
        "US": {"aliases": ["US", "U.S."], "type": "state"},
    }
}


@pytest.mark.parametrize(
    "text, label, kind",
    [
        ("Rockets were fired from Hamas-ruled Gaza.", "Hamas-ruled", "compound"),
        ("The militant group Hamas rejected it.", "militant group", "premodifier"),
        ("Shots came from Hamas gunmen.", "gunmen", "head_noun"),
        ("Talks with Hamas, which is designated as a terrorist organization by the EU, stalled.",
         "terrorist organization", "designation"),
        ("Talks with Hamas, the group that runs Gaza, stalled.", "the group that runs Gaza", "appositive"),
        ("Hamas is an Islamist movement.", "Islamist movement", "predicate_noun"),
        ("Foreign Minister Ann Lee spoke.", "Foreign Minister", "premodifier"),
        ("Hamas said no. The militant group later said yes.", "militant group", "anaphor"),
    ],
)
def test_label_rules(text, label, kind):
    lab = actor_labels(_docs(text), SNIPPET_ACTORS)
    got = lab[lab["label_kind"] == kind]
    assert label in list(got["label"]), lab[["label", "label_kind"]]


def test_in_quote_flag():
    lab = actor_labels(_docs('Lee said: "Hamas terrorists attacked." Hamas fighters left.'), SNIPPET_ACTORS)
    kinds = lab[lab["label_kind"] == "head_noun"].set_index("label")["in_quote"]
    assert bool(kinds["terrorists"]) is True
    assert bool(kinds["fighters"]) is False


def test_case_sensitive_alias():
    m = actor_mentions(_docs("Tell us what the US wants."), SNIPPET_ACTORS)
    assert list(m["mention"]) == ["US"]


# ----------------------------------------------------------------------------- entities


def _group_of(ents, spelling):
    ids = set(ents.loc[ents["spelling"] == spelling, "entity_id"])
    assert len(ids) == 1, (spelling, ids)
    return ids.pop()


def test_spelling_variants_grouped(ents):
    kjp = {_group_of(ents, s) for s in ["Karine Jean-Pierre", "Karin Jean-Pierre", "Karine-Jean Pierre", "Jean-Pierre"]}
    assert len(kjp) == 1
    assert len({_group_of(ents, s) for s in ["Tzachi Hanegbi", "Tzahi Hanegbi"]}) == 1
    assert len({_group_of(ents, s) for s in ["Gallant", "Galant", "Yoav Gallant"]}) == 1
    g = ents[ents["entity_id"] == kjp.pop()]
    assert set(g["canonical"]) == {"Karine Jean-Pierre"}
    # the table says how each outlet spells her
    spelled = dict(zip(g["outlet"], g["spelling"]))
    assert spelled["Reuters republisher"] == "Karin Jean-Pierre"


def test_distinct_people_not_merged(ents):
    people = ["Joe Biden", "Jake Sullivan", "Benjamin Netanyahu", "Antony Blinken", "Lloyd Austin",
              "Ron Dermer", "Yoav Gallant"]
    ids = [_group_of(ents, p) for p in people]
    assert len(set(ids)) == len(people)
    assert _group_of(ents, "Israel") != _group_of(ents, "Israeli")


@pytest.mark.parametrize(
    "x, y, same",
    [
        ("Karine Jean-Pierre", "Karin Jean-Pierre", True),
        ("Karine Jean-Pierre", "Karine-Jean Pierre", True),
        ("Tzachi Hanegbi", "Tzahi Hanegbi", True),
        ("Gallant", "Galant", True),
        ("Joe Biden", "Jake Sullivan", False),
        ("Israel", "Israeli", False),
        ("Ron Dermer", "Ron Deer", False),
        ("Lloyd Austin", "Lloyd Justin", False),
        ("Hamas", "Hama", False),
    ],
)
def test_same_name(x, y, same):
    assert same_name(x, y) is same


# ----------------------------------------------------------------------------- bad input


def test_invalid_yaml_names_line():
    bad = "actors:\n  Hamas:\n    aliases: [Hamas\n    side: p\n"
    with pytest.raises(ParameterError, match=r"line \d+") as exc:
        load_actor_dictionary(bad)
    assert "YAML" in str(exc.value) and "Fix" in str(exc.value)


def test_empty_alias_list_names_actor():
    with pytest.raises(ParameterError, match="'Hamas'.*empty alias list"):
        load_actor_dictionary("actors:\n  Hamas:\n    aliases: []\n")


def test_unknown_field_names_field_and_line():
    with pytest.raises(ParameterError, match=r"'alias'.*line 3.*allowed fields"):
        load_actor_dictionary("actors:\n  Hamas:\n    alias: [Hamas]\n")
    with pytest.raises(ParameterError, match="unknown top-level field 'actor'"):
        load_actor_dictionary("actors:\n  Hamas: [Hamas]\nactor: 1\n")


def test_file_and_shorthand(tmp_path):
    p = tmp_path / "a.yaml"
    p.write_text("actors:\n  Lee: [Lee, Ann Lee]\n", encoding="utf-8")
    d = load_actor_dictionary(p)
    assert d == {"Lee": {"aliases": ["Lee", "Ann Lee"], "side": None, "type": None}}
    with pytest.raises(ParameterError, match="not found"):
        load_actor_dictionary(tmp_path / "missing.yaml")


def test_default_dictionary_loads():
    d = load_actor_dictionary()
    assert {"Hamas", "Israel", "Benjamin Netanyahu", "Joe Biden", "Karine Jean-Pierre", "Yoav Gallant",
            "Tzachi Hanegbi", "Ron Dermer", "United Nations", "Palestinians"} <= set(d)
    assert all(spec["aliases"] for spec in d.values())


# ----------------------------------------------------------------------------- parsed rules

STORY_ACTORS = {
    "actors": {
        "Donald Trump": {"aliases": ["Trump", "Donald Trump"], "type": "person", "side": "us"},
        "Emmanuel Macron": {"aliases": ["Macron", "Emmanuel Macron"], "type": "person", "side": "france"},
        "Vladimir Putin": {"aliases": ["Putin"], "type": "person", "side": "russia"},
        "Russia": {"aliases": ["Russia", "Moscow"], "type": "state", "side": "russia"},
        "Kim Jong Un": {"aliases": ["Kim Jong Un", "Kim"], "type": "person", "side": "north_korea"},
        "Migrant caravan": {"aliases": ["Migrant caravan", "migrant caravan"], "type": "group", "side": "migrants"},
        "Hamas": {"aliases": ["Hamas*"], "type": "group", "side": "p"},
    }
}


def _story(text: str, title: str = "") -> pd.DataFrame:
    return actor_labels(pd.DataFrame({"doc_id": ["s"], "outlet": ["X"], "title": [title], "text": [text]}),
                        STORY_ACTORS)


def _pairs(lab: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(lab["actor"], lab["label"].str.lower()))


def test_honorifics_are_not_labels():
    lab = _story("Mr. Trump met Mrs. Macron's husband. Dr. Putin left.")
    assert not lab["label"].str.lower().str.rstrip(".").isin({"mr", "mrs", "ms", "dr"}).any()
    assert len(lab) == 0


def test_adjectival_premodifier_evaluative():
    lab = _story("North Korean dictator Kim Jong Un fired a missile.")
    row = lab[(lab["actor"] == "Kim Jong Un") & (lab["label_kind"] == "premodifier")]
    assert list(row["label"]) == ["North Korean dictator"]
    assert bool(row["evaluative"].iloc[0]) is True


def test_title_goes_to_its_holder_and_demonym_agrees():
    text = ("President Trump hosted French President Emmanuel Macron. Macron spoke first. "
            "The president said the deal was insane. The American president left early. "
            "The French president stayed.")
    lab = _story(text)
    desc = lab[lab["label_kind"] == "description"]
    got = dict(zip(desc["start"], desc["actor"]))
    assert got[text.index("The president") + 4] == "Donald Trump"  # Macron was named last
    assert got[text.index("The American president") + 4] == "Donald Trump"  # never Macron
    assert got[text.index("The French president") + 4] == "Emmanuel Macron"


def test_free_standing_description_by_name_word_and_type():
    lab = _story("The caravan reached Tijuana on Sunday. Hundreds of migrants waited. Trump was angry.")
    assert {("Migrant caravan", "caravan"), ("Migrant caravan", "migrants")} <= _pairs(lab)
    caravan = lab[lab["label"] == "caravan"].iloc[0]
    assert caravan["label_kind"] == "description" and caravan["start"] == 4


def test_peoples_and_officials_of_a_state():
    lab = _story("Putin denied it. The Russians and Russian officials met a Russian ambassador.")
    assert {("Russia", "russians"), ("Russia", "russian officials"), ("Russia", "russian ambassador")} <= _pairs(lab)
    assert ("Vladimir Putin", "russian ambassador") not in _pairs(lab)


def test_two_leaders_go_to_both():
    lab = _story("Trump greeted Macron at the White House. The two leaders planted a tree.")
    two = lab[lab["label"].str.lower() == "two leaders"]
    assert set(two["actor"]) == {"Donald Trump", "Emmanuel Macron"}


def test_headline_read_and_marked():
    lab = _story("Trump spoke on Monday.", title="Hamas-run ministry says 20 dead")
    head = lab[lab["in_headline"]]
    assert list(head["label"]) == ["Hamas-run"]
    assert list(head["sent_id"]) == [-1] and list(head["start"]) == [0]
    assert not lab[~lab["in_headline"]]["label"].str.contains("Hamas").any()


def test_designation_attributed_to_designators():
    lab = _story("Hamas, designated a terrorist group by the US and EU, said no. "
                 "Hamas militants fired rockets.")
    des = lab[lab["label_kind"] == "designation"]
    assert list(des["label"]) == ["terrorist group"]
    assert list(des["attributed_to"]) == ["US and EU"]
    other = lab[lab["label_kind"] != "designation"]
    assert other["attributed_to"].isna().all()


def test_case_variants_merged():
    lab = _story("The caravan moved. Trump attacked the Caravan. The caravan stopped.")
    assert set(lab.loc[lab["actor"] == "Migrant caravan", "label"]) == {"caravan"}


def test_labels_do_not_modify_input():
    docs = pd.DataFrame({"doc_id": ["s"], "outlet": ["X"], "title": ["T"], "text": ["The caravan moved."]})
    before = docs.copy()
    actor_labels(docs, STORY_ACTORS)
    pd.testing.assert_frame_equal(docs, before)


def test_parsed_appositive_and_predicate_noun():
    text = ("Kim Jong Un, the head of a repressive government, met envoys. "
            "The caravan was a threat, Trump said.")
    lab = _story(text)
    ap = lab[(lab["actor"] == "Kim Jong Un") & (lab["label_kind"] == "appositive")]
    assert ap["label"].str.startswith("the head of a repressive government").any()
    assert bool(ap["evaluative"].any()) is True  # "repressive"
    pr = lab[(lab["actor"] == "Migrant caravan") & (lab["label_kind"] == "predicate_noun")]
    assert list(pr["label"]) == ["threat"]


def test_members_stand_for_the_group_and_administration_for_the_state():
    actors = {"actors": dict(STORY_ACTORS["actors"],
                             **{"United States": {"aliases": ["United States"], "type": "state", "side": "us"}})}
    text = "The migrant caravan's members waited. The Trump administration refused. His administration is firm."
    lab = actor_labels(pd.DataFrame({"doc_id": ["s"], "outlet": ["X"], "title": [""], "text": [text]}), actors)
    assert ("Migrant caravan", "migrant caravan's members") in _pairs(lab)
    us = lab[lab["actor"] == "United States"]
    # "His administration" -> the state of the person named last; "the Trump administration"
    # is the state's government too, and keeps the name rule's head noun on Trump
    assert list(us["label"].str.lower()) == ["trump administration", "administration"]
    assert list(us["start"]) == [text.index("Trump administration"), text.index("His administration") + 4]
    trump = lab[(lab["actor"] == "Donald Trump") & (lab["label_kind"] == "head_noun")]
    assert list(trump["label"]) == ["administration"]


def test_lists_comparisons_and_role_nouns_are_not_labels():
    actors = {"actors": dict(STORY_ACTORS["actors"],
                             **{"France": {"aliases": ["France"], "type": "state", "side": "france"},
                                "Trump's lawyers": {"aliases": ["Trump's lawyers"], "type": "group"}})}
    text = ("The signatories include France, the United Kingdom and Germany. "
            "The caravan moved on. It is not the same group as the marchers. "
            "Lawyers who went to Tijuana denied it.")
    lab = actor_labels(pd.DataFrame({"doc_id": ["s"], "outlet": ["X"], "title": [""], "text": [text]}), actors)
    assert not (lab["actor"] == "France").any()
    assert "same group" not in set(lab["label"].str.lower())
    assert not (lab["label"].str.lower() == "lawyers").any()


def test_qualified_title_needs_the_same_title():
    actors = {"actors": dict(STORY_ACTORS["actors"],
                             **{"Robert Mueller": {"aliases": ["Mueller", "Robert Mueller"], "type": "person", "side": "us"}})}
    text = ("Special counsel Robert Mueller sent questions. The special counsel waited. "
            "The White House counsel, Don McGahn, threatened to resign.")
    lab = actor_labels(pd.DataFrame({"doc_id": ["s"], "outlet": ["X"], "title": [""], "text": [text]}), actors)
    desc = lab[lab["label_kind"] == "description"]
    assert list(desc["label"].str.lower()) == ["special counsel"]
    assert list(desc["actor"]) == ["Robert Mueller"]


US_STORY = {"actors": dict(STORY_ACTORS["actors"], **{
    "United States": {"aliases": ["United States", "U.S."], "type": "state", "side": "us"},
    "France": {"aliases": ["France"], "type": "state", "side": "france"},
    "Trump's lawyers": {"aliases": ["Trump's lawyers", "Trump's legal team"], "type": "group", "side": "us"},
})}


def _us(text: str) -> pd.DataFrame:
    return actor_labels(pd.DataFrame({"doc_id": ["s"], "outlet": ["X"], "title": [""], "text": [text]}), US_STORY)


def test_institutions_stand_for_their_state_but_not_as_places_or_titles():
    text = ("The Justice Department refused. The White House said no. Trump met Macron in the Oval Office. "
            "The former FBI director spoke. The House of Saud stayed silent. The Kremlin denied it.")
    lab = _us(text)
    inst = lab[lab["label_kind"] == "institution"]
    assert list(zip(inst["actor"], inst["label"])) == [("United States", "Justice Department"),
                                                        ("United States", "White House"),
                                                        ("Russia", "Kremlin")]
    assert not inst["evaluative"].any()  # a name is no judgment ("Justice")
    assert "Oval Office" not in set(lab["label"])  # a meeting place
    assert not ((lab["label"] == "FBI") & (lab["actor"] == "United States")).any()  # a person's title


def test_institutions_need_the_state_among_the_actors():
    lab = actor_labels(pd.DataFrame({"doc_id": ["s"], "outlet": ["X"], "title": [""],
                                     "text": ["The Pentagon and the Knesset said no. Trump left."]}), STORY_ACTORS)
    assert not (lab["label_kind"] == "institution").any()  # no American or Israeli state in the story


def test_state_named_as_modifier_of_its_agents():
    lab = _us("The migrants met U.S. immigration officials on Sunday. Trump was there.")
    assert ("United States", "u.s. immigration officials") in _pairs(lab)


def test_capitalised_title_after_determiner_is_a_description():
    lab = _us("President Trump hosted Macron. The President spoke first.")
    desc = lab[lab["label_kind"] == "description"]
    assert list(zip(desc["actor"], desc["label"])) == [("Donald Trump", "President")]


def test_owned_group_by_possessor_and_for_object():
    text = ("President Trump met Mueller. The president's lawyers objected. "
            "His legal team wrote a letter. Jay Sekulow, a lawyer for Mr. Trump, declined.")
    lab = _us(text)
    group = lab[lab["actor"] == "Trump's lawyers"]
    assert set(group["label"].str.lower()) == {"president's lawyers", "legal team"}
    assert "lawyer" not in set(group["label"].str.lower())  # one lawyer is not the group


def test_two_countries_from_their_leaders():
    text = "Trump welcomed Macron. Macron praised the friendship between the two countries."
    lab = _us(text)
    two = lab[lab["label"].str.lower() == "two countries"]
    assert set(two["actor"]) == {"United States", "France"}


def test_we_are_a_country_and_emerged_as():
    text = ("Some migrants entered the United States illegally. \"We are a very welcoming country,\" "
            "an official said. Macron, who has emerged as Trump's most trusted European ally, smiled.")
    lab = _us(text)
    us = lab[(lab["actor"] == "United States") & (lab["label_kind"] == "predicate_noun")]
    assert list(us["label"]) == ["very welcoming country"]
    assert bool(us["in_quote"].iloc[0]) is True
    mac = lab[(lab["actor"] == "Emmanuel Macron") & (lab["label_kind"] == "predicate_noun")]
    assert list(mac["label"]) == ["Trump's most trusted European ally"]
    assert bool(mac["evaluative"].iloc[0]) is True


def test_demonym_description_and_regions_languages_members():
    text = ("Kim Jong Un fired a missile. Critics attacked the North Korean leader. "
            "Caravans of Central Americans came north. Macron spoke in French. "
            "Trump and members of his Cabinet tracked the migrant caravan.")
    lab = _story(text)
    assert ("Kim Jong Un", "north korean leader") in _pairs(lab)
    assert "Central Americans" not in set(lab["label"])
    assert "French" not in set(lab["label"])
    assert not (lab["label"].str.lower() == "members").any()


def test_dateline_is_no_premodifier():
    lab = _story("WASHINGTON — Kim Jong Un spoke.")
    assert not lab["label"].str.contains("WASHINGTON").any()


def test_designation_attributed_to_its_designators_not_the_outlet():
    lab = _story("Hamas, which is designated a terrorist organization by the United States, fired rockets.")
    des = lab[lab["label_kind"] == "designation"]
    assert list(des["label"]) == ["terrorist organization"]
    assert list(des["attributed_to"]) == ["United States"]
    assert bool(des["evaluative"].iloc[0]) is True


def test_agents_anaphors_and_possessed_countries():
    actors = {"actors": dict(US_STORY["actors"], **{
        "United Kingdom": {"aliases": ["Britain"], "type": "state", "side": "uk"},
        "James Comey": {"aliases": ["Comey"], "type": "person", "side": "us"}})}
    text = ("The FBI opened a case. The bureau declined to comment. Comey met former British spy "
            "Christopher Steele and Russian Ambassador Sergey Kislyak. Comey met Trump. "
            "Putin said his country was strong.")
    lab = actor_labels(pd.DataFrame({"doc_id": ["s"], "outlet": ["X"], "title": [""], "text": [text]}), actors)
    pairs = _pairs(lab)
    assert {("United States", "bureau"), ("United Kingdom", "former british spy"),
            ("Russia", "russian ambassador"), ("Russia", "country")} <= pairs


def test_name_used_as_modifier_and_one_member_are_not_labels():
    text = ("Mueller charged Gates. The former Trump campaign official is cooperating. "
            "Rubio Diaz, a migrant from Guatemala, traveled with the migrant caravan. Hundreds of migrants waited.")
    lab = _story(text)
    assert not ((lab["actor"] == "Donald Trump") & (lab["label"] == "former")).any()
    caravan = lab[lab["actor"] == "Migrant caravan"]
    assert "migrant" not in set(caravan["label"])  # one member is not the group
    assert "migrants" in set(caravan["label"])


def test_modifiers_of_a_title_holder_are_not_labels_of_the_place_or_party_before_the_title():
    # "Controversial Arizona Sheriff Joe Arpaio": controversial is the sheriff, not Arizona
    actors = {"actors": {
        "Arizona": {"aliases": ["Arizona"], "type": "state", "side": "us"},
        "Minnesota": {"aliases": ["Minnesota"], "type": "state", "side": "us"},
        "Mexico": {"aliases": ["Mexican", "Mexico"], "type": "state", "side": "mexico"},
        "Republicans": {"aliases": ["Republican", "Republicans"], "type": "organisation", "side": "us"},
        "Joe Arpaio": {"aliases": ["Arpaio"], "type": "person", "side": "us"}}}
    text = ("Controversial Arizona Sheriff Joe Arpaio endorsed Perry. Former Minnesota Gov. Tim Pawlenty "
            "earned 6 percent. The former Mexican president questioned the wall. The embattled Republican "
            "governor of Maine spoke. Mexico is a proud nation. Mexico, a key ally, refused. "
            "The embattled Republicans met.")
    lab = actor_labels(pd.DataFrame({"doc_id": ["s"], "outlet": ["X"], "title": [""], "text": [text]}), actors)
    pairs = _pairs(lab)
    for actor, word in [("Arizona", "controversial"), ("Minnesota", "former"), ("Mexico", "former"),
                        ("Republicans", "embattled")]:
        assert not any(a == actor and word in label and label != "embattled" for a, label in pairs), (actor, word, pairs)
    # the same names keep their own labels where no title follows them
    assert {("Mexico", "proud nation"), ("Mexico", "a key ally"), ("Republicans", "embattled")} <= pairs
    assert len(lab[(lab["actor"] == "Republicans") & (lab["label"] == "embattled")]) == 1  # the party's own, not the governor's


def test_people_named_by_migration_status_go_only_to_a_population_of_migrants():
    # before: "illegal immigrants" went to the nearest group actor, a party or a TV channel
    actors = {"actors": {
        "Republicans": {"aliases": ["Republican", "Republicans"], "type": "group", "side": "us"},
        "CNBC": {"aliases": ["CNBC"], "type": "organisation", "side": "us"}}}
    text = ("Perry spoke after the Republican debate about illegal immigrants. CNBC reported that "
            "the undocumented immigrants would stay.")
    lab = actor_labels(pd.DataFrame({"doc_id": ["s"], "outlet": ["X"], "title": [""], "text": [text]}), actors)
    assert not lab["label"].str.contains("immigrants").any(), lab[["actor", "label"]]
    actors["actors"]["Migrant caravan"] = {"aliases": ["caravan"], "type": "group", "side": "honduras"}
    text = "The caravan reached the border on Monday. The migrants waited at the gate."
    lab = actor_labels(pd.DataFrame({"doc_id": ["s"], "outlet": ["X"], "title": [""], "text": [text]}), actors)
    assert ("Migrant caravan", "migrants") in _pairs(lab)


def test_the_country_refers_only_to_a_country_not_to_a_us_state_a_county_or_a_company():
    # discovered places are "state/place": "the country" after Iowa is the United States
    actors = {"actors": {
        "Iowa": {"aliases": ["Iowa"], "type": "state/place"},
        "Maricopa County": {"aliases": ["Maricopa County"], "type": "state/place"},
        "Chick-fil-A": {"aliases": ["Chick-fil-A"], "type": "state/place"},
        "United States": {"aliases": ["U.S.", "America"], "type": "state/place"}}}
    text = ("America watched the vote. Iowa ranks second in the country in farm sales. "
            "Maricopa County is the fourth largest in the nation. Chick-fil-A has stores across the country.")
    lab = actor_labels(pd.DataFrame({"doc_id": ["s"], "outlet": ["X"], "title": [""], "text": [text]}), actors)
    got = lab[lab["label"].isin(["country", "nation"])]
    # the third is too far from the last country named (two sentences): left unlinked
    assert set(got["actor"]) == {"United States"} and len(got) == 2, got[["actor", "label"]]
    # a country the kit's list names, whatever the dictionary calls it
    from analysis.framing.actors import _is_country

    assert _is_country("the U.K.", {"type": "state/place"}) and _is_country("Burma", {"type": "place"})
    assert not _is_country("Texas", {"type": "state/place"}) and not _is_country("Georgia", {"type": "state/place"})
    assert _is_country("Texas", {"type": "state"})  # the user's own dictionary decides


def test_words_that_pick_or_describe_another_noun_are_not_labels_of_the_name():
    actors = {"actors": {
        "Republicans": {"aliases": ["Republican", "Republicans"], "type": "group"},
        "Boeing": {"aliases": ["Boeing"], "type": "organisation"},
        "Donald Trump": {"aliases": ["Trump"], "type": "person"}}}
    text = ("Other Republicans quickly criticized him. Many Republicans stayed home. Shanahan is a former "
            "Boeing executive. The ad was made by two longtime Republican strategists. "
            "President Trump and Democratic leaders dug in. The moderate Republicans objected.")
    lab = actor_labels(pd.DataFrame({"doc_id": ["s"], "outlet": ["X"], "title": [""], "text": [text]}), actors)
    pairs = _pairs(lab)
    assert not {("Republicans", "other"), ("Republicans", "many"), ("Boeing", "former"),
                ("Republicans", "longtime")} & pairs, pairs
    # a name joined to another phrase by "and" keeps its title; a plain adjective stays
    assert {("Donald Trump", "president"), ("Republicans", "moderate")} <= pairs


def test_titles_of_other_places_and_other_roles_are_not_the_actors():
    actors = {"actors": dict(US_STORY["actors"], **{
        "Ukraine": {"aliases": ["Kyiv"], "type": "state", "side": "ukraine"}})}
    text = ("President Trump met Putin. Manafort worked for the former president of Ukraine. "
            "Trump attended a meeting with the Russian lawyer. The Russian leader smiled.")
    lab = actor_labels(pd.DataFrame({"doc_id": ["s"], "outlet": ["X"], "title": [""], "text": [text]}), actors)
    desc = lab[lab["label_kind"] == "description"]
    assert "former president" not in set(desc["label"].str.lower())
    assert not ((desc["actor"] == "Vladimir Putin") & (desc["label"].str.lower() == "russian lawyer")).any()
    assert ("Vladimir Putin", "russian leader") in _pairs(desc)


def test_label_counts_counts_uses_quotes_and_designators():
    from analysis.framing import label_counts

    rows = pd.DataFrame({
        "actor": ["Hamas"] * 4, "outlet": ["AP", "AP", "AP", "Bloomberg"],
        "label": ["militant group", "militant group", "Hamas-run", "terrorist group"],
        "in_quote": [True, False, False, False], "evaluative": [False, False, False, True],
        "attributed_to": [None, None, None, "US and European Union"],
    })
    t = label_counts(rows).set_index(["outlet", "label"])
    assert t.loc[("AP", "militant group"), ["n", "n_in_quote", "n_evaluative"]].tolist() == [2, 1, 0]
    assert t.loc[("AP", "militant group"), "attributed_to"] == ""
    assert t.loc[("Bloomberg", "terrorist group"), ["n", "n_evaluative", "attributed_to"]].tolist() == [1, 1, "US and European Union"]
    assert len(t) == 3
    with pytest.raises(ParameterError, match="label_counts"):
        label_counts(rows.drop(columns="in_quote"))


def _labels_of(text: str, actors: dict) -> set[tuple[str, str]]:
    lab = actor_labels(pd.DataFrame({"doc_id": ["s"], "outlet": ["X"], "title": [""], "text": [text]}), actors)
    return set(zip(lab["actor"], lab["label"].str.lower()))


def test_the_president_is_not_the_vice_president_and_the_former_director_not_the_current_one():
    actors = {"actors": {
        "Donald Trump": {"aliases": ["Donald Trump", "Trump"], "type": "person"},
        "Mike Pence": {"aliases": ["Mike Pence", "Pence"], "type": "person"},
        "Christopher Wray": {"aliases": ["Christopher Wray", "Wray"], "type": "person"},
        "James Comey": {"aliases": ["James Comey", "Comey"], "type": "person"}}}
    text = ("President Donald Trump met lawmakers with Vice President Mike Pence on Friday. "
            "Vice President Pence spoke first. The president said the wall was needed. "
            "FBI Director Christopher Wray testified on Tuesday. Former FBI Director James Comey wrote a book. "
            "The former FBI director said he had kept notes. The fired FBI director smiled.")
    pairs = _labels_of(text, actors)
    # Pence was named last and holds "Vice President": "the president" is still Trump
    assert ("Donald Trump", "president") in pairs and ("Mike Pence", "president") not in pairs, pairs
    assert {("James Comey", "former fbi director"), ("James Comey", "fired fbi director")} <= pairs, pairs
    assert not {("Christopher Wray", "former fbi director"), ("Christopher Wray", "fired fbi director")} & pairs


def test_a_federal_government_is_a_country_and_a_state_government_never_one():
    actors = {"actors": {
        "United States": {"aliases": ["United States", "U.S."], "type": "state/place"},
        "Maricopa County": {"aliases": ["Maricopa County"], "type": "state/place"},
        "Mexico": {"aliases": ["Mexico"], "type": "state/place"},
        "Texas": {"aliases": ["Texas"], "type": "state/place"}}}
    text = ("The United States opened an inquiry into Maricopa County. The federal government said "
            "the county refused. Texas officials met envoys from Mexico. The state government said talks would go on.")
    pairs = _labels_of(text, actors)
    assert ("United States", "federal government") in pairs and ("Maricopa County", "federal government") not in pairs, pairs
    assert ("Mexico", "state government") not in pairs, pairs


def test_rivals_and_allies_are_countries_only_between_states():
    actors = {"actors": {
        "Mexico": {"aliases": ["Mexico"], "type": "state/place"},
        "Texas": {"aliases": ["Texas"], "type": "state/place"},
        "China": {"aliases": ["China"], "type": "state/place"}}}
    text = ("The governor of Texas visited Mexico on Monday. Rivals sought to paint him as weak. "
            "He praised allies at home. China watched. Trump lamented the jobs lost to foreign rivals.")
    pairs = _labels_of(text, actors)
    assert not {p for p in pairs if p[1] in {"rivals", "allies"}}, pairs  # political rivals, his allies: people
    assert ("China", "foreign rivals") in pairs, pairs


def test_verbs_before_a_name_are_not_its_premodifiers():
    actors = {"actors": {
        "Chuck Grassley": {"aliases": ["Chuck Grassley", "Grassley"], "type": "person"},
        "Jim Mattis": {"aliases": ["Jim Mattis", "Mattis"], "type": "person"},
        "James Comey": {"aliases": ["James Comey", "Comey"], "type": "person"},
        "Congress": {"aliases": ["Congress"], "type": "organisation"},
        "Democrats": {"aliases": ["Democrats"], "type": "group"}}}
    lab = actor_labels(pd.DataFrame({
        "doc_id": ["h1", "h2", "b"], "outlet": ["X", "X", "X"],
        "title": ["Dem running for Senate in Iowa mocks Grassley as farmer",
                  "Trump Says Defense Secretary Jim Mattis Will Retire In February", ""],
        "text": ["The race in Iowa is close.", "The secretary will leave.",
                 "Trump frequently complimented Comey on his work. The bill faces a bitterly divided Congress. "
                 "Newly empowered Democrats objected."]}), actors)
    pairs = set(zip(lab["actor"], lab["label"].str.lower()))
    assert not {("Chuck Grassley", "mocks"), ("Jim Mattis", "says defense secretary"),
                ("James Comey", "complimented")} & pairs, pairs
    # the title after the headline verb stays; participles used as adjectives stay
    assert {("Jim Mattis", "defense secretary"), ("Congress", "divided"), ("Democrats", "empowered")} <= pairs, pairs


def test_an_apposition_after_a_persons_home_state_is_the_persons():
    actors = {"actors": {
        "California": {"aliases": ["California"], "type": "state/place"},
        "Chuck Schumer": {"aliases": ["Chuck Schumer", "Schumer"], "type": "person"},
        "United States": {"aliases": ["United States", "U.S."], "type": "state/place"},
        "Iran": {"aliases": ["Iran"], "type": "state/place"}}}
    text = ("Senator Dianne Feinstein of California, the top Democrat on the Senate Judiciary Committee, objected. "
            "Senate Minority Leader Chuck Schumer spoke next. Representative Kevin McCarthy of California, "
            "the incoming minority leader, said nothing. California, the most populous state, sued. "
            "Iran warned the United States. Several foreign governments defied the U.S. on sanctions.")
    pairs = _labels_of(text, actors)
    assert {p[1] for p in pairs if p[0] == "California"} == {"the most populous state"}, pairs  # the state's own apposition only
    assert ("Chuck Schumer", "incoming minority leader") not in pairs, pairs  # McCarthy's, who is no actor
    assert not {p for p in pairs if "foreign governments" in p[1]}, pairs
