"""Quotes and sources: the issue's seed checks plus hand-made snippets for each rule."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.framing import quotes, sources
from analysis.framing import _patterns as P


def _docs(*texts: str, outlet: str = "Test") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": [f"t{i}" for i in range(len(texts))],
            "outlet": [outlet] * len(texts),
            "title": [""] * len(texts),
            "text": list(texts),
        }
    )


@pytest.fixture(scope="module")
def seed_quotes(seed_docs):
    return quotes(seed_docs)


@pytest.fixture(scope="module")
def seed_sources(seed_docs, seed_quotes):
    from analysis.framing.actors import default_actor_path

    # the seed dictionary explicitly (it has sides); None would use the discovered actors
    return sources(seed_docs, default_actor_path(), quote_table=seed_quotes).set_index("outlet")


# ----------------------------------------------------------------------------- seeds


def test_columns_and_traceability(seed_docs, seed_quotes):
    for col in ["doc_id", "outlet", "sent_id", "quote_id", "kind", "quote", "speaker",
                "speaker_resolved", "reporting_verb", "verb_class", "anonymous",
                "institutional", "start", "end", "sentence"]:
        assert col in seed_quotes.columns
    texts = dict(zip(seed_docs["doc_id"], seed_docs["text"]))
    direct = seed_quotes[seed_quotes["kind"] == "direct"]
    for r in direct.itertuples():
        # the offsets point at the quoted text, marks included
        span = texts[r.doc_id][r.start : r.end]
        assert span[0] in '"“' and span[-1] in '"”'
        assert r.quote in span
    assert seed_quotes["quote_id"].is_unique


def test_jean_pierre_quoted_in_all_five(seed_docs, seed_quotes):
    kjp = seed_quotes[
        seed_quotes["speaker_resolved"].map(lambda s: P.compact(s).endswith("jeanpierre"))
        & (seed_quotes["kind"] == "direct")
    ]
    assert set(kjp["outlet"]) == set(seed_docs["outlet"])
    assert len(set(seed_docs["outlet"])) == 5


def test_pronoun_resolved_to_full_name(seed_quotes):
    abc = seed_quotes[(seed_quotes["doc_id"] == "000") & (seed_quotes["speaker_mention"] == "she")]
    assert len(abc) >= 1
    assert set(abc["speaker_resolved"]) == {"Karine Jean-Pierre"}
    # Bloomberg writes the surname only later: "Jean-Pierre said" -> its own full spelling
    bb = seed_quotes[(seed_quotes["doc_id"] == "003") & (seed_quotes["speaker_mention"] == "Jean-Pierre")]
    assert len(bb) >= 1
    assert set(bb["speaker_resolved"]) == {"Karine-Jean Pierre"}


def test_ap_accused_is_evaluative(seed_quotes):
    ap = seed_quotes[(seed_quotes["doc_id"] == "002") & (seed_quotes["quote"] == "retreating")]
    assert len(ap) == 1
    row = ap.iloc[0]
    assert row["reporting_verb"] == "accused"
    assert row["verb_class"] == "evaluative"
    assert row["speaker_resolved"] == "Benjamin Netanyahu"


def test_anonymous_sources_per_outlet(seed_quotes, seed_sources):
    for outlet in ["AP", "Reuters republisher", "VOI"]:
        assert seed_sources.loc[outlet, "n_anonymous"] >= 2, outlet
    bb = seed_quotes[seed_quotes["outlet"] == "Bloomberg"]
    assert not bb["sentence"].str.contains("condition of anonymity|person familiar").any()
    assert not bb["anonymous"].any()
    # ABC's "a U.S. official told ABC News" is unnamed, and so are the later "the official said"
    abc = seed_quotes[(seed_quotes["doc_id"] == "000") & seed_quotes["speaker_mention"].str.contains("official")]
    assert len(abc) >= 3
    assert abc["anonymous"].all()
    assert not abc["speaker_resolved"].str.contains("Jean|Netanyahu").any()


def test_sources_counts_add_up(seed_sources):
    s = seed_sources
    assert (s["n_named"] + s["n_anonymous"] + s["n_institutional"] + s["n_unknown"] == s["n_quotes"]).all()
    assert (s["n_direct"] + s["n_indirect"] == s["n_quotes"]).all()
    assert ((s["quotes_per_1k_words"] - 1000 * s["n_quotes"] / s["n_words"]).abs() < 1e-9).all()
    assert ((s["share_anonymous"] - s["n_anonymous"] / s["n_quotes"]).abs() < 1e-9).all()
    # sides from the seed actor dictionary; each quote counted once
    side_cols = [c for c in s.columns if c.startswith("n_side_")]
    assert "n_side_us" in side_cols and "n_side_israel" in side_cols
    assert (s[side_cols].sum(axis=1) == s["n_quotes"]).all()
    assert (s.loc["AP", "n_side_israel"]) >= 5  # Netanyahu's quotes


def test_institutional_sources(seed_quotes):
    wh = seed_quotes[seed_quotes["speaker_mention"].str.lower().str.contains("white house$", regex=True)]
    assert len(wh) >= 3 and wh["institutional"].all()
    office = seed_quotes[seed_quotes["speaker_mention"] == "Netanyahu's office"]
    assert len(office) == 1 and office["institutional"].all()


# ----------------------------------------------------------------------------- snippets


@pytest.mark.parametrize(
    "text, quote, speaker, verb",
    [
        ('"We will go," she said.', "We will go,", "she", "said"),
        ("“We will go,” said press secretary Ann Lee.", "We will go,", "press secretary Ann Lee", "said"),
        ("Ann Lee told reporters: “We will go.”", "We will go.", "Ann Lee", "told"),
        ('Mr. Lee called the plan "reckless" on Monday.', "reckless", "Mr. Lee", "called"),
        ('"It is urgent" to act now, Lee said.', "It is urgent", "Lee", "said"),
        ('Lee insisted the vote was "fair."', "fair.", "Lee", "insisted"),
    ],
)
def test_direct_quote_attribution(text, quote, speaker, verb):
    q = quotes(_docs(text))
    d = q[q["kind"] == "direct"]
    assert len(d) == 1
    assert d.iloc[0]["quote"] == quote
    assert d.iloc[0]["speaker_mention"] == speaker
    assert d.iloc[0]["reporting_verb"] == verb


def test_verb_classes():
    q = quotes(_docs('Lee claimed the vote was "rigged." Kim said the vote was "clean."'))
    d = q[q["kind"] == "direct"].set_index("quote")
    assert d.loc["rigged.", "verb_class"] == "evaluative"
    assert d.loc["clean.", "verb_class"] == "neutral"


def test_indirect_quotes_and_according_to():
    text = ("Officials said that the talks would resume next week. "
            "The plan was dropped, the official said. "
            "Ten people died, according to a person familiar with the matter.")
    q = quotes(_docs(text))
    ind = q[q["kind"] == "indirect"].reset_index(drop=True)
    assert list(ind["reporting_verb"]) == ["said", "said", "according to"]
    assert ind.loc[0, "quote"] == "the talks would resume next week."
    assert ind.loc[1, "quote"] == "The plan was dropped"
    assert ind.loc[2, "quote"] == "Ten people died"
    assert ind.loc[2, "speaker_mention"] == "a person familiar with the matter"
    assert ind["anonymous"].tolist() == [True, True, True]


def test_named_resolution_and_pronouns():
    text = ('Defense Secretary Lloyd Austin spoke first. "We are ready," Austin said. '
            '"We will stay," he added.')
    q = quotes(_docs(text))
    d = q[q["kind"] == "direct"]
    assert list(d["speaker_resolved"]) == ["Lloyd Austin", "Lloyd Austin"]
    assert not d["anonymous"].any()


def test_anonymity_phrase_makes_unnamed():
    text = ("An official, who spoke on condition of anonymity, confirmed that the trip was off. "
            "The Pentagon said the trip was off.")
    q = quotes(_docs(text)).set_index("reporting_verb")
    assert q.loc["confirmed", "anonymous"]
    assert q.loc["said", "institutional"] and not q.loc["said", "anonymous"]


def test_paragraph_continuation_keeps_speaker():
    q = quotes(_docs('Ann Lee spoke. "We are working," she told reporters.\n\n"And we will finish."'))
    d = q[q["kind"] == "direct"]
    assert list(d["speaker_resolved"]) == ["Ann Lee", "Ann Lee"]
    assert list(d["reporting_verb"]) == ["told", ""]


def test_title_only_speakers():
    text = ("Foreign Minister Ann Lee arrived on Monday. The minister said the talks had failed. "
            "A minister said the talks would go on. The ambassador said nothing was agreed.")
    q = quotes(_docs(text)).reset_index(drop=True)
    assert list(q["speaker_resolved"][:2]) == ["Ann Lee", "A minister"]
    assert list(q["source_type"]) == ["named", "anonymous", "unknown"]


@pytest.mark.parametrize(
    "text",
    [
        'He said "unbalanced and never closed.',
        '”Closing first, then opening “ and nothing.',
        '"""""',
        "'single' and ‘curly single’ and it’s fine",
        "",
        "   ",
        'A "quote across\n\na paragraph break" here.',
    ],
)
def test_unbalanced_marks_never_crash(text):
    q = quotes(_docs(text))
    assert set(q["kind"]) <= {"direct", "indirect"}
    for r in q.itertuples():
        assert 0 <= r.start <= r.end <= len(text)


def test_quote_spans_rules():
    assert P.quote_spans('a "b" c "d" e') == [(2, 5), (8, 11)]
    assert P.quote_spans("a “b” c ”d” e") == [(2, 5)]  # stray closing mark ignored
    assert P.quote_spans('a "b\n\nc" d') == []  # never across a paragraph break
    assert P.quote_spans("x “a “b” y") == [(5, 8)]  # the unmatched first opener is dropped


def test_bad_docs():
    with pytest.raises(ParameterError, match="doc_id"):
        quotes(pd.DataFrame({"text": ["a"]}))
    with pytest.raises(ParameterError, match="DataFrame"):
        quotes(["not", "a", "frame"])


def test_inputs_not_modified(seed_docs):
    before = seed_docs.copy()
    quotes(seed_docs)
    pd.testing.assert_frame_equal(before, seed_docs)


def test_quote_spanning_sentences():
    text = 'Ann Lee spoke. "We are ready. We will stay. Nobody leaves," Lee said.'
    q = quotes(_docs(text))
    d = q[q["kind"] == "direct"]
    assert len(d) == 1
    assert d.iloc[0]["quote"] == "We are ready. We will stay. Nobody leaves,"
    assert d.iloc[0]["speaker_resolved"] == "Ann Lee"
    assert d.iloc[0]["sent_id"] == 1


def test_sides_from_a_user_dictionary():
    actors = {"actors": {"Lee": {"aliases": ["Lee", "Ann Lee"], "side": "north"},
                         "Kim": {"aliases": ["Kim"], "side": "south"}}}
    text = 'Ann Lee said the deal was done. Kim said the deal was dead. "Never," an aide said.'
    s = sources(_docs(text), actors).iloc[0]
    assert (s["n_side_north"], s["n_side_south"], s["n_side_none"]) == (1, 1, 1)
    assert (s["n_named"], s["n_anonymous"]) == (2, 1)


def test_place_modifier_keeps_source_unnamed():
    q = quotes(_docs("Gaza health officials say 40 people died. Hamas official Basem Naim said the talks were over."))
    assert list(q["source_type"]) == ["anonymous", "named"]
    assert q.iloc[1]["speaker_resolved"] == "Basem Naim"


# ----------------------------------------------------------------------------- parse-aided rules


def test_design_columns_and_aliases(seed_quotes):
    for col in ["speaker_mention", "speaker_type"]:
        assert col in seed_quotes.columns
    assert (seed_quotes["speaker"] == seed_quotes["speaker_resolved"]).all()
    assert (seed_quotes["speaker_type"] == seed_quotes["source_type"]).all()
    assert set(seed_quotes["kind"]) <= {"direct", "indirect", "term"}


def test_continued_quotation_keeps_speaker():
    q = quotes(_docs('Ann Lee spoke first. "We are ready," Lee said. "We will stay."'))
    d = q[q["kind"] == "direct"]
    assert list(d["quote"]) == ["We are ready,", "We will stay."]
    assert list(d["speaker"]) == ["Ann Lee", "Ann Lee"]
    assert list(d["reporting_verb"]) == ["said", ""]


def test_sentence_opener_is_not_a_speaker():
    text = ("Ann Lee spoke in Paris on Monday.\n\n"
            "But she aimed her fire at the council, saying the talks had failed completely.")
    q = quotes(_docs(text))
    row = q[q["reporting_verb"] == "saying"].iloc[0]
    assert row["speaker_mention"] == "she"
    assert row["speaker"] == "Ann Lee"


def test_pronoun_follows_gender_of_the_article():
    text = ('Ms. Ann Lee met Mr. Tom Berg in Paris. "We agree," Berg said.\n\n'
            '"It is done," she said.')
    q = quotes(_docs(text))
    d = q[q["kind"] == "direct"]
    assert list(d["speaker"]) == ["Tom Berg", "Ann Lee"]


def test_scare_quotes_and_titles_are_terms():
    text = ('The campaign ran an ad titled "Strong" in the state.\n\n'
            'Lee blamed "progressivism" for the loss.\n\n'
            'Mr. Lee called the plan "reckless" on Monday.')
    q = quotes(_docs(text))
    kinds = dict(zip(q["quote"], q["kind"]))
    assert kinds["Strong"] == "term"
    assert kinds["progressivism"] == "term"
    assert kinds["reckless"] == "direct"
    terms = q[q["kind"] == "term"]
    assert (terms["speaker"] == "").all() and (terms["reporting_verb"] == "").all()
    # terms are not counted as quotes by sources()
    assert int(sources(_docs(text)).iloc[0]["n_quotes"]) == int((q["kind"] != "term").sum())


def test_pronoun_prefers_the_latest_subject_over_the_last_speaker():
    text = ("Emmanuel Macron met Donald Trump on Tuesday.\n\n"
            "Macron said the deal was an important part of stabilising the region.\n\n"
            "Trump agreed that the deal was a problem.\n\n"
            '"It is a disaster," he said.')
    q = quotes(_docs(text))
    d = q[q["kind"] == "direct"]
    assert list(d["speaker_mention"]) == ["he"]
    assert list(d["speaker"]) == ["Donald Trump"]


def test_lowercase_subject_from_the_parse_and_more_verbs():
    text = ('Ann Lee spoke first.\n\n'
            '"It is still morning," she posited.\n\n'
            '"Who knew about the call?" reads one question sent to the lawyers.')
    q = quotes(_docs(text))
    d = q[q["kind"] == "direct"].reset_index(drop=True)
    assert list(d["reporting_verb"]) == ["posited", "reads"]
    assert d.loc[0, "speaker"] == "Ann Lee"
    assert d.loc[1, "speaker"] != "one" and d.loc[1, "speaker"] != ""


def test_description_stands_for_the_last_named_speaker():
    text = ('Donald Trump said he would skip the debate.\n\n'
            'The real estate mogul said the moderators were unfair to him.')
    q = quotes(_docs(text))
    assert list(q["speaker"]) == ["Donald Trump", "Donald Trump"]
    assert list(q["speaker_mention"]) == ["Donald Trump", "The real estate mogul"]


def test_place_before_a_participle_is_not_its_speaker():
    text = ('Ann Lee spoke in Ohio on Monday.\n\n'
            'To woo voters, she released another ad in Iowa describing herself as a "woman of faith."')
    q = quotes(_docs(text))
    d = q[q["kind"] == "direct"]
    assert list(d["reporting_verb"]) == ["describing"]
    assert list(d["speaker_mention"]) == ["she"]
    assert list(d["speaker"]) == ["Ann Lee"]


def test_written_speech_is_not_a_term():
    q = quotes(_docs('Ann Lee wrote "We will win this fight." Beck wrote "Progressivism" on the board.'))
    kinds = dict(zip(q["quote"], q["kind"]))
    assert kinds["We will win this fight."] == "direct"
    assert kinds["Progressivism"] == "term"


def test_someone_shouting_is_an_anonymous_speaker():
    text = ('When Beck asked what ails the country, someone shouted "The taxes," '
            'though Beck said it is "not that simple."')
    q = quotes(_docs(text))
    d = q[q["kind"] == "direct"].reset_index(drop=True)
    assert list(d["reporting_verb"]) == ["shouted", "said"]
    assert list(d["speaker"]) == ["someone", "Beck"]
    assert list(d["speaker_type"]) == ["anonymous", "named"]


def test_statement_from_a_person_is_that_persons():
    text = ('"We never saw the memo," read a joint statement from House Judiciary Chairman '
            'Bob Goodlatte and others.')
    q = quotes(_docs(text))
    d = q[q["kind"] == "direct"]
    assert list(d["reporting_verb"]) == ["read"]
    assert list(d["speaker"]) == ["Bob Goodlatte"]


# ----------------------------------------------------------------------------- speaker rules


def _speakers(text: str, kind: str = "direct") -> pd.DataFrame:
    q = quotes(_docs(text))
    return q[q["kind"] == kind].reset_index(drop=True)


def test_relative_pronoun_speaks_for_its_antecedent():
    text = ('The ad was denounced by the Harbor Alliance, a veterans group, which said it was '
            '"wrong for the mayor to forget the sailors."')
    d = _speakers(text)
    assert list(d["reporting_verb"]) == ["said"]
    assert list(d["speaker"]) == ["Harbor Alliance"]


def test_passive_reporting_verb_has_no_speaker_without_an_agent():
    text = ("Ann Lee spoke to reporters on Monday.\n\n"
            "The plans obtained by the Herald are said to be the result of months of talks.")
    ind = _speakers(text, "indirect")
    row = ind[ind["reporting_verb"] == "said"].iloc[0]
    # not "the Herald": the paper obtained the plans, it does not say anything
    assert row["speaker"] == "" and row["speaker_type"] == "unknown"


def test_survey_speaks_for_its_owner():
    text = ("Lee won just six percent of the vote among likely voters, according to a "
            "Harbor Gazette poll released Saturday.")
    ind = _speakers(text, "indirect")
    assert list(ind["speaker"]) == ["Harbor Gazette"]
    assert list(ind["speaker_mention"]) == ["a Harbor Gazette poll released Saturday"]


def test_document_speaks_for_its_author():
    text = ('"We never saw the memo," read a joint statement from Chairman Bob Goodlatte.\n\n'
            'The hearing was delayed twice.\n\n'
            '"The director leaked at least one memo," the statement read.')
    d = _speakers(text)
    assert list(d["speaker_mention"]) == ["Chairman Bob Goodlatte", "the statement"]
    assert list(d["speaker"]) == ["Bob Goodlatte", "Bob Goodlatte"]


def test_written_questions_speak_for_who_asks_them():
    text = ("Special counsel Robert Mueller hopes to ask President Donald Trump dozens of "
            "questions as part of his inquiry.\n\n"
            '"What did you know about the calls?" reads one question. "Why did you fire '
            'the director?" another asks.')
    d = _speakers(text)
    assert list(d["speaker"]) == ["Robert Mueller", "Robert Mueller"]
    assert list(d["speaker_mention"]) == ["one question", "another"]


def test_another_without_a_document_is_an_unnamed_source():
    text = ('"The plan will fail," one union official said. "It is a trap," another said.')
    d = _speakers(text)
    assert list(d["speaker_type"]) == ["anonymous", "anonymous"]
    assert d.loc[1, "speaker_mention"] == "another"


def test_title_without_a_holder_is_the_person_just_quoted():
    text = ('Republican presidential candidate Rick Perry pledged to end the war on religion.\n\n'
            '"I am not ashamed to admit I am a Christian," says Perry.\n\n'
            '"As president, I will fight for our heritage," the Texas governor continues.')
    d = _speakers(text)
    assert list(d["speaker"]) == ["Rick Perry", "Rick Perry"]
    assert d.loc[1, "speaker_mention"] == "the Texas governor"


def test_title_in_an_appositive_names_its_holder():
    text = ("Ann Lee, the foreign minister, arrived on Monday.\n\n"
            "Later, the minister said the talks had failed.")
    ind = _speakers(text, "indirect")
    assert list(ind["speaker"]) == ["Ann Lee"]
    # a clause boundary is no appositive: "before Christmas, the minister said"
    text2 = "Before Christmas, the minister said the talks had failed."
    assert list(_speakers(text2, "indirect")["speaker_type"]) == ["unknown"]


def test_praise_attributes_the_words_it_quotes():
    text = ('Trump went on to praise Gingrich and Santorum for "having the courage" to '
            'agree to the debate.')
    d = _speakers(text)
    assert list(d["speaker"]) == ["Trump"]
    assert list(d["verb_class"]) == ["evaluative"]
    # praise with a noun object reports no speech
    assert len(_speakers(text, "indirect")) == 0


def test_quote_after_a_sentence_ending_in_its_attribution():
    # the first quotation closes with an opening mark, so it is lost; the next one still
    # belongs to the speaker whose verb ends the previous sentence
    text = ('Glenn Beck spoke for an hour.\n\n'
            '\u201cWho can guarantee you happiness?\u201c he asked. \u201cTiger Woods was not happy.\u201d')
    d = _speakers(text)
    assert list(d["quote"]) == ["Tiger Woods was not happy."]
    assert list(d["speaker"]) == ["Glenn Beck"]


def test_dateline_is_not_the_author_of_the_questions():
    text = ("WASHINGTON (AFP) \u2013 Special Counsel Robert Mueller has submitted questions to the "
            "White House.\n\n"
            '"When did you become aware of the meeting?" one question asks.')
    d = _speakers(text)
    assert d.loc[0, "speaker"].endswith("Robert Mueller")


def test_reported_clause_quoting_a_fragment_is_also_an_indirect_quote():
    text = ('Trump said he wanted to make sure there is no "conflict of interest" next year.\n\n'
            'Beck told the crowd, "People need to understand that life is not fair."')
    q = quotes(_docs(text))
    ind = q[q["kind"] == "indirect"]
    # the clause around the fragment is reported speech; "told the crowd," only
    # introduces a direct quotation
    assert list(ind["quote"]) == ['he wanted to make sure there is no "conflict of interest" next year.']
    assert list(ind["speaker"]) == ["Trump"]
    assert list(q[q["kind"] == "direct"]["speaker"]) == ["Trump", "Beck"]
    # only the subject outside the marks: the quotation is the reported clause, no indirect
    q2 = quotes(_docs('His office said the minister "did not approve the trip."'))
    assert list(q2["kind"]) == ["direct"]


def test_place_or_time_before_that_is_not_the_reported_clause():
    text = 'The president said on "Fox & Friends" last week that the lawyer did little work for him.'
    ind = quotes(_docs(text))
    ind = ind[ind["kind"] == "indirect"]
    assert list(ind["quote"]) == ["the lawyer did little work for him."]


def test_sentence_opener_is_no_part_of_a_name():
    text = ("Donald Trump met the governors on Monday.\n\n"
            "Despite Trump's warnings, the talks went on. After Trump said the wall was needed, "
            "the room went quiet.")
    q = quotes(_docs(text))
    ind = q[q["kind"] == "indirect"]
    assert list(ind["speaker"]) == ["Donald Trump"]
