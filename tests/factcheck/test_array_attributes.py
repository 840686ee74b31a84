"""The worker pipeline's own components: the array attribute ruler gives exactly the stock
AttributeRuler's annotations (POS, TAG, MORPH, LEMMA, DEP on every token), the array lemmatizer
exactly the stock lemmatizer's lemmas, the pipeline falls back to a stock component the array one
does not support, and a line break always ends a sentence.

Reads the five seed articles from ../shared/seeds (via the ``seeds_dir`` fixture).
"""

import numpy
import pytest
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

from factcheck.extraction.attributes import FACTORY, LEMMATIZER_FACTORY, ArrayAttributeRuler, ArrayLemmatizer
from factcheck.extraction.nlp import NEWLINE_COMPONENT, _load, default_model_name, get_nlp

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
    assert LEMMATIZER_FACTORY in nlp.pipe_names and "lemmatizer" in nlp.disabled
    assert "attribute_ruler" in shipped.pipe_names and FACTORY not in shipped.pipe_names
    stock_doc, worker_doc = shipped(EDGE_TEXT), nlp(EDGE_TEXT)
    assert [(t.pos_, t.lemma_, str(t.morph)) for t in stock_doc] == [
        (t.pos_, t.lemma_, str(t.morph)) for t in worker_doc
    ]


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


# --- the lemmatizer ------------------------------------------------------------------------------


def lemmatize_both(shipped, text: str):
    """Two docs annotated up to the attribute ruler: one lemmatized by the stock component, one by
    the array lemmatizer."""
    with shipped.select_pipes(disable=["lemmatizer", "ner"]):
        stock_doc, array_doc = shipped(text), shipped(text)
    shipped.get_pipe("lemmatizer")(stock_doc)
    ArrayLemmatizer.compile(shipped.get_pipe("lemmatizer"))(array_doc)
    return stock_doc, array_doc


def test_lemmatizer_gives_the_stock_lemmas(shipped, seeds_dir):
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))] + [EDGE_TEXT]
    for text in texts:
        stock_doc, array_doc = lemmatize_both(shipped, text)
        assert [t.lemma_ for t in stock_doc] == [t.lemma_ for t in array_doc]
    by_text = {t.text: t.lemma_ for t in array_doc}
    assert by_text["told"] == "tell" and by_text["were"] == "be" and by_text["gets"] == "get"
    assert by_text["gon"] == "go"  # set by the attribute ruler, left alone


def test_lemmatizer_overwrite_recomputes_lemmas_the_ruler_set(shipped):
    lemmatizer = shipped.get_pipe("lemmatizer")
    lemmatizer.overwrite = True
    try:
        stock_doc, array_doc = lemmatize_both(shipped, EDGE_TEXT)
    finally:
        lemmatizer.overwrite = False
    assert [t.lemma_ for t in stock_doc] == [t.lemma_ for t in array_doc]
    assert {t.text: t.lemma_ for t in array_doc}["gon"] == "gon"  # the rules' lemma, not the ruler's


def test_lemmatizers_it_cannot_reproduce_keep_the_stock_component(shipped):
    assert ArrayLemmatizer.compile(shipped.get_pipe("lemmatizer")) is not None
    lookup = spacy.blank("en").add_pipe("lemmatizer", config={"mode": "lookup"})
    assert ArrayLemmatizer.compile(lookup) is None

    class TagAware(type(shipped.get_pipe("lemmatizer"))):  # reads more than text, POS and morphology
        pass

    custom = shipped.get_pipe("lemmatizer")
    custom.__class__ = TagAware
    try:
        assert ArrayLemmatizer.compile(custom) is None
    finally:
        custom.__class__ = TagAware.__mro__[1]


def test_line_breaks_end_sentences():
    nlp = get_nlp()
    doc = nlp("Markets rally as rates hold\nInvestors cheered the decision on Tuesday, analysts said.  It rose.")
    starts = [t.text for t in doc if t.is_sent_start]
    assert starts == ["Markets", "Investors", "It"]
    assert NEWLINE_COMPONENT in nlp.pipe_names
    with nlp.select_pipes(disable=[NEWLINE_COMPONENT]):
        assert "Investors" not in [
            t.text for t in nlp("Markets rally as rates hold\nInvestors cheered.") if t.is_sent_start
        ]
