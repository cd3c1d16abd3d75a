"""Porter stemmer, reproducing NLTK's default-mode ``PorterStemmer`` without importing NLTK.

This is an independent implementation of the suffix-stripping algorithm of

    M. F. Porter (1980), "An algorithm for suffix stripping", *Program* 14(3): 130-137,

with the departures from the paper that NLTK makes in its default mode
(``PorterStemmer.NLTK_EXTENSIONS``, lower-casing on). For every string its output is meant to
be identical to ``nltk.stem.porter.PorterStemmer().stem(word)``; ``tests/test_stemmer.py``
checks this on the whole CMU Pronouncing Dictionary, on the seed articles and on hand-picked
edge cases.

Why the kit ships its own copy: ``import nltk`` takes more than a second, because NLTK's
package ``__init__`` pulls in ``scipy.stats`` and scikit-learn. Report kernels only need the
stemmer, so they use this module and keep nltk out of the process altogether.

Departures from the 1980 paper (all of them NLTK's default behaviour):

* input is lower-cased first; a short table of irregular forms is looked up before anything
  else ("skies" -> "sky", "dying" -> "die", "news" -> "news", "proceed" -> "proceed", ...);
* words of one or two characters (counted *before* lower-casing) are returned unchanged;
* step 1a: a four-letter word in "-ies" keeps "ie" ("ties" -> "tie");
* step 1b: "-ied" becomes "ie" in four-letter words and "i" otherwise, before any other rule;
* condition *o (steps 1b and 5a) also holds for a two-letter stem vowel + consonant;
* step 1c: final "y" becomes "i" only after a consonant that is not the word's first letter
  ("happy" -> "happi", "spy" -> "spi", "enjoy" unchanged);
* step 2: "bli" -> "ble" replaces "abli" -> "able"; "alli" -> "al" is applied first and step 2
  is run again on the result; extra rules "fulli" -> "ful" and "logi" -> "log" (the latter's
  measure taken with the "l" kept on the stem).

Only the letters a, e, i, o and u (and "y" after a consonant) are vowels; every other character
-- digits, apostrophes, hyphens, accented letters -- counts as a consonant, as in NLTK.
"""

from __future__ import annotations

import re

__all__ = ["porter_stem", "PorterStemmer"]

_VOWELS = "aeiou"

#: Irregular forms looked up (after lower-casing) before the algorithm runs.
_IRREGULAR: dict[str, str] = {
    "sky": "sky",
    "skies": "sky",
    "dying": "die",
    "lying": "lie",
    "tying": "tie",
    "news": "news",
    "innings": "inning",
    "inning": "inning",
    "outings": "outing",
    "outing": "outing",
    "cannings": "canning",
    "canning": "canning",
    "howe": "howe",
    "proceed": "proceed",
    "exceed": "exceed",
    "succeed": "succeed",
}

# a vowel followed by a consonant, for words without "y" (each such pair adds one to m)
_VC_PAIR = re.compile(r"[aeiou][^aeiou]", re.DOTALL)
# a stem has a vowel iff it has one of aeiou, or a "y" anywhere but in first position
_ANY_VOWEL = re.compile(r"[aeiou]|.y", re.DOTALL)


# ---------------------------------------------------------------------------------------------
# letter classes and the measure


def _consonant_at(s: str, i: int) -> bool:
    """Whether ``s[i]`` (``0 <= i < len(s)``) is a consonant in Porter's sense.

    A "y" is a consonant at the start of the word or after a vowel, and a vowel after a
    consonant; within a run of "y"s the class therefore alternates.
    """
    ch = s[i]
    if ch in _VOWELS:
        return False
    if ch != "y":
        return True
    flip = False
    while i > 0 and s[i] == "y":
        flip = not flip
        i -= 1
    # s[i] is the letter before the run, or the run's own first "y" at position 0
    return (s[i] not in _VOWELS) is not flip


def _measure(s: str) -> int:
    """Porter's *m*: the number of vowel-run/consonant-run pairs in ``[C](VC)^m[V]``."""
    if "y" not in s:
        return len(_VC_PAIR.findall(s))
    m = 0
    prev = None  # class of the previous character: True consonant, False vowel, None none
    for ch in s:
        if ch in _VOWELS:
            cons = False
        elif ch == "y":
            cons = prev is not True
        else:
            cons = True
        if cons and prev is False:
            m += 1
        prev = cons
    return m


def _has_vowel(s: str) -> bool:
    """Porter's condition *v*: the stem contains a vowel."""
    return _ANY_VOWEL.search(s) is not None


def _double_consonant_end(s: str) -> bool:
    """Porter's condition *d: the stem ends in two equal consonants."""
    n = len(s)
    return n >= 2 and s[-1] == s[-2] and _consonant_at(s, n - 1)


def _cvc_end(s: str) -> bool:
    """Porter's condition *o, as NLTK reads it.

    Three or more characters: consonant-vowel-consonant at the end, the last not w, x or y.
    Exactly two characters: vowel-consonant (with no restriction on the consonant).
    """
    n = len(s)
    if n >= 3:
        return (
            s[-1] not in "wxy"
            and _consonant_at(s, n - 1)
            and not _consonant_at(s, n - 2)
            and _consonant_at(s, n - 3)
        )
    if n == 2:
        return not _consonant_at(s, 0) and _consonant_at(s, 1)
    return False


# ---------------------------------------------------------------------------------------------
# rule tables: (suffix, replacement), grouped by the suffix's final letter. Within a step only
# the first listed suffix that the word ends with is considered; if its condition fails the word
# is left as it is. Two suffixes can only both match when they share their final letter, so the
# order inside each group is the order that matters.

_STEP2: dict[str, tuple[tuple[str, str], ...]] = {
    "l": (("ational", "ate"), ("tional", "tion")),
    "i": (
        ("enci", "ence"),
        ("anci", "ance"),
        ("bli", "ble"),
        ("alli", "al"),
        ("entli", "ent"),
        ("eli", "e"),
        ("ousli", "ous"),
        ("aliti", "al"),
        ("iviti", "ive"),
        ("biliti", "ble"),
        ("fulli", "ful"),
        ("logi", "log"),
    ),
    "r": (("izer", "ize"), ("ator", "ate")),
    "n": (("ization", "ize"), ("ation", "ate")),
    "m": (("alism", "al"),),
    "s": (("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous")),
}

_STEP3: dict[str, tuple[tuple[str, str], ...]] = {
    "e": (("icate", "ic"), ("ative", ""), ("alize", "al")),
    "i": (("iciti", "ic"),),
    "l": (("ical", "ic"), ("ful", "")),
    "s": (("ness", ""),),
}

_STEP4: dict[str, tuple[str, ...]] = {
    "l": ("al",),
    "e": ("ance", "ence", "able", "ible", "ate", "ive", "ize"),
    "r": ("er",),
    "c": ("ic",),
    "t": ("ant", "ement", "ment", "ent"),
    "n": ("ion",),
    "u": ("ou",),
    "m": ("ism",),
    "i": ("iti",),
    "s": ("ous",),
}


# ---------------------------------------------------------------------------------------------
# the steps


def _step1a(w: str) -> str:
    """Plurals: -sses, -ies, -ss, -s."""
    if not w.endswith("s"):
        return w
    if w.endswith("ies"):
        return w[:-3] + ("ie" if len(w) == 4 else "i")
    if w.endswith("sses"):
        return w[:-2]
    if w.endswith("ss"):
        return w
    return w[:-1]


def _step1b(w: str) -> str:
    """Past tenses and gerunds: -ied, -eed, -ed, -ing, then tidy the stem."""
    if w.endswith("ed"):
        if w.endswith("ied"):
            return w[:-3] + ("ie" if len(w) == 4 else "i")
        if w.endswith("eed"):
            return w[:-1] if _measure(w[:-3]) > 0 else w
        stem = w[:-2]
    elif w.endswith("ing"):
        stem = w[:-3]
    else:
        return w
    if not _has_vowel(stem):
        return w

    tail = stem[-2:]
    if tail in ("at", "bl", "iz"):
        return stem + "e"
    last = stem[-1]
    if _double_consonant_end(stem) or tail == "*d":
        # The double-consonant rule keeps one letter, except after l, s or z where the stem is
        # kept whole. NLTK spells this rule with the marker suffix "*d" and also fires it on a
        # stem that literally ends in "*d" (dropping the "*"); that quirk is reproduced.
        return stem if last in "lsz" else stem[:-2] + last
    if _measure(stem) == 1 and _cvc_end(stem):
        return stem + "e"
    return stem


def _step1c(w: str) -> str:
    """Final -y -> -i after a consonant that is not the word's first letter."""
    if w.endswith("y") and len(w) > 2 and _consonant_at(w, len(w) - 2):
        return w[:-1] + "i"
    return w


def _step2(w: str) -> str:
    """Double suffixes to single ones (m > 0): -ational -> -ate, -iveness -> -ive, ..."""
    rules = _STEP2.get(w[-1:])
    if rules is None:
        return w
    for suffix, replacement in rules:
        if w.endswith(suffix):
            stem = w[: -len(suffix)]
            if suffix == "logi":
                ok = _measure(stem + "l") > 0
            else:
                ok = _measure(stem) > 0
            if not ok:
                return w
            if suffix == "alli":
                return _step2(stem + replacement)
            return stem + replacement
    return w


def _step3(w: str) -> str:
    """-icate, -ative, -alize, -iciti, -ical, -ful, -ness (m > 0)."""
    rules = _STEP3.get(w[-1:])
    if rules is None:
        return w
    for suffix, replacement in rules:
        if w.endswith(suffix):
            stem = w[: -len(suffix)]
            return stem + replacement if _measure(stem) > 0 else w
    return w


def _step4(w: str) -> str:
    """Drop a final suffix when m > 1 (-ion only after s or t)."""
    suffixes = _STEP4.get(w[-1:])
    if suffixes is None:
        return w
    for suffix in suffixes:
        if w.endswith(suffix):
            stem = w[: -len(suffix)]
            if _measure(stem) > 1 and (suffix != "ion" or stem[-1] in "st"):
                return stem
            return w
    return w


def _step5(w: str) -> str:
    """Step 5a (final -e) then step 5b (-ll -> -l)."""
    if w.endswith("e"):
        stem = w[:-1]
        m = _measure(stem)
        if m > 1 or (m == 1 and not _cvc_end(stem)):
            w = stem
    if w.endswith("ll") and _measure(w[:-1]) > 1:
        w = w[:-1]
    return w


# ---------------------------------------------------------------------------------------------
# public API


def porter_stem(word: str) -> str:
    """Porter stem of ``word``, identical to NLTK's default ``PorterStemmer().stem(word)``.

    Parameters
    ----------
    word : str
        Any string; it is lower-cased with :meth:`str.lower` first.

    Returns
    -------
    str
        The stem, in lower case. Irregular forms come from a fixed table; words of at most two
        characters are only lower-cased.

    Examples
    --------
    >>> porter_stem("Generalizations")
    'gener'
    >>> porter_stem("ponies"), porter_stem("ties"), porter_stem("dying")
    ('poni', 'tie', 'die')
    """
    w = word.lower()
    irregular = _IRREGULAR.get(w)
    if irregular is not None:
        return irregular
    if len(word) <= 2:  # NLTK measures the word as given, before lower-casing
        return w
    w = _step1a(w)
    w = _step1b(w)
    w = _step1c(w)
    w = _step2(w)
    w = _step3(w)
    w = _step4(w)
    return _step5(w)


class PorterStemmer:
    """Memoising Porter stemmer, a drop-in for ``nltk.stem.porter.PorterStemmer().stem``.

    Parameters
    ----------
    cache_size : int, default 100_000
        Most words remembered; when the cache is full it is emptied and refilled. ``0`` turns
        memoisation off.

    Examples
    --------
    >>> PorterStemmer().stem("Relational")
    'relat'
    """

    def __init__(self, cache_size: int = 100_000) -> None:
        if cache_size < 0:
            raise ValueError("cache_size must be >= 0")
        self.cache_size = cache_size
        self._cache: dict[str, str] = {}

    def stem(self, word: str) -> str:
        """Porter stem of ``word`` (see :func:`porter_stem`).

        Parameters
        ----------
        word : str

        Returns
        -------
        str
        """
        cache = self._cache
        try:
            return cache[word]
        except KeyError:
            pass
        result = porter_stem(word)
        if self.cache_size:
            if len(cache) >= self.cache_size:
                cache.clear()
            cache[word] = result
        return result

    def __repr__(self) -> str:
        return f"PorterStemmer(cache_size={self.cache_size})"
