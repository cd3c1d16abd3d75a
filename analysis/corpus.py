"""Load a news corpus into the ``docs`` table and clean article bodies, recording every removal.

Sources
-------
* a folder with ``manifest.csv`` (one row per article; ``path`` names the text file, relative
  to the folder) and the text files;
* a ``.csv``, ``.jsonl`` or ``.parquet`` file with one row per article and a ``text`` column
  (or a ``path`` column, relative to the folder holding that file).

Which files are read
--------------------
Every ``path`` must resolve, after following every symbolic link on the way, to a file inside
the corpus folder (the folder of ``manifest.csv``, or the folder holding a ``.csv``/``.jsonl``/
``.parquet`` source; the working directory for a DataFrame). ``../secret.txt``, an absolute path
elsewhere, or a link that leads out of the folder is refused naming the row;
``load_corpus(src, allow_outside=True)`` is the only way to read elsewhere. Only regular files are
read (a folder, device such as ``/dev/zero``, FIFO or socket is refused before it is opened for
reading), and an article file may hold at most 50 MiB — counted on the bytes actually read, not
on the size the file system reports. Every file read is listed, resolved, in
``docs.attrs["input_files"]``; :func:`input_files` gives the same list without reading texts.

Encodings
---------
Files are read as UTF-8 (a BOM is dropped). A file that is not valid UTF-8 but decodes as
Windows-1252 is read that way with a warning naming it (``encoding`` column says ``cp1252``).
UTF-16 and UTF-32 files (by their BOM or the pattern of their NUL bytes) are refused with an
``iconv`` command that converts them; any other NUL byte is refused naming its byte offset (the
file is binary). Input files are never modified.

Manifests as users have them
----------------------------
A CSV's separator is read from its header: a comma, or else a semicolon, tab or ``|`` (with a
warning); a header that holds several of those and no comma is refused. A column named twice is
refused. A row with more (non-empty) fields than the header is refused naming it; a shorter row
is padded with empty cells. With no ``published`` column, ``published_at``, ``pubdate`` or
``date`` (the first present, in that order) is read as ``published``; with no ``event_id``
column, ``story_id`` or ``story`` is read as ``event_id`` — each with a :class:`CorpusWarning`.
JSON arrays or objects in a JSONL/Parquet field the kit reads (ids, outlet, dates, title, text,
path, language) are refused naming the line and field; in other fields they are kept as compact
JSON text.

Ids (one rule on every path: :func:`load_corpus`, :func:`load_batch`, :func:`batch_key_columns`)
------------------------------------------------------------------------------------------------
* ``doc_id`` missing, null or empty: generated from the data row, ``f"{row:05d}"`` (0-based
  position in the whole corpus: ``00000``, ``00001`` ...);
* ``event_id`` missing, null or empty: the one shared default story id ``"event"``
  (:data:`DEFAULT_EVENT_ID`);
* ``outlet`` null or empty: refused naming the row;
* integral numbers are written without a decimal part (``7`` and ``7.0`` give ``"7"``); null is
  never the text ``"nan"`` or ``"None"``;
* terminal escape sequences (ANSI ``ESC [ ... m`` and the like) are removed, line breaks and tabs
  become a space, other control and invisible format characters (bidirectional overrides,
  zero-width characters) are removed, and the ends are stripped, with a warning naming the row —
  so an id can reach a terminal or a file name safely and stays readable.

Dates
-----
``published`` accepts ISO dates (``2018-04-19``), ISO timestamps (``2018-04-19T10:00:00Z``;
time zones are converted to UTC and dropped) and dates written with a month name
(``April 19, 2018``). A numeric date whose day and month could be swapped (``01/05/2024``) or
with a two-digit year is refused naming the row; ``13/05/2024`` is read as 13 May.

Cleaning (``clean=True``) removes, and records with the reason, the parts of a file that are not
the article body: site furniture, repeated headlines, photo captions and credits, bylines,
datelines, contributor lines, translation disclaimers and stray punctuation-only fragments.
:func:`removals` lists what was removed; ``load_corpus(..., clean=False)`` keeps ``text`` equal
to the raw file.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import json
import logging
import os
import re
import stat
import sys
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import CorpusError, DocsError, ParameterError

__all__ = [
    "SEEDS_DIR",
    "DOC_COLUMNS",
    "REQUIRED_MANIFEST_COLUMNS",
    "DEFAULT_EVENT_ID",
    "MAX_FILE_BYTES",
    "CorpusWarning",
    "Removal",
    "CleanResult",
    "clean_text",
    "load_corpus",
    "input_files",
    "iter_corpus",
    "BatchSpec",
    "corpus_batches",
    "load_batch",
    "batch_key_columns",
    "clean_docs",
    "check_docs",
    "CLEANER_VERSION",
    "removals",
    "read_text_file",
]

log = logging.getLogger(__name__)

#: The seed corpus shipped with the project (five outlets, one story): package data in an
#: installed kit (``analysis/seeds``), else the repository's top-level ``seeds/``.
SEEDS_DIR = (
    Path(__file__).resolve().parent / "seeds"
    if (Path(__file__).resolve().parent / "seeds").is_dir()
    else Path(__file__).resolve().parent.parent / "seeds"
)

#: Key columns of the docs table, in order.
DOC_COLUMNS = [
    "doc_id",
    "event_id",
    "outlet",
    "published",
    "title",
    "text",
    "raw_text",
    "language",
    "encoding",
    "n_removed",
]
REQUIRED_MANIFEST_COLUMNS = ["outlet", "path"]
#: The story id given to every article whose ``event_id`` is missing, null or empty.
DEFAULT_EVENT_ID = "event"
#: Largest article file read, in bytes (50 MiB), counted on the bytes read.
MAX_FILE_BYTES = 50 * 1024 * 1024
_MAX_BYTES = MAX_FILE_BYTES
_TEXT_SUFFIXES = {".csv", ".jsonl", ".parquet"}
#: Other names users give these columns, in order of preference (used only when the kit's own
#: name is absent).
_ALIASES = {"published": ("published_at", "pubdate", "date"), "event_id": ("story_id", "story")}
#: Columns whose cells must be single values (the kit reads them).
_KIT_FIELDS = ("doc_id", "event_id", "outlet", "published", "title", "text", "path", "language")
_ID_FIELDS = ("doc_id", "event_id", "outlet")
_SEPARATORS = {";": "semicolon", "\t": "tab", "|": "'|'"}


class CorpusWarning(UserWarning):
    """A corpus was read, but not exactly as written (a renamed column, a changed id, a separator)."""


def _warn(msg: str) -> None:
    """Warn (pointing at the caller outside this module) and log ``msg``."""
    level, frame = 2, sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        level += 1
        frame = frame.f_back
    warnings.warn(msg, CorpusWarning, stacklevel=level)
    log.warning(msg)


# ---------------------------------------------------------------------------------------------
# reading files


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _open_regular(path: Path) -> int:
    """Open ``path`` for reading only if it is a regular file; returns a file descriptor.

    The type is checked with ``os.stat`` before opening (a FIFO is never opened), the open is
    non-blocking, and ``fstat`` re-checks the opened file (it may have been swapped meanwhile).
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise CorpusError(f"{path}: file not found. Check the path (relative to the corpus folder).") from None
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror}). Check the file and its permissions.") from None
    if not stat.S_ISREG(st.st_mode):
        what = _kind_of(st.st_mode)
        if what == "a folder":
            raise CorpusError(f"{path}: is a folder, expected a text file. Name the article's .txt file.")
        raise CorpusError(f"{path}: is {what}, not a regular file; only regular text files are read. Save the article as a .txt file.")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be opened ({exc.strerror}). Check the file and its permissions.") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise CorpusError(f"{path}: is not a regular file (it changed while being opened); only regular text files are read.")
    return fd


def _read_bytes(path: Path, limit: int | None) -> bytes:
    """All bytes of a regular file, refusing it once more than ``limit`` bytes were read."""
    fd = _open_regular(path)
    chunks: list[bytes] = []
    n = 0
    try:
        while True:
            want = 1 << 20 if limit is None else min(1 << 20, limit + 1 - n)
            if want <= 0:
                break
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            n += len(chunk)
    finally:
        os.close(fd)
    if limit is not None and n > limit:
        raise CorpusError(
            f"{path}: more than {limit // 2**20} MiB, too large for one article; split it into one file per article."
            if limit >= 2**20
            else f"{path}: more than {limit} bytes, too large for one article (limit {limit} bytes)."
        )
    return b"".join(chunks)


def _utf16_order(data: bytes) -> str | None:
    """"LE"/"BE" when the NUL bytes of ``data`` follow UTF-16's pattern (ASCII text), else None."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if len(odd) < 2:
        return None
    if odd.count(0) >= 0.3 * len(odd) and even.count(0) <= 0.05 * len(even):
        return "LE"
    if even.count(0) >= 0.3 * len(even) and odd.count(0) <= 0.05 * len(odd):
        return "BE"
    return None


def _check_encoding(data: bytes, path: Path) -> None:
    """Refuse UTF-16/UTF-32 (with an iconv hint) and binary data (naming the first NUL's offset)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        enc = "UTF-32"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in data[:4096] and _utf16_order(data)):
        enc = "UTF-16"
    else:
        off = data.find(b"\x00")
        if off >= 0:
            raise CorpusError(
                f"{path}: looks binary (NUL byte at byte offset {off}). Convert it to plain UTF-8 text "
                "(e.g. export the article as .txt) and list the .txt file in the manifest."
            )
        return
    raise CorpusError(
        f"{path}: is {enc} text; the kit reads UTF-8. Convert it, e.g. "
        f"`iconv -f {enc} -t UTF-8 '{path.name}' > '{path.stem}-utf8{path.suffix}'`, and read the converted file."
    )


def read_text_file(path: Path, *, limit: int = MAX_FILE_BYTES) -> tuple[str, str]:
    """Read one article file without modifying it.

    Only a regular file is opened (a folder, device, FIFO or socket is refused first), and at
    most ``limit + 1`` bytes are read whatever size the file system reports.

    Parameters
    ----------
    path : pathlib.Path
        The file (no containment check here; :func:`load_corpus` resolves manifest paths).
    limit : int
        Largest accepted size in bytes (default :data:`MAX_FILE_BYTES`, 50 MiB).

    Returns
    -------
    tuple of (str, str)
        ``(text, encoding)`` where encoding is ``"utf-8"`` or ``"cp1252"``.

    Raises
    ------
    CorpusError
        Missing, unreadable, not a regular file, too large, UTF-16/UTF-32, binary (a NUL byte,
        named by its offset) or undecodable; the message names the file and the fix.
    """
    path = Path(path)
    data = _read_bytes(path, limit)
    _check_encoding(data, path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise CorpusError(
                f"{path}: not UTF-8 (byte {exc.start}) and not Windows-1252 either. "
                "Re-save it as UTF-8, e.g. `iconv -f LATIN1 -t UTF-8`."
            ) from exc
        msg = (
            f"{path}: not valid UTF-8 (byte {exc.start}); read it as Windows-1252 (cp1252). "
            "Re-save the file as UTF-8 to silence this warning."
        )
        warnings.warn(msg, UnicodeWarning, stacklevel=3)
        log.warning(msg)
        return text, "cp1252"


# ---------------------------------------------------------------------------------------------
# cleaning


@dataclass(frozen=True)
class Removal:
    """One piece of a raw file that cleaning removed."""

    reason: str
    removed_text: str


@dataclass
class CleanResult:
    """Result of :func:`clean_text`: the cleaned body, removals and a detected headline."""

    text: str
    removed: list[Removal] = field(default_factory=list)
    headline: str = ""


_FURNITURE_RES = [
    re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\b.{0,60}$", re.I),  # "date 2024-03-27 Newsdeck"
    re.compile(
        r"^\s*(?:\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{4}"
        r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
        r"|\d{4}-\d{2}-\d{2})(?:\s+\d{1,2}:\d{2}(?:\s*[AP]M)?(?:\s*[A-Z]{2,4})?)?\s*$",
        re.I,
    ),  # a line that is only a date / time stamp
    re.compile(r"^\s*(?:share|advertisement|read more|subscribe|sign up)\b.{0,40}$", re.I),
    re.compile(r"^\s*(?:updated|published)\s*:?\s.{0,60}\d{4}.{0,20}$", re.I),
]
_CREDIT_RE = re.compile(
    r"^\s*(?:photographer|photo|photograph|image|picture|illustration|credit|video)s?\s*:\s*.{0,160}$"
    r"|^\s*\(?(?:photo|image|picture)s?\s+by\s.{0,120}$"
    r"|^.{0,120}\b(?:getty images|reuters/|ap photo|afp via getty|/ ?ap ?/|profimedia|shutterstock)\b.{0,60}$",
    re.I,
)
_GLUED_CREDIT_RE = re.compile(r"^(?P<caption>.{0,200}?)(?P<credit>(?:Photo|Image|Photographer)\s*:\s*.{0,160})$")
_BYLINE_RE = re.compile(
    r"^\s*[Bb][Yy]\s+(?:[A-Z][\w.'\u2019-]*(?:\s+|$)){1,4}(?:(?:and|&)\s+(?:[A-Z][\w.'\u2019-]*\s*){1,4})?"
    r"(?:,\s*[A-Z][\w ]{0,40})?\s*$"
)
_CONTRIBUTOR_RE = re.compile(
    r"(?:contributed (?:to )?(?:this |the )?(?:report|story|reporting)"
    r"|^\s*\(?(?:reporting|additional reporting|writing|editing) by\b"
    r"|^\s*compiled by\b)",
    re.I,
)
_DISCLAIMER_RE = re.compile(
    r"(?:automatically (?:generated|translated)|machine[- ]translat|translated (?:automatically|by (?:ai|machine))"
    r"|generated by (?:the )?ai|inaccuracies in translat|system supported by)",
    re.I,
)
_DATELINE_RE = re.compile(
    r"^(?P<dl>\(?[A-Z][A-Z .'\u2019-]{1,40}[A-Z]\)?"  # WASHINGTON / (WASHINGTON) / JAKARTA
    r"(?:,\s*[A-Z][A-Za-z.]{1,12})?"  # , Conn.
    r"(?:\s*\((?:AP|Reuters|AFP|UPI|CNN|Bloomberg|dpa|ANI|IANS|PTI|Xinhua)\))?"  # (AP)
    r"\s*(?:--|\u2014|\u2013|-|:)\s+)"
)
_STRAY_PUNCT_RE = re.compile(r"(?<=[.!?\"'\u201d\u2019])(?P<stray>(?:\s+[.,;:]+)+)(?=\s*$)")
_WORD_CHAR_RE = re.compile(r"[^\W_]")
_CREDIT_HINTS = ("photo", "image", "picture", "illustration", "credit", "video", "getty", "reuters/", "/ ap", "/ap", "profimedia", "shutterstock")
_DISCLAIMER_HINTS = ("automatic", "machine", "translat", "generated by", "system supported")
_CONTRIBUTOR_HINTS = ("contributed", "reporting by", "writing by", "editing by", "compiled by")


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(re.sub(r"[^\w' ]+", " ", s.lower()).split())


def _is_headline_like(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 200 or s[-1] in ".!?\"'\u201d\u2019:":
        return False
    wds = s.split()
    if not 3 <= len(wds) <= 25:
        return False
    caps = sum(1 for w in wds if w[:1].isupper())
    return caps / len(wds) >= 0.5


def _is_subheading(line: str) -> bool:
    s = line.strip()
    return (
        bool(s)
        and s[0].isupper()
        and s[-1] not in ".!?\"'\u201d\u2019:,;"
        and 2 <= len(s.split()) <= 12
        and not _DATELINE_RE.match(s)
    )


def clean_text(raw: str, *, title: str = "") -> CleanResult:
    """Separate an article body from the furniture around it.

    Rules, applied line by line (paragraphs are lines; blank lines separate them):

    * ``site_furniture``: lines such as ``date 2024-03-27 Newsdeck``, lone date stamps
      ("27 Mar 2024"), "Share", "Advertisement";
    * ``headline``: a line equal to ``title`` (case- and punctuation-insensitive), and, when no
      title is given, a title-case first line without final punctuation followed by body text
      (returned as ``headline``); repeats of the headline are removed too;
    * ``photo_credit`` / ``photo_caption``: "Photographer: …", "Photo: …", credit lines naming
      a picture agency, and a caption glued to its credit ("…NetanyahuPhoto: Miriam Alster / AP");
    * ``byline``: "By Bloomberg", "By Jane Doe and John Roe";
    * ``dateline``: a leading "(WASHINGTON) --", "WASHINGTON (AP) --", "JAKARTA -" on the first
      body paragraph;
    * ``contributor_line``: "… contributed to this report.", "Reporting by …";
    * ``translation_disclaimer``: notes that the text was machine translated;
    * ``subheading``: a short line inside the body without final punctuation (a crosshead
      such as "Attempts to weaken the relationship");
    * ``stray_punctuation``: punctuation-only fragments such as the trailing " ." in
      "reported. ." and lines with no letter or digit.

    Parameters
    ----------
    raw : str
        The file as read.
    title : str, optional
        The article's headline from the manifest, if known.

    Returns
    -------
    CleanResult
        ``text`` (paragraphs joined by a blank line), ``removed`` (list of :class:`Removal`),
        ``headline`` (the detected headline when ``title`` was empty, else ``title``).
    """
    lines = [ln.strip() for ln in raw.splitlines()]
    removed: list[Removal] = []
    kept: list[str] = []
    title_norm = _norm(title) if title else ""
    headline = title
    body_started = False
    dateline_done = False

    nonblank = [i for i, ln in enumerate(lines) if ln]
    for pos, i in enumerate(nonblank):
        line = lines[i]
        if not _WORD_CHAR_RE.search(line):
            removed.append(Removal("stray_punctuation", line))
            continue
        if any(r.match(line) for r in _FURNITURE_RES) and not body_started:
            removed.append(Removal("site_furniture", line))
            continue
        if title_norm and _norm(line) == title_norm:
            removed.append(Removal("headline", line))
            continue
        if not body_started and not title_norm and _is_headline_like(line) and pos + 1 < len(nonblank):
            nxt = lines[nonblank[pos + 1]]
            if len(nxt.split()) >= 8 or _norm(nxt) == _norm(line) or _CREDIT_RE.match(nxt):
                headline = line
                title_norm = _norm(line)
                removed.append(Removal("headline", line))
                continue
        low = line.lower()
        short = len(line) <= 400
        glued = _GLUED_CREDIT_RE.match(line) if short and ("photo" in low or "image:" in low) else None
        if (
            glued
            and glued.group("caption").strip()
            and len(line.split()) <= 30
            and not re.search(r"[.!?]\s", glued.group("caption"))
        ):
            removed.append(Removal("photo_caption", line))
            continue
        if short and any(k in low for k in _CREDIT_HINTS) and _CREDIT_RE.match(line) and len(line.split()) <= 30:
            removed.append(Removal("photo_credit", line))
            continue
        if low.startswith("by ") and _BYLINE_RE.match(line) and len(line.split()) <= 10:
            removed.append(Removal("byline", line))
            continue
        if any(k in low for k in _DISCLAIMER_HINTS) and _DISCLAIMER_RE.search(line):
            removed.append(Removal("translation_disclaimer", line))
            continue
        if any(k in low for k in _CONTRIBUTOR_HINTS) and _CONTRIBUTOR_RE.search(line) and len(line.split()) <= 40:
            removed.append(Removal("contributor_line", line))
            continue
        if body_started and _is_subheading(line) and pos + 1 < len(nonblank):
            removed.append(Removal("subheading", line))
            continue
        if not dateline_done:
            m = _DATELINE_RE.match(line)
            if m and len(line) > len(m.group("dl")) + 20:
                removed.append(Removal("dateline", m.group("dl").strip()))
                line = line[m.end("dl"):]
            dateline_done = True
        tail = line.rsplit(None, 1)
        stray = _STRAY_PUNCT_RE.search(line) if len(tail) == 2 and not tail[1].strip(".,;:") else None
        if stray:
            removed.append(Removal("stray_punctuation", stray.group("stray").strip()))
            line = line[: stray.start("stray")]
        body_started = True
        kept.append(line)
    return CleanResult(text="\n\n".join(kept), removed=removed, headline=headline or "")


# ---------------------------------------------------------------------------------------------
# cells and ids

#: Every column name whose cells the kit reads as one value (its own names and their aliases).
_READ_FIELDS = frozenset(_KIT_FIELDS).union(*_ALIASES.values())
#: Columns read as Python objects from Parquet/JSONL so ids keep their exact value.
_ID_SOURCE_FIELDS = frozenset(_ID_FIELDS).union(_ALIASES["event_id"])
_ANSI_RE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erase
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]"  # two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_SPACE_CONTROLS = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029")


def _is_null(v: object) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, (float, np.floating)):
        return bool(np.isnan(v))
    return False


def _cell(v: object, field: str, loc: str) -> str:
    """One cell as text ("" when null); integral numbers without ``.0``; lists and dicts refused."""
    if isinstance(v, str):
        return v
    if _is_null(v):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return str(int(v)) if float(v).is_integer() else repr(float(v))
    if isinstance(v, (list, tuple, dict, set, np.ndarray)):
        raise CorpusError(
            f"{loc}: field {field!r} holds a {type(v).__name__} ({str(v)[:40]}); the kit reads one value there. "
            "Write it as a single string."
        )
    return str(v)


def _clean_id(s: str) -> tuple[str, bool]:
    """``s`` safe for terminals and file names: escape sequences and control characters removed.

    Returns the cleaned, stripped id and whether anything other than outer spaces changed.
    """
    if s.isprintable():
        return s.strip(), False
    out = []
    for ch in _ANSI_RE.sub("", s):
        if ch in _SPACE_CONTROLS:
            out.append(" ")
        elif ch == " " or unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs"):
            out.append(ch)
    cleaned = "".join(out).strip()
    return cleaned, cleaned != s.strip()


def _generated_id(row: int) -> str:
    """The ``doc_id`` of a row without one: its 0-based position in the whole corpus."""
    return f"{row:05d}"


def _alias_plan(columns: list[str], where: str, warn: bool) -> dict[str, str]:
    """``{user column: kit column}`` for the aliases used (only where the kit's column is absent)."""
    rename: dict[str, str] = {}
    for canon, alternatives in _ALIASES.items():
        if canon in columns:
            continue
        for alt in alternatives:
            if alt in columns:
                rename[alt] = canon
                if warn:
                    _warn(
                        f"{where}: no '{canon}' column; reading column '{alt}' as '{canon}'. "
                        f"Rename the column to '{canon}' to silence this warning."
                    )
                break
    return rename


def _check_unique_columns(columns: list[str], where: str) -> None:
    seen: dict[str, int] = {}
    for i, c in enumerate(columns):
        if c in seen:
            raise CorpusError(
                f"{where}: column {c!r} appears twice in the header (columns {seen[c] + 1} and {i + 1}). "
                "Rename or remove one of them."
            )
        seen[c] = i


def _one_column_hint(columns: list[str]) -> str:
    if len(columns) != 1:
        return ""
    return (
        f" The header was read as the single column {columns[0][:80]!r}: save the file with commas between "
        "values (a semicolon, tab or '|' is also detected when the header has no comma)."
    )


# ---------------------------------------------------------------------------------------------
# reading tables


def _sniff_separator(data: bytes, path: Path, warn: bool) -> str:
    """The separator of a CSV, from its header line: a comma, else one of ``; \\t |``."""
    pos, first = 0, ""
    while pos < len(data):
        nl = data.find(b"\n", pos)
        line = data[pos:] if nl < 0 else data[pos:nl]
        if line.strip():
            first = line.decode("utf-8-sig", errors="replace").rstrip("\r")
            break
        pos = len(data) if nl < 0 else nl + 1
    widths = {s: len(next(csv.reader([first], delimiter=s))) for s in (",", *_SEPARATORS)}
    if widths[","] > 1:
        return ","
    found = [s for s in _SEPARATORS if widths[s] > 1]
    if len(found) == 1:
        if warn:
            _warn(
                f"{path}: the header has no comma; read the file as {_SEPARATORS[found[0]]}-separated. "
                "Save it comma-separated to silence this warning."
            )
        return found[0]
    if len(found) > 1:
        names = " and ".join(_SEPARATORS[s] for s in found)
        raise CorpusError(
            f"{path}: the header has no comma, so it would be read as the single column {first[:80]!r}; it holds "
            f"both {names}, so the separator is ambiguous. Save the file comma-separated."
        )
    return ","


def _csv_rows_checked(text: str, path: Path, sep: str) -> tuple[list[str] | None, list[list[str]]]:
    """Header and rows of a CSV parsed row by row, refusing a row with more non-empty fields than
    the header (naming its data row and line); shorter rows are padded with empty cells."""
    if csv.field_size_limit() < 2**31 - 1:
        csv.field_size_limit(2**31 - 1)  # one cell may hold a whole article
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header: list[str] | None = None
    rows: list[list[str]] = []
    try:
        for rec in reader:
            if not rec:
                continue  # blank line
            if header is None:
                header = rec
                continue
            if len(rec) > len(header):
                if any(f.strip() for f in rec[len(header):]):
                    shown = "tab" if sep == "\t" else repr(sep)
                    raise CorpusError(
                        f"{path}, data row {len(rows) + 1} (line {reader.line_num}): {len(rec)} fields but the header "
                        f"has {len(header)}; a value probably holds an unquoted {shown}. Put such values in double "
                        "quotes, or remove the extra field."
                    )
                rec = rec[: len(header)]
            elif len(rec) < len(header):
                rec = rec + [""] * (len(header) - len(rec))
            rows.append(rec)
    except csv.Error as exc:
        raise CorpusError(f"{path}, line {reader.line_num}: cannot be read as CSV ({exc}). Check the quoting.") from None
    return header, rows


def _read_csv(path: Path, warn: bool = True) -> pd.DataFrame:
    """A CSV file as a frame of strings (empty cells ""), its structure checked.

    pandas' C parser reads well-formed files; a file it refuses is parsed again row by row to
    name the offending row (a row whose extra fields are all empty is accepted there).
    """
    data = _read_bytes(path, None)
    _check_encoding(data, path)
    sep = _sniff_separator(data, path, warn)
    try:
        raw = pd.read_csv(io.BytesIO(data), header=None, dtype=str, keep_default_na=False, sep=sep, encoding="utf-8-sig")
        header: list[str] | None = [str(h) for h in raw.iloc[0].tolist()] if len(raw) else None
        body = raw.iloc[1:].reset_index(drop=True)
    except UnicodeDecodeError:
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CorpusError(
                f"{path}: not UTF-8 (byte {exc.start}). Re-save it as UTF-8, e.g. `iconv -f LATIN1 -t UTF-8`."
            ) from None
        raise
    except pd.errors.EmptyDataError:
        header, body = None, None
    except pd.errors.ParserError:
        header, rows = _csv_rows_checked(data.decode("utf-8-sig"), path, sep)
        body = pd.DataFrame(rows, dtype=str) if rows else None
    if header is None:
        raise CorpusError(f"{path}: is empty (no header row). Write a header such as doc_id,outlet,path and one row per article.")
    header = [h.strip() or f"Unnamed: {i}" for i, h in enumerate(header)]
    _check_unique_columns(header, str(path))
    if body is None or len(body) == 0:
        return pd.DataFrame({h: pd.Series([], dtype=str) for h in header})
    return body.set_axis(header, axis=1)


def _jsonl_object(line: bytes, path: Path, lineno: int) -> dict[str, Any]:
    try:
        obj = json.loads(line.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}, line {lineno}: not UTF-8 (byte {exc.start} of the line). Re-save the file as UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{path}, line {lineno}: not valid JSON ({exc.msg}). Each line must be one JSON object.") from None
    if not isinstance(obj, dict):
        raise CorpusError(f"{path}, line {lineno}: expected a JSON object, got {type(obj).__name__}.")
    for key, value in obj.items():
        if isinstance(value, (list, dict)):
            if key.strip() in _READ_FIELDS:
                kind = "an array" if isinstance(value, list) else "an object"
                raise CorpusError(
                    f"{path}, line {lineno}: field {key!r} is {kind} ({json.dumps(value)[:40]}); the kit reads one "
                    "value there. Write it as a single string."
                )
            obj[key] = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return obj


def _jsonl_rows(
    path: Path, *, byte_offset: int = 0, first_line: int = 1, max_records: int | None = None
) -> list[dict[str, Any]]:
    """JSON objects of the non-blank lines of a JSONL file from ``byte_offset`` (line ``first_line``)."""
    rows: list[dict[str, Any]] = []
    with os.fdopen(_open_regular(path), "rb") as fh:
        if byte_offset == 0:
            head = fh.read(4096)
            if b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
                _check_encoding(head, path)
            fh.seek(0)
        else:
            fh.seek(byte_offset)
        lineno = first_line - 1
        for line in fh:
            lineno += 1
            if not line.strip():
                continue
            rows.append(_jsonl_object(line, path, lineno))
            if max_records is not None and len(rows) >= max_records:
                break
    return rows


def _frame_from_records(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Records as a frame of Python objects (ids keep their exact type; no float conversion)."""
    keys = list(dict.fromkeys(k for r in rows for k in r))
    return pd.DataFrame({k: pd.Series([r.get(k) for r in rows], dtype=object) for k in keys}, index=range(len(rows)))


def _read_parquet(
    path: Path, start: int | None = None, stop: int | None = None, columns: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Rows ``[start, stop)`` of a Parquet file (all when None), reading only the row groups that hold them.

    ``columns`` limits the read to those of the named columns the file has. Id columns are kept
    as Python values; nested columns are refused where the kit reads them, else kept as JSON text.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    with os.fdopen(_open_regular(path), "rb") as fh:
        try:
            pf = pq.ParquetFile(fh)
            names = pf.schema_arrow.names
            _check_unique_columns([str(n).strip() for n in names], str(path))
            wanted = None if columns is None else [c for c in names if str(c).strip() in columns]
            n = pf.metadata.num_rows
            start = 0 if start is None else start
            stop = n if stop is None else min(stop, n)
            groups, first, row = [], 0, 0
            for g in range(pf.metadata.num_row_groups):
                size = pf.metadata.row_group(g).num_rows
                if row + size > start and row < stop:
                    if not groups:
                        first = row
                    groups.append(g)
                row += size
            if groups:
                table = pf.read_row_groups(groups, columns=wanted).slice(start - first, stop - start)
            else:
                table = pf.schema_arrow.empty_table()
                table = table if wanted is None else table.select(wanted)
        except CorpusError:
            raise
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise CorpusError(f"{path}: cannot be read as Parquet ({exc}).") from None
    data: dict[str, pd.Series] = {}
    for name, col in zip(table.column_names, table.columns):
        key = str(name).strip()
        if pa.types.is_nested(col.type):
            values = col.to_pylist()
            if key in _READ_FIELDS:
                i = next((i for i, v in enumerate(values) if v is not None), 0)
                raise CorpusError(
                    f"{path}, data row {start + i + 1}: field {name!r} holds {col.type} values; the kit reads one value "
                    "there. Store it as a single string."
                )
            data[name] = pd.Series(
                [None if v is None else json.dumps(v, ensure_ascii=False, sort_keys=True, default=str) for v in values],
                dtype=object,
            )
        elif key in _ID_SOURCE_FIELDS:
            data[name] = pd.Series(col.to_pylist(), dtype=object)
        else:
            data[name] = col.to_pandas().reset_index(drop=True)
    return pd.DataFrame(data, index=range(table.num_rows))


def _read_table(path: Path, warn: bool = True) -> pd.DataFrame:
    """A ``.csv``, ``.jsonl`` or ``.parquet`` table (one row per article)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, warn)
    if suffix == ".jsonl":
        return _frame_from_records(_jsonl_rows(path))
    if suffix == ".parquet":
        return _read_parquet(path)
    raise CorpusError(f"{path}: unsupported file type {suffix!r}; use a folder with manifest.csv, .csv, .jsonl or .parquet.")


# ---------------------------------------------------------------------------------------------
# loading


def _article_path(value: str, base: Path | None, *, allow_outside: bool, loc: str) -> Path:
    """Resolve a ``path`` cell against the corpus folder; refuse it when it leads outside."""
    base_real = (base if base is not None else Path.cwd()).resolve()
    given = Path(value)
    target = base_real / given  # an absolute path replaces the base
    real = target.resolve()
    if not allow_outside and real != base_real and base_real not in real.parents:
        lexical = Path(os.path.normpath(target))
        if lexical == base_real or base_real in lexical.parents:
            how = "through a symbolic link"
        elif given.is_absolute():
            how = "an absolute path"
        else:
            how = "'..' climbs out of it"
        raise CorpusError(
            f"{loc}: path {value!r} leads outside the corpus folder {base_real} ({how}). Put the file inside the "
            "corpus folder and give its path relative to it, or opt in to reading files elsewhere with "
            "load_corpus(..., allow_outside=True) (on the command line: -p allow_outside true)."
        )
    if not os.path.lexists(real):
        raise CorpusError(f"{loc}: file {value!r} not found (looked for {target}). Fix the path or remove the row.")
    return real


def _row_location(where: str, row: int, doc_id: str = "") -> str:
    return f"{where}, data row {row + 1}" + (f" (doc_id {doc_id})" if doc_id else "")


def _docs_from_frame(
    frame: pd.DataFrame,
    *,
    where: str,
    clean: bool,
    base: Path | None,
    first_row: int = 0,
    warn: bool = True,
    allow_outside: bool = False,
    files: list[str] | None = None,
) -> pd.DataFrame:
    """Validate a manifest-like frame, read texts (from ``path`` or ``text``) and clean them.

    Rows are numbered from ``first_row`` (0-based position of the frame's first row in the whole
    corpus); every file read is appended, resolved, to ``files``.
    """
    if len(frame) == 0:
        raise CorpusError(f"{where}: has no rows. Add one row per article.")
    cols = [str(c).strip() for c in frame.columns]
    _check_unique_columns(cols, where)
    frame = frame.set_axis(cols, axis=1)
    rename = _alias_plan(cols, where, warn)
    if rename:
        frame = frame.rename(columns=rename)
        cols = list(frame.columns)
    if "outlet" not in cols:
        raise CorpusError(
            f"{where}: no 'outlet' column (columns: {', '.join(cols)}). "
            f"Add an 'outlet' column naming the publication of each article.{_one_column_hint(cols)}"
        )
    has_text, has_path = "text" in cols, "path" in cols
    if not has_text and not has_path:
        raise CorpusError(
            f"{where}: needs a 'path' column (text file of each article) or a 'text' column (the article itself)."
            f"{_one_column_hint(cols)}"
        )
    files = [] if files is None else files
    sanitized: list[tuple[int, str, str, str]] = []
    records = []
    dropped: list[str] = []  # articles with nothing left after cleaning
    dates: list[object] = []
    columns = [frame[c].tolist() for c in cols]  # bulk conversion: far faster than row access
    for pos, values in enumerate(zip(*columns)):
        rowno = first_row + pos
        row = dict(zip(cols, values))
        ids: dict[str, str] = {}
        for fld in _ID_FIELDS:
            raw_id = _cell(row.get(fld), fld, _row_location(where, rowno, ids.get("doc_id", "")))
            ids[fld], changed = _clean_id(raw_id)
            if changed:
                sanitized.append((rowno, fld, raw_id, ids[fld]))
        doc_id = ids["doc_id"] or _generated_id(rowno)
        loc = _row_location(where, rowno, doc_id)
        if not ids["outlet"]:
            raise CorpusError(f"{loc}: empty outlet. Name the outlet (publication) of every article.")
        text_value = row.get("text") if has_text else None
        if text_value is not None and not isinstance(text_value, str):
            if _is_null(text_value):
                text_value = None
            else:
                _cell(text_value, "text", loc)  # lists and dicts: refused with their own message
                raise CorpusError(
                    f"{loc}: text is a {type(text_value).__name__} ({str(text_value)[:40]!r}), not a string. "
                    "Put the article's text in the 'text' cell."
                )
        path_value = _cell(row.get("path"), "path", loc).strip() if has_path else ""
        if isinstance(text_value, str) and text_value.strip():
            raw, enc, src = text_value, "utf-8", loc
        elif path_value:
            p = _article_path(path_value, base, allow_outside=allow_outside, loc=loc)
            try:
                raw, enc = read_text_file(p)
            except CorpusError as exc:
                raise CorpusError(f"{loc}: {exc}") from None
            files.append(str(p))
            src = str(p)
        elif isinstance(text_value, str):
            raise CorpusError(f"{loc}: empty or whitespace-only text. Remove the row or add the article text.")
        else:
            raise CorpusError(f"{loc}: no text. Fill the 'text' or 'path' cell.")
        if not raw.strip():
            raise CorpusError(f"{src}: empty or whitespace-only text (doc_id {doc_id}). Remove the row or add the article text.")
        title = _cell(row.get("title"), "title", loc).strip()
        language = _cell(row.get("language"), "language", loc).strip() or "en"
        published = row.get("published")
        if isinstance(published, (list, tuple, dict, np.ndarray)):
            _cell(published, "published", loc)
        dates.append(published)
        if clean:
            res = clean_text(raw, title=title)
            text, n_removed = res.text, len(res.removed)
            if not title:
                title = res.headline
            if not text.strip():  # this article is left out; the corpus fails only if none is left
                dropped.append(
                    f"{src}: nothing is left after cleaning (doc_id {doc_id}); the file holds only "
                    "headlines, credits or furniture. Check the file, or load with clean=False."
                )
                _warn(dropped[-1] + " The article is left out.")
                dates.pop()
                continue
        else:
            text, n_removed = raw, 0
        rec = {k: row[k] for k in cols if k not in ("text", "published")}
        rec.update(
            doc_id=doc_id,
            event_id=ids["event_id"] or DEFAULT_EVENT_ID,
            outlet=ids["outlet"],
            published=None,
            title=title,
            text=text,
            raw_text=raw,
            language=language,
            encoding=enc,
            n_removed=n_removed,
            raw_sha256=hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        )
        records.append(rec)
    if sanitized and warn:
        rowno, fld, before, after = sanitized[0]
        _warn(
            f"{where}: removed control characters or terminal escape sequences from {len(sanitized)} id/outlet "
            f"value(s), e.g. data row {rowno + 1} {fld} {ascii(before)[:60]} -> {after!r}."
        )
    if dropped and not records:
        raise CorpusError(dropped[0])
    docs = pd.DataFrame.from_records(records)
    dup = docs["doc_id"].duplicated(keep=False)
    if dup.any():
        values = sorted(set(docs.loc[dup, "doc_id"]))[:5]
        rows = [first_row + int(i) + 1 for i in dup.to_numpy().nonzero()[0][:5]]
        raise CorpusError(f"{where}: duplicate doc_id {values} (data rows {rows}). Give every article a unique doc_id.")
    column = next((alt for alt, canon in rename.items() if canon == "published"), "published")
    docs["published"] = _parse_dates(dates, first_row, docs["doc_id"].tolist(), where, column)
    for col in ("translated",):
        if col in docs.columns:
            docs[col] = docs[col].map(_as_bool)
    extra = [c for c in docs.columns if c not in DOC_COLUMNS]
    docs = docs[DOC_COLUMNS + extra]
    if docs["outlet"].nunique() < 2 and warn:
        log.warning(
            "%s: only one outlet (%s); documents load, but outlet comparisons need at least two.",
            where,
            docs["outlet"].iloc[0],
        )
    docs = docs.reset_index(drop=True)
    docs.attrs["input_files"] = list(dict.fromkeys(files))
    return docs


_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMERIC_DATE_RE = re.compile(r"(\d{1,4})([/.\- ])(\d{1,2})\2(\d{1,4})(?=$|[ T])")


class _DateProblem(ValueError):
    pass


def _one_date(v: object) -> pd.Timestamp:
    """One ``published`` value as a naive timestamp (UTC when it had a zone); NaT when empty."""
    if _is_null(v) or (isinstance(v, str) and not v.strip()):
        return pd.NaT
    if isinstance(v, (bool, np.bool_, int, float, np.integer, np.floating)):
        raise _DateProblem("is a number, not a date")
    if isinstance(v, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
        ts = pd.Timestamp(v)
    else:
        s = str(v).strip()
        m = _NUMERIC_DATE_RE.match(s)
        try:
            if m and len(m.group(1)) != 4:
                a, b, y = m.group(1), m.group(3), m.group(4)
                if len(y) != 4:
                    raise _DateProblem("has a two-digit year or an unclear order of day, month and year")
                x, z = int(a), int(b)
                if x > 12 >= z:
                    day, month = x, z
                elif z > 12 >= x or x == z:
                    day, month = z, x
                elif x <= 12 and z <= 12:
                    one, other = _dt.date(int(y), z, x), _dt.date(int(y), x, z)
                    raise _DateProblem(f"is ambiguous ({one.day} {one:%B} or {other.day} {other:%B}?)")
                else:
                    raise _DateProblem("is not a date")
                s = f"{y}-{month:02d}-{day:02d}" + s[m.end():]
            ts = pd.Timestamp(s)
        except _DateProblem:
            raise
        except (ValueError, OverflowError, TypeError):
            raise _DateProblem("is not a date") from None
    if ts is pd.NaT:
        return ts
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts


def _parse_dates(values: list[object], first_row: int, doc_ids: list[str], where: str, column: str) -> pd.Series:
    """Parse the ``published`` values; a value that is present but not a clear date is an error."""
    if all(isinstance(v, str) and (not v or _ISO_RE.fullmatch(v)) for v in values):
        parsed = pd.to_datetime(pd.Series([v or None for v in values], dtype=object), format="%Y-%m-%d", errors="coerce")
        if not (parsed.isna() & pd.Series([bool(v) for v in values])).any():
            return parsed.astype("datetime64[us]")
    out = []
    for i, v in enumerate(values):
        try:
            out.append(_one_date(v))
        except _DateProblem as exc:
            label = "published" if column == "published" else f"published (column '{column}')"
            raise CorpusError(
                f"{_row_location(where, first_row + i, doc_ids[i])}: {label} value {str(v)[:60]!r} {exc}. "
                "Write dates as ISO YYYY-MM-DD (e.g. 2024-05-01), or leave the cell empty."
            ) from None
    return pd.Series(pd.DatetimeIndex(out), dtype="datetime64[us]") if out else pd.Series([], dtype="datetime64[us]")


def _as_bool(v: object) -> object:
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        s = v.strip().lower()
        if s in {"true", "yes", "1", "y", "t"}:
            return True
        if s in {"false", "no", "0", "n", "f", ""}:
            return False
    if isinstance(v, (int, float)) and not pd.isna(v):
        return bool(v)
    return v


def _resolve_source(source: str | Path | None) -> Path:
    if source is None or (isinstance(source, str) and not source.strip()):
        return SEEDS_DIR
    p = Path(source).expanduser()
    if not p.exists():
        raise CorpusError(
            f"{p}: no such file or folder. Give a folder with manifest.csv, or a .csv/.jsonl/.parquet file."
        )
    return p


def _check_flag(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ParameterError(f"{name} must be True or False (got {value!r}).")


def _manifest_of(folder: Path) -> Path:
    manifest = folder / "manifest.csv"
    if not manifest.exists():
        txts = sorted(p.name for p in folder.glob("*.txt"))[:3]
        hint = f" (found text files such as {', '.join(txts)})" if txts else ""
        raise CorpusError(
            f"{folder}: no manifest.csv{hint}. Create manifest.csv with at least the columns "
            "doc_id,outlet,path (and event_id,published,title) — one row per article."
        )
    return manifest


def _table_of(path: Path) -> Path:
    if path.suffix.lower() not in _TEXT_SUFFIXES:
        raise CorpusError(
            f"{path}: unsupported source; use a folder with manifest.csv or a .csv, .jsonl or .parquet file."
        )
    return path


def load_corpus(
    source: str | Path | pd.DataFrame | None = None, *, clean: bool = True, allow_outside: bool = False
) -> pd.DataFrame:
    """Load a corpus into the ``docs`` table.

    Parameters
    ----------
    source : str, Path, DataFrame or None
        A folder containing ``manifest.csv`` (columns at least ``outlet`` and ``path``; also
        ``doc_id, event_id, published, title, language`` and any extra columns), or a ``.csv``,
        ``.jsonl`` or ``.parquet`` file with a ``text`` (or ``path``) column and an ``outlet``
        column, or a DataFrame of the same shape. ``None`` loads the seed corpus.
    clean : bool
        Remove headlines, datelines, bylines, captions, credits, contributor lines,
        translation disclaimers and stray punctuation (see :func:`clean_text`).
    allow_outside : bool
        Read ``path`` entries that lead outside the corpus folder (``..``, absolute paths,
        symbolic links). Off by default: such a row is refused.

    Returns
    -------
    pandas.DataFrame
        One row per article: ``doc_id`` (str; ``00000``, ``00001`` ... by data row when missing),
        ``event_id`` (str; ``"event"`` when missing), ``outlet`` (str), ``published``
        (datetime64, NaT when unknown; UTC without zone when given with one), ``title`` (str;
        the detected headline when the manifest has none), ``text`` (cleaned body), ``raw_text``
        (the file exactly as read), ``language`` (ISO code, default "en"), ``encoding``
        ("utf-8" or "cp1252"), ``n_removed`` (pieces removed by cleaning), then every extra
        manifest column and ``raw_sha256`` (hash of the raw text). ``docs.attrs["input_files"]``
        lists every file read (resolved paths: the manifest or table, then the article files).
        Ids, aliases (``date`` → ``published``, ``story`` → ``event_id``) and dates follow the
        rules in the module docstring.

    Raises
    ------
    CorpusError
        For a missing source or manifest, a path outside the corpus folder, a file that is not a
        regular file or is too large, a manifest row with more fields than the header, a column
        named twice, a missing outlet, duplicate ``doc_id``, empty text, UTF-16, binary or
        undecodable files, an ambiguous date, a list or dict where one value is read; the
        message names the file, row (1-based data row, header not counted) and doc_id, and the fix.
    """
    _check_flag("clean", clean)
    _check_flag("allow_outside", allow_outside)
    if isinstance(source, pd.DataFrame):
        return _docs_from_frame(
            source.reset_index(drop=True), where="DataFrame", clean=clean, base=None, allow_outside=allow_outside
        )
    path = _resolve_source(source)
    table = _manifest_of(path) if path.is_dir() else _table_of(path)
    frame = _read_table(table)
    if path.is_dir() and "path" not in frame.columns and "text" not in frame.columns:
        raise CorpusError(
            f"{table}: no 'path' column. Add a 'path' column naming each article's text file."
            f"{_one_column_hint(list(map(str, frame.columns)))}"
        )
    if not path.is_dir() and "text" not in frame.columns and "path" not in frame.columns:
        raise CorpusError(
            f"{path}: no 'text' column (columns: {', '.join(map(str, frame.columns))}). "
            f"Name the column holding the article text 'text'.{_one_column_hint(list(map(str, frame.columns)))}"
        )
    files = [str(table.resolve())]
    base = path if path.is_dir() else path.parent
    return _docs_from_frame(frame, where=str(table), clean=clean, base=base, allow_outside=allow_outside, files=files)


def input_files(source: str | Path | None = None, *, allow_outside: bool = False) -> list[Path]:
    """Every file :func:`load_corpus` reads for ``source``, without reading the article texts.

    Parameters
    ----------
    source : str, Path or None
        As for :func:`load_corpus` (not a DataFrame). None = the seed corpus.
    allow_outside : bool
        As for :func:`load_corpus`.

    Returns
    -------
    list of pathlib.Path
        Resolved paths, each once: the manifest or table file, then each article file in
        corpus order (rows whose ``text`` cell is filled read no file).

    Raises
    ------
    CorpusError
        As :func:`load_corpus` for the source, the table, and paths outside the corpus folder.
    """
    _check_flag("allow_outside", allow_outside)
    path = _resolve_source(source)
    table = _manifest_of(path) if path.is_dir() else _table_of(path)
    frame = _read_table(table, warn=False)
    cols = [str(c).strip() for c in frame.columns]
    out = [table.resolve()]
    if "path" in cols:
        base = path if path.is_dir() else path.parent
        frame = frame.set_axis(cols, axis=1)
        texts = frame["text"].tolist() if "text" in cols else [None] * len(frame)
        for i, (text, value) in enumerate(zip(texts, frame["path"].tolist())):
            if isinstance(text, str) and text.strip():
                continue
            value = _cell(value, "path", _row_location(str(table), i)).strip()
            if value:
                out.append(_article_path(value, base, allow_outside=allow_outside, loc=_row_location(str(table), i)))
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class BatchSpec:
    """Where one batch of a corpus lives; cheap to pickle, so a worker can read its own batch.

    Attributes
    ----------
    source : str
        The corpus source (folder, .csv, .jsonl or .parquet path).
    kind : str
        ``"folder"``, ``"csv"``, ``"jsonl"`` or ``"parquet"``.
    index : int
        Position of the batch (0-based).
    start, stop : int
        Rows ``[start, stop)`` of the corpus (manifest rows; non-blank JSONL lines).
    byte_offset : int
        For JSONL, where line ``start`` begins in the file.
    clean : bool
        Whether to clean texts.
    first_line : int
        For JSONL, the 1-based line number at ``byte_offset`` (for messages).
    allow_outside : bool
        As for :func:`load_corpus`.
    """

    source: str
    kind: str
    index: int
    start: int
    stop: int
    byte_offset: int = 0
    clean: bool = True
    first_line: int = 1
    allow_outside: bool = False


def corpus_batches(
    source: str | Path | None = None, *, batch_size: int = 1000, clean: bool = True, allow_outside: bool = False
) -> list[BatchSpec]:
    """Split a corpus source into batches of at most ``batch_size`` documents without loading it.

    JSONL files are scanned once for line offsets; Parquet files are read by row groups; a
    folder's manifest (or a CSV file) is read to count rows.

    Parameters
    ----------
    source : str, Path or None
        As for :func:`load_corpus` (not a DataFrame). None = the seed corpus.
    batch_size : int
        Most documents per batch (at least 1).
    clean : bool
        Whether :func:`load_batch` cleans the texts.
    allow_outside : bool
        As for :func:`load_corpus`: read ``path`` entries that lead outside the corpus folder.

    Returns
    -------
    list of BatchSpec
        In corpus order; :func:`load_batch` reads one with the same id, path and date rules as
        :func:`load_corpus`.
    """
    if batch_size < 1:
        raise CorpusError(f"batch_size must be at least 1 (got {batch_size}).")
    _check_flag("clean", clean)
    _check_flag("allow_outside", allow_outside)
    path = _resolve_source(source)
    if path.is_dir():
        n, kind = len(_read_table(_manifest_of(path))), "folder"
    elif path.suffix.lower() == ".jsonl":
        starts: list[tuple[int, int]] = []
        n = pos = lineno = 0
        with os.fdopen(_open_regular(path), "rb") as fh:
            head = fh.read(4096)
            if b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
                _check_encoding(head, path)
            fh.seek(0)
            for line in fh:
                lineno += 1
                if line.strip():
                    if n % batch_size == 0:
                        starts.append((pos, lineno))
                    n += 1
                pos += len(line)
        if n == 0:
            raise CorpusError(f"{path}: has no rows. Add one JSON object per line, one per article.")
        return [
            BatchSpec(str(path), "jsonl", i, i * batch_size, min(n, (i + 1) * batch_size), off, clean, line, allow_outside)
            for i, (off, line) in enumerate(starts)
        ]
    elif path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        with os.fdopen(_open_regular(path), "rb") as fh:
            try:
                n, kind = pq.ParquetFile(fh).metadata.num_rows, "parquet"
            except Exception as exc:  # pyarrow raises several types for a damaged file
                raise CorpusError(f"{path}: cannot be read as Parquet ({exc}).") from None
    elif path.suffix.lower() == ".csv":
        n, kind = len(_read_table(path)), "csv"
    else:
        _table_of(path)  # raises the standard message
    if n == 0:
        raise CorpusError(f"{path}: has no rows. Add one row per article.")
    return [
        BatchSpec(str(path), kind, i, start, min(n, start + batch_size), 0, clean, 1, allow_outside)
        for i, start in enumerate(range(0, n, batch_size))
    ]


def load_batch(spec: BatchSpec, *, clean: bool | None = None) -> pd.DataFrame:
    """Read one batch described by :func:`corpus_batches` into a docs table.

    Ids follow the same rules as :func:`load_corpus` (a missing ``doc_id`` is the row's position
    in the whole corpus), so batches agree with :func:`load_corpus` on the same source. ``clean``
    overrides the spec's cleaning flag (the feature cache reads raw text and cleans only what it
    misses). ``attrs["input_files"]`` lists the files this batch read.
    """
    if clean is not None and clean != spec.clean:
        spec = replace(spec, clean=clean)
    path = Path(spec.source)
    if spec.kind == "folder":
        table, base = path / "manifest.csv", path
        frame = _read_table(table, warn=False).iloc[spec.start : spec.stop]
    elif spec.kind == "csv":
        table, base = path, path.parent
        frame = _read_table(path, warn=False).iloc[spec.start : spec.stop]
    elif spec.kind == "jsonl":
        table, base = path, path.parent
        rows = _jsonl_rows(path, byte_offset=spec.byte_offset, first_line=spec.first_line, max_records=spec.stop - spec.start)
        frame = _frame_from_records(rows)
    elif spec.kind == "parquet":
        table, base = path, path.parent
        frame = _read_parquet(path, spec.start, spec.stop)
    else:
        raise CorpusError(f"unknown batch kind {spec.kind!r}")
    return _docs_from_frame(
        frame.reset_index(drop=True),
        where=str(table),
        clean=spec.clean,
        base=base,
        first_row=spec.start,
        warn=False,
        allow_outside=spec.allow_outside,
        files=[str(table.resolve())],
    )


def batch_key_columns(spec: BatchSpec) -> pd.DataFrame | None:
    """Key columns of a Parquet batch without building or cleaning the docs table.

    Gives ``doc_id, outlet, event_id, title, raw_sha256`` with the same values
    :func:`load_batch` would (same id rules, aliases and clean-up), for the feature cache's
    fast path. Rows are not validated here: a caller must fall back to :func:`load_batch` for
    anything it does not already know (an empty outlet is returned as ""). Other source kinds,
    and batches whose key columns cannot be read as plain values, return None.
    """
    if spec.kind != "parquet":
        return None  # folder, CSV and JSONL batches take the ordinary path
    wanted = ("doc_id", "outlet", "event_id", "title", "text", *_ALIASES["event_id"])
    try:
        frame = _read_parquet(Path(spec.source), spec.start, spec.stop, wanted)
        cols = [str(c).strip() for c in frame.columns]
        frame = frame.set_axis(cols, axis=1).rename(columns=_alias_plan(cols, spec.source, False))
        if "text" not in frame.columns or "outlet" not in frame.columns:
            return None
        n = len(frame)
        loc = spec.source

        def column(name: str) -> list[str]:
            if name not in frame.columns:
                return [""] * n
            return [_clean_id(_cell(v, name, loc))[0] for v in frame[name].tolist()]

        doc_ids = [d or _generated_id(spec.start + i) for i, d in enumerate(column("doc_id"))]
        events = [e or DEFAULT_EVENT_ID for e in column("event_id")]
        outlets = column("outlet")
        titles = [_cell(v, "title", loc).strip() for v in frame["title"].tolist()] if "title" in frame.columns else [""] * n
    except CorpusError:
        return None
    hashes = [hashlib.sha256(t.encode("utf-8")).hexdigest() if isinstance(t, str) else "" for t in frame["text"].tolist()]
    return pd.DataFrame({"doc_id": doc_ids, "outlet": outlets, "event_id": events, "title": titles, "raw_sha256": hashes})


def iter_corpus(
    source: str | Path | None = None, *, batch_size: int = 1000, clean: bool = True, allow_outside: bool = False
) -> Iterator[pd.DataFrame]:
    """Yield the docs table in batches of at most ``batch_size`` rows.

    JSONL files are read line by line and Parquet files by row group, so memory is bounded by
    the batch size (a folder or CSV source reads its manifest/table once per batch).

    Yields
    ------
    pandas.DataFrame
        Docs tables (same columns and rules as :func:`load_corpus`).
    """
    for spec in corpus_batches(source, batch_size=batch_size, clean=clean, allow_outside=allow_outside):
        yield load_batch(spec)


def check_docs(
    docs: object,
    *,
    needed: tuple[str, ...] | list[str] = ("doc_id", "outlet", "text"),
    func: str,
    unique_ids: bool = False,
) -> pd.DataFrame:
    """Check that ``docs`` is a docs table with the columns a measure reads.

    Parameters
    ----------
    docs : object
        The value passed as ``docs``.
    needed : sequence of str
        Column names the calling function reads.
    func : str
        Name of the calling function, used in the message.
    unique_ids : bool
        Also require ``doc_id`` to be unique.

    Returns
    -------
    pandas.DataFrame
        ``docs`` itself (not copied; callers never modify it).

    Raises
    ------
    DocsError
        (both a ``ParameterError`` and a ``CorpusError``) if ``docs`` is not a DataFrame, lacks a
        needed column, or repeats a ``doc_id`` when ``unique_ids``.
    """
    if not isinstance(docs, pd.DataFrame):
        raise DocsError(
            f"{func}(docs=...): expected a pandas DataFrame of documents from analysis.corpus.load_corpus(), "
            f"got {type(docs).__name__}."
        )
    missing = [c for c in needed if c not in docs.columns]
    if missing:
        raise DocsError(
            f"{func}(docs=...): missing column(s) {missing}; pass the table returned by "
            "analysis.corpus.load_corpus() or add the column(s)."
        )
    if unique_ids and "doc_id" in docs.columns and docs["doc_id"].duplicated().any():
        dup = docs.loc[docs["doc_id"].duplicated(), "doc_id"].astype(str).tolist()[:5]
        raise DocsError(f"{func}(docs=...): doc_id must be unique; repeated: {dup}.")
    return docs


#: Version of the cleaning rules; part of the cache key of cleaned texts.
CLEANER_VERSION = "1"


def clean_docs(docs: pd.DataFrame) -> pd.DataFrame:
    """Clean the ``raw_text`` of a docs table loaded with ``clean=False``.

    Returns
    -------
    pandas.DataFrame
        A new docs table whose ``text``, ``title`` (detected headline where empty) and
        ``n_removed`` are those :func:`load_corpus` gives with ``clean=True``.

    Raises
    ------
    CorpusError
        When nothing is left of a document after cleaning.
    """
    out = docs.copy()
    texts, titles, n_removed = [], [], []
    for rec in docs[["doc_id", "raw_text", "title"]].itertuples(index=False):
        title = rec.title if isinstance(rec.title, str) else ""
        res = clean_text(rec.raw_text, title=title)
        if not res.text.strip():
            raise CorpusError(
                f"doc_id {rec.doc_id}: nothing is left after cleaning; the text holds only headlines, credits "
                "or furniture. Check the file, or load with clean=False."
            )
        texts.append(res.text)
        titles.append(title or res.headline)
        n_removed.append(len(res.removed))
    out["text"], out["title"], out["n_removed"] = texts, titles, n_removed
    return out


def removals(docs: pd.DataFrame) -> pd.DataFrame:
    """What cleaning removed from each document, with the reason.

    Cleaning is deterministic, so this recomputes it from ``raw_text`` (and ``title``).

    Parameters
    ----------
    docs : pandas.DataFrame
        The docs table from :func:`load_corpus`.

    Returns
    -------
    pandas.DataFrame
        One row per removal: ``doc_id, outlet, reason, removed_text``. Reasons:
        ``site_furniture, headline, photo_credit, photo_caption, byline, dateline, subheading,
        contributor_line, translation_disclaimer, stray_punctuation``.
    """
    rows = []
    for rec in docs[["doc_id", "outlet", "raw_text", "title"]].itertuples(index=False):
        res = clean_text(rec.raw_text, title="")
        title = rec.title if isinstance(rec.title, str) else ""
        if title and _norm(title) != _norm(res.headline):
            res = clean_text(rec.raw_text, title=title)
        for r in res.removed:
            rows.append({"doc_id": rec.doc_id, "outlet": rec.outlet, "reason": r.reason, "removed_text": r.removed_text})
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "reason", "removed_text"])
