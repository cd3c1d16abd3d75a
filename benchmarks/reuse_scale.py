"""Reuse at scale: time and peak memory of ``coverage`` and ``shared_passages`` on long stories.

A story is five articles (five outlets, one event) whose sentences are drawn with replacement
from a pool: the seed articles' sentences (default) or, with ``--dev PATH``, the sentences of
a development corpus folder (e.g. ``../shared/devsets/basil-dev``), read in place. Each article
draws 80 % of its sentences from "its own" source article and 20 % from all of them, so the
outlets share wording as wire copy does. Stories of ``--sizes`` kilobytes (default 100, 1000,
5000) are measured.

Every measurement runs in a fresh child process, which reports the wall time of the call and
its peak resident memory (``ru_maxrss``, which includes the interpreter and the libraries:
about 150 MB before any work). ``--before REV`` also measures the module as it was at git
revision REV (read with ``git show``), for the sizes up to ``--before-max-kb`` (default 1000);
the before-run of the 5 MB story would ask for 7 GiB, so it is run under a 3 GiB address-space
limit and reported as failing when it does.

    .venv/bin/python benchmarks/reuse_scale.py [--sizes 100 1000 5000] [--before 63f145d]
        [--dev ../shared/devsets/basil-dev] [--functions coverage shared_passages]

Measured on the shared 2-core machine (other jobs running; seconds are rough), "before" =
63f145d (dense sentence × sentence matrix; exact runs from a loop over every equal-hash pair):

    seed sentences        now: s / peak RSS       before: s / peak RSS
    coverage     100 kB    2.5 / 153 MB            2.8 / 152 MB   (same 44 units)
    coverage       1 MB    6.2 / 188 MB           14.2 / 753 MB   (same 44 units)
    coverage       5 MB   18.7 / 338 MB           MemoryError under a 3 GiB limit (asks 7 GiB)
    shared_pass. 100 kB    1.5 / 142 MB            1.9 / 140 MB
    shared_pass.   1 MB   11.5 / 307 MB           34.5 / 413 MB
    shared_pass.   5 MB   24.3 / 360 MB           (not run)

    BASIL dev sentences
    coverage       1 MB   11.3 / 200 MB           39.5 / 1312 MB  (same 934 units, checked equal)
    coverage       5 MB   31.4 / 373 MB           MemoryError under a 3 GiB limit
    shared_pass.   1 MB    5.0 / 194 MB            6.3 / 204 MB
    shared_pass.   5 MB   22.2 / 408 MB           (not run)

Resampled stories repeat each sentence tens of times per article; there ``shared_passages``
now finds fewer exact runs (an 8-gram repeated more than ``max_repeats`` = 10 times in one
article seeds none), which is what bounds its cost. On the seeds and on news-length
resampled corpora its output is unchanged (tests/test_reuse.py).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def story(kilobytes: int, *, dev: str | None = None, seed: int = 0):
    """Five articles totalling about ``kilobytes`` kB of resampled sentences (one event)."""
    import pandas as pd

    from analysis.corpus import load_corpus
    from analysis.stats import rng
    from analysis.text import sentences

    with warnings.catch_warnings():  # a dev manifest's column names are as its authors had them
        warnings.simplefilter("ignore")
        source = load_corpus(dev) if dev else load_corpus()
    pools = [p for p in (sentences(t) for t in source["text"]) if p]
    everything = [s for p in pools for s in p]
    g = rng(seed)
    per_doc = kilobytes * 1000 // 5
    rows = []
    for d in range(5):
        own = pools[d % len(pools)]
        picks: list[str] = []
        size = 0
        while size < per_doc:
            pool = own if g.random() < 0.8 else everything
            s = pool[int(g.integers(0, len(pool)))]
            picks.append(s)
            size += len(s) + 1
        paras = [" ".join(picks[j : j + 3]) for j in range(0, len(picks), 3)]
        rows.append(
            {
                "doc_id": f"d{d}",
                "event_id": "long_story",
                "outlet": f"outlet_{d}",
                "text": "\n\n".join(paras),
            }
        )
    return pd.DataFrame(rows)


def child(func: str, kilobytes: int, dev: str | None, module_file: str | None) -> None:
    """Run one measurement and print it as JSON (in a fresh process)."""
    if module_file:
        import importlib.util

        spec = importlib.util.spec_from_file_location("reuse_before", module_file)
        mod = importlib.util.module_from_spec(spec)
        sys.modules["reuse_before"] = mod  # dataclasses look their module up
        spec.loader.exec_module(mod)
    else:
        from analysis import reuse as mod
    docs = story(kilobytes, dev=dev)
    n_chars = int(docs["text"].str.len().sum())
    t = time.perf_counter()
    result: dict = {"func": func, "kb": kilobytes, "chars": n_chars}
    try:
        if func == "coverage":
            cov = mod.coverage(docs)
            result["units"] = len(cov.units)
            result["sentences"] = int(cov.units["n_sentences"].sum())
        else:
            out = mod.shared_passages(docs)
            result["passages"] = len(out)
            result["exact"] = int((out["kind"] == "exact").sum())
        result["ok"] = True
    except MemoryError:
        result["ok"] = False
        result["error"] = "MemoryError"
    result["seconds"] = round(time.perf_counter() - t, 2)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result))


def measure(func: str, kb: int, dev: str | None, module_file: str | None, limit_gb: float | None) -> dict:
    cmd = [sys.executable, __file__, "--child", func, str(kb)]
    if dev:
        cmd += ["--dev", dev]
    if module_file:
        cmd += ["--module-file", module_file]

    def limit() -> None:
        if limit_gb:
            cap = int(limit_gb * 2**30)
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    proc = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=limit, cwd=REPO)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode or not lines:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"func": func, "kb": kb, "ok": False, "error": tail[:120]}
    return json.loads(lines[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000], help="story sizes in kB")
    ap.add_argument("--functions", nargs="+", default=["coverage", "shared_passages"])
    ap.add_argument("--dev", help="corpus folder whose sentences are resampled (default: the seeds)")
    ap.add_argument("--before", help="git revision of analysis/reuse.py to compare with")
    ap.add_argument("--before-max-kb", type=int, default=1000)
    ap.add_argument("--child", nargs=2, metavar=("FUNC", "KB"), help=argparse.SUPPRESS)
    ap.add_argument("--module-file", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.dev, args.module_file)
        return

    before_file = None
    if args.before:
        text = subprocess.run(
            ["git", "show", f"{args.before}:analysis/reuse.py"], capture_output=True, text=True, check=True, cwd=REPO
        ).stdout
        tmp = tempfile.NamedTemporaryFile("w", suffix="_reuse_before.py", delete=False)
        tmp.write(text)
        tmp.close()
        before_file = tmp.name

    print(f"{'function':16} {'story':>8} {'version':>8} {'seconds':>8} {'peak RSS':>9}  result")
    for func in args.functions:
        for kb in args.sizes:
            runs = [("now", None, None)]
            if before_file:
                if kb <= args.before_max_kb:
                    runs.append((args.before, before_file, None))
                elif func == "coverage":
                    runs.append((args.before, before_file, 3.0))
            for label, module_file, limit_gb in runs:
                r = measure(func, kb, args.dev, module_file, limit_gb)
                if r.get("ok"):
                    what = ", ".join(
                        f"{k}={r[k]}" for k in ("sentences", "units", "passages", "exact") if k in r
                    )
                    print(
                        f"{func:16} {kb:>6}kB {label:>8} {r['seconds']:>8.2f} {r['peak_rss_mb']:>7.0f}MB  {what}"
                    )
                else:
                    note = f" (limit {limit_gb} GiB)" if limit_gb else ""
                    print(f"{func:16} {kb:>6}kB {label:>8} {'-':>8} {'-':>9}  failed{note}: {r.get('error')}")
                sys.stdout.flush()


if __name__ == "__main__":
    main()
