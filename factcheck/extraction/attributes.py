"""spaCy's ``attribute_ruler`` and ``lemmatizer``, applied with numpy over token attribute arrays.

The English pipelines map the tagger's fine-grained tags to POS and morphology with an
AttributeRuler: 179 Matcher patterns in en_core_web_sm, run token by token over every text,
about 14 % of the model's time. ``ArrayAttributeRuler`` reads the same patterns from the loaded
component and applies them as column comparisons over ``doc.to_array``, then writes the result
back with ``doc.from_array``: the same annotations (tests compare every token with the stock
component), at a fraction of the cost.

Only what the stock English patterns use is supported: token patterns without operators, whose
keys are token attributes compared by value, ``IN``, ``NOT_IN`` or ``REGEX``, and attributes to
set among POS, TAG, MORPH, LEMMA and DEP. ``ArrayAttributeRuler.compile`` returns ``None`` for
anything else (say a model whose ruler uses ``OP`` or extension attributes), and ``nlp._load``
then keeps the stock component.

``ArrayLemmatizer`` does the same for the rule lemmatizer (2.5 % of the worker pipeline's time,
token by token in Python): a lemma depends only on the token's text, POS and morphology, so it is
computed by the stock component once per distinct combination (cached for the process) and
written back as an array.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, IDS, LEMMA, MORPH, ORTH, POS, TAG
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

FACTORY = "workbench_array_attributes"
LEMMATIZER_FACTORY = "workbench_array_lemmatizer"
MATCH_ATTRS = frozenset(
    {
        "ORTH",
        "LOWER",
        "NORM",
        "TAG",
        "POS",
        "DEP",
        "LEMMA",
        "SHAPE",
        "IS_SPACE",
        "IS_PUNCT",
        "IS_ALPHA",
        "IS_DIGIT",
        "IS_LOWER",
        "IS_UPPER",
        "IS_TITLE",
    }
)
SET_ATTRS = (POS, TAG, MORPH, LEMMA, DEP)


@dataclass(frozen=True, eq=False)
class _Test:
    column: int
    op: str  # "eq", "in", "not_in" or "regex"
    value: object  # a hash, a frozenset of hashes, or a compiled pattern

    def matches(self, value: int, strings) -> bool:
        if self.op == "eq":
            return value == self.value
        if self.op == "in":
            return value in self.value
        if self.op == "not_in":
            return value not in self.value
        return self.value.search(strings[value]) is not None


@dataclass(frozen=True)
class _Rule:
    order: int
    tokens: tuple[tuple[_Test, ...], ...]  # one pattern: per token, its tests
    index: int
    values: tuple[tuple[int, int], ...]  # (column in SET_ATTRS, value)


class ArrayAttributeRuler:
    """Drop-in for a loaded AttributeRuler whose patterns ``compile`` accepts.

    A one-token rule depends only on the matched attributes of that token, so its outcome is
    computed once per distinct combination of them (cached for the process) and spread over
    the document with numpy; the few longer patterns are matched with array comparisons.
    """

    CACHE_LIMIT = 200_000

    def __init__(self, rules: list[_Rule], match_attrs: list[int], strings) -> None:
        self.match_attrs = match_attrs
        self.strings = strings
        self.single = [r for r in rules if len(r.tokens) == 1]
        self.multi = [r for r in rules if len(r.tokens) > 1]
        # One-token rules by one of their equality tests, to try only the rules that can match.
        self._by_test: dict[tuple[int, int], list[_Rule]] = {}
        self._unindexed: list[_Rule] = []
        for rule in self.single:
            eq = next((t for t in rule.tokens[0] if t.op == "eq"), None)
            if eq is None:
                self._unindexed.append(rule)
            else:
                self._by_test.setdefault((eq.column, eq.value), []).append(rule)
        self._outcomes: dict[tuple[int, ...], tuple[tuple[int, ...], tuple[int, ...]]] = {}

    @classmethod
    def compile(cls, ruler: AttributeRuler) -> ArrayAttributeRuler | None:
        """The ruler's patterns as array rules, or None when one of them is not supported."""
        strings = ruler.vocab.strings
        match_attrs: list[int] = []
        rules: list[_Rule] = []
        set_columns = {attr: i for i, attr in enumerate(SET_ATTRS)}
        for i, attrs in enumerate(ruler.attrs):
            if any(key not in set_columns for key in attrs):
                return None
            values = tuple((set_columns[key], int(value)) for key, value in attrs.items())
            for pattern in ruler.matcher.get(str(i))[1]:
                tokens = []
                for spec in pattern:
                    tests = []
                    for name, value in spec.items():
                        test = _compile_test(name, value, match_attrs, strings)
                        if test is None:
                            return None
                        tests.append(test)
                    tokens.append(tuple(tests))
                index = ruler.indices[i] if ruler.indices[i] >= 0 else len(tokens) + ruler.indices[i]
                if not 0 <= index < len(tokens):
                    return None
                rules.append(_Rule(i, tuple(tokens), index, values))
        return cls(rules, match_attrs, strings)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n or not self.match_attrs:
            return doc
        columns = doc.to_array(self.match_attrs).reshape(n, len(self.match_attrs))
        rows, inverse = numpy.unique(columns, axis=0, return_inverse=True)
        outcomes = [self._outcome(row) for row in map(tuple, rows.tolist())]
        # Per token and attribute: the value to set and the order of the rule that set it
        # (-1: none); a later rule wins, as in AttributeRuler.
        values = numpy.array([o[0] for o in outcomes], dtype=numpy.uint64)[inverse.reshape(-1)]
        orders = numpy.array([o[1] for o in outcomes], dtype=numpy.int64)[inverse.reshape(-1)]
        for rule in self.multi:
            length = len(rule.tokens)
            if length > n:
                continue
            width = n - length + 1
            mask = numpy.ones(width, dtype=bool)
            for offset, tests in enumerate(rule.tokens):  # equality tests over arrays first
                for test in tests:
                    if test.op == "eq":
                        mask &= columns[offset : offset + width, test.column] == test.value
            starts = numpy.flatnonzero(mask)
            for offset, tests in enumerate(rule.tokens):  # the others only where those hold
                for test in tests:
                    if test.op != "eq" and len(starts):
                        found = columns[starts + offset, test.column].tolist()
                        starts = starts[[test.matches(v, self.strings) for v in found]]
            targets = starts + rule.index
            for column, value in rule.values:
                later = targets[orders[targets, column] < rule.order]
                values[later, column] = value
                orders[later, column] = rule.order
        if (orders >= 0).any():
            current = doc.to_array(list(SET_ATTRS))
            doc.from_array(list(SET_ATTRS), numpy.where(orders >= 0, values, current))
        return doc

    def _outcome(self, row: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(values, rule orders) over SET_ATTRS for a token whose matched attributes are ``row``."""
        outcome = self._outcomes.get(row)
        if outcome is None:
            candidates = list(self._unindexed)
            for column, value in enumerate(row):
                candidates.extend(self._by_test.get((column, value), ()))
            values, orders = [0] * len(SET_ATTRS), [-1] * len(SET_ATTRS)
            for rule in sorted(candidates, key=lambda r: r.order):
                if all(test.matches(row[test.column], self.strings) for test in rule.tokens[0]):
                    for column, value in rule.values:
                        values[column], orders[column] = value, rule.order
            if len(self._outcomes) >= self.CACHE_LIMIT:
                self._outcomes.clear()
            outcome = self._outcomes[row] = (tuple(values), tuple(orders))
        return outcome


def _compile_test(name: str, value, match_attrs: list[int], strings) -> _Test | None:
    name = name.upper()
    if name not in MATCH_ATTRS:
        return None
    attr = IDS[name]
    if attr not in match_attrs:
        match_attrs.append(attr)
    column = match_attrs.index(attr)
    if isinstance(value, bool):
        return _Test(column, "eq", int(value))
    if isinstance(value, (str, int)):
        return _Test(column, "eq", strings.add(value) if isinstance(value, str) else value)
    if isinstance(value, dict) and len(value) == 1:
        ((op, argument),) = value.items()
        if op in ("IN", "NOT_IN") and isinstance(argument, list) and all(isinstance(v, str) for v in argument):
            return _Test(column, op.lower(), frozenset(strings.add(v) for v in argument))
        if op == "REGEX" and isinstance(argument, str) and not name.startswith("IS_"):
            return _Test(column, "regex", re.compile(argument))
    return None


@Language.factory(FACTORY, default_config={"source": "attribute_ruler"})
def make_array_attribute_ruler(nlp: Language, name: str, source: str):
    """Built from the (disabled) stock component named ``source`` of the same pipeline."""
    return _compiled(ArrayAttributeRuler, nlp, source, FACTORY)


def _compiled(cls, nlp: Language, source: str, factory: str):
    compiled = cls.compile(nlp.get_pipe(source))
    if compiled is None:
        raise ValueError(f"{source!r} is not supported by {factory}")
    return compiled


class ArrayLemmatizer:
    """Drop-in for a loaded rule-mode ``Lemmatizer`` (or spaCy's English one, which only changes
    ``is_base_form``): the stock component lemmatizes a token from its text, POS and morphology
    alone, so it is asked once per distinct (ORTH, POS, MORPH) and the answers are spread over
    the document. Like the stock component it leaves lemmas already set (by the attribute
    ruler) unless ``overwrite`` is on."""

    CACHE_LIMIT = 200_000
    KEY = [ORTH, POS, MORPH]

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.strings = lemmatizer.vocab.strings
        self._lemmas: dict[tuple[int, int, int], int] = {}

    @classmethod
    def compile(cls, lemmatizer) -> ArrayLemmatizer | None:
        """None for a lemmatizer whose answers may depend on more than text, POS and morphology
        (another mode, a subclass with its own rules)."""
        if type(lemmatizer) not in (Lemmatizer, EnglishLemmatizer) or lemmatizer.mode != "rule":
            return None
        return cls(lemmatizer)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        lemmas = doc.to_array(LEMMA)
        todo = numpy.arange(n) if self.lemmatizer.overwrite else numpy.flatnonzero(lemmas == 0)
        if not len(todo):
            return doc
        keys = doc.to_array(self.KEY)[todo].tolist()
        cache = self._lemmas
        lemmas[todo] = [cache.get(key) or self._lemma(key, doc, i) for key, i in zip(map(tuple, keys), todo.tolist())]
        doc.from_array([LEMMA], lemmas.reshape(n, 1))
        return doc

    def _lemma(self, key: tuple[int, int, int], doc: Doc, i: int) -> int:
        lemma = self._lemmas.get(key)
        if lemma is None:
            if len(self._lemmas) >= self.CACHE_LIMIT:
                self._lemmas.clear()
            lemma = self._lemmas[key] = self.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
        return lemma


@Language.factory(LEMMATIZER_FACTORY, default_config={"source": "lemmatizer"})
def make_array_lemmatizer(nlp: Language, name: str, source: str):
    """Built from the (disabled) stock lemmatizer named ``source`` of the same pipeline."""
    return _compiled(ArrayLemmatizer, nlp, source, LEMMATIZER_FACTORY)
