"""Who a document names: person mentions, their roles, affiliations and genders (the ``Discourse``
mixin that registers people before speakers are resolved).
"""

from __future__ import annotations

import bisect
from collections import Counter

import numpy
from spacy.attrs import IDX, LOWER
from spacy.tokens import Doc, Span, Token

from .attribution_words import (
    HONORIFICS,
    ORG_LABELS,
    TITLE_WORDS,
    PersonMention,
    Speaker,
    _is_role_text,
    _looks_like_person,
    _running_count,
    geo_keys,
    role_classes,
    span_text,
    strip_determiner,
)
from .isolation import isolated
from .names import gender_of_name
from .nlp import doc_ents, doc_sents, doc_text


class DocumentPeople:
    """Positions (paragraphs, quotes) and the people a document names: every mention with its role,
    affiliations and inferred gender. A mixin of :class:`~factcheck.extraction.attribution.Discourse`,
    which sets ``doc``, ``_paragraph_starts``, ``_quote_ranges``, ``_quote_starts``, ``mentions``,
    ``_learned_roles`` and ``_tokens_in_quote``."""

    # Set by Discourse.__init__ (annotations only: no class attributes).
    doc: Doc
    _paragraph_starts: list[int]
    _quote_ranges: list[tuple[int, int]]
    _quote_starts: list[int]
    mentions: list[PersonMention]
    _learned_roles: dict[str, str]
    _tokens_in_quote: numpy.ndarray | None

    # positions

    def paragraph_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self._paragraph_starts, char) - 1)

    def tokens_in_quote(self):
        """Per token (numpy bool): ``in_quote(token.idx)``, computed once."""
        if self._tokens_in_quote is None:
            chars = self.doc.to_array(IDX).astype("int64")
            starts = numpy.array([s for s, _ in self._quote_ranges] or [0], dtype="int64")
            ends = numpy.array([e for _, e in self._quote_ranges] or [0], dtype="int64")
            k = numpy.searchsorted(starts, chars, side="right") - 1
            inside = (k >= 0) & (starts[k.clip(0)] < chars) & (chars < ends[k.clip(0)])
            self._tokens_in_quote = inside if self._quote_ranges else numpy.zeros(len(chars), dtype=bool)
        return self._tokens_in_quote

    def in_quote(self, char: int) -> bool:
        index = bisect.bisect_right(self._quote_starts, char) - 1
        return index >= 0 and self._quote_ranges[index][0] < char < self._quote_ranges[index][1]

    # people

    def _collect_people(self) -> None:
        spans = [
            e for e in doc_ents(self.doc) if e.label_ == "PERSON" or (e.label_ in ORG_LABELS and _looks_like_person(e))
        ]
        person_labels = Counter(e.text for e in doc_ents(self.doc) if e.label_ == "PERSON")
        other_labels = Counter(e.text for e in doc_ents(self.doc) if e.label_ != "PERSON")
        full_names: list[tuple[int, str]] = []
        cleaned: list[tuple[Span, str]] = []
        for span in spans:
            name = self._clean_name(span)
            if not name or not any(c.isalpha() for c in name):
                continue
            if " " not in name and other_labels[span.text] >= person_labels[span.text]:
                continue  # a place or organisation the tagger sometimes calls a person
            cleaned.append((span, name))
            if " " in name:
                full_names.append((span.start_char, name))
        for span, name in cleaned:
            mention = isolated("person mention", span.start_char, None, self._mention, span, name, full_names)
            if mention is not None:
                self.mentions.append(mention)

    def _mention(self, span: Span, name: str, full_names: list[tuple[int, str]]) -> PersonMention:
        canonical = self._canonical(name, span.start_char, full_names)
        role, affiliations = self._role_of(span)
        return PersonMention(
            span.start_char, span.end_char, canonical, role, affiliations,
            self._is_subject(span), self.paragraph_of(span.start_char),
        )  # fmt: skip

    @staticmethod
    def _clean_name(span: Span) -> str:
        tokens = [t for t in span if not (t.tag_ == "POS" or t.lower_ in ("’s", "'s"))]
        while tokens and (tokens[0].lower_ in HONORIFICS or tokens[0].lower_ in TITLE_WORDS):
            tokens = tokens[1:]
        return span_text(span.doc, tokens).strip(" ,.;:")

    @staticmethod
    def _canonical(name: str, start: int, full_names: list[tuple[int, str]]) -> str:
        if " " in name:
            return name
        matches = [(pos, full) for pos, full in full_names if full.split()[-1] == name or full.split()[0] == name]
        if not matches:
            return name
        before = [m for m in matches if m[0] <= start]
        return (before[-1] if before else matches[0])[1]

    @staticmethod
    def _is_subject(span: Span) -> bool:
        root = span.root
        while root.dep_ in ("compound", "appos", "flat") and root.head.i != root.i:
            root = root.head
        return root.dep_ in ("nsubj", "nsubjpass")

    def _role_of(self, span: Span) -> tuple[str, frozenset[str]]:
        """Role words next to a name: left titles, a right appositive, or the noun it apposes."""
        doc, root = span.doc, span.root
        parts: list[list[Token]] = []
        left = list(doc[root.left_edge.i : span.start])
        cut = max((k for k, t in enumerate(left) if t.text in ",;:—–()" or t.pos_ in ("VERB", "AUX")), default=-1)
        left = [t for t in left[cut + 1 :] if t.lower_ not in HONORIFICS]
        parts.append(left)
        for child in root.rights:
            if child.dep_ == "appos" and child.i >= span.end:
                parts.append([t for t in child.subtree][:15])
        if root.dep_ == "appos" and root.head.i < span.start and root.head.pos_ in ("NOUN", "PROPN"):
            head = root.head
            parts.append(list(doc[head.left_edge.i : head.i + 1]))
        affiliations = geo_keys([t for part in parts for t in part])
        for tokens in parts:
            tokens = [t for t in tokens if not (t.pos_ == "DET" and t.i == tokens[0].i)]
            while tokens and (tokens[-1].is_punct or tokens[-1].tag_ == "POS"):
                tokens.pop()
            if tokens and _is_role_text(tokens):
                return strip_determiner(span_text(doc, tokens)), affiliations
        return "", affiliations

    def _infer_genders(self) -> dict[str, str | None]:
        """Gender per canonical name: honorific or first-name lexicon, else pronoun votes."""
        genders: dict[str, str | None] = {}
        for mention in self.mentions:
            if mention.name not in genders or genders[mention.name] is None:
                before = doc_text(self.doc)[max(0, mention.start - 6) : mention.start].split()
                genders[mention.name] = gender_of_name(mention.name, before[-1] if before else "")
        votes: dict[str, Counter[str]] = {}
        strings, outside = self.doc.vocab.strings, ~self.tokens_in_quote()
        lowers = self.doc.to_array(LOWER)
        male = _running_count(numpy.isin(lowers, [strings.add(w) for w in ("he", "his", "him")]) & outside)
        female = _running_count(numpy.isin(lowers, [strings.add(w) for w in ("she", "her")]) & outside)
        for sent in doc_sents(self.doc):
            names = {m.name for m in self.mentions if sent.start_char <= m.start < sent.end_char}
            if len(names) != 1:
                continue
            name = names.pop()
            votes.setdefault(name, Counter()).update(
                {"m": male[sent.end] - male[sent.start], "f": female[sent.end] - female[sent.start]}
            )
        for name, counter in votes.items():
            if genders.get(name) is None and counter["m"] != counter["f"]:
                genders[name] = "m" if counter["m"] > counter["f"] else "f"
        return genders

    def role_for(self, name: str, before: int) -> str:
        roles = [m.role for m in self.mentions if m.name == name and m.role and m.start < before]
        if roles:
            return roles[-1]
        later = [m.role for m in self.mentions if m.name == name and m.role]
        return self._learned_roles.get(name) or (later[0] if later else "")

    def _affiliations(self, name: str, before: int) -> frozenset[str]:
        return frozenset().union(*(m.affiliations for m in self.mentions if m.name == name and m.start < before))

    def _classes(self, name: str, before: int) -> frozenset[str]:
        roles = [m.role for m in self.mentions if m.name == name and m.role and m.start < before]
        if name in self._learned_roles:
            roles.append(self._learned_roles[name])
        return frozenset().union(*(role_classes(r) for r in roles)) if roles else frozenset()

    def _roles_text(self, name: str, before: int) -> str:
        roles = [m.role for m in self.mentions if m.name == name and m.role and m.start < before]
        return " | ".join(roles + [self._learned_roles.get(name, "")])

    def _person(self, name: str, mention: str, before: int, role: str = "") -> Speaker:
        return Speaker(name=name, role=role or self.role_for(name, before), mention=mention, kind="person")
