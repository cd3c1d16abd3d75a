"""Framing differences between outlets: actors and labels, sourcing, claims, frames, tone."""
from analysis.framing.actors import actor_labels, actor_mentions, actor_summary, entities, load_actor_dictionary
from analysis.framing.sourcing import quotes, sources
from analysis.framing.claims import claims
