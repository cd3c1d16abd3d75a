"""Validity of the kit's measures against human annotation on the development corpora.

Run: ``.venv/bin/python benchmarks/validity.py ../shared/devsets``

DEVSETS is a folder holding ``basil-dev/`` and ``newswcl50-dev/`` as described in their
README (the corpora are read by path, never copied into the project). Each section prints
its figures against the annotation; nothing is asserted, and nothing the annotation holds is
written anywhere.

Sections
--------
segmentation
    BASIL's gold sentences (``basil-dev/sentences.jsonl``). The body paragraphs of each article
    are joined as the article file joins them (sentences of a paragraph by one space,
    paragraphs by a blank line) and segmented by the kit (:func:`analysis.text.sentence_spans`),
    by textstat's rule and, when installed, by NLTK Punkt without training. Reported: mean
    absolute error of the sentence count per article (lower = better) and boundary precision,
    recall and F1 over sentence ends inside paragraphs (paragraph ends are given to every
    segmenter and are not counted).
actors
    NewsWCL50's coded targets (``newswcl50-dev/mentions.csv``) against
    :func:`analysis.framing.discover_actors` (when available): recall of the targets with at
    least 10 name-like mentions. The group precision from the hand check lives in
    ``benchmarks/actors.py``.
quotes
    :func:`analysis.framing.quotes` against the hand-annotated quotations of
    ``benchmarks/gold/quotes_dev.csv`` (offsets in the cleaned ``text``; see :func:`quotes`):
    direct and indirect precision and recall, scare quotes counted as speech, speaker and
    reporting-verb accuracy, and every error with its offsets.
loaded
    BASIL's lexical-bias spans (``basil-dev/spans.csv``, ``bias == "lex"``) against
    :func:`analysis.framing.loaded_language`: per-sentence ROC AUC (higher = better; 0.5 =
    chance), a sentence being positive when a span overlaps it. Spans are offsets into the
    article file (``raw_text``); each kit sentence of ``text`` is found in ``raw_text`` in
    order. Printed beside it: sentence length alone, VADER negativity, and the score without
    the word-list entries that share a word with a dev span (a pessimistic estimate for
    unseen text, since the list was written with the dev annotations in view).
frames
    Every story of both dev sets: the five terms with the most hits per frame
    (:func:`analysis.framing.frame_hits`), flagged when mostly written capitalised
    mid-sentence (a name) or a known false-friend form; target: none flagged.
labels
    :func:`analysis.framing.actor_labels` with each event's hand-written dictionary
    (``newswcl50-dev/actors/event_N.yaml``) against NewsWCL50's labelling phrases
    (``mentions.csv`` rows of ACTOR/ACTOR-I/COUNTRY/GROUP targets that map to a dictionary
    actor and are not bare names, pronouns or honorific + name): recall (a label row of the
    same actor overlapping the span; offsets mapped from ``text``/``title`` to the file),
    recall of the evaluative ones (a word of a hand-written judging-word list), recall
    without the ``USA`` code, and the share of honorific labels (lower = better); precision
    on the 50 label rows with the smallest key hash, read by hand
    (``benchmarks/gold/labels_precision_dev.csv``; ``--write-unjudged DIR`` writes the rows of
    the sample not judged yet).
labels_discovered
    ``actor_labels`` on every basil-dev story with the actors the story report discovers (no
    dictionary): precision on the 50 rows with the smallest key hash, read by hand
    (``benchmarks/gold/labels_discovered_basil_dev.csv``).
claims
    :func:`analysis.framing.claims` against ``benchmarks/gold/claims_dev.csv`` (numbers read
    by hand in dev articles: offsets, value, category, voice; no text): number right (a
    figure's value, or a date/time read as one, or a name/pronoun left out) and voice right on
    the numbers with a verb.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

from analysis import text as tx

_WS = re.compile(r"\s+")


def _compact_ends(sents: list[str]) -> list[int]:
    """Sentence-end offsets in whitespace-free coordinates (robust to spacing differences)."""
    ends, pos = [], 0
    for s in sents:
        pos += len(_WS.sub("", s))
        ends.append(pos)
    return ends


_QUOTE_MARKS = re.compile("[\"“”]")


def _inside_quotes(para: list[str]) -> set[int]:
    """Whitespace-free offsets that lie inside an open quotation of a gold sentence."""
    inside: set[int] = set()
    base = 0
    for s in para:
        c = _WS.sub("", s)
        depth = 0
        for i, ch in enumerate(c):
            if _QUOTE_MARKS.match(ch):
                depth = 0 if (ch == "”" or (ch == '"' and depth)) else 1
            elif depth:
                inside.add(base + i + 1)
        base += len(c)
    return inside


def _boundaries(paragraphs: list[list[str]], segment) -> tuple[set[int], set[int], set[int], int, int]:
    """Interior sentence ends (gold, predicted, inside a gold quotation) in whitespace-free
    coordinates, and the sentence counts."""
    gold: set[int] = set()
    pred: set[int] = set()
    quoted: set[int] = set()
    n_gold = n_pred = 0
    base = 0
    for para in paragraphs:
        text = " ".join(para)
        g = _compact_ends(para)
        p = _compact_ends(segment(text))
        n_gold += len(para)
        n_pred += len(p)
        total = len(_WS.sub("", text))
        gold.update(base + e for e in g if e < total)
        pred.update(base + e for e in p if e < total)
        quoted.update(base + e for e in _inside_quotes(para))
        base += total
    return gold, pred, quoted, n_gold, n_pred


def _textstat_segment(text: str) -> list[str]:
    # textstat 0.7.13's rule: split after . ! ? and drop pieces of two words or fewer
    parts = re.split(r"(?<=[.!?])\s+", text)
    return [p for p in parts if len(p.split()) > 2]


def segmentation(devsets: Path) -> None:
    path = devsets / "basil-dev" / "sentences.jsonl"
    gold_docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    segmenters = {"kit": tx.sentences, "textstat rule": _textstat_segment}
    try:  # NLTK Punkt with its built-in English parameters needs a download; untrained works offline
        from nltk.tokenize.punkt import PunktSentenceTokenizer

        punkt = PunktSentenceTokenizer()
        segmenters["nltk punkt (untrained)"] = punkt.tokenize
    except Exception:  # pragma: no cover
        pass
    print(f"== segmentation: BASIL gold, {len(gold_docs)} articles (body paragraphs)")
    print("(gold keeps many multi-sentence quotations whole: 'P excl. q' leaves out predicted ends")
    print(" that fall inside a quotation the gold kept as one sentence)")
    print(f"{'segmenter':26s} {'MAE sent/article':>17s} {'precision':>10s} {'recall':>8s} {'F1':>7s} {'P excl. q':>10s}")
    for name, seg in segmenters.items():
        errs, tp, fp, fp_quoted, fn = [], 0, 0, 0, 0
        for d in gold_docs:
            paras = [p for p in d["paragraphs"][1:] if p]
            gold, pred, quoted, ng, npred = _boundaries(paras, seg)
            errs.append(abs(ng - npred))
            tp += len(gold & pred)
            fp += len(pred - gold)
            fp_quoted += len((pred - gold) & quoted)
            fn += len(gold - pred)
        prec = tp / (tp + fp) if tp + fp else float("nan")
        rec = tp / (tp + fn) if tp + fn else float("nan")
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else float("nan")
        prec_q = tp / (tp + fp - fp_quoted) if tp + fp - fp_quoted else float("nan")
        print(f"{name:26s} {np.mean(errs):17.2f} {prec:10.3f} {rec:8.3f} {f1:7.3f} {prec_q:10.3f}")


def actors(devsets: Path) -> None:
    try:
        from analysis.framing import discover_actors  # noqa: F401
    except ImportError:
        print("== actors: analysis.framing.discover_actors is not available")
        return
    sys.path.insert(0, str(Path(__file__).parent))
    try:
        import actors as actor_bench  # benchmarks/actors.py
    except ImportError:
        print("== actors: see benchmarks/actors.py")
        return
    actor_bench.main([str(devsets)])


def _auc(scores, labels) -> float:
    """ROC AUC (Mann-Whitney, ties counted half) of ``scores`` for binary ``labels``."""
    import pandas as pd

    s = pd.Series(np.asarray(scores, dtype=float))
    y = np.asarray(labels, dtype=bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if not n_pos or not n_neg:
        return float("nan")
    ranks = s.rank(method="average").to_numpy()
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _raw_offsets(text: str, raw: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Offsets in ``raw`` of each ``text`` span, found in order (the cleaned body is the file
    without its headline, so its sentences appear in the file in the same order)."""
    out, cursor = [], 0
    for a, b in spans:
        piece = text[a:b]
        at = raw.find(piece, cursor)
        if at < 0:  # spacing changed by cleaning: anchor on the first words
            at = raw.find(piece[:30], cursor)
        if at < 0:
            out.append((-1, -1))
            continue
        out.append((at, at + len(piece)))
        cursor = at + 1
    return out


def loaded(devsets: Path) -> None:
    """Per-sentence ROC AUC of loaded_language() against BASIL's lexical-bias spans."""
    import csv
    import logging
    import warnings

    from analysis.corpus import load_corpus
    from analysis.framing.loaded import loaded_language, loaded_language_by_outlet, loaded_lexicon
    from analysis.framing.tone import tone

    base = devsets / "basil-dev"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
        try:
            docs = load_corpus(base)
        finally:
            logging.disable(logging.NOTSET)
    with open(base / "spans.csv", encoding="utf-8", newline="") as fh:
        spans = [r for r in csv.DictReader(fh) if r["bias"] == "lex"]
    by_doc: dict[str, list[tuple[int, int, str]]] = {}
    for r in spans:
        by_doc.setdefault(r["doc_id"], []).append((int(r["start"]), int(r["end"]), r["quote"]))
    table = loaded_language(docs)
    # a pessimistic proxy for the held-out part: leave out every entry of the kit's word list
    # with a word that occurs (possibly inflected) in a dev 'lex' span
    span_words = {w for r in spans for w in re.findall(r"[a-z]+", r["text"].lower())}
    seen = [e for e in loaded_lexicon()["entry"]
            if any(len(tok) > 2 and any(w.startswith(tok) and len(w) - len(tok) <= 3 for w in span_words)
                   for tok in re.findall(r"[a-z]+", e))]
    unseen = loaded_language(docs, exclude=seen)
    vader = tone(docs, actors={}).set_index(["doc_id", "sent_id"])["neg"]
    raw_of = dict(zip(docs["doc_id"], docs["raw_text"]))
    text_of = dict(zip(docs["doc_id"], docs["text"]))
    labels, labels_out, unmapped = [], [], 0
    for doc_id, g in table.groupby("doc_id", sort=False):
        offs = _raw_offsets(text_of[doc_id], raw_of[doc_id], list(zip(g["start"], g["end"])))
        gold = by_doc.get(doc_id, [])
        for ra, rb in offs:
            unmapped += ra < 0
            hits = [q for s, e, q in gold if ra >= 0 and s < rb and e > ra]
            labels.append(bool(hits))
            labels_out.append(any(q == "no" for q in hits))
    table = table.assign(label=labels, label_outside=labels_out,
                         length=table["sentence"].map(lambda s: len(tx.words(s))))
    table["vader_neg"] = [vader.get((d, i), np.nan) for d, i in zip(table["doc_id"], table["sent_id"])]
    y = table["label"].to_numpy()
    n_spans_hit = sum(1 for d in by_doc for _ in by_doc[d])
    print(f"== loaded: BASIL lexical-bias spans ({n_spans_hit} 'lex' spans, {len(docs)} articles); "
          f"{len(table)} kit sentences, {int(y.sum())} positive (overlap a 'lex' span), {unmapped} not mapped")
    print(f"{'score':48s} {'AUC all lex':>12s} {'AUC lex outside quotes':>23s}")
    yo = table["label_outside"].to_numpy()
    keep = ~(y & ~yo)  # for the second column, sentences whose only spans are quoted are left out
    rows = [("loaded_language score (weighted loaded words)", table["score"]),
            ("loaded_language n_loaded", table["n_loaded"]),
            (f"score without the {len(seen)} dev-span words", unseen["score"]),
            ("sentence length (words)", table["length"]),
            ("VADER negativity (neg share)", table["vader_neg"].fillna(0))]
    for name, col in rows:
        col = col.to_numpy(dtype=float)
        print(f"{name:48s} {_auc(col, y):12.3f} {_auc(col[keep], yo[keep]):23.3f}")
    print(f"(the word list has {len(loaded_lexicon())} entries; 'without the dev-span words' leaves out every "
          f"entry sharing a word with a dev span: a pessimistic estimate for unseen text)")
    # uncertainty of the AUC: resample whole events (stories), seeded
    event_of = dict(zip(docs["doc_id"], docs["event_id"]))
    ev = table["doc_id"].map(event_of).to_numpy()
    events = np.unique(ev)
    rows_of = {e: np.flatnonzero(ev == e) for e in events}
    gen = np.random.default_rng(0)
    score = table["score"].to_numpy(dtype=float)
    boots = []
    for _ in range(500):
        idx = np.concatenate([rows_of[e] for e in gen.choice(events, len(events))])
        boots.append(_auc(score[idx], y[idx]))
    lo, hi = np.nanquantile(boots, [0.025, 0.975])
    print(f"score AUC 95% CI over events (500 resamples of the {len(events)} stories): [{lo:.3f}, {hi:.3f}]")
    by_outlet = loaded_language_by_outlet(table=table, n_boot=1000, seed=0)
    n_lex_out = {}
    for r in spans:
        if r["quote"] == "no":
            n_lex_out[r["outlet"]] = n_lex_out.get(r["outlet"], 0) + 1
    print(f"{'outlet':10s} {'loaded/100 words [95% CI, articles]':>36s} {'annotated lex spans outside quotes/1k words':>45s}")
    for r in by_outlet.itertuples():
        ann = 1000 * n_lex_out.get(r.outlet, 0) / r.n_words if r.n_words else float("nan")
        print(f"{r.outlet:10s} {r.estimate:14.2f} [{r.ci_low:5.2f}, {r.ci_high:5.2f}]{'':7s} {ann:45.2f}")
    print("target: AUC >= 0.75 (issue 12); the held-out part of BASIL checks generalisation")


_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "the"}
_QUOTES_GOLD = Path(__file__).parent / "gold" / "quotes_dev.csv"


def _norm_speaker(name: str) -> list[str]:
    """Lower-case tokens of a speaker name without honorifics, articles and possessives."""
    name = re.sub(r"(?:'s|’s|'|’)(?=\s|$)", "", str(name or "").lower())
    toks = re.findall(r"[a-z0-9][a-z0-9\-]*", name)
    return [t for t in toks if t not in _HONORIFICS]


def _same_speaker(gold: str, kit: str) -> bool:
    """Whether the kit's speaker names the gold speaker (any ``|``-separated alternative).

    Equal after normalising case, honorifics and possessives, or the same person by surname:
    the last tokens agree and one name's tokens hold the other's ("Trump", "President Donald
    Trump" for "Donald Trump"). ``anonymous:<phrase>`` matches the phrase the same way
    (``anonymous:unstated`` matches an empty speaker).
    """
    k = _norm_speaker(kit)
    for alt in gold.split("|"):
        alt = alt.strip()
        if alt.startswith("anonymous:"):
            alt = alt[len("anonymous:"):]
            if alt == "unstated":
                if not k:
                    return True
                continue
        g = _norm_speaker(alt)
        if not g or not k:
            continue
        if g == k or (g[-1] == k[-1] and (set(g) <= set(k) or set(k) <= set(g))):
            return True
    return False


def _pair_spans(gold: list[tuple[int, int]], kit: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, kit index) of spans overlapping by >= 50 % of the shorter,
    best overlap first."""
    cands = []
    for i, (ga, gb) in enumerate(gold):
        for j, (ka, kb) in enumerate(kit):
            ov = min(gb, kb) - max(ga, ka)
            shorter = max(1, min(gb - ga, kb - ka))
            if ov > 0 and ov >= 0.5 * shorter:
                cands.append((-ov / shorter, i, j))
    cands.sort()
    used_g, used_k, pairs = set(), set(), []
    for _, i, j in cands:
        if i not in used_g and j not in used_k:
            used_g.add(i)
            used_k.add(j)
            pairs.append((i, j))
    return pairs


def _load_quote_gold(docs) -> tuple[list[dict], int]:
    """Gold rows whose quoted text still hashes as annotated; a row whose hash changed (the
    cleaning moved the body) is found again from its offsets in the raw file. Returns the rows
    and the number of rows that could not be placed."""
    import csv
    import hashlib

    text_of = dict(zip(docs["doc_id"], docs["text"]))
    raw_of = dict(zip(docs["doc_id"], docs["raw_text"]))
    rows, lost = [], 0
    with open(_QUOTES_GOLD, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            doc_id = r["doc_id"]
            if doc_id not in text_of:
                lost += 1
                continue
            text = text_of[doc_id]
            a, b = int(r["start"]), int(r["end"])
            digest = hashlib.sha256(text[a:b].encode("utf-8")).hexdigest()[:10]
            if digest != r["sha256_10"]:
                piece = raw_of[doc_id][int(r["raw_start"]) : int(r["raw_end"])]
                hits = [m.start() for m in re.finditer(re.escape(piece), text)] if piece else []
                if not hits or hashlib.sha256(piece.encode("utf-8")).hexdigest()[:10] != r["sha256_10"]:
                    lost += 1
                    continue
                a = min(hits, key=lambda h: abs(h - a))
                b = a + len(piece)
            rows.append(dict(r, start=a, end=b))
    return rows, lost


def quotes(devsets: Path) -> None:
    """Direct/indirect quotes, scare quotes, speakers and reporting verbs of
    :func:`analysis.framing.quotes` against ``benchmarks/gold/quotes_dev.csv``.

    The gold file holds every quotation of twelve dev articles, annotated by hand (8 BASIL:
    3 stories, 3 outlets; 4 NewsWCL50: 2 stories, 3 outlets). Its ``start, end`` are
    character offsets in ``text`` of :func:`analysis.corpus.load_corpus` (the cleaned body:
    the file without its headline; cleaning shifts every offset, so these are not file
    offsets), the span of the quoted words without the quotation marks; ``raw_start,
    raw_end`` are the same words in the article file as read (``raw_text``); ``sha256_10`` is
    the first 10 hex digits of the SHA-256 of the quoted words, to notice drift. ``kind``:
    direct (speech in quotation marks, fragments included), indirect (reported speech of a
    reporting verb or "according to": the reported clause; neither a verb with only a noun
    object, "she denounced the plan", nor a noun, "his statement that ...", counts), term
    (scare quotes, titles, names in quotation marks). ``speaker``: the fullest name in the
    article, ``anonymous:<phrase>`` for an unnamed source, ``|`` between acceptable
    alternatives. ``reporting_verb``: as written, empty for a quotation continued after its
    attribution (not scored).

    A kit quote matches a gold quote of the same kind when the spans overlap by >= 50 % of
    the shorter (one-to-one, best overlap first). Printed: direct precision and recall
    (higher = better; targets 95 %), indirect precision and recall, scare quotes the kit
    counts as speech (lower = better), speaker accuracy over matched direct + indirect quotes
    (target 92 %) and reporting-verb accuracy, direct precision, recall and speaker accuracy
    per corpus, then every error with its offsets.
    """
    import logging
    import warnings

    import pandas as pd

    from analysis.corpus import load_corpus
    from analysis.framing import quotes as kit_quotes

    parts = []
    set_of: dict[str, str] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
        try:
            for name in ("basil-dev", "newswcl50-dev"):
                if (devsets / name).is_dir():
                    parts.append(load_corpus(devsets / name))
                    set_of.update(dict.fromkeys(parts[-1]["doc_id"], name))
        finally:
            logging.disable(logging.NOTSET)
    docs = pd.concat(parts, ignore_index=True)
    gold_ids = set(pd.read_csv(_QUOTES_GOLD, usecols=["doc_id"])["doc_id"])
    docs = docs[docs["doc_id"].isin(gold_ids)].reset_index(drop=True)
    gold, lost = _load_quote_gold(docs)
    kit = kit_quotes(docs)
    # the resolved speaker: ``speaker`` once a ``speaker_mention`` column holds the phrase as
    # written, ``speaker_resolved`` in the older schema
    if "speaker_mention" in kit.columns:
        speaker_col = "speaker"
    elif "speaker_resolved" in kit.columns:
        speaker_col = "speaker_resolved"
    else:
        speaker_col = "speaker"
    written_col = "speaker_mention" if "speaker_mention" in kit.columns else "speaker"
    print(f"== quotes: {len(gold)} hand-annotated quotations in {docs['doc_id'].nunique()} articles "
          f"({_QUOTES_GOLD.name}); kit speaker column '{speaker_col}'")
    if lost:
        print(f"   {lost} gold rows could not be placed in the current text (article missing or changed)")

    def short(doc_id: str) -> str:
        return doc_id if len(doc_id) < 20 else doc_id[:8] + "…" + doc_id.rsplit("_", 1)[-1]

    counts = {k: dict(tp=0, n_gold=0, n_kit=0) for k in ("direct", "indirect")}
    direct_by_set = {name: dict(tp=0, n_gold=0, n_kit=0) for name in sorted(set(set_of.values()))}
    matched: list[tuple[dict, pd.Series]] = []
    missed: list[dict] = []
    spurious: list[tuple[pd.Series, str]] = []
    n_terms = terms_as_speech = terms_labelled = 0
    for doc_id in sorted(gold_ids & set(docs["doc_id"])):
        g_doc = [r for r in gold if r["doc_id"] == doc_id]
        k_doc = kit[kit["doc_id"] == doc_id]
        g_terms = [(r["start"], r["end"]) for r in g_doc if r["kind"] == "term"]
        n_terms += len(g_terms)
        speech = k_doc[k_doc["kind"].isin(["direct", "indirect"])]
        k_spans = list(zip(speech["start"], speech["end"]))
        terms_as_speech += len(_pair_spans(g_terms, k_spans))
        k_term = k_doc[k_doc["kind"] == "term"]
        terms_labelled += len(_pair_spans(g_terms, list(zip(k_term["start"], k_term["end"]))))
        for kind in ("direct", "indirect"):
            g = [r for r in g_doc if r["kind"] == kind]
            k = k_doc[k_doc["kind"] == kind].reset_index(drop=True)
            pairs = _pair_spans([(r["start"], r["end"]) for r in g], list(zip(k["start"], k["end"])))
            counts[kind]["tp"] += len(pairs)
            counts[kind]["n_gold"] += len(g)
            counts[kind]["n_kit"] += len(k)
            if kind == "direct":
                for key, n in (("tp", len(pairs)), ("n_gold", len(g)), ("n_kit", len(k))):
                    direct_by_set[set_of[doc_id]][key] += n
            matched.extend((g[i], k.iloc[j]) for i, j in pairs)
            got_g = {i for i, _ in pairs}
            got_k = {j for _, j in pairs}
            missed.extend(r for i, r in enumerate(g) if i not in got_g)
            for j in range(len(k)):
                if j in got_k:
                    continue
                ka, kb = int(k.at[j, "start"]), int(k.at[j, "end"])
                why = "a term in the gold" if _pair_spans(g_terms, [(ka, kb)]) else "not a quotation in the gold"
                if kind == "direct" and why.startswith("not"):
                    other = [(r["start"], r["end"]) for r in g_doc if r["kind"] == "indirect"]
                    if _pair_spans(other, [(ka, kb)]):
                        why = "an indirect quote in the gold"
                spurious.append((k.iloc[j], why))

    def pct(a: int, b: int) -> str:
        return f"{100.0 * a / b:5.1f} %" if b else "  n/a"

    d, ind = counts["direct"], counts["indirect"]
    spk_ok = [_same_speaker(g["speaker"], k[speaker_col]) for g, k in matched]
    verb_rows = [i for i, (g, _k) in enumerate(matched) if g["reporting_verb"]]
    verb_ok = [i for i in verb_rows
               if str(matched[i][1]["reporting_verb"] or "").lower() == matched[i][0]["reporting_verb"].lower()]
    print(f"{'measure':44s} {'value':>8s}   counts        target")
    print(f"{'direct quotes: precision':44s} {pct(d['tp'], d['n_kit']):>8s}   {d['tp']}/{d['n_kit']:<10d}  >= 95 %")
    print(f"{'direct quotes: recall':44s} {pct(d['tp'], d['n_gold']):>8s}   {d['tp']}/{d['n_gold']:<10d}  >= 95 %")
    print(f"{'indirect quotes: precision':44s} {pct(ind['tp'], ind['n_kit']):>8s}   {ind['tp']}/{ind['n_kit']:<10d}")
    print(f"{'indirect quotes: recall':44s} {pct(ind['tp'], ind['n_gold']):>8s}   {ind['tp']}/{ind['n_gold']:<10d}")
    print(f"{'scare quotes/titles counted as speech':44s} {pct(terms_as_speech, n_terms):>8s}   "
          f"{terms_as_speech}/{n_terms:<10d}  lower = better")
    print(f"{'scare quotes/titles labelled term':44s} {pct(terms_labelled, n_terms):>8s}   {terms_labelled}/{n_terms}")
    print(f"{'speaker right (matched direct + indirect)':44s} {pct(sum(spk_ok), len(matched)):>8s}   "
          f"{sum(spk_ok)}/{len(matched):<10d}  >= 92 %")
    print(f"{'reporting verb right (matched, gold has one)':44s} {pct(len(verb_ok), len(verb_rows)):>8s}   "
          f"{len(verb_ok)}/{len(verb_rows)}")
    for name, c in direct_by_set.items():
        ok_n = [ok for (g, _k), ok in zip(matched, spk_ok) if set_of[g["doc_id"]] == name]
        print(f"  {name}: direct P {pct(c['tp'], c['n_kit']).strip()} ({c['tp']}/{c['n_kit']}), "
              f"R {pct(c['tp'], c['n_gold']).strip()} ({c['tp']}/{c['n_gold']}); "
              f"speaker {pct(sum(ok_n), len(ok_n)).strip()} ({sum(ok_n)}/{len(ok_n)})")
    print("speaker errors (doc, kind, gold start-end, gold speaker | kit speaker as resolved, as written; gold note):")
    for (g, k), ok in zip(matched, spk_ok):
        if ok:
            continue
        print(f"  {short(g['doc_id']):22s} {g['kind']:8s} {g['start']:>5}-{g['end']:<5} {g['speaker']!s:30.30s} | "
              f"{str(k[speaker_col] or '-')!s:28.28s} ({str(k[written_col] or '-')!s:.28s}); {g['note']}")
    print("reporting-verb errors (doc, gold start-end, gold verb | kit verb):")
    for i in sorted(set(verb_rows) - set(verb_ok)):
        g, k = matched[i]
        print(f"  {short(g['doc_id']):22s} {g['start']:>5}-{g['end']:<5} {g['reporting_verb']:18s} | {k['reporting_verb'] or '-'}")
    print("missed (doc, kind, gold start-end, gold speaker; note):")
    for r in missed:
        print(f"  {short(r['doc_id']):22s} {r['kind']:8s} {r['start']:>5}-{r['end']:<5} {r['speaker']}; {r['note']}")
    print("found by the kit, not in the gold (doc, kind, start-end, kit speaker: why):")
    for k, why in spurious:
        print(f"  {short(k['doc_id']):22s} {k['kind']:8s} {int(k['start']):>5}-{int(k['end']):<5} "
              f"{str(k[speaker_col] or '-')!s:28.28s}: {why}")



# --------------------------------------------------------------------------- frames and claims

#: frame-word forms that are false friends of their frame ("investigation" is not Economic)
_FALSE_FRIENDS = {"investigation", "investigations", "investigating", "investigator", "investigators",
                  "defendant", "defendants", "un", "justice department", "secured", "courted",
                  "courting", "bombshell", "equally", "plans to", "operation", "operations"}


def _story_corpora(devsets: Path):
    import warnings

    from analysis.corpus import load_corpus

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in ("basil-dev", "newswcl50-dev"):
            docs = load_corpus(devsets / name)
            for event, g in docs.groupby("event_id", sort=True):
                yield name, str(event), g


def _capitalised_share(matched: str, sentences: list[str]) -> float:
    """Share of a term's hits written capitalised after the start of the sentence (a name)."""
    n = caps = 0
    for s in sentences:
        for m in re.finditer(rf"(?i)(?<![\w'’\-]){re.escape(matched)}(?![\w\-])", s):
            n += 1
            first = s[m.start() : m.start() + 1]
            caps += bool(first.isupper() and s[: m.start()].strip() and not s[m.start():m.end()].isupper())
    return caps / n if n else 0.0


def frames_check(devsets: Path) -> None:
    """Top-5 driving terms per frame of every dev story; names and false friends flagged."""
    from analysis.framing import frame_hits

    print("== frames: top-5 terms per frame and story (hits in the story); flags: NAME = mostly")
    print("   written capitalised mid-sentence, FALSE = a known false-friend form; entries the")
    print("   dictionary writes capitalised (identity words: Jewish, Muslim*) are meant to be so)")
    n_terms = n_flag = n_stories = 0
    for corpus, event, g in _story_corpora(devsets):
        h = frame_hits(g)
        n_stories += 1
        if h.empty:
            continue
        lines = []
        for frame, hf in h.groupby("frame", sort=True):
            top = hf.groupby("term").size().sort_values(ascending=False, kind="stable").head(5)
            shown = []
            for term, n in top.items():
                forms = hf.loc[hf["term"] == term]
                flags = []
                for matched, hm in forms.groupby("matched"):
                    if matched in _FALSE_FRIENDS:
                        flags.append(f"FALSE:{matched}")
                    elif (_capitalised_share(matched, hm["sentence"].tolist()) > 0.5 and len(hm) >= 2
                          and not any(ch.isupper() for ch in term)):
                        flags.append(f"NAME:{matched}")
                n_terms += 1
                n_flag += bool(flags)
                shown.append(f"{term}({n}){'[' + ','.join(flags) + ']' if flags else ''}")
            lines.append(f"   {frame:20s} " + ", ".join(shown))
        print(f"-- {corpus} {event[:12]}")
        print("\n".join(lines))
    print(f"frames: {n_stories} stories, {n_terms} top-5 terms, flagged {n_flag} (target 0)")


def claims_check(devsets: Path) -> None:
    """Numbers against ``benchmarks/gold/claims_dev.csv`` (hand-read, offsets and values only)."""
    import warnings

    import pandas as pd

    from analysis.corpus import load_corpus
    from analysis.framing import claims as kit_claims

    gold = pd.read_csv(Path(__file__).parent / "gold" / "claims_dev.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = pd.concat([load_corpus(devsets / n) for n in ("basil-dev", "newswcl50-dev")], ignore_index=True)
    docs = docs[docs["doc_id"].isin(set(gold["doc_id"]))]
    kit = kit_claims(docs)
    print(f"== claims: {len(gold)} hand-read numbers in {gold['doc_id'].nunique()} dev articles "
          f"(benchmarks/gold/claims_dev.csv; offsets in the cleaned text)")
    timeish = {"date", "time"}
    n_right = n_voice = n_voice_right = n_voice_labelled = 0
    used: set[int] = set()
    errors = []
    for g in gold.itertuples(index=False):
        k = kit[(kit["doc_id"] == g.doc_id) & (kit["start"] < g.end) & (kit["end"] > g.start)]
        used.update(k.index)
        if g.category == "not_a_claim":
            ok = k.empty
        elif g.category in timeish:
            ok = bool(k["category"].isin(timeish).any())
        else:
            k = k[~k["category"].isin(timeish)]
            ok = bool((k["number"] - g.value).abs().lt(1e-6 * max(1.0, abs(g.value))).any())
        n_right += ok
        if not ok:
            errors.append(f"   number  {g.doc_id[:12]} {g.start}-{g.end} gold {g.value:g} {g.category}; "
                          f"kit {list(zip(k['number_text'], k['category'])) or 'nothing'}")
        if g.voice != "none":
            n_voice += 1
            kv = k["voice"].tolist()
            n_voice_labelled += bool(kv) and kv[0] != "none"
            if kv and kv[0] == g.voice:
                n_voice_right += 1
            else:
                errors.append(f"   voice   {g.doc_id[:12]} {g.start}-{g.end} gold {g.voice}; kit "
                              f"{list(zip(k['verb'], k['voice'], k['agent'])) or 'nothing'}")
    extra = kit[~kit.index.isin(used)]
    for r in extra.itertuples(index=False):
        errors.append(f"   extra   {r.doc_id[:12]} {r.start}-{r.end} kit {r.number_text!r} {r.category}")
    counts = kit[~kit["category"].isin(timeish)]
    print(f"number right {n_right}/{len(gold)} = {n_right / len(gold):.1%} (target >= 95 %)")
    print(f"voice right  {n_voice_right}/{n_voice} = {n_voice_right / max(1, n_voice):.1%} of the numbers "
          f"with a verb; voice labelled on {n_voice_labelled}/{n_voice}")
    print(f"kit rows not in the gold (extra): {len(extra)}; kit count rows with a voice: "
          f"{(counts['voice'] != 'none').sum()}/{len(counts)}")
    if errors:
        print("errors:")
        print("\n".join(errors))


_ISO_ACTORS = {"USA": "United States", "RUS": "Russia", "IRN": "Iran", "FRA": "France", "MEX": "Mexico",
               "PRK": "North Korea", "SYR": "Syria", "ISR": "Israel", "GBR": "United Kingdom",
               "SAU": "Saudi Arabia"}
_PRONOUNS = {"he", "him", "his", "she", "her", "hers", "they", "them", "their", "theirs", "it", "its",
             "we", "us", "our", "i", "me", "my", "you", "your", "who", "whom", "himself", "herself",
             "themselves", "itself"}
_HONORIFIC_RE = re.compile(r"(?i)\A(?:mr|mrs|ms|dr|miss)\.?\s+")
# evaluative labels (the benchmark's rule, independent of the kit's lexicons): a word of this
# hand-written list of judging words (insult, praise, stance, legality, threat)
_EVALUATIVE_WORDS = {"dictator", "despot", "strongman", "regime", "rocket", "obstructionist", "illegal",
                     "illegals", "aliens", "unauthorized", "undocumented", "thug", "thugs", "radical",
                     "extremist", "terrorist", "terrorists", "authoritarian", "repressive", "fired",
                     "disgraced", "embattled", "brave", "warriors", "invasion", "invaders", "smugglers",
                     "leaker", "liar", "slimeball", "so-called", "hardline", "rogue", "crooked",
                     "trusted", "threat", "horrible", "criminal", "criminals", "corrupt", "evil",
                     "loyally", "welcoming", "hostile", "notorious", "controversial", "beleaguered",
                     "hawkish", "firebrand", "militant", "murderous", "brutal", "heroic", "great"}


def _norm_phrase(s: str) -> str:
    s = s.lower().replace("’", "'").strip(" ,.;:\"'")
    s = re.sub(r"'s?\Z", "", s)
    s = re.sub(r"\A(?:the|a|an)\s+", "", s)
    return s


def _wcl_actor(code: str, dictionary: dict) -> str | None:
    """Dictionary actor of a NewsWCL50 target code: a country code by the ISO table; otherwise
    the code's last part equal to the actor's name, one of its aliases or its surname
    (apostrophes ignored); codes for unnamed individuals (``-I``, ``-Misc``) have none."""
    last = code.split("\\")[-1]
    if last.endswith(("-I", "-Misc")):
        return None
    if last in _ISO_ACTORS:
        return _ISO_ACTORS[last] if _ISO_ACTORS[last] in dictionary else None
    key = re.sub(r"['’]", "", last).lower()
    for name, spec in dictionary.items():
        forms = {name, *spec.get("aliases", [])}
        if any(re.sub(r"['’]", "", f).lower() in {key} for f in forms) or name.split()[-1].lower() == key:
            return name
    return None


def _is_evaluative(phrase: str) -> bool:
    return any(w in _EVALUATIVE_WORDS for w in re.findall(r"[a-z][a-z'\-]*", phrase.lower()))


def _paragraph_map(text: str, raw: str) -> list[tuple[int, int, int]]:
    """(start in text, start in raw, length) of each paragraph of ``text``, found in ``raw``
    in order (cleaning may drop a paragraph, so one offset does not map the whole body)."""
    out, cursor, at = [], 0, 0
    for para in text.split("\n\n"):
        where = raw.find(para, cursor) if para else -1
        if where >= 0:
            out.append((at, where, len(para)))
            cursor = where + len(para)
        at += len(para) + 2
    return out


def _to_raw(pmap: list[tuple[int, int, int]], offset: int) -> int:
    for t0, r0, n in pmap:
        if t0 <= offset < t0 + n:
            return r0 + offset - t0
    return -1


def labels(devsets: Path) -> None:
    """Recall of NewsWCL50's annotated labelling phrases by :func:`analysis.framing.actor_labels`."""
    import warnings

    import pandas as pd

    from analysis.corpus import load_corpus
    from analysis.framing import actor_labels
    from analysis.framing.actors import load_actor_dictionary

    root = devsets / "newswcl50-dev"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = load_corpus(root)
    ment = pd.read_csv(root / "mentions.csv")
    ment = ment[ment["code_type"].isin(["ACTOR", "ACTOR-I", "COUNTRY", "GROUP"]) & (ment["start"] >= 0)]
    gold, n_unmapped, n_names = [], 0, 0
    tables = []
    for event, g in docs.groupby("event_id", sort=True):
        dictionary = load_actor_dictionary(root / "actors" / f"event_{event}.yaml")
        lab = actor_labels(g, actors=dictionary)
        lab = lab.assign(event=event)
        raw = dict(zip(g["doc_id"], g["raw_text"]))
        body = {d: _paragraph_map(t, raw[d]) for d, t in zip(g["doc_id"], g["text"])}
        head = {d: (raw[d].find(t) if t else -1) for d, t in zip(g["doc_id"], g["title"].fillna(""))}
        in_head = lab["in_headline"] if "in_headline" in lab.columns else pd.Series(False, index=lab.index)
        starts, ends = [], []
        for d, h, a, b in zip(lab["doc_id"], in_head, lab["start"], lab["end"]):
            if h:
                o = head[d]
                starts.append(a + o if o >= 0 else -1)
                ends.append(b + o if o >= 0 else -1)
            else:
                starts.append(_to_raw(body[d], a))
                ends.append(_to_raw(body[d], b - 1) + 1)
        lab = lab.assign(raw_start=starts, raw_end=ends)
        tables.append(lab)
        for r in ment[ment["event_id"].astype(str) == str(event)].itertuples():
            actor = _wcl_actor(r.code_name, dictionary)
            if actor is None:
                n_unmapped += 1
                continue
            phrase = _norm_phrase(_HONORIFIC_RE.sub("", str(r.mention)))
            aliases = {_norm_phrase(a) for a in [actor, *dictionary[actor].get("aliases", [])]}
            if phrase in aliases or phrase in _PRONOUNS or not phrase:
                n_names += 1
                continue
            gold.append(dict(doc_id=r.doc_id, actor=actor, start=int(r.start), end=int(r.end),
                             mention=str(r.mention), evaluative=_is_evaluative(str(r.mention))))
    lab = pd.concat(tables, ignore_index=True)
    by_doc = {k: v for k, v in lab.groupby("doc_id")}
    hits = []
    for gr in gold:
        cand = by_doc.get(gr["doc_id"])
        ok = cand is not None and bool(((cand["actor"] == gr["actor"]) & (cand["raw_start"] < gr["end"])
                                        & (cand["raw_end"] > gr["start"])).any())
        hits.append(ok)
    gdf = pd.DataFrame(gold).assign(hit=hits)
    ev = gdf[gdf["evaluative"]]
    honor = lab["label"].str.lower().str.rstrip(".").isin({"mr", "mrs", "ms", "dr"}).sum()
    print("== labels: NewsWCL50 labelling phrases found by actor_labels (event dictionaries)")
    print("rule: a mentions.csv row of ACTOR/ACTOR-I/COUNTRY/GROUP whose target maps to a dictionary actor "
          "(country code by ISO table; else last code part = actor name, alias or surname); a label when "
          "the phrase, without a leading 'the', 'a' or 'an', an honorific or a trailing 's, is not one of that actor's "
          "aliases nor a pronoun. Found = a label row of the same actor overlapping the span "
          "(offsets mapped text -> raw_text; headline rows via the title's place in the file).")
    print(f"annotated rows left out: {n_unmapped} (target not in the dictionary), {n_names} (bare names, pronouns)")
    print(f"label recall: {gdf['hit'].mean():.1%} ({gdf['hit'].sum()}/{len(gdf)})")
    print("evaluative = the phrase has a word of the benchmark's hand-written list of judging words "
          "(dictator, regime, illegal, unauthorized, authoritarian, fired, brave, trusted, smugglers, ...)")
    print(f"evaluative recall: {ev['hit'].mean():.1%} ({ev['hit'].sum()}/{len(ev)})")
    rest = gdf[gdf["actor"] != "United States"]
    print(f"label recall without the 'USA' code (NewsWCL50 files US officials and institutions under it): "
          f"{rest['hit'].mean():.1%} ({rest['hit'].sum()}/{len(rest)})")
    print(f"honorific labels (Mr., Mrs., Ms., Dr.): {honor}/{len(lab)} ({honor / max(len(lab), 1):.1%})")
    for actor, g in gdf.groupby("actor"):
        print(f"  {actor:<20} {g['hit'].sum():>4}/{len(g):<4}")
    missed = gdf[~gdf["hit"]]["mention"].str.lower().value_counts().head(25)
    print("most frequent missed:", "; ".join(f"{k} ({v})" for k, v in missed.items()))
    _label_precision(lab)


LABEL_CHECK = Path(__file__).parent / "gold" / "labels_precision_dev.csv"
DISCOVERED_CHECK = Path(__file__).parent / "gold" / "labels_discovered_basil_dev.csv"
_LABEL_KEY = ["doc_id", "actor", "label", "label_kind", "in_headline", "start", "end"]


def discovered_labels_table(devsets: Path):
    """``actor_labels`` of every basil-dev story with the story's discovered actors (no
    dictionary: what a report on a new corpus shows), stories in ``event_id`` order."""
    import pandas as pd

    from analysis.corpus import load_corpus
    from analysis.framing import actor_labels, actors_for_report

    root = devsets / "basil-dev"
    docs = load_corpus(root)
    parts = []
    for _event, story in docs.groupby("event_id", sort=True):
        dictionary, _table = actors_for_report(story, "", root)
        parts.append(actor_labels(story, actors=dictionary))
    return pd.concat(parts, ignore_index=True)


def labels_discovered(devsets: Path) -> None:
    """Precision of the label rows on BASIL stories with discovered actors, read by hand
    (``gold/labels_discovered_basil_dev.csv``)."""
    lab = discovered_labels_table(devsets)
    print(f"== labels with discovered actors: {len(lab)} label rows on basil-dev")
    _label_precision(lab, DISCOVERED_CHECK, "discovered actors, basil-dev")


def _stable_sample(table, n: int = 50):
    """The ``n`` rows of ``table`` whose key (:data:`_LABEL_KEY`) has the smallest SHA-256.

    Unlike ``DataFrame.sample``, the draw does not depend on the other rows: a rule change
    that adds or removes some rows changes the sample only where those rows are, so only they
    need reading again.
    """
    import hashlib

    keys = ["\x1f".join(map(str, k)) for k in table[_LABEL_KEY].itertuples(index=False)]
    order = sorted(range(len(keys)), key=lambda i: hashlib.sha256(keys[i].encode("utf-8")).hexdigest())
    return table.iloc[order[:n]]


#: where ``--write-unjudged`` puts the rows of today's samples that no hand check holds yet
UNJUDGED: dict[str, Path] = {}


def _label_precision(lab, path: Path = LABEL_CHECK, what: str = "event dictionaries, newswcl50-dev") -> None:
    """Precision of the label rows read by hand.

    The sample is the 50 label rows with the smallest hash of their key (:func:`_stable_sample`);
    ``path`` holds every row ever judged (``correct`` yes/no and the reason, each against its
    sentence), so a rule change leaves most judgments in place. Printed: precision over the
    sample's judged rows, the sample's rows not judged yet (to read: ``--write-unjudged``), and
    the judged rows the kit no longer produces (wrong ones removed, right ones lost)."""
    import pandas as pd

    if not path.is_file():
        print(f"label precision ({what}): no hand check at {path}")
        return
    check = pd.read_csv(path, keep_default_na=False)
    check = check.astype({"in_headline": str, "start": int, "end": int})
    check["in_headline"] = check["in_headline"].str.lower().eq("true")
    judged = {tuple(r[:-2]): (r[-2], r[-1]) for r in check[_LABEL_KEY + ["correct", "reason"]].itertuples(index=False)}
    now = lab.astype({"in_headline": bool, "start": int, "end": int})
    sample = _stable_sample(now)
    keys = [tuple(r) for r in sample[_LABEL_KEY].itertuples(index=False)]
    read = [k for k in keys if k in judged]
    right = sum(judged[k][0] == "yes" for k in read)
    print(f"label precision ({what}; hand check of the {len(keys)} rows with the smallest key hash): "
          f"{right / max(1, len(read)):.1%} ({right}/{len(read)} judged)")
    todo = sample[[k not in judged for k in keys]]
    print(f"rows of the sample not judged yet: {len(todo)}" + (" (read them: --write-unjudged DIR)" if len(todo) else ""))
    produced = set(map(tuple, now[_LABEL_KEY].itertuples(index=False)))
    gone = [k for k in judged if k not in produced]
    gone_wrong = sum(judged[k][0] != "yes" for k in gone)
    print(f"judged rows no longer produced: {len(gone)} ({gone_wrong} wrong ones removed, {len(gone) - gone_wrong} right ones lost)")
    for k in read:
        if judged[k][0] != "yes":
            print(f"  wrong: {k[0]} {k[1]!r} {k[2]!r} ({k[3]}): {judged[k][1]}")
    out = UNJUDGED.get(path.name)
    if out is not None and len(todo):
        cols = [c for c in _LABEL_KEY + ["sentence"] if c in todo.columns]
        todo[cols].assign(correct="", reason="").to_csv(out, index=False)
        print(f"  {len(todo)} rows to judge written to {out}")


SECTIONS = {"segmentation": segmentation, "actors": actors, "loaded": loaded, "quotes": quotes,
            "labels_discovered": labels_discovered,
            "frames": frames_check, "claims": claims_check,
            "labels": labels}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("devsets", type=Path, help="folder with basil-dev/ and newswcl50-dev/")
    ap.add_argument("--only", choices=sorted(SECTIONS), action="append", help="run only these sections")
    ap.add_argument("--write-unjudged", type=Path, metavar="DIR",
                    help="write the label rows of today's hand-check samples that are not judged yet to DIR "
                         "(one CSV per check, with the sentence and empty 'correct'/'reason' columns)")
    args = ap.parse_args(argv)
    if args.write_unjudged is not None:
        args.write_unjudged.mkdir(parents=True, exist_ok=True)
        for check in (LABEL_CHECK, DISCOVERED_CHECK):
            UNJUDGED[check.name] = args.write_unjudged / f"to_judge_{check.name}"
    if not (args.devsets / "basil-dev").is_dir():
        ap.error(f"{args.devsets} has no basil-dev/ folder: pass the devsets folder (e.g. ../shared/devsets)")
    for name in args.only or SECTIONS:
        SECTIONS[name](args.devsets)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
