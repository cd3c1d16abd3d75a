"""Framing differences between outlets: actors and labels, sourcing, claims, frames, tone.

One module per family of measures; every row-level table carries ``doc_id, outlet,
sent_id, sentence`` so each number can be traced to the sentence behind it (``sent_id`` is
the 0-based index into ``analysis.text.sentences(text)``). Everything is offline: regular
expressions and small word lists, and spaCy's named entities (:mod:`analysis.nlp`, a pinned
pip package) to discover each story's actors.
To keep hostile input bounded, pattern matching reads at most 3,000 characters of a
sentence and a quote closes within 3,000 characters or at a paragraph break.

- :mod:`analysis.framing.discover`: ``discover_actors`` (the story's people,
  organisations, states/places and groups from its named entities, spellings, surnames and
  titles grouped across outlets), ``actors_to_dictionary`` and ``write_actor_yaml`` (an
  editable actor dictionary), ``actors_for_report`` (the dictionary a report uses: a YAML
  path, else the corpus folder's ``actors.yaml``, else discovered; with its source).
- :mod:`analysis.framing.actors`: ``load_actor_dictionary``, ``actor_mentions``,
  ``actor_summary``, ``actor_labels`` (word choice and labelling), ``entities``
  (named entities with each outlet's spellings). Every function that takes ``actors``
  uses the story's discovered actors when it is None, never the seed story's dictionary.
- :mod:`analysis.framing.sourcing`: ``quotes`` (direct/indirect, speaker, reporting
  verb, anonymous/institutional) and ``sources`` (per outlet).
- :mod:`analysis.framing.claims`: ``claims`` (numbers, what they count, voice, agent,
  attribution).
- :mod:`analysis.framing.frames`: ``load_frame_dictionary``, ``frames``, ``frame_hits``,
  ``frame_terms`` (policy-frame dimensions, Boydstun et al. 2014).
- :mod:`analysis.framing.tone`: ``tone``, ``tone_by_outlet``, ``tone_by_actor`` (VADER).
- :mod:`analysis.framing.loaded`: ``loaded_language`` (loaded words outside quotation marks,
  per sentence), ``loaded_language_by_outlet`` (per 100 words, bootstrap CI).
"""

from analysis.framing.actors import (
    actor_labels,
    actor_mentions,
    actor_summary,
    entities,
    label_counts,
    load_actor_dictionary,
)
from analysis.framing.claims import claims
from analysis.framing.discover import (
    actors_for_report,
    actors_to_dictionary,
    discover_actors,
    write_actor_yaml,
)
from analysis.framing.frames import frame_hits, frame_terms, frames, load_frame_dictionary
from analysis.framing.loaded import loaded_language, loaded_language_by_outlet
from analysis.framing.sourcing import quotes, sources
from analysis.framing.tone import tone, tone_by_actor, tone_by_outlet

__all__ = [
    "actor_labels",
    "actor_mentions",
    "actor_summary",
    "label_counts",
    "actors_for_report",
    "actors_to_dictionary",
    "claims",
    "discover_actors",
    "entities",
    "frame_hits",
    "frame_terms",
    "frames",
    "load_actor_dictionary",
    "load_frame_dictionary",
    "loaded_language",
    "loaded_language_by_outlet",
    "quotes",
    "sources",
    "tone",
    "tone_by_actor",
    "tone_by_outlet",
    "write_actor_yaml",
]
