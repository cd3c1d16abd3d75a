"""Seeded synthetic corpora built by resampling the seed articles' sentences.

Used by the tests and benchmarks when no large corpus is at hand: documents are news-length
(15–30 sentences drawn with replacement from the cleaned seed texts), grouped into events and
outlets, and identical for the same arguments.
"""

from __future__ import annotations

import pandas as pd

from analysis.corpus import load_corpus
from analysis.stats import rng
from analysis.text import sentences

__all__ = ["resampled_corpus"]


def resampled_corpus(
    n_docs: int,
    *,
    n_outlets: int = 5,
    n_events: int | None = None,
    sentences_per_doc: tuple[int, int] = (15, 30),
    seed: int = 0,
) -> pd.DataFrame:
    """A corpus of ``n_docs`` documents made of seed sentences.

    Each outlet draws mostly from its own seed article's sentences (80 %) and otherwise from
    the others, so outlets keep distinguishable vocabularies; paragraph breaks every three
    sentences.

    Parameters
    ----------
    n_docs : int
        Number of documents.
    n_outlets : int
        Outlets, named ``outlet_00`` …; documents are assigned round-robin.
    n_events : int, optional
        Stories, named ``event_0000`` …; consecutive groups of ``n_outlets`` documents share
        an event (default: ``n_docs // n_outlets``, at least 1).
    sentences_per_doc : (int, int)
        Inclusive range of sentences per document.
    seed : int
        Seed of the sampling.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, event_id, outlet, published, title, text`` (no ``raw_text``: pass the frame
        to :func:`analysis.corpus.load_corpus` or write it to a file first).
    """
    if n_docs < 1:
        raise ValueError(f"n_docs must be at least 1 (got {n_docs})")
    seeds = load_corpus()
    pools = [sentences(t) for t in seeds["text"]]
    everything = [s for pool in pools for s in pool]
    g = rng(seed)
    n_events = n_events or max(1, n_docs // n_outlets)
    lo, hi = sentences_per_doc
    rows = []
    for i in range(n_docs):
        own = pools[i % n_outlets % len(pools)]
        k = int(g.integers(lo, hi + 1))
        picks = []
        for _ in range(k):
            pool = own if g.random() < 0.8 else everything
            picks.append(pool[int(g.integers(0, len(pool)))])
        paras = [" ".join(picks[j : j + 3]) for j in range(0, len(picks), 3)]
        rows.append(
            {
                "doc_id": f"d{i:07d}",
                "event_id": f"event_{min(i // n_outlets, n_events - 1):04d}",
                "outlet": f"outlet_{i % n_outlets:02d}",
                "published": "2024-03-27",
                "title": "",
                "text": "\n\n".join(paras),
            }
        )
    return pd.DataFrame(rows)
