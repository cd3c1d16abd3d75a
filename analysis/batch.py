"""One report per story, at scale: warm kernels, a local process pool or Dask, resumable.

``batch(source, jobs=N)`` renders every story of a corpus with the story template. Each worker
(a spawned process of the local pool, or a Dask worker thread) keeps one Jupyter kernel alive
and renders its stories one after the other on it (:class:`WarmKernel`): between two stories the
kernel's namespace is cleared (``%reset -f``), every open figure is closed, the execution counter
is set back to 1, warnings already shown are shown again and the working directory moves to the
next story's folder, so a story rendered in a batch gives the same tables as the story rendered
alone, without paying the kernel start and the imports again. A story whose kernel fails, crashes or hangs (cell timeout) is recorded as
failed and its kernel replaced by a fresh one; the batch goes on.

Finished stories are kept as they finish (each story is written to a hidden ``.partial`` folder
and renamed when complete), so a batch that is stopped, or whose Dask worker is lost, loses
nothing that finished; a re-run skips every story whose folder holds a complete report.

``analysis.report.batch`` is a thin wrapper around :func:`batch`.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import KitError, NotEnoughData, ParameterError

__all__ = ["BATCH_FIGURE_FORMATS", "ENGINES", "WarmKernel", "batch"]

log = logging.getLogger(__name__)

#: figure formats of a batch report unless ``figure_formats`` is given (PNG only: no PDF or SVG
#: to lay out and write for every figure of every story)
BATCH_FIGURE_FORMATS = "png"
#: where the stories run: ``local`` (a pool of spawned processes) or ``dask`` (Dask tasks)
ENGINES = ("local", "dask")

_RESET_CODE = """\
def _kit_reset(shell=get_ipython()):
    import gc
    collect = gc.collect
    gc.collect = lambda *args, **kwargs: 0  # %reset collects twice; once, below, is enough
    try:
        shell.run_line_magic('reset', '-f')
    finally:
        gc.collect = collect
_kit_reset()
import gc as _kit_gc, os as _kit_os, sys as _kit_sys, warnings as _kit_warnings
if 'matplotlib.pyplot' in _kit_sys.modules:
    _kit_sys.modules['matplotlib.pyplot'].close('all')
_kit_gc.collect()  # the last story's objects, figures included
_kit_gc.freeze()  # what outlives a story (module caches) is not walked again by later collections
_kit_warnings.onceregistry.clear()
_kit_warnings.simplefilter('default', append=True)  # same filters; every warning shows again, as in a new kernel
_kit_os.chdir({cwd!r})
get_ipython().execution_count = 1
del _kit_gc, _kit_os, _kit_sys, _kit_warnings
"""


#: Run once in each new batch kernel, before its first story:
#:
#: - load the English pipeline, so that the framing pass of every story (a process forked from
#:   the kernel, :mod:`analysis.prefetch`) starts with spaCy and the model in memory instead of
#:   importing and loading them again (about 3 s of CPU per story). A missing pipeline is not
#:   an error here: the story's framing sections then report it;
#: - import the modules the story template imports ({modules}), as every story after the first
#:   finds them anyway;
#: - make the kernel save each figure itself (``analysis.output.BACKGROUND_SAVING``): with
#:   every core busy with a story, helper processes would only add the cost of pickling the
#:   figures; files and outputs are the same;
#: - fork a framing helper per story only when the batch leaves a core idle
#:   (``analysis.prefetch.HELPER``, :func:`framing_helper_useful`); otherwise the kernel
#:   computes the framing tables itself, the same tables without the cost of the fork;
#: - read the lexicons of the framing pass (:data:`WARM_LOADERS`: the loaded-word list, the
#:   subjectivity and VADER lexicons, VADER's analyser, the first-name table, the frame
#:   dictionary and its compiled matcher), each cached once
#:   per process, so that the framing pass forked for every story finds them in memory
#:   instead of reading and parsing them again (about 0.1 s of CPU per story);
#: - move everything loaded so far out of the garbage collector's reach (``gc.freeze``): the
#:   model, the libraries and their caches live as long as the kernel, yet every full
#:   collection (one per story at least, in ``%reset``) walked all of them again, about 0.3 s
#:   of CPU per story. Between stories (:data:`_RESET_CODE`) the kernel collects once, after
#:   closing the figures (``%reset`` alone collects twice), and freezes what survived.
#: ``(module, function)``: cached loaders the warm code calls once per batch kernel
WARM_LOADERS: tuple[tuple[str, str], ...] = (
    ("analysis.framing.loaded", "_word_list"),
    ("analysis.framing.loaded", "_subjectivity"),
    ("analysis.framing.loaded", "_valence"),
    ("analysis.framing.tone", "_analyzer"),
    ("analysis.framing.gender", "first_name_table"),
    ("analysis.framing.frames", "warm"),
)

_WARM_CODE = """\
import gc as _kit_gc, importlib as _kit_importlib
import analysis.output as _kit_output, analysis.prefetch as _kit_prefetch
_kit_output.BACKGROUND_SAVING = False
_kit_prefetch.HELPER = {framing_helper!r}
try:
    import analysis.nlp as _kit_nlp
    _kit_nlp.load_pipeline()
except Exception:
    pass
for _kit_m in {modules!r}:
    try:
        _kit_importlib.import_module(_kit_m)
    except Exception:
        pass
for _kit_m, _kit_f in {loaders!r}:
    try:
        getattr(_kit_importlib.import_module(_kit_m), _kit_f)()
    except Exception:
        pass
_kit_gc.collect()
_kit_gc.freeze()
"""


def template_imports(template: str | os.PathLike[str]) -> list[str]:
    """The modules a notebook's code cells import (``import x`` and ``from x import y``), in order.

    Parameters
    ----------
    template : path
        A notebook file.

    Returns
    -------
    list of str
        Module names, first occurrence first; relative imports and cells that are not valid
        Python (magics) are skipped, line by line.
    """
    import ast
    import json

    cells = json.loads(Path(template).read_text(encoding="utf-8")).get("cells", [])
    names: list[str] = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        src = "".join(cell.get("source", []))
        for line in src.splitlines():
            if not line.startswith(("import ", "from ")):
                continue
            try:
                tree = ast.parse(line)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.Import):
                    names += [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.append(node.module)
    return list(dict.fromkeys(names))


def _warm_code(framing_helper: bool = True) -> str:
    from analysis.report import TEMPLATE

    return _WARM_CODE.format(modules=template_imports(TEMPLATE), loaders=WARM_LOADERS, framing_helper=bool(framing_helper))


def _cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - platforms without affinity
        return os.cpu_count() or 1


def framing_helper_useful(jobs: int, cores: int | None = None) -> bool:
    """Whether each story's framing pass should run in a helper process beside its kernel.

    Only when the batch leaves a core idle (``jobs < cores``): the helper then parses while the
    kernel draws. With as many workers as cores, every core already renders a story; a helper
    would only take turns with them and add the cost of forking (copy-on-write pages in the
    kernel and the helper, about half a second of CPU per story), so the kernel computes the
    framing tables itself. The tables are the same either way.
    """
    return jobs < (cores if cores is not None else _cores())


class WarmKernel:
    """One Jupyter kernel kept alive across the stories rendered by one worker.

    Passed to :func:`analysis.report.render_report` as ``kernels=``: the report asks
    :meth:`acquire` for a kernel (started on first use, or again after the last one was
    stopped), runs its notebook on it and gives it back with :meth:`release`. A report that
    fails stops the kernel (``report._stop_kernel``), so the next story gets a fresh one.

    Parameters
    ----------
    reset_timeout : float
        Seconds allowed for the kernel to boot and clear its namespace before a story.
    """

    def __init__(self, *, reset_timeout: float = 120.0, framing_helper: bool = True) -> None:
        self.km: Any = None
        #: whether the kernel's stories fork a helper for their framing pass
        #: (:data:`analysis.prefetch.HELPER`; see :func:`framing_helper_useful`)
        self.framing_helper = framing_helper
        self.kernel_name: str | None = None
        self.reset_timeout = reset_timeout
        self.home = Path(tempfile.mkdtemp(prefix="analysis-kernel-"))
        #: kernels started so far (1 when every story ran on the same kernel)
        self.n_started = 0
        #: stories prepared on the current kernel
        self.n_stories = 0
        #: True after :meth:`close` (a closed instance starts no kernel)
        self.closed = False

    def _alive(self) -> bool:
        from analysis.report import _run_async

        km = self.km
        if km is None or not km.has_kernel:
            return False

        async def alive() -> bool:
            return bool(await km.is_alive())

        try:
            return bool(_run_async(alive))
        except Exception:  # noqa: BLE001 - a broken manager counts as dead
            return False

    def acquire(self, kernel: str, *, cwd: Path, quiet: bool = True) -> Any:
        """A running kernel with a clean namespace whose working directory is ``cwd``.

        Returns
        -------
        jupyter_client.AsyncKernelManager
            The manager of the worker's kernel (started now when there is none or it died).
        """
        from analysis import report

        if self.closed:
            raise RuntimeError("this WarmKernel was closed; make a new one")
        if self.km is not None and (kernel != self.kernel_name or not self._alive()):
            self.discard()
        if self.km is None:
            self.km = report._start_kernel(kernel, cwd=self.home, quiet=quiet)
            self.kernel_name = kernel
            self.n_started += 1
            self.n_stories = 0
        try:
            if self.n_stories == 0:
                self._execute(_warm_code(self.framing_helper))
            self._reset(cwd)
        except BaseException:
            self.discard()
            raise
        self.n_stories += 1
        return self.km

    def _reset(self, cwd: Path) -> None:
        """Clear the namespace, close figures, counter back to 1, ``chdir`` to ``cwd``."""
        self._execute(_RESET_CODE.format(cwd=str(cwd)))

    def _execute(self, code: str) -> None:
        """Run ``code`` silently in the kernel; raise ``ReportError`` when it fails."""
        from analysis.report import ReportError, _run_async

        km = self.km
        timeout = self.reset_timeout

        async def reset() -> dict[str, Any]:
            kc = km.client()
            kc.start_channels()
            try:
                await kc.wait_for_ready(timeout=timeout)
                return await kc.execute_interactive(code, silent=True, store_history=False, timeout=timeout, allow_stdin=False)
            finally:
                kc.stop_channels()

        reply = _run_async(reset)
        content = reply.get("content", {}) if isinstance(reply, dict) else {}
        if content.get("status") != "ok":
            raise ReportError(f"could not prepare the batch kernel: {content.get('ename', '')}: {content.get('evalue', '')}")

    def release(self, km: Any) -> None:
        """Take the kernel back after a finished story (closes the story's client channels)."""
        from analysis.report import _close_clients

        if km is not None:
            _close_clients(km)

    def discard(self) -> None:
        """Stop the current kernel (if any); the next :meth:`acquire` starts a new one."""
        from analysis.report import _stop_kernel

        km, self.km = self.km, None
        if km is not None:
            with contextlib.suppress(Exception):
                _stop_kernel(km, now=True)

    def close(self) -> None:
        """Stop the kernel and remove its home folder."""
        self.closed = True
        self.discard()
        shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> WarmKernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_local = threading.local()
_OPEN: list[WarmKernel] = []  # this process's worker kernels
_OPEN_LOCK = threading.Lock()


def _worker_kernel() -> WarmKernel:
    """This thread's warm kernel (one per batch worker; stopped when the process exits)."""
    wk = getattr(_local, "kernel", None)
    if wk is None or wk.closed:
        wk = WarmKernel(framing_helper=_FRAMING_HELPER)
        _local.kernel = wk
        with _OPEN_LOCK:
            _OPEN.append(wk)
        atexit.register(wk.close)
    return wk


def _close_worker_kernels() -> int:
    """Stop every worker kernel of this process (run on each Dask worker when a batch ends).

    Returns
    -------
    int
        Kernels closed.
    """
    with _OPEN_LOCK:
        kernels = list(_OPEN)
        _OPEN.clear()
    for wk in kernels:
        wk.close()
    return len(kernels)


def render_story(source: str, event: str, out: str, params: dict[str, Any], *, kernels: WarmKernel | None = None) -> dict[str, Any]:
    """Render one story of a batch; never raises for a failing story.

    Parameters
    ----------
    source, event, out, params
        As :func:`analysis.report.render_report` (``params`` already validated).
    kernels : WarmKernel, optional
        The kernel to reuse; default: this worker thread's own.

    Returns
    -------
    dict
        ``event``, ``status`` (``complete`` / ``failed``), ``path`` (report folder, empty when
        failed), ``error`` (message, empty when none), ``seconds`` (wall time of this story).
    """
    from analysis.report import render_report

    wk = kernels if kernels is not None else _worker_kernel()
    t0 = time.perf_counter()
    try:
        path = render_report(source, event=event, out=out, params=params, progress=False, _check_story=False, kernels=wk)
        return {"event": event, "status": "complete", "path": str(path), "error": "", "seconds": time.perf_counter() - t0}
    except KitError as exc:
        return {"event": event, "status": "failed", "path": "", "error": str(exc), "seconds": time.perf_counter() - t0}
    except Exception as exc:  # noqa: BLE001 - one story must never stop the batch
        wk.discard()
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return {"event": event, "status": "failed", "path": "", "error": tb, "seconds": time.perf_counter() - t0}


def _pool_story(source: str, event: str, out: str, params: dict[str, Any]) -> dict[str, Any]:
    """A local pool worker's story (:func:`render_story`), then one garbage collection and a
    ``gc.freeze`` of what survived: the modules, templates and caches a worker loads for its
    first story are not walked again by the collections of every later one. Only in the
    pool's own processes, never in the caller's or a Dask worker's."""
    import gc

    try:
        return render_story(source, event, out, params)
    finally:
        gc.collect()
        gc.freeze()


#: Whether the kernels this process starts for a batch fork a framing helper per story (a
#: local pool worker is told by the batch; see :func:`framing_helper_useful`).
_FRAMING_HELPER = True


def _pool_worker_init(parent_pid: int, framing_helper: bool = True) -> None:
    """Start of a local pool worker: end with the batch process; lean imports."""
    from analysis.report import _worker_init

    global _FRAMING_HELPER
    _FRAMING_HELPER = framing_helper
    _worker_init(parent_pid)


def _run_local(src: Path, todo: list[str], folders: dict[str, Path], user: dict[str, Any], jobs: int, bar: Any) -> list[dict[str, Any]]:
    from concurrent.futures import ProcessPoolExecutor, as_completed
    import multiprocessing as mp

    from analysis.report import _error_summary, _stop_pool

    rows: list[dict[str, Any]] = []
    helper = framing_helper_useful(min(jobs, len(todo)))
    if jobs == 1 or len(todo) == 1:
        with WarmKernel(framing_helper=helper) as wk:
            for e in todo:
                rows.append(render_story(str(src), e, str(folders[e]), user, kernels=wk))
                bar.update(1)
        return rows
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(todo)), mp_context=mp.get_context("spawn"), initializer=_pool_worker_init, initargs=(os.getpid(), helper)
    )
    try:
        futs = {pool.submit(_pool_story, str(src), e, str(folders[e]), user): e for e in todo}
        for fut in as_completed(futs):
            e = futs[fut]
            try:
                rows.append(fut.result())
            except Exception as exc:  # noqa: BLE001 - a crashed worker fails only its story
                rows.append({"event": e, "status": "failed", "path": "", "error": _error_summary(exc), "seconds": 0.0})
            bar.update(1)
    except BaseException:
        _stop_pool(pool)  # interrupted: no worker goes on rendering
        raise
    pool.shutdown(wait=True)
    return rows


def _dask_story(source: str, event: str, out: str, params: dict[str, Any]) -> dict[str, Any]:
    """A Dask task: one story on this worker thread's warm kernel (lean imports, as a pool worker)."""
    from analysis.report import lean_imports

    lean_imports()
    return render_story(source, event, out, params)


def _run_dask(
    src: Path, todo: list[str], folders: dict[str, Path], user: dict[str, Any], jobs: int, scheduler: str | None, bar: Any
) -> list[dict[str, Any]]:
    from distributed import as_completed

    from analysis.features import _DaskClient
    from analysis.report import _error_summary, _slug

    rows: list[dict[str, Any]] = []
    with _DaskClient(scheduler, jobs) as client:
        futs = {}
        for e in todo:
            fut = client.submit(_dask_story, str(src), e, str(folders[e]), user, key=f"story-{_slug(e)}-{os.getpid()}", pure=False)
            futs[fut] = e
        for fut in as_completed(list(futs)):
            e = futs[fut]
            try:
                rows.append(fut.result())
            except Exception as exc:  # noqa: BLE001 - a lost worker (after retries) fails only its story
                rows.append({"event": e, "status": "failed", "path": "", "error": _error_summary(exc), "seconds": 0.0})
            bar.update(1)
        with contextlib.suppress(Exception):  # an existing cluster's workers live on: free their kernels
            client.run(_close_worker_kernels)
    return rows


def batch(
    source: str | os.PathLike[str],
    *,
    by: str = "event",
    jobs: int = 2,
    out: str | os.PathLike[str] | None = None,
    params: Mapping[str, Any] | None = None,
    progress: bool = True,
    engine: str = "local",
    scheduler: str | None = None,
) -> pd.DataFrame:
    """One report per story, ``jobs`` at a time on warm kernels; resumable; writes ``index.html``.

    Parameters
    ----------
    source : path
        Corpus with several stories.
    by : {"event"}
        Column that defines a story.
    jobs : int
        Reports rendered in parallel: processes of the local pool, or workers of the local
        Dask cluster (ignored with ``scheduler``: the cluster's workers decide).
    out : path, optional
        Parent folder of the reports; default ``./reports/<source name>-batch``. It must be new,
        empty, or a batch folder of the kit (marked by ``.analysis-batch.json``), and outside
        the corpus.
    params : mapping, optional
        Notebook parameters applied to every report (validated once, up front, with the
        outlets checked against the corpus). ``figure_formats`` defaults to ``"png"`` in a
        batch (:data:`BATCH_FIGURE_FORMATS`); give it to get PDF or SVG too.
    progress : bool
        Show a progress bar on stderr.
    engine : {"local", "dask"}
        ``local``: a pool of spawned processes; ``dask``: one Dask task per story on a
        ``distributed`` cluster (``scheduler``, or a local cluster of ``jobs`` workers).
        Both write the same folders, ``batch.csv`` and ``index.html``.
    scheduler : str, optional
        Address of an existing Dask scheduler (``tcp://host:8786``); only with ``engine="dask"``.
        Its workers must see the corpus and the output folder at the same paths.

    Returns
    -------
    DataFrame
        One row per story: ``event`` (str), ``title`` (title of its earliest article),
        ``published`` (first day ``YYYY-MM-DD``, or ``first – last``; empty when undated),
        ``status`` (``complete`` / ``skipped`` = finished earlier / ``failed``), ``path``
        (report folder), ``error`` (message, empty when none), ``seconds`` (wall time of this
        story in this run; 0 when skipped), ``n_docs``, ``n_outlets``, ``n_section_errors``
        (sections of the report that failed; empty when unknown). Also written as
        ``batch.csv`` and ``index.html`` in the batch folder (``table.attrs["root"]``).

    Raises
    ------
    ParameterError
        Bad ``by``, ``jobs``, ``engine``, ``scheduler``, parameters, source or output folder
        (checked before any kernel starts).
    NotEnoughData
        The corpus has no ``event_id`` values.

    Notes
    -----
    Each story's folder is ``<readable id>-<8 hex digits of the id's SHA-256>`` (see
    :func:`analysis.report.report_name`). A failing story is recorded (``status`` failed, with
    its error, its notebook kept in ``<folder>.failed``) and the others continue. Stories whose
    folder already holds a complete report are skipped, so re-running after an interruption
    (or a lost Dask worker) finishes the rest; unfinished folders of runs that died are removed.
    """
    from tqdm.auto import tqdm

    from analysis import output, report
    from analysis.corpus import load_corpus

    if by != "event":
        raise ParameterError(f"by={by!r} is not supported; valid: 'event'.")
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ParameterError(f"jobs={jobs!r} must be a positive integer.")
    if engine not in ENGINES:
        raise ParameterError(f"engine={engine!r} is not supported; valid: {', '.join(map(repr, ENGINES))}.")
    if scheduler and engine != "dask":
        raise ParameterError(f"scheduler={scheduler!r} needs engine='dask' (CLI: --engine dask --scheduler ADDRESS).")
    src = Path(source).expanduser().resolve()
    if not src.exists():
        raise ParameterError(f"source {str(source)!r} does not exist; give a corpus folder or file.")
    report.check_parameter_values(dict(params or {}))
    root = Path(out).expanduser().resolve() if out is not None else (report.reports_dir() / f"{report.report_name(src)}-batch").resolve()
    report._check_batch_root(root, src)
    spec = report.notebook_parameters(report.TEMPLATE)
    user = report.validate_parameters(params, report.TEMPLATE, spec=spec)
    report._refuse_reserved(user, setter="per story by batch")
    if "figure_formats" in spec and "figure_formats" not in user:
        user["figure_formats"] = BATCH_FIGURE_FORMATS
    docs = load_corpus(src, allow_outside=bool(user.get("allow_outside", False)))
    events = sorted(map(str, docs["event_id"].dropna().unique()))
    if not events:
        raise NotEnoughData(f"{src} has no event_id values; batch needs stories (event_id column).")
    wanted = report.parse_list(user.get("outlets", ""))
    have = set(map(str, docs["outlet"].unique()))
    if [o for o in wanted if o not in have] or (user.get("reference_outlet") and user["reference_outlet"] not in have):
        report._check_outlets(docs, user, "")
    facts = report._story_facts(docs)
    del docs
    root.mkdir(parents=True, exist_ok=True)
    output.write_json(root / report._BATCH_MARK, {"written_by": "analysis", "kind": "batch", "source": str(src)}, inputs=[src])
    report.remove_stale_partials(root)
    folders = {e: root / report._slug(e) for e in events}

    rows: list[dict[str, Any]] = []
    todo = []
    for e in events:
        if report.is_complete(folders[e]):
            rows.append({"event": e, "status": "skipped", "path": str(folders[e]), "error": "", "seconds": 0.0})
        else:
            todo.append(e)
    log.info(
        "batch: %d stories, %d already finished, %d to render with %d job(s) (%s)",
        len(events), len(events) - len(todo), len(todo), jobs, engine,
    )
    bar = tqdm(total=len(todo), desc="reports", unit="report", disable=not progress or not todo, file=sys.stderr)
    try:
        if todo and engine == "dask":
            rows.extend(_run_dask(src, todo, folders, user, jobs, scheduler, bar))
        elif todo:
            rows.extend(_run_local(src, todo, folders, user, jobs, bar))
    finally:
        bar.close()
    table = pd.DataFrame(rows, columns=["event", "status", "path", "error", "seconds"])
    table = table.set_index("event").loc[events].reset_index()
    for col in ("title", "published", "n_docs", "n_outlets"):
        table[col] = [facts.loc[e, col] for e in table["event"]]
    table["n_section_errors"] = pd.array([report._section_errors(p) if p else None for p in table["path"]], dtype="Int64")
    table = table[report._BATCH_COLUMNS]
    table.attrs["root"] = str(root)
    output.save_table(table, "batch", root, inputs=[src])
    report.write_index(table, root, title=f"Reports for {src.name}")
    n_failed = int((table["status"] == "failed").sum())
    if n_failed:
        log.warning("batch: %d of %d stories failed; see %s", n_failed, len(table), root / "index.html")
    return table
