"""Command line: ``python -m analysis <command> …`` (also installed as ``media-compare``).

Commands
--------
report [SOURCE] [--event ID] [--out DIR] [-p NAME VALUE]...
    Render one comparison report (no SOURCE: the seed corpus -> ``reports/seeds``).
batch SOURCE --by event --jobs N [--out DIR] [-p NAME VALUE]...
    One report per story, N at a time, resumable, with ``index.html``.
features [SOURCE] [--engine pandas|dask] [--scheduler ADDRESS] [--workers N] [--batch-size N] [--cache DIR] [--out FILE.csv]
    Per-document features (readability, lexical diversity) of a corpus of any size: streamed in
    batches, cached, on pandas or on a Dask cluster; identical results on both engines.
terms [SOURCE] [--engine ...] [--out FILE.csv]
    Term counts per outlet over a whole corpus (the reduction keyness needs).
params
    List the report template's parameters with types, defaults and help.

Bad input exits with status 2 and a one-line message (no traceback); a failed batch story exits 1.
Heavy modules (papermill, matplotlib) are imported only when a command runs.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from analysis.errors import KitError, ParameterError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m analysis``."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Compare how news outlets covered the same story: reports, batches, parameters.",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="only print errors and the result path")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    rep = sub.add_parser("report", help="render one comparison report (default: the seed corpus)", description="Render one comparison report: executed notebook, reader HTML, full HTML, figures/, tables/, manifest.json.")
    rep.add_argument("source", nargs="?", default=None, help="corpus folder (manifest.csv + texts) or .csv/.jsonl/.parquet; default: the seeds")
    rep.add_argument("--event", default=None, help="event_id of the story (needed when the corpus has several)")
    rep.add_argument("--out", default=None, help="report folder (default: reports/<name>)")
    rep.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"), help="notebook parameter (see `params`); repeatable")

    bat = sub.add_parser("batch", help="one report per story, N at a time, resumable", description="One report per story, N at a time; failures are recorded and the rest continue; finished reports are skipped on re-run; writes index.html.")
    bat.add_argument("source", help="corpus folder or file with several stories")
    bat.add_argument("--by", default="event", choices=["event"], help="what a story is (default: event)")
    bat.add_argument("--jobs", "-j", type=int, default=2, help="reports rendered in parallel (default 2)")
    bat.add_argument("--out", default=None, help="parent folder of the reports (default: reports/<source>-batch)")
    bat.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"), help="notebook parameter for every report; repeatable")

    def _scale_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("source", nargs="?", default=None, help="corpus folder or .csv/.jsonl/.parquet file; default: the seeds")
        p.add_argument("--engine", default="pandas", choices=["pandas", "dask"], help="where batches run (default pandas)")
        p.add_argument("--scheduler", default=None, metavar="ADDRESS", help="existing Dask scheduler, e.g. tcp://host:8786 (default: a local cluster)")
        p.add_argument("--workers", type=int, default=None, help="workers of the local Dask cluster (default 2)")
        p.add_argument("--batch-size", type=int, default=1000, help="documents per batch (default 1000)")
        p.add_argument("--out", default=None, help="CSV file to write (default: print a summary only)")

    fea = sub.add_parser("features", help="per-document features of any corpus size (pandas or Dask)", description="Per-document readability and lexical-diversity features, streamed in batches, cached, on pandas or Dask (identical results).")
    _scale_options(fea)
    fea.add_argument("--cache", default=None, metavar="DIR", help="feature cache folder (re-runs recompute nothing unchanged)")
    fea.add_argument("--sets", default="readability,diversity", help="comma-separated feature sets (default: readability,diversity)")
    ter = sub.add_parser("terms", help="term counts per outlet over a whole corpus", description="Term counts summed per outlet over all documents (a streamed or Dask reduction).")
    _scale_options(ter)

    for p in (rep, bat, fea, ter):  # -q is accepted after the command too
        p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="only print errors and the result path")

    sub.add_parser("params", help="list the report template's parameters", description="List the parameters of notebooks/outlet_comparison.ipynb.")
    return parser


def _run_scale(args: argparse.Namespace) -> int:
    from pathlib import Path

    from analysis import features, output

    if args.out and Path(args.out).suffix.lower() != ".csv":
        raise ParameterError(f"--out: {Path(args.out).name} must end in .csv (e.g. --out features.csv)")
    common = dict(engine=args.engine, scheduler=args.scheduler, n_workers=args.workers, batch_size=args.batch_size, progress=not args.quiet)
    if args.command == "features":
        sets = [s.strip() for s in args.sets.split(",") if s.strip()]
        table = features.document_features(args.source, sets=sets, cache_dir=args.cache, **common)
    else:
        table = features.outlet_term_counts(args.source, **common)
    if args.out:
        out = Path(args.out)
        print(output.save_table(table, out.stem, out.parent or "."))
    else:
        print(f"{len(table):,} rows x {table.shape[1]} columns (use --out FILE.csv to save them)")
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.command in ("features", "terms"):
        return _run_scale(args)
    from analysis import report

    if args.command == "params":
        for name, spec in report.notebook_parameters().items():
            print(f"{name}: {spec['type']} = {spec['default']!r}  # {spec['help']}")
        return 0
    params = report.coerce_parameters([tuple(p) for p in args.parameter]) if args.parameter else {}
    if args.command == "report":
        path = report.render_report(args.source, event=args.event, out=args.out, params=params, progress=not args.quiet)
        print(path)
        return 0
    if args.command == "batch":
        table = report.batch(args.source, by=args.by, jobs=args.jobs, out=args.out, params=params, progress=not args.quiet)
        failed = table[table["status"] == "failed"]
        for row in failed.itertuples(index=False):
            print(f"failed: {row.event}: {row.error}", file=sys.stderr)
        print(report.Path(table.attrs["root"]) / "index.html")
        return 1 if len(failed) else 0
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 some batch stories failed, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(message)s", stream=sys.stderr)
    for noisy in ("papermill", "traitlets", "nbconvert"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return _run(args)
    except KitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
