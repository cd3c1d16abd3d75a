"""Benchmark: keyness, similarity and shared passages on synthetic corpora built from the seeds.

Run with ``python benchmarks/lexical.py`` (options: ``--docs 10000``, ``--sizes 1000,2000``,
``--seed 0``). Prints wall-clock seconds and peak memory per step (resident set size sampled
every 10 ms, above the level when the step started; ``tracemalloc`` is not used because it
slows allocation-heavy Python code several-fold), the process's overall peak
(``resource.getrusage``), and for ``shared_passages`` the number of candidate document pairs
against all pairs.

Synthetic corpus (seeded, reproducible): every document draws 10-25 sentences from the seed
articles' sentences (each synthetic outlet prefers different sentences, drawn from Dirichlet
weights, so keyness has something to find) and replaces each word with probability
``replace`` (default 0.5) by a word of a 50,000-word Zipf-distributed synthetic vocabulary, so
that unrelated documents rarely share eight words in a row. Five percent of documents copy a
40-word passage verbatim from an earlier document (simulated wire copy).

Reference run (2 cores, seed 0; 10,000 documents = 4.4 million words, 8 outlets):
term_counts 37 s; keyness of every outlet vs the rest with 200 article-level bootstrap
resamples 13 s (+135 MiB); one named pair 9 s; similarity by outlet 40 s (+0.9 GiB); the dense
10,000 x 10,000 document matrix 64 s (+1.8 GiB). shared_passages: 1,000 docs 10 s, 2,000 16 s,
5,000 29 s, 10,000 65 s (+1.2 GiB); the 8-gram index proposed 1,142 / 4,485 / 27,881 /
108,605 document pairs out of 0.5 / 2.0 / 12.5 / 50.0 million (both stages together examined
41 % / 16 % / 2.8 % / 0.9 % of all pairs). Because every synthetic document is assembled from
the same ~110 seed sentences, chance sharing is far denser than in real news; the index pairs
grow roughly with the square of the corpus until n-grams pass ``max_df``. The whole script
takes about 6 minutes.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import threading
import time

import numpy as np
import pandas as pd

from analysis import text
from analysis.corpus import load_corpus
from analysis.keyness import keyness
from analysis.lexical import term_counts
from analysis.reuse import shared_passages, similarity

log = logging.getLogger("benchmarks.lexical")


def synthetic_corpus(
    n_docs: int,
    *,
    n_outlets: int = 8,
    replace: float = 0.5,
    copy_share: float = 0.05,
    seed: int = 0,
) -> pd.DataFrame:
    """Docs table of ``n_docs`` synthetic articles built from the seed sentences."""
    rng = np.random.default_rng(seed)
    seeds = load_corpus()
    pool = [s for body in seeds["text"] for s in text.sentences(body)]
    pool_words = [text.words(s) for s in pool]
    vocab = np.array([f"w{k}" for k in range(50_000)])
    outlet_w = rng.dirichlet(np.full(len(pool), 0.3), size=n_outlets)
    docs = []
    texts: list[list[str]] = []
    for i in range(n_docs):
        o = int(rng.integers(n_outlets))
        n_sent = int(rng.integers(10, 26))
        picks = rng.choice(len(pool), size=n_sent, p=outlet_w[o])
        words: list[str] = []
        sents = []
        for p in picks:
            ws = list(pool_words[p])
            mask = rng.random(len(ws)) < replace
            if mask.any():
                draws = np.minimum(rng.zipf(1.3, size=int(mask.sum())), len(vocab)) - 1
                for j, v in zip(np.flatnonzero(mask), vocab[draws], strict=True):
                    ws[j] = str(v)
            sents.append(" ".join(ws) + ".")
            words.extend(ws)
        if i > 0 and rng.random() < copy_share:
            src = texts[int(rng.integers(i))]
            start = int(rng.integers(max(1, len(src) - 40)))
            sents.insert(int(rng.integers(len(sents) + 1)), " ".join(src[start : start + 40]) + ".")
        texts.append(words)
        docs.append(
            {
                "doc_id": f"s{i:06d}",
                "event_id": f"ev{i % 50}",
                "outlet": f"Outlet {o}",
                "text": " ".join(sents),
            }
        )
    return pd.DataFrame(docs)


def _rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakRSS:
    """Context manager: peak resident memory above the starting level, sampled every 10 ms."""

    def __enter__(self):
        self.base = self.peak = _rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self):
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, _rss())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())

    @property
    def mib(self) -> float:
        return (self.peak - self.base) / 2**20


def timed(label: str, func, *args, **kwargs):
    with PeakRSS() as mem:
        t0 = time.perf_counter()
        out = func(*args, **kwargs)
        secs = time.perf_counter() - t0
    print(f"{label:<48} {secs:8.2f} s   peak +{mem.mib:8.1f} MiB", flush=True)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=10_000, help="documents for keyness/similarity")
    ap.add_argument("--sizes", default="1000,2000,5000,10000", help="shared_passages sizes")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    print(f"== keyness and similarity on {args.docs:,} synthetic documents")
    docs = timed(f"build corpus ({args.docs:,} docs)", synthetic_corpus, args.docs, seed=args.seed)
    n_words = sum(len(t.split()) for t in docs["text"])
    print(f"   {n_words:,} words, {docs['outlet'].nunique()} outlets")
    counts = timed("term_counts (unigrams, stop words removed)", term_counts, docs,
                   ngram_range=(1, 1))
    print(f"   {len(counts):,} (doc, term) rows, {counts['term'].nunique():,} terms")
    key = timed("keyness, every outlet vs rest, n_boot=200", keyness, counts, n_boot=200)
    print(f"   {len(key):,} rows; terms with q < 0.05: {(key['q'] < 0.05).sum():,}")
    timed("keyness, two named outlets, n_boot=200", keyness, counts, target="Outlet 0",
          reference="Outlet 1")
    timed("similarity by outlet (same event)", similarity, docs, by="outlet")
    sim = timed("similarity by doc (dense 10k x 10k float64)", similarity, docs)
    print(f"   matrix {sim.shape[0]:,} x {sim.shape[1]:,}")
    del sim

    print("\n== shared_passages scaling (n=8 words, max_df=100, paraphrase_threshold=0.4)")
    print("   doc pairs: proposed by the 8-gram index (exact stage) / examined by either stage")
    print(f"{'docs':>7} {'seconds':>9} {'+MiB':>8} {'index pairs':>12} {'examined':>10} "
          f"{'all pairs':>12} {'examined %':>11} {'sent. pairs':>12} {'exact':>7} {'paraphr.':>9}")
    for size in [int(s) for s in args.sizes.split(",") if s]:
        sub = synthetic_corpus(size, seed=args.seed)
        with PeakRSS() as mem:
            t0 = time.perf_counter()
            out = shared_passages(sub)
            secs = time.perf_counter() - t0
        at = out.attrs
        n_exact = int((out["kind"] == "exact").sum())
        print(f"{size:>7,} {secs:>9.2f} {mem.mib:>8.1f} {at['n_exact_candidate_pairs']:>12,} "
              f"{at['n_candidate_pairs']:>10,} {at['n_all_pairs']:>12,} "
              f"{at['n_candidate_pairs'] / at['n_all_pairs']:>11.2%} "
              f"{at['n_sentence_pairs_compared']:>12,} {n_exact:>7,} {len(out) - n_exact:>9,}",
              flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak RSS: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
