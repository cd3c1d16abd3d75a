"""analysis.stemmer must give exactly the stems of NLTK's default PorterStemmer.

NLTK (the reference implementation) is imported here on purpose; the module under test must
not import it.
"""

from __future__ import annotations

import doctest
import random
import subprocess
import sys

import pytest

import analysis.stemmer as stemmer_module
from analysis.stemmer import PorterStemmer, porter_stem
from analysis.text import _cmu_counts, words


@pytest.fixture(scope="module")
def nltk_stem():
    from nltk.stem.porter import PorterStemmer as NltkPorterStemmer

    reference = NltkPorterStemmer()
    assert reference.mode == NltkPorterStemmer.NLTK_EXTENSIONS
    return reference.stem


def _mismatches(word_list, reference, limit=20):
    bad = []
    for word in word_list:
        expected = reference(word)
        got = porter_stem(word)
        if got != expected:
            bad.append((word, expected, got))
    return len(bad), bad[:limit]


def _report(n_bad, first, n_total):
    lines = [f"{n_bad} of {n_total} words differ from NLTK (word: nltk != ours):"]
    lines += [f"  {w!r}: {e!r} != {g!r}" for w, e, g in first]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# 1. the CMU Pronouncing Dictionary


def test_every_alphabetic_cmu_word_matches_nltk(nltk_stem):
    vocab = sorted({w.lower() for w in _cmu_counts() if w.isalpha()})
    assert len(vocab) > 100_000
    n_bad, first = _mismatches(vocab, nltk_stem)
    assert n_bad == 0, _report(n_bad, first, len(vocab))


def test_non_alphabetic_cmu_entries_match_nltk(nltk_stem):
    # "'bout", "a.m.", "able-bodied", "aaron's", ...: apostrophes, dots, hyphens, digits
    vocab = sorted({w.lower() for w in _cmu_counts() if not w.isalpha()})
    assert len(vocab) > 5_000
    n_bad, first = _mismatches(vocab, nltk_stem)
    assert n_bad == 0, _report(n_bad, first, len(vocab))


# ---------------------------------------------------------------------------------------------
# 2. the seed articles


def test_every_seed_word_matches_nltk(seeds_dir, nltk_stem):
    paths = sorted(seeds_dir.glob("*.txt"))
    assert paths, f"no seed articles in {seeds_dir}"
    vocab: set[str] = set()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        original = words(text)
        vocab.update(w.lower() for w in original)  # words as they come, lower-cased
        vocab.update(original)  # and in their original case (the stemmer lower-cases)
        vocab.update(words(text.lower()))  # the lower-cased text, split
    assert len(vocab) > 500
    assert any("'" in w or "-" in w for w in vocab)
    assert any(any(c.isdigit() for c in w) for w in vocab)
    ordered = sorted(vocab)
    n_bad, first = _mismatches(ordered, nltk_stem)
    assert n_bad == 0, _report(n_bad, first, len(ordered))


# ---------------------------------------------------------------------------------------------
# 3. hand-written edge cases (every literal below was checked against NLTK 3.10)

EDGE_CASES = [
    # step 1a
    ("caresses", "caress"),
    ("ponies", "poni"),
    ("ties", "tie"),
    ("dies", "die"),
    ("flies", "fli"),
    ("caress", "caress"),
    ("cats", "cat"),
    # step 1b
    ("feed", "feed"),
    ("agreed", "agre"),
    ("plastered", "plaster"),
    ("bled", "bled"),
    ("motoring", "motor"),
    ("sing", "sing"),
    ("conflated", "conflat"),
    ("troubled", "troubl"),
    ("sized", "size"),
    ("hopping", "hop"),
    ("tanned", "tan"),
    ("falling", "fall"),
    ("hissing", "hiss"),
    ("fizzed", "fizz"),
    ("failing", "fail"),
    ("filing", "file"),
    ("died", "die"),
    ("spied", "spi"),
    # step 1c
    ("happy", "happi"),
    ("enjoy", "enjoy"),
    ("spy", "spi"),
    ("cry", "cri"),
    ("toy", "toy"),
    ("ivy", "ivi"),
    ("syzygy", "syzygi"),
    ("yyyy", "yyyi"),
    # step 2
    ("relational", "relat"),
    ("conditional", "condit"),
    ("rational", "ration"),
    ("valenci", "valenc"),
    ("hesitanci", "hesit"),
    ("digitizer", "digit"),
    ("conformabli", "conform"),
    ("radicalli", "radic"),
    ("differentli", "differ"),
    ("vileli", "vile"),
    ("analogousli", "analog"),
    ("vietnamization", "vietnam"),
    ("predication", "predic"),
    ("operator", "oper"),
    ("feudalism", "feudal"),
    ("decisiveness", "decis"),
    ("hopefulness", "hope"),
    ("callousness", "callous"),
    ("formaliti", "formal"),
    ("sensitiviti", "sensit"),
    ("sensibiliti", "sensibl"),
    ("hopefulli", "hope"),
    ("archaeology", "archaeolog"),
    ("geology", "geolog"),
    ("theology", "theolog"),
    # step 3
    ("triplicate", "triplic"),
    ("formative", "form"),
    ("formalize", "formal"),
    ("electriciti", "electr"),
    ("electrical", "electr"),
    ("hopeful", "hope"),
    ("goodness", "good"),
    # step 4
    ("revival", "reviv"),
    ("allowance", "allow"),
    ("inference", "infer"),
    ("airliner", "airlin"),
    ("gyroscopic", "gyroscop"),
    ("adjustable", "adjust"),
    ("defensible", "defens"),
    ("irritant", "irrit"),
    ("replacement", "replac"),
    ("adjustment", "adjust"),
    ("dependent", "depend"),
    ("adoption", "adopt"),
    ("homologou", "homolog"),
    ("communism", "commun"),
    ("activate", "activ"),
    ("angulariti", "angular"),
    ("homologous", "homolog"),
    ("effective", "effect"),
    ("bowdlerize", "bowdler"),
    # step 5
    ("probate", "probat"),
    ("rate", "rate"),
    ("cease", "ceas"),
    ("controll", "control"),
    ("roll", "roll"),
    ("trouble", "troubl"),
    ("private", "privat"),
    ("oaten", "oaten"),
    ("orrery", "orreri"),
    ("oats", "oat"),
    # whole words
    ("generalizations", "gener"),
    ("Generalizations", "gener"),
    ("CARESSES", "caress"),
    # irregular forms
    ("sky", "sky"),
    ("skies", "sky"),
    ("dying", "die"),
    ("lying", "lie"),
    ("tying", "tie"),
    ("news", "news"),
    ("innings", "inning"),
    ("inning", "inning"),
    ("outings", "outing"),
    ("cannings", "canning"),
    ("howe", "howe"),
    ("proceed", "proceed"),
    ("exceed", "exceed"),
    ("succeed", "succeed"),
    # at most two characters: unchanged
    ("a", "a"),
    ("is", "is"),
    ("as", "as"),
    ("by", "by"),
    ("", ""),
    # non-ASCII and mixed input
    ("Café", "café"),
    ("naïve", "naïv"),
    ("don't", "don't"),
    ("co-operate", "co-oper"),
    ("2024", "2024"),
    # NLTK quirks: length counted before lower-casing ("İ" lower-cases to two characters), and
    # step 1b's double-consonant rule also firing on a stem that literally ends in "*d"
    ("İs", "i\u0307s"),
    ("a*ded", "ad"),
]


@pytest.mark.parametrize(("word", "expected"), EDGE_CASES)
def test_edge_case(word, expected, nltk_stem):
    assert nltk_stem(word) == expected  # the literal is NLTK's answer
    assert porter_stem(word) == expected
    assert PorterStemmer().stem(word) == expected


MIXED_INPUT = [
    "Café", "CAFÉS", "naïve", "naïvely", "Über", "résumés", "façades", "ﬁles", "Straße",
    "İstanbul", "İİ", "ΣΟΦΊΑ", "don't", "isn't", "o'clock", "rock'n'roll", "'tis", "dogs'",
    "co-operate", "co-operating", "well-being", "e-mails", "2024", "1990s", "3rd", "covid-19",
    "U.S.", "a.m.", "31,000", "2.5", "Sen.", "R-Fla.", "x", "Xy", "YY", "yyy", "y'y", "ay",
    "eyes", "ying", "yed", "-ing", "'s", "**d", "ab*d", "i*ded", " ", "tab\tbed", "new\nline",
]


def test_non_ascii_and_mixed_input_match_nltk(nltk_stem):
    n_bad, first = _mismatches(MIXED_INPUT, nltk_stem)
    assert n_bad == 0, _report(n_bad, first, len(MIXED_INPUT))


def test_random_strings_match_nltk(nltk_stem):
    # short strings over an alphabet rich in the letters the rules look at, often ending in a
    # suffix some rule strips; deterministic
    rng = random.Random(20240607)
    alphabet = "aeiouyyylsztdbcmnrw*'-2é"
    endings = [
        "ies", "ied", "eed", "ed", "ing", "y", "alli", "logi", "ational", "ion", "ement", "ll",
        "e", "sses", "ss", "s", "*d", "ize", "bli", "fulli", "ness", "iveness", "at", "bled",
        "izing", "ator", "ical", "ous", "iti",
    ]
    sample = []
    for _ in range(30_000):
        word = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        if rng.random() < 0.6:
            word += rng.choice(endings)
        sample.append(word)
    n_bad, first = _mismatches(sample, nltk_stem)
    assert n_bad == 0, _report(n_bad, first, len(sample))


# ---------------------------------------------------------------------------------------------
# the class, the module


def test_class_memoises_and_stays_bounded():
    stemmer = PorterStemmer(cache_size=3)
    for word in ["running", "Running", "cats", "ponies", "running"]:
        assert stemmer.stem(word) == porter_stem(word)
        assert len(stemmer._cache) <= 3
    assert stemmer.stem("Generalizations") == "gener"

    no_cache = PorterStemmer(cache_size=0)
    assert no_cache.stem("relational") == "relat"
    assert no_cache._cache == {}

    with pytest.raises(ValueError):
        PorterStemmer(cache_size=-1)


def test_docstring_examples():
    result = doctest.testmod(stemmer_module)
    assert result.attempted > 0
    assert result.failed == 0


def test_importing_the_stemmer_does_not_import_nltk():
    code = (
        "import sys\n"
        "from analysis.stemmer import porter_stem\n"
        "assert porter_stem('caresses') == 'caress'\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('nltk', 'scipy', 'sklearn'))\n"
        "assert not bad, bad\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
