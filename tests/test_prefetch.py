"""The framing pass computed ahead in a helper process gives exactly the tables of the direct calls."""

from __future__ import annotations

import os
import signal
import warnings

import pandas as pd
import pytest

from analysis import framing as fr
from analysis.corpus import load_corpus
from analysis.errors import ParameterError
from analysis.prefetch import TASKS, FramingPass


@pytest.fixture(scope="module")
def docs() -> pd.DataFrame:
    return load_corpus(None)


def _direct(docs: pd.DataFrame) -> dict:
    dictionary, table = fr.actors_for_report(docs, "", None)
    quote_table = fr.quotes(docs)
    loaded_sentences = fr.loaded_language(docs)
    return {
        "actors": table,
        "labels": fr.actor_labels(docs, actors=dictionary),
        "quotes": quote_table,
        "sources": fr.sources(docs, actors=dictionary, quote_table=quote_table),
        "claims": fr.claims(docs),
        "frames": fr.frames(docs, by="outlet", parts=False),
        "tone": fr.tone_by_outlet(docs, seed=3, n_boot=200),
        "loaded_sentences": loaded_sentences,
        "loaded": fr.loaded_language_by_outlet(table=loaded_sentences, seed=3, n_boot=200),
    }


@pytest.mark.parametrize("parallel", [True, False])
def test_every_table_equals_the_direct_call(docs, parallel):
    expected = _direct(docs)
    with FramingPass(docs, actors="", source=None, seed=3, n_boot=200, parallel=parallel) as framing:
        assert (framing._pool is not None) == (parallel and "fork" in __import__("multiprocessing").get_all_start_methods())
        got = {name: framing.result(name) for name in TASKS}
    dictionary, table = got.pop("actors")
    assert dictionary == fr.actors_for_report(docs, "", None)[0]
    pd.testing.assert_frame_equal(table, expected.pop("actors"))
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(got[name], frame, obj=name)


def test_an_error_reaches_the_section_that_asks(docs, tmp_path):
    missing = tmp_path / "no-such-actors.yaml"
    with FramingPass(docs, actors=str(missing), source=None, n_boot=50) as framing:
        with pytest.raises(ParameterError, match="no-such-actors.yaml"):
            framing.result("actors")
        with pytest.raises(ParameterError, match="no-such-actors.yaml"):  # labels need the actors
            framing.result("labels")
        # a table that does not need the actors is unaffected
        pd.testing.assert_frame_equal(framing.result("claims"), fr.claims(docs))


def test_warnings_are_issued_again_in_the_caller(docs, monkeypatch):
    import analysis.prefetch as pf

    def noisy(state):
        warnings.warn("three outlets have no claims", UserWarning)
        return pd.DataFrame({"x": [1]})

    monkeypatch.setitem(pf._COMPUTE, "claims", noisy)  # the forked helper inherits the patch
    with FramingPass(docs, n_boot=50) as framing:
        with pytest.warns(UserWarning, match="three outlets have no claims"):
            assert framing.result("claims")["x"].tolist() == [1]
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # shown once, not at every call
            framing.result("claims")


def test_a_killed_helper_costs_time_not_tables(docs):
    framing = FramingPass(docs, n_boot=50)
    assert framing._pool is not None  # Linux: the helper runs
    first = framing.result("claims")
    for pid in list(framing._pool._processes):
        os.kill(pid, signal.SIGKILL)
    frames = framing.result("frames")  # computed in this process instead
    pd.testing.assert_frame_equal(frames, fr.frames(docs, by="outlet", parts=False))
    pd.testing.assert_frame_equal(framing.result("claims"), first)
    framing.close()


def test_unknown_table_name_is_refused(docs):
    with FramingPass(docs, parallel=False) as framing:
        with pytest.raises(KeyError, match="known: actors, labels"):
            framing.result("labelz")


def test_the_module_default_decides_whether_a_helper_starts(docs, monkeypatch):
    import analysis.prefetch as prefetch

    monkeypatch.setattr(prefetch, "HELPER", False)  # as a batch with every core busy sets it
    with FramingPass(docs, n_boot=50) as framing:
        assert framing._pool is None
        in_kernel = framing.result("claims")
    monkeypatch.setattr(prefetch, "HELPER", True)
    with FramingPass(docs, n_boot=50) as framing:
        assert framing._pool is not None
        pd.testing.assert_frame_equal(framing.result("claims"), in_kernel)
    with FramingPass(docs, n_boot=50, parallel=False) as framing:  # an explicit choice wins
        assert framing._pool is None
