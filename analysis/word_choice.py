"""Same fact, different words: how outlets word the information they share.

For one story, :func:`analysis.reuse.information_units` groups the sentences that say the same
thing across outlets. :func:`word_choice` takes every unit that several outlets report, aligns
the closest pair of sentences of each two articles from different outlets, and lists the words
each sentence has that the other lacks - the seed story's death toll, "more than 31,000 people
have been killed by Israeli forces" (ABC News) against "Israel's military response has killed
more than 32,000 Palestinians" (the Reuters republisher), differs in the figure, in who is
counted ("people" / "Palestinians"), in the voice ("been ... by Israeli forces" / "Israel's
military response") and in the source ("Gaza's Hamas-controlled Ministry" / "officials ...
Hamas-run enclave"). With one article per outlet this is the honest form of "distinctive
words": it compares wording where the outlets report the same fact, instead of word
frequencies dominated by what each chose to report. :func:`word_choice_html` renders the table
with the differing words highlighted.

Word matching (:func:`word_keys`): kit words (:func:`analysis.text.word_spans`), lower-cased,
abbreviation dots and possessive "'s" dropped, curly apostrophes straightened, contractions
split ("we're" = "we are"), month abbreviations spelled out, forms of *be* and *have* unified,
then Porter-stemmed (:mod:`analysis.stemmer`), so "killed"/"kills" or
"U.S."/"US" are the same word and "31,000"/"32,000" are not. A word differs when its key does
not occur anywhere in the other sentence (word order is ignored: the active and the passive
version of a clause share their content words). Articles ("a", "an", "the") never count as
different.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from analysis import lexical as _lexical
from analysis import text as _text
from analysis.errors import ParameterError
from analysis.reuse import information_units
from analysis.stemmer import porter_stem

__all__ = [
    "WORD_CHOICE_COLUMNS",
    "HTMLBlock",
    "different_words",
    "word_choice",
    "word_choice_html",
    "word_key",
    "word_keys",
]

log = logging.getLogger(__name__)

WORD_CHOICE_COLUMNS = [
    "unit_id",
    "n_outlets",
    "doc_a",
    "doc_b",
    "outlet_a",
    "outlet_b",
    "sent_id_a",
    "sent_id_b",
    "sentence_a",
    "sentence_b",
    "only_a",
    "only_b",
    "n_only_a",
    "n_only_b",
    "similarity",
]

_NEVER_DIFFERENT = frozenset({"a", "an", "the"})
_FORMS = {
    "is": "be", "are": "be", "was": "be", "were": "be", "been": "be", "being": "be", "am": "be",
    "be": "be", "has": "have", "have": "have", "had": "have", "having": "have",
}  # fmt: skip
_NUMBER = re.compile(r"^\d[\d,]*(?:\.\d+)?$")
#: Separator of the phrases in ``only_a`` / ``only_b``.
PHRASE_SEPARATOR = " | "


class HTMLBlock(str):
    """A string of HTML that Jupyter displays as HTML (``_repr_html_``)."""

    def _repr_html_(self) -> str:
        return str(self)


_MONTHS = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june",
    "jul": "july", "aug": "august", "sep": "september", "sept": "september",
    "oct": "october", "nov": "november", "dec": "december",
}  # fmt: skip
_CONTRACTIONS = {"'re": "be", "'m": "be", "'ve": "have", "'ll": "will", "'d": "would"}
_IS_AFTER = frozenset({"it", "that", "there", "here", "what", "who", "he", "she", "where", "how",
                       "when", "why", "let"})  # "it's" = "it is" ("let's" = "let us")
_IRREGULAR_NOT = {"won't": ("will", "not"), "can't": ("can", "not"), "cannot": ("can", "not"),
                  "shan't": ("shall", "not")}


def _one_key(low: str) -> str:
    if _NUMBER.match(low):
        return low.replace(",", "")
    low = _MONTHS.get(low, low)
    if low in _FORMS:
        return _FORMS[low]
    return porter_stem(low)


@lru_cache(maxsize=65536)
def word_keys(word: str) -> tuple[str, ...]:
    """The keys under which two spellings count as the same word(s).

    Parameters
    ----------
    word : str
        One word as written (a kit word: letters/digits with internal apostrophes, hyphens
        and abbreviation dots).

    Returns
    -------
    tuple of str
        Usually one key: lower case; curly apostrophes straightened; abbreviation dots and a
        possessive "'s" or final "'" dropped; month abbreviations spelled out ("Oct." ->
        october); forms of *be* and *have* mapped to ``be`` / ``have``; numbers without their
        thousands commas ("31,000" -> ``31000``); other words Porter-stemmed ("killed" ->
        ``kill``). A contraction gives the keys of its two words ("we're" -> ``we``, ``be``;
        "didn't" -> ``did``, ``not``; "it's" -> ``it``, ``be``).
    """
    low = word.lower().replace("\u2019", "'").replace("\u2018", "'").replace(".", "")
    if low in _IRREGULAR_NOT:
        return tuple(_one_key(w) for w in _IRREGULAR_NOT[low])
    if low.endswith("n't") and len(low) > 3:
        return (_one_key(low[:-3]), "not")
    for suffix, full in _CONTRACTIONS.items():
        if low.endswith(suffix) and len(low) > len(suffix):
            return (_one_key(low[: -len(suffix)]), _one_key(full))
    if low.endswith("'s"):
        base = low[:-2]
        if base in _IS_AFTER:
            return (_one_key(base), "us" if base == "let" else "be")
        low = base
    elif low.endswith("'"):
        low = low[:-1]
    if not low:
        return (word.lower(),)
    return (_one_key(low),)


def word_key(word: str) -> str:
    """The first of :func:`word_keys` (the key of a word that is not a contraction)."""
    return word_keys(word)[0]


@lru_cache(maxsize=8192)
def _words(sentence: str) -> tuple[list[tuple[int, int]], list[tuple[str, ...]], frozenset[str]]:
    """Word spans, each word's keys and the set of all keys of one sentence (memoised: a
    sentence of a widely reported unit is compared with many others)."""
    spans = _text.word_spans(sentence)
    keys = [word_keys(sentence[s:e]) for s, e in spans]
    return spans, keys, frozenset(k for ks in keys for k in ks)


def _diff(sentence_a: str, sentence_b: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]], int, int]:
    spans_a, keys_a, set_a = _words(sentence_a)
    spans_b, keys_b, set_b = _words(sentence_b)

    def differs(keys: list[tuple[str, ...]], other: frozenset[str]) -> list[bool]:
        return [ks[0] not in _NEVER_DIFFERENT and any(k not in other for k in ks) for ks in keys]

    da = differs(keys_a, set_b)
    db = differs(keys_b, set_a)
    return _runs(sentence_a, spans_a, da), _runs(sentence_b, spans_b, db), sum(da), sum(db)


_STOP_KEYS = frozenset({"be", "have", "not", "will", "would"})


def _runs(sentence: str, spans: list[tuple[int, int]], differs: list[bool]) -> list[tuple[int, int]]:
    """Character spans of maximal runs of differing words; punctuation between words ends a run."""
    runs: list[tuple[int, int]] = []
    cur: list[int] | None = None
    prev_end = -1
    for (s, e), d in zip(spans, differs, strict=True):
        if d and cur is not None and sentence[prev_end:s].strip() == "":
            cur[1] = e
        elif d:
            if cur is not None:
                runs.append((cur[0], cur[1]))
            cur = [s, e]
        else:
            if cur is not None:
                runs.append((cur[0], cur[1]))
            cur = None
        prev_end = e
    if cur is not None:
        runs.append((cur[0], cur[1]))
    return runs


def different_words(sentence_a: str, sentence_b: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Where two sentences that report the same fact use different words.

    Parameters
    ----------
    sentence_a, sentence_b : str
        The two sentences.

    Returns
    -------
    tuple of two lists of (start, end)
        Character spans, in ``sentence_a`` and in ``sentence_b``, of the maximal runs of words
        with a :func:`word_keys` key that does not occur in the other sentence (articles never differ;
        punctuation between two differing words splits the run). Empty lists when the two
        sentences use the same words.
    """
    runs_a, runs_b, _na, _nb = _diff(sentence_a, sentence_b)
    return runs_a, runs_b


def _content(sentence: str) -> frozenset[str]:
    """Keys of the sentence's content words (stop words left out, numbers kept); all keys
    when the sentence has no content word."""
    spans, keys, every = _words(sentence)
    out: set[str] = set()
    for (s, e), ks in zip(spans, keys, strict=True):
        w = sentence[s:e]
        if w.lower().replace("\u2019", "'") not in _text.STOP_WORDS or any(c.isdigit() for c in w):
            out.update(k for k in ks if k not in _STOP_KEYS)
    return frozenset(out) or every


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return 2.0 * len(a & b) / (len(a) + len(b))


def word_choice(
    docs: pd.DataFrame,
    *,
    event: str | None = None,
    threshold: float = 0.25,
    min_outlets: int = 2,
    include_identical: bool = True,
    min_similarity: float = 0.15,
    units: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Same fact, different words: aligned sentences of the outlets that report one fact.

    Method:

    1. Information units of the story (:func:`analysis.reuse.information_units` with
       ``event`` and ``threshold``, or the ``units`` table given): sentences clustered by
       TF-IDF cosine so that each unit is one piece of information.
    2. Units reported by at least ``min_outlets`` outlets.
    3. For every two articles of different outlets in a unit (in input order: ``doc_a`` comes
       first in ``docs``), their sentences in the unit aligned one to one: the pair with the
       highest ``similarity`` first (the earliest sentences on ties), then the next best pair
       of sentences not yet aligned, as long as its similarity is at least
       ``min_similarity`` (a unit can hold two related facts: the seed story's Gaza and
       Israeli death tolls form one unit of ABC News and the Reuters republisher, and
       are aligned as two pairs).
    4. The words of each sentence that the other lacks (:func:`different_words`; module
       docstring for how words are matched).

    Parameters
    ----------
    docs : pandas.DataFrame
        The docs table (``doc_id, outlet, text``; ``event_id`` to select a story).
    event : str, optional
        ``event_id`` of the story; required when ``docs`` hold several.
    threshold : float, default 0.25
        Passed to :func:`analysis.reuse.information_units` (mean cosine, 0-1, two groups of
        sentences need to form one unit; lower = looser units).
    min_outlets : int, default 2
        Units reported by fewer outlets are left out.
    include_identical : bool, default True
        Keep aligned pairs worded identically (``n_only_a == n_only_b == 0``: shared copy);
        False keeps only pairs whose wording differs.
    min_similarity : float, default 0.15
        Least ``similarity`` (0-1) of a second or later aligned pair of the same two
        articles in one unit; the best pair of two articles is always kept.
    units : pandas.DataFrame, optional
        A precomputed :func:`analysis.reuse.information_units` table of the same ``docs``
        (``doc_id, outlet, sent_id, sentence, unit_id``), to avoid clustering twice.

    Returns
    -------
    pandas.DataFrame
        One row per aligned pair of sentences, units most widely reported first (then by
        ``unit_id``), article pairs in input order, sentences in text order:

        - ``unit_id``: as in :func:`analysis.reuse.information_units` / ``coverage``.
        - ``n_outlets``: outlets that report the unit.
        - ``doc_a, doc_b, outlet_a, outlet_b``: the two articles.
        - ``sent_id_a, sent_id_b``: 0-based sentence of each article's ``text``.
        - ``sentence_a, sentence_b``: the aligned sentences (whitespace collapsed).
        - ``only_a, only_b``: the runs of words each sentence has and the other lacks, as
          written, in sentence order, joined by ``" | "`` (empty string when none).
        - ``n_only_a, n_only_b``: number of words in those runs.
        - ``similarity``: Dice coefficient (0-1) of the two sentences' sets of content-word
          keys (stop words left out, numbers kept): 2·shared / (size a + size b);
          **higher = more of the same words** (1 = same content words).

        Empty (with these columns) when no unit is reported by ``min_outlets`` outlets.

    Raises
    ------
    ParameterError
        ``min_outlets`` below 2, ``min_similarity`` outside [0, 1], a bad ``threshold`` or
        ``event``, or a ``units`` table without the needed columns.
    NotEnoughData
        Fewer than two documents in the story.
    """
    if not isinstance(min_outlets, (int, np.integer)) or isinstance(min_outlets, bool) or min_outlets < 2:
        raise ParameterError(
            f"word_choice: `min_outlets` must be an integer of at least 2, got {min_outlets!r}."
        )
    if not isinstance(min_similarity, (int, float)) or not 0 <= float(min_similarity) <= 1:
        raise ParameterError(
            f"word_choice: `min_similarity` must lie in [0, 1], got {min_similarity!r}; try 0.15."
        )
    _lexical.check_docs(docs, needed=["doc_id", "outlet", "text"], func="word_choice")
    if units is None:
        units = information_units(docs, event=event, threshold=threshold)
    else:
        missing = [c for c in ("doc_id", "outlet", "sent_id", "sentence", "unit_id") if c not in units.columns]
        if missing:
            raise ParameterError(
                f"word_choice: `units` lacks column(s) {missing}; pass the table returned by "
                "analysis.reuse.information_units(docs)."
            )
    order = {d: i for i, d in enumerate(docs["doc_id"].tolist())}
    rows: list[dict[str, Any]] = []
    pairs: list[tuple[Any, ...]] = []
    if len(units):
        n_outlets = units.groupby("unit_id")["outlet"].nunique()
        keep = n_outlets[n_outlets >= min_outlets]
        unit_order = sorted(keep.index, key=lambda u: (-int(keep[u]), int(u)))
        prepared: dict[str, frozenset[str]] = {}

        def prep(sentence: str) -> frozenset[str]:
            got = prepared.get(sentence)
            if got is None:
                got = prepared[sentence] = _content(sentence)
            return got

        groups = dict(iter(units.groupby("unit_id", sort=False)))
        for u in unit_order:
            grp = groups[u]
            by_doc: dict[Any, list[tuple[int, str, Any]]] = {}
            for d, o, sid, s in zip(grp["doc_id"], grp["outlet"], grp["sent_id"], grp["sentence"], strict=True):
                by_doc.setdefault(d, []).append((int(sid), str(s), o))
            doc_ids = sorted(by_doc, key=lambda d: order.get(d, len(order)))
            for i, da in enumerate(doc_ids):
                for db in doc_ids[i + 1 :]:
                    oa, ob = by_doc[da][0][2], by_doc[db][0][2]
                    if str(oa) == str(ob):
                        continue
                    cands = sorted(
                        (
                            (_dice(prep(ta), prep(tb)), ia, ib, sa, ta, sb, tb)
                            for ia, (sa, ta, _) in enumerate(by_doc[da])
                            for ib, (sb, tb, _) in enumerate(by_doc[db])
                        ),
                        key=lambda c: (-c[0], c[1], c[2]),
                    )
                    used_a: set[int] = set()
                    used_b: set[int] = set()
                    aligned = []
                    for sim, ia, ib, sa, ta, sb, tb in cands:
                        if ia in used_a or ib in used_b:
                            continue
                        if used_a and sim < min_similarity:
                            break
                        used_a.add(ia)
                        used_b.add(ib)
                        aligned.append((u, da, db, oa, ob, sim, sa, ta, sb, tb))
                    pairs.extend(sorted(aligned, key=lambda p: (p[6], p[8])))
        for u, da, db, oa, ob, sim, sa, ta, sb, tb in pairs:
            runs_a, runs_b, n_a, n_b = _diff(ta, tb)
            if not include_identical and not runs_a and not runs_b:
                continue
            rows.append(
                {
                    "unit_id": int(u),
                    "n_outlets": int(keep[u]),
                    "doc_a": da,
                    "doc_b": db,
                    "outlet_a": oa,
                    "outlet_b": ob,
                    "sent_id_a": sa,
                    "sent_id_b": sb,
                    "sentence_a": ta,
                    "sentence_b": tb,
                    "only_a": PHRASE_SEPARATOR.join(ta[s:e] for s, e in runs_a),
                    "only_b": PHRASE_SEPARATOR.join(tb[s:e] for s, e in runs_b),
                    "n_only_a": n_a,
                    "n_only_b": n_b,
                    "similarity": float(sim),
                }
            )
    out = pd.DataFrame(rows, columns=WORD_CHOICE_COLUMNS)
    out = out.astype(
        {
            "unit_id": "int64",
            "n_outlets": "int64",
            "sent_id_a": "int64",
            "sent_id_b": "int64",
            "n_only_a": "int64",
            "n_only_b": "int64",
            "similarity": "float64",
        }
    )
    log.info("word_choice: %d aligned pairs in %d units", len(out), out["unit_id"].nunique())
    return out


def _marked(sentence: str, runs: Sequence[tuple[int, int]]) -> str:
    parts: list[str] = []
    pos = 0
    for s, e in runs:
        parts.append(html.escape(sentence[pos:s]))
        parts.append(f"<mark>{html.escape(sentence[s:e])}</mark>")
        pos = e
    parts.append(html.escape(sentence[pos:]))
    return "".join(parts)


def word_choice_html(
    table: pd.DataFrame,
    *,
    per_unit: int | None = 3,
    max_rows: int | None = 60,
    differing_only: bool = True,
) -> HTMLBlock:
    """The :func:`word_choice` table as HTML, differing words highlighted with ``<mark>``.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`word_choice` output (``unit_id, outlet_a, outlet_b, sentence_a, sentence_b,
        similarity``).
    per_unit : int or None, default 3
        Pairs shown per unit: the most similar pairs that differ in wording (the same fact in
        the closest words, where each changed word stands out); None shows all. A unit
        reported by many outlets has many pairs, most of them restating the same contrast.
    max_rows : int or None, default 60
        Rows shown in all (units in the table's order); None shows all.
    differing_only : bool, default True
        Leave out pairs worded identically.

    Returns
    -------
    HTMLBlock
        A line saying how many pairs are shown, then a ``<table class="word-choice">`` (a
        ``str`` that Jupyter displays as HTML): one row per aligned pair with the unit, the two
        outlets, the two sentences (all text HTML-escaped; the words only one of them uses
        wrapped in ``<mark>``) and the similarity (3 decimals). A one-line paragraph when
        there is nothing to show.
    """
    needed = ["unit_id", "outlet_a", "outlet_b", "sentence_a", "sentence_b", "similarity"]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ParameterError(
            f"word_choice_html: table lacks column(s) {missing}; pass the output of word_choice(docs)."
        )
    for name, value in (("max_rows", max_rows), ("per_unit", per_unit)):
        if value is not None and (
            not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1
        ):
            raise ParameterError(
                f"word_choice_html: `{name}` must be a positive integer or None, got {value!r}."
            )
    counted = "n_only_a" in table.columns and "n_only_b" in table.columns
    units: dict[int, list[Any]] = {}
    n_rows = 0
    for r in table.itertuples(index=False):
        if differing_only:
            if counted:
                same = int(r.n_only_a) == 0 and int(r.n_only_b) == 0
            else:
                same = different_words(str(r.sentence_a), str(r.sentence_b)) == ([], [])
            if same:
                continue
        units.setdefault(int(r.unit_id), []).append(r)
        n_rows += 1
    if not units:
        return HTMLBlock(
            "<p>No fact reported by several outlets is worded differently by them.</p>"
        )
    picked: list[Any] = []
    for rows in units.values():
        rows = sorted(rows, key=lambda x: -float(x.similarity))  # stable: table order on ties
        picked.extend(rows if per_unit is None else rows[:per_unit])
    if max_rows is not None:
        picked = picked[:max_rows]
    shown = [(r, *different_words(str(r.sentence_a), str(r.sentence_b))) for r in picked]
    left = ' style="text-align:left"'
    right = ' style="text-align:right"'
    out = [
        f"<p>{len(shown)} of {n_rows} aligned pairs worded differently"
        + (f", at most {per_unit} per fact (the closest)" if per_unit is not None else "")
        + "; every pair is in the word_choice table.</p>",
        '<table class="word-choice">',
        f"<thead><tr><th{right}>unit</th><th{left}>outlet</th><th{left}>sentence</th>"
        f"<th{left}>outlet</th><th{left}>sentence</th><th{right}>similarity</th></tr></thead>",
        "<tbody>",
    ]
    for r, runs_a, runs_b in shown:
        out.append(
            "<tr>"
            f"<td{right}>{int(r.unit_id)}</td>"
            f"<td{left}>{html.escape(str(r.outlet_a))}</td>"
            f"<td{left}>{_marked(str(r.sentence_a), runs_a)}</td>"
            f"<td{left}>{html.escape(str(r.outlet_b))}</td>"
            f"<td{left}>{_marked(str(r.sentence_b), runs_b)}</td>"
            f"<td{right}>{float(r.similarity):.3f}</td>"
            "</tr>"
        )
    out.append("</tbody></table>")
    return HTMLBlock("\n".join(out))
