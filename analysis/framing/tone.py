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
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ParameterError, ResourceMissing
from analysis.framing import _patterns as P

log = logging.getLogger(__name__)

TONE_COLUMNS = ["doc_id", "outlet", "sent_id", "sentence", "compound", "pos", "neu", "neg", "actors"]
#: characters of a sentence passed to VADER (longer sentences are cut; VADER is per sentence)
MAX_TONE_CHARS = 2000


@lru_cache(maxsize=1)
def _analyzer():
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as exc:  # pragma: no cover - exercised only without the package
        raise ResourceMissing(
            "tone() needs the VADER lexicon from the 'vaderSentiment' pip package: "
            "pip install vaderSentiment==3.3.2"
        ) from exc
    return SentimentIntensityAnalyzer()


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
    sia = _analyzer()
    rows = []
    for doc_id, outlet, _t, text in P.iter_docs(docs):
        for s in P.doc_sentences(doc_id, outlet, text):
            sc = sia.polarity_scores(s.text[:MAX_TONE_CHARS])
            names = ""
            if matchers is not None:
                found = []
                for _a, _b, actor in _find_mentions(s.text, matchers):
                    if actor not in found:
                        found.append(actor)
                names = ";".join(found)
            rows.append(dict(doc_id=doc_id, outlet=outlet, sent_id=s.sent_id, sentence=s.text,
                             compound=float(sc["compound"]), pos=float(sc["pos"]),
                             neu=float(sc["neu"]), neg=float(sc["neg"]), actors=names))
    return pd.DataFrame(rows, columns=TONE_COLUMNS)


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
