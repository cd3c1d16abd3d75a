"""The corpus report: its views (analysis.corpus_report.views), --scope, and a rendered report.

The tables of the views are checked against values computed by hand on small corpora written
here; the rendered report runs once on ``tests/data/everyday`` (three stories, three outlets).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import cli, report
from analysis.corpus_report import OUTLET_COLUMNS, PAIRWISE_COLUMNS, views
from analysis.errors import NotEnoughData, ParameterError

EVERYDAY = Path(__file__).parent / "data" / "everyday"


def _docs(rows: list[dict]) -> pd.DataFrame:
    d = pd.DataFrame(rows)
    if "doc_id" not in d:
        d["doc_id"] = [f"d{i}" for i in range(len(d))]
    return d


# ------------------------------------------------------------------------------------------
# the corpus
# ------------------------------------------------------------------------------------------


def test_story_coverage_and_outlet_totals_by_hand():
    docs = _docs([
        {"event_id": "e1", "outlet": "A", "title": "Late title", "published": "2024-01-03", "text": "one two three"},
        {"event_id": "e1", "outlet": "A", "title": "Early title", "published": "2024-01-02", "text": "four five"},
        {"event_id": "e1", "outlet": "B", "title": "B title", "published": "2024-01-04", "text": "six"},
        {"event_id": "e2", "outlet": "B", "title": "Other", "published": "2023-12-31", "text": "seven eight nine ten"},
    ])
    cov = views.story_coverage(docs)
    assert list(cov.columns) == ["event_id", "title", "published", "n_outlets", "n_docs", "A", "B"]
    assert cov["event_id"].tolist() == ["e2", "e1"]  # earliest story first
    e1 = cov.set_index("event_id").loc["e1"]
    assert (e1["title"], e1["published"], e1["n_outlets"], e1["n_docs"], e1["A"], e1["B"]) == ("Early title", "2024-01-02", 2, 3, 2, 1)
    assert cov.set_index("event_id").loc["e2", "A"] == 0
    tot = views.outlet_totals(docs).set_index("outlet")
    assert tot.loc["A", "n_stories"] == 1 and tot.loc["A", "n_docs"] == 2 and tot.loc["A", "n_words"] == 5
    assert tot.loc["A", "words_per_doc"] == 2.5
    assert (tot.loc["B", "n_stories"], tot.loc["B", "first_published"], tot.loc["B", "last_published"]) == (2, "2023-12-31", "2024-01-04")
    assert views.corpus_dates(docs) == "2 stories, 2 outlets, 4 articles, published 2023-12-31 to 2024-01-04."


def test_select_corpus_refuses_unknown_outlets_and_one_outlet():
    docs = _docs([{"event_id": "e", "outlet": o, "text": "word " * 10} for o in ("A", "B", "C")])
    assert sorted(views.select_corpus(docs, outlets="A, C")["outlet"]) == ["A", "C"]
    listed = docs.assign(raw_text=docs["text"])
    listed.attrs["input_files"] = [f"f{i}.txt" for i in range(len(docs))]
    chosen = views.select_corpus(listed)
    assert chosen.attrs == {} and "raw_text" not in chosen.columns  # nothing copied into every story's slice
    assert listed.attrs["input_files"][0] == "f0.txt" and "raw_text" in listed.columns  # the input is left as it was
    with pytest.raises(ParameterError, match=r"\['Z'\] are not in the corpus; valid outlets: \['A', 'B', 'C'\]"):
        views.select_corpus(docs, outlets="A,Z")
    with pytest.raises(NotEnoughData, match="at least two"):
        views.select_corpus(docs, outlets="A")
    with pytest.raises(NotEnoughData):
        views.select_corpus(docs, min_words=11)


# ------------------------------------------------------------------------------------------
# keyness
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("term, expected", [
    ("Cease-fire", "ceasefire"), ("ceasefire", "ceasefire"), ("Netanyahu's", "netanyahu"),
    ("Netanyahu\u2019s", "netanyahu"), ("U.S.", "us"), ("protesters'", "protesters"), ("1.2", "1.2"),
    ("White House's staff", "white house staff"),
])
def test_normalise_term(term, expected):
    assert views.normalise_term(term) == expected


def test_merge_term_variants_sums_spellings_and_drops_house_style():
    counts = pd.DataFrame({
        "event_id": ["e"] * 7, "outlet": ["Fox News"] * 4 + ["Daily Post"] * 3,
        "term": ["cease-fire", "ceasefire", "mr", "fox", "ceasefire", "daily post", "U.S."],
        "n": [2, 1, 3, 4, 5, 2, 1],
    })
    merged = views.merge_term_variants(counts)
    got = {(o, t): n for o, t, n in zip(merged["outlet"], merged["term"], merged["n"])}
    assert got == {("Fox News", "ceasefire"): 3, ("Daily Post", "ceasefire"): 5, ("Daily Post", "us"): 1}
    assert merged.attrs["variants"]["ceasefire"] == ["ceasefire", "cease-fire"]  # most frequent spelling first
    assert counts["term"].tolist()[0] == "cease-fire"  # input unchanged


def _keyness_corpus() -> pd.DataFrame:
    rows = []
    for k in range(6):
        filler = " ".join(f"filler{j}" for j in range(k, k + 8))
        rows.append({"event_id": f"s{k}", "outlet": "A", "text": f"zebra zebra zebra zebra zebra lion {filler} common common"})
        extra = " giraffe" * 30 if k == 0 else ""  # B's word comes from one story only
        rows.append({"event_id": f"s{k}", "outlet": "B", "text": f"lion lion tiger {filler} common common{extra}"})
    return _docs(rows)


def test_corpus_keyness_equals_keyness_on_story_counts_and_stability_is_story_level():
    from analysis.keyness import keyness

    docs = _keyness_corpus()
    table = views.corpus_keyness(docs, n_boot=200, seed=1, min_count=2)
    counts = views.story_term_counts(docs)
    ref = keyness(counts.assign(doc_id=counts["event_id"] + "|" + counts["outlet"])[["doc_id", "outlet", "term", "n"]], n_boot=0, min_count=2)
    merged = table.merge(ref, on=["outlet", "term"], suffixes=("", "_ref"))
    assert len(merged) == len(table) == len(ref)
    assert np.allclose(merged["z"], merged["z_ref"]) and np.allclose(merged["q"], merged["q_ref"])
    # counted story by story into a sparse matrix, or given the long story-count table: one result
    from_counts = views.corpus_keyness(counts, n_boot=200, seed=1, min_count=2)
    pd.testing.assert_frame_equal(from_counts, table)
    assert from_counts.attrs == table.attrs
    t = table.set_index(["outlet", "term"])
    assert t.loc[("A", "zebra"), "z"] > 0 and t.loc[("A", "zebra"), "n_stories"] == 6
    assert t.loc[("B", "giraffe"), "n_stories"] == 1 and t.loc[("B", "giraffe"), "n_target"] == 30
    # used in every story: stable; concentrated in one story: drawn in ~63 % of resamples at most
    assert t.loc[("A", "zebra"), "stability"] >= 0.95
    assert t.loc[("B", "giraffe"), "stability"] <= 0.75
    # swapping the two outlets flips the sign (two outlets: A vs rest = -(B vs rest))
    assert np.isclose(t.loc[("A", "lion"), "z"], -t.loc[("B", "lion"), "z"])
    assert table.attrs["n_stories"] == 6
    distinct = views.distinctive_terms(table, n_terms=3)
    assert "zebra" in set(distinct.loc[distinct["outlet"] == "A", "term"])
    assert (distinct["q"] < 0.05).all() and (distinct["z"] > 0).all()


# ------------------------------------------------------------------------------------------
# reuse, oriented
# ------------------------------------------------------------------------------------------


def test_corpus_keyness_merges_spellings_across_stories_as_the_story_count_table_does():
    rows = []
    for k in range(4):
        spelling = "cease-fire" if k % 2 else "ceasefire"
        rows.append({"event_id": f"s{k}", "outlet": "foxnews", "text": f"The {spelling} held. Mr. Lee spoke to Fox News. Talks talks talks."})
        rows.append({"event_id": f"s{k}", "outlet": "nytimes", "text": f"Talks resumed. The truce held; Mr. Lee said so. The Times reported {spelling}."})
    docs = _docs(rows)
    table = views.corpus_keyness(docs, n_boot=20, seed=0, min_count=1)
    ref = views.corpus_keyness(views.story_term_counts(docs), n_boot=20, seed=0, min_count=1)
    pd.testing.assert_frame_equal(table, ref)
    assert table.attrs["variants"] == ref.attrs["variants"] == {"ceasefire": ["ceasefire", "cease-fire"]}
    terms = set(table["term"])
    assert "ceasefire" in terms and not terms & {"mr", "fox", "news", "times", "cease-fire"}
    t = table.set_index(["outlet", "term"])
    assert t.loc[("foxnews", "ceasefire"), "n_target"] == 4 and t.loc[("foxnews", "ceasefire"), "n_stories"] == 4


def test_orient_passages_by_wire_source_then_published():
    docs = pd.DataFrame({
        "doc_id": ["a1", "b1", "c1", "a2", "b2", "c2", "d2"],
        "published": ["2024-01-02", "2024-01-01", "2024-01-01", "2024-01-05", "2024-01-05", None, "2024-01-04"],
        "wire_source": ["Beta", None, "", "AP", "A.P.", None, None],
    })
    passages = pd.DataFrame({
        "doc_a": ["a1", "b1", "a2", "a2", "c2", "d2"], "doc_b": ["b1", "c1", "b2", "c2", "b2", "b2"],
        "outlet_a": ["Alpha", "Beta", "Alpha", "Alpha", "Gamma", "Delta"],
        "outlet_b": ["Beta", "Gamma", "Beta", "Gamma", "Beta", "Beta"],
    })
    out = views.orient_passages(passages, docs)
    # 1: Alpha names Beta as its wire source although Alpha is later -> Beta first (wire_source)
    # 2: same day, no wire -> undetermined; 3: both copied the AP -> same wire; 4: no date for c2
    # 5: no date for c2 -> undetermined; 6: Delta published a day earlier -> Delta first
    assert out["basis"].tolist() == ["wire_source", "undetermined", "same wire", "undetermined", "undetermined", "published"]
    assert out["first_outlet"].tolist() == ["Beta", "", "", "", "", "Delta"]
    assert out["later_outlet"].tolist() == ["Alpha", "", "", "", "", "Beta"]
    assert out["wire"].tolist()[2] == "AP"
    assert "basis" not in passages.columns


SHARED = ("The regional water authority confirmed on Tuesday evening that the northern reservoir "
          "had reached its highest level since records began in nineteen fifty two.")


def test_outlet_reuse_counts_pairs_and_sets_quotations_apart():
    quote = '"We will rebuild every single bridge that the flood waters destroyed this week," the governor told reporters.'
    docs = _docs([
        {"event_id": "e1", "outlet": "A", "published": "2024-01-01", "text": f"{SHARED} Residents were told to stay indoors overnight."},
        {"event_id": "e1", "outlet": "B", "published": "2024-01-02", "text": f"Local shops closed early. {SHARED}"},
        {"event_id": "e2", "outlet": "A", "published": "2024-02-01", "text": f"Crews worked all night on the roads. {quote}"},
        {"event_id": "e2", "outlet": "B", "published": "2024-02-01", "text": f"{quote} Schools will stay shut on Monday."},
    ])
    reuse = views.outlet_reuse(docs, paraphrase_threshold=None)
    pair = reuse.pairs.set_index(["outlet_a", "outlet_b"]).loc[("A", "B")]
    assert pair["n_stories_both"] == 2 and pair["n_stories_shared"] == 1 and pair["share_of_stories"] == 0.5
    assert pair["n_passages"] == 1 and pair["n_quotations"] == 1 and pair["a_first"] == 1 and pair["b_first"] == 0
    assert pair["n_words"] == 24  # the shared sentence (24 words), word for word
    copied = reuse.passages[~reuse.passages["quotation"]]
    assert copied["first_outlet"].tolist() == ["A"] and copied["basis"].tolist() == ["published"]


# ------------------------------------------------------------------------------------------
# omission
# ------------------------------------------------------------------------------------------

S1 = "The mayor declared a state of emergency after the river burst its banks near the old mill."
S2 = "Firefighters rescued twenty seven people from flooded cars on the quarry road ford overnight."
S3 = "The county football final was moved to a new stadium across town next month."
S4 = "Insurance companies expect claims worth millions of pounds from homeowners in the valley."


def test_omission_share_of_multi_outlet_units_by_hand():
    docs = _docs([
        {"event_id": "e1", "outlet": "A", "text": f"{S1} {S2}"},
        {"event_id": "e1", "outlet": "B", "text": f"{S1} {S3}"},
        {"event_id": "e1", "outlet": "C", "text": f"{S1} {S2} {S4}"},
        {"event_id": "e2", "outlet": "A", "text": S1},  # two outlets only: skipped
        {"event_id": "e2", "outlet": "B", "text": S1},
    ])
    om = views.omission(docs)
    assert om["event_id"].unique().tolist() == ["e1"]
    got = om.set_index("outlet")
    # units reported by 2+ outlets: S1 (A, B, C) and S2 (A, C); B left out S2
    assert got["n_units"].tolist() == [2, 2, 2]
    assert got.loc["B", "n_left_out"] == 1 and got.loc["B", "share_left_out"] == 0.5
    assert got.loc["A", "share_left_out"] == 0 and got.loc["C", "share_left_out"] == 0


def test_omission_by_outlet_is_the_mean_over_stories_with_a_story_bootstrap():
    table = pd.DataFrame({"event_id": ["e1", "e2", "e3", "e1"], "outlet": ["A", "A", "A", "B"],
                          "n_units": [2, 4, 5, 2], "n_left_out": [1, 0, 1, 0], "share_left_out": [0.5, 0.0, 0.2, 0.0]})
    out = views.omission_by_outlet(table, n_boot=2000, seed=3).set_index("outlet")
    assert np.isclose(out.loc["A", "estimate"], 0.7 / 3) and out.loc["A", "n_stories"] == 3
    assert out.loc["A", "n_units"] == 11 and out.loc["A", "n_left_out"] == 2
    assert 0.0 <= out.loc["A", "ci_low"] < out.loc["A", "estimate"] < out.loc["A", "ci_high"] <= 0.5
    assert out.loc["B", "ci_low"] == out.loc["B", "ci_high"] == 0.0  # one story: the interval collapses


# ------------------------------------------------------------------------------------------
# links and findings
# ------------------------------------------------------------------------------------------


def _fake_story_report(folder: Path, *, event: str, source: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("<p>story</p>", encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps({"status": "complete", "event": event, "source": str(source.resolve())}), encoding="utf-8")


def test_story_report_links_finds_siblings_and_batch_children(tmp_path):
    here = tmp_path / "corpus"
    here.mkdir()
    _fake_story_report(tmp_path / "batch" / "flood-1234abcd", event="flood", source=EVERYDAY)
    _fake_story_report(tmp_path / "strike", event="strike", source=EVERYDAY)
    _fake_story_report(tmp_path / "other", event="elsewhere", source=tmp_path)  # another corpus
    (tmp_path / "unfinished").mkdir()
    (tmp_path / "unfinished" / "manifest.json").write_text(json.dumps({"status": "running", "event": "x"}))
    links = views.story_report_links(here, EVERYDAY)
    assert links.to_dict("list") == {"event_id": ["flood", "strike"], "title": ["", ""],
                                     "href": ["../batch/flood-1234abcd/report.html", "../strike/report.html"]}
    assert len(views.story_report_links(here, None)) == 3
    assert views.story_report_links("", EVERYDAY).empty  # interactive run: nothing to link
    html = views.links_list(links, pd.DataFrame({"event_id": ["flood"], "title": ["River <b>floods</b>"]}))._repr_html_()
    assert '<a href="../batch/flood-1234abcd/report.html">River &lt;b&gt;floods&lt;/b&gt; (flood)</a>' in html


def test_findings_list_and_the_line_when_nothing_passes():
    pairwise = pd.DataFrame({"outlet_a": ["A"], "outlet_b": ["B"], "measure": ["tone"], "q": [0.4]})
    pairwise.attrs["correction"] = "holm"
    line = views.no_findings_line(pairwise)
    assert line.startswith("No difference passes the correction for multiple comparisons (Holm") and "1 comparisons" in line
    assert line.endswith("The closest is tone (VADER compound) between A and B (q = 0.40).")
    empty = views.findings_list(pd.DataFrame(columns=["sentence"]), empty=line)
    assert "<li>" not in empty._repr_html_() and "No difference passes" in empty._repr_html_()
    listed = views.findings_list(pd.DataFrame({"sentence": ["A <i>quotes</i> more than B."]}), empty=line)._repr_html_()
    assert "<li>A &lt;i&gt;quotes&lt;/i&gt; more than B.</li>" in listed


def test_measure_groups_follow_the_registry_families():
    groups = views.measure_groups(["flesch_reading_ease", "tone", "loaded_per_1k_words", "share_anonymous", "frame_economic", "mtld", "unknown"])
    assert groups == {"Readability": ["flesch_reading_ease"], "Lexical diversity": ["mtld"],
                      "Tone and loaded language": ["tone", "loaded_per_1k_words"], "Sourcing": ["share_anonymous"],
                      "Frames": ["frame_economic"], "Other measures": ["unknown"]}


# ------------------------------------------------------------------------------------------
# --scope
# ------------------------------------------------------------------------------------------


def test_scope_is_chosen_from_the_corpus_and_checked():
    assert report.resolve_scope(EVERYDAY) == "corpus"
    assert report.resolve_scope(EVERYDAY, "alder-flood-2025-03") == "story"
    assert report.resolve_scope(None) == "story"  # the seeds: one story
    assert report.resolve_scope(None, scope="corpus") == "corpus"
    assert report.template_for("corpus") == report.CORPUS_TEMPLATE
    with pytest.raises(ParameterError, match=r"--scope story: .* holds 3 stories; choose one with --event .* --scope corpus"):
        report.resolve_scope(EVERYDAY, scope="story")
    with pytest.raises(ParameterError, match=r"--event 'alder-flood-2025-03' picks one story, but --scope corpus"):
        report.resolve_scope(EVERYDAY, "alder-flood-2025-03", "corpus")
    with pytest.raises(ParameterError, match="valid events"):
        report.resolve_scope(EVERYDAY, "no-such-story")
    with pytest.raises(ParameterError, match=r"outlets.*\['Nope'\].*valid outlets"):
        report.resolve_scope(EVERYDAY, params={"outlets": "Nope"})
    with pytest.raises(ParameterError, match="scope='book'"):
        report.template_for("book")


def test_cli_scope_errors_exit_2_before_any_kernel(monkeypatch, capsys):
    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(report, "_start_kernel", no_kernel)
    assert cli.main(["-q", "report", str(EVERYDAY), "--scope", "story"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --scope story:") and "--event" in err and "--scope corpus" in err
    assert cli.main(["-q", "report", str(EVERYDAY), "--scope", "corpus", "--event", "alder-flood-2025-03"]) == 2
    assert "picks one story" in capsys.readouterr().err
    assert cli.main(["-q", "report", str(EVERYDAY), "-p", "correction", "bonferroni"]) == 2
    assert "parameter 'correction' must be 'holm' or 'bh'" in capsys.readouterr().err
    assert cli.main(["-q", "report", str(EVERYDAY), "-p", "metric", "x"]) == 2  # a story parameter
    assert "unknown parameter 'metric' for corpus_comparison.ipynb" in capsys.readouterr().err


def test_cli_passes_the_chosen_scope(monkeypatch, capsys, tmp_path):
    calls = []

    def fake(source, **kwargs):
        calls.append(kwargs)
        return tmp_path

    monkeypatch.setattr(report, "render_report", fake)
    assert cli.main(["-q", "report", str(EVERYDAY), "-p", "n_boot", "50"]) == 0
    assert calls[-1]["scope"] == "corpus" and calls[-1]["params"] == {"n_boot": 50}
    assert cli.main(["-q", "report", str(EVERYDAY), "--event", "alder-flood-2025-03", "-p", "metric", "smog"]) == 0
    assert "scope" not in calls[-1] and calls[-1]["event"] == "alder-flood-2025-03" and calls[-1]["params"] == {"metric": "smog"}
    assert cli.main(["-q", "report", "--scope", "story"]) == 0  # the seeds
    assert calls[-1]["scope"] == "story"
    capsys.readouterr()
    assert cli.main(["params", "--scope", "corpus"]) == 0
    listed = capsys.readouterr().out
    assert "correction: str = 'holm'" in listed and "engine: str = 'pandas'" in listed and "metric:" not in listed


# ------------------------------------------------------------------------------------------
# the rendered report
# ------------------------------------------------------------------------------------------

SECTIONS = ["findings", "corpus", "coverage_matrix", "readability", "diversity_tone_loaded", "sourcing", "frames",
            "keyness", "actors", "actor_labels", "reuse", "omission", "story_reports", "method_card", "figures"]


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus-report")
    _fake_story_report(root / "everyday-batch" / "alder-flood-2025-03-1a2b3c4d", event="alder-flood-2025-03", source=EVERYDAY)
    out = root / "corpus"
    assert cli.main(["-q", "report", str(EVERYDAY), "--out", str(out), "-p", "n_boot", "100", "-p", "figure_formats", "png"]) == 0
    return out


def test_corpus_report_has_every_section_and_the_tables_of_the_design(corpus_report):
    status = pd.read_csv(corpus_report / "tables" / "sections.csv", keep_default_na=False)
    assert status["section"].tolist() == SECTIONS
    assert "error" not in set(status["status"]), status[status["status"] == "error"].to_dict("records")
    # only keyness may have nothing to show on three invented stories (nothing passes q < 0.05)
    assert set(status.loc[status["status"] == "empty", "section"]) <= {"keyness"}
    outlets = pd.read_csv(corpus_report / "tables" / "outlets.csv")
    pairwise = pd.read_csv(corpus_report / "tables" / "pairwise.csv")
    found = pd.read_csv(corpus_report / "tables" / "findings.csv")
    assert list(outlets.columns) == OUTLET_COLUMNS and list(pairwise.columns) == PAIRWISE_COLUMNS
    assert "sentence" in found.columns
    assert set(outlets["outlet"]) == {"Metro Daily Wire", "Riverside Courier", "Valley Post"}
    assert (outlets["n_stories"] == 3).all() and len(pairwise) == 3 * outlets["measure"].nunique()
    manifest = json.loads((corpus_report / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["scope"] == "corpus" and manifest["notebook"] == "corpus_comparison.ipynb"
    for name in ("outlets_readability", "pairwise_readability", "outlets_sourcing", "pairwise_frames", "omission"):
        assert (corpus_report / "figures" / f"{name}.png").is_file() and (corpus_report / "figures" / f"{name}.csv").is_file()
    actors = pd.read_csv(corpus_report / "tables" / "actors.csv", keep_default_na=False)
    assert set(actors["source"]) == {"discovered"} and len(actors) >= 3
    reuse = pd.read_csv(corpus_report / "tables" / "reuse_pairs.csv")
    assert reuse["n_stories_shared"].sum() >= 3  # each story has one passage shared word for word by two outlets


def test_dask_engine_renders_the_same_tables_as_pandas(corpus_report, tmp_path):
    # the per-article measures on a local Dask cluster started by the kernel (no scheduler given)
    out = tmp_path / "corpus-dask"
    assert cli.main(["-q", "report", str(EVERYDAY), "--scope", "corpus", "--out", str(out), "-p", "n_boot", "100",
                     "-p", "figure_formats", "png", "-p", "engine", "dask"]) == 0
    status = pd.read_csv(out / "tables" / "sections.csv", keep_default_na=False)
    assert "error" not in set(status["status"]), status[status["status"] == "error"].to_dict("records")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["parameters"]["engine"] == "dask"
    for name in ("story_measures", "outlets", "pairwise", "findings"):
        pandas_table = pd.read_csv(corpus_report / "tables" / f"{name}.csv")
        dask_table = pd.read_csv(out / "tables" / f"{name}.csv")
        assert len(pandas_table) or name == "findings", name  # three stories: nothing passes Holm's correction
        pd.testing.assert_frame_equal(dask_table, pandas_table, check_exact=True, obj=name)


def test_corpus_report_page_says_its_findings_first_and_links_the_story_reports(corpus_report):
    page = (corpus_report / "report.html").read_text(encoding="utf-8")
    first = page.index("Findings: which differences")
    assert first < page.index("The corpus: which outlet") < page.index("Omission: what did each outlet")
    assert "No difference passes the correction" in page or "<li>" in page[first:page.index("The corpus: which outlet")]
    assert 'href="../everyday-batch/alder-flood-2025-03-1a2b3c4d/report.html"' in page
    assert "3 stories, 3 outlets, 9 articles, published 2025-03-13 to 2025-06-11." in page
    assert "Every outlet covered every story: 3 stories × 3 outlets, one article each." in page
    assert "import analysis" not in page  # the reader version has no code
    import re

    contents = re.findall(r'href="#([^"]+)"', page[page.index("Contents:"):first])
    assert len(contents) == 12 and all(f'id="{frag}"' in page for frag in contents)  # every link of the contents lands


def test_corpus_report_opens_in_chromium_without_errors(corpus_report):
    from test_browser import ARGS, CHROMIUM, _open, _require_chromium

    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page, problems = _open(browser, corpus_report / "report.html")
        sizes = page.evaluate("Array.from(document.images).map(i => i.complete ? i.naturalWidth : 0)")
        headings = page.evaluate("Array.from(document.querySelectorAll('h2')).map(h => h.textContent)")
        page.close()
        browser.close()
    assert len(sizes) >= 9 and all(w > 0 for w in sizes), sizes  # 4 measure groups x 2 charts + omission
    assert len(headings) >= 11
    assert problems == []


def test_outlet_codes_written_as_one_word_are_self_reference():
    counts = pd.DataFrame({"event_id": "e", "outlet": ["foxnews", "foxnews", "nytimes", "nytimes", "nytimes"],
                           "term": ["fox", "news", "times", "time", "foxes"], "n": [3, 2, 4, 5, 1]})
    merged = views.merge_term_variants(counts)
    assert merged["term"].tolist() == ["time", "foxes"]  # "time" is not the end of "nytimes", "foxes" not its start


def test_pairwise_panels_show_the_corrected_q_of_each_pair():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pairwise = pd.DataFrame({"outlet_a": ["A", "A", "B"], "outlet_b": ["B", "C", "C"], "measure": "tone", "n_stories": 10,
                             "difference": [0.3, -0.1, 0.05], "ci_low": [0.1, -0.3, -0.1], "ci_high": [0.5, 0.1, 0.2],
                             "p": [0.001, 0.3, 0.5], "q": [0.003, 0.6, 0.6]})
    fig = views.plot_pairwise_panels(pairwise)
    labels = sorted(t.get_text() for t in fig.axes[0].get_yticklabels())
    plt.close(fig)
    assert labels == ["A − B\nq < 0.01", "A − C\nq = 0.60", "B − C\nq = 0.60"]


def test_coverage_note_only_when_every_outlet_covered_every_story():
    full = views.story_coverage(_docs([{"event_id": e, "outlet": o, "text": "x"} for e in ("e1", "e2") for o in ("A", "B")]))
    assert views.coverage_note(full) == "Every outlet covered every story: 2 stories × 2 outlets, one article each."
    gap = views.story_coverage(_docs([{"event_id": "e1", "outlet": "A", "text": "x"}, {"event_id": "e1", "outlet": "B", "text": "x"},
                                      {"event_id": "e2", "outlet": "A", "text": "x"}]))
    assert views.coverage_note(gap) == ""


def test_engine_and_correction_parameters_are_checked_before_any_kernel():
    with pytest.raises(ParameterError, match="parameter 'engine' must be 'pandas' or 'dask', got 'spark'"):
        report.check_parameter_values({"engine": "spark"})
    with pytest.raises(ParameterError, match="parameter 'n_actors' must be an integer from 1 to 200"):
        report.check_parameter_values({"n_actors": 0})
    spec = report.notebook_parameters(report.CORPUS_TEMPLATE)
    assert {k: spec[k]["default"] for k in ("engine", "scheduler", "cache_dir", "correction")} == {
        "engine": "pandas", "scheduler": "", "cache_dir": "", "correction": "holm"}


def test_story_coverage_chart_marks_each_covered_cell_once():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    docs = _docs([{"event_id": "e1", "outlet": "A", "text": "x"}, {"event_id": "e1", "outlet": "A", "text": "y"},
                  {"event_id": "e1", "outlet": "B", "text": "x"}, {"event_id": "e2", "outlet": "B", "text": "x"}])
    ax = views.plot_story_coverage(views.story_coverage(docs), colors={"A": "#0072B2", "B": "#E69F00"})
    squares = [p for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle)]
    texts = [t.get_text() for t in ax.texts]
    plt.close(ax.figure)
    assert len(squares) == 3  # e1: A and B; e2: B
    assert texts == ["2"]  # A has two articles on e1
    assert sorted(matplotlib.colors.to_hex(s.get_facecolor()) for s in squares) == ["#0072b2", "#e69f00", "#e69f00"]
