"""The notebooks: committed clean and thin, and every one runs under papermill on the seeds."""

from __future__ import annotations

import ast
import json
import os
import re
from pathlib import Path

import nbformat
import pytest

from analysis import report
from analysis.errors import ParameterError

NOTEBOOKS = sorted(report.NOTEBOOK_DIR.glob("*.ipynb"))


def _code(cell) -> str:
    # IPython magics (%matplotlib inline) are not Python; blank them before parsing
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in cell.source.splitlines())


def test_both_notebooks_exist():
    assert {p.name for p in NOTEBOOKS} >= {"outlet_comparison.ipynb", "explore.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a cell has outputs; clear them before committing"
            assert cell.execution_count is None, f"{path.name}: execution counts left in"
    assert "papermill" not in nb.metadata


REPO = Path(__file__).resolve().parents[1]


def _committed_notebooks() -> list[Path]:
    """Every notebook git tracks in the repository (any folder); without git, every .ipynb
    outside hidden folders, the virtualenv and reports/."""
    import shutil
    import subprocess

    if shutil.which("git") and (REPO / ".git").exists():
        out = subprocess.run(["git", "ls-files", "-z", "--", "*.ipynb"], cwd=REPO, capture_output=True, check=True)
        return sorted(REPO / p for p in out.stdout.decode().split("\0") if p)
    skip = {".venv", "reports", "node_modules"}
    return sorted(p for p in REPO.rglob("*.ipynb")
                  if not any(part.startswith(".") or part in skip for part in p.relative_to(REPO).parts[:-1]))


def test_every_committed_notebook_is_stripped():
    """What nbstripout would remove is never committed: outputs, execution counts, widget
    state, per-cell run records, checkpoint copies. Clear outputs before committing."""
    paths = _committed_notebooks()
    assert {p.name for p in paths} >= {"outlet_comparison.ipynb", "explore.ipynb"}
    problems = []
    for path in paths:
        rel = path.relative_to(REPO)
        if ".ipynb_checkpoints" in rel.parts:
            problems.append(f"{rel}: a checkpoint copy is committed")
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        for key in ("widgets", "papermill"):
            if key in nb.get("metadata", {}):
                problems.append(f"{rel}: notebook metadata holds {key!r} (saved state of a run)")
        for i, cell in enumerate(nb.get("cells", [])):
            if cell.get("cell_type") != "code":
                continue
            if cell.get("outputs"):
                problems.append(f"{rel}: cell {i} has outputs")
            if cell.get("execution_count") is not None:
                problems.append(f"{rel}: cell {i} has execution count {cell['execution_count']}")
            for key in ("execution", "papermill", "collapsed", "scrolled"):
                if key in cell.get("metadata", {}):
                    problems.append(f"{rel}: cell {i} metadata holds {key!r}")
    assert not problems, "clear outputs before committing (Edit > Clear Outputs of All Cells, or nbstripout):\n" + "\n".join(problems)


def test_the_stripped_check_catches_an_executed_notebook(tmp_path, monkeypatch):
    """The check above fails on a notebook as JupyterLab saves it after a run."""
    import sys

    nb = nbformat.read(report.EXPLORE, as_version=4)
    nb.cells[2].execution_count = 3
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi")]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nb, tmp_path / "notebooks" / "explore.ipynb")
    nbformat.write(nbformat.read(report.TEMPLATE, as_version=4), tmp_path / "notebooks" / "outlet_comparison.ipynb")
    module = sys.modules[__name__]
    monkeypatch.setattr(module, "REPO", tmp_path)
    with pytest.raises(AssertionError) as info:
        test_every_committed_notebook_is_stripped()
    message = str(info.value)
    assert "notebooks/explore.ipynb: cell 2 has outputs" in message
    assert "cell 2 has execution count 3" in message
    assert "'widgets'" in message and "outlet_comparison" not in message


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exactly_one_parameters_cell_of_annotated_literals(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged 'parameters'"
    for node in ast.parse(tagged[0].source).body:
        assert isinstance(node, ast.AnnAssign), f"{path.name}: parameters must be annotated assignments"
        ast.literal_eval(node.value)  # a literal, not code
    for line in tagged[0].source.splitlines():
        assert "  # " in line and line.count("=") == 1, f"{path.name}: parameter without help comment or with '=' in it: {line}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_thin(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(_code(cell))
        defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))]
        assert not defs, f"{path.name}: define functions in analysis/, not in notebooks"
        assert "sys.path" not in cell.source and "../" not in cell.source and "chdir" not in cell.source


def test_report_template_asks_a_question_per_section():
    nb = nbformat.read(report.TEMPLATE, as_version=4)
    heads = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert len(heads) >= 9
    assert all("?" in h for h in heads if "Method card" not in h and "Key findings" not in h)
    # every section after a heading calls into analysis
    assert re.search(r"^from analysis\.\w+ import", nb.cells[2].source, re.M)


def test_explore_runs_under_papermill_on_the_seeds(tmp_path):
    import papermill

    out = tmp_path / "explore.ipynb"
    env_backend = os.environ.pop("MPLBACKEND", None)
    try:
        papermill.execute_notebook(
            str(report.EXPLORE), str(out), parameters={"outlets": "AP, Bloomberg, VOI", "n_boot": 200},
            kernel_name=report.ensure_kernel(), progress_bar=False, cwd=str(tmp_path),
        )
    finally:
        if env_backend is not None:
            os.environ["MPLBACKEND"] = env_backend
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 3
    cell = next(c for c in nb.cells if "report.story_table(docs)" in c.source)
    story = next(o for o in cell.outputs if "text/html" in o.get("data", {}))
    html = story["data"]["text/html"]
    assert "AP" in html and "VOI" in html and "ABC News" not in html  # the outlets parameter took effect
    assert list(tmp_path.iterdir()) == [out]  # interactive notebook writes nothing


def test_report_template_ran_under_papermill_on_the_seeds(tmp_path_factory):
    from test_report import seed_report_dir

    folder = seed_report_dir(tmp_path_factory)
    nb = nbformat.read(folder / "outlet_comparison.ipynb", as_version=4)
    assert nb.metadata["papermill"]["parameters"]["out_dir"] == "."
    assert all(c.metadata.get("papermill", {}).get("status") == "completed" for c in nb.cells if c.cell_type == "code")
    assert not Path(folder, "PWNED").exists()


# ------------------------------------------------------------------------------------------
# the story report on a corpus that shares nothing with the seeds
# ------------------------------------------------------------------------------------------

EVERYDAY = Path(__file__).parent / "data" / "everyday"


def _parameters_cell(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return next(c.source for c in nb.cells if "parameters" in c.metadata.get("tags", []))


def test_template_has_the_actors_parameter_with_its_help():
    line = next(ln for ln in _parameters_cell(report.TEMPLATE).splitlines() if ln.startswith("actors:"))
    assert line.startswith('actors: str = ""  # ')
    help_text = line.split("  # ", 1)[1]
    assert "YAML" in help_text and "actors.yaml" in help_text and "discovered" in help_text
    spec = report.notebook_parameters(report.TEMPLATE)
    assert spec["actors"]["default"] == ""


def _is_display(node: ast.stmt) -> bool:
    """``display(...)`` or ``name = display(...)`` at the top level of a cell."""
    value = node.value if isinstance(node, (ast.Expr, ast.Assign)) else None
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "display"


def test_every_section_of_the_template_runs_inside_the_section_runner():
    """Apart from the set-up cell, each code cell is one ``with run.section(...)`` block (the last
    cell also finishes the runner), so no section can stop the report."""
    nb = nbformat.read(report.TEMPLATE, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
    setup, sections = code[0], code[1:]
    assert "SectionRunner(save)" in setup.source
    names = []
    for cell in sections:
        body = ast.parse(_code(cell)).body
        if all(_is_display(node) for node in body):
            continue  # a placeholder shown now and filled later (key findings, contents): cannot fail a section
        assert isinstance(body[0], ast.With), f"cell outside a section: {cell.source[:80]!r}"
        call = body[0].items[0].context_expr
        assert ast.unparse(call.func) == "run.section"
        names.append(call.args[0].value)
        empty = next(k.value.value for k in call.keywords if k.arg == "empty")
        assert empty.endswith(".") and len(empty) > 15
        rest = body[1:]
        assert not rest or (cell is sections[-1] and "run.finish()" in ast.unparse(rest[-1]))
    assert len(names) == len(set(names)) >= 15
    # the markdown of the actors section does not claim the seed dictionary for every story
    actors_md = next(c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Actors"))
    assert "seeds/actors.yaml" not in actors_md


@pytest.fixture(scope="session")
def everyday_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.getbasetemp() / "shared-reports" / "everyday-flood"
    if not report.is_complete(out):
        report.render_report(EVERYDAY, event="alder-flood-2025-03", out=out, params={"n_boot": 200}, progress=False)
    return out


def test_report_on_a_story_without_seed_actors_completes_with_its_own_people(everyday_report):
    import pandas as pd

    from analysis.framing import load_actor_dictionary

    actors = pd.read_csv(everyday_report / "tables" / "actors.csv", keep_default_na=False)
    people = set(actors.loc[actors["type"] == "person", "actor"])
    # the people written into the flood story, by full name
    assert {"Helen Okafor", "Tom Reyes", "Priya Desai", "Claire Benton"} <= people
    assert set(actors["source"]) == {"discovered"}
    seed = load_actor_dictionary(None)
    seed_words = set(seed) | {a.strip("*") for v in seed.values() for a in v["aliases"]}
    written = " ".join(actors[["actor", "aliases"]].astype(str).agg(" ".join, axis=1))
    assert not [w for w in seed_words if re.search(rf"\b{re.escape(w)}\b", written)]
    # every section completed or said in one line that it had nothing to show
    status = pd.read_csv(everyday_report / "tables" / "sections.csv", keep_default_na=False)
    assert not status.empty and "error" not in set(status["status"]), status[status["status"] == "error"].to_dict("records")
    assert {"actors", "actor_labels", "sources", "claims", "figures"} <= set(status["section"])
    # the page says where this run's actors came from, and never names the seed dictionary
    page = (everyday_report / "report.html").read_text(encoding="utf-8")
    assert "Actors discovered from the story&#x27;s own text" in page or "Actors discovered from the story's own text" in page
    assert "seeds/actors.yaml" not in page


def test_a_missing_actor_dictionary_fails_the_report_naming_the_parameter(tmp_path):
    """A wrong parameter is the one thing that still stops a report (sections cannot); the
    command refuses it before any kernel starts."""
    missing = tmp_path / "no-such-actors.yaml"
    with pytest.raises(ParameterError, match=r"parameter 'actors'.*no-such-actors\.yaml.*not a file"):
        report.render_report(EVERYDAY, event="harwick-tannery-vote-2025-06", out=tmp_path / "r",
                             params={"actors": str(missing), "n_boot": 50}, progress=False)
    assert not report.is_complete(tmp_path / "r")


def test_template_run_directly_stops_on_a_missing_actor_dictionary(tmp_path):
    """Under plain papermill (no command-line checks) the actors section stops the report."""
    import papermill

    missing = tmp_path / "no-such-actors.yaml"
    with pytest.raises(papermill.PapermillExecutionError, match=r"actors=.*no-such-actors\.yaml.*no such file"):
        papermill.execute_notebook(
            str(report.TEMPLATE), str(tmp_path / "out.ipynb"), cwd=str(tmp_path), progress_bar=False,
            parameters={"source": str(EVERYDAY), "event": "harwick-tannery-vote-2025-06",
                        "actors": str(missing), "n_boot": 50, "out_dir": ""},
        )
