"""Shared helpers for the framing measures: document/sentence iteration, quote spans,
YAML loading with line numbers, glob patterns and small word lists.

Every helper here is linear in the length of its input (no nested unbounded regex
quantifiers) and caps the text it hands to pattern matching, so hostile input (megabyte
articles, thousands of quote marks, 100,000-character "sentences") finishes in bounded time.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from analysis.corpus import check_docs as _check_docs
from analysis.errors import ParameterError

log = logging.getLogger(__name__)

#: Longest sentence (characters) handed to the clause-level patterns; the rest is ignored.
MAX_SENTENCE_CHARS = 3000
#: Longest direct quote (characters); an opening mark with no close within this is unmatched.
MAX_QUOTE_CHARS = 3000
# a run this long without a space is no prose (blanked before parsing, see blank_hostile)
MAX_RUN_CHARS = 64
_LONG_RUN = re.compile(r"\S{%d,}" % MAX_RUN_CHARS)

REQUIRED_DOC_COLUMNS = ("doc_id", "outlet", "text")

ROW_COLUMNS = ["doc_id", "outlet", "sent_id", "sentence"]


@dataclass(frozen=True)
class Sentence:
    """One sentence of one document, with its character offsets into ``text``."""

    doc_id: str
    outlet: str
    sent_id: int
    start: int
    end: int
    text: str  # capped at MAX_SENTENCE_CHARS


def check_docs(docs: pd.DataFrame, func: str) -> None:
    """Raise unless ``docs`` is a docs table with the columns framing needs."""
    _check_docs(docs, needed=REQUIRED_DOC_COLUMNS, func=func)


def as_text(value: Any) -> str:
    """A cell as text ('' for missing values)."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def iter_docs(docs: pd.DataFrame) -> Iterator[tuple[str, str, str, str]]:
    """Yield ``(doc_id, outlet, title, text)`` for each row."""
    has_title = "title" in docs.columns
    for row in docs.itertuples(index=False):
        rec = row._asdict()
        yield (
            as_text(rec["doc_id"]),
            as_text(rec["outlet"]),
            as_text(rec["title"]) if has_title else "",
            as_text(rec["text"]),
        )


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (``analysis.text.sentence_spans``)."""
    from analysis.text import sentence_spans

    if not text.strip():
        return []
    return [(int(a), int(b)) for a, b in sentence_spans(text)]


def doc_sentences(doc_id: str, outlet: str, text: str) -> list[Sentence]:
    """The sentences of one document; ``sent_id`` counts from 0 in text order."""
    out = []
    for i, (a, b) in enumerate(split_sentences(text)):
        out.append(Sentence(doc_id, outlet, i, a, b, text[a : min(b, a + MAX_SENTENCE_CHARS)]))
    return out


def sentence_index(sents: list[Sentence]) -> tuple[list[int], list[Sentence]]:
    """Start offsets (sorted) for :func:`sentence_at`."""
    return [s.start for s in sents], sents


def sentence_at(index: tuple[list[int], list[Sentence]], pos: int) -> Sentence | None:
    """The sentence containing character ``pos`` (or the last one starting before it)."""
    starts, sents = index
    i = bisect.bisect_right(starts, pos) - 1
    if i < 0:
        return sents[0] if sents else None
    return sents[i]


# --------------------------------------------------------------------------- quote spans

OPEN_DOUBLE = "“„«"
CLOSE_DOUBLE = "”»"
STRAIGHT_DOUBLE = '"'
_DOUBLE_MARKS = re.compile('["“”„«»]|\n')
_SINGLE_MARKS = re.compile("['‘’]")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the double-quoted passages in ``text``, marks included.

    A single left-to-right pass over the quote marks: curly/guillemet marks open and close
    by shape; a straight ``"`` closes an open quote and otherwise opens one. A quote never
    runs past a blank line (paragraph break) or ``MAX_QUOTE_CHARS``; an unmatched opening
    mark is dropped (logged), a stray closing mark ignored. Nested single-quoted passages
    are returned by :func:`single_quote_spans`.
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    dropped = 0
    for m in _DOUBLE_MARKS.finditer(text):
        ch, pos = m.group(), m.start()
        if ch == "\n":
            # a paragraph break (blank line or single newline between paragraphs) ends a quote
            if open_at is not None:
                dropped += 1
                open_at = None
            continue
        if open_at is not None and pos - open_at > MAX_QUOTE_CHARS:
            dropped += 1
            open_at = None
        if ch in OPEN_DOUBLE:
            if open_at is not None:
                dropped += 1
            open_at = pos
        elif ch in CLOSE_DOUBLE:
            if open_at is not None:
                spans.append((open_at, pos + 1))
                open_at = None
        else:  # straight
            if open_at is not None:
                spans.append((open_at, pos + 1))
                open_at = None
            else:
                open_at = pos
    if open_at is not None:
        dropped += 1
    if dropped:
        log.debug("quote_spans: %d unmatched opening quote mark(s) ignored", dropped)
    return spans


def single_quote_spans(text: str, *, limit: int = 300) -> list[tuple[int, int]]:
    """Single-quoted passages ('…' or ‘…’) told apart from apostrophes by position.

    An opening mark follows a space, start, ``(`` or a double quote and precedes a letter or
    digit; a closing mark follows a letter, digit or punctuation and precedes a non-letter.
    Passages longer than ``limit`` characters are not returned.
    """
    spans = []
    open_at: int | None = None
    n = len(text)
    for m in _SINGLE_MARKS.finditer(text):
        pos = m.start()
        prev = text[pos - 1] if pos > 0 else " "
        nxt = text[pos + 1] if pos + 1 < n else " "
        if open_at is not None and pos - open_at > limit:
            open_at = None
        if m.group() != "’" and (prev.isspace() or prev in '("“') and nxt.isalnum():
            open_at = pos
        elif (
            open_at is not None
            and not nxt.isalnum()
            and (prev.isalnum() or prev in ".,!?")
            and m.group() != "‘"
        ):
            spans.append((open_at, pos + 1))
            open_at = None
    return spans


def in_spans(pos: int, spans_starts: list[int], spans: list[tuple[int, int]]) -> bool:
    """True when ``pos`` lies inside one of the sorted, non-overlapping ``spans``."""
    i = bisect.bisect_right(spans_starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


# --------------------------------------------------------------------------- glob patterns

_GLOB_PIECE = re.compile(r"\\[\\*?]|.", re.DOTALL)


def glob_word(word: str, chars: str) -> str:
    """Regex for one glob word: ``*`` = up to 40 of ``chars`` (a character class), ``?`` = one.

    A backslash makes the next ``*``, ``?`` or ``\\`` literal (``AT\\*T`` matches "AT*T").
    """
    out = []
    for piece in _GLOB_PIECE.findall(word):
        if piece == "*":
            out.append(f"{chars}{{0,40}}")
        elif piece == "?":
            out.append(chars)
        else:
            out.append(re.escape(piece[-1]))
    return "".join(out)


def glob_to_regex(pattern: str, *, ignore_case: bool | None = None) -> re.Pattern[str]:
    """Compile a dictionary entry (glob pattern, possibly several words) to a regex.

    ``*`` matches any run of word characters (letters, digits, apostrophes, hyphens) within
    one word, ``?`` one such character; words are separated by any whitespace. The match is
    case-sensitive when the entry contains a capital letter ("US" must not match "us") and
    case-insensitive otherwise, unless ``ignore_case`` says.
    """
    words = pattern.split()
    if not words:
        raise ParameterError(f"empty dictionary pattern {pattern!r}; remove it or give a word.")
    body = r"\s+".join(glob_word(w, r"[\w'’\-]") for w in words)
    if ignore_case is None:
        ignore_case = pattern == pattern.lower()
    # whole words: not preceded/followed by a word character
    rx = rf"(?<![\w\-]){body}(?![\w\-])" if not body.endswith(r"{0,40}") else rf"(?<![\w\-]){body}"
    return re.compile(rx, re.IGNORECASE if ignore_case else 0)


# --------------------------------------------------------------------------- YAML loading


def _yaml_error(exc: Exception, where: str) -> ParameterError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = f" line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc)
    return ParameterError(
        f"{where}: not valid YAML at{line}: {problem}. Fix the indentation or quoting there "
        f"(entries are 'name:' followed by indented 'field: value' lines; quote values that "
        f"contain ':' or start with '*')."
    )


def read_yaml(source: Any, *, what: str) -> tuple[Any, Any, str]:
    """Load YAML from a path, a YAML string or an already-parsed mapping.

    Returns ``(data, node, where)``; ``node`` is the composed yaml node tree (None when a
    mapping was passed) so callers can report line numbers, ``where`` names the source.
    """
    import yaml

    if isinstance(source, dict):
        return source, None, f"{what} (dict)"
    if isinstance(source, Path) or (
        isinstance(source, str) and "\n" not in source and source.endswith((".yaml", ".yml"))
    ):
        path = Path(source)
        if not path.is_file():
            raise ParameterError(f"{what}: file {str(path)!r} not found; give the path of a .yaml file.")
        text = path.read_text(encoding="utf-8")
        where = str(path)
    elif isinstance(source, str):
        text, where = source, f"{what} (string)"
    else:
        raise ParameterError(
            f"{what}: expected a path to a YAML file, YAML text or a dict, got {type(source).__name__}."
        )
    # one pass: compose the node tree (for line numbers), then build the data from it; the
    # libyaml parser is used when PyYAML was built with it (the same YAML, about 5x faster)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, where) from None
    finally:
        loader.dispose()
    return data, node, where


def refuse_unknown_fields(
    spec: dict, allowed: Any, *, where: str, owner: str, field_lines: Any, line: str, hint: str
) -> None:
    """Raise ParameterError naming the first field of ``spec`` not in ``allowed``, with its line."""
    unknown = [k for k in spec if k not in allowed]
    if unknown:
        k = str(unknown[0])
        raise ParameterError(
            f"{where}: {owner} has unknown field {k!r}{line_of(field_lines, k) or line}; "
            f"allowed fields: {sorted(allowed)}. {hint}"
        )


def mapping_key_lines(node: Any) -> dict[str, tuple[int, Any]]:
    """For a yaml MappingNode: key -> (1-based line, value node)."""
    import yaml

    out: dict[str, tuple[int, Any]] = {}
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            out[str(k.value)] = (k.start_mark.line + 1, v)
    return out


def line_of(node_lines: dict[str, tuple[int, Any]] | None, key: str) -> str:
    """' (line N)' for a key when its line is known, else ''."""
    if node_lines and key in node_lines:
        return f" (line {node_lines[key][0]})"
    return ""


# --------------------------------------------------------------------------- word lists

PRONOUNS = {"he", "she", "they", "it", "we", "i"}
PERSON_PRONOUNS = {"he", "she"}

NEUTRAL_VERBS = {
    "said", "says", "say", "told", "tells", "tell", "added", "adds", "stated", "states",
    "noted", "notes", "explained", "explains", "confirmed", "confirms", "announced",
    "announces", "reported", "reports", "wrote", "writes", "asked", "asks", "replied",
    "replies", "responded", "responds", "answered", "commented", "remarked", "continued",
    "called", "calls", "described", "describes", "spoke", "according", "indicated",
    "mentioned", "observed", "testified", "briefed", "disclosed",
}
EVALUATIVE_VERBS = {
    "claimed", "claims", "claim", "insisted", "insists", "accused", "accuses", "admitted",
    "admits", "conceded", "concedes", "alleged", "alleges", "denied", "denies", "argued",
    "argues", "warned", "warns", "complained", "complains", "acknowledged", "acknowledges",
    "boasted", "boasts", "charged", "charges", "contended", "contends", "conceded",
    "asserted", "asserts", "maintained", "maintains", "lamented", "laments", "vowed", "vows",
    "threatened", "threatens", "slammed", "slams", "blasted", "blasts", "condemned",
    "condemns", "decried", "decries", "criticized", "criticised", "criticizes", "urged",
    "urges", "demanded", "demands", "stressed", "stresses", "emphasized", "emphasised",
    "declared", "declares", "rejected", "rejects", "dismissed", "dismisses", "touted",
    "touts", "pledged", "pledges", "promised", "promises", "refuted", "disputed",
    "suggested", "suggests", "implied", "hinted", "conceded", "scoffed", "fumed",
    "rebuked", "retorted", "snapped", "protested", "objected",
}
NEUTRAL_VERBS |= {"saying", "adding", "telling", "noting", "explaining", "calling", "describing",
                  "confirming", "announcing", "writing", "stating"}
EVALUATIVE_VERBS |= {"claiming", "insisting", "accusing", "admitting", "conceding", "alleging",
                     "denying", "arguing", "warning", "complaining", "acknowledging",
                     "asserting", "maintaining", "vowing", "threatening", "urging",
                     "demanding", "stressing", "declaring", "rejecting", "dismissing",
                     "pledging", "promising", "criticizing", "criticising", "condemning"}
REPORTING_VERBS = (NEUTRAL_VERBS | EVALUATIVE_VERBS) - {"according"}
#: verbs that attribute a direct quote but do not by themselves report speech
#: ("Israel has asked the White House to postpone ...", "the talks he described")
NOT_INDIRECT = {"asked", "asks", "called", "calls", "described", "describes", "spoke",
                "briefed", "reported", "reports", "urged", "urges", "demanded", "demands",
                "promised", "promises", "threatened", "threatens", "rejected", "rejects",
                "dismissed", "dismisses", "condemned", "condemns", "criticized",
                "criticised", "responded", "responds", "answered", "replied", "continued",
                "calling", "describing", "pledged", "pledges", "vowed", "vows", "urging",
                "demanding", "rejecting", "dismissing", "condemning", "criticizing",
                "criticising", "threatening", "promising", "pledging", "vowing"}

# heads of unnamed individual sources
ANON_HEADS = {
    "official", "officials", "source", "sources", "person", "people", "aide", "aides",
    "diplomat", "diplomats", "insider", "insiders", "adviser", "advisers", "advisor",
    "advisors", "staffer", "staffers", "member", "members", "analyst", "analysts",
    "observer", "observers", "witness", "witnesses", "spokesperson",
}
ANON_PHRASES = re.compile(
    r"condition of anonymity|not authori[sz]ed to (?:speak|talk|comment)|"
    r"familiar with (?:the|their|his|her)|declined to be (?:named|identified)|"
    r"asked not to be (?:named|identified)|requested anonymity|speaking anonymously",
    re.IGNORECASE,
)
# heads of institutional sources
INSTITUTION_HEADS = {
    "office", "ministry", "military", "government", "administration", "house", "department",
    "army", "forces", "police", "agency", "council", "committee", "cabinet", "embassy",
    "pentagon", "kremlin", "parliament", "congress", "senate", "court", "union", "nations",
    "states", "authority", "authorities", "idf", "hamas", "hezbollah", "un", "u.n.", "unsc",
    "who", "statement", "spokesman's", "company", "group", "organization", "organisation",
    "movement", "party", "commission", "bureau", "service", "services", "israel",
    "washington", "jerusalem", "moscow", "beijing", "tehran", "reuters", "ap", "us", "u.s.",
    "press", "media", "team", "campaign", "delegation", "center", "centre", "network",
}
# title/role words that precede a person's name
TITLE_WORDS = {
    "minister", "secretary", "adviser", "advisor", "president", "director", "spokeswoman",
    "spokesman", "spokesperson", "senator", "sen.", "pm", "leader", "chief", "ambassador",
    "gen.", "general", "rep.", "representative", "gov.", "governor", "king", "queen",
    "prince", "mayor", "chancellor", "premier", "envoy", "commander", "lt.", "col.", "mr.",
    "mrs.", "ms.", "dr.", "speaker", "chairman", "chairwoman", "chair", "lawmaker",
    "congressman", "congresswoman", "coordinator", "negotiator", "officer", "head",
    "correspondent", "reporter", "editor", "analyst", "justice", "judge", "mp", "ceo",
    "vice", "deputy", "sheikh", "emir", "pope", "rabbi", "imam", "lord", "sir", "dame",
}
# lower-case words allowed inside a speaker noun phrase before a reporting verb
NP_LOWER = (
    TITLE_WORDS
    | ANON_HEADS
    | INSTITUTION_HEADS
    | {
        "the", "a", "an", "one", "two", "three", "several", "some", "many", "his", "her",
        "its", "their", "our", "press", "security", "national", "foreign", "defense",
        "defence", "prime", "state", "strategic", "affairs", "senior", "top", "unnamed",
        "white", "health", "israeli", "american", "palestinian", "military", "high-level",
        "high-ranking", "former", "local", "regional", "western", "arab", "european",
        "other", "another", "u.s.", "administration", "government", "campaign", "foreign",
        "intelligence", "communications", "council", "economic", "interior", "finance",
        "military's", "government's", "of", "and", "in", "for", "with", "resolution",
        "statement", "report", "spokeswoman", "spokesman",
    }
)
AUXILIARIES = {
    "has", "have", "had", "is", "was", "were", "are", "will", "would", "could", "also",
    "later", "then", "previously", "earlier", "again", "repeatedly", "publicly", "privately",
    "separately", "simply", "only", "sharply", "first", "recently", "further", "had",
}
TIME_WORDS = {
    "on", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "yesterday", "today", "tonight", "at", "the", "time", "last", "week", "month", "in",
    "a", "statement", "later", "earlier", "this", "morning", "evening", "night",
}
DEMONYMS = {"israeli", "american", "palestinian", "us", "u.s.", "un", "u.n.", "egyptian",
            "qatari", "iranian", "british", "french", "german", "european", "arab", "gazan",
            "western", "russian", "ukrainian", "chinese"}


def norm(word: str) -> str:
    """Lower-case, curly apostrophe to straight, dots removed ("U.S." -> "us")."""
    return word.lower().replace("’", "'").replace(".", "")


def _normset(words: set[str]) -> frozenset[str]:
    return frozenset(norm(w) for w in words)


TITLE_N = _normset(TITLE_WORDS)
ANON_N = _normset(ANON_HEADS)
INST_N = _normset(INSTITUTION_HEADS) | {"ministry", "resolution", "report", "statement",
                                        "letter", "spokesman's", "officials'"}
NP_LOWER_N = _normset(NP_LOWER)
AUX_N = _normset(AUXILIARIES)
DEMONYM_N = _normset(DEMONYMS)


# --------------------------------------------------------------------------- tokens and names

_TOKEN = re.compile(
    r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Jr|Sr|St)\.(?=\s)"
    r"|(?:[A-Za-z]\.){2,}|[^\W_][\w'’\-]{0,60}"
)
_PLAIN_GAP = re.compile(r"[ \t]{0,3}\Z")


class Tok:
    """A word token with its offsets inside the string it was found in.

    ``n`` is the normalised form (:func:`norm`), ``cap`` whether it starts with a capital,
    ``possessive`` whether it ends in 's / '.
    """

    __slots__ = ("start", "end", "text", "n", "cap", "possessive")

    def __init__(self, start: int, end: int, text: str):
        self.start = start
        self.end = end
        self.text = text
        self.n = norm(text)
        self.cap = text[:1].isupper()
        t = text.replace("’", "'")
        self.possessive = t.endswith("'s") or t.endswith("'")

    def __repr__(self) -> str:
        return f"Tok({self.start}, {self.end}, {self.text!r})"


@lru_cache(maxsize=2048)
def _tokenize_cached(s: str) -> tuple[Tok, ...]:
    return tuple(Tok(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(s))


def tokenize(s: str) -> list[Tok]:
    """Word tokens of ``s`` (initialisms like "U.S." kept whole; at most 61 characters each)."""
    if len(s) > 4 * MAX_SENTENCE_CHARS:
        return [Tok(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(s)]
    return list(_tokenize_cached(s))


def plain_gap(s: str, a: int, b: int) -> bool:
    """True when ``s[a:b]`` is only a few spaces (no punctuation, quote or line break)."""
    return b - a <= 3 and _PLAIN_GAP.match(s, a, b) is not None and "\n" not in s[a:b]


def strip_possessive(word: str) -> str:
    w = word.replace("’", "'")
    if w.endswith("'s"):
        return word[:-2]
    if w.endswith("'"):
        return word[:-1]
    return word


def compact(name: str) -> str:
    """Letters only, lower-case, accents removed: "Karine-Jean Pierre" -> "karinejeanpierre"."""
    import unicodedata

    s = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in s.lower() if ch.isalpha())


_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}


def _name_tok(t: Tok) -> bool:
    """A capitalised token that can be part of a name ("Hamas-run" cannot)."""
    if not t.cap or t.n in {"i"} or t.n in _NUMBER_WORDS:
        return False
    if "-" in t.text:
        last = t.text.rsplit("-", 1)[1]
        if last[:1].islower():
            return False
    return True


def name_candidates(s: str, *, sentence_start: int = 0, midcaps: set[str] | None = None
                    ) -> list[tuple[int, int, str]]:
    """Capitalised name runs in ``s``: ``(start, end, name)`` with titles stripped.

    A run is consecutive capitalised tokens separated by single spaces (``of`` allowed
    between capitalised tokens, a possessive ends the run). Titles are removed by keeping
    what follows the last title word ("Israeli Prime Minister Benjamin Netanyahu" ->
    "Benjamin Netanyahu", "Secretary of State Antony Blinken" -> "Antony Blinken"); runs
    longer than six tokens (headline case) are dropped. A sentence-initial token is dropped
    when it is a stop word or (if ``midcaps`` is given) never seen capitalised mid-sentence.
    """
    from analysis.text import STOP_WORDS

    toks = tokenize(s)
    out: list[tuple[int, int, str]] = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if not _name_tok(t):
            i += 1
            continue
        run = [t]
        k = i + 1
        while k < n and not run[-1].possessive and plain_gap(s, run[-1].end, toks[k].start):
            nt = toks[k]
            if _name_tok(nt):
                run.append(nt)
                k += 1
            elif nt.text == "of" and k + 1 < n and toks[k + 1].cap and plain_gap(s, nt.end, toks[k + 1].start):
                run.extend([nt, toks[k + 1]])
                k += 2
            else:
                break
        i = k
        if len(run) > 6:
            continue
        # sentence-initial common word
        first = run[0]
        at_start = s[: first.start].strip(" \t\"“‘'(—-") == "" or s[: first.start].rstrip().endswith(("\n",))
        if at_start and (first.n in STOP_WORDS or (midcaps is not None and first.n not in midcaps
                                                   and len(run) == 1)):
            run = run[1:]
        while run and (run[0].n in STOP_WORDS or len(run[0].text) == 1):
            run = run[1:]
        if not run:
            continue
        titled = [idx for idx, r in enumerate(run) if norm(strip_possessive(r.text)) in TITLE_N]
        if titled:
            run = run[titled[-1] + 1 :]
            if run and run[0].text == "of":
                run = run[2:]
        while run and run[0].n in DEMONYM_N and len(run) > 1 and run[1].cap:
            # "Israeli Benjamin ..." keep only when a title was not there; demonym before a name
            if titled:
                run = run[1:]
            else:
                break
        if not run:
            continue
        last = run[-1]
        name_end = last.end
        words = [r.text for r in run]
        words[-1] = strip_possessive(words[-1])
        name = " ".join(words).strip("'’-")
        if not name or not any(ch.isalpha() for ch in name):
            continue
        out.append((sentence_start + run[0].start, sentence_start + name_end, name))
    return out


def is_name_suffix(short: str, full: str) -> bool:
    """True when ``short`` ("Jean-Pierre") ends the full name ("Karine-Jean Pierre").

    Compared letters-only; the boundary must fall on a token boundary of ``full``.
    """
    cs, cf = compact(short), compact(full)
    if not cs or len(cs) >= len(cf) or not cf.endswith(cs):
        return False
    # boundary check: some suffix of full's tokens (split on space/hyphen) compacts to cs
    parts = re.split(r"[\s\-]+", full)
    for k in range(1, len(parts)):
        if compact("".join(parts[k:])) == cs:
            return True
    return False


def blank_hostile(text: str) -> str:
    """``text`` with what cannot hold a name blanked (same length: offsets hold): runs of
    ``MAX_RUN_CHARS`` characters without a space, and each sentence past
    ``MAX_SENTENCE_CHARS`` characters (the framing patterns' limit). Both make the parse
    slow and neither is news prose."""
    text = _LONG_RUN.sub(lambda m: " " * len(m.group()), text)
    if len(text) <= MAX_SENTENCE_CHARS:
        return text
    pieces, last = [], 0
    for a, b in split_sentences(text):
        if b - a > MAX_SENTENCE_CHARS:
            cut = a + MAX_SENTENCE_CHARS
            pieces.append(text[last:cut])
            pieces.append(re.sub(r"[^\n]", " ", text[cut:b]))
            last = b
    pieces.append(text[last:])
    return "".join(pieces)
