"""The story report's framing pass, computed in a second process while the kernel does the rest.

The framing sections of a story report (actors, labels, quotes and sources, claims, frames,
tone, loaded language) need the parsed text: importing spaCy, loading the English pipeline and
parsing every article take seconds before the first framing table exists. None of that depends
on the readability, lexical or reuse sections that come first in the report, so
:class:`FramingPass` starts it in a helper process as soon as the articles are selected; each
framing section then takes its finished table (:meth:`FramingPass.result`) instead of
computing it. On a machine with two or more cores the report's wall time drops by about the
time of the framing pass; the tables are the same, because the helper calls exactly the same
public functions with the same arguments (see :data:`TASKS` for the call behind each name).

Behaviour that a report relies on:

- An error raised by a framing function is raised again, unchanged, by ``result(name)`` in the
  kernel, so the report section shows it in place (a wrong ``actors`` file still stops the
  report in the ``actors`` section). Warnings the function issued are issued again there.
- ``parallel=False``, a platform without ``fork``, or a helper process that died (killed, out
  of memory) make ``result`` compute the table in the calling process: slower, never different.
- The default of ``parallel`` is :data:`HELPER`. A batch whose workers already keep every core
  busy sets it to False in its kernels: there a helper gains no time, and forking it costs CPU
  (after the fork, every page of memory that either process writes is copied: about half a
  second of CPU per story on the kit's reports, measured).
- The helper ends with the kernel (``die_with_parent``) and is shut down by :meth:`close`.
"""

from __future__ import annotations

import logging
import os
import pickle
import warnings
from collections.abc import Callable
from typing import Any

import pandas as pd

log = logging.getLogger(__name__)

#: The names :meth:`FramingPass.result` knows, in the order the helper computes them, and the
#: public call behind each (``d`` = the actor dictionary that ``actors`` returned).
TASKS: dict[str, str] = {
    "actors": "analysis.framing.actors_for_report(docs, actors, source)  -> (dictionary, table)",
    "labels": "analysis.framing.actor_labels(docs, actors=d)",
    "quotes": "analysis.framing.quotes(docs)",
    "sources": "analysis.framing.sources(docs, actors=d, quote_table=quotes)",
    "claims": "analysis.framing.claims(docs)",
    "frames": "analysis.framing.frames(docs, by='outlet', parts=False)",
    "tone": "analysis.framing.tone_by_outlet(docs, seed=seed, n_boot=n_boot)",
    "loaded_sentences": "analysis.framing.loaded_language(docs)",
    "loaded": "analysis.framing.loaded_language_by_outlet(table=loaded_sentences, seed=seed, n_boot=n_boot)",
}


class _State:
    """The inputs of one framing pass and the tables computed so far (per process)."""

    def __init__(self, docs: pd.DataFrame, actors: Any, source: Any, seed: int, n_boot: int) -> None:
        self.docs = docs
        self.actors = actors
        self.source = source
        self.seed = seed
        self.n_boot = n_boot
        self.done: dict[str, tuple[str, Any, list]] = {}

    def get(self, name: str) -> Any:
        """The table ``name`` (computed once; an error is raised again at every call)."""
        if name not in self.done:
            self.done[name] = _run(_COMPUTE[name], self)
        status, value, _ = self.done[name]
        if status == "error":
            raise value
        return value


def _run(func: Callable[[_State], Any], state: _State) -> tuple[str, Any, list]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value, status = func(state), "ok"
        except Exception as exc:  # noqa: BLE001 - handed to the section that asks for it
            value, status = exc, "error"
    return status, value, [(str(w.message), w.category) for w in caught]


def _actors(s: _State) -> Any:
    from analysis.framing import actors_for_report

    return actors_for_report(s.docs, s.actors, s.source)


def _labels(s: _State) -> Any:
    from analysis.framing import actor_labels

    return actor_labels(s.docs, actors=s.get("actors")[0])


def _quotes(s: _State) -> Any:
    from analysis.framing import quotes

    return quotes(s.docs)


def _sources(s: _State) -> Any:
    from analysis.framing import sources

    return sources(s.docs, actors=s.get("actors")[0], quote_table=s.get("quotes"))


def _claims(s: _State) -> Any:
    from analysis.framing import claims

    return claims(s.docs)


def _frames(s: _State) -> Any:
    from analysis.framing import frames

    return frames(s.docs, by="outlet", parts=False)


def _tone(s: _State) -> Any:
    from analysis.framing import tone_by_outlet

    return tone_by_outlet(s.docs, seed=s.seed, n_boot=s.n_boot)


def _loaded_sentences(s: _State) -> Any:
    from analysis.framing import loaded_language

    return loaded_language(s.docs)


def _loaded(s: _State) -> Any:
    from analysis.framing import loaded_language_by_outlet

    return loaded_language_by_outlet(table=s.get("loaded_sentences"), seed=s.seed, n_boot=s.n_boot)


_COMPUTE: dict[str, Callable[[_State], Any]] = {
    "actors": _actors,
    "labels": _labels,
    "quotes": _quotes,
    "sources": _sources,
    "claims": _claims,
    "frames": _frames,
    "tone": _tone,
    "loaded_sentences": _loaded_sentences,
    "loaded": _loaded,
}
assert list(_COMPUTE) == list(TASKS)

#: Whether :class:`FramingPass` starts a helper process when ``parallel`` is not given.
HELPER = True

#: Helper-process side: the state of the pass this process serves.
_WORKER_STATE: _State | None = None


def _worker_start(parent_pid: int, docs: pd.DataFrame, actors: Any, source: Any, seed: int, n_boot: int) -> None:
    from analysis.output import die_with_parent

    die_with_parent(parent_pid)
    global _WORKER_STATE
    _WORKER_STATE = _State(docs, actors, source, seed, n_boot)


def _worker_task(name: str) -> tuple[str, Any, list]:
    """Compute ``name`` in the helper; the result as ``(status, value, warnings)``, picklable."""
    assert _WORKER_STATE is not None
    try:
        _WORKER_STATE.get(name)
    except Exception:  # noqa: BLE001 - kept in done[name]
        pass
    status, value, caught = _WORKER_STATE.done[name]
    try:
        pickle.loads(pickle.dumps(value))
    except Exception as exc:  # noqa: BLE001 - an unpicklable result or error travels as text
        value, status = RuntimeError(f"{name}: {type(value).__name__}: {value} (could not be passed back: {exc})"), "error"
    return status, value, caught


class FramingPass:
    """The framing tables of one story, computed ahead in a helper process.

    Parameters
    ----------
    docs : DataFrame
        The story's articles (``docs`` table).
    actors : str or Path, optional
        The report's ``actors`` parameter (a YAML path; "" = the corpus folder's
        ``actors.yaml``, else discovered), as :func:`analysis.framing.actors_for_report` takes it.
    source : str, Path or None
        The corpus source (None or "" = the seed corpus).
    seed, n_boot : int
        Bootstrap seed and replicates for the tone and loaded-language intervals.
    parallel : bool, optional
        Start the helper process; False computes each table in this process when it is asked
        for. Default :data:`HELPER` (True unless a batch turned it off).

    Examples
    --------
    >>> framing = FramingPass(docs, actors="", source=None, seed=0, n_boot=2000)  # doctest: +SKIP
    >>> actor_dictionary, actor_table = framing.result("actors")                    # doctest: +SKIP
    >>> labels = framing.result("labels")                                           # doctest: +SKIP
    >>> framing.close()                                                             # doctest: +SKIP
    """

    def __init__(self, docs: pd.DataFrame, *, actors: Any = "", source: Any = None, seed: int = 0,
                 n_boot: int = 2000, parallel: bool | None = None) -> None:
        if parallel is None:
            parallel = HELPER
        self._local = _State(docs, actors, source, seed, n_boot)
        self._futures: dict[str, Any] = {}
        self._pool: Any = None
        if parallel and len(docs):
            self._start(docs, actors, source, seed, n_boot)

    def _start(self, docs: pd.DataFrame, actors: Any, source: Any, seed: int, n_boot: int) -> None:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        if "fork" not in mp.get_all_start_methods():  # spawn would re-import everything: no gain
            return
        try:
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=mp.get_context("fork"), initializer=_worker_start,
                initargs=(os.getpid(), docs, actors, source, seed, n_boot),
            )
            self._futures = {name: self._pool.submit(_worker_task, name) for name in TASKS}
        except (OSError, RuntimeError) as exc:  # no process could be started: compute here
            log.info("framing pass runs in the kernel (no helper process: %s)", exc)
            self._shutdown()

    def result(self, name: str) -> Any:
        """The table ``name`` (see :data:`TASKS`); raises what the framing function raised.

        Returns
        -------
        Any
            ``"actors"``: ``(dictionary, table)``; every other name: the DataFrame returned by
            the function :data:`TASKS` names.
        """
        if name not in TASKS:
            raise KeyError(f"FramingPass.result: unknown table {name!r}; known: {', '.join(TASKS)}.")
        if name not in self._local.done and name in self._futures:
            from concurrent.futures.process import BrokenProcessPool

            try:
                self._local.done[name] = self._futures[name].result()
            except BrokenProcessPool:
                log.warning("the framing helper process ended early; computing %r in the kernel", name)
                self._shutdown()
        if name not in self._local.done:
            self._local.done[name] = _run(_COMPUTE[name], self._local)
        status, value, caught = self._local.done[name]
        self._local.done[name] = (status, value, [])  # each warning is shown once
        for message, category in caught:
            warnings.warn(message, category, stacklevel=2)
        if status == "error":
            raise value
        return value

    def _shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None
        self._futures = {}

    def close(self) -> None:
        """Stop the helper process (tables already taken stay available)."""
        self._shutdown()

    def __enter__(self) -> FramingPass:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
