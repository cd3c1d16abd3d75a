"""The `features` and `terms` commands: engines give identical files; bad options exit 2 with a message."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from analysis.cli import main
from analysis.features import document_features


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", "-q", *args], capture_output=True, text=True, timeout=600)


def test_features_command_pandas_and_dask_write_identical_csv(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert _cli("features", "--out", str(a)).returncode == 0
    res = _cli("features", "--engine", "dask", "--workers", "2", "--batch-size", "2", "--out", str(b))
    assert res.returncode == 0, res.stderr[-2000:]
    for chatter in ("Scheduler at", "Nanny", "Register worker", "dashboard"):  # -q: no Dask logs
        assert chatter not in res.stderr, res.stderr[-2000:]
    assert res.stdout.strip() == str(b)
    assert a.read_bytes() == b.read_bytes()
    table = pd.read_csv(a, dtype={"doc_id": str})
    expected = document_features()
    assert table["doc_id"].tolist() == expected["doc_id"].tolist()
    assert table["flesch_kincaid_grade"].round(9).tolist() == expected["flesch_kincaid_grade"].round(9).tolist()


def test_terms_command(tmp_path, seed_docs):
    out = tmp_path / "t.csv"
    assert main(["-q", "terms", "--out", str(out)]) == 0
    table = pd.read_csv(out, keep_default_na=False)
    assert set(table["outlet"]) == set(seed_docs["outlet"])
    assert (table["n"] > 0).all()


def test_bad_options_exit_2_with_a_message(capsys, tmp_path):
    assert main(["-q", "features", "--out", str(tmp_path / "x.txt")]) == 2
    assert "--out: x.txt must end in .csv" in capsys.readouterr().err
    assert main(["-q", "features", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert "cannot reach a Dask scheduler" in capsys.readouterr().err
    assert main(["-q", "features", "--sets", "sentiment"]) == 2
    assert "unknown feature set" in capsys.readouterr().err
