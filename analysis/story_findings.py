"""Key findings of a story report, in words, each with its evidence.

:func:`story_findings` reads the story report's tables - readability by outlet with bootstrap
intervals and the pairwise differences (:mod:`analysis.compare`), actor labels
(:func:`analysis.framing.actor_labels`), numeric claims (:func:`analysis.framing.claims`),
shared passages (:func:`analysis.reuse.shared_passages`), same fact in different words
(:func:`analysis.word_choice.word_choice`) and keyness (:func:`analysis.keyness.keyness`) - and
states what they show: the hardest and the easiest outlet to read and whether the difference
exceeds the noise, the labels each outlet gives the actors it labels most differently, who
gives a death toll and in which voice, which two articles share wire copy, a fact the outlets
word differently, and whether any word sets an outlet apart. Where nothing is significant it
says so. Every table it needs and is not given is computed from ``docs``.

:func:`findings_html` and :func:`findings_markdown` render the findings; :func:`section_anchors`
and :func:`table_of_contents` read a report notebook's headings so each finding links to its
section.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd

from analysis import lexical as _lexical
from analysis import text as _text
from analysis.errors import KitError, ParameterError
from analysis.word_choice import HTMLBlock

__all__ = [
    "FINDING_COLUMNS",
    "findings_html",
    "findings_markdown",
    "findings_placeholder",
    "heading_anchor",
    "section_anchors",
    "story_findings",
    "table_of_contents",
]

log = logging.getLogger(__name__)

FINDING_COLUMNS = ["finding", "evidence", "section"]

#: Readability metrics where a higher value means easier text (all others: harder).
HIGHER_IS_EASIER = frozenset({"flesch_reading_ease"})
_METRIC_NAMES = {
    "flesch_kincaid_grade": ("Flesch-Kincaid grade", "grades"),
    "flesch_reading_ease": ("Flesch Reading Ease", "points"),
    "gunning_fog": ("Gunning Fog index", "grades"),
    "smog": ("SMOG grade", "grades"),
    "coleman_liau": ("Coleman-Liau index", "grades"),
    "coleman_liau_textstat": ("Coleman-Liau index (textstat's 0.058)", "grades"),
    "ari": ("Automated Readability Index", "grades"),
    "dale_chall_1948": ("Dale-Chall score (1948)", "points"),
    "lix": ("LIX", "points"),
    "words_per_sentence": ("words per sentence", "words"),
    "syllables_per_word": ("syllables per word", "syllables"),
}
_VOICE_WORDS = {
    "active": "active voice, the agent as subject",
    "passive_agent": "passive voice naming the agent",
    "passive_no_agent": "passive voice without an agent",
    "intransitive": "no agent (the counted are the subject)",
    "none": "no verb",
}
_FIGURE_CATEGORIES = {"casualties": "casualty figure", "hostages": "hostage figure",
                      "money": "sum of money", "percent": "percentage"}


# --------------------------------------------------------------------------- helpers


def _join(items: Sequence[str], word: str = "and") -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _fmt(x: float, digits: int = 1) -> str:
    """``x`` with ``digits`` decimals; more (up to 3) when that would round a non-zero value to
    zero, so an interval bound never reads "-0.0"."""
    if x is None or not np.isfinite(x):
        return "n/a"
    out = f"{x:.{digits}f}"
    while x != 0 and float(out) == 0 and digits < 3:
        digits += 1
        out = f"{x:.{digits}f}"
    return out


def _interval(lo: float, hi: float, ci: float) -> str:
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return "no interval"
    return f"{round(ci * 100):d} % CI {_fmt(lo)} to {_fmt(hi)}"


def _row(finding: str, evidence: str, section: str) -> dict[str, str]:
    return {"finding": finding, "evidence": evidence, "section": section}


def _needs(table: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"story_findings: `{name}` must be a DataFrame, got {type(table).__name__}.")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ParameterError(
            f"story_findings: `{name}` lacks column(s) {missing}; pass the table the kit's "
            f"function returns (see the docstring)."
        )


# --------------------------------------------------------------------------- readability


def _readability_findings(
    docs: pd.DataFrame | None,
    outlet_table: pd.DataFrame | None,
    pairwise: pd.DataFrame | None,
    metric: str,
    ci: float,
    seed: int,
    n_boot: int,
) -> list[dict[str, str]]:
    if outlet_table is None or pairwise is None:
        from analysis.compare import compare_outlets, pairwise_differences
        from analysis.readability import readability, readability_sentences

        features = readability(docs)
        sentences = readability_sentences(docs)
        if outlet_table is None:
            outlet_table = compare_outlets(features, metric, sentences=sentences, seed=seed,
                                           n_boot=n_boot, ci=ci)
        if pairwise is None:
            pairwise = pairwise_differences(features, metric, sentences=sentences, seed=seed,
                                            n_boot=n_boot, ci=ci)
    _needs(outlet_table, ["outlet", "metric", "estimate", "ci_low", "ci_high"], "readability_ci")
    _needs(pairwise, ["outlet_a", "outlet_b", "metric", "difference", "ci_low", "ci_high"], "pairwise")
    name, unit = _METRIC_NAMES.get(metric, (metric.replace("_", " "), "points"))
    est = outlet_table[(outlet_table["metric"] == metric) & np.isfinite(outlet_table["estimate"])]
    if len(est) < 2:
        return [_row(f"Readability ({name}) could not be compared: fewer than two outlets have a value.",
                     "", "readability")]
    easier_high = metric in HIGHER_IS_EASIER
    est = est.sort_values(["estimate", "outlet"], ascending=[easier_high, True], kind="mergesort")
    hardest, easiest = est.iloc[0], est.iloc[-1]
    direction = "higher = easier" if easier_high else "higher = harder to read"
    evidence = f"{name} ({direction}), estimate and interval by outlet: " + "; ".join(
        f"{r.outlet} {_fmt(r.estimate)} ({_interval(r.ci_low, r.ci_high, ci)})" for r in est.itertuples()
    )
    if "ci_unit" in est.columns:
        units = sorted(set(est["ci_unit"].astype(str)) - {"none"})
        if units:
            evidence += f". Intervals resample {_join([u + 's' for u in units], 'or')}."
    pw = pairwise[pairwise["metric"] == metric]
    ho, eo = str(hardest["outlet"]), str(easiest["outlet"])
    hit = pw[(pw["outlet_a"].astype(str) == ho) & (pw["outlet_b"].astype(str) == eo)]
    sign = 1.0
    if hit.empty:
        hit = pw[(pw["outlet_a"].astype(str) == eo) & (pw["outlet_b"].astype(str) == ho)]
        sign = -1.0
    finding = (f"{ho} is the hardest to read and {eo} the easiest: {name} {_fmt(hardest['estimate'])} "
               f"({_interval(hardest['ci_low'], hardest['ci_high'], ci)}) against "
               f"{_fmt(easiest['estimate'])} ({_interval(easiest['ci_low'], easiest['ci_high'], ci)}).")
    if not hit.empty:
        d = sign * float(hit["difference"].iloc[0])
        lo, hi = sorted((sign * float(hit["ci_low"].iloc[0]), sign * float(hit["ci_high"].iloc[0])))
        shown = abs(d)
        lo_s, hi_s = (lo, hi) if not easier_high else (-hi, -lo)
        if np.isfinite(lo) and np.isfinite(hi) and (lo > 0 or hi < 0):
            finding += (f" The difference, {_fmt(shown)} {unit} ({_interval(lo_s, hi_s, ci)}), is larger "
                        "than the sampling noise.")
        elif np.isfinite(lo) and np.isfinite(hi):
            finding += (f" The difference, {_fmt(shown)} {unit} ({_interval(lo_s, hi_s, ci)}), is not "
                        "significant: its interval includes zero.")
    valid = pw[np.isfinite(pw["ci_low"]) & np.isfinite(pw["ci_high"])]
    sig = valid[(valid["ci_low"] > 0) | (valid["ci_high"] < 0)]
    if len(valid):
        if sig.empty:
            finding += f" No pair of outlets differs significantly (0 of {len(valid)} pairs)."
        else:
            described = []
            for r in sig.itertuples():
                # positive difference: outlet_a has the higher value
                high, low = (r.outlet_a, r.outlet_b) if r.difference > 0 else (r.outlet_b, r.outlet_a)
                lo, hi = sorted((abs(r.ci_low), abs(r.ci_high)))
                harder, easier = (low, high) if easier_high else (high, low)
                described.append(f"{harder} is harder to read than {easier} by {_fmt(abs(r.difference))} "
                                 f"{unit} ({_interval(lo, hi, ci)})")
            verb = "differs" if len(sig) == 1 else "differ"
            finding += (f" {len(sig)} of {len(valid)} outlet pairs {verb} significantly: "
                        + "; ".join(described) + ".")
    return [_row(finding, evidence, "readability")]


# --------------------------------------------------------------------------- labels


def _label_text(r: Any) -> str:
    label = str(r.label)
    if r.label_kind == "head_noun" and str(r.mention).strip():
        label = f"{r.mention} {label}"
    return label


def _label_findings(
    docs: pd.DataFrame | None, labels: pd.DataFrame | None, actors: Any, n_actors: int
) -> list[dict[str, str]]:
    if labels is None:
        from analysis.framing import actor_labels

        labels = actor_labels(docs, actors=actors)
    _needs(labels, ["outlet", "actor", "label", "label_kind", "mention", "in_quote", "sentence"], "labels")
    if labels.empty:
        return [_row("No outlet names or describes any actor of this story with a label.", "", "actor_labels")]
    has_eval = "evaluative" in labels.columns
    has_att = "attributed_to" in labels.columns
    # plain records: a story has few labels, and per-group pandas calls cost more than the work
    recs = []
    for r in labels.itertuples(index=False):
        shown = _label_text(r)
        att = getattr(r, "attributed_to") if has_att else None
        recs.append({
            "actor": r.actor, "outlet": str(r.outlet), "shown": shown, "key": shown.lower(),
            "in_quote": bool(r.in_quote), "evaluative": bool(getattr(r, "evaluative")) if has_eval else False,
            "attributed_to": att.strip() if isinstance(att, str) and att.strip() else "",
            "sentence": " ".join(str(r.sentence).split()),
        })
    by_actor: dict[Any, list[dict[str, Any]]] = {}
    for rec in recs:
        by_actor.setdefault(rec["actor"], []).append(rec)

    def rank(actor: Any) -> tuple[int, int, int, int, str]:
        rs = by_actor[actor]
        n_eval = len({x["key"] for x in rs if x["evaluative"]})
        return (-n_eval, -len({x["outlet"] for x in rs}), -len({x["key"] for x in rs}), -len(rs), str(actor))

    ranked = sorted(by_actor, key=rank)
    # actors with evaluative labels first; without any, the one labelled most diversely only
    chosen = [a for a in ranked if rank(a)[0] < 0] or ranked[:1]
    all_outlets = sorted(set(docs["outlet"].astype(str)) if docs is not None else {x["outlet"] for x in recs})
    rows = []
    for actor in chosen[:n_actors]:
        sub = by_actor[actor]
        parts = []
        for outlet in all_outlets:
            groups: dict[str, list[dict[str, Any]]] = {}
            for x in sub:
                if x["outlet"] == outlet:
                    groups.setdefault(x["key"], []).append(x)
            if not groups:
                parts.append(f"{outlet} no label")
                continue
            items = []
            for g in groups.values():
                text = f"“{g[0]['shown']}”"
                if len(g) > 1:
                    text += f" ×{len(g)}"
                notes = []
                if all(x["in_quote"] for x in g):
                    notes.append("in a quote")
                if g[0]["attributed_to"]:
                    notes.append(f"designation by {g[0]['attributed_to']}")
                if notes:
                    text += f" ({'; '.join(notes)})"
                items.append(text)
            parts.append(f"{outlet} {', '.join(items)}")
        finding = f"What the outlets call {actor}: " + "; ".join(parts) + "."
        firsts: dict[str, dict[str, Any]] = {}  # the first row of each label, in text order
        for x in sub:
            firsts.setdefault(x["key"], x)
        ev = [x for x in firsts.values() if x["evaluative"]] or list(firsts.values())[:2]
        evidence = " ".join(f"{x['outlet']}: “{x['sentence']}”" for x in ev[:4])
        n_eval = -rank(actor)[0]
        if n_eval:
            evidence = f"{n_eval} evaluative label(s). " + evidence
        rows.append(_row(finding, evidence, "actor_labels"))
    return rows


# --------------------------------------------------------------------------- claims


def _claim_phrase(r: Any) -> str:
    number = " ".join(x for x in (str(r.qualifier or "").strip(), str(r.number_text)) if x)
    counted = str(r.counted or "").strip()
    verb = str(r.verb or "").strip()
    what = " ".join(x for x in (number, counted, verb) if x)
    voice = _VOICE_WORDS.get(str(r.voice), str(r.voice))
    agent = str(r.agent or "").strip()
    if agent and r.voice in ("active", "passive_agent"):
        voice += f" ({agent})"
    attribution = str(r.attribution or "").strip()
    out = f"“{what}”, {voice}"
    if attribution:
        out += f", {attribution if attribution.lower().startswith('according') else 'attributed: ' + attribution}"
    return out


def _claim_findings(docs: pd.DataFrame | None, claim_table: pd.DataFrame | None) -> list[dict[str, str]]:
    if claim_table is None:
        from analysis.framing import claims

        claim_table = claims(docs)
    _needs(claim_table, ["outlet", "number", "number_text", "qualifier", "counted", "category", "verb",
                         "voice", "agent", "attribution", "sentence"], "claims")
    outlets = sorted(set(docs["outlet"].astype(str)) if docs is not None else set(claim_table["outlet"].astype(str)))
    rows = []
    for category, label in _FIGURE_CATEGORIES.items():
        sub = claim_table[claim_table["category"] == category]
        if category != "casualties" and sub.empty:
            continue
        giving = sorted(set(sub["outlet"].astype(str)))
        silent = [o for o in outlets if o not in giving]
        noun = "a death toll or other casualty figure" if category == "casualties" else f"a {label}"
        if not giving:
            rows.append(_row(f"No outlet gives {noun}.", "", "claims"))
            continue
        if not silent:
            head = f"Every outlet gives {noun}."
        else:
            head = f"Only {_join(giving)} {'gives' if len(giving) == 1 else 'give'} {noun}; {_join(silent, 'and')} {'gives' if len(silent) == 1 else 'give'} none."
        per = []
        evidence = []
        for outlet in giving:
            o = sub[sub["outlet"].astype(str) == outlet].sort_values("number", ascending=False, kind="mergesort")
            per.append(f"{outlet}: " + "; ".join(_claim_phrase(r) for r in o.itertuples()))
            for s in dict.fromkeys(o["sentence"].astype(str)):
                evidence.append(f"{outlet}: “{' '.join(s.split())}”")
        rows.append(_row(head + " " + ". ".join(per) + ".", " ".join(evidence), "claims"))
    return rows


# --------------------------------------------------------------------------- reuse


def _reuse_findings(
    docs: pd.DataFrame | None, passages: pd.DataFrame | None, min_share: float
) -> list[dict[str, str]]:
    if passages is None:
        from analysis.reuse import shared_passages

        passages = shared_passages(docs)
    _needs(passages, ["doc_a", "doc_b", "outlet_a", "outlet_b", "kind", "text_a", "n_words"], "passages")
    exact = passages[passages["kind"] == "exact"]
    lengths: dict[Any, int] = {}
    wires: dict[Any, str] = {}
    texts: dict[Any, str] = {}
    if docs is not None:
        for d, t in zip(docs["doc_id"], docs["text"], strict=True):
            texts[d] = _lexical._text_of(t)
            lengths[d] = len(_text.words(texts[d]))
        if "wire_source" in docs.columns:
            for d, w in zip(docs["doc_id"], docs["wire_source"], strict=True):
                if isinstance(w, str) and w.strip():
                    wires[d] = w.strip()
    quoted_note = ""
    if len(exact) and texts and {"start_a", "end_a", "start_b", "end_b"} <= set(exact.columns):
        quoted = _quoted_passages(exact, texts)
        if quoted.any():
            q = exact[quoted]
            quoted_note = (f" Not counted as copy: {len(q)} identical passage(s), {int(q['n_words'].sum())} words, "
                           "inside quotation marks in both articles (the same quotation).")
            exact = exact[~quoted]
    if exact.empty:
        n_para = int((passages["kind"] != "exact").sum())
        return [_row("No two articles share a passage word for word outside quotations: no sign of shared "
                     "wire copy.", f"{n_para} paraphrased sentence pair(s).{quoted_note}", "shared_passages")]
    pairs = (
        exact.groupby(["doc_a", "doc_b"], sort=False)
        .agg(outlet_a=("outlet_a", "first"), outlet_b=("outlet_b", "first"),
             n_passages=("n_words", "size"), n_words=("n_words", "sum"))
        .reset_index()
    )
    def share(r: Any) -> float:
        la, lb = lengths.get(r.doc_a), lengths.get(r.doc_b)
        if not la or not lb:
            return float("nan")
        return r.n_words / min(la, lb)

    pairs["share"] = [share(r) for r in pairs.itertuples()]
    pairs = pairs.sort_values(["n_words", "n_passages"], ascending=False, kind="mergesort")
    top = pairs.iloc[0]
    share_txt = (f" ({top['share'] * 100:.0f} % of the shorter article)" if np.isfinite(top["share"]) else "")
    wa, wb = wires.get(top["doc_a"]), wires.get(top["doc_b"])
    credit = ""
    if wa and wb and wa.lower() == wb.lower():
        credit = f"; both are based on {wa} copy"
    elif wa or wb:
        credit = "; wire source: " + ", ".join(f"{o} {w}" for o, w in ((top["outlet_a"], wa), (top["outlet_b"], wb)) if w)
    who = f"{top['outlet_a']} ({top['doc_a']}) and {top['outlet_b']} ({top['doc_b']})"
    counts = f"{int(top['n_passages'])} identical passage(s), {int(top['n_words'])} words{share_txt}{credit}"
    shares_copy = not np.isfinite(top["share"]) or top["share"] >= min_share
    if shares_copy:
        finding = f"{who} share wire copy: {counts}."
    else:
        counts = f"{int(top['n_passages'])} identical passage(s), {int(top['n_words'])} words{credit}"
        finding = (f"No two articles share much wire copy: the largest word-for-word overlap, {who}, is "
                   f"{counts}, {top['share'] * 100:.0f} % of the shorter article (shared copy starts at "
                   f"{min_share * 100:.0f} %).")
    others = pairs.iloc[1:]
    others = others[others["share"] >= min_share] if shares_copy else others.iloc[0:0]
    if len(others):
        finding += " Also: " + "; ".join(
            f"{r.outlet_a} and {r.outlet_b} {int(r.n_words)} words in {int(r.n_passages)} passage(s)"
            for r in others.head(3).itertuples()
        ) + "."
    longest = exact[(exact["doc_a"] == top["doc_a"]) & (exact["doc_b"] == top["doc_b"])]
    longest = longest.sort_values("n_words", ascending=False, kind="mergesort").iloc[0]
    evidence = f"Longest shared passage ({int(longest['n_words'])} words): “{' '.join(str(longest['text_a']).split())}”"
    return [_row(finding, evidence + quoted_note, "shared_passages")]


def _quoted_share(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> float:
    if end <= start:
        return 0.0
    inside = sum(max(0, min(end, b) - max(start, a)) for a, b in spans)
    return inside / (end - start)


def _quoted_passages(exact: pd.DataFrame, texts: dict[Any, str]) -> np.ndarray:
    """True for passages at least half inside quotation marks in both articles."""
    from analysis.framing._patterns import quote_spans

    spans = {d: quote_spans(t) for d, t in texts.items()}
    out = []
    for r in exact.itertuples(index=False):
        if r.doc_a not in texts or r.doc_b not in texts:
            out.append(False)
            continue
        qa = _quoted_share(texts[r.doc_a], int(r.start_a), int(r.end_a), spans[r.doc_a])
        qb = _quoted_share(texts[r.doc_b], int(r.start_b), int(r.end_b), spans[r.doc_b])
        out.append(qa >= 0.5 and qb >= 0.5)
    return np.array(out, dtype=bool)


# --------------------------------------------------------------------------- word choice


def _word_choice_findings(docs: pd.DataFrame | None, table: pd.DataFrame | None) -> list[dict[str, str]]:
    if table is None:
        from analysis.word_choice import word_choice

        table = word_choice(docs)
    _needs(table, ["unit_id", "outlet_a", "outlet_b", "sentence_a", "sentence_b", "only_a", "only_b"],
           "word_choice_table")
    differ = table[(table["only_a"].astype(str) != "") | (table["only_b"].astype(str) != "")]
    if differ.empty:
        return [_row("Where several outlets report the same fact, they use the same words.",
                     f"{table['unit_id'].nunique()} fact(s) reported by several outlets.", "word_choice")]
    digit = re.compile(r"\d")
    figures = differ[differ["only_a"].astype(str).str.contains(digit) & differ["only_b"].astype(str).str.contains(digit)]
    pick = figures.iloc[0] if len(figures) else differ.iloc[0]
    finding = (f"{differ['unit_id'].nunique()} of {table['unit_id'].nunique()} facts reported by several outlets "
               f"are worded differently. For example, {pick['outlet_a']} writes “{' '.join(str(pick['sentence_a']).split())}” "
               f"where {pick['outlet_b']} writes “{' '.join(str(pick['sentence_b']).split())}”")
    if not finding.endswith((".”", "!”", "?”")):
        finding += "."
    only_a = str(pick["only_a"]).replace(" | ", "; ") or "none"
    only_b = str(pick["only_b"]).replace(" | ", "; ") or "none"
    evidence = f"Words only {pick['outlet_a']} uses: {only_a}. Words only {pick['outlet_b']} uses: {only_b}."
    if len(figures):
        evidence += f" {figures['unit_id'].nunique()} fact(s) are given with different figures."
    return [_row(finding, evidence, "word_choice")]


# --------------------------------------------------------------------------- keyness


def _keyness_findings(docs: pd.DataFrame | None, table: pd.DataFrame | None, seed: int,
                      alpha: float) -> list[dict[str, str]]:
    if table is None:
        from analysis.keyness import keyness

        table = keyness(docs, seed=seed)
    _needs(table, ["outlet", "term", "z", "q"], "keyness_table")
    q = pd.to_numeric(table["q"], errors="coerce")
    if q.notna().sum() == 0:
        return [_row("No word could be tested for keyness.", "", "keyness")]
    sig = table[(q < alpha) & (table["z"] > 0)]
    if sig.empty:
        return [_row(f"No word sets any outlet apart significantly (Benjamini-Hochberg q < {alpha:g}): "
                     "the distinctive-word chart shows noise, not a difference.",
                     f"Smallest q = {q.min():.2f} over {int(q.notna().sum())} outlet-term tests.", "keyness")]
    parts = []
    for outlet, g in sig.sort_values("z", ascending=False).groupby("outlet", sort=True):
        parts.append(f"{outlet}: " + ", ".join(f"“{t}”" for t in g["term"].head(5)))
    return [_row("Words that set an outlet apart (q < " + f"{alpha:g}): " + "; ".join(parts) + ".",
                 f"{len(sig)} significant outlet-term pair(s); smallest q = {q.min():.3g}.", "keyness")]


# --------------------------------------------------------------------------- public


_PARTS = ("readability", "actor_labels", "claims", "shared_passages", "word_choice", "keyness")


def story_findings(
    docs: pd.DataFrame | None = None,
    *,
    metric: str = "flesch_kincaid_grade",
    readability_ci: pd.DataFrame | None = None,
    pairwise: pd.DataFrame | None = None,
    labels: pd.DataFrame | None = None,
    actors: Any = None,
    claim_table: pd.DataFrame | None = None,
    passages: pd.DataFrame | None = None,
    word_choice_table: pd.DataFrame | None = None,
    keyness_table: pd.DataFrame | None = None,
    parts: Sequence[str] = _PARTS,
    n_actors: int = 3,
    min_share: float = 0.1,
    alpha: float = 0.05,
    ci: float = 0.95,
    seed: int = 0,
    n_boot: int = 1000,
) -> pd.DataFrame:
    """The story report's key findings, in words, each with its evidence.

    Findings, in this order (``parts`` selects them):

    - ``readability``: the hardest and the easiest outlet to read on ``metric`` with their
      estimates and bootstrap intervals (:func:`analysis.compare.compare_outlets`), and
      whether the difference between the two exceeds the noise (its
      :func:`analysis.compare.pairwise_differences` interval excludes zero), else "not
      significant"; the evidence lists every outlet and how many outlet pairs differ.
    - ``actor_labels``: for at most ``n_actors`` actors with evaluative labels (most distinct
      evaluative labels first, then most outlets labelling, then most distinct labels; when no
      label is evaluative, only the actor labelled most diversely),
      each outlet's labels with counts ("Hamas terrorists", "militant group"; a label only in
      quotation marks is marked "in a quote", a designation names its designators); the
      evidence quotes the sentences of the evaluative labels.
    - ``claims``: which outlets give a death toll or other casualty figure and which give
      none, each figure with what it counts, its voice ("passive voice naming the agent
      (Israeli forces)", "active voice, the agent as subject (Israel's military response)")
      and its attribution; then hostage figures, sums and percentages when any outlet gives
      them. Dates and times are never findings.
    - ``shared_passages``: the two articles sharing the most words word for word (exact
      passages of :func:`analysis.reuse.shared_passages`): "share wire copy" when those words
      are at least ``min_share`` of the shorter article, otherwise a finding that no two
      articles share much; with ``docs["wire_source"]`` the finding says which agency both
      are based on. A passage at least half inside quotation marks in both articles is the
      same quotation, not copy: it is left out and counted in the evidence (on the dev sets
      most word-for-word overlap between outlets is such quotations). Evidence: the longest
      shared passage.
    - ``word_choice``: how many facts reported by several outlets are worded differently,
      with one example (a pair giving different figures when there is one) and its
      differing words (:func:`analysis.word_choice.word_choice`).
    - ``keyness``: the words that set an outlet apart at Benjamini-Hochberg q < ``alpha``, or
      that no word does (with the smallest q).

    A part whose computation fails for lack of data (:class:`analysis.errors.KitError`) gives
    one finding saying so instead of stopping the others.

    Parameters
    ----------
    docs : pandas.DataFrame, optional
        The story's docs table (``doc_id, outlet, text``; ``wire_source`` used when present).
        Needed for every table not given.
    metric : str, default "flesch_kincaid_grade"
        Readability metric of the readability finding (a column of
        :func:`analysis.readability.readability`).
    readability_ci, pairwise : pandas.DataFrame, optional
        :func:`analysis.compare.compare_outlets` and
        :func:`analysis.compare.pairwise_differences` output containing ``metric``.
    labels : pandas.DataFrame, optional
        :func:`analysis.framing.actor_labels` output.
    actors : optional
        Actor dictionary for :func:`analysis.framing.actor_labels` when ``labels`` is not given
        (None: the story's discovered actors).
    claim_table, passages, word_choice_table, keyness_table : pandas.DataFrame, optional
        :func:`analysis.framing.claims`, :func:`analysis.reuse.shared_passages`,
        :func:`analysis.word_choice.word_choice` and :func:`analysis.keyness.keyness` output.
    parts : sequence of str
        Which findings to make, a subset of ``("readability", "actor_labels", "claims",
        "shared_passages", "word_choice", "keyness")``.
    n_actors : int, default 3
        Most actors whose labels are reported.
    min_share : float, default 0.1
        Least share (0-1) of the shorter article's words two articles must share word for
        word to be said to share wire copy (Churnalism flags 20 %; paraphrase lowers it).
    alpha : float, default 0.05
        Keyness significance level on q.
    ci, seed, n_boot
        Interval coverage, seed and bootstrap replicates for tables computed here.

    Returns
    -------
    pandas.DataFrame
        One row per finding, in the order above:

        - ``finding``: one or a few sentences in words, with estimates and intervals where
          they apply.
        - ``evidence``: what the finding rests on: every outlet's estimate and interval, or
          the sentences quoted.
        - ``section``: the report section holding the table (``readability``,
          ``actor_labels``, ``claims``, ``shared_passages``, ``word_choice``, ``keyness``;
          the names of ``run.section(...)`` in the story notebook).

    Raises
    ------
    ParameterError
        Unknown ``parts``, a given table without its columns, ``docs`` missing when a table
        must be computed, or a bad ``n_actors``, ``min_share``, ``alpha``.
    """
    unknown = [p for p in parts if p not in _PARTS]
    if unknown:
        raise ParameterError(f"story_findings: unknown part(s) {unknown}; choose from {list(_PARTS)}.")
    if not isinstance(n_actors, (int, np.integer)) or isinstance(n_actors, bool) or n_actors < 1:
        raise ParameterError(f"story_findings: `n_actors` must be a positive integer, got {n_actors!r}.")
    if not 0 < min_share <= 1:
        raise ParameterError(f"story_findings: `min_share` must lie in (0, 1], got {min_share!r}; try 0.1.")
    if not 0 < alpha < 1:
        raise ParameterError(f"story_findings: `alpha` must lie in (0, 1), got {alpha!r}; try 0.05.")
    given = {
        "readability": readability_ci is not None and pairwise is not None,
        "actor_labels": labels is not None,
        "claims": claim_table is not None,
        "shared_passages": passages is not None,
        "word_choice": word_choice_table is not None,
        "keyness": keyness_table is not None,
    }
    if docs is None:
        needed = [p for p in parts if not given[p]]
        if needed:
            raise ParameterError(
                f"story_findings: `docs` is needed to compute the table(s) for {needed}; pass docs "
                "or the tables themselves."
            )
    else:
        _lexical.check_docs(docs, needed=["doc_id", "outlet", "text"], func="story_findings")
    makers = {
        "readability": lambda: _readability_findings(docs, readability_ci, pairwise, metric, ci, seed, n_boot),
        "actor_labels": lambda: _label_findings(docs, labels, actors, n_actors),
        "claims": lambda: _claim_findings(docs, claim_table),
        "shared_passages": lambda: _reuse_findings(docs, passages, min_share),
        "word_choice": lambda: _word_choice_findings(docs, word_choice_table),
        "keyness": lambda: _keyness_findings(docs, keyness_table, seed, alpha),
    }
    rows: list[dict[str, str]] = []
    for part in _PARTS:
        if part not in parts:
            continue
        try:
            rows.extend(makers[part]())
        except ParameterError as exc:
            if given[part]:
                raise
            rows.append(_row(f"No finding on {part.replace('_', ' ')}: {exc}", "", part))
        except KitError as exc:
            rows.append(_row(f"No finding on {part.replace('_', ' ')}: {exc}", "", part))
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


# --------------------------------------------------------------------------- rendering


def _load_notebook(notebook: str | Path | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(notebook, Mapping):
        return notebook
    path = Path(notebook)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"report notebook {str(path)!r} not found; pass the template's path "
                             "(analysis.report.TEMPLATE).") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ParameterError(f"report notebook {str(path)!r} is not a notebook (JSON): {exc}.") from None


_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_SECTION_CALL = re.compile(r"run\.section\(\s*[\"']([\w.-]+)[\"']")
_INLINE = re.compile(r"(\*\*|__|\*|_|`)(.+?)\1")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _plain(heading: str) -> str:
    text = _LINK.sub(r"\1", heading)
    for _ in range(3):
        text = _INLINE.sub(r"\2", text)
    return text.strip()


def heading_anchor(heading: str) -> str:
    """The ``id`` nbconvert's HTML export gives a markdown heading (spaces -> ``-``, URL-quoted).

    Parameters
    ----------
    heading : str
        The heading's text (markdown emphasis, code marks and links are reduced to their text).

    Returns
    -------
    str
        The anchor, without ``#``.
    """
    return quote(_plain(heading).replace(" ", "-"), safe="?/:@!$&'()*+,;=")


def _headings(nb: Mapping[str, Any]) -> list[tuple[int, str, list[str]]]:
    """(level, heading, section names of the code cells under it) in notebook order."""
    out: list[tuple[int, str, list[str]]] = []
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if cell.get("cell_type") == "markdown":
            in_fence = False
            for line in source.splitlines():
                if line.strip().startswith("```"):
                    in_fence = not in_fence
                    continue
                m = _HEADING.match(line) if not in_fence else None
                if m:
                    out.append((len(m.group(1)), _plain(m.group(2)), []))
        elif cell.get("cell_type") == "code" and out:
            out[-1][2].extend(_SECTION_CALL.findall(source))
    return out


def section_anchors(notebook: str | Path | Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Where each ``run.section(name)`` of a report notebook sits: its heading and anchor.

    Parameters
    ----------
    notebook : path or dict
        The report template (e.g. ``analysis.report.TEMPLATE``) or a loaded notebook.

    Returns
    -------
    dict
        Section name -> ``(heading, anchor)``: the nearest markdown heading above the code cell
        that runs the section, and that heading's HTML ``id`` (:func:`heading_anchor`).
    """
    nb = _load_notebook(notebook)
    out: dict[str, tuple[str, str]] = {}
    for _level, heading, names in _headings(nb):
        for name in names:
            out.setdefault(name, (heading, heading_anchor(heading)))
    return out


def table_of_contents(notebook: str | Path | Mapping[str, Any], *, max_level: int = 2) -> HTMLBlock:
    """A linked table of contents of a report notebook's headings.

    Parameters
    ----------
    notebook : path or dict
        The report template (e.g. ``analysis.report.TEMPLATE``) or a loaded notebook.
    max_level : int, default 2
        Deepest heading level listed (1 = ``#`` only; 2 adds ``##``; the title, level 1, is
        left out when it is the only one).

    Returns
    -------
    HTMLBlock
        ``<nav class="toc">`` with a "Contents" line and an ``<ol>``: one link per heading (text escaped, ``href`` to
        the anchor nbconvert gives it), nested by level.
    """
    if not isinstance(max_level, (int, np.integer)) or not 1 <= max_level <= 6:
        raise ParameterError(f"table_of_contents: `max_level` must be 1-6, got {max_level!r}.")
    heads = [(lvl, h) for lvl, h, _ in _headings(_load_notebook(notebook)) if lvl <= max_level]
    if sum(1 for lvl, _ in heads if lvl == 1) == 1 and any(lvl > 1 for lvl, _ in heads):
        heads = [(lvl, h) for lvl, h in heads if lvl > 1]
    if not heads:
        return HTMLBlock('<nav class="toc"><p>No headings.</p></nav>')
    base = min(lvl for lvl, _ in heads)
    out = ['<nav class="toc"><p><strong>Contents</strong></p><ol>']
    depth = base
    open_item = False
    for lvl, h in heads:
        while depth < lvl:
            out.append("<ol>")
            depth += 1
            open_item = False
        while depth > lvl:
            out.append("</li></ol>")
            depth -= 1
            open_item = True
        if open_item:
            out.append("</li>")
        out.append(f'<li><a href="#{html.escape(heading_anchor(h), quote=True)}">{html.escape(h)}</a>')
        open_item = True
    while depth > base:
        out.append("</li></ol>")
        depth -= 1
    out.append("</li></ol></nav>")
    return HTMLBlock("".join(out))


def _check_findings(findings: pd.DataFrame, func: str) -> None:
    missing = [c for c in FINDING_COLUMNS if c not in getattr(findings, "columns", [])]
    if missing:
        raise ParameterError(f"{func}: table lacks column(s) {missing}; pass the output of story_findings().")


def findings_html(
    findings: pd.DataFrame, *, anchors: Mapping[str, tuple[str, str]] | None = None
) -> HTMLBlock:
    """The findings as an HTML list, each with its evidence and a link to its section.

    Parameters
    ----------
    findings : pandas.DataFrame
        :func:`story_findings` output (``finding, evidence, section``).
    anchors : mapping, optional
        Section name -> ``(heading, anchor)`` (:func:`section_anchors`); without it, or for a
        section it lacks, the section's name is shown without a link.

    Returns
    -------
    HTMLBlock
        ``<ol class="findings">``: per finding, the finding, the evidence in a smaller
        paragraph and the section; all text HTML-escaped. A paragraph when there are none.
    """
    _check_findings(findings, "findings_html")
    if findings.empty:
        return HTMLBlock("<p>No findings: the tables above are empty.</p>")
    anchors = anchors or {}
    out = ['<ol class="findings">']
    for r in findings.itertuples(index=False):
        section = str(r.section)
        if section in anchors:
            heading, anchor = anchors[section]
            where = f'<a href="#{html.escape(anchor, quote=True)}">{html.escape(heading)}</a>'
        else:
            where = html.escape(section.replace("_", " "))
        ev = str(r.evidence) if isinstance(r.evidence, str) else ""
        out.append(
            f"<li><p>{html.escape(str(r.finding))}</p>"
            + (f'<p class="evidence"><small>Evidence: {html.escape(ev)}</small></p>' if ev else "")
            + f'<p class="section"><small>Section: {where}</small></p></li>'
        )
    out.append("</ol>")
    return HTMLBlock("\n".join(out))


def findings_placeholder() -> HTMLBlock:
    """What the key-findings cell shows until the findings are made at the end of the report.

    A report computes its tables section by section, so the findings shown at the top can only
    be made at the end; the top cell displays this placeholder with a display id and the last
    section replaces it (``handle = display(findings_placeholder(), display_id=True)``, later
    ``handle.update(findings_html(...))``), which the executed notebook and its HTML keep.

    Returns
    -------
    HTMLBlock
        One paragraph saying the findings are filled in when the report has run.
    """
    return HTMLBlock('<p class="findings-pending">The key findings are filled in here when the whole report '
                     "has run; if this line stays, the findings section at the end says why.</p>")


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def findings_markdown(
    findings: pd.DataFrame, *, anchors: Mapping[str, tuple[str, str]] | None = None
) -> str:
    """The findings as a markdown list (for a README, a paper draft or a notebook cell).

    Parameters
    ----------
    findings : pandas.DataFrame
        :func:`story_findings` output.
    anchors : mapping, optional
        As in :func:`findings_html`.

    Returns
    -------
    str
        One numbered item per finding: the finding, then an indented "Evidence:" line and the
        section (a link when ``anchors`` has it); markdown characters in the text escaped.
    """
    _check_findings(findings, "findings_markdown")
    if findings.empty:
        return "No findings: the tables are empty.\n"
    anchors = anchors or {}
    lines = []
    for i, r in enumerate(findings.itertuples(index=False), start=1):
        section = str(r.section)
        if section in anchors:
            heading, anchor = anchors[section]
            where = f"[{_md_escape(heading)}](#{anchor})"
        else:
            where = _md_escape(section.replace("_", " "))
        lines.append(f"{i}. {_md_escape(str(r.finding))}")
        ev = str(r.evidence) if isinstance(r.evidence, str) else ""
        if ev:
            lines.append(f"   Evidence: {_md_escape(ev)}")
        lines.append(f"   Section: {where}")
    return "\n".join(lines) + "\n"
