"""Tests for analysis.output: atomic writes, figures with their data, manifests."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import warnings
from importlib.metadata import version
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import analysis.figures as F  # noqa: E402
from analysis import output  # noqa: E402
from analysis.errors import ParameterError  # noqa: E402


@pytest.fixture
def fig_and_data():
    data = pd.DataFrame({"outlet": ["AP", "VOI"], "estimate": [1.5, 2.5], "ci_low": [1.0, 2.0], "ci_high": [2.0, 3.0]})
    with F.paper_style():
        ax = F.plot_comparison(data)
    yield ax.figure, data
    plt.close("all")


def test_save_figure_writes_every_format_with_csv_and_card(tmp_path, fig_and_data):
    fig, data = fig_and_data
    written = output.save_figure(fig, "tone", data, tmp_path, meta={"parameters": {"seed": 0}})
    assert set(written) == {"pdf", "svg", "png", "csv", "json"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tone.csv", "tone.json", "tone.pdf", "tone.png", "tone.svg"]
    assert (tmp_path / "tone.pdf").read_bytes().startswith(b"%PDF")
    assert b"<svg" in (tmp_path / "tone.svg").read_bytes()
    assert (tmp_path / "tone.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "tone.csv"), data)
    card = json.loads((tmp_path / "tone.json").read_text())
    assert card["data"] == "tone.csv" and card["parameters"] == {"seed": 0} and card["n_rows"] == 2


def test_png_is_300_dpi(tmp_path, fig_and_data):
    from PIL import Image

    fig, data = fig_and_data
    output.save_figure(fig, "f", data, tmp_path, formats=("png",))
    dpi = Image.open(tmp_path / "f.png").info["dpi"]
    assert round(dpi[0]) == 300


def test_opaque_png_is_written_as_rgb_with_the_same_pixels_and_metadata(tmp_path, fig_and_data):
    import numpy as np
    from PIL import Image

    fig, data = fig_and_data
    files = output.save_figure(fig, "f", data, tmp_path, formats=("png",))
    ours = Image.open(files["png"])
    assert ours.mode == "RGB"
    assert ours.info["Software"] == "analysis (media-comparison kit)" and round(ours.info["dpi"][0]) == 300
    # reference: matplotlib's own RGBA writer, same layout (the wrapper switched off)
    with output._laid_out(fig, 300) as bbox:
        fig.savefig(tmp_path / "ref.png", format="png", dpi=300, bbox_inches=bbox, metadata={"Software": "x"},
                    pil_kwargs={"compress_level": output.PNG_COMPRESS_LEVEL})
    ref = Image.open(tmp_path / "ref.png")
    assert ref.mode == "RGBA" and ref.size == ours.size
    rgba = np.asarray(ref)
    assert (rgba[..., 3] == 255).all()
    assert np.array_equal(np.asarray(ours), rgba[..., :3])
    assert os.path.getsize(files["png"]) < os.path.getsize(tmp_path / "ref.png")


def test_transparent_png_keeps_its_alpha_channel(tmp_path, fig_and_data):
    import numpy as np
    from PIL import Image

    fig, data = fig_and_data
    fig.patch.set_alpha(0.0)
    for ax in fig.axes:
        ax.patch.set_alpha(0.0)
    files = output.save_figure(fig, "f", data, tmp_path, formats=("png",))
    img = Image.open(files["png"])
    assert img.mode == "RGBA" and (np.asarray(img)[..., 3] < 255).any()
    import matplotlib.image as mimage

    assert not getattr(mimage.imsave, "_kit_wrapper", False)  # restored after saving


def _pdf_width_in(path) -> float:
    """Width in inches of the first page of a PDF, from its MediaBox (points / 72)."""
    import re

    box = re.search(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)", Path(path).read_bytes())
    x0, _, x1, _ = (float(v) for v in box.groups())
    return (x1 - x0) / 72


def _svg_width_in(path) -> float:
    import re

    head = Path(path).read_text(encoding="utf-8")[:2000]
    return float(re.search(r'<svg[^>]*width="([\d.]+)pt"', head).group(1)) / 72


@pytest.mark.parametrize("width", [F.ONE_COLUMN, F.TWO_COLUMN])
def test_one_and_two_column_figures_are_exactly_that_wide_after_the_crop(tmp_path, width):
    """A title running past its axes and a legend below would make a tight crop wider
    (3.75 in for a one-column figure before); the saved files are the requested width."""
    from PIL import Image

    with F.paper_style():
        fig, ax = plt.subplots(figsize=(width, 2.4))
        ax.barh(["Reuters republisher (n=1)", "AP (n=1)", "VOI (n=1)"], [3, 5, 2], label="words")
        ax.set_title("A left-aligned title, longer than its axes", loc="left")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=3)
        ax.set_xlabel("Flesch–Kincaid grade")
        files = output.save_figure(fig, "f", pd.DataFrame({"x": [1]}), tmp_path)
    assert _pdf_width_in(files["pdf"]) == pytest.approx(width, abs=0.02)
    assert _svg_width_in(files["svg"]) == pytest.approx(width, abs=0.02)
    assert Image.open(files["png"]).size[0] / 300 == pytest.approx(width, abs=0.02)
    # the caller's figure keeps its size, layout engine and screen resolution
    assert tuple(fig.get_size_inches()) == (width, 2.4)
    assert type(fig.get_layout_engine()).__name__ == "ConstrainedLayoutEngine"
    assert fig.dpi == 125  # the paper style's screen resolution
    plt.close("all")


@pytest.mark.parametrize("name", ["plot_comparison", "plot_sources", "plot_audit", "plot_keyness"])
def test_kit_charts_saved_one_column_wide(tmp_path, name):
    comp = pd.DataFrame({"outlet": ["ABC News", "Reuters republisher", "AP"], "metric": "smog", "n_docs": 1,
                         "estimate": [12.0, 9.0, 14.0], "ci_low": [11.0, 8.0, 13.0], "ci_high": [13.0, 10.0, 15.0]})
    tables = {
        "plot_comparison": comp,
        "plot_sources": pd.DataFrame({"outlet": ["AP", "AP", "Reuters republisher"], "source_type": ["named", "anonymous", "named"]}),
        "plot_audit": pd.DataFrame({"outlet": ["AP", "VOI"], "flesch_kincaid_grade": [10.0, 12.0], "textstat_flesch_kincaid_grade": [11.0, 12.5]}),
        "plot_keyness": pd.DataFrame({"outlet": "AP", "reference": "rest", "term": ["cease-fire", "hamas", "rafah"], "z": [2.5, -1.0, 3.1], "q": [0.2, 0.5, 0.01]}),
    }
    with F.paper_style():
        ax = getattr(F, name)(tables[name])
        files = output.save_figure(ax, name, tables[name], tmp_path, formats=("pdf",))
    assert _pdf_width_in(files["pdf"]) == pytest.approx(F.ONE_COLUMN, abs=0.02)
    plt.close("all")


def test_width_can_be_asked_and_content_too_wide_is_kept_whole(tmp_path, caplog):
    with F.paper_style():
        fig, ax = plt.subplots(figsize=(F.ONE_COLUMN, 2.0))
        ax.plot([0, 1], [0, 1])
        files = output.save_figure(fig, "wide", pd.DataFrame({"x": [1]}), tmp_path, formats=("pdf",), width=5.0)
        assert _pdf_width_in(files["pdf"]) == pytest.approx(5.0, abs=0.02)
        fig2, ax2 = plt.subplots(figsize=(2.0, 2.0))
        ax2.set_title("a title far longer than two inches of page could ever hold in one line", loc="left")
        with caplog.at_level("WARNING", logger="analysis.output"):
            files = output.save_figure(fig2, "long", pd.DataFrame({"x": [1]}), tmp_path, formats=("pdf",))
    assert _pdf_width_in(files["pdf"]) > 2.5  # the title is not cut off
    assert "cannot be laid out 2.00 in wide" in caplog.text
    with pytest.raises(ParameterError, match="width"):
        output.save_figure(fig, "bad", pd.DataFrame({"x": [1]}), tmp_path, width=-1)
    plt.close("all")


def test_pdf_embeds_truetype_even_without_the_style(tmp_path):
    fig, ax = plt.subplots()
    ax.set_title("Type 3 would be the default of some setups")
    with matplotlib.rc_context({"pdf.fonttype": 3}):
        output.save_figure(fig, "t", pd.DataFrame({"a": [1]}), tmp_path, formats=("pdf",))
    raw = (tmp_path / "t.pdf").read_bytes()
    assert b"/Type3" not in raw
    assert b"/FontFile2" in raw  # embedded TrueType program
    plt.close(fig)


def test_atomic_write_leaves_no_temp_files_and_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "a.txt"
    output.write_text(target, "first")
    with pytest.raises(RuntimeError):
        with output.atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("crash")
    assert target.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_written_files_follow_umask(tmp_path):
    mask = os.umask(0o022)
    os.umask(mask)
    p = output.write_text(tmp_path / "m.txt", "x")
    assert (p.stat().st_mode & 0o777) == (0o666 & ~mask)


def test_never_writes_into_inputs(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("article")
    with pytest.raises(ParameterError, match="input"):
        output.save_table(pd.DataFrame({"a": [1]}), "a", corpus, inputs=[corpus])
    with pytest.raises(ParameterError, match="input"):
        output.write_text(corpus / "a.txt", "overwritten", inputs=[corpus / "a.txt"])
    assert (corpus / "a.txt").read_text() == "article"


@pytest.mark.parametrize("name", ["../evil", "a/b", "", "has space", ".hidden"])
def test_unsafe_names_are_refused(tmp_path, name):
    with pytest.raises(ParameterError, match="name"):
        output.save_table(pd.DataFrame({"a": [1]}), name, tmp_path)


def test_bad_format_is_refused(tmp_path, fig_and_data):
    fig, data = fig_and_data
    with pytest.raises(ParameterError, match="jpg"):
        output.save_figure(fig, "x", data, tmp_path, formats=("jpg",))


def test_manifest_has_hashes_versions_and_status(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "x.txt").write_bytes(b"hello")
    (corpus / ".hidden").write_bytes(b"ignored")
    hashes = output.input_hashes(corpus)
    assert hashes == {"x.txt": hashlib.sha256(b"hello").hexdigest()}
    out = tmp_path / "r"
    path = output.write_manifest(out, parameters={"seed": 1}, inputs=hashes, method_card={"tokenizer": "t"}, timings={"run": 1.23456})
    m = json.loads(path.read_text())
    assert m["status"] == "complete"
    assert m["packages"]["pandas"] == version("pandas")
    assert m["inputs_sha256"] == hashes and m["timings_s"] == {"run": 1.235}
    assert m["parameters"] == {"seed": 1} and m["method_card"] == {"tokenizer": "t"}


def test_input_hashes_cover_the_articles_a_table_source_names(tmp_path):
    # a .csv source with a path column reads the article files: they are inputs too
    (tmp_path / "a.txt").write_bytes(b"An article of some words.")
    (tmp_path / "c.csv").write_text("outlet,path\nx,a.txt\n", encoding="utf-8")
    hashes = output.input_hashes(tmp_path / "c.csv")
    assert hashes == {
        "a.txt": hashlib.sha256(b"An article of some words.").hexdigest(),
        "c.csv": hashlib.sha256((tmp_path / "c.csv").read_bytes()).hexdigest(),
    }


def test_input_hashes_are_remembered_until_a_file_or_the_table_changes(tmp_path, monkeypatch):
    # a batch hashes the whole corpus for every story's manifest: unchanged files are not
    # read again, the table is not parsed again; any change is seen at the next call
    import analysis.corpus as corpus_mod

    (tmp_path / "a.txt").write_bytes(b"First article text.")
    (tmp_path / "b.txt").write_bytes(b"Second article text")
    (tmp_path / "c.csv").write_text("outlet,path\nx,a.txt\n", encoding="utf-8")
    reads, listings = [], []
    real_sha, real_list = output.sha256_file, corpus_mod.input_files
    monkeypatch.setattr(output, "sha256_file", lambda path, **kw: reads.append(Path(path).name) or real_sha(path, **kw))
    monkeypatch.setattr(corpus_mod, "input_files", lambda *a, **kw: listings.append(1) or real_list(*a, **kw))
    first = output.input_hashes(tmp_path / "c.csv")
    assert output.input_hashes(tmp_path / "c.csv") == first
    assert sorted(reads) == ["a.txt", "c.csv"] and len(listings) == 1  # second call: nothing read
    (tmp_path / "a.txt").write_bytes(b"First article TEXT.")  # same size, new content
    changed = output.input_hashes(tmp_path / "c.csv")
    assert changed["a.txt"] == hashlib.sha256(b"First article TEXT.").hexdigest() != first["a.txt"]
    assert len(listings) == 1  # the table did not change
    (tmp_path / "c.csv").write_text("outlet,path\nx,a.txt\ny,b.txt\n", encoding="utf-8")
    assert set(output.input_hashes(tmp_path / "c.csv")) == {"a.txt", "b.txt", "c.csv"} and len(listings) == 2


def test_report_writer_is_a_no_op_without_folder(tmp_path, fig_and_data):
    fig, data = fig_and_data
    w = output.ReportWriter("", formats="png")
    w.figure(fig, "x", data)
    w.table(data, "x")
    assert not w.active and w.written == [] and list(tmp_path.iterdir()) == []
    w = output.ReportWriter(tmp_path, formats="png,svg")
    assert w.figure(fig, "x", data) is None
    assert sorted(p.name for p in w.written) == ["x.csv", "x.json", "x.png", "x.svg"]
    assert (tmp_path / "figures" / "x.png").exists()
    assert json.loads((tmp_path / "figures" / "x.json").read_text())["manifest"] == "../manifest.json"
    w.table(data, "t")
    assert (tmp_path / "tables" / "t.csv").exists()
    with pytest.raises(ParameterError, match="figure_formats"):
        output.ReportWriter(tmp_path, formats="png,gif")


def test_background_writer_saves_the_figure_as_it_was_when_handed_over(tmp_path, fig_and_data):
    fig, data = fig_and_data
    w = output.ReportWriter(tmp_path, formats="png,svg", background=True)
    w.figure(fig, "late", data)
    fig.axes[0].set_title("changed afterwards")  # pickled at the call: not in the saved file
    w.table(data, "t")
    written = w.close()
    assert sorted(p.name for p in written) == ["late.csv", "late.json", "late.png", "late.svg", "t.csv"]
    svg = (tmp_path / "figures" / "late.svg").read_text()
    assert "95% CI" in svg and "changed afterwards" not in svg
    assert not list((tmp_path / "figures").glob(".*"))  # no temp files left


def test_background_errors_surface_at_close(tmp_path, fig_and_data):
    fig, data = fig_and_data
    corpus = tmp_path / "corpus"
    (corpus / "figures").mkdir(parents=True)
    w = output.ReportWriter(corpus, formats="png", background=True, inputs=[corpus / "figures" / "x.png"])
    w.figure(fig, "x", data)
    with pytest.raises(ParameterError, match="input"):
        w.close()


# ------------------------------------------------------------------------------------------
# spreadsheet formulas in cells (CSV injection) and the kit's own output files
# ------------------------------------------------------------------------------------------


def test_formula_cells_are_neutralised_numbers_stay_numbers(tmp_path):
    df = pd.DataFrame(
        {
            "outlet": ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-cmd", "@SUM(A1)", "\tTab", "\rCR", "AP", "-3.5"],
            "estimate": [-1.25, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
        }
    )
    before = df.copy()
    path = output.save_table(df, "t", tmp_path)
    pd.testing.assert_frame_equal(df, before)  # the input is not modified
    lines = path.read_bytes().decode("utf-8").split("\n")
    assert lines[0] == "outlet,estimate"
    assert lines[1] == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-1.25"
    assert lines[2:6] == ["'+1+1,2.0", "'-cmd,-3.0", "'@SUM(A1),4.0", "'\tTab,5.0"]
    assert lines[6].startswith("'\rCR") or lines[6].startswith("\"'\rCR")
    assert lines[7:9] == ["AP,7.0", "-3.5,8.0"]  # plain text and a number written as text stay as they are


def test_formula_column_names_and_index_labels_are_neutralised(tmp_path):
    # a square outlet x outlet table: outlet names become column names and index labels
    m = pd.DataFrame([[1.0, -0.5], [-0.5, 1.0]], index=["=A1", "BBC"], columns=["=A1", "BBC"])
    text = output.save_table(m, "m", tmp_path, index=True).read_text(encoding="utf-8")
    assert text.split("\n")[:3] == [",'=A1,BBC", "'=A1,1.0,-0.5", "BBC,-0.5,1.0"]


def test_figure_csv_is_neutralised_too(tmp_path, fig_and_data):
    fig, data = fig_and_data
    data = data.assign(outlet=["=cmd|' /C calc'!A0", "VOI"])
    written = output.save_figure(fig, "f", data, tmp_path, formats=("png",))
    assert written["csv"].read_text(encoding="utf-8").split("\n")[1].startswith("'=cmd|' /C calc'!A0,")


def test_table_file_refuses_inputs_and_foreign_files_and_replaces_its_own(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.csv").write_text("doc_id,outlet,path\n")
    source = tmp_path / "articles.csv"
    source.write_text("outlet,text\nA,x\n")
    df = pd.DataFrame({"a": [1]})
    for target in (source, corpus / "manifest.csv", corpus / "new.csv", corpus / "sub" / "x.csv"):
        with pytest.raises(ParameterError, match="refusing to write"):
            output.write_table_file(df, target, inputs=[corpus, source])
    assert (corpus / "manifest.csv").read_text() == "doc_id,outlet,path\n" and not (corpus / "new.csv").exists()
    foreign = tmp_path / "mine.csv"
    foreign.write_text("my own numbers\n")
    with pytest.raises(ParameterError, match="not an unchanged output of the kit"):
        output.write_table_file(df, foreign, inputs=[corpus])
    assert foreign.read_text() == "my own numbers\n"
    link = tmp_path / "link.csv"
    link.symlink_to(source)
    with pytest.raises(ParameterError, match="refusing to write"):
        output.write_table_file(df, link, inputs=[source])
    ours = tmp_path / "out.csv"
    output.write_table_file(df, ours, inputs=[corpus], about={"command": "features"})
    note = json.loads((tmp_path / "out.csv.kit.json").read_text())
    assert note["written_by"] == "analysis" and note["sha256"] == hashlib.sha256(ours.read_bytes()).hexdigest()
    assert output.is_kit_output(ours)
    output.write_table_file(pd.DataFrame({"a": [2]}), ours, inputs=[corpus])  # its own output: replaced
    assert ours.read_text() == "a\n2\n"
    ours.write_text("a\n2\nedited by hand\n")  # edited since: no longer the kit's to replace
    with pytest.raises(ParameterError, match="not an unchanged output"):
        output.write_table_file(df, ours, inputs=[corpus])
    assert ours.read_text().endswith("edited by hand\n")


def _pdf_streams(path: Path) -> list[tuple[bytes, bytes]]:
    """(dictionary, inflated content) of every stream of a PDF matplotlib wrote."""
    import re
    import zlib

    data = path.read_bytes()
    out = []
    for m in re.finditer(rb"<<((?:(?!>>\s*stream).)*?)>>\s*stream\r?\n", data, re.S):
        end = data.index(b"endstream", m.end())
        raw = data[m.end():end]
        out.append((m.group(1), zlib.decompress(raw) if b"FlateDecode" in m.group(1) else raw))
    return out


def test_pdf_fonts_are_embedded_without_layout_tables_and_the_page_is_unchanged(tmp_path, fig_and_data, monkeypatch):
    import contextlib
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    fig, data = fig_and_data
    fig.axes[0].set_title("Tone — “quoted” ﬁ ligature text")  # characters with GSUB/GPOS entries in DejaVu
    loader = subset.load_font
    output.save_figure(fig, "lean", data, tmp_path / "lean", formats=("pdf",))
    assert subset.load_font is loader  # the wrapper is removed after saving
    monkeypatch.setattr(output, "_fonts_without_layout_tables", contextlib.nullcontext)
    output.save_figure(fig, "lean", data, tmp_path / "full", formats=("pdf",))
    lean, full = _pdf_streams(tmp_path / "lean" / "lean.pdf"), _pdf_streams(tmp_path / "full" / "lean.pdf")
    assert len(lean) == len(full)
    lean_fonts = [TTFont(io.BytesIO(body)) for head, body in lean if b"/Length1" in head]
    full_fonts = [TTFont(io.BytesIO(body)) for head, body in full if b"/Length1" in head]
    assert lean_fonts and len(lean_fonts) == len(full_fonts)
    for a, b in zip(lean_fonts, full_fonts, strict=True):
        assert "glyf" in a and "GSUB" not in a and "GPOS" not in a  # still TrueType outlines (Type 42)
        assert "GSUB" in b or "GPOS" in b  # the default embedding keeps them: the test sees a difference
        assert a.getGlyphOrder() == b.getGlyphOrder()  # same glyphs, same ids
        assert all(a["glyf"][g].getCoordinates(a["glyf"])[0] == b["glyf"][g].getCoordinates(b["glyf"])[0]
                   for g in a.getGlyphOrder())  # same outlines
    # every other stream (the page's drawing operators, the character maps) is byte-identical
    assert [body for head, body in lean if b"/Length1" not in head and b"FontFile" not in head] == \
           [body for head, body in full if b"/Length1" not in head and b"FontFile" not in head]


def test_fixed_aspect_figure_is_laid_out_once_and_saved_at_the_requested_width(tmp_path, monkeypatch):
    from PIL import Image
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3.5, 2.0), layout="constrained")
    ax = fig.add_subplot()
    ax.imshow([[0, 1], [1, 0]])  # aspect "equal", adjustable "box": the square does not widen
    calls = []
    original = output._lay_out
    monkeypatch.setattr(output, "_lay_out", lambda figure: (calls.append(1), original(figure))[1])
    files = output.save_figure(fig, "square", pd.DataFrame({"v": [0, 1]}), tmp_path, formats=("png",), dpi=100)
    assert len(calls) == 1  # no trial widths: they could not fill the width anyway
    assert Image.open(files["png"]).size[0] == 350  # still exactly 3.5 in at 100 dpi
    assert output._fixed_aspect(fig) and not output._fixed_aspect(Figure().add_subplot().figure)


def test_writer_without_background_saving_writes_the_same_files_in_process(tmp_path, fig_and_data, monkeypatch):
    fig, data = fig_and_data
    helpers = output.ReportWriter(tmp_path / "a", formats="png,svg", background=True)
    helpers.figure(fig, "f", data)
    helpers.close()
    monkeypatch.setattr(output, "BACKGROUND_SAVING", False)
    here = output.ReportWriter(tmp_path / "b", formats="png,svg", background=True)
    here.figure(fig, "f", data)
    assert here._pool is None and (tmp_path / "b" / "figures" / "f.png").exists()  # saved at the call
    written = here.close()
    assert sorted(p.name for p in written) == ["f.csv", "f.json", "f.png", "f.svg"]
    for name in ("f.png", "f.svg", "f.csv", "f.json"):
        assert (tmp_path / "a" / "figures" / name).read_bytes() == (tmp_path / "b" / "figures" / name).read_bytes()


def test_write_png_round_trips_pixels_resolution_and_texts():
    import io

    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, size=(37, 53, 3), dtype=np.uint8)
    rgb[:10] = 255  # a flat band, as in a chart
    png = output._write_png(rgb, dpi=300, texts={"Software": "kit", "Title": "Zürich – 東京"}, level=3)
    img = Image.open(io.BytesIO(png))
    img.load()  # decodes every row and checks the checksums
    assert img.mode == "RGB" and img.size == (53, 37)
    assert np.array_equal(np.asarray(img), rgb)
    assert img.info["Software"] == "kit" and img.info["Title"] == "Zürich – 東京"  # tEXt, then iTXt
    assert img.info["dpi"][0] == pytest.approx(300, abs=0.01)  # 11811 pixels per metre
    with pytest.raises(ValueError, match="height x width x 3"):
        output._write_png(rgb[..., :2], dpi=300, texts={})


def test_png_deflate_is_zlib_ng_and_any_zlib_reader_decodes_it():
    import zlib

    import numpy as np
    from zlib_ng import zlib_ng

    deflate = output._deflate()
    assert deflate is zlib_ng.compress  # the pinned, faster library is the one used
    rng = np.random.default_rng(1)
    rows = np.full((200, 3 * 300 + 1), 255, dtype=np.uint8)  # a flat chart background
    rows[:, 0] = 0
    rows[50:80, 40:400] = rng.integers(0, 256, size=(30, 360), dtype=np.uint8)  # and some detail
    raw = rows.tobytes()
    for level in (0, 1, 6, 9):
        assert zlib.decompress(deflate(raw, level)) == raw  # the standard library reads it back
    assert len(deflate(raw, 0)) > len(raw)  # level 0 stores: the level is passed through
    assert len(deflate(raw, 6)) < len(raw) // 10


def test_png_saved_to_a_file_object_is_the_same_as_to_a_path(tmp_path, fig_and_data):
    import io

    fig, _ = fig_and_data
    buf = io.BytesIO()
    with output._opaque_png_as_rgb():
        fig.savefig(tmp_path / "p.png", format="png", dpi=72)
        fig.savefig(buf, format="png", dpi=72)
    assert buf.getvalue() == (tmp_path / "p.png").read_bytes()
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"


def _varied_figures():
    from matplotlib.figure import Figure

    a = Figure(figsize=(3.5, 2.4), layout="constrained")
    ax = a.add_subplot()
    ax.barh(["a long category name", "b", "c"], [3, 1, 2], label="count")
    ax.set_title("A title wider than the axes themselves, on purpose")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    b = Figure(figsize=(7.2, 3.0), layout="constrained")
    axes = b.subplots(1, 3, sharey=True)
    for i, axi in enumerate(axes):
        axi.plot([0, 1, 2], [i, 2 * i, 1])
        axi.set_xticks([0, 1, 2], labels=["first", "second", "third"], rotation=45, ha="right")
        axi.set_xlabel(f"panel {i}")
    b.suptitle("Three panels")
    c = Figure(figsize=(3.5, 3.0), layout="constrained")
    axc = c.add_subplot()
    image = axc.imshow([[0, 1, 2], [2, 1, 0]], aspect="equal")
    c.colorbar(image, ax=axc, label="value")
    axc.annotate("note", (1, 0), xytext=(1.5, -0.8), arrowprops={"arrowstyle": "->"})
    return {"legend": a, "panels": b, "aspect": c}


def test_layout_without_a_null_draw_saves_the_same_pixels(tmp_path, monkeypatch):
    # the layout pass runs the layout engine as Figure.draw would, without drawing every artist
    # to a null renderer first; the files must be byte-identical to those laid out by that draw
    data = pd.DataFrame({"v": [1]})
    quick = {name: output.save_figure(fig, name, data, tmp_path / "quick", formats=("png", "svg"))
             for name, fig in _varied_figures().items()}
    def null_draw(figure):
        with warnings.catch_warnings():  # trial widths too narrow for the panels, as in _lay_out
            warnings.filterwarnings("ignore", message="constrained_layout not applied")
            figure.draw_without_rendering()

    monkeypatch.setattr(output, "_lay_out", null_draw)
    drawn = {name: output.save_figure(fig, name, data, tmp_path / "drawn", formats=("png", "svg"))
             for name, fig in _varied_figures().items()}
    for name in quick:
        for fmt in ("png", "svg"):
            assert quick[name][fmt].read_bytes() == drawn[name][fmt].read_bytes(), (name, fmt)


def test_ticks_placed_once_per_axis_state_give_the_same_files(tmp_path, monkeypatch):
    # Axis._update_ticks is answered from memory while the axis keeps its limits, size, place,
    # locators and formatters; a figure saved at another width (auto ticks: another count),
    # shared axes, rotated labels, a colour bar and an equal-aspect image must not notice
    from matplotlib import axis as maxis
    from matplotlib.figure import Figure

    def figures():
        made = _varied_figures()
        d = Figure(figsize=(3.5, 2.4), layout="constrained")
        axd = d.add_subplot()
        axd.plot(np.arange(100), np.sqrt(np.arange(100)))
        axd.set_title("auto ticks, saved wider than made")
        made["auto"] = d
        return made

    calls = {"n": 0}
    own = maxis.Axis._update_ticks

    def counted(self):
        calls["n"] += 1
        return own(self)

    monkeypatch.setattr(maxis.Axis, "_update_ticks", counted)
    data = pd.DataFrame({"v": [1]})
    width = {"auto": 7.2}
    remembered = {name: output.save_figure(fig, name, data, tmp_path / "memo", formats=("png", "svg", "pdf"),
                                           width=width.get(name)) for name, fig in figures().items()}
    with_memo = calls["n"]
    calls["n"] = 0
    monkeypatch.setattr(output, "_ticks_remembered", contextlib.nullcontext)
    placed = {name: output.save_figure(fig, name, data, tmp_path / "every", formats=("png", "svg", "pdf"),
                                       width=width.get(name)) for name, fig in figures().items()}
    without = calls["n"]
    for name in placed:
        for fmt in ("png", "svg", "pdf"):
            assert remembered[name][fmt].read_bytes() == placed[name][fmt].read_bytes(), (name, fmt)
    assert 0 < with_memo < without / 2  # the ticks were placed far less often
