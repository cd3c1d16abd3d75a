"""Tests for analysis.story_findings: the story report's key findings in words."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from analysis.compare import compare_outlets
from analysis.errors import ParameterError
from analysis.framing import actors_for_report
from analysis.readability import readability, readability_sentences
from analysis.reuse import shared_passages
from analysis.story_findings import (
    FINDING_COLUMNS,
    findings_html,
    findings_markdown,
    heading_anchor,
    section_anchors,
    story_findings,
    table_of_contents,
)

# --------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seed_findings(seed_docs):
    # the actors the story report uses: the seed corpus folder's actors.yaml
    actors, _table = actors_for_report(seed_docs, "", None)
    return story_findings(seed_docs, actors=actors, seed=0, n_boot=400)


def _by_section(findings: pd.DataFrame, section: str) -> list[str]:
    return findings.loc[findings["section"] == section, "finding"].tolist()


def test_seed_findings_shape(seed_findings):
    assert list(seed_findings.columns) == FINDING_COLUMNS
    assert list(dict.fromkeys(seed_findings["section"])) == [
        "readability", "actor_labels", "claims", "shared_passages", "word_choice", "keyness",
    ]
    assert (seed_findings["finding"].str.len() > 20).all()


def test_seed_readability_names_hardest_and_easiest_with_intervals(seed_docs, seed_findings):
    est = compare_outlets(readability(seed_docs), "flesch_kincaid_grade",
                          sentences=readability_sentences(seed_docs), seed=0, n_boot=400)
    est = est.sort_values("estimate")
    hardest, easiest = est.iloc[-1], est.iloc[0]
    assert (hardest["outlet"], easiest["outlet"]) == ("VOI", "Bloomberg")
    (finding,) = _by_section(seed_findings, "readability")
    assert finding.startswith("VOI is the hardest to read and Bloomberg the easiest")
    for row in (hardest, easiest):
        assert (f"{row['estimate']:.1f} (95 % CI {row['ci_low']:.1f} to {row['ci_high']:.1f})") in finding
    # the two ends' difference is or is not significant; either way the finding says which
    assert ("is not significant" in finding) or ("larger than the sampling noise" in finding)
    evidence = seed_findings.loc[seed_findings["section"] == "readability", "evidence"].iloc[0]
    for outlet in seed_docs["outlet"]:
        assert outlet in evidence
    assert "higher = harder to read" in evidence


def test_seed_hamas_labels_by_outlet(seed_findings):
    labels = _by_section(seed_findings, "actor_labels")
    hamas = [f for f in labels if f.startswith("What the outlets call Hamas:")]
    assert len(hamas) == 1
    parts = dict(p.split(" “", 1) for p in hamas[0].removeprefix("What the outlets call Hamas: ").rstrip(".").split("; ")
                 if "“" in p)
    assert "Hamas terrorists" in parts["ABC News"]
    assert "militant group" in parts["AP"]
    assert "Hamas-run" in parts["Reuters republisher"]
    assert "designation by US and European Union" in parts["Bloomberg"]
    assert "VOI no label" in hamas[0]
    # Hamas carries the most evaluative labels, so it comes first; actors with only titles
    # (Netanyahu: "prime minister", "PM") are no finding
    assert labels[0] == hamas[0]
    assert not any(f.startswith("What the outlets call Benjamin Netanyahu") for f in labels)


def test_seed_death_toll_and_voice(seed_findings):
    claims = _by_section(seed_findings, "claims")
    toll = claims[0]
    assert toll.startswith("Only ABC News and Reuters republisher give a death toll")
    assert "AP, Bloomberg and VOI give none" in toll
    assert "“more than 31,000 people killed”, passive voice naming the agent (Israeli forces)" in toll
    assert ("“more than 32,000 Palestinians killed”, active voice, the agent as subject "
            "(Israel’s military response)") in toll
    assert "according to Gaza's Hamas-controlled Ministry of Health" in toll
    assert any(c.startswith("Only Reuters republisher and VOI give a hostage figure") for c in claims)


def test_seed_wire_copy_pair(seed_findings):
    (finding,) = _by_section(seed_findings, "shared_passages")
    assert finding.startswith("Reuters republisher (001) and VOI (004) share wire copy")
    assert "both are based on Reuters copy" in finding
    assert re.search(r"\d+ identical passage\(s\), \d+ words \(\d+ % of the shorter article\)", finding)


def test_seed_word_choice_and_keyness(seed_findings):
    (wc,) = _by_section(seed_findings, "word_choice")
    assert "more than 31,000 people have been killed by Israeli forces" in wc
    assert "Israel’s military response has killed more than 32,000 Palestinians" in wc
    (key,) = _by_section(seed_findings, "keyness")
    assert key.startswith("No word sets any outlet apart significantly")
    ev = seed_findings.loc[seed_findings["section"] == "keyness", "evidence"].iloc[0]
    assert float(re.search(r"Smallest q = ([\d.]+)", ev).group(1)) >= 0.05


def test_seed_findings_html_holds_the_must_show_items(seed_findings):
    out = str(findings_html(seed_findings, anchors={"readability": ("Readability", "Readability")}))
    ET.fromstring(out)  # well-formed
    for text in ("VOI is the hardest to read", "Hamas terrorists", "militant group",
                 "passive voice naming the agent (Israeli forces)", "share wire copy",
                 '<a href="#Readability">Readability</a>', "Section: word choice"):
        assert text in out
    assert "Gaza&#x27;s Hamas-controlled" in out  # escaped


# --------------------------------------------------------------------------- snippets


def _read_tables(estimates: dict[str, tuple[float, float, float]], pairs: list[tuple[str, str, float, float, float]],
                 metric: str = "flesch_kincaid_grade"):
    outlet_table = pd.DataFrame(
        [{"outlet": o, "metric": metric, "estimate": e, "ci_low": lo, "ci_high": hi, "ci_unit": "document"}
         for o, (e, lo, hi) in estimates.items()]
    )
    pairwise = pd.DataFrame(
        [{"outlet_a": a, "outlet_b": b, "metric": metric, "difference": d, "ci_low": lo, "ci_high": hi}
         for a, b, d, lo, hi in pairs]
    )
    return outlet_table, pairwise


def test_readability_significant_difference_from_tables():
    ot, pw = _read_tables({"A": (12.0, 11.0, 13.0), "B": (8.0, 7.5, 8.5), "C": (10.0, 9.0, 11.0)},
                          [("A", "B", 4.0, 3.0, 5.0), ("A", "C", 2.0, -0.5, 4.5), ("B", "C", -2.0, -3.0, -1.0)])
    (row,) = story_findings(readability_ci=ot, pairwise=pw, parts=["readability"]).itertuples()
    assert row.finding.startswith("A is the hardest to read and B the easiest: Flesch-Kincaid grade "
                                  "12.0 (95 % CI 11.0 to 13.0) against 8.0 (95 % CI 7.5 to 8.5).")
    assert "The difference, 4.0 grades (95 % CI 3.0 to 5.0), is larger than the sampling noise." in row.finding
    assert "2 of 3 outlet pairs differ significantly" in row.finding
    assert "C is harder to read than B by 2.0 grades (95 % CI 1.0 to 3.0)" in row.finding
    assert "A 12.0 (95 % CI 11.0 to 13.0); C 10.0" in row.evidence


def test_readability_nothing_significant_and_reversed_pair():
    # the pair is stored as (easiest, hardest): the finding flips it
    ot, pw = _read_tables({"A": (12.0, 9.0, 15.0), "B": (11.0, 8.0, 14.0)}, [("B", "A", -1.0, -4.0, 2.0)])
    (row,) = story_findings(readability_ci=ot, pairwise=pw, parts=["readability"]).itertuples()
    assert "The difference, 1.0 grades (95 % CI -2.0 to 4.0), is not significant" in row.finding
    assert "No pair of outlets differs significantly (0 of 1 pairs)." in row.finding


def test_readability_reading_ease_runs_the_other_way():
    ot, pw = _read_tables({"A": (60.0, 55.0, 65.0), "B": (40.0, 35.0, 45.0)}, [("A", "B", 20.0, 12.0, 28.0)],
                          metric="flesch_reading_ease")
    (row,) = story_findings(readability_ci=ot, pairwise=pw, parts=["readability"],
                            metric="flesch_reading_ease").itertuples()
    assert row.finding.startswith("B is the hardest to read and A the easiest")
    assert "The difference, 20.0 points (95 % CI 12.0 to 28.0)" in row.finding
    assert "B is harder to read than A by 20.0 points" in row.finding
    assert "higher = easier" in row.evidence


def _labels(rows):
    cols = ["outlet", "actor", "label", "label_kind", "mention", "in_quote", "sentence", "evaluative", "attributed_to"]
    return pd.DataFrame(rows, columns=cols)


def test_labels_ranking_and_rendering():
    labels = _labels([
        ("X", "Group", "terrorists", "head_noun", "Group", False, "Group terrorists struck.", True, None),
        ("X", "Group", "terrorists", "head_noun", "Group", False, "Group terrorists fled.", True, None),
        ("Y", "Group", "militant group", "anaphor", "Group", False, "The militant group said.", False, None),
        ("Y", "Group", "terrorist organisation", "designation", "Group", False, "Group, designated ...", True, "the EU"),
        ("X", "Mayor", "mayor", "premodifier", "Smith", False, "Mayor Smith spoke.", False, None),
        ("Y", "Mayor", "mayor", "premodifier", "Smith", True, "'Mayor Smith', he said.", False, None),
        ("Y", "Mayor", "embattled mayor", "premodifier", "Smith", False, "The embattled mayor ...", True, None),
    ])
    out = story_findings(labels=labels, parts=["actor_labels"], n_actors=1)
    assert len(out) == 1
    # Group has 2 distinct evaluative labels against the Mayor's 1
    assert out.iloc[0]["finding"] == (
        "What the outlets call Group: X “Group terrorists” ×2; "
        "Y “militant group”, “terrorist organisation” (designation by the EU)."
    )
    assert out.iloc[0]["evidence"].startswith("2 evaluative label(s). X: “Group terrorists struck.”")
    both = story_findings(labels=labels, parts=["actor_labels"], n_actors=2)
    assert both.iloc[1]["finding"] == (
        "What the outlets call Mayor: X “mayor”; Y “mayor” (in a quote), “embattled mayor”."
    )
    # without evaluative labels only the most diversely labelled actor is reported
    plain = labels.assign(evaluative=False)
    (row,) = story_findings(labels=plain, parts=["actor_labels"], n_actors=3).itertuples()
    assert row.finding.startswith("What the outlets call Group:")
    assert row.evidence == "X: “Group terrorists struck.” Y: “The militant group said.”"


def _claims(rows):
    cols = ["outlet", "number", "number_text", "qualifier", "counted", "category", "verb", "voice", "agent",
            "attribution", "sentence"]
    return pd.DataFrame(rows, columns=cols)


def test_claims_without_any_casualty_figure_says_so():
    table = _claims([("A", 7.0, "7", "", "Oct. 7", "date", "", "none", "", "", "On Oct. 7 it began.")])
    (row,) = story_findings(claim_table=table, parts=["claims"]).itertuples()
    assert row.finding == "No outlet gives a death toll or other casualty figure."


def test_claims_every_outlet_and_voices():
    table = _claims([
        ("A", 30.0, "30", "at least", "people", "casualties", "killed", "passive_no_agent", "", "", "At least 30 people were killed."),
        ("B", 28.0, "28", "", "people", "casualties", "died", "intransitive", "", "police said", "28 people died, police said."),
    ])
    (row,) = story_findings(claim_table=table, parts=["claims"]).itertuples()
    assert row.finding == (
        "Every outlet gives a death toll or other casualty figure. "
        "A: “at least 30 people killed”, passive voice without an agent. "
        "B: “28 people died”, no agent (the counted are the subject), attributed: police said."
    )
    assert row.evidence == "A: “At least 30 people were killed.” B: “28 people died, police said.”"


def _passages(rows):
    cols = ["doc_a", "doc_b", "outlet_a", "outlet_b", "kind", "text_a", "n_words"]
    return pd.DataFrame(rows, columns=cols)


def _docs(n_words: dict[str, int], wire: dict[str, str] | None = None) -> pd.DataFrame:
    docs = pd.DataFrame({
        "doc_id": list(n_words),
        "outlet": [f"Outlet {d}" for d in n_words],
        "text": [" ".join(["word"] * n) for n in n_words.values()],
    })
    if wire is not None:
        docs["wire_source"] = [wire.get(d, "") for d in n_words]
    return docs


def test_wire_copy_share_threshold():
    docs = _docs({"1": 100, "2": 200, "3": 100}, wire={"1": "AP", "2": "AP"})
    passages = _passages([
        ("1", "2", "Outlet 1", "Outlet 2", "exact", "a b c d e f g h", 8),
        ("1", "2", "Outlet 1", "Outlet 2", "exact", "one two three four five six seven eight nine ten", 10),
        ("1", "3", "Outlet 1", "Outlet 3", "exact", "x y z w v u t s", 8),
    ])
    (row,) = story_findings(docs, passages=passages, parts=["shared_passages"]).itertuples()
    # 18 words shared by 1 and 2: 18 % of the shorter (100 words)
    assert row.finding == ("Outlet 1 (1) and Outlet 2 (2) share wire copy: 2 identical passage(s), 18 words "
                           "(18 % of the shorter article); both are based on AP copy.")
    assert row.evidence == "Longest shared passage (10 words): “one two three four five six seven eight nine ten”"
    (low,) = story_findings(docs, passages=passages, parts=["shared_passages"], min_share=0.5).itertuples()
    assert low.finding.startswith("No two articles share much wire copy: the largest word-for-word overlap, "
                                  "Outlet 1 (1) and Outlet 2 (2), is 2 identical passage(s), 18 words")
    assert ", 18 % of the shorter article (shared copy starts at 50 %)." in low.finding
    only_para = _passages([("1", "3", "Outlet 1", "Outlet 3", "paraphrase", "p", 9)])
    (none,) = story_findings(docs, passages=only_para, parts=["shared_passages"]).itertuples()
    assert none.finding.startswith("No two articles share a passage word for word")


def test_identical_quotation_is_not_wire_copy():
    quote = "We will not accept any deal that leaves the hostages behind in Gaza tonight, whatever the cost."
    docs = pd.DataFrame({
        "doc_id": ["1", "2"],
        "outlet": ["One", "Two"],
        "text": [f'The minister said on Monday: "{quote}" Markets in Tel Aviv fell sharply on the news.',
                 f'Asked about the stalled talks, the minister replied "{quote}" Protesters gathered outside.'],
    })
    passages = shared_passages(docs)
    exact = passages[passages["kind"] == "exact"]
    assert len(exact) == 1  # the quotation, found word for word
    (row,) = story_findings(docs, passages=passages, parts=["shared_passages"]).itertuples()
    assert row.finding.startswith("No two articles share a passage word for word outside quotations")
    assert (f"Not counted as copy: 1 identical passage(s), {int(exact['n_words'].iloc[0])} words, inside "
            "quotation marks in both articles") in row.evidence


def test_keyness_significant_terms():
    table = pd.DataFrame({"outlet": ["A", "A", "B"], "term": ["regime", "talks", "ceasefire"],
                          "z": [4.0, 3.0, -3.5], "q": [0.01, 0.2, 0.01]})
    (row,) = story_findings(keyness_table=table, parts=["keyness"]).itertuples()
    assert row.finding == "Words that set an outlet apart (q < 0.05): A: “regime”."


def test_word_choice_identical_only():
    table = pd.DataFrame({"unit_id": [1], "outlet_a": ["A"], "outlet_b": ["B"], "sentence_a": ["Same."],
                          "sentence_b": ["Same."], "only_a": [""], "only_b": [""]})
    (row,) = story_findings(word_choice_table=table, parts=["word_choice"]).itertuples()
    assert row.finding == "Where several outlets report the same fact, they use the same words."


def test_failed_part_becomes_a_finding_and_others_go_on():
    one_outlet = pd.DataFrame({"doc_id": ["1", "2"], "outlet": ["A", "A"],
                               "text": ["The council met on Monday. It voted to close the park early.",
                                        "The council met again on Tuesday. Nobody voted."]})
    out = story_findings(one_outlet, parts=["readability", "keyness"], n_boot=50)
    assert out.iloc[0]["section"] == "readability"
    assert out.iloc[0]["finding"].startswith("No finding on readability:")


def test_bad_input():
    with pytest.raises(ParameterError, match="docs"):
        story_findings(parts=["claims"])
    with pytest.raises(ParameterError, match="unknown part"):
        story_findings(claim_table=_claims([]), parts=["frames"])
    with pytest.raises(ParameterError, match="lacks column"):
        story_findings(claim_table=pd.DataFrame({"outlet": []}), parts=["claims"])
    with pytest.raises(ParameterError, match="n_actors"):
        story_findings(labels=_labels([]), parts=["actor_labels"], n_actors=0)
    with pytest.raises(ParameterError, match="min_share"):
        story_findings(passages=_passages([]), parts=["shared_passages"], min_share=0)
    with pytest.raises(ParameterError, match="finding"):
        findings_html(pd.DataFrame({"x": [1]}))


# --------------------------------------------------------------------------- rendering


NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "source": "# Title\n\nIntro."},
        {"cell_type": "markdown", "source": ["## Readability: which outlet is *hardest*?\n", "text"]},
        {"cell_type": "code", "source": 'with run.section("readability", empty="x") as sec:\n    pass'},
        {"cell_type": "markdown", "source": "### Are differences real?"},
        {"cell_type": "code", "source": "with run.section('readability_pairwise', empty='x'):\n    pass"},
        {"cell_type": "markdown", "source": "```\n## not a heading\n```\n## Tone: how's it & <b>?"},
        {"cell_type": "code", "source": 'with run.section("tone", empty="x"):\n    pass'},
    ]
}


@pytest.mark.parametrize("heading", ["Readability: which outlet is hardest?", "Tone: how's it & <b>?",
                                     "Method card", "Claims — numbers, 50 %"])
def test_heading_anchor_equals_nbconvert(heading):
    from nbconvert.filters.strings import add_anchor

    rendered = add_anchor(f"<h2>{heading.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</h2>")
    assert re.search(r'id="([^"]*)"', rendered).group(1).replace("&amp;", "&") == heading_anchor(heading)


def test_section_anchors_and_toc():
    anchors = section_anchors(NOTEBOOK)
    assert anchors == {
        "readability": ("Readability: which outlet is hardest?", "Readability:-which-outlet-is-hardest?"),
        "readability_pairwise": ("Are differences real?", "Are-differences-real?"),
        "tone": ("Tone: how's it & <b>?", heading_anchor("Tone: how's it & <b>?")),
    }
    toc = str(table_of_contents(NOTEBOOK))
    ET.fromstring(toc)
    assert toc.count("<li>") == 2  # level-2 headings; the single title is left out
    assert "<strong>Contents</strong>" in toc
    assert "&lt;b&gt;" in toc and "<b>" not in toc
    deep = str(table_of_contents(NOTEBOOK, max_level=3))
    ET.fromstring(deep)
    assert deep.count("<li>") == 3 and "<ol><li><a href=\"#Are-differences-real?\">" in deep


def test_template_sections_are_found():
    from analysis.report import TEMPLATE

    anchors = section_anchors(TEMPLATE)
    assert {"readability", "actor_labels", "claims", "shared_passages", "keyness"} <= set(anchors)


def test_markdown_rendering():
    findings = pd.DataFrame({"finding": ["A *is* hardest."], "evidence": ["q < 0.05"], "section": ["readability"]})
    md = findings_markdown(findings, anchors={"readability": ("Readability", "Readability")})
    assert md == "1. A \\*is\\* hardest.\n   Evidence: q \\< 0.05\n   Section: [Readability](#Readability)\n"
    assert findings_markdown(findings.iloc[0:0]).startswith("No findings")
    html_out = str(findings_html(findings))
    assert "A *is* hardest." in html_out and "Section: readability" in html_out
