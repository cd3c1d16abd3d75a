"""Tests for analysis.features and analysis.cache: engines agree, the cache is trusted only when sound."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest

from analysis import features as F
from analysis.cache import KEY, FeatureCache, text_key
from analysis.corpus import load_corpus
from analysis.errors import ParameterError
from analysis.lexical import diversity, term_counts
from analysis.readability import readability
from analysis.synthetic import resampled_corpus


def _write_jsonl(frame: pd.DataFrame, path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for rec in frame.to_dict("records"):
            fh.write(json.dumps(rec) + "\n")


@pytest.fixture(scope="module")
def corpus_5000():
    return load_corpus(resampled_corpus(5000, seed=7))


@pytest.fixture(scope="module")
def dask_cluster():
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1")
    yield cluster.scheduler_address
    cluster.close()


def test_features_equal_the_underlying_functions(seed_docs):
    got = F.document_features(seed_docs, batch_size=2)
    r = readability(seed_docs, audit=False)
    d = diversity(seed_docs)
    expected = pd.concat([r, d.drop(columns=["doc_id", "outlet", "event_id"])], axis=1)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_pandas_and_dask_identical_on_seeds(seed_docs, seeds_dir, dask_cluster):
    a = F.document_features(seeds_dir, batch_size=2)
    b = F.document_features(seeds_dir, engine="dask", scheduler=dask_cluster, batch_size=2)
    pd.testing.assert_frame_equal(a, b)
    assert a["doc_id"].tolist() == seed_docs["doc_id"].tolist()


def test_pandas_and_dask_identical_on_5000_documents(corpus_5000, dask_cluster):
    a = F.document_features(corpus_5000, batch_size=500)
    b = F.document_features(corpus_5000, engine="dask", scheduler=dask_cluster, batch_size=500)
    assert len(a) == 5000
    pd.testing.assert_frame_equal(a, b)


def test_term_count_reduction_identical_and_correct(seed_docs, dask_cluster):
    a = F.outlet_term_counts(seed_docs, batch_size=2)
    b = F.outlet_term_counts(seed_docs, engine="dask", scheduler=dask_cluster, batch_size=2)
    pd.testing.assert_frame_equal(a, b)
    direct = (
        term_counts(seed_docs).groupby(["outlet", "term"])["n"].sum().reset_index()
        .sort_values(["outlet", "term"], kind="mergesort").reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(a, direct, check_dtype=False)


def test_streaming_source_equals_in_memory(tmp_path, corpus_5000):
    small = corpus_5000.iloc[:300][["doc_id", "event_id", "outlet", "raw_text"]].rename(columns={"raw_text": "text"})
    path = tmp_path / "c.jsonl"
    _write_jsonl(small, path)
    streamed = F.document_features(path, batch_size=64)
    in_memory = F.document_features(load_corpus(small), batch_size=1000)
    pd.testing.assert_frame_equal(streamed, in_memory)


def test_unknown_engine_and_set():
    with pytest.raises(ParameterError, match="engine: unknown engine 'spark'"):
        F.document_features(engine="spark")
    with pytest.raises(ParameterError, match=r"unknown feature set\(s\) \['sentiment'\]"):
        F.document_features(sets=["sentiment"])


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(ParameterError, match="cannot reach a Dask scheduler"):
        F.document_features(engine="dask", scheduler="tcp://127.0.0.1:9")


# --- cache -----------------------------------------------------------------------------------


class _Counting:
    """Wrap FeatureSet.compute to count how many documents each set computes."""

    def __init__(self, monkeypatch):
        self.calls: dict[str, int] = {}
        real = F.FeatureSet.compute

        def compute(fs, docs):
            self.calls[fs.name] = self.calls.get(fs.name, 0) + len(docs)
            return real(fs, docs)

        monkeypatch.setattr(F.FeatureSet, "compute", compute)


def test_warm_cache_recomputes_nothing(tmp_path, seed_docs, monkeypatch):
    counter = _Counting(monkeypatch)
    first = F.document_features(seed_docs, cache_dir=tmp_path, batch_size=2)
    assert counter.calls == {"readability": 5, "diversity": 5}
    counter.calls.clear()
    second = F.document_features(seed_docs, cache_dir=tmp_path, batch_size=3)  # other batching
    assert counter.calls == {}
    pd.testing.assert_frame_equal(first, second)


def test_changed_text_recomputes_only_that_document(tmp_path, seed_docs, monkeypatch):
    F.document_features(seed_docs, cache_dir=tmp_path)
    counter = _Counting(monkeypatch)
    edited = seed_docs.copy()
    edited.loc[2, "text"] = edited.loc[2, "text"] + " One more sentence."
    F.document_features(edited, cache_dir=tmp_path)
    assert counter.calls == {"readability": 1, "diversity": 1}


def test_method_version_change_invalidates_only_its_columns(tmp_path, seed_docs, monkeypatch):
    F.document_features(seed_docs, cache_dir=tmp_path)
    counter = _Counting(monkeypatch)
    sets = F._feature_sets()
    bumped = dict(sets)
    bumped["diversity"] = F.FeatureSet("diversity", "analysis.lexical", "diversity", sets["diversity"].version + "-next")
    monkeypatch.setattr(F, "_feature_sets", lambda: bumped)
    F.document_features(seed_docs, cache_dir=tmp_path)
    assert counter.calls == {"diversity": 5}


@pytest.mark.parametrize("damage", ["truncate", "garbage", "swap_keys"])
def test_corrupt_cache_part_is_rebuilt_not_trusted(tmp_path, seed_docs, monkeypatch, damage):
    clean = F.document_features(seed_docs, cache_dir=tmp_path)
    part = next((tmp_path / "readability").rglob("part-*.parquet"))
    if damage == "truncate":
        data = part.read_bytes()
        part.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        part.write_bytes(b"not a parquet file at all")
    else:  # valid Parquet whose metadata no longer matches its rows
        import pyarrow.parquet as pq

        table = pq.read_table(part)
        frame = table.to_pandas()
        frame["flesch_kincaid_grade"] = 99.0
        frame[KEY] = frame[KEY].iloc[::-1].tolist()
        pq.write_table(
            __import__("pyarrow").Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(
                table.schema.metadata
            ),
            part,
        )
    counter = _Counting(monkeypatch)
    again = F.document_features(seed_docs, cache_dir=tmp_path)
    assert counter.calls.get("readability") == 5
    pd.testing.assert_frame_equal(again, clean)


def test_cache_put_get_roundtrip(tmp_path):
    cache = FeatureCache(tmp_path)
    frame = pd.DataFrame({KEY: [text_key("a"), text_key("b")], "x": [1.0, 2.0]})
    cache.put("m", "1", frame)
    got = FeatureCache(tmp_path).get("m", "1", [text_key("b"), text_key("zzz")])
    assert got[KEY].tolist() == [text_key("b")] and got["x"].tolist() == [2.0]
    assert FeatureCache(tmp_path).get("m", "2", [text_key("a")]).empty
    assert not list(tmp_path.rglob(".tmp-*"))


def test_killed_run_resumes_and_reuses_finished_batches(tmp_path, corpus_5000, monkeypatch):
    small = corpus_5000.iloc[:1200][["doc_id", "event_id", "outlet", "raw_text"]].rename(columns={"raw_text": "text"})
    src = tmp_path / "c.jsonl"
    _write_jsonl(small, src)
    cache = tmp_path / "cache"
    script = textwrap.dedent(
        f"""
        from analysis.features import document_features
        document_features({str(src)!r}, cache_dir={str(cache)!r}, batch_size=100, sets=["readability"])
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.time() + 120
    while time.time() < deadline and len(list(cache.glob("readability/*/part-*.parquet"))) < 3:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = len(list(cache.glob("readability/*/part-*.parquet")))
    assert 3 <= done < 12, "the run should have been killed midway"
    counter = _Counting(monkeypatch)
    resumed = F.document_features(src, cache_dir=cache, batch_size=100, sets=["readability"])
    computed = counter.calls["readability"]
    fresh = F.document_features(src, batch_size=100, sets=["readability"])
    pd.testing.assert_frame_equal(resumed, fresh)
    assert computed <= 1200 - 100 * done


def test_warm_fast_path_equals_full_path_on_parquet(tmp_path, corpus_5000, monkeypatch):
    """A Parquet batch answered from the cache alone equals the computed result, value for value."""
    small = corpus_5000.iloc[:250][["doc_id", "event_id", "outlet", "title", "raw_text"]].rename(columns={"raw_text": "text"})
    small = small.assign(outlet=" " + small["outlet"] + " ")  # stripped the same way on both paths
    small.loc[small.index[:3], "title"] = "A Headline That Repeats"
    src = tmp_path / "c.parquet"
    small.to_parquet(src, row_group_size=64)
    cold = F.document_features(src, cache_dir=tmp_path / "cache", batch_size=100)
    counter = _Counting(monkeypatch)
    calls = {"fast": 0}
    real_fast = F._all_cached

    def fast(*a, **k):
        res = real_fast(*a, **k)
        calls["fast"] += res is not None
        return res

    monkeypatch.setattr(F, "_all_cached", fast)
    warm = F.document_features(src, cache_dir=tmp_path / "cache", batch_size=100)
    assert counter.calls == {} and calls["fast"] == 3
    pd.testing.assert_frame_equal(warm, cold)
    pd.testing.assert_frame_equal(cold, F.document_features(src, batch_size=100))
