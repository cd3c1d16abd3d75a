"""Keyness: which words each outlet over- and under-uses, with an informative Dirichlet prior.

Weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
"Fightin' Words", section 3.5). For a term w, counts y_w^i in the target and y_w^j in the
reference, totals n^i and n^j, and a prior α_w with α_0 = Σ α_w::

    δ_w = log[(y_w^i + α_w) / (n^i + α_0 − y_w^i − α_w)]
        − log[(y_w^j + α_w) / (n^j + α_0 − y_w^j − α_w)]
    var(δ_w) ≈ 1 / (y_w^i + α_w) + 1 / (y_w^j + α_w)
    z_w = δ_w / sqrt(var(δ_w))

Positive z = the target outlet uses the term more than the reference; negative = less. Two-sided
p-values come from the normal distribution and are adjusted with Benjamini–Hochberg within each
comparison (:func:`analysis.stats.bh_qvalues`). Tokens are not independent draws (words cluster
in articles), so when both sides have several articles an article-level bootstrap reports how
often each term stays significant in the same direction (``stability``).

Before counting, spellings of one word are merged and words that only show house style or
self-reference are left out (:func:`merge_term_variants`): "cease-fire" and "ceasefire" are one
term, "netanyahu's" counts as "netanyahu", "Sen." as "senator" and "Oct." as "october" ("U.S."
and "US" are already one term, ``US``, in the term counts); honorifics ("mr.", "mrs.", "ms.",
"dr.") and the outlets' own names ("ABC" and "news" for "ABC News", "AP") are dropped. With one
article per outlet, few terms pass the Benjamini–Hochberg correction: :func:`significant_terms`
keeps those that do and :func:`keyness_summary` says so in one sentence when none does.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis import lexical as _lexical
from analysis import stats as _stats
from analysis import text as _text
from analysis.errors import CorpusError, NotEnoughData, ParameterError

__all__ = [
    "KEYNESS_COLUMNS",
    "HONORIFICS",
    "HOUSE_STYLE",
    "keyness",
    "log_odds_dirichlet",
    "merge_term_variants",
    "outlet_name_terms",
    "significant_terms",
    "keyness_summary",
]

log = logging.getLogger(__name__)

KEYNESS_COLUMNS = [
    "outlet",
    "reference",
    "term",
    "n_target",
    "n_reference",
    "log_odds",
    "z",
    "p",
    "q",
    "stability",
    "variants",
]
REST = "rest"

#: Honorifics: they show an outlet's house style ("Mr. Netanyahu"), not its word choice.
HONORIFICS: frozenset[str] = frozenset({"mr.", "mrs.", "ms.", "dr.", "mr", "mrs", "ms", "dr", "mx.", "messrs.", "mmes."})
#: Abbreviations of house style and the word they stand for ("Sen. Rick Scott" = "Senator Rick
#: Scott", "Oct. 7" = "October 7"); dotted initialisms that term counts may keep in lower case.
HOUSE_STYLE: dict[str, str] = {
    "jan.": "january", "feb.": "february", "apr.": "april", "aug.": "august", "sept.": "september",
    "sep.": "september", "oct.": "october", "nov.": "november", "dec.": "december",
    "sen.": "senator", "sens.": "senators", "rep.": "representative", "reps.": "representatives",
    "gov.": "governor", "gen.": "general", "lt.": "lieutenant", "col.": "colonel", "sgt.": "sergeant",
    "pres.": "president", "atty.": "attorney", "supt.": "superintendent",
    "u.s.": "US", "u.s": "US", "u.n.": "UN", "u.k.": "UK", "u.s.a.": "USA", "e.u.": "EU",
}
#: Words of outlet names that are ordinary words in news text (and are kept when an outlet's own
#: name is dropped): "The New York Times" drops the phrase and "nyt", not "new", "york" or "times".
_ORDINARY_NAME_WORDS = frozenset({
    "new", "york", "times", "post", "washington", "daily", "world", "voice", "america", "american",
    "national", "public", "international", "global", "star", "sun", "mail", "street", "journal",
    "wall", "hill", "nation", "independent", "guardian", "express", "mirror", "telegraph", "herald",
    "tribune", "today", "usa", "united", "states", "press", "associated", "free", "city", "state",
    "morning", "evening", "sunday", "weekly", "review", "report", "economist", "financial",
})
#: Other names the audience knows an outlet by, keyed by the outlet's letters in lower case
#: ("Fox News", "foxnews" -> "foxnews").
_OUTLET_ALIASES: dict[str, tuple[str, ...]] = {
    "foxnews": ("fox", "fox news"),
    "fox": ("fox news",),
    "nytimes": ("nyt", "new york times"),
    "newyorktimes": ("nyt", "nytimes"),
    "thenewyorktimes": ("nyt", "nytimes", "new york times"),
    "huffpost": ("huffpost", "huffington", "huffington post"),
    "huffingtonpost": ("huffpost",),
    "washingtonpost": ("wapo", "washington post"),
    "usatoday": ("usa today",),
    "ap": ("associated press",),
    "associatedpress": ("ap",),
    "abcnews": ("abc",),
    "cbsnews": ("cbs",),
    "nbcnews": ("nbc",),
    "cnn": ("cnn",),
    "bbc": ("bbc",),
    "bbcnews": ("bbc",),
    "breitbart": ("breitbart",),
    "breitbartnews": ("breitbart",),
    "reuters": ("reuters",),
    "bloomberg": ("bloomberg",),
    "aljazeera": ("al jazeera", "jazeera"),
}
_APOSTROPHES = "'’"
_NUMBER = re.compile(r"[+-]?[\d.,:/%]*\d[\d.,:/%]*(?:st|nd|rd|th|s)?")
_HYPHENS = "-‐‑"
_Z_CRIT = 1.959963984540054  # two-sided 5 %


def log_odds_dirichlet(
    y_i: np.ndarray,
    y_j: np.ndarray,
    alpha: np.ndarray,
    *,
    n_i: float | np.ndarray | None = None,
    n_j: float | np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted log-odds δ and z-score for every term (Monroe, Colaresi & Quinn 2008, eq. 16-22).

    Parameters
    ----------
    y_i, y_j : numpy.ndarray
        Term counts of the target and the reference (same term order; the last axis is terms,
        so a 2-D array computes many comparisons at once).
    alpha : numpy.ndarray
        Prior pseudo-counts α_w (> 0), one per term; α_0 = Σ α_w.
    n_i, n_j : float or numpy.ndarray, optional
        Token totals of each side; default the sum of ``y_i`` / ``y_j`` over terms.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``delta`` (log-odds ratio, natural log; positive = more frequent in the target) and
        ``z`` (δ divided by its approximate standard deviation).
    """
    y_i = np.asarray(y_i, dtype=float)
    y_j = np.asarray(y_j, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    a0 = alpha.sum()
    if n_i is None:
        n_i = y_i.sum(axis=-1, keepdims=y_i.ndim > 1)
    if n_j is None:
        n_j = y_j.sum(axis=-1, keepdims=y_j.ndim > 1)
    yi_a = y_i + alpha
    yj_a = y_j + alpha
    delta = np.log(yi_a / (n_i + a0 - yi_a)) - np.log(yj_a / (n_j + a0 - yj_a))
    z = delta / np.sqrt(1.0 / yi_a + 1.0 / yj_a)
    return delta, z


def _counts_from_input(
    docs_or_counts: pd.DataFrame,
    *,
    ngram_range: tuple[int, int],
    stop_words: Iterable[str] | None,
) -> pd.DataFrame:
    if not isinstance(docs_or_counts, pd.DataFrame):
        raise CorpusError(
            "keyness: pass the docs table (analysis.corpus.load_corpus) or a term-count table "
            f"(analysis.lexical.term_counts), got {type(docs_or_counts).__name__}."
        )
    cols = set(docs_or_counts.columns)
    if {"doc_id", "outlet", "term", "n"} <= cols:
        counts = docs_or_counts[["doc_id", "outlet", "term", "n"]]
        if counts["n"].lt(0).any():
            raise CorpusError("keyness: the term-count table has negative counts in column `n`.")
        return counts[counts["n"] > 0]
    if {"doc_id", "outlet", "text"} <= cols:
        return _lexical.term_counts(docs_or_counts, ngram_range=ngram_range, stop_words=stop_words)
    raise CorpusError(
        "keyness: input needs columns doc_id, outlet, text (docs) or doc_id, outlet, term, n "
        f"(term counts); it has {sorted(map(str, cols))}."
    )


def outlet_name_terms(outlets: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Words and phrases by which outlets name themselves, to leave out of keyness.

    For each outlet name: each word, except stop words and ordinary words of news text
    (``new``, ``york``, ``times``, ``press`` …); the initials of a name of two words or more
    ("Voice of America" -> ``voa``); the name's letters run together ("Fox News" -> ``foxnews``);
    the whole name as a phrase; and the names an audience knows well-known outlets by ("Fox News"
    -> ``fox``, "nytimes" -> ``nyt`` and "new york times", "HuffPost" -> ``huffington``).

    Parameters
    ----------
    outlets : iterable of str
        Outlet names as in the ``outlet`` column.

    Returns
    -------
    (frozenset of str, frozenset of str)
        Single words (lower case) and multi-word phrases (lower case, one space between words).
        A term is dropped when one of its words is in the first set or when it contains a
        phrase of the second set.
    """
    words: set[str] = set()
    phrases: set[str] = set()
    for name in outlets:
        parts = [w for w in re.split(r"[^0-9A-Za-z]+", str(name)) if w]
        if not parts:
            continue
        lower = [w.lower() for w in parts]
        words.update(w for w in lower if w not in _text.STOP_WORDS and w not in _ORDINARY_NAME_WORDS)
        compact = "".join(lower)
        words.add(compact)
        if len(parts) >= 2:
            words.add("".join(w[0] for w in lower))
            phrases.add(" ".join(lower))
        for alias in _OUTLET_ALIASES.get(compact, ()):
            (phrases if " " in alias else words).add(alias)
    return frozenset(words), frozenset(phrases)


def _strip_possessive(token: str) -> str:
    for ap in _APOSTROPHES:
        if len(token) > 2 and token.endswith(ap + "s"):
            return token[:-2]
        if len(token) > 2 and token.endswith("s" + ap):
            return token[:-1]
    return token


def merge_term_variants(
    counts: pd.DataFrame,
    *,
    merge_variants: bool = True,
    drop_honorifics: bool = True,
    drop_outlet_names: bool = True,
    drop_numbers: bool = True,
    exclude_terms: Iterable[str] = (),
) -> pd.DataFrame:
    """Term counts with the spellings of one word merged and house-style words left out.

    Rules, applied to each word of a term (n-grams word by word):

    * possessives: "netanyahu's", "israelis’" count as "netanyahu", "israelis" (an initialism
      keeps its capitals: "abc's" -> ``ABC`` when ``ABC`` is a term);
    * house style: the abbreviations of :data:`HOUSE_STYLE` count as the word they stand for
      ("sen." -> "senator", "oct." -> "october", "u.s." -> ``US``);
    * hyphens: spellings that differ only by hyphens are one term ("cease-fire", "ceasefire"),
      shown in the spelling used most often (ties: the shorter, then the first alphabetically);
    * honorifics (:data:`HONORIFICS`) and the outlets' own names (:func:`outlet_name_terms`
      of the ``outlet`` column) are dropped, with every n-gram that contains them, and so are
      the terms of ``exclude_terms`` (compared in lower case);
    * bare numbers ("7", "2024", "31,000") are dropped: they date or count, and the claims
      measures compare them; n-grams with words keep their numbers ("october 7").

    Parameters
    ----------
    counts : DataFrame
        Term counts ``doc_id, outlet, term, n`` (:func:`analysis.lexical.term_counts`); not
        modified.
    merge_variants : bool, default True
        Merge possessives, house-style abbreviations and hyphen spellings.
    drop_honorifics, drop_outlet_names, drop_numbers : bool, default True
        Leave out honorifics / the outlets' own names / terms made only of numbers.
    exclude_terms : iterable of str
        More terms (or words) to leave out.

    Returns
    -------
    DataFrame
        ``doc_id, outlet, term, n`` with the counts of merged spellings summed (one row per
        document and term, in order of first appearance). ``attrs["variants"]`` maps each term
        that stands for more than one input spelling to those spellings (sorted), and
        ``attrs["excluded"]`` lists the input terms left out (sorted).
    """
    if counts.empty:
        out = counts[["doc_id", "outlet", "term", "n"]].copy()
        out.attrs.update({"variants": {}, "excluded": []})
        return out
    term_codes, uniq = pd.factorize(counts["term"].astype(str), sort=False)
    totals = np.bincount(term_codes, weights=counts["n"].to_numpy(dtype=float), minlength=len(uniq))
    caps = {t for t in uniq if " " not in t and t.isupper()}  # initialisms kept in capitals
    name_words, name_phrases = outlet_name_terms(counts["outlet"].astype(str).unique()) if drop_outlet_names else (frozenset(), frozenset())
    extra = {str(t).lower() for t in exclude_terms}

    def base(tok: str) -> str:
        if not merge_variants:
            return tok
        t = _strip_possessive(tok)
        if t != tok and t.upper() in caps and t.lower() == t:
            t = t.upper()
        return HOUSE_STYLE.get(t.lower(), t) if t.lower() in HOUSE_STYLE else t

    def dropped(tokens: list[str], term: str) -> bool:
        low = [t.lower() for t in tokens]
        if drop_honorifics and any(t in HONORIFICS for t in low):
            return True
        if any(t in name_words for t in low) or any(t in extra for t in low) or term.lower() in extra:
            return True
        if drop_numbers and all(_NUMBER.fullmatch(t) for t in low):
            return True
        joined = " " + " ".join(low) + " "
        return any(f" {p} " in joined for p in name_phrases)

    # each distinct word: its base form and its hyphen-free key; most used spelling per key
    split = [str(t).split(" ") for t in uniq]
    word_weight: dict[str, float] = {}
    for toks, w in zip(split, totals):
        for tok in toks:
            b = base(tok)
            word_weight[b] = word_weight.get(b, 0.0) + float(w)
    key_of = {b: (b.translate({ord(h): None for h in _HYPHENS}) if merge_variants else b) for b in word_weight}
    best: dict[str, str] = {}
    for b, k in key_of.items():
        cur = best.get(k)
        if cur is None or (-word_weight[b], len(b), b) < (-word_weight[cur], len(cur), cur):
            best[k] = b
    new_terms = []
    excluded = []
    for term, toks in zip(uniq, split):
        if dropped(toks, term) or dropped([base(t) for t in toks], term):
            new_terms.append(None)
            excluded.append(term)
            continue
        new_terms.append(" ".join(best[key_of[base(t)]] for t in toks))
    mapped = np.asarray(new_terms, dtype=object)[term_codes]
    keep = pd.notna(mapped)
    out = counts.loc[keep, ["doc_id", "outlet"]].assign(term=mapped[keep], n=counts.loc[keep, "n"].to_numpy())
    out = out.groupby(["doc_id", "outlet", "term"], sort=False, as_index=False)["n"].sum()
    variants: dict[str, list[str]] = {}
    for term, new in zip(uniq, new_terms):
        if new is not None:
            variants.setdefault(new, []).append(term)
    out.attrs.update({
        "variants": {k: sorted(v) for k, v in variants.items() if len(v) > 1 or v[0] != k},
        "excluded": sorted(excluded),
    })
    return out


def significant_terms(table: pd.DataFrame, *, alpha: float = 0.05) -> pd.DataFrame:
    """The rows of a keyness table whose Benjamini–Hochberg q-value is below ``alpha``.

    Parameters
    ----------
    table : DataFrame
        :func:`keyness` output (needs ``outlet, term, z, q``); not modified.
    alpha : float, default 0.05
        False-discovery rate: keep terms with ``q < alpha``.

    Returns
    -------
    DataFrame
        The same columns, only significant terms, sorted by outlet then ``z`` descending
        (positive = over-used by the outlet). Empty when no term passes (see
        :func:`keyness_summary` for the sentence that says so).
    """
    _check_table(table, "significant_terms")
    alpha = _check_alpha(alpha, "significant_terms")
    out = table[table["q"].astype(float) < alpha]
    return out.sort_values(["outlet", "z", "term"], ascending=[True, False, True], kind="mergesort").reset_index(drop=True)


def keyness_summary(table: pd.DataFrame, *, alpha: float = 0.05, n_terms: int = 3) -> str:
    """One sentence saying which terms set outlets apart at ``q < alpha``, or that none does.

    Parameters
    ----------
    table : DataFrame
        :func:`keyness` output (``outlet, reference, term, z, q``).
    alpha : float, default 0.05
        False-discovery rate of the Benjamini–Hochberg q-values.
    n_terms : int, default 3
        Over-used terms named per outlet.

    Returns
    -------
    str
        E.g. ``At q < 0.05, 4 terms set outlets apart: AP uses "militants", "gaza" more than
        the other outlets; VOI uses "PM" more (and 1 term less).`` or, when nothing passes,
        ``No term sets any outlet apart at q < 0.05 (smallest q = 0.92: "abc" in ABC News
        against the other outlets), so the words shown are not evidence of different word
        choice.``
    """
    _check_table(table, "keyness_summary")
    alpha = _check_alpha(alpha, "keyness_summary")
    if isinstance(n_terms, bool) or not isinstance(n_terms, (int, np.integer)) or n_terms < 1:
        raise ParameterError(f"keyness_summary: `n_terms` must be an integer >= 1, got {n_terms!r}.")
    if table.empty:
        return "No terms were compared, so no term sets any outlet apart."

    def against(ref: str) -> str:
        return "the other outlets" if ref in (REST, "") else ref

    sig = significant_terms(table, alpha=alpha)
    if sig.empty:
        q = table["q"].astype(float)
        row = table.loc[q.idxmin()]
        ref = against(str(row["reference"])) if "reference" in table.columns else "the other outlets"
        return (
            f"No term sets any outlet apart at q < {alpha:g} (smallest q = {float(row['q']):.2f}: "
            f"\"{row['term']}\" in {row['outlet']} against {ref}), so the words shown are not "
            "evidence of different word choice."
        )
    parts = []
    for outlet, grp in sig.groupby("outlet", sort=True):
        more = grp[grp["z"] > 0]["term"].head(n_terms).tolist()
        less = int((grp["z"] < 0).sum())
        ref = against(str(grp["reference"].iloc[0])) if "reference" in grp.columns else "the other outlets"
        if more:
            words = ", ".join(f"\"{t}\"" for t in more)
            extra = f" (and {less} term{'s' if less != 1 else ''} less)" if less else ""
            parts.append(f"{outlet} uses {words} more than {ref}{extra}")
        else:
            parts.append(f"{outlet} uses {less} term{'s' if less != 1 else ''} less than {ref}")
    n = len(sig)
    return f"At q < {alpha:g}, {n} term{'s' if n != 1 else ''} set{'s' if n == 1 else ''} outlets apart: " + "; ".join(parts) + "."


def _check_table(table: pd.DataFrame, func: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"{func}: expected the keyness table (a DataFrame), got {type(table).__name__}.")
    missing = [c for c in ("outlet", "term", "z", "q") if c not in table.columns]
    if missing:
        raise ParameterError(f"{func}: the table lacks column(s) {missing}; pass the output of analysis.keyness.keyness.")


def _check_alpha(alpha: float, func: str) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise ParameterError(f"{func}: `alpha` must be a number between 0 and 1 (e.g. 0.05), got {alpha!r}.")
    return float(alpha)


def keyness(
    docs_or_counts: pd.DataFrame,
    *,
    target: str | None = None,
    reference: str | None = None,
    prior: str = "pooled",
    a0: float | None = None,
    min_count: int = 2,
    n_boot: int = 200,
    seed: int = 0,
    ngram_range: tuple[int, int] = (1, 1),
    stop_words: Iterable[str] | None = _text.STOP_WORDS,
    merge_variants: bool = True,
    drop_honorifics: bool = True,
    drop_outlet_names: bool = True,
    drop_numbers: bool = True,
    exclude_terms: Iterable[str] = (),
) -> pd.DataFrame:
    """Distinctive terms of outlets: weighted log-odds with an informative Dirichlet prior.

    Method: Monroe, Colaresi & Quinn (2008), see the module docstring. Comparisons:

    * ``target=None``: every outlet against the rest (all other outlets' articles pooled);
      ``reference`` must then be None or ``"rest"``.
    * ``target="X"``: X against the rest, or against one named outlet ``reference="Y"``.

    Both directions are reported in one table: positive ``z`` = over-used by the target,
    negative = under-used (over-used by the reference). Swapping target and reference flips
    the sign of ``log_odds`` and ``z`` exactly (the prior comes from the whole input).

    Parameters
    ----------
    docs_or_counts : pandas.DataFrame
        The docs table (``doc_id, outlet, text``; counted with :func:`analysis.lexical.term_counts`
        using ``ngram_range`` and ``stop_words``) or a term-count table
        (``doc_id, outlet, term, n``).
    target : str, optional
        Outlet to describe; None compares every outlet with the rest.
    reference : str, optional
        ``None``/``"rest"`` (all other outlets) or one named outlet.
    prior : {"pooled", "uniform"}, default "pooled"
        ``"pooled"``: α_w = a0 · (share of w in all input tokens), the informative prior of
        Monroe et al. built from the pooled corpus. ``"uniform"``: α_w = a0 / V for each of the
        V terms (uninformative).
    a0 : float, optional
        Prior strength α_0 = Σ α_w in pseudo-tokens. Default: for ``"pooled"``, the number of
        tokens in the input (so α_w is the pooled count of w, as in tidylo's default empirical
        Bayes prior); for ``"uniform"``, 0.01 · V (0.01 per term, as in Monroe et al.'s
        uninformative example). The value used is stored in ``DataFrame.attrs["a0"]``.
    min_count : int, default 2
        Keep a term in a comparison only if target + reference use it at least this often.
    n_boot : int, default 200
        Article-level bootstrap resamples for ``stability`` (0 disables it).
    seed : int, default 0
        Seed of the bootstrap.
    ngram_range : (int, int), default (1, 1)
        Passed to :func:`analysis.lexical.term_counts` when docs are given.
    stop_words : iterable of str or None, default :data:`analysis.text.STOP_WORDS`
        Passed to :func:`analysis.lexical.term_counts` when docs are given.
    merge_variants, drop_honorifics, drop_outlet_names, drop_numbers : bool, default True
        Count spellings of one word as one term ("cease-fire"/"ceasefire", "netanyahu's"/
        "netanyahu", "Sen."/"senator"), leave out honorifics, the outlets' own names and bare
        numbers; see :func:`merge_term_variants`.
    exclude_terms : iterable of str
        More terms or words to leave out (lower case compared).

    Returns
    -------
    pandas.DataFrame
        Keyness table, one row per (comparison, term), sorted by outlet then ``z`` descending;
        the columns never change with the options:

        - ``outlet``: the target outlet.
        - ``reference``: ``"rest"`` or the reference outlet's name.
        - ``term``: word or n-gram.
        - ``n_target``, ``n_reference``: raw counts of the term on each side (int).
        - ``log_odds``: δ_w, natural-log odds ratio with the prior; > 0 = over-used by target.
        - ``z``: δ_w / sd(δ_w); > 0 = over-used by target, < 0 = under-used.
        - ``p``: two-sided normal p-value of ``z``.
        - ``q``: Benjamini–Hochberg q-value over the terms of this comparison (lower = stronger).
        - ``stability``: share (0-1) of article-level bootstrap resamples, drawn within each
          outlet, in which the term keeps the sign of ``z`` with |z| > 1.96. NaN when the
          target or the reference has a single article (nothing to resample) or ``n_boot=0``.
        - ``variants``: the input spellings counted as this term, joined by ``|``
          ("cease-fire|ceasefire"); empty when the term was counted in one spelling only.

        ``attrs["excluded"]`` lists the input terms left out (honorifics, outlet names, numbers).

    Raises
    ------
    NotEnoughData
        Fewer than two outlets, or no term reaches ``min_count``.
    ParameterError
        Unknown ``target``/``reference`` (the message lists the outlets), bad ``prior``.

    References
    ----------
    Monroe, B. L., Colaresi, M. P., & Quinn, K. M. (2008). Fightin' words: Lexical feature
    selection and evaluation for identifying the content of political conflict. Political
    Analysis, 16(4), 372-403.
    Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate. JRSS B, 57(1).
    """
    from scipy import sparse
    from scipy.special import ndtr  # standard normal CDF (scipy.stats costs ~0.5 s to import)

    if prior not in ("pooled", "uniform"):
        raise ParameterError(f"keyness: `prior` must be 'pooled' or 'uniform', got {prior!r}.")
    if a0 is not None and not (isinstance(a0, (int, float)) and a0 > 0 and math.isfinite(a0)):
        raise ParameterError(f"keyness: `a0` must be a positive number or None, got {a0!r}.")
    if not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise ParameterError(f"keyness: `min_count` must be an integer >= 1, got {min_count!r}.")
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ParameterError(f"keyness: `n_boot` must be an integer >= 0, got {n_boot!r}.")

    if isinstance(docs_or_counts, pd.DataFrame):
        n_docs_in = docs_or_counts["doc_id"].nunique() if "doc_id" in docs_or_counts else 0
        n_outlets_in = (
            docs_or_counts["outlet"].nunique() if "outlet" in docs_or_counts else 0
        )
        if "outlet" in docs_or_counts and n_outlets_in < 2:
            raise NotEnoughData(
                f"keyness: needs at least two outlets to compare; the input has {n_docs_in} "
                f"document(s) from {n_outlets_in} outlet(s). Add articles from another outlet."
            )
    counts = _counts_from_input(docs_or_counts, ngram_range=ngram_range, stop_words=stop_words)
    counts = merge_term_variants(
        counts,
        merge_variants=merge_variants,
        drop_honorifics=drop_honorifics,
        drop_outlet_names=drop_outlet_names,
        drop_numbers=drop_numbers,
        exclude_terms=[] if exclude_terms is None else exclude_terms,
    )
    variants = {k: "|".join(v) for k, v in counts.attrs.get("variants", {}).items()}
    excluded = counts.attrs.get("excluded", [])
    if counts.empty:
        raise NotEnoughData(
            "keyness: no term is left after stop words, honorifics and outlet names were removed; "
            "pass stop_words=None, drop_outlet_names=False or add documents."
        )

    outlets = sorted(counts["outlet"].astype(str).unique())
    # Outlets whose documents have no term at all still count for validation.
    if isinstance(docs_or_counts, pd.DataFrame) and "outlet" in docs_or_counts:
        outlets = sorted(set(outlets) | set(docs_or_counts["outlet"].astype(str).unique()))
    if len(outlets) < 2:
        raise NotEnoughData(
            f"keyness: needs at least two outlets; the input has only {outlets}. "
            "Add articles from another outlet."
        )
    if target is not None and str(target) not in outlets:
        raise ParameterError(
            f"keyness: unknown target outlet {target!r}; outlets in the input: {outlets}."
        )
    if reference is not None and reference != REST and str(reference) not in outlets:
        raise ParameterError(
            f"keyness: unknown reference outlet {reference!r}; use 'rest' or one of {outlets}."
        )
    if target is None and reference not in (None, REST):
        raise ParameterError(
            "keyness: a named `reference` needs a `target` outlet too, e.g. "
            f"keyness(docs, target={outlets[0]!r}, reference={reference!r})."
        )
    if target is not None and reference is not None and str(reference) == str(target):
        raise ParameterError(
            f"keyness: `target` and `reference` are both {target!r}; pick two different outlets."
        )

    # ---- document × term matrix (sparse); factorize is hash-based (fast on millions of rows)
    term_idx, terms = pd.factorize(counts["term"].astype(str), sort=False)
    terms = np.asarray(terms, dtype=object)
    doc_idx, doc_ids = pd.factorize(counts["doc_id"].astype(str), sort=False)
    mat = sparse.csr_matrix(
        (counts["n"].to_numpy(dtype=float), (doc_idx, term_idx)),
        shape=(len(doc_ids), len(terms)),
    )
    outlet_pos = {o: k for k, o in enumerate(outlets)}
    row_group = counts["outlet"].astype(str).map(outlet_pos).to_numpy(dtype=np.int64)
    doc_group = np.zeros(len(doc_ids), dtype=np.int64)
    doc_group[doc_idx] = row_group
    if (doc_group[doc_idx] != row_group).any():
        bad = sorted(set(np.asarray(doc_ids)[doc_idx[doc_group[doc_idx] != row_group]]))[:5]
        raise CorpusError(f"keyness: documents {bad} are listed under several outlets.")
    # outlet × doc indicator, outlet × term counts
    indicator = sparse.csr_matrix(
        (np.ones(len(doc_ids)), (doc_group, np.arange(len(doc_ids)))),
        shape=(len(outlets), len(doc_ids)),
    )
    outlet_counts = np.asarray((indicator @ mat).todense())
    pooled = outlet_counts.sum(axis=0)
    n_tokens = float(pooled.sum())
    n_terms = len(terms)

    if prior == "pooled":
        a0_used = float(a0) if a0 is not None else n_tokens
        alpha = a0_used * pooled / n_tokens
    else:
        a0_used = float(a0) if a0 is not None else 0.01 * n_terms
        alpha = np.full(n_terms, a0_used / n_terms)

    if target is None:
        pairs = [(o, REST) for o in outlets]
    else:
        pairs = [(str(target), REST if reference in (None, REST) else str(reference))]

    n_docs_outlet = np.bincount(doc_group, minlength=len(outlets))

    def side_counts(oc: np.ndarray, who: str, tgt: str) -> np.ndarray:
        if who == REST:
            return oc.sum(axis=0) - oc[outlet_pos[tgt]]
        return oc[outlet_pos[who]]

    # ---- point estimates
    frames = []
    keep_masks = []
    for tgt, ref in pairs:
        y_i = outlet_counts[outlet_pos[tgt]]
        y_j = side_counts(outlet_counts, ref, tgt)
        delta, z = log_odds_dirichlet(y_i, y_j, alpha)
        keep = (y_i + y_j) >= min_count
        keep_masks.append(keep)
        pvals = 2.0 * ndtr(-np.abs(z[keep]))  # two-sided normal p-value
        frames.append(
            pd.DataFrame(
                {
                    "outlet": tgt,
                    "reference": ref,
                    "term": terms[keep],
                    "n_target": y_i[keep].astype("int64"),
                    "n_reference": y_j[keep].astype("int64"),
                    "log_odds": delta[keep],
                    "z": z[keep],
                    "p": pvals,
                    "q": _stats.bh_qvalues(pvals),
                    "stability": np.nan,
                    "variants": [variants.get(t, "") for t in terms[keep]],
                }
            )
        )
    if not any(m.any() for m in keep_masks):
        raise NotEnoughData(
            f"keyness: no term is used at least min_count={min_count} times in any comparison; "
            "lower `min_count`, pass stop_words=None or add documents."
        )

    # ---- article-level bootstrap (stratified by outlet)
    boot_ok = [
        n_boot > 0
        and n_docs_outlet[outlet_pos[tgt]] >= 2
        and (
            (n_docs_outlet.sum() - n_docs_outlet[outlet_pos[tgt]]) >= 2
            if ref == REST
            else n_docs_outlet[outlet_pos[ref]] >= 2
        )
        for tgt, ref in pairs
    ]
    if any(boot_ok):
        gen = _stats.rng(seed)
        members = [np.flatnonzero(doc_group == g) for g in range(len(outlets))]
        hits = [np.zeros(int(m.sum())) for m in keep_masks]
        for _ in range(n_boot):
            picked = np.concatenate(
                [mem[gen.integers(0, len(mem), size=len(mem))] for mem in members]
            )
            weights = np.bincount(picked, minlength=len(doc_ids)).astype(float)
            w_ind = sparse.csr_matrix(
                (weights, (doc_group, np.arange(len(doc_ids)))),
                shape=(len(outlets), len(doc_ids)),
            )
            oc_b = np.asarray((w_ind @ mat).todense())
            for k, (tgt, ref) in enumerate(pairs):
                if not boot_ok[k]:
                    continue
                keep = keep_masks[k]
                _, zb = log_odds_dirichlet(
                    oc_b[outlet_pos[tgt]], side_counts(oc_b, ref, tgt), alpha
                )
                zb = zb[keep]
                z0 = frames[k]["z"].to_numpy()
                hits[k] += (np.sign(zb) == np.sign(z0)) & (np.abs(zb) > _Z_CRIT)
        for k in range(len(pairs)):
            if boot_ok[k]:
                frames[k]["stability"] = hits[k] / n_boot
    not_boot = [f"{t} vs {r}" for (t, r), ok in zip(pairs, boot_ok, strict=True) if not ok]
    if not_boot and n_boot > 0:
        log.info(
            "keyness: stability is NaN for %s (a side has a single article; nothing to "
            "resample).",
            ", ".join(not_boot),
        )

    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["outlet", "z", "term"], ascending=[True, False, True], kind="mergesort")
    out = out.reset_index(drop=True)[KEYNESS_COLUMNS]
    out.attrs.update(
        {
            "method": "weighted log-odds, informative Dirichlet prior (Monroe et al. 2008)",
            "prior": prior,
            "a0": a0_used,
            "min_count": int(min_count),
            "n_boot": int(n_boot),
            "seed": int(seed),
            "n_tokens": n_tokens,
            "excluded": list(excluded),
        }
    )
    return out
