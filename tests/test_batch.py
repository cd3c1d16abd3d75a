"""Batch reports on warm kernels (local pool and Dask): a story rendered in a batch equals the
story rendered alone, a dead kernel is replaced, and a killed Dask batch resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis import batch as batch_mod
from analysis import report
from analysis.errors import ParameterError

ROOT = Path(__file__).resolve().parents[1]

# two short stories, two outlets each, written for these tests
_STORIES = {
    "bridge-2025": [
        ("North Gazette", "Bridge closed after crack found",
         "The Elm Street bridge was closed on Monday after engineers found a crack in its main beam. "
         "Mayor Ruth Allen said the city would pay for repairs. \"Safety comes first,\" Allen said. "
         "Traffic was sent through the old mill road, adding twenty minutes to many trips.\n\n"
         "Engineers from the county said the crack was two metres long. The repair could cost $3m, "
         "according to the county's report. Residents complained about the delays."),
        ("South Herald", "Commuters stuck as bridge shuts",
         "Thousands of commuters were stuck on Monday when the Elm Street bridge shut without warning. "
         "City officials said a crack had been found in the main beam. Mayor Ruth Allen promised quick repairs. "
         "Shop owners near the bridge said they feared losing trade.\n\n"
         "The county estimated the repair at about $3 million. Critics said the city had ignored warnings "
         "for years. \"We told them,\" said resident Tom Hale."),
    ],
    "school-2025": [
        ("North Gazette", "School board approves new budget",
         "The school board approved a $12m budget on Tuesday by a vote of five to two. "
         "Board chair Maria Lopez said the plan would hire ten teachers. Parents welcomed the decision. "
         "Two members voted against, saying taxes would rise.\n\n"
         "The budget also pays for new buses. Lopez said the board had listened to families. "
         "The vote followed a long public meeting."),
        ("South Herald", "Taxes to rise under school plan",
         "Homeowners will pay more after the school board passed a $12 million budget on Tuesday. "
         "Board chair Maria Lopez defended the plan, saying ten teachers would be hired. "
         "Opponents said the board ignored taxpayers.\n\n"
         "The plan passed five to two. Critics called the spending reckless. "
         "\"This is too much,\" board member Sam Green said."),
    ],
}


def _write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    rows = []
    for event, arts in _STORIES.items():
        for i, (outlet, title, text) in enumerate(arts):
            doc_id = f"{event}-{i}"
            (folder / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")
            rows.append({"doc_id": doc_id, "event_id": event, "outlet": outlet, "published": "2025-06-01", "title": title, "path": f"{doc_id}.txt"})
    pd.DataFrame(rows).to_csv(folder / "manifest.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return _write_corpus(tmp_path_factory.mktemp("batch") / "corpus")


_TIMING = {"sections.csv": ["seconds"]}
_PARAMS = {"n_boot": 200}


def _tables(folder: Path) -> dict[str, pd.DataFrame]:
    out = {}
    for p in sorted((folder / "tables").glob("*.csv")):
        t = pd.read_csv(p, dtype=str, keep_default_na=False)
        out[p.name] = t.drop(columns=[c for c in _TIMING.get(p.name, []) if c in t.columns])
    return out


def test_story_rendered_in_a_batch_equals_the_story_rendered_alone(corpus, tmp_path):
    # one job: both stories on the same warm kernel, the second after the first
    table = report.batch(corpus, jobs=1, out=tmp_path / "b", params=_PARAMS, progress=False)
    assert list(table["status"]) == ["complete", "complete"], table["error"].tolist()
    second = Path(table.loc[table["event"] == "school-2025", "path"].iloc[0])
    # PNG only unless asked
    assert {p.suffix for p in (second / "figures").rglob("*") if p.is_file() and p.suffix in (".png", ".pdf", ".svg")} == {".png"}
    alone = report.render_report(corpus, event="school-2025", out=tmp_path / "alone", params={**_PARAMS, "figure_formats": "png"}, progress=False)
    a, b = _tables(second), _tables(alone)
    assert sorted(a) == sorted(b) and len(a) > 10
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
    # the executed notebook counts cells from 1, as a fresh kernel does
    import nbformat

    nb = nbformat.read(second / report.TEMPLATE.name, as_version=4)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code" and c.execution_count is not None]
    assert counts[0] == 1 and counts == sorted(counts)


def test_warm_kernel_is_reused_and_replaced_when_it_dies(tmp_path):
    kernel = report.ensure_kernel()
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    with batch_mod.WarmKernel() as wk:
        km = wk.acquire(kernel, cwd=a)
        pid = km.provisioner.process.pid
        wk.release(km)
        km2 = wk.acquire(kernel, cwd=b)
        assert km2.provisioner.process.pid == pid and wk.n_started == 1
        wk.release(km2)
        os.kill(pid, signal.SIGKILL)
        for _ in range(50):
            if not wk._alive():
                break
            time.sleep(0.1)
        km3 = wk.acquire(kernel, cwd=a)
        assert km3.provisioner.process.pid != pid and wk.n_started == 2
    assert not wk.home.exists()


def test_batch_refuses_bad_engine_and_scheduler_without_dask(corpus, tmp_path):
    with pytest.raises(ParameterError, match="engine"):
        batch_mod.batch(corpus, engine="spark", out=tmp_path / "x", progress=False)
    with pytest.raises(ParameterError, match="engine='dask'"):
        batch_mod.batch(corpus, scheduler="tcp://127.0.0.1:1", out=tmp_path / "x", progress=False)
    assert not (tmp_path / "x").exists()


def test_killed_dask_batch_resumes(corpus, tmp_path):
    out = tmp_path / "dask"
    cmd = [sys.executable, "-m", "analysis", "-q", "batch", str(corpus), "--engine", "dask", "--jobs", "1",
           "--out", str(out), "-p", "n_boot", "200"]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    first = None
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and proc.poll() is None:
            done = [d for d in out.glob("*") if d.is_dir() and report.is_complete(d)] if out.exists() else []
            if done:
                first = done[0]
                break
            time.sleep(0.5)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the whole batch: CLI, cluster, workers, kernels
        proc.wait(timeout=60)
    assert first is not None, proc.stderr.read().decode()[-2000:] if proc.stderr else ""
    assert not (out / "batch.csv").exists()  # killed before the end
    stamp = (first / "manifest.json").stat().st_mtime_ns
    table = batch_mod.batch(corpus, jobs=1, engine="dask", out=out, params=_PARAMS, progress=False)
    status = dict(zip(table["event"], table["status"], strict=True))
    assert status[table.loc[table["path"] == str(first), "event"].iloc[0]] == "skipped"
    assert sorted(status.values()) == ["complete", "skipped"], table["error"].tolist()
    assert (first / "manifest.json").stat().st_mtime_ns == stamp  # the finished story was not redone
    assert (out / "index.html").is_file() and not list(out.glob(".*.partial-*"))


def test_worker_kernels_are_closed_when_a_batch_ends(tmp_path):
    wk = batch_mod._worker_kernel()
    assert batch_mod._worker_kernel() is wk  # one per worker thread
    km = wk.acquire(report.ensure_kernel(), cwd=tmp_path)
    pid = km.provisioner.process.pid
    wk.release(km)
    assert batch_mod._close_worker_kernels() == 1
    assert wk.closed and wk.km is None and not wk.home.exists()
    with pytest.raises(OSError):
        for _ in range(50):  # the kernel process ends
            os.kill(pid, 0)
            time.sleep(0.1)
    assert batch_mod._worker_kernel() is not wk  # a later batch gets a new one
    batch_mod._close_worker_kernels()


def _run_in(km, code: str) -> str:
    """Run ``code`` on the kernel of ``km``; its stdout and stderr text."""
    from analysis.report import _run_async

    chunks: list[str] = []

    def hook(msg) -> None:
        if msg["msg_type"] == "stream":
            chunks.append(msg["content"]["text"])

    async def run() -> None:
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            await kc.execute_interactive(code, output_hook=hook, timeout=60)
        finally:
            kc.stop_channels()

    _run_async(run)
    return "".join(chunks)


def test_warm_kernel_story_starts_like_a_new_kernel(tmp_path):
    # a warning raised inside a library module (its registry outlives %reset)
    (tmp_path / "kit_warn_mod.py").write_text("import warnings\n\ndef f():\n    warnings.warn('kit-test-warning', UserWarning)\n")
    code = (f"import sys, os\nsys.path.insert(0, {str(tmp_path)!r})\nimport kit_warn_mod\nkit_warn_mod.f()\n"
            "print('cwd', os.getcwd()); print('x' in globals())\nx = 1\n")
    with batch_mod.WarmKernel() as wk:
        outputs = []
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            km = wk.acquire(report.ensure_kernel(), cwd=tmp_path / name)
            outputs.append(_run_in(km, code))
            wk.release(km)
    for name, text in zip("ab", outputs, strict=True):
        assert "kit-test-warning" in text  # shown again in the second story
        assert f"cwd {tmp_path / name}" in text
        assert "False" in text and "True" not in text  # the first story's variable is gone


def test_warm_kernel_holds_the_english_pipeline_before_its_first_story(tmp_path):
    # the framing pass of each story is forked from the kernel: it must find spaCy loaded,
    # not import it and load the model again for every story
    code = "import sys, analysis.nlp as n\nprint('spacy' in sys.modules, 'nlp' in n._NLP, sorted(n._NLP['nlp'].pipe_names))\n"
    with batch_mod.WarmKernel() as wk:
        km = wk.acquire(report.ensure_kernel(), cwd=tmp_path)
        text = _run_in(km, code)
        wk.release(km)
    assert "True True ['attribute_ruler', 'lemmatizer', 'ner', 'parser', 'tagger', 'tok2vec']" in text


def test_warm_kernel_imports_the_template_modules_and_freezes_them_before_its_first_story(tmp_path):
    # what every story after the first finds anyway; frozen objects are not walked by each
    # story's garbage collections; no input history is written for report cells
    code = ("import gc, sys\nprint('frozen', gc.get_freeze_count() > 100000)\n"
            f"print('missing', [m for m in {batch_mod.template_imports(report.TEMPLATE)!r} if m not in sys.modules])\n"
            "print('history', get_ipython().history_manager.enabled)\n")
    with batch_mod.WarmKernel() as wk:
        km = wk.acquire(report.ensure_kernel(), cwd=tmp_path)
        text = _run_in(km, code)
        wk.release(km)
    assert "frozen True" in text and "missing []" in text and "history False" in text


def test_template_imports_reads_import_lines_of_code_cells(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("import not_code"),
        nbformat.v4.new_code_cell("%matplotlib inline\nimport pandas as pd, numpy\nfrom analysis.keyness import keyness\n"
                                  "from . import sibling\nx = 1  # import nothing\nimport os.path"),
        nbformat.v4.new_code_cell("from analysis import output\nimport pandas"),
    ])
    path = tmp_path / "t.ipynb"
    nbformat.write(nb, str(path))
    assert batch_mod.template_imports(path) == ["pandas", "numpy", "analysis.keyness", "os.path", "analysis"]
    assert {"pandas", "analysis.figures", "analysis.prefetch"} <= set(batch_mod.template_imports(report.TEMPLATE))


def test_warm_loaders_exist_and_are_cached_once_per_process():
    """The warm code swallows errors (a missing lexicon must not stop a batch), so a renamed
    loader would silently stop being warmed: each entry must resolve to a cached loader."""
    import importlib

    from analysis.batch import WARM_LOADERS, _warm_code

    for module, name in WARM_LOADERS:
        fn = getattr(importlib.import_module(module), name)
        assert callable(fn) and hasattr(fn, "cache_info"), (module, name)
        assert f"({module!r}, {name!r})" in _warm_code()


def test_warm_kernel_reset_frees_the_last_story_and_leaves_gc_collect_working(tmp_path):
    # between stories the kernel collects once itself (with %reset's own collections muted):
    # the first story's figure and its cycles are gone, and gc.collect is the real one again
    first = ("import gc, weakref, builtins\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
             "fig, ax = plt.subplots()\nax.plot([1, 2])\nbuiltins._kit_test_ref = weakref.ref(fig)\n"
             "class Cycle:\n    pass\nc = Cycle(); c.me = c\nbuiltins._kit_test_cycle = weakref.ref(c)\n")
    second = ("import gc, builtins\nprint('figure', builtins._kit_test_ref() is None)\n"
              "print('cycle', builtins._kit_test_cycle() is None)\n"
              "print('collect', type(gc.collect).__name__, gc.collect.__name__, type(gc.collect()).__name__)\n")
    with batch_mod.WarmKernel() as wk:
        for name, code in (("a", first), ("b", second)):
            (tmp_path / name).mkdir()
            km = wk.acquire(report.ensure_kernel(), cwd=tmp_path / name)
            text = _run_in(km, code)
            wk.release(km)
    assert "figure True" in text and "cycle True" in text
    assert "collect builtin_function_or_method collect int" in text  # not the muting lambda


def test_pool_story_collects_and_freezes_after_the_story(monkeypatch):
    import gc
    import weakref

    class Cycle:
        pass

    refs = []

    def story(source, event, out, params):
        c = Cycle()
        c.me = c  # garbage only the cyclic collector frees
        refs.append(weakref.ref(c))
        return {"event": event, "status": "complete"}

    monkeypatch.setattr(batch_mod, "render_story", story)
    gc.unfreeze()
    try:
        row = batch_mod._pool_story("src", "e1", "out", {})
        assert row == {"event": "e1", "status": "complete"}
        assert refs[0]() is None  # collected right after the story
        assert gc.get_freeze_count() > 0  # what survived is frozen
    finally:
        gc.unfreeze()  # this test process keeps its usual collector


def test_framing_helper_only_when_the_batch_leaves_a_core_idle():
    assert batch_mod.framing_helper_useful(1, cores=2)
    assert not batch_mod.framing_helper_useful(2, cores=2)
    assert not batch_mod.framing_helper_useful(3, cores=2)
    assert not batch_mod.framing_helper_useful(1, cores=1)
    assert batch_mod.framing_helper_useful(4, cores=8)


def test_pool_workers_make_kernels_with_the_batch_choice(monkeypatch):
    monkeypatch.setattr(batch_mod, "_FRAMING_HELPER", False)  # what _pool_worker_init sets
    monkeypatch.setattr(batch_mod._local, "kernel", None, raising=False)
    wk = batch_mod._worker_kernel()
    try:
        assert wk.framing_helper is False
        assert "_kit_prefetch.HELPER = False" in batch_mod._warm_code(wk.framing_helper)
        assert "_kit_prefetch.HELPER = True" in batch_mod._warm_code()
    finally:
        wk.close()


def test_warm_kernel_without_framing_helper_runs_the_framing_pass_in_the_kernel(tmp_path):
    code = "import analysis.prefetch as p\nprint('helper', p.HELPER)\n"
    with batch_mod.WarmKernel(framing_helper=False) as wk:
        km = wk.acquire(report.ensure_kernel(), cwd=tmp_path)
        text = _run_in(km, code)
        wk.release(km)
    assert "helper False" in text
