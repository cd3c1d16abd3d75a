"""Benchmark: the whole framing pass on many news articles, beside the raw spaCy parse of the same texts.

Run with ``python benchmarks/framing.py DEVSETS [--articles 1000] [--per-story 3]``.

Articles: the BASIL development articles of ``DEVSETS/basil-dev`` (read in place, never copied),
resampled into ``--articles`` news-length texts: each is one dev article with its paragraphs
dropped and reordered (seeded), so no two texts are the same and nothing is parsed twice by
accident. They are grouped into stories of ``--per-story`` outlets (the framing functions work
story by story: actors are discovered per story).

Printed, in one process:

1. raw ``nlp.pipe`` over all texts (the English pipeline, batch size 64): documents per second;
2. the framing pass of the story report on every story (:class:`analysis.prefetch.FramingPass`
   with ``parallel=False``: actors discovered per story, actor labels, quotes, sources, claims, frames,
   tone, loaded language), parse included: documents per second, and its time against (1);
3. the peak resident memory of the process.

The parse memo of :mod:`analysis.nlp` is cleared before (2), so the framing pass parses every
text itself.

Reference run (1,000 articles, 334 stories, 498 words per article; 2 cores shared with other
work, load average about 6): raw ``nlp.pipe`` 190 s (5.3 docs/s); the framing pass 538 s
(1.9 docs/s) = 2.8x the raw parse, of which discovering the actors (the parse included) 319 s,
frames 88 s, labels 48 s, sources 30 s, quotes 20 s; no table raised; peak memory 978 MB.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from pathlib import Path

import pandas as pd

from analysis import nlp as N
from analysis.corpus import load_corpus
from analysis.prefetch import TASKS, FramingPass


def build(devsets: Path, n_articles: int, per_story: int, seed: int = 0) -> pd.DataFrame:
    """``n_articles`` resampled dev articles as a docs table with ``per_story`` outlets per story."""
    base = load_corpus(devsets / "basil-dev")
    rng = random.Random(seed)
    texts = list(base["text"])
    rows = []
    for i in range(n_articles):
        paras = [p for p in texts[rng.randrange(len(texts))].split("\n") if p.strip()]
        k = max(1, int(len(paras) * rng.uniform(0.7, 1.0)))
        keep = sorted(rng.sample(range(len(paras)), k=k))
        if len(keep) > 3 and rng.random() < 0.5:
            keep = keep[:2] + rng.sample(keep[2:], k=len(keep) - 2)
        story = i // per_story
        rows.append({
            "doc_id": f"a{i:05d}", "event_id": f"s{story:04d}", "outlet": f"outlet {i % per_story}",
            "published": pd.NaT, "title": f"Story {story}", "text": "\n".join(paras[j] for j in keep),
        })
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("devsets", type=Path, help="the dev-set folder (holds basil-dev/)")
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--per-story", type=int, default=3)
    ap.add_argument("--n-boot", type=int, default=200, help="bootstrap replicates of tone and loaded language")
    args = ap.parse_args()

    docs = build(args.devsets, args.articles, args.per_story)
    n = len(docs)
    words = int(docs["text"].str.split().str.len().sum())
    print(f"{n} articles in {docs['event_id'].nunique()} stories, {words:,} words ({words / n:.0f} per article)")

    nlp = N.load_pipeline()
    texts = list(docs["text"])
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    raw = time.perf_counter() - t0
    print(f"raw nlp.pipe:            {raw:8.1f} s  {n / raw:7.1f} docs/s")

    N.clear_memo()
    t0 = time.perf_counter()
    per_task = dict.fromkeys(TASKS, 0.0)
    failed = 0
    for _, story in docs.groupby("event_id", sort=True):
        # source = the dev folder (it has no actors.yaml): every story's actors are discovered
        framing = FramingPass(story.reset_index(drop=True), actors="", source=str(args.devsets / "basil-dev"),
                              n_boot=args.n_boot, parallel=False)
        for name in TASKS:
            t1 = time.perf_counter()
            try:
                framing.result(name)
            except Exception:  # noqa: BLE001 - counted; the benchmark goes on
                failed += 1
            per_task[name] += time.perf_counter() - t1
    kit = time.perf_counter() - t0
    print(f"framing pass (parse incl.): {kit:8.1f} s  {n / kit:7.1f} docs/s  = {kit / raw:.2f}x the raw parse time")
    print("  by table: " + ", ".join(f"{k} {v:.1f} s" for k, v in per_task.items()))
    print(f"  tables that raised: {failed}")
    print(f"peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
