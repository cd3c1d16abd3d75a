"""Hostile text: every public framing function finishes and returns a table.

The alarm is a hang detector (catastrophic regex backtracking, quadratic loops), not a
speed assertion: the limit is generous on purpose.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager

import pandas as pd
import pytest

import analysis.framing as F

HANG_SECONDS = 60


@contextmanager
def hang_guard(seconds: int = HANG_SECONDS):
    def _raise(signum, frame):  # pragma: no cover - only on a hang
        raise TimeoutError(f"did not finish within {seconds} s: probable hang")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _hostile_small() -> pd.DataFrame:
    texts = {
        "quotes10k": 'He said "' * 5000 + "end",  # 10,000 unbalanced-looking marks
        "straight10k": '"' * 10_000,
        "curly10k": "“" * 5000 + "”" * 5000,
        "singles": "'" * 5000 + "‘’" * 2500,
        "nospace": "a" * 100_000,
        "nospace_caps": "Hamas-" * 20_000,
        "digits": "1," * 50_000,
        "long_sentence": ("the official said that " * 5000) + ".",
        "caps": "Karine Jean-Pierre " * 5000,
        "empty": "",
    }
    return pd.DataFrame({"doc_id": list(texts), "outlet": ["H"] * len(texts),
                         "title": ["t" * 1000] * len(texts), "text": list(texts.values())})


PUBLIC = {
    "quotes": lambda d: F.quotes(d),
    "sources": lambda d: F.sources(d),
    "actor_labels": lambda d: F.actor_labels(d),
    "actor_mentions": lambda d: F.actor_mentions(d),
    "actor_summary": lambda d: F.actor_summary(d),
    "entities": lambda d: F.entities(d),
    "claims": lambda d: F.claims(d),
    "frames": lambda d: F.frames(d),
    "frame_hits": lambda d: F.frame_hits(d),
    "frame_terms": lambda d: F.frame_terms(d),
    "tone": lambda d: F.tone(d),
    "tone_by_outlet": lambda d: F.tone_by_outlet(d, n_boot=200),
    "tone_by_actor": lambda d: F.tone_by_actor(d, n_boot=200),
}


@pytest.mark.parametrize("name", list(PUBLIC))
def test_hostile_small_inputs(name):
    docs = _hostile_small()
    with hang_guard():
        out = PUBLIC[name](docs)
    assert isinstance(out, pd.DataFrame)


@pytest.fixture(scope="module")
def five_mb(seed_docs) -> pd.DataFrame:
    base = "\n\n".join(seed_docs["text"]) + "\n\n"
    text = (base * (5_000_000 // len(base) + 1))[:5_000_000]
    return pd.DataFrame({"doc_id": ["big"], "outlet": ["Big"], "title": ["Big"], "text": [text]})


@pytest.mark.slow
@pytest.mark.parametrize("name", ["quotes", "actor_labels", "entities", "claims", "frames", "tone"])
def test_five_megabyte_article(five_mb, name):
    with hang_guard():
        out = PUBLIC[name](five_mb)
    assert len(out) > 0
    assert set(out["outlet"]) == {"Big"}


def test_quotes_in_hostile_marks_stay_in_bounds():
    docs = _hostile_small()
    with hang_guard():
        q = F.quotes(docs)
    lengths = dict(zip(docs["doc_id"], docs["text"].str.len()))
    assert ((q["start"] >= 0) & (q["end"] <= q["doc_id"].map(lengths))).all()
    assert (q["quote"].str.len() <= 3000).all()
