"""The array attribute ruler gives exactly the stock AttributeRuler's annotations (POS, TAG,
MORPH, LEMMA, DEP on every token), and the pipeline falls back to the stock component when a
ruler uses a pattern it does not support.

Reads the five seed articles from ../shared/seeds (via the ``seeds_dir`` fixture).
"""

import numpy
import pytest
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

from factcheck.extraction.attributes import FACTORY, ArrayAttributeRuler
from factcheck.extraction.nlp import _load, default_model_name, get_nlp

ATTRS = [POS, TAG, MORPH, LEMMA, DEP]
# Text that exercises the English ruler's rarer patterns: two-token patterns with an index
# ("gonna", "gotta", "let's", "y'all", "there is"), REGEX and IN predicates ("ain't", "nothin'"),
# contractions, negation, whitespace tokens with and without a dependency label.
EDGE_TEXT = (
    "We're gonna win, y'all, and they gotta know it. Let's go!  \n\n"
    "There is a problem: it ain't nothin' he'd've said. C'mon, 'nuff said, ol' friend; "
    "I can't and won't. She gets it, he got it, they had been told.\n \tThere were 3 of 'em."
)


@pytest.fixture(scope="module")
def shipped():
    """The model as shipped, with its stock attribute_ruler."""
    return spacy.load(default_model_name())


def annotate_both(shipped, text: str):
    with shipped.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        stock_doc, array_doc = shipped(text), shipped(text)
    shipped.get_pipe("attribute_ruler")(stock_doc)
    ArrayAttributeRuler.compile(shipped.get_pipe("attribute_ruler"))(array_doc)
    for doc in (stock_doc, array_doc):
        shipped.get_pipe("lemmatizer")(doc)
    return stock_doc, array_doc


def test_same_annotations_as_the_stock_component(shipped, seeds_dir):
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))] + [EDGE_TEXT]
    for text in texts:
        stock_doc, array_doc = annotate_both(shipped, text)
        assert numpy.array_equal(stock_doc.to_array(ATTRS), array_doc.to_array(ATTRS))
        assert [str(t.morph) for t in stock_doc] == [str(t.morph) for t in array_doc]


def test_edge_text_exercises_the_rare_patterns(shipped):
    stock_doc, array_doc = annotate_both(shipped, EDGE_TEXT)
    by_text = {t.text: t for t in array_doc}
    assert by_text["gon"].lemma_ == "go" and by_text["na"].lemma_ == "to"  # two-token pattern, index 1
    assert by_text["ai"].lemma_ == "be"  # IN on TAG + REGEX on the next token
    assert by_text["nothin'"].lemma_ == "nothing"  # REGEX
    assert [t.pos_ for t in array_doc if t.lower_ == "there"][0] == "PRON"
    assert next(t for t in array_doc if t.lower_ == "is").pos_ == "VERB"  # after an expletive
    assert all(t.pos_ == "SPACE" and t.tag_ == "_SP" for t in array_doc if t.is_space)
    assert [t.pos_ for t in stock_doc] == [t.pos_ for t in array_doc]


def test_the_worker_pipeline_uses_it(shipped):
    nlp = get_nlp()
    assert FACTORY in nlp.pipe_names and "attribute_ruler" in nlp.disabled
    assert "attribute_ruler" in shipped.pipe_names and FACTORY not in shipped.pipe_names
    stock_doc, worker_doc = shipped(EDGE_TEXT), nlp(EDGE_TEXT)
    assert [(t.pos_, t.lemma_, str(t.morph)) for t in stock_doc] == [(t.pos_, t.lemma_, str(t.morph)) for t in worker_doc]


def test_unsupported_patterns_keep_the_stock_component(shipped):
    ruler = shipped.get_pipe("attribute_ruler")
    assert ArrayAttributeRuler.compile(ruler) is not None
    nlp = spacy.blank("en")
    custom = nlp.add_pipe("attribute_ruler")
    custom.add([[{"LOWER": "very", "OP": "+"}]], {"POS": "ADV"})  # an operator
    assert ArrayAttributeRuler.compile(custom) is None
    other = spacy.blank("en").add_pipe("attribute_ruler")
    other.add([[{"ENT_TYPE": "PERSON"}]], {"POS": "PROPN"})  # an attribute it does not read
    assert ArrayAttributeRuler.compile(other) is None
    with pytest.raises(ValueError, match="not supported"):
        nlp.add_pipe(FACTORY)


def test_a_model_whose_ruler_is_not_supported_loads_with_the_stock_component(monkeypatch):
    monkeypatch.setattr(ArrayAttributeRuler, "compile", classmethod(lambda cls, ruler: None))
    nlp = _load(default_model_name())  # a fresh pipeline, not the cached one
    assert "attribute_ruler" in nlp.pipe_names and FACTORY not in nlp.pipe_names
    assert next(t for t in nlp("She said it.") if t.text == "She").pos_ == "PRON"
