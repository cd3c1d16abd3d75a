"""Throughput of the kit's readability table vs textstat's nine standard formulas.

Builds ``--n-docs`` news-length documents (default 2,000) by sampling the seed articles'
sentences with a seeded RNG, then times, in the same process on the same documents:

- the kit: ``analysis.readability.readability(docs, audit=False)`` — every count and every
  formula column for the whole table;
- textstat 0.7.13 (offline, via ``analysis.text.textstat_offline()``): per document, the nine
  standard formulas ``flesch_reading_ease, flesch_kincaid_grade, gunning_fog, smog_index,
  coleman_liau_index, automated_readability_index, dale_chall_readability_score,
  linsear_write_formula, lix``.

Both are warmed up first on separate documents (dictionary loading is not timed); both keep
their per-word caches, as they would in use. Prints documents per second for each and the
ratio.

Run: ``.venv/bin/python benchmarks/readability.py [--n-docs 2000] [--seed 0]``
"""

from __future__ import annotations

import argparse
import logging
import time

import numpy as np
import pandas as pd

from analysis import readability as rd
from analysis import text as tx
from analysis.corpus import load_corpus

logger = logging.getLogger("benchmarks.readability")

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


def build_docs(n_docs: int, *, seed: int = 0, prefix: str = "bench") -> pd.DataFrame:
    """``n_docs`` synthetic news-length documents: 18–30 seed sentences drawn with replacement,
    in paragraphs of 1–3 sentences (the seeds average 1.0–1.8 sentences per paragraph)."""
    seeds = load_corpus()
    pool = [s for t in seeds["text"] for s in tx.sentences(t)]
    outlets = seeds["outlet"].tolist()
    gen = np.random.default_rng(seed)
    rows = []
    for i in range(n_docs):
        k = int(gen.integers(18, 31))
        picks = [pool[j] for j in gen.integers(0, len(pool), size=k)]
        paras, pos = [], 0
        while pos < k:
            step = int(gen.integers(1, 4))
            paras.append(" ".join(picks[pos:pos + step]))
            pos += step
        rows.append(
            {
                "doc_id": f"{prefix}{i:05d}",
                "outlet": outlets[i % len(outlets)],
                "event_id": "bench",
                "text": "\n\n".join(paras),
                "language": "en",
            }
        )
    return pd.DataFrame(rows)


def run_kit(docs: pd.DataFrame) -> float:
    t0 = time.perf_counter()
    rd.readability(docs, audit=False)
    return time.perf_counter() - t0


def run_textstat(docs: pd.DataFrame) -> float:
    ts = tx.textstat_offline()
    funcs = [getattr(ts, name) for name in TEXTSTAT_FORMULAS]
    t0 = time.perf_counter()
    for text in docs["text"]:
        for f in funcs:
            f(text)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-docs", type=int, default=2000, help="documents to score (default 2000)")
    ap.add_argument("--seed", type=int, default=0, help="RNG seed for building documents")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    warm = build_docs(50, seed=args.seed + 1, prefix="warm")
    run_kit(warm)
    run_textstat(warm)

    docs = build_docs(args.n_docs, seed=args.seed)
    n_words = sum(len(tx.words(t)) for t in docs["text"].head(200)) / min(200, len(docs))
    kit_s = run_kit(docs)
    ts_s = run_textstat(docs)
    kit_rate = len(docs) / kit_s
    ts_rate = len(docs) / ts_s
    lines = [
        f"documents: {len(docs)} (mean {n_words:.0f} words, built from seed sentences, seed {args.seed})",
        f"kit readability table (all counts + formulas): {kit_rate:,.0f} docs/s ({kit_s:.2f} s)",
        f"textstat nine formulas per document:          {ts_rate:,.0f} docs/s ({ts_s:.2f} s)",
        f"ratio (kit / textstat): {kit_rate / ts_rate:.1f}x",
    ]
    # Benchmarks print their figures (this is a script, not library code).
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
