"""Sourcing: who each outlet lets speak, how, and how openly.

``quotes(docs)`` finds direct quotes (text between quotation marks) and indirect quotes
("X said (that) ...", "..., X said.", "according to X") with their speaker, the reporting
verb and its class, and whether the source is anonymous or institutional. ``sources(docs)``
sums them per outlet. The rules follow the quote-extraction design of the Gender Gap
Tracker (Asr et al. 2021, PLOS ONE 16(1): e0245533): a quote is attributed to the nearest
speech verb in its sentence and that verb's subject noun phrase; pronouns are resolved to
the last named person speaker of that gender. The kit's version is rule-based, with the
spaCy parse (``analysis.nlp``) for subjects, people and nouns where the rules cannot see:
every row carries its sentence so each count can be checked by eye. The gender of a named
speaker comes from the article first, then from a first-name lexicon
(:mod:`analysis.framing.gender`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import pandas as pd

from analysis.framing import _patterns as P
from analysis.framing import gender as _gender

log = logging.getLogger(__name__)

QUOTE_COLUMNS = [
    "doc_id", "outlet", "sent_id", "quote_id", "kind", "quote", "speaker", "speaker_mention",
    "speaker_type", "reporting_verb", "verb_class", "anonymous", "institutional", "start",
    "end", "sentence", "speaker_resolved", "source_type", "speaker_gender", "gender_evidence",
]

_PREPS_SPLIT = {"in", "at", "from", "with", "on", "for", "who", "which", "that", "familiar",
                "close", "briefed", "involved", "speaking", "to"}
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "yesterday", "today", "tonight"}
_TIME_HEADS = _WEEKDAYS | {"time", "week", "month", "statement", "morning", "evening", "night",
                           "interview", "briefing", "conference", "release", "post"}
_TIME_LEAD = {"on", "at", "the", "this", "last", "in", "a", "earlier", "late", "early", "an",
              "news", "press", "told"}


_OPENERS = {"yesterday", "meanwhile", "previously", "today", "earlier", "later", "however",
            "still", "now", "then", "also", "last", "this"}
_LEAD_TIME = re.compile(
    r"^(?:(?:on|at|in|last|this|earlier|late)\s+(?:the\s+)?(?:time|week|month|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|statement|interview)\b[\s,]*|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today)\b[\s,]*)+",
    re.IGNORECASE,
)
_NOT_FINAL_FIRST = {"the", "a", "an", "that", "it", "he", "she", "they", "his", "her", "its",
                    "their", "there", "this", "these", "those", "israel", "we", "i"}


# words that open a sentence or name a time or a place word-class, never a speaker on their own
_NOT_SPEAKER_N = _WEEKDAYS | {
    "but", "and", "so", "then", "as", "while", "when", "however", "still", "yet", "also", "down",
    "up", "after", "before", "since", "if", "though", "although", "because", "instead", "later",
    "earlier", "meanwhile", "now", "here", "there", "another", "others", "other", "some", "many",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "last", "this", "next", "in", "on", "at", "with", "for",
    "a", "an", "the", "one", "of", "two",
}
_SUBJ_DEPS = {"nsubj", "nsubjpass"}
# words that open a sentence in capitals before a name ("Despite Trump's ..."), never a
# first name
_OPENER_WORDS = _NOT_SPEAKER_N | {"despite", "following", "plus", "during", "under", "without",
                                  "unlike", "like", "among", "amid", "against", "asked",
                                  "meanwhile", "yet", "even", "only", "unless", "until", "why",
                                  "what", "how", "where", "who", "to", "from", "by", "about"}
_DOCUMENT_NOUNS = {"statement", "letter", "memo", "release", "note", "message", "post"}
_PARTITIVES = {"one", "another", "some", "many", "several", "each", "most", "all", "none",
               "two", "three", "both", "few"}
_AGENT_NOUNS = P.ANON_N | P.INST_N | P.TITLE_N | {"group", "groups", "critics", "activists",
                                                  "lawmakers", "supporters", "opponents"}
_INDEFINITE_SPEAKERS = {"someone", "somebody", "anyone", "anybody", "everyone", "everybody"}
# heads of descriptions that stand for a person already named ("the billionaire"); titles
# ("the minister") go through the title rules instead
_DESCRIPTION_HEADS = {"mogul", "star", "businessman", "businesswoman", "billionaire", "host",
                      "candidate", "developer", "tycoon", "frontrunner", "front-runner",
                      "nominee", "incumbent", "challenger", "hopeful", "magnate"}
# offices whose holder the article may name only once, far from the title ("the Texas
# governor" for Rick Perry); roles that speak for others (spokesman, adviser) are left out
_OFFICE_TITLES = {"governor", "senator", "president", "minister", "mayor", "congressman",
                  "congresswoman", "representative", "chancellor", "premier", "king", "queen",
                  "prince", "speaker", "chairman", "chairwoman", "leader", "judge", "justice",
                  "candidate", "nominee", "secretary", "ambassador", "general", "commander"}
_TITLE_ABBR = {"governor": "gov.", "senator": "sen.", "representative": "rep.",
               "general": "gen.", "lieutenant": "lt.", "colonel": "col.", "president": "pres.",
               "congressman": "rep.", "congresswoman": "rep.", "professor": "prof."}
# speech verbs beyond the shared list (neutral class); "read(s)" and "shouted" attribute a
# direct quote ("the statement reads") but never make an indirect one on their own
_MORE_VERBS = {"posited", "posits", "repeated", "repeats", "recalled", "recalls", "joked",
               "jokes", "quipped", "quips", "tweeted", "tweets", "read", "reads", "shouted",
               "shouts", "yelled", "recounted", "predicted", "predicts", "conceding", "continues"}
# praise attributes the words it quotes ("went on to praise X for "having the courage"") but a
# verb with a noun object is no indirect quote
_PRAISE_VERBS = {"praise", "praised", "praises", "praising", "hailed", "hails", "lauded", "lauds"}
_REPORTING = P.REPORTING_VERBS | _MORE_VERBS | _PRAISE_VERBS
_NOT_INDIRECT = P.NOT_INDIRECT | {"read", "reads", "shouted", "shouts", "yelled", "continues"} | _PRAISE_VERBS
# a noun right before the opening mark that makes the quotation a name ("the ad "Strong"")
_TERM_NAMING = {"titled", "entitled", "dubbed", "nicknamed", "named", "codenamed"}
_TERM_BEFORE = {"ad", "show", "program", "programme", "film", "book", "slogan", "word", "words",
                "term", "song", "hashtag", "headline", "motto", "banner", "sign", "label",
                "operation"}
_TERM_WROTE = {"wrote", "writes", "scrawled", "chanted", "chant"}  # one word on a board, a sign
_TERM_BEFORE_ON = {"on", "in"}  # 'saying on "Fox & Friends"': a title-case name after these
_SPEECH_END = re.compile(r"[.,!?…:;]\W*$")


def _nearest_subject(verb, deps: set[str]):
    """The first subject child of ``verb`` (a spaCy token) with a dependency in ``deps``,
    a place name left out when there are two (a dateline parsed as a second subject:
    "Washington (AFP) - Mueller has submitted" -> "Mueller"); None."""
    subs = [c for c in verb.children if c.dep_ in deps]
    if len(subs) > 1:
        # two subjects: a place opening the article is its dateline, not a subject
        subs = [c for c in subs if c.ent_type_ not in {"GPE", "LOC"}] or subs
    return subs[0] if subs else None


def _parse_subject(doc, verb_char: int) -> tuple[int, int] | None:
    """Character span of the nominal subject (``nsubj``) of the reporting verb at
    ``verb_char`` in the parse ``doc``, climbing from a participle, infinitive or
    conjoined verb to the verb it hangs on ("But he aimed ..., saying ..." -> "he");
    None when the parse has no such token or no subject."""
    if doc is None:
        return None
    span = doc.char_span(verb_char, verb_char + 1, alignment_mode="expand")
    if span is None or len(span) == 0 or span[0].idx != verb_char:
        return None
    v = span[0]
    for _ in range(4):
        subj = _nearest_subject(v, _SUBJ_DEPS)
        if subj is not None:
            ante = v.head
            while ante.dep_ in {"appos", "conj"} and ante.head is not ante and ante.head.pos_ in {"NOUN", "PROPN"}:
                ante = ante.head  # "X, a gay group, which said": the name the appositive describes
            if (subj.tag_ in {"WP", "WDT"} and v.i == span[0].i and v.dep_ == "relcl"
                    and (ante.pos_ == "PROPN" or ante.lower_ in _AGENT_NOUNS)
                    and ante.ent_type_ not in {"DATE", "TIME", "CARDINAL"}):
                # "the Log Cabin Republicans, a gay group, which said ...": the relative
                # pronoun stands for the noun the clause describes
                return _noun_span(ante)
            of = next((c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if subj.lower_ in _PARTITIVES and pobj is not None and pobj.pos_ in {"NOUN", "PROPN"}:
                # "one of the queries", "many of the officials": the phrase up to the noun
                return subj.idx, pobj.idx + len(pobj.text)
            if subj.lower_ == "another":
                return subj.idx, subj.idx + len(subj.text)
            if subj.pos_ == "PRON" or subj.tag_ in {"PRP", "WP", "WDT"}:
                keep = subj.tag_ == "PRP" or subj.lower_ in _INDEFINITE_SPEAKERS
                return (subj.idx, subj.idx + len(subj.text)) if keep else None
            return _noun_span(subj)
        if v.i == span[0].i and v.i > 0 and doc[v.i - 1].text in {'"', "”", "'", "’", ","}:
            # inverted attribution ('"...," reads one question'): the small model often
            # parses the speaker as the object of the verb
            obj = next((c for c in v.rights if c.dep_ in {"dobj", "attr"}), None)
            if obj is not None and obj.pos_ in {"NOUN", "PROPN"}:
                return _noun_span(obj)
        if v.dep_ in {"advcl", "xcomp", "conj", "acl", "relcl"} and v.head is not v:
            came_from_acl = v.dep_ == "acl"
            v = v.head
            # "released an ad in Iowa describing himself": from the noun the participle
            # describes up to the verb whose object it is
            while came_from_acl and v.dep_ in {"dobj", "pobj", "prep", "attr"} and v.head is not v:
                v = v.head
            continue
        return None
    return None


def _noun_span(noun) -> tuple[int, int]:
    """Character span of a subject noun with its modifiers; a document's author instead of
    the document ("a joint statement from Chairman Bob Goodlatte" -> the chairman)."""
    if noun.lemma_.lower() in _DOCUMENT_NOUNS:
        preps = list(noun.rights)
        if noun.dep_ == "dobj":  # 'read a statement from X': the parse may hang "from" on the verb
            preps += [c for c in noun.head.rights if c.i == noun.i + 1]
        for prep in preps:
            if prep.dep_ == "prep" and prep.lower_ in {"from", "by"}:
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is not None and pobj.pos_ == "PROPN":
                    return pobj.left_edge.idx, pobj.idx + len(pobj.text)
    return noun.left_edge.idx, noun.idx + len(noun.text)


def _passive_agent(doc, verb_char: int) -> tuple[int, int] | None:
    """For a passive reporting verb at ``verb_char`` ("are said to be", "was denounced by
    X"): the character span of its agent ("by X"), or ``(-1, -1)`` when it has none (no
    speaker is stated); None when the verb is not passive or there is no parse."""
    if doc is None:
        return None
    span = doc.char_span(verb_char, verb_char + 1, alignment_mode="expand")
    if span is None or len(span) == 0 or span[0].idx != verb_char:
        return None
    v = span[0]
    if v.tag_ != "VBN" or not any(c.dep_ == "auxpass" for c in v.children):
        return None
    for c in v.children:
        if c.dep_ == "agent":
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            # a name, or a person or body ("by officials", "by the committee"); "by name"
            # or "by phone" is no speaker
            if pobj is not None and (pobj.pos_ == "PROPN" or pobj.lower_ in _AGENT_NOUNS):
                return _noun_span(pobj)
    return (-1, -1)


def _is_object(doc, char: int) -> bool:
    """True when the parse makes the word ending at ``char`` an object (dobj/pobj)."""
    if doc is None or char <= 0:
        return False
    span = doc.char_span(char - 1, char, alignment_mode="expand")
    return bool(span is not None and len(span) and span[-1].dep_ in {"dobj", "pobj"})


def _bad_subject(subject: str) -> bool:
    """True when a speaker phrase is only sentence openers, dates or function words."""
    toks = P.tokenize(subject)
    return not toks or all(t.n in _NOT_SPEAKER_N for t in toks)


def _is_term(text: str, qa: int, qb: int, doc, attributed: bool) -> bool:
    """Whether the quotation at ``[qa, qb)`` (marks included) names something rather than
    reporting speech: a scare quote, a title, a nickname or a slogan used as a noun.

    Rules (each checked on the words around the marks): a short quotation right after a
    naming word ("titled", "the ad", "wrote") or a title-case name after "on"/"in"; a
    quotation without closing punctuation followed by a noun it modifies ("the "don't ask,
    don't tell" policy"); a single noun in quotation marks with no reporting verb attached
    ("blamed "progressivism""). Short adjectives and phrases ("a "terrible deal."") stay
    direct quotes, as the Gender Gap Tracker counts them.
    """
    inner = text[qa + 1 : qb - 1].strip()
    words = P.tokenize(inner)
    if not words or len(words) > 6:
        return False
    before = P.tokenize(text[max(0, qa - 40) : qa])
    prev = before[-1].n if before and text[before[-1].end + max(0, qa - 40) : qa].strip() == "" else ""
    title_case = all(t.cap or t.n in {"of", "the", "and", "on", "a", "an", "in", "to", "for"}
                     for t in words) and words[0].cap
    speechlike = bool(_SPEECH_END.search(inner))
    if prev in _TERM_NAMING and len(words) <= 4:
        return True
    if prev in _TERM_BEFORE and (len(words) <= 2 or len(words) <= 4 and not speechlike):
        return True
    if prev in _TERM_WROTE and len(words) == 1 and not speechlike:
        return True
    if prev in _TERM_BEFORE_ON and title_case and len(words) <= 4 and not _SPEECH_END.search(inner):
        return True
    if doc is None:
        return False
    after = doc.char_span(qb, min(len(text), qb + 40), alignment_mode="expand")
    nxt = next((t for t in after if not t.is_space and not t.is_punct), None) if after is not None else None
    if (nxt is not None and nxt.idx - qb <= 1 and nxt.pos_ == "NOUN" and nxt.is_lower
            and not re.search(r"[.,!?:;]\W*$", inner)):
        return True
    if len(words) == 1 and not attributed and not _SPEECH_END.search(inner):
        span = doc.char_span(qa + 1, qb - 1, alignment_mode="expand")
        toks = [t for t in span if not t.is_punct] if span is not None else []
        if len(toks) == 1 and toks[0].pos_ in {"NOUN", "PROPN"}:
            return True
    return False


@dataclass
class _Attr:
    """A speech verb with its subject, found in one sentence (offsets into the document)."""

    sent_id: int
    verb: str
    verb_start: int
    verb_end: int
    subject: str
    subj_start: int
    subj_end: int
    paren: str = ""
    used: bool = False
    used_at: int = -1  # start of the first quotation that took this attribution
    content: tuple[int, int] | None = None
    extra: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- speaker phrases


def _np_back(s: str, toks: list[P.Tok], j: int) -> tuple[int, int]:
    """Indices [a, j] of the noun phrase ending at token ``j`` (a > j when there is none)."""
    a = j + 1
    if j < 0:
        return a, j
    if toks[j].n in P.PRONOUNS:
        return j, j
    if toks[j].possessive:
        return j + 1, j
    k = j
    while k >= 0 and (j - k) < 9:
        t = toks[k]
        if k < j and not P.plain_gap(s, t.end, toks[k + 1].start):
            break
        if not (t.cap or t.n in P.NP_LOWER_N) or t.n in P.PRONOUNS and k < j:
            break
        if t.cap and t.n in {"but", "and", "so", "then", "as", "while", "when"}:
            break
        a = k
        k -= 1
    # trim function words at the left edge
    while a <= j and toks[a].n in {"and", "of", "in", "for", "with", "to", "on", "at"}:
        a += 1
    if a <= j and toks[j].n in {"the", "a", "an", "and", "of", "in", "for", "with", "his",
                                "her", "its", "their", "one", "two", "to", "on", "at"}:
        return j + 1, j
    return a, j


def _np_forward(s: str, toks: list[P.Tok], i: int) -> tuple[int, int]:
    """Indices [i, b] of the noun phrase starting at token ``i`` (b < i when none)."""
    b = i - 1
    k = i
    while k < len(toks) and k - i < 9:
        t = toks[k]
        if k > i and not P.plain_gap(s, toks[k - 1].end, t.start):
            break
        if not (t.cap or t.n in P.NP_LOWER_N):
            break
        b = k
        k += 1
    return i, b


def _skip_back(s: str, toks: list[P.Tok], j: int) -> int:
    """Step back over auxiliaries, -ly adverbs and time phrases between subject and verb."""
    while j >= 0:
        t = toks[j]
        if not P.plain_gap(s, t.end, toks[j + 1].start):
            return j
        n = t.n
        if not t.cap and (n in P.AUX_N or (n.endswith("ly") and len(n) > 4)):
            j -= 1
            continue
        if n in _TIME_HEADS:
            k = j - 1
            while k >= 0 and toks[k].n in _TIME_LEAD and P.plain_gap(s, toks[k].end, toks[k + 1].start):
                k -= 1
            if k < j - 1 or n in _WEEKDAYS:
                j = k
                continue
        return j
    return j


def _find_attributions(text: str, sent: P.Sentence, qspans, qstarts, doc=None) -> list[_Attr]:
    s = sent.text
    toks = P.tokenize(s)
    out: list[_Attr] = []
    for vi, t in enumerate(toks):
        n = t.n
        absolute = sent.start + t.start
        if P.in_spans(absolute, qstarts, qspans):
            continue
        if n == "according" and vi + 1 < len(toks) and toks[vi + 1].n == "to":
            a, b = vi + 2, vi + 1
            if vi + 2 < len(toks):
                b = vi + 2
                k = vi + 3
                while k < len(toks) and k - vi < 16 and P.plain_gap(s, toks[k - 1].end, toks[k].start):
                    b = k
                    k += 1
            if b >= a:
                subj = s[toks[a].start : toks[b].end]
                # clause content: from the previous comma / sentence start to "according"
                c = s.rfind(",", 0, t.start)
                c_start = 0 if c < 0 else 0  # the whole clause before "according to"
                out.append(_Attr(sent.sent_id, "according to", absolute, sent.start + toks[vi + 1].end,
                                 subj, sent.start + toks[a].start, sent.start + toks[b].end,
                                 content=(sent.start + c_start, sent.start + (c if c >= 0 else t.start))))
            continue
        if n not in _REPORTING or t.cap and vi > 0:
            continue
        if n in {"called", "calls"} and vi + 1 < len(toks) and toks[vi + 1].n in {"for", "off", "in", "up"}:
            continue
        paren = ""
        agent = _passive_agent(doc, absolute)
        if agent is not None:
            # a passive reporting verb: its agent speaks ("was denounced by X"); without
            # one no speaker is stated ("the questions are said to be ...")
            fa, fb = agent
            out.append(_Attr(sent.sent_id, t.text, absolute, sent.start + t.end,
                             text[fa:fb] if fa >= 0 else "", fa if fa >= 0 else absolute,
                             fb if fa >= 0 else absolute))
            continue
        subj_range = (vi, vi - 1)
        j = _skip_back(s, toks, vi - 1) if vi > 0 else -1
        if j >= 0:
            gap = s[toks[j].end : toks[j + 1].start]
            if "," in gap and not n.endswith("ing"):
                c2 = toks[j].end + gap.index(",")
                c1 = s.rfind(",", max(0, c2 - 160), c2)
                inner = s[c1 + 1 : c2].strip() if c1 >= 0 else ""
                first = inner.split(" ", 1)[0].lower() if inner else ""
                if c1 >= 0 and first in {"who", "which", "speaking", "though", "a", "an", "the",
                                         "one", "citing", "while", "in", "according", "also"}:
                    paren = inner
                    jj = max((x for x in range(len(toks)) if toks[x].end <= c1), default=-1)
                    if jj >= 0 and P.plain_gap(s, toks[jj].end, c1):
                        subj_range = _np_back(s, toks, jj)
            elif toks[j].n == "and" and out:
                prev = out[-1]
                out.append(_Attr(sent.sent_id, t.text, absolute, sent.start + t.end, prev.subject,
                                 prev.subj_start, prev.subj_end, prev.paren))
                continue
            else:
                subj_range = _np_back(s, toks, j)
        a, b = subj_range
        if n.endswith("ing") and vi == 0:
            # "Saying X, he said ...": the opening participle's subject, from the parse
            found = _parse_subject(doc, absolute)
            if found is not None:
                fa, fb = found
                out.append(_Attr(sent.sent_id, t.text, absolute, sent.start + t.end,
                                 text[fa:fb], fa, fb, paren))
                continue
        if n.endswith("ing") and vi > 0 and "," in s[toks[vi - 1].end : t.start]:
            # participle clause: the subject of the verb it hangs on, from the parse (the
            # noun phrase before the comma is that verb's object: "aimed at the council,")
            found = _parse_subject(doc, absolute)
            if found is not None and found[1] <= absolute and not _bad_subject(text[found[0]:found[1]]):
                fa, fb = found
                out.append(_Attr(sent.sent_id, t.text, absolute, sent.start + t.end,
                                 text[fa:fb], fa, fb, paren))
                continue
            # participle clause: its subject is the sentence's opening noun phrase
            a, b = _np_forward(s, toks, 0)
            if (a > b or (a == b and toks[a].n in _OPENERS)) and "," in s[: t.start]:
                comma = s.find(",")
                i0 = next((x for x in range(len(toks)) if toks[x].start > comma), len(toks))
                if i0 < vi:
                    a, b = _np_forward(s, toks, i0)
            if a <= b and toks[b].end > t.start:
                a, b = 0, -1
        if a > b and vi + 1 < len(toks) and not n.endswith("ing"):
            before = s[max(0, t.start - 4) : t.start]
            if any(ch in before for ch in ",\"”’'"):
                a, b = _np_forward(s, toks, vi + 1)
        if (a <= b and n.endswith("ing") and P.plain_gap(s, toks[b].end, t.start)
                and _is_object(doc, sent.start + toks[b].end)):
            # "another ad in Iowa describing himself": the noun before a participle is an
            # object, not its subject
            a, b = vi, vi - 1
        if a > b or _bad_subject(s[toks[a].start : toks[b].end]):
            # none found, or "But", "Saturday", "Down": the parse's subject if it has one
            # ("One question asks", "a joint statement read")
            found = _parse_subject(doc, absolute)
            if found is not None and (not _bad_subject(text[found[0]:found[1]])
                                      or text[found[0]:found[1]].strip().lower() == "another"):
                # "another" alone ("Another asks ...") is kept: it stands for one more of
                # the sources just quoted and is resolved with them
                fa, fb = found
                out.append(_Attr(sent.sent_id, t.text, absolute, sent.start + t.end,
                                 text[fa:fb], fa, fb, paren))
            continue
        if a > b:
            continue
        subj = s[toks[a].start : toks[b].end]
        out.append(_Attr(sent.sent_id, t.text, absolute, sent.start + t.end, subj,
                         sent.start + toks[a].start, sent.start + toks[b].end, paren))
    return out


def _classify(speaker: str, sentence: str, paren: str) -> tuple[str, str]:
    """Return ``(source_type, name)``; source_type is named/anonymous/institutional/pronoun."""
    toks = P.tokenize(speaker)
    if not toks:
        return "unknown", ""
    if len(toks) == 1 and toks[0].n in P.PRONOUNS:
        return "pronoun", toks[0].n
    # part before the first preposition / relative word (head region)
    head_toks = []
    for i, t in enumerate(toks):
        if i > 0 and not t.cap and t.n in _PREPS_SPLIT:
            break
        if i > 0 and t.n == "of" and (i + 1 >= len(toks) or not toks[i + 1].cap):
            break
        head_toks.append(t)
    anonymity = bool(P.ANON_PHRASES.search(paren) or P.ANON_PHRASES.search(sentence))
    # 1. a title followed by a capitalised name
    titled = [i for i, t in enumerate(head_toks) if t.n in P.TITLE_N]
    roled = [i for i, t in enumerate(head_toks) if t.n in P.TITLE_N or t.n in P.ANON_N]
    if roled:
        # "spokesman Abu Obeida", "Hamas official Basem Naim": a role word then a name
        rest = [t for t in head_toks[roled[-1] + 1 :] if t.cap]
        if rest and len(rest) == len(head_toks) - roled[-1] - 1 and not rest[-1].possessive:
            return "named", " ".join(t.text for t in rest)
        if titled and titled[-1] == len(head_toks) - 1 and not any(
            t.cap and t.n not in P.TITLE_N and t.n not in P.NP_LOWER_N and t.n not in P.DEMONYM_N
            for t in head_toks
        ):
            words = [t.text for t in head_toks if t.n not in {"the", "a", "an", "one", "another"}]
            return "title", " ".join(words)
    named = [t for t in head_toks if t.cap and not t.possessive and t.n not in P.NP_LOWER_N
             and t.n not in P.DEMONYM_N and t.n not in P.INST_N and t.n not in P.TITLE_N]
    has_anon_head = any(t.n in P.ANON_N and not t.possessive for t in head_toks)
    if has_anon_head and (not named or head_toks[-1].n in P.ANON_N):
        # "Gaza health officials", "a U.S. official": names before the head only modify it
        return "anonymous", speaker
    if any(t.n in P.INST_N and not t.possessive for t in head_toks):
        return "institutional", speaker
    if named:
        # the last run of name tokens
        run: list[P.Tok] = []
        for t in head_toks:
            if t in named:
                run.append(t)
            elif run:
                run = []
        run = run or named
        return "named", " ".join(t.text for t in run)
    if anonymity:
        return "anonymous", speaker
    if head_toks and head_toks[-1].n in P.ANON_N:
        return "anonymous", speaker
    return "institutional", speaker


class _NameIndex:
    """The document's multi-word names, indexed by every surname they end with.

    ``resolve("Jean-Pierre")`` -> "Karine-Jean Pierre" in one dictionary look-up: names with
    a one-letter token (garbled text) are skipped; the most frequent full name wins, then
    one mentioned before the quote, then the earliest.
    """

    def __init__(self, doc_names: list[tuple[int, str]]):
        import re as _re

        self.by_suffix: dict[str, dict[str, list[int]]] = {}
        self.multi_starts: list[int] = []
        self.multi_names: list[str] = []
        for start, full in doc_names:
            parts = full.split()
            # a capitalised sentence opener is no first name ("Despite Trump's ...")
            while parts and parts[0].lower() in _OPENER_WORDS:
                start += len(parts[0]) + 1
                parts = parts[1:]
            full = " ".join(parts)
            if len(parts) < 2:
                continue
            self.multi_starts.append(start)
            self.multi_names.append(full)
            if any(len(p.strip(".")) < 2 for p in parts):
                continue
            pieces = _re.split(r"[\s\-]+", full)
            for k in range(1, len(pieces)):
                key = P.compact("".join(pieces[k:]))
                if key:
                    self.by_suffix.setdefault(key, {}).setdefault(full, []).append(start)

    def resolve(self, name: str, pos: int, fits=None) -> str:
        """The fullest name for ``name`` at offset ``pos``; with ``fits`` (a predicate on
        full names), only the full names it accepts, when any ("Mr. Trump" is not "Melania
        Trump")."""
        if len(name.split()) >= 2:
            return name
        cands = self.by_suffix.get(P.compact(name))
        if not cands:
            return name
        if fits is not None:
            cands = {f: v for f, v in cands.items() if fits(f)}
            if not cands:
                return name  # no full name of that gender: the name as written
        return sorted(cands, key=lambda f: (-len(cands[f]), min(cands[f]) > pos, min(cands[f])))[0]

    def last_before(self, pos: int) -> str:
        import bisect

        i = bisect.bisect_left(self.multi_starts, pos) - 1
        return self.multi_names[i] if i >= 0 else ""


class _Persons:
    """The people of one parsed article: PERSON entities in text order with a gender read
    from the article itself (Mr./Ms./Mrs. before a mention, else the first he/she that is
    the subject of the next clause within the mention's sentence or the next one)."""

    _MALE = {"mr", "mr.", "he", "his", "him"}
    _FEMALE = {"ms", "ms.", "mrs", "mrs.", "she", "her", "miss"}

    def __init__(self, doc, text: str, qspans: list[tuple[int, int]] | None = None):
        self.mentions: list[tuple[int, str]] = []
        self.subjects: list[tuple[int, str]] = []
        self.gender: dict[str, str] = {}
        # the article's evidence for reporting a person's gender: per name key, weights for
        # male and female (an honorific before a mention 3, a he/she after it 1)
        self.votes: dict[str, list[int]] = {}
        self.other: set[str] = set()
        self.known = doc is not None
        if doc is None:
            return
        people = [(e.start, P.compact(P.strip_possessive(e.text)))
                  for e in doc.ents if e.label_ == "PERSON"]  # token index, name key
        for ent in doc.ents:
            key = P.compact(P.strip_possessive(ent.text))
            if ent.label_ != "PERSON":
                if ent.label_ in {"ORG", "GPE", "LOC", "FAC", "NORP", "DATE", "TIME"}:
                    self.other.add(key)
                continue
            name = P.strip_possessive(ent.text.strip())
            if not name or not name[0].isupper():
                continue
            self.mentions.append((ent.start_char, name))
            inside = any(a <= ent.start_char < b for a, b in (qspans or ()))
            if not inside and (ent.root.dep_ in _SUBJ_DEPS
                               or ent.root.dep_ in {"compound", "appos"} and ent.root.head.dep_ in _SUBJ_DEPS):
                self.subjects.append((ent.start_char, name))
            prev = doc[ent.start - 1].lower_ if ent.start > 0 else ""
            g = "m" if prev in self._MALE else "f" if prev in self._FEMALE else ""
            if not g:
                sent_end = ent.sent.end
                nxt = doc[ent.end : min(len(doc), sent_end + 25)]
                for t in nxt:
                    if t.dep_ in _SUBJ_DEPS and t.lower_ in {"he", "she"}:
                        g = "m" if t.lower_ == "he" else "f"
                        break
            for k in {P.compact(name), P.compact(name.split()[-1])}:
                if g and k not in self.gender:
                    self.gender[k] = g
            self._vote(doc, ent, name, people, qspans or [])
        self.other -= {P.compact(n) for _, n in self.mentions}
        # a proper-noun subject the recogniser did not call PERSON here ("Trump agreed")
        # counts when the article names that person elsewhere
        keys = {P.compact(n) for _, n in self.mentions} | {P.compact(n.split()[-1]) for _, n in self.mentions}
        seen = {start for start, _ in self.subjects}
        for tok in doc:
            if tok.dep_ not in _SUBJ_DEPS or tok.pos_ != "PROPN" or tok.ent_type_ == "PERSON":
                continue
            if any(a <= tok.idx < b for a, b in (qspans or ())):
                continue
            start = tok.left_edge.idx if tok.left_edge.pos_ == "PROPN" else tok.idx
            name = P.strip_possessive(text[start : tok.idx + len(tok.text)])
            if start not in seen and P.compact(name) in keys:
                self.subjects.append((start, name))
        self.subjects.sort()

    _HONORIFIC = {"mr": "m", "mr.": "m", "ms": "f", "ms.": "f", "mrs": "f", "mrs.": "f",
                  "miss": "f"}

    def _vote(self, doc, ent, name: str, people: list[tuple[int, str]],
              qspans: list[tuple[int, int]]) -> None:
        """Count the article's evidence of ``ent``'s gender: an honorific right before it,
        else, when the mention is the subject of its clause, the first he/she that is a
        subject later in its sentence or in the next one, provided no other person is named
        in between ("Clinton attacked Trump, and she said": she is Clinton's)."""
        prev = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        g, weight = self._HONORIFIC.get(prev, ""), 3
        root = ent.root
        is_subject = root.dep_ in _SUBJ_DEPS or (root.dep_ in {"compound", "appos"}
                                                  and root.head.dep_ in _SUBJ_DEPS)
        if not g and is_subject:
            weight = 1
            stop = min(len(doc), ent.sent.end + 40)
            nxt_sent_end = doc[stop - 1].sent.end if stop > ent.sent.end else ent.sent.end
            own = {P.compact(name), P.compact(name.split()[-1])}
            limit = next((start for start, key in people if start >= ent.end and key not in own),
                         nxt_sent_end)
            limit = min(limit, nxt_sent_end)
            inside = set(t.i for t in root.subtree)  # "Hope Hicks, an aide before he won"
            for t in doc[ent.end : limit]:
                if t.i in inside or any(a <= t.idx < b for a, b in qspans):
                    continue  # a clause about someone else, or words quoted
                if t.dep_ in _SUBJ_DEPS and t.lower_ in {"he", "she"}:
                    g = "m" if t.lower_ == "he" else "f"
                    break
        if not g:
            return
        for k in {P.compact(name), P.compact(name.split()[-1])}:
            v = self.votes.setdefault(k, [0, 0])
            v[0 if g == "m" else 1] += weight

    def _voted(self, *keys: str) -> str:
        m = sum(self.votes.get(k, (0, 0))[0] for k in keys)
        f = sum(self.votes.get(k, (0, 0))[1] for k in keys)
        if m > 0 and m >= 2 * f:
            return "m"
        if f > 0 and f >= 2 * m:
            return "f"
        return ""

    def full_name_gender(self, name: str) -> str:
        """'male' / 'female' from the article's evidence on the full ``name`` alone."""
        return {"m": "male", "f": "female"}.get(self._voted(P.compact(name)), "")

    def gender_of(self, name: str, names: "_NameIndex") -> str:
        """'male' / 'female' when the article's Mr./Ms./Mrs. or he/she says so for ``name``
        (its full form, or its surname when no other person of the article bears it), else ""."""
        g = self._voted(P.compact(name))
        parts = name.split()
        if not g and len(parts) >= 2:
            surname = P.compact(parts[-1])
            if len(names.by_suffix.get(surname, {})) <= 1:
                # the only full name of the article with that surname: what its surname's
                # mentions say ("Mr. Lee"), unless its first name says otherwise (the
                # article calls a husband "Mr. Trump" and names only his wife in full)
                g = self._voted(P.compact(name), surname)
                lexicon = {"male": "m", "female": "f"}.get(_gender.first_name_gender(name), "")
                if lexicon and g and lexicon != g:
                    g = ""
        return {"m": "male", "f": "female"}.get(g, "")

    def is_person(self, name: str) -> bool:
        """True when the parse names ``name`` (or its surname) as a PERSON somewhere in the
        article, or there is no parse to ask."""
        if not self.known:
            return True
        keys = {P.compact(n) for _, n in self.mentions}
        parts = name.split()
        return P.compact(name) in keys or bool(parts) and P.compact(parts[-1]) in keys

    def not_person(self, name: str) -> bool:
        """True when the parse calls ``name`` an organisation, place or date, never a person."""
        return self.known and P.compact(name) in self.other

    def _gender_of(self, name: str) -> str:
        return self.gender.get(P.compact(name)) or self.gender.get(P.compact(name.split()[-1]), "")

    def fits(self, name: str, pronoun: str, names: "_NameIndex") -> bool:
        """Whether ``pronoun`` (he/she) can stand for the person ``name``."""
        want = "m" if pronoun == "he" else "f"
        g = self._gender_of(name)
        if P.compact(name) in self.other:
            return False
        return g in {"", want}

    def last_subject(self, pos: int, pronoun: str, names: "_NameIndex") -> tuple[int, str]:
        """``(offset, fullest name)`` of the last person before ``pos``, outside quotation
        marks, who is the subject of a clause and whom ``pronoun`` fits; ``(-1, "")``."""
        for start, name in reversed(self.subjects):
            if start < pos and self.fits(name, pronoun, names):
                return start, names.resolve(name, start)
        return -1, ""

    def before(self, pos: int, pronoun: str, names: "_NameIndex") -> str:
        """The last person named before ``pos`` whom ``pronoun`` fits, fullest form."""
        for start, name in reversed(self.mentions):
            if start >= pos:
                continue
            if self.fits(name, pronoun, names):
                return names.resolve(name, start)
        return ""


def _title_holder(text: str, title: str, pos: int) -> str:
    """The name the text gives ``title`` last before ``pos``: written right after it
    ("minister Ann Lee") or with the title in an appositive ("Ann Lee, the foreign
    minister,"); "" when the article never puts a name with the title."""
    if not title:
        return ""
    words = [re.escape(w) for w in title.split()]
    title_rx = r"(?i:" + r"\s+".join(words) + r")"
    rx = re.compile(title_rx + r"\s+((?:[A-Z][\w'’\-]{1,30}\s?){1,3})")
    # "Ann Lee, the foreign minister," -- the title ends the appositive (a comma, a full
    # stop or "of" follows), and no preposition or possessive stands between
    appos = re.compile(r"((?:[A-Z][\w'’\-]{1,30}\s){0,2}[A-Z][\w'’\-]{1,30}),\s+(?i:the|a|an)\s+"
                       r"(?:(?!(?i:of|by|to|for|from|in|on|at|with|and|who|that)\b)[\w.\-]+\s+){0,3}?"
                       + title_rx + r"(?=\s*[,;.)]|\s+of\s)")
    found, at = "", -1
    lo = max(0, pos - 20000)
    for m in rx.finditer(text, lo, pos):
        found, at = m.group(1).strip(), m.start()
    for m in appos.finditer(text, lo, pos):
        if m.start() > at and m.group(1).split()[0].lower() not in _NOT_SPEAKER_N:
            found, at = m.group(1).strip(), m.start()
    return P.strip_possessive(found)


def _title_fits(text: str, name: str, head: str) -> bool:
    """Whether the title word ``head`` ("governor") can be the person ``name``'s: true when
    the article writes no other title before the name (:func:`_titles_of`)."""
    titles = _titles_of(text, name)
    forms = {head, _TITLE_ABBR.get(head, "").rstrip(".")} - {""}
    return not titles or bool(titles & forms)


# the sources behind a document or a survey: a phrase headed by one of these speaks for its
# author or owner ("the statement read" -> who issued the statement); each word maps to the
# family of words that name the same kind of document ("one of the queries" ~ "questions")
_DOC_FAMILY = {
    "statement": "statement", "statements": "statement", "letter": "letter",
    "letters": "letter", "memo": "memo", "memos": "memo", "memorandum": "memo",
    "release": "release", "email": "email", "emails": "email", "e-mail": "email",
    "tweet": "tweet", "tweets": "tweet", "post": "post", "ad": "ad", "ads": "ad",
    "advertisement": "ad", "note": "note", "message": "message", "question": "question",
    "questions": "question", "query": "question", "queries": "question", "filing": "filing",
    "complaint": "complaint", "lawsuit": "lawsuit", "indictment": "indictment",
    "report": "report", "list": "list",
}
_SURVEY_HEADS = {"poll", "polls", "survey", "surveys", "study", "studies", "analysis",
                 "census", "tally", "count", "estimate", "estimates", "audit", "review",
                 "data", "figures", "projection", "projections", "forecast", "model"}
# verbs whose subject is the author of the document that is their object
_AUTHOR_VERBS = {"give", "send", "ask", "pose", "submit", "write", "issue", "release", "draft",
                 "sign", "present", "provide", "deliver", "hand", "prepare", "post", "tweet",
                 "make", "say", "state", "read", "put", "file", "offer", "pen", "compile"}
_LEAD_WORDS = {"the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their",
               "one", "another", "some", "many", "several", "each", "any", "all", "most", "both",
               "two", "three", "of", "joint", "new", "latest", "written", "first", "second",
               "last", "final", "formal", "brief", "additional", "other", "such", "recent",
               "earlier", "separate", "open-ended", "same"}


def _source_phrase(speaker: str) -> tuple[str, str]:
    """Read a speaker phrase that names a document or a survey.

    Returns ``(owner, family)``: ``owner`` is the organisation or person a survey or document
    phrase names as its own ("a Des Moines Register poll released Saturday" -> "Des Moines
    Register", "Gallup's survey", "a poll by Gallup"); ``family`` is the document family
    (:data:`_DOC_FAMILY`) when the phrase is a document without a named owner ("the
    statement", "one of the queries supplied to ..."), whose author is then looked up in the
    article. ``("", "")`` for any other phrase, and for a document of a pronoun ("his
    statement"), which is the pronoun's.
    """
    toks = P.tokenize(speaker)
    if any(t.n in {"his", "her", "its", "their", "my", "our"} for t in toks[:3]):
        return "", ""
    i = 0
    while i < len(toks) and toks[i].n in _LEAD_WORDS:
        i += 1
    owner: list[P.Tok] = []
    head = None
    for k in range(i, min(len(toks), i + 6)):
        t = toks[k]
        if t.n in _SURVEY_HEADS or (t.n in _DOC_FAMILY and not t.cap):
            head = k
            break
        if owner and owner[-1].possessive:
            continue  # "Mr. Comey's closely guarded memos": the owner ends at the 's
        if t.cap or t.possessive or owner:
            owner.append(t)
    if head is None:
        return "", ""
    while owner and not owner[0].cap:
        owner.pop(0)
    if owner:
        return P.strip_possessive(speaker[owner[0].start : owner[-1].end]), ""
    # "a poll by Gallup", "a statement from the White House"
    if head + 2 < len(toks) and toks[head + 1].n in {"by", "from", "of"}:
        run: list[P.Tok] = []
        for t in toks[head + 2 :]:
            if t.cap or (run and t.n in {"of", "and"}):
                run.append(t)
            elif not run and t.n == "the":
                continue
            else:
                break
        while run and not run[-1].cap:
            run.pop()
        if run:
            return speaker[run[0].start : run[-1].end], ""
    return "", _DOC_FAMILY.get(toks[head].n, "")


def _author_of(noun) -> str:
    """The author of the document noun ``noun`` (a spaCy token) as the parse shows it: a
    possessive proper noun ("Mueller's list of questions"), "from/by X" on the noun, the agent
    of a passive authoring verb ("was issued by X"), or the subject of the authoring verb
    (:data:`_AUTHOR_VERBS`) whose object or prepositional phrase holds the noun, through
    "of" and quantity nouns ("Mueller hopes to ask Trump dozens of questions", "In one
    question ..., Mueller asks", "X said in a statement"); "" when it is no proper name."""

    def name_of(tok) -> str:
        if tok.pos_ != "PROPN":
            return ""
        doc, a = tok.doc, tok.i
        while a > 0 and doc[a - 1].pos_ in {"PROPN", "NOUN"} and doc[a - 1].dep_ == "compound":
            a -= 1
        return P.strip_possessive(doc[a : tok.i + 1].text)

    def verb_subject(v) -> str:
        for _ in range(3):
            subj = _nearest_subject(v, {"nsubj"})
            if subj is not None:
                return name_of(subj)
            if v.dep_ not in {"xcomp", "conj", "advcl"} or v.head is v:
                return ""
            v = v.head
        return ""

    def by_or_from(tok) -> str:
        around = list(tok.children)
        if tok.dep_ == "dobj":  # 'read a statement from X': "from" may hang on the verb
            around += [c for c in tok.head.children if c.i == tok.i + 1]
        for c in around:
            if c.dep_ in {"prep", "agent"} and c.lower_ in {"from", "by"}:
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None and name_of(pobj):
                    return name_of(pobj)
        return ""

    n = noun
    for _ in range(6):
        found = next((name_of(c) for c in n.children if c.dep_ == "poss" and c.pos_ == "PROPN"), "")
        found = found or (by_or_from(n) if n.pos_ in {"NOUN", "PROPN"} else "")
        if found:
            return found
        head = n.head
        if head is n:
            return ""
        authoring = head.lemma_.lower() in _AUTHOR_VERBS
        if n.dep_ == "nsubjpass":
            return by_or_from(head) if authoring else ""
        if head.pos_ in {"VERB", "AUX"}:
            if authoring and n.dep_ in {"dobj", "dative", "attr", "prep"}:
                return verb_subject(head)
            return ""
        if n.dep_ in {"pobj", "prep", "conj", "appos", "compound", "nummod", "quantmod"}:
            n = head
            continue
        return ""
    return ""


def _document_author(doc, before: int, family: str, qspans: list[tuple[int, int]]) -> str:
    """The author of the last document of ``family`` mentioned before character ``before``
    (outside quotation marks) whose author the parse shows (:func:`_author_of`); ""."""
    if doc is None or not family:
        return ""
    span = doc.char_span(0, max(0, before), alignment_mode="contract")
    toks = list(span) if span is not None else []
    for tok in reversed(toks):
        if _DOC_FAMILY.get(tok.lower_) != family or tok.pos_ != "NOUN":
            continue
        if any(a <= tok.idx < b for a, b in qspans):
            continue
        author = _author_of(tok)
        if author:
            return author
    return ""


def _titles_of(text: str, name: str) -> set[str]:
    """Title words (:data:`P.TITLE_N`, honorifics left out) written right before ``name`` or
    its surname anywhere in ``text`` ("Foreign Minister Ann Lee" -> {"minister"})."""
    parts = name.split()
    if not parts:
        return set()
    rx = re.compile(r"([\w.]+)\s+(?:[A-Z][\w'’\-]*\.?\s+){0,2}" + re.escape(parts[-1]) + r"\b")
    out = set()
    for m in rx.finditer(text):
        w = m.group(1).lower()
        if w in P.TITLE_N and w not in {"mr.", "mrs.", "ms.", "dr.", "mr", "mrs", "ms", "dr"}:
            out.add(w.rstrip("."))
    return out


# --------------------------------------------------------------------------- public API


def _mention_gender(mention: str) -> str:
    """'male' / 'female' when the speaker phrase opens with an honorific ("Mr. Rother"); ""."""
    words = mention.split()
    return _gender.HONORIFIC_GENDER.get(words[0].lower(), "") if words else ""


def _verb_class(verb: str) -> str:
    if not verb:
        return ""
    n = verb.lower()
    if n == "according to" or n in P.NEUTRAL_VERBS:
        return "neutral"
    if n in P.EVALUATIVE_VERBS or n in _PRAISE_VERBS:
        return "evaluative"
    return "neutral"


def _ending_attribution(attrs: list[_Attr], sents, sent_id: int, para_start: int) -> _Attr | None:
    """The attribution that closes sentence ``sent_id - 1`` ("... he asked."), when that
    sentence lies in the same paragraph (starts after ``para_start``) and nothing but
    punctuation follows its verb; else None."""
    if sent_id <= 0:
        return None
    prev = sents[sent_id - 1]
    if prev.start <= para_start:
        return None
    for at in attrs:
        if at.sent_id != prev.sent_id or not at.subject or at.subj_end > at.verb_start:
            continue
        rest = prev.text[at.verb_end - prev.start :]
        if rest.strip(" .,;:!?\"”’'") == "":
            return at
    return None


def _doc_quotes(doc_id: str, outlet: str, text: str, doc=None) -> list[dict]:
    sents = P.doc_sentences(doc_id, outlet, text)
    if not sents:
        return []
    index = P.sentence_index(sents)
    dspans = P.quote_spans(text)
    dstarts = [a for a, _ in dspans]
    sspans = [sp for sp in P.single_quote_spans(text) if not P.in_spans(sp[0], dstarts, dspans)]
    qspans = sorted(dspans + sspans)
    # drop overlaps (keep the earlier)
    clean: list[tuple[int, int]] = []
    for sp in qspans:
        if clean and sp[0] < clean[-1][1]:
            continue
        clean.append(sp)
    qspans = clean
    qstarts = [a for a, _ in qspans]

    attrs: list[_Attr] = []
    doc_names: list[tuple[int, str]] = []
    for s in sents:
        attrs.extend(_find_attributions(text, s, qspans, qstarts, doc))
        for a, _b, name in P.name_candidates(s.text, sentence_start=s.start):
            doc_names.append((a, name))
    attr_starts = [a.verb_start for a in attrs]

    rows: list[dict] = []
    prev_direct: dict | None = None
    for qa, qb in qspans:
        s0 = P.sentence_at(index, qa)
        s1 = P.sentence_at(index, max(qa, qb - 1))
        w0, w1 = s0.start, max(s1.end, s0.end)
        best, best_d = None, None
        import bisect

        lo = bisect.bisect_left(attr_starts, w0)
        hi = bisect.bisect_left(attr_starts, w1)
        for at in attrs[lo:hi][:50]:
            if at.verb_end <= qa:
                d = qa - max(at.verb_end, at.subj_end if at.subj_start < qa else at.verb_end)
                d = max(0, qa - at.verb_end)
            elif at.verb_start >= qb:
                d = max(0, min(at.subj_start if at.subj_start >= qb else at.verb_start, at.verb_start) - qb)
            else:
                continue
            if best_d is None or d < best_d:
                best, best_d = at, d
        quote_text = text[qa + 1 : qb - 1].strip()
        row = dict(doc_id=doc_id, outlet=outlet, sent_id=s0.sent_id, kind="direct",
                   quote=quote_text, start=qa, end=qb, sentence=s0.text, _paren="")
        if _is_term(text, qa, qb, doc, best is not None and best_d is not None and best_d <= 2):
            # a scare quote, title or nickname: kept as a row of kind "term", no speaker
            row.update(kind="term", speaker="", reporting_verb="")
            rows.append(row)
            continue
        para_start = text.rfind("\n", 0, qa)
        if (best is None and prev_direct is not None and prev_direct["end"] > para_start
                and not prev_direct.get("_continued")):
            # '"X," Lee said. "Y."': a quotation in the paragraph of an attributed one,
            # with no verb of its own, continues it
            row.update(speaker=prev_direct["speaker"], reporting_verb="",
                       _paren=prev_direct["_paren"], _continued=True)
            rows.append(row)
            continue
        if best is not None:
            if not best.used:
                best.used_at = qa
            best.used = True
            row.update(speaker=best.subject, reporting_verb=best.verb.lower(), _paren=best.paren,
                       _sentence_for_anon=P.sentence_at(index, best.verb_start).text,
                       _spos=best.subj_start, _send=best.subj_end)
        else:
            para_start = text.rfind("\n", 0, qa)
            starts_paragraph = text[para_start + 1 : qa].strip() == ""
            ending = _ending_attribution(attrs, sents, s0.sent_id, para_start)
            if ending is not None:
                # '"X?" he asked. "Y."' when the first quotation was lost (a mark of the
                # wrong shape): the attribution that ends the previous sentence of the
                # paragraph
                row.update(speaker=ending.subject, reporting_verb="", _paren=ending.paren,
                           _sentence_for_anon=sents[ending.sent_id].text, _spos=ending.subj_start, _send=ending.subj_end,
                           _continued=True)
            elif prev_direct is not None and starts_paragraph:
                row.update(speaker=prev_direct["speaker"], reporting_verb="",
                           _paren=prev_direct["_paren"], _continued=True)
            else:
                row.update(speaker="", reporting_verb="")
        rows.append(row)
        prev_direct = row if row.get("speaker") else prev_direct

    for at in attrs:
        if at.verb.lower() in _NOT_INDIRECT:
            continue
        sent = sents[at.sent_id]
        s = sent.text
        if at.used:
            # 'Trump said he wanted no "conflict of interest"': reported speech that quotes
            # a fragment is an indirect quote too, when at least two words of the reported
            # clause stand between the verb and the quotation mark
            between = [w for w in P.tokenize(text[at.verb_end : max(at.verb_end, at.used_at)])
                       if w.n != "that"]
            lead_in = text[at.verb_end : max(at.verb_end, at.used_at)].rstrip()
            if (at.used_at < at.verb_end or len(between) < 2 or at.used_at > sent.start + len(s)
                    or lead_in.endswith((",", ":"))):
                continue  # 'Beck told the crowd, "..."' introduces the quotation itself
            span = doc.char_span(at.verb_end, at.used_at, alignment_mode="contract") if doc is not None else None
            if span is None or not any(t.pos_ in {"VERB", "AUX"} for t in span):
                # 'said the prime minister "did not authorize ..."': only the subject stands
                # outside the marks, the quotation is the reported clause itself
                continue
        if at.content is not None:
            ca, cb = at.content
        else:
            rel_v_end = at.verb_end - sent.start
            rel_s_start = at.subj_start - sent.start
            tail = s[rel_v_end:]
            tail_words = P.tokenize(tail[:200].split(",")[0]) if tail else []
            verb_final = (
                len(tail_words) <= 8
                and (not tail_words or tail_words[0].n not in _NOT_FINAL_FIRST)
                and s[:rel_s_start].rstrip().endswith(",")
            )
            if verb_final:
                c = s.rfind(",", 0, rel_s_start)
                ca, cb = sent.start, sent.start + c
            else:
                body = tail
                lead = P.tokenize(body[:80])
                skip = 0
                if lead and lead[0].n in {"reporters", "him", "her", "them", "us"}:
                    skip = lead[0].end
                elif lead and lead[0].n == "that":
                    skip = lead[0].end
                lead_time = _LEAD_TIME.match(body[skip : skip + 80].lstrip())
                if lead_time:
                    skip = len(body) - len(body[skip:].lstrip()) + lead_time.end() if skip == 0 else skip
                rest = body[skip:].lstrip()
                if rest[:5].lower() == "that ":
                    skip = len(body) - len(rest) + 5
                else:
                    # 'said on "Fox & Friends" last week that ...': a leading prepositional
                    # phrase before "that" is where or when, not what was said
                    lead = re.match(r"(?i)(?:on|in|at|during|to|after|before|from|with|in an?)\s"
                                    r"[^,;:]{0,70}?\bthat\s", rest)
                    if lead and not re.search(r"[.!?]\s", lead.group()):
                        skip = len(body) - len(rest) + lead.end()
                ca, cb = at.verb_end + skip, sent.start + len(s)
        content = text[ca:cb].strip(" ,:;\"“”'")
        if len(P.tokenize(content[:100])) < 3:
            continue
        rows.append(dict(doc_id=doc_id, outlet=outlet, sent_id=at.sent_id, kind="indirect",
                         quote=content[:P.MAX_QUOTE_CHARS], start=ca, end=cb, sentence=s,
                         speaker=at.subject, reporting_verb=at.verb.lower(), _paren=at.paren,
                         _sentence_for_anon=s, _spos=at.subj_start, _send=at.subj_end))

    rows.sort(key=lambda r: (r["start"], r["kind"]))
    text_of = {doc_id: text}
    doc_names.sort()
    names = _NameIndex(doc_names)
    persons = _Persons(doc, text, qspans)
    last_person = ""
    last_person_pos = -1
    last_anon = ""
    last_any = ""
    last_author = ""
    for r in rows:
        speaker = r.get("speaker", "")
        # a survey or document speaks for its owner or author ("a Des Moines Register poll",
        # "the statement read" after "a statement from X", "one question asks" after "X
        # asks Trump dozens of questions"); "another asks" for one more of the same
        owner, family = _source_phrase(speaker) if speaker else ("", "")
        # the subject's own noun first ("issued identical statements that said"), then earlier
        author = (_document_author(doc, r.get("_send", r.get("_spos", r["start"])), family, qspans)
                  if family else "")
        another = speaker.strip().lower() == "another"
        if another:
            author = last_author
        if speaker and not r.get("_continued"):
            last_author = author
        mention, speaker = speaker, owner or author or speaker
        stype, name = _classify(speaker, r.get("_sentence_for_anon", r["sentence"]), r["_paren"])
        if another and not author:
            stype, name = "anonymous", speaker
        if stype == "named":
            words = name.split()
            while len(words) > 1 and words[0].lower() in _OPENER_WORDS:
                words = words[1:]  # "Despite Trump" -> "Trump"
            name = " ".join(words)
        words = speaker.split()
        if (stype in {"named", "institutional"} and len(words) >= 3 and words[0].lower() == "the"
                and words[-1].islower() and words[-1] in P.TITLE_N
                and not any(w[:1].isupper() and not persons.not_person(w) for w in words[1:-1])):
            # "the Texas governor": a title whose capitalised words are places or
            # organisations by the parse, not a name
            stype, name = "title", " ".join(words[1:])
        low_toks = speaker.lower().split()
        if (len(low_toks) >= 2 and low_toks[0] == "the" and low_toks[-1] in _DESCRIPTION_HEADS
                and last_person and speaker.split()[-1].islower()):
            # "the real estate mogul and reality TV star said": a description of the
            # person last named as a speaker
            stype, name = "described", last_person
        if speaker.strip().lower() in _INDEFINITE_SPEAKERS:
            stype = "anonymous"  # "someone shouted": an unnamed individual, never resolved
        if stype == "described":
            resolved, stype = name, "named"
        elif stype == "anonymous" and speaker.strip().lower() in _INDEFINITE_SPEAKERS:
            resolved = speaker
        elif stype == "pronoun":
            earlier = "" if last_person else names.last_before(r["start"])
            if persons.known:
                # the parse's people: the last speaker if the pronoun fits, unless a person
                # of that gender was the subject of a clause since ("Trump agreed. ... he
                # said"); else the last person of that gender named before it
                ppos = r.get("_spos", r["start"])
                earlier = persons.before(ppos, name, names)
                if last_person and not persons.fits(last_person, name, names):
                    last_person_fit = ""
                else:
                    last_person_fit = last_person
                spos, subj = persons.last_subject(ppos, name, names)
                if subj and (not last_person_fit or spos > last_person_pos):
                    last_person_fit = subj
            else:
                last_person_fit = last_person
            if name in P.PERSON_PRONOUNS and last_person_fit:
                resolved, stype = last_person_fit, "named"
                last_person, last_person_pos = resolved, r.get("_spos", r["start"])
            elif name in P.PERSON_PRONOUNS and earlier:
                # no named speaker yet: the last full name written before the quote
                resolved, stype = earlier, "named"
            elif name in {"they", "we"} and last_any:
                resolved = last_any
                stype = "anonymous" if resolved == last_anon else "institutional"
            else:
                resolved, stype = "", "unknown"
        elif stype == "title":
            # "the minister said": the person the article introduced with that title
            indefinite = re.match(r"(?i)(?:an?|one|another|some|several)\s", speaker)
            found = "" if indefinite else _title_holder(text_of[r["doc_id"]], name, r["start"])
            if not indefinite and not found and name.split():
                # "the Texas governor": the head word alone, or its abbreviation ("Gov. Rick Perry")
                head = name.split()[-1].lower()
                for form in (head, _TITLE_ABBR.get(head, "")):
                    found = found or _title_holder(text_of[r["doc_id"]], form, r["start"])
            head = name.split()[-1].lower().rstrip(".") if name.split() else ""
            if indefinite:
                resolved, stype = speaker, "anonymous"
            elif found:
                resolved, stype = names.resolve(found, r["start"]), "named"
                last_person = resolved
            elif (last_person and 0 <= last_person_pos < r["start"] and head in _OFFICE_TITLES
                  and mention.split()[0].lower() == "the" and mention.split()[-1].islower()
                  and len(re.findall(r"\n+", text[last_person_pos : r["start"]])) <= 2
                  and _title_fits(text, last_person, head)):
                # "the Texas governor continues" with no governor named anywhere: the
                # person quoted just before (this or the previous two paragraphs), unless
                # the article gives that person another title ("the ambassador" after
                # "Foreign Minister Ann Lee" stays unknown)
                resolved, stype = last_person, "named"
            else:
                resolved, stype = speaker, "unknown"
        elif stype == "named" and persons.not_person(name):
            # an organisation or a place by the parse ("the Republican Party said")
            resolved, stype = speaker, "institutional"
        elif stype == "named":
            told = _mention_gender(mention)
            # "Mr. Trump": a full name whose own mentions or first name say otherwise is
            # another person ("Melania Trump")
            resolved = names.resolve(name, r["start"], (lambda f: _gender.name_gender(
                f, persons.full_name_gender(f))[0] in {told, "unknown"}) if told else None)
            last_person, last_person_pos = resolved, r.get("_spos", r["start"])
        elif stype == "anonymous":
            low = speaker.lower()
            if low.startswith("the ") and last_anon:
                resolved = last_anon
            else:
                resolved = speaker
                last_anon = speaker
        elif stype == "institutional":
            resolved = speaker
        else:
            resolved = ""
        if resolved:
            last_any = resolved
        r["speaker_mention"] = mention
        if stype == "named" and resolved:
            told = _mention_gender(mention) or persons.gender_of(resolved, names)
            if told or persons.is_person(resolved):
                r["speaker_gender"], r["gender_evidence"] = _gender.name_gender(resolved, told)
            else:
                # the parse never calls it a person ("Florida Republican"): no first name
                r["speaker_gender"], r["gender_evidence"] = "unknown", ""
        else:
            r["speaker_gender"], r["gender_evidence"] = "", ""
        r["speaker"] = resolved
        r["speaker_resolved"] = resolved
        r["speaker_type"] = stype
        r["source_type"] = stype
        r["anonymous"] = stype == "anonymous"
        r["institutional"] = stype == "institutional"
        r["verb_class"] = _verb_class(r["reporting_verb"])
    for r in rows:
        for k in [k for k in r if k.startswith("_")]:
            del r[k]
    return rows


def _parses(docs: pd.DataFrame) -> list:
    """The parse of each article (:func:`analysis.nlp.parse`, as actor discovery reads it),
    or None where the parsed text is not the article's text (cut at the parser's limit)."""
    from analysis.framing.discover import _parsed_docs

    if len(docs) == 0:
        return []
    parsed = _parsed_docs(docs)
    out = []
    for doc, text in zip(parsed, docs["text"]):
        text = P.as_text(text)
        out.append(doc if doc is not None and len(doc.text) == len(text) else None)
    return out


def quotes(docs: pd.DataFrame) -> pd.DataFrame:
    """Direct and indirect quotes with speaker, reporting verb and source type.

    Direct quotes are passages between double quotation marks (straight, curly or
    guillemets; single-quoted passages outside double quotes too), found in one linear
    pass; an unmatched mark is ignored, a quote never crosses a paragraph break. Each is
    attributed to the nearest speech verb in the sentence(s) it spans and that verb's
    subject ("..., she told ABC", "said press secretary X", "X accused Y of '...'"). A quote
    that opens a paragraph with no verb continues the previous quote's speaker. Indirect
    quotes are speech verbs outside quotation marks with a subject ("X said (that) ...",
    "..., the official said.") and "according to X". Method after the Gender Gap Tracker
    quote extractor (Asr et al. 2021): rules on the text, with the dependency parse of
    :func:`analysis.nlp.parse` for the subject (``nsubj``) of participle clauses and of
    verbs whose rule-found subject is a sentence opener or a date, the parse's PERSON
    entities (and Mr./Ms., he/she after a name) for pronouns, and its nouns for scare
    quotes. A quotation in the paragraph of an attributed one, with no verb of its own,
    continues that speaker (``"X," Lee said. "Y."``).

    Speakers the parse resolves further: a relative pronoun speaks for the noun its clause
    describes ("the Log Cabin Republicans, a gay group, which said"); a passive reporting
    verb speaks for its agent ("was denounced by X") and has no speaker without one ("are
    said to be": ``speaker`` ""); a survey for its owner ("according to a Des Moines
    Register poll" -> "Des Moines Register"); a document for its author as the parse shows
    it, in the subject itself or at the last earlier mention of that kind of document ("the
    statement read" after "a statement from X", "one question asks" after "X hopes to ask
    Trump dozens of questions"; "another asks" after it); a title for the name written with
    it (before it, or in an appositive "Ann Lee, the foreign minister,"), else, for an
    office ("the Texas governor") with no holder named, the person quoted in the same or the
    two previous paragraphs unless the article gives that person another title. A quotation
    with no verb in its sentence takes the attribution that ends the previous sentence of
    its paragraph ('"X?" he asked. "Y."'). Reported speech that quotes a fragment is an
    indirect quote as well as a direct one ('Trump said he wanted no "conflict of
    interest"'), when a verb of the reported clause stands before the quotation mark; a
    place or time before "that" ('said on "Fox & Friends" last week that') is not part of
    the reported clause.

    Parameters
    ----------
    docs : DataFrame
        Documents (``doc_id, outlet, text``).

    Returns
    -------
    DataFrame
        One row per quotation, in text order within each document:
        ``doc_id, outlet, sent_id`` (0-based sentence of the quote's start in ``text``),
        ``quote_id`` ("<doc_id>-q<n>"), ``kind`` ('direct' | 'indirect' | 'term': a scare
        quote, title, nickname or slogan in quotation marks, which has no speaker),
        ``quote`` (text without the marks), ``speaker`` (resolved to the fullest name the
        article uses; he/she resolve to the last named speaker when the pronoun fits, else to
        the last person of that gender in the parse's PERSON entities; "the official" to the
        last unnamed source; "" when unknown), ``speaker_mention`` (the phrase as written),
        ``speaker_type`` ('named'|'anonymous'|'institutional'|'unknown'), ``reporting_verb``
        (lower-case; "" for a continued quote or a term, "according to"), ``verb_class``
        ('neutral'|'evaluative'|''), ``anonymous`` (unnamed individual: "an official",
        "a person familiar", or an anonymity phrase in the sentence), ``institutional``
        (an organisation or document speaks: "the White House", "his office"),
        ``start, end`` (character offsets of the quote in ``text``; marks included for
        direct quotes and terms), ``sentence`` (the sentence containing ``start``), then
        the older names kept as aliases: ``speaker_resolved`` (= ``speaker``) and
        ``source_type`` (= ``speaker_type``), then ``speaker_gender`` ('female' | 'male' |
        'unknown' for a named speaker, "" for any other) and ``gender_evidence`` ('article':
        Mr./Ms./Mrs. in the mention or before the name, or he/she after it; 'first_name':
        the SSA first-name lexicon of :mod:`analysis.framing.gender`; "" when unknown or not
        named). Unknown stays unknown: no gender is guessed.

        Measured on ``benchmarks/gold/quotes_dev.csv`` (147 quotations, 12 articles;
        ``benchmarks/validity.py --only quotes``): direct precision 100 %, recall 97.4 %;
        indirect precision 82.0 %, recall 66.1 %; speaker right on 96.6 % of matched direct
        and indirect quotes (113/117); reporting verb right 97.1 %.
    """
    P.check_docs(docs, "quotes")
    rows: list[dict] = []
    parsed = _parses(docs)
    for (doc_id, outlet, _title, text), doc in zip(P.iter_docs(docs), parsed):
        doc_rows = _doc_quotes(doc_id, outlet, text, doc)
        for i, r in enumerate(doc_rows):
            r["quote_id"] = f"{doc_id}-q{i + 1}"
        rows.extend(doc_rows)
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    out["anonymous"] = out["anonymous"].astype(bool)
    out["institutional"] = out["institutional"].astype(bool)
    out["sent_id"] = out["sent_id"].astype("int64")
    out["start"] = out["start"].astype("int64")
    out["end"] = out["end"].astype("int64")
    return out


def _named_source_genders(qo: pd.DataFrame) -> dict:
    """Per-outlet counts of distinct named sources (article, person) by gender, and the
    share of women among those whose gender is known; a source's gender is the one with the
    article's evidence if any of its quotes has it, else the lexicon's."""
    named = qo[(qo["source_type"] == "named") & (qo["speaker_resolved"].fillna("") != "")]
    if "speaker_gender" in named.columns:
        genders = named["speaker_gender"].fillna("").replace("", "unknown")
        rank = named["gender_evidence"].fillna("").map({"article": 0, "first_name": 1}).fillna(2)
    else:  # a quote table from before the gender columns: the lexicon alone
        genders = named["speaker_resolved"].map(lambda n: _gender.name_gender(n)[0])
        rank = (genders == "unknown").astype(int)
    per = pd.DataFrame({"doc_id": named["doc_id"], "speaker": named["speaker_resolved"],
                        "gender": genders, "rank": rank})
    per = per.sort_values("rank", kind="stable").drop_duplicates(["doc_id", "speaker"])
    women = int((per["gender"] == "female").sum())
    men = int((per["gender"] == "male").sum())
    return dict(n_named_sources=len(per), n_named_women=women, n_named_men=men,
                n_named_unknown=len(per) - women - men,
                share_women=(women / (women + men)) if women + men else float("nan"))


def sources(docs: pd.DataFrame, actors=None, *, quote_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per outlet: how much quoting, how many named, anonymous and institutional sources.

    Parameters
    ----------
    docs : DataFrame
        Documents (``doc_id, outlet, text``).
    actors : path, YAML text, dict or None
        Actor dictionary (see :func:`analysis.framing.load_actor_dictionary`); None uses the
        story's discovered actors (:func:`analysis.framing.discover_actors`), which have no
        sides. Only when the dictionary's actors have a ``side`` is each resolved speaker
        matching an actor's aliases counted for that side.
    quote_table : DataFrame, optional
        A precomputed :func:`quotes` result for ``docs`` (saves recomputing).

    Returns
    -------
    DataFrame
        One row per outlet: ``outlet, n_docs, n_words`` (``analysis.text.words``),
        ``n_quotes`` (direct + indirect), ``n_direct, n_indirect``,
        ``quotes_per_1k_words`` (higher = more quoting), ``n_named, n_anonymous,
        n_institutional, n_unknown`` (speaker types; they sum to ``n_quotes``),
        ``n_neutral_verbs, n_evaluative_verbs`` (reporting verbs by class),
        ``share_anonymous`` (n_anonymous / n_quotes, 0–1; NaN without quotes), then
        ``n_named_sources`` (distinct named speakers: one per article and person),
        ``n_named_women, n_named_men, n_named_unknown`` (those sources by gender: the
        article's own evidence first, then the SSA first-name lexicon; see
        :mod:`analysis.framing.gender`; they sum to ``n_named_sources``), ``share_women``
        (n_named_women / (n_named_women + n_named_men), 0–1, the Gender Gap Tracker's share
        of women among the sources whose gender can be told; higher = more women quoted;
        NaN when none can be told), then ``n_side_<side>`` for each side in the actor
        dictionary and ``n_side_none`` (speakers matching no actor with a side); no side
        columns when no actor has a side.
    """
    from analysis.framing.actors import _ActorIndex, resolve_actors
    from analysis.text import words

    P.check_docs(docs, "sources")
    q = quotes(docs) if quote_table is None else quote_table
    dictionary = resolve_actors(docs, actors)
    sides = sorted({a["side"] for a in dictionary.values() if a.get("side")})
    index = _ActorIndex(dictionary) if sides else None
    side_cache: dict[str, str] = {}

    def side_of(name: str) -> str:
        """Side of the first actor named in the speaker phrase ("none" if no actor/side)."""
        if name not in side_cache:
            found = index.find(name[:300]) if index is not None and name else []
            side_cache[name] = (dictionary[found[0][2]].get("side") or "none") if found else "none"
        return side_cache[name]

    rows = []
    for outlet, group in docs.groupby("outlet", sort=True):
        n_words = sum(len(words(P.as_text(t))) for t in group["text"])
        qo = q[(q["outlet"] == outlet) & (q["kind"] != "term")]
        n_q = len(qo)
        row = dict(
            outlet=outlet, n_docs=int(group["doc_id"].nunique()), n_words=n_words,
            n_quotes=n_q, n_direct=int((qo["kind"] == "direct").sum()),
            n_indirect=int((qo["kind"] == "indirect").sum()),
            quotes_per_1k_words=(1000.0 * n_q / n_words) if n_words else float("nan"),
            n_named=int((qo["source_type"] == "named").sum()),
            n_anonymous=int(qo["anonymous"].sum()),
            n_institutional=int(qo["institutional"].sum()),
            n_unknown=int((qo["source_type"] == "unknown").sum()),
            n_neutral_verbs=int((qo["verb_class"] == "neutral").sum()),
            n_evaluative_verbs=int((qo["verb_class"] == "evaluative").sum()),
            share_anonymous=(float(qo["anonymous"].sum()) / n_q) if n_q else float("nan"),
        )
        row.update(_named_source_genders(qo))
        if sides:
            counts = {s: 0 for s in sides} | {"none": 0}
            for name in qo["speaker_resolved"]:
                side = side_of(name or "")
                counts[side] = counts.get(side, 0) + 1
            for s in sides + ["none"]:
                row[f"n_side_{s}"] = counts.get(s, 0)
        rows.append(row)
    return pd.DataFrame(rows)
