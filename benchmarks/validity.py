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


SECTIONS = {"segmentation": segmentation, "actors": actors}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("devsets", type=Path, help="folder with basil-dev/ and newswcl50-dev/")
    ap.add_argument("--only", choices=sorted(SECTIONS), action="append", help="run only these sections")
    args = ap.parse_args(argv)
    if not (args.devsets / "basil-dev").is_dir():
        ap.error(f"{args.devsets} has no basil-dev/ folder: pass the devsets folder (e.g. ../shared/devsets)")
    for name in args.only or SECTIONS:
        SECTIONS[name](args.devsets)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
