"""Numeric claims and agency: what is counted, by whom it is attributed, who did it.

Each number in a sentence (digits with thousands separators and decimals, "a million",
"32 million", "$1.5 billion", dates such as "Oct. 7") is normalised to a float and read
with its qualifier ("more than", "at least"), the noun it counts, the clause's verb and
voice, and the attribution in the sentence ("according to ...", "X says"). Voice follows
the grammar of agency in news reporting (Trew 1979; Gabrielatos & Baker 2008 on
transitivity): *active* ("the strike killed 30 people": the agent is the subject),
*passive with agent* ("30 people were killed by Israeli forces"), *passive without agent*
("30 people were killed": agency deleted). All rules are regular expressions over the
sentence; the sentence is returned with every row.
"""

from __future__ import annotations

import logging
import re

import pandas as pd

from analysis.framing import _patterns as P

log = logging.getLogger(__name__)

CLAIM_COLUMNS = ["doc_id", "outlet", "sent_id", "number", "number_text", "qualifier", "counted",
                 "category", "verb", "voice", "agent", "attribution", "start", "end", "sentence"]

_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_SCALE = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "dozen": 12.0}
_WORDNUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 3, "a few": 3,
            "half a": 0.5}
_NUMBER = re.compile(
    r"(?P<cur>[$€£])?(?P<num>(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)|(?<![\w.,])\d{1,12}"
    r"(?:\.\d+)?(?![\w]))(?:\s(?P<scale>hundred|thousand|million|billion|trillion)\b)?"
    r"|\b(?P<wnum>half\sa|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a\sfew)"
    r"\s(?P<wscale>hundred|thousand|million|billion|trillion|dozen)\b"
    r"|\b(?P<plural>hundreds|thousands|millions|billions|dozens)\sof\b",
    re.IGNORECASE,
)
_QUALIFIER = re.compile(
    r"(?P<q>more\s+than|at\s+least|at\s+most|over|nearly|almost|about|around|roughly|some|"
    r"up\s+to|fewer\s+than|less\s+than|as\s+many\s+as|approximately|an\s+estimated|"
    r"upwards\s+of|close\s+to|just\s+over|just\s+under|under|estimated|only|just)"
    r"\s+(?:the\s+)?\Z",
    re.IGNORECASE,
)
_DATE_BEFORE = re.compile(_MONTHS + r"\s{1,2}\Z")
_DATE_AFTER = re.compile(r"\A\s{1,2}" + _MONTHS + r"(?![a-z])")
_CURRENCY_WORDS = {"dollars", "euros", "pounds", "shekels", "yuan", "yen", "rupees", "rupiah",
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


def _to_float(m: re.Match[str]) -> float:
    if m.group("num"):
        x = float(m.group("num").replace(",", ""))
        if m.group("scale"):
            x *= _SCALE[m.group("scale").lower()]
        return x
    if m.group("wnum"):
        return float(_WORDNUM[re.sub(r"\s+", " ", m.group("wnum").lower())]) * _SCALE[m.group("wscale").lower()]
    word = m.group("plural").lower()
    return {"hundreds": 200.0, "thousands": 2000.0, "millions": 2e6, "billions": 2e9, "dozens": 24.0}[word]


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


def _sentence_claims(s: str, attrs: list) -> list[dict]:
    out = []
    for m in _NUMBER.finditer(s):
        if not any(m.group(g) for g in ("num", "wnum", "plural")):
            continue
        a, b = m.start(), m.end()
        number = _to_float(m)
        text = m.group().strip()
        q = _QUALIFIER.search(s[max(0, a - 30) : a])
        qualifier = re.sub(r"\s+", " ", q.group("q").lower()) if q else ""
        q_start = a - (len(s[max(0, a - 30) : a]) - q.start()) if q else a
        if _date_like(s, m):
            lo = a
            before = _DATE_BEFORE.search(s[max(0, a - 12) : a])
            if before:
                lo = max(0, a - 12) + before.start()
            after = _DATE_AFTER.match(s[b : b + 12])
            hi = b + after.end() if after else b
            year = re.match(r"\A\s\d{4}\b", s[hi : hi + 6])
            hi = hi + year.end() if year else hi
            out.append(dict(number=number, number_text=text, qualifier=qualifier,
                            counted=s[lo:hi].strip(), category="date", verb="", voice="none",
                            agent="", attribution="", start=lo, end=hi))
            continue
        counted, c_end = _counted(s, b)
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
                before_v = re.sub(r"\s(?:has|have|had|reportedly|also|already)\Z", "", before_v).rstrip()
                sm = _SAYS_BEFORE.search(before_v[-80:])
                if sm:
                    ante = before_v[: len(before_v) - len(sm.group())].rstrip().rstrip(",")
                    agent = _np_before(ante, len(ante))
                else:
                    agent = _np_before(before_v, len(before_v))
                if not agent:
                    voice = "none"
            else:
                im = _INTRANS_RX.match(right)
                if im and im.group("v") in _INTRANSITIVE:
                    verb = im.group("v")
        low = f" {counted.lower()} {verb} "
        if m.group("cur") or any(w in low.split() for w in _CURRENCY_WORDS):
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
        out.append(dict(number=number, number_text=text, qualifier=qualifier, counted=counted,
                        category=category, verb=verb, voice=voice, agent=agent,
                        attribution=attribution, start=q_start, end=max(b, c_end)))
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
        1.5e9; "thousands of" -> 2000 as a lower bound of the plural; dates give the day
        or year), ``number_text`` (as written), ``qualifier`` ("more than", "at least",
        ... or ""), ``counted`` (the noun phrase after the number: "people",
        "Palestinians", "hostages"; the date for dates), ``category``
        ('casualties'|'hostages'|'money'|'date'|'other'), ``verb`` (the clause's verb:
        "killed", "held"), ``voice`` ('active': the agent is the subject, "X has killed
        32,000"; 'passive_agent': "... killed by X"; 'passive_no_agent': "... being held";
        'none': no transitive verb found), ``agent`` (who did it, as written), ``attribution``
        ("according to ..." nearest the number, else "X says/said" in the sentence, else
        the nearest speech verb's subject and verb; "" when none), ``start, end``
        (character offsets in ``text`` of the qualifier-number-noun span), ``sentence``
        (at most 3,000 characters of it).
    """
    from analysis.framing.sourcing import _find_attributions

    P.check_docs(docs, "claims")
    rows = []
    for doc_id, outlet, _t, text in P.iter_docs(docs):
        sents = P.doc_sentences(doc_id, outlet, text)
        qspans = P.quote_spans(text)
        qstarts = [x for x, _ in qspans]
        for s in sents:
            if not any(ch.isdigit() for ch in s.text) and not re.search(
                r"(?i)\b(?:hundred|thousand|million|billion|trillion|dozen)s?\b", s.text
            ):
                continue
            attrs = [
                (at.subject, at.verb_start - s.start, at.verb.lower())
                for at in _find_attributions(text, s, qspans, qstarts)
                if at.verb.lower() != "according to"
            ]
            for c in _sentence_claims(s.text, attrs):
                c.update(doc_id=doc_id, outlet=outlet, sent_id=s.sent_id, sentence=s.text,
                         start=s.start + c["start"], end=s.start + c["end"])
                rows.append(c)
    out = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    out["number"] = out["number"].astype(float)
    return out
