"""Framing differences between outlets: actors and labels, sourcing, claims, frames, tone.

One module per family of measures; every row-level table carries ``doc_id, outlet,
sent_id, sentence`` so each number can be traced to the sentence behind it (``sent_id`` is
the 0-based index into ``analysis.text.sentences(text)``). Everything is rule-based and
offline: regular expressions and small word lists, no tagger, parser or model download.
To keep hostile input bounded, pattern matching reads at most 3,000 characters of a
sentence and a quote closes within 3,000 characters or at a paragraph break.

- :mod:`analysis.framing.actors`: ``load_actor_dictionary``, ``actor_mentions``,
  ``actor_summary``, ``actor_labels`` (word choice and labelling), ``entities``
  (names found without a dictionary, spelling variants grouped across outlets).
- :mod:`analysis.framing.sourcing`: ``quotes`` (direct/indirect, speaker, reporting
  verb, anonymous/institutional) and ``sources`` (per outlet).
- :mod:`analysis.framing.claims`: ``claims`` (numbers, what they count, voice, agent,
  attribution).
- :mod:`analysis.framing.frames`: ``load_frame_dictionary``, ``frames``, ``frame_hits``,
  ``frame_terms`` (policy-frame dimensions, Boydstun et al. 2014).
- :mod:`analysis.framing.tone`: ``tone``, ``tone_by_outlet``, ``tone_by_actor`` (VADER).
"""

from analysis.framing.actors import (
    actor_labels,
    actor_mentions,
    actor_summary,
    entities,
    load_actor_dictionary,
)
from analysis.framing.claims import claims
from analysis.framing.frames import frame_hits, frame_terms, frames, load_frame_dictionary
from analysis.framing.sourcing import quotes, sources
from analysis.framing.tone import tone, tone_by_actor, tone_by_outlet

__all__ = [
    "actor_labels",
    "actor_mentions",
    "actor_summary",
    "claims",
    "entities",
    "frame_hits",
    "frame_terms",
    "frames",
    "load_actor_dictionary",
    "load_frame_dictionary",
    "quotes",
    "sources",
    "tone",
    "tone_by_actor",
    "tone_by_outlet",
]
