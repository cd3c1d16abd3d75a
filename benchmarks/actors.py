"""Benchmark: discovered actors against NewsWCL50's annotated targets, and the hand check.

Run with ``python benchmarks/actors.py DEVSETS`` (DEVSETS = the folder holding
``newswcl50-dev/`` and ``basil-dev/``; options ``--basil 4`` stories to list, ``--show`` to
print every group). Reads the development sets by path; copies nothing.

What it prints
--------------
1. **Recall of annotated targets** (``newswcl50-dev/mentions.csv``). A target is a
   ``code_name`` of type ACTOR, COUNTRY or GROUP within one event. Its *name-like* mentions
   are the annotated phrases (``start >= 0``) containing a capitalised word that is not a
   title, honorific, demonym or function word ("President Trump", "Mr. Comey", "Russia";
   not "the caravan" or "North Korean dictator"). Each name-like mention is matched to the
   discovered mention (:func:`analysis.framing.discover.discover_mentions`, all groups)
   overlapping it most. A target with at least 10 name-like mentions is **found** when one
   discovered actor holds at least half of them (unmatched mentions count against it).
2. **Group precision** from the hand check in ``benchmarks/gold/actor_groups_newswcl50.csv``
   (event, actor, aliases, verdict right/wrong, why): share of ``right`` verdicts; groups
   whose aliases changed since the check (or that are gone) are flagged so they can be
   re-read.
3. Discovery time per story after parsing (parses are memoised first), and the groups of a
   few BASIL stories for reading.

Reference run (2 shared cores): 15/15 targets found (Comey, Flynn, Trump x4, Macron, Obama,
Mueller; Russia x2, Iran, Mexico, United States x3), the plurality group holding 78-100 % of
each target's name mentions; 39/40 hand-checked groups right (the wrong one: "British", a
nationality in a description, not an actor); 0.1-0.6 s per story of 5 articles after parsing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from analysis.corpus import load_corpus
from analysis.framing import _patterns as P
from analysis.framing.actors import _ActorIndex, load_actor_dictionary
from analysis.framing.discover import _DEMONYM_STATE, _TITLES, discover_actors, discover_mentions

GOLD = Path(__file__).resolve().parent / "gold" / "actor_groups_newswcl50.csv"
TARGET_TYPES = ("ACTOR", "COUNTRY", "GROUP")
MIN_NAME_MENTIONS = 10
_NOT_NAME = _TITLES | P.DEMONYM_N | frozenset(_DEMONYM_STATE) | frozenset({
    "the", "a", "an", "his", "her", "their", "its", "our", "this", "that", "these", "those",
    "and", "of", "in", "on", "for", "to", "with", "by", "north", "south", "korean", "americans",
    "mexicans", "russians", "iranians", "koreans", "europeans", "democrats", "republicans",
})


def name_like(phrase: str) -> bool:
    """A phrase that contains a proper name (a capitalised word that is not a title,
    honorific, demonym or function word)."""
    for w in phrase.replace("’", "'").split():
        w = P.strip_possessive(w.strip("\"“”‘'(),.:;"))
        if w[:1].isupper() and P.norm(w) not in _NOT_NAME and P.norm(w).rstrip("s") not in _NOT_NAME:
            return True
    return False


def _own_name(index: _ActorIndex, phrase: str) -> str | None:
    """The hand-written dictionary actor a phrase names, when its proper names are all that
    actor's aliases ("President Trump" -> Donald Trump; "U.S. Customs and Border
    Protection" -> None: "Customs", "Border", "Protection" are another name)."""
    found = index.find(phrase[:300])
    if not found or len({a for _s, _e, a in found}) != 1:
        return None
    covered = [(a, b) for a, b, _x in found]
    for t in P.tokenize(phrase[:300]):
        if any(a <= t.start < b for a, b in covered):
            continue
        if not name_like(t.text):
            continue
        return None
    return found[0][2]


def _relocate(text: str, phrase: str, start: int) -> tuple[int, int]:
    """Offsets of ``phrase`` in ``text`` nearest to ``start`` (-1, -1 when absent)."""
    best = -1
    for a in range(max(0, start - 400), min(len(text), start + 50)):
        if text.startswith(phrase, a) and (best < 0 or abs(a - start) < abs(best - start)):
            best = a
    return (best, best + len(phrase)) if best >= 0 else (-1, -1)


def _stories(corpus: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    return [(str(e), g.reset_index(drop=True)) for e, g in corpus.groupby("event_id", sort=True)]


def recall(devsets: Path, show: bool) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    corpus = load_corpus(devsets / "newswcl50-dev")
    ann = pd.read_csv(devsets / "newswcl50-dev" / "mentions.csv")
    ann = ann[ann["code_type"].isin(TARGET_TYPES) & (ann["start"] >= 0)]
    tables: dict[str, pd.DataFrame] = {}
    rows = []
    times = []
    for event, docs in _stories(corpus):
        from analysis import nlp

        nlp.parse(docs["text"].tolist())  # parse first: time discovery alone
        t0 = time.perf_counter()
        table = discover_actors(docs)
        times.append(time.perf_counter() - t0)
        tables[event] = table
        m = discover_mentions(docs, min_mentions=1)
        by_doc = {d: g for d, g in m.groupby("doc_id")}
        a_ev = ann[ann["event_id"].astype(str) == event].copy()
        # annotations are offsets in the article file; the kit's text is the cleaned body
        # (a dateline dropped): move each phrase to where it stands in ``text``
        texts = dict(zip(docs["doc_id"], docs["text"]))
        a_ev["start"], a_ev["end"] = zip(*[_relocate(texts.get(r.doc_id, ""), r.mention, r.start)
                                           for r in a_ev.itertuples()])
        a_ev = a_ev[a_ev["start"] >= 0]
        index = _ActorIndex(load_actor_dictionary(devsets / "newswcl50-dev" / "actors" / f"event_{event}.yaml"))
        for (ctype, cname), g in a_ev.groupby(["code_type", "code_name"]):
            named = [_own_name(index, ph) if name_like(ph) else None for ph in g["mention"]]
            own = Counter(a for a in named if a)
            if not own:
                continue
            dict_actor = own.most_common(1)[0][0]
            names = g[[a == dict_actor for a in named]]
            if len(names) < MIN_NAME_MENTIONS:
                continue
            got: Counter = Counter()
            for r in names.itertuples():
                dm = by_doc.get(r.doc_id)
                if dm is None:
                    continue
                ov = (dm["end"].clip(upper=r.end) - dm["start"].clip(lower=r.start))
                ov = ov[ov > 0]
                if len(ov):
                    got[dm.loc[ov.idxmax(), "actor"]] += 1
            best, n_best = got.most_common(1)[0] if got else ("", 0)
            kept = set(table["actor"])
            rows.append(dict(event=event, target=f"{ctype} {cname}", names=dict_actor,
                             n_name_mentions=len(names),
                             actor=best, share=n_best / len(names),
                             found=bool(n_best * 2 >= len(names) and best in kept)))
    print(f"discover_actors after parsing: {min(times) * 1000:.0f}-{max(times) * 1000:.0f} ms per story "
          f"({len(times)} stories of {corpus.groupby('event_id').size().min()}-"
          f"{corpus.groupby('event_id').size().max()} articles)")
    return tables, rows


def precision(tables: dict[str, pd.DataFrame]) -> None:
    if not GOLD.is_file():
        print(f"no hand check at {GOLD}")
        return
    gold = pd.read_csv(GOLD, dtype=str, keep_default_na=False)
    n_right = int((gold["verdict"] == "right").sum())
    print(f"\nGroup precision (hand check of {len(gold)} groups): {n_right}/{len(gold)} = "
          f"{n_right / len(gold):.1%} right")
    for r in gold[gold["verdict"] != "right"].itertuples():
        print(f"  wrong: event {r.event} {r.actor!r} [{r.aliases}]: {r.why}")
    changed = []
    for r in gold.itertuples():
        t = tables.get(str(r.event))
        now = t[t["actor"] == r.actor] if t is not None else pd.DataFrame()
        if now.empty:
            changed.append(f"event {r.event} {r.actor!r}: no longer discovered")
            continue
        aliases = "; ".join(now.iloc[0]["aliases"])
        if aliases != r.aliases:
            changed.append(f"event {r.event} {r.actor!r}: aliases now [{aliases}] (checked [{r.aliases}])")
    print(f"  groups changed since the check: {len(changed)}")
    for c in changed:
        print("   ", c)


def basil(devsets: Path, n: int) -> None:
    corpus = load_corpus(devsets / "basil-dev")
    for event, docs in _stories(corpus)[:n]:
        table = discover_actors(docs)
        print(f"\nBASIL story {event} ({len(docs)} articles): {len(table)} actors")
        for r in table.head(15).itertuples():
            print(f"  {r.actor} ({r.type}, {r.n_mentions} mentions, {r.n_outlets} outlets): {'; '.join(r.aliases)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("devsets", type=Path)
    ap.add_argument("--basil", type=int, default=4, help="BASIL stories whose groups are listed")
    ap.add_argument("--show", action="store_true", help="print every discovered NewsWCL50 group")
    args = ap.parse_args(argv)
    tables, rows = recall(args.devsets, args.show)
    res = pd.DataFrame(rows)
    print(f"\nAnnotated targets with >= {MIN_NAME_MENTIONS} name-like mentions (newswcl50-dev, "
          f"types {', '.join(TARGET_TYPES)}): found {int(res['found'].sum())}/{len(res)} = "
          f"{res['found'].mean():.0%}")
    with pd.option_context("display.width", 200, "display.max_rows", 200):
        print(res.to_string(index=False, formatters={"share": "{:.0%}".format}))
    if args.show:
        for event, t in tables.items():
            print(f"\nevent {event}")
            for r in t.itertuples():
                print(f"{event},{r.actor},{'; '.join(r.aliases)},{r.type},{r.n_mentions}")
    precision(tables)
    if args.basil:
        basil(args.devsets, args.basil)
    return 0


if __name__ == "__main__":
    sys.exit(main())
