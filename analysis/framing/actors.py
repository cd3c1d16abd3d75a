"""Actors and the words outlets use to name and describe them.

Word choice and labelling after Hamborg, Zhukova & Gipp (2019), "Automated identification
of media bias by word choice and labeling in news articles" (JCDL): for each actor, the
phrases an outlet uses to refer to it ("Hamas terrorists", "the militant group",
"Hamas-run"). The kit's version is rule-based: regular expressions and small word lists
around each dictionary mention, plus rules on the spaCy parse (:func:`analysis.nlp.parse`)
for modifiers, appositions, predicate nouns and free-standing descriptions; it is driven by
a YAML actor dictionary and keeps the sentence behind every label. Without a dictionary (``actors=None``) every function uses the story's own actors,
discovered from its named entities (:func:`analysis.framing.discover.discover_actors`);
``entities`` lists those names with each outlet's spellings.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import ParameterError
from analysis.framing import _patterns as P

log = logging.getLogger(__name__)

ACTOR_FIELDS = {"aliases", "side", "type", "description", "note"}
TOP_FIELDS = {"actors", "name", "description", "version", "source"}
ACTOR_TYPES = {"person", "group", "state", "organisation", "organization", "population", "place",
               "state/place", "other"}

LABEL_COLUMNS = ["outlet", "actor", "doc_id", "sent_id", "label", "label_kind", "mention",
                 "in_quote", "start", "end", "sentence", "in_headline", "evaluative", "attributed_to"]
MENTION_COLUMNS = ["doc_id", "outlet", "sent_id", "actor", "side", "mention", "start", "end",
                   "in_quote", "sentence"]

COMPOUND_SUFFIXES = {"run", "controlled", "led", "backed", "affiliated", "linked", "allied",
                     "aligned", "ruled", "held", "governed", "funded", "supported", "sponsored",
                     "inspired", "dominated", "administered", "occupied", "based"}
HEAD_NOUNS = {"terrorists", "terrorist", "militants", "militant", "fighters", "fighter",
              "gunmen", "operatives", "leaders", "leader", "officials", "official",
              "members", "commanders", "battalions", "rulers", "authorities", "government",
              "militia", "militias", "forces", "soldiers", "troops", "regime", "terror",
              "hostages", "captors", "attackers", "extremists", "supporters", "leadership",
              "spokesman", "spokeswoman", "negotiators", "administration", "officers"}
DESCRIPTORS = {"militant", "terrorist", "terror", "islamist", "extremist", "armed",
               "palestinian", "group", "organization", "organisation", "movement", "faction",
               "hardline", "far-right", "right-wing", "left-wing", "veteran", "embattled",
               "former", "israeli", "american", "u.s.", "us", "white", "house", "press",
               "national", "security", "strategic", "affairs", "defense", "defence", "prime",
               "foreign", "state", "islamic", "resistance", "ruling", "radical", "militia",
               "chief", "senior", "top", "longtime", "controversial", "beleaguered",
               "wartime", "hawkish", "democratic", "republican", "incumbent"}
#: titles of local offices that name their holder ("Sheriff Arpaio", "the sheriff"), beside
#: the general title words of :mod:`analysis.framing._patterns`
_LOCAL_TITLES = frozenset({"sheriff", "marshal", "constable"})
_DESC_N = P._normset(DESCRIPTORS) | P.TITLE_N | P.DEMONYM_N | _LOCAL_TITLES

_ANAPHOR = re.compile(
    r"\b[Tt]he\s+((?:(?:militant|terrorist|terror|Islamist|islamist|Palestinian|Israeli|American|"
    r"U\.S\.|US|armed|extremist|hardline|ruling|embattled|veteran|militant-run|Gaza-based)\s+){0,3})"
    r"(group|organi[sz]ation|movement|faction|militants|leader|premier|prime minister|"
    r"spokeswoman|spokesman|press secretary|defense minister)(?![\w-])"
)
_ANAPHOR_TYPES = {
    "group": {"group", "organisation", "organization"},
    "organization": {"group", "organisation", "organization"},
    "organisation": {"group", "organisation", "organization"},
    "movement": {"group", "organisation", "organization"},
    "faction": {"group", "organisation", "organization"},
    "militants": {"group"},
}
_DEMONYM_SIDE = {"israeli": "israel", "american": "us", "us": "us", "palestinian": "palestinian"}

# after the name: ", (which is) designated ...", "is designated ...", "who was branded ...";
# never a bare participle after the name ("Vance considered ill-advised": his own view)
_DESIGNATION = re.compile(
    r"\A(?:,\s{1,3}(?:(?:which|who)\s+(?:is|was|has\s+been|had\s+been)\s+)?|\s{1,3}(?:(?:which|who)\s+)?"
    r"(?:is|was|has\s+been|had\s+been|been)\s+)(?:officially\s+|formally\s+|widely\s+)?(?:designated|listed|"
    r"classified|branded|labell?ed|deemed|considered)\s+(?:as\s+)?(?:an?\s+|the\s+)?"
    r"([\w'’\-]+(?:\s+[\w'’\-]+){0,4}?)(?=\s+(?:by|in|since|under|for)\b|\s*[,.;:)]|\Z)"
)
_APPOSITIVE = re.compile(
    r"\A,\s{1,3}((?:the|a|an|one|two|three|its|his|her|their|another)\s+[^,.;:“”\"()]{2,80}?)"
    r"(?=\s*[,.;:)]|\Z)"
)
_PREDICATE = re.compile(
    r"\A(?:,[^,.;:“”\"]{1,100},)?\s{1,3}(?:is|was|are|were|remains|remained|has\s+been|had\s+been|"
    r"became|becomes)\s+(?:also\s+|now\s+|still\s+)?(?:an?|the|one\s+of\s+the)\s+"
    r"((?:[\w'’\-]+\s+){0,4}?[\w'’\-]+(?:\s+of\s+(?:the\s+)?[\w'’\-]+)?)"
    r"(?=\s+(?:in|for|to|who|that|which|with|since|by|on|at|and|but|from)\b|\s*[,.;:)]|\Z)"
)


# --------------------------------------------------------------------------- dictionary


def default_actor_path() -> Path:
    """Path of the seed story's actor dictionary (``seeds/actors.yaml``)."""
    from analysis.corpus import SEEDS_DIR

    return Path(SEEDS_DIR) / "actors.yaml"


def resolve_actors(docs: pd.DataFrame, actors: Any) -> dict[str, dict[str, Any]]:
    """The actor dictionary a framing function uses: ``actors`` when given
    (:func:`load_actor_dictionary`), else the actors discovered in ``docs``
    (:func:`analysis.framing.discover.discovered_dictionary`; possibly empty)."""
    if actors is None:
        from analysis.framing.discover import discovered_dictionary

        return discovered_dictionary(docs)
    if isinstance(actors, dict) and (not actors or actors == {"actors": {}}):
        return {}  # a story without actors (e.g. an empty discovered dictionary)
    return load_actor_dictionary(actors)


def load_actor_dictionary(source: Any = None) -> dict[str, dict[str, Any]]:
    """Read and check an actor dictionary.

    Parameters
    ----------
    source : path, YAML text, dict or None
        ``actors:`` mapping actor name -> ``{aliases: [...], side: ..., type: ...}`` (a
        plain list is shorthand for ``aliases``). None reads the seed story's
        ``seeds/actors.yaml``. Aliases are whole words; ``*`` matches any letters within a
        word, ``?`` one letter; several words match across any spacing; an alias with a
        capital letter is case-sensitive, an all-lower-case one is not.

    Returns
    -------
    dict
        actor -> ``{"aliases": list[str], "side": str | None, "type": str | None}``.

    Raises
    ------
    ParameterError
        Not valid YAML (names the line and column), an actor without aliases, an unknown
        field (names the field, its line and the allowed fields), a non-text alias.
    """
    if source is None:
        source = default_actor_path()
    if isinstance(source, dict) and source and all(
        isinstance(v, dict) and "aliases" in v for v in source.values()
    ) and "actors" not in source:
        source = {"actors": source}
    data, node, where = P.read_yaml(source, what="actor dictionary")
    top_lines = P.mapping_key_lines(node) if node is not None else None
    if not isinstance(data, dict) or not data:
        raise ParameterError(
            f"{where}: an actor dictionary must be a mapping with an 'actors:' key, e.g.\n"
            f"actors:\n  Hamas:\n    aliases: ['Hamas*']\n    side: palestinian"
        )
    if "actors" in data:
        unknown = [k for k in data if k not in TOP_FIELDS]
        if unknown:
            k = unknown[0]
            raise ParameterError(
                f"{where}: unknown top-level field {k!r}{P.line_of(top_lines, str(k))}; allowed: "
                f"{sorted(TOP_FIELDS)}. Put actors under 'actors:'."
            )
        actors_data = data["actors"]
        actor_lines = (
            P.mapping_key_lines(top_lines["actors"][1]) if top_lines and "actors" in top_lines else None
        )
    else:
        actors_data, actor_lines = data, top_lines
    if not isinstance(actors_data, dict) or not actors_data:
        raise ParameterError(f"{where}: 'actors' must map actor names to their aliases; it is empty or not a mapping.")
    out: dict[str, dict[str, Any]] = {}
    for actor, spec in actors_data.items():
        name = str(actor)
        line = P.line_of(actor_lines, name)
        field_lines = P.mapping_key_lines(actor_lines[name][1]) if actor_lines and name in actor_lines else None
        if spec is None:
            spec = {}
        if isinstance(spec, list):
            spec = {"aliases": spec}
        if not isinstance(spec, dict):
            raise ParameterError(
                f"{where}: actor {name!r}{line} must have 'aliases: [...]' (and optionally side, "
                f"type); got {type(spec).__name__}."
            )
        P.refuse_unknown_fields(
            spec, ACTOR_FIELDS, where=where, owner=f"actor {name!r}", field_lines=field_lines, line=line,
            hint="Check the spelling (e.g. 'aliases', not 'alias').",
        )
        aliases = spec.get("aliases")
        if isinstance(aliases, str):
            aliases = [aliases]
        if not aliases:
            raise ParameterError(
                f"{where}: actor {name!r}{line} has an empty alias list; give at least one name, "
                f"e.g. aliases: [{name!r}]."
            )
        clean = []
        for a in aliases:
            if not isinstance(a, str) or not a.strip():
                raise ParameterError(
                    f"{where}: actor {name!r}{line} has alias {a!r}, which is not text; quote it."
                )
            clean.append(a.strip())
        typ = spec.get("type")
        if typ is not None and str(typ) not in ACTOR_TYPES:
            raise ParameterError(
                f"{where}: actor {name!r} has type {typ!r}{P.line_of(field_lines, 'type') or line}; "
                f"use one of {sorted(ACTOR_TYPES)}."
            )
        side = spec.get("side")
        out[name] = {
            "aliases": clean,
            "side": None if side is None else str(side),
            "type": None if typ is None else str(typ),
        }
    return out


def _actor_matchers(dictionary: dict[str, dict[str, Any]]) -> list[tuple[str, list[re.Pattern[str]]]]:
    return [(actor, [P.glob_to_regex(a) for a in spec["aliases"]]) for actor, spec in dictionary.items()]


class _ActorIndex:
    """All aliases of a dictionary, bucketed by first letter, tried at word starts only.

    At each word start the aliases beginning with that letter are tried longest first, so
    the longest alias wins ("Israel Defense Forces" before "Israel"); matches never
    overlap. Linear in the sentence length times the (small) bucket size.
    """

    def __init__(self, dictionary: dict[str, dict[str, Any]]):
        self.buckets: dict[str, list[tuple[re.Pattern[str], str]]] = defaultdict(list)
        entries = []
        for actor, spec in dictionary.items():
            for alias in spec["aliases"]:
                entries.append((len(alias.replace("*", "")), alias, actor))
        entries.sort(key=lambda e: -e[0])
        for _n, alias, actor in entries:
            rx = P.glob_to_regex(alias)
            first = alias[1] if alias[:1] == "\\" and len(alias) > 1 else alias[0]
            if first in "*?":
                for key in "abcdefghijklmnopqrstuvwxyz0123456789":
                    self.buckets[key].append((rx, actor))
            else:
                self.buckets[first.lower()].append((rx, actor))

    def find(self, s: str) -> list[tuple[int, int, str]]:
        out: list[tuple[int, int, str]] = []
        last_end = -1
        toks = P.tokenize(s)
        for k, t in enumerate(toks):
            if t.start < last_end:
                continue
            for rx, actor in self.buckets.get(t.text[0].lower(), ()):
                m = rx.match(s, t.start)
                if m and m.end() > m.start():
                    if _continues_name(s, toks, k):
                        break  # "Security Council" inside "National Security Council"
                    out.append((m.start(), m.end(), actor))
                    last_end = m.end()
                    break
        return out


_NOT_NAME_START = (P.TITLE_N | P.DEMONYM_N | frozenset({
    "counsel", "attorney", "prosecutor", "commissioner", "inspector", "dictator", "strongman",
    "the", "a", "an", "in", "on", "at", "as", "if", "but", "and", "or", "when", "while", "after",
    "before", "for", "from", "with", "by", "to", "of", "that", "this", "then", "so", "yet",
    "former", "new", "says", "said", "tells", "told", "asked", "how", "why", "what", "where",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "jan", "feb", "aug", "sept", "oct", "nov", "dec",
    # capitalised adjectives that describe rather than name ("the Islamist Hamas movement")
    "islamist", "militant", "extremist", "radical", "embattled", "veteran", "democratic",
    "republican", "conservative", "liberal", "jewish", "muslim", "christian", "catholic",
    "shiite", "sunni", "kurdish", "arab", "western", "eastern", "northern", "southern",
}))


def _continues_name(s: str, toks: list[P.Tok], k: int) -> bool:
    """Whether token ``k`` continues a longer capitalised name: the word right before it
    (one space apart, not the sentence's first word) is capitalised and not a title,
    demonym, date word or function word ("National" before "Security Council")."""
    if k == 0:
        return False
    t, p = toks[k], toks[k - 1]
    if not t.cap or not p.cap or p.possessive or s[p.end : t.start] != " " or p.n in _NOT_NAME_START:
        return False
    if k == 1 and s[: p.start].strip(" \t\"“‘'(—-") == "":
        return False  # the previous word opens the sentence
    if p.text.isupper() and len(p.text) > 3:
        return False  # a dateline or headline word
    return True


def _find_mentions(s: str, matchers) -> list[tuple[int, int, str]]:
    """Non-overlapping actor mentions in ``s``: longest match wins, then earliest."""
    if isinstance(matchers, _ActorIndex):
        return matchers.find(s)
    found = []
    for actor, rxs in matchers:
        for rx in rxs:
            for m in rx.finditer(s):
                if m.end() > m.start():
                    found.append((m.start(), m.end(), actor))
    found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    out: list[tuple[int, int, str]] = []
    last_end = -1
    for a, b, actor in found:
        if a >= last_end:
            out.append((a, b, actor))
            last_end = b
    return out


def _doc_quote_index(text: str):
    spans = P.quote_spans(text)
    starts = [a for a, _ in spans]
    singles = [sp for sp in P.single_quote_spans(text) if not P.in_spans(sp[0], starts, spans)]
    spans = sorted(spans + singles)
    return [a for a, _ in spans], spans


def _mentions_rows(docs: pd.DataFrame, dictionary) -> tuple[list[dict], dict]:
    matchers = _ActorIndex(dictionary)
    rows: list[dict] = []
    per_doc: dict[str, tuple[str, list[P.Sentence], Any]] = {}
    for doc_id, outlet, _title, text in P.iter_docs(docs):
        sents = P.doc_sentences(doc_id, outlet, text)
        qidx = _doc_quote_index(text)
        per_doc[doc_id] = (text, sents, qidx)
        for s in sents:
            for a, b, actor in _find_mentions(s.text, matchers):
                rows.append(dict(
                    doc_id=doc_id, outlet=outlet, sent_id=s.sent_id, actor=actor,
                    side=dictionary[actor].get("side"), mention=s.text[a:b],
                    start=s.start + a, end=s.start + b,
                    in_quote=P.in_spans(s.start + a, qidx[0], qidx[1]), sentence=s.text,
                ))
    return rows, per_doc


def actor_mentions(docs: pd.DataFrame, actors: Any = None) -> pd.DataFrame:
    """Every mention of every dictionary actor, with its sentence.

    Parameters
    ----------
    docs : DataFrame
        Documents (``doc_id, outlet, text``).
    actors : path, YAML text, dict or None
        Actor dictionary (:func:`load_actor_dictionary`); None = the story's discovered
        actors (:func:`analysis.framing.discover.discover_actors`), never the seed story's.

    Returns
    -------
    DataFrame
        ``doc_id, outlet, sent_id`` (0-based sentence in ``text``), ``actor, side``,
        ``mention`` (the text matched; where aliases overlap the longest wins),
        ``start, end`` (character offsets in ``text``), ``in_quote`` (inside quotation
        marks: a speaker's words, not the outlet's), ``sentence``.
    """
    P.check_docs(docs, "actor_mentions")
    dictionary = resolve_actors(docs, actors)
    rows, _ = _mentions_rows(docs, dictionary)
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)


def actor_summary(docs: pd.DataFrame, actors: Any = None) -> pd.DataFrame:
    """Per outlet × actor: how often each actor is mentioned.

    Parameters
    ----------
    docs : DataFrame
        Documents (``doc_id, outlet, text``).
    actors : path, YAML text, dict or None
        Actor dictionary (:func:`load_actor_dictionary`); None = the story's discovered
        actors, never the seed story's.

    Returns
    -------
    DataFrame
        ``outlet, actor, side, n_docs`` (outlet's documents), ``n_mentions``,
        ``n_sentences`` (sentences mentioning the actor), ``n_in_quote`` (mentions inside
        quotation marks), ``n_words`` (outlet's words, ``analysis.text.words``),
        ``mentions_per_1k_words`` (higher = more prominent). Every outlet × actor pair is
        listed, zeros included.
    """
    from analysis.text import words

    P.check_docs(docs, "actor_summary")
    dictionary = resolve_actors(docs, actors)
    rows, _ = _mentions_rows(docs, dictionary)
    m = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    out = []
    for outlet, group in docs.groupby("outlet", sort=True):
        n_words = sum(len(words(P.as_text(t))) for t in group["text"])
        mo = m[m["outlet"] == outlet]
        for actor, spec in dictionary.items():
            ma = mo[mo["actor"] == actor]
            out.append(dict(
                outlet=outlet, actor=actor, side=spec.get("side"),
                n_docs=int(group["doc_id"].nunique()), n_mentions=len(ma),
                n_sentences=int(ma[["doc_id", "sent_id"]].drop_duplicates().shape[0]),
                n_in_quote=int(ma["in_quote"].sum()), n_words=n_words,
                mentions_per_1k_words=1000.0 * len(ma) / n_words if n_words else float("nan"),
            ))
    return pd.DataFrame(out, columns=["outlet", "actor", "side", "n_docs", "n_mentions", "n_sentences",
                                      "n_in_quote", "n_words", "mentions_per_1k_words"])


# --------------------------------------------------------------------------- labels


def _premodifier(s: str, a: int) -> tuple[int, str] | None:
    toks = P.tokenize(s[max(0, a - 160) : a])
    off = max(0, a - 160)
    chosen: list[P.Tok] = []
    nxt = a
    for t in reversed(toks):
        if len(chosen) >= 5 or not P.plain_gap(s, off + t.end, nxt):
            break
        if t.possessive or len(t.text) < 2 or _verb_word(t.n):
            break  # "Trump Says Defense Secretary Jim Mattis ...": the title starts after the verb
        if t.n in _DESC_N or (t.cap and t.n not in {"the", "a", "an", "and", "of", "in", "on"}):
            chosen.append(t)
            nxt = off + t.start
            continue
        break
    # a sentence-initial capitalised non-descriptor word is not a modifier
    while chosen and chosen[-1].n not in _DESC_N and s[: off + chosen[-1].start].strip() == "":
        chosen.pop()
    # drop leading (left-most) capitalised words that are not descriptors (other names)
    while chosen and chosen[-1].n not in _DESC_N and not chosen[-1].cap:
        chosen.pop()
    # honorifics (Mr., Mrs., Ms., Dr.) are house style, not labels
    chosen = [t for t in chosen if t.n.rstrip(".") not in HONORIFICS]
    if not chosen or not any(t.n in _DESC_N for t in chosen):
        return None
    chosen.reverse()
    return off + chosen[0].start, " ".join(t.text for t in chosen)


#: titles that, after a place or group name, make that name a modifier of the title holder
#: ("Arizona Sheriff Joe Arpaio", "Minnesota Gov. Tim Pawlenty", "the former Mexican president")
_NAME_TITLES = P.TITLE_N | {"sheriff", "mayor", "judge", "pastor", "reverend", "professor", "coach", "captain",
                            "chief", "commissioner", "prosecutor", "attorney", "councilman", "councilwoman",
                            "gov", "sen", "rep", "lt", "gen", "col", "adm", "capt", "prof", "rev", "atty", "sgt"}

_ATTRIBUTIVE_HEADS = {"campaign", "era", "tower", "organization", "team", "aide", "aides", "adviser",
                      "advisers", "associate", "associates", "family", "voters", "supporters", "official",
                      "officials", "administration", "loyalist", "loyalists", "ally", "allies", "appointee",
                      "appointees", "nominee", "presidency", "years", "policy", "policies", "voter"}


def _labels_for_mention(s: str, a: int, b: int, mention: str) -> list[tuple[str, str, int, int]]:
    """(label, kind, start, end) found around one mention in sentence ``s``."""
    out: list[tuple[str, str, int, int]] = []
    # compound: Hamas-run / Hamas-controlled
    m = re.search(r"-([a-z]+)\Z", mention)
    if m and m.group(1) in COMPOUND_SUFFIXES:
        out.append((mention, "compound", a, b))
    else:
        m2 = re.match(r"-([a-z]{2,15})(?![\w-])", s[b : b + 20])
        if m2 and m2.group(1) in COMPOUND_SUFFIXES:
            out.append((mention + m2.group(), "compound", a, b + m2.end()))
    after = s[b : b + 300]
    # a name used as a modifier ("the former Trump campaign official"): the words before it
    # describe the following noun, not the actor
    attributive = re.match(r"\s([a-z]+)\b", s[b : b + 30])
    # a name before a title and another name ("Controversial Arizona Sheriff Joe Arpaio",
    # "Texas Governor Rick Perry"): the words before it describe that person, not the place
    titled = re.match(r"\s([A-Za-z][a-z]+)\.?(?![\w-])", s[b : b + 40])
    pm = (None if (attributive and attributive.group(1) in _ATTRIBUTIVE_HEADS)
          or (titled and titled.group(1).lower() in _NAME_TITLES) else _premodifier(s, a))
    if pm:
        out.append((pm[1], "premodifier", pm[0], a))
    hn = re.match(r"\s{1,3}([a-z][a-z\-]{2,20})(?![\w-])(\s+[A-Z])?", after)
    if (hn and hn.group(1) in HEAD_NOUNS and not hn.group(2)
            and not re.search(r"-[a-z]+\Z", mention)
            and not mention.replace("’", "'").endswith(("'s", "'"))):
        out.append((hn.group(1), "head_noun", b + hn.start(1), b + hn.end(1)))
    dm = _DESIGNATION.match(after)
    if dm:
        out.append((dm.group(1), "designation", b + dm.start(1), b + dm.end(1)))
    else:
        ap = _APPOSITIVE.match(after)
        # a list of names ("France, the United Kingdom and Germany") is no apposition; after
        # "Senator Dianne Feinstein of California," the apposition is the senator's
        of_name = re.search(r"[A-Z][\w.’'-]*\s+(?:of|from)\s+\Z", s[max(0, a - 60) : a])
        if (ap and not of_name and not re.match(r"(?:the|a|an)\s+(?:city|town|country|move|decision)\b", ap.group(1))
                and not re.search(r"\b(?:and|or)\s+(?:the\s+)?[A-Z]", ap.group(1))):
            out.append((ap.group(1).strip(), "appositive", b + ap.start(1), b + ap.end(1)))
    pr = _PREDICATE.match(after)
    if pr:
        out.append((pr.group(1), "predicate_noun", b + pr.start(1), b + pr.end(1)))
    return out


def _labels_core(docs: pd.DataFrame, dictionary) -> list[dict]:
    """Rule rows of every text of ``docs`` (no headline flag, no lexicon columns)."""
    rows, per_doc = _mentions_rows(docs, dictionary)
    parsed = _parsed(docs)
    doc_titles: dict[str, list] = {}
    out: list[dict] = []
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_doc[r["doc_id"]].append(r)
    outlets = {d: o for d, o, _t, _x in P.iter_docs(docs)}
    matchers = _ActorIndex(dictionary)
    for doc_id, (text, sents, qidx) in per_doc.items():
        mentions = by_doc.get(doc_id, [])
        doc_out_start = len(out)
        pdoc = parsed.get(doc_id) if parsed is not None else None
        for r in mentions:
            s = sents[r["sent_id"]]
            a, b = r["start"] - s.start, r["end"] - s.start
            attributive = pdoc is not None and _modifies_next_noun(pdoc, r["start"], r["end"])
            for label, kind, la, lb in _labels_for_mention(s.text, a, b, r["mention"]):
                if kind == "premodifier" and attributive:
                    continue  # "a former Boeing executive": the words describe the executive
                out.append(dict(
                    outlet=r["outlet"], actor=r["actor"], doc_id=doc_id, sent_id=s.sent_id,
                    label=label, label_kind=kind, mention=r["mention"],
                    in_quote=P.in_spans(s.start + la, qidx[0], qidx[1]),
                    start=s.start + la, end=s.start + lb, sentence=s.text, _sent_start=s.start,
                ))
        # anaphors
        doc_out = out[doc_out_start:]
        m_starts = [m["start"] for m in mentions]
        titles = sorted(
            (r["start"], r["label"].lower(), r["actor"]) for r in doc_out
            if r["label_kind"] in {"premodifier", "appositive"}
        )
        title_starts = [x[0] for x in titles]
        import bisect

        for s in sents:
            for m in _ANAPHOR.finditer(s.text):
                head = m.group(2).lower()
                adjs = m.group(1).lower().split()
                rest = s.text[m.end() : m.end() + 40]
                # "the militant group Hamas": the name follows -> a premodifier, not an anaphor
                follows = matchers.find(rest.lstrip()[:40])
                if follows and follows[0][0] == 0 and rest[:1] == " ":
                    continue
                want_types = _ANAPHOR_TYPES.get(head, {"person"})
                want_side = next((_DEMONYM_SIDE[P.norm(x)] for x in adjs if P.norm(x) in _DEMONYM_SIDE), None)
                pos = s.start + m.start()
                target = None
                if "person" in want_types and head not in {"leader"}:
                    # a title ("the prime minister") goes to the actor last given that title
                    j = bisect.bisect_left(title_starts, pos)
                    for lab in reversed(titles[max(0, j - 200) : j]):
                        if lab[0] < pos and _gives_title(lab[1], head, set(adjs)):
                            target = {"actor": lab[2]}
                            break
                i = bisect.bisect_left(m_starts, pos) - 1
                prev_sent = s.sent_id - 1
                while target is None and i >= 0 and mentions[i]["sent_id"] >= prev_sent:
                    cand = mentions[i]
                    spec = dictionary[cand["actor"]]
                    if spec.get("type") in want_types and (want_side is None or spec.get("side") == want_side):
                        target = cand
                        break
                    i -= 1
                if target is None:
                    continue
                label = (" ".join(adjs + [head])).strip()
                lab_start = s.start + m.start(1) if adjs else s.start + m.start(2)
                out.append(dict(
                    outlet=outlets.get(doc_id, ""), actor=target["actor"], doc_id=doc_id,
                    sent_id=s.sent_id, label=label, label_kind="anaphor", mention=m.group(),
                    in_quote=P.in_spans(pos, qidx[0], qidx[1]),
                    start=lab_start, end=s.start + m.end(), sentence=s.text,
                ))
        doc_titles[doc_id] = titles
        taken_here = [(r["start"], r["end"]) for r in out[doc_out_start:]]
        for r in _institution_labels(sents, mentions, dictionary):
            if any(x < r["end"] and y > r["start"] for x, y in taken_here):
                continue
            r.update(outlet=outlets.get(doc_id, ""), doc_id=doc_id,
                     in_quote=P.in_spans(r["start"], qidx[0], qidx[1]))
            out.append(r)
    # free-standing descriptions from the parse; a title no sentence of the article gives
    # goes to the actor the other articles of the story give it
    premods: dict[str, list[dict]] = {}
    if parsed is not None:
        # modifiers the parse attaches to names are titles too ("Special counsel" Robert Mueller)
        for doc_id, (text, sents, _q) in per_doc.items():
            if doc_id in parsed:
                premods[doc_id] = _parsed_premodifiers(text, sents, by_doc.get(doc_id, []), parsed[doc_id])
                doc_titles[doc_id] = sorted(doc_titles.get(doc_id, []) + [
                    (r["start"], r["label"].lower(), r["actor"]) for r in premods[doc_id]])
    story_titles = sorted((0, t, a) for ts in doc_titles.values() for _p, t, a in ts)
    if parsed is not None:
        rule_spans: dict[str, list] = defaultdict(list)
        for r in out:
            # an institution ("FBI") does not hide the person it qualifies ("the FBI director")
            rule_spans[r["doc_id"]].append(
                (r["start"], r["end"], r["actor"] if r["label_kind"] == "institution" else None))
        for doc_id, (text, sents, qidx) in per_doc.items():
            if doc_id not in parsed:
                continue
            taken = list(rule_spans.get(doc_id, []))
            found = list(premods.get(doc_id, []))
            found += _np_labels(text, sents, by_doc.get(doc_id, []), dictionary, parsed[doc_id],
                                doc_titles.get(doc_id, []), story_titles)
            found += _parsed_appositions(text, sents, by_doc.get(doc_id, []), parsed[doc_id], found,
                                         dictionary)
            for r in found:
                # rows of the name rules win; a new row may share its span only with another
                # actor ("the two leaders")
                if any(x < r["end"] and y > r["start"] and who in {None, r["actor"]} for x, y, who in taken) \
                        and not (r.pop("_shares", False) and not any(
                            x < r["end"] and y > r["start"] and who == r["actor"] for x, y, who in taken)):
                    continue
                r.pop("_shares", None)
                r.update(outlet=outlets.get(doc_id, ""), doc_id=doc_id,
                         in_quote=P.in_spans(r["start"], qidx[0], qidx[1]))
                out.append(r)
                taken.append((r["start"], r["end"], r["actor"]))
    return out


def actor_labels(docs: pd.DataFrame, actors: Any = None) -> pd.DataFrame:
    """The words each outlet uses to name and describe each actor, with the sentence.

    Honorifics (Mr., Mrs., Ms., Dr.) are house style and never labels. Headlines
    (``docs["title"]``, when present) are read like the body and marked ``in_headline``.
    Spellings of one label that differ only in case are merged to the most frequent form.

    Rules on the parse (:func:`analysis.nlp.parse`, memoised):

    - ``premodifier`` also: adjectival and noun modifiers the parse attaches to a name
      ("North Korean dictator" Kim Jong Un, "special counsel" Robert Mueller).
    - ``description``: a free-standing noun phrase standing for an actor, linked by (1) a
      word of the actor's own name ("the caravan", "the caravan's members" -> Migrant
      caravan); (2) demonym for a state's people and officials ("the Russians", "Russian
      officials", "a Russian ambassador" -> Russia); (3) a person's government ("his
      administration" -> the state sharing the person's ``side``); (4) "the two leaders" ->
      the two actors of that type named last; (5) a title ("the president", "the special
      counsel") -> the actor the article, else the story, gives that title most often,
      agreeing in demonym ("the American president" is never Macron; "Russian President"
      Putin is not "the president") and in the title's nouns ("the White House counsel" is
      not the special counsel); (6) otherwise the nearest actor of the head noun's type
      (person/state/group) named in the two sentences before, or the only actor of that
      type the article names. Comparisons ("the same group") and numbers before a person
      noun are left out.
      Also: a state named as modifier of its agents ("U.S. immigration officials", "Iran's
      leaders"); "the Trump administration" -> the state too (beside Trump's head noun);
      "the administration" -> the state of the person named last; "his country" -> the
      person's state; "the President" (a title parsed as a proper noun); "the two countries",
      "our two nations" -> the two states named last, a person counting for their state;
      a group named as someone's ("Trump's lawyers") from "the president's lawyers", "his
      legal team", "lawyers for President Trump", "the lawyers" (one "lawyer for Trump" is
      not the group); "members of the caravan" through the "of" phrase; a person outside
      the actor list introduced as a state's agent ("former British spy" Christopher Steele
      -> United Kingdom). Left out: a title of another place ("the former president of
      Ukraine"), a non-leading role with a demonym ("the Russian lawyer"), a language ("in
      French"), a region's people ("Central Americans"), members with no explicit link.
    - ``appositive`` and ``predicate_noun`` also: a noun the parse attaches as apposition
      (after a comma; not a list of names) or as complement of be/become/remain to an
      actor's mention or description ("the caravan is a threat" -> "threat"); the object of
      "as" after emerge/serve/describe/regard... ("Macron, who has emerged as Trump's most
      trusted European ally"); "we are a ... country" -> the state named last.
    - ``institution``: a national institution standing for its state, when the story's
      actors include that state (:data:`_STATE_INSTITUTIONS`: "the White House said", "the
      Justice Department", "the Kremlin"; "the department"/"the bureau" right after one);
      not as a place ("in the Oval Office") nor inside a person's title ("the FBI
      director"). Never evaluative (a name is no judgment).

    Rules around each mention (regular expressions over each sentence; a name used as a
    modifier, "the former Trump campaign official", takes no premodifier):

    - ``compound``: "Hamas-run", "Hamas-controlled", "Iran-backed" (actor + hyphen +
      run/controlled/led/backed/...).
    - ``premodifier``: title and descriptor words right before the name ("Israeli Prime
      Minister" Benjamin Netanyahu, "the militant group" Hamas, "PM" Netanyahu).
    - ``head_noun``: the actor as modifier of a descriptive noun ("Hamas terrorists",
      "Hamas fighters").
    - ``designation``: "Hamas, designated a terrorist group by ..." (also listed,
      branded, labelled, considered).
    - ``appositive``: ", the/a/two ... ," right after the name ("Tzahi Hanegbi, two close
      associates of Netanyahu").
    - ``predicate_noun``: "X (, ...,) is/was/remains a(n)/the ..." ("Galant ... is a key
      architect of the campaign").
    - ``anaphor``: a definite description standing for an actor named in the same or the
      previous sentence ("the militant group", "the terrorist group's", "the Israeli
      leader"): linked to the nearest preceding actor whose ``type`` fits (group heads ->
      group/organisation; leader/prime minister/... -> person) and, when the description
      has a demonym (Israeli, American, Palestinian), whose ``side`` matches.

    Method: word choice and labelling after Hamborg, Zhukova & Gipp (2019).

    Parameters
    ----------
    docs : DataFrame
        Documents (``doc_id, outlet, text``).
    actors : path, YAML text, dict or None
        Actor dictionary (:func:`load_actor_dictionary`); None = the story's discovered
        actors (:func:`analysis.framing.discover.discover_actors`), never the seed story's.

    Returns
    -------
    DataFrame
        One row per label: ``outlet, actor, doc_id, sent_id`` (0-based sentence in
        ``text``), ``label`` (the words), ``label_kind`` (above), ``mention`` (the actor
        mention it belongs to), ``in_quote`` (True when the label is inside quotation
        marks, i.e. a speaker's words rather than the outlet's), ``start, end`` (character
        offsets of the label in ``text``, or in ``title`` for headline rows), ``sentence``
        (the headline itself for headline rows), ``in_headline`` (True for labels in the
        headline, whose ``sent_id`` is -1), ``evaluative`` (True when a label word judges:
        :data:`LABEL_WORDS`, the kit's loaded-word list, a TextBlob adjective with
        subjectivity >= ``loaded.SUBJECTIVITY_MIN`` or a VADER word with |valence| >=
        ``loaded.VALENCE_MIN``), ``attributed_to`` (for a designation, the designators
        written after "by": "designated a terrorist group by the US and EU" -> "US and EU",
        the designators' label rather than the outlet's; else None).
    """
    P.check_docs(docs, "actor_labels")
    dictionary = resolve_actors(docs, actors)
    body = docs[["doc_id", "outlet", "text"]]
    out = [dict(r, in_headline=False) for r in _labels_core(body, dictionary)]
    if "title" in docs.columns:
        heads = pd.DataFrame({"doc_id": docs["doc_id"], "outlet": docs["outlet"],
                              "text": [P.as_text(t) for t in docs["title"]]})
        heads = heads[heads["text"].str.strip() != ""]
        if len(heads):
            out += [dict(r, in_headline=True, sent_id=-1) for r in _labels_core(heads, dictionary)]
    for r in out:
        # an institution's name is not a judgment ("Justice Department")
        r["evaluative"] = r["label_kind"] != "institution" and _is_evaluative(r["label"])
        r["attributed_to"] = _attributed_to(r["sentence"], r["end"] - _sentence_offset(r), r["label_kind"])
    res = pd.DataFrame(out, columns=LABEL_COLUMNS)
    res = res.astype({"in_headline": bool, "evaluative": bool, "in_quote": bool})
    if len(res):
        # case variants merged: every spelling of a label takes its most frequent written form
        key = res["label"].str.lower().rename("label_key")
        form = res.groupby(key)["label"].agg(lambda x: x.value_counts().index[0])
        res["label"] = key.map(form)
        res = res.sort_values(["doc_id", "in_headline", "start", "label_kind"],
                              kind="stable").reset_index(drop=True)
    return res


def _sentence_offset(r: dict) -> int:
    """Offset of a row's sentence in its text (rows keep ``start`` in text, ``sentence`` whole)."""
    return r.get("_sent_start", 0)


# --------------------------------------------------------------------------- labels: parsed rules

HONORIFICS = {"mr", "mrs", "ms", "dr", "miss", "messrs"}
# head nouns of free-standing descriptions, by the actor type they can stand for
_NP_HEADS = {
    "person": {"president", "leader", "counsel", "director", "lawyer", "attorney", "secretary",
               "minister", "chancellor", "premier", "spokesman", "spokeswoman", "prosecutor",
               "dictator", "despot", "strongman", "tycoon", "commander", "businessman",
               "congressman", "senator", "governor", "chairman", "king", "ruler", "ayatollah",
               "mogul", "candidate", "nominee", "incumbent", "counterpart", "host", "guest", "sheriff"},
    "state": {"country", "nation", "regime", "government", "administration", "republic",
              "kingdom", "superpower", "ally", "adversary", "rival", "neighbor",
              "neighbour", "dictatorship", "theocracy"},
    "group": {"caravan", "migrant", "immigrant", "seeker", "asylum-seeker", "refugee", "group",
              "organization", "organisation", "movement", "militant", "member", "marcher",
              "traveler", "traveller", "alien", "illegal", "participant",
              "applicant", "individual",
              "faction", "militia", "protester", "crowd", "exodus", "convoy"},
}
#: group heads that name people by their migration status
_MIGRANT_HEADS = frozenset({"migrant", "immigrant", "seeker", "asylum-seeker", "refugee", "alien", "illegal"})
#: heads that name a country as a whole ("the country", "the nation", "the regime")
_COUNTRY_HEADS = frozenset({"country", "nation", "regime", "republic", "kingdom", "superpower", "dictatorship",
                            "theocracy"})
#: relations that name a country only between states ("foreign rivals", "NATO allies");
#: bare ("rivals sought to paint him", "allies of the senator") they are mostly people
_RELATION_HEADS = frozenset({"ally", "rival", "adversary", "neighbor", "neighbour"})
_INTERSTATE_WORDS = frozenset({"foreign", "strategic", "geopolitical", "regional", "nuclear", "military", "economic",
                               "western", "nato", "european", "asian", "arab", "gulf", "overseas"})


def _country_key(name: str) -> str:
    key = re.sub(r"\s+", " ", str(name).replace(".", "").replace("’", "'").strip().lower())
    return key[4:] if key.startswith("the ") else key


@functools.lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """Every name and short form of ``analysis/resources/countries_en.txt``, as :func:`_country_key`."""
    from analysis.resources import read_text

    names: set[str] = set()
    for line in read_text("countries_en.txt").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            names.update(_country_key(part) for part in line.split("|") if part.strip())
    return frozenset(names)


def _is_country(actor: str, spec: dict[str, Any]) -> bool:
    """True when the actor is a country: typed ``state`` in the dictionary, or (a discovered
    ``state/place``) named, or aliased, as a country of the kit's list."""
    if str(spec.get("type") or "").lower() == "state":
        return True
    return any(_country_key(n) in _country_names() for n in [actor, *(spec.get("aliases") or [])])


def _of_migrants(actor: str, spec: dict[str, Any]) -> bool:
    """True when the actor is a population of migrants: its type is ``population``, or a word of
    its name or aliases is a migration-status noun or "caravan" ("Migrant caravan")."""
    if str(spec.get("type") or "").lower() == "population":
        return True
    words = {w.rstrip("s") for n in [actor, *(spec.get("aliases") or [])] for w in re.findall(r"[a-z-]+", str(n).lower())}
    return bool(words & (_MIGRANT_HEADS | {"caravan"}))


#: modifiers that make a government that of a whole country, or of a part of one
_NATIONAL_WORDS = frozenset({"federal", "national", "central"})
_SUBNATIONAL_WORDS = frozenset({"state", "local", "county", "city", "municipal", "provincial", "regional", "tribal"})


def _may_be(lemma: str, actor: str, spec: dict[str, Any], mods: Iterable[str] = ()) -> bool:
    """Can a noun phrase headed by ``lemma`` (with the lower-case words ``mods`` before it) be
    ``actor``? People named by their migration status ("illegal immigrants") only a population
    of migrants, never a party, an institution or a place's government; "the country", "the
    nation", "the regime" only a country, never Texas or a county; "ally", "rival", "adversary",
    "neighbor" only a country and only with a word that makes the relation one between states
    ("foreign rivals", "NATO allies"); "the federal government" only a country, "the state
    government" or "local authorities" never one. Any other head: yes."""
    if lemma in _MIGRANT_HEADS:
        return _of_migrants(actor, spec)
    if lemma in _COUNTRY_HEADS:
        return _is_country(actor, spec)
    words = set(mods)
    if lemma in _RELATION_HEADS:
        return bool(words & _INTERSTATE_WORDS) and _is_country(actor, spec)
    if lemma in _INSTITUTIONS | {"authority", "official"}:
        if "foreign" in words:
            return False  # "foreign governments" defied the U.S.: other states, never the one named
        if words & _NATIONAL_WORDS:
            return _is_country(actor, spec)
        if words & _SUBNATIONAL_WORDS:
            return not _is_country(actor, spec)
    return True


_TYPE_ALIASES = {"organisation": "group", "organization": "group", "population": "group",
                 "state/place": "state", "place": "state"}
# demonyms -> the sides and place names they agree with
_DEMONYMS = {
    "american": {"us", "usa", "united states", "america"}, "u.s.": {"us", "usa", "united states", "america"},
    "us": {"us", "usa", "united states", "america"}, "french": {"france"}, "iranian": {"iran"},
    "russian": {"russia"}, "mexican": {"mexico"}, "korean": {"north_korea", "north korea", "korea"},
    "british": {"uk", "united kingdom", "britain"}, "israeli": {"israel"}, "syrian": {"syria"},
    "palestinian": {"palestinian", "palestinians", "palestine"}, "chinese": {"china"},
    "german": {"germany"}, "saudi": {"saudi arabia", "saudi"},
    "central": set(),  # "Central American migrants": no state implied
}
# a state's governing bodies ("the Trump administration", "his administration")
_INSTITUTIONS = {"administration", "government", "regime", "cabinet"}
# national institutions that stand for their state in news text (metonymy: "the White House
# said", "the Kremlin denied"), by the demonym of :data:`_DEMONYMS` they agree with. General
# knowledge written for the kit; a state is linked only when the story's actors include it.
# Names with a capital letter match case-sensitively; "the House"/"the Senate" need "the".
_STATE_INSTITUTIONS = {
    "american": ["White House", "Oval Office", "Congress", "the Senate", "the House", "the House of Representatives",
                 "House of Representatives", "Capitol Hill", "Pentagon", "State Department",
                 "Department of State", "Justice Department", "Department of Justice", "DOJ",
                 "Homeland Security Department", "Department of Homeland Security", "DHS",
                 "Defense Department", "Department of Defense", "Treasury Department",
                 "Commerce Department", "FBI", "F.B.I.", "CIA", "C.I.A.", "NSA", "N.S.A.",
                 "Immigration and Customs Enforcement", "ICE", "Customs and Border Protection",
                 "CBP", "Border Patrol", "National Guard", "National Security Council",
                 "Secret Service", "Supreme Court"],
    "russian": ["Kremlin", "Duma", "FSB", "GRU"],
    "british": ["Downing Street", "Whitehall", "Foreign Office", "Home Office", "MI6", "MI5"],
    "french": ["Élysée", "Elysee", "Elysée Palace", "Quai d'Orsay"],
    "israeli": ["Knesset", "IDF", "Israel Defense Forces", "Mossad", "Shin Bet"],
    "iranian": ["Revolutionary Guards", "Revolutionary Guard", "IRGC", "Majlis"],
    "german": ["Bundestag", "Bundeswehr"],
    "chinese": ["Politburo", "Zhongnanhai", "People's Liberation Army"],
    "mexican": ["Los Pinos"],
}
_INSTITUTION_DEM = {name: dem for dem, names in _STATE_INSTITUTIONS.items() for name in names}
# one alternation, longest names first, so a sentence is scanned once
_INSTITUTION_RX = re.compile(
    r"(?<![\w.-])(?:" + "|".join(
        re.escape(name).replace("the\\ ", "[Tt]he\\s+").replace(r"\ ", r"\s+")
        for name in sorted(_INSTITUTION_DEM, key=len, reverse=True)) + r")(?![\w-])")


def _institution_key(matched: str) -> str:
    key = re.sub(r"\s+", " ", matched)
    return "the" + key[3:] if key[:4] == "The " else key


_PERSON_TITLES = P.TITLE_N | _LOCAL_TITLES | frozenset({"counsel", "press", "attorney", "prosecutor", "inspector",
                                                          "commissioner", "aide", "staff", "staffer", "deputy"})


# institutions that are also buildings: after "at", "in", "to"... they are the place
_BUILDINGS = {"White House", "Oval Office", "Pentagon", "Kremlin", "Capitol Hill", "Downing Street", "Élysée",
              "Elysee", "Elysée Palace", "Zhongnanhai", "Los Pinos", "Whitehall"}


def _institution_labels(sents, mentions: list[dict], dictionary) -> list[dict]:
    """National institutions standing for their state ("the White House", "the Justice
    Department", "the Kremlin" -> the state actor that agrees with the institution's
    demonym, :data:`_STATE_INSTITUTIONS`); kind ``institution``. Names inside an actor's
    mention or another institution's name are left out."""
    states = {a: spec for a, spec in dictionary.items() if _actor_type(spec) == "state"}
    if not states:
        return []
    owner = {dem: next((a for a, spec in states.items() if _agrees(a, spec, {dem})), None)
             for dem in _STATE_INSTITUTIONS}
    import bisect

    spans = sorted((m["start"], m["end"]) for m in mentions)
    span_starts = [a for a, _ in spans]
    out: list[dict] = []
    last: tuple[int, str] | None = None  # (sent_id, actor) of the institution named last
    for s in sents:
        found: list[tuple[int, int, str]] = []
        for m in _INSTITUTION_RX.finditer(s.text):
            actor = owner.get(_INSTITUTION_DEM.get(_institution_key(m.group()), ""))
            if actor is None:
                continue
            a, b = m.start(), m.end()
            if m.group()[:4].lower() == "the ":
                a += 4
                if s.text[b : b + 1] == "'" or re.match(r"\s+of\b", s.text[b : b + 8]):
                    continue  # "the House of Saud"
            j = bisect.bisect_left(span_starts, s.start + b) - 1
            if j >= 0 and spans[j][1] > s.start + a:
                continue  # inside an actor's mention
            if (_institution_key(m.group()) in _BUILDINGS
                    and re.search(r"(?:\b(?:at|in|inside|outside|into|to|from|near|on|of|toward|towards)"
                                  r"\s+(?:the\s+)?)\Z", s.text[max(0, a - 12) : a])):
                continue  # "a meeting in the Oval Office": the place, not the government
            nxt = re.match(r"[\s'’s]*([A-Za-z]+)", s.text[b : b + 30])
            if nxt and P.norm(nxt.group(1)) in _PERSON_TITLES:
                continue  # "the FBI director", "the White House press secretary": a person's title
            found.append((a, b, actor))
        # "the department", "the bureau": the institution named in this or the two sentences before
        for m in re.finditer(r"\b[Tt]he\s+(department|bureau|agency)(?![\w-])(?!\s+of\b)", s.text):
            before = [f for f in found if f[0] < m.start()]
            actor = before[-1][2] if before else (last[1] if last and last[0] >= s.sent_id - 2 else None)
            if actor is not None and not any(a <= m.start(1) < b for a, b, _ in found):
                found.append((m.start(1), m.end(1), actor))
        if found:
            last = (s.sent_id, sorted(found)[-1][2])
        for a, b, actor in sorted(found):
            out.append(dict(actor=actor, sent_id=s.sent_id, label=s.text[a:b], label_kind="institution",
                            mention=s.text[a:b], start=s.start + a, end=s.start + b, sentence=s.text,
                            _sent_start=s.start))
    return out


# heads that stand for the group they belong to ("the caravan's members")
_MEMBER_HEADS = {"member", "participant", "migrant", "traveler", "traveller", "marcher", "rank"}
# heads that stand for a state when a demonym qualifies them ("Russian officials")
_STATE_AGENTS = {"official", "ambassador", "envoy", "entity", "contact", "diplomat", "authority",
                 "troop", "force", "military", "government", "side", "negotiator", "agent",
                 "intelligence", "hacker", "oligarch", "national", "citizen", "people"}
_DETERMINERS = {"the", "this", "that", "these", "those", "its", "his", "her", "their", "our"}


def _actor_type(spec: dict[str, Any]) -> str | None:
    t = (spec.get("type") or "").lower()
    return _TYPE_ALIASES.get(t, t) or None


def _agrees(actor: str, spec: dict[str, Any], demonyms: set[str]) -> bool:
    """Does a description with these demonyms agree with the actor (side or name)?"""
    if not demonyms:
        return True
    own = {str(spec.get("side") or "").lower(), actor.lower()}
    return any(own & _DEMONYMS.get(d, set()) for d in demonyms if _DEMONYMS.get(d))


# labelling words that judge an actor (Hamborg et al.'s evaluative labels), beside the lexicons
LABEL_WORDS = {"dictator", "despot", "strongman", "tyrant", "regime", "thug", "thugs", "repressive",
               "authoritarian", "totalitarian", "illegal", "illegals", "aliens", "unauthorized",
               "radical", "extremist", "extremists", "terrorist", "terrorists", "rogue", "hardline",
               "hardliner", "fanatic", "zealot", "so-called", "disgraced", "embattled", "crooked",
               "corrupt", "brutal", "murderous", "invaders", "mob", "obstructionist", "smugglers",
               "firebrand", "notorious", "controversial", "beleaguered", "hawkish", "warmonger",
               "puppet", "cronies", "henchmen"}


def _is_evaluative(label: str) -> bool:
    """A label word in :data:`LABEL_WORDS` or the kit's loaded-word list, a TextBlob adjective
    at or above the loaded-language subjectivity threshold, or a VADER word at or above its
    valence threshold."""
    from analysis.framing import loaded as L

    words = re.findall(r"[a-z][a-z'\-]*", label.lower())
    if any(w in LABEL_WORDS for w in words):
        return True
    index, subj, val = L._word_list(), L._subjectivity(), L._valence()
    for i, w in enumerate(words):
        for toks, _entry, _cat in index.get(w, []):
            joined = [t for t in toks if t != "-"]
            if words[i : i + len(joined)] == joined or "-".join(joined) == w:
                return True
        if subj.get(w, (0.0, 0.0))[0] >= L.SUBJECTIVITY_MIN or abs(val.get(w, 0.0)) >= L.VALENCE_MIN:
            return True
    return False


_DESIGNATORS = re.compile(r"\s+by\s+((?:the\s+)?[A-Z][\w.'’\-]*(?:\s+(?:and|,|&|the|of)?\s*[A-Z][\w.'’\-]*){0,8})")


def _attributed_to(sentence: str, end: int, kind: str) -> str | None:
    """Designators of a designation label ("... a terrorist group by the US and EU" -> "US and EU")."""
    if kind != "designation":
        return None
    m = _DESIGNATORS.match(sentence[end : end + 120])
    if not m:
        return None
    return re.sub(r"\A(?:the\s+)", "", m.group(1).strip(" ,"))


def _strip_honorifics(label: str) -> str:
    words = [w for w in label.split() if P.norm(w).rstrip(".") not in HONORIFICS]
    return " ".join(words)


def _demonym_of(word: str) -> str | None:
    """'Russians' -> 'russian', 'Iranian' -> 'iranian'; None when not a demonym."""
    w = word.lower().replace("’", "'")
    if w in _DEMONYMS and _DEMONYMS[w]:
        return w
    if w.endswith("s") and w[:-1] in _DEMONYMS and _DEMONYMS[w[:-1]]:
        return w[:-1]
    return None


_REGION_WORDS = {"central", "latin", "native", "african", "asian", "arab"}


def _demonyms_in(toks, doc) -> set[str]:
    """Demonyms among a label's words, except a region's people ("Central Americans",
    "Latin American", "Native Americans" name no state)."""
    out = set()
    for t in toks:
        d = _demonym_of(t.text)
        if d and not (t.i > 0 and doc[t.i - 1].lower_ in _REGION_WORDS):
            out.add(d)
    return out


def _label_tokens(chunk) -> list:
    """The head and the modifiers written right before it (no determiner, no clause)."""
    head = chunk.root
    toks = [head]
    k = head.i - 1
    while k >= chunk.start:
        t = chunk.doc[k]
        if t.dep_ in {"det", "predet"} or t.lower_ in _DETERMINERS:
            break
        if t.dep_ in {"amod", "compound", "nmod", "poss", "case", "nummod", "npadvmod", "advmod",
                      "punct", "conj"} and t.lower_ not in {"and", "or", "&"} and t.head.i <= head.i \
                and t.head.i >= chunk.start:
            toks.insert(0, t)
            k -= 1
            continue
        break
    while toks and (toks[0].dep_ in {"punct", "cc", "case"}):
        toks.pop(0)
    return toks


# heads that stand for a state when the state's name modifies them ("U.S. immigration
# officials", "Iran's leaders")
_STATE_AGENTS_OF = _STATE_AGENTS | {"officer", "inspector", "lawmaker", "prosecutor", "leader",
                                    "leadership", "warrior", "soldier", "agency", "regulator",
                                    "investigator", "administration", "cabinet", "regime", "army",
                                    "navy", "member", "delegation", "representative", "official"}


# titles of a state's one leader: "the North Korean leader" is the one North Korean person
_RULER_TITLES = {"leader", "president", "premier", "minister", "chancellor", "dictator", "despot",
                 "strongman", "ruler", "king", "ayatollah", "tyrant", "counterpart"}


def _of_other_place(head, mentions) -> bool:
    """Whether a title is qualified by "of" + a proper name that is no actor's mention
    ("president of Ukraine" when Ukraine is not among the actors)."""
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for o in c.children:
                if o.dep_ == "pobj" and o.pos_ == "PROPN":
                    return not any(m["start"] <= o.idx < m["end"] for m in mentions)
    return False


def _owned_groups(dictionary) -> dict[str, tuple[str, set[str]]]:
    """Group actors named as someone's ("Trump's lawyers", "Trump's legal team"): group ->
    (the person actor, the head nouns of its names, singular)."""
    people = {}
    for actor, spec in dictionary.items():
        if _actor_type(spec) == "person":
            for al in [actor, *spec["aliases"]]:
                people[P.compact(al)] = actor
    out: dict[str, tuple[str, set[str]]] = {}
    for actor, spec in dictionary.items():
        if _actor_type(spec) != "group":
            continue
        for al in [actor, *spec["aliases"]]:
            m = re.match(r"(.+?)['’]s?\s+([\w\- ]+)\Z", al)
            if m and P.compact(m.group(1)) in people:
                word = m.group(2).split()[-1].lower()
                plural = word.endswith("s") and not word.endswith("ss")
                head = word[:-1] if plural else word
                if plural:
                    head += "+"  # a plural name: one "lawyer for Trump" is not the group
                owner = people[P.compact(m.group(1))]
                if actor in out and out[actor][0] != owner:
                    continue
                out.setdefault(actor, (owner, set()))[1].add(head)
    return out


def _owned_group(head, chunk, owned, refers) -> str | None:
    """The owned group (:func:`_owned_groups`) a noun phrase stands for: its head noun is one
    of the group's and its possessor ("the president's lawyers", "his legal team") or its
    "for" object ("lawyers for President Trump") stands for the owner; "the lawyers" alone
    when the story's owned group is the only one with that head."""
    lemma = head.lemma_.lower()
    key = lemma + "+" if head.tag_ in {"NNS", "NNPS"} else lemma
    cands = [g for g, (_o, heads) in owned.items() if key in heads or lemma in heads]
    if len(cands) != 1:
        return None
    g = cands[0]
    owner = owned[g][0]
    poss = [c for c in head.children if c.dep_ == "poss"]
    if poss:
        return g if refers(poss[0], owner) else None
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ == "for":
            objs = [x for x in c.children if x.dep_ == "pobj"]
            return g if objs and any(refers(t, owner) for t in objs[0].subtree) else None
    if chunk[0].lower_ == "the" and head.tag_ in {"NNS", "NNPS"} and len(chunk) == 2:
        return g  # "the lawyers"
    return None


def _last_two_states(mentions, i: int, dictionary, states, sid: int) -> list[str]:
    """The two states named last before mention ``i`` (within three sentences), a person's
    mention counting for the state sharing the person's side ("the two countries" after
    Trump and Macron -> United States and France); empty unless two are found."""
    seen: list[str] = []
    while i >= 0 and len(seen) < 2 and mentions[i]["sent_id"] >= sid - 3:
        cand = mentions[i]["actor"]
        kind = _actor_type(dictionary[cand])
        st = cand if kind == "state" else _state_of(cand, dictionary, states) if kind == "person" else None
        if st and st not in seen:
            seen.append(st)
        i -= 1
    return seen if len(seen) == 2 else []


def _np_labels(text: str, sents, mentions: list[dict], dictionary, doc, titles, story_titles) -> list[dict]:
    """Free-standing descriptions from the parse's noun chunks, linked to an actor.

    Linking, in order: a word of the actor's own name ("the caravan" -> Migrant caravan);
    people and peoples of a state ("the Russians", "Russian officials", "a Russian
    ambassador" -> Russia) by demonym; "the two leaders" -> the two actors of that type named
    last; a title ("the president") -> the actor this article, else this story, gives that
    title, agreeing in demonym ("the American president" is never Macron); else the nearest
    actor of the head noun's type named in the two sentences before, agreeing in demonym.
    """
    import bisect

    from analysis.nlp import sent_id_of

    out: list[dict] = []
    m_starts = [m["start"] for m in mentions]
    m_spans = [(m["start"], m["end"]) for m in mentions]
    name_words = {a: {re.sub(r"['’]s?\Z", "", w.lower()) for w in re.findall(r"[\w'’]+", a)}
                  for a in dictionary}
    states = {a: spec for a, spec in dictionary.items() if _actor_type(spec) == "state"}
    owned = _owned_groups(dictionary)

    def refers(tok, person: str) -> bool:
        """Does ``tok`` (a possessor or object) stand for ``person``: the person's mention,
        "his"/"her" after the person was named last, or a title the article gives them?"""
        if any(mm["start"] <= tok.idx < mm["end"] and mm["actor"] == person for mm in mentions):
            return True
        if tok.lower_ in {"his", "her"}:
            i = bisect.bisect_left(m_starts, tok.idx) - 1
            while i >= 0 and _actor_type(dictionary[mentions[i]["actor"]]) != "person":
                i -= 1
            return i >= 0 and mentions[i]["actor"] == person
        if tok.pos_ in {"NOUN", "PROPN"} and tok.lemma_.lower() in _NP_HEADS["person"] and not tok.ent_type_:
            holder = _title_holder(tok.lemma_.lower(), set(), tok.idx, titles, story_titles, dictionary)
            return holder == person
        return False

    def row(actor: str, toks, chunk) -> dict:
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        sid = sent_id_of(doc, start)
        return dict(actor=actor, sent_id=sid, label=text[start:end], label_kind="description",
                    mention=chunk.text, start=start, end=end, sentence=sents[sid].text)

    chunks = list(doc.noun_chunks)
    # possessors ("the president's thinking") are not chunks of their own
    chunks += [doc[t.left_edge.i : t.i + 1] for t in doc
               if t.dep_ == "poss" and t.pos_ == "NOUN" and t.left_edge.i < t.i]
    for chunk in chunks:
        head = chunk.root
        lemma = head.lemma_.lower()
        a, b = chunk.start_char, chunk.end_char
        inside = [mm for mm in mentions if mm["start"] < b and mm["end"] > a]
        grp = None if inside else _owned_group(head, chunk, owned, refers)
        if grp is not None:
            toks = _label_tokens(chunk) or [head]
            out.append(row(grp, toks, chunk))
            continue
        if (inside and lemma in _INSTITUTIONS and head.idx >= max(mm["end"] for mm in inside)
                and _actor_type(dictionary[inside[-1]["actor"]]) == "person"):
            # "the Trump administration": the government of the person's state
            st = _state_of(inside[-1]["actor"], dictionary, states)
            if st:
                out.append(dict(row(st, [t for t in chunk if t.dep_ != "det"], chunk), _shares=True))
            continue
        if inside:
            # "the caravan's members", "caravan participants": the members stand for the group
            mm = inside[0]
            if (len(inside) == 1 and lemma in _MEMBER_HEADS and mm["end"] <= head.idx
                    and _actor_type(dictionary[mm["actor"]]) == "group"):
                out.append(row(mm["actor"], [t for t in chunk if t.i >= chunk.start and t.idx >= mm["start"]
                                             and t.dep_ != "det"], chunk))
            elif (len(inside) == 1 and lemma in _STATE_AGENTS_OF and mm["end"] <= head.idx
                  and _actor_type(dictionary[mm["actor"]]) == "state"
                  and not any(t.lower_ in {"and", "or", "&"} for t in chunk)):
                out.append(row(mm["actor"], [t for t in chunk if t.idx >= mm["start"]], chunk))
            continue  # otherwise a named mention inside: handled by the name rules
        toks = _label_tokens(chunk)
        if not toks:
            continue
        first = chunk[0].lower_
        plural = head.tag_ in {"NNS", "NNPS"}
        demonyms = _demonyms_in(toks, doc)
        # peoples of a state: "the Russians", "Russian officials", "a Russian ambassador"
        # a coordinated people before the head ("the Russians and Russian officials")
        for t in chunk:
            if (t.i < toks[0].i and t.ent_type_ == "NORP" and t.tag_ in {"NNS", "NNPS"} and _demonym_of(t.text)
                    and not (t.i > 0 and doc[t.i - 1].lower_ in _REGION_WORDS)):
                actor = next((x for x, spec in states.items() if _agrees(x, spec, {_demonym_of(t.text)})), None)
                if actor:
                    out.append(row(actor, [t], chunk))
        # a people ("the Russians", "any American"); "in French" is a language
        people = head.ent_type_ == "NORP" and (plural or first in {"a", "an", "any", "every", "each", "one"})
        if demonyms and (people or lemma in _STATE_AGENTS):
            for actor, spec in states.items():
                if _agrees(actor, spec, demonyms):
                    out.append(row(actor, toks, chunk))
                    break
            continue
        # "The President": a capitalised title after a determiner is a description, not a name
        titled = (head.pos_ == "PROPN" and not head.ent_type_ and first in _DETERMINERS
                  and lemma in _NP_HEADS["person"] | _NP_HEADS["state"] and len(toks) <= 2
                  and not (head.i + 1 < len(doc) and doc[head.i + 1].pos_ == "PROPN"))
        if head.ent_type_ == "PERSON" and demonyms:
            # "former British spy Christopher Steele", "Russian Ambassador Sergey Kislyak": a
            # person outside the actor list, introduced as an agent of a state
            mods = [t for t in toks if t.i < head.i and t.ent_type_ != "PERSON"]
            if any(t.lemma_.lower() in _STATE_AGENTS_OF | {"spy", "envoy"} for t in mods):
                actor = next((x for x, spec in states.items() if _agrees(x, spec, demonyms)), None)
                if actor:
                    out.append(row(actor, mods, chunk))
            continue
        if (head.pos_ == "PROPN" and not titled) or head.ent_type_ in {
                "PERSON", "GPE", "ORG", "NORP", "DATE", "CARDINAL", "MONEY", "PERCENT", "TIME"}:
            continue
        if first not in _DETERMINERS and not plural and first not in {"a", "an"}:
            continue
        if first in {"his", "her"} and (lemma in _INSTITUTIONS or lemma in {"country", "nation"}):
            # "his administration": the state of the person named last
            i = bisect.bisect_left(m_starts, a) - 1
            while i >= 0 and _actor_type(dictionary[mentions[i]["actor"]]) != "person":
                i -= 1
            st = _state_of(mentions[i]["actor"], dictionary, states) if i >= 0 else None
            if st:
                out.append(row(st, toks, chunk))
            continue
        types = {t for t, heads in _NP_HEADS.items() if lemma in heads}
        if (plural and "state" in types and first in {"the", "our", "their", "these", "those"}
                and any(t.lower_ in {"two", "both"} for t in chunk)):
            pair = _last_two_states(mentions, bisect.bisect_left(m_starts, a) - 1, dictionary, states,
                                    sent_id_of(doc, a))
            out.extend(row(x, toks, chunk) for x in pair)
            continue
        if first in {"their", "our", "his", "her", "its", "my", "your"}:
            continue
        if any(t.lower_ in {"same", "other", "another", "such", "similar", "different"} for t in chunk):
            continue  # "not the same group": a comparison, not a reference
        if head.dep_ == "appos" and not any(x <= head.head.idx < y for x, y in m_spans):
            continue  # "Kevin McCarthy of California, the incoming minority leader": someone not an actor
        # 1. a word of the actor's own name (not a role noun: "lawyers" of "Trump's lawyers")
        target = next((actor for actor, words in name_words.items()
                       if lemma in words and lemma not in _NP_HEADS["person"]
                       and _actor_type(dictionary[actor]) in {"group", None}
                       and not (first in {"a", "an", "one"} and not plural and lemma in _MEMBER_HEADS)), None)
        if target is not None:
            out.append(row(target, toks, chunk))
            continue
        if not types or first in {"a", "an"}:
            continue
        # 2. "the two leaders", "both countries", "the two men"
        if plural and any(t.lower_ in {"two", "both"} for t in chunk):
            want = types & {"person", "state"}
            seen: list[str] = []
            i = bisect.bisect_left(m_starts, a) - 1
            sid = sent_id_of(doc, a)
            # the two named in the three sentences before
            reach = 3
            while i >= 0 and len(seen) < 2 and mentions[i]["sent_id"] >= sid - reach:
                cand = mentions[i]["actor"]
                if _actor_type(dictionary[cand]) in want and cand not in seen:
                    seen.append(cand)
                i -= 1
            if len(seen) == 2:
                out.extend(row(x, toks, chunk) for x in seen)
            continue
        if any(t.like_num for t in chunk) and "group" not in types:
            continue
        target = None
        if "person" in types and not plural and _of_other_place(head, mentions):
            continue  # "the former president of Ukraine": someone else's title
        if "person" in types and not plural:
            # 3. a title goes to the actor given it here, else in the story
            mods = {t.lower_ for t in toks[:-1] if not _demonym_of(t.text) and t.pos_ in {"NOUN", "PROPN"}}
            target = _title_holder(lemma, demonyms, a, titles, story_titles, dictionary, mods,
                                   words={t.lower_ for t in toks[:-1]})
            if target is None and len(toks) > 1 and demonyms and lemma in _RULER_TITLES:
                # "the North Korean leader": the one person of the article who agrees
                agree = {m["actor"] for m in mentions if _actor_type(dictionary[m["actor"]]) == "person"
                         and _agrees(m["actor"], dictionary[m["actor"]], demonyms)}
                target = agree.pop() if len(agree) == 1 else None
            if target is None and len(toks) > 1:
                continue  # "the F.B.I. director": a title no actor holds
        if target is None and lemma == "administration" and not demonyms:
            # "the administration", "this administration": the government of the person
            # named last (a head of government), when that person's state is an actor
            i = bisect.bisect_left(m_starts, a) - 1
            sid = sent_id_of(doc, a)
            while i >= 0 and mentions[i]["sent_id"] >= sid - 2:
                if _actor_type(dictionary[mentions[i]["actor"]]) == "person":
                    target = _state_of(mentions[i]["actor"], dictionary, states)
                    break
                i -= 1
            if target is not None:
                out.append(row(target, toks, chunk))
                continue
        if target is None and lemma in _MEMBER_HEADS - {"migrant"}:
            # "members of the caravan": the group named in the "of" phrase; "members of his
            # Cabinet", "the participants" of some other march: no link
            sent = head.sent
            of = [c.i for c in sent if c.head.i == head.i and c.dep_ == "prep" and c.lower_ == "of"]
            objs = [o for o in sent if o.head.i in of and o.dep_ == "pobj" and o.i != o.head.i]
            named = [mm for o in objs for mm in mentions if mm["start"] <= o.idx < mm["end"]
                     and _actor_type(dictionary[mm["actor"]]) == "group"]
            if named:
                out.append(row(named[0]["actor"], toks, chunk))
            continue
        before = {t.lower_ for t in chunk if t.i < head.i}
        if target is None:
            # 4. the nearest actor of the right type named just before
            want = types - ({"person"} if plural else set())
            i = bisect.bisect_left(m_starts, a) - 1
            sid = sent_id_of(doc, a)
            while i >= 0 and mentions[i]["sent_id"] >= sid - 2:
                cand = mentions[i]["actor"]
                spec = dictionary[cand]
                if _actor_type(spec) in want and _agrees(cand, spec, demonyms) and _may_be(lemma, cand, spec, before):
                    target = cand
                    break
                i -= 1
        if target is None and not demonyms and types & {"group", "state"}:
            # the only actor of that type the article names
            only = {m["actor"] for m in mentions if _actor_type(dictionary[m["actor"]]) in types - {"person"}}
            if len(only) == 1:
                target = only.pop()
                if not _may_be(lemma, target, dictionary[target], before):
                    target = None
        if target is not None:
            out.append(row(target, toks, chunk))
    return out


#: words before a name that pick some of a group, not describe it
_QUANTIFIERS = frozenset({"other", "many", "some", "several", "most", "few", "all", "both", "each", "every",
                          "more", "fewer", "such", "same", "certain", "various", "numerous", "fellow"})


def _modifies_next_noun(doc: Any, start: int, end: int) -> bool:
    """True when the parse makes the name at ``start:end`` a modifier of a noun after it ("a former
    Boeing executive", "Arizona Sheriff Joe Arpaio", "longtime Republican strategists"): the
    words before the name then describe that noun's referent, not the name's."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    head = root.head
    if root.dep_ not in {"compound", "amod", "nmod"} or head.i < span.end:
        return False
    between = doc[span.end : head.i]
    if any(t.dep_ in {"cc", "punct", "conj"} for t in between):
        return False  # "President Trump and Democratic leaders": a parse that joined two phrases
    if head.pos_ == "NOUN":
        return True
    # a name before another name: only with a title between ("Arizona Sheriff Joe Arpaio", not
    # "John A. Boehner")
    return head.pos_ == "PROPN" and any(t.lower_.rstrip(".") in _NAME_TITLES for t in doc[span.end : head.i + 1])


def _parsed_premodifiers(text: str, sents, mentions: list[dict], doc) -> list[dict]:
    """Adjectival and noun modifiers the parse attaches to a name ("North Korean dictator"
    Kim Jong Un, "special counsel" Robert Mueller); honorifics and determiners excluded."""
    from analysis.nlp import sent_id_of

    out: list[dict] = []
    for m in mentions:
        span = doc.char_span(m["start"], m["end"], alignment_mode="expand")
        if span is None or not len(span):
            continue
        if span.root.dep_ == "poss":
            continue  # "The 2015 deal Obama's State Department reached": not the name's modifier
        if _modifies_next_noun(doc, m["start"], m["end"]):
            continue  # "Controversial Arizona Sheriff Joe Arpaio", "two longtime Republican strategists"
        inside = {t.i for t in span}
        k = span.start - 1
        toks = []
        while k >= 0:
            t = doc[k]
            attached = t.head.i in inside or t.head.i in {x.i for x in toks}
            if (not attached or t.dep_ not in {"amod", "compound", "nmod", "npadvmod", "punct"} or (t.tag_ == "VBD" and not toks)
                    or t.text in {"—", "–", "-", "--", "(", ")", ":"} or (t.text.isupper() and len(t.text) > 4)
                    or t.lower_.rstrip(".") in HONORIFICS or t.ent_type_ == "PERSON"
                    or t.sent_start and False):
                break
            toks.insert(0, t)
            k -= 1
        verbs = [j for j, t in enumerate(toks) if _is_verb_form(t)]
        if verbs:
            toks = toks[verbs[-1] + 1 :]  # "Trump Says Defense Secretary Jim Mattis", "... mocks Grassley"
        if toks and toks[0].tag_ in {"VBN", "VBD"} and _after_subject(doc, k):
            toks.pop(0)  # "Trump frequently complimented Comey": a verb after its subject, not "the fired director"
        while toks and (toks[0].dep_ == "punct" or toks[0].lower_ in _QUANTIFIERS):
            toks.pop(0)  # "other Democrats", "many Republicans": which ones, not what they are
        if not toks or all(t.pos_ == "PROPN" and t.lower_ not in _DESC_N | _PERSON_TITLES for t in toks):
            continue
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        sid = sent_id_of(doc, start)
        out.append(dict(actor=m["actor"], sent_id=sid, label=text[start:end], label_kind="premodifier",
                        mention=m["mention"], start=start, end=end, sentence=sents[sid].text))
    return out


#: reporting verbs that are also nouns ("states", "charges"): not taken for verbs before a name
_NOUN_TOO = frozenset({"states", "reports", "charges", "claims", "notes", "demands", "promises", "calls", "pledges",
                       "answered", "protested"})


def _after_subject(doc: Any, k: int) -> bool:
    """True when the words ending at ``doc[k]`` read as a clause's subject or auxiliary (a noun,
    name, pronoun or verb, maybe with an adverb after it: "Trump frequently", "has"), so that a
    participle right after them is the verb ("complimented Comey"), not an adjective after a
    determiner, adjective, conjunction or preposition ("a bitterly divided Congress", "and newly
    empowered Democrats"). The tagger's part of speech of the word before is all it reads:
    "Trump" at the start of a sentence is sometimes tagged a verb, which still counts."""
    if k >= 0 and doc[k].pos_ == "ADV":
        k -= 1
    return k >= 0 and doc[k].pos_ in {"NOUN", "PROPN", "PRON", "VERB", "AUX"}


def _is_verb_form(tok: Any) -> bool:
    """A finite verb the parse put before a name in a headline or sentence ("mocks",
    "Says" in title case): present tense by its tag, or a reporting verb's -s/-ed form."""
    return tok.tag_ in {"VBZ", "VBP"} or _verb_word(tok.lower_)


def _verb_word(low: str) -> bool:
    """A reporting verb's -s or -ed form that is not also a noun ("says", "slammed"; not "claims")."""
    return low in P.REPORTING_VERBS and low.endswith(("s", "ed")) and low not in _NOUN_TOO


_AS_VERBS = {"emerge", "serve", "act", "describe", "regard", "see", "view", "know", "brand", "portray",
             "cast", "label", "characterize", "characterise", "remain"}


def _parsed_appositions(text: str, sents, mentions: list[dict], doc, found: list[dict],
                        dictionary=None) -> list[dict]:
    """Appositives and predicate nouns the parse attaches to an actor's mention or description:
    "Kim Jong Un, the head of one of the world's most authoritarian governments"; "the
    caravan is a threat to the U.S."; "Macron, Trump's most trusted European ally"."""
    from analysis.nlp import sent_id_of

    spans = [(m["start"], m["end"], m["actor"], m["mention"]) for m in mentions]
    spans += [(r["start"], r["end"], r["actor"], r["mention"]) for r in found]

    def actor_at(tok) -> tuple[str, str] | None:
        for a, b, actor, mention in spans:
            if a <= tok.idx < b:
                return actor, mention
        return None

    def nearest_state(tok) -> tuple[str, str] | None:
        """The state actor named last within the two sentences before ``tok``."""
        sid = sent_id_of(doc, tok.idx)
        for mm in reversed(mentions):
            if mm["start"] >= tok.idx:
                continue
            if mm["sent_id"] < sid - 2:
                break
            if dictionary is not None and _actor_type(dictionary[mm["actor"]]) == "state":
                return mm["actor"], mm["mention"]
        return None

    out: list[dict] = []
    for t in doc:
        if t.pos_ not in {"NOUN", "PROPN"} or t.ent_type_ in {"PERSON", "GPE", "DATE", "CARDINAL"}:
            continue
        owner = None
        if t.dep_ == "appos":
            owner = actor_at(t.head)
            h = t.head
            if h.dep_ == "pobj" and h.head.lower_ in {"of", "from"} and h.head.head.ent_type_ == "PERSON":
                owner = actor_at(h.head.head)  # "Senator Feinstein of California, the top Democrat": hers
            between = text[t.head.idx + len(t.head.text) : t.left_edge.idx]
            if (not between.strip().startswith(",") or t.head.i > t.i
                    or any(c.dep_ in {"conj", "cc"} for c in t.children)):
                owner = None  # a list ("France, the United Kingdom and Germany"), not an apposition
        elif t.dep_ == "attr" and t.head.lemma_ in {"be", "become", "remain", "seem"}:
            subj = [c for c in t.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
            owner = actor_at(subj[0]) if subj else None
            if (owner is None and subj and subj[0].lower_ == "we" and t.lemma_.lower() in {"country", "nation"}):
                owner = nearest_state(t)  # "We are a very welcoming country": the state speaking
        elif (t.dep_ == "pobj" and t.head.lower_ == "as" and t.head.head.lemma_ in _AS_VERBS
              and t.head.head.pos_ in {"VERB", "AUX"}):
            verb = t.head.head
            if verb.dep_ in {"relcl", "acl"}:
                owner = actor_at(verb.head)  # "Macron, who has emerged as Trump's closest ally"
            else:
                subj = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
                owner = actor_at(subj[0]) if subj else None
        if owner is None or actor_at(t) is not None:
            continue
        left, right = t.left_edge, t.right_edge
        if left.lower_ in _DETERMINERS | {"a", "an"} and left.i < t.i:
            left = doc[left.i + 1]
        start, end = left.idx, right.idx + len(right.text)
        if end - start > 120 or "," in text[start:end] and t.dep_ == "attr":
            end = t.idx + len(t.text)
        sid = sent_id_of(doc, start)
        kind = "appositive" if t.dep_ == "appos" else "predicate_noun"
        if any(a <= start < b or start <= a < end for a, b, _x, _m in spans if _x == owner[0]):
            continue  # the actor's own name ("Macron emerged as Macron")
        out.append(dict(actor=owner[0], sent_id=sid, label=text[start:end].strip(" ,"), label_kind=kind,
                        mention=owner[1], start=start, end=end, sentence=sents[sid].text))
    return out


def _state_of(person: str, dictionary, states: dict) -> str | None:
    """The state actor sharing a person's ``side`` (the only one), else None."""
    side = dictionary[person].get("side")
    found = [a for a, spec in states.items() if side and spec.get("side") == side]
    return found[0] if len(found) == 1 else None


#: words that make a title another office or another time ("vice president", "deputy
#: director", "former president"): such a title is not given to a description without them
_RANK_WORDS = frozenset({"vice", "deputy", "assistant", "associate", "under", "lieutenant", "co", "former", "ex",
                         "acting", "interim", "outgoing", "incoming", "past"})
#: words that say an office is held no longer
_NO_LONGER_WORDS = frozenset({"fired", "ousted", "sacked", "dismissed", "retired", "deposed", "resigned"})


@functools.lru_cache(maxsize=512)
def _title_word(head: str) -> re.Pattern[str]:
    """``head`` ("president", "prime minister") as a whole word of a title."""
    return re.compile(rf"(?<![\w-]){re.escape(head)}(?![\w-])")


def _gives_title(label: str, head: str, said: set[str]) -> bool:
    """True when the title ``label`` (lower case) names the office ``head`` that a description
    with the words ``said`` speaks of: the word is there and no rank or time word of the title
    is missing from the description (:func:`_other_rank`)."""
    return bool(_title_word(head).search(label)) and not _other_rank(label, head, said)


def _other_rank(label: str, head: str, mods: set[str]) -> bool:
    """True when ``label`` (a title, lower case) puts a rank or time word before ``head`` that
    the description lacks: "vice president" for "the president", "former president" for "the
    president", but not for "the former president"."""
    words = re.findall(r"[a-z]+", label.lower())
    first = (re.findall(r"[a-z]+", head.lower()) or [""])[0]
    if first not in words:
        return False
    before = set(words[: words.index(first)])
    has = set(mods)
    if has & _NO_LONGER_WORDS:
        has.add("former")  # "the fired FBI director" is the former one
    return bool((before & _RANK_WORDS) - has)


def _title_holder(head: str, demonyms: set[str], pos: int, titles, story_titles, dictionary,
                  mods: set[str] = frozenset(), words: set[str] | None = None) -> str | None:
    """The actor a title ("president") belongs to: among the actors given it in the article
    (else in the story), the one given it most often; a title qualified by a demonym
    ("Russian President") is given only to descriptions that agree ("the Russian president"),
    and a description with a demonym only to an actor that agrees ("the American president"
    is never Macron). A title with a rank or time word ("vice president", "former director")
    goes only to a description that has it too (``words``: every word of the description,
    default ``mods``; see :func:`_other_rank`)."""
    said = set(mods if words is None else words)

    def tally(pool) -> tuple[dict[str, int], dict[str, int]]:
        counts: dict[str, int] = defaultdict(int)
        last: dict[str, int] = {}
        for at, label, actor in pool:
            if not mods <= set(label.split()) or not _gives_title(label, head, said):
                continue  # "White House counsel" is not the special counsel, the vice president not the president
            own = {d for d in (_demonym_of(w) for w in label.split()) if d}
            if demonyms:
                if not _agrees(actor, dictionary[actor], demonyms):
                    continue
            elif own:
                continue
            counts[actor] += 1
            last[actor] = at
        return counts, last

    here, last = tally(titles)
    story, _ = tally(story_titles)
    if here:  # ties: the story's usage, then the holder named before
        return max(here, key=lambda x: (here[x], story.get(x, 0), last[x] < pos))
    if story:
        return max(story, key=story.get)
    return None


def _parsed(docs: pd.DataFrame) -> dict[str, Any] | None:
    """doc_id -> parsed text (memoised by :func:`analysis.nlp.parse`) for the texts that read
    as prose; texts longer than the parser takes, or with runs no prose has (no space for 64+
    characters, sentences past the patterns' limit), keep only the parse-free rules (logged)."""
    from analysis import nlp

    ids = [P.as_text(d) for d in docs["doc_id"]]
    texts = [P.as_text(t) for t in docs["text"]]
    limit = nlp.load_pipeline().max_length
    ok = [k for k, t in enumerate(texts) if len(t) <= limit and P.blank_hostile(t) == t]
    if len(ok) < len(texts):
        log.warning("actor_labels: %d text(s) too long or not prose; read without the parse "
                    "(no descriptions, parsed modifiers or appositions)", len(texts) - len(ok))
    if not ok:
        return None
    parsed = nlp.parse([texts[k] for k in ok])
    return {ids[k]: d for k, d in zip(ok, parsed)}


# --------------------------------------------------------------------------- entities


def _levenshtein(x: str, y: str, cap: int = 3) -> int:
    """Edit distance (insert/delete/substitute), stopping early above ``cap``."""
    if abs(len(x) - len(y)) > cap:
        return cap + 1
    prev = list(range(len(y) + 1))
    for i, cx in enumerate(x, 1):
        cur = [i] + [0] * len(y)
        best = cur[0]
        for j, cy in enumerate(y, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (cx != cy))
            best = min(best, cur[j])
        if best > cap:
            return cap + 1
        prev = cur
    return prev[-1]


def same_name(x: str, y: str) -> bool:
    """Whether two spellings name the same entity (the rule :func:`entities` uses).

    Both are reduced to lower-case letters ("Karine-Jean Pierre" -> "karinejeanpierre").
    Multi-word names match when the normalised edit distance (edits / longer length) is at
    most 0.12 with at most 2 edits, one is not just the other plus an ending, and split at
    spaces and hyphens they have the same number of parts with the same initials
    ("Lloyd Austin"/"Lloyd Justin" differ). One-word names match when one letter is
    inserted or deleted (not substituted: "Gates"/"Games" differ), both have at least 5
    letters, they share the first two letters and neither is the other plus an ending
    ("Gallant"/"Galant" yes; "Israel"/"Israeli" no).
    """
    cx, cy = P.compact(x), P.compact(y)
    if not cx or not cy:
        return False
    if cx == cy:
        return True
    if cx[:2] != cy[:2] or cx.startswith(cy) or cy.startswith(cx):
        return False
    multi = len(x.split()) >= 2 and len(y.split()) >= 2
    d = _levenshtein(cx, cy, cap=2)
    if multi:
        px = [P.compact(w) for w in re.split(r"[\s\-]+", x) if P.compact(w)]
        py = [P.compact(w) for w in re.split(r"[\s\-]+", y) if P.compact(w)]
        if len(px) != len(py) or any(a[0] != b[0] for a, b in zip(px, py)):
            return False
        return d <= 2 and d / max(len(cx), len(cy)) <= 0.12
    if len(x.split()) == 1 and len(y.split()) == 1:
        # one inserted or deleted letter ("Gallant"/"Galant"), never a substitution
        # ("Gates"/"Games")
        return d == 1 and len(cx) != len(cy) and min(len(cx), len(cy)) >= 5
    return False


def entities(docs: pd.DataFrame, *, min_mentions: int = 1) -> pd.DataFrame:
    """Named entities found without a dictionary, with each outlet's spellings grouped.

    The mentions and groups of :func:`analysis.framing.discover.discover_mentions` (spaCy's
    PERSON, ORG, GPE, LOC, FAC and NORP entities; titles and possessives stripped; spelling
    variants, surnames and title forms joined to the one full name they fit; two people,
    a person and a place, or look-alike words never merged), except that demonyms stay
    apart from their state ("Israeli" is not "Israel"): this table is about spellings.

    Parameters
    ----------
    docs : DataFrame
        Documents (``doc_id, outlet, text``) of one story.
    min_mentions : int
        Drop entities mentioned fewer times than this in the whole corpus.

    Returns
    -------
    DataFrame
        One row per entity × outlet × spelling: ``entity_id`` ("E001", by total mentions,
        most first), ``canonical`` (the entity's fullest name: its most frequent
        several-word spelling), ``outlet, spelling, n_mentions`` (times the outlet wrote
        that spelling), ``n_docs`` (outlet documents using it).
    """
    from analysis.framing.discover import discover_mentions

    P.check_docs(docs, "entities")
    if isinstance(min_mentions, bool) or not isinstance(min_mentions, int) or min_mentions < 1:
        raise ParameterError(f"entities(min_mentions={min_mentions!r}): give a positive integer.")
    m = discover_mentions(docs, min_mentions=min_mentions, link_demonyms=False)
    cols = ["entity_id", "canonical", "outlet", "spelling", "n_mentions", "n_docs"]
    if m.empty:
        return pd.DataFrame(columns=cols)
    totals = m.groupby("actor").size()
    order = sorted(totals.index, key=lambda a: (-totals[a], a))
    ids = {a: f"E{i + 1:03d}" for i, a in enumerate(order)}
    g = m.groupby(["actor", "outlet", "mention"], sort=False).agg(
        n_mentions=("doc_id", "size"), n_docs=("doc_id", "nunique")
    ).reset_index()
    res = pd.DataFrame({
        "entity_id": g["actor"].map(ids), "canonical": g["actor"], "outlet": g["outlet"],
        "spelling": g["mention"], "n_mentions": g["n_mentions"].astype("int64"),
        "n_docs": g["n_docs"].astype("int64"),
    }, columns=cols)
    return res.sort_values(["entity_id", "outlet", "spelling"]).reset_index(drop=True)


def label_counts(labels: pd.DataFrame) -> pd.DataFrame:
    """How often each outlet uses each label of each actor, with its quoted and attributed uses.

    Parameters
    ----------
    labels : DataFrame
        :func:`actor_labels` output (one row per label use).

    Returns
    -------
    DataFrame
        One row per ``actor, outlet, label`` (sorted): ``n`` (uses), ``n_in_quote`` (uses
        inside quotation marks: someone else's words), ``n_evaluative`` (uses whose words
        judge), ``attributed_to`` (the designators of a designation, e.g. "US and European
        Union", comma-joined; empty when the outlet's own).
    """
    need = {"actor", "outlet", "label", "in_quote", "evaluative"}
    if not isinstance(labels, pd.DataFrame) or not need <= set(labels.columns):
        raise ParameterError(f"label_counts: expected the actor_labels table with the columns {sorted(need)}.")
    attributed = labels["attributed_to"].fillna("").astype(str) if "attributed_to" in labels.columns else ""
    out = (labels.assign(attributed_to=attributed, in_quote=labels["in_quote"].astype(bool), evaluative=labels["evaluative"].astype(bool))
           .groupby(["actor", "outlet", "label"], as_index=False)
           .agg(n=("label", "size"), n_in_quote=("in_quote", "sum"), n_evaluative=("evaluative", "sum"),
                attributed_to=("attributed_to", _joined)))
    return out.astype({"n": "int64", "n_in_quote": "int64", "n_evaluative": "int64"})


def _joined(values: pd.Series) -> str:
    return ", ".join(dict.fromkeys(v for v in values if v))
