"""Loaded language: evaluative and subjective wording in the writer's own voice, per sentence.

Annotators of media bias mark *lexical bias*: words whose choice carries the writer's
judgement ("slammed", "so-called", "bombastic", "took a swipe at") rather than the facts
reported (BASIL, Fan et al. 2019, "In Plain Sight: Media Bias Through the Lens of Factual
Reporting", EMNLP; Recasens, Danescu-Niculescu-Mizil & Jurafsky 2013, "Linguistic Models for
Analyzing and Detecting Biased Language", ACL, for the word classes). Words inside quotation
marks are the speaker's, not the outlet's, and are not counted.

A word outside quotation marks is *loaded* when one of three offline lexicons says so:

1. the kit's own list ``analysis/resources/loaded_words_en.tsv`` (labels, judging verbs of
   speech and action, evaluative adjectives and adverbs, intensifiers, hedges; lemmas and
   phrases of lemmas; weight 1);
2. the subjectivity lexicon of adjectives by De Smedt & Daelemans (2012, "Pattern for
   Python", JMLR; ``en-sentiment.xml`` shipped in the ``textblob`` pip package, lexicon
   under PDDL, package MIT): an adjective whose mean subjectivity over its senses is at
   least :data:`SUBJECTIVITY_MIN` and whose mean absolute polarity is at least
   :data:`POLARITY_MIN` — subjective *and* evaluative, so "potential", "likely" or "final"
   (subjective in that lexicon, but polarity 0) do not count (weight = the subjectivity, 0–1);
3. VADER's valence lexicon (Hutto & Gilbert 2014; ``vader_lexicon.txt`` in the
   ``vaderSentiment`` pip package): an adjective, adverb or verb (:data:`VALENCE_POS`) whose
   mean valence is at least :data:`VALENCE_MIN` in absolute value on VADER's -4…4 scale
   (weight = |valence| / 4).

A word matched by several lexicons counts once, with its largest weight. Proper nouns and
words inside named entities never count ("Liberty University", "Justice Department").
A short passage in quotation marks that is not speech — a *scare quote* of at most
:data:`SCARE_QUOTE_MAX_WORDS` words with no sentence punctuation inside, e.g. the “respects”
he paid — is itself counted as one loaded item (weight 1), because putting the marks there is
the writer's choice; its words are not counted. A short quoted passage whose every word is
capitalised is read as a title or name (“The Apprentice”) and not counted at all.

Validity (``benchmarks/validity.py DEVSETS --only loaded``, BASIL development part, 90
articles, 2,336 sentences, 129 overlapping a lexical-bias span): per-sentence ROC AUC 0.78
(95 % CI over stories 0.72–0.85; sentence length alone 0.66, VADER negativity 0.57). The word list was written with those
annotations in view, so 0.78 is optimistic; leaving out every entry that shares a word with
a development span gives 0.64, a pessimistic bound for unseen text. Annotators mark few of
the loaded words present (most sentences with a hit carry no span): read the score as a
ranking of sentences to inspect and a rate to compare outlets on one story, not as a
classifier of bias.
"""

from __future__ import annotations

import bisect
import logging
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Collection

import numpy as np
import pandas as pd

from analysis.errors import ParameterError, ResourceMissing
from analysis.framing import _patterns as P

log = logging.getLogger(__name__)

__all__ = ["LOADED_COLUMNS", "LOADED_OUTLET_COLUMNS", "loaded_language", "loaded_language_by_outlet",
           "loaded_lexicon"]

LOADED_COLUMNS = ["doc_id", "outlet", "sent_id", "start", "end", "score", "n_loaded", "n_words",
                  "loaded_words", "sentence"]
LOADED_OUTLET_COLUMNS = ["outlet", "metric", "n_docs", "n_sentences", "n_words", "n_loaded", "estimate",
                         "ci_low", "ci_high", "resampled"]
#: the kit's own word list (``analysis/resources``)
WORD_LIST = "loaded_words_en.tsv"
#: least mean subjectivity (0–1) of an adjective in the Pattern/TextBlob lexicon
SUBJECTIVITY_MIN = 0.75
#: least |mean polarity| (0–1) of such an adjective: subjective *and* evaluative
POLARITY_MIN = 0.3
#: least |valence| (VADER's -4…4 scale) of an adjective, adverb or verb
VALENCE_MIN = 2.0
#: parts of speech read in VADER's lexicon
VALENCE_POS = ("ADJ", "ADV", "VERB")
#: longest quoted passage (words) read as a scare quote rather than speech
SCARE_QUOTE_MAX_WORDS = 3
CATEGORIES = ("label", "speech", "action", "evaluative", "intensifier", "hedge")
_TOKEN = re.compile(r"[\w']+|[^\w\s]")
_WORD = re.compile(r"[^\W\d_]")
_SCARE_STOP = re.compile(r"[.!?,;:]\s")


# --------------------------------------------------------------------------- lexicons


def _entry_tokens(entry: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(entry.lower()))


@lru_cache(maxsize=1)
def _word_list() -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
    """The kit's list indexed by first token: ``first -> [(tokens, entry, category), ...]``
    (longest phrases first)."""
    from analysis.resources import read_text

    index: dict[str, list[tuple[tuple[str, ...], str, str]]] = defaultdict(list)
    seen: set[tuple[str, ...]] = set()
    for no, line in enumerate(read_text(WORD_LIST).splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or parts[1].strip() not in CATEGORIES:
            raise ResourceMissing(
                f"analysis/resources/{WORD_LIST} line {no}: expected 'entry<TAB>category' with a "
                f"category in {CATEGORIES}, got {line!r}; reinstall the package or fix the line.")
        entry, cat = parts[0].strip(), parts[1].strip()
        toks = _entry_tokens(entry)
        if toks and toks not in seen:
            seen.add(toks)
            index[toks[0]].append((toks, entry, cat))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return dict(index)


@lru_cache(maxsize=1)
def _subjectivity() -> dict[str, tuple[float, float]]:
    """Adjective -> (mean subjectivity 0–1, mean |polarity| 0–1) over its senses, from
    TextBlob's Pattern lexicon."""
    import importlib.util

    # the lexicon file is located without importing textblob, whose import loads nltk and
    # scipy.stats (about 4 s)
    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - only without the package
        raise ResourceMissing("loaded_language needs the subjectivity lexicon of the 'textblob' pip "
                              "package: pip install textblob==0.20.1")
    path = Path(list(spec.submodule_search_locations)[0]) / "en" / "en-sentiment.xml"
    if not path.is_file():  # pragma: no cover
        raise ResourceMissing(f"{path} is missing: reinstall the 'textblob' pip package (0.20.1).")
    acc: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for el in ET.parse(path).getroot().iter("word"):
        if el.get("pos", "").startswith("JJ"):
            acc[el.get("form", "").lower()].append(
                (float(el.get("subjectivity", "0")), abs(float(el.get("polarity", "0")))))
    out = {}
    for w, senses in acc.items():
        if w:
            m = np.mean(np.asarray(senses, dtype=float), axis=0)
            out[w] = (float(m[0]), float(m[1]))
    return out


@lru_cache(maxsize=1)
def _valence() -> dict[str, float]:
    """Word -> VADER mean valence (-4…4), from the ``vaderSentiment`` package's lexicon file."""
    try:
        import vaderSentiment.vaderSentiment as vs
    except ImportError as exc:  # pragma: no cover
        raise ResourceMissing("loaded_language needs the VADER lexicon from the 'vaderSentiment' pip "
                              "package: pip install vaderSentiment==3.3.2") from exc
    path = Path(vs.__file__).parent / "vader_lexicon.txt"
    out: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            try:
                out[parts[0].lower()] = float(parts[1])
            except ValueError:
                continue
    return out


def loaded_lexicon() -> pd.DataFrame:
    """The kit's own loaded-word list as a table.

    Returns
    -------
    DataFrame
        ``entry`` (a lemma or phrase of lemmas, lower case), ``category`` (one of
        ``label, speech, action, evaluative, intensifier, hedge``), in file order of first
        tokens. The TextBlob and VADER lexicons are read from their packages and not listed.
    """
    rows = [(e, c) for entries in _word_list().values() for _t, e, c in entries]
    return pd.DataFrame(rows, columns=["entry", "category"])


# --------------------------------------------------------------------------- matching


def _quote_regions(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Speech quotations (words excluded) and scare quotes (one loaded item each) in ``text``."""
    speech: list[tuple[int, int]] = []
    scare: list[tuple[int, int]] = []
    for a, b in P.quote_spans(text):
        inner = text[a + 1 : b - 1]
        n_words = len(inner.split())
        if 0 < n_words <= SCARE_QUOTE_MAX_WORDS and not _SCARE_STOP.search(inner + " ") and _WORD.search(inner):
            # every word capitalised: a title or name (“The Apprentice”), not counted either way
            if all(w[:1].isupper() for w in inner.split() if _WORD.search(w)):
                speech.append((a, b))
            else:
                scare.append((a, b))
        else:
            speech.append((a, b))
    singles = [s for s in P.single_quote_spans(text)
               if not any(a <= s[0] < b for a, b in speech + scare)]
    speech = sorted(speech + singles)
    return speech, sorted(scare)


def _inside(pos: int, starts: list[int], spans: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _token_matches(tok, word: str) -> bool:
    return tok.lower_ == word or tok.lemma_.lower() == word


@lru_cache(maxsize=8)
def _index_without(exclude: frozenset[str]) -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
    """The kit's list without the entries in ``exclude``."""
    full = _word_list()
    if not exclude:
        return full
    out = {k: [e for e in v if e[1] not in exclude] for k, v in full.items()}
    return {k: v for k, v in out.items() if v}


def _score_tokens(tokens: list, index: dict) -> tuple[list[tuple[str, float, int]], int]:
    """Loaded items among ``tokens`` (already outside quotes): ``[(text, weight, first index)]``
    and the number of words."""
    subj = _subjectivity()
    val = _valence()
    found: list[tuple[str, float, int]] = []
    n_words = sum(1 for t in tokens if _WORD.search(t.text))
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.pos_ == "PROPN" or tok.ent_type_:
            i += 1
            continue
        hit = None
        for key in {tok.lower_, tok.lemma_.lower()}:
            for toks, _entry, _cat in index.get(key, ()):
                k = len(toks)
                if i + k <= n and all(_token_matches(tokens[i + j], toks[j]) for j in range(k)):
                    # a phrase must be contiguous in the text (no quote or gap between)
                    if all(tokens[i + j + 1].i == tokens[i + j].i + 1 for j in range(k - 1)):
                        hit = k
                        break
            if hit:
                break
        if hit:
            span = tokens[i].doc[tokens[i].i : tokens[i + hit - 1].i + 1]
            found.append((span.text, 1.0, i))
            i += hit
            continue
        weight = 0.0
        low = tok.lower_
        if tok.pos_ == "ADJ":
            sub, pol = subj.get(low, (0.0, 0.0))
            if sub >= SUBJECTIVITY_MIN and pol >= POLARITY_MIN:
                weight = sub
        if tok.pos_ in VALENCE_POS:
            v = val.get(low, val.get(tok.lemma_.lower(), 0.0))
            if abs(v) >= VALENCE_MIN:
                weight = max(weight, min(1.0, abs(v) / 4.0))
        if weight > 0:
            found.append((tok.text, weight, i))
        i += 1
    return found, n_words


def _check_docs(docs: pd.DataFrame, func: str) -> None:
    P.check_docs(docs, func)


def loaded_language(docs: pd.DataFrame, *, exclude: Collection[str] = ()) -> pd.DataFrame:
    """Loaded words outside quotation marks, per sentence.

    Parameters
    ----------
    docs : DataFrame
        Documents (``doc_id, outlet, text``); not modified. Parsed with
        :func:`analysis.nlp.parse` (memoised) for lemmas, parts of speech and entities.
    exclude : collection of str
        Entries of the kit's word list (:func:`loaded_lexicon` ``entry``) not to count,
        e.g. words that are neutral terms of art in the user's domain. Unknown entries are
        an error.

    Returns
    -------
    DataFrame
        One row per sentence of ``text`` (the kit's sentences), in document order:
        ``doc_id, outlet, sent_id`` (0-based, :func:`analysis.nlp.sentences_of`), ``start,
        end`` (character offsets of the sentence in ``text``), ``score`` (sum of the weights
        of the loaded items outside quotation marks, in weighted loaded words; each item
        weighs 0.5–1; 0 = none; higher = more loaded language), ``n_loaded`` (number of
        loaded items), ``n_words`` (words outside quotation marks), ``loaded_words`` (the
        items as written, ``"; "``-separated, "" when none), ``sentence``.
        An empty docs table gives an empty table with these columns.

    Raises
    ------
    ParameterError
        When ``docs`` is not a docs table with ``doc_id, outlet, text``.
    ResourceMissing
        When the spaCy pipeline, ``textblob`` or ``vaderSentiment`` is not installed.
    """
    _check_docs(docs, "loaded_language")
    if isinstance(exclude, str):
        raise ParameterError(f"exclude={exclude!r}: give a list of entries, e.g. ['regime'].")
    known = set(loaded_lexicon()["entry"])
    unknown = sorted(str(e) for e in exclude if e not in known)
    if unknown:
        raise ParameterError(f"exclude: {unknown[:5]} not in the kit's word list; give entries of "
                             f"loaded_lexicon()['entry'] (lemmas, lower case).")
    index = _index_without(frozenset(exclude))
    if docs.empty:
        return pd.DataFrame(columns=LOADED_COLUMNS)
    from analysis import nlp

    rows_in = list(P.iter_docs(docs))
    parsed = nlp.parse([t for _d, _o, _t, t in rows_in])
    rows = []
    for (doc_id, outlet, _title, text), doc in zip(rows_in, parsed):
        speech, scare = _quote_regions(text)
        sp_starts = [a for a, _b in speech]
        sc_starts = [a for a, _b in scare]
        for sent_id, span in enumerate(nlp.sentences_of(doc)):
            a, b = span.start_char, span.end_char
            tokens = [t for t in span if not t.is_space and not _inside(t.idx, sp_starts, speech)
                      and not _inside(t.idx, sc_starts, scare)]
            found, n_words = _score_tokens(tokens, index)
            items = [(w, wt) for w, wt, _i in found]
            j = bisect.bisect_left(sc_starts, a)
            while j < len(scare) and scare[j][0] < b:
                items.append((text[scare[j][0] : scare[j][1]], 1.0))
                j += 1
            rows.append(dict(doc_id=doc_id, outlet=outlet, sent_id=sent_id, start=a, end=b,
                             score=float(sum(wt for _w, wt in items)), n_loaded=len(items),
                             n_words=n_words, loaded_words="; ".join(w for w, _wt in items),
                             sentence=text[a:b]))
    out = pd.DataFrame(rows, columns=LOADED_COLUMNS)
    log.info("loaded_language: %d documents, %d sentences, %d with loaded words", len(rows_in), len(out),
             int((out["n_loaded"] > 0).sum()) if len(out) else 0)
    return out


def _check_boot(n_boot: int, ci: float, seed: int) -> None:
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 50:
        raise ParameterError(f"n_boot={n_boot!r}: give an integer of at least 50 (1000 or more recommended).")
    if isinstance(ci, bool) or not isinstance(ci, (int, float)) or not 0 < ci < 1:
        raise ParameterError(f"ci={ci!r}: give the coverage as a fraction between 0 and 1, e.g. 0.95.")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ParameterError(f"seed={seed!r}: give an integer seed.")


def loaded_language_by_outlet(docs: pd.DataFrame | None = None, *, table: pd.DataFrame | None = None,
                              n_boot: int = 1000, ci: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Loaded language per outlet: weighted loaded words per 100 words, with a bootstrap CI.

    Parameters
    ----------
    docs : DataFrame, optional
        Documents (``doc_id, outlet, text``); read when ``table`` is None.
    table : DataFrame, optional
        A :func:`loaded_language` table, to avoid scoring twice.
    n_boot : int
        Bootstrap resamples (at least 50).
    ci : float
        Coverage of the interval (e.g. 0.95).
    seed : int
        Seed of the resampling (:func:`analysis.stats.bootstrap_indices`): the same seed and
        input give the same interval.

    Returns
    -------
    DataFrame
        One row per outlet (sorted): ``outlet``, ``metric`` (``"loaded_per_100_words"``),
        ``n_docs, n_sentences``, ``n_words`` (words outside quotation marks), ``n_loaded``
        (loaded items), ``estimate`` (100 × summed ``score`` / summed ``n_words``: weighted
        loaded words per 100 words in the outlet's own voice; higher = more loaded
        language), ``ci_low, ci_high`` (percentile bootstrap; the ratio is recomputed from
        the summed counts of each resample), ``resampled`` (``"articles"`` when the outlet
        has two or more articles, else ``"sentences"`` of its one article, a lower bound on
        the uncertainty). An outlet without words has NaN estimate and interval.

    Raises
    ------
    ParameterError
        When neither ``docs`` nor ``table`` is given, ``table`` lacks a column, or a
        bootstrap option is invalid.
    """
    from analysis.stats import bootstrap_indices

    _check_boot(n_boot, ci, seed)
    if table is None:
        if docs is None:
            raise ParameterError("loaded_language_by_outlet: give docs or a loaded_language() table.")
        table = loaded_language(docs)
    missing = [c for c in ("doc_id", "outlet", "score", "n_loaded", "n_words") if c not in table.columns]
    if missing:
        raise ParameterError(f"loaded_language_by_outlet: table has no column(s) {missing}; pass the "
                             f"table returned by loaded_language().")
    alpha = (1 - ci) / 2
    out = []
    for outlet, g in table.groupby("outlet", sort=True):
        n_docs = int(g["doc_id"].nunique())
        if n_docs >= 2:
            units = g.groupby("doc_id", sort=False)[["score", "n_words"]].sum()
            resampled = "articles"
        else:
            units = g[["score", "n_words"]]
            resampled = "sentences"
        s = units["score"].to_numpy(dtype=float)
        w = units["n_words"].to_numpy(dtype=float)
        est = lo = hi = float("nan")
        if w.sum() > 0:
            est = 100.0 * s.sum() / w.sum()
            if len(s) == 1:
                lo = hi = est
            else:
                idx = bootstrap_indices(len(s), n_boot, seed=seed)
                ws = w[idx].sum(axis=1)
                with np.errstate(invalid="ignore", divide="ignore"):
                    boot = 100.0 * s[idx].sum(axis=1) / ws
                boot = boot[ws > 0]
                lo, hi = (float(x) for x in np.quantile(boot, [alpha, 1 - alpha]))
        out.append(dict(outlet=outlet, metric="loaded_per_100_words", n_docs=n_docs, n_sentences=len(g),
                        n_words=int(g["n_words"].sum()), n_loaded=int(g["n_loaded"].sum()),
                        estimate=est, ci_low=lo, ci_high=hi, resampled=resampled))
    return pd.DataFrame(out, columns=LOADED_OUTLET_COLUMNS)
