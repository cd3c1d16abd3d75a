"""Media-comparison research kit: how did these outlets cover the same story differently?

The package is deliberately light to import: heavy dependencies (matplotlib, papermill,
scikit-learn) are imported inside the modules that need them.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
