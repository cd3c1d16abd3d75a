"""The kit never downloads: a full seed report runs with every non-loopback connection refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


GUARD = Path(__file__).parent / "offline_guard"


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(GUARD) + os.pathsep + env.get("PYTHONPATH", "")
    env["KIT_NETWORK_LOG"] = str(tmp_path / "network.log")
    env["NLTK_DATA"] = str(tmp_path / "no_nltk_data")  # no corpora pre-downloaded on this machine count
    env["MPLCONFIGDIR"] = str(tmp_path / "mpl")
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env.pop(proxy, None)
    return env


def test_guard_really_blocks_the_network(tmp_path):
    code = "import urllib.request\nurllib.request.urlopen('http://example.com', timeout=5)"
    res = subprocess.run([sys.executable, "-c", code], env=_env(tmp_path), capture_output=True, text=True)
    assert res.returncode != 0
    assert "network blocked by the offline test" in res.stderr
    assert "example.com" in (tmp_path / "network.log").read_text()


def test_nltk_download_is_blocked_by_the_guard(tmp_path):
    code = "import nltk\nassert nltk.download('cmudict', quiet=True, raise_on_error=True)"
    res = subprocess.run([sys.executable, "-c", code], env=_env(tmp_path), capture_output=True, text=True)
    assert res.returncode != 0


def test_full_seed_report_runs_offline(tmp_path):
    out = tmp_path / "report"
    res = subprocess.run(
        [sys.executable, "-m", "analysis", "report", "--out", str(out)],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    log = tmp_path / "network.log"
    assert not log.exists() or log.read_text() == "", f"network attempts: {log.read_text()}"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["parameters"]
    assert (out / "report.html").stat().st_size > 10_000
    executed = json.loads((out / "outlet_comparison.ipynb").read_text())
    errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
