"""Tone: VADER sentiment per sentence, per outlet (bootstrap CI) and around each actor.

VADER (Hutto & Gilbert 2014, "VADER: A parsimonious rule-based model for sentiment
analysis of social media text", ICWSM) scores a sentence from a human-rated lexicon with
rules for negation, intensifiers, "but" and punctuation. ``compound`` is the normalised sum
of valences in [-1, 1] (higher = more positive; about ±0.05 is the authors' neutral band);
``pos``, ``neu`` and ``neg`` are the shares of the sentence's valence that are positive,
neutral and negative (they sum to 1). The lexicon is the file shipped in the
``vaderSentiment`` pip package, read from disk: nothing is downloaded. News prose is not
the social-media text VADER was tuned on: compare outlets on the same story rather than
reading absolute values, and read the sentences behind a difference.
"""

from __future__ import annotations

import logging
import re
import string
from functools import lru_cache
from itertools import compress
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ParameterError, ResourceMissing
from analysis.framing import _patterns as P

log = logging.getLogger(__name__)

TONE_COLUMNS = ["doc_id", "outlet", "sent_id", "sentence", "compound", "pos", "neu", "neg", "actors"]
#: characters of a sentence passed to VADER (longer sentences are cut; VADER is per sentence)
MAX_TONE_CHARS = 2000
_ASCII_PUNCTUATION = string.punctuation
_JUST_BEFORE = frozenset({"least", "so", "this"})  # words VADER's rules read just before a word


class _WordList(list):
    """VADER's words of one sentence, with what its context rules can find in them.

    ``negations``: a word is a negation of VADER's list, "never", "so" or "this", or contains
    "n't" (only then can ``_negation_check`` change a valence); ``has_nt``: a word contains
    "n't"; ``idioms``: the sentence
    contains one of VADER's multi-word idioms or booster phrases (only then can
    ``_special_idioms_check`` change one); ``but``: a word is "but" (only then does
    ``_but_check`` change the valences).
    """

    negations: bool = True
    has_nt: bool = True
    idioms: bool = True
    but: bool = True


class _Words:
    """What VADER's rules read of a sentence (``vaderSentiment.SentiText``'s two attributes).

    ``words_and_emoticons``: the white-space tokens, each stripped of leading and trailing
    ASCII punctuation unless that leaves two characters or fewer (an emoticon such as ":)"
    stays whole); ``is_cap_diff``: some but not all tokens are in capitals. ``lower``: the
    tokens in lower case.
    """

    __slots__ = ("text", "words_and_emoticons", "is_cap_diff", "lower")

    def __init__(self, text: str, negators: frozenset[str], phrases: re.Pattern):
        self.text = text
        words = _WordList(
            [t if len(stripped := t.strip(_ASCII_PUNCTUATION)) <= 2 else stripped
             for t in text.split()]
        )
        n_caps = sum(map(str.isupper, words))
        self.is_cap_diff = 0 < len(words) - n_caps < len(words)
        self.lower = lower = [w.lower() for w in words]
        joined = " ".join(lower)
        words.has_nt = "n't" in joined
        words.negations = words.has_nt or not negators.isdisjoint(lower)
        words.idioms = phrases.search(joined) is not None
        words.but = "but" in lower
        self.words_and_emoticons = words


@lru_cache(maxsize=1)
def _analyzer():
    """VADER's analyser, scoring news sentences faster with the same numbers.

    ``polarity_scores`` of vaderSentiment 3.3.2 first rebuilds the text character by
    character to replace emojis, then calls ``sentiment_valence`` for every word. For a text
    without any emoji character the rebuilt text is the text itself, and a word outside the
    lexicon (or a booster word, or "kind" before "of") gets valence 0 without any rule
    looking at it; a lexicon word with nothing around it that VADER's rules react to (see
    ``polarity_scores`` below) keeps its lexicon valence. This analyser skips those steps,
    and calls VADER's own methods (``sentiment_valence``, ``_but_check``, ``score_valence``)
    for the rest, on VADER's words (:class:`_Words`). Texts with an emoji character go through VADER's ``polarity_scores``
    unchanged. Equal to VADER on every sentence of the tests (``tests/test_framing_tone.py``).
    """
    try:
        from vaderSentiment.vaderSentiment import (
            BOOSTER_DICT,
            NEGATE,
            SPECIAL_CASES,
            SentimentIntensityAnalyzer,
        )
    except ImportError as exc:  # pragma: no cover - exercised only without the package
        raise ResourceMissing(
            "tone() needs the VADER lexicon from the 'vaderSentiment' pip package: "
            "pip install vaderSentiment==3.3.2"
        ) from exc

    negate = frozenset(w.lower() for w in NEGATE) | {"never"}
    negators = negate | {"so", "this"}
    # the n-grams _special_idioms_check looks up have two or three words
    phrases = re.compile(
        "|".join(re.escape(k.lower()) for k in sorted({*SPECIAL_CASES, *BOOSTER_DICT}) if " " in k)
    )

    class _NewsVader(SentimentIntensityAnalyzer):
        def polarity_scores(self, text: str) -> dict:
            if not isinstance(text, str) or not self.emojis.keys().isdisjoint(text):
                return super().polarity_scores(text)
            text = text.strip()
            senti = _Words(text, negators, phrases)
            words = senti.words_and_emoticons
            lower = senti.lower
            lexicon = self.lexicon
            sentiments: list[float] = [0] * len(words)
            last = len(words) - 1
            # Without an idiom in the sentence, the rules of sentiment_valence leave a
            # lexicon word's valence as it is unless the word is "no" or in capitals among
            # other words, or one of the three words before it is "no", a negation (VADER's
            # list, or a word with "n't") or a booster, or the word just before is "least",
            # "so" or "this".
            idioms = words.idioms
            has_nt = words.has_nt
            cap_diff = senti.is_cap_diff
            for i in compress(range(len(lower)), map(lexicon.__contains__, lower)):
                low = lower[i]
                if low not in BOOSTER_DICT and not (
                    low == "kind" and i < last and lower[i + 1] == "of"
                ):
                    before = lower[max(0, i - 3) : i]
                    if (
                        not idioms
                        and low != "no"
                        and not (cap_diff and words[i].isupper())
                        and "no" not in before
                        and (not before or before[-1] not in _JUST_BEFORE)
                        and BOOSTER_DICT.keys().isdisjoint(before)
                        and negate.isdisjoint(before)
                        and not (has_nt and any("n't" in w for w in before))
                    ):
                        sentiments[i] = lexicon[low]
                    else:
                        sentiments[i] = self.sentiment_valence(0, senti, words[i], i, [])[0]
            sentiments = self._but_check(words, sentiments)
            return self.score_valence(sentiments, text)

        # VADER's rules below lower-case the whole sentence on every call, but read only the
        # words at i-3 ... i+2 (callers guarantee i > 0, i > 1 and i > 2 for the windows they
        # read): they get that window of words, with i shifted, and answer the same. A
        # sentence without any word they react to keeps its valence.
        @staticmethod
        def _negation_check(valence: float, words: list[str], start_i: int, i: int) -> float:
            if not getattr(words, "negations", True):
                return valence
            lo = max(0, i - 3)
            return _Base._negation_check(valence, words[lo : i + 1], start_i, i - lo)

        @staticmethod
        def _but_check(words: list[str], sentiments: list[float]) -> list[float]:
            if not getattr(words, "but", True):
                return sentiments
            return _Base._but_check(words, sentiments)

        @staticmethod
        def _special_idioms_check(valence: float, words: list[str], i: int) -> float:
            if not getattr(words, "idioms", True):
                return valence
            lo = max(0, i - 3)
            return _Base._special_idioms_check(valence, words[lo : i + 3], i - lo)

    _Base = SentimentIntensityAnalyzer
    return _NewsVader()


def tone(docs: pd.DataFrame, actors: Any = None) -> pd.DataFrame:
    """VADER scores for every sentence.

    Parameters
    ----------
    docs : DataFrame
        Documents (``doc_id, outlet, text``).
    actors : path, YAML text, dict or None
        Actor dictionary (:func:`analysis.framing.load_actor_dictionary`): the ``actors``
        column lists the actors each sentence mentions. None = the story's discovered
        actors (:func:`analysis.framing.discover_actors`), never the seed story's.

    Returns
    -------
    DataFrame
        ``doc_id, outlet, sent_id`` (0-based sentence of ``text``), ``sentence``,
        ``compound`` (-1 … 1; higher = more positive), ``pos, neu, neg`` (shares 0–1,
        summing to 1), ``actors`` (actors mentioned, ';'-separated; "" when none).
    """
    from analysis.framing.actors import resolve_actors

    P.check_docs(docs, "tone")
    return _tone(docs, resolve_actors(docs, actors))


def _tone(docs: pd.DataFrame, dictionary: dict | None) -> pd.DataFrame:
    """:func:`tone` with a checked dictionary (None: leave ``actors`` empty)."""
    matchers = None
    if dictionary:
        from analysis.framing.actors import _ActorIndex, _find_mentions

        matchers = _ActorIndex(dictionary)
    cols: dict[str, list] = {c: [] for c in TONE_COLUMNS}
    doc_col, outlet_col, sent_col, text_col, names_col = (
        cols["doc_id"], cols["outlet"], cols["sent_id"], cols["sentence"], cols["actors"]
    )
    scores: list[tuple[float, float, float, float]] = []
    for doc_id, outlet, _t, text in P.iter_docs(docs):
        for s in P.doc_sentences(doc_id, outlet, text):
            scores.append(_sentence_scores(s.text[:MAX_TONE_CHARS]))
            names = ""
            if matchers is not None:
                found = []
                for _a, _b, actor in _find_mentions(s.text, matchers):
                    if actor not in found:
                        found.append(actor)
                names = ";".join(found)
            doc_col.append(doc_id)
            outlet_col.append(outlet)
            sent_col.append(s.sent_id)
            text_col.append(s.text)
            names_col.append(names)
    if not scores:
        return pd.DataFrame([], columns=TONE_COLUMNS)
    values = np.array(scores, dtype=float)
    for k, name in enumerate(("compound", "pos", "neu", "neg")):
        cols[name] = values[:, k]
    return pd.DataFrame(cols, columns=TONE_COLUMNS)


@lru_cache(maxsize=2**16)
def _sentence_scores(sentence: str) -> tuple[float, float, float, float]:
    """VADER ``(compound, pos, neu, neg)`` of one sentence, remembered for the next call.

    :func:`tone`, :func:`tone_by_outlet` and :func:`tone_by_actor` on the same story score
    the same sentences; each distinct sentence is scored once per process (up to 65,536
    sentences kept).
    """
    sc = _analyzer().polarity_scores(sentence)
    return float(sc["compound"]), float(sc["pos"]), float(sc["neu"]), float(sc["neg"])


def _summarise(groups, *, n_boot: int, ci: float, seed: int, extra: dict | None = None) -> list[dict]:
    from analysis.stats import bootstrap_ci

    out = []
    for key, g in groups:
        est, lo, hi = bootstrap_ci(g["compound"].to_numpy(dtype=float), n_boot=n_boot, ci=ci, seed=seed)
        row = dict(key) if isinstance(key, dict) else {}
        row.update(metric="vader_compound", n_docs=int(g["doc_id"].nunique()), n_sentences=len(g),
                   estimate=est, ci_low=lo, ci_high=hi,
                   share_negative=float((g["compound"] <= -0.05).mean()) if len(g) else np.nan,
                   share_positive=float((g["compound"] >= 0.05).mean()) if len(g) else np.nan)
        out.append(row)
    return out


def _check_boot(n_boot: int, ci: float) -> None:
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 50:
        raise ParameterError(f"n_boot={n_boot!r}: give an integer of at least 50 (2000 recommended).")
    if not 0 < ci < 1:
        raise ParameterError(f"ci={ci!r}: give the coverage as a fraction, e.g. 0.95.")


def tone_by_outlet(docs: pd.DataFrame, *, tone_table: pd.DataFrame | None = None, n_boot: int = 2000,
                   ci: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Mean VADER compound per outlet with a percentile bootstrap CI over sentences.

    Sentences of one article are not independent; with several articles per outlet, read
    the CI as a lower bound on the uncertainty (or compare per-document means with
    ``analysis.compare``).

    Returns
    -------
    DataFrame
        ``outlet, metric`` ('vader_compound'), ``n_docs, n_sentences, estimate`` (mean
        compound, -1 … 1, higher = more positive), ``ci_low, ci_high``
        (``analysis.stats.bootstrap_ci``, seeded), ``share_negative, share_positive``
        (shares of sentences with compound ≤ -0.05 / ≥ 0.05).
    """
    _check_boot(n_boot, ci)
    if tone_table is None:
        P.check_docs(docs, "tone_by_outlet")
    t = _tone(docs, None) if tone_table is None else tone_table
    groups = [({"outlet": o}, g) for o, g in t.groupby("outlet", sort=True)]
    cols = ["outlet", "metric", "n_docs", "n_sentences", "estimate", "ci_low", "ci_high",
            "share_negative", "share_positive"]
    return pd.DataFrame(_summarise(groups, n_boot=n_boot, ci=ci, seed=seed), columns=cols)


def tone_by_actor(docs: pd.DataFrame, actors: Any = None, *, n_boot: int = 2000, ci: float = 0.95,
                  seed: int = 0) -> pd.DataFrame:
    """Mean VADER compound of the sentences that mention each actor, per outlet.

    Parameters
    ----------
    actors : path, YAML text, dict or None
        Actor dictionary; None = the story's discovered actors
        (:func:`analysis.framing.discover_actors`), never the seed story's.

    Returns
    -------
    DataFrame
        ``outlet, actor, metric, n_docs, n_sentences`` (sentences mentioning the actor),
        ``estimate`` (mean compound, higher = more positive), ``ci_low, ci_high``
        (bootstrap over those sentences), ``share_negative, share_positive``. A sentence
        mentioning two actors counts for both; the score is the sentence's, not a
        targeted sentiment towards the actor.
    """
    from analysis.framing.actors import resolve_actors

    _check_boot(n_boot, ci)
    P.check_docs(docs, "tone_by_actor")
    dictionary = resolve_actors(docs, actors)
    t = _tone(docs, dictionary)
    groups = []
    for outlet, g in t.groupby("outlet", sort=True):
        for actor in dictionary:
            mask = g["actors"].map(lambda s, a=actor: a in s.split(";") if s else False)
            groups.append(({"outlet": outlet, "actor": actor}, g[mask]))
    cols = ["outlet", "actor", "metric", "n_docs", "n_sentences", "estimate", "ci_low", "ci_high",
            "share_negative", "share_positive"]
    return pd.DataFrame(_summarise(groups, n_boot=n_boot, ci=ci, seed=seed), columns=cols)
