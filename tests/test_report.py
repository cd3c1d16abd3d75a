"""Tests for analysis.report and the command line: complete report folders, parameter checks,
hostile parameter values, batch runs that survive a failing story and resume."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis import report
from analysis.corpus import SEEDS_DIR
from analysis.errors import ParameterError

N_CHARTS = 15  # charts of the seed report: one per figure file stem in test_report_has_every_file

ENV = {**os.environ, "MPLBACKEND": ""}
ENV.pop("MPLBACKEND")

#: A value that would create a file if it were ever executed as code.
HOSTILE = '"); import pathlib; pathlib.Path("PWNED").touch() #'
SCRIPT = "<script>document.title='PWNED';window.pwned=1</script><img src=x onerror=\"window.pwned=2\">"


def _new_children(before: set[int]) -> list:
    """Child processes (any depth) of this test process that were not there before."""
    import psutil

    out = []
    for child in psutil.Process().children(recursive=True):
        try:
            if child.pid not in before and child.status() != psutil.STATUS_ZOMBIE:
                out.append(child)
        except psutil.NoSuchProcess:
            pass
    return out


def _children() -> set[int]:
    import psutil

    return {c.pid for c in psutil.Process().children(recursive=True)}


def _run_cli(*args: str, cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], capture_output=True, text=True, env=ENV, cwd=cwd, timeout=timeout
    )


def seed_report_dir(tmp_path_factory) -> Path:
    """Render the seeds once per session through the command line (shared by the test files)."""
    out = tmp_path_factory.getbasetemp() / "shared-reports" / "seeds"
    if not report.is_complete(out):
        proc = _run_cli("report", "--out", str(out))
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert Path(proc.stdout.strip().splitlines()[-1]) == out.resolve()
    return out


def hostile_corpus(root: Path) -> Path:
    """The seeds with VOI renamed to a code-like outlet name and markup in a title and a text."""
    corpus = root / "hostile-corpus"
    if corpus.exists():
        return corpus
    shutil.copytree(SEEDS_DIR, corpus)
    man = pd.read_csv(corpus / "manifest.csv", dtype=str, keep_default_na=False)
    man.loc[man["outlet"] == "VOI", "outlet"] = HOSTILE
    man.loc[man["doc_id"] == "002", "title"] = "Title " + SCRIPT
    man.to_csv(corpus / "manifest.csv", index=False)
    first = corpus / man.loc[man["doc_id"] == "002", "path"].iloc[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n" + SCRIPT + " said the official.\n", encoding="utf-8")
    return corpus


def hostile_report_dir(tmp_path_factory) -> Path:
    """Report on the hostile corpus with the hostile outlet as parameter values (once per session)."""
    base = tmp_path_factory.getbasetemp() / "shared-reports"
    out = base / "hostile"
    if not report.is_complete(out):
        corpus = hostile_corpus(base)
        report.render_report(
            corpus,
            out=out,
            params={"outlets": f"AP, Bloomberg, {HOSTILE}", "reference_outlet": HOSTILE, "figure_formats": "png,pdf", "n_boot": 200},
            progress=False,
        )
    return out


@pytest.fixture(scope="session")
def seed_report(tmp_path_factory) -> Path:
    return seed_report_dir(tmp_path_factory)


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory) -> Path:
    return hostile_report_dir(tmp_path_factory)


# ------------------------------------------------------------------------------------------
# the report folder
# ------------------------------------------------------------------------------------------


def test_report_has_every_file(seed_report):
    for name in ("outlet_comparison.ipynb", "report.html", "report_full.html", "manifest.json"):
        assert (seed_report / name).is_file(), name
    figs = seed_report / "figures"
    stems = {p.stem for p in figs.iterdir()}
    assert stems == {
        "readability", "readability_panels", "readability_pairwise", "readability_audit", "lexical_diversity", "keyness",
        "similarity", "originality", "coverage", "actor_labels", "sources", "claims", "frames", "tone",
        "loaded_language",
    }
    for stem in stems:
        for ext in ("pdf", "svg", "png", "csv", "json"):
            assert (figs / f"{stem}.{ext}").is_file(), f"{stem}.{ext}"
    tables = {p.name for p in (seed_report / "tables").iterdir()}
    assert {
        "story.csv", "removals.csv", "readability_documents.csv", "readability_outlets.csv", "readability_pairwise.csv",
        "lexical_diversity.csv", "keyness.csv", "similarity.csv", "shared_passages.csv", "originality.csv",
        "coverage_units.csv", "coverage_matrix.csv", "actor_labels.csv", "sources.csv", "quotes.csv", "claims.csv",
        "frames.csv", "tone.csv", "method_card.csv", "actors.csv", "sections.csv", "loaded_language.csv",
        "loaded_language_sentences.csv",
    } <= tables
    # nothing half-written left beside it
    assert not [p for p in seed_report.parent.iterdir() if ".partial-" in p.name or p.name.endswith(".failed")]


def test_manifest_records_parameters_versions_hashes_method_timings(seed_report):
    m = json.loads((seed_report / "manifest.json").read_text())
    assert m["status"] == "complete" and m["name"] == "seeds"
    assert m["parameters"]["seed"] == 0 and "out_dir" not in m["parameters"]
    expected = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS_DIR.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert m["inputs_sha256"] == expected
    assert m["packages"]["papermill"] and m["packages"]["matplotlib"]
    for key in ("tokenizer", "segmenter", "syllables", "readability_formulas", "thresholds"):
        assert m["method_card"][key]
    assert m["timings_s"]["total"] > 0
    listed = set(m["files"])
    actual = {p.relative_to(seed_report).as_posix() for p in seed_report.rglob("*") if p.is_file()}
    assert listed == actual


def test_executed_notebook_has_no_errors_and_shows_charts(seed_report):
    nb = nbformat.read(seed_report / "outlet_comparison.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) == N_CHARTS


def test_notebook_charts_are_the_saved_pngs(seed_report):
    """Each chart in the notebook is the 300-dpi PNG saved in figures/ (drawn once, by the
    helper process), shown at the paper style's screen resolution (125 dpi); no placeholder
    is left behind."""
    import base64

    nb = nbformat.read(seed_report / "outlet_comparison.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    shown = [o for o in outputs if "image/png" in o.get("data", {})]
    saved = {p.read_bytes(): p.name for p in (seed_report / "figures").glob("*.png")}
    assert len(shown) == len(saved) == N_CHARTS
    names = []
    for o in shown:
        png = base64.b64decode(o["data"]["image/png"])
        assert png in saved
        names.append(saved[png])
        width_px = int.from_bytes(png[16:20], "big")
        assert o["metadata"]["image/png"]["width"] == round(width_px * 125 / 300)
    assert len(set(names)) == N_CHARTS
    assert not [o for o in outputs if "being drawn and saved" in str(o.get("data", {}).get("text/plain", ""))]
    # the HTML shows them at that width too, so every chart's text has the same size on screen
    widths = [o["metadata"]["image/png"]["width"] for o in shown]
    reader = (seed_report / "report.html").read_text(encoding="utf-8")
    assert [int(w) for w in re.findall(r'<img[^>]*\bwidth="(\d+)"', reader)] == widths


def test_report_without_png_still_shows_charts_and_leaves_no_process(tmp_path):
    """With figure_formats=svg the helper draws a screen PNG for the notebook; after the run no
    kernel or helper process of the report is left."""
    before = _children()
    out = report.render_report(out=tmp_path / "svg-only", params={"figure_formats": "svg", "n_boot": 50}, progress=False)
    nb = nbformat.read(out / "outlet_comparison.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) == N_CHARTS
    assert {p.suffix for p in (out / "figures").iterdir()} == {".svg", ".csv", ".json"}
    assert _new_children(before) == []


def test_refused_parameters_leave_no_kernel_and_no_folder(tmp_path):
    before = _children()
    target = tmp_path / "new" / "deeper" / "report"
    with pytest.raises(ParameterError, match="n_boot"):
        report.render_report(out=target, params={"n_boot": "many"}, progress=False)
    assert not (tmp_path / "new").exists()
    assert _new_children(before) == []


def test_reader_html_hides_code_full_html_shows_it(seed_report):
    reader = (seed_report / "report.html").read_text(encoding="utf-8")
    full = (seed_report / "report_full.html").read_text(encoding="utf-8")
    code = "compare_outlets(features"
    assert code not in reader
    assert code in re.sub(r"<[^>]+>", "", full)
    assert "How did the outlets cover this story?" in reader
    assert reader.count("<img") == N_CHARTS
    for heading in ("Readability", "Lexical diversity", "Similarity", "Actors and labels", "Sourcing", "Claims", "Frames", "Tone", "Method card"):
        assert heading in reader
    assert "<script" not in reader.lower()  # no remote or inline scripts at all
    assert "Content-Security-Policy" in reader


def test_html_export_reuses_its_exporter_without_carrying_anything_over(seed_report, hostile_report):
    seed_nb, hostile_nb = seed_report / "outlet_comparison.ipynb", hostile_report / "outlet_comparison.ipynb"
    report._EXPORTERS.__dict__.pop("by_reader", None)
    first = report.export_html(seed_nb, reader=True)  # a new exporter
    report.export_html(hostile_nb, reader=True)  # the same exporter, another notebook
    again = report.export_html(seed_nb, reader=True)
    assert len(report._EXPORTERS.by_reader) == 1 and first == again
    assert first == (seed_report / "report.html").read_text(encoding="utf-8")  # as the CLI wrote it
    # the full page highlights each code cell once per process; a second page is unchanged by it
    report.export_html(hostile_nb, reader=False)
    assert report.export_html(seed_nb, reader=False) == (seed_report / "report_full.html").read_text(encoding="utf-8")
    assert report._EXPORTERS.by_reader[False].filters["highlight_code"]._memo  # the remembered cells were used


def test_accessible_pass_adds_alt_and_tabindex_only_where_the_template_put_tags():
    page = ('<div class="jp-Cell jp-Cell-inputWrapper">a</div><div class="jp-Cell-inputWrapperX">b</div>'
            '<div class="x jp-OutputArea-output" tabindex="-1">c</div><div class="jp-RenderedImage jp-OutputArea-output ">'
            '<img src="data:image/png;base64,AA"><img src="x.png" alt="Chart: Tone"/></div>'
            '<pre>&lt;img src=x&gt; &lt;div class="jp-OutputArea-output"&gt;</pre>')
    out = report._accessible(page)
    assert out == ('<div class="jp-Cell jp-Cell-inputWrapper" tabindex="0">a</div><div class="jp-Cell-inputWrapperX">b</div>'
                   '<div class="x jp-OutputArea-output" tabindex="-1">c</div>'
                   '<div class="jp-RenderedImage jp-OutputArea-output " tabindex="0">'
                   '<img src="data:image/png;base64,AA" alt="Image output (no description)"><img src="x.png" alt="Chart: Tone"/></div>'
                   '<pre>&lt;img src=x&gt; &lt;div class="jp-OutputArea-output"&gt;</pre>')


def test_html_pages_have_the_same_markup_as_nbconvert_s_exporter(seed_report, hostile_report):
    # reference: nbconvert's own HTMLExporter (BeautifulSoup pass); every image of the report has
    # its own alt text, so the two pages are the same document, tag for tag
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    for nb in (seed_report / "outlet_comparison.ipynb", hostile_report / "outlet_comparison.ipynb"):
        for reader in (True, False):
            ours = report.export_html(nb, reader=reader)
            saved = report._exporter_class, report._EXPORTERS.__dict__.pop("by_reader", None)
            report._exporter_class = lambda: HTMLExporter
            try:
                reference = report.export_html(nb, reader=reader)
            finally:
                report._exporter_class = saved[0]
                report._EXPORTERS.__dict__.pop("by_reader", None)
            assert ours != reference  # written directly, not re-serialised
            assert str(BeautifulSoup(ours, features="html.parser")) == reference
            assert ours.count('tabindex="0"') == reference.count('tabindex="0"') > 10


def test_pdf_figures_embed_truetype_fonts(seed_report):
    pdfs = list((seed_report / "figures").glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        raw = pdf.read_bytes()
        assert b"/Type3" not in raw, pdf.name
        assert b"/FontFile2" in raw, pdf.name


def test_figure_csv_is_the_plotted_data(seed_report):
    data = pd.read_csv(seed_report / "figures" / "readability.csv")
    assert set(data["metric"]) == {"flesch_kincaid_grade"}
    assert sorted(data["outlet"]) == sorted(pd.read_csv(seed_report / "tables" / "story.csv")["outlet"])
    card = json.loads((seed_report / "figures" / "readability.json").read_text())
    assert card["manifest"] == "../manifest.json" and card["parameters"]["metric"] == "flesch_kincaid_grade"


def test_rerender_replaces_a_finished_report_but_never_a_foreign_folder(tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(ParameterError, match="not a finished report"):
        report.render_report(out=foreign, progress=False)
    assert (foreign / "notes.txt").read_text() == "keep me"
    with pytest.raises(ParameterError, match="inside the source"):
        report.render_report(out=SEEDS_DIR / "out", progress=False)


# ------------------------------------------------------------------------------------------
# parameters
# ------------------------------------------------------------------------------------------


def test_notebook_parameters_are_typed_and_documented():
    spec = report.notebook_parameters()
    assert spec["seed"] == {"type": "int", "default": 0, "help": "seed of every bootstrap"}
    assert spec["source"]["type"] == "str" and spec["source"]["default"] == ""
    assert {"source", "event", "outlets", "reference_outlet", "out_dir", "figure_formats", "seed", "n_boot", "min_words"} <= set(spec)
    assert all(s["help"] for s in spec.values())


def test_unknown_parameter_is_named_with_the_valid_ones():
    with pytest.raises(ParameterError) as err:
        report.validate_parameters({"n_bootstrap": 10})
    msg = str(err.value)
    assert "'n_bootstrap'" in msg and "n_boot: int" in msg and "outlets: str" in msg


@pytest.mark.parametrize("params", [{"seed": "1"}, {"n_boot": 1.5}, {"seed": True}, {"outlets": ["AP"]}])
def test_ill_typed_parameter_is_refused(params):
    name = next(iter(params))
    with pytest.raises(ParameterError, match=f"parameter '{name}' must be"):
        report.validate_parameters(params)


def test_command_line_values_are_coerced_to_declared_types():
    assert report.coerce_parameters([("seed", "7"), ("outlets", "AP,VOI")]) == {"seed": 7, "outlets": "AP,VOI"}
    with pytest.raises(ParameterError, match="'seed' must be int"):
        report.coerce_parameters([("seed", "seven")])


def test_reserved_parameters_point_to_the_option():
    with pytest.raises(ParameterError, match="--out"):
        report.render_report(params={"out_dir": "/tmp/x"}, progress=False)


def test_cli_bad_parameter_exits_2_without_traceback():
    proc = _run_cli("report", "-p", "colour", "red")
    assert proc.returncode == 2
    assert "error: unknown parameter 'colour'" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = _run_cli("report", "/nonexistent/corpus")
    assert proc.returncode == 2 and "does not exist" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_help_lists_commands():
    proc = _run_cli("--help")
    assert proc.returncode == 0
    for cmd in ("report", "batch", "params"):
        assert cmd in proc.stdout


def test_import_analysis_stays_light():
    code = "import sys, analysis, analysis.cli, analysis.report, analysis.output; print(sorted(m for m in ('matplotlib', 'papermill', 'nbconvert', 'sklearn') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV)
    assert proc.stdout.strip() == "[]", proc.stderr


def test_report_computations_load_no_heavy_libraries():
    """Every measure the report template calls runs without loading nltk, scikit-learn or
    scipy.stats (about 1.5 s of kernel time together): the kit has its own stemmer and
    TF-IDF, loads textstat without nltk, and takes normal p-values from scipy.special."""
    import ast as _ast

    nb = nbformat.read(report.TEMPLATE, as_version=4)
    calls = sorted({
        node.func.id
        for cell in nb.cells if cell.cell_type == "code"
        for node in _ast.walk(_ast.parse("\n".join(l for l in cell.source.splitlines() if not l.startswith("%"))))
        if isinstance(node, _ast.Call) and isinstance(node.func, _ast.Name)
    })
    for name in ("readability", "keyness", "similarity", "shared_passages", "coverage"):
        assert name in calls, name  # the template still calls what this test runs
    # the framing tables come from analysis.prefetch.FramingPass: each asked for by name
    from analysis.prefetch import TASKS

    asked = {
        node.args[0].value
        for cell in nb.cells if cell.cell_type == "code"
        for node in _ast.walk(_ast.parse("\n".join(l for l in cell.source.splitlines() if not l.startswith("%"))))
        if isinstance(node, _ast.Call) and isinstance(node.func, _ast.Attribute) and node.func.attr == "result"
        and node.args and isinstance(node.args[0], _ast.Constant)
    }
    assert "FramingPass" in calls and asked == set(TASKS)
    for name in ("claims", "frames", "tone_by_outlet", "actors_for_report", "loaded_language", "loaded_language_by_outlet",
                 "actor_labels", "quotes", "sources"):
        assert any(f"framing.{name}(" in call for call in TASKS.values()), name
    code = (
        "import sys\n"
        "from analysis.corpus import load_corpus\n"
        "from analysis.readability import readability, readability_sentences\n"
        "from analysis.compare import compare_outlets, pairwise_differences\n"
        "from analysis.lexical import diversity\n"
        "from analysis.keyness import keyness\n"
        "from analysis.reuse import coverage, originality, shared_passages, similarity\n"
        "from analysis.framing import actor_labels, actors_for_report, claims, frames, quotes, sources, tone_by_outlet\n"
        "from analysis.framing import loaded_language, loaded_language_by_outlet\n"
        "docs = load_corpus(None)\n"
        "f = readability(docs); s = readability_sentences(docs)\n"
        "compare_outlets(f, ['flesch_kincaid_grade'], sentences=s, n_boot=50)\n"
        "pairwise_differences(f, 'flesch_kincaid_grade', sentences=s, n_boot=50)\n"
        "diversity(docs); keyness(docs, n_boot=20); similarity(docs, by='outlet')\n"
        "p = shared_passages(docs); originality(docs, passages=p); coverage(docs)\n"
        "actor_labels(docs); sources(docs); quotes(docs); claims(docs); frames(docs, by='outlet', parts=False)\n"
        "tone_by_outlet(docs, n_boot=50)\n"
        "from analysis.framing import discover_actors\n"
        "actors_for_report(docs); discover_actors(docs)\n"
        "loaded_language_by_outlet(table=loaded_language(docs), n_boot=50)\n"
        "print(sorted(m for m in ('nltk', 'sklearn', 'scipy.stats') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_report_name():
    assert report.report_name(None) == "seeds"
    assert report.report_name(SEEDS_DIR) == "seeds"
    assert report.report_name("/data/corpus.jsonl", "gaza/2024 03") == "corpus-gaza-2024-03-" + hashlib.sha256(b"gaza/2024 03").hexdigest()[:8]


# ------------------------------------------------------------------------------------------
# hostile values are data
# ------------------------------------------------------------------------------------------


def test_hostile_parameter_reaches_the_notebook_as_a_string(hostile_report):
    nb = nbformat.read(hostile_report / "outlet_comparison.ipynb", as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    values = {}
    for node in ast.parse(injected.source).body:
        assert isinstance(node, ast.Assign), ast.dump(node)  # only assignments of literals
        values[node.targets[0].id] = ast.literal_eval(node.value)
    assert values["reference_outlet"] == HOSTILE
    assert values["outlets"] == f"AP, Bloomberg, {HOSTILE}"
    assert not (hostile_report / "PWNED").exists() and not Path("PWNED").exists()
    story = pd.read_csv(hostile_report / "tables" / "story.csv")
    assert HOSTILE in set(story["outlet"])
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]


@pytest.mark.parametrize("value", ['"); import os #', "'; import os #", '\\"); import os #', "x\ny = 1", '""" + __import__("os").name + """'])
def test_parameter_values_are_injected_as_literals(value):
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = parameterize_notebook(load_notebook_node(str(report.TEMPLATE)), {"outlets": value, "reference_outlet": value})
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    tree = ast.parse(injected.source)
    assert all(isinstance(n, ast.Assign) for n in tree.body)  # no import, no call: data only
    values = {n.targets[0].id: ast.literal_eval(n.value) for n in tree.body}
    assert values == {"outlets": value, "reference_outlet": value}


def test_markup_in_articles_is_escaped_in_html(hostile_report):
    reader = (hostile_report / "report.html").read_text(encoding="utf-8")
    assert "<script>document.title" not in reader
    assert "&lt;script&gt;document.title" in reader
    assert "<img src=x" not in reader and "&lt;img src=x onerror=" in reader


# ------------------------------------------------------------------------------------------
# batch
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def batch_corpus(tmp_path_factory) -> Path:
    """Three stories from the seeds: two good ones and one with a single outlet (fails)."""
    corpus = tmp_path_factory.mktemp("batch-corpus")
    for p in SEEDS_DIR.glob("*.txt"):
        shutil.copy(p, corpus / p.name)
    man = pd.read_csv(SEEDS_DIR / "manifest.csv", dtype=str, keep_default_na=False)
    man["event_id"] = ["story-a", "story-a", "story-b", "story-b", "story-lonely"]
    # an article with nothing left after cleaning: left out with a warning, story-a still renders
    (corpus / "furniture.txt").write_text("Photo: Jane Doe / Reuters\n", encoding="utf-8")
    extra = man.iloc[[0]].assign(doc_id="999", outlet="Furniture", path="furniture.txt", title="")
    pd.concat([man, extra], ignore_index=True).to_csv(corpus / "manifest.csv", index=False)
    return corpus


def test_batch_survives_a_failing_story_records_it_and_resumes(batch_corpus, tmp_path):
    out = tmp_path / "batch"
    proc = _run_cli("batch", str(batch_corpus), "--by", "event", "--jobs", "2", "--out", str(out), "-p", "figure_formats", "png", "-p", "n_boot", "200")
    assert proc.returncode == 1, proc.stderr[-2000:]  # one story failed
    assert "failed: story-lonely" in proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == str(out.resolve() / "index.html")
    table = pd.read_csv(out / "batch.csv", keep_default_na=False)
    status = dict(zip(table["event"], table["status"]))
    assert status == {"story-a": "complete", "story-b": "complete", "story-lonely": "failed"}
    err = table.set_index("event").loc["story-lonely", "error"]
    assert "NotEnoughData" in err and "at least two" in err
    a, b, lonely = (report._slug(e) for e in ("story-a", "story-b", "story-lonely"))
    assert report.is_complete(out / a) and report.is_complete(out / b)
    assert table.set_index("event").loc["story-a", "n_docs"] == 2  # the empty article was left out
    assert not report.is_complete(out / lonely) and not (out / lonely).exists()
    assert (out / f"{lonely}.failed" / "outlet_comparison.ipynb").exists()  # kept for inspection
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{a}/report.html"' in index and f'href="{b}/report.html"' in index
    assert "story-lonely" in index and "failed" in index and "at least two" in index
    manifest = json.loads((out / a / "manifest.json").read_text(encoding="utf-8"))
    assert isinstance(manifest["sections"], list)
    if manifest["sections"]:  # the template records its sections: copied into the manifest and counted
        assert {s["status"] for s in manifest["sections"]} <= {"ok", "empty", "error"}
        n_err = sum(s["status"] == "error" for s in manifest["sections"])
        assert int(table.set_index("event").loc["story-a", "n_section_errors"]) == n_err
    stamp = (out / a / "manifest.json").stat().st_mtime_ns

    # resume: finished stories are skipped, the failed one is tried again
    again = report.batch(batch_corpus, jobs=2, out=out, params={"figure_formats": "png", "n_boot": 200}, progress=False)
    assert dict(zip(again["event"], again["status"])) == {"story-a": "skipped", "story-b": "skipped", "story-lonely": "failed"}
    assert (out / a / "manifest.json").stat().st_mtime_ns == stamp


def test_half_written_report_never_counts_as_finished(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "report.html").write_text("partial")
    assert not report.is_complete(folder)
    (folder / "manifest.json").write_text('{"status": "running"}')
    assert not report.is_complete(folder)
    (folder / "manifest.json").write_text('{"status": "complete"}')
    assert report.is_complete(folder)


def test_batch_refuses_bad_options(batch_corpus):
    with pytest.raises(ParameterError, match="jobs"):
        report.batch(batch_corpus, jobs=0)
    with pytest.raises(ParameterError, match="by="):
        report.batch(batch_corpus, by="outlet")


def test_unknown_event_fails_before_any_kernel_starts(batch_corpus, monkeypatch):
    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started for a story that does not exist")

    monkeypatch.setattr(report, "_start_kernel", no_kernel)
    before = _children()
    import time

    t0 = time.perf_counter()
    with pytest.raises(ParameterError, match="valid events"):
        report.render_report(batch_corpus, event="no-such-story", progress=False)
    with pytest.raises(ParameterError, match="--event"):
        report.render_report(batch_corpus, progress=False, scope="story")
    assert time.perf_counter() - t0 < 5
    assert _new_children(before) == []


def test_actors_parameter_is_checked_before_any_kernel(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ParameterError, match=r"parameter 'actors'.*not a file"):
        report.check_parameter_values({"actors": str(missing)})
    bad = tmp_path / "bad.yaml"
    bad.write_text("actors:\n  Somebody:\n    aliases: []\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"parameter 'actors'"):
        report.check_parameter_values({"actors": str(bad)})
    good = tmp_path / "good.yaml"
    good.write_text("actors:\n  Ann Okafor:\n    aliases: [Okafor, Ann Okafor]\n", encoding="utf-8")
    report.check_parameter_values({"actors": str(good)})  # accepted
    report.check_parameter_values({"actors": ""})  # empty: corpus folder's file or discovered


def test_manifest_method_card_names_where_the_actors_came_from(seed_report):
    card = json.loads((seed_report / "manifest.json").read_text())["method_card"]
    assert "actors: file:" in card["framing"] and "actors.yaml" in card["framing"]


def test_key_findings_at_the_top_of_the_reader_html(seed_report):
    """The seed report says what it found, before the first section, from its own tables."""
    import html as _html

    reader = (seed_report / "report.html").read_text(encoding="utf-8")
    text = _html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", reader)))
    top = text[text.index("Key findings"):text.index("The story and the outlets: which articles")]
    findings = pd.read_csv(seed_report / "tables" / "findings.csv")
    ci = pd.read_csv(seed_report / "tables" / "readability_outlets.csv")
    fk = ci[ci["metric"] == "flesch_kincaid_grade"].sort_values("estimate")
    hardest, easiest = fk.iloc[-1], fk.iloc[0]
    # hardest and easiest outlet, with the estimates and intervals of the readability table
    assert f"{hardest['outlet']} is the hardest to read and {easiest['outlet']} the easiest" in top
    assert f"{hardest['estimate']:.1f} (95 % CI {hardest['ci_low']:.1f} to {hardest['ci_high']:.1f})" in top
    # the Hamas labels by outlet, the death toll and its voice, the shared wire copy
    assert "What the outlets call Hamas: ABC News “Hamas terrorists”" in top and "AP “Hamas-run”, “militant group” ×2" in top
    assert "Only ABC News and Reuters republisher give a death toll" in top
    assert "passive voice naming the agent (Israeli forces)" in top and "active voice, the agent as subject (Israel’s military response)" in top
    assert "Reuters republisher (001) and VOI (004) share wire copy" in top
    assert set(findings["section"]) >= {"readability", "actor_labels", "claims", "shared_passages", "keyness"}


def test_word_choice_holds_the_death_toll_pair(seed_report):
    wc = pd.read_csv(seed_report / "tables" / "word_choice.csv")
    row = wc[wc["sentence_a"].str.contains("31,000 people have been killed by Israeli forces", regex=False)
             & wc["sentence_b"].str.contains("killed more than 32,000 Palestinians", regex=False)]
    assert len(row) == 1
    assert "31,000 people" in row["only_a"].iloc[0] and "by Israeli forces" in row["only_a"].iloc[0]
    assert "32,000 Palestinians" in row["only_b"].iloc[0] and "Israel’s military response" in row["only_b"].iloc[0]
