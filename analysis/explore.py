"""Exploration of one story in JupyterLab: a number per outlet, and the sentences behind it.

Everything here is a pure function of the docs table (DataFrames and HTML strings out), so it
is tested without a browser; :class:`Explorer` only wires those functions to ipywidgets for
``notebooks/explore.ipynb``.

- :data:`MEASURES` names the measures a researcher can pick: ``readability``, ``lexical``,
  ``tone``, ``loaded``, ``quotes``, ``labels``, ``claims``, ``frames``, ``reuse``.
- :func:`sentence_table` is the story's sentences with their word counts (the denominator of
  every rate); :func:`measure_evidence` the rows behind one measure (one row per sentence,
  quote, label, number or frame hit, always with ``doc_id, outlet, sent_id, sentence`` and a
  ``value``); :func:`outlet_summary` one estimate per outlet with a seeded percentile
  bootstrap interval over sentences.
- :func:`show_sentences` filters an evidence table (or any row-level framing table) to the
  rows behind a number; :func:`sentences_html` shows them with the counted words marked.
- :func:`side_by_side` sets two articles next to each other with their shared passages
  (:func:`analysis.reuse.shared_passages`) highlighted.
- :func:`plot_measure` draws a summary (dot and interval per outlet) on a given Axes.

Article text is hostile input: every HTML string built here escapes it
(:func:`html.escape`); only the kit's own tags and inline styles are written unescaped.
"""

from __future__ import annotations

import html
import io
import logging
import re
import textwrap
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from analysis import text as textmod
from analysis.errors import KitError, NotEnoughData, ParameterError
from analysis.stats import bootstrap_indices

log = logging.getLogger(__name__)

KEY = ["doc_id", "outlet", "sent_id", "sentence"]


@dataclass(frozen=True)
class Measure:
    """What one measure of the explorer counts and how its outlet estimate is formed.

    Attributes
    ----------
    key : str
        Name used by :func:`measure_evidence` (``"loaded"``).
    label : str
        Human name shown in the measure picker.
    metric : str
        The ``metric`` value of :func:`outlet_summary` rows (unit in the name).
    axis : str
        Axis label of :func:`plot_measure`, with the direction of the score.
    kind : str
        ``"rate"`` (``scale`` × summed ``value`` / summed words), ``"mean"`` (mean ``value``
        over sentences) or ``"fk"`` (Flesch-Kincaid grade from summed counts).
    scale : float
        Multiplier of a rate (100 or 1000).
    highlight : tuple of str
        Evidence columns whose words :func:`sentences_html` marks in the sentence.
    behind : str
        ``"nonzero"``: the rows behind the number are those with ``value`` ≠ 0;
        ``"all"``: every row (every sentence counts, e.g. readability).
    ascending : bool
        Order of the rows behind the number by ``value`` (False = largest first).
    item : str
        What one row behind the number is (``"quote"``), for labels such as "AP (11 quotes)".
    """

    key: str
    label: str
    metric: str
    axis: str
    kind: str
    scale: float = 1.0
    highlight: tuple[str, ...] = ()
    behind: str = "nonzero"
    ascending: bool = False
    item: str = "sentence"


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure("readability", "Readability (Flesch-Kincaid grade)", "flesch_kincaid_grade",
                "Flesch-Kincaid grade (higher = harder to read)", "fk", behind="all"),
        Measure("lexical", "Lexical: words only this outlet uses", "own_words_per_100_words",
                "Words no other outlet of the story uses, per 100 words", "rate", 100.0, ("own_words",)),
        Measure("tone", "Tone (VADER compound)", "compound",
                "Mean VADER compound per sentence (−1 negative … +1 positive)", "mean", behind="all", ascending=True),
        Measure("loaded", "Loaded language", "loaded_per_100_words",
                "Loaded words outside quotes per 100 words (higher = more loaded)", "rate", 100.0, ("loaded_words",)),
        Measure("quotes", "Quotes and sources", "quotes_per_1k_words",
                "Quotes per 1,000 words (higher = more quoted)", "rate", 1000.0, ("quote",), item="quote"),
        Measure("labels", "Actor labels", "labels_per_1k_words",
                "Actor labels per 1,000 words", "rate", 1000.0, ("label", "mention"), item="label"),
        Measure("claims", "Claims: numbers other than dates", "numbers_per_1k_words",
                "Numbers other than dates per 1,000 words", "rate", 1000.0, ("number_text",), item="number"),
        Measure("frames", "Policy frames (Boydstun)", "frame_hits_per_1k_words",
                "Frame-dictionary hits per 1,000 words", "rate", 1000.0, ("matched",), item="hit"),
        Measure("reuse", "Reuse: words shared with another outlet", "shared_per_100_words",
                "Words in passages shared with another article, per 100 words", "rate", 100.0, ("shared_words",)),
    )
}


def _measure(measure: str) -> Measure:
    if measure not in MEASURES:
        raise ParameterError(f"measure={measure!r} is not known; choose one of {sorted(MEASURES)}.")
    return MEASURES[measure]


def _check_docs(docs: pd.DataFrame, func: str) -> None:
    if not isinstance(docs, pd.DataFrame):
        raise ParameterError(f"{func}: docs must be the DataFrame from analysis.corpus.load_corpus, got {type(docs).__name__}.")
    missing = [c for c in ("doc_id", "outlet", "text") if c not in docs.columns]
    if missing:
        raise ParameterError(f"{func}: the docs table lacks the column(s) {missing}; pass analysis.corpus.load_corpus output.")


# --------------------------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------------------------


def sentence_table(docs: pd.DataFrame) -> pd.DataFrame:
    """Every sentence of the story with its position and word count.

    Parameters
    ----------
    docs : DataFrame
        The docs table (``doc_id, outlet, text``), e.g. :func:`analysis.report.select_docs`.

    Returns
    -------
    DataFrame
        One row per sentence (:func:`analysis.text.sentence_spans`, the kit's segmenter):
        ``doc_id, outlet, sent_id`` (0-based index into ``analysis.text.sentences(text)``,
        the same ``sent_id`` as every framing table), ``sentence``, ``start, end``
        (character offsets into ``text``), ``n_words`` (:func:`analysis.text.words`).
    """
    _check_docs(docs, "sentence_table")
    rows: list[tuple] = []
    for doc_id, outlet, body in zip(docs["doc_id"].astype(str), docs["outlet"].astype(str), docs["text"]):
        body = "" if pd.isna(body) else str(body)
        for i, (s, e) in enumerate(textmod.sentence_spans(body)):
            piece = body[s:e]
            rows.append((doc_id, outlet, i, piece, s, e, len(textmod.words(piece))))
    return pd.DataFrame(rows, columns=KEY + ["start", "end", "n_words"]).astype({"sent_id": "int64", "n_words": "int64"})


def _own_words(sents: pd.DataFrame) -> pd.DataFrame:
    """Sentences with the content words that no other outlet of the story uses."""

    def vocab(piece: str) -> list[str]:
        out = []
        for w in textmod.words(piece):
            k = w.lower().replace("\u2019", "'")
            if k in textmod.STOP_WORDS or not any(ch.isalpha() for ch in k) or len(k) < 2:
                continue
            out.append(k)
        return out

    words_of = [vocab(s) for s in sents["sentence"]]
    by_outlet: dict[str, set[str]] = {}
    for outlet, ws in zip(sents["outlet"], words_of):
        by_outlet.setdefault(outlet, set()).update(ws)
    seen_in: dict[str, set[str]] = {}
    for outlet, ws in by_outlet.items():
        for w in ws:
            seen_in.setdefault(w, set()).add(outlet)
    own, n_own = [], []
    for ws in words_of:
        mine = [w for w in ws if len(seen_in[w]) == 1]
        n_own.append(len(mine))
        own.append("; ".join(dict.fromkeys(mine)))
    out = sents[KEY + ["n_words"]].copy()
    out["own_words"] = own
    out["value"] = np.asarray(n_own, dtype=float)
    return out


def _shared_words(docs: pd.DataFrame, sents: pd.DataFrame, passages: pd.DataFrame | None) -> pd.DataFrame:
    """Sentences with the words that lie in a passage shared with another article."""
    from analysis.reuse import shared_passages

    if passages is None:
        passages = shared_passages(docs)
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for r in passages.itertuples(index=False):
        spans.setdefault(str(r.doc_a), []).append((int(r.start_a), int(r.end_a), str(r.outlet_b)))
        spans.setdefault(str(r.doc_b), []).append((int(r.start_b), int(r.end_b), str(r.outlet_a)))
    texts = dict(zip(docs["doc_id"].astype(str), docs["text"].map(lambda t: "" if pd.isna(t) else str(t))))
    n_shared, shared, partners = [], [], []
    for r in sents.itertuples(index=False):
        doc_spans = spans.get(r.doc_id, [])
        body = texts[r.doc_id]
        runs: list[list[tuple[int, int]]] = []
        who: set[str] = set()
        count, prev_hit = 0, False
        for ws, we in textmod.word_spans(body[r.start:r.end]):
            a, b = r.start + ws, r.start + we
            hit = [o for s, e, o in doc_spans if s <= a < e]
            if hit:
                count += 1
                who.update(hit)
                if prev_hit:
                    runs[-1].append((a, b))
                else:
                    runs.append([(a, b)])
            prev_hit = bool(hit)
        n_shared.append(count)
        shared.append("; ".join(body[run[0][0]:run[-1][1]] for run in runs))
        partners.append("; ".join(sorted(who)))
    out = sents[KEY + ["n_words"]].copy()
    out["shared_words"] = shared
    out["shared_with"] = partners
    out["value"] = np.asarray(n_shared, dtype=float)
    return out



def measure_evidence(
    docs: pd.DataFrame,
    measure: str,
    *,
    sentences: pd.DataFrame | None = None,
    passages: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The rows behind one measure of :data:`MEASURES`, ready for :func:`show_sentences`.

    Parameters
    ----------
    docs : DataFrame
        The docs table of one story (:func:`analysis.report.select_docs`).
    measure : str
        A key of :data:`MEASURES`.
    sentences : DataFrame, optional
        :func:`sentence_table` of ``docs`` when already computed.
    passages : DataFrame, optional
        :func:`analysis.reuse.shared_passages` of ``docs`` (``reuse`` only).

    Returns
    -------
    DataFrame
        ``doc_id, outlet, sent_id, sentence``, then the source table's own columns, then
        ``value`` (float), the quantity :func:`outlet_summary` adds up. Only body sentences:
        headline rows of the framing tables (``sent_id`` −1) are left out, as every rate is
        per word of the body.

        - ``readability``: one row per sentence of :func:`analysis.readability.readability_sentences`;
          ``value`` = the sentence's Flesch-Kincaid grade (higher = harder), with its
          ``n_words, n_syllables``.
        - ``lexical``: one row per sentence; ``own_words`` (content words, stop words and
          numbers excluded, that no other outlet of the story uses; "; "-separated),
          ``value`` = how many of the sentence's words are such words.
        - ``tone``: :func:`analysis.framing.tone` rows (no actor column filled);
          ``value`` = VADER compound (−1 … +1).
        - ``loaded``: :func:`analysis.framing.loaded_language` rows; ``value`` = ``score``
          (loaded words outside quotation marks).
        - ``quotes``: :func:`analysis.framing.quotes` rows; ``value`` = 1 per quote.
        - ``labels``: :func:`analysis.framing.actor_labels` rows (the story's discovered
          actors); ``value`` = 1 per label.
        - ``claims``: :func:`analysis.framing.claims` rows except dates; ``value`` = 1 per number.
        - ``frames``: :func:`analysis.framing.frame_hits` rows; ``value`` = 1 per hit.
        - ``reuse``: one row per sentence; ``shared_words`` (runs of the sentence's words
          inside a passage shared with another article), ``shared_with`` (those articles'
          outlets), ``value`` = number of shared words.
    """
    _check_docs(docs, "measure_evidence")
    m = _measure(measure)
    if sentences is None:
        sentences = sentence_table(docs)
    if m.key == "readability":
        from analysis.readability import readability_sentences

        t = readability_sentences(docs)
        out = t[KEY + ["n_words", "n_syllables"]].copy()
        out["value"] = t["flesch_kincaid_grade"].astype(float).to_numpy()
    elif m.key == "lexical":
        out = _own_words(sentences)
    elif m.key == "reuse":
        out = _shared_words(docs, sentences, passages)
    elif m.key == "tone":
        from analysis.framing import tone

        t = tone(docs, actors={})  # no actor column: the explorer shows the sentences, not actors
        out = t[KEY + ["pos", "neu", "neg"]].copy()
        out["value"] = t["compound"].astype(float).to_numpy()
    elif m.key == "loaded":
        from analysis.framing import loaded_language

        t = loaded_language(docs)
        out = t[KEY + ["n_loaded", "loaded_words", "n_words"]].copy()
        out["value"] = t["score"].astype(float).to_numpy()
    else:
        from analysis import framing

        if m.key == "quotes":
            t = framing.quotes(docs)
            cols = ["kind", "quote", "speaker", "source_type", "reporting_verb", "verb_class"]
        elif m.key == "labels":
            t = framing.actor_labels(docs)
            cols = ["actor", "label", "label_kind", "mention", "in_quote", "evaluative"]
        elif m.key == "claims":
            t = framing.claims(docs)
            t = t[t["category"].astype(str) != "date"]
            cols = ["number_text", "counted", "category", "verb", "voice", "agent", "attribution"]
        else:
            t = framing.frame_hits(docs)
            cols = ["part", "frame", "term", "matched"]
        out = t[KEY + [c for c in cols if c in t.columns]].copy()
        out["value"] = 1.0
    out["doc_id"] = out["doc_id"].astype(str)
    out["outlet"] = out["outlet"].astype(str)
    out = out[out["sent_id"].astype(int) >= 0]  # headline rows (sent_id -1): rates are per body word
    out = out.sort_values(["outlet", "doc_id", "sent_id"], kind="stable").reset_index(drop=True)
    out.attrs["measure"] = m.key
    return out


def _per_sentence(evidence: pd.DataFrame, m: Measure, sentences: pd.DataFrame) -> pd.DataFrame:
    """Columns summed by the bootstrap, one row per sentence of the story."""
    base = sentences[["doc_id", "outlet", "sent_id", "n_words"]].copy()
    if m.kind == "fk":
        per = evidence.groupby(["doc_id", "sent_id"], sort=False)[["n_words", "n_syllables"]].sum()
        per = per.rename(columns={"n_words": "w", "n_syllables": "syl"})
        base = base.join(per, on=["doc_id", "sent_id"])
        base["w"] = base["w"].fillna(0.0)
        base["syl"] = base["syl"].fillna(0.0)
        base["den"] = 1.0  # sentences
        return base
    num = evidence.groupby(["doc_id", "sent_id"], sort=False)["value"].sum()
    base = base.join(num.rename("num"), on=["doc_id", "sent_id"])
    base["num"] = base["num"].fillna(0.0)
    if m.kind == "mean":
        base["den"] = 1.0
    elif m.key == "loaded":  # loaded_language's own denominator: words outside quotation marks
        den = evidence.groupby(["doc_id", "sent_id"], sort=False)["n_words"].sum()
        base = base.join(den.rename("den"), on=["doc_id", "sent_id"])
        base["den"] = base["den"].fillna(0.0)
    else:
        base["den"] = base["n_words"].astype(float)
    return base


def _statistic(m: Measure, sums: np.ndarray) -> np.ndarray:
    """The estimate from column sums (last axis: num/w, den/syl …)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if m.kind == "fk":
            w, syl, s = sums[..., 0], sums[..., 1], sums[..., 2]
            from analysis.readability import flesch_kincaid_grade_from_counts

            return np.where((w > 0) & (s > 0), flesch_kincaid_grade_from_counts(w, s, syl), np.nan)
        num, den = sums[..., 0], sums[..., 1]
        return np.where(den > 0, m.scale * num / den, np.nan)


def outlet_summary(
    evidence: pd.DataFrame,
    measure: str,
    *,
    sentences: pd.DataFrame,
    outlets: Sequence[str] | None = None,
    n_boot: int = 500,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """One estimate per outlet with a percentile bootstrap interval over its sentences.

    Every estimate is a function of sums over sentences (rates from summed counts, the
    Flesch-Kincaid grade from summed words, syllables and sentences), recomputed from the sums
    of each resample of the outlet's sentences (Efron & Tibshirani 1993, percentile method).
    Sentences of one article are not independent, so with one article per outlet the interval
    shows the spread within that article, not between articles.

    Parameters
    ----------
    evidence : DataFrame
        :func:`measure_evidence` for ``measure``.
    measure : str
        A key of :data:`MEASURES`.
    sentences : DataFrame
        :func:`sentence_table` of the same docs (sentences without evidence count as zero).
    outlets : sequence of str, optional
        Keep these outlets (in this order); None keeps all.
    n_boot : int
        Bootstrap resamples (0 = no interval).
    ci : float
        Coverage of the interval.
    seed : int
        Seed of the resampling.

    Returns
    -------
    DataFrame
        One row per outlet: ``outlet, metric`` (:attr:`Measure.metric`, unit in the name),
        ``n_docs, n_sentences, n_words``, ``n_items`` (rows behind the number:
        :func:`show_sentences` with the measure's default filter), ``estimate, ci_low,
        ci_high`` (the metric's unit and direction: :attr:`Measure.axis`).
    """
    m = _measure(measure)
    if n_boot < 0:
        raise ParameterError(f"n_boot={n_boot!r} must be 0 or more.")
    if not 0 < ci < 1:
        raise ParameterError(f"ci={ci!r} must lie between 0 and 1, e.g. 0.95.")
    per = _per_sentence(evidence, m, sentences)
    cols = ["w", "syl", "den"] if m.kind == "fk" else ["num", "den"]
    names = list(dict.fromkeys(map(str, outlets))) if outlets is not None else sorted(per["outlet"].unique())
    unknown = [o for o in names if o not in set(per["outlet"])]
    if unknown:
        raise ParameterError(f"outlets {unknown} have no sentences in this story; valid outlets: {sorted(per['outlet'].unique())}.")
    behind = evidence if m.behind == "all" else evidence[evidence["value"] != 0]
    n_items = behind.groupby("outlet").size()
    rows = []
    alpha = (1 - ci) / 2
    for k, outlet in enumerate(names):
        g = per[per["outlet"] == outlet]
        arr = g[cols].to_numpy(dtype=float)
        est = float(_statistic(m, arr.sum(axis=0)))
        lo = hi = float("nan")
        if n_boot and len(arr) > 1 and np.isfinite(est):
            idx = bootstrap_indices(len(arr), n_boot, seed=seed + k)
            boot = _statistic(m, arr[idx].sum(axis=1))
            lo, hi = (float(x) for x in np.nanquantile(boot, [alpha, 1 - alpha]))
        elif np.isfinite(est):
            lo = hi = est
        rows.append({
            "outlet": outlet, "metric": m.metric, "n_docs": int(g["doc_id"].nunique()), "n_sentences": int(len(g)),
            "n_words": int(g["n_words"].sum()), "n_items": int(n_items.get(outlet, 0)),
            "estimate": est, "ci_low": lo, "ci_high": hi,
        })
    return pd.DataFrame(rows, columns=["outlet", "metric", "n_docs", "n_sentences", "n_words", "n_items",
                                       "estimate", "ci_low", "ci_high"])


def show_sentences(
    table: pd.DataFrame,
    *,
    outlet: str | Iterable[str] | None = None,
    doc_id: str | Iterable[str] | None = None,
    where: Mapping[str, Any] | None = None,
    nonzero: str | None = None,
    sort: str | None = None,
    ascending: bool = False,
    limit: int | None = 50,
) -> pd.DataFrame:
    """The rows behind a number: the sentences (quotes, labels, hits) of an outlet or article.

    Works on any row-level table with ``doc_id, outlet, sent_id, sentence`` (a
    :func:`measure_evidence` table, or a framing table such as
    :func:`analysis.framing.quotes`). ``show_sentences(loaded, outlet="AP", nonzero="n_loaded")``
    is the loaded sentences of AP; ``show_sentences(quotes(docs), outlet="AP",
    where={"source_type": "anonymous"})`` the quotes behind AP's count of anonymous sources.

    Parameters
    ----------
    table : DataFrame
        The row-level table; not modified.
    outlet, doc_id : str or iterable of str, optional
        Keep these outlets / articles.
    where : mapping, optional
        ``{column: value}`` (equality) or ``{column: [values]}`` (membership) filters.
    nonzero : str, optional
        Keep rows where this numeric column is not 0 (nor missing).
    sort : str, optional
        Order by this column (ties keep the article and sentence order); default: article
        then sentence order.
    ascending : bool
        Direction of ``sort``.
    limit : int or None
        At most this many rows; None = all.

    Returns
    -------
    DataFrame
        The kept rows, all columns of ``table`` (``doc_id, outlet, sent_id, sentence``
        first), new 0-based index.

    Raises
    ------
    ParameterError
        A missing key column, an unknown filter/sort column, an outlet or article not in the
        table, or a negative ``limit``.
    """
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"show_sentences: table must be a DataFrame, got {type(table).__name__}.")
    missing = [c for c in KEY if c not in table.columns]
    if missing:
        raise ParameterError(f"show_sentences: the table lacks {missing}; pass a row-level table (doc_id, outlet, sent_id, sentence).")
    if limit is not None and limit < 0:
        raise ParameterError(f"show_sentences: limit={limit!r} must be 0 or more (None = all rows).")
    mask = pd.Series(True, index=table.index)
    for col, val in (("outlet", outlet), ("doc_id", doc_id)):
        if val is None:
            continue
        wanted = [val] if isinstance(val, str) else [str(v) for v in val]
        have = set(table[col].astype(str))
        unknown = [v for v in wanted if v not in have]
        if unknown and not table.empty:
            raise ParameterError(f"show_sentences: {col} {unknown} not in the table; valid: {sorted(have)[:20]}.")
        mask &= table[col].astype(str).isin(wanted)
    for col, val in (where or {}).items():
        if col not in table.columns:
            raise ParameterError(f"show_sentences: where names the column {col!r}, which the table lacks; columns: {list(table.columns)}.")
        if isinstance(val, (list, tuple, set, frozenset)):
            mask &= table[col].isin(list(val))
        else:
            mask &= table[col] == val
    if nonzero is not None:
        if nonzero not in table.columns:
            raise ParameterError(f"show_sentences: nonzero={nonzero!r} is not a column of the table.")
        vals = pd.to_numeric(table[nonzero], errors="coerce")
        mask &= vals.notna() & (vals != 0)
    out = table[mask]
    if sort is not None:
        if sort not in table.columns:
            raise ParameterError(f"show_sentences: sort={sort!r} is not a column of the table.")
        out = out.sort_values(sort, ascending=ascending, kind="stable")
    if limit is not None:
        out = out.head(limit)
    first = [c for c in KEY]
    return out[first + [c for c in out.columns if c not in first]].reset_index(drop=True)


def behind(evidence: pd.DataFrame, measure: str, *, outlet: str | Iterable[str] | None = None,
           limit: int | None = 50) -> pd.DataFrame:
    """:func:`show_sentences` with the measure's own filter and order (:class:`Measure`).

    Returns
    -------
    DataFrame
        As :func:`show_sentences`: the rows with ``value`` ≠ 0 for counted measures (all
        sentences for readability and tone), largest ``value`` first (most negative first for
        tone).
    """
    m = _measure(measure)
    return show_sentences(evidence, outlet=outlet, nonzero="value" if m.behind == "nonzero" else None,
                          sort="value" if m.behind == "all" else None, ascending=m.ascending, limit=limit)


# --------------------------------------------------------------------------------------------
# HTML (escaped)
# --------------------------------------------------------------------------------------------

_MARK_STYLE = {
    "item": "background:#ffe08a;padding:0 1px;border-radius:2px",
    "exact": "background:#ffd166;padding:0 1px;border-radius:2px",
    "paraphrase": "background:#b9d8ff;padding:0 1px;border-radius:2px",
    "other": "background:#d9d9d9;padding:0 1px;border-radius:2px",
}
_PRIORITY = {"exact": 3, "item": 3, "paraphrase": 2, "other": 1}


def _marked(body: str, marks: Sequence[tuple[int, int, str, str]]) -> str:
    """``body`` escaped, with ``<mark>`` around each ``(start, end, kind, title)`` span.

    Overlapping spans are cut at every boundary; each piece takes the kind of highest priority
    (exact over paraphrase over other) and the titles of all spans covering it.
    """
    marks = [(max(0, s), min(len(body), e), k, t) for s, e, k, t in marks if e > s and s < len(body) and e > 0]
    if not marks:
        return html.escape(body)
    cuts = sorted({0, len(body), *(s for s, _, _, _ in marks), *(e for _, e, _, _ in marks)})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        piece = html.escape(body[a:b])
        cover = [(k, t) for s, e, k, t in marks if s <= a and b <= e]
        if not cover:
            out.append(piece)
            continue
        kind = max((k for k, _ in cover), key=lambda k: _PRIORITY.get(k, 0))
        titles = "; ".join(dict.fromkeys(t for _, t in cover if t))
        style = _MARK_STYLE.get(kind, _MARK_STYLE["other"])
        out.append(f'<mark class="kit-{html.escape(kind, quote=True)}" style="{style}" title="{html.escape(titles, quote=True)}">{piece}</mark>')
    return "".join(out)


def _find_all(body: str, needle: str) -> list[tuple[int, int]]:
    needle = needle.strip().strip('"\u201c\u201d\'\u2018\u2019').strip()
    if len(needle) < 2:
        return []
    low, n = body.lower(), needle.lower()
    spans, i = [], low.find(n)
    while i >= 0:
        spans.append((i, i + len(n)))
        i = low.find(n, i + len(n))
    return spans


def sentences_html(rows: pd.DataFrame, *, highlight: Sequence[str] | None = None, measure: str | None = None,
                   columns: Sequence[str] = (), max_rows: int = 200) -> str:
    """An HTML table of sentences with the counted words marked; all text escaped.

    Parameters
    ----------
    rows : DataFrame
        :func:`show_sentences` output (``doc_id, outlet, sent_id, sentence``).
    highlight : sequence of str, optional
        Columns whose values ("; "-separated pieces) are marked in the sentence (case
        ignored); default: the measure's :attr:`Measure.highlight`.
    measure : str, optional
        A key of :data:`MEASURES` (for the default ``highlight``).
    columns : sequence of str
        Extra columns shown after the sentence (e.g. ``"speaker"``, ``"value"``).
    max_rows : int
        At most this many rows (a note says how many were left out).

    Returns
    -------
    str
        ``<table class="kit-sentences">``: outlet, article, sentence number, the sentence with
        ``<mark>`` spans, then ``columns``. Empty input gives a one-line note instead.
    """
    if highlight is None:
        highlight = _measure(measure).highlight if measure else ()
    highlight = [c for c in highlight if c in rows.columns]
    columns = [c for c in columns if c in rows.columns]
    if rows.empty:
        return '<p class="kit-sentences-empty"><em>No sentences behind this number.</em></p>'
    head = "".join(f"<th style='text-align:left;padding:2px 6px'>{html.escape(str(c))}</th>"
                   for c in ["outlet", "article", "sentence no.", "sentence", *columns])
    body: list[str] = []
    for r in rows.head(max_rows).itertuples(index=False):
        rec = r._asdict()
        sentence = "" if pd.isna(rec["sentence"]) else str(rec["sentence"])
        marks = []
        for col in highlight:
            val = rec.get(col)
            if val is None or (not isinstance(val, str) and pd.isna(val)):
                continue
            for piece in str(val).split("; "):
                marks += [(s, e, "item", col) for s, e in _find_all(sentence, piece)]
        extra = "".join(f"<td style='text-align:left;padding:2px 6px;vertical-align:top'>{html.escape(_fmt(rec[c]))}</td>" for c in columns)
        body.append(
            "<tr>"
            f"<td style='text-align:left;padding:2px 6px;vertical-align:top'>{html.escape(str(rec['outlet']))}</td>"
            f"<td style='text-align:left;padding:2px 6px;vertical-align:top'>{html.escape(str(rec['doc_id']))}</td>"
            f"<td style='text-align:right;padding:2px 6px;vertical-align:top'>{int(rec['sent_id'])}</td>"
            f"<td style='text-align:left;padding:2px 6px;vertical-align:top;max-width:60em'>{_marked(sentence, marks)}</td>"
            f"{extra}</tr>"
        )
    more = len(rows) - min(len(rows), max_rows)
    note = f"<p><em>{more} more rows not shown.</em></p>" if more > 0 else ""
    return (f'<table class="kit-sentences" style="border-collapse:collapse"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>{note}")


def _fmt(v: Any) -> str:
    if v is None or (not isinstance(v, (str, list, tuple)) and pd.isna(v)):
        return ""
    if isinstance(v, float):
        return f"{v:.3f}".rstrip("0").rstrip(".") if abs(v) < 1e6 else f"{v:.4g}"
    return str(v)


def summary_html(summary: pd.DataFrame) -> str:
    """:func:`outlet_summary` as an HTML table (numbers right-aligned, three decimals; escaped).

    Returns
    -------
    str
        ``<table class="kit-summary">`` with one row per outlet, captioned with the metric's
        unit and direction (:attr:`Measure.axis`).
    """
    metrics = list(dict.fromkeys(summary["metric"].astype(str))) if "metric" in summary.columns else []
    axis = "; ".join(next((m.axis for m in MEASURES.values() if m.metric == k), k) for k in metrics)
    caption = (f"<caption style='text-align:left;caption-side:top;padding:2px 6px'>estimate = {html.escape(axis)}</caption>"
               if axis else "")
    cols = ["outlet", "n_docs", "n_sentences", "n_words", "n_items", "estimate", "ci_low", "ci_high"]
    head = "".join(f"<th style='padding:2px 6px;text-align:{'left' if c == 'outlet' else 'right'}'>{c}</th>" for c in cols)
    rows = []
    for r in summary.itertuples(index=False):
        rec = r._asdict()
        cells = []
        for c in cols:
            v = rec[c]
            txt = f"{v:.3f}" if isinstance(v, float) and np.isfinite(v) else ("–" if isinstance(v, float) else str(v))
            cells.append(f"<td style='padding:2px 6px;text-align:{'left' if c == 'outlet' else 'right'}'>{html.escape(txt)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="kit-summary" style="border-collapse:collapse">{caption}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def side_by_side(
    docs: pd.DataFrame,
    doc_a: str,
    doc_b: str,
    *,
    passages: pd.DataFrame | None = None,
    max_height: str = "40em",
) -> str:
    """Two articles next to each other, the passages they share highlighted; text escaped.

    Parameters
    ----------
    docs : DataFrame
        The docs table (``doc_id, outlet, text``; ``title`` shown when present).
    doc_a, doc_b : str
        The two articles (``doc_id``), different.
    passages : DataFrame, optional
        :func:`analysis.reuse.shared_passages` output (computed on the two articles when
        None). Only rows between ``doc_a`` and ``doc_b`` are drawn.
    max_height : str
        CSS height of the scrolling box that holds both articles (``"none"``: no limit).

    Returns
    -------
    str
        A two-column ``<div class="kit-side-by-side">``: each column the outlet, title and
        paragraphs of one article; every shared passage is a ``<mark class="kit-exact">``
        (identical word run) or ``<mark class="kit-paraphrase">`` (rewritten sentence; other
        kinds ``kit-<kind>``) whose ``title`` names the kind and the other outlet, and a
        legend counting both kinds.

    Raises
    ------
    ParameterError
        An unknown ``doc_id`` or twice the same article.
    """
    _check_docs(docs, "side_by_side")
    ids = docs["doc_id"].astype(str)
    doc_a, doc_b = str(doc_a), str(doc_b)
    for name, d in (("doc_a", doc_a), ("doc_b", doc_b)):
        if d not in set(ids):
            raise ParameterError(f"side_by_side: {name}={d!r} is not a doc_id of the story; valid: {sorted(set(ids))[:20]}.")
    if not re.fullmatch(r"none|\d+(\.\d+)?(em|px|vh)", max_height):
        raise ParameterError(f"side_by_side: max_height={max_height!r} must be 'none' or a CSS length such as '40em' or '600px'.")
    if doc_a == doc_b:
        raise ParameterError("side_by_side: doc_a and doc_b are the same article; choose two different doc_ids.")
    rec = {d: docs[ids == d].iloc[0] for d in (doc_a, doc_b)}
    if passages is None:
        from analysis.reuse import shared_passages

        passages = shared_passages(docs[ids.isin([doc_a, doc_b])])
    pa, pb = passages["doc_a"].astype(str), passages["doc_b"].astype(str)
    pair = passages[((pa == doc_a) & (pb == doc_b)) | ((pa == doc_b) & (pb == doc_a))]
    marks: dict[str, list[tuple[int, int, str, str]]] = {doc_a: [], doc_b: []}
    kinds: dict[str, int] = {}
    for r in pair.itertuples(index=False):
        kind = str(r.kind)
        kinds[kind] = kinds.get(kind, 0) + 1
        marks[str(r.doc_a)].append((int(r.start_a), int(r.end_a), kind, f"{kind} — also in {r.outlet_b} ({r.doc_b})"))
        marks[str(r.doc_b)].append((int(r.start_b), int(r.end_b), kind, f"{kind} — also in {r.outlet_a} ({r.doc_a})"))
    columns = []
    for d in (doc_a, doc_b):
        row = rec[d]
        body = "" if pd.isna(row["text"]) else str(row["text"])
        paras = []
        for ps, pe in textmod.paragraph_spans(body):
            local = [(s - ps, e - ps, k, t) for s, e, k, t in marks[d] if s < pe and e > ps]
            paras.append(f"<p style='margin:0 0 .6em 0'>{_marked(body[ps:pe], local)}</p>")
        title = row["title"] if "title" in row.index and not pd.isna(row["title"]) else ""
        columns.append(
            "<div class='kit-article' style='flex:1;min-width:0;padding:0 8px;line-height:1.45'>"
            f"<h4 style='margin:.2em 0'>{html.escape(str(row['outlet']))} <small>({html.escape(d)})</small></h4>"
            f"<p style='font-weight:bold;margin:.2em 0 .6em 0'>{html.escape(str(title))}</p>{''.join(paras)}</div>"
        )
    legend = " ".join(
        f"<mark class='kit-{html.escape(k, quote=True)}' style='{_MARK_STYLE.get(k, _MARK_STYLE['other'])}'>{html.escape(k)}</mark> {n}"
        for k, n in sorted(kinds.items())
    ) or "<em>no shared passages between these two articles</em>"
    return (f"<div class='kit-side-by-side'><p style='margin:.2em 0 .6em 0'>Shared passages: {legend}</p>"
            f"<div style='display:flex;gap:12px;align-items:flex-start;max-height:{max_height};overflow:auto'>"
            f"{''.join(columns)}</div></div>")


def most_shared_pair(passages: pd.DataFrame, doc_ids: Sequence[str]) -> tuple[str, str]:
    """The two articles that share most words (``n_words`` of :func:`analysis.reuse.shared_passages`).

    Returns
    -------
    tuple of str
        ``(doc_a, doc_b)``; the first two ``doc_ids`` when nothing is shared.
    """
    ids = [str(d) for d in doc_ids]
    if len(ids) < 2:
        raise NotEnoughData("most_shared_pair: a side-by-side view needs two articles.")
    p = passages[passages["doc_a"].astype(str).isin(ids) & passages["doc_b"].astype(str).isin(ids)]
    if p.empty:
        return ids[0], ids[1]
    tot = p.groupby([p["doc_a"].astype(str), p["doc_b"].astype(str)])["n_words"].sum().sort_values(ascending=False, kind="stable")
    a, b = tot.index[0]
    return a, b


# --------------------------------------------------------------------------------------------
# chart
# --------------------------------------------------------------------------------------------


def plot_measure(summary: pd.DataFrame, *, ax=None, colors: Mapping[str, str] | None = None,
                 title: str | None = None, **kwargs: Any):
    """Dot and interval per outlet of an :func:`outlet_summary` table.

    Parameters
    ----------
    summary : DataFrame
        :func:`outlet_summary` output (one metric).
    ax : Axes, optional
        Where to draw; when None, a new one-column figure (3.5 in wide, 0.3 in per outlet).
    colors : mapping, optional
        ``{outlet: colour}`` (:func:`analysis.figures.outlet_colors`).
    title : str, optional
        Axes title; none by default (captions belong to the paper).
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.errorbar`.

    Returns
    -------
    Axes
        Outlets top to bottom in table order, each labelled with the number of rows behind its
        estimate ("AP (11 quotes)"); the x label names the unit and direction.
    """
    import matplotlib.pyplot as plt

    if summary.empty:
        raise NotEnoughData("plot_measure: the summary has no outlet.")
    metrics = summary["metric"].unique()
    if len(metrics) != 1:
        raise ParameterError(f"plot_measure: the summary holds several metrics {list(metrics)}; pass one.")
    if ax is None:
        _, ax = plt.subplots(figsize=(3.5, 0.3 * len(summary) + 0.9))
    spec = next((m for m in MEASURES.values() if m.metric == metrics[0]), None)
    axis = spec.axis if spec else str(metrics[0])
    item = spec.item if spec else "row"
    ys = np.arange(len(summary))[::-1]
    for y, r in zip(ys, summary.itertuples(index=False)):
        colour = (colors or {}).get(r.outlet, "#333333")
        lo = r.estimate - r.ci_low if np.isfinite(r.ci_low) else 0.0
        hi = r.ci_high - r.estimate if np.isfinite(r.ci_high) else 0.0
        opts = {"fmt": "o", "capsize": 3, "color": colour, **kwargs}
        ax.errorbar([r.estimate], [y], xerr=[[max(lo, 0.0)], [max(hi, 0.0)]], **opts)
    labels = [f"{o} ({n} {item}{'' if n == 1 else 's'})" for o, n in zip(summary["outlet"], summary["n_items"])]
    ax.set_yticks(ys, labels)
    for t in ax.get_yticklabels():
        t.set_parse_math(False)
    ax.set_xlabel(textwrap.fill(axis, 48)).set_parse_math(False)
    ax.set_ylim(-0.7, len(summary) - 0.3)
    ax.grid(axis="x", alpha=0.3)
    if title:
        ax.set_title(title).set_parse_math(False)
    return ax


def chart_png(summary: pd.DataFrame, *, colors: Mapping[str, str] | None = None, dpi: int = 130) -> bytes:
    """:func:`plot_measure` rendered to PNG bytes without pyplot (for a widget).

    Returns
    -------
    bytes
        A PNG image, 4.8 in wide at ``dpi``, 0.32 in high per outlet plus the axis.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from analysis import figures

    with figures.paper_style():
        fig = Figure(figsize=(4.8, 0.32 * len(summary) + 0.9), dpi=dpi, layout="constrained")
        FigureCanvasAgg(fig)
        plot_measure(summary, ax=fig.add_subplot(), colors=colors)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# the widgets
# --------------------------------------------------------------------------------------------


class Explorer:
    """ipywidgets front end: pick story, outlets and measure; see the chart, the table and the
    sentences behind the number; compare two articles side by side.

    Parameters
    ----------
    corpus : DataFrame
        :func:`analysis.corpus.load_corpus` output (one or several stories).
    event : str
        The story to open first; empty = the first ``event_id``.
    outlets : str or iterable of str
        Outlets selected first (comma-separated); empty = all.
    measure : str
        Key of :data:`MEASURES` shown first.
    seed, n_boot : int
        Bootstrap of :func:`outlet_summary`.
    limit : int
        Sentences shown at most.

    Attributes
    ----------
    widget : ipywidgets.VBox
        Display this in a notebook cell.
    story, outlets, measure, sentences_of, article_a, article_b : ipywidgets widgets
        The pickers; setting ``.value`` updates the views as a click does.
    chart : ipywidgets.Image
        The PNG of :func:`plot_measure`.
    summary, rows : DataFrame
        The table and the sentences currently shown.
    """

    def __init__(self, corpus: pd.DataFrame, *, event: str = "", outlets: str | Iterable[str] = "",
                 measure: str = "loaded", seed: int = 0, n_boot: int = 200, limit: int = 30) -> None:
        import ipywidgets as w

        from analysis import report

        _check_docs(corpus, "Explorer")
        _measure(measure)
        self.corpus, self.seed, self.n_boot, self.limit = corpus, seed, n_boot, limit
        self._cache: dict[tuple[str, str], Any] = {}
        events = sorted(map(str, corpus["event_id"].dropna().unique())) if "event_id" in corpus.columns else [""]
        if event and event not in events:
            raise ParameterError(f"Explorer: event={event!r} is not in the corpus; valid events: {events[:20]}.")
        self.story = w.Dropdown(options=events, value=event or events[0], description="Story")
        self.measure = w.Dropdown(options=[(m.label, k) for k, m in MEASURES.items()], value=measure, description="Measure",
                                  layout=w.Layout(width="28em"))
        self.outlets = w.SelectMultiple(options=[], description="Outlets", rows=6, layout=w.Layout(width="22em"))
        self.sentences_of = w.Dropdown(options=[], description="Sentences of", style={"description_width": "initial"})
        self.article_a = w.Dropdown(options=[], description="Article A")
        self.article_b = w.Dropdown(options=[], description="Article B")
        self.chart = w.Image(format="png", layout=w.Layout(max_width="640px"))
        self.table = w.HTML()
        self.sentence_view = w.HTML()
        self.pair_view = w.HTML()
        self.status = w.HTML()
        self.summary = pd.DataFrame()
        self.rows = pd.DataFrame()
        self._report = report
        self._busy = False
        self._open_story(initial_outlets=report.parse_list(outlets))
        self.story.observe(lambda _c: self._story_changed(), names="value")
        self.outlets.observe(lambda _c: self._outlets_changed(), names="value")
        self.measure.observe(lambda _c: self.refresh(), names="value")
        self.sentences_of.observe(lambda _c: self._show_rows(), names="value")
        self.article_a.observe(lambda _c: self._show_pair(), names="value")
        self.article_b.observe(lambda _c: self._show_pair(), names="value")
        self.widget = w.VBox([
            w.HBox([w.VBox([self.story, self.measure, self.sentences_of]), self.outlets]),
            self.status,
            w.HTML("<b>By outlet</b> (dot = estimate, bar = 95% bootstrap interval over sentences; in brackets: the rows behind the number)"),
            self.chart, self.table,
            w.HTML("<b>The sentences behind the number</b> (counted words marked)"),
            self.sentence_view,
            w.HTML("<b>Two articles side by side</b> (yellow = identical wording, blue = paraphrase)"),
            w.HBox([self.article_a, self.article_b]),
            self.pair_view,
        ], layout=w.Layout(width="100%"))

    # -- state ------------------------------------------------------------------------------
    def _open_story(self, initial_outlets: Sequence[str] = ()) -> None:
        self.docs = self._report.select_docs(self.corpus, event=self.story.value if self.story.value else "")
        self.sentences = sentence_table(self.docs)
        self._passages = None
        self.colors = _colors(self.docs)
        names = sorted(self.docs["outlet"].astype(str).unique())
        unknown = [o for o in initial_outlets if o not in names]
        if unknown:
            raise ParameterError(f"Explorer: outlets {unknown} are not in the story; valid outlets: {names}.")
        self._busy = True
        self.outlets.options = names
        self.outlets.value = tuple(initial_outlets) or tuple(names)
        labels = [(f"{r.outlet} — {r.doc_id}", str(r.doc_id)) for r in self.docs.itertuples(index=False)]
        self.article_a.options = labels
        self.article_b.options = labels
        a, b = most_shared_pair(self.passages(), [v for _, v in labels])
        self.article_a.value, self.article_b.value = a, b
        self._busy = False
        self._outlets_changed()
        self._show_pair()

    def _story_changed(self) -> None:
        try:
            self._open_story()
        except KitError as exc:  # e.g. a story with one outlet: say so, keep the widgets usable
            self.status.value = f"<b>{html.escape(type(exc).__name__)}</b>: {html.escape(str(exc))}"

    def passages(self) -> pd.DataFrame:
        """:func:`analysis.reuse.shared_passages` of the open story (computed once)."""
        if self._passages is None:
            from analysis.reuse import shared_passages

            self._passages = shared_passages(self.docs)
        return self._passages

    def evidence(self, measure: str | None = None) -> pd.DataFrame:
        """:func:`measure_evidence` of the open story (computed once per story and measure)."""
        key = (str(self.story.value), measure or self.measure.value)
        if key not in self._cache:
            self._cache[key] = measure_evidence(self.docs, key[1], sentences=self.sentences,
                                                passages=self.passages() if key[1] == "reuse" else None)
        return self._cache[key]

    def _outlets_changed(self) -> None:
        if self._busy:
            return
        chosen = list(self.outlets.value)
        self._busy = True
        keep = self.sentences_of.value if self.sentences_of.value in chosen else (chosen[0] if chosen else None)
        self.sentences_of.options = chosen
        self.sentences_of.value = keep
        self._busy = False
        self.refresh()

    def refresh(self) -> None:
        """Recompute the chart, the table and the sentences for the current choices."""
        chosen = list(self.outlets.value)
        if not chosen:
            self.status.value = "<em>Select at least one outlet.</em>"
            self.summary = pd.DataFrame()
            self.table.value = ""
            self.sentence_view.value = ""
            return
        try:
            ev = self.evidence()
            self.summary = outlet_summary(ev, self.measure.value, sentences=self.sentences, outlets=chosen,
                                          n_boot=self.n_boot, seed=self.seed)
        except Exception as exc:  # a measure that fails says so in place; the other views stay usable
            log.exception("explore: measure %s failed", self.measure.value)
            self.status.value = f"<b>{html.escape(type(exc).__name__)}</b>: {html.escape(str(exc))}"
            return
        self.status.value = ""
        self.chart.value = chart_png(self.summary, colors=self.colors)
        self.table.value = summary_html(self.summary)
        self._show_rows()

    def _show_rows(self) -> None:
        if self._busy or self.summary.empty or not self.sentences_of.value:
            return
        m = MEASURES[self.measure.value]
        self.rows = behind(self.evidence(), m.key, outlet=self.sentences_of.value, limit=self.limit)
        extra = [c for c in self.rows.columns if c not in KEY and c not in m.highlight
                 and c not in ("n_words", "n_syllables", "pos", "neu", "neg", "n_loaded")]
        self.sentence_view.value = sentences_html(self.rows, measure=m.key, columns=extra)

    def _show_pair(self) -> None:
        if self._busy:
            return
        a, b = self.article_a.value, self.article_b.value
        if not a or not b or a == b:
            self.pair_view.value = "<em>Choose two different articles.</em>"
            return
        self.pair_view.value = side_by_side(self.docs, a, b, passages=self.passages())


def _colors(docs: pd.DataFrame) -> dict[str, str]:
    from analysis import figures

    return figures.outlet_colors(docs)


def explore(corpus: pd.DataFrame, **kwargs: Any):
    """Build an :class:`Explorer` and return its widget (for a notebook cell).

    Returns
    -------
    ipywidgets.VBox
    """
    return Explorer(corpus, **kwargs).widget
