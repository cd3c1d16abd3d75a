"""The corpus comparison report at scale: the whole rendered report on many resampled articles.

Usage::

    nice -n 19 .venv/bin/python benchmarks/corpus_scale.py ../shared/devsets --articles 10000
    nice -n 19 .venv/bin/python benchmarks/corpus_scale.py ../shared/devsets --articles 1000 --engine dask

Builds a corpus of ``--articles`` articles from the BASIL development set
(``DEVSETS/basil-dev``, 30 stories x 3 outlets) in a temporary folder (never in the repository):
stories of three outlets (foxnews, nytimes, huffpost), each drawn from a BASIL story with its
three articles. A share ``--fresh`` of the articles (default 10 %) keep a random 60-95 % of their
body paragraphs, some reordered, so their texts differ from every other article (they must be
parsed); the others are the BASIL articles as they are (resampled whole, as a corpus of many
stories repeats wire copy). Dates are the BASIL story's date.

Then renders the full corpus report (``python -m analysis report CORPUS --scope corpus --out
DIR -p figure_formats png -p cache_dir CACHE``, plus ``-p engine dask`` with ``--engine dask``)
and samples the resident memory (RSS) of the whole process tree (the command line, the
kernel, figure helpers, Dask workers) every 0.5 s with psutil. Prints the wall time, the peak
of the tree's summed RSS, of its summed PSS (shared pages split) and of its largest process, and every section's status and seconds
(``tables/sections.csv``). ``--warm`` renders once first to fill the feature cache and times
the second run (the parse of the fresh texts is then read from the cache).

Measured on 10,000 articles (3,334 stories x 3 outlets, about 1,000 fresh texts plus the 90
BASIL texts; cold feature cache; pandas engine; n_boot 1000; PNG figures; 2-core machine
shared with another engineer's benchmarks, everything under ``nice -n 19``, load average
2-3), one row per change made to reach the 2 GB bound:

=====================================  ========  ==============  ==============  =============
run                                    wall      tree RSS (sum)  tree PSS (sum)  largest proc.
=====================================  ========  ==============  ==============  =============
as found                               stopped by hand after 7 min, in the actors section (each
                                       story's slice deep-copied ``attrs["input_files"]``, 10,000
                                       paths; keyness had taken the kernel to 1.27 GB)
``select_corpus`` drops attrs          1,092 s   2,943 MB        2,115 MB        1,526 MB
keyness as a sparse matrix             876 s     2,445 MB        1,877 MB        1,524 MB
framing parsed 16 texts per pipe      807 s     2,460 MB        1,986 MB        1,596 MB
the same, second render (warm cache)   727 s     2,273 MB        1,866 MB        1,471 MB
shown tables cut at 200 rows           882 s     2,433 MB        1,925 MB        1,531 MB
=====================================  ========  ==============  ==============  =============

Sections of the last run (seconds): findings (the per-article measures: parse and framing of
the distinct texts) 142, corpus 8, coverage 7, the four measure groups 3, keyness 37, actors
310, reuse 82, omission 184, story reports 0 (empty: "No story reports were rendered beside
this report"), method card 0; every other section ok. The
per-story sections (actors, reuse, omission) are linear in the stories and hold one story at a
time. Sampled per process during the warm render, the kernel peaked at 789 MB, the command
line at 528 MB and each figure helper at about 500 MB (mostly pages shared with the kernel);
the largest-process peak (1.5 GB) is a short-lived process at the end, most likely the HTML
export forked from the command line: the executed notebook is 4.4 MB, 2.1 MB of it the
3,334-row coverage table shown in the corpus section (not yet cut). The summed RSS counts
twice the pages the two figure helpers share copy-on-write with the kernel they were forked
from; the summed PSS splits them. The command line process itself holds about 480 MB: it loads
the whole corpus once to choose the report's scope (``analysis.report.resolve_scope``).
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd

OUTLETS = ("foxnews", "nytimes", "huffpost")


def build_corpus(devsets: Path, folder: Path, *, n_articles: int, fresh: float = 0.1, seed: int = 0) -> Path:
    """Write ``n_articles`` articles in stories of three outlets, resampled from ``devsets/basil-dev``.

    Parameters
    ----------
    devsets : Path
        The devsets folder (holds ``basil-dev/manifest.csv`` and its articles).
    folder : Path
        Where the corpus is written (``manifest.csv`` + one ``.txt`` per article).
    n_articles : int
        Articles in the corpus; stories hold three (the last one fewer when not a multiple of 3).
    fresh : float
        Share (0-1) of articles whose body paragraphs are resampled (new text).
    seed : int
        Seed of the draws.

    Returns
    -------
    Path
        ``folder``.
    """
    basil = devsets / "basil-dev"
    man = pd.read_csv(basil / "manifest.csv", dtype=str, keep_default_na=False)
    if man.empty:
        raise SystemExit(f"{basil / 'manifest.csv'} has no articles")
    if not 0 <= fresh <= 1:
        raise SystemExit(f"--fresh must be between 0 and 1 (got {fresh})")
    rng = random.Random(seed)
    stories = []
    for event, g in man.groupby("event_id", sort=True):
        arts = {r.outlet: r for r in g.itertuples()}
        if all(o in arts for o in OUTLETS):
            stories.append([arts[o] for o in OUTLETS])
    if not stories:
        raise SystemExit(f"no story of {basil} has all of {OUTLETS}")
    texts = {}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "articles").mkdir(exist_ok=True)
    rows = []
    n_stories = -(-n_articles // 3)
    for s in range(n_stories):
        arts = stories[rng.randrange(len(stories))]
        for art in arts[: min(3, n_articles - 3 * s)]:
            if art.path not in texts:
                texts[art.path] = (basil / art.path).read_text(encoding="utf-8")
            paras = [p for p in texts[art.path].split("\n\n") if p.strip()]
            head, body = paras[:1], paras[1:]
            if rng.random() < fresh and len(body) > 3:
                body = _batch_scale().resample_paragraphs(body, rng)
            doc_id = f"s{s:05d}-{art.outlet}"
            rows.append(_batch_scale().write_article(folder, f"articles/{doc_id}.txt", head + body, doc_id=doc_id,
                                                     event_id=f"story-{s:05d}", art=art))
    pd.DataFrame(rows).to_csv(folder / "manifest.csv", index=False)
    return folder


@functools.lru_cache(maxsize=1)
def _batch_scale() -> Any:
    """``benchmarks/batch_scale.py`` as a module (its paragraph resampling and article writing, one definition)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_bench_batch_scale", Path(__file__).resolve().parent / "batch_scale.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class TreeMemory:
    """Peak resident memory of a process and all its descendants, sampled every ``interval`` s.

    ``peak_total`` sums each process's RSS: an upper bound, since forked helpers (the figure
    savers) share the kernel's pages copy-on-write and RSS counts a shared page in each.
    ``peak_pss`` sums the proportional set size (Linux: a page shared by k processes counts
    1/k in each), the memory the tree really holds."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak_total = 0
        self.peak_pss = 0
        self.peak_single = 0
        self.peak_procs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        try:
            procs = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        total, pss, single = 0, 0, 0
        for p in procs:
            try:
                info = p.memory_full_info()
            except psutil.Error:
                continue
            total += info.rss
            pss += getattr(info, "pss", info.rss)
            single = max(single, info.rss)
        self.peak_total = max(self.peak_total, total)
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_single = max(self.peak_single, single)
        self.peak_procs = max(self.peak_procs, len(procs))

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def render(corpus: Path, out: Path, *, cache: Path, engine: str, n_boot: int, cwd: Path) -> tuple[float, TreeMemory, int, str]:
    """Render the corpus report once; wall seconds, the memory sampler, the exit code, stderr's end."""
    cmd = [sys.executable, "-m", "analysis", "-q", "report", str(corpus), "--scope", "corpus", "--out", str(out),
           "-p", "figure_formats", "png", "-p", "cache_dir", str(cache), "-p", "n_boot", str(n_boot)]
    if engine == "dask":
        cmd += ["-p", "engine", "dask"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeMemory(proc.pid) as mem:
        _stdout, stderr = proc.communicate()
    return time.perf_counter() - t0, mem, proc.returncode, stderr[-3000:]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("devsets", type=Path, help="the devsets folder (holds basil-dev/)")
    ap.add_argument("--articles", type=int, default=10000, help="articles in the corpus (default 10000)")
    ap.add_argument("--fresh", type=float, default=0.1, help="share of articles with resampled paragraphs (default 0.1)")
    ap.add_argument("--engine", choices=["pandas", "dask"], default="pandas")
    ap.add_argument("--n-boot", type=int, default=1000, help="bootstrap replicates of the report (default 1000)")
    ap.add_argument("--warm", action="store_true", help="render once to fill the cache, then time a second render")
    ap.add_argument("--keep", type=Path, default=None, help="keep the corpus and reports in this folder")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        root = args.keep.resolve() if args.keep else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        corpus = build_corpus(args.devsets.resolve(), root / "corpus", n_articles=args.articles, fresh=args.fresh)
        man = pd.read_csv(corpus / "manifest.csv")
        print(f"corpus: {len(man)} articles, {man['event_id'].nunique()} stories, {man['outlet'].nunique()} outlets, "
              f"fresh share {args.fresh:g}; written in {time.perf_counter() - t0:.1f} s to {corpus}", flush=True)
        load = os.getloadavg()
        print(f"load average at start: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} CPUs", flush=True)
        runs = ["cold", "warm"] if args.warm else ["cold"]
        for label in runs:
            out = root / f"report-{label}"
            t, mem, rc, err = render(corpus, out, cache=root / "cache", engine=args.engine, n_boot=args.n_boot, cwd=root)
            print(f"{label} cache, engine {args.engine}: {t:.1f} s wall; peak RSS of the process tree "
                  f"{mem.peak_total / 2**20:.0f} MB summed RSS, {mem.peak_pss / 2**20:.0f} MB summed PSS (largest process {mem.peak_single / 2**20:.0f} MB, "
                  f"up to {mem.peak_procs} processes); exit {rc}", flush=True)
            if rc != 0:
                sys.stderr.write(err)
                return 1
            sections = pd.read_csv(out / "tables" / "sections.csv", keep_default_na=False)
            for r in sections.itertuples():
                msg = f" - {r.message}" if r.message else ""
                print(f"  {r.section:22s} {r.status:6s} {float(r.seconds):8.1f} s{msg}")
        print(f"load average at end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
