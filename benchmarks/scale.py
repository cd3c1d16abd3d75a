"""Scale benchmark: Dask worker scaling, streaming memory, warm-cache speed-up.

Prints, for the full per-document feature pass (readability + diversity):

1. throughput (documents/second) with 1 and 2 Dask workers on ``--n-docs`` documents
   (default 20,000) read by the workers from a Parquet file, and the 2-vs-1 scaling ratio;
2. peak resident memory of the streaming pandas path on ``--n-stream`` documents (default
   200,000), measured in a child process (``ru_maxrss``);
3. wall time of a first run with an empty feature cache and a second run with a warm cache on
   the ``--n-docs`` corpus, and the ratio.

The corpora are seed sentences resampled with a fixed seed (analysis.synthetic), written to a
temporary folder in chunks so that the generator never holds the large corpus in memory.

    .venv/bin/python benchmarks/scale.py [--n-docs 20000] [--n-stream 200000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def write_parquet(path: Path, n_docs: int, *, chunk: int = 5000, seed: int = 0) -> None:
    from analysis.synthetic import resampled_corpus

    writer = None
    for i, start in enumerate(range(0, n_docs, chunk)):
        part = resampled_corpus(min(chunk, n_docs - start), seed=seed + i)
        part["doc_id"] = [f"d{start + j:07d}" for j in range(len(part))]
        part["event_id"] = [f"event_{(start + j) // 5:06d}" for j in range(len(part))]
        table = pa.Table.from_pandas(part, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table, row_group_size=1000)
    writer.close()


def dask_throughput(path: Path, n_workers: int, batch_size: int) -> float:
    from distributed import Client, LocalCluster

    from analysis.features import document_features

    with LocalCluster(
        n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as cluster, Client(cluster) as client:
        client.run(lambda: __import__("analysis.features") and None)  # warm imports on workers
        document_features(path.parent / "warm.parquet", engine="dask", scheduler=cluster.scheduler_address, batch_size=100)
        t = time.perf_counter()
        out = document_features(path, engine="dask", scheduler=cluster.scheduler_address, batch_size=batch_size)
        elapsed = time.perf_counter() - t
    return len(out) / elapsed


STREAM_CHILD = """
import resource, sys, time
from analysis.features import document_features
t = time.perf_counter()
out = document_features(sys.argv[1], batch_size=int(sys.argv[2]))
print(len(out), time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n-docs", type=int, default=20_000)
    ap.add_argument("--n-stream", type=int, default=200_000)
    ap.add_argument("--batch-size", type=int, default=500)
    ap.add_argument("--skip-stream", action="store_true", help="skip the 200k streaming-memory run")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus.parquet"
        t = time.perf_counter()
        write_parquet(corpus, args.n_docs)
        write_parquet(tmp / "warm.parquet", 200, seed=999)
        print(f"built {args.n_docs:,} documents in {time.perf_counter() - t:.1f} s")

        # 1. Dask scaling
        one = dask_throughput(corpus, 1, args.batch_size)
        two = dask_throughput(corpus, 2, args.batch_size)
        print(f"dask, 1 worker : {one:8.1f} docs/s")
        print(f"dask, 2 workers: {two:8.1f} docs/s")
        print(f"scaling 1 -> 2 workers: {two / one:.2f}x (target >= 1.7x)")

        # 3. warm cache
        from analysis.features import document_features

        cache = tmp / "cache"
        t = time.perf_counter()
        document_features(corpus, cache_dir=cache, batch_size=args.batch_size)
        cold = time.perf_counter() - t
        t = time.perf_counter()
        document_features(corpus, cache_dir=cache, batch_size=args.batch_size)
        warm = time.perf_counter() - t
        print(f"cache: first run {cold:.1f} s, warm run {warm:.2f} s -> {cold / warm:.1f}x faster (target >= 20x)")

        # 2. streaming memory
        if not args.skip_stream:
            big = tmp / "big.parquet"
            t = time.perf_counter()
            write_parquet(big, args.n_stream, seed=100)
            print(f"built {args.n_stream:,} documents for streaming in {time.perf_counter() - t:.1f} s")
            res = subprocess.run(
                [sys.executable, "-c", STREAM_CHILD, str(big), str(args.batch_size)],
                capture_output=True, text=True, check=True,
            )
            n, secs, maxrss_kb = res.stdout.split()
            print(
                f"streaming pandas path: {int(n):,} docs in {float(secs):.0f} s "
                f"({int(n) / float(secs):.0f} docs/s), peak RSS {int(maxrss_kb) / 1024:.0f} MiB (target < 2048 MiB)"
            )


if __name__ == "__main__":
    main()
