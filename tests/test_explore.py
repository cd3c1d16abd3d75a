"""analysis.explore: the numbers of the explorer, the rows behind them, and escaped HTML views."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest

from analysis import explore as ex
from analysis.errors import ParameterError


def _docs(rows: list[tuple[str, str, str]], event: str = "story") -> pd.DataFrame:
    return pd.DataFrame(
        [{"doc_id": d, "event_id": event, "outlet": o, "title": f"Title {d}", "text": t} for d, o, t in rows]
    )


# ------------------------------------------------------------------------------------------
# sentence table and the estimates (values computed by hand)
# ------------------------------------------------------------------------------------------


def test_sentence_table_positions_and_word_counts():
    docs = _docs([("a1", "A", "The river rose fast. Officials closed the U.S. bridge on Monday."), ("b1", "B", "Rain fell.")])
    before = docs.copy(deep=True)
    t = ex.sentence_table(docs)
    assert list(t.columns) == ["doc_id", "outlet", "sent_id", "sentence", "start", "end", "n_words"]
    assert t["sentence"].tolist() == ["The river rose fast.", "Officials closed the U.S. bridge on Monday.", "Rain fell."]
    assert t["sent_id"].tolist() == [0, 1, 0]
    assert t["n_words"].tolist() == [4, 7, 2]
    for r in t.itertuples():
        assert docs.set_index("doc_id").loc[r.doc_id, "text"][r.start:r.end] == r.sentence
    pd.testing.assert_frame_equal(docs, before)


def _two_outlets() -> pd.DataFrame:
    # outlet A: two sentences of 10 words; outlet B: one sentence of 5 words
    return pd.DataFrame({
        "doc_id": ["a", "a", "b"], "outlet": ["A", "A", "B"], "sent_id": [0, 1, 0],
        "sentence": ["s"] * 3, "start": [0, 0, 0], "end": [1, 1, 1], "n_words": [10, 10, 5],
    })


def test_rate_is_summed_items_over_summed_words_and_the_interval_is_a_resample():
    sents = _two_outlets()
    evidence = pd.DataFrame({"doc_id": ["a", "b", "b"], "outlet": ["A", "B", "B"], "sent_id": [0, 0, 0],
                             "sentence": ["s"] * 3, "value": [1.0, 1.0, 1.0]})
    s = ex.outlet_summary(evidence, "quotes", sentences=sents, n_boot=0)
    assert s["outlet"].tolist() == ["A", "B"]
    assert s["metric"].tolist() == ["quotes_per_1k_words"] * 2
    assert s["estimate"].tolist() == pytest.approx([1000 * 1 / 20, 1000 * 2 / 5])
    assert s["n_items"].tolist() == [1, 2] and s["n_words"].tolist() == [20, 5] and s["n_sentences"].tolist() == [2, 1]
    assert s["ci_low"].tolist() == s["estimate"].tolist()  # no resampling asked
    b = ex.outlet_summary(evidence, "quotes", sentences=sents, n_boot=400, seed=3)
    # A's resamples hold sentence 0 twice (100), once (50) or never (0)
    assert b.loc[0, "ci_low"] in (0.0, 50.0) and b.loc[0, "ci_high"] in (50.0, 100.0)
    assert b.loc[0, "ci_low"] < b.loc[0, "ci_high"]
    assert b.loc[1, "ci_low"] == b.loc[1, "ci_high"] == 400.0  # one sentence: nothing to resample
    again = ex.outlet_summary(evidence, "quotes", sentences=sents, n_boot=400, seed=3)
    pd.testing.assert_frame_equal(b, again)  # seeded
    only_b = ex.outlet_summary(evidence, "quotes", sentences=sents, outlets=["B"], n_boot=0)
    assert only_b["outlet"].tolist() == ["B"]


def test_flesch_kincaid_from_summed_counts():
    sents = _two_outlets()
    evidence = pd.DataFrame({"doc_id": ["a", "a", "b"], "outlet": ["A", "A", "B"], "sent_id": [0, 1, 0],
                             "sentence": ["s"] * 3, "n_words": [10, 20, 5], "n_syllables": [15, 25, 5],
                             "value": [0.0, 0.0, 0.0]})
    s = ex.outlet_summary(evidence, "readability", sentences=sents, n_boot=0)
    # A: W=30, S=2, syllables=40 -> 0.39*15 + 11.8*40/30 - 15.59
    assert s.loc[0, "estimate"] == pytest.approx(0.39 * 15 + 11.8 * 40 / 30 - 15.59)
    assert s.loc[1, "estimate"] == pytest.approx(0.39 * 5 + 11.8 * 1 - 15.59)
    assert s["n_items"].tolist() == [2, 1]  # every sentence is behind a readability number


def test_own_words_are_the_words_no_other_outlet_uses():
    docs = _docs([("a1", "A", "Rain flooded the valley."), ("b1", "B", "Rain soaked the town.")])
    ev = ex.measure_evidence(docs, "lexical")
    assert ev["own_words"].tolist() == ["flooded; valley", "soaked; town"]
    s = ex.outlet_summary(ev, "lexical", sentences=ex.sentence_table(docs), n_boot=0)
    assert s["estimate"].tolist() == pytest.approx([100 * 2 / 4, 100 * 2 / 4])


def test_shared_words_of_a_copied_run():
    run = "the regional council approved the new flood barrier after a long debate on Tuesday"
    docs = _docs([("a1", "A", f"In Alder, {run}. Residents cheered."),
                  ("b1", "B", f"Reports say {run}. Nobody else spoke.")])
    ev = ex.measure_evidence(docs, "reuse")
    first = ev[(ev["doc_id"] == "a1") & (ev["sent_id"] == 0)].iloc[0]
    assert first["shared_words"].lower() == run.lower()
    assert first["value"] == len(run.split()) and first["shared_with"] == "B"
    assert ev[ev["sentence"] == "Residents cheered."]["value"].tolist() == [0.0]


def test_unknown_measure_and_bad_options_are_refused():
    docs = _docs([("a1", "A", "Rain fell."), ("b1", "B", "Rain fell.")])
    with pytest.raises(ParameterError, match=r"measure='sentiment'.*loaded"):
        ex.measure_evidence(docs, "sentiment")
    with pytest.raises(ParameterError, match="lacks the column"):
        ex.measure_evidence(docs.drop(columns=["text"]), "loaded")
    ev = ex.measure_evidence(docs, "lexical")
    with pytest.raises(ParameterError, match=r"outlets \['Z'\]"):
        ex.outlet_summary(ev, "lexical", sentences=ex.sentence_table(docs), outlets=["Z"])
    with pytest.raises(ParameterError, match="n_boot"):
        ex.outlet_summary(ev, "lexical", sentences=ex.sentence_table(docs), n_boot=-1)


# ------------------------------------------------------------------------------------------
# on the seeds: the explorer's numbers are the kit's numbers
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(seed_docs):
    from analysis import report

    docs = report.select_docs(seed_docs)
    return docs, ex.sentence_table(docs)


@pytest.mark.parametrize("measure", list(ex.MEASURES))
def test_every_measure_gives_rows_with_their_sentence(seeds, measure):
    docs, sents = seeds
    ev = ex.measure_evidence(docs, measure, sentences=sents)
    assert list(ev.columns[:4]) == ["doc_id", "outlet", "sent_id", "sentence"] and "value" in ev.columns
    assert not ev.empty and (ev["sent_id"] >= 0).all()
    # each row's sentence is the sentence of that sent_id in the kit's segmentation
    key = sents.set_index(["doc_id", "sent_id"])["sentence"]
    assert (ev["sentence"].to_numpy() == key.loc[list(zip(ev["doc_id"], ev["sent_id"]))].to_numpy()).all()
    s = ex.outlet_summary(ev, measure, sentences=sents, n_boot=100)
    assert s["outlet"].tolist() == sorted(docs["outlet"])
    ok = s["estimate"].notna()
    assert ok.all() and (s["ci_low"] <= s["estimate"] + 1e-9).all() and (s["estimate"] <= s["ci_high"] + 1e-9).all()


def test_seed_estimates_equal_the_kit_tables(seeds):
    from analysis.framing import loaded_language_by_outlet, sources
    from analysis.reuse import originality

    docs, sents = seeds
    loaded = ex.outlet_summary(ex.measure_evidence(docs, "loaded", sentences=sents), "loaded", sentences=sents, n_boot=0)
    ref = loaded_language_by_outlet(docs, n_boot=50)
    assert loaded["estimate"].tolist() == pytest.approx(ref["estimate"].tolist())
    q = ex.outlet_summary(ex.measure_evidence(docs, "quotes", sentences=sents), "quotes", sentences=sents, n_boot=0)
    assert q["estimate"].tolist() == pytest.approx(sources(docs)["quotes_per_1k_words"].tolist())
    r = ex.outlet_summary(ex.measure_evidence(docs, "reuse", sentences=sents), "reuse", sentences=sents, n_boot=0)
    orig = originality(docs).sort_values("outlet")
    assert r["estimate"].tolist() == pytest.approx((100 * orig["share_shared"]).tolist())


def test_seed_wire_copy_pair_and_its_side_by_side_view(seeds):
    from analysis.reuse import shared_passages

    docs, _ = seeds
    passages = shared_passages(docs)
    assert ex.most_shared_pair(passages, docs["doc_id"]) == ("001", "004")  # Reuters republisher and VOI
    page = ex.side_by_side(docs, "001", "004", passages=passages)
    pair = passages[(passages["doc_a"] == "001") & (passages["doc_b"] == "004")]
    exact = pair[pair["kind"] == "exact"].iloc[0]
    marked = [html.unescape(m) for m in re.findall(r'<mark class="kit-exact"[^>]*>(.*?)</mark>', page)]
    text = docs.set_index("doc_id").loc["001", "text"]
    assert text[exact.start_a:exact.end_a].startswith(marked[0]) or marked[0] in text[exact.start_a:exact.end_a]
    assert page.count("<mark") >= 2 * len(pair) and "Reuters republisher" in page and "VOI" in page


# ------------------------------------------------------------------------------------------
# show_sentences
# ------------------------------------------------------------------------------------------


def _table() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["1", "1", "2", "3"], "outlet": ["A", "A", "B", "B"], "sent_id": [0, 2, 1, 0],
        "sentence": ["s0", "s2", "t1", "u0"], "source_type": ["named", "anonymous", "anonymous", "named"],
        "n_loaded": [0, 2, 1, 3],
    })


def test_show_sentences_filters_sorts_and_limits():
    t = _table()
    before = t.copy(deep=True)
    assert ex.show_sentences(t, outlet="A")["sentence"].tolist() == ["s0", "s2"]
    assert ex.show_sentences(t, where={"source_type": "anonymous"})["sentence"].tolist() == ["s2", "t1"]
    assert ex.show_sentences(t, where={"source_type": ["named"]}, outlet=["B"])["sentence"].tolist() == ["u0"]
    assert ex.show_sentences(t, nonzero="n_loaded", sort="n_loaded")["sentence"].tolist() == ["u0", "s2", "t1"]
    assert ex.show_sentences(t, nonzero="n_loaded", sort="n_loaded", ascending=True, limit=1)["sentence"].tolist() == ["t1"]
    assert ex.show_sentences(t, doc_id="3")["sentence"].tolist() == ["u0"]
    out = ex.show_sentences(t, outlet="B")
    assert list(out.index) == [0, 1] and list(out.columns) == list(t.columns)
    pd.testing.assert_frame_equal(t, before)


@pytest.mark.parametrize("kwargs, message", [
    ({"outlet": "Z"}, r"outlet \['Z'\] not in the table"),
    ({"where": {"speaker": "x"}}, r"column 'speaker'"),
    ({"nonzero": "n_quotes"}, r"nonzero='n_quotes'"),
    ({"sort": "when"}, r"sort='when'"),
    ({"limit": -1}, r"limit=-1"),
])
def test_show_sentences_refuses_bad_filters_naming_them(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        ex.show_sentences(_table(), **kwargs)


def test_show_sentences_needs_a_row_level_table():
    with pytest.raises(ParameterError, match=r"lacks \['sent_id', 'sentence'\]"):
        ex.show_sentences(pd.DataFrame({"doc_id": ["1"], "outlet": ["A"]}))


def test_behind_a_loaded_number_are_the_loaded_sentences(seeds):
    docs, sents = seeds
    ev = ex.measure_evidence(docs, "loaded", sentences=sents)
    rows = ex.behind(ev, "loaded", outlet="AP", limit=None)
    s = ex.outlet_summary(ev, "loaded", sentences=sents, n_boot=0)
    assert len(rows) == s.set_index("outlet").loc["AP", "n_items"] > 0
    assert set(rows["outlet"]) == {"AP"} and (rows["value"] > 0).all()
    page = ex.sentences_html(rows, measure="loaded")
    assert page.count("<tr>") == len(rows) + 1 and page.count("<mark") >= len(rows)  # header + rows


# ------------------------------------------------------------------------------------------
# HTML is escaped: article text is hostile input
# ------------------------------------------------------------------------------------------

HOSTILE = '<script>document.title="PWNED"</script> Officials called it a <b>riot</b> & "amp" A&B'


def test_sentences_html_escapes_and_marks_the_counted_words():
    rows = pd.DataFrame({"doc_id": ["<d>"], "outlet": ["<img src=x onerror=alert(1)>"], "sent_id": [0],
                         "sentence": [HOSTILE], "loaded_words": ["riot; amp"], "speaker": ['"><script>']})
    page = ex.sentences_html(rows, measure="loaded", columns=["speaker"])
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    marked = [html.unescape(m) for m in re.findall(r"<mark[^>]*>(.*?)</mark>", page)]
    assert marked == ["riot", "amp"]  # the word, never the inside of an escaped "&amp;"
    assert html.unescape(re.sub(r"<[^>]+>", "", page.split("<tbody>")[1].split("</td>")[3])) == HOSTILE
    assert "No sentences" in ex.sentences_html(rows.iloc[:0], measure="loaded")


def test_side_by_side_escapes_both_articles_and_refuses_bad_ids():
    run = "the regional council approved the new flood barrier after a long debate on Tuesday"
    docs = _docs([("a1", "A<i>", f"{HOSTILE}\n\nIn Alder, {run}."), ("b1", "B", f"Reports say {run}. Done.")])
    page = ex.side_by_side(docs, "a1", "b1")
    assert "<script" not in page and "<b>" not in page and "<i>" not in page and "A&lt;i&gt;" in page
    marked = [html.unescape(m) for m in re.findall(r'<mark class="kit-exact"[^>]*>(.*?)</mark>', page)]
    assert marked == [run, run]
    assert 'title="exact — also in B (b1)"' in page
    with pytest.raises(ParameterError, match=r"doc_b='zz'"):
        ex.side_by_side(docs, "a1", "zz")
    with pytest.raises(ParameterError, match="same article"):
        ex.side_by_side(docs, "a1", "a1")
    with pytest.raises(ParameterError, match=r"max_height='1;background:url\(x\)'"):
        ex.side_by_side(docs, "a1", "b1", max_height="1;background:url(x)")
    assert "max-height:none" in ex.side_by_side(docs, "a1", "b1", max_height="none")


def test_summary_html_names_the_metric_and_escapes_outlets():
    s = pd.DataFrame({"outlet": ["<A>"], "metric": ["quotes_per_1k_words"], "n_docs": [1], "n_sentences": [2],
                      "n_words": [20], "n_items": [1], "estimate": [50.0], "ci_low": [float("nan")], "ci_high": [100.0]})
    page = ex.summary_html(s)
    assert "&lt;A&gt;" in page and "<A>" not in page
    assert "estimate = Quotes per 1,000 words (higher = more quoted)" in page
    cells = re.findall(r"<td[^>]*>(.*?)</td>", page)
    assert cells == ["&lt;A&gt;", "1", "2", "20", "1", "50.000", "–", "100.000"]


def test_marked_pieces_take_the_strongest_kind_where_spans_overlap():
    out = ex._marked("abcdef<", [(0, 4, "paraphrase", "p"), (2, 7, "exact", "e")])
    assert re.findall(r'class="kit-(\w+)"[^>]*>(.*?)</mark>', out) == [("paraphrase", "ab"), ("exact", "cd"), ("exact", "ef&lt;")]


# ------------------------------------------------------------------------------------------
# chart
# ------------------------------------------------------------------------------------------


def test_plot_measure_places_each_outlet_at_its_estimate():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = pd.DataFrame({"outlet": ["$A$", "B"], "metric": ["quotes_per_1k_words"] * 2, "n_docs": [1, 1],
                      "n_sentences": [2, 1], "n_words": [20, 5], "n_items": [1, 2],
                      "estimate": [50.0, 400.0], "ci_low": [0.0, 400.0], "ci_high": [100.0, 400.0]})
    fig, ax = plt.subplots()
    assert ex.plot_measure(s, ax=ax) is ax
    labels = [t.get_text() for t in ax.get_yticklabels()]
    ticks = list(ax.get_yticks())
    assert labels == ["$A$ (1 quote)", "B (2 quotes)"]
    assert all(not t.get_parse_math() for t in ax.get_yticklabels())
    xs = {lab: line.get_xdata()[0] for lab, y in zip(labels, ticks) for line in ax.lines
          if len(line.get_xdata()) == 1 and line.get_ydata()[0] == y and line.get_marker() == "o"}
    assert xs == {"$A$ (1 quote)": 50.0, "B (2 quotes)": 400.0}
    assert ax.get_title() == "" and " ".join(ax.get_xlabel().split()) == "Quotes per 1,000 words (higher = more quoted)"
    plt.close(fig)
    png = ex.chart_png(s)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


# ------------------------------------------------------------------------------------------
# the widgets, without a browser
# ------------------------------------------------------------------------------------------


def test_explorer_follows_outlets_measure_and_story(seed_docs):
    other = _docs([("x1", "North", "Rain flooded the valley on Monday. The mayor said roads were closed."),
                   ("x2", "South", "Heavy rain soaked the town. The mayor called it a disaster.")], event="flood")
    corpus = pd.concat([seed_docs, other], ignore_index=True)
    e = ex.Explorer(corpus, event="rafah-delegation-2024-03", measure="quotes", n_boot=50)
    assert e.story.options == ("flood", "rafah-delegation-2024-03")
    assert e.summary["outlet"].tolist() == sorted(seed_docs["outlet"]) and e.sentences_of.value == "ABC News"
    assert set(e.rows["outlet"]) == {"ABC News"} and "kit-sentences" in e.sentence_view.value
    assert (e.article_a.value, e.article_b.value) == ("001", "004")
    chart, rows = e.chart.value, e.sentence_view.value
    e.outlets.value = ("AP", "VOI")
    assert e.summary["outlet"].tolist() == ["AP", "VOI"] and e.sentences_of.value == "AP"
    assert set(e.rows["outlet"]) == {"AP"} and e.chart.value != chart and e.sentence_view.value != rows
    assert e.table.value.count("<tr>") == 3  # header + two outlets
    e.measure.value = "lexical"
    assert e.summary["metric"].unique().tolist() == ["own_words_per_100_words"]
    e.sentences_of.value = "VOI"
    assert set(e.rows["outlet"]) == {"VOI"}
    e.story.value = "flood"
    assert e.summary["outlet"].tolist() == ["North", "South"] and list(e.outlets.value) == ["North", "South"]
    assert "South" in e.pair_view.value
    e.outlets.value = ()
    assert "at least one outlet" in e.status.value
    lonely = _docs([("z1", "Only", "Rain fell on the town.")], event="lonely")
    e2 = ex.Explorer(pd.concat([other, lonely], ignore_index=True), event="flood", measure="lexical")
    e2.story.value = "lonely"  # one outlet: said in place, the widgets stay on the last story
    assert "NotEnoughData" in e2.status.value and "at least two" in e2.status.value
    assert e2.summary["outlet"].tolist() == ["North", "South"]


def test_explorer_refuses_unknown_choices_naming_them(seed_docs):
    with pytest.raises(ParameterError, match=r"event='nope'"):
        ex.Explorer(seed_docs, event="nope")
    with pytest.raises(ParameterError, match=r"outlets \['CNN'\]"):
        ex.Explorer(seed_docs, outlets="AP, CNN")
    with pytest.raises(ParameterError, match=r"measure='mood'"):
        ex.Explorer(seed_docs, measure="mood")
