"""Quotation spans in raw text, robust to curly/straight marks and sloppy typography.

Works paragraph by paragraph (a paragraph is one line). Double quotes (“…”, "…", „…“, «…»,
and ''…'' as some newswire text writes them) do not nest, except curly inside straight. An
unclosed double quote runs to the end of its paragraph (news style for quotes that continue
in the next paragraph, or a missing closing mark). Single quotes (‘…’, '…') count
only outside double quotes, and only with a plausible opening and closing mark — the ’ in
“Ahmed’s” or “don’t” is an apostrophe, never a closing mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

DOUBLE_OPENERS = "“„«"
DOUBLE_CLOSERS = "”»"
STRAIGHT_DOUBLE = '"'
TWO_APOSTROPHES = "''"  # a double quote in some newswire text: ''This isn't tax reform,''
DOUBLE_MARKS = DOUBLE_OPENERS + DOUBLE_CLOSERS + STRAIGHT_DOUBLE
_POSSIBLE_DOUBLE_MARK = re.compile(f"[{re.escape(DOUBLE_MARKS)}]|'(?=')")  # then checked by _is_double_mark
SINGLE_OPENERS = "‘'"
OPEN_CONTEXT = "([{—–-/\u00a0"
TRAILING_PUNCT = ",;:–—- \t\u00a0"
LEADING_PUNCT = ",;"  # “, and then …”: a quote never starts with a stray comma
MAX_SINGLE_QUOTE_CHARS = 150
_ELISION_RE = re.compile(r"(?:\d\ds|em|til|cause|n|tis|twas)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Quote:
    """A quotation: ``start``/``end`` delimit the quoted words (marks and edge punctuation trimmed)."""

    open_mark: int
    close_mark: int | None
    start: int
    end: int
    kind: str  # "double" | "single"
    paragraph: int
    continues: bool = False  # continues an unclosed quote of the previous paragraph
    close_len: int = 1  # 2 for a '' mark

    @property
    def outer_start(self) -> int:
        return self.open_mark

    @property
    def outer_end(self) -> int:
        return self.close_mark + self.close_len if self.close_mark is not None else self.end

    @property
    def closed(self) -> bool:
        return self.close_mark is not None


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line."""
    spans, pos = [], 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            spans.append((pos, end))
        pos = end + 1
    return spans


def find_quotes(text: str, paragraphs: list[tuple[int, int]] | None = None) -> list[Quote]:
    """All quotes in ``text``, in order."""
    paragraphs = paragraph_spans(text) if paragraphs is None else paragraphs
    quotes: list[Quote] = []
    previous_unclosed = False
    for index, (p_start, p_end) in enumerate(paragraphs):
        doubles = _double_quotes(text, p_start, p_end, index)
        if doubles and previous_unclosed and _starts_with_opener(text, p_start, doubles[0]):
            first = doubles[0]
            doubles[0] = replace(first, continues=True)
        previous_unclosed = bool(doubles) and not doubles[-1].closed
        singles = _single_quotes(text, p_start, p_end, index, doubles)
        quotes.extend(sorted(doubles + singles, key=lambda q: q.open_mark))
    return quotes


def _starts_with_opener(text: str, p_start: int, quote: Quote) -> bool:
    return not text[p_start : quote.open_mark].strip(" -–—•\u00a0\t")


def _is_open_context(char: str) -> bool:
    return char.isspace() or char in OPEN_CONTEXT or char in DOUBLE_OPENERS


def _next_visible(text: str, i: int, end: int) -> str:
    """The character after position i, skipping one space ("” justify")."""
    j = i + 1
    if j < end and text[j] == " ":
        j += 1
    return text[j] if j < end else " "


def _mark_len(text: str, i: int) -> int:
    return 2 if text.startswith(TWO_APOSTROPHES, i) else 1


def _is_double_mark(text: str, i: int, p_start: int) -> bool:
    """A double mark at i: one of DOUBLE_MARKS, or the first of exactly two apostrophes."""
    if text[i] in DOUBLE_MARKS:
        return True
    return text.startswith(TWO_APOSTROPHES, i) and (i == p_start or text[i - 1] != "'") and text[i + 2 : i + 3] != "'"


def _double_role(text: str, i: int, p_start: int, p_end: int, is_open: bool) -> str:
    """ "open", "close" or "stray" for the double mark at ``i``."""
    size = _mark_len(text, i)
    char = STRAIGHT_DOUBLE if size == 2 else text[i]
    prev = text[i - 1] if i > p_start else " "
    nxt = text[i + size] if i + size < p_end else " "
    if char in DOUBLE_OPENERS:
        if is_open and not _is_open_context(prev) and (nxt.isspace() or nxt in ".,;:!?)"):
            return "close"
        return "open"
    if char in DOUBLE_CLOSERS:
        if is_open:
            return "close"
        if _is_open_context(prev) and _next_visible(text, i, p_end).isalnum():
            return "open"  # a closing glyph used as an opening mark: to ” justify war”
        return "stray"
    if is_open:
        return "close"
    return "open" if not nxt.isspace() else "stray"


def _double_quotes(text: str, p_start: int, p_end: int, paragraph: int) -> list[Quote]:
    """Straight and curly marks are paired as separate layers when a paragraph nests one kind
    in the other ("… “inner” …" inside "…"), keeping the outer quotes; as one sequence when
    that does not pair up (sloppy "mixed” marks)."""
    marks = [
        m.start()
        for m in _POSSIBLE_DOUBLE_MARK.finditer(text, p_start, p_end)
        if _is_double_mark(text, m.start(), p_start)
    ]
    straight = [i for i in marks if text[i] in (STRAIGHT_DOUBLE, "'")]
    curly = [i for i in marks if text[i] not in (STRAIGHT_DOUBLE, "'")]
    if straight and curly:
        layers = _pair(text, straight, p_start, p_end, paragraph), _pair(text, curly, p_start, p_end, paragraph)
        balanced = all(q.closed for layer in layers for q in layer)
        if balanced and not _crossing(*layers):
            both = layers[0] + layers[1]
            outer = [q for q in both if not any(o is not q and _contains(o, q) for o in both)]
            return sorted(outer, key=lambda q: q.open_mark)
    return _pair(text, marks, p_start, p_end, paragraph)


def _pair(text: str, marks: list[int], p_start: int, p_end: int, paragraph: int) -> list[Quote]:
    quotes: list[Quote] = []
    open_at: int | None = None
    for i in marks:
        role = _double_role(text, i, p_start, p_end, open_at is not None)
        if role == "open":
            if open_at is not None:
                quotes.append(_make(text, open_at, None, i, "double", paragraph))
            open_at = i
        elif role == "close" and open_at is not None:
            quotes.append(_make(text, open_at, i, i, "double", paragraph, _mark_len(text, i)))
            open_at = None
    if open_at is not None:
        quotes.append(_make(text, open_at, None, p_end, "double", paragraph))
    return [q for q in quotes if q.end > q.start]


def _contains(outer: Quote, inner: Quote) -> bool:
    return outer.outer_start <= inner.outer_start and inner.outer_end <= outer.outer_end


def _crossing(first: list[Quote], second: list[Quote]) -> bool:
    return any(
        a.outer_start < b.outer_start < a.outer_end < b.outer_end
        or b.outer_start < a.outer_start < b.outer_end < a.outer_end
        for a in first
        for b in second
    )


def _single_quotes(text: str, p_start: int, p_end: int, paragraph: int, doubles: list[Quote]) -> list[Quote]:
    quotes: list[Quote] = []
    i = p_start
    while i < p_end:
        if text[i] in SINGLE_OPENERS and not _inside(i, doubles) and _single_opens(text, i, p_start, p_end):
            close = _single_close(text, i, p_end, doubles)
            if close is not None:
                quote = _make(text, i, close, close, "single", paragraph)
                if quote.end > quote.start:
                    quotes.append(quote)
                i = close + 1
                continue
        i += 1
    return quotes


def _single_opens(text: str, i: int, p_start: int, p_end: int) -> bool:
    if text.startswith(TWO_APOSTROPHES, i) or (i > p_start and text[i - 1] == "'"):
        return False
    prev = text[i - 1] if i > p_start else " "
    nxt = text[i + 1] if i + 1 < p_end else " "
    return _is_open_context(prev) and nxt.isalnum() and not _ELISION_RE.match(text, i + 1)


def _single_close(text: str, i: int, p_end: int, doubles: list[Quote]) -> int | None:
    closer = "’" if text[i] == "‘" else "'"
    limit = min(p_end, i + MAX_SINGLE_QUOTE_CHARS)
    for j in range(i + 2, limit):
        if _inside(j, doubles) or text[j] in DOUBLE_MARKS or text.startswith(TWO_APOSTROPHES, j):
            return None
        if text[j] != closer:
            continue
        nxt = text[j + 1] if j + 1 < p_end else " "
        if not text[j - 1].isspace() and not nxt.isalnum():
            return j
    return None


def _inside(i: int, quotes: list[Quote]) -> bool:
    return any(q.outer_start <= i < q.outer_end for q in quotes)


def _make(
    text: str, open_mark: int, close_mark: int | None, end: int, kind: str, paragraph: int, close_len: int = 1
) -> Quote:
    start = open_mark + (_mark_len(text, open_mark) if kind == "double" else 1)
    while start < end and (text[start].isspace() or text[start] in LEADING_PUNCT):
        start += 1
    while end > start and (text[end - 1] in TRAILING_PUNCT or text[end - 1].isspace()):
        end -= 1
    return Quote(open_mark, close_mark, start, end, kind, paragraph, False, close_len)
