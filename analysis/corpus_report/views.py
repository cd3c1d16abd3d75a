"""The corpus report's views: what the corpus holds, words, actors, reuse and omission across stories.

The corpus comparison report (``notebooks/corpus_comparison.ipynb``) compares outlets across
many stories. The estimates and paired differences of the measures come from
:mod:`analysis.corpus_report.measures`, :mod:`~analysis.corpus_report.stats` and
:mod:`~analysis.corpus_report.findings`; this module holds every other table and chart of that
report, each a pure function of the docs table (or of a table made from it):

- :func:`story_coverage`, :func:`outlet_totals`, :func:`corpus_dates`: which outlet covered
  which story, how many articles and words each outlet has, and when;
- :func:`merge_term_variants` and :func:`corpus_keyness`: distinctive words over the whole
  corpus (each outlet against the rest), with house-style variants merged and a story-level
  bootstrap of their stability;
- :func:`actors_across_stories`: the most-mentioned actors and the labels each outlet gives
  them, with the sentences behind the labels;
- :func:`outlet_reuse` and :func:`orient_passages`: passages two outlets share within a story,
  oriented by ``wire_source`` and ``published`` (who ran it first);
- :func:`omission` and :func:`omission_by_outlet`: per outlet, the share of a story's
  multi-outlet information units it left out;
- :func:`story_report_links`: story reports rendered beside the corpus report;
- ``plot_*`` charts (``plot_x(table, *, ax=None) -> Axes``; panels return the ``Figure``).

Stories are the clusters everywhere: intervals come from resampling stories, never articles or
tokens, so an outlet is not judged by which stories it chose to cover, and one long story does
not count as many observations.
"""

from __future__ import annotations

import html
import json
import logging
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from analysis.errors import NotEnoughData, ParameterError
from analysis.reuse import orient_passages as _reuse_orient_passages

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "HONORIFICS",
    "CorpusActors",
    "CorpusReuse",
    "HtmlList",
    "story_coverage",
    "outlet_totals",
    "coverage_note",
    "corpus_dates",
    "normalise_term",
    "merge_term_variants",
    "story_term_counts",
    "corpus_keyness",
    "actors_across_stories",
    "orient_passages",
    "outlet_reuse",
    "omission",
    "omission_by_outlet",
    "story_report_links",
    "select_corpus",
    "corpus_method_card",
    "links_list",
    "findings_list",
    "no_findings_line",
    "group_tables",
    "top_measures",
    "distinctive_terms",
    "keyness_note",
    "reuse_summary",
    "longest_passages",
    "measure_groups",
    "plot_story_coverage",
    "plot_measure_panels",
    "plot_pairwise_panels",
    "plot_omission",
]

log = logging.getLogger(__name__)

#: Honorifics: house style, never a distinctive word (dropped from corpus keyness).
HONORIFICS: frozenset[str] = frozenset({"mr", "mrs", "ms", "miss", "dr", "messrs", "mx"})
_Z_CRIT = 1.959963984540054  # two-sided 5 %


def _check_docs(docs: pd.DataFrame, func: str, columns: Sequence[str] = ("doc_id", "event_id", "outlet", "text")) -> None:
    if not isinstance(docs, pd.DataFrame):
        raise ParameterError(f"{func}: expected the docs DataFrame (analysis.corpus.load_corpus), got {type(docs).__name__}.")
    missing = [c for c in columns if c not in docs.columns]
    if missing:
        raise ParameterError(f"{func}: the docs table lacks {missing}; load it with analysis.corpus.load_corpus (columns: {list(docs.columns)}).")


def _n_words(texts: Iterable[object]) -> list[int]:
    from analysis.text import words

    return [len(words(t if isinstance(t, str) else "")) for t in texts]


def _dates(docs: pd.DataFrame) -> pd.Series:
    if "published" not in docs.columns:
        return pd.Series(pd.NaT, index=docs.index, dtype="datetime64[ns]")
    return pd.to_datetime(docs["published"], errors="coerce", utc=False)


# --------------------------------------------------------------------------------------------
# the corpus
# --------------------------------------------------------------------------------------------


def story_coverage(docs: pd.DataFrame) -> pd.DataFrame:
    """Who covered what: one row per story, one column per outlet.

    Parameters
    ----------
    docs : DataFrame
        The docs table (``doc_id, event_id, outlet``; ``title`` and ``published`` when present).

    Returns
    -------
    DataFrame
        One row per story, earliest first (then by id): ``event_id``; ``title`` (the headline
        of its earliest article with one); ``published`` (first day, ``YYYY-MM-DD``, empty when
        undated); ``n_outlets``; ``n_docs``; then one column per outlet (sorted) holding that
        outlet's number of articles on the story (0 = the outlet did not cover it).
    """
    _check_docs(docs, "story_coverage", ("doc_id", "event_id", "outlet"))
    d = docs.assign(_event=docs["event_id"].astype(str), _outlet=docs["outlet"].astype(str), _t=_dates(docs))
    outlets = sorted(d["_outlet"].unique())
    counts = d.groupby(["_event", "_outlet"]).size().unstack(fill_value=0).reindex(columns=outlets, fill_value=0)
    rows = []
    for event, group in d.groupby("_event", sort=True):
        g = group.sort_values(["_t", "doc_id"], kind="stable", na_position="last")
        titles = [str(t).strip() for t in g["title"]] if "title" in g.columns else []
        titles = [t for t in titles if t and t.lower() != "nan"]
        first = g["_t"].dropna()
        rows.append({
            "event_id": event,
            "title": titles[0] if titles else "",
            "published": first.iloc[0].date().isoformat() if len(first) else "",
            "n_outlets": int(group["_outlet"].nunique()),
            "n_docs": int(len(group)),
            **{o: int(counts.at[event, o]) for o in outlets},
        })
    out = pd.DataFrame(rows, columns=["event_id", "title", "published", "n_outlets", "n_docs", *outlets])
    order = out.assign(_k=out["published"].replace("", "9999")).sort_values(["_k", "event_id"], kind="stable").index
    return out.loc[order].reset_index(drop=True)


def coverage_note(table: pd.DataFrame) -> str:
    """One line when every outlet covered every story (then a coverage chart would show nothing).

    Parameters
    ----------
    table : DataFrame
        :func:`story_coverage` output.

    Returns
    -------
    str
        E.g. "Every outlet covered every story: 30 stories × 3 outlets, one article each."; empty
        when some outlet missed some story (draw :func:`plot_story_coverage` then).
    """
    fixed = {"event_id", "title", "published", "n_outlets", "n_docs"}
    outlets = [c for c in table.columns if c not in fixed]
    if not len(table) or not outlets or (table[outlets] == 0).any().any():
        return ""
    each = "one article each" if (table[outlets] == 1).all().all() else "some with several articles"
    return f"Every outlet covered every story: {len(table)} stories × {len(outlets)} outlets, {each}."


def outlet_totals(docs: pd.DataFrame) -> pd.DataFrame:
    """Articles, words and dates per outlet over the whole corpus.

    Parameters
    ----------
    docs : DataFrame
        The docs table (``doc_id, event_id, outlet, text``; ``published`` when present).

    Returns
    -------
    DataFrame
        One row per outlet (sorted): ``outlet``; ``n_stories`` (stories it covered);
        ``n_docs`` (articles); ``n_words`` (words, :func:`analysis.text.words`);
        ``words_per_doc`` (mean article length in words); ``first_published``,
        ``last_published`` (``YYYY-MM-DD``; empty when undated).
    """
    _check_docs(docs, "outlet_totals")
    d = docs.assign(_outlet=docs["outlet"].astype(str), _n=_n_words(docs["text"]), _t=_dates(docs))
    rows = []
    for outlet, g in d.groupby("_outlet", sort=True):
        t = g["_t"].dropna()
        rows.append({
            "outlet": outlet,
            "n_stories": int(g["event_id"].astype(str).nunique()),
            "n_docs": int(len(g)),
            "n_words": int(g["_n"].sum()),
            "words_per_doc": float(g["_n"].mean()),
            "first_published": t.min().date().isoformat() if len(t) else "",
            "last_published": t.max().date().isoformat() if len(t) else "",
        })
    return pd.DataFrame(rows, columns=["outlet", "n_stories", "n_docs", "n_words", "words_per_doc", "first_published", "last_published"])


def corpus_dates(docs: pd.DataFrame) -> str:
    """One sentence on the corpus: stories, outlets, articles and the dates they span.

    Returns
    -------
    str
        E.g. "30 stories, 3 outlets, 90 articles, published 2010-02-20 to 2019-06-12." (the
        date part says "undated" when no article has a ``published`` date).
    """
    _check_docs(docs, "corpus_dates", ("doc_id", "event_id", "outlet"))
    t = _dates(docs).dropna()
    n_s, n_o, n_d = docs["event_id"].astype(str).nunique(), docs["outlet"].astype(str).nunique(), len(docs)
    when = (f"published {t.min().date().isoformat()} to {t.max().date().isoformat()}" if len(t) else "undated")
    if len(t) and len(t) < n_d:
        when += f" ({n_d - len(t)} article(s) undated)"
    return f"{n_s} {'story' if n_s == 1 else 'stories'}, {n_o} outlets, {n_d} articles, {when}."


# --------------------------------------------------------------------------------------------
# keyness over the corpus
# --------------------------------------------------------------------------------------------

_APOSTROPHES = "'\u2019\u2018`"


def normalise_term(term: str) -> str:
    """The house-style-free form of a term: what "cease-fire", "Ceasefire" and "ceasefire" share.

    Lower case; a possessive ``'s`` / ``s'`` (straight or curly apostrophe) dropped from each
    word; hyphens inside a word and abbreviation dots removed ("U.S." -> "us", "cease-fire" ->
    "ceasefire"; a decimal point between digits is kept). Words of an n-gram are treated one by
    one and joined by one space.

    Examples
    --------
    >>> [normalise_term(t) for t in ["Cease-fire", "Netanyahu's", "U.S.", "protesters'", "1.2"]]
    ['ceasefire', 'netanyahu', 'us', 'protesters', '1.2']
    """
    out = []
    for w in str(term).lower().split():
        for a in _APOSTROPHES:
            w = w.replace(a, "'")
        if w.endswith("'s"):
            w = w[:-2]
        elif w.endswith("s'"):
            w = w[:-1]
        w = w.replace("-", "")
        if not re.search(r"\d\.\d", w):  # "1.2" keeps its point; "U.S." loses its dots
            w = w.replace(".", "")
        w = w.strip("'")
        if w:
            out.append(w)
    return " ".join(out)


def _outlet_words(outlets: Iterable[str]) -> set[str]:
    """Words that name an outlet: its name squeezed ("foxnews") and each word of 3+ letters."""
    found: set[str] = set()
    for o in outlets:
        parts = [p for p in re.split(r"[^0-9a-z]+", str(o).lower()) if p]
        if parts:
            found.add("".join(parts))
        found.update(p for p in parts if len(p) >= 3)
    return found


def _names_outlet(word: str, words: set[str], squeezed: set[str]) -> bool:
    """True when ``word`` names an outlet: one of its words, or the start or end (3+ letters) of
    an outlet code written as one word ("fox" and "news" of "foxnews", "times" of "nytimes")."""
    if word in words:
        return True
    return len(word) >= 3 and any(len(c) > len(word) and (c.startswith(word) or c.endswith(word)) for c in squeezed)


def _drop_rules(outlets: Iterable[str], exclude: Iterable[str] | None = None) -> tuple[set[str], set[str]]:
    """Words :func:`merge_term_variants` drops (honorifics or ``exclude``, the outlets' names)
    and the outlet codes written as one word."""
    names = [str(o) for o in outlets]
    drop = {normalise_term(t) for t in (HONORIFICS if exclude is None else exclude)}
    drop |= _outlet_words(names)
    squeezed = {re.sub(r"[^0-9a-z]+", "", o.lower()) for o in names if " " not in o.strip()}
    return drop, squeezed


def _dropped(norm: str, drop: set[str], squeezed: set[str]) -> bool:
    """True when the normalised term ``norm`` is empty or one of its words is dropped (:func:`_drop_rules`)."""
    return not norm or any(_names_outlet(w, drop, squeezed) for w in norm.split())


def _spelling_variants(rows: Iterable[tuple[str, str, int]]) -> dict[str, list[str]]:
    """``{merged term: spellings, most used first}`` for the terms written more than one way.

    ``rows`` are ``(merged term, spelling, occurrences)``; a spelling's occurrences are summed,
    ties keep the order in which spellings first occur. Terms sorted.
    """
    totals: dict[str, dict[str, int]] = {}
    for norm, raw, n in rows:
        spellings = totals.setdefault(norm, {})
        spellings[raw] = spellings.get(raw, 0) + int(n)
    return {t: [r for r, _ in sorted(v.items(), key=lambda x: -x[1])] for t, v in sorted(totals.items()) if len(v) > 1}


def merge_term_variants(
    counts: pd.DataFrame,
    *,
    exclude: Iterable[str] | None = None,
    outlet_names: bool = True,
) -> pd.DataFrame:
    """Term counts with house-style variants merged and house style dropped.

    Parameters
    ----------
    counts : DataFrame
        A term-count table: any key columns (``doc_id``, ``event_id``, ``outlet``) plus
        ``term`` and ``n``.
    exclude : iterable of str, optional
        Terms to drop after normalising; default :data:`HONORIFICS`.
    outlet_names : bool, default True
        Also drop the outlets' own names (the name squeezed into one word, "foxnews"; each word
        of three letters or more of a name written in words, "Riverside Courier" -> "riverside",
        "courier"; and the start or end of a name written as one code, "foxnews" -> "fox",
        "news", "nytimes" -> "times"): an outlet naming itself is self-reference, not word choice.

    Returns
    -------
    DataFrame
        A new table, same key columns, ``term`` replaced by :func:`normalise_term` of it and
        ``n`` summed over the variants that merged; an n-gram is dropped when any of its words
        is excluded. ``attrs["variants"]``: ``{term: [spellings merged into it, most frequent
        first]}`` for every term with more than one spelling.
    """
    if not isinstance(counts, pd.DataFrame) or not {"term", "n"} <= set(counts.columns):
        raise ParameterError("merge_term_variants: expected a term-count table with `term` and `n` columns (analysis.lexical.term_counts).")
    names = counts["outlet"].astype(str).unique() if outlet_names and "outlet" in counts.columns else []
    drop, squeezed = _drop_rules(names, exclude)
    keys = [c for c in counts.columns if c not in ("term", "n")]
    raw = counts["term"].astype(str)
    uniq = pd.unique(raw)
    norm_of = {t: normalise_term(t) for t in uniq}
    norm = raw.map(norm_of)
    bad = {n for n in set(norm_of.values()) if _dropped(n, drop, squeezed)}
    keep = ~norm.isin(bad)
    d = counts.loc[keep, keys + ["n"]].assign(term=norm[keep].to_numpy())
    by = (pd.DataFrame({"norm": norm[keep].to_numpy(), "raw": raw[keep].to_numpy(), "n": counts.loc[keep, "n"].to_numpy()})
          .groupby(["norm", "raw"], sort=False)["n"].sum().reset_index())
    variants = _spelling_variants(by.itertuples(index=False, name=None))
    out = d.groupby(keys + ["term"], sort=False, as_index=False, observed=True)["n"].sum() if keys else d.groupby("term", as_index=False)["n"].sum()
    out = out[keys + ["term", "n"]]
    out["n"] = out["n"].astype("int64")
    out.attrs["variants"] = variants
    out.attrs["excluded"] = sorted(drop)
    return out


def story_term_counts(docs: pd.DataFrame, *, stop_words: Iterable[str] | None = None, merge: bool = True) -> pd.DataFrame:
    """Term counts per story and outlet, summed over the outlet's articles on the story.

    Counted story by story with :func:`analysis.lexical.term_counts` (unigrams, the kit's stop
    words dropped), so memory holds one story's article-level counts at a time.

    Parameters
    ----------
    docs : DataFrame
        The docs table (``doc_id, event_id, outlet, text``).
    stop_words : iterable of str, optional
        Default :data:`analysis.text.STOP_WORDS`.
    merge : bool, default True
        Merge house-style variants and drop honorifics and outlet names
        (:func:`merge_term_variants`).

    Returns
    -------
    DataFrame
        ``event_id, outlet, term, n`` (``n``: occurrences, int). ``attrs["variants"]`` as in
        :func:`merge_term_variants` (merged over stories).
    """
    from analysis import text as _text
    from analysis.lexical import term_counts

    _check_docs(docs, "story_term_counts")
    sw = _text.STOP_WORDS if stop_words is None else stop_words
    parts = []
    for event, story in docs.groupby(docs["event_id"].astype(str), sort=True):
        c = term_counts(story, ngram_range=(1, 1), stop_words=sw)
        if not len(c):
            continue
        c = c.groupby(["outlet", "term"], as_index=False, observed=True)["n"].sum()
        c.insert(0, "event_id", event)
        parts.append(c)
    if not parts:
        raise NotEnoughData("story_term_counts: no article has a countable word.")
    counts = pd.concat(parts, ignore_index=True)
    counts["outlet"] = counts["outlet"].astype(str)
    if not merge:
        counts.attrs["variants"] = {}
        return counts
    # outlet names and honorifics are dropped corpus-wide, so pass every outlet at once
    return merge_term_variants(counts)


class _Cells(NamedTuple):
    """Term counts of each (story, outlet) cell as a sparse matrix (cells x terms)."""

    matrix: Any  # scipy.sparse.csr_matrix of float counts
    cell_event: np.ndarray  # index into events of each row
    cell_outlet: np.ndarray  # index into outlets of each row
    events: list[str]
    outlets: list[str]
    terms: list[str]
    variants: dict[str, list[str]]


def _cells_from_counts(counts: pd.DataFrame) -> _Cells:
    """:class:`_Cells` of a :func:`story_term_counts` table (``event_id, outlet, term, n``)."""
    from scipy import sparse

    e_codes, events = pd.factorize(counts["event_id"].astype(str), sort=True)
    o_codes, outlets = pd.factorize(counts["outlet"].astype(str), sort=True)
    t_codes, terms = pd.factorize(counts["term"].astype(str), sort=False)
    c_codes, pairs = pd.factorize(e_codes.astype(np.int64) * max(len(outlets), 1) + o_codes, sort=True)
    pairs = np.asarray(pairs, dtype=np.int64)
    mat = sparse.csr_matrix((counts["n"].to_numpy(float), (c_codes, t_codes)), shape=(len(pairs), len(terms)))
    return _Cells(mat, pairs // max(len(outlets), 1), pairs % max(len(outlets), 1), list(events), list(outlets),
                  list(terms), dict(counts.attrs.get("variants", {})))


def _cells_from_docs(docs: pd.DataFrame, stop_words: Iterable[str] | None = None) -> _Cells:
    """:class:`_Cells` counted story by story, as :func:`story_term_counts` with ``merge=True``.

    Only integer codes are kept across stories (one sparse row per story and outlet), so the
    memory is that of the matrix, not of a long table with a string per (story, outlet, term).
    """
    from scipy import sparse

    from analysis import text as _text
    from analysis.lexical import term_counts

    sw = _text.STOP_WORDS if stop_words is None else stop_words
    outlets = sorted(docs["outlet"].astype(str).unique())
    o_pos = {o: k for k, o in enumerate(outlets)}
    drop, squeezed = _drop_rules(outlets)
    norm_of: dict[str, str] = {}  # spelling -> merged term ("" = dropped)
    t_pos: dict[str, int] = {}
    spelled: dict[str, int] = {}  # kept spelling -> occurrences, in order of first use
    rows, cols, vals, cell_event, cell_outlet, events = [], [], [], [], [], []
    n_cells = 0
    for event, story in docs.groupby(docs["event_id"].astype(str), sort=True):
        c = term_counts(story, ngram_range=(1, 1), stop_words=sw)
        if not len(c):
            continue
        c = c.groupby(["outlet", "term"], as_index=False, observed=True)["n"].sum()
        raw = c["term"].astype(str).tolist()
        for r in raw:
            if r not in norm_of:
                n = normalise_term(r)
                norm_of[r] = "" if _dropped(n, drop, squeezed) else n
        keep = np.fromiter((bool(norm_of[r]) for r in raw), dtype=bool, count=len(raw))
        if not keep.any():
            continue
        n_occ = c["n"].to_numpy(np.int64)[keep]
        kept = [r for r, k in zip(raw, keep) if k]
        for r, n in zip(kept, n_occ.tolist()):
            spelled[r] = spelled.get(r, 0) + n
        outs = c["outlet"].astype(str).map(o_pos).to_numpy(np.int64)[keep]
        present = np.unique(outs)
        local = np.full(len(outlets), -1, dtype=np.int64)
        local[present] = n_cells + np.arange(len(present))
        rows.append(local[outs])
        cols.append(np.fromiter((t_pos.setdefault(norm_of[r], len(t_pos)) for r in kept), dtype=np.int64, count=len(kept)))
        vals.append(n_occ.astype(float))
        cell_event.extend([len(events)] * len(present))
        cell_outlet.extend(present.tolist())
        events.append(event)
        n_cells += len(present)
    if not rows:
        raise NotEnoughData("corpus_keyness: no article has a countable word.")
    mat = sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_cells, len(t_pos)))
    variants = _spelling_variants((norm_of[r], r, n) for r, n in spelled.items())
    return _Cells(mat, np.asarray(cell_event, dtype=np.int64), np.asarray(cell_outlet, dtype=np.int64), events, outlets,
                  list(t_pos), variants)


def corpus_keyness(
    docs_or_counts: pd.DataFrame,
    *,
    n_boot: int = 200,
    seed: int = 0,
    min_count: int = 5,
) -> pd.DataFrame:
    """Distinctive words of each outlet over the whole corpus, stable across stories.

    Each outlet against all the others pooled: weighted log-odds with an informative Dirichlet
    prior from the pooled corpus (Monroe, Colaresi & Quinn 2008; :func:`analysis.keyness.keyness`
    on the story × outlet counts), Benjamini–Hochberg q-values within each outlet's comparison.
    House-style variants are merged and honorifics and outlet names dropped
    (:func:`merge_term_variants`). Words cluster in stories (one story about a flood fills an
    outlet with "flood"), so stability comes from a story-level bootstrap: stories are drawn
    with replacement (all outlets' articles of a drawn story together) and z recomputed with the
    same prior; ``stability`` is the share of resamples in which the term keeps its sign with
    |z| > 1.96.

    Parameters
    ----------
    docs_or_counts : DataFrame
        The docs table, or :func:`story_term_counts` output (``event_id, outlet, term, n``).
    n_boot : int, default 200
        Story-level bootstrap resamples (0: ``stability`` is NaN).
    seed : int
        Seed of the bootstrap.
    min_count : int, default 5
        Keep a term only if the whole corpus uses it at least this often.

    Returns
    -------
    DataFrame
        The keyness columns (:data:`analysis.keyness.KEYNESS_COLUMNS`: ``outlet, reference``
        ("rest"), ``term, n_target, n_reference, log_odds`` (> 0 = the outlet uses it more),
        ``z, p, q`` (BH within the outlet's comparison; lower = stronger), ``stability``
        (0-1, story-level, higher = more stable)) plus ``n_stories`` (stories in which the
        outlet used the term). Sorted by outlet, then z descending. ``attrs``: ``n_stories``,
        ``n_boot``, ``seed``, ``variants`` (merged spellings).
    """
    from scipy import sparse

    from analysis import stats as _stats
    from analysis.keyness import KEYNESS_COLUMNS, keyness, log_odds_dirichlet

    if not isinstance(n_boot, (int, np.integer)) or isinstance(n_boot, bool) or n_boot < 0:
        raise ParameterError(f"corpus_keyness: n_boot must be an integer >= 0, got {n_boot!r}.")
    if isinstance(docs_or_counts, pd.DataFrame) and {"event_id", "outlet", "term", "n"} <= set(docs_or_counts.columns):
        cells = _cells_from_counts(docs_or_counts)
    else:
        _check_docs(docs_or_counts, "corpus_keyness")
        cells = _cells_from_docs(docs_or_counts)
    outlets, events, terms, mat = cells.outlets, cells.events, cells.terms, cells.matrix
    if len(outlets) < 2:
        raise NotEnoughData("corpus_keyness: needs at least two outlets.")
    n_o, n_cells = len(outlets), mat.shape[0]
    by_outlet = sparse.csr_matrix((np.ones(n_cells), (cells.cell_outlet, np.arange(n_cells))), shape=(n_o, n_cells))
    totals = (by_outlet @ mat).tocoo()
    names, words = np.asarray(outlets, dtype=object), np.asarray(terms, dtype=object)
    # keyness needs only each outlet's totals (no article bootstrap here), so one row per (outlet, term)
    pooled = pd.DataFrame({"doc_id": names[totals.row], "outlet": names[totals.row], "term": words[totals.col],
                           "n": np.rint(totals.data).astype("int64")})
    table = keyness(pooled, n_boot=0, min_count=min_count)
    t_pos = {t: k for k, t in enumerate(terms)}
    o_pos = {o: k for k, o in enumerate(outlets)}
    used = np.vstack([np.asarray((mat[cells.cell_outlet == k] > 0).sum(axis=0)).ravel() for k in range(n_o)])  # stories
    table["n_stories"] = [int(used[o_pos[o], t_pos[t]]) if t in t_pos else 0
                          for o, t in zip(table["outlet"].astype(str), table["term"].astype(str))]
    if n_boot and len(events) >= 2:
        row_outlet, row_event = cells.cell_outlet, cells.cell_event
        alpha = np.asarray(mat.sum(axis=0)).ravel()  # keyness's default prior: a0 = all tokens, alpha_w = pooled count
        gen = _stats.rng(seed)
        hits = np.zeros(len(table))
        which_o = np.array([o_pos[o] for o in table["outlet"].astype(str)], dtype=np.int64)
        which_t = np.array([t_pos[t] for t in table["term"].astype(str)], dtype=np.int64)
        z0 = table["z"].to_numpy()
        for _ in range(n_boot):
            draw = np.bincount(gen.integers(0, len(events), size=len(events)), minlength=len(events)).astype(float)
            w = sparse.csr_matrix((draw[row_event], (row_outlet, np.arange(n_cells))), shape=(n_o, n_cells))
            oc = np.asarray((w @ mat).todense())
            total = oc.sum(axis=0)
            zb = np.empty(len(table))
            for k in range(n_o):
                sel = which_o == k
                if sel.any():
                    t = which_t[sel]
                    _, z = log_odds_dirichlet(oc[k, t], total[t] - oc[k, t], alpha[t], n_i=oc[k].sum(), n_j=total.sum() - oc[k].sum())
                    zb[sel] = z
            hits += (np.sign(zb) == np.sign(z0)) & (np.abs(zb) > _Z_CRIT)
        table["stability"] = hits / n_boot
    table = table[[*KEYNESS_COLUMNS, "n_stories"]]
    table.attrs.update({"n_stories": len(events), "n_boot": int(n_boot), "seed": int(seed), "variants": cells.variants,
                        "level": "story"})
    return table


# --------------------------------------------------------------------------------------------
# actors across stories
# --------------------------------------------------------------------------------------------


class CorpusActors(NamedTuple):
    """Result of :func:`actors_across_stories`."""

    actors: pd.DataFrame
    labels: pd.DataFrame


def actors_across_stories(
    docs: pd.DataFrame,
    *,
    source: Any = None,
    actors: str = "",
    n_actors: int = 10,
    n_labels: int = 3,
    cache_dir: str | os.PathLike[str] | None = None,
) -> CorpusActors:
    """The most-mentioned actors of the corpus and how each outlet labels them.

    Each story's actors are found as in the story report
    (:func:`analysis.framing.actors_for_report`: the ``actors`` file, else the corpus folder's
    ``actors.yaml``, else discovered from that story's text), their mentions counted
    (:func:`analysis.framing.actors.actor_mentions`) and labelled
    (:func:`analysis.framing.actor_labels`). The same actor across stories is the same name
    (case-insensitive), so "Donald Trump" of one story adds to "Donald Trump" of another.

    Parameters
    ----------
    docs : DataFrame
        The docs table (``doc_id, event_id, outlet, text``).
    source : path, "" or None
        The corpus source, as the report was given it: a folder's ``actors.yaml`` is used for
        every story; "" = the seed corpus (its dictionary); None = discover in every story.
    actors : str
        Path of an actor dictionary used for every story; "" = as above.
    n_actors : int, default 10
        Actors kept, most mentioned first.
    n_labels : int, default 3
        Labels kept per actor and outlet, most frequent first.
    cache_dir : path, optional
        Feature cache folder: each story's parses are read from it (and stored in it) before
        its actors are found, so a corpus larger than the in-process memory of parses
        (:data:`analysis.nlp.MEMO_MAX_CHARS`) is not parsed twice.

    Returns
    -------
    CorpusActors
        ``actors``: one row per actor kept: ``actor, type, n_stories, n_mentions`` then one
        column per outlet with its mentions (counts; outside and inside quotes), then
        ``source`` (``file:<path>`` or ``discovered``: where the actor came from).
        ``labels``: one row per (actor, outlet, label): ``actor, outlet, label, n`` (times the
        outlet used it), ``n_stories``, ``n_in_quote`` (of ``n``, inside quotation marks: a
        speaker's word, not the outlet's), ``evaluative`` (the label judges, see
        :func:`analysis.framing.actor_labels`), ``sentence`` (the first sentence that uses
        it). Sorted by actor rank, outlet, then ``n`` descending.
    """
    from analysis.framing import actor_labels, actors_for_report
    from analysis.framing.actors import actor_mentions
    from analysis.framing.discover import actors_to_dictionary, discover_actors

    _check_docs(docs, "actors_across_stories")
    if not isinstance(n_actors, int) or n_actors < 1:
        raise ParameterError(f"actors_across_stories: n_actors must be a positive integer, got {n_actors!r}.")
    mentions, labels, types = [], [], {}
    for event, story in docs.groupby(docs["event_id"].astype(str), sort=True):
        if story["outlet"].nunique() < 1:
            continue
        if cache_dir:
            from analysis import nlp

            nlp.parse(story, cache_dir=cache_dir)  # into memory from the cache: the calls below reuse them
        try:
            if actors or source is not None:
                dictionary, table = actors_for_report(story, actors, source)
            else:
                table = discover_actors(story)
                dictionary = actors_to_dictionary(table)
        except NotEnoughData:
            continue
        if not dictionary:
            continue
        origin = table["source"] if "source" in table.columns else pd.Series(["discovered"] * len(table))
        kinds = table["type"] if "type" in table.columns else pd.Series([None] * len(table))
        for a, t, o in zip(table["actor"], kinds, origin):
            types.setdefault(str(a).casefold(), (str(a), t, str(o)))
        m = actor_mentions(story, actors=dictionary)
        if len(m):
            mentions.append(m.assign(event_id=event)[["event_id", "outlet", "actor", "in_quote"]])
        lab = actor_labels(story, actors=dictionary)
        if len(lab):
            labels.append(lab.assign(event_id=event)[["event_id", "outlet", "actor", "label", "in_quote", "evaluative", "sentence"]])
    outlets = sorted(docs["outlet"].astype(str).unique())
    actor_cols = ["actor", "type", "n_stories", "n_mentions", *outlets, "source"]
    label_cols = ["actor", "outlet", "label", "n", "n_stories", "n_in_quote", "evaluative", "sentence"]
    if not mentions:
        return CorpusActors(pd.DataFrame(columns=actor_cols), pd.DataFrame(columns=label_cols))
    m = pd.concat(mentions, ignore_index=True)
    m["key"] = m["actor"].astype(str).str.casefold()
    m["outlet"] = m["outlet"].astype(str)
    per = m.groupby("key").agg(n_stories=("event_id", "nunique"), n_mentions=("actor", "size"))
    per = per.sort_values(["n_mentions", "n_stories"], ascending=False, kind="stable").head(n_actors)
    by_outlet = m.groupby(["key", "outlet"]).size().unstack(fill_value=0).reindex(columns=outlets, fill_value=0)
    rows = []
    for key, r in per.iterrows():
        name, typ, origin = types.get(key, (m.loc[m["key"] == key, "actor"].iloc[0], None, "discovered"))
        rows.append({"actor": name, "type": typ if isinstance(typ, str) else "", "n_stories": int(r["n_stories"]),
                     "n_mentions": int(r["n_mentions"]), **{o: int(by_outlet.at[key, o]) for o in outlets}, "source": origin})
    actor_table = pd.DataFrame(rows, columns=actor_cols)
    if not labels:
        return CorpusActors(actor_table, pd.DataFrame(columns=label_cols))
    lab = pd.concat(labels, ignore_index=True)
    lab["key"] = lab["actor"].astype(str).str.casefold()
    lab = lab[lab["key"].isin(per.index)]
    lab["label_key"] = lab["label"].astype(str).str.casefold()
    lab["outlet"] = lab["outlet"].astype(str)
    rank = {k: i for i, k in enumerate(per.index)}
    out = []
    for (key, outlet, _), g in lab.groupby(["key", "outlet", "label_key"], sort=False):
        out.append({"_rank": rank[key], "actor": types.get(key, (g["actor"].iloc[0],))[0], "outlet": outlet,
                    "label": g["label"].value_counts().index[0], "n": int(len(g)), "n_stories": int(g["event_id"].nunique()),
                    "n_in_quote": int(g["in_quote"].sum()), "evaluative": bool(g["evaluative"].any()), "sentence": str(g["sentence"].iloc[0])})
    lt = pd.DataFrame(out)
    lt = lt.sort_values(["_rank", "outlet", "n", "label"], ascending=[True, True, False, True], kind="stable")
    lt = lt.groupby(["_rank", "outlet"], sort=False).head(n_labels)
    return CorpusActors(actor_table, lt[label_cols].reset_index(drop=True))


# --------------------------------------------------------------------------------------------
# reuse between outlets, oriented
# --------------------------------------------------------------------------------------------


class CorpusReuse(NamedTuple):
    """Result of :func:`outlet_reuse`."""

    passages: pd.DataFrame
    pairs: pd.DataFrame


#: Who ran a passage first (wire source, then publication time) and whether it is the same
#: quotation: one rule set for the story and the corpus report (:func:`analysis.reuse.orient_passages`).
orient_passages = _reuse_orient_passages


def outlet_reuse(docs: pd.DataFrame, *, paraphrase_threshold: float | None = 0.4) -> CorpusReuse:
    """Which outlets share passages with which, in how many stories, and who ran them first.

    Passages are found within each story (:func:`analysis.reuse.shared_passages`: exact word
    runs of 8+ words and paraphrased sentences), between articles of different outlets, and
    oriented by :func:`orient_passages`. A passage at least half inside quotation marks in both
    articles is marked ``quotation``: the same speaker quoted by both (with the same
    attribution, "… ," the governor said), not copied wording.

    Parameters
    ----------
    docs : DataFrame
        The docs table (``doc_id, event_id, outlet, text``; ``published``, ``wire_source``).
    paraphrase_threshold : float or None
        Passed to :func:`analysis.reuse.shared_passages`.

    Returns
    -------
    CorpusReuse
        ``passages``: one row per passage: ``event_id, outlet_a, outlet_b, kind`` (exact |
        paraphrase), ``quotation`` (bool), ``n_words``, ``first_outlet, later_outlet, wire,
        basis`` (see :func:`orient_passages`), ``text_a``.
        ``pairs``: one row per pair of outlets (names sorted): ``outlet_a, outlet_b``,
        ``n_stories_both`` (stories both covered), ``n_stories_shared`` (of those, stories in
        which they share wording outside quotations), ``share_of_stories`` (0-1),
        ``n_passages``, ``n_words`` (words in exact runs), ``n_quotations`` (passages that are
        the same quotation), ``a_first``, ``b_first`` (passages each ran first),
        ``same_wire``, ``undetermined``.
    """
    from analysis.reuse import shared_passages

    _check_docs(docs, "outlet_reuse")
    parts = []
    for event, story in docs.groupby(docs["event_id"].astype(str), sort=True):
        if story["outlet"].nunique() < 2:
            continue
        try:
            p = shared_passages(story, paraphrase_threshold=paraphrase_threshold)
        except NotEnoughData:
            continue
        p = p[p["outlet_a"].astype(str) != p["outlet_b"].astype(str)]
        if len(p):
            parts.append(orient_passages(p, story).assign(event_id=event))
    pcols = ["event_id", "outlet_a", "outlet_b", "kind", "quotation", "n_words", "first_outlet", "later_outlet", "wire", "basis", "text_a"]
    passages = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*pcols, "doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b"])
    if len(passages):  # `quotation` comes from orient_passages (same quotation in both articles)
        # names of a pair sorted, so "A-B" and "B-A" are one pair
        swap = passages["outlet_a"].astype(str) > passages["outlet_b"].astype(str)
        a, b = passages["outlet_a"].astype(str), passages["outlet_b"].astype(str)
        passages["outlet_a"], passages["outlet_b"] = np.where(swap, b, a), np.where(swap, a, b)
        passages["text_a"] = np.where(swap, passages["text_b"], passages["text_a"])
    passages = passages[pcols].reset_index(drop=True)
    outlets = sorted(docs["outlet"].astype(str).unique())
    covered = docs.groupby(docs["outlet"].astype(str))["event_id"].agg(lambda s: set(s.astype(str)))
    rows = []
    for i, oa in enumerate(outlets):
        for ob in outlets[i + 1:]:
            both = covered[oa] & covered[ob]
            g = passages[(passages["outlet_a"] == oa) & (passages["outlet_b"] == ob)]
            copied = g[~g["quotation"].astype(bool)]
            rows.append({
                "outlet_a": oa, "outlet_b": ob, "n_stories_both": len(both),
                "n_stories_shared": int(copied["event_id"].nunique()),
                "share_of_stories": copied["event_id"].nunique() / len(both) if both else float("nan"),
                "n_passages": int(len(copied)),
                "n_words": int(copied.loc[copied["kind"] == "exact", "n_words"].sum()),
                "n_quotations": int(g["quotation"].astype(bool).sum()),
                "a_first": int((copied["first_outlet"] == oa).sum()),
                "b_first": int((copied["first_outlet"] == ob).sum()),
                "same_wire": int((copied["basis"] == "same wire").sum()),
                "undetermined": int((copied["basis"] == "undetermined").sum()),
            })
    pairs = pd.DataFrame(rows, columns=["outlet_a", "outlet_b", "n_stories_both", "n_stories_shared", "share_of_stories", "n_passages",
                                        "n_words", "n_quotations", "a_first", "b_first", "same_wire", "undetermined"])
    return CorpusReuse(passages, pairs)


# --------------------------------------------------------------------------------------------
# omission
# --------------------------------------------------------------------------------------------


def omission(docs: pd.DataFrame, *, threshold: float = 0.25, min_outlets: int = 3) -> pd.DataFrame:
    """Per story and outlet: the share of the story's multi-outlet information units left out.

    For each story with at least ``min_outlets`` outlets, :func:`analysis.reuse.coverage`
    groups its sentences into information units; a unit reported by two or more outlets is a
    fact that more than one newsroom thought worth reporting, and an outlet of the story that
    did not report it left it out. (With two outlets no multi-outlet unit can be missing, so
    such stories say nothing about omission; ``min_outlets`` is 3 by default.)

    Parameters
    ----------
    docs : DataFrame
        The docs table (``doc_id, event_id, outlet, text``).
    threshold : float, default 0.25
        Unit threshold of :func:`analysis.reuse.coverage`.
    min_outlets : int, default 3
        Stories with fewer outlets are skipped.

    Returns
    -------
    DataFrame
        One row per (story, outlet): ``event_id, outlet, n_units`` (the story's units reported
        by 2+ outlets), ``n_left_out`` (of those, units the outlet did not report),
        ``share_left_out`` (0-1; higher = left out more of what others reported).
    """
    from analysis.reuse import coverage

    _check_docs(docs, "omission")
    rows = []
    for event, story in docs.groupby(docs["event_id"].astype(str), sort=True):
        if story["outlet"].nunique() < max(2, min_outlets):
            continue
        try:
            cov = coverage(story.assign(event_id=event), threshold=threshold)
        except NotEnoughData:
            continue
        multi = cov.matrix.loc[cov.units.set_index("unit_id")["n_outlets"].reindex(cov.matrix.index).to_numpy() >= 2]
        for outlet in cov.matrix.columns:
            n = len(multi)
            left = int((~multi[outlet]).sum()) if n else 0
            rows.append({"event_id": event, "outlet": str(outlet), "n_units": n, "n_left_out": left,
                         "share_left_out": left / n if n else float("nan")})
    return pd.DataFrame(rows, columns=["event_id", "outlet", "n_units", "n_left_out", "share_left_out"])


def omission_by_outlet(table: pd.DataFrame, *, n_boot: int = 1000, seed: int = 0, ci: float = 0.95) -> pd.DataFrame:
    """Mean share of multi-outlet units each outlet left out, with a bootstrap over stories.

    Parameters
    ----------
    table : DataFrame
        :func:`omission` output.
    n_boot, seed, ci
        Percentile bootstrap over the outlet's stories (:func:`analysis.stats.bootstrap_ci`).

    Returns
    -------
    DataFrame
        One row per outlet: ``outlet, metric`` ("share_left_out"), ``n_stories``,
        ``estimate`` (mean over stories of the share left out, 0-1; higher = left out more),
        ``ci_low, ci_high``, ``n_units`` (units summed over its stories), ``n_left_out``.
    """
    from analysis.stats import bootstrap_ci

    cols = ["outlet", "metric", "n_stories", "estimate", "ci_low", "ci_high", "n_units", "n_left_out"]
    if not isinstance(table, pd.DataFrame) or not {"outlet", "share_left_out"} <= set(table.columns):
        raise ParameterError("omission_by_outlet: expected the omission() table (outlet, share_left_out).")
    rows = []
    t = table.dropna(subset=["share_left_out"])
    for outlet, g in t.groupby("outlet", sort=True):
        est, lo, hi = bootstrap_ci(g["share_left_out"].to_numpy(float), n_boot=n_boot, seed=seed, ci=ci)
        rows.append({"outlet": outlet, "metric": "share_left_out", "n_stories": int(len(g)), "estimate": est,
                     "ci_low": lo, "ci_high": hi, "n_units": int(g["n_units"].sum()), "n_left_out": int(g["n_left_out"].sum())})
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------------------------
# links, lists
# --------------------------------------------------------------------------------------------


def story_report_links(report_dir: str | os.PathLike[str], source: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Finished story reports next to a corpus report (siblings, or inside a sibling batch folder).

    Parameters
    ----------
    report_dir : path
        The corpus report's folder (in a report run: the notebook's working folder, whose
        parent is the final report's parent).
    source : path, optional
        Keep only story reports of this corpus source (their ``manifest.json`` ``source``).

    Returns
    -------
    DataFrame
        ``event_id, title, href`` (the reader HTML relative to the corpus report's folder,
        e.g. ``../basil-batch/<story>/report.html``), sorted by event.
    """
    if report_dir in (None, ""):
        return pd.DataFrame(columns=["event_id", "title", "href"])
    here = Path(report_dir).resolve()
    parent = here.parent
    want = str(Path(source).expanduser().resolve()) if source not in (None, "") else None
    rows = []
    for manifest in [*parent.glob("*/manifest.json"), *parent.glob("*/*/manifest.json")]:
        folder = manifest.parent
        if folder == here or folder.name.startswith("."):
            continue
        try:
            info = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(info, dict) or info.get("status") != "complete" or not info.get("event"):
            continue
        if want is not None and str(info.get("source", "")) != want:
            continue
        if not (folder / "report.html").is_file():
            continue
        rows.append({"event_id": str(info["event"]), "title": "", "href": "../" + (folder / "report.html").relative_to(parent).as_posix()})
    out = pd.DataFrame(rows, columns=["event_id", "title", "href"])
    return out.sort_values("event_id", kind="stable").drop_duplicates("event_id").reset_index(drop=True)


class HtmlList:
    """A bulleted list shown escaped in a notebook (``_repr_html_``), plain text elsewhere.

    Parameters
    ----------
    items : list of (text, href or None)
        Each item's text and, optionally, a relative link.
    intro : str
        A line shown before the list.
    """

    def __init__(self, items: Sequence[tuple[str, str | None]], intro: str = "") -> None:
        self.items = list(items)
        self.intro = intro

    def __repr__(self) -> str:
        lines = [self.intro] if self.intro else []
        lines += [f"- {t}" + (f" ({h})" if h else "") for t, h in self.items]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        intro = f"<p>{esc(self.intro)}</p>" if self.intro else ""
        lis = "".join(
            f'<li><a href="{esc(h, quote=True)}">{esc(t)}</a></li>' if h and not re.match(r"^[a-z][a-z0-9+.-]*:", h, re.I) else f"<li>{esc(t)}</li>"
            for t, h in self.items
        )
        return f'{intro}<ul class="kit-list">{lis}</ul>'


def links_list(links: pd.DataFrame, coverage: pd.DataFrame | None = None) -> HtmlList:
    """The story reports as a list of links, titled from :func:`story_coverage` when given."""
    titles = dict(zip(coverage["event_id"].astype(str), coverage["title"])) if coverage is not None and len(coverage) else {}
    items = [(f"{titles.get(e) or e} ({e})" if titles.get(e) else str(e), h) for e, h in zip(links["event_id"], links["href"])]
    return HtmlList(items, intro=f"{len(items)} story report(s) rendered beside this one:")


def findings_list(findings: pd.DataFrame, *, empty: str) -> HtmlList:
    """The findings' sentences as a list; ``empty`` as the one line when there is none."""
    if not isinstance(findings, pd.DataFrame) or "sentence" not in findings.columns:
        raise ParameterError("findings_list: expected the findings table with a `sentence` column.")
    if not len(findings):
        return HtmlList([], intro=empty)
    return HtmlList([(str(s), None) for s in findings["sentence"]])


# --------------------------------------------------------------------------------------------
# charts
# --------------------------------------------------------------------------------------------

#: Measure groups of the corpus report (first matching prefix wins), in display order.
_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("Readability", ("flesch", "gunning", "smog", "coleman", "ari", "dale", "linsear", "lix", "consensus", "words_per_sentence", "syllables")),
    ("Lexical diversity", ("ttr", "mattr", "mtld", "hdd")),
    ("Tone and loaded language", ("tone", "compound", "vader", "loaded", "subjectiv")),
    ("Sourcing", ("quote", "anonymous", "evaluative", "source", "verb", "speaker")),
    ("Frames", ("frame",)),
]


#: Chart group of each measure family of :data:`analysis.corpus_report.MEASURES`.
_FAMILY_GROUP = {"readability": "Readability", "diversity": "Lexical diversity", "tone": "Tone and loaded language",
                 "loaded": "Tone and loaded language", "sourcing": "Sourcing", "frames": "Frames"}


def measure_groups(measures: Iterable[str]) -> dict[str, list[str]]:
    """Measures grouped for the charts: readability, diversity, tone and loaded language,
    sourcing, frames, then "Other measures"; order of first appearance kept within a group.

    A measure's group is its ``family`` in :data:`analysis.corpus_report.MEASURES`; a name the
    registry does not know is placed by its prefix ("frame_…" with the frames).
    """
    from analysis.corpus_report.measures import MEASURES

    out: dict[str, list[str]] = {g: [] for g, _ in _GROUPS}
    out["Other measures"] = []
    for m in dict.fromkeys(map(str, measures)):
        spec = MEASURES.get(m)
        if spec is not None and spec.family in _FAMILY_GROUP:
            out[_FAMILY_GROUP[spec.family]].append(m)
            continue
        low = m.lower()
        group = next((g for g, prefixes in _GROUPS if any(low.startswith(p) for p in prefixes)), "Other measures")
        out[group].append(m)
    return {g: ms for g, ms in out.items() if ms}


def _measure_col(table: pd.DataFrame) -> str:
    for c in ("measure", "metric"):
        if c in table.columns:
            return c
    raise ParameterError(f"expected a `measure` column; table has {list(table.columns)}.")


def _label(measure: str) -> str:
    """A measure's reader's name and direction, from the corpus registry, else the figures' labels."""
    from analysis.corpus_report.measures import MEASURES
    from analysis.figures import METRICS

    spec = MEASURES.get(measure)
    if spec is not None:
        import textwrap

        label = spec.label[4:] if spec.label.startswith("the ") else spec.label
        how = spec.direction.split(";")[-1].strip()
        return textwrap.fill(f"{label[:1].upper()}{label[1:]}", 40) + f"\n{how}"
    label, how = METRICS.get(measure, (measure.replace("_", " ").capitalize(), ""))
    return f"{label}\n{how}" if how else label


def plot_measure_panels(
    outlets: pd.DataFrame,
    *,
    measures: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
    ncols: int = 2,
) -> Figure:
    """Dot and 95 % interval per outlet, one panel per measure (two-column width).

    Parameters
    ----------
    outlets : DataFrame
        ``outlets.csv``: ``outlet, measure, n_stories, estimate, ci_low, ci_high``.
    measures : sequence of str, optional
        Panels to draw (default: every measure, in table order).
    colors : mapping, optional
        ``{outlet: colour}`` (:func:`analysis.figures.outlet_colors`).

    Returns
    -------
    Figure
        Each panel as :func:`analysis.figures.plot_comparison`; the y labels give the number of
        stories behind each outlet's estimate (``n=``).
    """
    import matplotlib.pyplot as plt

    from analysis.figures import TWO_COLUMN, plot_comparison

    col = _measure_col(outlets)
    ms = list(dict.fromkeys(measures if measures is not None else outlets[col].astype(str)))
    if not ms:
        raise NotEnoughData("plot_measure_panels: no measure to draw.")
    n_out = outlets["outlet"].nunique()
    ncols = max(1, min(ncols, len(ms)))
    nrows = math.ceil(len(ms) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(TWO_COLUMN, nrows * (0.7 + 0.28 * n_out)), squeeze=False)
    for ax, m in zip(axes.ravel(), ms):
        t = outlets[outlets[col].astype(str) == m].rename(columns={col: "metric"})
        if "n_stories" in t.columns:
            t = t.assign(n_docs=t["n_stories"])
        plot_comparison(t, metric=m, ax=ax, colors=colors, title=_label(m))
        ax.set_xlabel("")
    for ax in axes.ravel()[len(ms):]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def plot_pairwise_panels(pairwise: pd.DataFrame, *, measures: Sequence[str] | None = None, ncols: int = 2) -> Figure:
    """Paired differences between outlets with 95 % intervals, one panel per measure.

    Parameters
    ----------
    pairwise : DataFrame
        ``pairwise.csv``: ``outlet_a, outlet_b, measure, n_stories, difference, ci_low, ci_high``.
    measures : sequence of str, optional
        Panels to draw (default: every measure).

    Returns
    -------
    Figure
        Each panel as :func:`analysis.figures.plot_pairwise` (first − second; dark = the
        interval excludes zero; dashed line = no difference), with each pair's corrected ``q``
        under its label (q < 0.05: a finding).
    """
    import matplotlib.pyplot as plt

    from analysis.figures import TWO_COLUMN, plot_pairwise

    col = _measure_col(pairwise)
    ms = list(dict.fromkeys(measures if measures is not None else pairwise[col].astype(str)))
    if not ms:
        raise NotEnoughData("plot_pairwise_panels: no measure to draw.")
    n_pairs = max(int(pairwise.groupby(col).size().max()), 1)
    ncols = max(1, min(ncols, len(ms)))
    nrows = math.ceil(len(ms) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(TWO_COLUMN, nrows * (0.9 + 0.34 * n_pairs)), squeeze=False)
    for ax, m in zip(axes.ravel(), ms):
        t = pairwise[pairwise[col].astype(str) == m].rename(columns={col: "metric"})
        plot_pairwise(t, metric=m, ax=ax)
        ax.set_title(_label(m), loc="left")
        ax.set_xlabel("first − second (95% CI)")
        if "q" in t.columns:
            _annotate_q(ax, t)
    for ax in axes.ravel()[len(ms):]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def _annotate_q(ax: Axes, table: pd.DataFrame) -> None:
    """Add each pair's corrected q to its row label (``q`` column of ``pairwise.csv``)."""
    q_of = {f"{a} − {b}": q for a, b, q in zip(table["outlet_a"].astype(str), table["outlet_b"].astype(str), table["q"])}
    labels = []
    for tick in ax.get_yticklabels():
        text = tick.get_text()
        q = q_of.get(text)
        if q is not None and pd.notna(q):
            text += f"\nq = {q:.2f}" if q >= 0.01 else "\nq < 0.01"
        labels.append(text)
    ax.set_yticks(ax.get_yticks(), labels)


def plot_story_coverage(table: pd.DataFrame, *, ax: Axes | None = None, colors: Mapping[str, str] | None = None, max_stories: int = 60) -> Axes:
    """Stories × outlets: a filled square where the outlet covered the story.

    Parameters
    ----------
    table : DataFrame
        :func:`story_coverage` output.
    max_stories : int, default 60
        Rows drawn at most (the first in table order); a note says how many were left out.

    Returns
    -------
    Axes
        One row per story (earliest at the top, labelled with its date or id), one column per
        outlet in its colour; the number in a square is the outlet's articles when more than one.
    """
    import matplotlib.pyplot as plt

    from analysis.figures import ONE_COLUMN, TWO_COLUMN, outlet_colors

    fixed = {"event_id", "title", "published", "n_outlets", "n_docs"}
    outlets = [c for c in table.columns if c not in fixed]
    if not len(table) or not outlets:
        raise NotEnoughData("plot_story_coverage: no stories to draw.")
    t = table.head(max_stories)
    cmap = dict(colors or outlet_colors(outlets))
    if ax is None:
        width = ONE_COLUMN if len(outlets) <= 4 else TWO_COLUMN
        _, ax = plt.subplots(figsize=(width, 0.8 + 0.16 * len(t)))
    for i, row in enumerate(t.itertuples(index=False)):
        values = dict(zip(t.columns, row))
        for j, o in enumerate(outlets):
            n = int(values[o])
            if n:
                ax.add_patch(plt.Rectangle((j - 0.4, i - 0.4), 0.8, 0.8, color=cmap.get(o, "#333333"), lw=0))
                if n > 1:
                    ax.text(j, i, str(n), ha="center", va="center", fontsize=6, color="white")
    labels = [(str(p) if p else str(e))[:24] for p, e in zip(t["published"], t["event_id"])]
    ax.set_xlim(-0.6, len(outlets) - 0.4)
    ax.set_ylim(len(t) - 0.4, -0.6)
    ax.set_xticks(range(len(outlets)), [str(o)[:18] for o in outlets], rotation=30, ha="right")
    ax.set_yticks(range(len(t)), labels, fontsize=6)
    ax.tick_params(length=0)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(f"Who covered which story ({len(table)} stories)", loc="left")
    if len(table) > len(t):
        ax.text(0.99, 0.01, f"showing {len(t)} of {len(table)} stories", transform=ax.transAxes, ha="right", va="bottom", fontsize=6)
    return ax


def plot_omission(table: pd.DataFrame, *, ax: Axes | None = None, colors: Mapping[str, str] | None = None) -> Axes:
    """Share of multi-outlet information units each outlet left out (dot + 95 % CI over stories).

    Parameters
    ----------
    table : DataFrame
        :func:`omission_by_outlet` output.

    Returns
    -------
    Axes
        As :func:`analysis.figures.plot_comparison`; higher = left out more of what other
        outlets reported.
    """
    from analysis.figures import plot_comparison

    t = table.assign(n_docs=table["n_stories"]) if "n_stories" in table.columns else table
    return plot_comparison(t, metric="share_left_out", ax=ax, colors=colors,
                           title="Share of multi-outlet facts left out\nhigher = left out more of what others reported")


# --------------------------------------------------------------------------------------------
# selection and the method card
# --------------------------------------------------------------------------------------------


def select_corpus(docs: pd.DataFrame, *, outlets: str | Iterable[str] = "", min_words: int = 0) -> pd.DataFrame:
    """The articles a corpus report compares: some outlets, a minimum length.

    Parameters
    ----------
    docs : DataFrame
        :func:`analysis.corpus.load_corpus` output (several stories).
    outlets : str or iterable of str
        Comma-separated outlet names (or a list); empty keeps all. Unknown names raise.
    min_words : int
        Drop articles with fewer words (:func:`analysis.text.words`).

    Returns
    -------
    DataFrame
        A new frame, sorted by ``event_id``, outlet, ``doc_id``: the same columns without
        ``raw_text`` (the file as read; the report compares the cleaned ``text``), and with
        empty ``attrs``. ``load_corpus`` lists every file it read in ``attrs["input_files"]``,
        and pandas deep-copies ``attrs`` into every frame derived from this one, so on a corpus
        of 10,000 articles each slice of a story would copy a list of 10,000 paths (the report
        hashes its inputs from the source itself).

    Raises
    ------
    ParameterError
        An outlet not in the corpus (the message lists the valid ones).
    NotEnoughData
        Fewer than two outlets left.
    """
    _check_docs(docs, "select_corpus", ("doc_id", "event_id", "outlet", "text"))
    items = outlets.split(",") if isinstance(outlets, str) else list(outlets or [])
    wanted = [str(o).strip() for o in items if str(o).strip()]
    have = sorted(map(str, docs["outlet"].unique()))
    unknown = [o for o in wanted if o not in have]
    if unknown:
        raise ParameterError(f"outlets {unknown} are not in the corpus; valid outlets: {have}.")
    out = docs[docs["outlet"].astype(str).isin(wanted)] if wanted else docs
    if min_words:
        out = out[np.asarray(_n_words(out["text"])) >= min_words]
    if out["outlet"].nunique() < 2:
        raise NotEnoughData(f"the corpus has {out['outlet'].nunique()} outlet(s) after filtering (min_words={min_words}); a comparison needs at least two.")
    out = out.drop(columns=["raw_text"], errors="ignore").sort_values(["event_id", "outlet", "doc_id"], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs = {}
    return out


def corpus_method_card(params: Mapping[str, Any] | None = None) -> dict[str, str]:
    """What the corpus report adds to :func:`analysis.report.method_card`: how its numbers were made.

    Returns
    -------
    dict
        ``{item: description}`` with keys ``unit_of_comparison``, ``confidence_intervals``,
        ``paired_differences``, ``findings``, ``keyness``, ``actors``, ``reuse``, ``omission``.
    """
    from analysis.corpus_report.stats import CORRECTIONS

    p = dict(params or {})
    corr = str(p.get("correction", "holm"))
    return {
        "unit_of_comparison": "the story (event_id): each outlet's articles on a story are pooled word-weighted into one value per measure",
        "confidence_intervals": (f"percentile bootstrap over stories (clusters), {p.get('n_boot', 'n_boot')} replicates, seed {p.get('seed', 0)}; "
                                 "an outlet's estimate is its mean over the stories it covered"),
        "paired_differences": "every pair of outlets, mean of the within-story differences over the stories both covered; two-sided sign-flip permutation p",
        "findings": f"a difference is reported when its corrected q < 0.05 and its 95 % interval excludes zero; correction: {CORRECTIONS.get(corr, corr)}",
        "keyness": ("weighted log-odds with the pooled informative Dirichlet prior (Monroe et al. 2008), each outlet vs the rest, on counts summed per story "
                    "and outlet; house-style variants merged (case, possessive, hyphen, abbreviation dots), honorifics and outlet names dropped; "
                    "Benjamini-Hochberg q per outlet; stability = share of story-level bootstrap resamples keeping the sign with |z| > 1.96"),
        "actors": "each story's actors (the actors file, else the corpus folder's actors.yaml, else discovered per story), same name = same actor across stories",
        "reuse": ("shared passages within each story (8-word exact runs and paraphrased sentences, analysis.reuse.shared_passages); oriented by wire_source, "
                  "then published; passages inside quotation marks in both articles counted as the same quotation, not copying"),
        "omission": "information units per story (analysis.reuse.coverage, threshold 0.25); share of units reported by 2+ outlets that an outlet left out; stories with 3+ outlets",
    }


# --------------------------------------------------------------------------------------------
# small views of the statistics tables
# --------------------------------------------------------------------------------------------


def no_findings_line(pairwise: pd.DataFrame, *, alpha: float = 0.05) -> str:
    """The line shown when no difference is a finding: how many were tested, under which correction.

    Parameters
    ----------
    pairwise : DataFrame
        :func:`analysis.corpus_report.paired_differences` output (``q``; ``attrs["correction"]``).

    Returns
    -------
    str
        E.g. "No difference passes the correction for multiple comparisons (Holm (1979)
        step-down, family-wise error rate) at q < 0.05: 69 comparisons (pairs of outlets ×
        measures) were tested. The closest is quotations between Fox News and the New York Times
        (q = 0.23)." (readers' names from :data:`analysis.corpus_report.MEASURES` and
        :func:`analysis.corpus_report.outlet_name`).
    """
    from analysis.corpus_report.stats import CORRECTIONS

    corr = str(pairwise.attrs.get("correction", "holm")) if isinstance(pairwise, pd.DataFrame) else "holm"
    name = CORRECTIONS.get(corr, corr)
    q = pd.to_numeric(pairwise["q"], errors="coerce") if isinstance(pairwise, pd.DataFrame) and "q" in pairwise else pd.Series(dtype=float)
    n = int(q.notna().sum())
    line = (f"No difference passes the correction for multiple comparisons ({name}) at q < {alpha:g}: "
            f"{n} comparisons (pairs of outlets × measures) were tested.")
    if n and {"measure", "outlet_a", "outlet_b"} <= set(pairwise.columns):
        from analysis.corpus_report.findings import outlet_name
        from analysis.corpus_report.measures import MEASURES

        best = pairwise.loc[q.idxmin()]
        spec = MEASURES.get(str(best["measure"]))
        what = spec.label if spec is not None else str(best["measure"])
        line += (f" The closest is {what} between {outlet_name(best['outlet_a'])} and {outlet_name(best['outlet_b'])} "
                 f"(q = {float(best['q']):.2f}).")
    return line


def group_tables(outlets: pd.DataFrame, pairwise: pd.DataFrame, *groups: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of ``outlets.csv`` and ``pairwise.csv`` whose measures belong to ``groups``
    (names of :func:`measure_groups`: "Readability", "Frames", …).

    Returns
    -------
    (DataFrame, DataFrame)
        New frames with the same columns, rows of the group's measures only, in group order.
    """
    found = measure_groups(outlets["measure"].astype(str))
    wanted = [m for g in groups for m in found.get(g, [])]
    est = outlets[outlets["measure"].isin(wanted)]
    pairs = pairwise[pairwise["measure"].isin(wanted)]
    order = {m: i for i, m in enumerate(wanted)}
    est = est.sort_values("measure", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    pairs = pairs.sort_values("measure", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    return est, pairs


def top_measures(pairwise: pd.DataFrame, *, n: int = 6) -> list[str]:
    """The ``n`` measures with the strongest paired difference (largest |difference| / interval
    width of any pair), in that order; measures without an interval come last."""
    t = pairwise.assign(_s=(pd.to_numeric(pairwise["difference"], errors="coerce").abs()
                            / (pd.to_numeric(pairwise["ci_high"], errors="coerce") - pd.to_numeric(pairwise["ci_low"], errors="coerce")).replace(0, np.nan)))
    best = t.groupby("measure", sort=False)["_s"].max().fillna(-1.0).sort_values(ascending=False, kind="stable")
    return list(best.index[:n])


def distinctive_terms(table: pd.DataFrame, *, n_terms: int = 6, alpha: float = 0.05) -> pd.DataFrame:
    """The words that set each outlet apart: q < ``alpha``, over-used (z > 0), most stable first.

    Parameters
    ----------
    table : DataFrame
        :func:`corpus_keyness` output.

    Returns
    -------
    DataFrame
        Up to ``n_terms`` rows per outlet: ``outlet, term, n_target, n_reference, n_stories,
        z, q, stability``, sorted by outlet, then z descending.
    """
    t = table[(table["q"] < alpha) & (table["z"] > 0)]
    t = t.sort_values(["outlet", "z"], ascending=[True, False], kind="stable").groupby("outlet", sort=False).head(n_terms)
    return t[["outlet", "term", "n_target", "n_reference", "n_stories", "z", "q", "stability"]].reset_index(drop=True)


def keyness_note(table: pd.DataFrame) -> str:
    """One line on a :func:`corpus_keyness` table: stories, significant words, merged spellings."""
    n_sig = int((table["q"] < 0.05).sum())
    variants = table.attrs.get("variants", {})
    return (f"{table.attrs.get('n_stories', '?')} stories; {n_sig} of {len(table)} outlet-word comparisons have q < 0.05; "
            f"{len(variants)} words had several spellings merged; stability from {table.attrs.get('n_boot', 0)} story-level resamples.")


def reuse_summary(pairs: pd.DataFrame) -> pd.DataFrame:
    """:func:`outlet_reuse`'s ``pairs`` for a page: the columns a reader needs, under short names
    (the CSV keeps every column under its own name).

    Returns
    -------
    DataFrame
        ``outlet_a, outlet_b``, ``stories`` (both covered), ``shared`` (stories with shared
        wording), ``share`` (0-1), ``passages``, ``quotations`` (same quotation, not copying),
        ``a_first``, ``b_first``, ``unclear`` (passages not oriented).
    """
    names = {"n_stories_both": "stories", "n_stories_shared": "shared", "share_of_stories": "share",
             "n_passages": "passages", "n_quotations": "quotations", "undetermined": "unclear"}
    cols = ["outlet_a", "outlet_b", "n_stories_both", "n_stories_shared", "share_of_stories", "n_passages",
            "n_quotations", "a_first", "b_first", "undetermined"]
    return pairs[cols].rename(columns=names).reset_index(drop=True)


def longest_passages(passages: pd.DataFrame, *, n: int = 10) -> pd.DataFrame:
    """The ``n`` longest shared passages that are not the same quotation, for display.

    Returns
    -------
    DataFrame
        ``event_id, outlet_a, outlet_b, kind, n_words, first_outlet, basis, text_a``.
    """
    t = passages[~passages["quotation"].astype(bool)] if "quotation" in passages.columns else passages
    t = t.sort_values("n_words", ascending=False, kind="stable").head(n)
    return t[["event_id", "outlet_a", "outlet_b", "kind", "n_words", "first_outlet", "basis", "text_a"]].reset_index(drop=True)
