"""The per-document feature pass at any scale: cached, streamed in batches, on pandas or Dask.

``document_features`` runs the per-document measures (readability counts and formulas, lexical
diversity) over a corpus:

* **engine="pandas"** — batches are computed one after another in this process; with a
  streaming source (a path) only one batch of documents is in memory at a time.
* **engine="dask"** — the same batch function is mapped with ``dask.bag`` over the batches on
  a ``distributed`` cluster (a ``LocalCluster`` when no scheduler address is given); workers
  read their own batch from the source, so a Parquet corpus on shared storage never passes
  through the client.

Both engines call the same function on the same batches and concatenate the results in corpus
order, so their outputs are identical (values and row order).

Each batch looks its documents up in the :class:`~analysis.cache.FeatureCache` first (key: the
SHA-256 of the cleaned text; one folder per method and method version) and computes only what
is missing, then stores it atomically. Cleaning is itself a cached step (raw text + title ->
cleaned-text key, under the cleaner's version), so a warm run reads and hashes raw text but
cleans and measures nothing. A run that is killed midway therefore resumes where it
stopped, and a change of one method's version recomputes only that method's columns.

``outlet_term_counts`` is the matching reduction for keyness: term counts per batch, summed per
outlet and term across batches (on Dask with ``Bag.fold``).

``parse_corpus`` runs the spaCy parse (:mod:`analysis.nlp`) over a corpus the same way, batch
by batch into the cache, so that later reports and framing functions given the same
``cache_dir`` find every document parsed.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.cache import KEY, FeatureCache, text_key
from analysis.corpus import CLEANER_VERSION, BatchSpec, batch_key_columns, clean_docs, corpus_batches, load_batch
from analysis.errors import ParameterError

__all__ = ["FEATURE_SETS", "document_features", "outlet_term_counts", "parse_corpus", "FeatureSet", "ENGINES"]

log = logging.getLogger(__name__)

ENGINES = ("pandas", "dask")
_KEYS = ["doc_id", "outlet", "event_id"]


@dataclass(frozen=True)
class FeatureSet:
    """One family of per-document features: a function on a docs table and its version."""

    name: str
    module: str
    function: str
    version: str
    kwargs: tuple[tuple[str, object], ...] = ()

    def compute(self, docs: pd.DataFrame) -> pd.DataFrame:
        import importlib

        func = getattr(importlib.import_module(self.module), self.function)
        return func(docs, **dict(self.kwargs))


def _version(module: str, default: str = "1") -> str:
    import importlib

    return str(getattr(importlib.import_module(module), "METHOD_VERSION", default))


def _feature_sets() -> dict[str, FeatureSet]:
    return {
        "readability": FeatureSet(
            "readability", "analysis.readability", "readability", _version("analysis.readability"), (("audit", False),)
        ),
        "diversity": FeatureSet("diversity", "analysis.lexical", "diversity", _version("analysis.lexical")),
    }


#: Names of the per-document feature families available to :func:`document_features`.
FEATURE_SETS: tuple[str, ...] = ("readability", "diversity")


def _resolve_sets(sets: Sequence[str] | None) -> list[FeatureSet]:
    available = _feature_sets()
    names = list(sets) if sets else list(FEATURE_SETS)
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ParameterError(f"sets: unknown feature set(s) {unknown}; choose from {sorted(available)}.")
    return [available[n] for n in names]


def _raw_keys(raw_hashes: list[str], titles: list[object]) -> list[str]:
    """Keys of the cleaning cache: the raw text's hash with the manifest title (cleaning reads both)."""
    return [text_key(h + "\x00" + (t if isinstance(t, str) else "")) for h, t in zip(raw_hashes, titles)]


def _cleaned_keys(raw: pd.DataFrame, cache: FeatureCache) -> tuple[pd.Series, pd.DataFrame | None]:
    """Cleaned-text keys of raw documents, via the cache of the cleaning step.

    Returns the keys and, when some documents had to be cleaned now, the cleaned docs table
    (else None).
    """
    raw_keys = pd.Series(_raw_keys(raw["raw_sha256"].tolist(), raw["title"].tolist()), index=raw.index)
    known = cache.get("clean", CLEANER_VERSION, raw_keys.tolist())
    mapping = dict(zip(known[KEY], known["text_key"])) if len(known) else {}
    missing = pd.Series([k not in mapping for k in raw_keys.tolist()], index=raw_keys.index)
    cleaned = None
    if missing.any():
        cleaned = clean_docs(raw)
        new = pd.DataFrame({KEY: raw_keys[missing.values].tolist(), "text_key": cleaned.loc[missing.values, "text"].map(text_key).tolist()})
        cache.put("clean", CLEANER_VERSION, new)
        mapping.update(zip(new[KEY], new["text_key"]))
    return raw_keys.map(mapping), cleaned


def _all_cached(batch: BatchSpec, sets: tuple[FeatureSet, ...], cache: FeatureCache) -> pd.DataFrame | None:
    """Features of a batch answered from the cache alone, or None when anything is missing.

    Reads only the key columns and hashes of the raw texts (Parquet sources); any document not
    in the cleaning cache or in a feature set's cache sends the batch down the ordinary path.
    """
    keys_frame = batch_key_columns(batch)
    if keys_frame is None or not keys_frame["outlet"].map(bool).all():
        return None
    raw_keys = _raw_keys(keys_frame["raw_sha256"].tolist(), keys_frame["title"].tolist())
    known = cache.get("clean", CLEANER_VERSION, raw_keys)
    if len(known) == 0:
        return None
    mapping = dict(zip(known[KEY].tolist(), known["text_key"].tolist()))
    if any(k not in mapping for k in raw_keys):
        return None
    keys = [mapping[k] for k in raw_keys]
    out = keys_frame[_KEYS].reset_index(drop=True)
    for fs in sets:
        cached = cache.get(fs.name, fs.version, keys)
        if len(cached) == 0:
            return None
        table = cached.set_index(KEY)
        if any(k not in table.index for k in set(keys)):
            return None
        out = pd.concat([out, table.reindex(keys).reset_index(drop=True)], axis=1)
    return out


def _docs_and_keys(
    batch: BatchSpec | pd.DataFrame, cache: FeatureCache | None
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame | None]:
    """A batch's documents, their cleaned-text keys, and the cleaned documents.

    With a cache and a batch that cleans, the raw rows are read and only what the cleaning
    cache lacks is cleaned (``cleaned`` is then None when everything was cached).
    """
    if isinstance(batch, BatchSpec) and cache is not None and batch.clean:
        docs = load_batch(batch, clean=False)  # clean only what the cleaning cache lacks
        keys, cleaned = _cleaned_keys(docs, cache)
        return docs, keys, cleaned
    docs = load_batch(batch) if isinstance(batch, BatchSpec) else batch
    return docs, docs["text"].map(text_key), docs


def _features_of_batch(
    batch: BatchSpec | pd.DataFrame, *, sets: tuple[FeatureSet, ...], cache_dir: str | None
) -> pd.DataFrame:
    """Features of one batch: cached rows where present, computed (and cached) otherwise."""
    cache = FeatureCache(cache_dir) if cache_dir else None
    if isinstance(batch, BatchSpec) and cache is not None and batch.clean:
        fast = _all_cached(batch, sets, cache)
        if fast is not None:
            return fast
    docs, keys, cleaned = _docs_and_keys(batch, cache)
    out = docs[[c for c in _KEYS if c in docs.columns]].reset_index(drop=True)
    for fs in sets:
        cached = cache.get(fs.name, fs.version, keys.tolist()) if cache else pd.DataFrame(columns=[KEY])
        have = set(cached[KEY].tolist()) if len(cached) else set()
        missing = pd.Series([k not in have for k in keys.tolist()], index=keys.index)
        parts = [cached]
        if missing.any():
            if cleaned is None:
                cleaned = clean_docs(docs)
            todo = cleaned.loc[missing.values].reset_index(drop=True)
            computed = fs.compute(todo)
            computed = computed.drop(columns=[c for c in _KEYS if c in computed.columns])
            computed.insert(0, KEY, keys[missing.values].tolist())
            computed = computed.drop_duplicates(KEY)
            if cache:
                cache.put(fs.name, fs.version, computed)
            parts.append(computed)
        table = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else cached
        table = table.drop_duplicates(KEY).set_index(KEY)
        values = table.reindex(keys.tolist()).reset_index(drop=True)
        out = pd.concat([out, values], axis=1)
    return out


def _batches(
    source: str | Path | pd.DataFrame | None, batch_size: int
) -> list[BatchSpec] | list[pd.DataFrame]:
    if isinstance(source, pd.DataFrame):
        if "text" not in source.columns:
            raise ParameterError("source: the DataFrame has no 'text' column; pass the docs table from load_corpus.")
        return [source.iloc[i : i + batch_size].reset_index(drop=True) for i in range(0, len(source), batch_size)]
    return corpus_batches(source, batch_size=batch_size)


def _progress(iterable, total: int, desc: str, show: bool):
    if not show:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, unit="batch", leave=False)


class _DaskClient:
    """Context manager: a client on ``scheduler`` or on a fresh local cluster."""

    def __init__(self, scheduler: str | None, n_workers: int | None) -> None:
        self.scheduler = scheduler
        self.n_workers = n_workers or 2
        self.cluster = None
        self.client = None

    def __enter__(self):
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                self.client = Client(self.scheduler, timeout="5s")
            except OSError as exc:
                raise ParameterError(
                    f"scheduler: cannot reach a Dask scheduler at {self.scheduler!r} ({exc}). Check the address "
                    "(e.g. tcp://host:8786) or leave it empty to start a local cluster."
                ) from exc
        else:
            self.cluster = LocalCluster(
                n_workers=self.n_workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                host="127.0.0.1",
                silence_logs=logging.ERROR,
            )
            self.client = Client(self.cluster)
        return self.client

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _run(
    func: Callable, items: list, *, engine: str, scheduler: str | None, n_workers: int | None, progress: bool, desc: str
) -> list:
    if engine == "pandas":
        return [func(item) for item in _progress(items, len(items), desc, progress)]
    import dask.bag as db
    from distributed import as_completed

    with _DaskClient(scheduler, n_workers) as client:
        if items and isinstance(items[0], pd.DataFrame):
            # documents already in memory: ship each batch to the cluster once, then map
            futures = client.map(func, client.scatter(items, hash=False), pure=False)
        else:
            # batch specs: each worker reads its own batch from the source
            bag = db.from_sequence(items, npartitions=len(items)).map(func)
            futures = client.compute(bag.to_delayed())
        for _ in _progress(as_completed(futures), len(futures), desc, progress):
            pass
        parts = client.gather(futures)
    return [p[0] if isinstance(p, list) else p for p in parts]


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise ParameterError(f"engine: unknown engine {engine!r}; choose 'pandas' or 'dask'.")


def document_features(
    source: str | Path | pd.DataFrame | None = None,
    *,
    sets: Sequence[str] | None = None,
    engine: str = "pandas",
    scheduler: str | None = None,
    n_workers: int | None = None,
    batch_size: int = 1000,
    cache_dir: str | Path | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Per-document features of a corpus, batch by batch, optionally cached and on Dask.

    Parameters
    ----------
    source : str, Path, DataFrame or None
        A corpus source as accepted by :func:`analysis.corpus.load_corpus` (streamed in
        batches), or a docs table already in memory. None = the seed corpus.
    sets : sequence of str, optional
        Feature families (:data:`FEATURE_SETS`): ``"readability"`` (counts and formulas of
        :func:`analysis.readability.readability`, without the textstat audit) and
        ``"diversity"`` (:func:`analysis.lexical.diversity`). Default: all.
    engine : {"pandas", "dask"}
        Where batches run. Outputs are identical.
    scheduler : str, optional
        Address of an existing Dask scheduler (``tcp://host:8786``); with ``engine="dask"``
        and no address, a local cluster of ``n_workers`` processes is started and stopped.
    n_workers : int, optional
        Workers of the local cluster (default 2).
    batch_size : int
        Documents per batch: bounds memory on the pandas engine and is the unit of work on Dask.
    cache_dir : str or Path, optional
        Feature cache folder (see :mod:`analysis.cache`); None = no cache.
    progress : bool
        Show a progress bar (stderr) over batches.

    Returns
    -------
    pandas.DataFrame
        One row per document in corpus order: ``doc_id, outlet, event_id``, then the columns of
        each feature set in the order of ``sets`` (units and directions as documented by
        :func:`analysis.readability.readability` and :func:`analysis.lexical.diversity`).
    """
    _check_engine(engine)
    if batch_size < 1:
        raise ParameterError(f"batch_size must be at least 1 (got {batch_size}).")
    fsets = tuple(_resolve_sets(sets))
    items = _batches(source, batch_size)
    func = functools.partial(_features_of_batch, sets=fsets, cache_dir=str(cache_dir) if cache_dir else None)
    parts = _run(func, items, engine=engine, scheduler=scheduler, n_workers=n_workers, progress=progress, desc="features")
    return pd.concat(parts, ignore_index=True)


def _term_counts_of_batch(batch: BatchSpec | pd.DataFrame, *, kwargs: tuple) -> pd.DataFrame:
    from analysis.lexical import term_counts

    docs = load_batch(batch) if isinstance(batch, BatchSpec) else batch
    counts = term_counts(docs, **dict(kwargs))
    return counts.groupby(["outlet", "term"], sort=False, observed=True)["n"].sum().reset_index()


def _merge_counts(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    both = pd.concat([a, b], ignore_index=True)
    return both.groupby(["outlet", "term"], sort=False, observed=True)["n"].sum().reset_index()


def outlet_term_counts(
    source: str | Path | pd.DataFrame | None = None,
    *,
    engine: str = "pandas",
    scheduler: str | None = None,
    n_workers: int | None = None,
    batch_size: int = 1000,
    progress: bool = False,
    **term_count_options,
) -> pd.DataFrame:
    """Term counts summed per outlet over a whole corpus, as a streamed (or Dask) reduction.

    Parameters
    ----------
    source, engine, scheduler, n_workers, batch_size, progress
        As for :func:`document_features`.
    **term_count_options
        Passed to :func:`analysis.lexical.term_counts` (``ngram_range``, ``stop_words`` ...).

    Returns
    -------
    pandas.DataFrame
        ``outlet, term, n`` (n = occurrences, int), sorted by outlet then term; memory grows
        with the vocabulary, not with the corpus.
    """
    _check_engine(engine)
    items = _batches(source, batch_size)
    func = functools.partial(_term_counts_of_batch, kwargs=tuple(sorted(term_count_options.items())))
    if engine == "pandas":
        total = None
        for item in _progress(items, len(items), "term counts", progress):
            part = func(item)
            total = part if total is None else _merge_counts(total, part)
        result = total
    else:
        import dask.bag as db

        with _DaskClient(scheduler, n_workers):
            bag = db.from_sequence(items, npartitions=len(items)).map(func)
            result = bag.fold(_merge_counts, split_every=8).compute()
    result = result.sort_values(["outlet", "term"], kind="mergesort").reset_index(drop=True)
    result["n"] = result["n"].astype("int64")
    return result


def _parse_batch(batch: BatchSpec | pd.DataFrame, *, cache_dir: str, nlp_batch_size: int) -> pd.DataFrame:
    """Parse into the cache the documents of one batch that it lacks; one summary row per document."""
    from analysis import nlp

    cache = FeatureCache(cache_dir)
    docs, keys, cleaned = _docs_and_keys(batch, cache)
    method, version = nlp.parse_cache_id()
    cached = cache.has(method, version, keys.tolist())
    if not all(cached):
        if cleaned is None:
            cleaned = clean_docs(docs)
        todo = [t for t, c in zip(cleaned["text"].tolist(), cached) if not c]
        nlp.cache_parses(todo, cache_dir=cache_dir, batch_size=nlp_batch_size)
    out = docs[[c for c in _KEYS if c in docs.columns]].reset_index(drop=True)
    out["text_key"] = keys.tolist()
    out["cached"] = cached
    return out


def parse_corpus(
    source: str | Path | pd.DataFrame | None = None,
    *,
    cache_dir: str | Path,
    engine: str = "pandas",
    scheduler: str | None = None,
    n_workers: int | None = None,
    batch_size: int = 1000,
    nlp_batch_size: int = 64,
    progress: bool = False,
) -> pd.DataFrame:
    """Parse a whole corpus into the parse cache, batch by batch, on pandas or Dask.

    Afterwards :func:`analysis.nlp.parse` with the same ``cache_dir`` reads every document's
    parse instead of computing it. Documents already cached are not parsed again (a killed
    run resumes); parses are streamed to disk, so memory stays bounded by a batch.

    Parameters
    ----------
    source : str, Path, DataFrame or None
        As for :func:`document_features`.
    cache_dir : str or Path
        Feature cache folder the parses go to (required).
    engine, scheduler, n_workers, batch_size, progress
        As for :func:`document_features` (each Dask worker loads the pipeline once).
    nlp_batch_size : int
        Documents per ``nlp.pipe`` batch inside a batch.

    Returns
    -------
    pandas.DataFrame
        One row per document in corpus order: ``doc_id, outlet, event_id``, ``text_key``
        (the cache key of the cleaned text) and ``cached`` (bool: True when the parse was
        already in the cache before this run, False when it was parsed now).
    """
    _check_engine(engine)
    if not cache_dir:
        raise ParameterError("cache_dir: give the cache folder the parses are stored in (e.g. 'cache/').")
    for name, value in (("batch_size", batch_size), ("nlp_batch_size", nlp_batch_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ParameterError(f"{name} must be a whole number of at least 1 (got {value!r}).")
    items = _batches(source, batch_size)
    func = functools.partial(_parse_batch, cache_dir=str(cache_dir), nlp_batch_size=nlp_batch_size)
    parts = _run(func, items, engine=engine, scheduler=scheduler, n_workers=n_workers, progress=progress, desc="parse")
    if not parts:
        return pd.DataFrame(columns=[*_KEYS, "text_key", "cached"])
    return pd.concat(parts, ignore_index=True)
