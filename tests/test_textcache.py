"""The text caches of the Agg renderer change no pixel and no byte, only how often text is shaped."""

from __future__ import annotations

import contextlib
import io
import threading

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib import text as mtext  # noqa: E402
from matplotlib.backends.backend_agg import RendererAgg  # noqa: E402

from analysis import output, textcache  # noqa: E402


def _busy_figure(layout: str | None = None) -> plt.Figure:
    """Text of every kind the kit's charts use, and some they do not. Without a layout engine
    by default: constrained layout moves the axes a little at every draw, so two saves of one
    figure differ even without the caches."""
    fig, axes = plt.subplots(1, 2, figsize=(6, 3), layout=layout)
    ax = axes[0]
    ax.barh(["Fox News", "New York Times", "HuffPost"], [3.2, 1.5, 2.25])
    ax.set_title("Flesch–Kincaid grade\nper outlet (95 % CI)", loc="left", fontsize=9, fontweight="bold")
    ax.set_xlabel("grade ↑ harder", fontstyle="italic")
    ax.text(0.5, 0.5, "centred, rotated 30°", rotation=30, ha="center", va="center", transform=ax.transAxes)
    ax.text(0.1, 0.9, "two lines\nright-aligned", multialignment="right", transform=ax.transAxes, fontsize=7)
    ax.text(0.05, 0.05, "not antialiased", antialiased=False, transform=ax.transAxes)
    ax.annotate("note: café – naïve", xy=(1, 1), xytext=(2, 2), arrowprops={"arrowstyle": "->"})
    ax2 = axes[1]
    ax2.plot(np.arange(10), np.arange(10) ** 1.5, label=r"$\alpha^2$ (mathtext)")
    ax2.set_yticks([0, 10, 20], labels=["0", "ten", "twenty"], rotation=90)
    ax2.legend(title="Legend", fontsize=6)
    ax2.set_ylabel("serif label", family="serif")
    fig.suptitle("Same text, three sizes", fontsize=11)
    return fig


def _pixels(fig: plt.Figure, dpi: float = 150) -> np.ndarray:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    buf.seek(0)
    return plt.imread(buf)


def test_pixels_are_the_same_with_cold_and_warm_caches():
    fig = _busy_figure()
    try:
        reference = _pixels(fig)
        textcache.clear()
        with textcache.cached() as active:
            assert active
            cold = _pixels(fig)
            warm = _pixels(fig)
        np.testing.assert_array_equal(cold, reference)
        np.testing.assert_array_equal(warm, reference)
    finally:
        plt.close(fig)


def test_a_glyph_drawn_again_elsewhere_is_the_same_bitmap_moved():
    """The same label at whole-pixel and at sub-pixel offsets, in one figure: the cached
    bitmaps (rendered at the offset within the pixel, moved by whole pixels) give the pixels
    FreeType gives for each position."""
    fig = plt.figure(figsize=(4, 2), dpi=100)
    for i in range(12):
        fig.text(0.02 + i * 0.0731, 0.1 + i * 0.0613, "Ag", fontsize=9, rotation=15 * (i % 3))
    try:
        reference = _pixels(fig, dpi=100)
        textcache.clear()
        with textcache.cached():
            got = _pixels(fig, dpi=100)
            assert len(textcache._BITMAPS) > 0
        np.testing.assert_array_equal(got, reference)
    finally:
        plt.close(fig)


def _count_calls(monkeypatch, owner, name):
    """Patch ``owner.name`` to record each call; return (list of calls, the original).

    Each call is recorded as ``(self, *args)``."""
    calls = []
    own = getattr(owner, name)

    def counting(self, *args, **kwargs):
        calls.append((self, *args))
        return own(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls, own


def _saved_cold_then_warm(fig, *calls) -> list[int]:
    """Save ``fig`` once with emptied caches and once more with the caches it filled; return
    how many calls each of the ``calls`` lists (see :func:`_count_calls`) held after the first."""
    textcache.clear()
    with textcache.cached():
        _pixels(fig)
        first = [len(c) for c in calls]
        _pixels(fig)
    return first


def test_a_warm_cache_shapes_no_string_again(monkeypatch):
    fig = _busy_figure()
    metrics, _ = _count_calls(monkeypatch, RendererAgg, "get_text_width_height_descent")
    layout, _ = _count_calls(monkeypatch, RendererAgg, "_prepare_font")
    try:
        first = dict(zip(("metrics", "layout"), _saved_cold_then_warm(fig, metrics, layout)))
        assert first["metrics"] > 0 and first["layout"] > 0
        # the second save measured and shaped nothing (the mathtext label, which the kit does not
        # cache, is found in matplotlib's own cache: same canvas size, so the same renderer)
        assert len(metrics) - first["metrics"] == 0
        assert len(layout) - first["layout"] == 0
    finally:
        plt.close(fig)


def _width(rc: dict) -> float:
    """Width in pixels of one label in a new figure (new renderer, so no cache of matplotlib's)."""
    with matplotlib.rc_context(rc):
        fig = plt.figure(figsize=(3, 1))
        try:
            label = fig.text(0.1, 0.5, "Wrapped words measured", family="sans-serif", fontsize=10)
            return float(label.get_window_extent(fig.canvas.get_renderer()).width)
        finally:
            plt.close(fig)


def test_a_changed_style_does_not_read_stale_sizes():
    """Same string, properties and dpi under another font list or hinting: measured anew.

    matplotlib's own cache (per renderer) would give the old width here; the kit's keys hold
    the font settings.
    """
    styles = [{}, {"font.sans-serif": ["DejaVu Sans Mono"]}, {"text.hinting": "none"}, {}]
    expected = [_width(rc) for rc in styles]
    assert len(set(expected[:3])) == 3  # each style gives another width: the test can fail
    fig = plt.figure(figsize=(3, 1))
    label = fig.text(0.1, 0.5, "Wrapped words measured", family="sans-serif", fontsize=10)
    renderer = fig.canvas.get_renderer()  # one renderer for every style, as in a long session
    try:
        got = []
        for rc in styles:
            with matplotlib.rc_context(rc), textcache.cached():
                got.append(float(label.get_window_extent(renderer).width))
    finally:
        plt.close(fig)
    assert got == expected


def test_matplotlib_is_restored_after_the_block_even_on_error():
    from matplotlib.font_manager import fontManager

    own = (mtext._get_text_metrics_with_cache, mtext.get_font, RendererAgg.draw_text)
    with pytest.raises(RuntimeError, match="boom"), textcache.cached():
        assert mtext._get_text_metrics_with_cache is not own[0]
        assert "_find_fonts_by_props" in vars(fontManager)
        raise RuntimeError("boom")
    assert (mtext._get_text_metrics_with_cache, mtext.get_font, RendererAgg.draw_text) == own
    assert "_find_fonts_by_props" not in vars(fontManager)  # the class's own method again


def test_a_warm_cache_looks_up_no_font_files_again(monkeypatch):
    from matplotlib.font_manager import FontManager, fontManager

    fig = _busy_figure()
    calls, own = _count_calls(monkeypatch, FontManager, "_find_fonts_by_props")
    try:
        (first,) = _saved_cold_then_warm(fig, calls)
        with textcache.cached():
            # the same answer as the manager's own lookup, for another family list too
            prop = matplotlib.font_manager.FontProperties(family=["DejaVu Sans Mono", "DejaVu Sans"], size=7)
            assert fontManager._find_fonts_by_props(prop) == own(fontManager, prop)
        assert first > 0
        assert len(calls) - first == 1  # the new family list just above; the second save made none
    finally:
        plt.close(fig)


def test_nested_blocks_restore_once_and_other_threads_are_left_alone():
    own = mtext._get_text_metrics_with_cache
    seen: list[object] = []
    with textcache.cached() as outer:
        with textcache.cached() as inner:
            assert outer and inner
        assert mtext._get_text_metrics_with_cache is not own  # the inner exit restored nothing

        def other() -> None:
            with textcache.cached() as active:
                seen.append(active)

        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert seen == [False]
    assert mtext._get_text_metrics_with_cache is own


def test_the_caches_stay_bounded(monkeypatch):
    monkeypatch.setattr(textcache, "MAX_ENTRIES", 5)
    textcache.clear()
    fig = plt.figure(figsize=(3, 3))
    for i in range(40):
        fig.text(0.01, i / 40, f"label number {i}")
    try:
        with textcache.cached():
            _pixels(fig, dpi=50)
        assert 0 < len(textcache._METRICS) <= 5
        assert 0 < len(textcache._GLYPHS) <= 5
    finally:
        plt.close(fig)
        textcache.clear()


def test_saved_files_are_byte_identical_with_and_without_the_caches(tmp_path, monkeypatch):
    data = pd.DataFrame({"outlet": ["a"], "value": [1.0]})
    first, second = _busy_figure("constrained"), _busy_figure("constrained")  # the same chart, made twice
    try:
        cached = output.save_figure(first, "busy", data, tmp_path / "cached", ("png", "svg", "pdf"))
        monkeypatch.setattr(textcache, "cached", lambda: contextlib.nullcontext(False))
        plain = output.save_figure(second, "busy", data, tmp_path / "plain", ("png", "svg", "pdf"))
    finally:
        plt.close(first)
        plt.close(second)
    for fmt in ("png", "svg", "pdf"):
        assert cached[fmt].read_bytes() == plain[fmt].read_bytes(), fmt


def test_a_text_changed_after_its_layout_was_cached_is_laid_out_anew():
    """Every property ``Text._get_layout`` reads is in the key: after each change the cached
    layout gives the box matplotlib computes itself (two lines, so spacing and alignment count)."""
    changes = [
        {},
        {"ha": "right"},
        {"va": "top"},
        {"rotation": 30},
        {"rotation_mode": "anchor"},
        {"linespacing": 2.0},
        {"multialignment": "center"},
        {"fontsize": 13},
        {"fontweight": "bold"},
        {"text": "another string\nand line"},
        {"text": "price $4 to $5", "parse_math": False},
    ]
    fig = plt.figure(figsize=(4, 3), dpi=100)
    label = fig.text(0.5, 0.5, "first line\nsecond, longer line", fontsize=9)
    renderer = fig.canvas.get_renderer()
    try:
        textcache.clear()
        for change in changes:
            label.set(**change)
            expected = label.get_window_extent(renderer).get_points().copy()
            with textcache.cached():
                first = label.get_window_extent(renderer).get_points().copy()
                again = label.get_window_extent(renderer).get_points().copy()  # from the cache
            assert np.array_equal(first, expected) and np.array_equal(again, expected), change
        assert len(textcache._LAYOUTS) == len(changes)  # one entry per distinct layout
    finally:
        plt.close(fig)
        textcache.clear()


def test_a_warm_cache_lays_out_each_text_once(monkeypatch):
    fig = _busy_figure()
    calls, _ = _count_calls(monkeypatch, mtext.Text, "_get_layout")
    try:
        (first,) = _saved_cold_then_warm(fig, calls)
        texts = [text.get_text() for text, *_ in calls]
        assert first > 0
        # the second save laid out again only the mathtext legend entry, which is not cached
        assert set(texts[first:]) == {r"$\alpha^2$ (mathtext)"}
        assert texts[:first].count(r"$\alpha^2$ (mathtext)") == len(texts) - first
    finally:
        plt.close(fig)
