"""Policy-frame dimensions: dictionary hits per 1,000 words, by part of the article.

The fifteen dimensions are those of the Policy Frames Codebook (Boydstun, Card, Gross,
Resnik & Smith 2014), used in the Media Frames Corpus (Card et al. 2015). Scoring is a
transparent dictionary count: each term (word, glob pattern or phrase) found in the text is
one hit for its frame; ``per_1k_words`` = 1000 × hits / words of that part (higher = the
frame's vocabulary is more present). ``frame_hits`` lists every hit with its sentence and
``frame_terms`` the terms that drive each outlet's difference from the rest, so no score is
a black box. The default dictionary (``analysis/resources/frames_en.yaml``) is the kit's own
word list; it is a starting point, not a validated classifier.

Matching runs on the parsed text (:func:`analysis.nlp.parse`; headlines parsed on their
own): a term matches a word or its lemma, optionally only for given parts of speech, and
never a name. Names are words inside a named entity (:data:`NAME_ENTITIES`: "Kim Jong Un"
is not the UN, the "Justice Department" is not Fairness), a title compounded onto one
("President" Trump) and, in the body, a capitalised proper noun after the sentence's first
word; nationalities, religious and political groups (spaCy's ``NORP``) are not names. A
dictionary entry written with a capital letter ("Ramadan") may match a capitalised word
outside the named entities. Each frame's ``exclude`` entries (false friends such as
"investigation" for ``invest*`` or "defense attorney" for ``defense``) claim their words
before any term, as phrases claim theirs before single words, so a word is one hit per
frame at most. Following the warning in METHODS ("frame dictionaries need exclusions").
"""

from __future__ import annotations

import copy
import functools
import json
import logging
import re
from collections import defaultdict
from typing import Any

import pandas as pd

from analysis.errors import ParameterError
from analysis.framing import _patterns as P

log = logging.getLogger(__name__)

FRAME_FIELDS = {"label", "description", "terms", "exclude"}
TOP_FIELDS = {"frames", "name", "version", "source", "description", "exclude"}
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
        case-insensitive whole words of the parsed text, matched on the word or its lemma
        ("court" = courts, "kill" = killed); ``*`` = any letters within a word, ``?`` = one
        letter; a phrase matches its words in sequence; ``word/NOUN`` (or ``/NOUN|VERB``)
        restricts the universal part of speech. ``exclude: [...]`` (per frame, or top-level
        for every frame) lists false friends in the same syntax: their words never count
        for that frame ("investigat*" keeps ``invest*`` off "investigation").

    Returns
    -------
    dict
        frame -> ``{"label": str, "description": str, "terms": list[str], "exclude":
        list[str]}`` in file order (``exclude`` holds the frame's and the top-level ones).

    Raises
    ------
    ParameterError
        Not valid YAML (names the line), an unknown field (names field, line and the
        allowed fields), terms that are not a list of text, no frames.
    """
    if source is None:
        return copy.deepcopy(_default_dictionary())
    return _read_dictionary(source, where_default=False)


@functools.lru_cache(maxsize=1)
def _default_dictionary() -> dict[str, dict[str, Any]]:
    """The kit's ``frames_en.yaml``, read and checked once per process (callers get copies)."""
    from analysis.resources import read_text

    return _read_dictionary(read_text("frames_en.yaml"), where_default=True)


def _read_dictionary(source: Any, *, where_default: bool) -> dict[str, dict[str, Any]]:
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
    common_exclude = _term_list(data.get("exclude", []), where=where, owner="top-level exclude",
                                line=P.line_of(top, "exclude") if top else "")
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
        lists = {}
        for field in ("terms", "exclude"):
            lists[field] = _term_list(spec.get(field, []), where=where,
                                      owner=f"frame {name!r} {field}",
                                      line=P.line_of(field_lines, field) or line)
        out[name] = {
            "label": str(spec.get("label", name)),
            "description": str(spec.get("description", "")),
            "terms": lists["terms"],
            "exclude": lists["exclude"] + common_exclude,
        }
    return out


def _term_list(terms: Any, *, where: str, owner: str, line: str) -> list[str]:
    """A list of dictionary entries, checked (text, non-empty)."""
    terms = terms or []
    if not isinstance(terms, list):
        raise ParameterError(f"{where}: {owner}{line} must be a list, e.g. terms: [cost*, budget*].")
    for t in terms:
        if not isinstance(t, str) or not t.strip():
            raise ParameterError(f"{where}: {owner} has entry {t!r}{line}, which is not text; quote it.")
    return [t.strip() for t in terms]


# --------------------------------------------------------------------------- matching

#: entity types whose tokens never match a frame word (names of people, bodies, places,
#: things and laws: "Kim Jong Un" is not the UN, the "Justice Department" is not fairness)
NAME_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "LAW"})
#: universal part-of-speech tags a term may name after a slash ("plan/NOUN", "fair/ADJ|ADV")
UPOS = frozenset({"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART",
                  "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X"})


class _Word:
    """One word of a parsed sentence: spaCy tokens joined by hyphens form one word."""

    __slots__ = ("text", "lemma", "pos", "name", "hard_name")

    def __init__(self, text: str, lemma: str, pos: str, name: bool, hard_name: bool):
        self.text = text
        self.lemma = lemma
        self.pos = pos
        self.name = name  # a proper name or a title that is part of one
        self.hard_name = hard_name  # inside a named entity of NAME_ENTITIES


def _norm(s: str) -> str:
    return s.lower().replace("’", "'")


def _word_rx(word: str) -> re.Pattern[str]:
    """One dictionary word (glob) against one lower-cased word of the text."""
    return re.compile(P.glob_word(_norm(word), r"[\w'.\-]"))


def _is_title_of_name(tok) -> bool:
    """A capitalised word that modifies a named entity ("President" Trump, "Justice" Kennedy)."""
    if tok.pos_ != "PROPN" or not tok.text[:1].isupper():
        return False
    for _ in range(3):  # "Vice" -> "President" -> Pence
        if tok.dep_ != "compound" or tok.head is tok:
            return False
        tok = tok.head
        if tok.ent_type_ in NAME_ENTITIES:
            return True
    return False


def _words(tokens, *, headline: bool) -> list[_Word]:
    """The sentence's words with their lemma, part of speech and name flags.

    In body text a capitalised proper noun (``PROPN``) that does not open the sentence is a
    name; in headlines (often in title case) only named entities and titles before them are.
    Nationalities, religious and political groups (``NORP``: "Republicans", "Muslim") are
    the vocabulary of identity and party and are not names here.
    """
    toks = [t for t in tokens if not t.is_space]
    out: list[_Word] = []
    i = 0
    first = True
    while i < len(toks):
        j = i
        # join "cease - fire", "self - defense", "Hamas - run" written without spaces
        while (j + 2 < len(toks) and toks[j + 1].text in {"-", "‑"} and not toks[j].whitespace_
               and not toks[j + 1].whitespace_ and toks[j + 2].is_alpha):
            j += 2
        group = toks[i : j + 1]
        i = j + 1
        if all(t.is_punct for t in group):
            continue
        hard = any(t.ent_type_ in NAME_ENTITIES for t in group)
        name = hard or any(_is_title_of_name(t) for t in group)
        if not headline and not name:
            name = any(
                t.pos_ == "PROPN" and t.text[:1].isupper() and not t.text.isupper()
                and t.ent_type_ != "NORP"
                and not (first and t is group[0])
                for t in group
            )
        first = False
        if len(group) == 1:
            t = group[0]
            out.append(_Word(_norm(t.text), _norm(t.lemma_), t.pos_, name, hard))
        else:
            text = _norm("".join(t.text_with_ws for t in group).strip())
            out.append(_Word(text, text, group[-1].pos_, name, hard))
    return out


class _Term:
    """One dictionary entry: words (globs allowed), optional parts of speech."""

    def __init__(self, term: str, *, where: str = "frame dictionary"):
        self.term = term
        body, pos = term, None
        if "/" in term:
            head, _, tail = term.rpartition("/")
            tags = tail.split("|")
            if head.strip() and tags and all(tag in UPOS for tag in tags):
                body, pos = head, frozenset(tags)
        self.pos = pos
        # a term written with a capital letter ("Ramadan", "GDP") may match a capitalised
        # word; a lower-case one never matches a name or a title before one
        self.capitalised = any(ch.isupper() for ch in body)
        self.rxs = [_word_rx(w) for w in _norm(body).split()]
        self.words = _norm(body).split()
        self.glob = [any(ch in w for ch in "*?") for w in self.words]

    def word_ok(self, k: int, w: _Word) -> bool:
        if w.hard_name or (w.name and not self.capitalised):
            return False
        if self.pos is not None and w.pos not in self.pos:
            return False
        if self.glob[k]:
            rx = self.rxs[k]
            return bool(rx.fullmatch(w.text) or rx.fullmatch(w.lemma))
        return w.text == self.words[k] or w.lemma == self.words[k]

    def match_at(self, words: list[_Word], i: int) -> bool:
        n = len(self.words)
        return i + n <= len(words) and all(self.word_ok(k, words[i + k]) for k in range(n))


class _Matcher:
    """Lemma- and part-of-speech-aware matcher for a frame dictionary, with exclusions."""

    def __init__(self, dictionary: dict[str, dict[str, Any]]):
        # (frame, term, is_exclusion) for every entry
        self.entries: list[tuple[str, _Term, bool]] = []
        for frame, spec in dictionary.items():
            self.entries += [(frame, _Term(t), False) for t in spec["terms"]]
            if spec["terms"]:
                self.entries += [(frame, _Term(t), True) for t in spec.get("exclude", [])]
        self.exact: dict[str, list[int]] = defaultdict(list)
        self.globs: list[int] = []
        for k, (_f, term, _x) in enumerate(self.entries):
            if term.glob[0]:
                self.globs.append(k)
            else:
                self.exact[term.words[0]].append(k)
        self._first: dict[tuple[str, str], list[int]] = {}

    def first(self, w: _Word) -> list[int]:
        """Entries whose first word's text pattern fits ``w`` (parts of speech checked later)."""
        key = (w.text, w.lemma)
        hit = self._first.get(key)
        if hit is None:
            found = set(self.exact.get(w.text, ())) | set(self.exact.get(w.lemma, ()))
            for k in self.globs:
                rx = self.entries[k][1].rxs[0]
                if rx.fullmatch(w.text) or rx.fullmatch(w.lemma):
                    found.add(k)
            hit = sorted(found)
            if len(self._first) < 200_000:
                self._first[key] = hit
        return hit

    def hits(self, words: list[_Word]) -> list[tuple[str, str, str]]:
        """(frame, term, matched text) for each hit; one hit per word per frame; phrases claim
        their words before single words, exclusions before both."""
        found: dict[str, list[tuple[int, int, int, _Term, bool]]] = defaultdict(list)
        for i, w in enumerate(words):
            for k in self.first(w):
                frame, term, excl = self.entries[k]
                n = len(term.words)
                ok = _plain_match(term, words, i) if excl else term.match_at(words, i)
                if ok:
                    found[frame].append((0 if excl else 1, -n, i, term, excl))
        out: list[tuple[str, str, str]] = []
        for frame, cands in found.items():
            claimed: set[int] = set()
            for _o, neg_n, i, term, excl in sorted(cands, key=lambda c: c[:3]):
                span = range(i, i - neg_n)
                if excl:
                    claimed.update(span)
                    continue
                if any(j in claimed for j in span):
                    continue
                claimed.update(span)
                out.append((frame, term.term, " ".join(w.text for w in words[i : i - neg_n])))
        return out


#: Compiled matchers by dictionary content (a report calls the frame measures once per story
#: with the same dictionary; compiling its patterns is a good part of a short story's time).
_MATCHERS: dict[str, _Matcher] = {}
_MATCHERS_KEPT = 8


def _matcher(dictionary: dict[str, dict[str, Any]]) -> _Matcher:
    """The :class:`_Matcher` of ``dictionary``, compiled once per process per content."""
    key = json.dumps(dictionary, sort_keys=True, default=str)
    found = _MATCHERS.get(key)
    if found is None:
        if len(_MATCHERS) >= _MATCHERS_KEPT:
            _MATCHERS.clear()
        found = _MATCHERS[key] = _Matcher(dictionary)
    return found


@functools.lru_cache(maxsize=1)
def warm() -> None:
    """Read the default dictionary and compile its matcher now, once per process (batch
    kernels call it, so that the framing pass forked for every story finds both in memory)."""
    _matcher(load_frame_dictionary())


def _plain_match(term: _Term, words: list[_Word], i: int) -> bool:
    """An exclusion matches whatever the words are (names included)."""
    n = len(term.words)
    if i + n > len(words):
        return False
    for k in range(n):
        w = words[i + k]
        if term.pos is not None and w.pos not in term.pos:
            return False
        if term.glob[k]:
            if not (term.rxs[k].fullmatch(w.text) or term.rxs[k].fullmatch(w.lemma)):
                return False
        elif w.text != term.words[k] and w.lemma != term.words[k]:
            return False
    return True


def _parse_within_limit(texts: list[str], doc_ids: list[str]) -> list[Any]:
    """Parses of the texts the parser takes; None (with a warning) for longer ones.

    Text that cannot be prose (runs without a space, sentence text past the framing
    patterns' 3,000-character limit) is blanked before parsing, as actor discovery does, so
    hostile input stays fast; offsets are unchanged.
    """
    from analysis import nlp

    if not texts:
        return []
    limit = nlp.load_pipeline().max_length
    ok = [i for i, t in enumerate(texts) if len(t) <= limit]
    for i in set(range(len(texts))) - set(ok):
        log.warning("doc_id %r has %d characters, more than the parser takes (%d): read without "
                    "lemmas, parts of speech or names", doc_ids[i], len(texts[i]), limit)

    todo = [texts[i] for i in ok]
    blanked = [P.blank_hostile(t) for t in todo]
    if blanked != todo:  # news prose is parsed as written (and shares the parse of other measures)
        log.warning("runs of characters without a space and sentence text past %d characters are "
                    "read as blank", P.MAX_SENTENCE_CHARS)
    out: list[Any] = [None] * len(texts)
    for i, d in zip(ok, nlp.parse(blanked) if ok else []):
        out[i] = d
    return out


def _hit_rows(docs: pd.DataFrame, dictionary) -> tuple[list[dict], dict[tuple[str, str], int]]:
    from analysis import nlp
    from analysis.text import tokens

    matcher = _matcher(dictionary)
    rows: list[dict] = []
    n_words: dict[tuple[str, str], int] = defaultdict(int)
    meta = list(P.iter_docs(docs))
    parsed = _parse_within_limit([text for _d, _o, _t, text in meta], [d for d, _o, _t, _x in meta])
    titles = [title.strip()[: P.MAX_SENTENCE_CHARS] for _d, _o, title, _x in meta]
    want = sorted({t for t in titles if t})
    parsed_titles = dict(zip(want, nlp.parse(want))) if want else {}
    for (doc_id, outlet, _title, text), doc, title in zip(meta, parsed, titles):
        units: list[tuple[str, int, str, Any, bool]] = []
        if title:
            units.append(("headline", -1, title, parsed_titles[title], True))
        if text.strip() and doc is not None:
            for sent_id, span in enumerate(nlp.sentences_of(doc)):
                sentence = text[span.start_char : span.end_char][: P.MAX_SENTENCE_CHARS]
                part = "lede" if sent_id < LEDE_SENTENCES else "body"
                units.append((part, sent_id, sentence, span, False))
        elif text.strip():  # longer than the parser takes: words without lemma, tag or names
            for sent in P.doc_sentences(doc_id, outlet, text):
                part = "lede" if sent.sent_id < LEDE_SENTENCES else "body"
                units.append((part, sent.sent_id, sent.text, None, False))
        for part, sent_id, sentence, toks, headline in units:
            words = tokens(sentence)
            n_words[(doc_id, part)] += len(words)
            if toks is None:
                plain = [_Word(_norm(w), _norm(w), "", False, False) for w in words]
            else:
                plain = _words(toks, headline=headline)
            for frame, term, matched in matcher.hits(plain):
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
