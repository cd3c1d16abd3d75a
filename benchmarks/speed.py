"""Speed of the kit against the library a user would pick instead, in one process.

Every row times the kit and its peer on the same documents, in the same process, and prints
documents per second for each and their ratio (kit / peer; above 1 = the kit is faster):

- term counts, 1-2-grams, stop words dropped: ``lexical.term_counts(docs)`` (the tidy table)
  against scikit-learn ``CountVectorizer(ngram_range=(1, 2), stop_words="english")``;
- document x document similarity: ``reuse.similarity(docs)`` (the labelled matrix) against
  ``TfidfVectorizer`` (same options, ``sublinear_tf=True``) + ``linear_kernel``;
- tone per sentence: ``framing.tone(docs, actors={})`` (which segments the texts itself)
  against ``vaderSentiment``'s ``polarity_scores`` over the kit's sentences, given;
- readability, 9 formulas: ``readability.readability(docs, audit=False)`` against textstat
  0.7.13 (offline), nine formulas per document;
- sentence split: ``text.sentences`` per document against NLTK Punkt, untrained
  (``PunktSentenceTokenizer``).

Documents: the articles of ``../shared/devsets`` (BASIL dev and NewsWCL50 dev, 110 real news
articles of about 650 words) when that folder exists, else the seed corpus; ``--copies N``
repeats them N times under new ids (more work per run, the same texts). Each side is warmed up
on the seed articles first (lexicons, word caches and imports are not timed); then kit and
peer runs alternate ``--rounds`` times and the fastest run of each is kept, which is the
figure least disturbed by other work on a shared machine. Result caches are emptied before
every run (the kit's per-process sentence scores for tone; textstat's per-text results), so
each figure is a first computation; per-word caches (syllables) stay warm on both sides. The kit's
scikit-learn peers use their own tokenisation (English stop words of scikit-learn, which also
forms bigrams across a removed stop word); the kit keeps its rules (sentence-aware n-grams,
initialisms), so the counts differ by design while the work is the same kind.

Run: ``.venv/bin/python benchmarks/speed.py [--rounds 5] [--copies 1] [--devsets PATH]``

Reference runs (110 dev-set articles, 2 cores shared with other jobs, load average 8-12, so
absolute rates are several times below an idle machine's and ratios move by about ±0.3 between
runs), kit / peer:

==========================================  ===========  =============================
work                                        before       after (two runs)
==========================================  ===========  =============================
term counts, 1-2-grams, stop words dropped  0.53x        1.61x, 1.69x
document x document similarity              0.61x        1.91x, 1.62x
tone per sentence                           0.69x        1.13x, 1.14x
readability, 9 formulas                     12.1x        10.3x, 11.5x
sentence split                              4.8x         4.9x, 4.6x
==========================================  ===========  =============================

"before": the kit at commit ef9c837 (word-by-word term counts, VADER's own loop); "after":
term counts and similarity through :mod:`analysis.vectorize`, tone through the kit's faster
VADER path (same numbers) with per-process sentence scores.

Run alone (same documents, CPU time, fastest of 7), tone per sentence is 1.4x the plain loop:
the kit's VADER path is about 2.2x VADER's, and the kit also segments the texts.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis import readability as rd
from analysis import text as tx
from analysis.corpus import load_corpus
from analysis.framing import tone
from analysis.lexical import term_counts
from analysis.reuse import similarity

log = logging.getLogger("benchmarks.speed")

TEXTSTAT_FORMULAS = [
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
    "dale_chall_readability_score",
    "linsear_write_formula",
    "lix",
]
DEFAULT_DEVSETS = Path(__file__).resolve().parents[2] / "shared" / "devsets"


def load_documents(devsets: Path, copies: int) -> tuple[pd.DataFrame, str]:
    """The benchmark documents (``doc_id, outlet, event_id, text``) and a line naming them."""
    frames = []
    for name in ("basil-dev", "newswcl50-dev"):
        if (devsets / name / "manifest.csv").exists():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                frames.append(load_corpus(devsets / name))
    if frames:
        docs = pd.concat(frames, ignore_index=True)
        source = f"{devsets} (basil-dev + newswcl50-dev)"
    else:
        docs = load_corpus()
        source = "the seed corpus (no devsets folder found)"
    docs = docs[["doc_id", "outlet", "event_id", "text"]]
    if copies > 1:
        docs = pd.concat(
            [docs.assign(doc_id=docs["doc_id"].astype(str) + f"~{k}") for k in range(copies)],
            ignore_index=True,
        )
    return docs.reset_index(drop=True), source


def best_of(rounds: int, kit: Callable[[], object], peer: Callable[[], object],
            before_kit: Callable[[], None] | None = None,
            before_peer: Callable[[], None] | None = None) -> tuple[float, float]:
    """Fastest wall time of ``kit`` and of ``peer`` over ``rounds`` alternating runs.

    ``before_kit`` / ``before_peer`` run untimed before each run (emptying result caches).
    """
    kit_s = peer_s = float("inf")
    for _ in range(rounds):
        if before_kit is not None:
            before_kit()
        t0 = time.perf_counter()
        kit()
        kit_s = min(kit_s, time.perf_counter() - t0)
        if before_peer is not None:
            before_peer()
        t0 = time.perf_counter()
        peer()
        peer_s = min(peer_s, time.perf_counter() - t0)
    return kit_s, peer_s


def clear_textstat_caches() -> None:
    """Empty textstat's result caches (it remembers each function's result per text)."""
    for name, module in list(sys.modules.items()):
        if name.startswith("textstat"):
            for obj in list(vars(module).values()):
                clear = getattr(obj, "cache_clear", None)
                if callable(clear):
                    clear()


def clear_tone_cache() -> None:
    """Empty the kit's per-process cache of sentence scores (absent before it existed)."""
    cache = getattr(sys.modules["analysis.framing.tone"], "_sentence_scores", None)
    if cache is not None:
        cache.cache_clear()


def rows(docs: pd.DataFrame, warm: pd.DataFrame, rounds: int) -> list[tuple[str, str, float, float]]:
    """(work, peer, kit seconds, peer seconds) for every row of the table."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    tone_module = sys.modules["analysis.framing.tone"]
    texts = docs["text"].tolist()
    warm_texts = warm["text"].tolist()
    out = []

    def sk_counts(t):
        return CountVectorizer(ngram_range=(1, 2), stop_words="english").fit_transform(t)

    def sk_similarity(t):
        m = TfidfVectorizer(ngram_range=(1, 2), stop_words="english", sublinear_tf=True)
        return linear_kernel(m.fit_transform(t))

    term_counts(warm), sk_counts(warm_texts)
    out.append(("term counts, 1-2-grams, stop words dropped", "scikit-learn CountVectorizer",
                *best_of(rounds, lambda: term_counts(docs), lambda: sk_counts(texts))))

    similarity(warm), sk_similarity(warm_texts)
    out.append(("document x document similarity", "TfidfVectorizer + linear_kernel",
                *best_of(rounds, lambda: similarity(docs), lambda: sk_similarity(texts))))

    vader = SentimentIntensityAnalyzer()
    sentences = [s[: tone_module.MAX_TONE_CHARS] for t in texts for s in _sentence_texts(t)]
    tone(warm, actors={}), [vader.polarity_scores(s) for t in warm_texts for s in tx.sentences(t)]
    out.append(("tone per sentence", "vaderSentiment loop over the same sentences",
                *best_of(rounds, lambda: tone(docs, actors={}),
                         lambda: [vader.polarity_scores(s) for s in sentences],
                         before_kit=clear_tone_cache)))

    ts = tx.textstat_offline()
    funcs = [getattr(ts, name) for name in TEXTSTAT_FORMULAS]

    def textstat_all(t):
        return [f(x) for x in t for f in funcs]

    rd.readability(warm, audit=False), textstat_all(warm_texts)
    out.append(("readability, 9 formulas", "textstat",
                *best_of(rounds, lambda: rd.readability(docs, audit=False),
                         lambda: textstat_all(texts), before_peer=clear_textstat_caches)))

    punkt = PunktSentenceTokenizer()
    [tx.sentences(t) for t in warm_texts], [punkt.tokenize(t) for t in warm_texts]
    out.append(("sentence split", "NLTK Punkt (untrained)",
                *best_of(rounds, lambda: [tx.sentences(t) for t in texts],
                         lambda: [punkt.tokenize(t) for t in texts])))
    return out


def _sentence_texts(text: str) -> list[str]:
    """The sentences ``tone`` scores (the kit's segmenter, as the tone table's ``sentence``)."""
    return [text[a:b] for a, b in tx.sentence_spans(text)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="alternating runs per side (default 5)")
    ap.add_argument("--copies", type=int, default=1, help="repeat the documents N times")
    ap.add_argument("--devsets", type=Path, default=DEFAULT_DEVSETS,
                    help="folder holding basil-dev/ and newswcl50-dev/")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    docs, source = load_documents(args.devsets, max(1, args.copies))
    warm = load_corpus()
    n_words = sum(len(t.split()) for t in docs["text"])
    # Benchmarks print their figures (this is a script, not library code).
    print(f"documents: {len(docs)} from {source}; {n_words:,} words "
          f"(mean {n_words / len(docs):.0f}); fastest of {args.rounds} alternating runs")
    print(f"{'work':<44} {'kit docs/s':>11} {'peer docs/s':>12} {'kit/peer':>9}  peer")
    for work, peer, kit_s, peer_s in rows(docs, warm, args.rounds):
        kit_rate, peer_rate = len(docs) / kit_s, len(docs) / peer_s
        print(f"{work:<44} {kit_rate:>11,.0f} {peer_rate:>12,.0f} {kit_rate / peer_rate:>8.2f}x  "
              f"{peer}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
