"""Numeric claims and agency: what is counted, by whom it is attributed, who did it.

Each number in a sentence is normalised to a float and read with its qualifier ("more
than", "at least", "between"), the noun it counts, the clause's verb and voice, and the
attribution in the sentence ("according to ...", "X says"). Numbers are read in digits
("31,000", "2.5 million", "$1.5 billion", "62%") and in words ("twelve", "twenty-five",
"five hundred and eighty-four", "a million"); a plural magnitude is a range ("hundreds of
thousands" = 200,000 up to 1,000,000, never 200), and so is "20 to 30" / "between 20 and
30" (one row; ``number_high`` holds the upper end). Dates ("Oct. 7", "1950-53", a year) and
clock times ("4:20 p.m.") are rows of their own category, never counts. A number that names
or designates something is not a claim: bill and section numbers ("SB 1062", "Section 8"),
addresses ("10 Downing Street"), models ("Boeing 737", "F-35"), numbers inside a named
entity of the parse, and pronoun uses of number words ("no one", "the two met").

Voice follows the grammar of agency in news reporting (Trew 1979; Gabrielatos & Baker 2008
on transitivity): *active* ("the strike killed 30 people": the agent is the subject),
*passive with agent* ("30 people were killed by Israeli forces"), *passive without agent*
("30 people were killed": agency deleted), and *intransitive* ("30 people died", "the toll
is 30": no agent by the verb's grammar). Patterns over the sentence read the common news
forms first; the dependency parse (:func:`analysis.nlp.parse`) gives the clause of every
other number with a verb. The sentence is returned with every row.
"""

from __future__ import annotations

import logging
import re

import pandas as pd

from analysis.framing import _patterns as P

log = logging.getLogger(__name__)

CLAIM_COLUMNS = ["doc_id", "outlet", "sent_id", "number", "number_high", "number_text", "qualifier",
                 "counted", "category", "verb", "voice", "agent", "attribution", "start", "end",
                 "sentence"]

_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_SCALE = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "dozen": 12.0}
_WORDNUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 3, "a few": 3,
            "half a": 0.5}
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_WORD = (r"(?:(?:" + "|".join(_TENS) + r")(?:[-\s](?:" + "|".join(_UNITS) + r"))?|"
         + "|".join(list(_TEENS) + [u for u in _UNITS if u != "one"]) + ")")
_PLURALS = {"dozens": 12.0, "tens": 10.0, "hundreds": 100.0, "thousands": 1e3, "millions": 1e6,
            "billions": 1e9}
_NUMBER = re.compile(
    r"(?P<cur>[$€£])?(?P<num>(?<![\w.,])(?<![A-Za-z]-)\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)"
    r"|(?<![\w.,])(?<![A-Za-z]-)\d{1,12}(?:\.\d+)?(?![\w]))"
    r"(?:\s(?P<scale>hundred|thousand|million|billion|trillion)\b)?"
    r"|\b(?P<wnum>half\sa|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a\sfew)"
    r"\s(?P<wscale>hundred|thousand|million|billion|trillion|dozen)\b"
    r"|\b(?P<plural>hundreds|thousands|millions|billions|dozens|tens(?=\sof\s(?:thousands|millions|billions)))"
    r"\sof\b(?:\s(?P<pscale>thousands|millions|billions)\b(?:\sof\b)?)?"
    r"|\b(?P<word>" + _WORD + r")\b(?:\s(?P<word_scale>hundred|thousand|million|billion)\b)?",
    re.IGNORECASE,
)
_QUALIFIER = re.compile(
    r"(?<![\w'’-])(?P<q>more\s+than|at\s+least|at\s+most|over|nearly|almost|about|around|roughly|some|"
    r"up\s+to|fewer\s+than|less\s+than|as\s+many\s+as|approximately|an\s+estimated|"
    r"upwards\s+of|close\s+to|just\s+over|just\s+under|under|estimated|only|just)"
    r"\s+(?:the\s+)?\Z",
    re.IGNORECASE,
)
_DATE_BEFORE = re.compile(_MONTHS + r"\s{1,2}\Z")
_DATE_AFTER = re.compile(r"\A\s{1,2}" + _MONTHS + r"(?![a-z])")
#: currency nouns after a figure ("pounds" is left out: in news it is mostly weight; "£" counts)
_CURRENCY_WORDS = {"dollars", "euros", "shekels", "yuan", "yen", "rupees", "rupiah",
                   "usd", "eur"}
_CASUALTY = {"killed", "dead", "died", "deaths", "death", "casualties", "wounded", "injured",
             "murdered", "slain", "fatalities", "bodies", "massacred", "perished", "killing"}
_HOSTAGE = {"hostages", "hostage", "captives", "abducted", "kidnapped", "captive", "prisoners",
            "detainees", "abductees"}
_PARTICIPLES = {"held", "taken", "killed", "hurt", "shot", "left", "wounded", "kept", "seized",
                "abducted", "built", "made", "sent", "spent", "paid", "lost", "found", "given",
                "put", "struck", "hit", "caught", "fed", "brought", "bought", "slain", "freed",
                "released", "displaced", "injured", "detained", "arrested", "kidnapped",
                "evacuated", "rescued", "murdered", "captured", "forced", "driven", "stolen",
                "torn", "burned", "burnt", "destroyed", "damaged", "targeted", "executed"}
_INTRANSITIVE = {"died", "perished", "fled", "gathered", "remain", "remained", "arrived",
                 "starved", "drowned", "live", "lived", "sheltered", "returned", "disappeared",
                 "die", "flee", "starve", "sought", "taken", "crossed", "waited", "stayed"}
_INTRANS_RX = re.compile(r"\A\s{1,3}(?:(?:have|has|had|still|now|reportedly)\s+){0,2}(?:[a-z]+ly\s+)?(?P<v>[a-z]{3,20})\b")
_PASSIVE = re.compile(
    r"\A\s{1,3}(?:(?:still|now|reportedly|also|already|so\s+far|allegedly|currently|believed\s+to\s+be)\s+){0,2}"
    r"(?:(?:have|has|had)\s+(?:reportedly\s+|now\s+|also\s+)?been|(?:were|was|are|is)(?:\s+(?:still\s+)?being)?|being|"
    r"(?:will|would|could|may|might)\s+(?:have\s+)?be(?:en)?|)\s{0,3}"
    r"(?:[a-z]+ly\s+)?(?P<v>[a-z]{3,20})\b"
)
_AGENT = re.compile(r"\A[^,.;:“”\"]{0,60}?\bby\s+(?P<agent>[^,.;:“”\"]{1,100})")
_AGENT_STOP = re.compile(
    r"\s+(?:since|in|on|during|after|before|over|across|according|amid|as|while|when|"
    r"at|throughout|last|this|from|until)\b.*\Z",
    re.IGNORECASE,
)
_SAYS_BEFORE = re.compile(
    r"(?:which|that|who)\s+(?P<who>[A-Z][\w'’.\- ]{0,60}?)\s+(?P<v>says|said|claims|claimed|"
    r"estimates|estimated|reports|reported|alleges|alleged)\s*\Z"
)
_ACCORDING = re.compile(r"according\s+to\s+(?P<src>(?:[^,.;:“”\"]|\.(?!\s|\Z)){2,120})", re.IGNORECASE)


_WORD_REST = re.compile(r"\A\s+(?:and\s+)?(?P<w>" + _WORD + r")\b", re.IGNORECASE)
_HAS_WORD_NUMBER = re.compile(r"(?i)\b(?:hundred|thousand|million|billion|trillion|dozen|tens|"
                               + _WORD + r")s?\b")


def _word_value(word: str) -> float:
    w = re.sub(r"[-\s]+", " ", word.lower()).split()
    if w[0] in _TENS:
        return float(_TENS[w[0]] + (_UNITS[w[1]] if len(w) > 1 else 0))
    return float(_TEENS.get(w[0]) or _UNITS[w[0]])


def _to_float(m: re.Match[str]) -> float:
    return _bounds(m)[0]


def _bounds(m: re.Match[str]) -> tuple[float, float]:
    """(number, upper bound): equal for exact figures; a magnitude's range for plurals."""
    if m.group("num"):
        x = float(m.group("num").replace(",", ""))
        if m.group("scale"):
            x *= _SCALE[m.group("scale").lower()]
        return x, x
    if m.group("wnum"):
        x = float(_WORDNUM[re.sub(r"\s+", " ", m.group("wnum").lower())]) * _SCALE[m.group("wscale").lower()]
        return x, x
    if m.group("word"):
        x = _word_value(m.group("word"))
        if m.group("word_scale"):
            x *= _SCALE[m.group("word_scale").lower()]
        return x, x
    unit = _PLURALS[m.group("plural").lower()]
    if m.group("pscale"):  # "hundreds of thousands": 2 x 100 x 1,000 up to 1,000 x 1,000
        scale = _PLURALS[m.group("pscale").lower()]
        return 2.0 * unit * scale, 10.0 * unit * scale if unit != 12.0 else 100.0 * scale
    if unit == 12.0:  # "dozens of": two dozen up to a hundred
        return 24.0, 100.0
    return 2.0 * unit, 10.0 * unit  # "thousands of": 2,000 up to 10,000


def _counted(s: str, e: int) -> tuple[str, int]:
    """The noun phrase after a number: up to three words, stopping at function words."""
    from analysis.text import STOP_WORDS

    toks = P.tokenize(s[e : e + 120])
    words: list[P.Tok] = []
    prev_end = 0
    for i, t in enumerate(toks[:4]):
        gap = s[e + prev_end : e + t.start]
        if gap.strip(" ") != "" or (i == 0 and gap == ""):
            break
        lw = t.text.lower()
        if lw in STOP_WORDS or any(ch.isdigit() for ch in lw) or lw in {"still", "now", "reportedly"}:
            break
        if lw.endswith("ing"):
            break
        if lw.endswith("ed") and words:
            break  # "people killed": the participle is the verb, not the noun
        if lw.endswith("ed") and not words:
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is None or nxt.text.lower() in STOP_WORDS:
                break
        words.append(t)
        prev_end = t.end
        if len(words) == 3:
            break
    if not words:
        return "", e
    return s[e + words[0].start : e + words[-1].end], e + words[-1].end


def _np_before(s: str, end: int, *, max_words: int = 7) -> str:
    """The noun phrase ending at ``end`` (stops at punctuation and most function words)."""
    from analysis.text import STOP_WORDS

    toks = P.tokenize(s[max(0, end - 200) : end])
    off = max(0, end - 200)
    out: list[P.Tok] = []
    nxt = end
    for t in reversed(toks):
        if len(out) >= max_words or not P.plain_gap(s, off + t.end, nxt):
            break
        lw = t.text.lower()
        if lw in {"the", "a", "an", "its", "his", "her", "their"}:
            out.append(t)
            break
        if lw in STOP_WORDS and lw not in {"of", "on", "in"}:
            break
        out.append(t)
        nxt = off + t.start
    while out and out[-1].text.lower() in {"of", "on", "in"}:
        out.pop()
    out.reverse()
    return " ".join(t.text for t in out)


def _date_like(s: str, m: re.Match[str]) -> bool:
    if not m.group("num"):
        return False
    a, b = m.start("num"), m.end("num")
    if _DATE_BEFORE.search(s[max(0, a - 12) : a]) or _DATE_AFTER.match(s[b : b + 12]):
        return True
    raw = m.group("num")
    return bool(re.fullmatch(r"(?:19|20)\d\d", raw)) and not m.group("scale")


_CLOCK = re.compile(
    r"(?<![\w:.])(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s?(?P<ap>[ap]\.m\.|[ap]m\b)"
    r"|(?<![\w:.])(?P<h2>\d{1,2}):(?P<m2>\d{2})(?![\d:])(?:\s?(?:[A-Z]{2,4}T|GMT|UTC)\b)?",
    re.IGNORECASE,
)
_SLASH_DATE = re.compile(r"(?<![\w./])(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?:/(?:\d{4}|\d{2}))?(?![\w/])")
_YEAR_RANGE = re.compile(r"(?<![\w.,])(?P<y>1[6-9]\d\d|20\d\d)\s?[-–/]\s?(?P<y2>\d{2}|\d{4})(?![\w])")
#: words before a number that make it part of a name or a designation, not a count
_DESIGNATORS = re.compile(
    r"(?:(?<![\w.])(?:SB|HB|AB|HR|H\.R\.|S\.|Senate\s+Bill|House\s+Bill|Assembly\s+Bill|Bill|Section|Sec\.|"
    r"Article|Art\.|Amendment|Proposition|Prop\.|Measure|Initiative|Resolution|Rule|Title|Chapter|"
    r"Route|Highway|Interstate|I-|Flight|No\.|Number|Room|Suite|Apt\.|Unit|Gate|Terminal|Platform|"
    r"District|Precinct|Ward|Region|Zone|Level|Phase|Stage|Grade|Class|Category|Model|Version|"
    r"Windows|Channel|Studio|Camp|Station|Box|Lot|Pier|Exit|Block|Building|Fox|Apollo|"
    r"Air\s+Force|Boeing|Airbus|iPhone|Super\s+Bowl|Figure|Table|Page|p\.|pp\.|Vol\.|Volume|"
    r"Part|Item|Case|Docket|Form|Schedule|Tier|Covid|COVID|G|Mark|Mk\.|Sgt\.|Pvt\.)"
    r"[\s\-]?\Z)"
)
_STREET = re.compile(
    r"\A\s(?:[A-Z][\w'’.\-]*\s){1,3}(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard|Blvd\.|Lane|Drive|"
    r"Dr\.|Place|Square|Way|Terrace|Court|Ct\.|Plaza|Parkway|Highway|Row)\b"
)
_PERCENT = re.compile(r"\A\s?(?:%|percent\b|per\s+cent\b|percentage\s+points?\b)", re.IGNORECASE)
_RANGE_TAIL = re.compile(
    r"\A\s?(?:-|–|to)\s?(?P<cur>[$€£])?(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,12}(?:\.\d+)?)(?![\w])"
    r"(?:\s(?P<scale>hundred|thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
_BETWEEN_TAIL = re.compile(
    r"\A\s+and\s+(?P<cur>[$€£])?(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,12}(?:\.\d+)?)(?![\w])"
    r"(?:\s(?P<scale>hundred|thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
#: entity types whose numbers are names, addresses or titles ("10 Downing Street")
_NAME_ENTS = {"FAC", "ORG", "PRODUCT", "WORK_OF_ART", "LAW", "PERSON", "EVENT", "GPE", "LOC"}
_SPEECH_LEMMAS = {"say", "tell", "report", "estimate", "announce", "claim", "state", "add",
                  "confirm", "allege", "note", "write", "tweet", "count", "show", "put"}
_LINKING = {"be", "become", "remain", "seem", "appear", "stay"}
#: linking verbs the tagger may take for a passive auxiliary ("appeared shaken")
_LINKING_FORMS = {"appear", "appears", "appeared", "seem", "seems", "seemed", "become", "becomes",
                  "became", "remain", "remains", "remained", "stay", "stays", "stayed", "look",
                  "looks", "looked", "feel", "feels", "felt"}


def _is_name_number(s: str, a: int, b: int, num_tok) -> bool:
    """A number that names or designates ("SB 1062", "10 Downing Street", "Section 8")."""
    if _DESIGNATORS.search(s[max(0, a - 30) : a]):
        return True
    if _STREET.match(s[b : b + 60]):
        return True
    if num_tok is not None and num_tok.ent_type_ in _NAME_ENTS:
        return True
    # right after a capitalised word that does not open the sentence ("Boeing 737",
    # "Catch 22"), unless that word is a qualifier, a month or a currency
    left = s[:a].rstrip()
    if left and len(left) < len(s[:a]) <= len(left) + 1:
        prev = re.search(r"([A-Z][A-Za-z]+)\Z", left)
        if prev and prev.start() > 0 and not _MONTH_WORD.fullmatch(prev.group(1)) \
                and prev.group(1).lower() not in {"about", "nearly", "over", "some", "around", "than",
                                                  "least", "only", "just", "almost", "us", "uk"}:
            return True
    return False


_MONTH_WORD = re.compile(r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")


def _subtree_text(tok) -> str:
    toks = list(tok.subtree)
    return tok.doc[toks[0].i : toks[-1].i + 1].text


def _parse_voice(num_tok) -> tuple[str, str, str]:
    """(verb, voice, agent) of the clause a number belongs to, from the dependency parse.

    Walks from the number to the first verb above it: *passive* when that verb has a passive
    subject or auxiliary, or is a participle modifying the counted noun ("30 people killed
    in ..."); with an agent when it has a ``by`` phrase. *intransitive* when the counted
    noun is the subject of a verb without an object or of a linking verb ("30 people
    died", "the toll is 30"): no agent by grammar. Otherwise *active*, the agent being the
    verb's subject (or the subject of the verb it depends on: "went on to kill 30").
    """
    if num_tok is None:
        return "", "none", ""
    tok = num_tok
    path = []
    for _ in range(12):
        if tok.pos_ in {"VERB", "AUX"} and tok is not num_tok:
            break
        if tok.head is tok:
            return "", "none", ""
        path.append(tok)
        tok = tok.head
    else:
        return "", "none", ""
    verb = tok
    child = path[-1] if path else num_tok
    deps = {c.dep_ for c in verb.children}
    agent_tok = next((c for c in verb.children if c.dep_ == "agent"), None)
    passive = "nsubjpass" in deps or "auxpass" in deps or (verb.dep_ == "acl" and verb.tag_ == "VBN")
    aux = [c for c in verb.children if c.dep_ in {"auxpass", "aux"}]
    if passive and aux and all(c.lower_ in _LINKING_FORMS for c in aux if c.dep_ == "auxpass") \
            and any(c.dep_ == "auxpass" for c in aux):
        return verb.text.lower(), "intransitive", ""  # "appeared shaken", "seemed worried"
    if passive:
        agent = ""
        if agent_tok is not None:
            pobj = next((c for c in agent_tok.children if c.dep_ == "pobj"), None)
            agent = _subtree_text(pobj) if pobj is not None else ""
        return verb.text.lower(), "passive_agent" if agent else "passive_no_agent", agent
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "csubj", "expl"}), None)
    has_object = bool(deps & {"dobj", "obj", "dative", "ccomp", "xcomp", "attr", "oprd"})
    if verb.lemma_ in _LINKING or (child.dep_ in {"nsubj", "attr", "acomp"} and not has_object
                                   and child.dep_ != "dobj") and child.dep_ != "pobj":
        if verb.lemma_ in _LINKING or child.dep_ == "nsubj":
            return verb.text.lower(), "intransitive", ""
    if subj is None:
        up = verb
        for _ in range(4):
            if up.dep_ in {"xcomp", "conj", "advcl", "relcl", "acl", "ccomp"} and up.head is not up:
                up = up.head
                subj = next((c for c in up.children if c.dep_ == "nsubj"), None)
                if subj is not None:
                    break
            else:
                break
    agent = _subtree_text(subj) if subj is not None else ""
    if subj is not None and subj.dep_ == "expl":
        return verb.text.lower(), "intransitive", ""
    return verb.text.lower(), "active", agent


def _parse_attribution(num_tok) -> str:
    """"X said" from the parse: the subject and verb of a speech verb above the number."""
    if num_tok is None:
        return ""
    tok = num_tok
    for _ in range(16):
        if tok.head is tok:
            break
        tok = tok.head
        if tok.pos_ == "VERB" and tok.lemma_ in _SPEECH_LEMMAS:
            subj = next((c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subj is not None and subj.pos_ != "PRON" or (subj is not None and subj.lower_ in {"officials"}):
                return f"{_subtree_text(subj)} {tok.text}"
            if subj is not None:
                return f"{subj.text} {tok.text}"
    return ""


def _token_at(span, a: int, b: int):
    """The head token of characters ``a:b`` of a parsed sentence (None without a parse)."""
    if span is None:
        return None
    base = span.start_char
    cs = span.doc.char_span(base + a, base + b, alignment_mode="expand")
    return cs.root if cs is not None and len(cs) else None


def _sentence_claims(s: str, attrs: list, span=None) -> list[dict]:
    out = []
    done: list[tuple[int, int]] = []  # spans already read (clock times, year ranges, ranges)

    def taken(x: int, y: int) -> bool:
        return any(x < hi and lo < y for lo, hi in done)

    for m in _CLOCK.finditer(s):
        if m.group("h2") and not re.search(r"\d", s[m.start() : m.end()]):
            continue
        hour = float(m.group("h") or m.group("h2"))
        out.append(dict(number=hour, number_high=hour, number_text=m.group().strip(), qualifier="",
                        counted=m.group().strip(), category="time", verb="", voice="none", agent="",
                        attribution="", start=m.start(), end=m.end()))
        done.append((m.start(), m.end()))
    for m in _SLASH_DATE.finditer(s):  # "9/11", "9/12/2009"
        out.append(dict(number=float(m.group().split("/")[1]), number_high=float(m.group().split("/")[1]),
                        number_text=m.group(), qualifier="", counted=m.group(), category="date", verb="",
                        voice="none", agent="", attribution="", start=m.start(), end=m.end()))
        done.append((m.start(), m.end()))
    for m in _YEAR_RANGE.finditer(s):
        if taken(m.start(), m.end()):
            continue
        y = float(m.group("y"))
        y2 = m.group("y2")
        hi_year = float(y2) if len(y2) == 4 else float(m.group("y")[:2] + y2)
        if hi_year < y:
            continue
        out.append(dict(number=y, number_high=hi_year, number_text=m.group(), qualifier="",
                        counted=m.group(), category="date", verb="", voice="none", agent="",
                        attribution="", start=m.start(), end=m.end()))
        done.append((m.start(), m.end()))
    for m in _NUMBER.finditer(s):
        if not any(m.group(g) for g in ("num", "wnum", "plural", "word")):
            continue
        a, b = m.start(), m.end()
        if taken(a, b):
            continue
        if m.group("plural") or m.group("word"):
            a = m.start("plural") if m.group("plural") else m.start("word")
        number, number_high = _bounds(m)
        text = m.group().strip()
        # "five hundred and eighty-four": the rest of a spelled-out number
        if (m.group("wnum") or m.group("word_scale")) and (rest := _WORD_REST.match(s[b : b + 30])):
            number += _word_value(rest.group("w"))
            number_high = number
            b += rest.end()
            text = s[a:b].strip()
            done.append((a, b))
        num_tok = _token_at(span, m.start("num") if m.group("num") else a, b)
        q = _QUALIFIER.search(s[max(0, a - 30) : a])
        if q is None:
            q = re.search(r"(?P<q>between)\s+\Z", s[max(0, a - 30) : a], re.IGNORECASE)
        qualifier = re.sub(r"\s+", " ", q.group("q").lower()) if q else ""
        q_start = a - (len(s[max(0, a - 30) : a]) - q.start()) if q else a
        if _date_like(s, m):
            lo = a
            before = _DATE_BEFORE.search(s[max(0, a - 12) : a])
            if before:
                lo = max(0, a - 12) + before.start()
            after = _DATE_AFTER.match(s[b : b + 12])
            hi = b + after.end() if after else b
            year = re.match(r"\A,?\s\d{4}\b", s[hi : hi + 7])
            hi = hi + year.end() if year else hi
            done.append((lo, hi))
            out.append(dict(number=number, number_high=number, number_text=text, qualifier=qualifier,
                            counted=s[lo:hi].strip(), category="date", verb="", voice="none",
                            agent="", attribution="", start=lo, end=hi))
            continue
        if m.group("num") and not m.group("cur") and _is_name_number(s, m.start("num"), m.end("num"), num_tok):
            continue
        # ranges: "20 to 30", "20-30", "between 20 and 30"
        rng = (_BETWEEN_TAIL if qualifier == "between" else _RANGE_TAIL).match(s[b : b + 40]) \
            if m.group("num") else None
        if rng:
            hi_val = float(rng.group("n").replace(",", ""))
            if rng.group("scale"):
                hi_val *= _SCALE[rng.group("scale").lower()]
            elif m.group("scale"):
                hi_val *= _SCALE[m.group("scale").lower()]
            if hi_val > number:
                number_high = hi_val
                b = b + rng.end()
                text = s[a:b].strip()
                done.append((a, b))
        percent = _PERCENT.match(s[b : b + 30])
        if percent:
            counted, c_end = s[b : b + percent.end()].strip(), b + percent.end()
        else:
            counted, c_end = _counted(s, b)
        if m.group("word") and not m.group("word_scale") and num_tok is not None \
                and num_tok.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj"} \
                and not re.match(r"\A(?:\s+of\s|-[a-z])", s[b : b + 5]):
            continue  # "the two played": the number is the noun, not a figure of something
        if m.group("word") and not m.group("word_scale") and not counted \
                and not re.match(r"\A(?:\s+of\s|-[a-z])", s[b : b + 5]):
            continue  # "two of them" is kept; a bare "two" ("the two met") is not a figure
        verb, voice, agent = "", "none", ""
        right = s[c_end : c_end + 200]
        pm = _PASSIVE.match(right)
        if pm and (pm.group("v") in _PARTICIPLES or (pm.group("v").endswith("ed") and pm.group("v") not in _INTRANSITIVE)) \
                and (pm.group(0).strip() != pm.group("v") or pm.group("v") in _PARTICIPLES):
            verb = pm.group("v")
            ag = _AGENT.match(right[pm.end() :])
            if ag:
                agent = _AGENT_STOP.sub("", ag.group("agent")).strip()
            voice = "passive_agent" if agent else "passive_no_agent"
        else:
            left = s[:q_start].rstrip()
            lt = P.tokenize(left[-60:])
            if lt and left.endswith(lt[-1].text) and lt[-1].text.lower() in {"the"}:
                lt = lt[:-1]
                left = left[: len(left) - 3].rstrip()
            v = lt[-1].text.lower() if lt else ""
            if lt and not lt[-1].cap and (v.endswith("ed") or v in _PARTICIPLES or v in {"kills", "kill", "took", "holds", "hold"}) \
                    and v not in {"need", "used"}:
                verb, voice = v, "active"
                before_v = left[: len(left) - len(lt[-1].text)].rstrip()
                if re.search(r"\b(?:is|are|was|were|be|been|being)(?:\s+[a-z]+ly)?\Z", before_v):
                    ag = _AGENT.match(s[max(b, c_end) : max(b, c_end) + 200])
                    agent = _AGENT_STOP.sub("", ag.group("agent")).strip() if ag else ""
                    voice = "passive_agent" if agent else "passive_no_agent"
                    before_v = ""
                before_v = re.sub(r"\s(?:has|have|had|reportedly|also|already)\Z", "", before_v).rstrip()
                sm = _SAYS_BEFORE.search(before_v[-80:])
                if not before_v:
                    pass
                elif sm:
                    ante = before_v[: len(before_v) - len(sm.group())].rstrip().rstrip(",")
                    agent = _np_before(ante, len(ante))
                else:
                    agent = _np_before(before_v, len(before_v))
                if not agent and voice == "active":
                    voice = "none"
        if voice == "none" and num_tok is not None:
            verb, voice, agent = _parse_voice(num_tok)
        elif voice == "none":
            im = _INTRANS_RX.match(right)
            if im and im.group("v") in _INTRANSITIVE:
                verb, voice = im.group("v"), "intransitive"
        low = f" {counted.lower()} {verb} "
        if percent:
            category = "percent"
        elif m.group("cur") or any(w in low.split() for w in _CURRENCY_WORDS):
            category = "money"
        elif any(w in low.split() for w in _HOSTAGE):
            category = "hostages"
        elif any(w in low.split() for w in _CASUALTY):
            category = "casualties"
        else:
            category = "other"
        # attribution: "according to ..." nearest, else "which X says", else a speech verb
        attribution = ""
        acc = [x for x in _ACCORDING.finditer(s)]
        if acc:
            best = min(acc, key=lambda x: (x.start() < b, abs(x.start() - b)))
            attribution = "according to " + best.group("src").strip()
        else:
            sm = _SAYS_BEFORE.search(s[max(0, a - 120) : q_start].rstrip()[-100:] if verb else "")
            if sm is None:
                sm = _SAYS_BEFORE.search(s[max(0, q_start - 150) : q_start].rsplit(" ", 1)[0]) if voice == "active" else None
            if sm:
                attribution = f"{sm.group('who')} {sm.group('v')}"
            elif attrs:
                near = min(attrs, key=lambda t: abs(t[1] - a))
                attribution = f"{near[0]} {near[2]}"
            else:
                attribution = _parse_attribution(num_tok)
        out.append(dict(number=number, number_high=number_high, number_text=text, qualifier=qualifier,
                        counted=counted, category=category, verb=verb, voice=voice, agent=agent,
                        attribution=attribution, start=q_start, end=max(b, c_end)))
    out.sort(key=lambda r: r["start"])
    return out


def claims(docs: pd.DataFrame) -> pd.DataFrame:
    """Numeric claims with what they count, their attribution and the voice of the clause.

    Parameters
    ----------
    docs : DataFrame
        Documents (``doc_id, outlet, text``).

    Returns
    -------
    DataFrame
        One row per number: ``doc_id, outlet, sent_id`` (0-based sentence of ``text``),
        ``number`` (float: "31,000" -> 31000, "a million" -> 1e6, "$1.5 billion" ->
        1.5e9, "twelve" -> 12; a plural magnitude gives its lower bound, "thousands of" ->
        2000, "hundreds of thousands" -> 200000; dates give the day or year, times the
        hour), ``number_high`` (upper end: the same as ``number`` for one figure; 30 for
        "20 to 30"; 10000 for "thousands of", 1e6 for "hundreds of thousands"),
        ``number_text`` (as written), ``qualifier`` ("more than", "at least", "between",
        ... or ""), ``counted`` (the noun phrase after the number: "people",
        "Palestinians", "hostages", "percent"; the date or time itself for those),
        ``category`` ('casualties'|'hostages'|'money'|'percent'|'other' for figures;
        'date'|'time' for dates, years, year ranges and clock times), ``verb`` (the clause's
        verb: "killed", "held"), ``voice`` ('active': the agent is the subject, "X has
        killed 32,000"; 'passive_agent': "... killed by X"; 'passive_no_agent': "... being
        held"; 'intransitive': the counted are the subject of a verb without an object or of
        a linking verb, "30 people died"; 'none': no verb, and always for dates and times),
        ``agent`` (who did it, as written; "" unless active or passive with agent),
        ``attribution`` ("according to ..." nearest the number, else "X says/said" in the
        sentence, else the nearest speech verb's subject and verb, else the subject of a
        speech verb above the number in the parse; "" when none), ``start, end`` (character
        offsets in ``text`` of the qualifier-number-noun span), ``sentence`` (at most 3,000
        characters of it).
    """
    from analysis.framing.sourcing import _find_attributions

    from analysis import nlp

    P.check_docs(docs, "claims")
    rows = []
    meta = list(P.iter_docs(docs))
    from analysis.framing.frames import _parse_within_limit

    parsed = _parse_within_limit([text for _d, _o, _t, text in meta], [d for d, _o, _t, _x in meta])
    for (doc_id, outlet, _t, text), doc in zip(meta, parsed):
        sents = P.doc_sentences(doc_id, outlet, text)
        spans = nlp.sentences_of(doc) if text.strip() and doc is not None else []
        qspans = P.quote_spans(text)
        qstarts = [x for x, _ in qspans]
        for s in sents:
            if not any(ch.isdigit() for ch in s.text) and not _HAS_WORD_NUMBER.search(s.text):
                continue
            attrs = [
                (at.subject, at.verb_start - s.start, at.verb.lower())
                for at in _find_attributions(text, s, qspans, qstarts)
                if at.verb.lower() != "according to"
            ]
            span = spans[s.sent_id] if s.sent_id < len(spans) and s.end - s.start == len(s.text) else None
            if span is not None and (span.start_char, span.end_char) != (s.start, s.end):
                span = None
            for c in _sentence_claims(s.text, attrs, span):
                c.update(doc_id=doc_id, outlet=outlet, sent_id=s.sent_id, sentence=s.text,
                         start=s.start + c["start"], end=s.start + c["end"])
                rows.append(c)
    out = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    out["number"] = out["number"].astype(float)
    return out
