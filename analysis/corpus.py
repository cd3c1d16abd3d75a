"""Load a news corpus into the ``docs`` table and clean article bodies, recording every removal.

Sources
-------
* a folder with ``manifest.csv`` (one row per article; ``path`` names the text file, relative
  to the folder) and the text files;
* a ``.csv``, ``.jsonl`` or ``.parquet`` file with one row per article and a ``text`` column.

Encodings: files are read as UTF-8 (a BOM is dropped). A file that is not valid UTF-8 but
decodes as Windows-1252 is read that way with a warning naming it (``encoding`` column says
``cp1252``); a file with NUL bytes is refused as binary. Input files are never modified.

Cleaning (``clean=True``) removes, and records with the reason, the parts of a file that are not
the article body: site furniture, repeated headlines, photo captions and credits, bylines,
datelines, contributor lines, translation disclaimers and stray punctuation-only fragments.
:func:`removals` lists what was removed; ``load_corpus(..., clean=False)`` keeps ``text`` equal
to the raw file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.errors import CorpusError, DocsError

__all__ = [
    "SEEDS_DIR",
    "DOC_COLUMNS",
    "REQUIRED_MANIFEST_COLUMNS",
    "Removal",
    "CleanResult",
    "clean_text",
    "load_corpus",
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
_TEXT_SUFFIXES = {".csv", ".jsonl", ".parquet"}
_MAX_BYTES = 50 * 1024 * 1024


# ---------------------------------------------------------------------------------------------
# reading files


def read_text_file(path: Path) -> tuple[str, str]:
    """Read one article file without modifying it.

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    tuple of (str, str)
        ``(text, encoding)`` where encoding is ``"utf-8"`` or ``"cp1252"``.

    Raises
    ------
    CorpusError
        Missing, unreadable, binary, too large or undecodable file; the message names the file
        and the fix.
    """
    path = Path(path)
    if not path.exists():
        raise CorpusError(f"{path}: file not found. Check the path (relative to the manifest's folder).")
    if path.is_dir():
        raise CorpusError(f"{path}: is a folder, expected a text file.")
    size = path.stat().st_size
    if size > _MAX_BYTES:
        raise CorpusError(
            f"{path}: {size / 1e6:.0f} MB is too large for one article (limit {_MAX_BYTES // 2**20} MiB); "
            "split it into one file per article."
        )
    data = path.read_bytes()
    if b"\x00" in data[:8192] or b"\x00" in data[-8192:]:
        raise CorpusError(
            f"{path}: looks binary (contains NUL bytes). Convert it to plain UTF-8 text "
            "(e.g. export the article as .txt) and list the .txt file in the manifest."
        )
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
# loading


def _docs_from_frame(
    frame: pd.DataFrame, *, where: str, clean: bool, base: Path | None, warn_single: bool = True
) -> pd.DataFrame:
    """Validate a manifest-like frame, read texts (from ``path`` or ``text``) and clean them."""
    frame = frame.copy()
    frame.columns = [str(c).strip() for c in frame.columns]
    if "outlet" not in frame.columns:
        raise CorpusError(
            f"{where}: no 'outlet' column (columns: {', '.join(map(str, frame.columns))}). "
            "Add an 'outlet' column naming the publication of each article."
        )
    has_text = "text" in frame.columns
    if not has_text and "path" not in frame.columns:
        raise CorpusError(
            f"{where}: needs a 'path' column (text file of each article) or a 'text' column "
            "(the article itself)."
        )
    if len(frame) == 0:
        raise CorpusError(f"{where}: has no rows. Add one row per article.")
    if "doc_id" not in frame.columns:
        frame["doc_id"] = [f"{i:05d}" for i in range(len(frame))]
    frame["doc_id"] = frame["doc_id"].astype(str).str.strip()
    dup = frame["doc_id"][frame["doc_id"].duplicated(keep=False)]
    if len(dup):
        rows = [int(i) + 2 for i in dup.index[:5]]
        raise CorpusError(
            f"{where}: duplicate doc_id {sorted(set(dup))[:5]} (rows {rows}, counting the header as "
            "row 1). Give every article a unique doc_id."
        )
    if "event_id" not in frame.columns:
        frame["event_id"] = "event"
    for col in ("title", "published", "language"):
        if col not in frame.columns:
            frame[col] = "" if col != "language" else "en"

    records = []
    kept: list = []  # index labels of the rows loaded
    dropped: list[str] = []  # articles empty after cleaning, left out with a warning
    names = list(frame.columns)
    columns = [frame[c].tolist() for c in names]  # bulk conversion: far faster than row access
    for idx, values in zip(frame.index, zip(*columns)):
        row = dict(zip(names, values))
        rowno = int(idx) + 2
        outlet = "" if pd.isna(row["outlet"]) else str(row["outlet"]).strip()
        if not outlet:
            raise CorpusError(f"{where}, row {rowno} (doc_id {row['doc_id']}): empty outlet. Name the outlet.")
        if has_text and not (pd.isna(row["text"]) if not isinstance(row["text"], str) else False) and isinstance(row["text"], str):
            raw, enc, src = row["text"], "utf-8", f"{where}, row {rowno}"
        elif "path" in frame.columns and isinstance(row.get("path"), str) and row["path"].strip():
            p = Path(row["path"].strip())
            if not p.is_absolute() and base is not None:
                p = base / p
            if not p.exists():
                raise CorpusError(
                    f"{where}, row {rowno} (doc_id {row['doc_id']}): file '{row['path']}' not found "
                    f"(looked for {p}). Fix the path or remove the row."
                )
            raw, enc = read_text_file(p)
            src = str(p)
        else:
            raise CorpusError(
                f"{where}, row {rowno} (doc_id {row['doc_id']}): no text. Fill the 'text' or 'path' cell."
            )
        if not raw.strip():
            raise CorpusError(
                f"{src}: empty or whitespace-only text (doc_id {row['doc_id']}). Remove the row or add the article text."
            )
        title = "" if pd.isna(row["title"]) else str(row["title"]).strip()
        if clean:
            res = clean_text(raw, title=title)
            text, n_removed = res.text, len(res.removed)
            if not title:
                title = res.headline
            if not text.strip():
                dropped.append(
                    f"{src}: nothing is left after cleaning (doc_id {row['doc_id']}); the file holds only "
                    "headlines, credits or furniture. Check the file, or load with clean=False."
                )
                log.warning("%s The article is left out.", dropped[-1])
                continue
        else:
            text, n_removed = raw, 0
        rec = {k: row[k] for k in names if k != "text"}
        rec.update(
            doc_id=str(row["doc_id"]),
            event_id=str(row["event_id"]).strip() or "event",
            outlet=outlet,
            published=row["published"],
            title=title,
            text=text,
            raw_text=raw,
            language=(str(row["language"]).strip() or "en") if not pd.isna(row["language"]) else "en",
            encoding=enc,
            n_removed=n_removed,
            raw_sha256=hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        )
        records.append(rec)
        kept.append(idx)
    if not records and dropped:  # nothing left of any article: the corpus itself is unusable
        raise CorpusError(dropped[0])
    docs = pd.DataFrame.from_records(records)
    docs["published"] = _parse_dates(docs["published"], pd.Index(kept), where)
    for col in ("translated",):
        if col in docs.columns:
            docs[col] = docs[col].map(_as_bool)
    extra = [c for c in docs.columns if c not in DOC_COLUMNS]
    docs = docs[DOC_COLUMNS + extra]
    n_outlets = docs["outlet"].nunique()
    if n_outlets < 2 and warn_single:
        log.warning(
            "%s: only one outlet (%s); documents load, but outlet comparisons need at least two.",
            where,
            docs["outlet"].iloc[0],
        )
    return docs.reset_index(drop=True)


def _parse_dates(values: pd.Series, index: pd.Index, where: str) -> pd.Series:
    """Parse the ``published`` column; a value that is present but not a date is an error."""
    raw = values.map(lambda v: v.strip() if isinstance(v, str) else v)
    empty = raw.map(lambda v: v is None or (isinstance(v, str) and not v) or (not isinstance(v, str) and pd.isna(v)))
    parsed = pd.to_datetime(raw.where(~empty, None), errors="coerce", format="mixed")
    bad = parsed.isna() & ~empty
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise CorpusError(
            f"{where}, row {int(index[i]) + 2}: published value {raw.iloc[i]!r} is not a date. Use ISO format "
            "YYYY-MM-DD (or leave it empty)."
        )
    return parsed


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


def _read_table(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if suffix == ".jsonl":
            rows = []
            with path.open(encoding="utf-8-sig") as fh:
                for lineno, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    try:
                        obj = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise CorpusError(
                            f"{path}, line {lineno}: not valid JSON ({exc.msg}). Each line must be one JSON object."
                        ) from exc
                    if not isinstance(obj, dict):
                        raise CorpusError(f"{path}, line {lineno}: expected a JSON object, got {type(obj).__name__}.")
                    rows.append(obj)
            return pd.DataFrame.from_records(rows)
        if suffix == ".parquet":
            return pd.read_parquet(path)
    except CorpusError:
        raise
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not UTF-8 (byte {exc.start}). Re-save it as UTF-8.") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OSError) as exc:
        raise CorpusError(f"{path}: cannot be read as {suffix[1:].upper()} ({exc}). Check the file format.") from exc
    raise CorpusError(f"{path}: unsupported file type {suffix!r}; use a folder with manifest.csv, .csv, .jsonl or .parquet.")


def _resolve_source(source: str | Path | None) -> Path:
    if source is None or (isinstance(source, str) and not source.strip()):
        return SEEDS_DIR
    p = Path(source).expanduser()
    if not p.exists():
        raise CorpusError(
            f"{p}: no such file or folder. Give a folder with manifest.csv, or a .csv/.jsonl/.parquet file."
        )
    return p


def load_corpus(source: str | Path | pd.DataFrame | None = None, *, clean: bool = True) -> pd.DataFrame:
    """Load a corpus into the ``docs`` table.

    Parameters
    ----------
    source : str, Path, DataFrame or None
        A folder containing ``manifest.csv`` (columns at least ``outlet`` and ``path``; also
        ``doc_id, event_id, published, title, language`` and any extra columns), or a ``.csv``,
        ``.jsonl`` or ``.parquet`` file with a ``text`` column and an ``outlet`` column, or a
        DataFrame of the same shape. ``None`` loads the seed corpus.
    clean : bool
        Remove headlines, datelines, bylines, captions, credits, contributor lines,
        translation disclaimers and stray punctuation (see :func:`clean_text`).

    Returns
    -------
    pandas.DataFrame
        One row per article: ``doc_id`` (str), ``event_id`` (str; "event" when absent),
        ``outlet`` (str), ``published`` (datetime64, NaT when unknown), ``title`` (str; the
        detected headline when the manifest has none), ``text`` (cleaned body), ``raw_text``
        (the file exactly as read), ``language`` (ISO code, default "en"), ``encoding``
        ("utf-8" or "cp1252"), ``n_removed`` (pieces removed by cleaning), then every extra
        manifest column and ``raw_sha256`` (hash of the raw text).

    Raises
    ------
    CorpusError
        For a missing source or manifest, a manifest row whose file is missing, duplicate
        ``doc_id``, empty text, binary or undecodable files, or a manifest without ``outlet``;
        the message names the file or row and the fix.
    """
    if isinstance(source, pd.DataFrame):
        return _docs_from_frame(source, where="DataFrame", clean=clean, base=None)
    path = _resolve_source(source)
    if path.is_dir():
        manifest = path / "manifest.csv"
        if not manifest.exists():
            txts = sorted(p.name for p in path.glob("*.txt"))[:3]
            hint = f" (found text files such as {', '.join(txts)})" if txts else ""
            raise CorpusError(
                f"{path}: no manifest.csv{hint}. Create manifest.csv with at least the columns "
                "doc_id,outlet,path (and event_id,published,title) — one row per article."
            )
        frame = _read_table(manifest)
        if "path" not in frame.columns and "text" not in frame.columns:
            raise CorpusError(
                f"{manifest}: no 'path' column. Add a 'path' column naming each article's text file."
            )
        return _docs_from_frame(frame, where=str(manifest), clean=clean, base=path)
    if path.suffix.lower() not in _TEXT_SUFFIXES:
        raise CorpusError(
            f"{path}: unsupported source; use a folder with manifest.csv or a .csv, .jsonl or .parquet file."
        )
    frame = _read_table(path)
    if "text" not in frame.columns and "path" not in frame.columns:
        raise CorpusError(
            f"{path}: no 'text' column (columns: {', '.join(map(str, frame.columns))}). "
            "Name the column holding the article text 'text'."
        )
    return _docs_from_frame(frame, where=str(path), clean=clean, base=path.parent)


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
    """

    source: str
    kind: str
    index: int
    start: int
    stop: int
    byte_offset: int = 0
    clean: bool = True


def corpus_batches(source: str | Path | None = None, *, batch_size: int = 1000, clean: bool = True) -> list[BatchSpec]:
    """Split a corpus source into batches of at most ``batch_size`` documents without loading it.

    JSONL files are scanned once for line offsets; Parquet files are read by row groups; a
    folder's manifest (or a CSV file) is read to count rows.

    Returns
    -------
    list of BatchSpec
        In corpus order; :func:`load_batch` reads one.
    """
    if batch_size < 1:
        raise CorpusError(f"batch_size must be at least 1 (got {batch_size}).")
    path = _resolve_source(source)
    specs: list[BatchSpec] = []
    if path.is_dir():
        manifest = path / "manifest.csv"
        if not manifest.exists():
            load_corpus(path)  # raises the standard message
        n, kind = len(_read_table(manifest)), "folder"
    elif path.suffix.lower() == ".jsonl":
        offsets: list[int] = []
        n = 0
        pos = 0
        with path.open("rb") as fh:
            for line in fh:
                if line.strip():
                    if n % batch_size == 0:
                        offsets.append(pos)
                    n += 1
                pos += len(line)
        if n == 0:
            raise CorpusError(f"{path}: has no rows. Add one JSON object per line, one per article.")
        return [
            BatchSpec(str(path), "jsonl", i, i * batch_size, min(n, (i + 1) * batch_size), off, clean)
            for i, off in enumerate(offsets)
        ]
    elif path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        try:
            n, kind = pq.ParquetFile(path).metadata.num_rows, "parquet"
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise CorpusError(f"{path}: cannot be read as Parquet ({exc}).") from exc
    elif path.suffix.lower() == ".csv":
        n, kind = len(_read_table(path)), "csv"
    else:
        raise CorpusError(
            f"{path}: unsupported source; use a folder with manifest.csv or a .csv, .jsonl or .parquet file."
        )
    if n == 0:
        raise CorpusError(f"{path}: has no rows. Add one row per article.")
    for i, start in enumerate(range(0, n, batch_size)):
        specs.append(BatchSpec(str(path), kind, i, start, min(n, start + batch_size), 0, clean))
    return specs


def _parquet_rows(path: Path, start: int, stop: int, columns: tuple[str, ...] | None = None):
    """Rows ``[start, stop)`` of a Parquet file, reading only the row groups that hold them.

    ``columns`` limits the read to those of the named columns the file has (None: all).
    """
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    groups, first, row = [], 0, 0
    for g in range(pf.metadata.num_row_groups):
        size = pf.metadata.row_group(g).num_rows
        if row + size > start and row < stop:
            if not groups:
                first = row
            groups.append(g)
        row += size
    wanted = None if columns is None else [c for c in columns if c in pf.schema_arrow.names]
    if not groups:
        empty = pf.schema_arrow.empty_table()
        return empty if wanted is None else empty.select(wanted)
    return pf.read_row_groups(groups, columns=wanted).slice(start - first, stop - start)


def load_batch(spec: BatchSpec, *, clean: bool | None = None) -> pd.DataFrame:
    """Read one batch described by :func:`corpus_batches` into a docs table.

    ``doc_id`` values generated for sources without one are the row's position in the whole
    corpus, so batches agree with :func:`load_corpus` on the same source. ``clean`` overrides
    the spec's cleaning flag (the feature cache reads raw text and cleans only what it misses).
    """
    if clean is not None and clean != spec.clean:
        spec = BatchSpec(spec.source, spec.kind, spec.index, spec.start, spec.stop, spec.byte_offset, clean)
    path = Path(spec.source)
    where = str(path)
    if spec.kind == "folder":
        frame = _read_table(path / "manifest.csv").iloc[spec.start : spec.stop]
        return _docs_from_frame(
            frame, where=str(path / "manifest.csv"), clean=spec.clean, base=path, warn_single=False
        )
    if spec.kind == "csv":
        frame = _read_table(path).iloc[spec.start : spec.stop]
    elif spec.kind == "jsonl":
        rows: list[dict] = []
        with path.open("rb") as fh:
            fh.seek(spec.byte_offset)
            lineno = spec.start
            while len(rows) < spec.stop - spec.start:
                line = fh.readline()
                if not line:
                    break
                if not line.strip():
                    continue
                lineno += 1
                try:
                    obj = json.loads(line.decode("utf-8-sig"))
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    raise CorpusError(f"{path}, record {lineno}: not valid UTF-8 JSON ({exc}).") from exc
                if not isinstance(obj, dict):
                    raise CorpusError(f"{path}, record {lineno}: expected a JSON object.")
                rows.append(obj)
        frame = pd.DataFrame.from_records(rows)
    elif spec.kind == "parquet":
        frame = _parquet_rows(path, spec.start, spec.stop).to_pandas()
    else:
        raise CorpusError(f"unknown batch kind {spec.kind!r}")
    frame = frame.reset_index(drop=True)
    frame.index = range(spec.start, spec.start + len(frame))
    if "doc_id" not in frame.columns:
        frame = frame.assign(doc_id=[f"{i:05d}" for i in frame.index])
    return _docs_from_frame(frame, where=where, clean=spec.clean, base=path.parent, warn_single=False)


def batch_key_columns(spec: BatchSpec) -> pd.DataFrame | None:
    """Key columns of a Parquet batch without building or cleaning the docs table.

    Gives ``doc_id, outlet, event_id, title, raw_sha256`` with the same values
    :func:`load_batch` would, for the feature cache's fast path. Rows are not validated here: a
    caller must fall back to :func:`load_batch` for anything it does not already know. Other
    source kinds return None.
    """
    if spec.kind != "parquet":
        return None  # folder, CSV and JSONL batches take the ordinary path
    table = _parquet_rows(Path(spec.source), spec.start, spec.stop, ("doc_id", "outlet", "event_id", "title", "text"))
    cols = {c: table.column(c).to_pylist() for c in table.column_names}
    n = spec.stop - spec.start
    if "text" not in cols or "outlet" not in cols:
        return None

    def _s(v: object) -> str:
        return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip()

    doc_ids = [_s(v) for v in cols["doc_id"]] if "doc_id" in cols else [f"{i:05d}" for i in range(spec.start, spec.stop)]
    events = [(_s(v) or "event") for v in cols["event_id"]] if "event_id" in cols else ["event"] * n
    titles = [_s(v) for v in cols["title"]] if "title" in cols else [""] * n
    hashes = [hashlib.sha256(t.encode("utf-8")).hexdigest() if isinstance(t, str) else "" for t in cols["text"]]
    return pd.DataFrame(
        {"doc_id": doc_ids, "outlet": [_s(v) for v in cols["outlet"]], "event_id": events, "title": titles, "raw_sha256": hashes}
    )


def iter_corpus(
    source: str | Path | None = None, *, batch_size: int = 1000, clean: bool = True
) -> Iterator[pd.DataFrame]:
    """Yield the docs table in batches of at most ``batch_size`` rows.

    JSONL files are read line by line and Parquet files by row group, so memory is bounded by
    the batch size (a folder or CSV source reads its manifest/table once).

    Yields
    ------
    pandas.DataFrame
        Docs tables (same columns as :func:`load_corpus`).
    """
    for spec in corpus_batches(source, batch_size=batch_size, clean=clean):
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
