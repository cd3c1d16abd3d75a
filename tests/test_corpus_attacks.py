"""Tests for analysis.corpus against hostile and real-world inputs: each uses the input that broke it.

Paths outside the corpus, non-regular files, malformed manifests, null ids (the same on the
cold, batch and warm-cache paths), separators, encodings, control characters, column aliases and
dates.
"""

from __future__ import annotations

import json
import os
import re
import signal
import warnings

import pandas as pd
import pytest

from analysis import corpus as C
from analysis.corpus import CorpusWarning, batch_key_columns, corpus_batches, input_files, load_batch, load_corpus
from analysis.errors import CorpusError

ARTICLE = "The council voted on Tuesday to repair the bridge. Work starts in May, officials said.\n"
OTHER = "Rail workers walked out on Monday over pay. Trains were cancelled across the region.\n"
SECRET = "TOP SECRET password=hunter2\n"


def _manifest(folder, rows, text=None):
    """Write ``manifest.csv`` in ``folder`` from row dicts (or verbatim ``text``)."""
    folder.mkdir(parents=True, exist_ok=True)
    if text is not None:
        (folder / "manifest.csv").write_text(text, encoding="utf-8")
    else:
        pd.DataFrame(rows).to_csv(folder / "manifest.csv", index=False)
    return folder


def _corpus(tmp_path, path_value, *, name="corpus"):
    """A corpus folder with two articles, the second named by ``path_value``."""
    folder = tmp_path / name
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    rows = [{"doc_id": "1", "outlet": "A", "path": "a.txt"}, {"doc_id": "2", "outlet": "B", "path": path_value}]
    return _manifest(folder, rows)


def _one_line(exc: pytest.ExceptionInfo) -> str:
    msg = str(exc.value)
    assert "\n" not in msg and "Traceback" not in msg
    return msg


@pytest.fixture
def secret(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_text(SECRET, encoding="utf-8")
    return p


# --- 16.1: paths stay inside the corpus ------------------------------------------------------


def test_dotdot_path_is_refused_naming_the_row(tmp_path, secret):
    src = _corpus(tmp_path, "../secret.txt")
    with pytest.raises(CorpusError) as info:
        load_corpus(src)
    msg = _one_line(info)
    assert "data row 2 (doc_id 2): path '../secret.txt' leads outside the corpus folder" in msg
    assert "'..' climbs out" in msg and "allow_outside=True" in msg
    assert "hunter2" not in msg


def test_absolute_path_outside_is_refused(tmp_path, secret):
    src = _corpus(tmp_path, str(secret))
    with pytest.raises(CorpusError, match=r"data row 2 \(doc_id 2\): path .* leads outside .*an absolute path"):
        load_corpus(src)


def test_absolute_path_inside_the_corpus_is_read(tmp_path):
    src = _corpus(tmp_path, "placeholder")
    (src / "b.txt").write_text(OTHER, encoding="utf-8")
    _manifest(src, [{"doc_id": "1", "outlet": "A", "path": "a.txt"}, {"doc_id": "2", "outlet": "B", "path": str(src / "b.txt")}])
    assert load_corpus(src)["raw_text"].tolist() == [ARTICLE, OTHER]


def test_symlinked_file_leading_out_is_refused(tmp_path, secret):
    src = _corpus(tmp_path, "b.txt")
    os.symlink(secret, src / "b.txt")
    with pytest.raises(CorpusError, match=r"data row 2 \(doc_id 2\): path 'b\.txt' leads outside .*symbolic link"):
        load_corpus(src)


def test_symlinked_folder_on_the_way_is_refused(tmp_path, secret):
    src = _corpus(tmp_path, "sub/secret.txt")
    os.symlink(tmp_path, src / "sub")
    with pytest.raises(CorpusError, match=r"path 'sub/secret\.txt' leads outside .*symbolic link"):
        load_corpus(src)


def test_symlink_inside_the_corpus_is_read(tmp_path):
    src = _corpus(tmp_path, "link.txt")
    os.symlink(src / "a.txt", src / "link.txt")
    assert load_corpus(src)["raw_text"].tolist() == [ARTICLE, ARTICLE]


def test_allow_outside_reads_elsewhere_and_lists_every_file(tmp_path, secret):
    src = _corpus(tmp_path, "../secret.txt")
    docs = load_corpus(src, allow_outside=True)
    assert docs.loc[1, "raw_text"] == SECRET
    expected = [str((src / "manifest.csv").resolve()), str((src / "a.txt").resolve()), str(secret.resolve())]
    assert docs.attrs["input_files"] == expected
    assert [str(p) for p in input_files(src, allow_outside=True)] == expected
    with pytest.raises(CorpusError, match="leads outside"):
        input_files(src)


@pytest.mark.parametrize("kind", ["csv", "jsonl", "parquet"])
def test_table_sources_with_a_path_column_are_confined_too(tmp_path, secret, kind):
    folder = tmp_path / "tables"
    folder.mkdir()
    frame = pd.DataFrame({"doc_id": ["1", "2"], "outlet": ["A", "B"], "text": [ARTICLE, None], "path": [None, "../secret.txt"]})
    src = folder / f"c.{kind}"
    if kind == "csv":
        frame.to_csv(src, index=False)
    elif kind == "jsonl":
        src.write_text("".join(json.dumps(r) + "\n" for r in frame.to_dict("records")), encoding="utf-8")
    else:
        frame.to_parquet(src)
    with pytest.raises(CorpusError, match=r"data row 2 \(doc_id 2\): path '\.\./secret\.txt' leads outside"):
        load_corpus(src)
    specs = corpus_batches(src, batch_size=1)
    assert load_batch(specs[0])["doc_id"].tolist() == ["1"]
    with pytest.raises(CorpusError, match=r"data row 2 \(doc_id 2\): path '\.\./secret\.txt' leads outside"):
        load_batch(specs[1])
    outside = corpus_batches(src, batch_size=1, allow_outside=True)
    assert load_batch(outside[1])["raw_text"].tolist() == [SECRET]


def test_every_file_read_is_in_the_report_input_hashes(seeds_dir):
    from analysis import output

    docs = load_corpus(seeds_dir)
    hashed = set(output.input_hashes(seeds_dir))
    read = {os.path.relpath(p, seeds_dir.resolve()) for p in docs.attrs["input_files"]}
    assert len(read) == 6  # the manifest and five articles
    assert read <= hashed


# --- 16.4: only regular files; the size limit counts bytes read -----------------------------


class _Timeout(Exception):
    pass


@pytest.fixture
def no_hang():
    """Fail (instead of hanging) when a test blocks for more than 10 s."""

    def _raise(*_):
        raise _Timeout("blocked for 10 s")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test_dev_zero_is_refused_at_once(tmp_path, no_hang):
    src = _corpus(tmp_path, "/dev/zero")
    with pytest.raises(CorpusError, match="leads outside"):
        load_corpus(src)
    with pytest.raises(CorpusError, match=r"data row 2 \(doc_id 2\): /dev/zero: is a device, not a regular file"):
        load_corpus(src, allow_outside=True)


def test_fifo_is_refused_without_opening_it(tmp_path, no_hang):
    src = _corpus(tmp_path, "pipe.txt")
    os.mkfifo(src / "pipe.txt")
    with pytest.raises(CorpusError, match=r"pipe\.txt: is a FIFO \(named pipe\), not a regular file"):
        load_corpus(src)


def test_fifo_as_the_source_table_is_refused(tmp_path, no_hang):
    os.mkfifo(tmp_path / "c.csv")
    with pytest.raises(CorpusError, match=r"c\.csv: is a FIFO"):
        load_corpus(tmp_path / "c.csv")


def test_folder_as_path_is_refused(tmp_path):
    src = _corpus(tmp_path, "sub")
    (src / "sub").mkdir()
    with pytest.raises(CorpusError, match=r"data row 2 \(doc_id 2\): .*sub: is a folder"):
        load_corpus(src)


def test_size_limit_counts_the_bytes_read(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 200_000)  # 1 MB
    seen = []
    real_read = os.read

    def counting_read(fd, n):
        data = real_read(fd, n)
        seen.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counting_read)
    with pytest.raises(CorpusError, match=r"big\.txt: more than 1000 bytes, too large"):
        C.read_text_file(big, limit=1000)
    assert sum(seen) == 1001  # limit + 1 bytes, whatever the size on disk
    assert C.read_text_file(big, limit=2_000_000)[0].startswith("word word")


# --- 16.9: one-line errors instead of tracebacks ---------------------------------------------


def test_row_with_more_fields_than_the_header(tmp_path):
    src = _manifest(tmp_path / "c", None, "doc_id,outlet,path\n1,A,a.txt\n2,B,b.txt,Hello, world\n")
    with pytest.raises(CorpusError) as info:
        load_corpus(src)
    assert "data row 2 (line 3): 5 fields but the header has 3" in _one_line(info)


def test_every_row_one_field_longer_is_not_an_index(tmp_path):
    """pandas would take the first column as the index; the kit refuses the rows instead."""
    src = _manifest(tmp_path / "c", None, "doc_id,outlet,path\n1,A,a.txt,x\n2,B,b.txt,y\n")
    with pytest.raises(CorpusError, match=r"data row 1 \(line 2\): 4 fields but the header has 3"):
        load_corpus(src)


def test_trailing_empty_field_and_short_rows_are_read(tmp_path):
    src = _manifest(tmp_path / "c", None, "doc_id,outlet,path,title\n1,A,a.txt,,\n2,B,b.txt\n")
    (src / "a.txt").write_text(ARTICLE)
    (src / "b.txt").write_text(OTHER)
    docs = load_corpus(src, clean=False)
    assert docs["doc_id"].tolist() == ["1", "2"] and docs["title"].tolist() == ["", ""]


@pytest.mark.parametrize(
    "value,kind", [(["Fox", "CNN"], "an array"), ({"name": "Fox"}, "an object")]
)
def test_jsonl_list_or_dict_in_a_read_field(tmp_path, value, kind):
    lines = [{"outlet": "A", "text": ARTICLE}, {"outlet": value, "text": OTHER}]
    src = tmp_path / "c.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in lines) + "\n")
    with pytest.raises(CorpusError) as info:
        load_corpus(src)
    assert f"c.jsonl, line 2: field 'outlet' is {kind}" in _one_line(info)


def test_jsonl_list_in_an_extra_field_is_kept_as_json_text(tmp_path):
    lines = [{"outlet": "A", "text": ARTICLE, "tags": ["bridge", "council"]}, {"outlet": "B", "text": OTHER, "tags": {"k": 1}}]
    src = tmp_path / "c.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in lines) + "\n")
    assert load_corpus(src)["tags"].tolist() == ['["bridge","council"]', '{"k":1}']


def test_parquet_list_column(tmp_path):
    frame = pd.DataFrame({"outlet": [["A"], ["B"]], "text": [ARTICLE, OTHER]})
    frame.to_parquet(tmp_path / "c.parquet")
    with pytest.raises(CorpusError, match=r"c\.parquet, data row 1: field 'outlet' holds list<element: string> values"):
        load_corpus(tmp_path / "c.parquet")
    pd.DataFrame({"outlet": ["A", "B"], "text": [ARTICLE, OTHER], "tags": [["x"], None]}).to_parquet(tmp_path / "d.parquet")
    assert load_corpus(tmp_path / "d.parquet")["tags"].tolist()[0] == '["x"]'


@pytest.mark.parametrize("text,match", [(123, r"text is a int \('123'\), not a string"), (float("nan"), "no text")])
def test_non_string_or_nan_text(text, match):
    frame = pd.DataFrame({"outlet": ["A", "B"], "text": [ARTICLE, text]}, dtype=object)
    with pytest.raises(CorpusError, match=r"DataFrame, data row 2 \(doc_id 00001\): " + match):
        load_corpus(frame)


def test_dataframe_with_a_string_index():
    frame = pd.DataFrame({"outlet": ["A", "B"], "text": [ARTICLE, ""]}, index=["x", "y"])
    with pytest.raises(CorpusError, match=r"data row 2 \(doc_id 00001\): empty or whitespace-only text"):
        load_corpus(frame)


# --- 16.10: null ids, one rule on every path -------------------------------------------------

NULL_ROWS = [
    {"doc_id": None, "event_id": None, "outlet": "A", "text": ARTICLE},
    {"doc_id": "", "event_id": "", "outlet": "B", "text": OTHER},
    {"doc_id": "x", "event_id": "storm", "outlet": "A", "text": ARTICLE + " More."},
    {"doc_id": 7, "event_id": 3, "outlet": "B", "text": OTHER + " More."},
]
EXPECTED_IDS = ["00000", "00001", "x", "7"]
EXPECTED_EVENTS = ["event", "event", "storm", "3"]


def _write_nulls(tmp_path, kind):
    src = tmp_path / f"n.{kind}"
    if kind == "jsonl":
        src.write_text("".join(json.dumps(r) + "\n" for r in NULL_ROWS), encoding="utf-8")
    elif kind == "parquet":
        frame = pd.DataFrame(NULL_ROWS).assign(doc_id=[None, "", "x", "7"], event_id=pd.array([None, None, None, 3], dtype="Int64"))
        frame.to_parquet(src, row_group_size=2)
    else:
        pd.DataFrame(NULL_ROWS).to_csv(src, index=False)
    return src


@pytest.mark.parametrize("kind", ["csv", "jsonl", "parquet"])
def test_null_ids_follow_one_rule_on_every_path(tmp_path, kind):
    src = _write_nulls(tmp_path, kind)
    events = ["event", "event", "event", "3"] if kind == "parquet" else EXPECTED_EVENTS
    docs = load_corpus(src)
    assert docs["doc_id"].tolist() == EXPECTED_IDS
    assert docs["event_id"].tolist() == events
    batches = pd.concat([load_batch(s) for s in corpus_batches(src, batch_size=2)], ignore_index=True)
    assert batches["doc_id"].tolist() == EXPECTED_IDS and batches["event_id"].tolist() == events
    for text in ("nan", "None", "NaN", "<NA>"):
        assert text not in set(docs["doc_id"]) | set(docs["event_id"])


def test_int_ids_with_nulls_keep_their_digits(tmp_path):
    """A null in an integer column must not turn 7 into "7.0" (JSONL) nor lose digits."""
    big = 2**60 + 1
    rows = [{"doc_id": big, "outlet": "A", "text": ARTICLE}, {"doc_id": None, "outlet": "B", "text": OTHER}]
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert load_corpus(tmp_path / "c.jsonl")["doc_id"].tolist() == [str(big), "00001"]


def test_warm_cache_gives_the_same_ids_as_a_cold_run(tmp_path):
    from analysis.features import document_features

    src = _write_nulls(tmp_path, "parquet")
    for spec in corpus_batches(src, batch_size=2):
        keys = batch_key_columns(spec)
        cold = load_batch(spec, clean=False)
        assert keys[["doc_id", "outlet", "event_id", "title", "raw_sha256"]].values.tolist() == cold[
            ["doc_id", "outlet", "event_id", "title", "raw_sha256"]
        ].values.tolist()
    first = document_features(src, sets=["diversity"], batch_size=2, cache_dir=tmp_path / "cache")
    second = document_features(src, sets=["diversity"], batch_size=2, cache_dir=tmp_path / "cache")
    assert first["doc_id"].tolist() == second["doc_id"].tolist() == EXPECTED_IDS
    assert second["event_id"].tolist() == ["event", "event", "event", "3"]
    pd.testing.assert_frame_equal(first, second)


@pytest.mark.parametrize("kind", ["csv", "jsonl", "parquet"])
def test_null_outlet_is_refused_naming_the_row(tmp_path, kind):
    rows = [{"doc_id": "a", "outlet": "A", "text": ARTICLE}, {"doc_id": "b", "outlet": None, "text": OTHER}]
    src = tmp_path / f"c.{kind}"
    if kind == "jsonl":
        src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    elif kind == "parquet":
        pd.DataFrame(rows).to_parquet(src)
    else:
        pd.DataFrame(rows).to_csv(src, index=False)
    with pytest.raises(CorpusError, match=r"data row 2 \(doc_id b\): empty outlet"):
        load_corpus(src)
    with pytest.raises(CorpusError, match=r"data row 2 \(doc_id b\): empty outlet"):
        [load_batch(s) for s in corpus_batches(src, batch_size=1)]


# --- 16.11: header, separator, encodings, NUL bytes, control characters ----------------------


def test_duplicate_header_column_is_refused(tmp_path):
    src = _manifest(tmp_path / "c", None, "doc_id,outlet,path,outlet\n1,A,a.txt,B\n")
    with pytest.raises(CorpusError, match=r"column 'outlet' appears twice in the header \(columns 2 and 4\)"):
        load_corpus(src)


def test_duplicate_column_in_a_dataframe_is_refused():
    frame = pd.DataFrame([["A", ARTICLE, "B"]], columns=["outlet", "text", "outlet "])
    with pytest.raises(CorpusError, match="column 'outlet' appears twice"):
        load_corpus(frame)


@pytest.mark.parametrize("sep,name", [(";", "semicolon"), ("\t", "tab")])
def test_semicolon_or_tab_manifest_is_read_with_a_warning(tmp_path, sep, name):
    src = _manifest(tmp_path / "c", None, f"doc_id{sep}outlet{sep}path\n1{sep}A, Inc.{sep}a.txt\n2{sep}B{sep}b.txt\n")
    (src / "a.txt").write_text(ARTICLE)
    (src / "b.txt").write_text(OTHER)
    with pytest.warns(CorpusWarning, match=f"read the file as {name}-separated"):
        docs = load_corpus(src)
    assert docs["outlet"].tolist() == ["A, Inc.", "B"]


def test_ambiguous_separator_is_refused_naming_the_single_column(tmp_path):
    src = _manifest(tmp_path / "c", None, "doc_id;outlet\tpath\n1;A\ta.txt\n")
    with pytest.raises(CorpusError, match=r"single column 'doc_id;outlet\\tpath'.*semicolon and tab.*comma-separated"):
        load_corpus(src)


def test_unknown_separator_names_the_single_column(tmp_path):
    src = _manifest(tmp_path / "c", None, "doc_id:outlet:path\n1:A:a.txt\n")
    with pytest.raises(CorpusError, match=r"manifest\.csv: no 'path' column.*single column 'doc_id:outlet:path'"):
        load_corpus(src)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_article_is_named_utf16_with_an_iconv_hint(tmp_path, encoding):
    src = _corpus(tmp_path, "b.txt")
    (src / "b.txt").write_bytes(OTHER.encode(encoding))
    with pytest.raises(CorpusError) as info:
        load_corpus(src)
    msg = _one_line(info)
    assert "b.txt: is UTF-16 text" in msg and "iconv -f UTF-16 -t UTF-8" in msg and "binary" not in msg


def test_utf16_manifest_is_named_utf16(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "manifest.csv").write_bytes("doc_id,outlet,path\n1,A,a.txt\n".encode("utf-16"))
    with pytest.raises(CorpusError, match=r"manifest\.csv: is UTF-16 text.*iconv -f UTF-16 -t UTF-8"):
        load_corpus(folder)


def test_nul_byte_mid_file_is_refused_with_its_offset(tmp_path):
    src = _corpus(tmp_path, "b.txt")
    body = (OTHER * 400).encode()
    (src / "b.txt").write_bytes(body[:20000] + b"\x00" + body[20000:])
    with pytest.raises(CorpusError, match=r"b\.txt: looks binary \(NUL byte at byte offset 20000\)"):
        load_corpus(src)


def test_control_characters_and_escape_sequences_are_removed_from_ids(tmp_path):
    frame = pd.DataFrame(
        {
            "doc_id": ["a\x1b[2J\x1b[H1", "b\n2"],
            "event_id": ["flood\x07", "\x1b]0;pwned\x07flood"],
            "outlet": ["Fox\x1b[31mNews\x1b[0m", "\u202eCNN"],
            "text": [ARTICLE, OTHER],
        }
    )
    with pytest.warns(CorpusWarning, match=r"removed control characters .* from 6 id/outlet value\(s\)"):
        docs = load_corpus(frame)
    assert docs["doc_id"].tolist() == ["a1", "b 2"]
    assert docs["event_id"].tolist() == ["flood", "flood"]
    assert docs["outlet"].tolist() == ["FoxNews", "CNN"]
    assert frame.loc[0, "outlet"] == "Fox\x1b[31mNews\x1b[0m"  # input untouched


# --- 11.5: metadata as users have it ---------------------------------------------------------


@pytest.mark.parametrize("column", ["date", "pubdate", "published_at"])
def test_date_columns_are_read_as_published(tmp_path, column):
    frame = pd.DataFrame({"outlet": ["A", "B"], column: ["2018-04-19", ""], "text": [ARTICLE, OTHER]})
    with pytest.warns(CorpusWarning, match=f"reading column '{column}' as 'published'"):
        docs = load_corpus(frame)
    assert [str(d.date()) if not pd.isna(d) else None for d in docs["published"]] == ["2018-04-19", None]
    assert column not in docs.columns


def test_published_wins_over_date_without_a_warning():
    frame = pd.DataFrame({"outlet": ["A", "B"], "published": ["2018-04-19"] * 2, "date": ["x", "y"], "text": [ARTICLE, OTHER]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", CorpusWarning)
        docs = load_corpus(frame)
    assert docs["date"].tolist() == ["x", "y"]


def test_story_columns_are_read_as_event_id():
    frame = pd.DataFrame({"outlet": ["A", "B"], "story": ["s1", "s2"], "story_id": ["flood", ""], "text": [ARTICLE, OTHER]})
    with pytest.warns(CorpusWarning, match="reading column 'story_id' as 'event_id'"):
        docs = load_corpus(frame)
    assert docs["event_id"].tolist() == ["flood", "event"]
    assert docs["story"].tolist() == ["s1", "s2"]


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2018-04-19", "2018-04-19 00:00:00"),
        ("April 19, 2018", "2018-04-19 00:00:00"),
        ("2018-04-19T10:00:00Z", "2018-04-19 10:00:00"),
        ("2018-04-19T12:00:00+02:00", "2018-04-19 10:00:00"),
        ("13/05/2024", "2024-05-13 00:00:00"),
        ("05/13/2024", "2024-05-13 00:00:00"),
        ("05/05/2024", "2024-05-05 00:00:00"),
    ],
)
def test_unambiguous_dates_are_accepted(value, expected):
    frame = pd.DataFrame({"outlet": ["A", "B"], "published": [value, "2018-04-20"], "text": [ARTICLE, OTHER]})
    docs = load_corpus(frame)
    assert str(docs.loc[0, "published"]) == expected
    assert str(docs["published"].dtype) == "datetime64[us]"


@pytest.mark.parametrize(
    "value,reason",
    [
        ("01/05/2024", r"is ambiguous \(1 May or 5 January\?\)"),
        ("1.5.2024", "is ambiguous"),
        ("01/05/24", "two-digit year"),
        ("yesterday-ish", "is not a date"),
    ],
)
def test_ambiguous_or_bad_dates_are_refused_naming_the_row(tmp_path, value, reason):
    src = _manifest(tmp_path / "c", [{"doc_id": "a", "outlet": "A", "path": "a.txt", "date": "2024-05-01"},
                                     {"doc_id": "b", "outlet": "B", "path": "a.txt", "date": value}])
    (src / "a.txt").write_text(ARTICLE)
    with pytest.raises(CorpusError) as info, pytest.warns(CorpusWarning):
        load_corpus(src)
    msg = _one_line(info)
    assert "data row 2 (doc_id b): published (column 'date') value" in msg and "YYYY-MM-DD" in msg
    assert re.search(reason, msg)


def test_jsonl_batches_name_the_physical_line(tmp_path):
    src = tmp_path / "c.jsonl"
    good = json.dumps({"outlet": "A", "text": ARTICLE})
    src.write_text(good + "\n\n" + good + "\n" + json.dumps({"outlet": "B", "text": OTHER, "title": ["x"]}) + "\n")
    specs = corpus_batches(src, batch_size=1)
    assert [s.first_line for s in specs] == [1, 3, 4]
    assert load_batch(specs[1])["doc_id"].tolist() == ["00001"]
    with pytest.raises(CorpusError, match=r"c\.jsonl, line 4: field 'title' is an array"):
        load_batch(specs[2])
