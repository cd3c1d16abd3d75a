"""Comparison reports: run the papermill template, export HTML, write a complete report folder.

One call turns a corpus into ``reports/<name>/``::

    reports/<name>/
        outlet_comparison.ipynb   the executed notebook
        report.html               reader version: no code cells, article text escaped
        report_full.html          with code
        figures/                  every chart as PDF (TrueType fonts), SVG, 300-dpi PNG + CSV + JSON card
        tables/                   the result tables as CSV
        manifest.json             parameters, package versions, input SHA-256, method card, timings

The folder is assembled under a temporary sibling name and renamed into place only when
everything is written, so a report folder with a ``manifest.json`` whose ``status`` is
``"complete"`` is always whole. :func:`batch` relies on that to resume.

Parameters are checked against the template's ``parameters`` cell (via
:func:`papermill.inspect_notebook`) before any kernel starts: unknown names and ill-typed values
raise :class:`~analysis.errors.ParameterError` listing the valid parameters and their types.
Values reach the notebook as Python literals written by papermill, never as code.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import logging
import os
import re
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import KitError, NotEnoughData, ParameterError

__all__ = [
    "NOTEBOOK_DIR",
    "TEMPLATE",
    "CORPUS_TEMPLATE",
    "SCOPES",
    "EXPLORE",
    "TEMPLATES_DIR",
    "PARAMETER_RANGES",
    "reports_dir",
    "check_parameter_values",
    "remove_stale_partials",
    "ReportError",
    "notebook_parameters",
    "validate_parameters",
    "coerce_parameters",
    "parse_list",
    "select_docs",
    "story_table",
    "method_card",
    "report_name",
    "is_complete",
    "ensure_kernel",
    "render_report",
    "resolve_scope",
    "template_for",
    "export_html",
    "batch",
    "write_index",
    "read_sections",
]

log = logging.getLogger(__name__)

_PACKAGE = Path(__file__).resolve().parent
#: The folder that holds the ``analysis`` package (put first on the kernel's ``PYTHONPATH``).
PACKAGE_ROOT: Path = _PACKAGE.parent
#: Folder of the notebooks shipped with the kit: package data in an installed kit, else the
#: repository's top-level ``notebooks/``.
NOTEBOOK_DIR: Path = _PACKAGE / "notebooks" if (_PACKAGE / "notebooks").is_dir() else PACKAGE_ROOT / "notebooks"
#: The report template run by :func:`render_report`.
TEMPLATE: Path = NOTEBOOK_DIR / "outlet_comparison.ipynb"
#: The corpus report template (outlets compared across stories, paired within each story).
CORPUS_TEMPLATE: Path = NOTEBOOK_DIR / "corpus_comparison.ipynb"
#: What a report covers: one story (``TEMPLATE``) or every story of the corpus (``CORPUS_TEMPLATE``).
SCOPES: tuple[str, ...] = ("story", "corpus")
#: The interactive exploration notebook.
EXPLORE: Path = NOTEBOOK_DIR / "explore.ipynb"
#: nbconvert templates of the kit (``kit``: lab template without remote scripts, CSP locked).
TEMPLATES_DIR: Path = _PACKAGE / "templates"

#: Allowed ranges of the numeric template parameters (inclusive), checked before a kernel starts.
PARAMETER_RANGES: dict[str, tuple[int, int]] = {
    "seed": (0, 2**32 - 1),
    "n_boot": (10, 1_000_000),
    "min_words": (0, 1_000_000),
    "n_terms": (1, 200),
    "n_actors": (1, 200),
}
#: Seconds allowed for the kernel to answer its first request.
KERNEL_START_TIMEOUT: int = 60
_OWNER = ".owner.json"
_CONNECTION = ".kernel-connection.json"


def reports_dir() -> Path:
    """Default parent folder of reports: ``./reports`` of the current working directory."""
    return Path.cwd() / "reports"

#: Parameters the report machinery sets itself (use the function/CLI options instead).
_RESERVED = {"out_dir": "out= (CLI --out)", "source": "source (CLI positional SOURCE)", "event": "event= (CLI --event)"}
_TYPES: dict[str, type | tuple[type, ...]] = {"str": str, "int": int, "float": (int, float), "bool": bool}
_NOTEBOOK_NAME = "outlet_comparison.ipynb"
_READER = "report.html"
_FULL = "report_full.html"
_KERNEL_NAME = "analysis-kit"


class ReportError(KitError, RuntimeError):
    """A report could not be produced (the notebook failed); the message names the failing step."""


def _actor_source(folder: Path) -> str:
    """Where a finished report's actors came from, read from its ``tables/actors.csv``."""
    path = folder / "tables" / "actors.csv"
    if not path.is_file():
        return ""
    with contextlib.suppress(Exception):
        sources = pd.read_csv(path, usecols=["source"], dtype=str)["source"].dropna().unique().tolist()
        return "; ".join(sorted(sources))
    return ""


def check_parameter_values(params: Mapping[str, Any]) -> None:
    """Refuse parameter values out of range, before any kernel starts.

    Checks the numeric parameters against :data:`PARAMETER_RANGES` and ``figure_formats``
    against :data:`analysis.output.FIGURE_FORMATS`; ``metric`` against the score columns of
    :func:`analysis.readability.readability`. Names it does not know are left to
    :func:`validate_parameters`.

    Raises
    ------
    ParameterError
        The message names the parameter, the value and the valid range or values.
    """
    for name, (low, high) in PARAMETER_RANGES.items():
        if name in params:
            value = params[name]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ParameterError(f"parameter {name!r} must be an integer from {low} to {high}, got {value!r}.")
    if "figure_formats" in params:
        from analysis.output import FIGURE_FORMATS

        fmts = parse_list(str(params["figure_formats"]))
        bad = [f for f in fmts if f.lower() not in FIGURE_FORMATS]
        if bad or not fmts:
            raise ParameterError(
                f"parameter 'figure_formats' must be a comma-separated list of {', '.join(FIGURE_FORMATS)}, "
                f"got {params['figure_formats']!r}."
            )
    if params.get("actors"):
        from analysis.framing.actors import load_actor_dictionary

        path = Path(str(params["actors"])).expanduser()
        if not path.is_file():
            raise ParameterError(
                f"parameter 'actors' names {str(path)!r}, which is not a file; give an actor dictionary "
                "(YAML, see seeds/actors.yaml) or leave it empty to use the corpus folder's actors.yaml "
                "or the story's discovered actors."
            )
        try:
            load_actor_dictionary(path)
        except ParameterError as exc:
            raise ParameterError(f"parameter 'actors': {exc}") from exc
    if "correction" in params and params["correction"] not in ("holm", "bh"):
        raise ParameterError(f"parameter 'correction' must be 'holm' or 'bh', got {params['correction']!r}.")
    if "engine" in params and params["engine"] not in ("pandas", "dask"):
        raise ParameterError(f"parameter 'engine' must be 'pandas' or 'dask', got {params['engine']!r}.")
    if "metric" in params:
        from analysis.readability import SCORE_COLUMNS

        if params["metric"] not in SCORE_COLUMNS:
            raise ParameterError(f"parameter 'metric' must be one of {', '.join(SCORE_COLUMNS)}, got {params['metric']!r}.")


# --------------------------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------------------------


def notebook_parameters(notebook: str | os.PathLike[str] = TEMPLATE) -> dict[str, dict[str, Any]]:
    """The parameters a notebook declares in its ``parameters`` cell.

    Parameters
    ----------
    notebook : path
        A notebook with one cell tagged ``parameters`` of annotated literals.

    Returns
    -------
    dict
        ``{name: {"type": "str"|"int"|"float"|"bool", "default": value, "help": str}}`` in
        cell order; ``default`` is the evaluated literal.
    """
    import ast

    import papermill

    info = papermill.inspect_notebook(str(notebook))
    out: dict[str, dict[str, Any]] = {}
    for name, p in info.items():
        raw = p.get("default")
        try:
            default = ast.literal_eval(raw) if isinstance(raw, str) else raw
        except (ValueError, SyntaxError):
            default = raw
        out[name] = {"type": str(p.get("inferred_type_name") or "None"), "default": default, "help": str(p.get("help") or "")}
    return out


def _refuse_reserved(user: Mapping[str, Any], *, setter: str) -> None:
    """Refuse a parameter the report machinery sets itself, naming the option to use."""
    for key, use in _RESERVED.items():
        if key in user:
            raise ParameterError(f"parameter {key!r} is set {setter}; use {use} instead.")


def _valid_list(spec: Mapping[str, Mapping[str, Any]]) -> str:
    return ", ".join(f"{n}: {s['type']}" for n, s in spec.items())


def validate_parameters(
    params: Mapping[str, Any] | None,
    notebook: str | os.PathLike[str] = TEMPLATE,
    *,
    spec: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Check parameter names and value types against a notebook's ``parameters`` cell.

    Parameters
    ----------
    params : mapping
        ``{name: value}``; values must already have the declared Python type (``int`` is
        accepted for ``float``; ``bool`` is not accepted for ``int``).
    notebook : path
        The notebook whose parameters cell is the reference.

    Returns
    -------
    dict
        A new dict of the validated parameters (not merged with defaults).

    Raises
    ------
    ParameterError
        Unknown name or ill-typed value; the message names the parameter and lists the valid
        ones with their types.
    """
    spec = spec if spec is not None else notebook_parameters(notebook)
    out: dict[str, Any] = {}
    for name, value in dict(params or {}).items():
        if name not in spec:
            raise ParameterError(f"unknown parameter {name!r} for {Path(notebook).name}; valid parameters: {_valid_list(spec)}.")
        want = spec[name]["type"]
        types = _TYPES.get(want)
        if types is not None:
            ok = isinstance(value, types) and not (want in ("int", "float") and isinstance(value, bool))
            if not ok:
                raise ParameterError(
                    f"parameter {name!r} must be {want}, got {type(value).__name__} {value!r}; valid parameters: {_valid_list(spec)}."
                )
        out[name] = value
    check_parameter_values(out)
    return out


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def coerce_parameters(
    raw: Iterable[tuple[str, str]] | Mapping[str, str],
    notebook: str | os.PathLike[str] = TEMPLATE,
    *,
    spec: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Convert command-line ``-p NAME VALUE`` strings to the declared types, then validate.

    Parameters
    ----------
    raw : mapping or iterable of (name, value) str pairs
        As typed on the command line.

    Returns
    -------
    dict
        Typed parameters.

    Raises
    ------
    ParameterError
        Unknown name, or a value that does not parse as the declared type.
    """
    spec = spec if spec is not None else notebook_parameters(notebook)
    pairs = raw.items() if isinstance(raw, Mapping) else raw
    out: dict[str, Any] = {}
    for name, text in pairs:
        if name not in spec:
            raise ParameterError(f"unknown parameter {name!r} for {Path(notebook).name}; valid parameters: {_valid_list(spec)}.")
        want = spec[name]["type"]
        try:
            if want == "int":
                value: Any = int(text)
            elif want == "float":
                value = float(text)
            elif want == "bool":
                low = str(text).strip().lower()
                if low not in _TRUE | _FALSE:
                    raise ValueError(text)
                value = low in _TRUE
            else:
                value = str(text)
        except ValueError:
            raise ParameterError(
                f"parameter {name!r} must be {want}, got {text!r}; valid parameters: {_valid_list(spec)}."
            ) from None
        out[name] = value
    return validate_parameters(out, notebook, spec=spec)


def parse_list(value: str | Iterable[str] | None) -> list[str]:
    """Split a comma-separated parameter (``"AP, VOI"``) into a list; empty -> ``[]``."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [s.strip() for s in items if str(s).strip()]


# --------------------------------------------------------------------------------------------
# helpers the notebooks call
# --------------------------------------------------------------------------------------------


def select_docs(
    docs: pd.DataFrame,
    *,
    event: str = "",
    outlets: str | Iterable[str] = "",
    min_words: int = 0,
) -> pd.DataFrame:
    """The documents of one story, optionally restricted to some outlets and a minimum length.

    Parameters
    ----------
    docs : DataFrame
        :func:`analysis.corpus.load_corpus` output.
    event : str
        ``event_id`` to keep; empty keeps the only event (error when there are several).
    outlets : str or iterable of str
        Comma-separated names (or a list); empty keeps all. Unknown names raise.
    min_words : int
        Drop articles with fewer words (:func:`analysis.text.words`).

    Returns
    -------
    DataFrame
        A new frame, same columns as ``docs``, sorted by outlet then doc_id.

    Raises
    ------
    ParameterError
        Unknown event or outlet (the message lists valid values), several events and no choice.
    NotEnoughData
        Fewer than two outlets remain.
    """
    from analysis.text import words

    events = sorted(map(str, docs["event_id"].dropna().unique()))
    if event:
        if event not in events:
            raise ParameterError(f"event={event!r} is not in the corpus; valid events: {events[:20]}{' …' if len(events) > 20 else ''}.")
        out = docs[docs["event_id"].astype(str) == event]
    else:
        if len(events) > 1:
            raise ParameterError(f"the corpus holds {len(events)} events; choose one with event=… (e.g. {events[:5]}).")
        out = docs
    wanted = parse_list(outlets)
    if wanted:
        have = sorted(map(str, out["outlet"].unique()))
        unknown = [o for o in wanted if o not in have]
        if unknown:
            raise ParameterError(f"outlets {unknown} are not in the story; valid outlets: {have}.")
        out = out[out["outlet"].isin(wanted)]
    if min_words:
        n = out["text"].map(lambda t: len(words(str(t))))
        out = out[n >= min_words]
    if out["outlet"].nunique() < 2:
        raise NotEnoughData(
            f"the story {event or (events[0] if events else '')!r} has {out['outlet'].nunique()} outlet(s) after filtering "
            f"(min_words={min_words}); a comparison needs at least two."
        )
    return out.sort_values(["outlet", "doc_id"], kind="stable").reset_index(drop=True)


def story_table(docs: pd.DataFrame) -> pd.DataFrame:
    """One row per article of the story: who published what, when, and how long it is.

    Parameters
    ----------
    docs : DataFrame
        :func:`select_docs` output.

    Returns
    -------
    DataFrame
        ``doc_id, outlet, published, title, n_words`` (words by :func:`analysis.text.words`),
        ``n_paragraphs``, ``n_removed`` (lines removed by cleaning), then whichever of
        ``wire_source, translated, republished_by`` the manifest has.
    """
    from analysis.text import paragraphs, words

    cols = ["doc_id", "outlet", "published", "title"]
    out = docs[[c for c in cols if c in docs.columns]].copy()
    out["n_words"] = docs["text"].map(lambda t: len(words(str(t)))).to_numpy()
    out["n_paragraphs"] = docs["text"].map(lambda t: len(paragraphs(str(t)))).to_numpy()
    for c in ("n_removed", "wire_source", "translated", "republished_by"):
        if c in docs.columns:
            out[c] = docs[c].to_numpy()
    return out.reset_index(drop=True)


def method_card(params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """How every number of the report was made: tokenizer, segmenter, syllables, formula variants.

    Parameters
    ----------
    params : mapping, optional
        The run's parameters; thresholds among them (``seed``, ``n_boot``, ``min_words``…) are
        copied into the card; ``actor_source`` (set by the template: ``file:<path>`` or
        ``discovered``) names where the actors came from.

    Returns
    -------
    dict
        ``{item: description}`` with keys ``tokenizer``, ``segmenter``, ``syllables``,
        ``readability_formulas``, ``confidence_intervals``, ``lexical_diversity``, ``keyness``,
        ``reuse``, ``framing``, ``tone``, ``thresholds``.
    """
    from analysis import text

    p = dict(params or {})
    card: dict[str, Any] = {
        "tokenizer": getattr(text, "TOKENIZER", "analysis.text.words"),
        "segmenter": getattr(text, "SEGMENTER", "analysis.text.sentences"),
        "syllables": getattr(text, "SYLLABLE_SOURCE", "analysis.text.syllables"),
        "readability_formulas": (
            "Flesch Reading Ease 206.835-1.015 ASL-84.6 ASW (higher = easier); Flesch-Kincaid grade "
            "0.39 ASL+11.8 ASW-15.59; Gunning Fog 0.4(ASL+100 complex/words), complex = 3+ syllables "
            "not on textstat's easy-word list; SMOG 1.043 sqrt(30 poly/sentences)+3.1291; Coleman-Liau "
            "0.0588 L-0.296 S-15.8 (textstat's 0.058 variant in coleman_liau_textstat); ARI; Dale-Chall "
            "1948 as in textstat; Linsear Write and LIX as in textstat; consensus grade = median of grade-level "
            "formulas. Audit: textstat 0.7.13 (offline, cmudict) on the same text."
        ),
        "confidence_intervals": (
            f"percentile bootstrap, {p.get('n_boot', 'n_boot')} replicates, seed {p.get('seed', 0)}: over documents "
            "when an outlet has several, over sentences (ratio of summed counts) when it has one"
        ),
        "lexical_diversity": "TTR; MATTR window 100; MTLD threshold 0.72 (factor closes at TTR <= 0.72, as lexicalrichness); HD-D sample 42",
        "keyness": "weighted log-odds with informative Dirichlet prior (Monroe, Colaresi & Quinn 2008); z-scores; Benjamini-Hochberg q",
        "reuse": "word-anchored character n-gram overlap and sentence alignment (analysis.reuse)",
        "framing": (
            f"actors: {p.get('actor_source') or 'the actors parameter, else the corpus folder’s actors.yaml, else discovered from the story’s text (tables/actors.csv)'}; "
            "policy frames after Boydstun et al.; reporting verbs neutral vs evaluative"
        ),
        "tone": "VADER (Hutto & Gilbert 2014), lexicon from the vaderSentiment package; compound score per sentence",
        "thresholds": {k: p[k] for k in ("min_words", "n_boot", "seed", "n_terms") if k in p},
    }
    return card


# --------------------------------------------------------------------------------------------
# kernel, html
# --------------------------------------------------------------------------------------------


def ensure_kernel() -> str:
    """Name of a Jupyter kernel that runs the current interpreter, installing one if needed.

    Returns ``"python3"`` when that kernelspec starts ``python``/``sys.executable`` (jupyter_client
    maps a bare ``python`` to ``sys.executable``); otherwise installs the spec ``analysis-kit``
    into ``sys.prefix/share/jupyter/kernels`` (inside the venv) and returns its name.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    ksm = KernelSpecManager()
    bare = {"python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}"}
    for name in ("python3", _KERNEL_NAME):
        try:
            spec = ksm.get_kernel_spec(name)
        except NoSuchKernel:
            continue
        argv0 = spec.argv[0] if spec.argv else ""
        if argv0 in bare or (argv0 and Path(argv0).absolute() == Path(sys.executable).absolute()):
            return name
    from ipykernel.kernelspec import install

    log.info("installing kernelspec %r for %s into %s", _KERNEL_NAME, sys.executable, sys.prefix)
    install(kernel_name=_KERNEL_NAME, display_name="Python (analysis kit)", prefix=sys.prefix)
    return _KERNEL_NAME


_EXPORTERS = threading.local()

#: an ``<img>`` tag, and a ``<div>`` with a class attribute, in the exporter's own template output
_IMG_TAG = re.compile(r"<img\b[^>]*>")
_DIV_CLASS = re.compile(r'<div\b[^>]*\bclass="([^"]*)"[^>]*>')
_FOCUSABLE = frozenset({"jp-Cell-inputWrapper", "jp-OutputArea-output"})


def _accessible(page: str) -> str:
    """Give every image a text alternative and make input and output areas keyboard-focusable.

    nbconvert's HTML exporter does this by parsing the whole rendered page (charts embedded
    as base64 included) with BeautifulSoup and writing it out again: about 0.2 s per page,
    most of a report's HTML step. Here the same two changes are made on the template's output
    directly: ``alt`` is added to each ``<img>`` without one, ``tabindex="0"`` to each ``<div>``
    whose classes include ``jp-Cell-inputWrapper`` or ``jp-OutputArea-output``. Only markup
    written by the templates can match: the text of an article reaches the page escaped.
    """

    def img(m: re.Match[str]) -> str:
        tag = m.group(0)
        if re.search(r"\salt\s*=", tag):
            return tag
        end = -2 if tag.endswith("/>") else -1
        return f'{tag[:end]} alt="Image output (no description)"{tag[end:]}'

    def div(m: re.Match[str]) -> str:
        tag = m.group(0)
        if _FOCUSABLE.isdisjoint(m.group(1).split()) or re.search(r"\stabindex\s*=", tag):
            return tag
        return f'{tag[:-1]} tabindex="0">'

    return _DIV_CLASS.sub(div, _IMG_TAG.sub(img, page))


@functools.lru_cache(maxsize=1)
def _exporter_class() -> type:
    """nbconvert's ``HTMLExporter`` with :func:`_accessible` in place of its BeautifulSoup pass."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class KitHTMLExporter(HTMLExporter):  # type: ignore[misc]
        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> tuple[str, Any]:
            info = nb.metadata.get("language_info", {})
            highlight = self.filters.get("highlight_code") or Highlight2HTML(pygments_lexer=info.get("pygments_lexer", info.get("name")), parent=self)
            self.register_filter("highlight_code", highlight)
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _accessible(page), resources

    return KitHTMLExporter


@functools.lru_cache(maxsize=256)
def _clean_html_remembered(html_: str) -> str:
    """nbconvert's ``clean_html`` filter (bleach), remembered for the last 256 inputs.

    The template's markdown cells and highlighted code cells are the same in every report of
    a batch, so their sanitised HTML is computed once per process.
    """
    from nbconvert.filters.strings import clean_html

    return clean_html(html_)


class _MemoHighlight:
    """nbconvert's code highlighting, remembered per cell source.

    Every report of a batch has the same code cells (only the parameters differ), so the full
    page highlights each of them once per process instead of once per report. The lexer is
    the template's (``ipython3``); at most :attr:`LIMIT` cells are remembered.
    """

    LIMIT = 512

    def __init__(self, parent: Any) -> None:
        from nbconvert.filters.highlight import Highlight2HTML

        self._highlight = Highlight2HTML(pygments_lexer="ipython3", parent=parent)
        self._memo: dict[tuple[str, str, str], str] = {}

    def __call__(self, source: str, language: str | None = None, metadata: Any = None) -> str:
        key = (source, repr(language), repr(metadata))
        html_ = self._memo.get(key)
        if html_ is None:
            if len(self._memo) >= self.LIMIT:
                self._memo.clear()
            html_ = self._memo[key] = self._highlight(source, language, metadata)
        return html_


def export_html(notebook: str | os.PathLike[str], *, reader: bool) -> str:
    """Render an executed notebook to a standalone HTML page.

    Parameters
    ----------
    notebook : path
        Executed notebook.
    reader : bool
        ``True``: hide every code cell and prompt and drop stderr streams (the reader version);
        ``False``: the full notebook with code.

    Returns
    -------
    str
        HTML. Uses the kit's ``kit`` template (JupyterLab look, no remote scripts, a
        Content-Security-Policy that allows no script at all). Article text reaches the page
        only through escaped outputs (pandas tables, plain text), so markup inside an article
        is shown, never run — and the policy would block any script that slipped through.
    """
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    section = "Chart"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            heads = [line.lstrip("#").strip() for line in cell.source.splitlines() if line.startswith("#")]
            section = heads[0] if heads else section
            continue
        if cell.cell_type != "code":
            continue
        if reader:
            cell.outputs = [o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        for o in cell.get("outputs", []):
            if "image/png" in o.get("data", {}):
                o.setdefault("metadata", {})["alt"] = f"Chart: {section}"
    exporters = _EXPORTERS.__dict__.setdefault("by_reader", {})
    exporter = exporters.get(reader)
    if exporter is None:  # one per thread and kind: the templates are compiled once, not per report
        exporter = exporters[reader] = _exporter_class()(
            template_name="kit",
            extra_template_basedirs=[str(TEMPLATES_DIR)],
            exclude_input=reader,
            exclude_input_prompt=reader,
            exclude_output_prompt=reader,
            embed_images=True,
        )
        extra: dict[str, Any] = {"clean_html": _clean_html_remembered}
        if not reader:
            extra["highlight_code"] = _MemoHighlight(exporter)
        exporter.filters = {**exporter.filters, **extra}
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": nb.metadata.get("title", "Outlet comparison")}})
    return body


def _export_both(notebook: str | os.PathLike[str], *, parallel: bool = True) -> tuple[str, str]:
    """The reader and the full HTML page of an executed notebook: ``(reader, full)``.

    With ``parallel`` on a machine with two or more cores (and ``fork``), the full page is
    rendered by a forked helper process while this process renders the reader page: the two
    exports (Jinja templates, markdown, and nbconvert's HTML post-processing over the embedded
    charts) take about half the time. The pages are the same either way; a helper that fails
    to start or dies leaves the work to this process.
    """
    import multiprocessing as mp

    pool = None
    if parallel and (os.cpu_count() or 1) >= 2 and "fork" in mp.get_all_start_methods():
        from concurrent.futures import ProcessPoolExecutor

        import nbconvert  # noqa: F401 - imported before the fork, so the helper starts warm

        from analysis import output

        with contextlib.suppress(OSError):
            pool = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork"),
                                       initializer=output.die_with_parent, initargs=(os.getpid(),))
    if pool is None:
        return export_html(notebook, reader=True), export_html(notebook, reader=False)
    from concurrent.futures.process import BrokenProcessPool

    try:
        full = pool.submit(export_html, str(notebook), reader=False)
        reader = export_html(notebook, reader=True)
        try:
            return reader, full.result()
        except BrokenProcessPool:
            return reader, export_html(notebook, reader=False)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


# --------------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------------


#: Longest readable part of a folder name made from an id (characters).
SLUG_LENGTH = 60


def _readable(text: str) -> str:
    """Letters and digits of ``text`` (any script, NFC), other runs as ``-``; at most SLUG_LENGTH."""
    import unicodedata

    s = unicodedata.normalize("NFC", str(text))
    s = re.sub(r"[\W_]+", "-", s).strip("-")
    return s[:SLUG_LENGTH].rstrip("-")


def _slug(text: str) -> str:
    """Folder name for an id: its readable part plus 8 hex digits of the SHA-256 of the whole id.

    Two different ids never share a folder (the hash), every name ends in a hex digit (so no
    id's folder is ``<other>.failed``, ``index.html`` or ``batch.csv``), and letters of any script
    are kept (NFC): ``战争`` -> ``战争-1b2c…``.
    """
    import hashlib

    digest = hashlib.sha256(str(text).encode("utf-8", "surrogatepass")).hexdigest()[:8]
    readable = _readable(text)
    return f"{readable}-{digest}" if readable else f"id-{digest}"


def report_name(source: str | os.PathLike[str] | None, event: str | None = None) -> str:
    """Folder name of a report: ``seeds`` for the seed corpus, else the source stem, plus the event.

    The event part is :func:`_slug` of the event id (readable part + short hash), so reports of
    different stories never share a folder.
    """
    base = "seeds" if source is None or str(source) == "" else (_readable(Path(source).stem if Path(source).suffix else Path(source).name) or "corpus")
    if source is not None and str(source) != "":
        from analysis.corpus import SEEDS_DIR

        if Path(source).resolve() == SEEDS_DIR.resolve():
            base = "seeds"
    return f"{base}-{_slug(event)}" if event else base


def is_complete(folder: str | os.PathLike[str]) -> bool:
    """True when ``folder`` is a finished report (``manifest.json`` with ``status: complete``)."""
    m = Path(folder) / "manifest.json"
    if not m.is_file():
        return False
    try:
        return json.loads(m.read_text(encoding="utf-8")).get("status") == "complete"
    except (OSError, ValueError):
        return False


def _added_files(folder: Path) -> list[str]:
    """Files in a finished report folder that its manifest does not list (a user put them there)."""
    try:
        listed = set(json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("files", []))
    except (OSError, ValueError, AttributeError):
        return []
    if not listed:
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir() and p.relative_to(folder).as_posix() not in listed)


def _refuse_added_files(final: Path) -> None:
    """Refuse to replace a finished report that holds files the kit did not write."""
    if not is_complete(final):
        return
    added = _added_files(final)
    if added:
        shown = ", ".join(added[:5]) + (" …" if len(added) > 5 else "")
        raise ParameterError(
            f"out={str(final)!r} is a finished report with {len(added)} file(s) the report did not write ({shown}); "
            "move them out or choose another folder (nothing was deleted)."
        )


def read_sections(folder: str | os.PathLike[str]) -> list[dict[str, str]]:
    """The status of every section of a report, from its ``tables/sections.csv``.

    Parameters
    ----------
    folder : path
        A report folder (finished or being written).

    Returns
    -------
    list of dict
        ``[{"section", "status" ("ok" | "empty" | "error"), "message"}, …]`` in notebook order;
        empty when the notebook saved no section table.
    """
    path = Path(folder) / "tables" / "sections.csv"
    if not path.is_file():
        return []
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        log.warning("could not read %s: %s", path, exc)
        return []
    cols = [c for c in ("section", "status", "message") if c in table.columns]
    from analysis.output import FORMULA_STARTS

    def plain(v: str) -> str:  # undo the CSV guard of output.save_table
        return v[1:] if v[:1] == "'" and v[1:2] in FORMULA_STARTS else v

    return [{c: plain(str(row[c])) for c in cols} for _, row in table.iterrows()]


class _Step:
    """Log a step's start and, when it took more than a second, its duration."""

    def __init__(self, name: str, timings: dict[str, float], *, progress: bool) -> None:
        self.name, self.timings, self.progress = name, timings, progress

    def __enter__(self) -> _Step:
        self.t0 = time.perf_counter()
        if self.progress:
            log.info("%s …", self.name)
        return self

    def __exit__(self, *exc: object) -> None:
        dt = time.perf_counter() - self.t0
        self.timings[self.name] = dt
        if self.progress and dt > 1.0:
            log.info("%s done in %.1f s", self.name, dt)


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _error_summary(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    evalue = getattr(exc, "evalue", None)
    if ename:
        return f"{ename}: {evalue}"
    return f"{type(exc).__name__}: {exc}"


def _check_story_exists(src: Path, event: str | None, params: Mapping[str, Any] | None = None) -> None:
    """Fail before starting a kernel when the story or its outlets cannot be selected.

    Checks the event, and the ``outlets`` and ``reference_outlet`` parameters against the
    outlets of that story.
    """
    from analysis.corpus import load_corpus

    docs = load_corpus(src, allow_outside=bool((params or {}).get("allow_outside", False)))
    events = sorted(map(str, docs["event_id"].dropna().unique())) if "event_id" in docs.columns else []
    if event and event not in events:
        raise ParameterError(f"event={event!r} is not in {src}; valid events: {events[:20]}{' …' if len(events) > 20 else ''}.")
    if not event and len(events) > 1:
        raise ParameterError(
            f"{src} holds {len(events)} stories; choose one with --event (e.g. {events[:5]}) or render them all with `batch`."
        )
    _check_outlets(docs if not event else docs[docs["event_id"].astype(str) == event], params or {}, event or "")


_FACTS: dict[tuple, tuple[list[str], list[str]]] = {}


def _corpus_facts(src: Path, allow_outside: bool) -> tuple[list[str], list[str]]:
    """The events and outlets of a corpus, read once per process while its files are unchanged."""
    from analysis.corpus import load_corpus

    stamp = []
    for f in (src, src / "manifest.csv"):
        with contextlib.suppress(OSError):
            st = f.stat()
            stamp.append((st.st_mtime_ns, st.st_size))
    key = (str(src), bool(allow_outside), tuple(stamp))
    if key not in _FACTS:
        docs = load_corpus(src, allow_outside=allow_outside)
        events = sorted(map(str, docs["event_id"].dropna().unique())) if "event_id" in docs.columns else []
        _FACTS.clear()
        _FACTS[key] = (events, sorted(map(str, docs["outlet"].dropna().unique())))
    return _FACTS[key]


def template_for(scope: str) -> Path:
    """The report template of a scope: :data:`TEMPLATE` for ``"story"``, :data:`CORPUS_TEMPLATE`
    for ``"corpus"``.

    Raises
    ------
    ParameterError
        ``scope`` is not one of :data:`SCOPES`.
    """
    if scope not in SCOPES:
        raise ParameterError(f"scope={scope!r} is not a report scope; valid: {', '.join(SCOPES)} (--scope story|corpus).")
    return TEMPLATE if scope == "story" else CORPUS_TEMPLATE


def resolve_scope(
    source: str | os.PathLike[str] | None,
    event: str | None = None,
    scope: str | None = None,
    params: Mapping[str, Any] | None = None,
) -> str:
    """Which report to render, checked against the corpus before any kernel starts.

    Parameters
    ----------
    source : path or None
        The corpus (None or "" = the seed corpus).
    event : str, optional
        ``event_id`` of one story (``--event``).
    scope : {"story", "corpus"} or None
        ``--scope``; None chooses: ``"story"`` with an event or when the corpus holds one story,
        ``"corpus"`` when it holds several.
    params : mapping, optional
        Report parameters; ``allow_outside``, ``outlets`` and ``reference_outlet`` are checked.

    Returns
    -------
    str
        ``"story"`` or ``"corpus"``.

    Raises
    ------
    ParameterError
        Unknown scope; ``--scope corpus`` with ``--event``; ``--scope story`` on a corpus of
        several stories without ``--event`` (the message names both fixes); an event or outlet
        not in the corpus.
    """
    from analysis.corpus import SEEDS_DIR

    if scope not in (None, "", *SCOPES):
        raise ParameterError(f"scope={scope!r} is not a report scope; valid: {', '.join(SCOPES)} (--scope story|corpus).")
    p = dict(params or {})
    src = Path(source).expanduser().resolve() if source not in (None, "") else SEEDS_DIR.resolve()
    if not src.exists():
        raise ParameterError(f"source {str(source)!r} does not exist; give a corpus folder (with manifest.csv) or a .csv/.jsonl/.parquet file.")
    if scope == "corpus" and event:
        raise ParameterError(
            f"--event {event!r} picks one story, but --scope corpus compares outlets across all stories; "
            "drop --event, or use --scope story to render that story."
        )
    events, outlets = _corpus_facts(src, bool(p.get("allow_outside", False)))
    if scope == "story" or event:
        if not event and len(events) > 1:
            raise ParameterError(
                f"--scope story: {src} holds {len(events)} stories; choose one with --event (e.g. {events[:5]}), "
                "compare outlets across all of them with --scope corpus, or render one report per story with `batch`."
            )
        _check_story_exists(src, event, p)
        return "story"
    if scope != "corpus" and len(events) <= 1:
        _check_story_exists(src, None, p)
        return "story"
    _check_outlets(pd.DataFrame({"outlet": outlets}), p, "")
    if len(outlets) < 2:
        raise NotEnoughData(f"{src} has {len(outlets)} outlet(s); a corpus report compares at least two.")
    return "corpus"


def _check_outlets(story: pd.DataFrame, params: Mapping[str, Any], event: str) -> None:
    """Refuse ``outlets``/``reference_outlet`` values that are not outlets of the story."""
    have = sorted(map(str, story["outlet"].dropna().unique()))
    where = f"the story {event!r}" if event else "the corpus"
    wanted = parse_list(params.get("outlets", ""))
    unknown = [o for o in wanted if o not in have]
    if unknown:
        raise ParameterError(f"parameter 'outlets': {unknown} not in {where}; valid outlets: {have}.")
    ref = str(params.get("reference_outlet", "") or "")
    if ref and ref not in (wanted or have):
        raise ParameterError(f"parameter 'reference_outlet': {ref!r} is not among the compared outlets; valid: {wanted or have}.")


def _check_loopback(host: str = "127.0.0.1") -> None:
    """Fail at once when no local TCP port can be opened (the kernel talks to the CLI over one).

    Raises
    ------
    ReportError
        Naming the address and the system's reason, instead of a kernel that never answers.
    """
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((host, 0))
            sock.listen(1)
            port = sock.getsockname()[1]
            with socket.create_connection((host, port), timeout=5):
                pass
    except OSError as exc:
        raise ReportError(
            f"cannot open a local TCP connection on {host} ({exc.strerror or exc}); the notebook kernel needs "
            "a working loopback interface (check `ip addr show lo`, or that the sandbox allows local ports)."
        ) from None


def _pid_alive(pid: int, create_time: float | None) -> bool:
    """True when process ``pid`` exists and (when given) was created at ``create_time``."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is in requirements.txt
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return False
        return create_time is None or abs(proc.create_time() - create_time) < 1.0
    except psutil.NoSuchProcess:
        return False


def _process_start(pid: int) -> float | None:
    try:
        import psutil

        return psutil.Process(pid).create_time()
    except Exception:  # noqa: BLE001 - only a hint for the stale check
        return None


def _write_owner(folder: Path, **extra: Any) -> None:
    info = {"pid": os.getpid(), "created": _process_start(os.getpid()), **extra}
    (folder / _OWNER).write_text(json.dumps(info), encoding="utf-8")


_PARTIAL_PID = re.compile(r"\.partial-(\d+)-[0-9a-f]{8}$")


def remove_stale_partials(parent: str | os.PathLike[str]) -> list[Path]:
    """Remove the unfinished report folders of runs that died (``.<name>.partial-*``, ``.<name>.old-*``).

    A folder is removed only when the process that made it (recorded in its ``.owner.json``)
    is gone; a kernel it recorded that still runs is stopped first. Its kernel connection file
    lives inside the folder and goes with it.

    Parameters
    ----------
    parent : path
        The folder holding report folders.

    Returns
    -------
    list of Path
        The folders removed.
    """
    root = Path(parent)
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for folder in sorted([*root.glob(".*.partial-*"), *root.glob(".*.old-*")]):
        if not folder.is_dir() or folder.is_symlink():
            continue
        try:
            owner = json.loads((folder / _OWNER).read_text(encoding="utf-8"))
            pid, created = int(owner["pid"]), owner.get("created")
        except (OSError, ValueError, KeyError, TypeError):
            m = _PARTIAL_PID.search(folder.name)
            if not m:
                continue  # not made by this version of the kit: leave it
            owner, pid, created = {}, int(m.group(1)), None  # killed before it wrote .owner.json
        if _pid_alive(pid, created):
            continue
        kernel = owner.get("kernel_pid")
        if kernel and _pid_alive(int(kernel), owner.get("kernel_created")):
            with contextlib.suppress(OSError):
                os.kill(int(kernel), 9)
        _remove_tree(folder)
        removed.append(folder)
        log.info("removed %s, left by a run that ended (pid %d)", folder, pid)
    return removed


def _kernel_env() -> dict[str, str]:
    """The kernel's environment: this one, with this kit's package first on ``PYTHONPATH``.

    So a kernel imports the same ``analysis`` as the command that started it, even when
    another checkout is installed in the same environment.
    """
    env = dict(os.environ)
    old = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = str(PACKAGE_ROOT) + (os.pathsep + old if old else "")
    env.pop("JPY_SESSION_NAME", None)
    return env


def _start_kernel(kernel: str, *, cwd: Path, quiet: bool = False) -> Any:
    """Launch kernel ``kernel`` in ``cwd`` and return its (asynchronous) kernel manager.

    Returns as soon as the process is launched; the kernel finishes booting on its own while
    the caller goes on. papermill (nbclient) then uses the running kernel instead of starting
    one, and :func:`_stop_kernel` shuts it down.
    """
    from jupyter_client.manager import AsyncKernelManager

    class KernelManager(AsyncKernelManager):  # type: ignore[misc]
        """Remembers its clients so that :func:`_stop_kernel` can close their channels."""

        def client(self, **kwargs: Any) -> Any:
            kc = super().client(**kwargs)
            self.kit_clients.append(kc)
            return kc

    from analysis.kernelclient import ReadyClient

    km = KernelManager(kernel_name=kernel, connection_file=str(cwd / _CONNECTION))
    km.client_factory = ReadyClient  # ready when the kernel answers, not after 0.2 s of silence
    km.kit_clients = []

    async def start() -> None:
        # no input history: a report's cells are not the user's commands (they would fill
        # ~/.ipython's history database), and writing them costs CPU in every cell
        extra = ["--HistoryManager.enabled=False"] + (["--IPKernelApp.log_level=ERROR"] if quiet else [])
        await km.start_kernel(cwd=str(cwd), env=_kernel_env(), extra_arguments=extra)

    _run_async(start)
    return km


def _run_async(fn: Any) -> Any:
    """Run the coroutine function ``fn`` to completion, as nbclient runs its own.

    jupyter_core's runner uses this thread's event loop, or a helper thread when a loop is
    already running (inside Jupyter, or under a browser-automation test).
    """
    from jupyter_core.utils import run_sync

    return run_sync(fn)()


def _close_clients(km: Any) -> None:
    for kc in getattr(km, "kit_clients", []):
        kc.stop_channels()
    km.kit_clients = []


def _ask_kernel_to_stop(km: Any) -> None:
    """Send the shutdown request and return at once (the kernel takes ~1 s to exit).

    :func:`_stop_kernel` later waits for the exit, so the caller can work in between.
    """
    if km is None:
        return
    _close_clients(km)

    async def ask() -> None:
        if await km.is_alive():
            km.shutting_down = True
            km.stop_restarter()
            await km.request_shutdown()
            km.kit_stop_requested = True

    _run_async(ask)


def _stop_kernel(km: Any, *, now: bool = False) -> None:
    """Shut down a kernel started by :func:`_start_kernel` (no-op for ``None`` or a dead one).

    ``now``: kill it at once (a refused or failed run) instead of asking it to exit.
    """
    if km is None:
        return
    _close_clients(km)

    async def stop() -> None:
        try:
            if getattr(km, "kit_stop_requested", False):
                await km.finish_shutdown()  # waits for the exit; kills it after a grace period
                await km.cleanup_resources()
            elif await km.is_alive():
                await km.shutdown_kernel(now=now)
            else:
                await km.cleanup_resources()
        except RuntimeError as exc:  # "No kernel is running!": it stopped on its own
            if "No kernel" not in str(exc):
                raise

    _run_async(stop)


def render_report(
    source: str | os.PathLike[str] | None = None,
    *,
    event: str | None = None,
    out: str | os.PathLike[str] | None = None,
    params: Mapping[str, Any] | None = None,
    progress: bool = True,
    timeout: int = 900,
    _check_story: bool = True,
    scope: str | None = None,
    kernels: Any = None,
) -> Path:
    """Run the comparison template on a corpus and write a complete report folder.

    Parameters
    ----------
    source : path, optional
        Corpus folder (with ``manifest.csv``) or ``.csv``/``.jsonl``/``.parquet`` file;
        ``None`` = the seed corpus.
    event : str, optional
        ``event_id`` of the story; needed when the corpus holds several.
    out : path, optional
        The report folder; default ``./reports/<name>`` of the working directory (see
        :func:`report_name`). An existing finished report there is replaced, unless it holds
        files the report did not write (then the run is refused and nothing is deleted); any
        other existing folder, and any folder inside the source corpus, is refused.
    params : mapping, optional
        Other notebook parameters (validated against the template, see :func:`notebook_parameters`).
    progress : bool
        Log each step to stderr and show papermill's cell progress bar.
    timeout : int
        Seconds allowed per notebook cell.
    scope : {"story", "corpus"}, optional
        ``"story"`` runs :data:`TEMPLATE` on one story; ``"corpus"`` runs :data:`CORPUS_TEMPLATE`
        over every story (no ``event``). None chooses (:func:`resolve_scope`): the corpus report
        when the corpus holds several stories and no ``event`` is given, else the story report.
        A corpus report's default folder is ``./reports/<source name>-corpus``.
    kernels : analysis.batch.WarmKernel, optional
        A kernel kept alive across reports (a batch worker's): the report runs on it (namespace
        cleared first) and leaves it running; default: a new kernel, stopped at the end.

    Returns
    -------
    Path
        The finished report folder.

    Raises
    ------
    ParameterError
        Unknown, ill-typed or out-of-range parameter, an outlet or event not in the corpus,
        missing source, a non-report output folder (all checked before the kernel starts).
    ReportError
        The notebook failed; the message gives the error and where the failed notebook was kept.
    """
    from analysis import output
    from analysis.corpus import SEEDS_DIR

    timings: dict[str, float] = {}
    t_start = time.perf_counter()
    src = Path(source).expanduser().resolve() if source not in (None, "") else SEEDS_DIR.resolve()
    if not src.exists():
        raise ParameterError(f"source {str(source)!r} does not exist; give a corpus folder (with manifest.csv) or a .csv/.jsonl/.parquet file.")
    check_parameter_values(dict(params or {}))
    if _check_story:
        scope = resolve_scope(src, event, scope, params)
    else:
        scope = scope or "story"
    template = template_for(scope)
    name = report_name(None if source in (None, "") else src, event) + ("-corpus" if scope == "corpus" else "")
    final = Path(out).expanduser().resolve() if out is not None else (reports_dir() / name).resolve()
    if final == src or src in final.parents:
        raise ParameterError(f"out={str(final)!r} lies inside the source corpus {src}; choose another folder.")
    if final.exists() and not is_complete(final) and (not final.is_dir() or any(final.iterdir())):
        raise ParameterError(f"out={str(final)!r} exists and is not a finished report of the kit; choose a new folder (nothing was overwritten).")
    _refuse_added_files(final)
    _check_loopback()
    kernel = ensure_kernel()
    new_parents = [d for d in (final.parent, *final.parent.parents) if not d.exists()]
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(final.parent)
    # the maker's pid is in the name too: a run killed before it wrote .owner.json is still known
    tmp = final.parent / f".{final.name}.partial-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    _write_owner(tmp)
    nb_out = tmp / template.name
    km = None
    finished = False
    try:
        # the kernel boots (about a second) while this process loads papermill and checks the
        # parameters
        with _Step("starting the kernel, checking the parameters", timings, progress=progress):
            if kernels is not None:
                km = kernels.acquire(kernel, cwd=tmp, quiet=not progress)
            else:
                km = _start_kernel(kernel, cwd=tmp, quiet=not progress)
            with contextlib.suppress(Exception):
                kpid = km.provisioner.process.pid
                _write_owner(tmp, kernel_pid=kpid, kernel_created=_process_start(kpid))
            import papermill

            spec = notebook_parameters(template)
            user = validate_parameters(params, template, spec=spec)
            _refuse_reserved(user, setter="by the report itself")
        run_params = {k: s["default"] for k, s in spec.items()}
        run_params.update(user)
        run_params["source"] = "" if source in (None, "") else str(src)
        if run_params.get("actors"):  # the kernel runs in the report folder: pass an absolute path
            run_params["actors"] = str(Path(str(run_params["actors"])).expanduser().resolve())
        if scope == "story":
            run_params["event"] = event or ""
        run_params["out_dir"] = "."

        with _Step(f"running {template.name} ({name})", timings, progress=progress):
            try:
                papermill.execute_notebook(
                    str(template),
                    str(nb_out),
                    parameters=run_params,
                    kernel_name=kernel,
                    km=km,
                    cwd=str(tmp),
                    progress_bar=progress,
                    log_output=False,
                    execution_timeout=timeout,
                    start_timeout=KERNEL_START_TIMEOUT,
                    request_save_on_cell_execute=False,
                )
            except Exception as exc:  # papermill re-raises the notebook's error
                _stop_kernel(km, now=True)
                km = None
                failed = final.parent / f"{final.name}.failed"
                if is_complete(failed):  # never delete a finished report, whatever its name
                    failed = final.parent / f"{final.name}.failed-{uuid.uuid4().hex[:8]}"
                _remove_tree(failed)
                (tmp / _OWNER).unlink(missing_ok=True)
                os.replace(tmp, failed)
                raise ReportError(
                    f"report {name!r} failed: {_error_summary(exc)} (executed notebook kept in {failed / template.name})"
                ) from None
        if kernels is None:
            _ask_kernel_to_stop(km)  # it exits while the HTML is written
        with _Step("writing HTML", timings, progress=progress):
            reader_html, full_html = _export_both(nb_out, parallel=kernels is None)
            output.write_text(tmp / _READER, reader_html, inputs=[src])
            output.write_text(tmp / _FULL, full_html, inputs=[src])
        if kernels is None:
            _stop_kernel(km)
        else:
            kernels.release(km)  # kept running for the worker's next story
        km = None
        timings["total"] = time.perf_counter() - t_start
        (tmp / _CONNECTION).unlink(missing_ok=True)
        files = [p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file() and p.name != _OWNER] + ["manifest.json"]
        output.write_manifest(
            tmp,
            parameters={k: v for k, v in run_params.items() if k != "out_dir"},
            inputs=output.input_hashes(src, allow_outside=bool(run_params.get("allow_outside", False))),
            method_card=method_card({**run_params, "actor_source": _actor_source(tmp)}),
            timings=timings,
            files=files,
            extra={
                "name": name,
                "event": event or "",
                "source": str(src),
                "notebook": template.name,
                "scope": scope,
                "kernel": kernel,
                "sections": read_sections(tmp),
            },
            protect=[src],
        )
        if final.exists():
            _refuse_added_files(final)
            old = final.parent / f".{final.name}.old-{uuid.uuid4().hex[:8]}"
            os.replace(final, old)
            (tmp / _OWNER).unlink(missing_ok=True)
            os.replace(tmp, final)
            _remove_tree(old)
        else:
            (tmp / _OWNER).unlink(missing_ok=True)
            os.replace(tmp, final)
        finished = True
    finally:
        _stop_kernel(km, now=not finished)
        if tmp.exists():
            _remove_tree(tmp)
        if not finished:  # leave no empty folders behind a refused or failed run
            for d in new_parents:
                with contextlib.suppress(OSError):
                    d.rmdir()
    if progress:
        log.info("report written to %s (%.1f s)", final, time.perf_counter() - t_start)
    return final


# --------------------------------------------------------------------------------------------
# batch
# --------------------------------------------------------------------------------------------


_BATCH_MARK = ".analysis-batch.json"
_BATCH_COLUMNS = ["event", "title", "published", "status", "path", "error", "seconds", "n_docs", "n_outlets", "n_section_errors"]


def _story_facts(docs: pd.DataFrame) -> pd.DataFrame:
    """Per story: ``title`` (of its earliest article with one), ``published`` (first day, or
    ``first – last``), ``n_docs``, ``n_outlets``; indexed by event id (str)."""
    rows = {}
    for event, group in docs.groupby(docs["event_id"].astype(str), sort=True):
        dated = group.assign(_t=pd.to_datetime(group["published"], errors="coerce")).sort_values(["_t", "doc_id"], kind="stable", na_position="last")
        titles = [str(t).strip() for t in dated["title"] if isinstance(t, str) and str(t).strip()] if "title" in dated else []
        days = sorted({t.date().isoformat() for t in dated["_t"].dropna()})
        published = "" if not days else days[0] if len(days) == 1 else f"{days[0]} – {days[-1]}"
        rows[event] = {
            "title": titles[0] if titles else "",
            "published": published,
            "n_docs": int(len(group)),
            "n_outlets": int(group["outlet"].nunique()),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _section_errors(folder: str) -> int | None:
    """Sections with status ``error`` in a finished report's manifest (None when unknown)."""
    try:
        manifest = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    sections = manifest.get("sections")
    if not isinstance(sections, list):
        return None
    return sum(1 for s in sections if isinstance(s, dict) and s.get("status") == "error")


def _check_batch_root(root: Path, src: Path) -> None:
    """Refuse a batch folder inside the corpus, or an existing folder that is not a batch of the kit."""
    if root == src or src in root.parents:
        raise ParameterError(f"out={str(root)!r} lies inside the source corpus {src}; choose another folder.")
    if root.exists() and not root.is_dir():
        raise ParameterError(f"out={str(root)!r} exists and is not a folder; choose a new folder for the batch.")
    if root.is_dir() and not (root / _BATCH_MARK).is_file() and any(root.iterdir()):
        raise ParameterError(
            f"out={str(root)!r} exists and is not a batch folder of the kit; choose a new folder (nothing was overwritten)."
        )


def _stop_pool(pool: Any) -> None:
    """End a process pool now: cancel what has not started and kill the workers."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


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

    The same as :func:`analysis.batch.batch` (see there for the parameters and the returned
    columns: ``event, title, published, status, path, error, seconds, n_docs, n_outlets,
    n_section_errors``).
    """
    from analysis.batch import batch as run_batch

    return run_batch(source, by=by, jobs=jobs, out=out, params=params, progress=progress, engine=engine, scheduler=scheduler)


def lean_imports() -> None:
    """Keep the command line's processes from importing ``rfc3987_syntax`` (for processes the kit owns).

    ``jsonschema`` (imported by nbformat, papermill and nbconvert) imports ``rfc3987_syntax``
    when it is installed (``jupyter-events`` installs it through ``jsonschema[format-nongpl]``)
    and that package compiles about forty Lark grammars at import: 1-3 s per process, more
    than the rest of papermill and nbconvert together. Only the ``iri`` string formats need it,
    and notebook validation uses none. Marking the module absent makes ``jsonschema`` skip
    those formats. Called by the command line and the batch workers, never on import of the
    kit, so a user's own session is left as it is; a process that already imported the
    package keeps it.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _worker_init(parent_pid: int) -> None:
    """Start of a batch worker: end with the batch process; lean imports (:func:`lean_imports`)."""
    from analysis.output import die_with_parent

    die_with_parent(parent_pid)
    lean_imports()


def write_index(table: pd.DataFrame, root: str | os.PathLike[str], *, title: str = "Reports") -> Path:
    """Write ``index.html`` linking every report with its status (all text HTML-escaped).

    Parameters
    ----------
    table : DataFrame
        :func:`batch` output (``event, status, path, error`` and, when present, ``title``,
        ``published``, ``n_outlets``, ``n_section_errors``).
    root : path
        The batch folder; links are relative to it.

    Returns
    -------
    Path
        ``<root>/index.html``: one row per story with its title (linked to the reader report),
        event id, date, status, outlets, sections with errors and the error message.
    """
    from analysis import output

    root = Path(root)
    esc = html.escape
    lines = []
    for row in table.to_dict("records"):
        status = str(row["status"])
        event = str(row["event"])
        name = str(row.get("title") or "") or event
        if status in ("complete", "skipped") and row["path"]:
            path = Path(row["path"])
            rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
            link = f'<a href="{esc(rel)}/{_READER}">{esc(name)}</a>'
            extra = f' · <a href="{esc(rel)}/{_FULL}">with code</a> · <a href="{esc(rel)}/manifest.json">manifest</a>'
        else:
            link, extra = esc(name), ""
        n_err = row.get("n_section_errors")
        n_err_text = "" if n_err is None or pd.isna(n_err) else str(int(n_err))
        cls = "fail" if status not in ("complete", "skipped") else "warn" if n_err_text not in ("", "0") else "ok"
        lines.append(
            f'<tr class="{cls}"><td>{link}{extra}<br><span class="id">{esc(event)}</span></td>'
            f"<td>{esc(str(row.get('published') or ''))}</td><td>{esc(status)}</td>"
            f"<td>{esc(str(row.get('n_outlets', '')))}</td><td>{esc(n_err_text)}</td><td>{esc(str(row['error']))}</td></tr>"
        )
    n_ok = int(table["status"].isin(["complete", "skipped"]).sum())
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{esc(title)}</title>
<style>
body {{ font-family: "DejaVu Sans", sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; }} td, th {{ padding: .3em .8em; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }}
tr.fail td {{ background: #fdecea; }} tr.warn td {{ background: #fff8e1; }} td:last-child {{ max-width: 50em; font-size: .9em; }}
.id {{ color: #666; font-size: .85em; }}
</style></head><body>
<h1>{esc(title)}</h1>
<p>{n_ok} of {len(table)} reports finished; {len(table) - n_ok} failed.</p>
<table><thead><tr><th>story</th><th>date</th><th>status</th><th>outlets</th><th>sections with errors</th><th>error</th></tr></thead>
<tbody>
{chr(10).join(lines)}
</tbody></table></body></html>
"""
    return output.write_text(root / "index.html", page)
