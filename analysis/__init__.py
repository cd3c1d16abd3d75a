"""Media-comparison research kit: how did these outlets cover the same story differently?

The package is deliberately light to import: heavy dependencies (matplotlib, papermill,
scipy) are imported inside the modules that need them; nltk and scikit-learn are not needed
at run time (the kit has its own Porter stemmer and TF-IDF; tests use them as references).
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
