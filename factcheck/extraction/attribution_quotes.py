"""Giving each quotation a speaker: the nearest cue of its sentence(s), a dash-name, the previous or
next quote, or the context of a stand-alone quote (the ``Discourse`` mixin).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from .attribution_syntax import _distance
from .attribution_words import (
    DASH_NAME_RE,
    NAME_RE,
    NOT_NAME_STARTS,
    RECENT_PARAGRAPHS,
    Cue,
    PersonMention,
    QuoteAttribution,
    Speaker,
    _token_end,
)
from .nlp import doc_text
from .quotes import Quote


class QuoteAssignment:
    """A speaker for every quotation, from the resolved cues (a mixin of
    :class:`~factcheck.extraction.attribution.Discourse`)."""

    # Set by Discourse.__init__ (annotations only: no class attributes).
    doc: Doc
    _paragraph_starts: list[int]
    mentions: list[PersonMention]
    cues: list[Cue]

    if TYPE_CHECKING:
        # Defined by DocumentPeople, the other mixin of Discourse.
        def _person(self, name: str, mention: str, before: int, role: str = "") -> Speaker: ...

    # quotes

    def assign_quotes(self, quotes: list[Quote], sentences: list[tuple[int, int]]) -> list[QuoteAttribution]:
        """A speaker for every quote (``Speaker()`` when none can be found)."""
        result = [self._quote_cue(q, sentences) for q in quotes]
        for i, quote in enumerate(quotes):
            if not result[i].speaker.name:
                speaker = self._dash_speaker(quote)
                if speaker is not None:
                    result[i] = QuoteAttribution(speaker, "dash")
        for i, quote in enumerate(quotes):
            if result[i].speaker.name:
                continue
            previous = next((j for j in range(i - 1, -1, -1) if quotes[j].paragraph == quote.paragraph), None)
            if previous is not None and result[previous].speaker.name:
                result[i] = QuoteAttribution(result[previous].speaker, "previous_quote")
            elif quote.continues and i > 0 and result[i - 1].speaker.name:
                result[i] = QuoteAttribution(result[i - 1].speaker, "continuation")
        for i in range(len(quotes) - 2, -1, -1):
            quote, following = quotes[i], quotes[i + 1]
            if result[i].speaker.name or not result[i + 1].speaker.name:
                continue
            gap = doc_text(self.doc)[quote.outer_end : following.outer_start]
            same_paragraph = following.paragraph == quote.paragraph and not gap.strip()
            if same_paragraph or (following.continues and quote.paragraph + 1 == following.paragraph):
                result[i] = QuoteAttribution(result[i + 1].speaker, "next_quote")
        for i, quote in enumerate(quotes):
            if not result[i].speaker.name and self._stands_alone(quote, quotes):
                speaker = self._context_speaker(quote)
                if speaker is not None:
                    result[i] = QuoteAttribution(speaker, "context")
        return result

    def _dash_speaker(self, quote: Quote) -> Speaker | None:
        """“…” ― Sonya Herridge: a name right after a dash that follows the closing mark."""
        if not quote.closed:
            return None
        text = doc_text(self.doc)
        dash = DASH_NAME_RE.match(text, quote.outer_end)
        if dash is None:
            return None
        position = dash.end()
        mention = next((m for m in self.mentions if position <= m.start <= position + 1), None)
        if mention is not None:
            return self._person(mention.name, text[mention.start : mention.end], position)
        name = NAME_RE.match(text, position)
        if name is None or name.group(1).split()[0].lower() in NOT_NAME_STARTS:
            return None
        return Speaker(name=name.group(1), mention=name.group(1), kind="person")

    def _quote_cue(self, quote: Quote, sentences: list[tuple[int, int]]) -> QuoteAttribution:
        overlapping = [(s, e) for s, e in sentences if s < quote.outer_end and e > quote.outer_start]
        if not overlapping:
            return QuoteAttribution(Speaker(), "")
        low, high = overlapping[0][0], overlapping[-1][1]
        candidates = [c for c in self.cues if low <= c.start < high and c.speaker.name]
        if not candidates:
            return QuoteAttribution(Speaker(), "")
        core_end = quote.end
        while core_end > quote.start and doc_text(self.doc)[core_end - 1] in ".!?…":
            core_end -= 1
        linked = [
            c for c in candidates
            if (c.token.left_edge.idx <= quote.start and _token_end(c.token.right_edge) >= core_end)
            or (c.kind == "noun" and c.content is not None and c.content[0] <= quote.start and c.content[1] >= core_end)
        ]  # fmt: skip
        candidates = [c for c in candidates if c.kind != "noun" or c in linked]
        linked = [c for c in linked if c in candidates]
        if not candidates:
            return QuoteAttribution(Speaker(), "")
        pool = linked or candidates
        pool = [c for c in pool if c.is_speech] or pool
        cue = min(pool, key=lambda c: _distance(c, quote))
        return QuoteAttribution(cue.speaker, "cue", cue)

    def _stands_alone(self, quote: Quote, quotes: list[Quote]) -> bool:
        """The quote is (nearly) its whole paragraph: no sentence of its own names a speaker."""
        p_start = self._paragraph_starts[quote.paragraph] if quote.paragraph < len(self._paragraph_starts) else 0
        p_end = doc_text(self.doc).find("\n", p_start)
        p_end = len(doc_text(self.doc)) if p_end < 0 else p_end
        outside = doc_text(self.doc)[p_start:p_end]
        for other in quotes:
            if other.paragraph == quote.paragraph:
                outside = outside.replace(doc_text(self.doc)[other.outer_start : other.outer_end], " ")
        return len(re.findall(r"\w+", outside)) < 4

    def _context_speaker(self, quote: Quote) -> Speaker | None:
        """The latest speaker before a stand-alone quote (people before organisations)."""
        recent = [
            c for c in self.cues
            if c.start < quote.outer_start and c.speaker.name and quote.paragraph - c.paragraph <= RECENT_PARAGRAPHS
        ]  # fmt: skip
        if not recent:
            return None
        last_paragraph = recent[-1].paragraph
        nearest = [c for c in recent if c.paragraph == last_paragraph]
        people = [c for c in nearest if c.speaker.kind in ("person", "anonymous")]
        return (people or nearest)[-1].speaker
