"""One claim per checkable statement (issue #14.1): the clauses of a sentence that states
several checkable things, found from the dependency parse.

    "The ministry has sent inspectors to the coast, after declaring two districts disaster zones."
    → "The ministry has sent inspectors to the coast" + "after declaring two districts disaster zones"

A clause is split off the sentence's main verb when it is a statement of its own:
- a coordinated verb (``conj``) or an adverbial clause (``advcl``) with its own subject
  ("…, and the central bank raised rates", "…, while exports fell 3 percent");
- a temporal or causal adjunct built on a verb with an object, whose subject is the main
  clause's ("…, after recognising two regions", "…, before closing the border").
Not split: conditions ("if …", "unless …"), and clausal complements (``ccomp``), even with
their own subject: a complement is an argument of its verb ("X did not say which line …",
"it remains unclear whether …"), and without it the main clause states nothing; the
complement of a reporting verb is what was said, one statement with its source.
The main clause is what remains when that is contiguous. Each part needs a verb and at least
``MIN_CLAUSE_WORDS`` words; a sentence with fewer than two parts is one statement (no split).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

MIN_CLAUSE_WORDS = 4
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl"})
OBJECT_DEPS = frozenset({"dobj", "attr", "dative", "oprd"})
ADJUNCT_PREPOSITIONS = frozenset({"after", "before", "since", "despite", "by", "while", "following", "without"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether", "lest", "once"})
EDGE_DEPS = frozenset({"cc", "punct", "mark"})
EDGE_WORDS = frozenset({"and", "but", "or", "so", "yet", "while", "whereas", "although", "though", "then"})


def clause_ranges(span: Span) -> list[tuple[int, int, str]]:
    """Token ranges ``[first, last]`` (inclusive) with their relation, for a sentence that
    states several things (main clause first); ``[]`` for a sentence that is one statement."""
    root = span.root
    if root.pos_ not in ("VERB", "AUX") or not _has_subject(root):
        return []
    split: list[tuple[Token, str]] = []
    for child in root.children:
        if not span.start <= child.i < span.end:
            continue
        if child.dep_ in ("conj", "advcl") and _is_verb(child) and _has_subject(child) and not _conditional(child):
            split.append((child, child.dep_))
        elif child.dep_ == "prep" and child.lower_ in ADJUNCT_PREPOSITIONS:
            verb = next((g for g in child.children if g.dep_ == "pcomp" and _is_verb(g)), None)
            if verb is not None and any(g.dep_ in OBJECT_DEPS for g in verb.children):
                split.append((child, "adjunct"))
    if not split:
        return []
    parts: list[tuple[int, int, str]] = []
    covered: set[int] = set()
    for head, relation in split:
        first, last = _trim(span, head.left_edge.i, head.right_edge.i)
        if first is not None and _statement(span, first, last):
            parts.append((first, last, relation))
            covered.update(range(head.left_edge.i, head.right_edge.i + 1))
    doc = span.doc
    rest = [i for i in range(span.start, span.end) if i not in covered and not (doc[i].is_punct or doc[i].is_space)]
    if not parts or not rest or any(i in covered for i in range(rest[0], rest[-1] + 1)):
        return []  # the main clause would not be one contiguous span
    first, last = _trim(span, rest[0], rest[-1])
    if first is None or not _statement(span, first, last):
        return []
    return [(first, last, "main")] + sorted(parts)


def _conditional(clause: Token) -> bool:
    """ "if …", "unless …", "whether …": a condition, not a statement."""
    return any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in clause.children)


def _is_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX")


def _has_subject(token: Token) -> bool:
    return any(c.dep_ in SUBJECT_DEPS for c in token.children)


def _trim(span: Span, first: int, last: int) -> tuple[int | None, int]:
    doc = span.doc
    while first <= last and (
        doc[first].is_space or doc[first].dep_ in EDGE_DEPS and (doc[first].is_punct or doc[first].lower_ in EDGE_WORDS)
    ):
        first += 1
    while last >= first and (
        doc[last].is_space or doc[last].is_punct and doc[last].text not in "”\"’'" or doc[last].dep_ == "cc"
    ):
        last -= 1
    return (first, last) if first <= last else (None, last)


def _statement(span: Span, first: int, last: int) -> bool:
    """Enough words, a verb, and no quotation cut in two (that is left to the sentence)."""
    tokens = span.doc[first : last + 1]
    words = [t for t in tokens if not (t.is_punct or t.is_space)]
    text = tokens.text
    balanced = text.count("“") == text.count("”") and text.count('"') % 2 == 0
    return balanced and len(words) >= MIN_CLAUSE_WORDS and any(_is_verb(t) for t in tokens)
