"""How long a report takes, against the floor set by starting a kernel and importing the kit.

1. Wall time of ``python -m analysis report`` on the seeds, and of ``papermill`` running a
   notebook that holds only the report template's imports (same interpreter, same run). The
   ratio shows what the report itself costs on top of kernel start + imports (target <= 3x).
2. Time per report of ``python -m analysis batch --jobs 2`` on a corpus of at least 50 stories,
   built from the seed articles: each story gets 5 outlets whose texts are seed articles with
   their paragraphs dropped and reordered (seeded), so every story differs.

Usage::

    .venv/bin/python benchmarks/report.py [--repeat 3] [--stories 50] [--jobs 2] [--skip-batch]

Prints the figures; writes only to a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pandas as pd

from analysis.corpus import SEEDS_DIR
from analysis.report import TEMPLATE


def _imports_only_notebook(path: Path) -> Path:
    """A notebook with just the template's import statements (and ``%matplotlib inline``)."""
    import ast

    nb = nbformat.read(TEMPLATE, as_version=4)
    lines = ["%matplotlib inline"]
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        code = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith("%"))
        for node in ast.parse(code).body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                lines.append(ast.unparse(node))
    out = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("\n".join(dict.fromkeys(lines)))])
    out.metadata = nb.metadata
    nbformat.write(out, path)
    return path


def _timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr[-3000:])
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}")
    return dt


def build_corpus(folder: Path, *, n_stories: int, seed: int = 0) -> Path:
    """Write ``n_stories`` stories x 5 outlets derived from the seed articles (manifest + texts)."""
    rng = random.Random(seed)
    man = pd.read_csv(SEEDS_DIR / "manifest.csv", dtype=str, keep_default_na=False)
    texts = {row.doc_id: (SEEDS_DIR / row.path).read_text(encoding="utf-8") for row in man.itertuples()}
    rows = []
    folder.mkdir(parents=True, exist_ok=True)
    for s in range(n_stories):
        for row in man.itertuples():
            paras = [p for p in texts[row.doc_id].split("\n") if p.strip()]
            keep = sorted(rng.sample(range(len(paras)), k=max(6, int(len(paras) * rng.uniform(0.6, 0.95)))))
            if rng.random() < 0.5:
                keep = keep[:2] + rng.sample(keep[2:], k=len(keep) - 2)
            doc_id = f"s{s:03d}-{row.doc_id}"
            name = f"{doc_id}.txt"
            (folder / name).write_text("\n".join(paras[i] for i in keep) + "\n", encoding="utf-8")
            rows.append({"doc_id": doc_id, "event_id": f"story-{s:03d}", "outlet": row.outlet, "published": row.published, "title": row.title, "path": name, "language": "en"})
    pd.DataFrame(rows).to_csv(folder / "manifest.csv", index=False)
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stories", type=int, default=50)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3, help="report/imports-only pairs to time (median reported)")
    ap.add_argument("--skip-batch", action="store_true")
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        tmp = Path(tmp)
        empty = _imports_only_notebook(tmp / "imports_only.ipynb")
        # warm the file cache once so neither side pays the first-read cost
        _timed([py, "-m", "papermill", "--no-progress-bar", str(empty), str(tmp / "warm.ipynb")])
        load = os.getloadavg()[0]
        empties, reports = [], []
        for i in range(args.repeat):  # interleaved, so both sides see the same machine load
            empties.append(_timed([py, "-m", "papermill", "--no-progress-bar", str(empty), str(tmp / "imports_out.ipynb")]))
            reports.append(_timed([py, "-m", "analysis", "-q", "report", "--out", str(tmp / "seeds")]))
        t_empty, t_report = statistics.median(empties), statistics.median(reports)
        pair_ratios = [r / e for r, e in zip(reports, empties, strict=True)]
        print(f"load average at start: {load:.2f} on {os.cpu_count()} CPUs; median of {args.repeat} run(s)")
        print(f"imports-only notebook (papermill): {t_empty:6.1f} s   {[round(t, 1) for t in empties]}")
        print(f"report on the seeds (CLI):         {t_report:6.1f} s   {[round(t, 1) for t in reports]}")
        print(f"ratio report / imports-only:       {t_report / t_empty:6.2f} x   (target <= 3x); "
              f"per interleaved pair: {[round(r, 2) for r in pair_ratios]}")
        if args.skip_batch:
            return
        corpus = build_corpus(tmp / "corpus", n_stories=args.stories)
        t_batch = _timed([py, "-m", "analysis", "-q", "batch", str(corpus), "--by", "event", "--jobs", str(args.jobs), "--out", str(tmp / "batch")])
        status = pd.read_csv(tmp / "batch" / "batch.csv", keep_default_na=False)
        n_ok = int((status["status"] == "complete").sum())
        print(f"batch: {len(status)} stories x 5 outlets, --jobs {args.jobs}: {t_batch:6.1f} s total, "
              f"{t_batch / len(status):5.1f} s per report ({n_ok} complete, {len(status) - n_ok} failed)")
        if n_ok:
            per = status.loc[status["status"] == "complete", "seconds"]
            print(f"  single report inside the batch: median {per.median():.1f} s, max {per.max():.1f} s")


if __name__ == "__main__":
    main()
