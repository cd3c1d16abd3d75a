"""Per-story measures of each outlet, for comparing outlets across many stories.

:func:`story_measures` turns a corpus of several stories (``event_id``) into one value per
(story, outlet, measure). Each article is measured once with the kit's own functions:

* readability counts (:func:`analysis.readability.readability`) and MTLD
  (:func:`analysis.lexical.diversity`) through :func:`analysis.features.document_features`
  (the feature cache and the Dask engine apply);
* VADER tone of each sentence (:func:`analysis.framing.tone`);
* loaded words outside quotation marks (:func:`analysis.framing.loaded_language`);
* quotations, anonymous sources and reporting verbs (:func:`analysis.framing.quotes`);
* policy-frame dictionary hits (:func:`analysis.framing.frames`).

The framing counts of each article are kept in the feature cache (method ``corpus-measures``)
when ``cache_dir`` is given, keyed by the cleaned text and the headline, under a version that
changes whenever the framing code or the parser changes.

When an outlet has several articles in one story they are pooled word-weighted: a ratio
measure is recomputed from the summed counts (loaded words per 1,000 words = 1000 · Σ loaded /
Σ words; Flesch Reading Ease from the summed word, sentence and syllable counts; a share from
the summed numerator and denominator), and a per-article score (MTLD, tone) is averaged with
each article's word count as its weight.

:data:`MEASURES` is the registry of measures: name, label, unit, direction and the words used
in a finding ("uses more loaded language").
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ParameterError

__all__ = ["MEASURES", "MeasureSpec", "STORY_MEASURE_COLUMNS", "document_measures", "measure_registry", "pool_measures",
           "story_measures"]

log = logging.getLogger(__name__)

#: Columns of :func:`story_measures`.
STORY_MEASURE_COLUMNS = ["event_id", "outlet", "measure", "value", "n_docs", "n_words"]

#: Version of the per-article framing counts (bump when their definition changes).
MEASURES_VERSION = "1"
_CACHE_METHOD = "corpus-measures"
#: Documents per spaCy ``nlp.pipe`` batch in the framing pass (bounds its peak memory).
_PIPE_BATCH = 16


@dataclass(frozen=True)
class MeasureSpec:
    """One measure of :func:`story_measures`.

    Attributes
    ----------
    name : str
        The ``measure`` value in the tables.
    label : str
        A reader's name ("loaded language").
    unit : str
        Unit of the value and of a difference ("per 1,000 words", "percentage points").
    higher : str
        Verb phrase for an outlet whose value is higher ("uses more loaded language").
    lower : str
        Verb phrase for an outlet whose value is lower ("uses less loaded language").
    scale : float
        Factor applied to a difference when it is written in a sentence (100 for shares,
        written in percentage points); the tables keep the unscaled value.
    direction : str
        What a higher value means ("higher = more loaded words").
    family : str
        Group of measures: readability, diversity, tone, loaded, sourcing, frames.
    """

    name: str
    label: str
    unit: str
    higher: str
    lower: str
    direction: str
    family: str
    scale: float = 1.0


def _frame_specs() -> list[MeasureSpec]:
    from analysis.framing.frames import load_frame_dictionary

    out = []
    for key, spec in load_frame_dictionary().items():
        label = str(spec["label"])
        out.append(MeasureSpec(
            name=f"frame_{key}", label=f"the {label} frame", unit="percentage points",
            higher=f"uses the {label} frame more", lower=f"uses the {label} frame less",
            direction=f"share of the article's frame-dictionary hits that are {label} (0-1); higher = more of this frame",
            family="frames", scale=100.0))
    return out


_BASE = [
    MeasureSpec("flesch_reading_ease", "Flesch Reading Ease", "points", "is easier to read (Flesch Reading Ease)",
                "is harder to read (Flesch Reading Ease)", "0-100 scale; higher = easier to read", "readability"),
    MeasureSpec("flesch_kincaid_grade", "Flesch-Kincaid grade", "grade levels",
                "is harder to read (Flesch-Kincaid grade)", "is easier to read (Flesch-Kincaid grade)",
                "US school grade; higher = harder to read", "readability"),
    MeasureSpec("mtld", "lexical diversity (MTLD)", "tokens per factor", "has a more varied vocabulary (MTLD)",
                "has a less varied vocabulary (MTLD)", "mean tokens per factor (McCarthy & Jarvis 2010); higher = more diverse",
                "diversity"),
    MeasureSpec("tone", "tone (VADER compound)", "points on the -1 to 1 scale", "is more positive in tone (VADER)",
                "is more negative in tone (VADER)", "mean VADER compound of the sentences, -1 to 1; higher = more positive",
                "tone"),
    MeasureSpec("loaded_per_1k_words", "loaded language", "per 1,000 words", "uses more loaded language",
                "uses less loaded language",
                "weighted loaded words outside quotation marks per 1,000 words outside quotation marks; higher = more loaded",
                "loaded"),
    MeasureSpec("quotes_per_1k_words", "quotations", "per 1,000 words", "quotes more", "quotes less",
                "direct and indirect quotations per 1,000 words; higher = more quoting", "sourcing"),
    MeasureSpec("share_anonymous", "anonymous sources", "percentage points", "relies more on anonymous sources",
                "relies less on anonymous sources",
                "share of quotations whose speaker is anonymous (0-1); higher = more anonymous sourcing", "sourcing",
                100.0),
    MeasureSpec("share_evaluative_verbs", "evaluative reporting verbs", "percentage points",
                "uses more evaluative reporting verbs", "uses fewer evaluative reporting verbs",
                "share of reporting verbs that are evaluative (claimed, insisted, admitted) rather than neutral "
                "(said, told), 0-1; higher = more evaluative", "sourcing", 100.0),
]


def measure_registry() -> dict[str, MeasureSpec]:
    """The measures of :func:`story_measures`, by name, in report order.

    Returns
    -------
    dict of str to MeasureSpec
        Readability (Flesch Reading Ease: higher = easier; Flesch-Kincaid grade: higher =
        harder), MTLD, tone, loaded language, quotations, anonymous sources, evaluative
        reporting verbs, then one ``frame_<key>`` per policy frame of the kit's dictionary.
    """
    return {m.name: m for m in _BASE + _frame_specs()}


MEASURES: dict[str, MeasureSpec] = measure_registry()

#: Per-article count columns of the framing pass.
_FRAMING_COUNTS = ["n_tone_sentences", "sum_compound", "loaded_score", "n_words_unquoted", "n_quotes",
                   "n_anonymous", "n_evaluative_verbs", "n_neutral_verbs", "n_frame_hits"]


@functools.lru_cache(maxsize=1)
def _framing_version() -> str:
    """Cache version of the framing counts: this module's version, the framing code, the parser.

    Computed once per process (the code a process runs is the code it imported)."""
    from analysis import nlp

    h = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    files = [package / "framing" / n for n in ("_patterns.py", "tone.py", "loaded.py", "sourcing.py", "frames.py",
                                               "discover.py")]
    files += [package / "text.py", package / "resources" / "frames_en.yaml", package / "resources" / "loaded_words_en.tsv"]
    for path in files:
        h.update(path.read_bytes() if path.exists() else path.name.encode())
    method, version = nlp.parse_cache_id()
    h.update(f"{method}/{version}".encode())
    return f"{MEASURES_VERSION}-{h.hexdigest()[:12]}"


def _framing_counts(docs: pd.DataFrame, frame_keys: list[str]) -> pd.DataFrame:
    """Framing counts of each row of ``docs`` (unique texts), in row order."""
    from analysis.framing.frames import frames
    from analysis.framing.loaded import loaded_language
    from analysis.framing.sourcing import quotes
    from analysis.framing.tone import tone

    ids = docs["doc_id"].tolist()
    out = pd.DataFrame({"doc_id": ids})
    t = tone(docs, actors={})  # an empty actor dictionary: the actors column is not used here
    g = t.groupby("doc_id")["compound"]
    out["n_tone_sentences"] = out["doc_id"].map(g.size()).fillna(0).astype("int64")
    out["sum_compound"] = out["doc_id"].map(g.sum()).fillna(0.0)
    ll = loaded_language(docs)
    g = ll.groupby("doc_id")
    out["loaded_score"] = out["doc_id"].map(g["score"].sum()).fillna(0.0)
    out["n_words_unquoted"] = out["doc_id"].map(g["n_words"].sum()).fillna(0).astype("int64")
    q = quotes(docs)
    q = q[q["kind"] != "term"]
    g = q.groupby("doc_id")
    out["n_quotes"] = out["doc_id"].map(g.size()).fillna(0).astype("int64")
    out["n_anonymous"] = out["doc_id"].map(g["anonymous"].sum()).fillna(0).astype("int64")
    out["n_evaluative_verbs"] = out["doc_id"].map(
        q[q["verb_class"] == "evaluative"].groupby("doc_id").size()).fillna(0).astype("int64")
    out["n_neutral_verbs"] = out["doc_id"].map(
        q[q["verb_class"] == "neutral"].groupby("doc_id").size()).fillna(0).astype("int64")
    fr = frames(docs, parts=False)
    wide = fr.pivot_table(index="doc_id", columns="frame", values="n_hits", aggfunc="sum")
    total = np.zeros(len(out))
    for key in frame_keys:
        col = out["doc_id"].map(wide[key]) if key in wide.columns else pd.Series(0, index=out.index)
        out[f"n_frame_{key}"] = col.fillna(0).astype("int64").to_numpy()
        total += out[f"n_frame_{key}"].to_numpy()
    out["n_frame_hits"] = total.astype("int64")
    return out


def _check_docs(docs: Any) -> None:
    if not isinstance(docs, pd.DataFrame):
        raise ParameterError(f"story_measures: docs must be a docs table (DataFrame), got {type(docs).__name__}; "
                             "load it with analysis.corpus.load_corpus(SOURCE).")
    need = ["doc_id", "event_id", "outlet", "text"]
    missing = [c for c in need if c not in docs.columns]
    if missing:
        raise ParameterError(f"story_measures: docs lacks column(s) {missing}; a corpus of several stories needs "
                             "'event_id' (the story) and 'outlet' for every article (add them to manifest.csv).")
    for col in ("event_id", "outlet"):
        bad = docs[col].isna() | (docs[col].astype(str).str.strip() == "")
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise ParameterError(f"story_measures: docs row {row} (doc_id {docs['doc_id'].iloc[row]!r}) has no {col}; "
                                 f"fill the {col} column of the manifest.")
    if docs["doc_id"].duplicated().any():
        dup = docs.loc[docs["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise ParameterError(f"story_measures: doc_id {dup!r} occurs more than once; doc_ids must be unique.")


def _framing_batch(batch: pd.DataFrame, *, cache_dir: str | None, version: str, frame_keys: tuple[str, ...]
                   ) -> pd.DataFrame:
    """Framing counts of one batch of distinct texts (``_key`` column first): cached rows where
    present, computed and stored otherwise. Runs in this process or on a Dask worker."""
    from analysis.cache import KEY, FeatureCache

    keys = batch[KEY].tolist()
    cache = FeatureCache(cache_dir) if cache_dir else None
    cached = cache.get(_CACHE_METHOD, version, keys) if cache else pd.DataFrame(columns=[KEY])
    have = set(cached[KEY]) if len(cached) else set()
    todo = [i for i, k in enumerate(keys) if k not in have]
    parts = [cached.set_index(KEY)] if len(cached) else []
    if todo:
        sub = batch.iloc[todo].reset_index(drop=True)
        from analysis import nlp

        # once per batch: the four passes below reuse the parses; spaCy's pipe holds its whole
        # batch's working arrays, so a small pipe batch bounds the peak (measured on 100 BASIL
        # articles: +411 MB with 64 documents per pipe batch, +148 MB with 16, same speed)
        nlp.parse(sub, cache_dir=cache_dir, batch_size=_PIPE_BATCH)
        counts = _framing_counts(sub, list(frame_keys)).drop(columns=["doc_id"])
        counts.insert(0, KEY, [keys[i] for i in todo])
        if cache:
            cache.put(_CACHE_METHOD, version, counts)
        parts.append(counts.set_index(KEY))
    table = pd.concat(parts)
    table = table[~table.index.duplicated()].reindex(keys)
    table.index.name = KEY
    return table.reset_index()


def document_measures(docs: pd.DataFrame, *, cache_dir: str | Path | None = None, engine: str = "pandas",
                      scheduler: str | None = None, n_workers: int | None = None,
                      batch_size: int = 200) -> pd.DataFrame:
    """The per-article counts :func:`story_measures` pools, one row per article.

    Articles with the same cleaned text and headline are measured once. The framing counts run
    batch by batch (each batch parsed once, then tone, loaded language, quotations and frames),
    so memory is bounded by ``batch_size``, not by the corpus.

    Parameters
    ----------
    docs : DataFrame
        Docs table with ``doc_id, event_id, outlet, text`` (and ``title``); not modified.
    cache_dir : str or Path, optional
        Feature cache folder: readability, diversity and framing counts (method
        ``corpus-measures``) and the parses are read from and written to it.
    engine : {"pandas", "dask"}
        Where the batches run (:func:`analysis.features.document_features` for readability
        and diversity, the same batch runner for the framing counts); results are identical.
    scheduler : str, optional
        Dask scheduler address for ``engine="dask"`` (else a local cluster).
    n_workers : int, optional
        Workers of the local Dask cluster.
    batch_size : int
        Distinct articles per framing batch.

    Returns
    -------
    DataFrame
        ``doc_id, event_id, outlet``, then counts: ``n_words, n_sentences, n_syllables``
        (the kit's readability counts), ``mtld`` (tokens per factor; higher = more diverse),
        ``n_tone_sentences, sum_compound`` (VADER compound summed over sentences),
        ``loaded_score`` (weighted loaded words outside quotation marks), ``n_words_unquoted``,
        ``n_quotes`` (direct + indirect), ``n_anonymous``, ``n_evaluative_verbs,
        n_neutral_verbs``, ``n_frame_<key>`` (dictionary hits per frame), ``n_frame_hits``.
    """
    from analysis.cache import KEY, text_key
    from analysis.features import _check_engine

    _check_docs(docs)
    _check_engine(engine)
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ParameterError(f"document_measures: batch_size must be a positive integer (got {batch_size!r}).")
    frame_keys = tuple(m.name[len("frame_"):] for m in MEASURES.values() if m.family == "frames")
    if docs.empty:
        columns = ["doc_id", "event_id", "outlet", "n_words", "n_sentences", "n_syllables", "mtld", *_FRAMING_COUNTS[:-1],
                   *(f"n_frame_{k}" for k in frame_keys), "n_frame_hits"]
        return pd.DataFrame(columns=columns)
    titles = docs["title"] if "title" in docs.columns else pd.Series("", index=docs.index)
    titles = titles.map(lambda t: t if isinstance(t, str) else "")
    texts = docs["text"].map(lambda t: t if isinstance(t, str) else "")
    keys = [text_key(x + "\x00" + t) for x, t in zip(texts, titles)]
    first = ~pd.Series(keys).duplicated().to_numpy()
    ukeys = [k for k, f in zip(keys, first) if f]
    uniq = pd.DataFrame({KEY: ukeys, "doc_id": [f"u{i}" for i in range(len(ukeys))], "event_id": "u",
                         "outlet": "u", "title": titles[first].tolist(), "text": texts[first].tolist()})
    log.info("document_measures: %d articles, %d distinct texts", len(docs), len(uniq))
    if engine == "dask" and not scheduler:
        # one local cluster for both passes (starting one takes seconds)
        from analysis.features import _DaskClient

        with _DaskClient(None, n_workers) as client:
            address = client.scheduler.address
            return _document_measures(docs, uniq, keys, ukeys, engine=engine, scheduler=address, n_workers=n_workers,
                                      cache_dir=cache_dir, batch_size=batch_size, frame_keys=frame_keys)
    return _document_measures(docs, uniq, keys, ukeys, engine=engine, scheduler=scheduler, n_workers=n_workers,
                              cache_dir=cache_dir, batch_size=batch_size, frame_keys=frame_keys)


def _document_measures(docs: pd.DataFrame, uniq: pd.DataFrame, keys: list[str], ukeys: list[str], *, engine: str,
                       scheduler: str | None, n_workers: int | None, cache_dir: str | Path | None, batch_size: int,
                       frame_keys: tuple[str, ...]) -> pd.DataFrame:
    """:func:`document_measures` once the distinct texts are known (``uniq``, keyed ``ukeys``)."""
    from analysis.cache import KEY
    from analysis.features import _run, document_features

    feats = document_features(uniq.drop(columns=[KEY]), sets=["readability", "diversity"], engine=engine,
                              scheduler=scheduler, n_workers=n_workers, cache_dir=cache_dir, batch_size=1000)
    feats = feats[["n_words", "n_sentences", "n_syllables", "mtld"]].reset_index(drop=True)

    items = [uniq.iloc[i:i + batch_size].reset_index(drop=True) for i in range(0, len(uniq), batch_size)]
    func = functools.partial(_framing_batch, cache_dir=str(cache_dir) if cache_dir else None,
                             version=_framing_version(), frame_keys=frame_keys)
    parts = _run(func, items, engine=engine, scheduler=scheduler, n_workers=n_workers, progress=False,
                 desc="corpus measures")
    framing = pd.concat(parts, ignore_index=True).drop(columns=[KEY]) if parts else pd.DataFrame()
    per_unique = pd.concat([feats, framing], axis=1)
    per_unique.index = ukeys
    out = docs[["doc_id", "event_id", "outlet"]].reset_index(drop=True)
    return pd.concat([out, per_unique.loc[keys].reset_index(drop=True)], axis=1)


def _ratio(num: pd.Series, den: pd.Series, factor: float = 1.0) -> pd.Series:
    num, den = num.astype(float), den.astype(float)
    return (factor * num / den.where(den > 0)).astype(float)


def _pool(counts: pd.DataFrame) -> pd.DataFrame:
    """Sum the counts of each (story, outlet); word-weighted sums for per-article scores."""
    c = counts.copy()
    c["mtld_w"] = c["mtld"].astype(float) * c["n_words"]
    c["mtld_n"] = c["n_words"].where(c["mtld"].notna(), 0)
    c["tone_doc"] = _ratio(c["sum_compound"], c["n_tone_sentences"])
    c["tone_w"] = c["tone_doc"] * c["n_words"]
    c["tone_n"] = c["n_words"].where(c["tone_doc"].notna(), 0)
    c["n_docs"] = 1
    num = [col for col in c.columns if col not in ("doc_id", "event_id", "outlet", "mtld", "tone_doc")]
    c[["mtld_w", "tone_w"]] = c[["mtld_w", "tone_w"]].fillna(0.0)
    return c.groupby(["event_id", "outlet"], sort=True)[num].sum().reset_index()


def _values(p: pd.DataFrame) -> dict[str, pd.Series]:
    from analysis.readability import flesch_kincaid_grade_from_counts, flesch_reading_ease_from_counts

    ok = (p["n_words"] > 0) & (p["n_sentences"] > 0)
    fre = pd.Series(np.asarray(flesch_reading_ease_from_counts(p["n_words"], p["n_sentences"], p["n_syllables"]),
                               dtype=float), index=p.index).where(ok)
    fkg = pd.Series(np.asarray(flesch_kincaid_grade_from_counts(p["n_words"], p["n_sentences"], p["n_syllables"]),
                               dtype=float), index=p.index).where(ok)
    vals: dict[str, pd.Series] = {
        "flesch_reading_ease": fre,
        "flesch_kincaid_grade": fkg,
        "mtld": _ratio(p["mtld_w"], p["mtld_n"]),
        "tone": _ratio(p["tone_w"], p["tone_n"]),
        "loaded_per_1k_words": _ratio(p["loaded_score"], p["n_words_unquoted"], 1000.0),
        "quotes_per_1k_words": _ratio(p["n_quotes"], p["n_words"], 1000.0),
        "share_anonymous": _ratio(p["n_anonymous"], p["n_quotes"]),
        "share_evaluative_verbs": _ratio(p["n_evaluative_verbs"], p["n_evaluative_verbs"] + p["n_neutral_verbs"]),
    }
    for name, spec in MEASURES.items():
        if spec.family == "frames":
            vals[name] = _ratio(p[f"n_{name}"], p["n_frame_hits"])
    return vals


def pool_measures(counts: pd.DataFrame) -> pd.DataFrame:
    """Pool per-article counts (:func:`document_measures`) into the long story table.

    Returns
    -------
    DataFrame
        Columns :data:`STORY_MEASURE_COLUMNS`; see :func:`story_measures`.
    """
    need = {"event_id", "outlet", "n_words", "n_sentences", "n_syllables", "mtld", *_FRAMING_COUNTS}
    missing = sorted(need - set(counts.columns))
    if missing:
        raise ParameterError(f"pool_measures: counts lacks {missing}; pass the table of document_measures(docs).")
    if counts.empty:
        return pd.DataFrame(columns=STORY_MEASURE_COLUMNS)
    p = _pool(counts)
    vals = _values(p)
    parts = []
    for name in MEASURES:
        parts.append(pd.DataFrame({"event_id": p["event_id"], "outlet": p["outlet"], "measure": name,
                                   "value": vals[name].to_numpy(dtype=float), "n_docs": p["n_docs"].astype("int64"),
                                   "n_words": p["n_words"].astype("int64")}))
    out = pd.concat(parts, ignore_index=True)
    order: Callable[[pd.Series], Any] = lambda s: s.map({m: i for i, m in enumerate(MEASURES)}) if s.name == "measure" else s
    return out.sort_values(["measure", "event_id", "outlet"], key=order, kind="mergesort").reset_index(drop=True)[
        STORY_MEASURE_COLUMNS]


def story_measures(docs: pd.DataFrame, *, actors: Any = None, cache_dir: str | Path | None = None,
                   engine: str = "pandas", scheduler: str | None = None, n_workers: int | None = None,
                   batch_size: int = 200) -> pd.DataFrame:
    """Each outlet's measures in each story, the input of the corpus comparison.

    Parameters
    ----------
    docs : DataFrame
        Docs table of several stories: ``doc_id, event_id, outlet, title, text``; not
        modified.
    actors : path, YAML text, dict or None
        Accepted for symmetry with the story report; none of these measures depends on the
        actor dictionary (tone is taken over all sentences), so it is not used.
    cache_dir : str or Path, optional
        Feature cache folder: per-article features and parses are read from it and stored in
        it (see :func:`document_measures`).
    engine : {"pandas", "dask"}
        Where the per-article batches run (identical results).
    scheduler : str, optional
        Dask scheduler address for ``engine="dask"`` (else a local cluster).
    n_workers : int, optional
        Workers of the local Dask cluster.
    batch_size : int
        Distinct articles per batch of the framing pass (bounds memory).

    Returns
    -------
    DataFrame
        Long form, one row per (story, outlet, measure), sorted by measure (registry order),
        ``event_id``, ``outlet``:

        - ``event_id``, ``outlet``;
        - ``measure``: a name of :data:`MEASURES` — ``flesch_reading_ease`` (0-100, higher =
          easier), ``flesch_kincaid_grade`` (grade, higher = harder), ``mtld`` (tokens per
          factor, higher = more diverse), ``tone`` (mean VADER compound, -1..1, higher = more
          positive), ``loaded_per_1k_words``, ``quotes_per_1k_words`` (per 1,000 words),
          ``share_anonymous``, ``share_evaluative_verbs`` (shares 0-1 of quotations /
          reporting verbs), ``frame_<key>`` (share 0-1 of the frame-dictionary hits);
        - ``value``: the outlet's value in that story, its articles pooled word-weighted (NaN
          when undefined, e.g. a share of anonymous sources without quotations);
        - ``n_docs``: the outlet's articles in the story; ``n_words``: their words.
    """
    if actors is not None:
        log.info("story_measures: 'actors' is not used by the corpus measures")
    counts = document_measures(docs, cache_dir=cache_dir, engine=engine, scheduler=scheduler, n_workers=n_workers,
                               batch_size=batch_size)
    return pool_measures(counts)
