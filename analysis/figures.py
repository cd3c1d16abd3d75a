"""Paper-ready charts for every measure of the kit.

Every single-panel function has the signature ``plot_*(table, *, ax=None, ...) -> Axes``: it draws
into ``ax`` when given, otherwise it creates one figure sized for a journal column. Multi-panel
functions (``*_panels``) return the :class:`~matplotlib.figure.Figure`. Plotting code never calls
``plt.show``, ``savefig`` or changes global ``rcParams``; the caller applies the paper style::

    with analysis.figures.paper_style():
        ax = analysis.figures.plot_comparison(table)
    analysis.output.save_figure(ax.figure, "readability", table, outdir)

Colours come from :func:`outlet_colors`: the Okabe & Ito (2008) colour-blind-safe palette, then
Paul Tol's "muted" scheme, assigned to the sorted outlet names so that an outlet keeps its colour
in every chart of a report.

Text that comes from the data (outlet names, sentences, terms, labels, titles built from them)
is drawn literally: every ``plot_*`` turns matplotlib's maths parsing and TeX off for the text
it writes (:func:`_literal_text`), so "$4 ... $5", ``$$``, backslashes and braces show as typed
and never raise. Charts that draw one element per outlet, unit, pair or label draw at most a
fixed number of them (:data:`MAX_OUTLETS` outlets by default) and say so in a note inside the
axes ("showing 30 of 150 outlets"), so a story with many outlets still draws quickly.
"""

from __future__ import annotations

import contextlib
import functools
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis.errors import NotEnoughData, ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "ONE_COLUMN",
    "TWO_COLUMN",
    "MAX_OUTLETS",
    "STYLE_PATH",
    "METRICS",
    "paper_style",
    "outlet_colors",
    "metric_label",
    "plot_comparison",
    "plot_readability",
    "plot_readability_panels",
    "plot_audit",
    "plot_pairwise",
    "plot_diversity",
    "plot_keyness",
    "plot_keyness_panels",
    "plot_similarity",
    "plot_originality",
    "plot_coverage",
    "plot_actor_labels",
    "plot_sources",
    "plot_claims",
    "plot_frames",
    "plot_tone",
]

#: Width in inches of a one-column figure (most journals: 3.3–3.5 in).
ONE_COLUMN: float = 3.5
#: Width in inches of a two-column (full page width) figure.
TWO_COLUMN: float = 7.2
#: Most outlets (rows, columns or panels) one chart draws by default; the others are counted
#: in a note inside the axes. Keeps a story with 150 outlets to a readable, quick chart.
MAX_OUTLETS: int = 30
#: The paper style sheet shipped with the package.
STYLE_PATH: Path = Path(__file__).resolve().parent / "style" / "paper.mplstyle"

#: Okabe & Ito (2008), "Color Universal Design", without yellow/black first (poor on white).
_OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]
#: Paul Tol's "muted" qualitative scheme (https://personal.sron.nl/~pault/) for outlets 9-17.
_TOL_MUTED = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499"]
_PALETTE = _OKABE_ITO + _TOL_MUTED
_GREY = "#8c8c8c"

#: Display label and reading direction of the metrics the kit computes (column name -> (label, direction)).
METRICS: dict[str, tuple[str, str]] = {
    "flesch_reading_ease": ("Flesch Reading Ease", "higher = easier to read"),
    "flesch_kincaid_grade": ("Flesch–Kincaid grade", "higher = harder to read"),
    "gunning_fog": ("Gunning Fog index", "higher = harder to read"),
    "smog": ("SMOG grade", "higher = harder to read"),
    "coleman_liau": ("Coleman–Liau index", "higher = harder to read"),
    "ari": ("Automated Readability Index", "higher = harder to read"),
    "dale_chall_1948": ("Dale–Chall score (1948)", "higher = harder to read"),
    "linsear_write": ("Linsear Write", "higher = harder to read"),
    "lix": ("LIX", "higher = harder to read"),
    "consensus_grade": ("Consensus grade", "higher = harder to read"),
    "words_per_sentence": ("Words per sentence", "higher = longer sentences"),
    "syllables_per_word": ("Syllables per word", "higher = longer words"),
    "n_words": ("Words", "article length"),
    "n_sentences": ("Sentences", "article length"),
    "ttr": ("Type–token ratio", "higher = more varied vocabulary"),
    "mattr": ("Moving-average TTR", "higher = more varied vocabulary"),
    "mtld": ("MTLD", "higher = more varied vocabulary"),
    "hdd": ("HD-D", "higher = more varied vocabulary"),
    "compound": ("VADER compound tone", "−1 negative … +1 positive"),
    "tone": ("VADER compound tone", "−1 negative … +1 positive"),
    "vader_compound": ("VADER compound tone", "−1 negative … +1 positive"),
}


# --------------------------------------------------------------------------------------------
# style and colours
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def paper_style(overrides: Mapping[str, Any] | None = None) -> Iterator[None]:
    """Apply the kit's paper style (``analysis/style/paper.mplstyle``) inside a ``with`` block.

    Parameters
    ----------
    overrides : mapping, optional
        Extra rcParams applied on top of the style (e.g. ``{"font.size": 9}``).

    Notes
    -----
    The style embeds TrueType fonts in PDF (``pdf.fonttype: 42``), uses DejaVu Sans, and sizes
    text for a one-column (3.5 in) figure. Settings are restored when the block exits.
    """
    import matplotlib.pyplot as plt

    sheets: list[Any] = [str(STYLE_PATH)]
    if overrides:
        sheets.append(dict(overrides))
    with plt.style.context(sheets):
        yield


def outlet_colors(outlets: Iterable[str] | pd.Series | pd.DataFrame) -> dict[str, str]:
    """Give every outlet a fixed colour-blind-safe colour.

    Parameters
    ----------
    outlets : iterable of str, Series, or a docs/feature DataFrame with an ``outlet`` column
        The outlets of the report. Pass the full set (e.g. ``docs``) so that every chart of a
        report uses the same mapping.

    Returns
    -------
    dict
        ``{outlet: "#rrggbb"}``. Sorted outlet names are assigned Okabe–Ito colours first, then
        Paul Tol's muted scheme; past 17 outlets the colours repeat.
    """
    if isinstance(outlets, pd.DataFrame):
        if "outlet" not in outlets.columns:
            raise ParameterError("outlet_colors: the DataFrame has no 'outlet' column; pass the docs table or a list of outlets.")
        outlets = outlets["outlet"]
    names = sorted({str(o) for o in outlets})
    return {name: _PALETTE[i % len(_PALETTE)] for i, name in enumerate(names)}


def metric_label(metric: str, *, direction: bool = True) -> str:
    """Human label of a metric column, with its direction ("higher = harder to read").

    Parameters
    ----------
    metric : str
        A column name such as ``"flesch_kincaid_grade"``.
    direction : bool
        Append the reading direction in parentheses when known.
    """
    label, how = METRICS.get(metric, (metric.replace("_", " ").capitalize(), ""))
    if direction and how:
        return f"{label} ({how})"
    return label


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _literal_text(func):
    """Make every text a plot function writes literal: no mathtext, no TeX.

    The one place where data strings are protected. matplotlib parses text between two ``$``
    as maths, so an article sentence such as "Shares fell to $4 ... rose to $5." raises at
    draw time and an outlet called "$Money$" is typeset as maths. After the wrapped function
    has drawn, every Text artist of the figure that is new or whose string changed (titles,
    axis labels, tick labels, legend entries, annotations, colour-bar labels) gets
    ``parse_math=False`` and ``usetex=False``: it is drawn exactly as its string reads.
    Text the caller put on a given ``ax`` before the call is left as it was.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any):
        from matplotlib.text import Text

        ax = kwargs.get("ax")
        before = {t: t.get_text() for t in ax.figure.findobj(Text)} if ax is not None else {}
        out = func(*args, **kwargs)
        fig = out if not hasattr(out, "figure") or out.figure is None else out.figure
        for t in fig.findobj(Text):
            if t not in before or before[t] != t.get_text():
                t.set_parse_math(False)
                t.set_usetex(False)
        return out

    return wrapper


def _check_cap(value: Any, name: str, func: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ParameterError(f"{func}: `{name}` must be an integer >= 1 (most elements drawn), got {value!r}.")
    return int(value)


def _top(weights: pd.Series, cap: int) -> list:
    """The ``cap`` keys of ``weights`` with the largest values (ties: sorted key order)."""
    w = weights.groupby(level=0).sum()
    order = sorted(w.index, key=lambda k: (-float(w[k]) if pd.notna(w[k]) else 0.0, str(k)))
    return order[:cap]


def _outlet_weights(table: pd.DataFrame, col: str = "outlet") -> tuple[pd.Series, str]:
    """How much each outlet weighs when only the top outlets are drawn, and in what unit.

    Articles (``n_docs``, else distinct ``doc_id``), else table rows.
    """
    if "n_docs" in table.columns:
        return table.groupby(col, sort=False)["n_docs"].max().fillna(0), "most articles"
    if "doc_id" in table.columns:
        return table.groupby(col, sort=False)["doc_id"].nunique(), "most articles"
    return table.groupby(col, sort=False).size(), "most rows"


def _cap_outlets(table: pd.DataFrame, cap: int, *, col: str = "outlet") -> tuple[pd.DataFrame, int, str]:
    """Rows of the ``cap`` heaviest outlets (see :func:`_outlet_weights`); also the total."""
    total = table[col].nunique()
    if total <= cap:
        return table, total, ""
    weights, how = _outlet_weights(table, col)
    keep = set(_top(weights, cap))
    return table[table[col].isin(keep)], total, how


def _cap_note(ax: Axes, parts: Iterable[tuple[int, int, str]], how: str = "") -> None:
    """Say inside the axes what a capped chart leaves out: "showing 30 of 150 outlets"."""
    said = [f"{shown} of {total} {what}" for shown, total, what in parts if total > shown]
    if not said:
        return
    note = "showing " + ", ".join(said) + (f" ({how})" if how else "")
    ax.text(
        0.995, 0.005, note, transform=ax.transAxes, ha="right", va="bottom", fontsize=5.5,
        color="#555555", zorder=10, bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
    )


def _require(table: pd.DataFrame, columns: Iterable[str], func: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"{func}: expected a pandas DataFrame, got {type(table).__name__}.")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ParameterError(
            f"{func}: table lacks column(s) {missing}; it has {list(table.columns)}. "
            "Pass the table returned by the matching analysis function."
        )
    if table.empty:
        raise NotEnoughData(f"{func}: the table is empty; nothing to plot.")


def _new_ax(width: float = ONE_COLUMN, height: float = 2.4) -> Axes:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height))
    return ax


def _rows_height(n_rows: int, *, per_row: float = 0.24, base: float = 0.9, minimum: float = 1.6) -> float:
    return max(minimum, base + per_row * n_rows)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width=width)) or str(text)


def _short(text: str, width: int = 22) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _colors_for(outlets: Iterable[str], colors: Mapping[str, str] | None) -> dict[str, str]:
    outlets = list(outlets)
    if colors is None:
        return outlet_colors(outlets)
    missing = [o for o in outlets if o not in colors]
    if missing:
        extra = outlet_colors(missing)
        return {**extra, **dict(colors)}
    return dict(colors)


def _title(ax: Axes, title: str, subtitle: str = "") -> None:
    ax.set_title(title if not subtitle else f"{title}\n{subtitle}", loc="left")


def _interval_table(
    ax: Axes,
    table: pd.DataFrame,
    *,
    label_col: str,
    colors: Mapping[str, str] | None,
    color_col: str | None,
    xlabel: str,
    title: str,
    zero_line: bool = False,
) -> Axes:
    """Dot + horizontal interval, one row per ``label_col`` value, sorted by estimate."""
    t = table.sort_values("estimate", ascending=True, kind="stable").reset_index(drop=True)
    y = np.arange(len(t))
    cmap = _colors_for(t[color_col] if color_col else [], colors) if color_col else {}
    for i, row in t.iterrows():
        c = cmap.get(row[color_col], "#333333") if color_col else "#333333"
        lo, hi, est = row["ci_low"], row["ci_high"], row["estimate"]
        if pd.notna(lo) and pd.notna(hi):
            ax.plot([lo, hi], [i, i], color=c, lw=1.6, solid_capstyle="butt", zorder=2)
        ax.plot([est], [i], "o", color=c, markersize=5, markeredgecolor="white", markeredgewidth=0.6, zorder=3)
    labels = [_short(v, 26) for v in t[label_col]]
    if "n_docs" in t.columns:
        labels = [f"{lab}  (n={int(n)})" if pd.notna(n) else lab for lab, n in zip(labels, t["n_docs"])]
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.6, len(t) - 0.4)
    if zero_line:
        ax.axvline(0, color=_GREY, lw=0.6, ls="--", zorder=1)
    ax.grid(axis="x", lw=0.4, color="#e5e5e5")
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left")
    return ax


def _pick_metric(table: pd.DataFrame, metric: str | None, func: str) -> pd.DataFrame:
    if "metric" not in table.columns:
        return table
    metrics = list(dict.fromkeys(table["metric"]))
    if metric is None:
        if len(metrics) > 1:
            raise ParameterError(f"{func}: the table holds several metrics {metrics}; pass metric=… (one of them).")
        return table
    if metric not in metrics:
        raise ParameterError(f"{func}: metric={metric!r} is not in the table; valid: {metrics}.")
    return table[table["metric"] == metric]


def _heatmap(
    ax: Axes,
    matrix: pd.DataFrame,
    *,
    cmap: str,
    fmt: str,
    vmin: float | None = None,
    vmax: float | None = None,
    cbar_label: str = "",
    annotate: bool = True,
    xrotation: float = 35,
) -> Axes:
    values = matrix.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    lo = vmin if vmin is not None else (float(finite.min()) if finite.size else 0.0)
    hi = vmax if vmax is not None else (float(finite.max()) if finite.size else 1.0)
    if hi <= lo:
        hi = lo + 1.0
    im = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=lo, vmax=hi, aspect="auto", interpolation="nearest")
    ax.set_xticks(np.arange(matrix.shape[1]), [_short(c, 20) for c in matrix.columns], rotation=xrotation, ha="right" if xrotation else "center", rotation_mode="anchor")
    ax.set_yticks(np.arange(matrix.shape[0]), [_short(r, 44) for r in matrix.index])
    ax.tick_params(length=0)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    if annotate and values.size <= 400:
        import matplotlib as mpl

        norm = mpl.colors.Normalize(lo, hi)
        cm = mpl.colormaps[cmap]
        for (i, j), v in np.ndenumerate(values):
            if not np.isfinite(v):
                ax.text(j, i, "–", ha="center", va="center", fontsize=6, color=_GREY)
                continue
            r, g, b, _ = cm(norm(v))
            dark = (0.299 * r + 0.587 * g + 0.114 * b) < 0.5
            ax.text(j, i, format(v, fmt), ha="center", va="center", fontsize=6, color="white" if dark else "#111111")
    cbar = ax.figure.colorbar(im, ax=ax, fraction=0.05, pad=0.02, shrink=0.9)
    cbar.outline.set_visible(False)
    cbar.ax.tick_params(labelsize=6, length=2)
    if cbar_label:
        cbar.set_label(cbar_label, fontsize=6.5)
    return ax


def _stacked_barh(
    ax: Axes,
    counts: pd.DataFrame,
    *,
    category_colors: Mapping[str, str],
    xlabel: str,
    title: str,
    share: bool,
) -> Axes:
    data = counts.astype(float)
    if share:
        totals = data.sum(axis=1).replace(0, np.nan)
        data = data.div(totals, axis=0).fillna(0.0) * 100
    y = np.arange(len(data))
    left = np.zeros(len(data))
    for cat in data.columns:
        vals = data[cat].to_numpy()
        ax.barh(y, vals, left=left, color=category_colors.get(cat, _GREY), edgecolor="white", linewidth=0.5, height=0.65, label=_CATEGORY_LABELS.get(str(cat), str(cat)))
        r, g, b = (int(category_colors.get(cat, _GREY)[i : i + 2], 16) / 255 for i in (1, 3, 5))
        ink = "white" if (0.299 * r + 0.587 * g + 0.114 * b) < 0.6 else "#222222"
        for yi, (l, v, raw) in enumerate(zip(left, vals, counts[cat].to_numpy())):
            if v >= (9 if share else max(data.to_numpy().sum(axis=1).max() * 0.08, 1e-9)) and raw > 0:
                ax.text(l + v / 2, yi, f"{int(raw)}", ha="center", va="center", fontsize=6, color=ink)
        left += vals
    ax.set_yticks(y, [_short(i, 26) for i in data.index])
    ax.invert_yaxis()
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    if share:
        ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left")
    longest = max((len(_CATEGORY_LABELS.get(str(c), str(c))) for c in data.columns), default=0)
    ax.legend(
        ncols=min(len(data.columns), 2 if longest > 14 else 3),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.22),
        handlelength=1,
        columnspacing=0.8,
        fontsize=6.5,
    )
    return ax


# --------------------------------------------------------------------------------------------
# readability / comparisons
# --------------------------------------------------------------------------------------------


@_literal_text
def plot_comparison(
    table: pd.DataFrame,
    *,
    metric: str | None = None,
    ax: Axes | None = None,
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
    max_outlets: int = MAX_OUTLETS,
) -> Axes:
    """Dot and confidence interval per outlet for one metric.

    Parameters
    ----------
    table : DataFrame
        A comparisons table from :func:`analysis.compare.compare_outlets`: ``outlet, metric,
        n_docs, estimate, ci_low, ci_high`` (``ci_unit`` optional).
    metric : str, optional
        Which metric to draw when the table holds several.
    ax : Axes, optional
        Where to draw; a new one-column figure otherwise.
    colors : mapping, optional
        ``{outlet: colour}``, normally :func:`outlet_colors` of the docs.
    title : str, optional
        Overrides the automatic title (metric label and direction).
    max_outlets : int, default :data:`MAX_OUTLETS`
        Draw at most this many outlets (those with most articles, ``n_docs``); a note in the
        axes says how many were left out.

    Returns
    -------
    Axes
        Outlets on the y axis sorted by estimate; dots are the estimate, bars the interval
        (usually a 95 % bootstrap CI; with a single article per outlet the bar spans the
        sentence-level interval or is absent).
    """
    _require(table, ["outlet", "estimate", "ci_low", "ci_high"], "plot_comparison")
    cap = _check_cap(max_outlets, "max_outlets", "plot_comparison")
    t = _pick_metric(table, metric, "plot_comparison")
    t, total, cap_how = _cap_outlets(t, cap)
    m = metric or (str(t["metric"].iloc[0]) if "metric" in t.columns else "estimate")
    if ax is None:
        ax = _new_ax(ONE_COLUMN, _rows_height(len(t)))
    unit = ""
    if "ci_unit" in t.columns and t["ci_unit"].notna().any():
        unit = str(t["ci_unit"].dropna().iloc[0])
    label, how = METRICS.get(m, (m.replace("_", " ").capitalize(), ""))
    ttl = title or (f"{label} by outlet" + (f"\n{how}" if how else ""))
    if unit and unit != "none" and not unit.endswith("s"):
        unit += "s"
    xl = label + (f" (bar = 95% CI over {unit})" if unit and unit != "none" else " (dot = estimate, bar = 95% CI)")
    ax = _interval_table(ax, t, label_col="outlet", colors=colors, color_col="outlet", xlabel=_wrap(xl, 60), title=ttl)
    _cap_note(ax, [(t["outlet"].nunique(), total, "outlets")], cap_how)
    return ax


@_literal_text
def plot_readability(
    table: pd.DataFrame,
    *,
    metric: str = "flesch_kincaid_grade",
    ax: Axes | None = None,
    colors: Mapping[str, str] | None = None,
    max_outlets: int = MAX_OUTLETS,
) -> Axes:
    """Readability of each outlet with its confidence interval (dot + interval).

    Parameters
    ----------
    table : DataFrame
        ``compare_outlets`` output (``outlet, metric, n_docs, estimate, ci_low, ci_high``) for
        one or more readability metrics.
    metric : str
        The readability column to draw (default Flesch–Kincaid grade; higher = harder to read).
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlets drawn at most (most articles first); a note says how many were left out.

    Returns
    -------
    Axes
    """
    return plot_comparison(table, metric=metric, ax=ax, colors=colors, max_outlets=max_outlets)


@_literal_text
def plot_readability_panels(
    table: pd.DataFrame,
    *,
    metrics: Iterable[str] | None = None,
    colors: Mapping[str, str] | None = None,
    ncols: int = 2,
    max_outlets: int = MAX_OUTLETS,
) -> Figure:
    """Small multiples: one dot+interval panel per readability metric (two-column width).

    Parameters
    ----------
    table : DataFrame
        ``compare_outlets`` output stacked over several metrics.
    metrics : iterable of str, optional
        Metrics and order; default every metric in the table.
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlets drawn per panel at most (most articles first); each panel notes the rest.

    Returns
    -------
    Figure
    """
    import matplotlib.pyplot as plt

    _require(table, ["outlet", "metric", "estimate", "ci_low", "ci_high"], "plot_readability_panels")
    ms = list(metrics) if metrics is not None else list(dict.fromkeys(table["metric"]))
    n_out = min(table["outlet"].nunique(), _check_cap(max_outlets, "max_outlets", "plot_readability_panels"))
    nrows = int(np.ceil(len(ms) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(TWO_COLUMN, nrows * _rows_height(n_out, base=0.75)), squeeze=False)
    for ax, m in zip(axes.ravel(), ms):
        plot_comparison(table, metric=m, ax=ax, colors=colors, max_outlets=max_outlets)
        ax.set_xlabel("")
    for ax in axes.ravel()[len(ms):]:
        ax.set_visible(False)
    return fig


@_literal_text
def plot_audit(
    features: pd.DataFrame,
    *,
    kit: str = "flesch_kincaid_grade",
    reference: str = "textstat_flesch_kincaid_grade",
    ax: Axes | None = None,
    colors: Mapping[str, str] | None = None,
    max_outlets: int = MAX_OUTLETS,
) -> Axes:
    """Kit score against textstat's score for the same article (audit of segmentation).

    Parameters
    ----------
    features : DataFrame
        Per-document readability (``doc_id, outlet`` and both columns).
    kit, reference : str
        The kit's column and the textstat column computed on the same text.
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlets drawn at most (most articles first); a note says how many were left out.

    Returns
    -------
    Axes
        One dot per article; the diagonal is agreement. Points above the diagonal mean textstat
        scores the article harder than the kit (usually false sentence breaks at "U.S.", "Sen.").
    """
    _require(features, ["outlet", kit, reference], "plot_audit")
    features, total, how = _cap_outlets(features, _check_cap(max_outlets, "max_outlets", "plot_audit"))
    if ax is None:
        ax = _new_ax(ONE_COLUMN, 3.0)
    cmap = _colors_for(features["outlet"], colors)
    x = features[kit].astype(float)
    y = features[reference].astype(float)
    lo = float(np.nanmin([x.min(), y.min()])) - 0.5
    hi = float(np.nanmax([x.max(), y.max()])) + 0.5
    ax.plot([lo, hi], [lo, hi], color=_GREY, lw=0.6, ls="--", zorder=1)
    for outlet, g in features.groupby("outlet", sort=True):
        ax.scatter(g[kit], g[reference], s=18, color=cmap[outlet], edgecolor="white", linewidth=0.5, label=_short(outlet, 24), zorder=3)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel(metric_label(kit, direction=False) + " — kit segmentation")
    ax.set_ylabel(metric_label(kit, direction=False) + " — textstat")
    ax.set_title("Readability audit: kit vs textstat\nabove the line = textstat scores harder", loc="left")
    ax.legend(loc="upper left", fontsize=6, handletextpad=0.2, borderaxespad=0.2)
    _cap_note(ax, [(features["outlet"].nunique(), total, "outlets")], how)
    return ax


@_literal_text
def plot_pairwise(
    table: pd.DataFrame,
    *,
    metric: str | None = None,
    ax: Axes | None = None,
    max_pairs: int = MAX_OUTLETS,
) -> Axes:
    """Pairwise differences between outlets with confidence intervals.

    Parameters
    ----------
    table : DataFrame
        ``analysis.compare.pairwise_differences`` output: the two outlets (``outlet_a``,
        ``outlet_b`` or ``outlet``, ``other``), ``estimate``, ``ci_low``, ``ci_high``
        (estimate = a − b) and optionally ``metric``.
    max_pairs : int, default :data:`MAX_OUTLETS`
        Pairs drawn at most: those with the largest absolute difference; a note says how many
        were left out (150 outlets make 11,175 pairs).

    Returns
    -------
    Axes
        One row per pair; dashed zero line = no difference. Intervals that do not cross zero are
        drawn dark, others grey.
    """
    if isinstance(table, pd.DataFrame) and "estimate" not in table.columns and "difference" in table.columns:
        table = table.rename(columns={"difference": "estimate"})
    _require(table, ["estimate", "ci_low", "ci_high"], "plot_pairwise")
    cap = _check_cap(max_pairs, "max_pairs", "plot_pairwise")
    t = _pick_metric(table, metric, "plot_pairwise").copy()
    total = len(t)
    if total > cap:
        t = t.loc[t["estimate"].astype(float).abs().sort_values(ascending=False, kind="stable").index[:cap]]
    a_col = next((c for c in ("outlet_a", "outlet", "target") if c in t.columns), None)
    b_col = next((c for c in ("outlet_b", "other", "reference") if c in t.columns), None)
    if a_col is None or b_col is None:
        raise ParameterError(f"plot_pairwise: need the two outlet columns (outlet_a, outlet_b); table has {list(t.columns)}.")
    t["pair"] = [f"{_short(a, 22)} − {_short(b, 22)}" for a, b in zip(t[a_col], t[b_col])]
    m = metric or (str(t["metric"].iloc[0]) if "metric" in t.columns else "")
    if ax is None:
        ax = _new_ax(ONE_COLUMN, _rows_height(len(t), per_row=0.2))
    t = t.sort_values("estimate", kind="stable").reset_index(drop=True)
    for i, row in t.iterrows():
        sig = pd.notna(row["ci_low"]) and (row["ci_low"] > 0 or row["ci_high"] < 0)
        c = "#222222" if sig else "#a0a0a0"
        if pd.notna(row["ci_low"]):
            ax.plot([row["ci_low"], row["ci_high"]], [i, i], color=c, lw=1.4)
        ax.plot([row["estimate"]], [i], "o", color=c, markersize=4)
    ax.axvline(0, color=_GREY, lw=0.6, ls="--")
    ax.set_yticks(np.arange(len(t)), t["pair"])
    ax.set_ylim(-0.6, len(t) - 0.4)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    label, how = METRICS.get(m, (m.replace("_", " ") or "value", ""))
    ax.set_xlabel(f"Difference in {label} (first − second, 95% CI)")
    ax.set_title(f"Pairwise differences: {label}\n" + (f"{how}; " if how else "") + "dark = CI excludes 0", loc="left")
    _cap_note(ax, [(len(t), total, "pairs")], "largest differences")
    return ax


# --------------------------------------------------------------------------------------------
# lexical
# --------------------------------------------------------------------------------------------


@_literal_text
def plot_diversity(
    table: pd.DataFrame,
    *,
    metric: str = "mattr",
    ax: Axes | None = None,
    colors: Mapping[str, str] | None = None,
    max_outlets: int = MAX_OUTLETS,
) -> Axes:
    """Lexical diversity per outlet: one bar per outlet (mean over its articles), dots = articles.

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.lexical.diversity` output (``doc_id, outlet, n_tokens, ttr, mattr, mtld,
        hdd``).
    metric : str
        Which column to draw; all of TTR/MATTR/MTLD/HD-D read "higher = more varied vocabulary".
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlets drawn at most (most articles first); a note says how many were left out.

    Returns
    -------
    Axes
    """
    _require(table, ["outlet", metric], "plot_diversity")
    table, total, how = _cap_outlets(table, _check_cap(max_outlets, "max_outlets", "plot_diversity"))
    if ax is None:
        ax = _new_ax(ONE_COLUMN, _rows_height(table["outlet"].nunique()))
    cmap = _colors_for(table["outlet"], colors)
    means = table.groupby("outlet", sort=True)[metric].mean().sort_values()
    y = np.arange(len(means))
    ax.barh(y, means.to_numpy(), color=[cmap[o] for o in means.index], height=0.6, alpha=0.85)
    for i, outlet in enumerate(means.index):
        vals = table.loc[table["outlet"] == outlet, metric].to_numpy(dtype=float)
        if len(vals) > 1:
            ax.plot(vals, np.full(len(vals), i), "o", color="#222222", markersize=2.5, alpha=0.8)
        ax.text(means.iloc[i], i, f" {means.iloc[i]:.3g}", va="center", ha="left", fontsize=6)
    labels = [_short(o, 26) for o in means.index]
    if "n_tokens" in table.columns:
        toks = table.groupby("outlet")["n_tokens"].sum()
        labels = [f"{lab}  ({int(toks[o])} tok.)" for lab, o in zip(labels, means.index)]
    ax.set_yticks(y, labels)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_xlim(0, float(np.nanmax(table[metric])) * 1.15 or 1)
    label, direction = METRICS.get(metric, (metric, ""))
    ax.set_xlabel(label)
    _title(ax, f"Lexical diversity: {label}", direction)
    _cap_note(ax, [(len(means), total, "outlets")], how)
    return ax


@_literal_text
def plot_keyness(
    table: pd.DataFrame,
    *,
    outlet: str | None = None,
    n_terms: int = 8,
    ax: Axes | None = None,
    colors: Mapping[str, str] | None = None,
) -> Axes:
    """Diverging bars of the most distinctive terms of one outlet (weighted log-odds z).

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.keyness.keyness` output: ``outlet, reference, term, n_target,
        n_reference, log_odds, z, q`` (Monroe, Colaresi & Quinn 2008).
    outlet : str, optional
        Which outlet; required when the table holds several.
    n_terms : int
        Terms shown on each side (over- and under-used).

    Returns
    -------
    Axes
        Bars to the right (outlet colour) = the outlet uses the term more than the reference;
        to the left (grey) = less. Bar length is the z-score; the dotted lines mark |z| = 1.96.
    """
    _require(table, ["outlet", "term", "z"], "plot_keyness")
    outlets = list(dict.fromkeys(table["outlet"]))
    if outlet is None:
        if len(outlets) > 1:
            raise ParameterError(f"plot_keyness: the table holds several outlets; pass outlet=… (one of {outlets}) or use plot_keyness_panels.")
        outlet = outlets[0]
    if outlet not in outlets:
        raise ParameterError(f"plot_keyness: outlet={outlet!r} is not in the table; valid: {outlets}.")
    t = table[table["outlet"] == outlet]
    t = t[np.isfinite(t["z"].astype(float))]
    top = t.nlargest(n_terms, "z")
    top = top[top["z"] > 0]
    bottom = t.nsmallest(n_terms, "z")
    bottom = bottom[bottom["z"] < 0]
    show = pd.concat([top, bottom]).drop_duplicates("term").sort_values("z")
    if ax is None:
        ax = _new_ax(ONE_COLUMN, _rows_height(len(show), per_row=0.16))
    color = _colors_for([outlet], colors)[outlet]
    y = np.arange(len(show))
    z = show["z"].to_numpy(dtype=float)
    ax.barh(y, z, color=[color if v > 0 else "#b3b3b3" for v in z], height=0.7)
    span = max(np.abs(z).max() if len(z) else 1.0, 2.5)
    for yi, (v, term) in enumerate(zip(z, show["term"])):
        ax.text(-0.04 * span if v > 0 else 0.04 * span, yi, _short(term, 20), va="center", ha="right" if v > 0 else "left", fontsize=6.5)
    ax.axvline(0, color="#444444", lw=0.6)
    for s in (-1.96, 1.96):
        ax.axvline(s, color="#c8c8c8", lw=0.5, ls=":", zorder=0)
    ax.set_xlim(-span * 1.45, span * 1.45)
    ax.set_yticks([])
    ax.set_ylim(-0.7, len(show) - 0.3)
    ax.spines["left"].set_visible(False)
    ref = ""
    if "reference" in t.columns and len(t):
        ref = str(t["reference"].iloc[0])
        ref = "all other outlets" if ref in ("rest", "") else ref
    ax.set_xlabel("z of weighted log-odds (right = used more)")
    _title(ax, f"Distinctive words: {_short(outlet, 28)}", f"vs {_short(ref, 30)}" if ref else "")
    return ax


@_literal_text
def plot_keyness_panels(
    table: pd.DataFrame,
    *,
    n_terms: int = 6,
    colors: Mapping[str, str] | None = None,
    ncols: int = 3,
    max_outlets: int = 12,
) -> Figure:
    """One :func:`plot_keyness` panel per outlet (two-column width).

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.keyness.keyness` output (several outlets).
    n_terms : int
        Terms per side in each panel.
    max_outlets : int, default 12
        Panels drawn at most: the outlets with the most words (summed ``n_target``; else the
        first by name); the first panel notes how many were left out.

    Returns
    -------
    Figure
    """
    import matplotlib.pyplot as plt

    _require(table, ["outlet", "term", "z"], "plot_keyness_panels")
    cap = _check_cap(max_outlets, "max_outlets", "plot_keyness_panels")
    outlets = sorted(dict.fromkeys(table["outlet"]))
    total = len(outlets)
    how = ""
    if total > cap:
        if "n_target" in table.columns:
            outlets, how = sorted(_top(table.set_index("outlet")["n_target"].astype(float), cap)), "most words"
        else:
            outlets = outlets[:cap]
    cmap = _colors_for(outlets, colors)
    ncols = min(ncols, len(outlets))
    nrows = int(np.ceil(len(outlets) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(TWO_COLUMN, nrows * (0.9 + 0.16 * 2 * n_terms)), squeeze=False)
    for ax, o in zip(axes.ravel(), outlets):
        plot_keyness(table, outlet=o, n_terms=n_terms, ax=ax, colors=cmap)
        ax.set_xlabel("z (right = used more)")
    for ax in axes.ravel()[len(outlets):]:
        ax.set_visible(False)
    _cap_note(axes.ravel()[0], [(len(outlets), total, "outlets")], how)
    return fig


# --------------------------------------------------------------------------------------------
# reuse
# --------------------------------------------------------------------------------------------


@_literal_text
def plot_similarity(
    matrix: pd.DataFrame,
    *,
    ax: Axes | None = None,
    labels: Mapping[str, str] | None = None,
    title: str = "Text similarity between outlets",
    cbar_label: str = "cosine similarity (0 none … 1 identical)",
    max_outlets: int = MAX_OUTLETS,
) -> Axes:
    """Annotated heatmap of a square similarity matrix.

    Parameters
    ----------
    matrix : DataFrame
        Square frame from :func:`analysis.reuse.similarity` (index = columns = outlets or
        doc_ids), values in [0, 1], higher = more shared text; NaN cells (e.g. the diagonal of
        the outlet matrix) are drawn as "–". The colour scale runs from 0 to the largest
        off-diagonal value rounded up to a tenth.
    labels : mapping, optional
        Display names for the index (e.g. ``{doc_id: outlet}``).
    max_outlets : int, default :data:`MAX_OUTLETS`
        Rows (and, for a square matrix, the same columns) drawn at most: those with the highest
        similarity to any other row; a note says how many were left out.

    Returns
    -------
    Axes
    """
    if not isinstance(matrix, pd.DataFrame) or matrix.empty:
        raise NotEnoughData("plot_similarity: the similarity matrix is empty.")
    cap = _check_cap(max_outlets, "max_outlets", "plot_similarity")
    m = matrix.copy()
    total = len(m)
    if total > cap:
        vals = m.to_numpy(dtype=float, copy=True)
        if m.shape[0] == m.shape[1]:
            np.fill_diagonal(vals, np.nan)
        best = pd.Series(np.nan_to_num(np.nanmax(np.where(np.isfinite(vals), vals, -np.inf), axis=1), neginf=0.0))
        keep = sorted(best.sort_values(ascending=False, kind="stable").index[:cap])
        m = m.iloc[keep, keep] if m.shape[0] == m.shape[1] else m.iloc[keep]
    if labels:
        m.index = [labels.get(str(i), str(i)) for i in m.index]
        m.columns = [labels.get(str(c), str(c)) for c in m.columns]
    n = len(m)
    if ax is None:
        side = min(max(2.6, 0.9 + 0.42 * n), TWO_COLUMN - 0.6)
        ax = _new_ax(max(ONE_COLUMN, side + 0.6), side)
    vals = m.to_numpy(dtype=float)
    off = vals[~np.eye(len(m), dtype=bool)] if m.shape[0] == m.shape[1] else vals.ravel()
    off = off[np.isfinite(off)]
    vmax = 1.0 if not off.size else float(min(1.0, max(0.2, np.ceil(off.max() * 10) / 10)))
    _heatmap(ax, m, cmap="Blues", fmt=".2f", vmin=0.0, vmax=vmax, cbar_label=cbar_label)
    ax.set_title(title + "\nhigher = more shared vocabulary (cosine)", loc="left")
    _cap_note(ax, [(len(m), total, "rows")], "highest similarity")
    return ax


@_literal_text
def plot_originality(
    table: pd.DataFrame,
    *,
    column: str | None = None,
    ax: Axes | None = None,
    colors: Mapping[str, str] | None = None,
    max_outlets: int = MAX_OUTLETS,
) -> Axes:
    """Share of each article's text not found in other outlets' articles (bars per article).

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.reuse.originality` output with ``outlet`` and a share column in [0, 1]
        (``share_original``), higher = more original text. Several articles of one outlet
        are averaged.
    column : str, optional
        The share column if not one of the defaults.
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlets drawn at most (most articles first); a note says how many were left out.

    Returns
    -------
    Axes
    """
    col = column or next((c for c in ("share_original", "originality", "original_share") if c in table.columns), None)
    if col is None:
        raise ParameterError(f"plot_originality: pass column=… naming the share column; table has {list(table.columns)}.")
    _require(table, ["outlet", col], "plot_originality")
    table, total, how = _cap_outlets(table, _check_cap(max_outlets, "max_outlets", "plot_originality"))
    t = table.groupby("outlet", sort=True)[col].mean().sort_values()
    if ax is None:
        ax = _new_ax(ONE_COLUMN, _rows_height(len(t)))
    cmap = _colors_for(t.index, colors)
    y = np.arange(len(t))
    vals = t.to_numpy(dtype=float) * 100
    ax.barh(y, vals, color=[cmap[o] for o in t.index], height=0.6)
    ax.barh(y, 100 - vals, left=vals, color="#e6e6e6", height=0.6)
    for i, v in enumerate(vals):
        ax.text(v - 1.5 if v > 12 else v + 1.5, i, f"{v:.0f}%", va="center", ha="right" if v > 12 else "left", fontsize=6.5, color="white" if v > 12 else "#111111")
    ax.set_yticks(y, [_short(o, 26) for o in t.index])
    ax.set_xlim(0, 100)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("% of the article not shared with other outlets")
    _title(ax, "Originality of each outlet's text", "higher = less reused wording (grey = shared)")
    _cap_note(ax, [(len(t), total, "outlets")], how)
    return ax


@_literal_text
def plot_coverage(
    matrix: pd.DataFrame,
    *,
    ax: Axes | None = None,
    max_units: int = 30,
    colors: Mapping[str, str] | None = None,
    max_outlets: int = MAX_OUTLETS,
) -> Axes:
    """Which information units each outlet reported (units × outlets matrix).

    Parameters
    ----------
    matrix : Coverage, DataFrame
        :func:`analysis.reuse.coverage` result (``units`` + boolean ``matrix``; rows are
        labelled with each unit's representative sentence), or a DataFrame indexed by unit with
        one 0/1 column per outlet, or a long table with ``unit, outlet`` (optional
        ``n``/``present``), which is pivoted.
    max_units : int
        Show at most this many units (the most widely reported first).
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlet columns drawn at most (those reporting most units). A note in the axes says how
        many units and outlets were left out.

    Returns
    -------
    Axes
        Filled cell = the outlet reported the unit.
    """
    cap_u = _check_cap(max_units, "max_units", "plot_coverage")
    cap_o = _check_cap(max_outlets, "max_outlets", "plot_coverage")
    m = _coverage_matrix(matrix)
    if m.empty:
        raise NotEnoughData("plot_coverage: no information units to plot.")
    total_u, total_o = m.shape
    if total_o > cap_o:
        m = m[_top((m > 0).sum(axis=0), cap_o)]
        m = m[sorted(m.columns, key=str)]
    m = m.loc[(m > 0).sum(axis=1).sort_values(ascending=False, kind="stable").index[:cap_u]]
    n_u, n_o = m.shape
    if ax is None:
        ax = _new_ax(TWO_COLUMN if n_o > 3 or m.index.str.len().max() > 30 else ONE_COLUMN, max(1.8, 0.8 + 0.17 * n_u))
    cmap = _colors_for(m.columns, colors)
    from matplotlib.collections import PatchCollection

    cells, fills = [], []
    for j, outlet in enumerate(m.columns):
        for i in range(n_u):
            cells.append(_rect(j, i))
            fills.append(cmap[outlet] if m.iat[i, j] > 0 else "#f2f2f2")
    # one artist for all cells: adding them one by one costs seconds for a few hundred
    ax.add_collection(PatchCollection(cells, facecolors=fills, edgecolors="none"), autolim=False)
    ax.set_xlim(-0.5, n_o - 0.5)
    ax.set_ylim(n_u - 0.5, -0.5)
    if n_o > 8:  # many columns: slanted one-line headings instead of wrapped ones
        ax.set_xticks(np.arange(n_o), [_short(o, 24) for o in m.columns], rotation=50, ha="left", rotation_mode="anchor", fontsize=5.5)
    else:
        ax.set_xticks(np.arange(n_o), [_wrap(_short(o, 30), 12) for o in m.columns])
    ax.xaxis.tick_top()
    ax.set_yticks(np.arange(n_u), [_short(u, 58) for u in m.index])
    ax.tick_params(axis="y", labelsize=5.8)
    ax.tick_params(length=0)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    # slanted headings: lift the title above them (about 2.4 pt per character at 5.5 pt, 50°)
    pad = 4 + 2.4 * max(len(_short(o, 24)) for o in m.columns) if n_o > 8 else None
    ax.set_title(f"Coverage: which pieces of information each outlet reported (top {n_u})\nfilled = reported; rows sorted by how many outlets report it", loc="left", pad=pad)
    _cap_note(ax, [(n_u, total_u, "units"), (n_o, total_o, "outlets")])
    return ax


def _rect(x: float, y: float):
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.45, y - 0.42), 0.9, 0.84)


def _coverage_matrix(table: Any) -> pd.DataFrame:
    if hasattr(table, "matrix") and hasattr(table, "units"):
        m = table.matrix.astype(float)
        units = table.units
        if "unit_id" in units.columns and "representative" in units.columns:
            text = dict(zip(units["unit_id"], units["representative"].astype(str)))
            m = m.set_axis([_short(text.get(u, u), 60) for u in m.index], axis=0)
        return m
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"plot_coverage: expected a DataFrame, got {type(table).__name__}.")
    if {"unit", "outlet"} <= set(table.columns):
        val = next((c for c in ("present", "n", "count", "covered") if c in table.columns), None)
        t = table.assign(_v=table[val].astype(float) if val else 1.0)
        return t.pivot_table(index="unit", columns="outlet", values="_v", aggfunc="max", fill_value=0.0, sort=False)
    numeric = table.select_dtypes(include=["number", "bool"]).astype(float)
    return numeric


# --------------------------------------------------------------------------------------------
# framing
# --------------------------------------------------------------------------------------------


@_literal_text
def plot_actor_labels(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    max_actors: int = 8,
    max_labels: int = 3,
    colors: Mapping[str, str] | None = None,
    max_outlets: int = 8,
) -> Axes:
    """Table-like chart: for each actor (rows) the words each outlet (columns) uses to name it.

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.framing.actor_labels` output with ``outlet, actor, label`` and a count
        column ``n`` (one row per outlet × actor × label).
    max_actors, max_labels : int
        Actors shown (most mentioned first) and labels per cell (most frequent first).
    max_outlets : int, default 8
        Outlet columns drawn at most (those naming the actors most often). A note in the axes
        says how many actors and outlets were left out.

    Returns
    -------
    Axes
        Each cell lists the labels with their counts; empty = the outlet never names the actor.
    """
    _require(table, ["outlet", "actor", "label"], "plot_actor_labels")
    t = table.copy()
    if "n" not in t.columns:
        t["n"] = 1
    cap_a = _check_cap(max_actors, "max_actors", "plot_actor_labels")
    cap_o = _check_cap(max_outlets, "max_outlets", "plot_actor_labels")
    max_labels = _check_cap(max_labels, "max_labels", "plot_actor_labels")
    t = t.groupby(["actor", "outlet", "label"], as_index=False, sort=False)["n"].sum()
    total_a, total_o = t["actor"].nunique(), t["outlet"].nunique()
    actors = t.groupby("actor")["n"].sum().sort_values(ascending=False, kind="stable").index[:cap_a]
    outlets = sorted(_top(t.set_index("outlet")["n"], cap_o), key=str)
    cmap = _colors_for(outlets, colors)
    if ax is None:
        ax = _new_ax(TWO_COLUMN, max(1.6, 0.7 + 0.13 * max_labels * len(actors)))
    ncol = len(outlets) + 1
    for i, actor in enumerate(actors):
        if i % 2 == 0:
            ax.axhspan(i - 0.5, i + 0.5, color="#f4f4f4", zorder=0)
        ax.text(-0.45, i, _short(actor, 20), ha="left", va="center", fontsize=6.5, weight="bold")
        for j, outlet in enumerate(outlets, start=1):
            cell = t[(t["actor"] == actor) & (t["outlet"] == outlet)].nlargest(max_labels, "n")
            txt = "\n".join(f"{_short(l, 22)} ({int(n)})" for l, n in zip(cell["label"], cell["n"]))
            ax.text(j - 0.45, i, txt or "–", ha="left", va="center", fontsize=6, linespacing=1.1, color="#111111" if txt else _GREY)
    for j, outlet in enumerate(outlets, start=1):
        ax.text(j - 0.45, -0.75, _short(outlet, 20), ha="left", va="bottom", fontsize=6.5, weight="bold", color=cmap[outlet])
    ax.set_xlim(-0.5, ncol - 0.5)
    ax.set_ylim(len(actors) - 0.5, -1.1)
    ax.set_axis_off()
    ax.set_title("How each outlet names the main actors (label, count)", loc="left", pad=2)
    _cap_note(ax, [(len(actors), total_a, "actors"), (len(outlets), total_o, "outlets")])
    return ax


_CATEGORY_LABELS = {
    "none": "no verb",
    "intransitive": "no agent (intransitive)",
    "active": "active",
    "passive_agent": "passive + agent",
    "passive_with_agent": "passive + agent",
    "passive_no_agent": "passive, no agent",
    "passive_without_agent": "passive, no agent",
}

_SOURCE_COLORS = {"named": "#0072B2", "institutional": "#009E73", "anonymous": "#D55E00", "unattributed": "#CC79A7", "other": "#999999"}


@_literal_text
def plot_sources(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    share: bool = False,
    max_outlets: int = MAX_OUTLETS,
) -> Axes:
    """Stacked bars of source types per outlet (named / institutional / anonymous).

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.framing.sources` output (per outlet: ``n_named, n_institutional,
        n_anonymous, n_unknown``), or :func:`analysis.framing.quotes` rows (``outlet,
        source_type``, one per quote), or a wide table of counts indexed by outlet.
    share : bool
        Draw percentages of each outlet's attributions instead of counts.
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlets drawn at most (most quotes first); a note says how many were left out.

    Returns
    -------
    Axes
        Numbers in the bars are counts of attributed statements.
    """
    wide = {"n_named": "named", "n_institutional": "institutional", "n_anonymous": "anonymous", "n_unknown": "unattributed"}
    if isinstance(table, pd.DataFrame) and "outlet" in table.columns and set(wide) & set(table.columns) and "source_type" not in table.columns:
        cols = [c for c in wide if c in table.columns]
        counts = table.groupby("outlet", sort=True)[cols].sum().rename(columns=wide)
        counts = counts.loc[:, counts.sum(axis=0) > 0]
    else:
        counts = _category_counts(table, ("source_type", "kind", "type", "category"), "plot_sources")
    order = [c for c in ("named", "institutional", "anonymous", "unattributed") if c in counts.columns]
    counts = counts[order + [c for c in counts.columns if c not in order]]
    counts, total = _cap_rows(counts, _check_cap(max_outlets, "max_outlets", "plot_sources"))
    if ax is None:
        ax = _new_ax(ONE_COLUMN, _rows_height(len(counts)) + 0.3)
    ax = _stacked_barh(
        ax,
        counts,
        category_colors=_SOURCE_COLORS,
        xlabel="% of quotes" if share else "quotes (count)",
        title="Who is quoted: quotes by source type",
        share=share,
    )
    _cap_note(ax, [(len(counts), total, "outlets")], "most quotes")
    return ax


def _cap_rows(counts: pd.DataFrame, cap: int) -> tuple[pd.DataFrame, int]:
    """The ``cap`` rows (outlets) of a count table with the largest totals, in their order."""
    total = len(counts)
    if total <= cap:
        return counts, total
    keep = set(_top(counts.sum(axis=1), cap))
    return counts[[i in keep for i in counts.index]], total


def _category_counts(table: pd.DataFrame, type_cols: tuple[str, ...], func: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"{func}: expected a DataFrame, got {type(table).__name__}.")
    if table.empty:
        raise NotEnoughData(f"{func}: the table is empty; nothing to plot.")
    col = next((c for c in type_cols if c in table.columns), None)
    if "outlet" in table.columns and col is not None:
        if "n" in table.columns:
            return table.pivot_table(index="outlet", columns=col, values="n", aggfunc="sum", fill_value=0).sort_index()
        return pd.crosstab(table["outlet"], table[col]).sort_index()
    numeric = table.select_dtypes(include=["number"])
    if "outlet" in table.columns:
        numeric = numeric.set_axis(table["outlet"])
    if numeric.empty:
        raise ParameterError(f"{func}: need 'outlet' and one of {list(type_cols)}, or a wide table of counts; got {list(table.columns)}.")
    return numeric


_VOICE_COLORS = {
    "active": "#0072B2",
    "none": "#cfcfcf",
    "passive_agent": "#56B4E9",
    "passive_with_agent": "#56B4E9",
    "passive_no_agent": "#D55E00",
    "passive_without_agent": "#D55E00",
    "intransitive": "#CC79A7",
    "attributed": "#009E73",
    "unattributed": "#D55E00",
}


@_literal_text
def plot_claims(
    table: pd.DataFrame,
    *,
    by: str | None = None,
    ax: Axes | None = None,
    share: bool = False,
    max_outlets: int = MAX_OUTLETS,
) -> Axes:
    """Numeric claims per outlet, stacked by attribution or grammatical voice.

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.framing.claims` output: one row per number with ``outlet`` and a
        category column: ``voice`` (active / passive_agent / passive_no_agent / intransitive /
        none) or ``attribution`` (text of the "according to …" source; empty = unattributed).
        Rows whose ``category`` is ``date`` or ``time`` are left out (they date events, they
        do not count anything) and the axes say how many.
    by : str, optional
        The category column; default ``voice``. ``"attribution"`` counts attributed vs not.
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlets drawn at most (most claims first); a note says how many were left out.

    Returns
    -------
    Axes
        Counts of claims; "passive, no agent" = the text does not say who acted.
    """
    if not isinstance(table, pd.DataFrame) or table.empty:
        raise NotEnoughData("plot_claims: no claims to plot.")
    col = by or next((c for c in ("voice", "attribution", "attributed") if c in table.columns), None)
    if col is None or "outlet" not in table.columns:
        raise ParameterError(f"plot_claims: need 'outlet' and a category column (voice or attributed); table has {list(table.columns)}.")
    n_dates = 0
    if "category" in table.columns:
        is_date = table["category"].isin(["date", "time"])
        n_dates = int(is_date.sum())
        table = table[~is_date]
        if table.empty:
            raise NotEnoughData("plot_claims: only dates and clock times, no numbers that count something.")
    t = table[["outlet", col]].copy()
    if col == "attribution" or t[col].dtype == bool or set(t[col].dropna().unique()) <= {True, False}:
        t[col] = t[col].map(lambda v: "attributed" if (v is True or (isinstance(v, str) and v.strip())) else "unattributed")
    t[col] = t[col].fillna("unknown").astype(str)
    counts = pd.crosstab(t["outlet"], t[col]).sort_index()
    order = [c for c in ("active", "passive_agent", "passive_with_agent", "passive_no_agent", "passive_without_agent", "intransitive", "attributed", "unattributed", "none") if c in counts.columns]
    counts = counts[order + [c for c in counts.columns if c not in order]]
    counts, total = _cap_rows(counts, _check_cap(max_outlets, "max_outlets", "plot_claims"))
    if ax is None:
        ax = _new_ax(ONE_COLUMN, _rows_height(len(counts)) + 0.3)
    palette = dict(_VOICE_COLORS)
    extra = [c for c in counts.columns if c not in palette]
    palette.update({c: col_ for c, col_ in zip(extra, ["#999999", "#CC79A7", "#E69F00", "#000000"])})
    counts.columns = [str(c) for c in counts.columns]
    ax = _stacked_barh(
        ax,
        counts,
        category_colors=palette,
        xlabel="% of claims" if share else "claims with numbers (count)",
        title=f"Claims with numbers, by {col.replace('_', ' ')}",
        share=share,
    )
    _cap_note(ax, [(len(counts), total, "outlets")], "most claims")
    if n_dates:
        ax.text(1.0, 1.01, f"{n_dates} dates and clock times not shown", transform=ax.transAxes,
                ha="right", va="bottom", fontsize="x-small", color="#555555")
    return ax


@_literal_text
def plot_frames(
    table: pd.DataFrame,
    *,
    value: str | None = None,
    ax: Axes | None = None,
    max_outlets: int = MAX_OUTLETS,
) -> Axes:
    """Heatmap of frame dimensions (rows) by outlet (columns), per 1,000 words.

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.framing.frames` output (``outlet, part, frame, label, n_hits,
        n_words, per_1k_words``; only ``part == "all"`` is used, the ``label`` names rows;
        hits and words are summed over an outlet's articles), or a wide frame × outlet matrix.
    value : str, optional
        Value column of a long table (default ``per_1k_words``).
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlet columns (and frame rows) drawn at most: the outlets with most words (summed
        ``n_words``, else the largest values), the frames with the largest values; a note says
        how many were left out.

    Returns
    -------
    Axes
        Darker = the outlet uses more of the frame's dictionary words per 1,000 words.
    """
    if not isinstance(table, pd.DataFrame) or table.empty:
        raise NotEnoughData("plot_frames: no frames to plot.")
    if {"outlet", "frame"} <= set(table.columns):
        val = value or next((c for c in ("per_1k_words", "rate", "n", "n_hits") if c in table.columns), None)
        if val is None:
            raise ParameterError(f"plot_frames: pass value=…; table has {list(table.columns)}.")
        t = table
        if "part" in t.columns:
            t = t[t["part"] == "all"] if (t["part"] == "all").any() else t
        if "label" in t.columns:
            t = t.assign(frame=t["label"])
        hits = "n_hits" if "n_hits" in t.columns else "n"
        if value in (None, "per_1k_words") and {hits, "n_words"} <= set(t.columns):
            g = t.groupby(["frame", "outlet"], sort=True)[[hits, "n_words"]].sum()
            m = (1000 * g[hits] / g["n_words"].replace(0, np.nan)).unstack("outlet")
        else:
            m = t.pivot_table(index="frame", columns="outlet", values=val, aggfunc="mean", sort=True)
    else:
        m = table.select_dtypes(include=["number"])
    cap = _check_cap(max_outlets, "max_outlets", "plot_frames")
    total_f, total_o = m.shape
    how = ""
    if total_o > cap:
        weights = m.fillna(0).sum(axis=0)
        how = "largest values"
        if {"outlet", "n_words"} <= set(table.columns):
            weights, how = table.groupby("outlet")["n_words"].sum().reindex(m.columns).fillna(0), "most words"
        m = m[sorted(_top(weights, cap), key=str)]
    m = m.loc[m.fillna(0).sum(axis=1).sort_values(ascending=False, kind="stable").index[:cap]]
    if ax is None:
        ax = _new_ax(min(TWO_COLUMN, ONE_COLUMN + 0.9 + 0.35 * m.shape[1]), max(2.0, 0.9 + 0.2 * len(m)))
    _heatmap(ax, m, cmap="Purples", fmt=".1f", vmin=0.0, cbar_label="frame words per 1,000 words")
    ax.set_title("Policy frames by outlet\nhigher = more frame vocabulary per 1,000 words", loc="left")
    _cap_note(ax, [(m.shape[1], total_o, "outlets"), (len(m), total_f, "frames")], how)
    return ax


@_literal_text
def plot_tone(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    colors: Mapping[str, str] | None = None,
    max_outlets: int = MAX_OUTLETS,
) -> Axes:
    """VADER tone per outlet with confidence intervals (dot + interval, zero line).

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.framing.tone_by_outlet` output: ``outlet, n_docs, estimate, ci_low,
        ci_high`` (mean sentence compound score, −1 = negative … +1 = positive; Hutto & Gilbert
        2014).
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlets drawn at most (most articles first); a note says how many were left out.

    Returns
    -------
    Axes
    """
    _require(table, ["outlet", "estimate", "ci_low", "ci_high"], "plot_tone")
    t = _pick_metric(table, None if "metric" not in table.columns or table["metric"].nunique() == 1 else "compound", "plot_tone")
    t, total, how = _cap_outlets(t, _check_cap(max_outlets, "max_outlets", "plot_tone"))
    if ax is None:
        ax = _new_ax(ONE_COLUMN, _rows_height(len(t)))
    unit = ""
    if "ci_unit" in t.columns and t["ci_unit"].notna().any():
        unit = str(t["ci_unit"].dropna().iloc[0])
    ax = _interval_table(
        ax,
        t,
        label_col="outlet",
        colors=colors,
        color_col="outlet",
        xlabel="mean VADER compound score" + (f" (95% CI over {unit}{'' if unit.endswith('s') else 's'})" if unit and unit != "none" else " (95% CI)"),
        title="Tone by outlet (VADER)\nleft = more negative, right = more positive",
        zero_line=True,
    )
    lo = float(np.nanmin(t[["ci_low", "estimate"]].to_numpy()))
    hi = float(np.nanmax(t[["ci_high", "estimate"]].to_numpy()))
    pad = max(0.05, (hi - lo) * 0.1)
    ax.set_xlim(max(-1.0, min(lo, 0) - pad), min(1.0, max(hi, 0) + pad))
    _cap_note(ax, [(t["outlet"].nunique(), total, "outlets")], how)
    return ax
