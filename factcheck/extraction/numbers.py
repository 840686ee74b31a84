"""Numeric expressions inside a span: "10,000" → 10000, "2.5 million" → 2500000, "five" → 5.

Numbers that are part of a DATE or TIME entity ("2014", "February 22") and ordinals ("first")
are not reported: they are not quantities a fact-checker would verify as such.
"""

from __future__ import annotations

import bisect
import re

import numpy
from spacy.attrs import LIKE_NUM, LOWER
from spacy.tokens import Doc, Span, Token

from .nlp import doc_text, token_range

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "a": 1, "an": 1, "half": 0.5,
}  # fmt: skip
SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12, "dozen": 12,
}  # fmt: skip
CURRENCY = frozenset("$€£¥₽₴")
PERCENT_WORDS = frozenset({"%", "percent", "per cent", "pct"})
NON_QUANTITY_ENTS = frozenset({"DATE", "TIME", "ORDINAL"})
ORDINAL_RE = re.compile(r"^\d+(st|nd|rd|th)$", re.IGNORECASE)
ORDINAL_WORDS = frozenset("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())
_DIGITS_RE = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_DIGITS_SUFFIX_RE = re.compile(r"^([-+]?[\d.,]*\d)\s*([a-z]+)$", re.IGNORECASE)


def parse_number(text: str) -> float | None:
    """Parse a numeric expression; None if it is not one we understand."""
    cleaned = text.strip().lower().replace("\u00a0", " ")
    cleaned = cleaned.lstrip("".join(CURRENCY)).strip()
    for word in sorted(PERCENT_WORDS, key=len, reverse=True):
        if cleaned.endswith(word):
            cleaned = cleaned[: -len(word)].strip()
            break
    if not cleaned:
        return None
    if _DIGITS_RE.match(cleaned):
        return float(cleaned.replace(",", ""))
    match = _DIGITS_SUFFIX_RE.match(cleaned)
    if match and match.group(2).lower() in SCALES:
        base = parse_number(match.group(1))
        return None if base is None else base * SCALES[match.group(2).lower()]
    return _parse_words(cleaned)


def _parse_words(text: str) -> float | None:
    """ "two hundred and five", "2.5 million", "twenty-five", "a dozen" → value."""
    words = [w for w in re.split(r"[\s-]+", text) if w and w != "and"]
    if not words:
        return None
    total, current, seen = 0.0, 0.0, False
    for word in words:
        if _DIGITS_RE.match(word):
            current += float(word.replace(",", ""))
        elif word in UNITS and word not in SCALES:
            current += UNITS[word]
        elif word in SCALES:
            scale = SCALES[word]
            current = (current or 1) * scale
            if scale >= 1000:
                total, current = total + current, 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


def _is_number_token(token: Token) -> bool:
    lower = token.lower_
    if lower in ORDINAL_WORDS or ORDINAL_RE.match(lower):
        return False
    if token.ent_type_ in NON_QUANTITY_ENTS:
        return False
    return bool(token.like_num or lower in SCALES and token.pos_ == "NUM" or lower == "dozen")


def _extends_number(token: Token) -> bool:
    lower = token.lower_
    return token.like_num or lower in SCALES or lower in {"-", "and"} or lower in PERCENT_WORDS


def _trim_group(tokens: list[Token]) -> list[Token]:
    while tokens and tokens[-1].lower_ in {"-", "and"}:
        tokens.pop()
    return tokens


def numbers_in_span(span: Span, start_char: int, end_char: int) -> list[dict]:
    """Number expressions whose tokens lie within [start_char, end_char) of the doc text."""
    doc = span.doc
    first, last = token_range(doc, span.start, span.end, start_char, end_char)
    starts = _number_tokens(doc)
    results: list[dict] = []
    k = bisect.bisect_left(starts, first)
    while k < len(starts) and starts[k] < last:
        i = starts[k]
        group = [doc[i]]
        j = i + 1
        while j < last and _extends_number(doc[j]):
            if doc[j].lower_ in {"-", "and"} and not (j + 1 < last and doc[j + 1].like_num):
                break
            group.append(doc[j])
            j += 1
        group = _trim_group(group)
        first_token = group[0]
        prev = doc[first_token.i - 1] if first_token.i > 0 else None
        if prev is not None and prev.text in CURRENCY and prev.idx >= start_char:
            first_token = prev
        begin, end = first_token.idx, group[-1].idx + len(group[-1].text)
        text = doc_text(doc)[begin:end]
        results.append({"text": text, "value": parse_number(text), "start": begin, "end": end})
        k = bisect.bisect_left(starts, j, k + 1)
    return results


def _number_tokens(doc: Doc) -> list[int]:
    """Indices of the tokens a number can start with (``_is_number_token``), cached on the doc:
    an array test picks the few possible ones, the exact test runs on those only."""
    found = doc.user_data.get("workbench_number_tokens")
    if found is None:
        columns = doc.to_array([LIKE_NUM, LOWER]).reshape(len(doc), 2)
        words = numpy.array([doc.vocab.strings.add(w) for w in (*SCALES, "dozen")], dtype=numpy.uint64)
        possible = numpy.flatnonzero((columns[:, 0] != 0) | numpy.isin(columns[:, 1], words))
        found = doc.user_data["workbench_number_tokens"] = [i for i in possible.tolist() if _is_number_token(doc[i])]
    return found


def is_counting_number(span: Span, number: dict) -> bool:
    """True unless the number is a bare definite reference ("the two regions") or a lone "one"."""
    doc = span.doc
    first = doc.char_span(number["start"], number["end"], alignment_mode="expand")
    if first is None or not len(first):
        return True
    if number["text"].lower() in {"one", "a", "an"}:
        return False
    prev = doc[first[0].i - 1] if first[0].i > 0 else None
    if prev is not None and prev.lower_ in {"the", "these", "those", "its", "their", "his", "her", "both"}:
        return number["value"] is not None and number["value"] >= 10
    return True
