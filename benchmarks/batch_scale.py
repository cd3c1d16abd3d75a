"""Batch reports at scale: 100 stories against the floor of one imports-only notebook.

Builds ``--stories`` stories of three outlets each from the BASIL development articles
(``DEVSETS/basil-dev``): the first stories are BASIL's own events as they are; the rest resample
them (seeded: each article keeps a random 60-95 % of its body paragraphs, some reordered), so
every story differs and has the size of a real one (about 3 x 600 words). The corpus is written
to a temporary folder only; nothing is copied into the repository.

Then times, on the same machine and in the same run:

1. ``papermill`` running a notebook that holds only the story template's imports (median of
   ``--repeat`` runs before and ``--repeat`` runs after the batch): the cost of one kernel
   start plus imports;
2. ``python -m analysis batch CORPUS --jobs N`` (warm kernels, PNG figures): total and per
   story, and the ratio total / imports-only (target: at most 50x for 100 stories);
3. with ``--dask``: the same batch with ``--engine dask`` on a local cluster of 1 and 2 workers.

Usage::

    .venv/bin/python benchmarks/batch_scale.py ../shared/devsets --stories 100 --jobs 2 [--dask]
    .venv/bin/python benchmarks/batch_scale.py ../shared/devsets --stories 10      # quick mode

Prints the figures (and the load average, since the machine may be shared).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

_HERE = Path(__file__).resolve().parent


def _imports_only_notebook(path: Path) -> Path:
    """The imports-only notebook of ``benchmarks/report.py`` (same definition, one place)."""
    spec = importlib.util.spec_from_file_location("_bench_report", _HERE / "report.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod._imports_only_notebook(path)


def resample_paragraphs(body: list[str], rng: random.Random) -> list[str]:
    """A random 60-95 % of ``body``'s paragraphs (at least 3), in order; half the time the
    paragraphs after the second are shuffled. Seeded by ``rng``: the same draws every run."""
    k = max(3, int(len(body) * rng.uniform(0.6, 0.95)))
    keep = sorted(rng.sample(range(len(body)), k=k))
    if rng.random() < 0.5:
        keep = keep[:2] + rng.sample(keep[2:], k=len(keep) - 2)
    return [body[i] for i in keep]


def write_article(folder: Path, name: str, paras: list[str], *, doc_id: str, event_id: str, art: Any) -> dict[str, str]:
    """Write ``paras`` (blank-line separated) to ``folder/name``; return its manifest row (outlet,
    date and title from the BASIL manifest row ``art``)."""
    (folder / name).write_text("\n\n".join(paras) + "\n", encoding="utf-8")
    return {"doc_id": doc_id, "event_id": event_id, "outlet": art.outlet, "published": art.date, "title": art.title, "path": name}


def build_stories(devsets: Path, folder: Path, *, n_stories: int, seed: int = 0) -> Path:
    """Write ``n_stories`` stories x 3 outlets resampled from ``devsets/basil-dev`` (manifest + texts)."""
    basil = devsets / "basil-dev"
    man = pd.read_csv(basil / "manifest.csv", dtype=str, keep_default_na=False)
    if man.empty:
        raise SystemExit(f"{basil / 'manifest.csv'} has no articles")
    rng = random.Random(seed)
    events = sorted(man["event_id"].unique())
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for s in range(n_stories):
        event = events[s % len(events)]
        resample = s >= len(events)
        for art in man[man["event_id"] == event].itertuples():
            text = (basil / art.path).read_text(encoding="utf-8")
            paras = [p for p in text.split("\n\n") if p.strip()]
            head, body = paras[:1], paras[1:]
            if resample and len(body) > 3:
                body = resample_paragraphs(body, rng)
            doc_id = f"s{s:03d}-{art.outlet}"
            rows.append(write_article(folder, f"{doc_id}.txt", head + body, doc_id=doc_id, event_id=f"story-{s:03d}", art=art))
    pd.DataFrame(rows).to_csv(folder / "manifest.csv", index=False)
    return folder


def _timed(cmd: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    dt = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr[-3000:])
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}")
    return dt


def _batch(py: str, corpus: Path, out: Path, jobs: int, extra: list[str], cwd: Path) -> tuple[float, pd.DataFrame]:
    t = _timed([py, "-m", "analysis", "-q", "batch", str(corpus), "--by", "event", "--jobs", str(jobs), "--out", str(out), *extra], cwd)
    return t, pd.read_csv(out / "batch.csv", keep_default_na=False)


def _line(label: str, t: float, status: pd.DataFrame, t_empty: float) -> str:
    n_ok = int((status["status"] == "complete").sum())
    per = status.loc[status["status"] == "complete", "seconds"]
    inside = f"; one story inside: median {per.median():.1f} s, max {per.max():.1f} s" if n_ok else ""
    return (f"{label}: {len(status)} stories, {t:7.1f} s total, {t / len(status):5.1f} s per story, "
            f"{t / t_empty:5.1f}x the imports-only notebook ({n_ok} complete, {len(status) - n_ok} failed){inside}")


def _where_time_goes(status: pd.DataFrame) -> str:
    """Mean seconds per step of a story (from each report's manifest) and its five slowest sections."""
    import json

    steps: dict[str, list[float]] = {}
    sections: list[pd.DataFrame] = []
    for path in status.loc[status["status"] == "complete", "path"]:
        manifest = json.loads((Path(path) / "manifest.json").read_text(encoding="utf-8"))
        for step, sec in manifest.get("timings_s", {}).items():
            key = "running the notebook" if step.startswith("running ") else step
            steps.setdefault(key, []).append(float(sec))
        table = Path(path) / "tables" / "sections.csv"
        if table.is_file():
            sections.append(pd.read_csv(table, keep_default_na=False)[["section", "seconds"]])
    if not steps:
        return "  (no complete story)"
    lines = ["  mean per story: " + ", ".join(f"{k} {statistics.mean(v):.1f} s" for k, v in steps.items())]
    if sections:
        top = pd.concat(sections).groupby("section")["seconds"].mean().sort_values(ascending=False).head(5)
        lines.append("  slowest sections (mean s): " + ", ".join(f"{k} {v:.1f}" for k, v in top.items()))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("devsets", type=Path, help="the devsets folder (holds basil-dev/)")
    ap.add_argument("--stories", type=int, default=100, help="stories in the batch (10 for a quick run)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3, help="imports-only runs before and again after the batch (median of all reported)")
    ap.add_argument("--dask", action="store_true", help="also run the batch on Dask with 1 and 2 workers")
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        tmp = Path(tmp)
        corpus = build_stories(args.devsets.resolve(), tmp / "corpus", n_stories=args.stories)
        empty = _imports_only_notebook(tmp / "imports_only.ipynb")
        papermill = [py, "-m", "papermill", "--no-progress-bar", str(empty), str(tmp / "imports_out.ipynb")]
        _timed(papermill, tmp)  # warm the file cache once
        load = os.getloadavg()
        # the floor is timed before and after the batch: a shared machine's speed drifts over
        # the minutes a batch takes, and the ratio should not depend on when the floor was taken
        before = [_timed(papermill, tmp) for _ in range(args.repeat)]
        print(f"load average at start: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} CPUs")
        t, status = _batch(py, corpus, tmp / "batch", args.jobs, [], tmp)
        after = [_timed(papermill, tmp) for _ in range(args.repeat)]
        empties = before + after
        t_empty = statistics.median(empties)
        print(f"imports-only notebook (papermill): {t_empty:.1f} s (median of {[round(x, 1) for x in before]} before "
              f"and {[round(x, 1) for x in after]} after the batch)")
        print(_line(f"batch --jobs {args.jobs} (local, warm kernels)", t, status, t_empty))
        print(_where_time_goes(status))
        print(f"  target for 100 stories: <= 50x ({50 * t_empty:.0f} s here); this run scaled to 100 stories: "
              f"{t / len(status) * 100 / t_empty:.1f}x")
        if args.dask:
            for workers in (1, 2):
                t, status = _batch(py, corpus, tmp / f"dask{workers}", workers, ["--engine", "dask"], tmp)
                print(_line(f"batch --engine dask, {workers} worker(s)", t, status, t_empty))
                print(_where_time_goes(status))
        print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
