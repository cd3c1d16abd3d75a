"""Tests for analysis.sections: a report section never aborts the report, and its status is recorded."""

from __future__ import annotations

import logging

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import output
from analysis.errors import NotEnoughData, ParameterError
from analysis.sections import COLUMNS, Notice, SectionRunner, actor_source_label, actor_source_note, actor_table_text, summary
from analysis import sections


def _runner(writer=None) -> tuple[SectionRunner, list]:
    shown: list = []
    return SectionRunner(writer, display=shown.append), shown


def test_ok_empty_and_error_are_recorded_and_later_sections_still_run():
    run, shown = _runner()
    reached = []
    with run.section("story", empty="No articles.") as sec:
        sec.show(pd.DataFrame({"a": [1, 2]}))
        reached.append("story")
    with run.section("claims", empty="No numeric claims in this story.") as sec:
        sec.require(pd.DataFrame({"number": []}))
        reached.append("after require")  # must not run
    with run.section("frames", empty="No frame words in this story.") as sec:
        raise KeyError("dimension")
    with run.section("tone", empty="No sentences to score.") as sec:
        reached.append("tone")
    table = run.table()
    assert list(table.columns) == COLUMNS
    assert table["section"].tolist() == ["story", "claims", "frames", "tone"]
    assert table["status"].tolist() == ["ok", "empty", "error", "ok"]
    assert table.loc[1, "message"] == "No numeric claims in this story."
    assert table.loc[2, "message"] == "KeyError: 'dimension'"
    assert "KeyError" in table.loc[2, "detail"] and "raise KeyError" in table.loc[2, "detail"]
    assert reached == ["story", "tone"]
    assert run.failed == ["frames"]
    assert (table["seconds"] >= 0).all()
    # what the reader sees: the table, one empty line, one error block; nothing for ok sections
    assert isinstance(shown[0].frame, pd.DataFrame)
    notices = [o for o in shown if isinstance(o, Notice)]
    assert [(n.kind, n.text) for n in notices] == [
        ("empty", "No numeric claims in this story."),
        ("error", "This section could not be completed. KeyError: 'dimension'"),
    ]


def test_not_enough_data_shows_the_sections_own_line_and_keeps_the_measures_message():
    run, shown = _runner()
    with run.section("actor_labels", empty="No labels for any actor in this story."):
        raise NotEnoughData("plot_actor_labels: the table is empty; nothing to plot.")
    row = run.table().iloc[0]
    assert (row["status"], row["message"]) == ("empty", "No labels for any actor in this story.")
    assert row["detail"] == "plot_actor_labels: the table is empty; nothing to plot."
    assert shown[-1].text == "No labels for any actor in this story."


def test_show_with_an_empty_line_keeps_the_section_ok():
    run, shown = _runner()
    with run.section("coverage", empty="No information units.") as sec:
        sec.show(pd.DataFrame({"unit": []}), empty="Every piece of information was reported by at least two outlets.")
        sec.show(pd.DataFrame({"unit": [1]}), empty="unused")
    assert run.table()["status"].tolist() == ["ok"]
    assert repr(shown[0]) == "Every piece of information was reported by at least two outlets."
    assert isinstance(shown[1].frame, pd.DataFrame) and len(shown[1].frame) == 1


def test_show_full_text_lifts_the_column_width_while_shown():
    long = "x" * 300
    seen = []
    run = SectionRunner(display=lambda obj: seen.append(obj._repr_html_()))
    with pd.option_context("display.max_colwidth", 50):
        with run.section("method_card", empty="No method card for this run.") as sec:
            sec.show(pd.DataFrame({"how": [long]}), full_text=True)
            sec.show(pd.DataFrame({"how": [long]}))
        assert pd.get_option("display.max_colwidth") == 50
    assert long in seen[0] and long not in seen[1]


def test_summary_names_empty_and_failed_sections():
    table = pd.DataFrame({"section": ["a", "b", "c", "d"], "status": ["ok", "empty", "error", "empty"]})
    assert summary(table) == "4 sections: 1 completed, 2 had nothing to show (b, d), 1 could not be completed (c)."
    assert summary(table.iloc[:1]) == "The report's one section completed."
    assert summary(pd.DataFrame({"section": ["x", "y"], "status": ["ok", "ok"]})) == "All 2 sections of this report completed."


def test_require_accepts_a_more_specific_message_and_none():
    run, _ = _runner()
    with run.section("coverage", empty="No information units.") as sec:
        sec.require(None, "Only one outlet reported anything.")
    with run.section("keyness", empty="No distinctive words.") as sec:
        sec.require(pd.DataFrame({"x": [1]}))  # not empty: goes on
    assert run.table()[["status", "message"]].values.tolist() == [
        ["empty", "Only one outlet reported anything."],
        ["ok", ""],
    ]


def test_a_failed_section_draws_no_chart_but_an_ok_one_keeps_its_own():
    plt.close("all")
    run, _ = _runner()
    with run.section("claims", empty="No numeric claims in this story."):
        fig, ax = plt.subplots()
        raise NotEnoughData("plot_claims: no claims to plot.")
    assert plt.get_fignums() == []
    with run.section("frames", empty="No frame words."):
        plt.subplots()
        raise ValueError("bad")
    assert plt.get_fignums() == []
    with run.section("tone", empty="No sentences."):
        kept, _ = plt.subplots()
    assert plt.get_fignums() == [kept.number]
    plt.close("all")


def test_missing_value_from_an_earlier_section_is_explained():
    run, _ = _runner()
    with run.section("originality", empty="No articles."):
        passages_never_made  # noqa: B018, F821 - the earlier section failed
    msg = run.table().loc[0, "message"]
    assert msg.startswith("NameError:") and "'passages_never_made'" in msg and "earlier section" in msg


def test_error_text_is_escaped_and_shortened():
    run, shown = _runner()
    with run.section("quotes", empty="No quotes."):
        raise RuntimeError("<script>alert(1)</script>" + "x" * 1000)
    notice = shown[-1]
    html = notice._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert len(notice.text) < 500 and notice.text.endswith("…")
    assert len(run.table().loc[0, "message"]) > 1000  # the full message is kept in the table


def test_a_fatal_error_is_recorded_shown_and_raised():
    run, shown = _runner()
    with pytest.raises(ParameterError, match="no such file"), run.section(
        "actors", empty="No actors.", fatal=(ParameterError,)
    ):
        raise ParameterError("actors='x.yaml': no such file.")
    assert run.table()[["section", "status"]].values.tolist() == [["actors", "error"]]
    assert shown[-1].kind == "error" and "no such file" in shown[-1].text
    # other errors in a section with fatal types still only end the section
    with run.section("actor_labels", empty="No labels.", fatal=(ParameterError,)):
        raise KeyError("x")
    assert run.table()["status"].tolist() == ["error", "error"]


def test_keyboard_interrupt_still_stops_the_report():
    run, _ = _runner()
    with pytest.raises(KeyboardInterrupt), run.section("tone", empty="No sentences."):
        raise KeyboardInterrupt
    assert run.records == []


@pytest.mark.parametrize(
    "kwargs, match",
    [({"name": "", "empty": "x"}, "section name"), ({"name": "a", "empty": ""}, "empty=")],
)
def test_bad_section_arguments_are_refused(kwargs, match):
    run, _ = _runner()
    with pytest.raises(ParameterError, match=match), run.section(kwargs["name"], empty=kwargs["empty"]):
        pass


def test_a_section_run_again_replaces_its_record():
    run, _ = _runner()
    with run.section("tone", empty="No sentences."):
        raise ValueError("first try")
    with run.section("claims", empty="No numeric claims in this story."):
        pass
    with run.section("tone", empty="No sentences."):
        pass  # the cell re-run after a fix
    assert run.table()[["section", "status"]].values.tolist() == [["claims", "ok"], ["tone", "ok"]]


def test_finish_saves_sections_csv_and_records_a_failed_figure_save(tmp_path, caplog):
    class FailingClose(output.ReportWriter):
        def close(self):
            super().close()
            raise OSError("disk full")

    writer = FailingClose(tmp_path, formats="png")
    run, shown = _runner(writer)
    with run.section("story", empty="No articles."):
        pass
    with run.section("claims", empty="No numeric claims in this story.") as sec:
        sec.require([])
    with caplog.at_level(logging.WARNING, logger="analysis.sections"):
        table = run.finish()
    saved = pd.read_csv(tmp_path / "tables" / "sections.csv", keep_default_na=False)
    assert saved["section"].tolist() == ["story", "claims", "figures"]
    assert saved["status"].tolist() == ["ok", "empty", "error"]
    assert saved.loc[2, "message"] == "OSError: disk full"
    assert table["status"].tolist() == saved["status"].tolist()
    assert "figures" in caplog.text
    assert shown[-1].text == "3 sections: 1 completed, 1 had nothing to show (claims), 1 could not be completed (figures)."


def test_finish_with_every_section_ok(tmp_path):
    run, shown = _runner(output.ReportWriter(tmp_path, formats="png"))
    with run.section("story", empty="No articles."):
        pass
    run.finish()
    assert shown[-1].text == "All 2 sections of this report completed."  # story + figures
    assert pd.read_csv(tmp_path / "tables" / "sections.csv")["status"].tolist() == ["ok", "ok"]


def test_finish_without_writer_writes_nothing(tmp_path):
    run, _ = _runner(output.ReportWriter("", formats="png"))
    with run.section("story", empty="No articles."):
        pass
    run.finish()
    assert list(tmp_path.iterdir()) == []


def test_notice_kind_is_checked():
    with pytest.raises(ParameterError, match="kind"):
        Notice("warning", "x")


def test_actor_source_note_names_where_the_actors_came_from():
    discovered = pd.DataFrame({"actor": ["Ada Morgan", "Valley Rail"], "source": ["discovered", "discovered"]})
    assert actor_source_note(discovered).startswith("Actors discovered from the story's own text")
    assert "2 actors" in actor_source_note(discovered)
    given = pd.DataFrame({"actor": ["Hamas"], "source": ["file:/data/seeds/actors.yaml"]})
    assert actor_source_note(given) == "Actors from the actor dictionary /data/seeds/actors.yaml (1 actor)."
    assert actor_source_label(given) == "file:/data/seeds/actors.yaml"
    assert actor_source_label(pd.concat([given, discovered])) == "file:/data/seeds/actors.yaml; discovered"
    assert actor_source_note(given.iloc[:0]) == "No actors were found for this story."
    assert actor_source_label(given.iloc[:0]) == "none"
    with pytest.raises(ParameterError, match="'source' column"):
        actor_source_note(pd.DataFrame({"actor": ["x"]}))


def test_actor_table_text_joins_aliases_and_blanks_missing_values():
    table = pd.DataFrame({
        "actor": ["Helen Okafor", "Millbrook"], "type": ["person", None], "side": [None, float("nan")],
        "aliases": [["Helen Okafor", "Okafor"], "Millbrook"], "source": ["discovered", "discovered"],
    })
    before = table.copy(deep=True)
    out = actor_table_text(table)
    assert out["aliases"].tolist() == ["Helen Okafor; Okafor", "Millbrook"]
    assert out["type"].tolist() == ["person", ""] and out["side"].tolist() == ["", ""]
    pd.testing.assert_frame_equal(table, before)  # input untouched
    with pytest.raises(ParameterError, match="actors DataFrame"):
        actor_table_text([1, 2])


def test_tables_are_shown_without_index_aligned_and_rounded():
    run, shown = _runner()
    with run.section("story", empty="No articles.") as sec:
        sec.show(pd.DataFrame({"outlet": ["<b>AP</b>", "VOI"], "grade": [10.123456, 8.5], "n": [1200, 3],
                               "aliases": [["Kim", "Kim Jong Un"], []]}, index=[7, 9]))
    html_ = shown[0]._repr_html_()
    assert "<th" in html_ and ">7<" not in html_ and ">9<" not in html_  # no pandas index
    assert '<td style="text-align:left">&lt;b&gt;AP&lt;/b&gt;</td>' in html_  # text left, escaped
    assert '<td style="text-align:right">10.123</td>' in html_ and '<td style="text-align:right">8.5</td>' in html_
    assert '<td style="text-align:right">1,200</td>' in html_
    assert '<td style="text-align:left">Kim; Kim Jong Un</td>' in html_
    assert repr(shown[0]).splitlines()[0].split() == ["outlet", "grade", "n", "aliases"]
    with run.section("dates", empty="No dates.") as sec:
        sec.show(pd.DataFrame({"published": pd.to_datetime(["2024-03-27 00:00", "2024-03-27 10:30"]),
                               "title": ["A headline long enough to need room in the table, really", "short"]}))
    html_ = shown[1]._repr_html_()
    assert ">2024-03-27<" in html_ and ">2024-03-27 10:30:00<" in html_
    assert '<td style="text-align:left;min-width:16em">A headline' in html_


def test_a_long_table_shows_its_first_rows_and_says_how_many_it_has():
    run, shown = _runner()
    n = sections._Table.MAX_ROWS + 37
    with run.section("stories", empty="No stories.") as sec:
        sec.show(pd.DataFrame({"story": [f"s{i:04d}" for i in range(n)], "n": range(n)}))
    html_ = shown[0]._repr_html_()
    assert html_.count("<tr>") == sections._Table.MAX_ROWS + 1  # header + the first rows
    assert ">s0000<" in html_ and f">s{sections._Table.MAX_ROWS - 1:04d}<" in html_ and f">s{sections._Table.MAX_ROWS:04d}<" not in html_
    assert f"First {sections._Table.MAX_ROWS} of {n} rows shown" in html_
    assert repr(shown[0]).splitlines()[-1].startswith(f"First {sections._Table.MAX_ROWS} of {n} rows")
    with run.section("short", empty="No rows.") as sec:
        sec.show(pd.DataFrame({"story": ["a", "b"]}))
    assert "rows shown" not in shown[1]._repr_html_() and "rows shown" not in repr(shown[1])
