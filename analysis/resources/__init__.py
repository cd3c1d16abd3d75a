"""Package data written for the kit: word lists and dictionaries (read with importlib.resources)."""

from __future__ import annotations

from importlib import resources

__all__ = ["read_text", "resource_path"]


def resource_path(name: str):
    """Return a Traversable for the resource file ``name`` shipped in ``analysis/resources``."""
    return resources.files(__name__).joinpath(name)


def read_text(name: str) -> str:
    """Read the UTF-8 resource file ``name`` shipped in ``analysis/resources``."""
    return resource_path(name).read_text(encoding="utf-8")
