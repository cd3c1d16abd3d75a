"""The actors of a story, discovered from its named entities.

:func:`discover_actors` reads spaCy's named entities (PERSON, ORG, GPE, LOC, FAC, NORP) in
every article of one story (:mod:`analysis.nlp`, sentences from the kit's segmenter) and
groups the mentions across outlets into actors: spelling variants ("Karine"/"Karin
Jean-Pierre", "Tzachi"/"Tzahi Hanegbi", "Gallant"/"Galant"), surname and title mentions
linked to the full name ("Kim" -> "Kim Jong Un", "Mr. Trump" -> "Donald Trump"),
initialisms ("U.S."/"US"/"United States"/"America", "F.B.I."/"FBI"), and demonyms linked to
their state ("Russian" -> Russia). The rules never merge two people (full names must be
compatible name by name, so "Hillary Clinton" and "Bill Clinton" stay apart and a bare
"Clinton" goes to the one the article named last, or stays its own), a person with a place
(only names of the same kind are compared; "Vladimir Putin of Russia" is cut at "of"), or
look-alike words (a one-word spelling variant is one inserted or deleted letter between two
person names: "Gates"/"Games" never).

:func:`actors_to_dictionary` and :func:`write_actor_yaml` turn the table into an actor
dictionary (the format of :func:`analysis.framing.actors.load_actor_dictionary`) a user can
edit and pass back; :func:`actors_for_report` chooses the dictionary a report uses and says
where it came from.

Method: named entities as the candidates of actor mentions and their grouping across
documents follow the word-choice analysis of Hamborg, Zhukova & Gipp (2019, JCDL); the
name-compatibility rules are the kit's own.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import pandas as pd

from analysis.errors import ParameterError
from analysis.framing import _patterns as P

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

__all__ = [
    "ACTOR_COLUMNS",
    "MENTION_COLUMNS",
    "actor_yaml_text",
    "actors_for_report",
    "actors_to_dictionary",
    "discover_actors",
    "discover_mentions",
    "write_actor_yaml",
]

ACTOR_COLUMNS = ["actor", "type", "aliases", "n_mentions", "n_outlets", "n_docs"]
MENTION_COLUMNS = ["doc_id", "outlet", "sent_id", "actor", "type", "mention", "start", "end",
                   "ner_label"]
REPORT_COLUMNS = ["actor", "type", "side", "aliases", "source"]

#: spaCy entity label -> the kind of name it is.
LABEL_KIND = {"PERSON": "person", "ORG": "organisation", "GPE": "state/place", "LOC": "state/place",
              "FAC": "state/place", "NORP": "group"}
#: Characters of one article read for discovery (about 5,000 words: longer than nearly every
#: news article; names of a story appear early). Bounds the parse of a pathological article.
MAX_DISCOVER_CHARS = 30_000

# titles and honorifics before a name (lower-case, dots removed)
_TITLES = P.TITLE_N | frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sen", "rep", "gov", "gen",
    "lt", "col", "maj", "capt", "captain", "adm", "admiral", "sgt", "cpl", "pvt", "rev",
    "reverend", "former", "then", "late", "first", "lady", "supreme", "ayatollah", "attorney",
    "counsel", "special", "press", "defense", "defence", "foreign", "interior", "national",
    "security", "state", "house", "white", "prime", "minister", "secretary", "vice", "chief",
    "justice", "detective", "agent", "inspector", "commissioner", "sheriff", "coach", "candidate",
    "nominee", "democratic", "republican", "gop", "sens", "reps", "assemblyman", "assemblywoman",
    "councilman", "councilwoman", "councillor", "councilor", "alderman", "alderwoman", "mayor",
    "deputy", "president-elect", "acting", "army", "navy", "st", "saint", "the", "a", "an",
})
_HONORIFICS = P.TITLE_N | frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sen", "rep", "gov",
                                     "gen", "lt", "col", "maj", "capt", "adm", "sgt", "rev", "sens", "reps"})
_PERSON_TITLES = _HONORIFICS | frozenset({"sheriff", "pastor", "reverend", "professor", "captain",
                                           "admiral", "detective", "coach", "councillor", "councilor",
                                           "councilman", "councilwoman", "alderman", "alderwoman", "mayor"})
# last words that make a name a place or an organisation, never a person
_PLACE_HEADS = frozenset({"street", "st", "lane", "road", "rd", "avenue", "ave", "way", "square", "bridge",
                          "park", "drive", "boulevard", "close", "crescent", "terrace", "hill", "valley",
                          "river", "county", "city", "town", "village", "island", "airport", "station"})
_ORG_HEADS = frozenset({"homes", "group", "association", "council", "company", "inc", "corp", "ltd", "llc",
                        "foundation", "institute", "university", "college", "school", "hospital", "bank",
                        "party", "union", "committee", "authority", "agency", "department", "ministry",
                        "memo", "memos", "report", "act", "bill"})
_LEADING_DROP = frozenset({"the", "a", "an", "this", "that"})
_GENERIC_ORG = frozenset({
    "administration", "government", "department", "ministry", "office", "cabinet", "agency",
    "committee", "council", "court", "party", "police", "army", "navy", "military", "state",
    "defense", "defence", "national", "security", "federal", "justice", "intelligence",
    "republican", "democratic", "news", "press", "health", "foreign", "homeland", "treasury",
    "commerce", "energy", "labor", "interior", "education", "transportation", "agriculture",
})
_MONTHS_DAYS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "today", "yesterday", "tomorrow",
})
_OF_FORM = re.compile(r"\A(Department|Ministry|Office|Bureau)\s+of\s+(?:the\s+)?([A-Z][\w\-]*)\Z")
_FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "to", "de", "da", "al", "la", "&"})

# one actor under several names: compact key -> canonical name
_EQUIVALENT = {
    "United States": {"us", "usa", "unitedstates", "unitedstatesofamerica", "america", "theus"},
    "United Kingdom": {"uk", "unitedkingdom", "britain", "greatbritain"},
    "United Nations": {"un", "unitednations"},
    "European Union": {"eu", "europeanunion"},
    "Soviet Union": {"ussr", "sovietunion"},
}
_EQUIV_KEY = {k: canon for canon, keys in _EQUIVALENT.items() for k in keys}

# demonyms whose state name is not the demonym minus a suffix (compact forms)
_DEMONYM_STATE = {
    "american": "unitedstates", "british": "unitedkingdom", "french": "france",
    "dutch": "netherlands", "swiss": "switzerland", "chinese": "china", "japanese": "japan",
    "vietnamese": "vietnam", "lebanese": "lebanon", "sudanese": "sudan", "portuguese": "portugal",
    "german": "germany", "greek": "greece", "turkish": "turkey", "spanish": "spain",
    "polish": "poland", "danish": "denmark", "swedish": "sweden", "finnish": "finland",
    "irish": "ireland", "norwegian": "norway", "mexican": "mexico", "peruvian": "peru",
    "saudi": "saudiarabia", "emirati": "unitedarabemirates", "filipino": "philippines",
    "welsh": "wales", "scottish": "scotland", "english": "england", "thai": "thailand",
    "afghan": "afghanistan", "pakistani": "pakistan", "iraqi": "iraq", "kuwaiti": "kuwait",
    "qatari": "qatar", "yemeni": "yemen", "israeli": "israel", "omani": "oman",
    "bangladeshi": "bangladesh", "nepali": "nepal", "somali": "somalia", "kenyan": "kenya",
    "ukrainian": "ukraine", "belarusian": "belarus", "venezuelan": "venezuela",
    "honduran": "honduras", "guatemalan": "guatemala", "salvadoran": "elsalvador",
    "nicaraguan": "nicaragua", "cuban": "cuba", "haitian": "haiti", "egyptian": "egypt",
    "syrian": "syria", "iranian": "iran", "russian": "russia", "korean": "",  # North or South: never
    "northkorean": "northkorea", "southkorean": "southkorea", "palestinian": "palestine",
    "canadian": "canada", "australian": "australia", "indian": "india", "italian": "italy",
    "brazilian": "brazil", "argentine": "argentina", "argentinian": "argentina",
    "colombian": "colombia", "chilean": "chile", "nigerian": "nigeria", "ethiopian": "ethiopia",
    "libyan": "libya", "tunisian": "tunisia", "algerian": "algeria", "moroccan": "morocco",
    "jordanian": "jordan", "turk": "turkey", "european": "europeanunion",
}


@dataclass
class _Mention:
    doc_i: int
    sent_id: int
    start: int
    end: int
    written: str  # the cleaned span as written ("Trump", "Karine-Jean Pierre")
    label: str  # spaCy label, or "PROPAGATED"
    key: str = ""
    titles: frozenset = frozenset()  # title words right before the name ("mr", "president")


# --------------------------------------------------------------------------- parsing


def _parsed_docs(docs: pd.DataFrame) -> list[Doc]:
    """One spaCy ``Doc`` per row of ``docs`` (each distinct text parsed once)."""
    from analysis import nlp

    raw = [P.as_text(t) for t in docs["text"]]
    texts = [t[:MAX_DISCOVER_CHARS] for t in raw]
    if any(len(a) != len(b) for a, b in zip(raw, texts)):
        log.warning("discover_actors: reading the first %d characters of articles longer than that",
                    MAX_DISCOVER_CHARS)
    blanked = [P.blank_hostile(t) for t in texts]
    if blanked != texts:
        log.warning("discover_actors: skipped runs of %d+ characters without a space and sentence "
                    "text past %d characters", P.MAX_RUN_CHARS, P.MAX_SENTENCE_CHARS)
        texts = blanked
    if hasattr(nlp, "parse"):
        return list(nlp.parse(texts))
    seen: dict[str, Doc] = {}
    out = []
    for t in texts:
        if t not in seen:
            seen[t] = nlp.parse_text(t)
        out.append(seen[t])
    return out


# --------------------------------------------------------------------------- names


def _parts(name: str) -> list[str]:
    """Compact name parts, split at spaces and hyphens ("Karine-Jean Pierre" -> 3 parts)."""
    return [c for c in (P.compact(w) for w in re.split(r"[\s\-]+", name)) if c]


def _n_words(name: str) -> int:
    """Words of a name that are not initials or "Jr."/"Sr." ("Donald J. Trump" -> 2,
    "Jean-Pierre" -> 1, "Trump Jr." -> 1)."""
    return sum(1 for w in name.split() if len(P.compact(w)) > 1 and P.compact(w) not in _FAMILY_GEN
               and not (w.endswith(".") and len(P.compact(w)) <= 2))


def _key(name: str) -> str:
    return P.compact(name)


def _one_indel(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by exactly one inserted/deleted letter (not a substitution)."""
    if abs(len(a) - len(b)) != 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def _part_variant(a: str, b: str) -> bool:
    """Two name parts spell the same name: equal, or (5+ letters, same first two letters) one
    letter inserted or deleted ("gallant"/"galant", "tzachi"/"tzahi", "karine"/"karin")."""
    if a == b:
        return True
    return (min(len(a), len(b)) >= 4 and a[:2] == b[:2] and _one_indel(a, b)
            and not (a.startswith(b) and len(a) - len(b) == 1 and a[-1] == "s")
            and not (b.startswith(a) and len(b) - len(a) == 1 and b[-1] == "s"))


_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})
#: "Jr."/"Sr." tell a son from his father ("Donald Trump Jr." is not "Donald Trump"); "III"
#: is dropped ("Robert S. Mueller III" = "Robert Mueller")
_FAMILY_GEN = frozenset({"jr", "sr"})
_GEN_WORD = re.compile(r",?\s+(?:Jr|Sr|JR|SR)\.?(?=\s|\Z)")


def _generation(name: str) -> str:
    """"jr" or "sr" when the name ends with that suffix, else ""."""
    words = [P.compact(w) for w in re.split(r"[\s,]+", name) if P.compact(w)]
    return words[-1] if len(words) >= 2 and words[-1] in _FAMILY_GEN else ""
_LOWER_WORD = re.compile(r"(?<![\w'’\-])[a-z][a-z]+(?![\w\-])")


def _split_initials(parts: list[str], name: str) -> tuple[list[str], list[str]]:
    words = [w for w in re.split(r"[\s\-]+", name) if P.compact(w)]
    core, initials = [], []
    for w in words:
        c = P.compact(w)
        if c in _GENERATIONS and core:
            continue  # "Robert S. Mueller III" = "Robert Mueller"
        if len(c) == 1 or (w.endswith(".") and len(c) <= 2):
            initials.append(c)
        else:
            core.append(c)
    return core, initials


def _persons_compatible(x: str, y: str) -> bool:
    """Two multi-word person names can name one person.

    Initials ignored when only one name has them ("Donald J. Trump" = "Donald Trump",
    "George W. Bush" != "George H. W. Bush"); first and last parts equal or one-letter
    variants; an extra middle name allowed ("Hillary Rodham Clinton"); the compact forms
    equal ("Karine-Jean Pierre" = "Karine Jean-Pierre").
    """
    if _key(x) == _key(y):
        return True
    if _generation(x) != _generation(y):
        return False
    cx, ix = _split_initials(_parts(x), x)
    cy, iy = _split_initials(_parts(y), y)
    if ix and iy and ix != iy:
        return False
    if not cx or not cy:
        return False
    if "".join(cx) == "".join(cy):
        return True
    if len(cx) == len(cy):
        return _first_compatible(cx[0], cy[0]) and all(_part_variant(a, b) for a, b in zip(cx[1:], cy[1:]))
    short, long_ = (cx, cy) if len(cx) < len(cy) else (cy, cx)
    if len(short) < 2:
        return False
    # same first and last part, extra middle names in the longer one
    return _first_compatible(short[0], long_[0]) and _part_variant(short[-1], long_[-1])


# common English short forms of first names (one person is "Jim Mattis" and "James Mattis")
_NICKNAMES = {
    "jim": "james", "jimmy": "james", "chuck": "charles", "charlie": "charles", "bill": "william",
    "will": "william", "billy": "william", "bob": "robert", "bobby": "robert", "rob": "robert",
    "mike": "michael", "joe": "joseph", "tom": "thomas", "dick": "richard", "rick": "richard",
    "ted": "edward", "ed": "edward", "ben": "benjamin", "dan": "daniel", "dave": "david",
    "steve": "stephen", "tony": "anthony", "jeff": "jeffrey", "pat": "patrick", "chris": "christopher",
    "andy": "andrew", "ron": "ronald", "don": "donald", "sam": "samuel", "liz": "elizabeth",
    "beth": "elizabeth", "kate": "katherine", "jenny": "jennifer", "sue": "susan", "jack": "john",
    "johnny": "john", "hank": "henry", "harry": "henry", "larry": "lawrence", "greg": "gregory",
    "matt": "matthew", "nick": "nicholas", "tim": "timothy", "ken": "kenneth", "fred": "frederick",
    "mitch": "mitchell", "rudy": "rudolph", "newt": "newton", "nate": "nathan", "alex": "alexander",
    "josh": "joshua", "bibi": "benjamin", "zach": "zachary", "vince": "vincent", "frank": "francis", "walt": "walter",
    "gene": "eugene", "jerry": "gerald", "phil": "philip", "doug": "douglas", "ray": "raymond",
}


def _first_compatible(a: str, b: str) -> bool:
    """Two first names of one person: equal, a one-letter variant, or a common short form."""
    return _part_variant(a, b) or _NICKNAMES.get(a, a) == _NICKNAMES.get(b, b)


def _short_fits(short: str, full: str) -> bool:
    """A shorter person name is the start or the end of ``full`` ("Kim" / "Kim Jong Un",
    "Trump" / "Donald Trump", "Jean-Pierre" / "Karine Jean-Pierre", "Galant" / "Yoav Gallant");
    "Trump Jr." fits only a "Jr." ("Donald Trump Jr.")."""
    gs, gf = _generation(short), _generation(full)
    if gs and gs != gf:
        return False
    if gs:
        short = _GEN_WORD.sub("", short).strip(" ,")
    sp, fp = _parts(short), [p for p in _parts(full) if p not in _FAMILY_GEN]
    core, _ = _split_initials(fp, full)
    if not sp or len(sp) >= len(fp):
        return False
    for cand in (fp, core):
        if len(sp) < len(cand) and (cand[-len(sp):] == sp or cand[: len(sp)] == sp):
            return True
    if len(sp) == 1 and len(core) >= 2 and _part_variant(sp[0], core[-1]) and len(sp[0]) >= 5:
        return True
    return False


def _clean_entity(ent: Any, doc_text: str, label: str) -> tuple[int, int, str] | None:
    """The name inside an entity span: ``(start_char, end_char, text)`` or None for junk."""
    toks = list(ent)
    doc = ent.doc
    # "Chick" of "Chick-fil-A": take in hyphen-joined pieces when the last one is capitalised
    # (never "Hamas-run")
    j = ent.end
    while (j + 1 < len(doc) and doc[j].text == "-" and not doc[j - 1].whitespace_
           and not doc[j].whitespace_ and doc[j + 1].is_alpha):
        j += 2
    if j > ent.end and doc[j - 1].text[:1].isupper():
        toks = toks + list(doc[ent.end : j])
    # "[Barack] Obama", "(D) Smith": keep the piece after inner brackets or separators
    for i in range(len(toks) - 1, 0, -1):
        if toks[i - 1].text in {"]", ")", "[", "(", ",", ";", ":", "/", "|"}:
            toks = toks[i:]
            break
    if label == "PERSON":
        # "Vladimir Putin of Russia": the name ends before "of"
        for i, t in enumerate(toks):
            if t.lower_ == "of" and i > 0:
                toks = toks[:i]
                break
    # trailing possessives and punctuation
    while toks and (toks[-1].lower_ in {"'s", "’s", "'", "’"} or not any(ch.isalnum() for ch in toks[-1].text)):
        toks = toks[:-1]
    # leading determiners, junk tokens, titles ("Mr.", "President", "PM", "Former F.B.I.")
    while toks and (toks[0].lower_ in _LEADING_DROP or not toks[0].text[:1].isalnum()):
        toks = toks[1:]
    if label == "PERSON":
        while len(toks) > 1 and toks[0].is_stop:
            toks = toks[1:]  # "Anything Obama" (headline case)
        while len(toks) > 1 and toks[-1].tag_ in {"NNS", "NNPS"} and toks[-1].lower_ not in _GENERATIONS:
            toks = toks[:-1]  # "James Comey Memos"
    if label == "PERSON" and len(toks) > 1:
        cut = -1
        for i, t in enumerate(toks[:-1]):
            w = t.lower_.replace(".", "")
            if w in _TITLES or t.text[:1].islower() or t.tag_ in {"JJ", "NNS"}:
                cut = i
        toks = toks[cut + 1 :]
    if not toks:
        return None
    # possessive inside the last token ("Netanyahu's" as one token)
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    text = doc_text[start:end]
    m = re.search(r"['’]s?\Z", text)
    if m and len(text) - len(m.group()) >= 2:
        text = text[: m.start()]
        end = start + len(text)
    if not _name_ok(text, label, toks):
        return None
    return start, end, text


_MALE = frozenset({"mr", "sir", "king", "prince", "lord", "congressman", "spokesman", "chairman"})
_FEMALE = frozenset({"mrs", "ms", "miss", "madam", "lady", "queen", "princess", "dame", "congresswoman",
                     "spokeswoman", "chairwoman"})


def _titles_before(doc: Any, start_tok: int, end_tok: int) -> frozenset:
    """Title words of a person mention: inside the entity before the name, and up to three
    tokens right before it ("Mr.", "President", "first lady")."""
    out = set()
    i = start_tok - 1
    while i >= 0 and i >= start_tok - 3:
        w = doc[i].lower_.replace(".", "")
        if w in _TITLES and w not in {"the", "a", "an"}:
            out.add(w)
            i -= 1
        else:
            break
    for t in doc[start_tok:end_tok]:
        w = t.lower_.replace(".", "")
        if w in _TITLES and w not in {"the", "a", "an"} and t.text[:1].isupper() or w in _MALE | _FEMALE:
            out.add(w)
    return frozenset(out)


def _gender(titles: Iterable[str]) -> str:
    ts = set(titles)
    m, f = bool(ts & _MALE), bool(ts & _FEMALE)
    return "m" if m and not f else "f" if f and not m else ""


def _name_ok(text: str, label: str, toks: list[Any]) -> bool:
    if not text[:1].isupper() or not any(ch.isalpha() for ch in text):
        return False
    words = text.split()
    if len(words) > 7 or len(text) > 80 or "\n" in text:
        return False
    c = P.compact(text)
    if len(c) < 2 or c in _MONTHS_DAYS:
        return False
    if all(P.norm(w) in _HONORIFICS or P.norm(w) in _FUNCTION_WORDS for w in words):
        return False
    if any(ch.isdigit() for ch in text) and label != "ORG":
        return False
    if sum(ch.isdigit() for ch in text) > len(c):
        return False
    if label in {"ORG", "GPE", "LOC", "FAC"} and len(words) == 1 and P.norm(text) in _GENERIC_ORG:
        return False
    if label == "PERSON" and text.isupper() and len(c) > 3:  # headline case
        return False
    if label == "PERSON" and P.norm(words[-1]) in _TITLES:  # "America's Toughest Sheriff"
        return False
    return True


def _outlet_keys(outlet: str) -> set[str]:
    """Letter keys under which an outlet's own name appears ("nytimes", "foxnews")."""
    k = P.compact(outlet)
    return {k} if len(k) >= 2 else set()


def _is_outlet_name(name: str, keys: set[str]) -> bool:
    if not keys:
        return False
    words = [w for w in name.split() if P.norm(w) != "the"]
    forms = {P.compact(" ".join(words))}
    if len(words) >= 2:
        forms.add("".join(P.compact(w)[:1] for w in words[:-1]) + P.compact(words[-1]))  # New York Times
    for f in list(forms):
        for suffix in ("news", "com", "online", "network"):
            if f.endswith(suffix) and len(f) > len(suffix) + 1:
                forms.add(f[: -len(suffix)])
    return bool(forms & keys) or any((k.startswith(f) or k.endswith(f)) and len(f) >= 4
                                     for f in forms for k in keys)


# --------------------------------------------------------------------------- grouping


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, x: str) -> None:
        self.parent.setdefault(x, x)

    def find(self, x: str) -> str:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, x: str, y: str) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)


def _acronym_of(name: str) -> set[str]:
    words = [w for w in re.split(r"[\s\-]+", name) if P.compact(w)]
    if len(words) < 2:
        return set()
    all_ = "".join(P.compact(w)[0] for w in words)
    content = "".join(P.compact(w)[0] for w in words if P.norm(w) not in _FUNCTION_WORDS)
    return {all_, content}


def _demonym_state(key: str, place_keys: set[str]) -> str | None:
    """The place key a singular demonym names, when that place is in the story."""
    if key in _DEMONYM_STATE:
        target = _DEMONYM_STATE[key]
        return target if target in place_keys else None
    for suffix, add in (("ian", ""), ("ian", "a"), ("an", ""), ("an", "a"), ("n", ""), ("i", ""),
                        ("ese", ""), ("ish", "")):
        if key.endswith(suffix) and len(key) - len(suffix) >= 3:
            cand = key[: -len(suffix)] + add
            if cand in place_keys:
                return cand
    return None


def _discover(docs: pd.DataFrame, *, link_demonyms: bool, func: str) -> tuple[list[_Mention], dict[int, str], dict[str, dict[str, Any]]]:
    """Mentions, the group key of each mention (by index) and each group's facts."""
    P.check_docs(docs, func)
    if len(docs) == 0:
        return [], {}, {}
    parsed = _parsed_docs(docs)
    outlets = [P.as_text(o) for o in docs["outlet"]]
    mentions: list[_Mention] = []
    covered: list[set[int]] = []
    sent_starts_tok: list[list[int]] = []
    from analysis import nlp

    sentences_of = getattr(nlp, "sentences_of", None)
    for i, doc in enumerate(parsed):
        starts = [s.start for s in (sentences_of(doc) if sentences_of is not None else doc.sents)]
        sent_starts_tok.append(starts)
        cov: set[int] = set()
        doc_text = doc.text
        okeys = _outlet_keys(outlets[i])
        for ent in doc.ents:
            if ent.label_ not in LABEL_KIND:
                continue
            cov.update(range(ent.start, ent.end))
            label = ent.label_
            named = [t for t in ent[1:] if t.tag_ != "POS"]  # "Sheriff Arpaio's": the possessive aside
            if (label != "PERSON" and 2 <= len(ent) <= 4 and ent[0].lower_.replace(".", "") in _PERSON_TITLES
                    and named and all(t.pos_ == "PROPN" and t.lower_ not in _GENERIC_ORG for t in named)):
                label = "PERSON"  # "Sheriff Arpaio", "Sheriff Arpaio's" read as an organisation
            cleaned = _clean_entity(ent, doc_text, label)
            if cleaned is None:
                continue
            a, b, text = cleaned
            if _is_outlet_name(text, okeys):
                continue  # the publisher naming itself (byline, "told Fox News")
            sid = bisect.bisect_right(starts, ent.start) - 1
            first = next((t.i for t in ent if t.idx >= a), ent.start)
            titles = _titles_before(doc, ent.start, first) if label == "PERSON" else frozenset()
            mentions.append(_Mention(i, max(sid, 0), a, b, text, label, "", titles))
        covered.append(cov)

    # string-level facts: one node per compact key ("U.S." = "US"); the equivalents of
    # "United States" and the like share one node; a node's kind is its labels' majority
    label_counts: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        k = _key(m.written)
        if m.label != "PERSON":
            k = _key(_OF_FORM.sub(r"\2 \1", m.written))  # "Department of Justice" = "Justice Department"
        m.key = "=" + _EQUIV_KEY[k] if m.label != "PERSON" and k in _EQUIV_KEY else k
        label_counts[m.key][m.label] += 1
    kinds: dict[str, str] = {}
    for k, lc in label_counts.items():
        top = max(lc.items(), key=lambda kv: (kv[1], kv[0] == "PERSON"))[0]
        kinds[k] = LABEL_KIND.get(top, "person")
    for k in kinds:
        if k.startswith("="):
            kinds[k] = "organisation" if k in {"=United Nations", "=European Union"} else "state/place"
    # the small pipeline labels street names and company names as people ("Mill Lane",
    # "Calder Homes"): a name whose last word is a place or organisation head noun is not a person
    written_of = {m.key: m.written for m in mentions}
    for k, kind in kinds.items():
        if kind == "person" and k in written_of:
            last = P.norm(written_of[k].split()[-1]) if written_of[k].split() else ""
            if last in _PLACE_HEADS:
                kinds[k] = "state/place"
            elif last in _ORG_HEADS:
                kinds[k] = "organisation"

    lower_words: set[str] = set()
    for doc in parsed:
        lower_words.update(_LOWER_WORD.findall(doc.text))
    # propagate: proper-noun tokens NER missed that spell a known one-word name or the
    # surname (or a one-letter variant of it) of a known person
    spelled: dict[str, str] = {}
    for m in mentions:
        if " " not in m.written and "-" not in m.written and m.written[:1].isupper():
            spelled.setdefault(m.written, m.key)
    surnames: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        if kinds.get(m.key) == "person":
            core, _ = _split_initials(_parts(m.written), m.written)
            if len(core) >= 2 and len(core[-1]) >= 4:
                surnames[core[-1][:2]].append(core[-1])
    for i, doc in enumerate(parsed):
        cov = covered[i]
        starts = sent_starts_tok[i]
        for t in doc:
            if t.i in cov or not t.text[:1].isupper() or not t.is_alpha:
                continue
            key = None
            if t.pos_ != "PROPN":
                # a known name the tagger read as a common word ("Trump later left"), unless
                # the story also writes it in lower case
                if t.pos_ not in {"AUX", "PRON", "DET", "ADP", "CCONJ", "SCONJ", "ADV"} and t.lower_ not in lower_words:
                    if t.text in spelled and kinds.get(spelled[t.text]) == "person":
                        key = spelled[t.text]
                    elif t.lower_ in surnames.get(t.lower_[:2], ()):
                        key = P.compact(t.text)  # a person's surname, spelled exactly
            elif t.text in spelled and kinds.get(spelled[t.text]) in {"person", "organisation", "state/place"}:
                key = spelled[t.text]
            else:
                c = P.compact(t.text)
                if len(c) >= 4 and any(_part_variant(c, s) for s in surnames.get(c[:2], ())):
                    key = c
            if key is None:
                continue
            sid = bisect.bisect_right(starts, t.i) - 1
            mentions.append(_Mention(i, max(sid, 0), t.idx, t.idx + len(t.text), t.text, "PROPAGATED", key,
                                     _titles_before(doc, t.i, t.i)))
            if key not in kinds:
                kinds[key] = "person"
            label_counts[key]["PERSON"] += 1

    # nodes: compact key -> spellings and mention count
    node_spell: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        node_spell[m.key][m.written] += 1
    node_n = {k: sum(c.values()) for k, c in node_spell.items()}
    uf = _UnionFind()
    for k in node_spell:
        uf.add(k)

    def main_spelling(k: str) -> str:
        return node_spell[k].most_common(1)[0][0]

    # a person's name the recogniser labelled ORG (a common error; never GPE/LOC/NORP):
    # several words compatible with a person's full name ("Karin Jean-Pierre")
    person_full = [main_spelling(k) for k in node_spell
                   if kinds[k] == "person" and _n_words(main_spelling(k)) >= 2]
    for k in node_spell:
        sp = main_spelling(k)
        if (kinds[k] == "organisation" and not k.startswith("=") and _n_words(sp) >= 2
                and all(w[:1].isupper() for w in sp.split())
                and not any(P.norm(w) in _GENERIC_ORG or P.norm(w) in P.INST_N for w in sp.split())
                and any(_persons_compatible(sp, f) for f in person_full)):
            kinds[k] = "person"
    persons = [k for k in node_spell if kinds[k] == "person"]
    full = [k for k in persons if _n_words(main_spelling(k)) >= 2]
    short = [k for k in persons if k not in set(full)]
    # full person names: merge compatible ones, never two incompatible names in one group
    # "X Jr." and a plain "X" are one person only when no article writes both (outlets'
    # styles: "Joseph R. Biden Jr." / "Joe Biden"); an article naming both means father and
    # son ("Donald Trump Jr." and "Donald Trump")
    node_docs: dict[str, set[int]] = defaultdict(set)
    for m in mentions:
        node_docs[m.key].add(m.doc_i)

    def compatible(a: str, b: str) -> bool:
        x, y = main_spelling(a), main_spelling(b)
        if _persons_compatible(x, y):
            return True
        gx, gy = _generation(x), _generation(y)
        if gx != gy and not (gx and gy) and not node_docs[a] & node_docs[b]:
            return _persons_compatible(_GEN_WORD.sub("", x), _GEN_WORD.sub("", y))
        return False

    names_of: dict[str, list[str]] = {k: [k] for k in full}
    full_sorted = sorted(full, key=lambda k: (-node_n[k], k))
    for i, x in enumerate(full_sorted):
        for y in full_sorted[i + 1 :]:
            rx, ry = uf.find(x), uf.find(y)
            if rx == ry or not compatible(x, y):
                continue
            names = names_of[rx] + names_of[ry]
            if all(compatible(a, b) for a in names for b in names):
                uf.union(rx, ry)
                names_of.pop(rx)
                names_of.pop(ry)
                names_of[uf.find(rx)] = names
    clusters: dict[str, list[str]] = defaultdict(list)
    for k in full:
        clusters[uf.find(k)].append(k)
    # a one-word name that the story also writes in lower case and that joins no full
    # name is a common word capitalised ("Migrants", "Caravans", "Times"): dropped
    common = {k for k in node_spell
              if " " not in main_spelling(k) and not main_spelling(k).isupper()
              and main_spelling(k).lower() in lower_words and not k.startswith("=")}
    # short person names: one fitting cluster -> join it; several -> decide per mention
    ambiguous: dict[str, list[str]] = {}
    for k in short:
        sp = main_spelling(k)
        fits = [root for root, ks in clusters.items() if any(_short_fits(sp, main_spelling(f)) for f in ks)]
        if len(fits) == 1:
            uf.union(k, fits[0])
        elif len(fits) > 1:
            ambiguous[k] = fits
    # ... and one word labelled ORG or NORP that is exactly the surname of one person
    # ("Reyes", "Mattis"; never a place)
    surname_of: dict[str, set[str]] = defaultdict(set)
    for root, ks in clusters.items():
        for f in ks:
            core, _ = _split_initials(_parts(main_spelling(f)), main_spelling(f))
            surname_of[core[-1]].add(root)
    for k in node_spell:
        sp = main_spelling(k)
        if (kinds[k] in {"organisation", "group"} and " " not in sp and not sp.isupper()
                and not k.startswith("=") and len(surname_of.get(k, ())) == 1):
            kinds[k] = "person"
            uf.union(k, next(iter(surname_of[k])))
    # organisations and places: initialisms ("FBI" = "Federal Bureau of Investigation")
    orgs = [k for k in node_spell if kinds[k] in {"organisation", "state/place"}]
    acr: dict[str, list[str]] = defaultdict(list)
    for k in orgs:
        for sp in node_spell[k]:
            if len(sp.split()) >= 2:
                for a in _acronym_of(sp):
                    acr[a].append(k)
    for k in orgs:
        sp = main_spelling(k)
        if len(sp.split()) == 1 and 2 <= len(k) <= 6 and sp.replace(".", "").isupper():
            targets = {uf.find(t) for t in acr.get(k, [])}
            if len(targets) == 1:
                uf.union(k, targets.pop())
    # groups (NORP): a singular demonym joins its state when the story names it ("Russian"
    # -> Russia); its plural (the people, "Russians") stays a group; other singular and
    # plural forms are one group ("Republican", "Republicans")
    groups = [k for k in node_spell if kinds[k] == "group"]
    gset = set(groups)
    linked: set[str] = set()
    if link_demonyms:
        place_keys = {(_key(k[1:]) if k.startswith("=") else k): k
                      for k in node_spell if kinds[k] == "state/place"}
        places = set(place_keys)
        for k in groups:
            sp = main_spelling(k)
            if sp.endswith("s") and k[:-1] in gset or (sp.endswith("s") and sp.lower() != "swiss"):
                continue
            target = _demonym_state(k, places)
            if target is not None:
                uf.union(k, place_keys[target])
                linked.add(k)
    for k in groups:
        if k.endswith("s") and k[:-1] in gset and k[:-1] not in linked:
            uf.union(k, k[:-1])
        if k.endswith("ic") and k[:-2] + "s" in gset:
            uf.union(k, k[:-2] + "s")  # "Democratic" with "Democrats"

    # each mention's group; a surname several full names fit is decided per mention:
    # (1) a title or honorific seen with only one of them ("Mr." vs "first lady",
    # "President"); (2) the one its article named in this or the two sentences before;
    # (3) the one its article names most; (4) one that dominates the story; else it stays a
    # group of its own
    group_of: dict[int, str] = {}
    order = sorted(range(len(mentions)), key=lambda j: (mentions[j].doc_i, mentions[j].start))
    n_keys: Counter = Counter(uf.find(k) for k in node_spell)
    dropped = {k for k in common if k not in ambiguous and n_keys[uf.find(k)] == 1}
    cl_titles: dict[str, Counter] = defaultdict(Counter)
    for j in order:
        m = mentions[j]
        if m.key in dropped:
            continue
        if m.key not in ambiguous:
            group_of[j] = uf.find(m.key)
            if kinds[m.key] == "person":
                cl_titles[group_of[j]].update(m.titles)
    cl_gender = {c: _gender(t.elements()) for c, t in cl_titles.items()}

    def by_title(m: _Mention, cands: list[str]) -> str | None:
        if not m.titles:
            return None
        g = _gender(m.titles)
        fit = [c for c in cands if not (g and cl_gender.get(c) and cl_gender[c] != g)]
        role = [c for c in fit if set(cl_titles.get(c, ())) & (m.titles - _MALE - _FEMALE)]
        same = [c for c in fit if g and cl_gender.get(c) == g]
        for pool in (role, same, fit):
            if len(pool) == 1:
                return pool[0]
        return None

    for j in order:
        m = mentions[j]
        if m.key in ambiguous:
            cands = sorted({uf.find(r) for r in ambiguous[m.key]})
            pick = by_title(m, cands)
            if pick is not None:
                group_of[j] = pick
    per_doc: Counter = Counter()
    story_n: Counter = Counter(group_of.values())
    last_sent: dict[tuple[int, str], int] = {}
    for j in order:
        if j in group_of:
            per_doc[(mentions[j].doc_i, group_of[j])] += 1
    for j in order:
        m = mentions[j]
        if j in group_of:
            if kinds[m.key] == "person":
                last_sent[(m.doc_i, group_of[j])] = m.sent_id
            continue
        if m.key not in ambiguous:
            continue
        cands = sorted({uf.find(r) for r in ambiguous[m.key]})
        near = [(last_sent[(m.doc_i, c)], c) for c in cands
                if (m.doc_i, c) in last_sent and m.sent_id - last_sent[(m.doc_i, c)] <= 2]
        near.sort(reverse=True)
        if near and (len(near) == 1 or near[0][0] > near[1][0]):
            group_of[j] = near[0][1]
        else:
            counts = sorted(((per_doc[(m.doc_i, c)], c) for c in cands), reverse=True)
            if counts[0][0] > counts[1][0]:
                group_of[j] = counts[0][1]
            else:
                # (4) one of them dominates the story (3 times the mentions of any other)
                story = sorted(((story_n[c], c) for c in cands), reverse=True)
                group_of[j] = story[0][1] if story[0][0] >= 3 * max(story[1][0], 1) else uf.find(m.key)
        if group_of[j] != uf.find(m.key):
            last_sent[(m.doc_i, group_of[j])] = m.sent_id

    # facts of each group
    info: dict[str, dict[str, Any]] = {}
    by_group: dict[str, list[int]] = defaultdict(list)
    for j, g in group_of.items():
        by_group[g].append(j)
    for g, js in by_group.items():
        kind_n: Counter = Counter()
        spell_n: Counter = Counter()
        for j in js:
            m = mentions[j]
            kind_n[kinds[m.key]] += 1
            spell_n[m.written] += 1
        non_group = {k: v for k, v in kind_n.items() if k != "group"}
        typ = max((non_group or kind_n).items(), key=lambda kv: (kv[1], kv[0]))[0]
        canonical = _canonical(g, spell_n, typ, mentions, js, kinds)
        # the type of a merged organisation/place follows its full name ("NRA" read as a
        # place by the recogniser, "National Rifle Association" as an organisation)
        canon_kind = next((kinds[mentions[j].key] for j in js if mentions[j].written == canonical), typ)
        if typ in {"organisation", "state/place"} and canon_kind in {"organisation", "state/place"}:
            typ = canon_kind
        info[g] = dict(type=typ, spellings=spell_n, mentions=js, canonical=canonical)
    return mentions, group_of, info


def _canonical(group: str, spell_n: Counter, typ: str, mentions: list[_Mention], js: list[int],
               kinds: dict[str, str]) -> str:
    """The fullest name of a group: a several-word name (not an initialism, not a demonym),
    the most frequent of them, ties to the longer."""
    for j in js:
        if mentions[j].key.startswith("="):
            return mentions[j].key[1:]
    pool = list(spell_n)
    non_norp = {mentions[j].written for j in js if kinds[mentions[j].key] != "group"}
    if typ != "group" and non_norp:
        pool = [s for s in pool if s in non_norp]
    multi = [s for s in pool if (_n_words(s) >= 2 if typ == "person" else len(s.split()) >= 2)
             and not s.replace(".", "").isupper()]
    pool = multi or pool
    return sorted(pool, key=lambda s: (-spell_n[s], -len(s), s))[0]


# --------------------------------------------------------------------------- public


def _check_min(min_mentions: Any, func: str) -> None:
    if isinstance(min_mentions, bool) or not isinstance(min_mentions, int) or min_mentions < 1:
        raise ParameterError(f"{func}(min_mentions={min_mentions!r}): give a positive integer (default 2).")


def _assemble(docs: pd.DataFrame, *, min_mentions: int, link_demonyms: bool, func: str
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    mentions, group_of, info = _discover(docs, link_demonyms=link_demonyms, func=func)
    doc_ids = [P.as_text(d) for d in docs["doc_id"]] if len(docs) else []
    outlets = [P.as_text(o) for o in docs["outlet"]] if len(docs) else []
    keep = {g for g, f in info.items() if len(f["mentions"]) >= min_mentions}
    names: dict[str, str] = {}
    used: Counter = Counter()
    ranked = sorted(keep, key=lambda g: (-len(info[g]["mentions"]), info[g]["canonical"]))
    for g in ranked:
        name = info[g]["canonical"]
        used[name] += 1
        names[g] = name if used[name] == 1 else f"{name} ({info[g]['type']})"
    rows = []
    for g in ranked:
        f = info[g]
        js = f["mentions"]
        rows.append(dict(
            actor=names[g], type=f["type"],
            aliases=[s for s, _n in sorted(f["spellings"].items(), key=lambda kv: (-kv[1], kv[0]))],
            n_mentions=len(js), n_outlets=len({outlets[mentions[j].doc_i] for j in js}),
            n_docs=len({mentions[j].doc_i for j in js}),
        ))
    table = pd.DataFrame(rows, columns=ACTOR_COLUMNS)
    mrows = []
    for j, g in sorted(group_of.items(), key=lambda kv: (mentions[kv[0]].doc_i, mentions[kv[0]].start)):
        if g not in keep:
            continue
        m = mentions[j]
        mrows.append(dict(doc_id=doc_ids[m.doc_i], outlet=outlets[m.doc_i], sent_id=m.sent_id,
                          actor=names[g], type=info[g]["type"], mention=m.written, start=m.start,
                          end=m.end, ner_label=m.label))
    return table, pd.DataFrame(mrows, columns=MENTION_COLUMNS)


def discover_actors(docs: pd.DataFrame, *, min_mentions: int = 2) -> pd.DataFrame:
    """The actors of one story, found from the named entities of all its articles.

    Candidates are spaCy's PERSON, ORG, GPE, LOC, FAC and NORP entities (the pipeline of
    :mod:`analysis.nlp`, on the kit's sentences), with titles and honorifics ("Mr.",
    "President", "PM"), leading "the" and possessives stripped; junk is dropped (lower-case,
    single letters, dates, number strings, a lone title word, a one-word "Defense"/"State"
    cut from a title, the publisher's own name in its own article). Proper nouns the
    entity recogniser missed are added when they spell a name already found (or a one-letter
    variant of a person's surname).

    Grouping rules (within the story, across outlets):

    - same letters, ignoring case, dots, hyphens and spaces ("U.S."/"US",
      "Karine-Jean Pierre"/"Karine Jean-Pierre"); "United States"/"America"/"U.S.",
      "United Kingdom"/"Britain", "United Nations"/"U.N.", "European Union"/"EU";
    - person names, compared only with person names: compatible full names (one-letter
      variants of a part, "Tzachi"/"Tzahi"; a common short first name, "Jim"/"James"; a
      middle initial or "III" present in one only; "Jr." joins a plain name only when no
      article writes both, so "Donald Trump Jr." is never "Donald Trump"); a surname,
      first name or title form joins the one full name it fits ("Kim" -> "Kim Jong Un",
      "Mr. Trump" -> "Donald Trump", "Galant" -> "Yoav Gallant"); when several full names
      fit ("Clinton" with "Hillary Clinton" and "Bill Clinton") each mention goes to the one
      its honorific or title fits ("Mrs.", "first lady", "President"), else the one its
      article named in the same or the two sentences before, else the one its article
      names most, else one that has three times the mentions of the others in the story,
      else it stays a "Clinton" of its own; two incompatible full names are never in one
      group; a person's name the recogniser labelled ORG or NORP (never a place) is read as
      the person's when it fits exactly ("Karin Jean-Pierre", "Sheriff Arpaio", "Mattis");
    - an organisation's initialism joins the one multi-word organisation it abbreviates
      ("DOJ", "Department of Justice" = "Justice Department");
    - groups (NORP): singular and plural forms; a singular demonym joins its state when the
      state is named in the story ("Russian" -> Russia); a plural ("Russians", the people)
      stays a group.

    Parameters
    ----------
    docs : DataFrame
        The articles of one story (``doc_id, outlet, text``). Articles longer than
        ``MAX_DISCOVER_CHARS`` (30,000 characters) are read up to that length; runs of 64+
        characters without a space are skipped.
    min_mentions : int
        Keep actors mentioned at least this many times in the story (default 2).

    Returns
    -------
    DataFrame
        One row per actor, most mentioned first: ``actor`` (the fullest name: the most
        frequent several-word spelling, "United States" for its equivalents), ``type``
        (``person``, ``organisation``, ``state/place`` or ``group``), ``aliases`` (list of
        the spellings seen, titles and possessives stripped, most frequent first),
        ``n_mentions`` (mentions in the story), ``n_outlets`` (outlets naming it),
        ``n_docs`` (articles naming it). Higher counts = more prominent in the story.

    Raises
    ------
    ParameterError
        ``docs`` lacks ``doc_id, outlet, text`` or ``min_mentions`` is not a positive integer.
    """
    _check_min(min_mentions, "discover_actors")
    table, _ = _assemble(docs, min_mentions=min_mentions, link_demonyms=True, func="discover_actors")
    return table


def discover_mentions(docs: pd.DataFrame, *, min_mentions: int = 2, link_demonyms: bool = True
                      ) -> pd.DataFrame:
    """Every named-entity mention of the discovered actors (:func:`discover_actors`).

    Parameters
    ----------
    docs : DataFrame
        The articles of one story (``doc_id, outlet, text``).
    min_mentions : int
        As in :func:`discover_actors`.
    link_demonyms : bool
        Link singular demonyms to their state (True, as :func:`discover_actors`); False
        keeps "Israeli" apart from "Israel".

    Returns
    -------
    DataFrame
        One row per mention in text order: ``doc_id, outlet, sent_id`` (0-based sentence
        of ``text``), ``actor, type`` (as in :func:`discover_actors`), ``mention`` (the name
        as written, titles and possessive stripped), ``start, end`` (character offsets of
        ``mention`` in ``text``), ``ner_label`` (spaCy's label, or ``PROPAGATED`` for a
        proper noun the recogniser missed).
    """
    _check_min(min_mentions, "discover_mentions")
    _, mentions = _assemble(docs, min_mentions=min_mentions, link_demonyms=bool(link_demonyms),
                            func="discover_mentions")
    return mentions


# --------------------------------------------------------------------------- dictionaries


def _escape_alias(alias: str) -> str:
    """An alias as a dictionary entry: the glob characters ``*``, ``?`` and ``\\`` escaped."""
    return re.sub(r"([\\*?])", r"\\\1", alias)


_TYPE_TO_DICT = {"person": "person", "organisation": "organisation", "state/place": "state/place",
                 "group": "group"}


def actors_to_dictionary(table: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """An actor dictionary (the format of ``load_actor_dictionary``) from discovered actors.

    Each alias becomes a literal whole-word entry (``*``, ``?`` and ``\\`` escaped, so a
    name is never read as a pattern); an alias spelled by two actors is kept only by the
    one with more mentions (a dictionary cannot decide by context).

    Parameters
    ----------
    table : DataFrame
        :func:`discover_actors` output (``actor, type, aliases``; ``n_mentions`` used to
        break ties; an optional ``side`` column is kept).

    Returns
    -------
    dict
        actor -> ``{"aliases": list[str], "side": str | None, "type": str | None}``; actors
        left without aliases are dropped.
    """
    need = {"actor", "aliases"}
    if not isinstance(table, pd.DataFrame) or not need <= set(table.columns):
        raise ParameterError(
            "actors_to_dictionary(table): give the DataFrame returned by discover_actors "
            "(columns actor, type, aliases)."
        )
    rows = list(table.itertuples(index=False))
    order = sorted(range(len(rows)), key=lambda i: -int(getattr(rows[i], "n_mentions", 0) or 0))
    owner: dict[str, int] = {}
    for i in order:
        for a in _as_list(rows[i].aliases):
            owner.setdefault(a, i)
    out: dict[str, dict[str, Any]] = {}
    for i, r in enumerate(rows):
        aliases = [_escape_alias(a) for a in dict.fromkeys(_as_list(r.aliases)) if owner.get(a) == i]
        if not aliases:
            continue
        typ = getattr(r, "type", None)
        side = getattr(r, "side", None)
        out[str(r.actor)] = {
            "aliases": aliases,
            "side": None if side is None or (isinstance(side, float) and pd.isna(side)) or side == "" else str(side),
            "type": _TYPE_TO_DICT.get(str(typ), None) if typ is not None else None,
        }
    return out


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    try:
        return [str(v) for v in value if isinstance(v, str) and v.strip()]
    except TypeError:
        return []


def actor_yaml_text(table: pd.DataFrame) -> str:
    """The YAML text of :func:`write_actor_yaml` (``actors:`` mapping, one entry per actor)."""
    import yaml

    dictionary = actors_to_dictionary(table)
    body = {}
    for actor, spec in dictionary.items():
        entry: dict[str, Any] = {"aliases": spec["aliases"]}
        if spec.get("side"):
            entry["side"] = spec["side"]
        if spec.get("type"):
            entry["type"] = spec["type"]
        body[actor] = entry
    header = (
        "# Actor dictionary discovered from the story's named entities (edit freely).\n"
        "# Aliases are literal names: \\* and \\? stand for the characters * and ?; an unescaped\n"
        "# * matches any letters within a word, ? one letter. Add `side:` to group sources.\n"
    )
    return header + yaml.safe_dump({"actors": body}, allow_unicode=True, sort_keys=False, width=100)


def write_actor_yaml(table: pd.DataFrame, path: str | Path) -> Path:
    """Write discovered actors as an editable actor dictionary (YAML), atomically.

    Parameters
    ----------
    table : DataFrame
        :func:`discover_actors` output.
    path : path
        The ``.yaml`` file to write (its folder is created).

    Returns
    -------
    Path
        ``path``; ``load_actor_dictionary(path)`` reads it back to
        ``actors_to_dictionary(table)``.
    """
    from analysis.output import write_text

    p = Path(path)
    if p.suffix.lower() not in {".yaml", ".yml"}:
        raise ParameterError(f"write_actor_yaml(path={str(p)!r}): give a file name ending in .yaml.")
    return write_text(p, actor_yaml_text(table))


def _dictionary_table(dictionary: dict[str, dict[str, Any]], source: str) -> pd.DataFrame:
    rows = [dict(actor=a, type=spec.get("type"), side=spec.get("side"), aliases=list(spec["aliases"]),
                 source=source) for a, spec in dictionary.items()]
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def discovered_dictionary(docs: pd.DataFrame, *, min_mentions: int = 2) -> dict[str, dict[str, Any]]:
    """:func:`actors_to_dictionary` of :func:`discover_actors` (the default of every framing
    function that takes ``actors``)."""
    return actors_to_dictionary(discover_actors(docs, min_mentions=min_mentions))


def actors_for_report(docs: pd.DataFrame, actors: str | Path | None = "", source: Any = None
                      ) -> tuple[dict[str, dict[str, Any]], pd.DataFrame]:
    """The actor dictionary a report uses, and where it came from.

    Rule: ``actors`` (a YAML path) when given; else the corpus folder's own
    ``actors.yaml`` when ``source`` is a folder that has one (an empty ``source`` means the
    seed corpus, whose dictionary is ``seeds/actors.yaml``); else the story's discovered
    actors (:func:`discover_actors`).

    Parameters
    ----------
    docs : DataFrame
        The story's articles.
    actors : str or Path
        Path of an actor dictionary (YAML); "" or None = choose as above.
    source : str, Path or None
        The corpus source the report reads (a folder, or a file); None or "" = the seed corpus.

    Returns
    -------
    (dict, DataFrame)
        The dictionary (``load_actor_dictionary`` format) and one row per actor: ``actor,
        type, side, aliases`` (list), ``source`` (``"file:<path>"`` or ``"discovered"``).

    Raises
    ------
    ParameterError
        ``actors`` names no readable YAML file (the message names the parameter and the fix),
        or the file is not a valid actor dictionary.
    """
    from analysis.framing.actors import default_actor_path, load_actor_dictionary

    if actors is not None and str(actors).strip():
        path = Path(str(actors).strip()).expanduser()
        if path.is_dir() and (path / "actors.yaml").is_file():
            path = path / "actors.yaml"
        if not path.is_file():
            raise ParameterError(
                f"actors={str(actors)!r}: no such file. Give the path of an actor dictionary "
                f"(.yaml, see seeds/actors.yaml), or leave actors empty to use the corpus "
                f"folder's actors.yaml or the story's discovered actors."
            )
        if path.suffix.lower() not in {".yaml", ".yml"}:
            raise ParameterError(
                f"actors={str(actors)!r}: not a .yaml file. Give the path of an actor dictionary "
                f"(.yaml, see seeds/actors.yaml)."
            )
        d = load_actor_dictionary(path)
        return d, _dictionary_table(d, f"file:{path}")
    if source is None or not str(source).strip():
        path = default_actor_path()
        d = load_actor_dictionary(path)
        return d, _dictionary_table(d, f"file:{path}")
    folder = Path(str(source)).expanduser()
    if folder.is_dir() and (folder / "actors.yaml").is_file():
        path = folder / "actors.yaml"
        d = load_actor_dictionary(path)
        return d, _dictionary_table(d, f"file:{path}")
    table = discover_actors(docs)
    d = actors_to_dictionary(table)
    types = dict(zip(table["actor"], table["type"]))
    out = _dictionary_table(d, "discovered")
    out["type"] = out["actor"].map(types)
    log.info("actors_for_report: %d actors discovered in %d articles", len(d), len(docs))
    return d, out

