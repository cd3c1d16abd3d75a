"""Command line: ``python -m analysis <command> …`` (also installed as ``media-compare``).

Commands
--------
report [SOURCE] [--event ID] [--scope story|corpus] [--out DIR] [-p NAME VALUE]...
    Render one comparison report (no SOURCE: the seed corpus -> ``reports/seeds``). A corpus of
    several stories gets the corpus report (outlets compared across stories, paired within each
    story) unless ``--event`` picks one story; ``--scope`` makes the choice explicit.
batch SOURCE --by event --jobs N [--engine local|dask] [--scheduler ADDRESS] [--out DIR] [-p NAME VALUE]...
    One report per story, N at a time on warm kernels (local processes or Dask tasks),
    resumable, with ``index.html``; figures in PNG only unless ``-p figure_formats ...``.
features [SOURCE] [--engine pandas|dask] [--scheduler ADDRESS] [--workers N] [--batch-size N] [--cache DIR] [--out FILE.csv]
    Per-document features (readability, lexical diversity) of a corpus of any size: streamed in
    batches, cached, on pandas or on a Dask cluster; identical results on both engines.
terms [SOURCE] [--engine ...] [--out FILE.csv]
    Term counts per outlet over a whole corpus (the reduction keyness needs).
params [--scope story|corpus]
    List the report template's parameters with types, defaults and help.

Bad input exits with status 2 and a one-line message (no traceback), also for a read-only or full
disk; a failed batch story exits 1. Control characters in messages (from ids or file names) are
shown escaped, never sent raw to the terminal. ``--out FILE.csv`` never writes onto or into the
corpus and never replaces a file that is not the kit's own unchanged output (marked by
``FILE.csv.kit.json`` beside it). Reports go to ``./reports/`` of the working directory by
default. SIGTERM stops a run cleanly (kernel and helper processes end, the unfinished folder
is removed). Heavy modules (papermill, matplotlib) are imported only when a command runs.
"""

from __future__ import annotations

import argparse
import logging
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis.errors import KitError, ParameterError

__all__ = ["build_parser", "main", "safe_text"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def safe_text(text: object) -> str:
    """``text`` fit for a terminal: control characters and escape sequences shown as ``\\xNN``.

    Tabs are kept; newlines are shown as ``\\n`` so a message stays on one line.
    """
    s = str(text).replace("\n", "\\n")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", s)


class _SafeFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return "\n".join(safe_text(line) for line in super().format(record).split("\n"))


def _prog() -> str:
    """How the command was called: ``media-compare`` (the console script) or ``python -m analysis``."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return name if name and name not in ("__main__.py", "-c", "-m") and not name.endswith(".py") else "python -m analysis"


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the command line (``prog``: the name shown in help; default: as called)."""
    parser = argparse.ArgumentParser(
        prog=prog or _prog(),
        description="Compare how news outlets covered the same story: reports, batches, parameters.",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="only print errors and the result path")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    rep = sub.add_parser("report", help="render one comparison report (default: the seed corpus)", description="Render one comparison report: executed notebook, reader HTML, full HTML, figures/, tables/, manifest.json.")
    rep.add_argument("source", nargs="?", default=None, help="corpus folder (manifest.csv + texts) or .csv/.jsonl/.parquet; default: the seeds")
    rep.add_argument("--event", default=None, help="event_id of one story: its story report (without it, a corpus of several stories gets the corpus report)")
    rep.add_argument("--scope", default=None, choices=["story", "corpus"], help="story: one story's report (needs --event when the corpus has several); corpus: outlets compared across all stories (default: corpus when the corpus has several stories and no --event)")
    rep.add_argument("--out", default=None, help="report folder (default: ./reports/<name> in the working directory)")
    rep.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"), help="notebook parameter (see `params`); repeatable")

    bat = sub.add_parser("batch", help="one report per story, N at a time, resumable", description="One report per story, N at a time; failures are recorded and the rest continue; finished reports are skipped on re-run; writes index.html.")
    bat.add_argument("source", help="corpus folder or file with several stories")
    bat.add_argument("--by", default="event", choices=["event"], help="what a story is (default: event)")
    bat.add_argument("--jobs", "-j", type=int, default=2, help="reports rendered in parallel (default 2)")
    bat.add_argument("--out", default=None, help="parent folder of the reports (default: ./reports/<source>-batch)")
    bat.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"), help="notebook parameter for every report; repeatable. Figures are saved as PNG only in a batch unless given, e.g. -p figure_formats pdf,svg,png")
    bat.add_argument("--engine", default="local", choices=["local", "dask"], help="local: a pool of N processes; dask: one Dask task per story (default local)")
    bat.add_argument("--scheduler", default=None, metavar="ADDRESS", help="with --engine dask: an existing Dask scheduler, e.g. tcp://host:8786, whose workers see the same paths (default: a local cluster of --jobs workers)")

    def _scale_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("source", nargs="?", default=None, help="corpus folder or .csv/.jsonl/.parquet file; default: the seeds")
        p.add_argument("--engine", default="pandas", choices=["pandas", "dask"], help="where batches run (default pandas)")
        p.add_argument("--scheduler", default=None, metavar="ADDRESS", help="existing Dask scheduler, e.g. tcp://host:8786 (default: a local cluster)")
        p.add_argument("--workers", type=int, default=None, help="workers of the local Dask cluster (default 2)")
        p.add_argument("--batch-size", type=int, default=1000, help="documents per batch (default 1000)")
        p.add_argument("--out", default=None, help="CSV file to write, outside the corpus; an existing file is replaced only if the kit wrote it (default: print a summary only)")

    fea = sub.add_parser("features", help="per-document features of any corpus size (pandas or Dask)", description="Per-document readability and lexical-diversity features, streamed in batches, cached, on pandas or Dask (identical results).")
    _scale_options(fea)
    fea.add_argument("--cache", default=None, metavar="DIR", help="feature cache folder (re-runs recompute nothing unchanged)")
    fea.add_argument("--sets", default="readability,diversity", help="comma-separated feature sets (default: readability,diversity)")
    ter = sub.add_parser("terms", help="term counts per outlet over a whole corpus", description="Term counts summed per outlet over all documents (a streamed or Dask reduction).")
    _scale_options(ter)

    for p in (rep, bat, fea, ter):  # -q is accepted after the command too
        p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="only print errors and the result path")

    par = sub.add_parser("params", help="list the report template's parameters", description="List the parameters of notebooks/outlet_comparison.ipynb (or, with --scope corpus, notebooks/corpus_comparison.ipynb).")
    par.add_argument("--scope", default="story", choices=["story", "corpus"], help="which report's parameters (default story)")
    return parser


def _scale_inputs(args: argparse.Namespace) -> list[Path]:
    """The input paths of a features/terms run (the source, its manifest when a folder)."""
    from analysis.corpus import SEEDS_DIR

    src = Path(args.source).expanduser() if args.source else SEEDS_DIR
    inputs = [src]
    if src.is_dir():
        inputs.append(src / "manifest.csv")
    return inputs


def _run_scale(args: argparse.Namespace) -> int:
    from analysis import features, output

    out: Path | None = None
    if args.out:
        out = Path(args.out)
        if out.suffix.lower() != ".csv":
            raise ParameterError(f"--out: {out.name} must end in .csv (e.g. --out features.csv)")
        output.check_output_file(out, inputs=_scale_inputs(args))  # before any work
    common = dict(engine=args.engine, scheduler=args.scheduler, n_workers=args.workers, batch_size=args.batch_size, progress=not args.quiet)
    if args.command == "features":
        sets = [s.strip() for s in args.sets.split(",") if s.strip()]
        table = features.document_features(args.source, sets=sets, cache_dir=args.cache, **common)
    else:
        table = features.outlet_term_counts(args.source, **common)
    if out is not None:
        about = {"command": args.command, "source": str(args.source or "seeds"), "engine": args.engine}
        print(output.write_table_file(table, out, inputs=_scale_inputs(args), about=about))
    else:
        print(f"{len(table):,} rows x {table.shape[1]} columns (use --out FILE.csv to save them)")
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.command in ("features", "terms"):
        return _run_scale(args)
    from analysis import report

    if args.command == "params":
        for name, spec in report.notebook_parameters(report.template_for(args.scope)).items():
            print(f"{name}: {spec['type']} = {spec['default']!r}  # {spec['help']}")
        return 0
    if args.command == "report":
        scope = args.scope or ("story" if args.event else None)
        if scope is None:  # several stories and no --event: the corpus report; one story: the story report
            raw = {name: value for name, value in args.parameter}
            allow = str(raw.get("allow_outside", "false")).strip().lower() in ("true", "1", "yes", "on")
            scope = report.resolve_scope(args.source, None, None, {"allow_outside": allow})
        template = report.template_for(scope)
        params = report.coerce_parameters([tuple(p) for p in args.parameter], template) if args.parameter else {}
        chosen = {"scope": scope} if args.scope or scope == "corpus" else {}
        path = report.render_report(args.source, event=args.event, out=args.out, params=params, progress=not args.quiet, **chosen)
        print(safe_text(path))
        return 0
    params = report.coerce_parameters([tuple(p) for p in args.parameter]) if args.parameter else {}
    if args.command == "batch":
        table = report.batch(
            args.source, by=args.by, jobs=args.jobs, out=args.out, params=params, progress=not args.quiet,
            engine=args.engine, scheduler=args.scheduler,
        )
        failed = table[table["status"] == "failed"]
        for row in failed.itertuples(index=False):
            print(f"failed: {safe_text(row.event)}: {safe_text(row.error)}", file=sys.stderr)
        print(safe_text(Path(table.attrs["root"]) / "index.html"))
        return 1 if len(failed) else 0
    return 0


def _quiet_dask() -> None:
    """Silence Dask's and distributed's information logs (they configure logging at import)."""
    import os

    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")  # read when dask is imported
    if "dask" in sys.modules:
        import dask

        dask.config.set({"logging.distributed": "error"})
    for noisy in ("distributed", "dask", "tornado", "bokeh", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


def _on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds: the kernel is stopped and unfinished folders removed


def _os_error(exc: OSError) -> str:
    where = exc.filename if exc.filename is not None else ""
    reason = exc.strerror or str(exc)
    hint = ""
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = "; free some space or choose another --out/--cache folder"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "; choose a writable --out/--cache folder"
    return f"{reason}: {where}{hint}" if where else f"{reason}{hint}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 some batch stories failed, 2 bad
    input or a disk error, 130 interrupted, 143 terminated)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from analysis.report import lean_imports

    lean_imports()
    if args.command is None:
        parser.print_help()
        return 2
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_SafeFormatter("%(message)s"))
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, handlers=[handler])
    for noisy in ("papermill", "traitlets", "nbconvert"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if args.quiet:
        _quiet_dask()
    previous = None
    if _in_main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _run(args)
    except KitError as exc:
        print(f"error: {safe_text(exc)}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {safe_text(_os_error(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _in_main_thread() -> bool:
    """True in the main thread (where signal handlers can be set)."""
    import threading

    return threading.current_thread() is threading.main_thread()
