"""Re-extraction of a revised text: which parts of the new text spaCy must read again.

Paragraphs (non-blank lines, ``quotes.paragraph_spans``: every candidate lies inside one) of the text
that was last extracted are matched to the new text's paragraphs (difflib over whole paragraphs).
A paragraph found unchanged keeps its machine candidates, moved by the paragraph's shift; a changed or
new paragraph is parsed again, inside a *window* that adds the context attribution reads:
``CONTEXT_BEFORE`` paragraphs before (who "he" is, the speaker of the quotation that ended the
previous paragraph, a description naming an earlier source) and ``CONTEXT_AFTER`` after (a role
resolved by a person named later, a quotation continued in the next paragraph). Candidates the
extractor finds in context paragraphs are dropped: those paragraphs keep what they had.

Pure Python, no Django and no spaCy: the service (``factcheck.services.extraction``) decides when
to use it and writes the result."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .attribution import RECENT_PARAGRAPHS
from .candidate import Candidate
from .quotes import paragraph_spans

CONTEXT_BEFORE = RECENT_PARAGRAPHS + 1  # a cue up to RECENT_PARAGRAPHS back, and the paragraph it resolved from
CONTEXT_AFTER = RECENT_PARAGRAPHS  # later roles look this far ahead
# Above this share of the new text, the windows cost about as much as the whole text: parse it all.
MAX_WINDOW_SHARE = 0.6


@dataclass(frozen=True)
class Window:
    """A slice ``text[start:end]`` of the new text (whole lines) that spaCy reads."""

    start: int
    end: int


@dataclass
class RevisionPlan:
    windows: list[Window] = field(default_factory=list)
    # new-text (start, end) of the changed or new paragraphs: the only places new candidates come from
    changed: list[tuple[int, int]] = field(default_factory=list)
    # old-text (start, end, shift) of the paragraphs found unchanged: old offset + shift = new offset
    kept: list[tuple[int, int, int]] = field(default_factory=list)
    new_length: int = 0

    @property
    def chars(self) -> int:
        """Characters spaCy is given."""
        return sum(w.end - w.start for w in self.windows)

    def shift_of(self, start: int, end: int) -> int | None:
        """The shift of an old span lying inside an unchanged paragraph, else None (its paragraph
        changed or went)."""
        for p_start, p_end, shift in self.kept:
            if p_start <= start and end <= p_end:
                return shift
        return None

    def in_changed(self, start: int) -> bool:
        return any(s <= start < e for s, e in self.changed)


def revision_plan(old: str, new: str) -> RevisionPlan | None:
    """The plan for extracting ``new`` when ``old`` was extracted, or None when the whole text should
    be parsed (nothing in common, or the windows would cover most of it)."""
    old_spans, new_spans = paragraph_spans(old), paragraph_spans(new)
    old_paras = [old[s:e] for s, e in old_spans]
    new_paras = [new[s:e] for s, e in new_spans]
    matcher = difflib.SequenceMatcher(None, old_paras, new_paras, autojunk=False)
    plan = RevisionPlan(new_length=len(new))
    changed: list[int] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2)):
                plan.kept.append((old_spans[i][0], old_spans[i][1], new_spans[j][0] - old_spans[i][0]))
        else:
            changed.extend(range(j1, j2))
    if not plan.kept:
        return None
    plan.changed = [new_spans[j] for j in changed]
    ranges: list[list[int]] = []  # paragraph index ranges of the windows, merged when they touch
    for j in changed:
        first, last = max(0, j - CONTEXT_BEFORE), min(len(new_spans) - 1, j + CONTEXT_AFTER)
        if ranges and first <= ranges[-1][1] + 1:
            ranges[-1][1] = max(ranges[-1][1], last)
        else:
            ranges.append([first, last])
    plan.windows = [Window(new_spans[a][0], new_spans[b][1]) for a, b in ranges]
    if plan.chars > MAX_WINDOW_SHARE * len(new):
        return None
    return plan


def shift_candidate(candidate: Candidate, offset: int) -> Candidate:
    """A window's candidate with its offsets moved into the whole text (in place)."""
    candidate.start += offset
    candidate.end += offset
    candidate.sentence_start += offset
    candidate.sentence_end += offset
    for row in (*candidate.entities, *candidate.numbers):
        if "start" in row:
            row["start"] += offset
        if "end" in row:
            row["end"] += offset
    for key in ("attribution_content", "clause_of"):
        if isinstance(candidate.features.get(key), list):
            candidate.features[key] = [x + offset for x in candidate.features[key]]
    return candidate


def shift_rows(rows: list[dict], shift: int) -> list[dict]:
    """Stored entity/number rows (``{"start", "end", ...}``) moved by ``shift``."""
    moved = []
    for row in rows or []:
        row = dict(row)
        for key in ("start", "end"):
            if isinstance(row.get(key), int):
                row[key] += shift
        moved.append(row)
    return moved
