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
in every chart of a report. Categories that are not outlets (source types, voices, verb classes,
frames) take :func:`category_colors`: Paul Tol's "light" scheme, colour-blind safe and lighter
than every outlet colour, so a category is never mistaken for an outlet.

Figures for papers: no ``plot_*`` draws a title unless given ``title=...`` (journals set
captions); reading directions ("higher = harder to read") are in the axis labels. ``order=``
sets which outlets (or terms, for :func:`plot_keyness`) are drawn and in what order (top to
bottom, or left to right), and any other keyword argument goes to the function's main
matplotlib call (named in each docstring), e.g. ``plot_readability(t, markersize=7)``. Charts
drawn on axes that share their y axis (``plt.subplots(1, 2, sharey=True)``) share their rows:
the second chart puts each outlet on the row the first chart gave it, so a dot never sits on
another outlet's label. Saved with :func:`analysis.output.save_figure`, a figure made
:data:`ONE_COLUMN` or :data:`TWO_COLUMN` wide is exactly that wide in the file.

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
import threading
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
    "category_colors",
    "CATEGORY_COLORS",
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
#: Paul Tol's "light" qualitative scheme, for categories (never for outlets): colour-blind safe,
#: and lighter than every outlet colour, so counts printed on it stay dark and legible.
_CATEGORY_PALETTE = ["#77AADD", "#EE8866", "#44BB99", "#EEDD88", "#FFAABB", "#99DDFF", "#BBCC33", "#AAAA00", "#DDDDDD"]
#: Fixed colours of the categories the kit produces: the same category has the same colour in
#: every chart (source types, grammatical voice of claims, attribution, reporting-verb classes).
CATEGORY_COLORS: dict[str, str] = {
    # source types (analysis.framing.sources / quotes)
    "named": "#77AADD",
    "institutional": "#44BB99",
    "anonymous": "#EE8866",
    "unattributed": "#FFAABB",
    "unknown": "#DDDDDD",
    "pronoun": "#EEDD88",
    # grammatical voice of numeric claims (analysis.framing.claims)
    "active": "#77AADD",
    "passive_agent": "#99DDFF",
    "passive_with_agent": "#99DDFF",
    "passive_no_agent": "#EE8866",
    "passive_without_agent": "#EE8866",
    "intransitive": "#FFAABB",
    "none": "#DDDDDD",
    "attributed": "#44BB99",
    # reporting verbs (analysis.framing.quotes: verb_class)
    "neutral": "#77AADD",
    "evaluative": "#EE8866",
    "other": "#DDDDDD",
}

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


def category_colors(categories: Iterable[Any]) -> dict[str, str]:
    """Colours for categories that are not outlets (source types, voices, verb classes, frames).

    Parameters
    ----------
    categories : iterable
        The category values of a chart, in any order.

    Returns
    -------
    dict
        ``{category (str): "#rrggbb"}``. Categories the kit produces keep the fixed colour of
        :data:`CATEGORY_COLORS`; the others take the remaining colours of Paul Tol's "light"
        scheme in sorted order (repeating after nine). None of these colours is an outlet
        colour of :func:`outlet_colors`, and all are light enough for dark text on them.
    """
    names = sorted({str(c) for c in categories})
    out = {c: CATEGORY_COLORS[c] for c in names if c in CATEGORY_COLORS}
    free = [c for c in _CATEGORY_PALETTE if c not in out.values()] or list(_CATEGORY_PALETTE)
    rest = [c for c in names if c not in out]
    out.update({c: free[i % len(free)] for i, c in enumerate(rest)})
    return out


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


#: Whether a plot function is running in this thread (its inner plot calls skip the walk).
_LITERAL = threading.local()


def _literal_text(func):
    """Make every text a plot function writes literal: no mathtext, no TeX.

    The one place where data strings are protected. matplotlib parses text between two ``$``
    as maths, so an article sentence such as "Shares fell to $4 ... rose to $5." raises at
    draw time and an outlet called "$Money$" is typeset as maths. After the wrapped function
    has drawn, every Text artist of the figure that is new or whose string changed (titles,
    axis labels, tick labels, legend entries, annotations, colour-bar labels) gets
    ``parse_math=False`` and ``usetex=False``: it is drawn exactly as its string reads.
    Text the caller put on a given ``ax`` before the call is left as it was. A plot function
    called by another (the panels of :func:`plot_readability_panels`) is covered by the
    outermost call, which walks the figure once when every panel is drawn.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any):
        from matplotlib.text import Text

        if getattr(_LITERAL, "depth", 0):
            return func(*args, **kwargs)
        ax = kwargs.get("ax")
        before = {t: t.get_text() for t in ax.figure.findobj(Text)} if ax is not None else {}
        _LITERAL.depth = 1
        try:
            out = func(*args, **kwargs)
        finally:
            _LITERAL.depth = 0
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


def _cap_note(ax: Axes, parts: Iterable[tuple[int, int, str]], how: str = "", *, below: bool = False) -> None:
    """Say what a capped chart leaves out: "showing 30 of 150 outlets".

    The note sits in the lower right corner inside the axes, or with ``below`` just under the
    axes (for charts whose bottom edge holds no tick labels, such as a grid of cells whose
    column headings are on top: there a note inside would cover the last cells).
    """
    said = [f"{shown} of {total} {what}" for shown, total, what in parts if total > shown]
    if not said:
        return
    note = "showing " + ", ".join(said) + (f" ({how})" if how else "")
    if below:
        ax.text(1.0, -0.01, note, transform=ax.transAxes, ha="right", va="top", fontsize=5.5, color="#555555")
        return
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
    """A new figure one or two journal columns wide: a width up to 0.3 in over one column is
    set to :data:`ONE_COLUMN`, anything wider to :data:`TWO_COLUMN`."""
    import matplotlib.pyplot as plt

    width = ONE_COLUMN if width <= ONE_COLUMN + 0.3 else TWO_COLUMN

    fig, ax = plt.subplots(figsize=(width, height))
    return ax


def _rows_height(n_rows: int, *, per_row: float = 0.24, base: float = 0.9, minimum: float = 1.6) -> float:
    return max(minimum, base + per_row * n_rows)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width=width)) or str(text)


@functools.lru_cache(maxsize=4096)
def _line_width_pt(text: str, font_file: str, size_pt: float, flags: Any) -> float:
    """Width in points of one line of ``text`` in ``font_file`` at ``size_pt``, as Agg lays it
    out at 72 dpi with hinting ``flags``. Remembered: the same row labels (outlets, actors,
    metrics) come back in chart after chart, and each measurement loads every glyph."""
    from matplotlib import font_manager

    font = font_manager.get_font(font_file)
    font.set_size(size_pt, 72)
    font.set_text(text, 0.0, flags=flags)
    return font.get_width_height()[0] / 64.0


def _fit_xlabel(ax: Axes, text: str) -> None:
    """Set ``text`` as the x label of a chart with row labels, in lines as wide as the axes can be.

    An x label is centred under its axes. A one-column chart with long row labels on the left
    leaves the axes perhaps half the figure; a label wider than that sticks out on the right,
    and laying the figure out to its exact width (:func:`analysis.output.save_figure`) then
    squeezes the axes until the label fits, leaving the data a sliver. So the label is broken
    (at spaces; a ``\n`` in ``text`` is kept) into lines no wider than the figure minus the
    widest row label, measured with the fonts' own metrics before anything is drawn.
    """
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import get_hinting_flag

    def width_pt(text_: str, prop: Any) -> float:  # as Agg lays the line out at 72 dpi
        return _line_width_pt(text_, font_manager.findfont(prop), float(prop.get_size_in_points()), get_hinting_flag())

    fig_pt = float(ax.figure.get_size_inches()[0]) * 72.0
    ticks = [t for t in ax.get_yticklabels() if t.get_text()]
    label_pt = max((width_pt(t.get_text(), t.get_fontproperties()) for t in ticks), default=0.0)
    majors = ax.yaxis.get_major_ticks()
    pad = float(majors[0].get_pad() + majors[0].get_tick_padding()) if majors else 0.0
    room = max(72.0, 0.95 * (fig_pt - label_pt - pad - 14.0))  # 14 pt: margins and rounding
    label = ax.xaxis.label
    ax.set_xlabel(text)  # the label's font as the style sets it
    prop = label.get_fontproperties()
    lines: list[str] = []
    for part in str(text).split("\n"):
        line = ""
        for word in part.split():
            trial = f"{line} {word}" if line else word
            if line and width_pt(trial, prop) > room:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    label.set_text("\n".join(lines))


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


def _title(ax: Axes, title: str | None) -> None:
    """Draw ``title`` left-aligned; nothing when it is None or empty (journals set captions)."""
    if title:
        # a left-aligned title starts above the axes, right of the y tick labels: wrap it to the
        # room left of the figure (about 0.055 in per tick-label character, 12.5 title characters per inch)
        labels = [t.get_text() for t in ax.get_yticklabels()] if ax.yaxis.get_visible() else []
        room = ax.figure.get_figwidth() - 0.055 * max((len(t) for t in labels), default=0) - 0.3
        chars = max(20, int(room * 12.5))
        lines = [textwrap.wrap(line, width=chars, break_on_hyphens=False, break_long_words=False) or [line] for line in str(title).split("\n")]
        ax.set_title("\n".join(part for group in lines for part in group), loc="left")


def _check_order(order: Iterable[Any] | None, present: Iterable[Any], func: str, what: str = "outlets") -> list | None:
    """``order`` as a list without repeats, every entry one of ``present``; None stays None."""
    if order is None:
        return None
    if isinstance(order, (str, bytes)) or not isinstance(order, Iterable):
        raise ParameterError(f"{func}: `order` must be a list of {what}, e.g. order=[{order!r}]; got {type(order).__name__}.")
    seq = list(dict.fromkeys(order))
    valid = list(dict.fromkeys(present))
    unknown = [o for o in seq if o not in set(valid)]
    if unknown:
        raise ParameterError(f"{func}: order names {what} that are not in the table: {unknown}; valid: {valid}.")
    if not seq:
        raise ParameterError(f"{func}: `order` is empty; name at least one of {valid}.")
    return seq


def _rows(ax: Axes, keys: list, labels: list[str], *, margin: float = 0.5) -> dict:
    """Row position (0 = top) of each key on ``ax``'s y axis, and its tick labels.

    On axes whose y axis is shared with charts drawn before (``sharey=True``), the rows those
    charts gave their keys are kept and new keys are added below them: the tick labels are
    shared, so each key keeps one row in every chart and no dot is drawn beside another
    outlet's label.
    """
    siblings = [a for a in ax.get_shared_y_axes().get_siblings(ax) if a is not ax]
    rows: dict = {}
    for a in [ax, *siblings]:
        kept = getattr(a, "_analysis_rows", {})
        # rows still on the axis (a cleared axes has lost its labels and starts afresh)
        if kept and [str(t) for t in a.yaxis.get_major_formatter().format_ticks(range(len(kept)))] == [str(v) for v in kept.values()]:
            for k, lab in kept.items():
                rows.setdefault(k, lab)
    for k, lab in zip(keys, labels):
        rows.setdefault(k, lab)
    for a in [ax, *siblings]:
        a._analysis_rows = dict(rows)
    ax.set_yticks(np.arange(len(rows)), list(rows.values()))
    ax.set_ylim(len(rows) - 1 + margin, -margin)
    return {k: i for i, k in enumerate(rows)}


def _integer_ticks(axis: Any) -> None:
    """Ticks at whole numbers only (for counts)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _interval_table(
    ax: Axes,
    table: pd.DataFrame,
    *,
    label_col: str,
    colors: Mapping[str, str] | None,
    color_col: str | None,
    xlabel: str,
    title: str | None,
    order: list | None = None,
    zero_line: bool = False,
    dot_kw: Mapping[str, Any] | None = None,
) -> Axes:
    """Dot + horizontal interval, one row per ``label_col`` value.

    Rows run top-down by estimate (largest first), or in ``order`` (only those rows). Extra
    ``dot_kw`` go to the ``ax.plot`` call of each estimate's dot.
    """
    t = table.sort_values("estimate", ascending=False, kind="stable")
    if order is not None:
        t = pd.concat([t[t[label_col] == o] for o in order])
    t = t.reset_index(drop=True)
    seen: dict[Any, int] = {}
    keys = []
    for v in t[label_col]:  # a label seen twice gets its own row
        seen[v] = seen.get(v, 0) + 1
        keys.append(v if seen[v] == 1 else (v, seen[v]))
    labels = [_short(v, 26) for v in t[label_col]]
    if "n_docs" in t.columns:
        labels = [f"{lab}  (n={int(n)})" if pd.notna(n) else lab for lab, n in zip(labels, t["n_docs"])]
    pos = _rows(ax, keys, labels, margin=0.6)
    cmap = _colors_for(t[color_col], colors) if color_col else {}
    dot = {"marker": "o", "linestyle": "none", "markersize": 5, "markeredgecolor": "white", "markeredgewidth": 0.6, "zorder": 3}
    for key, (_, row) in zip(keys, t.iterrows()):
        i = pos[key]
        c = cmap.get(row[color_col], "#333333") if color_col else "#333333"
        lo, hi, est = row["ci_low"], row["ci_high"], row["estimate"]
        if pd.notna(lo) and pd.notna(hi):
            ax.plot([lo, hi], [i, i], color=c, lw=1.6, solid_capstyle="butt", zorder=2)
        ax.plot([est], [i], **{"color": c, **dot, **dict(dot_kw or {})})
    if zero_line:
        ax.axvline(0, color=_GREY, lw=0.6, ls="--", zorder=1)
    ax.grid(axis="x", lw=0.4, color="#e5e5e5")
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    _fit_xlabel(ax, xlabel)
    _title(ax, title)
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
    imshow_kw: Mapping[str, Any] | None = None,
) -> Axes:
    values = matrix.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    lo = vmin if vmin is not None else (float(finite.min()) if finite.size else 0.0)
    hi = vmax if vmax is not None else (float(finite.max()) if finite.size else 1.0)
    if hi <= lo:
        hi = lo + 1.0
    kw = {"cmap": cmap, "vmin": lo, "vmax": hi, "aspect": "auto", "interpolation": "nearest", **dict(imshow_kw or {})}
    cmap = kw["cmap"]
    lo, hi = kw["vmin"], kw["vmax"]
    im = ax.imshow(np.ma.masked_invalid(values), **kw)
    ax.set_xticks(np.arange(matrix.shape[1]), [_short(c, 20) for c in matrix.columns], rotation=xrotation, ha="right" if xrotation else "center", rotation_mode="anchor")
    ax.set_yticks(np.arange(matrix.shape[0]), [_short(r, 44) for r in matrix.index])
    ax.tick_params(length=0)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    if annotate and values.size <= 400:
        import matplotlib as mpl

        norm = mpl.colors.Normalize(lo, hi)
        cm = mpl.colormaps[cmap] if isinstance(cmap, str) else cmap
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
    title: str | None,
    share: bool,
    bar_kw: Mapping[str, Any] | None = None,
) -> Axes:
    """One stacked bar per row of ``counts`` (top-down in the table's order), one segment per column."""
    data = counts.astype(float)
    if share:
        totals = data.sum(axis=1).replace(0, np.nan)
        data = data.div(totals, axis=0).fillna(0.0) * 100
    pos = _rows(ax, list(data.index), [_short(i, 26) for i in data.index], margin=0.5)
    y = np.array([pos[k] for k in data.index], dtype=float)
    left = np.zeros(len(data))
    for cat in data.columns:
        vals = data[cat].to_numpy()
        color = category_colors.get(cat, _GREY)
        kw = {"color": color, "edgecolor": "white", "linewidth": 0.5, "height": 0.65,
              "label": _CATEGORY_LABELS.get(str(cat), str(cat)), **dict(bar_kw or {})}
        ax.barh(y, vals, left=left, **kw)
        r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
        ink = "white" if (0.299 * r + 0.587 * g + 0.114 * b) < 0.6 else "#222222"
        for yi, (l, v, raw) in zip(y, zip(left, vals, counts[cat].to_numpy())):
            if v >= (9 if share else max(data.to_numpy().sum(axis=1).max() * 0.08, 1e-9)) and raw > 0:
                ax.text(l + v / 2, yi, f"{int(raw)}", ha="center", va="center", fontsize=6, color=ink)
        left += vals
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    if share:
        ax.set_xlim(0, 100)
    else:
        _integer_ticks(ax.xaxis)
    ax.set_xlabel(xlabel)
    _title(ax, title)
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
    order: Iterable[str] | None = None,
    max_outlets: int = MAX_OUTLETS,
    **kwargs: Any,
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
        Where to draw; a new one-column figure otherwise. On axes that share their y axis with
        a chart drawn before, each outlet keeps the row that chart gave it.
    colors : mapping, optional
        ``{outlet: colour}``, normally :func:`outlet_colors` of the docs.
    title : str, optional
        Title drawn above the axes; default none (the x label names the metric and its
        reading direction).
    order : sequence of str, optional
        Outlets to draw, top to bottom; default all, sorted by estimate (largest on top).
        Names not in the table raise :class:`~analysis.errors.ParameterError`.
    max_outlets : int, default :data:`MAX_OUTLETS`
        Draw at most this many outlets (those with most articles, ``n_docs``); a note in the
        axes says how many were left out. Ignored when ``order`` is given.
    **kwargs
        Passed to the ``ax.plot`` call that draws each estimate's dot (e.g. ``markersize=7``).

    Returns
    -------
    Axes
        Outlets on the y axis; dots are the estimate, bars the interval (usually a 95 %
        bootstrap CI; with a single article per outlet the bar spans the sentence-level
        interval or is absent).
    """
    _require(table, ["outlet", "estimate", "ci_low", "ci_high"], "plot_comparison")
    cap = _check_cap(max_outlets, "max_outlets", "plot_comparison")
    t = _pick_metric(table, metric, "plot_comparison")
    seq = _check_order(order, t["outlet"], "plot_comparison")
    if seq is not None:
        t = t[t["outlet"].isin(seq)]
        cap = max(cap, len(seq))
    t, total, cap_how = _cap_outlets(t, cap)
    m = metric or (str(t["metric"].iloc[0]) if "metric" in t.columns else "estimate")
    if ax is None:
        ax = _new_ax(ONE_COLUMN, _rows_height(t["outlet"].nunique()))
    unit = ""
    if "ci_unit" in t.columns and t["ci_unit"].notna().any():
        unit = str(t["ci_unit"].dropna().iloc[0])
    label, how = METRICS.get(m, (m.replace("_", " ").capitalize(), ""))
    if unit and unit != "none" and not unit.endswith("s"):
        unit += "s"
    xl = label + (f" ({how})" if how else "") + (f"; bar = 95% CI over {unit}" if unit and unit != "none" else "; dot = estimate, bar = 95% CI")
    ax = _interval_table(ax, t, label_col="outlet", colors=colors, color_col="outlet", xlabel=xl,
                         title=title, order=seq, dot_kw=kwargs)
    _cap_note(ax, [(t["outlet"].nunique(), total, "outlets")], cap_how)
    return ax


@_literal_text
def plot_readability(
    table: pd.DataFrame,
    *,
    metric: str = "flesch_kincaid_grade",
    ax: Axes | None = None,
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
    order: Iterable[str] | None = None,
    max_outlets: int = MAX_OUTLETS,
    **kwargs: Any,
) -> Axes:
    """Readability of each outlet with its confidence interval (dot + interval).

    Parameters
    ----------
    table : DataFrame
        ``compare_outlets`` output (``outlet, metric, n_docs, estimate, ci_low, ci_high``) for
        one or more readability metrics.
    metric : str
        The readability column to draw (default Flesch–Kincaid grade; higher = harder to read).
    ax : Axes, optional
        Where to draw. Two calls on axes made with ``sharey=True`` share the rows: the second
        chart places each outlet on the row the first gave it (new outlets go below).
    title : str, optional
        Title above the axes; default none (journals set captions).
    order : sequence of str, optional
        Outlets to draw, top to bottom; default all, largest estimate on top.
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlets drawn at most (most articles first); a note says how many were left out.
    **kwargs
        Passed to the ``ax.plot`` call of each estimate's dot.

    Returns
    -------
    Axes
        The x label names the metric and its direction (higher = harder to read, except Flesch
        Reading Ease: higher = easier).
    """
    return plot_comparison(table, metric=metric, ax=ax, colors=colors, title=title, order=order, max_outlets=max_outlets, **kwargs)


@_literal_text
def plot_readability_panels(
    table: pd.DataFrame,
    *,
    metrics: Iterable[str] | None = None,
    colors: Mapping[str, str] | None = None,
    ncols: int = 2,
    title: str | None = None,
    order: Iterable[str] | None = None,
    max_outlets: int = MAX_OUTLETS,
    **kwargs: Any,
) -> Figure:
    """Small multiples: one dot+interval panel per readability metric (two-column width).

    Parameters
    ----------
    table : DataFrame
        ``compare_outlets`` output stacked over several metrics.
    metrics : iterable of str, optional
        Metrics and order; default every metric in the table.
    title : str, optional
        Figure title (``suptitle``); default none. Each panel is headed by its metric and
        reading direction, which says what the panel shows.
    order : sequence of str, optional
        Outlets to draw in every panel, top to bottom; default each panel sorted by estimate.
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlets drawn per panel at most (most articles first); each panel notes the rest.
    **kwargs
        Passed to each panel's :func:`plot_comparison` dots (``ax.plot``).

    Returns
    -------
    Figure
    """
    import matplotlib.pyplot as plt

    _require(table, ["outlet", "metric", "estimate", "ci_low", "ci_high"], "plot_readability_panels")
    ms = list(metrics) if metrics is not None else list(dict.fromkeys(table["metric"]))
    seq = _check_order(order, table["outlet"], "plot_readability_panels")
    n_out = len(seq) if seq is not None else min(table["outlet"].nunique(), _check_cap(max_outlets, "max_outlets", "plot_readability_panels"))
    nrows = int(np.ceil(len(ms) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(TWO_COLUMN, nrows * _rows_height(n_out, base=0.75)), squeeze=False)
    for ax, m in zip(axes.ravel(), ms):
        plot_comparison(table, metric=m, ax=ax, colors=colors, order=seq, max_outlets=max_outlets, **kwargs)
        ax.set_title(metric_label(m), loc="left", fontsize="small")
        ax.set_xlabel("")
    for ax in axes.ravel()[len(ms):]:
        ax.set_visible(False)
    if title:
        fig.suptitle(str(title), x=0.01, ha="left")
    return fig


@_literal_text
def plot_audit(
    features: pd.DataFrame,
    *,
    kit: str = "flesch_kincaid_grade",
    reference: str = "textstat_flesch_kincaid_grade",
    ax: Axes | None = None,
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
    order: Iterable[str] | None = None,
    max_outlets: int = MAX_OUTLETS,
    **kwargs: Any,
) -> Axes:
    """Kit score against textstat's score for the same article (audit of segmentation).

    Parameters
    ----------
    features : DataFrame
        Per-document readability (``doc_id, outlet`` and both columns).
    kit, reference : str
        The kit's column and the textstat column computed on the same text.
    title : str, optional
        Title above the axes; default none.
    order : sequence of str, optional
        Outlets to draw, in this legend order; default all, sorted by name.
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlets drawn at most (most articles first); a note says how many were left out.
    **kwargs
        Passed to the ``ax.scatter`` call of each outlet's dots.

    Returns
    -------
    Axes
        One dot per article; the diagonal is agreement. Points above the diagonal mean textstat
        scores the article harder than the kit (usually false sentence breaks at "U.S.", "Sen.").
    """
    _require(features, ["outlet", kit, reference], "plot_audit")
    seq = _check_order(order, features["outlet"], "plot_audit")
    cap = _check_cap(max_outlets, "max_outlets", "plot_audit")
    if seq is not None:
        features, cap = features[features["outlet"].isin(seq)], max(cap, len(seq))
    features, total, how = _cap_outlets(features, cap)
    if ax is None:
        ax = _new_ax(ONE_COLUMN, 3.0)
    cmap = _colors_for(features["outlet"], colors)
    x = features[kit].astype(float)
    y = features[reference].astype(float)
    lo = float(np.nanmin([x.min(), y.min()])) - 0.5
    hi = float(np.nanmax([x.max(), y.max()])) + 0.5
    ax.plot([lo, hi], [lo, hi], color=_GREY, lw=0.6, ls="--", zorder=1)
    groups = dict(list(features.groupby("outlet", sort=True)))
    for outlet in seq if seq is not None else groups:
        if outlet not in groups:
            continue
        g = groups[outlet]
        kw = {"s": 18, "color": cmap[outlet], "edgecolor": "white", "linewidth": 0.5, "label": _short(outlet, 24), "zorder": 3, **kwargs}
        ax.scatter(g[kit], g[reference], **kw)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel(metric_label(kit, direction=False) + " — kit segmentation")
    ax.set_ylabel(metric_label(kit, direction=False) + " — textstat\n(above the line = textstat scores harder)")
    _title(ax, title)
    ax.legend(loc="upper left", fontsize=6, handletextpad=0.2, borderaxespad=0.2)
    _cap_note(ax, [(features["outlet"].nunique(), total, "outlets")], how)
    return ax


@_literal_text
def plot_pairwise(
    table: pd.DataFrame,
    *,
    metric: str | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    order: Iterable[str] | None = None,
    max_pairs: int = MAX_OUTLETS,
    **kwargs: Any,
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
    title : str, optional
        Title above the axes; default none.
    order : sequence of str, optional
        Outlets whose pairs are drawn: only pairs of two listed outlets, top to bottom in the
        order of the first outlet, then the second. Default every pair, largest difference on top.
    **kwargs
        Passed to the ``ax.plot`` call of each difference's dot.

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
    a_col = next((c for c in ("outlet_a", "outlet", "target") if c in t.columns), None)
    b_col = next((c for c in ("outlet_b", "other", "reference") if c in t.columns), None)
    if a_col is None or b_col is None:
        raise ParameterError(f"plot_pairwise: need the two outlet columns (outlet_a, outlet_b); table has {list(t.columns)}.")
    seq = _check_order(order, list(t[a_col]) + list(t[b_col]), "plot_pairwise")
    if seq is not None:
        rank = {o: k for k, o in enumerate(seq)}
        t = t[t[a_col].isin(rank) & t[b_col].isin(rank)]
        if t.empty:
            raise NotEnoughData(f"plot_pairwise: no pair of two outlets of order={seq} is in the table.")
        t = t.assign(_ra=t[a_col].map(rank), _rb=t[b_col].map(rank)).sort_values(["_ra", "_rb"], kind="stable")
        cap = max(cap, len(t))
    total = len(t)
    if total > cap:
        t = t.loc[t["estimate"].astype(float).abs().sort_values(ascending=False, kind="stable").index[:cap]]
    t["pair"] = [f"{_short(a, 22)} − {_short(b, 22)}" for a, b in zip(t[a_col], t[b_col])]
    m = metric or (str(t["metric"].iloc[0]) if "metric" in t.columns else "")
    if ax is None:
        ax = _new_ax(ONE_COLUMN, _rows_height(len(t), per_row=0.2))
    if seq is None:
        t = t.sort_values("estimate", ascending=False, kind="stable")
    t = t.reset_index(drop=True)
    keys = [(a, b, k) for k, (a, b) in enumerate(zip(t[a_col], t[b_col]))]
    pos = _rows(ax, [(a, b) for a, b, _ in keys], list(t["pair"]), margin=0.6)
    for (a, b, _), (_, row) in zip(keys, t.iterrows()):
        i = pos[(a, b)]
        sig = pd.notna(row["ci_low"]) and (row["ci_low"] > 0 or row["ci_high"] < 0)
        c = "#222222" if sig else "#a0a0a0"
        if pd.notna(row["ci_low"]):
            ax.plot([row["ci_low"], row["ci_high"]], [i, i], color=c, lw=1.4)
        ax.plot([row["estimate"]], [i], **{"marker": "o", "linestyle": "none", "color": c, "markersize": 4, **kwargs})
    ax.axvline(0, color=_GREY, lw=0.6, ls="--")
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    label, how = METRICS.get(m, (m.replace("_", " ") or "value", ""))
    _fit_xlabel(ax, f"Difference in {label} (first − second, 95% CI; " + (f"{how}; " if how else "") + "dark = CI excludes 0)")
    _title(ax, title)
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
    title: str | None = None,
    order: Iterable[str] | None = None,
    max_outlets: int = MAX_OUTLETS,
    **kwargs: Any,
) -> Axes:
    """Lexical diversity per outlet: one bar per outlet (mean over its articles), dots = articles.

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.lexical.diversity` output (``doc_id, outlet, n_tokens, ttr, mattr, mtld,
        hdd``).
    metric : str
        Which column to draw; all of TTR/MATTR/MTLD/HD-D read "higher = more varied vocabulary".
    title : str, optional
        Title above the axes; default none (the x label names the measure and its direction).
    order : sequence of str, optional
        Outlets to draw, top to bottom; default all, highest mean on top.
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlets drawn at most (most articles first); a note says how many were left out.
    **kwargs
        Passed to the ``ax.barh`` call of the outlet bars.

    Returns
    -------
    Axes
    """
    _require(table, ["outlet", metric], "plot_diversity")
    seq = _check_order(order, table["outlet"], "plot_diversity")
    cap = _check_cap(max_outlets, "max_outlets", "plot_diversity")
    if seq is not None:
        table, cap = table[table["outlet"].isin(seq)], max(cap, len(seq))
    table, total, how = _cap_outlets(table, cap)
    if ax is None:
        ax = _new_ax(ONE_COLUMN, _rows_height(table["outlet"].nunique()))
    cmap = _colors_for(table["outlet"], colors)
    means = table.groupby("outlet", sort=True)[metric].mean().sort_values(ascending=False, kind="stable")
    if seq is not None:
        means = means.reindex([o for o in seq if o in means.index])
    labels = [_short(o, 26) for o in means.index]
    if "n_tokens" in table.columns:
        toks = table.groupby("outlet")["n_tokens"].sum()
        labels = [f"{lab}  ({int(toks[o])} tok.)" for lab, o in zip(labels, means.index)]
    pos = _rows(ax, list(means.index), labels, margin=0.5)
    y = np.array([pos[o] for o in means.index], dtype=float)
    ax.barh(y, means.to_numpy(), **{"color": [cmap[o] for o in means.index], "height": 0.6, "alpha": 0.85, **kwargs})
    for yi, outlet in zip(y, means.index):
        vals = table.loc[table["outlet"] == outlet, metric].to_numpy(dtype=float)
        if len(vals) > 1:
            ax.plot(vals, np.full(len(vals), yi), "o", color="#222222", markersize=2.5, alpha=0.8)
        ax.text(means[outlet], yi, f" {means[outlet]:.3g}", va="center", ha="left", fontsize=6)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_xlim(0, float(np.nanmax(table[metric])) * 1.15 or 1)
    label, direction = METRICS.get(metric, (metric, ""))
    _fit_xlabel(ax, f"{label} ({direction})" if direction else label)
    _title(ax, title)
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
    title: str | None = None,
    order: Iterable[str] | None = None,
    alpha: float = 0.05,
    significant_only: bool = False,
    **kwargs: Any,
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
    title : str, optional
        Title above the axes; default none (the x label names the outlet and its reference).
    order : sequence of str, optional
        Terms to draw, top to bottom, instead of the ``n_terms`` largest on each side.
    alpha : float, default 0.05
        Significance level of the Benjamini–Hochberg ``q`` column: terms with ``q >= alpha``
        are drawn as hollow bars (or left out with ``significant_only``). Tables without ``q``
        draw every bar filled.
    significant_only : bool, default False
        Draw only terms with ``q < alpha``; when none passes, the axes say so instead of
        showing noise as signal.
    **kwargs
        Passed to the ``ax.barh`` call of the bars.

    Returns
    -------
    Axes
        Bars to the right (outlet colour) = the outlet uses the term more than the reference;
        to the left (grey) = less. Bar length is the z-score; the dotted lines mark |z| = 1.96.
        Filled = q < ``alpha``; hollow = not significant after the Benjamini–Hochberg correction.
    """
    _require(table, ["outlet", "term", "z"], "plot_keyness")
    if not (isinstance(alpha, (int, float)) and not isinstance(alpha, bool) and 0 < alpha < 1):
        raise ParameterError(f"plot_keyness: `alpha` must be a number between 0 and 1 (e.g. 0.05), got {alpha!r}.")
    outlets = list(dict.fromkeys(table["outlet"]))
    if outlet is None:
        if len(outlets) > 1:
            raise ParameterError(f"plot_keyness: the table holds several outlets; pass outlet=… (one of {outlets}) or use plot_keyness_panels.")
        outlet = outlets[0]
    if outlet not in outlets:
        raise ParameterError(f"plot_keyness: outlet={outlet!r} is not in the table; valid: {outlets}.")
    t = table[table["outlet"] == outlet]
    t = t[np.isfinite(t["z"].astype(float))]
    has_q = "q" in t.columns
    sig = (t["q"].astype(float) < alpha) if has_q else pd.Series(True, index=t.index)
    n_sig = int(sig.sum())
    if significant_only:
        t = t[sig]
    seq = _check_order(order, t["term"], "plot_keyness", "terms") if order is not None else None
    if seq is not None:
        show = pd.concat([t[t["term"] == term].head(1) for term in seq])
    else:
        top = t.nlargest(n_terms, "z")
        top = top[top["z"] > 0]
        bottom = t.nsmallest(n_terms, "z")
        bottom = bottom[bottom["z"] < 0]
        show = pd.concat([top, bottom]).drop_duplicates("term").sort_values("z", ascending=False, kind="stable")
    if ax is None:
        ax = _new_ax(ONE_COLUMN, _rows_height(max(len(show), 2), per_row=0.16))
    color = _colors_for([outlet], colors)[outlet]
    z = show["z"].to_numpy(dtype=float)
    filled = (show["q"].astype(float) < alpha).to_numpy() if has_q else np.ones(len(show), dtype=bool)
    y = np.arange(len(show), dtype=float)
    faces = [(color if v > 0 else "#b3b3b3") if f else "white" for v, f in zip(z, filled)]
    edges = [color if v > 0 else "#8c8c8c" for v in z]
    ax.barh(y, z, **{"color": faces, "edgecolor": edges, "linewidth": 0.6, "height": 0.7, **kwargs})
    span = max(np.abs(z).max() if len(z) else 1.0, 2.5)
    for yi, (v, term) in zip(y, zip(z, show["term"])):
        ax.text(-0.04 * span if v > 0 else 0.04 * span, yi, _short(term, 20), va="center", ha="right" if v > 0 else "left", fontsize=6.5)
    ax.axvline(0, color="#444444", lw=0.6)
    for s_ in (-1.96, 1.96):
        ax.axvline(s_, color="#c8c8c8", lw=0.5, ls=":", zorder=0)
    ax.set_xlim(-span * 1.45, span * 1.45)
    ax.set_yticks([])
    ax.set_ylim(max(len(show), 1) - 0.3, -0.7)
    ax.spines["left"].set_visible(False)
    ref = ""
    if "reference" in table.columns and (table["outlet"] == outlet).any():
        ref = str(table.loc[table["outlet"] == outlet, "reference"].iloc[0])
        ref = "all other outlets" if ref in ("rest", "") else ref
    who = _short(outlet, 28) + (f" vs {_short(ref, 30)}" if ref else "")
    ax.set_xlabel(_wrap(f"{who}: z of weighted log-odds", 52) + f"\n({_keyness_key(has_q, filled, n_sig, alpha)})")
    if has_q and n_sig == 0 and not len(show):
        ax.text(0.5, 0.5, f"no term passes q < {alpha:g}", transform=ax.transAxes, ha="center", va="center", fontsize=6.5, color="#555555")
    _title(ax, title)
    return ax


def _keyness_key(has_q: bool, filled: np.ndarray, n_sig: int, alpha: float) -> str:
    """What the keyness bars mean, for the x label."""
    key = "right = used more"
    if has_q and n_sig == 0:
        key += f";\nno term passes q < {alpha:g} (all hollow)"
    elif has_q and not filled.all():
        key += f"; hollow = q ≥ {alpha:g}"
    return key


@_literal_text
def plot_keyness_panels(
    table: pd.DataFrame,
    *,
    n_terms: int = 6,
    colors: Mapping[str, str] | None = None,
    ncols: int = 3,
    title: str | None = None,
    order: Iterable[str] | None = None,
    alpha: float = 0.05,
    significant_only: bool = False,
    max_outlets: int = 12,
    **kwargs: Any,
) -> Figure:
    """One :func:`plot_keyness` panel per outlet (two-column width).

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.keyness.keyness` output (several outlets).
    n_terms : int
        Terms per side in each panel.
    title : str, optional
        Figure title (``suptitle``); default none. Each panel is headed by its outlet.
    order : sequence of str, optional
        Outlets (panels) to draw, in reading order; default all, sorted by name.
    alpha, significant_only
        As for :func:`plot_keyness`: hollow bars for q >= ``alpha``, or only significant terms.
    max_outlets : int, default 12
        Panels drawn at most: the outlets with the most words (summed ``n_target``; else the
        first by name); the first panel notes how many were left out.
    **kwargs
        Passed to each panel's bars (``ax.barh``).

    Returns
    -------
    Figure
    """
    import matplotlib.pyplot as plt

    _require(table, ["outlet", "term", "z"], "plot_keyness_panels")
    cap = _check_cap(max_outlets, "max_outlets", "plot_keyness_panels")
    seq = _check_order(order, table["outlet"], "plot_keyness_panels")
    outlets = seq if seq is not None else sorted(dict.fromkeys(table["outlet"]))
    total = table["outlet"].nunique()
    how = ""
    if seq is None and total > cap:
        if "n_target" in table.columns:
            outlets, how = sorted(_top(table.set_index("outlet")["n_target"].astype(float), cap)), "most words"
        else:
            outlets = outlets[:cap]
    cmap = _colors_for(outlets, colors)
    ncols = min(ncols, len(outlets))
    nrows = int(np.ceil(len(outlets) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(TWO_COLUMN, nrows * (0.9 + 0.16 * 2 * n_terms)), squeeze=False)
    for ax, o in zip(axes.ravel(), outlets):
        plot_keyness(table, outlet=o, n_terms=n_terms, ax=ax, colors=cmap, alpha=alpha, significant_only=significant_only, **kwargs)
        ax.set_title(_short(o, 28), loc="left", fontsize="small", color=cmap[o])
        mine = table[table["outlet"] == o]
        has_q = "q" in table.columns
        sig = (mine["q"].astype(float) < alpha).to_numpy() if has_q else np.ones(len(mine), dtype=bool)
        ax.set_xlabel("z (" + _keyness_key(has_q, sig, int(sig.sum()), alpha) + ")")
    for ax in axes.ravel()[len(outlets):]:
        ax.set_visible(False)
    _cap_note(axes.ravel()[0], [(len(outlets), total, "outlets")], how)
    if title:
        fig.suptitle(str(title), x=0.01, ha="left")
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
    title: str | None = None,
    cbar_label: str = "cosine similarity (0 none … 1 identical; higher = more shared vocabulary)",
    order: Iterable[str] | None = None,
    max_outlets: int = MAX_OUTLETS,
    **kwargs: Any,
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
    title : str, optional
        Title above the axes; default none (the colour-bar label says what the cells mean).
    order : sequence of str, optional
        Rows (and, for a square matrix, the same columns) to draw, in this order, named by the
        matrix's index; default all in the matrix's order.
    max_outlets : int, default :data:`MAX_OUTLETS`
        Rows (and, for a square matrix, the same columns) drawn at most: those with the highest
        similarity to any other row; a note says how many were left out.
    **kwargs
        Passed to the ``ax.imshow`` call (e.g. ``cmap="Greys"``).

    Returns
    -------
    Axes
    """
    if not isinstance(matrix, pd.DataFrame) or matrix.empty:
        raise NotEnoughData("plot_similarity: the similarity matrix is empty.")
    cap = _check_cap(max_outlets, "max_outlets", "plot_similarity")
    m = matrix.copy()
    total = len(m)
    seq = _check_order(order, m.index, "plot_similarity", "rows")
    if seq is not None:
        m = m.loc[seq, seq] if m.shape[0] == m.shape[1] and set(seq) <= set(m.columns) else m.loc[seq]
    elif total > cap:
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
    _heatmap(ax, m, cmap="Blues", fmt=".2f", vmin=0.0, vmax=vmax, cbar_label=_wrap(cbar_label, 40), imshow_kw=kwargs)
    _title(ax, title)
    _cap_note(ax, [(len(m), total, "rows")], "highest similarity")
    return ax


@_literal_text
def plot_originality(
    table: pd.DataFrame,
    *,
    column: str | None = None,
    ax: Axes | None = None,
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
    order: Iterable[str] | None = None,
    max_outlets: int = MAX_OUTLETS,
    **kwargs: Any,
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
    title : str, optional
        Title above the axes; default none.
    order : sequence of str, optional
        Outlets to draw, top to bottom; default all, most original on top.
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlets drawn at most (most articles first); a note says how many were left out.
    **kwargs
        Passed to the ``ax.barh`` call of the coloured (original) part of the bars.

    Returns
    -------
    Axes
        Bar = % of the article found in no other outlet's article; grey rest = shared.
    """
    col = column or next((c for c in ("share_original", "originality", "original_share") if c in table.columns), None)
    if col is None:
        raise ParameterError(f"plot_originality: pass column=… naming the share column; table has {list(table.columns)}.")
    _require(table, ["outlet", col], "plot_originality")
    seq = _check_order(order, table["outlet"], "plot_originality")
    cap = _check_cap(max_outlets, "max_outlets", "plot_originality")
    if seq is not None:
        table, cap = table[table["outlet"].isin(seq)], max(cap, len(seq))
    table, total, how = _cap_outlets(table, cap)
    t = table.groupby("outlet", sort=True)[col].mean().sort_values(ascending=False, kind="stable")
    if seq is not None:
        t = t.reindex([o for o in seq if o in t.index])
    if ax is None:
        ax = _new_ax(ONE_COLUMN, _rows_height(len(t)))
    cmap = _colors_for(t.index, colors)
    pos = _rows(ax, list(t.index), [_short(o, 26) for o in t.index], margin=0.5)
    y = np.array([pos[o] for o in t.index], dtype=float)
    vals = t.to_numpy(dtype=float) * 100
    ax.barh(y, vals, **{"color": [cmap[o] for o in t.index], "height": 0.6, **kwargs})
    ax.barh(y, 100 - vals, left=vals, color="#e6e6e6", height=0.6)
    for yi, v in zip(y, vals):
        ax.text(v - 1.5 if v > 12 else v + 1.5, yi, f"{v:.0f}%", va="center", ha="right" if v > 12 else "left", fontsize=6.5, color="white" if v > 12 else "#111111")
    ax.set_xlim(0, 100)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    _fit_xlabel(ax, "% of the article not shared with other outlets (higher = less reused wording; grey = shared)")
    _title(ax, title)
    _cap_note(ax, [(len(t), total, "outlets")], how)
    return ax


@_literal_text
def plot_coverage(
    matrix: pd.DataFrame,
    *,
    ax: Axes | None = None,
    max_units: int = 30,
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
    order: Iterable[str] | None = None,
    max_outlets: int = MAX_OUTLETS,
    **kwargs: Any,
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
        Show at most this many units: the most widely reported first, and when units are left
        out every outlet still shows up to ``max(1, max_units // (2 * outlets))`` of the units
        only it reported (its exclusive coverage stays visible).
    title : str, optional
        Title above the axes; default none.
    order : sequence of str, optional
        Outlet columns to draw, left to right; default all, sorted by name.
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlet columns drawn at most (those reporting most units). A note in the axes says how
        many units and outlets were left out.
    **kwargs
        Passed to the ``PatchCollection`` of the cells (e.g. ``edgecolors="black"``).

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
    seq = _check_order(order, m.columns, "plot_coverage")
    if seq is not None:
        m = m[seq]
        m = m[(m > 0).any(axis=1)]
        if m.empty:
            raise NotEnoughData(f"plot_coverage: the outlets {seq} report no information unit.")
    elif total_o > cap_o:
        m = m[_top((m > 0).sum(axis=0), cap_o)]
        m = m[sorted(m.columns, key=str)]
    m = m.iloc[_coverage_rows(m, cap_u)]
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
    ax.add_collection(PatchCollection(cells, **{"facecolors": fills, "edgecolors": "none", **kwargs}), autolim=False)
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
    if title:
        ax.set_title(str(title), loc="left", pad=pad)
    _cap_note(ax, [(n_u, total_u, "units"), (n_o, total_o, "outlets")], below=True)  # headings on top
    return ax


def _coverage_rows(m: pd.DataFrame, cap: int) -> list[int]:
    """Row positions of the units a coverage chart draws, at most ``cap``, in drawing order.

    The most widely reported units first; but when units must be left out, every outlet keeps
    up to ``max(1, cap // (2 * outlets))`` of the units only it reported, so no outlet's own
    reporting disappears from the chart. Drawn order: units by number of outlets (most first),
    and the units of a single outlet grouped in column order.
    """
    present = (m.to_numpy() > 0)
    k = present.sum(axis=1)
    n, n_o = present.shape
    single = np.where(k == 1, present.argmax(axis=1), n_o)  # the one outlet, or n_o when shared/none
    if n <= cap:
        chosen = list(range(n))
    else:
        quota = max(1, cap // (2 * max(n_o, 1)))
        chosen = []
        for j in range(n_o):
            chosen.extend(np.flatnonzero(single == j)[:quota].tolist())
        chosen = chosen[:cap]
        taken = set(chosen)
        rest = [i for i in sorted(range(n), key=lambda i: (-k[i], i)) if i not in taken]
        chosen.extend(rest[: cap - len(chosen)])
    return sorted(chosen, key=lambda i: (-k[i], single[i], i))


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
    max_labels: int = 4,
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
    order: Iterable[str] | None = None,
    max_outlets: int = 8,
    **kwargs: Any,
) -> Axes:
    """Table-like chart: for each actor (rows) the words each outlet (columns) uses to name it.

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.framing.actor_labels` output with ``outlet, actor, label`` and a count
        column ``n`` (one row per outlet × actor × label), or its rows (each counted once).
        Optional ``n_in_quote`` (or the rows' ``in_quote``) and ``attributed_to``: a cell then
        says "(3; 1 quoted)" or "(1; per US and EU)" - the outlet quoting someone else's
        label, or reporting a designation made by others.
    max_actors, max_labels : int
        Actors shown (most mentioned first) and labels per cell (most frequent first; a cell
        with more says "+k more"). Labels that differ only in case are counted as one, shown
        in their most frequent spelling; long labels wrap to the column instead of being cut.
    title : str, optional
        Title above the axes; default none.
    order : sequence of str, optional
        Outlet columns to draw, left to right; default the outlets naming the actors most
        often, sorted by name.
    max_outlets : int, default 8
        Outlet columns drawn at most (those naming the actors most often). A note in the axes
        says how many actors and outlets were left out.
    **kwargs
        Passed to the ``ax.text`` call of each cell (e.g. ``fontsize=5``).

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
    t = _merge_label_case(t)
    total_a, total_o = t["actor"].nunique(), t["outlet"].nunique()
    seq = _check_order(order, t["outlet"], "plot_actor_labels")
    if seq is not None:
        t = t[t["outlet"].isin(seq)]
    actors = t.groupby("actor")["n"].sum().sort_values(ascending=False, kind="stable").index[:cap_a]
    outlets = seq if seq is not None else sorted(_top(t.set_index("outlet")["n"], cap_o), key=str)
    cmap = _colors_for(outlets, colors)
    ncol = len(outlets) + 1
    size = float(kwargs.get("fontsize", 6))
    width_in = TWO_COLUMN if ax is None else ax.figure.get_figwidth() * ax.get_position().width
    # characters that fit a column at this size (DejaVu Sans averages ~0.55 em per character)
    chars = max(8, int(width_in / ncol / (0.62 * size / 72)) - 1)
    cells: dict[tuple[int, int], list[str]] = {}
    for i, actor in enumerate(actors):
        for j, outlet in enumerate(outlets, start=1):
            cell = t[(t["actor"] == actor) & (t["outlet"] == outlet)].sort_values(["n", "label"], ascending=[False, True], kind="stable")
            lines: list[str] = []
            for r in cell.iloc[:max_labels].itertuples(index=False):
                marks = [str(int(r.n))]
                if int(r.n_in_quote):
                    marks.append("all quoted" if int(r.n_in_quote) == int(r.n) else f"{int(r.n_in_quote)} quoted")
                if r.attributed_to:
                    marks.append(f"per {r.attributed_to}")
                text = f"{r.label} ({'; '.join(marks)})"
                lines.extend(textwrap.wrap(text, width=chars, break_long_words=True) or [text])
            if len(cell) > max_labels:
                lines.append(f"+{len(cell) - max_labels} more")
            cells[i, j] = lines
    actor_lines = {i: textwrap.wrap(str(a), width=chars, break_long_words=True) for i, a in enumerate(actors)}
    heights = [max([len(actor_lines[i]), 1] + [len(cells[i, j]) for j in range(1, ncol)]) + 1 for i in range(len(actors))]
    tops = np.concatenate([[0], np.cumsum(heights)])
    line_in = size * 1.25 / 72
    if ax is None:
        ax = _new_ax(TWO_COLUMN, max(1.2, 0.35 + line_in * (tops[-1] + 4.5)))
    for i, actor in enumerate(actors):
        mid = tops[i] + heights[i] / 2
        if i % 2 == 0:
            ax.axhspan(tops[i], tops[i + 1], color="#f4f4f4", zorder=0)
        ax.text(-0.45, mid, "\n".join(actor_lines[i]), ha="left", va="center", fontsize=size + 0.5, weight="bold", linespacing=1.1)
        for j in range(1, ncol):
            txt = "\n".join(cells[i, j])
            ax.text(j - 0.45, mid, txt or "–", **{"ha": "left", "va": "center", "fontsize": size, "linespacing": 1.1,
                                                  "color": "#111111" if txt else _GREY, **kwargs})
    for j, outlet in enumerate(outlets, start=1):
        ax.text(j - 0.45, -0.4, _wrap(_short(outlet, 2 * chars), chars), ha="left", va="bottom", fontsize=size + 0.5,
                weight="bold", color=cmap[outlet], linespacing=1.05)
    ax.set_xlim(-0.5, ncol - 0.5)
    ax.set_ylim(tops[-1] + 2, -2.5)  # room below the last row for the note on what is left out
    ax.set_axis_off()
    if title:
        ax.set_title(str(title), loc="left", pad=2)
    _cap_note(ax, [(len(actors), total_a, "actors"), (len(outlets), total_o, "outlets")])
    return ax


def _merge_label_case(t: pd.DataFrame) -> pd.DataFrame:
    """Labels that differ only in case (or curly/straight apostrophes) counted as one; the
    most frequent spelling (then the first in sorted order) is shown. Row-level label rows
    (``in_quote``) are counted; ``n_in_quote`` summed; ``attributed_to`` joined."""
    if "n_in_quote" not in t.columns:
        t = t.assign(n_in_quote=t["in_quote"].astype(bool).astype(int) if "in_quote" in t.columns else 0)
    if "attributed_to" not in t.columns:
        t = t.assign(attributed_to="")
    key = t["label"].astype(str).str.replace("’", "'", regex=False).str.casefold()
    t = t.assign(_key=key, attributed_to=t["attributed_to"].fillna("").astype(str))
    spelled = (t.groupby(["_key", "label"], sort=True)["n"].sum().reset_index()
               .sort_values(["_key", "n"], ascending=[True, False], kind="stable").drop_duplicates("_key"))
    t["label"] = t["_key"].map(dict(zip(spelled["_key"], spelled["label"])))
    return t.groupby(["actor", "outlet", "label"], as_index=False, sort=False).agg(
        n=("n", "sum"), n_in_quote=("n_in_quote", "sum"),
        attributed_to=("attributed_to", lambda s: ", ".join(dict.fromkeys(v for v in s if v))))


_CATEGORY_LABELS = {
    "none": "no verb",
    "intransitive": "no agent (intransitive)",
    "active": "active",
    "passive_agent": "passive + agent",
    "passive_with_agent": "passive + agent",
    "passive_no_agent": "passive, no agent",
    "passive_without_agent": "passive, no agent",
}



@_literal_text
def plot_sources(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    share: bool = False,
    title: str | None = None,
    order: Iterable[str] | None = None,
    max_outlets: int = MAX_OUTLETS,
    **kwargs: Any,
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
    title : str, optional
        Title above the axes; default none.
    order : sequence of str, optional
        Outlets to draw, top to bottom; default all, sorted by name.
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlets drawn at most (most quotes first); a note says how many were left out.
    **kwargs
        Passed to the ``ax.barh`` call of each source type's segments.

    Returns
    -------
    Axes
        Numbers in the bars are counts of attributed statements; the count axis has whole-number
        ticks. Source types take :func:`category_colors`, never outlet colours.
    """
    wide = {"n_named": "named", "n_institutional": "institutional", "n_anonymous": "anonymous", "n_unknown": "unattributed"}
    if isinstance(table, pd.DataFrame) and "outlet" in table.columns and set(wide) & set(table.columns) and "source_type" not in table.columns:
        cols = [c for c in wide if c in table.columns]
        counts = table.groupby("outlet", sort=True)[cols].sum().rename(columns=wide)
        counts = counts.loc[:, counts.sum(axis=0) > 0]
    else:
        counts = _category_counts(table, ("source_type", "kind", "type", "category"), "plot_sources")
    cats = [c for c in ("named", "institutional", "anonymous", "unattributed") if c in counts.columns]
    counts = counts[cats + [c for c in counts.columns if c not in cats]]
    counts, total = _order_rows(counts, order, max_outlets, "plot_sources")
    if ax is None:
        ax = _new_ax(ONE_COLUMN, _rows_height(len(counts)) + 0.3)
    ax = _stacked_barh(
        ax,
        counts,
        category_colors=category_colors(counts.columns),
        xlabel="% of quotes, by source type" if share else "quotes by source type (count)",
        title=title,
        share=share,
        bar_kw=kwargs,
    )
    _cap_note(ax, [(len(counts), total, "outlets")], "most quotes")
    return ax


def _order_rows(counts: pd.DataFrame, order: Iterable[str] | None, max_outlets: int, func: str) -> tuple[pd.DataFrame, int]:
    """Rows (outlets) of a count table in ``order``, else the ``max_outlets`` largest; also the total."""
    cap = _check_cap(max_outlets, "max_outlets", func)
    seq = _check_order(order, counts.index, func)
    if seq is None:
        return _cap_rows(counts, cap)
    return counts.loc[seq], len(counts)


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


@_literal_text
def plot_claims(
    table: pd.DataFrame,
    *,
    by: str | None = None,
    ax: Axes | None = None,
    share: bool = False,
    title: str | None = None,
    order: Iterable[str] | None = None,
    max_outlets: int = MAX_OUTLETS,
    **kwargs: Any,
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
    title : str, optional
        Title above the axes; default none.
    order : sequence of str, optional
        Outlets to draw, top to bottom; default all, sorted by name.
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlets drawn at most (most claims first); a note says how many were left out.
    **kwargs
        Passed to the ``ax.barh`` call of each category's segments.

    Returns
    -------
    Axes
        Counts of claims (whole-number ticks); "passive, no agent" = the text does not say who
        acted. Categories take :func:`category_colors`, never outlet colours.
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
    cats = [c for c in ("active", "passive_agent", "passive_with_agent", "passive_no_agent", "passive_without_agent", "intransitive", "attributed", "unattributed", "none") if c in counts.columns]
    counts = counts[cats + [c for c in counts.columns if c not in cats]]
    counts, total = _order_rows(counts, order, max_outlets, "plot_claims")
    if ax is None:
        ax = _new_ax(ONE_COLUMN, _rows_height(len(counts)) + 0.3)
    counts.columns = [str(c) for c in counts.columns]
    ax = _stacked_barh(
        ax,
        counts,
        category_colors=category_colors(counts.columns),
        xlabel=f"% of claims with numbers, by {col.replace('_', ' ')}" if share else f"claims with numbers, by {col.replace('_', ' ')} (count)",
        title=title,
        share=share,
        bar_kw=kwargs,
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
    title: str | None = None,
    order: Iterable[str] | None = None,
    max_outlets: int = MAX_OUTLETS,
    **kwargs: Any,
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
    title : str, optional
        Title above the axes; default none (the colour-bar label says what the cells mean).
    order : sequence of str, optional
        Outlet columns to draw, left to right; default all, sorted by name.
    **kwargs
        Passed to the ``ax.imshow`` call (e.g. ``cmap="Greys"``).

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
    seq = _check_order(order, m.columns, "plot_frames")
    if seq is not None:
        m = m[seq]
    elif total_o > cap:
        weights = m.fillna(0).sum(axis=0)
        how = "largest values"
        if {"outlet", "n_words"} <= set(table.columns):
            weights, how = table.groupby("outlet")["n_words"].sum().reindex(m.columns).fillna(0), "most words"
        m = m[sorted(_top(weights, cap), key=str)]
    m = m.loc[m.fillna(0).sum(axis=1).sort_values(ascending=False, kind="stable").index[:cap]]
    if ax is None:
        ax = _new_ax(min(TWO_COLUMN, ONE_COLUMN + 0.9 + 0.35 * m.shape[1]), max(2.0, 0.9 + 0.2 * len(m)))
    _heatmap(ax, m, cmap="Purples", fmt=".1f", vmin=0.0, cbar_label="frame words per 1,000 words\n(higher = more frame vocabulary)", imshow_kw=kwargs)
    _title(ax, title)
    _cap_note(ax, [(m.shape[1], total_o, "outlets"), (len(m), total_f, "frames")], how)
    return ax


@_literal_text
def plot_tone(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
    order: Iterable[str] | None = None,
    max_outlets: int = MAX_OUTLETS,
    **kwargs: Any,
) -> Axes:
    """VADER tone per outlet with confidence intervals (dot + interval, zero line).

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.framing.tone_by_outlet` output: ``outlet, n_docs, estimate, ci_low,
        ci_high`` (mean sentence compound score, −1 = negative … +1 = positive; Hutto & Gilbert
        2014).
    title : str, optional
        Title above the axes; default none (the x label gives the direction).
    order : sequence of str, optional
        Outlets to draw, top to bottom; default all, most positive on top.
    max_outlets : int, default :data:`MAX_OUTLETS`
        Outlets drawn at most (most articles first); a note says how many were left out.
    **kwargs
        Passed to the ``ax.plot`` call of each estimate's dot.

    Returns
    -------
    Axes
    """
    _require(table, ["outlet", "estimate", "ci_low", "ci_high"], "plot_tone")
    t = _pick_metric(table, None if "metric" not in table.columns or table["metric"].nunique() == 1 else "compound", "plot_tone")
    seq = _check_order(order, t["outlet"], "plot_tone")
    cap = _check_cap(max_outlets, "max_outlets", "plot_tone")
    if seq is not None:
        t, cap = t[t["outlet"].isin(seq)], max(cap, len(seq))
    t, total, how = _cap_outlets(t, cap)
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
        xlabel="mean VADER compound score (left = more negative, right = more positive; "
               + (f"95% CI over {unit}{'' if unit.endswith('s') else 's'})" if unit and unit != "none" else "95% CI)"),
        title=title,
        order=seq,
        zero_line=True,
        dot_kw=kwargs,
    )
    lo = float(np.nanmin(t[["ci_low", "estimate"]].to_numpy()))
    hi = float(np.nanmax(t[["ci_high", "estimate"]].to_numpy()))
    pad = max(0.05, (hi - lo) * 0.1)
    ax.set_xlim(max(-1.0, min(lo, 0) - pad), min(1.0, max(hi, 0) + pad))
    _cap_note(ax, [(t["outlet"].nunique(), total, "outlets")], how)
    return ax
