"""Tests for analysis.figures: composable plot functions, one colour per outlet, paper style."""

from __future__ import annotations

import ast
import inspect
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import analysis.figures as F  # noqa: E402
from analysis.errors import NotEnoughData, ParameterError  # noqa: E402

OUTLETS = ["ABC News", "Reuters republisher", "AP", "Bloomberg", "VOI"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _comparison(metric: str = "flesch_kincaid_grade") -> pd.DataFrame:
    est = [12.0, 9.0, 14.0, 10.0, 11.0]
    return pd.DataFrame(
        {
            "outlet": OUTLETS,
            "metric": metric,
            "n_docs": 1,
            "estimate": est,
            "ci_low": [e - 1 for e in est],
            "ci_high": [e + 1 for e in est],
            "ci_unit": "sentence",
        }
    )


def _keyness() -> pd.DataFrame:
    rows = []
    for i, o in enumerate(OUTLETS):
        for j, t in enumerate(["rafah", "delegation", "hamas", "abstention", "gaza", "biden"]):
            rows.append({"outlet": o, "reference": "rest", "term": t, "z": (j - 2.5) * (1 + i / 10)})
    return pd.DataFrame(rows)


def _sample_tables() -> dict[str, tuple]:
    sim = pd.DataFrame(np.eye(3) * 0.5 + 0.5, index=OUTLETS[:3], columns=OUTLETS[:3])
    return {
        "plot_comparison": (F.plot_comparison, _comparison(), {}),
        "plot_readability": (F.plot_readability, _comparison(), {}),
        "plot_audit": (
            F.plot_audit,
            pd.DataFrame({"outlet": OUTLETS, "flesch_kincaid_grade": [10.0, 11, 12, 13, 14], "textstat_flesch_kincaid_grade": [11.0, 12, 15, 13, 14]}),
            {},
        ),
        "plot_pairwise": (
            F.plot_pairwise,
            pd.DataFrame({"outlet_a": ["AP", "AP"], "outlet_b": ["VOI", "ABC News"], "metric": "smog", "difference": [1.0, -0.5], "ci_low": [0.2, -2], "ci_high": [1.8, 1]}),
            {},
        ),
        "plot_diversity": (F.plot_diversity, pd.DataFrame({"outlet": OUTLETS, "n_tokens": 400, "mattr": [0.7, 0.72, 0.75, 0.71, 0.69]}), {}),
        "plot_keyness": (F.plot_keyness, _keyness(), {"outlet": "AP"}),
        "plot_similarity": (F.plot_similarity, sim, {}),
        "plot_originality": (F.plot_originality, pd.DataFrame({"outlet": OUTLETS, "originality": [0.1, 0.5, 0.9, 0.3, 0.2]}), {}),
        "plot_coverage": (F.plot_coverage, pd.DataFrame({"unit": ["a", "a", "b"], "outlet": ["AP", "VOI", "AP"]}), {}),
        "plot_actor_labels": (
            F.plot_actor_labels,
            pd.DataFrame({"outlet": ["AP", "VOI", "AP"], "actor": ["Hamas", "Hamas", "Israel"], "label": ["militant group", "Hamas-run", "Israel"], "n": [2, 1, 3]}),
            {},
        ),
        "plot_sources": (F.plot_sources, pd.DataFrame({"outlet": ["AP", "AP", "VOI"], "source_type": ["named", "anonymous", "named"]}), {}),
        "plot_claims": (F.plot_claims, pd.DataFrame({"outlet": ["AP", "AP", "VOI"], "voice": ["active", "passive_no_agent", "active"]}), {}),
        "plot_frames": (F.plot_frames, pd.DataFrame({"outlet": ["AP", "AP", "VOI"], "frame": ["Economic", "Political", "Economic"], "per_1k_words": [2.0, 3.5, 1.0]}), {}),
        "plot_tone": (F.plot_tone, _comparison().assign(estimate=[-0.2, 0.1, 0.0, -0.1, 0.05], ci_low=-0.3, ci_high=0.2).drop(columns="metric"), {}),
    }


@pytest.mark.parametrize("name", list(_sample_tables()))
def test_plot_draws_into_given_axes_and_returns_it(name):
    func, table, kw = _sample_tables()[name]
    before = table.copy()
    fig, ax = plt.subplots()
    out = func(table, ax=ax, **kw)
    assert out is ax
    assert len(ax.get_children()) > 5
    pd.testing.assert_frame_equal(table, before)  # input never modified


@pytest.mark.parametrize("name", list(_sample_tables()))
def test_plot_creates_its_own_figure_without_touching_rcparams(name):
    func, table, kw = _sample_tables()[name]
    rc_before = dict(matplotlib.rcParams)
    n_before = len(plt.get_fignums())
    ax = func(table, **kw)
    assert len(plt.get_fignums()) == n_before + 1
    width = ax.figure.get_size_inches()[0]
    assert F.ONE_COLUMN <= width <= F.TWO_COLUMN  # sized for a journal column, never wider than the page
    assert dict(matplotlib.rcParams) == rc_before


def test_plotting_code_never_shows_saves_or_sets_rcparams():
    tree = ast.parse(inspect.getsource(F))
    called = {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    assert not called & {"show", "savefig", "rc", "use"}
    touched = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert "rcParams" not in touched


def test_outlet_colors_are_stable_distinct_and_order_free():
    a = F.outlet_colors(OUTLETS)
    b = F.outlet_colors(list(reversed(OUTLETS)) + ["AP"])
    assert a == b
    assert len(set(a.values())) == len(OUTLETS)
    assert all(re.fullmatch(r"#[0-9A-Fa-f]{6}", c) for c in a.values())
    # sorted names get the palette in order: "ABC News" first = Okabe-Ito blue
    assert a["ABC News"] == "#0072B2"
    many = F.outlet_colors([f"o{i:02d}" for i in range(17)])
    assert len(set(many.values())) == 17
    docs = pd.DataFrame({"outlet": OUTLETS})
    assert F.outlet_colors(docs) == a


def test_outlet_gets_the_same_colour_in_every_chart():
    colors = F.outlet_colors(OUTLETS)
    ax = F.plot_comparison(_comparison(), colors=colors)
    ax2 = F.plot_diversity(pd.DataFrame({"outlet": OUTLETS, "mattr": [0.7, 0.72, 0.75, 0.71, 0.69]}), colors=colors)
    # the dot of AP in the interval chart and AP's bar share one colour
    labels = [t.get_text().split("  ")[0] for t in ax2.get_yticklabels()]
    bar_color = matplotlib.colors.to_hex(ax2.patches[labels.index("AP")].get_facecolor())
    dot_colors = {matplotlib.colors.to_hex(line.get_color()) for line in ax.lines if line.get_marker() == "o"}
    assert bar_color.lower() == colors["AP"].lower()
    assert colors["AP"].lower() in {c.lower() for c in dot_colors}


def test_comparison_sorted_by_estimate_and_titled_with_direction():
    ax = F.plot_comparison(_comparison())
    labels = [t.get_text().split("  ")[0] for t in ax.get_yticklabels()]
    # bottom-to-top ascending estimate: Reuters (9) … AP (14)
    assert labels == ["Reuters republisher", "Bloomberg", "VOI", "ABC News", "AP"]
    assert "higher = harder to read" in ax.get_title(loc="left")
    ax = F.plot_comparison(_comparison("flesch_reading_ease"))
    assert "higher = easier to read" in ax.get_title(loc="left")


def test_comparison_needs_metric_when_table_has_several():
    t = pd.concat([_comparison(), _comparison("smog")])
    with pytest.raises(ParameterError, match="metric"):
        F.plot_comparison(t)
    fig = F.plot_readability_panels(t)
    assert sum(ax.get_visible() for ax in fig.axes) == 2


def test_keyness_bars_match_sign_of_z():
    table = _keyness()
    ax = F.plot_keyness(table, outlet="AP", n_terms=3)
    widths = [p.get_width() for p in ax.patches]
    ap = table[table["outlet"] == "AP"].sort_values("z")
    assert widths == pytest.approx(list(ap["z"]))
    with pytest.raises(ParameterError, match="several outlets"):
        F.plot_keyness(table)
    fig = F.plot_keyness_panels(table)
    assert sum(ax.get_visible() for ax in fig.axes) == len(OUTLETS)


def test_similarity_heatmap_is_annotated():
    sim = pd.DataFrame([[1.0, 0.25], [0.25, 1.0]], index=["AP", "VOI"], columns=["AP", "VOI"])
    ax = F.plot_similarity(sim)
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["0.25", "0.25", "1.00", "1.00"]


def test_sources_stack_counts():
    t = pd.DataFrame({"outlet": ["AP", "AP", "AP", "VOI"], "source_type": ["named", "anonymous", "named", "anonymous"]})
    ax = F.plot_sources(t)
    widths = sorted(p.get_width() for p in ax.patches if p.get_width() > 0)
    assert widths == [1, 1, 2]


def test_frames_per_1k_words_from_counts():
    t = pd.DataFrame({"outlet": ["AP", "AP"], "frame": ["Economic", "Economic"], "n": [2, 3], "n_words": [500, 500]})
    ax = F.plot_frames(t)
    assert [x.get_text() for x in ax.texts] == ["5.0"]  # 1000 * 5 / 1000


def test_missing_columns_and_empty_tables_raise_kit_errors():
    with pytest.raises(ParameterError, match="ci_low"):
        F.plot_comparison(pd.DataFrame({"outlet": ["a"], "estimate": [1.0]}))
    with pytest.raises(NotEnoughData):
        F.plot_tone(_comparison().iloc[:0])


def test_paper_style_is_scoped_and_embeds_truetype():
    before = matplotlib.rcParams["pdf.fonttype"], matplotlib.rcParams["font.size"]
    with F.paper_style():
        assert matplotlib.rcParams["pdf.fonttype"] == 42
        assert matplotlib.rcParams["ps.fonttype"] == 42
        assert matplotlib.rcParams["font.sans-serif"][0] == "DejaVu Sans"
        assert matplotlib.rcParams["figure.figsize"] == [3.5, 2.4]
    with F.paper_style({"font.size": 11}):
        assert matplotlib.rcParams["font.size"] == 11
    assert (matplotlib.rcParams["pdf.fonttype"], matplotlib.rcParams["font.size"]) == before


def test_metric_label_gives_direction():
    assert F.metric_label("gunning_fog") == "Gunning Fog index (higher = harder to read)"
    assert F.metric_label("mtld", direction=False) == "MTLD"
    assert F.metric_label("my_metric") == "My metric"


# --- data strings are drawn literally (never parsed as maths) -------------------------------------

DOLLAR_SENTENCE = "Shares fell to $4 after a 50% drop, then rose to $5."
ODD_OUTLETS = ["$Money$", "$$", "A\\B {x}", "Plain", "{$5}"]
ODD_TERMS = ["$4", "$$", "\\alpha", "{x}", "^_^", "rose $5"]


def _odd_tables() -> dict[str, tuple]:
    """One table per plot function, every data string full of $, backslashes and braces."""
    o = ODD_OUTLETS
    comp = _comparison().assign(outlet=o)
    keyness = pd.DataFrame(
        [{"outlet": out, "reference": "rest", "term": t, "z": (j - 2.5)} for out in o for j, t in enumerate(ODD_TERMS)]
    )
    sim = pd.DataFrame(np.eye(3) * 0.5 + 0.5, index=o[:3], columns=o[:3])
    return {
        "plot_comparison": (F.plot_comparison, comp, {"title": "Price $4 to $5"}),
        "plot_readability": (F.plot_readability, comp, {}),
        "plot_readability_panels": (F.plot_readability_panels, pd.concat([comp, comp.assign(metric="smog")]), {}),
        "plot_audit": (F.plot_audit, pd.DataFrame({"outlet": o, "flesch_kincaid_grade": [10.0, 11, 12, 13, 14], "textstat_flesch_kincaid_grade": [11.0, 12, 15, 13, 14]}), {}),
        "plot_pairwise": (F.plot_pairwise, pd.DataFrame({"outlet_a": o[:2], "outlet_b": o[2:4], "metric": "smog", "difference": [1.0, -0.5], "ci_low": [0.2, -2], "ci_high": [1.8, 1]}), {}),
        "plot_diversity": (F.plot_diversity, pd.DataFrame({"outlet": o, "mattr": [0.7, 0.72, 0.75, 0.71, 0.69]}), {}),
        "plot_keyness": (F.plot_keyness, keyness, {"outlet": "$Money$"}),
        "plot_keyness_panels": (F.plot_keyness_panels, keyness, {}),
        "plot_similarity": (F.plot_similarity, sim, {"title": "Reuse of $$ text"}),
        "plot_originality": (F.plot_originality, pd.DataFrame({"outlet": o, "share_original": [0.1, 0.5, 0.9, 0.3, 0.2]}), {}),
        "plot_coverage": (F.plot_coverage, pd.DataFrame({"unit": [DOLLAR_SENTENCE, DOLLAR_SENTENCE, "\\{x} $$"], "outlet": [o[0], o[1], o[2]]}), {}),
        "plot_actor_labels": (F.plot_actor_labels, pd.DataFrame({"outlet": o[:3], "actor": ["$Corp$", "$Corp$", "A\\B"], "label": ["the $5 firm", "{braces}", "$$"], "n": [2, 1, 3]}), {}),
        "plot_sources": (F.plot_sources, pd.DataFrame({"outlet": o[:3], "source_type": ["named", "$anon$", "named"]}), {}),
        "plot_claims": (F.plot_claims, pd.DataFrame({"outlet": o[:3], "voice": ["active", "$x$", "active"]}), {}),
        "plot_frames": (F.plot_frames, pd.DataFrame({"outlet": o[:3], "frame": ["$Economic$", "{Political}", "$Economic$"], "per_1k_words": [2.0, 3.5, 1.0]}), {}),
        "plot_tone": (F.plot_tone, comp.assign(estimate=[-0.2, 0.1, 0.0, -0.1, 0.05], ci_low=-0.3, ci_high=0.2).drop(columns="metric"), {}),
    }


def test_every_plot_function_is_covered_by_the_literal_text_tests():
    public = {n for n in F.__all__ if n.startswith("plot_")}
    assert public == set(_odd_tables())


@pytest.mark.parametrize("name", list(_odd_tables()))
def test_dollars_backslashes_and_braces_are_drawn_literally(name, tmp_path):
    func, table, kw = _odd_tables()[name]
    out = func(table, **kw)
    fig = out if isinstance(out, matplotlib.figure.Figure) else out.figure
    fig.savefig(tmp_path / f"{name}.png", dpi=60)  # mathtext would raise here
    assert (tmp_path / f"{name}.png").stat().st_size > 1000
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    # every text the chart wrote is literal: shown exactly as its string reads
    assert all(not t.get_parse_math() and not t.get_usetex() for t in texts)
    shown = [t.get_text() for t in texts]
    data_strings = {str(s) for col in table.columns if not pd.api.types.is_numeric_dtype(table[col]) for s in table[col]} | set(table.index.astype(str))
    data_strings |= {str(v) for v in kw.values()}
    odd = {s for s in data_strings if any(c in s for c in "$\\{")}
    assert odd, "the table must carry odd strings"
    found = {s for s in odd if any(s in txt for txt in shown)}
    assert found, f"{name}: no data string shown literally; shown={shown[:20]}"


def test_coverage_of_a_shared_dollar_sentence_draws(tmp_path):
    """The attack: two outlets share a sentence with two dollar amounts."""
    from analysis.reuse import coverage

    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "event_id": "e",
            "outlet": ["$Money$ Daily", "Wire \\ Co", "{Blog}"],
            "text": [
                f"Markets were calm on Monday. {DOLLAR_SENTENCE}",
                f"{DOLLAR_SENTENCE} Analysts expect more volatility.",
                "Gardeners planted tulips along the river this spring.",
            ],
        }
    )
    cov = coverage(docs)
    ax = F.plot_coverage(cov)
    ax.figure.savefig(tmp_path / "coverage.png", dpi=60)
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert DOLLAR_SENTENCE in rows  # the unit of both outlets, shown exactly
    cols = [t.get_text() for t in ax.get_xticklabels()]
    assert "{Blog}" in cols and "Wire \\ Co" in cols


def test_text_the_caller_wrote_before_keeps_its_maths():
    fig, ax = plt.subplots()
    mine = ax.text(0.5, 0.5, r"$\alpha$")
    F.plot_diversity(pd.DataFrame({"outlet": ODD_OUTLETS, "mattr": [0.7, 0.72, 0.75, 0.71, 0.69]}), ax=ax)
    assert mine.get_parse_math()
    labels = [t for t in ax.get_yticklabels() if t.get_text() == "$Money$"]
    assert len(labels) == 1 and not labels[0].get_parse_math()


# --- many outlets: charts cap what they draw and say so ------------------------------------------


def _many_outlet_tables(n: int = 150) -> dict[str, tuple]:
    outs = [f"outlet {i:03d}" for i in range(n)]
    g = np.random.default_rng(7)
    est = g.normal(10, 2, n)
    comp = pd.DataFrame({"outlet": outs, "metric": "smog", "n_docs": g.integers(1, 20, n), "estimate": est, "ci_low": est - 1, "ci_high": est + 1})
    docs_rows = pd.DataFrame({"outlet": np.repeat(outs, 2), "doc_id": [f"d{i}" for i in range(2 * n)]})
    pairs = [(a, b) for i, a in enumerate(outs) for b in outs[i + 1 :]]
    diffs = g.normal(0, 1, len(pairs))
    keyness = pd.DataFrame([{"outlet": o, "reference": "rest", "term": f"t{j}", "n_target": j + i, "z": j - 2.5} for i, o in enumerate(outs) for j in range(6)])
    sim_vals = g.uniform(0, 0.5, (n, n))
    sim = pd.DataFrame((sim_vals + sim_vals.T) / 2, index=outs, columns=outs)
    cov = pd.DataFrame({"unit": [f"unit {i // 3}" for i in range(180)], "outlet": [outs[i % n] for i in range(180)]})
    return {
        "plot_comparison": (F.plot_comparison, comp, {}),
        "plot_readability": (F.plot_readability, comp, {"metric": "smog"}),
        "plot_readability_panels": (F.plot_readability_panels, pd.concat([comp, comp.assign(metric="ari")]), {}),
        "plot_audit": (F.plot_audit, docs_rows.assign(flesch_kincaid_grade=g.normal(10, 2, 2 * n), textstat_flesch_kincaid_grade=g.normal(11, 2, 2 * n)), {}),
        "plot_pairwise": (F.plot_pairwise, pd.DataFrame({"outlet_a": [p[0] for p in pairs], "outlet_b": [p[1] for p in pairs], "metric": "smog", "difference": diffs, "ci_low": diffs - 1, "ci_high": diffs + 1}), {}),
        "plot_diversity": (F.plot_diversity, docs_rows.assign(mattr=g.uniform(0.6, 0.8, 2 * n)), {}),
        "plot_keyness_panels": (F.plot_keyness_panels, keyness, {}),
        "plot_similarity": (F.plot_similarity, sim, {}),
        "plot_originality": (F.plot_originality, docs_rows.assign(share_original=g.uniform(0, 1, 2 * n)), {}),
        "plot_coverage": (F.plot_coverage, cov, {}),
        "plot_actor_labels": (F.plot_actor_labels, pd.DataFrame({"outlet": outs, "actor": "Hamas", "label": "the group", "n": np.arange(n) + 1}), {}),
        "plot_sources": (F.plot_sources, pd.DataFrame({"outlet": np.repeat(outs, 2), "source_type": ["named", "anonymous"] * n}), {}),
        "plot_claims": (F.plot_claims, pd.DataFrame({"outlet": np.repeat(outs, 2), "voice": ["active", "passive_no_agent"] * n}), {}),
        "plot_frames": (F.plot_frames, pd.DataFrame({"outlet": np.repeat(outs, 2), "frame": ["Economic", "Political"] * n, "n_hits": 3, "n_words": 500}), {}),
        "plot_tone": (F.plot_tone, comp.drop(columns="metric").assign(estimate=g.uniform(-0.5, 0.5, n), ci_low=-0.6, ci_high=0.6), {}),
    }


@pytest.mark.parametrize("name", list(_many_outlet_tables()))
def test_150_outlets_are_capped_with_a_note_and_draw_quickly(name, tmp_path):
    import time

    func, table, kw = _many_outlet_tables()[name]
    t0 = time.perf_counter()
    out = func(table, **kw)
    fig = out if isinstance(out, matplotlib.figure.Figure) else out.figure
    fig.savefig(tmp_path / "many.png", dpi=100)
    elapsed = time.perf_counter() - t0
    assert elapsed < 30, f"{name} took {elapsed:.1f} s"  # uncapped: minutes for 150 outlets
    assert (tmp_path / "many.png").stat().st_size < 2_000_000
    width, height = fig.get_size_inches()
    assert width <= F.TWO_COLUMN and height < 16
    notes = [t.get_text() for ax in fig.axes for t in ax.texts if t.get_text().startswith("showing ")]
    assert notes, f"{name}: no note saying what was left out"
    expected = {
        "plot_pairwise": "showing 30 of 11175 pairs",
        "plot_similarity": "showing 30 of 150 rows",
        "plot_keyness_panels": "showing 12 of 150 outlets",
        "plot_actor_labels": "8 of 150 outlets",
        "plot_coverage": "showing 30 of 60 units, 30 of 150 outlets",
    }.get(name, "showing 30 of 150 outlets")
    assert any(expected in n for n in notes), notes
    # what is drawn is capped: never more outlet labels than the cap
    labels = {t.get_text().split("  ")[0] for ax in fig.axes for t in ax.get_yticklabels() + ax.get_xticklabels() + ax.texts}
    drawn = {s for s in labels if s.startswith("outlet ")}
    assert len(drawn) <= 30


def test_capped_comparison_keeps_the_outlets_with_most_articles():
    t = _comparison().assign(n_docs=[5, 1, 4, 3, 2])
    ax = F.plot_comparison(t, max_outlets=2)
    shown = {lab.get_text().split("  ")[0] for lab in ax.get_yticklabels()}
    assert shown == {"ABC News", "AP"}
    assert any(x.get_text() == "showing 2 of 5 outlets (most articles)" for x in ax.texts)
    # nothing left out: no note
    ax = F.plot_comparison(t)
    assert not [x for x in ax.texts if x.get_text().startswith("showing")]
    with pytest.raises(ParameterError, match="max_outlets"):
        F.plot_comparison(t, max_outlets=0)


def test_capped_pairwise_keeps_the_largest_differences():
    t = pd.DataFrame({"outlet_a": list("abcd"), "outlet_b": list("efgh"), "difference": [0.1, -3.0, 2.0, 0.5], "ci_low": -4.0, "ci_high": 4.0})
    ax = F.plot_pairwise(t, max_pairs=2)
    shown = [lab.get_text() for lab in ax.get_yticklabels()]
    assert shown == ["b − f", "c − g"]  # sorted by difference: -3 then 2


def test_claims_chart_leaves_out_dates_and_names_intransitive():
    import matplotlib.pyplot as plt

    table = pd.DataFrame({
        "outlet": ["AP", "AP", "AP", "VOI", "VOI"],
        "category": ["people", "date", "time", "people", "money"],
        "voice": ["intransitive", "none", "none", "active", "passive_no_agent"],
    })
    ax = F.plot_claims(table)
    widths = {}
    for c in ax.containers:
        widths[c.get_label()] = [round(r.get_width(), 6) for r in c.patches]
    # two dates/times dropped: AP keeps 1 (intransitive), VOI 2 (active, passive)
    assert sum(sum(w) for w in widths.values()) == 3
    assert "no agent (intransitive)" in widths and "no verb" not in widths
    assert any(t.get_text() == "2 dates and clock times not shown" for t in ax.texts)
    plt.close(ax.figure)
    with pytest.raises(NotEnoughData):
        F.plot_claims(table[table["category"].isin(["date", "time"])])
