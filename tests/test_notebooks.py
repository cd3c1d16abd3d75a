"""The notebooks: committed clean and thin, and every one runs under papermill on the seeds."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import nbformat
import pytest

from analysis import report

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
    assert all("?" in h for h in heads if "Method card" not in h)
    # every section after a heading calls into analysis
    assert re.search(r"from analysis\.framing import", nb.cells[2].source)


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
