"""The command line's processes validate and run notebooks without importing rfc3987_syntax."""

from __future__ import annotations

import subprocess
import sys

from analysis.report import TEMPLATE

CODE = f"""
import sys
from analysis.report import lean_imports
lean_imports()
import nbformat, papermill, nbconvert
nb = nbformat.read({str(TEMPLATE)!r}, as_version=4)
nbformat.validate(nb)
bad = nbformat.v4.new_notebook()
bad.cells.append(nbformat.from_dict({{"cell_type": "code", "id": "c1", "source": "", "metadata": {{}}}}))
try:
    nbformat.validate(bad)  # no outputs / execution_count: the schema still rejects it
    print("accepted")
except Exception as exc:  # nbformat's validation error
    print("rejected" if "'outputs' is a required property" in str(exc) else repr(exc))
print(sys.modules.get("rfc3987_syntax", "absent"))
"""


def test_notebooks_validate_without_the_grammar_package():
    proc = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["rejected", "None"]


def test_a_session_that_has_the_package_keeps_it():
    code = ("import sys, rfc3987_syntax\nfrom analysis.report import lean_imports\nlean_imports()\n"
            "print(sys.modules['rfc3987_syntax'] is rfc3987_syntax)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "True"
