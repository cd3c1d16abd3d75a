"""Exceptions raised by the kit.

Every error message names the file, row or parameter at fault and says how to fix it.
"""

from __future__ import annotations


class KitError(Exception):
    """Base class for every error the kit raises on purpose."""


class CorpusError(KitError, ValueError):
    """A corpus source, manifest or document cannot be used as given."""


class ParameterError(KitError, ValueError):
    """A function, notebook or command-line parameter is unknown or has a bad value."""


class ResourceMissing(KitError, RuntimeError):
    """A language resource is not installed; the message names the pip package providing it."""


class NotEnoughData(KitError, ValueError):
    """A measure needs more documents, outlets or tokens than the input has."""


class DocsError(ParameterError, CorpusError):
    """The ``docs`` argument is not a usable docs table (wrong type, missing columns, repeated ids)."""
