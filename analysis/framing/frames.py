"""Policy-frame dimensions: dictionary hits per 1,000 words, by part of the article.

The fifteen dimensions are those of the Policy Frames Codebook (Boydstun, Card, Gross,
Resnik & Smith 2014), used in the Media Frames Corpus (Card et al. 2015). Scoring is a
transparent dictionary count: each term (word, glob pattern or phrase) found in the text is
one hit for its frame; ``per_1k_words`` = 1000 × hits / words of that part (higher = the
frame's vocabulary is more present). ``frame_hits`` lists every hit with its sentence and
``frame_terms`` the terms that drive each outlet's difference from the rest, so no score is
a black box. The default dictionary (``analysis/resources/frames_en.yaml``) is the kit's own
word list; it is a starting point, not a validated classifier.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from typing import Any

import pandas as pd

from analysis.errors import ParameterError
from analysis.framing import _patterns as P

log = logging.getLogger(__name__)

FRAME_FIELDS = {"label", "description", "terms"}
TOP_FIELDS = {"frames", "name", "version", "source", "description"}
PARTS = ("headline", "lede", "body", "all")
FRAME_COLUMNS = ["doc_id", "outlet", "n_docs", "part", "frame", "label", "n_hits", "n_words",
                 "per_1k_words"]
HIT_COLUMNS = ["doc_id", "outlet", "part", "sent_id", "frame", "term", "matched", "sentence"]
#: sentences considered the lede
LEDE_SENTENCES = 2


def load_frame_dictionary(source: Any = None) -> dict[str, dict[str, Any]]:
    """Read and check a frame dictionary.

    Parameters
    ----------
    source : path, YAML text, dict or None
        ``frames:`` mapping frame id -> ``{label, description, terms: [...]}`` (a plain list
        is shorthand for ``terms``). None reads the kit's ``frames_en.yaml``. Terms are
        case-insensitive whole words; ``*`` = any letters within a word, ``?`` = one
        letter; a phrase matches its words in sequence.

    Returns
    -------
    dict
        frame -> ``{"label": str, "description": str, "terms": list[str]}`` in file order.

    Raises
    ------
    ParameterError
        Not valid YAML (names the line), an unknown field (names field, line and the
        allowed fields), terms that are not a list of text, no frames.
    """
    if source is None:
        from analysis.resources import read_text

        source = read_text("frames_en.yaml")
        where_default = True
    else:
        where_default = False
    if isinstance(source, dict) and "frames" not in source:
        source = {"frames": source}
    data, node, where = P.read_yaml(source, what="frame dictionary")
    if where_default:
        where = "analysis/resources/frames_en.yaml"
    top = P.mapping_key_lines(node) if node is not None else None
    if not isinstance(data, dict) or "frames" not in data:
        raise ParameterError(
            f"{where}: a frame dictionary needs a 'frames:' mapping, e.g.\nframes:\n  economic:\n"
            f"    label: Economic\n    terms: [cost*, budget*]"
        )
    unknown = [k for k in data if k not in TOP_FIELDS]
    if unknown:
        k = str(unknown[0])
        raise ParameterError(
            f"{where}: unknown top-level field {k!r}{P.line_of(top, k)}; allowed: {sorted(TOP_FIELDS)}. "
            f"Put each frame under 'frames:'."
        )
    frames_data = data["frames"]
    frame_lines = P.mapping_key_lines(top["frames"][1]) if top and "frames" in top else None
    if not isinstance(frames_data, dict) or not frames_data:
        raise ParameterError(f"{where}: 'frames' is empty or not a mapping; list at least one frame.")
    out: dict[str, dict[str, Any]] = {}
    for frame, spec in frames_data.items():
        name = str(frame)
        line = P.line_of(frame_lines, name)
        field_lines = P.mapping_key_lines(frame_lines[name][1]) if frame_lines and name in frame_lines else None
        if isinstance(spec, list):
            spec = {"terms": spec}
        if spec is None:
            spec = {"terms": []}
        if not isinstance(spec, dict):
            raise ParameterError(f"{where}: frame {name!r}{line} must be a mapping with 'terms: [...]'.")
        P.refuse_unknown_fields(
            spec, FRAME_FIELDS, where=where, owner=f"frame {name!r}", field_lines=field_lines, line=line,
            hint="Rename it (e.g. 'terms', not 'words').",
        )
        terms = spec.get("terms", []) or []
        if not isinstance(terms, list):
            raise ParameterError(
                f"{where}: frame {name!r} terms{P.line_of(field_lines, 'terms') or line} must be a list, "
                f"e.g. terms: [cost*, budget*]."
            )
        for t in terms:
            if not isinstance(t, str) or not t.strip():
                raise ParameterError(
                    f"{where}: frame {name!r} has term {t!r}{P.line_of(field_lines, 'terms') or line}, "
                    f"which is not text; quote it."
                )
        out[name] = {
            "label": str(spec.get("label", name)),
            "description": str(spec.get("description", "")),
            "terms": [t.strip() for t in terms],
        }
    return out


# --------------------------------------------------------------------------- matching


def _word_rx(word: str) -> re.Pattern[str]:
    """One dictionary word against one lower-cased token (tokens keep dots, e.g. "u.s.")."""
    return re.compile(P.glob_word(word.lower().replace("’", "'"), r"[\w'.\-]"))


class _Matcher:
    """Token-level matcher for a frame dictionary (single words, globs, phrases)."""

    def __init__(self, dictionary: dict[str, dict[str, Any]]):
        self.exact: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.globs: list[tuple[re.Pattern[str], str, str]] = []
        self.phrases: list[tuple[list[re.Pattern[str]], str, str]] = []
        for frame, spec in dictionary.items():
            for term in spec["terms"]:
                parts = term.lower().replace("’", "'").split()
                if len(parts) > 1:
                    self.phrases.append(([_word_rx(p) for p in parts], frame, term))
                elif any(ch in term for ch in "*?"):
                    self.globs.append((_word_rx(parts[0]), frame, term))
                else:
                    self.exact[parts[0]].append((frame, term))
        self._single_cache: dict[str, list[tuple[str, str]]] = {}
        self._first_cache: dict[str, list[int]] = {}

    def single(self, tok: str) -> list[tuple[str, str]]:
        hit = self._single_cache.get(tok)
        if hit is None:
            hit = list(self.exact.get(tok, []))
            hit += [(f, t) for rx, f, t in self.globs if rx.fullmatch(tok)]
            if len(self._single_cache) < 200_000:
                self._single_cache[tok] = hit
        return hit

    def first(self, tok: str) -> list[int]:
        hit = self._first_cache.get(tok)
        if hit is None:
            hit = [i for i, (rxs, _f, _t) in enumerate(self.phrases) if rxs[0].fullmatch(tok)]
            if len(self._first_cache) < 200_000:
                self._first_cache[tok] = hit
        return hit

    def hits(self, toks: list[str]) -> list[tuple[str, str, str]]:
        """(frame, term, matched text) for each hit; phrases claim their words first."""
        out: list[tuple[str, str, str]] = []
        claimed: dict[str, set[int]] = defaultdict(set)
        if self.phrases:
            for i, tok in enumerate(toks):
                for pi in self.first(tok):
                    rxs, frame, term = self.phrases[pi]
                    n = len(rxs)
                    if i + n <= len(toks) and all(rxs[k].fullmatch(toks[i + k]) for k in range(1, n)):
                        span = set(range(i, i + n))
                        if span & claimed[frame]:
                            continue
                        claimed[frame] |= span
                        out.append((frame, term, " ".join(toks[i : i + n])))
        for i, tok in enumerate(toks):
            seen: set[str] = set()
            for frame, term in self.single(tok):
                if frame in seen or i in claimed[frame]:
                    continue  # one hit per word per frame
                seen.add(frame)
                out.append((frame, term, tok))
        return out


def _parts_of(title: str, text: str, doc_id: str, outlet: str) -> list[tuple[str, int, str]]:
    """(part, sent_id, sentence) for headline (sent_id -1), lede and body sentences."""
    out = []
    if title.strip():
        out.append(("headline", -1, title.strip()[: P.MAX_SENTENCE_CHARS]))
    for s in P.doc_sentences(doc_id, outlet, text):
        out.append(("lede" if s.sent_id < LEDE_SENTENCES else "body", s.sent_id, s.text))
    return out


def _hit_rows(docs: pd.DataFrame, dictionary) -> tuple[list[dict], dict[tuple[str, str], int]]:
    from analysis.text import tokens

    matcher = _Matcher(dictionary)
    rows: list[dict] = []
    n_words: dict[tuple[str, str], int] = defaultdict(int)
    for doc_id, outlet, title, text in P.iter_docs(docs):
        for part, sent_id, sentence in _parts_of(title, text, doc_id, outlet):
            toks = tokens(sentence)
            n_words[(doc_id, part)] += len(toks)
            for frame, term, matched in matcher.hits(toks):
                rows.append(dict(doc_id=doc_id, outlet=outlet, part=part, sent_id=sent_id,
                                 frame=frame, term=term, matched=matched, sentence=sentence))
    return rows, n_words


def frame_hits(docs: pd.DataFrame, dictionary: Any = None) -> pd.DataFrame:
    """Every dictionary hit with its sentence (the evidence behind :func:`frames`).

    Returns
    -------
    DataFrame
        ``doc_id, outlet, part`` ('headline'|'lede'|'body'), ``sent_id`` (0-based
        sentence of ``text``; -1 for the headline), ``frame, term`` (the dictionary entry),
        ``matched`` (the words in the text, lower-case), ``sentence``.
    """
    P.check_docs(docs, "frame_hits")
    d = load_frame_dictionary(dictionary)
    rows, _ = _hit_rows(docs, d)
    return pd.DataFrame(rows, columns=HIT_COLUMNS)


def frames(docs: pd.DataFrame, dictionary: Any = None, *, by: str = "document", parts: bool = True) -> pd.DataFrame:
    """Hits per 1,000 words for each policy-frame dimension, per document or outlet.

    Parameters
    ----------
    docs : DataFrame
        Documents (``doc_id, outlet, title, text``); the headline is ``title``.
    dictionary : path, YAML text, dict or None
        Frame dictionary (:func:`load_frame_dictionary`); None = the kit's default
        (the 15 Boydstun et al. 2014 dimensions, the kit's own word lists).
    by : {'document', 'outlet'}
        One row set per document, or per outlet (hits and words summed over its
        documents; ``doc_id`` then lists them, comma-separated).
    parts : bool
        True: rows for 'headline' (the title), 'lede' (first two sentences of ``text``),
        'body' (the rest) and 'all' (their sum); False: 'all' only.

    Returns
    -------
    DataFrame
        ``doc_id, outlet, n_docs, part, frame, label, n_hits`` (dictionary hits: one per
        matched word or phrase per frame), ``n_words`` (words of that part,
        ``analysis.text.tokens``), ``per_1k_words`` (1000 × n_hits / n_words; higher =
        more of the frame's vocabulary; NaN when the part has no words). Every frame is
        listed, zeros included.
    """
    P.check_docs(docs, "frames")
    if by not in {"document", "outlet"}:
        raise ParameterError(f"frames(by={by!r}): use 'document' or 'outlet'.")
    d = load_frame_dictionary(dictionary)
    rows, n_words = _hit_rows(docs, d)
    hits = defaultdict(int)
    for r in rows:
        hits[(r["doc_id"], r["part"], r["frame"])] += 1
    want_parts = PARTS if parts else ("all",)
    meta = [(doc_id, outlet) for doc_id, outlet, _t, _x in P.iter_docs(docs)]
    out = []
    if by == "document":
        units = [([doc_id], doc_id, outlet) for doc_id, outlet in meta]
    else:
        groups: dict[str, list[str]] = defaultdict(list)
        for doc_id, outlet in meta:
            groups[outlet].append(doc_id)
        units = [(ids, ",".join(ids), outlet) for outlet, ids in sorted(groups.items())]
    for ids, label_id, outlet in units:
        for part in want_parts:
            src_parts = ("headline", "lede", "body") if part == "all" else (part,)
            nw = sum(n_words.get((i, p), 0) for i in ids for p in src_parts)
            for frame, spec in d.items():
                nh = sum(hits.get((i, p, frame), 0) for i in ids for p in src_parts)
                out.append(dict(doc_id=label_id, outlet=outlet, n_docs=len(ids), part=part,
                                frame=frame, label=spec["label"], n_hits=nh, n_words=nw,
                                per_1k_words=1000.0 * nh / nw if nw else float("nan")))
    return pd.DataFrame(out, columns=FRAME_COLUMNS)


def frame_terms(docs: pd.DataFrame, dictionary: Any = None, *, part: str = "all", min_hits: int = 1) -> pd.DataFrame:
    """The terms behind each outlet's frame scores, compared with the other outlets.

    Parameters
    ----------
    docs : DataFrame
        Documents.
    dictionary : path, YAML text, dict or None
        Frame dictionary; None = the kit's default.
    part : {'all', 'headline', 'lede', 'body'}
        Which part of the articles to count.
    min_hits : int
        Keep terms with at least this many hits in the outlet or the rest.

    Returns
    -------
    DataFrame
        One row per outlet × frame × term: ``outlet, frame, term`` (dictionary entry),
        ``matched`` (the forms found in the outlet, '; '-separated), ``n_target`` (hits in
        the outlet), ``n_reference`` (hits in all other outlets), ``words_target,
        words_reference``, ``per_1k_target, per_1k_reference`` (hits per 1,000 words),
        ``diff_per_1k`` (target − reference; positive = the outlet uses the term more),
        sorted by outlet, frame and ``diff_per_1k`` descending.
    """
    P.check_docs(docs, "frame_terms")
    if part not in PARTS:
        raise ParameterError(f"frame_terms(part={part!r}): use one of {list(PARTS)}.")
    if not isinstance(min_hits, int) or min_hits < 1:
        raise ParameterError(f"frame_terms(min_hits={min_hits!r}): give a positive integer.")
    d = load_frame_dictionary(dictionary)
    rows, n_words = _hit_rows(docs, d)
    src_parts = ("headline", "lede", "body") if part == "all" else (part,)
    outlet_of = {doc_id: outlet for doc_id, outlet, _t, _x in P.iter_docs(docs)}
    words_by_outlet: dict[str, int] = defaultdict(int)
    for (doc_id, p), n in n_words.items():
        if p in src_parts:
            words_by_outlet[outlet_of[doc_id]] += n
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    forms: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in rows:
        if r["part"] in src_parts:
            key = (r["outlet"], r["frame"], r["term"])
            counts[key] += 1
            forms[key].add(r["matched"])
    outlets = sorted(set(outlet_of.values()))
    total_words = sum(words_by_outlet.values())
    terms = sorted({(f, t) for _o, f, t in counts})
    out = []
    for outlet in outlets:
        wt = words_by_outlet.get(outlet, 0)
        wr = total_words - wt
        for frame, term in terms:
            nt = counts.get((outlet, frame, term), 0)
            nr = sum(counts.get((o, frame, term), 0) for o in outlets if o != outlet)
            if max(nt, nr) < min_hits:
                continue
            pt = 1000.0 * nt / wt if wt else float("nan")
            pr = 1000.0 * nr / wr if wr else float("nan")
            out.append(dict(outlet=outlet, frame=frame, term=term,
                            matched="; ".join(sorted(forms.get((outlet, frame, term), set()))),
                            n_target=nt, n_reference=nr, words_target=wt, words_reference=wr,
                            per_1k_target=pt, per_1k_reference=pr, diff_per_1k=pt - pr))
    res = pd.DataFrame(out, columns=["outlet", "frame", "term", "matched", "n_target", "n_reference",
                                     "words_target", "words_reference", "per_1k_target",
                                     "per_1k_reference", "diff_per_1k"])
    if len(res):
        res = res.sort_values(["outlet", "frame", "diff_per_1k"], ascending=[True, True, False],
                              kind="stable").reset_index(drop=True)
    return res
