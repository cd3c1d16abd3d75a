"""Tests for analysis.corpus: loading every source kind, cleaning, and every bad input."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import warnings

import pandas as pd
import pytest

from analysis.corpus import DOC_COLUMNS, clean_text, iter_corpus, load_corpus, removals
from analysis.errors import CorpusError


def _write_folder(tmp_path, rows, files):
    for name, content in files.items():
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(tmp_path / name, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as fh:
            fh.write(content)
    pd.DataFrame(rows).to_csv(tmp_path / "manifest.csv", index=False)
    return tmp_path


ARTICLE = "WASHINGTON (AP) -- The talks resumed on Wednesday. Officials said a date was near.\n"


# --- the seeds -------------------------------------------------------------------------------


def test_seed_docs_table(seed_docs):
    assert list(seed_docs.columns[: len(DOC_COLUMNS)]) == DOC_COLUMNS
    assert seed_docs["doc_id"].tolist() == ["000", "001", "002", "003", "004"]
    assert seed_docs["outlet"].tolist() == ["ABC News", "Reuters republisher", "AP", "Bloomberg", "VOI"]
    assert seed_docs["event_id"].nunique() == 1
    assert seed_docs["translated"].tolist() == [False, True, False, False, True]
    assert str(seed_docs.loc[4, "published"].date()) == "2024-03-28"


def test_raw_text_is_the_file_exactly(seed_docs, seeds_dir):
    for doc in seed_docs.itertuples():
        data = (seeds_dir / doc.path).read_bytes()
        assert doc.raw_text == data.decode("utf-8")
        assert doc.raw_sha256 == hashlib.sha256(data).hexdigest()


def test_seed_cleaning_removes_what_the_manifest_notes_say(seed_docs):
    r = removals(seed_docs)
    got = {(d, reason) for d, reason in zip(r.doc_id, r.reason)}
    expected = {
        ("000", "dateline"),
        ("000", "contributor_line"),
        ("001", "photo_caption"),
        ("001", "stray_punctuation"),
        ("002", "headline"),
        ("002", "dateline"),
        ("003", "site_furniture"),
        ("003", "headline"),
        ("003", "photo_credit"),
        ("003", "byline"),
        ("004", "dateline"),
        ("004", "translation_disclaimer"),
        ("004", "stray_punctuation"),
    }
    assert expected <= got
    assert (r[(r.doc_id == "003") & (r.reason == "headline")].shape[0]) == 2  # headline printed twice
    assert seed_docs["n_removed"].tolist() == r.groupby("doc_id").size().reindex(seed_docs.doc_id).tolist()
    texts = dict(zip(seed_docs.doc_id, seed_docs.text))
    assert texts["000"].startswith("Israeli Prime Minister Benjamin Netanyahu has agreed")
    assert "contributed to this report" not in texts["000"]
    assert "Profimedia" not in texts["001"] and ". ." not in texts["001"]
    assert texts["002"].startswith("Talks have restarted")
    assert texts["003"].startswith("Israeli Prime Minister Benjamin Netanyahu\u2019s office")
    assert "By Bloomberg" not in texts["003"] and "27 Mar 2024" not in texts["003"]
    assert texts["004"].startswith("Israel has asked the White House")
    assert "automatically generated" not in texts["004"]
    assert texts["004"].endswith("at a meeting with US Senator Rick Scott.")


def test_cleaning_can_be_turned_off(seeds_dir):
    raw = load_corpus(seeds_dir, clean=False)
    assert (raw["text"] == raw["raw_text"]).all()
    assert (raw["n_removed"] == 0).all()


def test_headline_detected_when_manifest_has_none():
    res = clean_text("Talks Resume On Gaza Visit, The White House Says\n\n" + ARTICLE)
    assert res.headline == "Talks Resume On Gaza Visit, The White House Says"
    assert res.text.startswith("The talks resumed")
    assert [r.reason for r in res.removed] == ["headline", "dateline"]


@pytest.mark.parametrize(
    "line,reason",
    [
        ("HARTFORD, Conn. \u2014 The governor signed the budget bill into law on Friday night.", "dateline"),
        ("(Reporting by Jane Doe; Editing by John Roe)", "contributor_line"),
        ("Photo: Jane Doe / Reuters", "photo_credit"),
        ("This article was machine-translated from Indonesian.", "translation_disclaimer"),
    ],
)
def test_cleaning_rules(line, reason):
    res = clean_text("Officials met for three hours on Tuesday and agreed on a plan.\n" + line + "\nThey left.")
    if reason == "dateline":
        res = clean_text(line)
    assert reason in [r.reason for r in res.removed]


def test_input_files_are_never_modified(tmp_path, seeds_dir):
    dst = tmp_path / "seeds"
    shutil.copytree(seeds_dir, dst)
    before = {p.name: p.read_bytes() for p in dst.iterdir()}
    load_corpus(dst)
    removals(load_corpus(dst))
    assert {p.name: p.read_bytes() for p in dst.iterdir()} == before


# --- other source kinds -----------------------------------------------------------------------


def test_csv_jsonl_parquet_and_dataframe_sources(tmp_path, seed_docs):
    frame = seed_docs[["doc_id", "event_id", "outlet", "raw_text"]].rename(columns={"raw_text": "text"})
    frame.to_csv(tmp_path / "c.csv", index=False)
    with open(tmp_path / "c.jsonl", "w", encoding="utf-8") as fh:
        for rec in frame.to_dict("records"):
            fh.write(json.dumps(rec) + "\n")
    frame.to_parquet(tmp_path / "c.parquet")
    for src in (tmp_path / "c.csv", tmp_path / "c.jsonl", tmp_path / "c.parquet", frame):
        docs = load_corpus(src)
        assert docs["text"].tolist() == seed_docs["text"].tolist()
        assert docs["doc_id"].tolist() == seed_docs["doc_id"].tolist()


def test_iter_corpus_batches_cover_the_corpus(tmp_path, seed_docs):
    frame = seed_docs[["doc_id", "outlet", "raw_text"]].rename(columns={"raw_text": "text"})
    with open(tmp_path / "c.jsonl", "w", encoding="utf-8") as fh:
        for rec in frame.to_dict("records"):
            fh.write(json.dumps(rec) + "\n")
    frame.to_parquet(tmp_path / "c.parquet", row_group_size=2)
    for src in (tmp_path / "c.jsonl", tmp_path / "c.parquet", None):  # None = the seed folder
        batches = list(iter_corpus(src, batch_size=2))
        assert [len(b) for b in batches] == [2, 2, 1]
        assert pd.concat(batches)["text"].tolist() == seed_docs["text"].tolist()


def test_generated_doc_ids_when_absent(tmp_path):
    pd.DataFrame({"outlet": ["A", "B"], "text": [ARTICLE, ARTICLE]}).to_csv(tmp_path / "x.csv", index=False)
    assert load_corpus(tmp_path / "x.csv")["doc_id"].tolist() == ["00000", "00001"]


# --- bad input --------------------------------------------------------------------------------


def test_missing_source():
    with pytest.raises(CorpusError, match="no such file or folder"):
        load_corpus("/nonexistent/corpus")


def test_missing_manifest(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    with pytest.raises(CorpusError, match=r"no manifest\.csv.*a\.txt.*doc_id,outlet,path"):
        load_corpus(tmp_path)


def test_manifest_row_with_missing_file(tmp_path):
    _write_folder(tmp_path, [{"doc_id": "1", "outlet": "A", "path": "gone.txt"}], {})
    with pytest.raises(CorpusError, match=r"manifest\.csv, data row 1 \(doc_id 1\): file 'gone.txt' not found"):
        load_corpus(tmp_path)


def test_duplicate_doc_id(tmp_path):
    rows = [{"doc_id": "1", "outlet": "A", "path": "a.txt"}, {"doc_id": "1", "outlet": "B", "path": "a.txt"}]
    _write_folder(tmp_path, rows, {"a.txt": ARTICLE})
    with pytest.raises(CorpusError, match=r"duplicate doc_id \['1'\] \(data rows \[1, 2\]\)"):
        load_corpus(tmp_path)


@pytest.mark.parametrize("content", ["", "   \n\t\n"])
def test_empty_or_whitespace_file(tmp_path, content):
    _write_folder(tmp_path, [{"doc_id": "1", "outlet": "A", "path": "a.txt"}], {"a.txt": content})
    with pytest.raises(CorpusError, match=r"a\.txt: empty or whitespace-only text"):
        load_corpus(tmp_path)


def test_binary_file(tmp_path):
    _write_folder(tmp_path, [{"doc_id": "1", "outlet": "A", "path": "a.txt"}], {"a.txt": b"PK\x03\x04\x00\x00binary"})
    with pytest.raises(CorpusError, match=r"a\.txt: looks binary"):
        load_corpus(tmp_path)


def test_cp1252_file_is_decoded_with_a_warning(tmp_path):
    text = "The minister\u2019s caf\u00e9 visit \u2014 a \u201cthaw\u201d. Officials agreed on Monday."
    _write_folder(tmp_path, [{"doc_id": "1", "outlet": "A", "path": "a.txt"}], {"a.txt": text.encode("cp1252")})
    with pytest.warns(UnicodeWarning, match=r"a\.txt: not valid UTF-8.*Windows-1252"):
        docs = load_corpus(tmp_path)
    assert docs.loc[0, "encoding"] == "cp1252"
    assert docs.loc[0, "raw_text"] == text


def test_manifest_without_outlet_column(tmp_path):
    pd.DataFrame({"doc_id": ["1"], "path": ["a.txt"]}).to_csv(tmp_path / "manifest.csv", index=False)
    (tmp_path / "a.txt").write_text(ARTICLE)
    with pytest.raises(CorpusError, match="no 'outlet' column.*Add an 'outlet' column"):
        load_corpus(tmp_path)


def test_manifest_without_path_column(tmp_path):
    pd.DataFrame({"doc_id": ["1"], "outlet": ["A"]}).to_csv(tmp_path / "manifest.csv", index=False)
    with pytest.raises(CorpusError, match="no 'path' column"):
        load_corpus(tmp_path)


def test_empty_manifest(tmp_path):
    (tmp_path / "manifest.csv").write_text("doc_id,outlet,path\n")
    with pytest.raises(CorpusError, match="has no rows"):
        load_corpus(tmp_path)


def test_bad_date(tmp_path):
    _write_folder(tmp_path, [{"doc_id": "1", "outlet": "A", "path": "a.txt", "published": "yesterday-ish"}], {"a.txt": ARTICLE})
    with pytest.raises(CorpusError, match=r"data row 1 \(doc_id 1\): published value 'yesterday-ish' is not a date"):
        load_corpus(tmp_path)


def test_malformed_jsonl(tmp_path):
    (tmp_path / "c.jsonl").write_text('{"outlet": "A", "text": "x y z."}\n{not json}\n')
    with pytest.raises(CorpusError, match=r"c\.jsonl, line 2: not valid JSON"):
        load_corpus(tmp_path / "c.jsonl")


def test_table_without_text_column(tmp_path):
    pd.DataFrame({"outlet": ["A"], "body": ["x"]}).to_csv(tmp_path / "c.csv", index=False)
    with pytest.raises(CorpusError, match="no 'text' column.*Name the column"):
        load_corpus(tmp_path / "c.csv")


def test_unsupported_file_type(tmp_path):
    (tmp_path / "c.xlsx").write_bytes(b"x")
    with pytest.raises(CorpusError, match="unsupported source"):
        load_corpus(tmp_path / "c.xlsx")


def test_single_outlet_loads_with_a_warning(tmp_path, caplog):
    pd.DataFrame({"outlet": ["A", "A"], "text": [ARTICLE, ARTICLE]}).to_csv(tmp_path / "c.csv", index=False)
    with caplog.at_level(logging.WARNING, logger="analysis.corpus"):
        docs = load_corpus(tmp_path / "c.csv")
    assert len(docs) == 2
    assert "comparisons need at least two" in caplog.text


def test_nothing_left_after_cleaning(tmp_path):
    pd.DataFrame({"outlet": ["A"], "text": ["Photo: Jane Doe / Reuters"]}).to_csv(tmp_path / "c.csv", index=False)
    with pytest.raises(CorpusError, match="nothing is left after cleaning.*clean=False"):
        load_corpus(tmp_path / "c.csv")
    assert load_corpus(tmp_path / "c.csv", clean=False).loc[0, "text"] == "Photo: Jane Doe / Reuters"


def test_errors_are_not_deep_tracebacks(tmp_path):
    """Every CorpusError is raised by the corpus module itself, with the fix in the message."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(CorpusError) as info:
            load_corpus(tmp_path)
    assert info.traceback[-1].path.name == "corpus.py"
