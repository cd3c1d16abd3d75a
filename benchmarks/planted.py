"""Planted differences: does the corpus comparison find a change put into one outlet, and nothing else?

Usage::

    python benchmarks/planted.py ../shared/devsets/basil-dev --seeds 20
    python benchmarks/planted.py ../shared/devsets/basil-dev --scale 10000

Design (every run): the corpus's real stories are resampled with replacement (as many stories
as the corpus has), and in each drawn story its articles are dealt at random to the outlets
``outlet_a, outlet_b, ...`` (as many as the story's articles; stories with fewer articles than
outlets are skipped). Outlet labels are therefore exchangeable: an unchanged corpus has no
real outlet difference, so any finding is a false finding. In the planted corpus of the same
seed, every article dealt to ``outlet_a`` ends with one added paragraph quoting an anonymous
source. The full pipeline runs on both (:func:`analysis.corpus_report.story_measures`,
``paired_differences`` with Holm's correction or ``--correction bh``, ``findings``):

* detection rate = share of seeds whose planted corpus has a finding on ``share_anonymous``
  with ``outlet_a`` higher than another outlet (target 100 %);
* false-finding rate = share of seeds whose unchanged corpus has any finding (target <= 5 %).

Parses and per-article measures go to a feature cache (``--cache``), so a second run is fast;
articles that occur in several drawn stories are measured once.

``--stories N`` draws N stories per corpus instead of as many as the corpus has (more stories,
more power; the null stays exact because outlet labels are dealt at random within each drawn
story).

``--scale N`` instead times the pipeline on N articles resampled (whole articles, with
replacement, into stories of three outlets) from the corpus, and prints the time and the peak
resident memory (the process's ``ru_maxrss``).

Measured on basil-dev (30 stories x 3 outlets; 2-core machine shared with other jobs), planted
paragraph below, Holm's correction over 69 comparisons (3 pairs x 23 measures), n_boot 2000:

==========================  ===============  ===================
stories per corpus          detection rate   false-finding rate
==========================  ===============  ===================
30 (the corpus), 50 seeds   36/50 = 72 %     0/50 = 0 %
30, first 20 seeds          12/20 = 60 %     0/20 (BH: 13/20, 0/20)
60, 20 seeds                19/20 = 95 %     1/20 = 5 %
90, 20 seeds                20/20 = 100 %    0/20 = 0 %
100, 20 seeds               20/20 = 100 %    0/20 = 0 %
100, 40 seeds               40/40 = 100 %    1/40 = 2.5 %
==========================  ===============  ===================

100 stories is the issue's example corpus ("across these 100 stories"; BASIL's full corpus has
100 events); here they are drawn with replacement from the 30 development stories, so
``--stories 100 --seeds 40`` (seeds 0-39, 130 s with a warm cache) is the run behind the last
row. The planted change is named in every seed; of its 80 comparisons (outlet_a against
outlet_b and outlet_c) 77 reached the smallest q the test can give (p = 1/10,000 from 9,999
sign patterns, times 69 comparisons: q = 0.0069), two q = 0.0136, and one (seed 28, against
one of the two outlets) q = 0.32, so detection in both pairs is 39/40. The one false finding (seed 37) is a
lexical-diversity (MTLD) difference between two unchanged outlets; the same seed's planted
corpus shows it too, and seed 39's planted corpus has one more MTLD finding: 2 findings
beyond the planted measure in 40 planted corpora. Holm's correction holds the family-wise
error rate at 5 %, and 1/40 is within it. Nothing was tuned to reach these rows: the test,
the correction and the planted paragraph are those of the 30-story rows.

One added anonymous quotation among an article's ~16 raises its share of anonymous sources by
about 0.05, while the three articles of one story differ by about 0.11 (SD of the per-story
difference): with 30 stories a paired t-test gives p from 0.0004 to 0.1 over four seeds inspected,
mostly short of the ~0.0007 that 69 comparisons require.

``--scale 10000``: 9,999 articles (3,333 stories, whole BASIL articles resampled, so 90
distinct texts measured from the warm cache): 72 s wall, 20 s CPU, peak RSS 1.2 GB.
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

#: The added paragraph: one anonymous direct quotation, with no frame-dictionary word, no loaded
#: word and a VADER compound of 0 (tests/test_corpus_stats.py checks this).
PLANT = '"We are looking at it," a senior official said on condition of anonymity.'
PLANTED_MEASURE = "share_anonymous"


def _outlets(k: int) -> list[str]:
    return [f"outlet_{chr(ord('a') + i)}" for i in range(k)]


def resample_stories(docs: pd.DataFrame, *, seed: int, n_outlets: int = 3, plant: str | None = None,
                     n_stories: int | None = None) -> pd.DataFrame:
    """Stories drawn with replacement, their articles dealt at random to anonymous outlets."""
    g = np.random.default_rng(seed)
    groups = [grp for _e, grp in docs.groupby("event_id", sort=True) if len(grp) >= n_outlets]
    if not groups:
        raise SystemExit(f"no story has {n_outlets} articles; use fewer outlets")
    n = n_stories or len(groups)
    names = _outlets(n_outlets)
    rows = []
    for k, gi in enumerate(g.integers(0, len(groups), size=n)):
        grp = groups[int(gi)]
        picks = g.permutation(len(grp))[:n_outlets]
        for outlet, i in zip(names, picks):
            r = grp.iloc[int(i)]
            text = r["text"]
            if plant and outlet == names[0]:
                text = text + "\n\n" + plant
            rows.append(dict(doc_id=f"s{k:05d}-{outlet}", event_id=f"s{k:05d}", outlet=outlet,
                             title=r.get("title", ""), text=text))
    return pd.DataFrame(rows)


def _pipeline(docs: pd.DataFrame, cache: str | None, n_boot: int, correction: str = "holm"
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    from analysis.corpus_report import findings, outlet_estimates, paired_differences, story_measures

    table = story_measures(docs, cache_dir=cache)
    pw = paired_differences(table, n_boot=n_boot, seed=0, correction=correction)
    return pw, findings(pw, outlet_estimates(table, n_boot=n_boot, seed=0))


def planted(source: str, *, seeds: int, cache: str, n_boot: int, n_outlets: int, n_stories: int | None,
            correction: str = "holm") -> int:
    from analysis.corpus import load_corpus

    docs = load_corpus(source)
    detected, false_runs, extra = 0, 0, 0
    p_planted: list[float] = []
    t0 = time.perf_counter()
    for seed in range(seeds):
        pw, found = _pipeline(resample_stories(docs, seed=seed, n_outlets=n_outlets, plant=PLANT,
                                                    n_stories=n_stories), cache, n_boot, correction)
        hit = found[(found["measure"] == PLANTED_MEASURE) & (found["outlet_a"] == "outlet_a")]
        detected += bool(len(hit))
        others = found[~found["measure"].isin([PLANTED_MEASURE, "quotes_per_1k_words"])]
        extra += len(others)
        sel = pw[(pw["measure"] == PLANTED_MEASURE) & (pw["outlet_a"] == "outlet_a")]
        p_planted.extend(sel["q"].tolist())
        _pw0, null = _pipeline(resample_stories(docs, seed=seed, n_outlets=n_outlets, n_stories=n_stories),
                              cache, n_boot, correction)
        false_runs += bool(len(null))
        print(f"seed {seed:3d}: planted {'found' if len(hit) else 'MISSED'} ({len(hit)} of {n_outlets - 1} pairs; "
              f"q {', '.join(f'{q:.3g}' for q in sel['q'])}); other findings {len(others)}"
              + (f" ({', '.join(others['measure'])})" if len(others) else "") + "; "
              f"unchanged corpus: {len(null)} finding(s)"
              + (f" [{'; '.join(null['sentence'].head(2))}]" if len(null) else ""), flush=True)
    n_drawn = n_stories or docs.groupby("event_id").size().ge(n_outlets).sum()
    print(f"\n{source}: {seeds} seeds, {n_drawn} stories drawn from {docs['event_id'].nunique()} "
          f"({len(docs)} articles), {n_outlets} outlets, correction {correction}, n_boot={n_boot}")
    print(f"detection rate   {detected}/{seeds} = {100 * detected / seeds:.0f} % (target 100 %)")
    print(f"false-finding rate {false_runs}/{seeds} = {100 * false_runs / seeds:.0f} % (target <= 5 %)")
    print(f"findings on other measures in planted corpora: {extra} (beyond {PLANTED_MEASURE} and quotes_per_1k_words)")
    print(f"median q of the planted comparisons: {np.median(p_planted):.3g}")
    print(f"time {time.perf_counter() - t0:.1f} s")
    return 0


def scale(source: str, *, n_docs: int, cache: str, n_boot: int) -> int:
    from analysis.corpus import load_corpus

    docs = load_corpus(source)
    n_stories = max(1, -(-n_docs // 3))
    big = resample_stories(docs, seed=0, n_outlets=3, n_stories=n_stories)
    t0, c0 = time.perf_counter(), time.process_time()
    pw, found = _pipeline(big, cache, n_boot)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(big)} articles ({big['event_id'].nunique()} stories x 3 outlets, resampled whole articles from "
          f"{len(docs)}; distinct texts measured once, cache {cache})")
    print(f"story measures + outlet estimates + {len(pw)} paired differences + findings: {elapsed:.1f} s "
          f"({cpu:.1f} s CPU); "
          f"peak RSS {peak:.0f} MB; {len(found)} findings")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", help="corpus folder with several stories, e.g. ../shared/devsets/basil-dev")
    ap.add_argument("--seeds", type=int, default=20, help="planted/unchanged corpus pairs (default 20)")
    ap.add_argument("--outlets", type=int, default=3, help="outlets per story (default 3)")
    ap.add_argument("--n-boot", type=int, default=2000, help="bootstrap replicates (default 2000)")
    ap.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "kit-planted-cache"),
                    help="feature cache folder (default: a folder in the temp directory)")
    ap.add_argument("--correction", choices=["holm", "bh"], default="holm",
                    help="correction for multiple comparisons (default holm)")
    ap.add_argument("--stories", type=int, default=0,
                    help="stories drawn per corpus (default: as many as the corpus has)")
    ap.add_argument("--scale", type=int, default=0, help="time the pipeline on this many resampled articles instead")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    logging.basicConfig(level=logging.WARNING)
    if args.scale:
        return scale(args.source, n_docs=args.scale, cache=args.cache, n_boot=args.n_boot)
    return planted(args.source, seeds=args.seeds, cache=args.cache, n_boot=args.n_boot, n_outlets=args.outlets,
                   n_stories=args.stories or None, correction=args.correction)


if __name__ == "__main__":
    sys.exit(main())
