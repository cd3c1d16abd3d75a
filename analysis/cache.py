"""Per-document feature cache in Parquet, keyed by a hash of the cleaned text and the method version.

Layout::

    <root>/<method>/v<version>/part-<batch hash>.parquet

Each part holds the rows of one computed batch: a ``_key`` column (SHA-256 of the cleaned
text, 32 hex characters) and the method's feature columns. A method's version is part of the
path, so changing one method (its ``METHOD_VERSION``) invalidates only its own columns; other
methods' parts are reused.

Writes are atomic (temporary file in the same folder, then ``os.replace``), so a run killed
midway leaves either a complete part or none. Every part carries its row count and a digest of
its keys in the Parquet metadata; a part that cannot be read or whose metadata disagrees with
its content is logged, deleted and recomputed — never trusted. Parts holding opaque values
(the parse cache's serialised documents) also carry a digest of those columns' content
(``put(..., digest_columns=...)``), checked whenever the part is read whole.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from pathlib import Path

import pandas as pd

__all__ = ["FeatureCache", "text_key", "KEY"]

log = logging.getLogger(__name__)

KEY = "_key"
_META_ROWS = b"kit.rows"
_META_DIGEST = b"kit.keys_sha256"
_META_CONTENT_COLUMNS = b"kit.content_columns"
_META_CONTENT = b"kit.content_sha256"


class _Index:
    def __init__(self) -> None:
        self.parts: set[Path] = set()
        self.keys: dict[str, Path] = {}
        self.lock = threading.Lock()


_REGISTRY: dict[tuple[str, str, str], _Index] = {}
_REGISTRY_LOCK = threading.Lock()


def text_key(text: str) -> str:
    """Cache key of one cleaned text: the first 32 hex characters of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _digest(keys: pd.Series) -> str:
    h = hashlib.sha256()
    for k in keys.tolist():
        h.update(k.encode("ascii"))
    return h.hexdigest()


def _content_digest(frame: pd.DataFrame, columns: list[str]) -> str:
    """SHA-256 over the values of ``columns`` (bytes or str), row by row, each length-prefixed."""
    h = hashlib.sha256()
    for col in columns:
        h.update(col.encode("utf-8") + b"\x00")
        for v in frame[col].tolist():
            b = v if isinstance(v, (bytes, bytearray)) else str(v).encode("utf-8")
            h.update(len(b).to_bytes(8, "little"))
            h.update(b)
    return h.hexdigest()


class FeatureCache:
    """A folder of Parquet parts holding per-document features.

    Parameters
    ----------
    root : str or Path
        Cache folder (created when first written).

    Notes
    -----
    Safe for several processes writing different batches at once (each writes its own part);
    concurrent writers of the same batch produce identical files, the last rename wins.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    # -- paths ---------------------------------------------------------------------------------
    def folder(self, method: str, version: str) -> Path:
        """Folder of ``method`` at ``version``."""
        return self.root / method / f"v{version}"

    # -- reading -------------------------------------------------------------------------------
    def _read_part(self, path: Path, columns: list[str] | None = None) -> pd.DataFrame | None:
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(path)
            meta = pf.schema_arrow.metadata or {}
            table = pf.read(columns=columns)
            frame = table.to_pandas()
            n_rows = int(meta.get(_META_ROWS, b"-1"))
            if n_rows != len(frame) or (columns is None or KEY in columns) and meta.get(_META_DIGEST, b"").decode() != _digest(frame[KEY]):
                raise ValueError("metadata does not match content")
            if columns is None and _META_CONTENT_COLUMNS in meta:
                content_cols = [c for c in meta[_META_CONTENT_COLUMNS].decode().split("\x00") if c]
                if meta.get(_META_CONTENT, b"").decode() != _content_digest(frame, content_cols):
                    raise ValueError("content digest does not match")
            return frame
        except Exception as exc:  # damaged or half-written file: never trust it
            log.warning("cache part %s is unreadable or inconsistent (%s); deleting it and recomputing", path, exc)
            try:
                path.unlink()
            except OSError:
                pass
            return None

    def _load_index(self, method: str, version: str) -> dict[str, Path]:
        """Key -> part index of one method folder, shared by every cache object on ``root``
        in this process and refreshed incrementally (only parts not seen before are read)."""
        folder = self.folder(method, version)
        ident = (str(self.root.resolve()), method, version)
        with _REGISTRY_LOCK:
            entry = _REGISTRY.setdefault(ident, _Index())
        with entry.lock:
            present = set(folder.glob("part-*.parquet")) if folder.is_dir() else set()
            gone = entry.parts - present
            if gone:
                for k in [k for k, p in entry.keys.items() if p in gone]:
                    del entry.keys[k]
                entry.parts -= gone
            for part in sorted(present - entry.parts):
                frame = self._read_part(part, columns=[KEY])
                if frame is None:
                    continue
                for k in frame[KEY]:
                    entry.keys[k] = part
                entry.parts.add(part)
            return entry.keys

    def _forget(self, method: str, version: str, part: Path) -> None:
        ident = (str(self.root.resolve()), method, version)
        with _REGISTRY_LOCK:
            entry = _REGISTRY.get(ident)
        if entry is None:
            return
        with entry.lock:
            entry.parts.discard(part)
            for k in [k for k, p in entry.keys.items() if p == part]:
                del entry.keys[k]

    def get(self, method: str, version: str, keys: list[str]) -> pd.DataFrame:
        """Cached rows for ``keys``.

        Returns
        -------
        pandas.DataFrame
            ``_key`` plus the method's feature columns, one row per key found (duplicates
            dropped); empty when nothing is cached.
        """
        index = self._load_index(method, version)
        parts: dict[Path, list[str]] = {}
        for k in dict.fromkeys(keys):
            p = index.get(k)
            if p is not None:
                parts.setdefault(p, []).append(k)
        frames = []
        for part, wanted in parts.items():
            frame = self._read_part(part)
            if frame is None:  # damaged since indexing
                self._forget(method, version, part)
                continue
            wanted_set = set(wanted)
            frames.append(frame[[k in wanted_set for k in frame[KEY].tolist()]])
        if not frames:
            return pd.DataFrame(columns=[KEY])
        out = pd.concat(frames, ignore_index=True)
        return out.drop_duplicates(KEY).reset_index(drop=True)

    def has(self, method: str, version: str, keys: list[str]) -> list[bool]:
        """Whether each key is cached for ``method`` at ``version`` (reads only the key columns).

        Returns
        -------
        list of bool
            One flag per key, in order.
        """
        index = self._load_index(method, version)
        return [k in index for k in keys]

    # -- writing -------------------------------------------------------------------------------
    def put(self, method: str, version: str, frame: pd.DataFrame, *, digest_columns: tuple[str, ...] = ()) -> Path | None:
        """Store feature rows (a ``_key`` column plus features) atomically as one part.

        Parameters
        ----------
        method, version : str
            Where the part goes (``<root>/<method>/v<version>/``).
        frame : pandas.DataFrame
            ``_key`` plus the method's columns.
        digest_columns : tuple of str
            Columns (bytes or str) whose content digest is stored in the metadata and checked
            when the part is read whole, so a damaged value is detected, not returned.

        Returns
        -------
        Path or None
            The part written (None for an empty frame).
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        if frame.empty:
            return None
        frame = frame.drop_duplicates(KEY).reset_index(drop=True)
        digest = _digest(frame[KEY])
        folder = self.folder(method, version)
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"part-{digest[:24]}.parquet"
        table = pa.Table.from_pandas(frame, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[_META_ROWS] = str(len(frame)).encode()
        meta[_META_DIGEST] = digest.encode()
        if digest_columns:
            meta[_META_CONTENT_COLUMNS] = "\x00".join(digest_columns).encode()
            meta[_META_CONTENT] = _content_digest(frame, list(digest_columns)).encode()
        table = table.replace_schema_metadata(meta)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=folder)
        os.close(fd)
        try:
            pq.write_table(table, tmp)
            os.replace(tmp, final)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        self._load_index(method, version)  # picks up the new part
        return final

    def clear(self, method: str | None = None) -> None:
        """Delete the cached parts of ``method`` (all methods when None)."""
        import shutil

        target = self.root / method if method else self.root
        if target.exists():
            shutil.rmtree(target)
        with _REGISTRY_LOCK:
            for ident in [i for i in _REGISTRY if i[0] == str(self.root.resolve()) and (method is None or i[1] == method)]:
                del _REGISTRY[ident]
