"""Claim-candidate extraction: the pure-Python NLP core (no Django models, no database).

    from factcheck.extraction import extract_candidates
    candidates_per_text = extract_candidates([text1, text2])

Each ``Candidate`` is a check-worthy sentence or a quotation with its speaker, typed
(quantity, quote, attributed, causal, prediction, rule, opinion, other), with entities and
numbers; offsets are code points into the given text. Scoring is done by the caller.
"""

from .candidate import Candidate
from .classify import CLAIM_TYPES
from .nlp import get_nlp, model_version
from .pipeline import extract_candidates, extract_from_doc

EXTRACTOR_NAME = "workbench-spacy"
# Bump whenever the output for the same text and model can change.
EXTRACTOR_VERSION = "1.2.0"

__all__ = [
    "CLAIM_TYPES",
    "EXTRACTOR_NAME",
    "EXTRACTOR_VERSION",
    "Candidate",
    "extract_candidates",
    "extract_from_doc",
    "get_nlp",
    "model_version",
]
