"""Syntax of reporting cues: which tokens can be cues, their subjects and the content they report
(used by :class:`factcheck.extraction.attribution.Discourse`).
"""

from __future__ import annotations

import numpy
from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from .attribution_words import (
    ANON_HEADS,
    BELIEF_LEMMAS,
    INDEFINITE_WORDS,
    NOUN_CUE_LEMMAS,
    ORG_LABELS,
    SPEECH_LEMMAS,
    Cue,
    _head_lemma,
    _token_end,
)
from .nlp import doc_ents
from .quotes import Quote

CUE_WORDS = SPEECH_LEMMAS | BELIEF_LEMMAS | NOUN_CUE_LEMMAS


def _possible_cues(doc: Doc) -> list[int]:
    """Indices of the tokens ``_cue_kind`` could accept (a cue lemma, or "according"), found from
    the doc's attribute arrays so that the per-token checks run on a few tokens per sentence."""
    if not len(doc):
        return []
    lemmas, lowers = doc.to_array([LEMMA, LOWER]).T
    strings = doc.vocab.strings
    cue_lemmas = [h for h in set(lemmas.tolist()) if strings[h].lower() in CUE_WORDS]
    return numpy.flatnonzero(numpy.isin(lemmas, cue_lemmas) | (lowers == strings["according"])).tolist()


def _cue_kind(token: Token) -> str | None:
    lemma = token.lemma_.lower()
    if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor(1).lower_ == "to":
        return "according"
    if token.pos_ in ("VERB", "AUX") and token.tag_ != "MD":
        if lemma in SPEECH_LEMMAS:
            return "speech"
        if lemma in BELIEF_LEMMAS:
            return "belief"
    if token.pos_ == "NOUN" and lemma in NOUN_CUE_LEMMAS and any(c.dep_ == "poss" for c in token.children):
        return "noun"
    return None


def _subject_of(cue: Token, kind: str) -> Token | None:
    if kind == "according":
        to = cue.nbor(1)
        objects = [c for c in list(to.children) + list(cue.children) if c.dep_ == "pobj"]
        return objects[0] if objects else None
    if kind == "noun":
        return next((c for c in cue.children if c.dep_ == "poss"), None)
    absolute = _absolute_with_subject(cue)
    if absolute is not None:
        return absolute
    token = cue
    for _ in range(6):
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        agents = [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if subjects:
            subject = next((s for s in subjects if s.tag_ not in ("WP", "WDT")), subjects[0])
            if subject.dep_ == "nsubjpass":
                return agents[0] if agents else (subject if token.lemma_ == "quote" else None)
            if subject.tag_ in ("WP", "WDT") and token.dep_ == "relcl":
                return token.head
            return subject
        if agents:
            return agents[0]
        clausal = [c for c in token.children if c.dep_ == "csubj" and c.i != cue.i]
        clausal_subjects = [g for c in clausal for g in c.children if g.dep_ == "nsubj"]
        if clausal_subjects:
            return clausal_subjects[0]  # misparse: "X reiterated that Y would ..." as a clausal subject
        if token.dep_ in ("relcl", "acl") and token.head.pos_ in ("NOUN", "PROPN"):
            return token.head
        if token.dep_ not in ("xcomp", "advcl", "conj", "pcomp", "prep", "ccomp") or token.head.i == token.i:
            return None
        token = token.head
    return None


def _absolute_with_subject(cue: Token) -> Token | None:
    """ "..., with Aleksey Danilov, the secretary of ..., insisting that ..." → Danilov."""
    if cue.tag_ != "VBG":
        return None
    doc = cue.doc
    for token in reversed(doc[cue.sent.start : cue.i]):
        if token.lower_ == "with" and token.dep_ == "prep":
            objects = [c for c in token.children if c.dep_ == "pobj"]
            if objects and cue.i - _token_index_end(objects[0]) <= 2:
                return objects[0]
            return None
    return None


def _subject_before(cue: Token) -> Token | None:
    """The noun phrase right before a finite speech verb the parser left without a subject:
    everything between it and the verb is its own apposition ("Ramos, 58,") or punctuation."""
    doc, start = cue.doc, cue.sent.start
    for i in range(cue.i - 1, max(start, cue.i - 16) - 1, -1):
        token = doc[i]
        if token.text in "“”\"‘’'" or token.pos_ in ("VERB", "AUX"):
            return None
        if token.pos_ in ("PROPN", "NOUN") and token.dep_ not in ("compound", "poss", "pobj", "dobj"):
            between = doc[i + 1 : cue.i]
            if all(t.is_punct or token.is_ancestor(t) for t in between):
                return token
    return None


def _inverted_source(cue: Token) -> Token | None:
    """ "…, he told CNN a senior US official familiar with …": a person description as the
    object that ends the clause names the source (the pronoun is a resumptive "he said")."""
    objects = [c for c in cue.children if c.dep_ in ("dobj", "attr", "npadvmod", "appos") and c.i > cue.i]
    if not objects:
        return None
    source = objects[-1]
    last = [t for t in cue.sent if not (t.is_punct or t.is_space)][-1]
    has_indefinite = any(c.dep_ == "det" and c.lower_ in INDEFINITE_WORDS for c in source.children)
    head, _ = _head_lemma(source)
    if source.right_edge.i >= last.i and has_indefinite and head in ANON_HEADS:
        return source
    return None


def _token_index_end(token: Token) -> int:
    return token.right_edge.i + 1


def _has_complement(token: Token) -> bool:
    if token.dep_ == "parataxis":
        return True
    return any(c.dep_ in ("ccomp", "xcomp") or (c.dep_ == "mark" and c.lower_ == "that") for c in token.children)


def _is_main_clause(token: Token, kind: str) -> bool:
    if kind == "noun":
        return False
    if kind == "according" and _sentence_edge_phrase(token):
        return True
    anchor = token.head if kind == "according" else token
    if kind == "according" and anchor.dep_ == "prep":
        anchor = anchor.head
    if anchor.dep_ == "ROOT":
        return True
    return anchor.dep_ == "conj" and anchor.head.dep_ == "ROOT"


def _sentence_edge_phrase(token: Token) -> bool:
    """ "According to X, ..." / "..., according to X." frame the whole sentence."""
    sent = token.sent
    words = [t for t in sent if not (t.is_punct or t.is_space)]
    if not words:
        return False
    return token.i == words[0].i or token.right_edge.i >= words[-1].i


def _content_span(token: Token, kind: str, sent: Span) -> tuple[int, int] | None:
    """Characters of what is reported: the complement clause, else the sentence minus the cue."""
    if kind in ("speech", "belief"):
        complements = [c for c in token.children if c.dep_ in ("ccomp", "xcomp")]
        if complements:
            first = min(c.left_edge.i for c in complements)
            last = max(c.right_edge.i for c in complements)
            if not first <= token.i <= last:  # the clause, not the whole "X said, ..." frame
                return _trim_tokens(token.doc, first, last, sent)
            return None
    if kind == "noun":
        clause = _noun_complement(token)
        return _trim_tokens(token.doc, clause.left_edge.i, clause.right_edge.i, sent) if clause is not None else None
    if kind in ("speech", "belief") and token.dep_ == "ROOT":
        return None
    left = (sent.start, token.left_edge.i - 1)
    right = (token.right_edge.i + 1, sent.end - 1)
    first, last = max(left, right, key=lambda r: r[1] - r[0])
    if last < first:
        return None
    return _trim_tokens(token.doc, first, last, sent)


def _noun_complement(noun: Token) -> Token | None:
    """The "that" clause of a statement noun ("X's assertion last month that …"), also when the
    parser attached it to the verb governing the noun ("considering X's assertion that …")."""
    for child in noun.rights:
        if child.dep_ in ("acl", "ccomp", "relcl") and any(
            c.dep_ == "mark" and c.lower_ == "that" for c in child.children
        ):
            return child
    governor = noun.head
    for child in governor.rights:
        if child.dep_ == "ccomp" and child.left_edge.lower_ == "that" and child.left_edge.i > noun.i:
            between = noun.doc[noun.right_edge.i + 1 : child.left_edge.i]
            if all(
                t.head.i == governor.i and t.dep_ in ("npadvmod", "advmod") or t.head.head.i == governor.i
                for t in between
            ):
                return child
    return None


def _trim_tokens(doc: Doc, first: int, last: int, sent: Span) -> tuple[int, int] | None:
    first, last = max(first, sent.start), min(last, sent.end - 1)
    while first <= last and (doc[first].is_space or doc[first].is_punct and doc[first].text not in "“\"‘'"):
        first += 1
    while last >= first and (doc[last].is_space or doc[last].is_punct and doc[last].text not in "”\"’'.!?"):
        last -= 1
    if last < first:
        return None
    return doc[first].idx, _token_end(doc[last])


def _np_tokens(subject: Token) -> list[Token]:
    """The subject's noun phrase: left modifiers and a few right ones ("familiar with ...")."""
    doc = subject.doc
    tokens = list(doc[subject.left_edge.i : subject.i + 1])
    cut = max((k for k, t in enumerate(tokens) if t.text in ",;:—–(" or t.pos_ in ("VERB", "AUX")), default=-1)
    tokens = tokens[cut + 1 :] or [subject]  # the subject itself can be tagged VERB/AUX in garbled text
    while len(tokens) > 1 and tokens[0].is_punct:
        tokens = tokens[1:]
    for child in subject.rights:
        if (
            child.dep_ in ("amod", "prep", "acl")
            and child.i == tokens[-1].i + 1
            and child.lower_ in ("familiar", "from", "at", "in", "with", "close")
        ):
            tokens.extend(t for t in child.subtree)
        else:
            break
    return tokens[:16]


def _entity_for(token: Token) -> Span | None:
    for ent in doc_ents(token.doc):
        if ent.label_ in ORG_LABELS and ent.start <= token.i < ent.end:
            return ent
    return None


def _distance(cue: Cue, quote: Quote) -> int:
    if cue.start >= quote.outer_end:
        return cue.start - quote.outer_end
    if cue.end <= quote.outer_start:
        return quote.outer_start - cue.end
    return 0
