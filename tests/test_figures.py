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


def _rows_top_down(ax) -> list[str]:
    """Outlet names of the y tick labels, top row first (whatever the axis direction)."""
    ticks = sorted(zip(ax.get_yticks(), [t.get_text().split("  ")[0] for t in ax.get_yticklabels()]))
    lo, hi = ax.get_ylim()
    return [lab for _, lab in (ticks if lo > hi else reversed(ticks))]


def _dot_rows(ax) -> dict[float, str]:
    """y of every estimate dot -> its colour (dots are the 'o' markers)."""
    return {float(line.get_ydata()[0]): matplotlib.colors.to_hex(line.get_color()) for line in ax.lines if line.get_marker() == "o"}


def test_comparison_sorted_by_estimate_with_direction_in_the_axis_label():
    ax = F.plot_comparison(_comparison())
    # top to bottom: descending estimate, AP (14) … Reuters (9)
    assert _rows_top_down(ax) == ["AP", "ABC News", "VOI", "Bloomberg", "Reuters republisher"]
    assert "higher = harder to read" in " ".join(ax.get_xlabel().split())
    assert ax.get_title(loc="left") == ""  # no title unless asked
    ax = F.plot_comparison(_comparison("flesch_reading_ease"))
    assert "higher = easier to read" in " ".join(ax.get_xlabel().split())


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
    ap = table[table["outlet"] == "AP"].sort_values("z", ascending=False)  # top to bottom
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


def test_a_plot_function_calling_another_keeps_the_callers_maths_and_walks_the_figure_once(monkeypatch):
    # plot_readability draws through plot_comparison: the outer call alone protects the texts
    walks = []
    own = matplotlib.artist.Artist.findobj

    def counting(self, *args, **kwargs):
        if self is fig:
            walks.append(1)
        return own(self, *args, **kwargs)

    fig, ax = plt.subplots()
    mine = ax.text(0.5, 0.5, r"$\alpha$")
    monkeypatch.setattr(matplotlib.artist.Artist, "findobj", counting)
    F.plot_readability(_comparison().assign(outlet=ODD_OUTLETS), metric="flesch_kincaid_grade", ax=ax)
    assert len(walks) == 2  # once before (the caller's texts), once after; none for the inner call
    assert mine.get_parse_math()
    labels = [t for t in ax.get_yticklabels() if t.get_text().startswith("$Money$")]  # "$Money$  (n=1)"
    assert len(labels) == 1 and not labels[0].get_parse_math()
    plt.close(fig)


def test_a_failed_plot_call_leaves_the_next_one_protected():
    with pytest.raises(ParameterError):
        F.plot_readability_panels(pd.DataFrame({"outlet": ["a"]}))  # columns missing
    out = F.plot_readability(_comparison().assign(outlet=ODD_OUTLETS), metric="flesch_kincaid_grade")
    assert not any(t.get_parse_math() for t in out.get_yticklabels())
    plt.close(out.figure)


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
    assert shown == ["c − g", "b − f"]  # top to bottom by difference: 2 then -3


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


# --- figures for papers: no titles unless asked, order=, **kwargs, shared axes, palettes --------


@pytest.mark.parametrize("name", list(_sample_tables()))
def test_no_title_is_drawn_unless_asked(name):
    func, table, kw = _sample_tables()[name]
    ax = func(table, **kw)
    titles = [a.get_title(loc=loc) for a in ax.figure.axes for loc in ("left", "center", "right")]
    assert not any(titles), titles
    plt.close("all")
    ax = func(table, title="Figure caption stand-in", **kw)
    assert ax.get_title(loc="left").replace("\n", " ") == "Figure caption stand-in"  # long titles wrap


def test_panel_figures_draw_no_figure_title_unless_asked():
    comp = pd.concat([_comparison(), _comparison("smog")])
    fig = F.plot_readability_panels(comp)
    assert fig._suptitle is None
    # each panel is headed by its metric (what the panel shows), not by a figure title
    assert [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()] == [F.metric_label("flesch_kincaid_grade"), F.metric_label("smog")]
    fig = F.plot_keyness_panels(_keyness(), title="Distinctive words")
    assert fig._suptitle.get_text() == "Distinctive words"


def test_two_readability_charts_on_shared_y_axes_label_every_dot_right():
    colors = F.outlet_colors(OUTLETS)
    first = _comparison()  # AP highest
    second = _comparison().assign(estimate=[9.0, 14.0, 10.0, 13.0, 12.0])  # another order: Reuters highest
    second = second.assign(ci_low=second["estimate"] - 1, ci_high=second["estimate"] + 1)
    fig, (a1, a2) = plt.subplots(1, 2, sharey=True)
    F.plot_readability(first, ax=a1, colors=colors)
    F.plot_readability(second, ax=a2, colors=colors)
    fig.canvas.draw()
    # the right panel hides its tick labels (sharey): the shared ticks read the same for both
    labels = {float(y): t.get_text().split("  ")[0] for y, t in zip(a1.get_yticks(), a1.get_yticklabels())}
    assert sorted(labels.values()) == sorted(OUTLETS)
    for ax, table in ((a1, first), (a2, second)):
        dots = _dot_rows(ax)
        assert len(dots) == len(OUTLETS)
        for y, colour in dots.items():
            assert colour.lower() == colors[labels[y]].lower(), f"dot of {colour} sits on {labels[y]}'s row"
        # and each dot is at its outlet's estimate
        for line in ax.lines:
            if line.get_marker() == "o":
                outlet = labels[float(line.get_ydata()[0])]
                assert line.get_xdata()[0] == table.set_index("outlet").loc[outlet, "estimate"]
    # the second chart added no row: both show the same five outlets once
    assert len(a2.get_yticks()) == len(OUTLETS)


def test_shared_axes_keep_rows_for_other_row_charts():
    colors = F.outlet_colors(OUTLETS)
    div = pd.DataFrame({"outlet": OUTLETS, "mattr": [0.7, 0.72, 0.75, 0.71, 0.69]})
    orig = pd.DataFrame({"outlet": OUTLETS, "share_original": [0.9, 0.1, 0.5, 0.3, 0.2]})
    fig, (a1, a2) = plt.subplots(1, 2, sharey=True)
    F.plot_diversity(div, ax=a1, colors=colors)
    F.plot_originality(orig, ax=a2, colors=colors)
    fig.canvas.draw()
    labels = {float(y): t.get_text().split("  ")[0] for y, t in zip(a1.get_yticks(), a1.get_yticklabels())}
    assert sorted(labels.values()) == sorted(OUTLETS)
    for ax in (a1, a2):
        for bar in ax.patches:
            face = matplotlib.colors.to_hex(bar.get_facecolor())
            if face.lower() == "#e6e6e6":  # the grey 'shared' remainder of originality
                continue
            y = bar.get_y() + bar.get_height() / 2
            assert colors[labels[round(y, 6)]].lower() == face.lower()


ORDER = ["VOI", "AP", "ABC News"]


def test_order_sets_rows_top_to_bottom():
    comp = _comparison()
    for func, table, kw in (
        (F.plot_comparison, comp, {}),
        (F.plot_readability, comp, {}),
        (F.plot_diversity, pd.DataFrame({"outlet": OUTLETS, "mattr": [0.7, 0.72, 0.75, 0.71, 0.69]}), {}),
        (F.plot_originality, pd.DataFrame({"outlet": OUTLETS, "share_original": [0.9, 0.1, 0.5, 0.3, 0.2]}), {}),
        (F.plot_tone, comp.assign(estimate=0.0, ci_low=-0.1, ci_high=0.1).drop(columns="metric"), {}),
        (F.plot_sources, pd.DataFrame({"outlet": OUTLETS, "source_type": "named"}), {}),
        (F.plot_claims, pd.DataFrame({"outlet": OUTLETS, "voice": "active"}), {}),
    ):
        ax = func(table, order=ORDER, **kw)
        assert _rows_top_down(ax) == ORDER, func.__name__
        plt.close("all")


def test_order_sets_columns_panels_terms_and_pairs():
    frames = pd.DataFrame({"outlet": OUTLETS, "frame": "Economic", "per_1k_words": [1.0, 2, 3, 4, 5]})
    ax = F.plot_frames(frames, order=ORDER)
    assert [t.get_text() for t in ax.get_xticklabels()] == ORDER
    cov = pd.DataFrame({"unit": ["a", "a", "b", "b"], "outlet": ["AP", "VOI", "ABC News", "AP"]})
    ax = F.plot_coverage(cov, order=ORDER)
    assert [t.get_text() for t in ax.get_xticklabels()] == ORDER
    sim = pd.DataFrame(np.eye(5) * 0.5 + 0.3, index=OUTLETS, columns=OUTLETS)
    ax = F.plot_similarity(sim, order=ORDER)
    assert [t.get_text() for t in ax.get_yticklabels()] == ORDER
    labels = pd.DataFrame({"outlet": ["AP", "VOI", "ABC News"], "actor": "Hamas", "label": ["militants", "Hamas", "terrorists"], "n": [2, 1, 3]})
    ax = F.plot_actor_labels(labels, order=ORDER)
    heads = [t.get_text() for t in ax.texts if t.get_text() in ORDER]
    assert heads == ORDER
    fig = F.plot_keyness_panels(_keyness(), order=ORDER)
    assert [a.get_title(loc="left") for a in fig.axes if a.get_visible()] == ORDER
    ax = F.plot_keyness(_keyness(), outlet="AP", order=["gaza", "rafah"])
    assert [p.get_width() for p in ax.patches] == pytest.approx([1.5 * 1.2, -2.5 * 1.2])  # z of gaza, then rafah
    pairs = pd.DataFrame({"outlet_a": ["AP", "VOI", "AP", "Bloomberg"], "outlet_b": ["ABC News", "ABC News", "VOI", "AP"],
                          "difference": [1.0, 2.0, 3.0, 4.0], "ci_low": 0.5, "ci_high": 4.5})
    ax = F.plot_pairwise(pairs, order=ORDER)
    # only pairs of two listed outlets, by the first outlet's place in the order, then the second's
    assert _rows_top_down(ax) == ["VOI − ABC News", "AP − VOI", "AP − ABC News"]
    with pytest.raises(ParameterError, match=r"not in the table: \['Fox'\]"):
        F.plot_comparison(_comparison(), order=["AP", "Fox"])
    with pytest.raises(ParameterError, match="list of outlets"):
        F.plot_comparison(_comparison(), order="AP")


def test_keyword_arguments_reach_the_main_matplotlib_call():
    ax = F.plot_readability(_comparison(), markersize=9)
    assert {line.get_markersize() for line in ax.lines if line.get_marker() == "o"} == {9}
    ax = F.plot_diversity(pd.DataFrame({"outlet": OUTLETS, "mattr": [0.7, 0.72, 0.75, 0.71, 0.69]}), hatch="//")
    assert {p.get_hatch() for p in ax.patches} == {"//"}
    ax = F.plot_similarity(pd.DataFrame(np.eye(2), index=["a", "b"], columns=["a", "b"]), cmap="Greys")
    assert ax.images[0].get_cmap().name == "Greys"
    ax = F.plot_audit(pd.DataFrame({"outlet": OUTLETS, "flesch_kincaid_grade": [10.0, 11, 12, 13, 14], "textstat_flesch_kincaid_grade": [11.0, 12, 15, 13, 14]}), marker="s")
    assert len(ax.collections) == len(OUTLETS)


def test_count_axes_have_integer_ticks():
    ax = F.plot_sources(pd.DataFrame({"outlet": ["AP", "AP", "VOI"], "source_type": ["named", "anonymous", "named"]}))
    ax.figure.canvas.draw()
    ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks)
    ax = F.plot_claims(pd.DataFrame({"outlet": ["AP", "VOI"], "voice": ["active", "passive_no_agent"]}))
    ax.figure.canvas.draw()
    assert all(float(t).is_integer() for t in ax.get_xticks())


def test_category_palette_is_apart_from_outlet_colours():
    outlet_palette = {c.lower() for c in F.outlet_colors([f"o{i:02d}" for i in range(17)]).values()}
    cats = F.category_colors(["named", "institutional", "anonymous", "unattributed", "Economic", "Political", "Morality"])
    assert not {c.lower() for c in cats.values()} & outlet_palette
    assert len(set(cats.values())) == len(cats)  # distinct while the palette lasts
    assert cats["named"] == F.CATEGORY_COLORS["named"]  # fixed colour, whatever else is in the chart
    assert F.category_colors(["anonymous"])["anonymous"] == cats["anonymous"]
    # light enough for dark count labels (relative luminance > 0.35)
    for c in cats.values():
        r, g, b = matplotlib.colors.to_rgb(c)
        assert 0.299 * r + 0.587 * g + 0.114 * b > 0.35
    ax = F.plot_sources(pd.DataFrame({"outlet": ["AP", "AP", "VOI"], "source_type": ["named", "anonymous", "named"]}))
    faces = {matplotlib.colors.to_hex(p.get_facecolor()).lower() for p in ax.patches}
    assert faces and not faces & outlet_palette


def test_keyness_shows_insignificant_terms_hollow_or_not_at_all():
    t = _keyness()
    t = t.assign(q=np.where(t["term"].isin(["rafah", "biden"]), 0.01, 0.5))
    ax = F.plot_keyness(t, outlet="AP", n_terms=3)
    filled = {txt.get_text() for txt, p in zip(ax.texts, ax.patches) if matplotlib.colors.to_hex(p.get_facecolor()) != "#ffffff"}
    assert filled == {"rafah", "biden"}
    assert "hollow = q ≥ 0.05" in ax.get_xlabel()
    ax = F.plot_keyness(t, outlet="AP", n_terms=3, significant_only=True)
    assert sorted(txt.get_text() for txt in ax.texts) == ["biden", "rafah"]
    none = t.assign(q=0.9)
    ax = F.plot_keyness(none, outlet="AP", significant_only=True)
    assert not ax.patches
    assert any("no term passes q < 0.05" in txt.get_text() for txt in ax.texts)
    ax = F.plot_keyness(none, outlet="AP")  # all hollow, and the label says nothing passes
    assert len(ax.patches) == 6 and "no term passes q < 0.05" in ax.get_xlabel()
    assert {matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches} == {"#ffffff"}


def test_second_chart_on_the_same_axes_keeps_the_rows_and_a_cleared_axes_starts_afresh():
    colors = F.outlet_colors(OUTLETS)
    second = _comparison().assign(estimate=[9.0, 14.0, 10.0, 13.0, 12.0])
    fig, ax = plt.subplots()
    F.plot_readability(_comparison(), ax=ax, colors=colors)
    F.plot_readability(second.assign(ci_low=second["estimate"] - 1, ci_high=second["estimate"] + 1), ax=ax, colors=colors)
    labels = {float(y): t.get_text().split("  ")[0] for y, t in zip(ax.get_yticks(), ax.get_yticklabels())}
    assert len(labels) == len(OUTLETS)
    for line in ax.lines:
        if line.get_marker() == "o":
            assert matplotlib.colors.to_hex(line.get_color()).lower() == colors[labels[float(line.get_ydata()[0])]].lower()
    ax.cla()
    F.plot_readability(_comparison().iloc[:2], ax=ax)
    assert _rows_top_down(ax) == ["ABC News", "Reuters republisher"]


def test_coverage_keeps_each_outlets_own_units_visible():
    """40 units all five outlets share, then 4 units only C reported and 4 only E reported: with
    room for 30 rows the top-30 rule drew no exclusive unit; now each outlet keeps up to
    30 // (2 * 5) = 3 of its own, shared units fill the rest, and exclusives come last, by column."""
    outlets = list("ABCDE")
    rows = [dict.fromkeys(outlets, 1) for _ in range(40)]
    rows += [{**dict.fromkeys(outlets, 0), "C": 1} for _ in range(4)]
    rows += [{**dict.fromkeys(outlets, 0), "E": 1} for _ in range(4)]
    m = pd.DataFrame(rows, index=[f"shared {i}" for i in range(40)] + [f"only C {i}" for i in range(4)] + [f"only E {i}" for i in range(4)])
    ax = F.plot_coverage(m, max_units=30)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 30
    assert labels[:24] == [f"shared {i}" for i in range(24)]
    assert labels[24:] == ["only C 0", "only C 1", "only C 2", "only E 0", "only E 1", "only E 2"]
    plt.close(ax.figure)
    # nothing left out: every unit, widely reported first
    ax = F.plot_coverage(m.iloc[36:], max_units=30)
    assert [t.get_text() for t in ax.get_yticklabels()][:4] == [f"shared {i}" for i in range(36, 40)]
    assert len(ax.get_yticklabels()) == 12
    plt.close(ax.figure)


def test_actor_labels_merge_case_wrap_long_labels_and_say_what_is_hidden():
    t = pd.DataFrame({
        "actor": ["Hamas"] * 7,
        "outlet": ["ABC News"] * 6 + ["AP"],
        "label": ["Militant group", "militant group", "militant group", "the designated foreign terrorist organisation",
                  "fighters", "rulers", "terrorists"],
        "n": [1, 2, 1, 2, 1, 1, 1],
    })
    ax = F.plot_actor_labels(t, max_labels=3)
    texts = [x.get_text() for x in ax.texts]
    abc = next(x for x in texts if "militant group (4)" in x)  # 1 + 2 + 1, the most frequent spelling
    assert "Militant group" not in abc
    lines = abc.split("\n")
    assert lines[0] == "militant group (4)"
    # the long label is wrapped to its column, not cut; the hidden one is counted
    assert "…" not in abc and " ".join(lines[1:-2]) == "the designated foreign terrorist organisation (2)"
    assert lines[-2:] == ["fighters (1)", "+1 more"]  # rulers (1) hidden: ties go by label
    plt.close(ax.figure)


def test_actor_labels_mark_quoted_and_attributed_labels():
    rows = pd.DataFrame({
        "actor": ["Hamas"] * 4, "outlet": ["Bloomberg", "AP", "AP", "AP"],
        "label": ["terrorist group", "militant group", "militant group", "militant group"],
        "in_quote": [False, True, False, False],
        "attributed_to": ["US and European Union", None, None, None],
    })
    counts = (rows.assign(n=1, n_in_quote=rows["in_quote"].astype(int), attributed_to=rows["attributed_to"].fillna(""))
              .groupby(["actor", "outlet", "label"], as_index=False).agg(n=("n", "sum"), n_in_quote=("n_in_quote", "sum"),
                                                                         attributed_to=("attributed_to", "max")))
    for table in (counts, rows):  # the counted table, or the label rows themselves
        ax = F.plot_actor_labels(table)
        text = " ".join(" ".join(x.get_text().split("\n")) for x in ax.texts)
        assert "militant group (3; 1 quoted)" in text
        assert "terrorist group (1; per US and European Union)" in text
        plt.close(ax.figure)


def test_long_axis_label_is_broken_to_the_axes_so_the_data_keeps_its_width(tmp_path):
    # long row labels on the left and a long x label: laid out to its exact width, the chart
    # must keep most of the room right of the labels for the data, not squeeze the axes
    from analysis import output

    table = pd.DataFrame({"outlet": ["Reuters republisher", "Bloomberg", "AP"], "estimate": [1.0, 2.0, 3.0],
                          "ci_low": [0.5, 1.5, 2.5], "ci_high": [1.5, 2.5, 3.5], "n_docs": [1, 1, 1]})
    with F.paper_style():
        ax = F.plot_tone(table.assign(metric="vader_compound"))
    fig = ax.figure
    text = " ".join(ax.get_xlabel().split())
    assert text.startswith("mean VADER compound score (left = more negative, right = more positive")
    output.save_figure(fig, "tone", table, tmp_path, formats=("png",), dpi=100)
    with output._laid_out(fig, 100) as bbox:
        renderer = fig.canvas.get_renderer()
        axes_w = ax.get_window_extent(renderer).width / 100
        labels_right = max(t.get_window_extent(renderer).x1 for t in ax.get_yticklabels() if t.get_text()) / 100
        label_box = ax.xaxis.label.get_window_extent(renderer)
    assert abs(bbox.width - 3.5) < 0.01
    assert axes_w > 0.75 * (3.5 - labels_right)  # with the label wrapped at 60 characters: 55 %
    assert label_box.x1 / 100 <= bbox.x1 + 0.01  # and the label still fits in the file
    plt.close(fig)


def test_coverage_cap_note_sits_below_the_cells_not_over_them():
    # 40 units, 3 outlets: 30 drawn; the note must not cover the last row of cells
    m = pd.DataFrame({"A": [1, 0] * 20, "B": [0, 1] * 20, "C": [1] * 40}, index=[f"unit {i}" for i in range(40)])
    ax = F.plot_coverage(m)
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    notes = [t for t in ax.texts if t.get_text().startswith("showing ")]
    assert [t.get_text() for t in notes] == ["showing 30 of 40 units"]
    note, cells = notes[0].get_window_extent(renderer), ax.get_window_extent(renderer)
    assert note.y1 <= cells.y0 + 0.5  # entirely under the grid of cells
    assert note.x1 <= cells.x1 + 0.5  # right-aligned with it
    plt.close(fig)
