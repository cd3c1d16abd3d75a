"""The hand-check sample of ``benchmarks/validity.py`` is stable under rule changes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "validity.py"


def _validity():
    spec = importlib.util.spec_from_file_location("_validity_under_test", _PATH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _table(n: int, offset: int = 0) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i % 7}" for i in range(offset, offset + n)], "actor": "A",
                         "label": [f"label {i}" for i in range(offset, offset + n)], "label_kind": "description",
                         "in_headline": False, "start": range(offset, offset + n), "end": range(offset + 5, offset + n + 5)})


def _keys(df: pd.DataFrame) -> set[tuple]:
    return set(map(tuple, df.itertuples(index=False)))


def test_the_sample_changes_only_where_rows_were_added_or_removed():
    v = _validity()
    table = _table(400)
    sample = v._stable_sample(table, 50)
    assert len(sample) == 50 and _keys(sample) <= _keys(table)
    # rows outside the sample removed, rows in another order: the same sample
    rest = table.drop(index=[i for i in table.index if i not in sample.index][:100]).sample(frac=1, random_state=1)
    assert _keys(v._stable_sample(rest, 50)) == _keys(sample)
    # 30 new rows: the sample keeps every old row that is still among the 50 smallest hashes
    grown = pd.concat([table, _table(30, offset=1000)], ignore_index=True)
    new = v._stable_sample(grown, 50)
    assert len(_keys(new) - _keys(sample)) == len(_keys(new) & _keys(_table(30, offset=1000)))
    # DataFrame.sample, which the check used before, redraws almost everything after one row goes
    before = _keys(table.sample(50, random_state=2026))
    after = _keys(table.drop(index=table.index[-1]).sample(50, random_state=2026))
    assert len(before & after) < 40
