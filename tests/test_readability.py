"""Tests for analysis.readability: counts, formulas (vs textstat 0.7.13), audit, degenerate input."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis import readability as rd
from analysis import text as tx
from analysis.errors import CorpusError, ParameterError

LANG = "en_US"  # textstat's default language

# Sentences in each cleaned seed, counted by hand from load_corpus() text, paragraph by
# paragraph (a quoted passage of two sentences counts two; "..." before a lower-case word,
# "Sen. Rick Scott, R-Fla., ..." and "Oct. 7" do not end a sentence).
HAND_SENTENCES = {
    # ABC: 1+2+1+2+1+1+2+2+1+1+1+1+2+1+1 over its 15 paragraphs
    "000": 20,
    # Reuters republisher: 17 paragraphs, one sentence each except the Gallant one (2)
    "001": 18,
    # AP: 1+1+3+3+2+2+3+1+1+2+1 over 11 paragraphs
    "002": 20,
    # Bloomberg: 1+2+2+1+2+1+2+2 over 8 paragraphs
    "003": 13,
    # VOI: 14 paragraphs of one sentence each
    "004": 14,
}

HOUSE_STYLE = [("U.S.", "US"), ("U.N.", "UN"), ("D.C.", "DC"), ("Sen.", "Senator"), ("Oct.", "October")]


def house_style(text: str) -> str:
    for old, new in HOUSE_STYLE:
        text = text.replace(old, new)
    return text


def one_doc(text: str, **extra) -> pd.DataFrame:
    row = {"doc_id": "d0", "outlet": "X", "event_id": "e", "text": text}
    row.update(extra)
    return pd.DataFrame([row])


@pytest.fixture(scope="module")
def seed_table(seed_docs):
    return rd.readability(seed_docs)


@pytest.fixture(scope="module")
def ts():
    return tx.textstat_offline()


# ------------------------------------------------------------------------------------------
# counts


@pytest.mark.parametrize("doc_id,expected", sorted(HAND_SENTENCES.items()))
def test_seed_sentence_count_matches_hand_count(seed_table, doc_id, expected):
    row = seed_table.set_index("doc_id").loc[doc_id]
    assert row["n_sentences"] == expected


def test_counts_equal_the_text_primitives(seed_docs, seed_table):
    for i, text in enumerate(seed_docs["text"]):
        ws = tx.words(text)
        row = seed_table.iloc[i]
        assert row["n_words"] == len(ws)
        assert row["n_syllables"] == sum(tx.syllables(w) for w in ws)
        assert row["n_polysyllables"] == sum(tx.syllables(w) >= 3 for w in ws)
        easy = rd.easy_words()
        assert row["n_difficult_words"] == sum(w.lower() not in easy for w in ws)
        assert row["n_complex_words"] == sum(
            tx.syllables(w) >= 3 and w.lower() not in easy for w in ws
        )
        assert row["n_long_words"] == sum(sum(c.isalnum() for c in w) > 6 for w in ws)
        assert row["n_letters"] == sum(c.isalpha() for w in ws for c in w)
        assert row["n_characters"] == sum(c.isalnum() for w in ws for c in w)


def test_sentence_table_sums_to_document_counts(seed_docs, seed_table):
    sents = rd.readability_sentences(seed_docs)
    assert list(sents.columns[:10]) == [
        "doc_id", "outlet", "event_id", "sent_id", "sentence", "n_words", "n_syllables",
        "n_polysyllables", "flesch_kincaid_grade", "flesch_reading_ease",
    ]
    for doc_id, text in zip(seed_docs["doc_id"], seed_docs["text"]):
        part = sents[sents["doc_id"] == doc_id]
        assert part["sentence"].tolist() == tx.sentences(text)
        assert part["sent_id"].tolist() == list(range(len(part)))
    summed = sents.groupby("doc_id")[rd.SENTENCE_COUNT_COLUMNS[:-1]].sum()
    doc = seed_table.set_index("doc_id")[summed.columns]
    pd.testing.assert_frame_equal(summed.sort_index(), doc.sort_index(), check_dtype=False)


def test_sentence_scores_are_the_sentence_alone():
    sents = rd.readability_sentences(one_doc("The cat sat on the mat. It was happy."))
    # sentence 2: 3 words, 4 syllables (hap-py), one sentence
    row = sents.iloc[1]
    assert row["flesch_kincaid_grade"] == pytest.approx(0.39 * 3 + 11.8 * 4 / 3 - 15.59)
    assert row["flesch_reading_ease"] == pytest.approx(206.835 - 1.015 * 3 - 84.6 * 4 / 3)


def test_hand_computed_scores_for_a_tiny_text():
    # "Sen. Smith met the U.S. envoy." = Sen.(senator, 3) Smith(1) met(1) the(1) U.S.(2)
    # envoy(2): 6 words, 10 syllables. "They talked." = 2 words, 2 syllables.
    # ASL = 8/2 = 4, ASW = 12/8 = 1.5
    # FK = 0.39*4 + 11.8*1.5 - 15.59 = 1.56 + 17.7 - 15.59 = 3.67
    # FRE = 206.835 - 1.015*4 - 84.6*1.5 = 206.835 - 4.06 - 126.9 = 75.875
    # polysyllables: Sen. -> SMOG = 1.043*sqrt(30*1/2) + 3.1291
    # long words (7+ letters): none -> LIX = 4
    out = rd.readability(one_doc("Sen. Smith met the U.S. envoy. They talked."), audit=False)
    row = out.iloc[0]
    assert (row["n_sentences"], row["n_words"], row["n_syllables"]) == (2, 8, 12)
    assert row["flesch_kincaid_grade"] == pytest.approx(3.67, abs=1e-9)
    assert row["flesch_reading_ease"] == pytest.approx(75.875, abs=1e-9)
    assert row["smog"] == pytest.approx(1.043 * math.sqrt(15) + 3.1291, abs=1e-9)
    assert row["lix"] == pytest.approx(4.0, abs=1e-9)
    assert row["note"] == ""


def test_linsear_write_samples_the_first_100_words(seed_table):
    # every seed is longer than 100 words and all words have at least one syllable
    assert (seed_table["n_words"] > 100).all()
    assert (seed_table["n_linsear_easy"] + seed_table["n_linsear_hard"] == 100).all()
    assert (seed_table["n_linsear_sentences"] < seed_table["n_sentences"]).all()
    expect = rd.linsear_write_from_counts(
        seed_table["n_linsear_easy"], seed_table["n_linsear_hard"], seed_table["n_linsear_sentences"]
    )
    np.testing.assert_allclose(seed_table["linsear_write"], expect)


def test_consensus_grade_is_median_of_grade_formulas(seed_table):
    expect = seed_table[rd.GRADE_COLUMNS].median(axis=1)
    np.testing.assert_allclose(seed_table["consensus_grade"], expect)


def test_scores_recompute_from_count_columns(seed_table):
    again = rd.scores_from_counts(seed_table)
    pd.testing.assert_frame_equal(again, seed_table[rd.SCORE_COLUMNS])


# ------------------------------------------------------------------------------------------
# formulas vs textstat 0.7.13 (unrounded backend values; textstat does not round by default)


def _textstat_counts(text: str) -> dict[str, float]:
    from textstat.backend import counts as C
    from textstat.backend.selections import list_words

    words = list_words(text, rm_punctuation=True)
    sylls = [C.count_syllables(w, LANG) for w in words]
    return {
        "words": C.count_words(text),
        "sentences": C.count_sentences(text),
        "syllables": C.count_syllables(text, LANG),
        "poly": C.count_polysyllable_words(text, LANG),
        "complex": C.count_difficult_words(text, LANG, syllable_threshold=3),
        "difficult": C.count_difficult_words(text, LANG, syllable_threshold=0),
        "letters": C.count_letters(text),
        "chars": C.count_chars(text, ignore_spaces=True),
        "tokens": C.count_words(text, rm_punctuation=False),
        "long": C.count_long_words(text),
        "lw_easy": sum(1 for s in sylls if 0 < s < 3),
        "lw_hard": sum(1 for s in sylls if s >= 3),
    }


EXTRA_TEXTS = [
    # easy words only: Dale-Chall PDW <= 5 branch; Linsear r <= 20 branch
    "The cat sat on the mat. It was a good day. The dog ran to the big red ball and got it.",
    # long sentence of hard words: Linsear r > 20, Dale-Chall PDW > 5
    "Unprecedented international humanitarian considerations necessitated extraordinary "
    "diplomatic deliberations among representatives of numerous governments yesterday.",
    "Officials said the negotiations continued. Nobody expected an agreement soon. "
    "The ministers will meet again next week in Geneva to discuss humanitarian corridors.",
]


@pytest.fixture(scope="module")
def formula_texts(seed_docs, ts):  # ts: textstat patched offline before backend calls
    return list(seed_docs["text"]) + EXTRA_TEXTS


FORMULAS = {
    "flesch_reading_ease": (
        lambda c: rd.flesch_reading_ease_from_counts(c["words"], c["sentences"], c["syllables"]),
        lambda t, m: m.flesch_reading_ease(t, LANG),
    ),
    "flesch_kincaid_grade": (
        lambda c: rd.flesch_kincaid_grade_from_counts(c["words"], c["sentences"], c["syllables"]),
        lambda t, m: m.flesch_kincaid_grade(t, LANG),
    ),
    "gunning_fog": (
        lambda c: rd.gunning_fog_from_counts(c["words"], c["sentences"], c["complex"]),
        lambda t, m: m.gunning_fog(t, LANG),
    ),
    "smog": (
        lambda c: rd.smog_from_counts(c["sentences"], c["poly"]),
        lambda t, m: m.smog_index(t, LANG),
    ),
    "coleman_liau_textstat": (
        lambda c: rd.coleman_liau_from_counts(
            c["words"], c["sentences"], c["letters"], letter_coef=0.058
        ),
        lambda t, m: m.coleman_liau_index(t),
    ),
    "dale_chall_1948": (
        lambda c: rd.dale_chall_1948_from_counts(c["words"], c["sentences"], c["difficult"]),
        lambda t, m: m.dale_chall_readability_score(t, LANG),
    ),
    "linsear_write": (
        lambda c: rd.linsear_write_from_counts(c["lw_easy"], c["lw_hard"], c["sentences"]),
        # all words (strict_upper=False): the counts above cover the whole text
        lambda t, m: m.linsear_write_formula(t, LANG, False, False),
    ),
    "lix": (
        lambda c: rd.lix_from_counts(c["words"], c["sentences"], c["long"]),
        lambda t, m: m.lix(t),
    ),
}


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_formula_equals_textstat_given_textstat_counts(formula_texts, name):
    from textstat.backend import metrics

    ours, theirs = FORMULAS[name]
    for text in formula_texts:
        c = _textstat_counts(text)
        assert ours(c) == pytest.approx(theirs(text, metrics), abs=1e-6), text[:40]


def test_ari_equals_textstat_where_its_two_word_counts_agree(formula_texts):
    # textstat's ARI divides characters (all non-space characters) by whitespace tokens but
    # takes ASL from punctuation-stripped words; the formula matches where both agree.
    from textstat.backend import metrics

    checked = 0
    for text in formula_texts:
        c = _textstat_counts(text)
        if c["tokens"] != c["words"]:
            continue
        checked += 1
        ours = rd.ari_from_counts(c["words"], c["sentences"], c["chars"])
        assert ours == pytest.approx(metrics.automated_readability_index(text), abs=1e-6)
    assert checked >= 3


def test_coleman_liau_original_coefficient():
    # 500 letters, 100 words, 5 sentences: L = 500, S = 5
    assert rd.coleman_liau_from_counts(100, 5, 500) == pytest.approx(0.0588 * 500 - 0.296 * 5 - 15.8)
    assert rd.coleman_liau_from_counts(100, 5, 500, letter_coef=0.058) == pytest.approx(
        0.058 * 500 - 0.296 * 5 - 15.8
    )


def test_formulas_vectorise_and_give_nan_on_zero_denominators():
    fk = rd.flesch_kincaid_grade_from_counts(np.array([10, 0, 10]), np.array([2, 0, 0]),
                                             np.array([15, 0, 15]))
    assert fk[0] == pytest.approx(0.39 * 5 + 11.8 * 1.5 - 15.59)
    assert np.isnan(fk[1]) and np.isnan(fk[2])
    assert np.isnan(rd.smog_from_counts(0, 3))


def test_kit_equals_textstat_end_to_end_where_counts_agree(ts):
    text = "The cat sat on the mat. It was a good day. The dog ran to the big red ball and got it."
    row = rd.readability(one_doc(text)).iloc[0]
    # segmentation, words and syllables agree on this text...
    assert row["n_sentences"] == row["textstat_n_sentences"] == 3
    assert row["n_words"] == row["textstat_n_words"]
    assert row["n_syllables"] == row["textstat_n_syllables"]
    # ...so the scores agree too
    assert row["flesch_kincaid_grade"] == pytest.approx(ts.flesch_kincaid_grade(text), abs=1e-6)
    assert row["textstat_flesch_kincaid_grade"] == pytest.approx(ts.flesch_kincaid_grade(text))
    assert row["flesch_reading_ease"] == pytest.approx(ts.flesch_reading_ease(text), abs=1e-6)
    assert row["smog"] == pytest.approx(ts.smog_index(text), abs=1e-6)
    assert row["lix"] == pytest.approx(ts.lix(text), abs=1e-6)


# ------------------------------------------------------------------------------------------
# house style and audit


def test_house_style_does_not_move_kit_grade_but_moves_textstat(seed_docs, ts):
    restyled = seed_docs.assign(text=[house_style(t) for t in seed_docs["text"]])
    assert (restyled["text"] != seed_docs["text"]).sum() >= 3  # the rewrite did something
    before = rd.readability(seed_docs)
    after = rd.readability(restyled)
    kit_delta = (after["flesch_kincaid_grade"] - before["flesch_kincaid_grade"]).abs()
    assert (kit_delta < 0.25).all(), kit_delta.tolist()
    ts_delta = np.array(
        [abs(ts.flesch_kincaid_grade(b) - ts.flesch_kincaid_grade(a))
         for a, b in zip(seed_docs["text"], restyled["text"])]
    )
    # the audit columns carry the same textstat figures
    np.testing.assert_allclose(
        (after["textstat_flesch_kincaid_grade"] - before["textstat_flesch_kincaid_grade"]).abs(),
        ts_delta,
    )
    assert ts_delta.max() > 1.0  # measured: textstat moves by grades, not tenths
    assert ts_delta.max() > 4 * kit_delta.max()
    assert ts_delta.sum() > kit_delta.sum()


def test_audit_columns_show_textstat_segmentation(seed_docs, seed_table, ts):
    for text, (_, row) in zip(seed_docs["text"], seed_table.iterrows()):
        assert row["textstat_n_sentences"] == ts.sentence_count(text)
        assert row["textstat_flesch_kincaid_grade"] == pytest.approx(ts.flesch_kincaid_grade(text))
    abc = seed_table.set_index("doc_id").loc["000"]
    # textstat splits at "U.S.", "U.N.", "D.C." and "Oct." in the ABC seed
    assert abc["textstat_n_sentences"] > abc["n_sentences"]


def test_audit_off_has_no_textstat_columns(seed_docs):
    out = rd.readability(seed_docs, audit=False)
    assert not [c for c in out.columns if c.startswith("textstat_")]


def test_columns_and_input_untouched(seed_docs, seed_table):
    before = seed_docs.copy(deep=True)
    out = rd.readability(seed_docs, audit=False)
    pd.testing.assert_frame_equal(seed_docs, before)
    expected = ["doc_id", "outlet", "event_id"] + rd.COUNT_COLUMNS + rd.SCORE_COLUMNS
    assert list(out.columns[: len(expected)]) == expected
    assert out["doc_id"].tolist() == seed_docs["doc_id"].tolist()
    assert list(seed_table.columns[-1:]) == ["note"]
    assert (seed_table["note"] == "").all()
    assert not seed_table["non_english"].any()


# ------------------------------------------------------------------------------------------
# degenerate documents and language


def test_degenerate_documents_give_nan_with_a_reason():
    docs = pd.DataFrame(
        {
            "doc_id": ["empty", "blank", "none", "one", "nopunct", "dots"],
            "outlet": "X",
            "event_id": "e",
            "text": ["", "  \n\n ", None, "Ceasefire", "talks resumed in washington today without a date",
                     ". . . !"],
        }
    )
    out = rd.readability(docs).set_index("doc_id")
    for doc_id in docs["doc_id"]:
        assert out.loc[doc_id, rd.SCORE_COLUMNS].drop("syllables_per_word").isna().all(), doc_id
        assert out.loc[doc_id, "note"] != ""
    assert out.loc["empty", "n_words"] == 0 and out.loc["empty", "n_sentences"] == 0
    assert "empty" in out.loc["none", "note"] and "empty" in out.loc["dots", "note"]
    assert out.loc["one", "n_words"] == 1 and "too short" in out.loc["one", "note"]
    assert out.loc["nopunct", "n_sentences"] == 1
    assert "punctuation" in out.loc["nopunct", "note"]
    # the word-level ratio does not need sentences
    assert out.loc["nopunct", "syllables_per_word"] == pytest.approx(
        out.loc["nopunct", "n_syllables"] / out.loc["nopunct", "n_words"]
    )
    sents = rd.readability_sentences(docs)
    assert set(sents["doc_id"]) == {"one", "nopunct"}
    assert rd.readability_sentences(docs.iloc[:2]).empty


def test_empty_corpus_and_bad_input():
    empty = pd.DataFrame({"doc_id": [], "outlet": [], "event_id": [], "text": []})
    assert rd.readability(empty).empty
    assert rd.readability_sentences(empty).empty
    with pytest.raises(CorpusError, match="text"):
        rd.readability(pd.DataFrame({"doc_id": ["a"], "outlet": ["x"]}))
    with pytest.raises(ParameterError, match="DataFrame"):
        rd.readability(["not a frame"])
    with pytest.raises(ParameterError, match="min_words"):
        rd.readability(empty, min_words=0)


def test_non_english_language_column_warns_and_marks(caplog):
    docs = pd.concat(
        [one_doc("The talks resumed on Wednesday in Washington.", language="en-US"),
         one_doc("Les discussions ont repris mercredi à Washington.", language="fr")],
        ignore_index=True,
    )
    docs["doc_id"] = ["en1", "fr1"]
    with pytest.warns(UserWarning, match="non-English"):
        out = rd.readability(docs, audit=False)
    assert out["non_english"].tolist() == [False, True]
    assert "'fr'" in out.loc[1, "note"]
    assert "fr1" in caplog.text


def test_stop_word_check_flags_unlabelled_foreign_text():
    spanish = (
        "Israel pidió a la Casa Blanca reprogramar una reunión de alto nivel sobre planes "
        "militares en Rafah. Netanyahu canceló abruptamente la visita prevista de una delegación "
        "israelí a Washington después de la votación."
    )
    with pytest.warns(UserWarning):
        out = rd.readability(one_doc(spanish), audit=False)
    assert bool(out.loc[0, "non_english"])
    assert "stop-word share" in out.loc[0, "note"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        english = rd.readability(one_doc("The talks resumed on Wednesday. " * 6), audit=False)
    assert not english.loc[0, "non_english"]


def test_linsear_sample_cuts_inside_a_token():
    # 33 x "The cat sat." = 99 words; "dog/elephant" is one whitespace token holding words 100
    # (dog: easy) and 101 (elephant: hard), so the 100-word sample ends inside the token.
    text = "The cat sat. " * 33 + "Dog/elephant ran."
    row = rd.readability(one_doc(text), audit=False).iloc[0]
    assert row["n_words"] == 102 and row["n_sentences"] == 34
    assert (row["n_linsear_easy"], row["n_linsear_hard"], row["n_linsear_sentences"]) == (100, 0, 34)
    # r = 100 / 34 <= 20, so (r - 2) / 2
    assert row["linsear_write"] == pytest.approx((100 / 34 - 2) / 2)
    # shorter than 100 words: every word and sentence is in the sample
    short = rd.readability(one_doc("The cat sat. An elephant ran."), audit=False).iloc[0]
    assert (short["n_linsear_easy"], short["n_linsear_hard"], short["n_linsear_sentences"]) == (5, 1, 2)


def test_whole_corpus_equals_one_document_at_a_time(seed_docs, seed_table):
    # counts are computed for the corpus in one pass; offsets between documents must not leak
    mixed = pd.concat([seed_docs.iloc[[3]], one_doc(""), seed_docs.iloc[[0, 4]],
                       one_doc("Ceasefire"), seed_docs.iloc[[1, 2]]], ignore_index=True)
    together = rd.readability(mixed, audit=False)
    apart = pd.concat([rd.readability(mixed.iloc[[i]], audit=False) for i in range(len(mixed))],
                      ignore_index=True)
    pd.testing.assert_frame_equal(together, apart)
    s_together = rd.readability_sentences(mixed)
    s_apart = pd.concat([rd.readability_sentences(mixed.iloc[[i]]) for i in range(len(mixed))],
                        ignore_index=True)
    pd.testing.assert_frame_equal(s_together, s_apart)
