"""Benchmark: the kit's parse pass (:func:`analysis.nlp.parse`) against raw ``nlp.pipe``.

Run with ``python benchmarks/parse.py [CORPUS]`` (options: ``--repeats 3``,
``--batch-size 64``). Texts: the seed articles and, when a corpus path is given (e.g.
``../shared/devsets/basil-dev``), its articles read with :func:`analysis.corpus.load_corpus`.

For each set of texts, cold runs (no cache; the in-process memory cleared before every kit
run) alternate raw ``nlp.pipe(texts)`` and the kit's ``parse(texts)`` on the same pipeline
and ``batch_size`` (raw first in even pairs, kit first in odd ones), so both see the same
machine load; printed: documents per second of each,
and the ratio kit/raw of every interleaved pair (target >= 0.90) with their median. The kit's
extra work is the hand-over of its sentences (segmenting, then one bulk write of the
sentence starts) and emptying the context vectors; it is also timed alone. Then the cache:
a first ``parse(texts, cache_dir=...)`` (parse + write), a second one after the memory is
cleared (every parse read from disk) and a third from memory.

Prints figures only (no checks). On a shared 2-core machine expect +-10 % between runs;
the ratios are the figure to compare.

Reference runs (2 cores shared with other work, batch_size 64, 4 interleaved pairs): seed
articles (5 docs, 13,895 characters) ratio kit/raw median 1.05 wall, 1.02 CPU; BASIL dev (90
docs, 325,606 characters) median 0.99 wall (pairs 0.78-1.25: the machine's load), 0.985 CPU
(pairs 0.92-1.17). The sentence hand-over costs under 1 % of a raw run (1.4 s against 1.0 s
for tokenising alone, next to 40-60 s of parsing). Serialising a parse for the cache: 11-25
ms/doc; warm from disk 44-90 docs/s (19-40x faster than parsing); from memory a few ms for
all 90.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from analysis import nlp as N
from analysis.corpus import load_corpus


def _timed(func) -> float:
    t0 = time.perf_counter()
    func()
    return time.perf_counter() - t0


def _timed_both(func) -> tuple[float, float]:
    """Wall-clock and CPU seconds of this process (CPU time is less disturbed by other load)."""
    c0, t0 = time.process_time(), time.perf_counter()
    func()
    return time.perf_counter() - t0, time.process_time() - c0


def bench(name: str, texts: list[str], *, repeats: int, batch_size: int) -> None:
    nlp = N.load_pipeline()
    n = len(texts)
    chars = sum(map(len, texts))
    print(f"\n== {name}: {n} documents, {chars:,} characters, batch_size {batch_size}")

    def run_raw() -> None:
        raw.append(_timed_both(lambda: list(nlp.pipe(texts, batch_size=batch_size))))

    def run_kit() -> None:
        N.clear_memo()
        kit.append(_timed_both(lambda: N.parse(texts, batch_size=batch_size)))

    raw: list[tuple[float, float]] = []
    kit: list[tuple[float, float]] = []
    for i in range(repeats):  # the order alternates within pairs, so a drift in load cancels
        for run in (run_raw, run_kit) if i % 2 == 0 else (run_kit, run_raw):
            run()
    N.clear_memo()
    raw_times, kit_times = [w for w, _ in raw], [w for w, _ in kit]
    ratios = [r / k for r, k in zip(raw_times, kit_times)]
    cpu_ratios = [r[1] / k[1] for r, k in zip(raw, kit)]
    print(f"raw nlp.pipe : {', '.join(f'{n / t:6.2f}' for t in raw_times)} docs/s wall (best {n / min(raw_times):.2f}); "
          f"{', '.join(f'{n / c:6.2f}' for _, c in raw)} docs per CPU second")
    print(f"kit parse()  : {', '.join(f'{n / t:6.2f}' for t in kit_times)} docs/s wall (best {n / min(kit_times):.2f}); "
          f"{', '.join(f'{n / c:6.2f}' for _, c in kit)} docs per CPU second")
    print(f"ratio kit/raw, wall: {', '.join(f'{x:.3f}' for x in ratios)} (median {statistics.median(ratios):.3f}); "
          f"CPU: {', '.join(f'{x:.3f}' for x in cpu_ratios)} (median {statistics.median(cpu_ratios):.3f}); target >= 0.90")

    handover = min(_timed(lambda: [N._kit_doc(nlp, t) for t in texts]) for _ in range(3))
    tokenise = min(_timed(lambda: [nlp.make_doc(t) for t in texts]) for _ in range(3))
    print(
        f"hand-over alone: {handover:.3f} s (tokeniser alone {tokenise:.3f} s); "
        f"extra work {100 * (handover - tokenise) / statistics.median(raw_times):.1f} % of a raw run"
    )

    parsed = N.parse(texts, batch_size=batch_size)
    serialise = _timed(lambda: [N._to_bytes(d) for d in parsed])
    print(f"serialising the parses for the cache alone: {serialise:.3f} s ({1000 * serialise / n:.1f} ms/doc)")
    with tempfile.TemporaryDirectory() as cache_dir:
        N.clear_memo()
        first = _timed(lambda: N.parse(texts, cache_dir=cache_dir, batch_size=batch_size))
        N.clear_memo()
        disk = _timed(lambda: N.parse(texts, cache_dir=cache_dir, batch_size=batch_size))
        memo = _timed(lambda: N.parse(texts, cache_dir=cache_dir, batch_size=batch_size))
    N.clear_memo()
    print(
        f"cache: first run (parse + write) {first:.2f} s = {n / first:.2f} docs/s; "
        f"warm from disk {disk:.3f} s = {n / disk:.0f} docs/s ({min(kit_times) / disk:.0f}x faster than parsing); "
        f"from memory {memo * 1000:.1f} ms"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", help="a corpus folder or file (e.g. ../shared/devsets/basil-dev)")
    ap.add_argument("--repeats", type=int, default=3, help="interleaved raw/kit pairs per text set")
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args()

    t0 = time.perf_counter()
    nlp = N.load_pipeline()
    print(f"pipeline loaded in {time.perf_counter() - t0:.2f} s: {N.pipeline_info()}")
    list(nlp.pipe(["Warm-up text. Another sentence."]))
    N.parse(["Warm-up text for the kit. Another sentence."])

    bench("seed articles", load_corpus()["text"].tolist(), repeats=args.repeats, batch_size=args.batch_size)
    if args.corpus:
        bench(args.corpus, load_corpus(args.corpus)["text"].tolist(), repeats=args.repeats, batch_size=args.batch_size)


if __name__ == "__main__":
    main()
