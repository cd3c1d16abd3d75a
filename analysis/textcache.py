"""Process-wide caches for the text measurements of matplotlib's Agg renderer.

Saving one chart lays it out once (the layout engine measures every label), measures the drawn
content, and draws it again into the PNG buffer. Each of these steps gets a new renderer, and
matplotlib keys its text-size cache on the renderer, so the same tick label is shaped by
FreeType/HarfBuzz several times per chart, and again in every chart and every story of a batch
that shows it. Five results depend only on the string (or glyph), the font and the resolution,
never on the renderer or the whole-pixel position, and are computed once per process here:

- the width, height and descent of a string (``matplotlib.text._get_text_metrics_with_cache``);
- the glyphs of a string and their offsets from its origin, as the Agg renderer's ``draw_text``
  gets them from ``FT2Font._layout`` before rendering each glyph at its place;
- the ``head``, ``OS/2`` and ``hhea`` tables of a font, which ``Text._get_layout`` reads on every
  call to find the line height (reading a table builds a new dict each time);
- the font files matching a set of font properties (``FontManager._find_fonts_by_props``, which
  ``Text._get_layout`` and the renderer call for every text they measure or draw, and which
  copies the properties once per family in the list);
- the bitmap of a glyph at a given size, angle and sub-pixel offset (1/64 px, as FreeType places
  it): a glyph drawn at another whole-pixel position is the same bitmap moved by whole pixels,
  so the tick labels, outlet names and titles of every chart are rasterised once;
- the layout of a text around its anchor (``Text._get_layout``: the box, the place of every
  line, from the string, the font, the alignment, rotation and line spacing), which the
  layout engine, the measured box and the drawing each ask for: a chart's labels are laid out
  once per save instead of three to five times, and the common ones once per process.

Every key holds the string, a copy of the font properties, the resolution and the font settings
read from ``rcParams`` (hinting, kerning, the font family lists) and the thread, so a changed
style never reads a stale entry; mathtext and TeX strings are not cached, and a text's layout
is cached only while it is measured for the Agg renderer. The files are the same
byte for byte with and without the caches (checked in the tests on a figure with every kind of
text the kit's charts use, in PNG, SVG and PDF).

Use :func:`cached` around a save (``analysis.output.save_figure`` does). When matplotlib lacks
one of the internals these wrappers rely on (another version), :func:`cached` changes nothing.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["MAX_ENTRIES", "cached", "clear"]

#: Entries kept per cache before it is emptied (a long batch meets new titles and names in
#: every story; the common strings come back after the first chart that uses them).
MAX_ENTRIES = 50_000

_METRICS: dict[tuple, tuple[float, float, float]] = {}
_GLYPHS: dict[tuple, list[tuple[Any, int, float, float]]] = {}
_TABLES: dict[int, _FontTables] = {}
_BITMAPS: dict[tuple, tuple[Any, int, int]] = {}
_FONT_FILES: dict[tuple, list[Any]] = {}
_LAYOUTS: dict[tuple, tuple[Any, list[tuple[str, tuple, tuple]], tuple]] = {}
_ACTIVE = threading.local()
#: rcParams that decide which font a FontProperties resolves to and how its glyphs are shaped.
_FONT_RC = (
    "text.hinting",
    "text.hinting_factor",
    "text.kerning_factor",
    "text.antialiased",
    "font.family",
    "font.serif",
    "font.sans-serif",
    "font.monospace",
    "font.cursive",
    "font.fantasy",
    "mathtext.fontset",
)


def clear() -> None:
    """Empty every cache (the next save measures and shapes every string again)."""
    _METRICS.clear()
    _GLYPHS.clear()
    _TABLES.clear()
    _BITMAPS.clear()
    _FONT_FILES.clear()
    _LAYOUTS.clear()


class _FontTables:
    """A font whose ``get_sfnt_table`` answers are remembered; everything else is the font's."""

    __slots__ = ("font", "tables")

    def __init__(self, font: Any) -> None:
        self.font = font
        self.tables: dict[str, Any] = {}

    def get_sfnt_table(self, name: str) -> Any:
        try:
            return self.tables[name]
        except KeyError:
            table = self.tables[name] = self.font.get_sfnt_table(name)
            return table

    def __getattr__(self, name: str) -> Any:
        return getattr(self.font, name)


def _state() -> tuple:
    """What, besides the string, its properties and the dpi, decides a measurement now."""
    import matplotlib as mpl
    from matplotlib import font_manager

    rc = mpl.rcParams
    values = tuple(tuple(v) if isinstance(v, list) else v for v in (rc[k] for k in _FONT_RC if k in rc))
    manager = font_manager.fontManager
    return (values, id(manager), len(manager.ttflist), threading.get_ident())


def _internals() -> tuple[Any, Any, Any] | None:
    """matplotlib's text module, the Agg renderer class and ``get_hinting_flag``, or None when
    this matplotlib lacks an internal the wrappers use."""
    try:
        from matplotlib import text as mtext
        from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
        from matplotlib.ft2font import FT2Font
    except ImportError:  # pragma: no cover - matplotlib is a requirement
        return None
    needed = (
        callable(getattr(mtext, "_get_text_metrics_with_cache", None))
        and callable(getattr(mtext, "get_font", None))
        and callable(getattr(getattr(mtext, "Text", None), "_get_layout", None))
        and all(callable(getattr(RendererAgg, n, None)) for n in ("_prepare_font", "_draw_text_glyphs_and_boxes", "draw_text"))
        and all(callable(getattr(FT2Font, n, None)) for n in ("_layout", "_render_glyph", "_set_transform", "set_size"))
    )
    return (mtext, RendererAgg, get_hinting_flag) if needed else None


def _bounded(cache: dict) -> None:
    if len(cache) >= MAX_ENTRIES:
        cache.clear()


@contextlib.contextmanager
def cached() -> Iterator[bool]:
    """While inside, the Agg renderer measures and shapes each string once per process.

    Yields
    ------
    bool
        True when the caches are in use (False when this matplotlib lacks an internal they
        need; then nothing is changed). Nested uses are allowed; the outermost restores
        matplotlib's own functions on exit.
    """
    found = _internals()
    if found is None or threading.current_thread() is not threading.main_thread():
        yield False  # other threads keep matplotlib's own functions (the fonts are per thread)
        return
    if getattr(_ACTIVE, "depth", 0):
        yield True
        return
    import numpy as np
    from matplotlib import cbook, font_manager
    from matplotlib.ft2font import RenderMode
    from matplotlib.transforms import Bbox

    mtext, renderer_agg, hinting_flag = found
    state = _state()
    main = threading.get_ident()
    own_metrics = mtext._get_text_metrics_with_cache
    own_get_font = mtext.get_font
    own_draw_text = renderer_agg.draw_text
    own_glyphs_and_boxes = renderer_agg._draw_text_glyphs_and_boxes
    own_layout = mtext.Text._get_layout

    def metrics(renderer: Any, text: str, fontprop: Any, ismath: Any, dpi: float) -> tuple[float, float, float]:
        if ismath or type(renderer) is not renderer_agg or threading.get_ident() != main:
            return own_metrics(renderer, text, fontprop, ismath, dpi)
        key = (text, fontprop.copy(), float(dpi), float(renderer.dpi), state)
        found = _METRICS.get(key)
        if found is None:
            found = renderer.get_text_width_height_descent(text, fontprop, ismath)
            _bounded(_METRICS)
            _METRICS[key] = found
        return found

    def get_font(*args: Any, **kwargs: Any) -> Any:
        font = own_get_font(*args, **kwargs)
        if threading.get_ident() != main:
            return font
        proxy = _TABLES.get(id(font))
        if proxy is None or proxy.font is not font:
            _bounded(_TABLES)
            proxy = _TABLES[id(font)] = _FontTables(font)
        return proxy

    manager = font_manager.fontManager
    own_find_fonts = manager._find_fonts_by_props  # bound method of this manager

    def find_fonts(prop: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if threading.get_ident() != main:
            return own_find_fonts(prop, *args, **kwargs)
        key = (prop.copy(), args, tuple(sorted(kwargs.items())), state)
        found = _FONT_FILES.get(key)
        if found is None:
            found = own_find_fonts(prop, *args, **kwargs)
            _bounded(_FONT_FILES)
            _FONT_FILES[key] = list(found)
        return list(found)

    def draw_text(self: Any, gc: Any, x: float, y: float, s: str, prop: Any, angle: float, ismath: Any = False, mtext: Any = None) -> Any:
        if ismath or threading.get_ident() != main:
            return own_draw_text(self, gc, x, y, s, prop, angle, ismath, mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (s, prop.copy(), float(self.dpi), tuple(features) if features is not None else None,
               language if isinstance(language, (str, type(None))) else repr(language), state)
        glyphs = _GLYPHS.get(key)
        if glyphs is None:
            font = self._prepare_font(prop)
            items = font._layout(s, flags=hinting_flag(), features=features, language=language)
            glyphs = [(item.ft_object, item.glyph_index, item.x, item.y) for item in items]
            _bounded(_GLYPHS)
            _GLYPHS[key] = glyphs
        size = prop.get_size_in_points()
        self._draw_text_glyphs_and_boxes(gc, x, y, angle, ((f, size, g, 0, 1, gx, gy) for f, g, gx, gy in glyphs), [])
        return None

    def glyphs_and_boxes(self: Any, gc: Any, x: float, y: float, angle: float, glyphs: Any, boxes: Any) -> Any:
        # y is downwards, FreeType's is upwards; a glyph is placed at (X, Y) in 1/64 px. It is
        # rendered at (X mod 64, Y mod 64) and drawn (X // 64, Y // 64) whole pixels further.
        if threading.get_ident() != main or not isinstance(boxes, (list, tuple)) or boxes:
            return own_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes)
        rad = math.radians(angle)
        cos, sin = math.cos(rad), math.sin(rad)
        flags = hinting_flag()
        antialiased = bool(gc.get_antialiased())
        mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
        height = self.height
        for font, size, glyph, slant, extend, dx, dy in glyphs:
            gx = round(0x40 * (x + dx * cos - dy * sin))
            gy = round(0x40 * (height - y + dx * sin + dy * cos))
            key = (font, size, self.dpi, glyph, angle, slant, extend, flags, antialiased, gx & 63, gy & 63)
            found = _BITMAPS.get(key)
            if found is None:
                font.set_size(size, self.dpi)
                matrix = np.array([[cos, -sin], [sin, cos]]) @ [[extend, extend * slant], [0, 1]]
                font._set_transform((0x10000 * matrix).round().astype(int), [gx & 63, gy & 63])
                bitmap = font._render_glyph(glyph, flags, mode)
                buffer = bitmap.buffer
                if not antialiased:
                    buffer *= 0xFF
                found = (buffer, bitmap.left, bitmap.top)
                _bounded(_BITMAPS)
                _BITMAPS[key] = found
            buffer, left, top = found
            self._renderer.draw_text_image(buffer, left + (gx >> 6), int(height) - (top + (gy >> 6)) + buffer.shape[0], 0, gc)
        return None

    def layout(self: Any, renderer: Any) -> Any:
        # Text._get_layout reads: the (wrapped) string, the font, the figure's dpi, usetex and
        # parse_math (which lines are maths), line spacing, multi-alignment, rotation, rotation
        # mode and alignment; the metrics of the lines come from the renderer at its dpi.
        figure = self.get_figure(root=True)
        if type(renderer) is not renderer_agg or figure is None or threading.get_ident() != main or self.get_usetex():
            return own_layout(self, renderer)
        text = self._get_wrapped_text()
        if self.get_parse_math() and cbook.is_math_text(text):
            return own_layout(self, renderer)
        key = (text, hash(self._fontproperties), float(figure.dpi), float(renderer.dpi), self._linespacing,
               self._get_multialignment(), self.get_rotation(), self.get_rotation_mode(),
               self._horizontalalignment, self._verticalalignment, self.get_parse_math(), state)
        found = _LAYOUTS.get(key)
        if found is None:
            bbox, lines, box = own_layout(self, renderer)
            found = (bbox.get_points().copy(), lines, box)
            _bounded(_LAYOUTS)
            _LAYOUTS[key] = found
        points, lines, box = found
        return Bbox(points.copy()), list(lines), box

    _ACTIVE.depth = 1
    mtext._get_text_metrics_with_cache = metrics
    mtext.get_font = get_font
    renderer_agg.draw_text = draw_text
    renderer_agg._draw_text_glyphs_and_boxes = glyphs_and_boxes
    mtext.Text._get_layout = layout
    manager._find_fonts_by_props = find_fonts  # on this instance only; the class keeps its method
    try:
        yield True
    finally:
        vars(manager).pop("_find_fonts_by_props", None)
        mtext._get_text_metrics_with_cache = own_metrics
        mtext.get_font = own_get_font
        renderer_agg.draw_text = own_draw_text
        renderer_agg._draw_text_glyphs_and_boxes = own_glyphs_and_boxes
        mtext.Text._get_layout = own_layout
        _ACTIVE.depth = 0
