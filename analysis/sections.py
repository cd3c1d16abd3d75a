"""Report sections that never abort the report.

A report template runs each of its sections inside :meth:`SectionRunner.section`. A section
ends in one of three states, recorded in order and saved as ``tables/sections.csv``:

``ok``
    It ran to the end.
``empty``
    It had nothing to show: it called :meth:`Section.require` on an empty table, or a measure
    raised :class:`~analysis.errors.NotEnoughData`. The section shows one line saying so, in
    the words given for that section ("No numeric claims in this story."), and any chart it
    had begun is closed, so no empty chart is drawn.
``error``
    Anything else went wrong. The section shows the error (type and message, one short block)
    and the report goes on with the next section.

Only the set-up of a report (reading the corpus, checking the parameters) may stop it; that
code runs outside any section. Typical use in a notebook cell::

    with run.section("claims", empty="No numeric claims in this story.") as sec:
        claim_table = claims(docs)
        save.table(claim_table, "claims")
        sec.require(claim_table)
        with figures.paper_style():
            ax = figures.plot_claims(claim_table)
        save.figure(ax, "claims", claim_table)
        sec.show(claim_table.head(20))

and, in the last cell, ``run.finish()``: it waits for the figures being saved in the background
(an error there is recorded as the ``figures`` section), writes ``tables/sections.csv`` and shows
which sections had nothing to show or failed.
"""

from __future__ import annotations

import html
import logging
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sized
from contextlib import contextmanager
from typing import Any

import pandas as pd

from analysis.errors import NotEnoughData, ParameterError

log = logging.getLogger(__name__)

#: Column order of the status table (``tables/sections.csv``).
COLUMNS = ["section", "status", "message", "detail", "seconds"]

#: Longest error message shown in a report, in characters (the full text stays in ``detail``).
MAX_SHOWN = 400

_STATUSES = ("ok", "empty", "error")


class Notice:
    """A one-line message shown in place of a section's output.

    Rendered as escaped HTML in a notebook (``_repr_html_``) and as plain text elsewhere, so text
    from an article or an error never becomes markup.

    Parameters
    ----------
    kind : {"empty", "error"}
        ``empty``: the section had nothing to show; ``error``: it failed.
    text : str
        The message.
    """

    def __init__(self, kind: str, text: str) -> None:
        if kind not in ("empty", "error"):
            raise ParameterError(f"Notice kind={kind!r}; use 'empty' or 'error'.")
        self.kind = kind
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        body = html.escape(self.text)
        if self.kind == "error":
            return (
                '<div class="kit-section-error" style="border-left:4px solid #b00020;padding:0.3em 0.8em;'
                'background:#fdecee;font-family:monospace;white-space:pre-wrap">' + body + "</div>"
            )
        return f'<p class="kit-section-empty"><em>{body}</em></p>'


class _Empty(Exception):
    """Raised by :meth:`Section.require` to end a section that has nothing to show."""


class Section:
    """Handle of one running section (what :meth:`SectionRunner.section` yields).

    Attributes
    ----------
    name : str
        The section's name, as in ``tables/sections.csv``.
    empty : str
        The one line shown when the section has nothing to show.
    """

    def __init__(self, name: str, empty: str, display: Callable[[Any], None]) -> None:
        self.name = name
        self.empty = empty
        self._display = display

    def require(self, table: Sized | None, message: str | None = None) -> None:
        """End the section as ``empty`` when ``table`` is ``None`` or has no rows.

        Parameters
        ----------
        table : DataFrame, sized object or None
            The result the rest of the section would show or plot.
        message : str, optional
            Shown instead of the section's ``empty`` line (for a section with several parts).
        """
        if table is None or len(table) == 0:
            raise _Empty(message or self.empty)

    def show(self, obj: Any, *, empty: str | None = None, full_text: bool = False) -> None:
        """Display ``obj`` (a table, a :class:`Notice`, text) as the section's output.

        Parameters
        ----------
        obj : object
            What to show.
        empty : str, optional
            When given and ``obj`` has no rows, show this line instead of an empty table; the
            section goes on (unlike :meth:`require`), so its status stays ``ok``.
        full_text : bool
            Show every cell of a table in full (pandas' ``display.max_colwidth`` lifted while it
            is shown), e.g. for the method card, whose lines must not be cut.
        """
        if empty is not None and obj is not None and hasattr(obj, "__len__") and len(obj) == 0:
            self._display(_Line(empty))
            return
        if isinstance(obj, pd.DataFrame):
            obj = _Table(obj, full_text=full_text)
        if full_text:
            with pd.option_context("display.max_colwidth", None):
                self._display(obj)
            return
        self._display(obj)

    def note(self, text: str) -> None:
        """Display one line of plain text, escaped (e.g. where this run's actors came from)."""
        self._display(_Line(text))


class _Table:
    """A table as a reader sees it: no index, text left-aligned, numbers right-aligned with
    at most three decimals, long text cut at 120 characters unless ``full_text``."""

    MAX_CHARS = 120
    #: Rows shown; a longer table shows its first rows and says how many it has (the section's
    #: CSV holds them all), so a corpus of thousands of stories does not put thousands of rows
    #: into the notebook and its HTML pages.
    MAX_ROWS = 200

    def __init__(self, frame: pd.DataFrame, *, full_text: bool = False) -> None:
        self.frame = frame
        self.full_text = full_text

    def _more(self) -> str:
        """The line under a cut table ('' when every row is shown)."""
        n = len(self.frame)
        if n <= self.MAX_ROWS:
            return ""
        return f"First {self.MAX_ROWS:,} of {n:,} rows shown; every row is in the section's CSV table."

    def _cells(self) -> tuple[list[str], list[list[str]], list[bool]]:
        cols = [str(c) for c in self.frame.columns]
        numeric = [pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t) for t in self.frame.dtypes]
        rows = []
        for values in self.frame.head(self.MAX_ROWS).itertuples(index=False, name=None):
            row = []
            for v, num in zip(values, numeric):
                if v is None or (isinstance(v, float) and v != v):
                    text = ""
                elif num and isinstance(v, float):
                    text = f"{v:,.3f}".rstrip("0").rstrip(".") if abs(v) < 1e15 else f"{v:.3g}"
                elif num:
                    text = f"{v:,}"
                elif isinstance(v, pd.Timestamp):
                    text = v.strftime("%Y-%m-%d") if v == v.normalize() else v.isoformat(sep=" ")
                elif isinstance(v, (list, tuple)):
                    text = "; ".join(map(str, v))
                else:
                    text = str(v)
                if not self.full_text and len(text) > self.MAX_CHARS:
                    text = text[: self.MAX_CHARS - 1] + "…"
                row.append(text)
            rows.append(row)
        return cols, rows, numeric

    def __repr__(self) -> str:
        cols, rows, _ = self._cells()
        more = self._more()
        return pd.DataFrame(rows, columns=cols).to_string(index=False) + (f"\n{more}" if more else "")

    def _repr_html_(self) -> str:
        cols, rows, numeric = self._cells()
        # long text columns get room, so a headline is not set one word per line
        wide = [not n and any(len(r[i]) > 40 for r in rows) for i, n in enumerate(numeric)]
        align = [("right" if n else "left") + (";min-width:16em" if w else "") for n, w in zip(numeric, wide)]
        head = "".join(f'<th style="text-align:{a}">{html.escape(c)}</th>' for c, a in zip(cols, align))
        body = "".join(
            "<tr>" + "".join(f'<td style="text-align:{a}">{html.escape(t)}</td>' for t, a in zip(r, align)) + "</tr>"
            for r in rows
        )
        more = self._more()
        return (f'<table class="kit-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
                + (f"<p>{html.escape(more)}</p>" if more else ""))


class _Line:
    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.text)}</p>"


def _default_display(obj: Any) -> None:
    """IPython's ``display`` inside a kernel; a log line elsewhere."""
    if "IPython" in sys.modules:
        from IPython import get_ipython

        if get_ipython() is not None:
            from IPython.display import display

            display(obj)
            return
    log.info("%s", obj)


def _open_figures() -> set[int]:
    if "matplotlib.pyplot" not in sys.modules:
        return set()
    import matplotlib.pyplot as plt

    return set(plt.get_fignums())


def _close_new_figures(before: set[int]) -> None:
    if "matplotlib.pyplot" not in sys.modules:
        return
    import matplotlib.pyplot as plt

    for num in set(plt.get_fignums()) - before:
        plt.close(num)


def _describe(exc: BaseException) -> str:
    """``Type: message`` for one error, with a plain hint for a value an earlier section lacked."""
    if isinstance(exc, NameError):
        name = getattr(exc, "name", None) or str(exc)
        return (
            f"NameError: this section needs {name!r}, which an earlier section did not produce "
            "(see the error shown there)."
        )
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class SectionRunner:
    """Run a report's sections so that none of them can abort the report; record their status.

    Parameters
    ----------
    writer : analysis.output.ReportWriter, optional
        Where ``tables/sections.csv`` is saved by :meth:`finish` (and whose background figure
        saves :meth:`finish` waits for). ``None``: record only.
    display : callable, optional
        Shows a section's output; default IPython's ``display`` in a kernel, a log line elsewhere.

    Attributes
    ----------
    records : list of dict
        One dict per finished section, keys as :data:`COLUMNS`.

    Examples
    --------
    >>> run = SectionRunner(display=lambda obj: None)
    >>> with run.section("claims", empty="No numeric claims in this story.") as sec:
    ...     sec.require([])
    >>> run.table()[["section", "status", "message"]].values.tolist()
    [['claims', 'empty', 'No numeric claims in this story.']]
    """

    def __init__(self, writer: Any = None, *, display: Callable[[Any], None] | None = None) -> None:
        self.writer = writer
        self._display = display or _default_display
        self.records: list[dict[str, Any]] = []

    @contextmanager
    def section(self, name: str, *, empty: str, fatal: tuple[type[BaseException], ...] = ()) -> Iterator[Section]:
        """Run the body of a ``with`` block as the section ``name``; never let it raise.

        Parameters
        ----------
        name : str
            Short unique name, e.g. ``"claims"`` (a row of ``tables/sections.csv``).
        empty : str
            The one line shown when the section has nothing to show, specific to the section
            ("No numeric claims in this story.").
        fatal : tuple of exception types
            Errors that mean the report's input is wrong rather than the section (e.g.
            ``(ParameterError,)`` around reading a dictionary the user named): recorded and
            shown like any error, then re-raised so the report fails with that message.

        Yields
        ------
        Section
            Call ``require(table)`` before plotting, ``show(obj)`` to display a table.

        Notes
        -----
        ``KeyboardInterrupt`` and ``SystemExit`` still stop the report (they are not
        :class:`Exception`); every other error ends only this section. Running a section of
        the same name again (a cell re-run in Jupyter) replaces its earlier record.
        """
        if not name or not isinstance(name, str):
            raise ParameterError(f"section name={name!r}; give a short non-empty string such as 'claims'.")
        if not empty or not isinstance(empty, str):
            raise ParameterError(f"section {name!r}: empty={empty!r}; give the line to show when it has nothing to show.")
        # a cell run again (interactive use) replaces the section's earlier record
        self.records = [r for r in self.records if r["section"] != name]
        handle = Section(name, empty, self._display)
        before = _open_figures()
        t0 = time.perf_counter()
        status, message, detail = "ok", "", ""
        try:
            yield handle
        except _Empty as exc:
            status, message = "empty", str(exc)
        except NotEnoughData as exc:
            status, message, detail = "empty", empty, str(exc)
        except Exception as exc:  # noqa: BLE001 - a section must never abort the report
            status = "error"
            detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-3:]).strip()
            message = _describe(exc)
            log.warning("section %r failed: %s", name, message)
            if fatal and isinstance(exc, fatal):
                self._end(name, status, message, detail, before, t0)
                raise
        self._end(name, status, message, detail, before, t0)

    def _end(self, name: str, status: str, message: str, detail: str, before: set[int], t0: float) -> None:
        """Show what a section that did not finish has to say, and record its status."""
        if status != "ok":
            _close_new_figures(before)  # no half-drawn or empty chart
            shown = message if len(message) <= MAX_SHOWN else message[: MAX_SHOWN - 1] + "…"
            if status == "error":
                shown = f"This section could not be completed. {shown}"
            self._display(Notice(status, shown))
        self.records.append(
            {"section": name, "status": status, "message": message, "detail": detail,
             "seconds": round(time.perf_counter() - t0, 3)}
        )

    def table(self) -> pd.DataFrame:
        """The status of every section run so far.

        Returns
        -------
        DataFrame
            One row per section, in the order they ran: ``section``; ``status`` (``ok`` |
            ``empty`` | ``error``); ``message`` (the line shown, empty when ``ok``); ``detail``
            (the measure's own message, or the last lines of the traceback for an error);
            ``seconds`` (wall-clock time of the section, seconds).
        """
        return pd.DataFrame(self.records, columns=COLUMNS)

    def finish(self) -> pd.DataFrame:
        """Wait for background figure saves, save ``tables/sections.csv``, show what went wrong.

        A failed figure save (re-raised by the writer's ``close()``) is recorded as the section
        ``figures`` with status ``error``; the report still completes.

        Returns
        -------
        DataFrame
            :meth:`table`, as saved.
        """
        if self.writer is not None and hasattr(self.writer, "close"):
            with self.section("figures", empty="No figures were saved."):
                self.writer.close()
        table = self.table()
        if self.writer is not None:
            self.writer.table(table, "sections")
        self._display(_Line(summary(table)))
        return table

    @property
    def failed(self) -> list[str]:
        """Names of the sections whose status is ``error``."""
        return [r["section"] for r in self.records if r["status"] == "error"]


def summary(table: pd.DataFrame) -> str:
    """One sentence on a status table: how many sections completed, which were empty or failed.

    Parameters
    ----------
    table : DataFrame
        :meth:`SectionRunner.table` output (``section, status`` columns).

    Returns
    -------
    str
        E.g. "All 21 sections of this report completed." or "21 sections: 18 completed, 2 had
        nothing to show (removals, claims), 1 could not be completed (frames)."
    """
    n = len(table)
    empty = table.loc[table["status"] == "empty", "section"].tolist()
    failed = table.loc[table["status"] == "error", "section"].tolist()
    if not empty and not failed:
        return f"All {n} sections of this report completed." if n != 1 else "The report's one section completed."
    parts = [f"{n} sections: {n - len(empty) - len(failed)} completed"]
    if empty:
        parts.append(f"{len(empty)} had nothing to show ({', '.join(empty)})")
    if failed:
        parts.append(f"{len(failed)} could not be completed ({', '.join(failed)})")
    return ", ".join(parts) + "."


def actor_source_note(actor_table: pd.DataFrame) -> str:
    """One sentence saying where a report's actors came from, from the ``source`` column.

    Parameters
    ----------
    actor_table : DataFrame
        The actors used by a report, with a ``source`` column holding ``file:<path>`` (an actor
        dictionary) or ``discovered`` (found in the story's text).

    Returns
    -------
    str
        E.g. "Actors from the actor dictionary /data/flood/actors.yaml (4 actors)." or
        "Actors discovered from the story's own text (named people, organisations and places
        grouped across outlets; 7 actors)."

    Raises
    ------
    ParameterError
        ``actor_table`` has no ``source`` column.
    """
    if not isinstance(actor_table, pd.DataFrame) or "source" not in actor_table.columns:
        have = list(actor_table.columns) if isinstance(actor_table, pd.DataFrame) else type(actor_table).__name__
        raise ParameterError(f"actor_source_note: expected the actors table with a 'source' column; got {have}.")
    n = len(actor_table)
    if n == 0:
        return "No actors were found for this story."
    counts = actor_table["source"].astype(str).value_counts(sort=False)
    parts = []
    for src, k in counts.items():
        noun = "actor" if k == 1 else "actors"
        if src.startswith("file:"):
            parts.append(f"from the actor dictionary {src[5:]} ({k} {noun})")
        elif src == "discovered":
            parts.append(f"discovered from the story's own text (named people, organisations and places grouped across outlets; {k} {noun})")
        else:
            parts.append(f"from {src} ({k} {noun})")
    return "Actors " + "; ".join(parts) + "."


def actor_table_text(actor_table: pd.DataFrame) -> pd.DataFrame:
    """The actors table as text for a CSV file and a report page: aliases joined by ``"; "``.

    Parameters
    ----------
    actor_table : DataFrame
        ``actor, type, side, aliases, source`` (``aliases`` a list of strings per row).

    Returns
    -------
    DataFrame
        A new frame, same columns and rows; ``aliases`` as one string ("Okafor; Helen
        Okafor"), missing ``type``/``side`` as "". The input is not modified.
    """
    if not isinstance(actor_table, pd.DataFrame):
        raise ParameterError(f"actor_table_text: expected the actors DataFrame, got {type(actor_table).__name__}.")
    out = actor_table.copy()

    def text(value: Any) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        if isinstance(value, (list, tuple, set)):
            return "; ".join(str(v) for v in value)
        return str(value)

    for col in ("type", "side", "aliases"):
        if col in out.columns:
            out[col] = out[col].map(text)
    return out


def actor_source_label(actor_table: pd.DataFrame) -> str:
    """Short form of :func:`actor_source_note` for the method card, e.g. ``file:/x/actors.yaml``.

    Returns
    -------
    str
        The distinct values of the ``source`` column joined by ``"; "`` (``"none"`` when the
        table is empty).
    """
    if not isinstance(actor_table, pd.DataFrame) or "source" not in actor_table.columns:
        raise ParameterError("actor_source_label: expected the actors table with a 'source' column.")
    values = list(dict.fromkeys(actor_table["source"].astype(str)))
    return "; ".join(values) if values else "none"
