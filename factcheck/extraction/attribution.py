"""Who said it: reporting cues, their subjects, and resolution of a subject to a speaker.

A ``Discourse`` is built per document. It first registers every named person (with the role
and affiliation the text gives them: "city hall spokeswoman Ana Ruiz", "Tom
Okafor, the state's finance minister"). Sentences are then read in order with ``find_cues``: each
reporting verb ("said", "told", "warned"...), "according to X" and "X's statement" becomes a
``Cue`` whose subject is resolved, looking only backwards:

- a name → the full name ("Okafor" → "Tom Okafor");
- he/she → the latest salient person of that gender (speaker or grammatical subject), then
  any earlier person of that gender, then the latest speaker of unknown gender;
- a role ("the foreign minister", "the Chilean leader", "the diplomat") → the latest person
  or unnamed source whose role matches, else the latest named speaker with no conflicting role;
- an unnamed source ("a senior administration official", "officials", "sources familiar
  with...") → anonymous, the description itself; "the official" later → that description.

``assign_quotes`` then gives each quotation the nearest cue of its sentence(s) (syntactically
governing cues first, speech verbs before belief verbs), else the speaker of the previous
quote of the paragraph, of the quote it continues, or of the context for a stand-alone quote.

Split by concern: word lists and data classes in ``attribution_words``, cue syntax in
``attribution_syntax``, the people register in ``attribution_people``, quote assignment in
``attribution_quotes``; cues and speaker resolution here. The names are re-exported from here.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from .attribution_people import DocumentPeople
from .attribution_quotes import QuoteAssignment
from .attribution_syntax import (  # noqa: F401 — re-exported
    CUE_WORDS,
    _absolute_with_subject,
    _content_span,
    _cue_kind,
    _distance,
    _entity_for,
    _has_complement,
    _inverted_source,
    _is_main_clause,
    _noun_complement,
    _np_tokens,
    _possible_cues,
    _sentence_edge_phrase,
    _subject_before,
    _subject_of,
    _token_index_end,
    _trim_tokens,
)
from .attribution_words import (  # noqa: F401 — re-exported
    _AGENT_SUFFIX_RE,
    ANON_HEADS,
    ANON_MARKERS,
    AUTHOR,
    BELIEF_LEMMAS,
    DASH_NAME_RE,
    DEPENDABLE_SPEECH_LEMMAS,
    FINITE_TAGS,
    GENERIC_ANON_HEADS,
    GEO_LABELS,
    HONORIFICS,
    INDEFINITE_WORDS,
    NAME_RE,
    NOT_AGENTS,
    NOT_NAME_STARTS,
    NOUN_CUE_LEMMAS,
    ORG_LABELS,
    PERSONAL_PRONOUNS,
    RECENT_PARAGRAPHS,
    ROLE_CLASSES,
    SOURCE_NOUNS,
    SPEECH_LEMMAS,
    STRICT_SPEECH_LEMMAS,
    TITLE_WORDS,
    Cue,
    PersonMention,
    QuoteAttribution,
    Speaker,
    _animate,
    _head_lemma,
    _is_role_text,
    _looks_like_person,
    _roles_match,
    _running_count,
    _token_end,
    geo_key,
    geo_keys,
    role_classes,
    span_text,
    strip_determiner,
)
from .nlp import doc_text

if TYPE_CHECKING:
    import numpy
from .quotes import Quote

QUOTE_EDGE_CHARS = "“”„«»\"‘’' \t\u00a0"  # marks and spaces at the edges of a quotation

# --- the discourse model ---------------------------------------------------------------------


class Discourse(DocumentPeople, QuoteAssignment):
    """People, roles and speakers of one document, read in order."""

    def __init__(self, doc: Doc, paragraphs: list[tuple[int, int]], quotes: list[Quote]):
        self.doc = doc
        self._paragraph_starts = [start for start, _ in paragraphs] or [0]
        self._quote_ranges = sorted((q.outer_start, q.outer_end) for q in quotes)
        self._quote_starts = [start for start, _ in self._quote_ranges]
        self.mentions: list[PersonMention] = []
        self._learned_roles: dict[str, str] = {}
        self.cues: list[Cue] = []
        self._cue_tokens = _possible_cues(doc)
        self._tokens_in_quote: numpy.ndarray | None = None
        self._collect_people()
        self._genders = self._infer_genders()

    # cues

    def find_cues(self, sent: Span) -> list[Cue]:
        """Reporting cues of one sentence (outside quotes), resolved and remembered in order."""
        found: list[Cue] = []
        first = bisect.bisect_left(self._cue_tokens, sent.start)
        last = bisect.bisect_left(self._cue_tokens, sent.end)
        for token in (self.doc[i] for i in self._cue_tokens[first:last]):
            if self.in_quote(token.idx):
                continue
            kind = _cue_kind(token)
            if kind is None:
                continue
            subject = _subject_of(token, kind)
            if (subject is None or self.in_quote(subject.idx)) and kind == "speech" and token.tag_ in FINITE_TAGS:
                subject = _subject_before(token) or subject  # “…,” Ramos, 58, told AFP (parsed as a conjunct)
            if subject is not None and subject.lower_ in PERSONAL_PRONOUNS:
                subject = _inverted_source(token) or subject  # …, he told CNN a senior official familiar with …
            if subject is None or self.in_quote(subject.idx) or subject.is_punct:
                continue
            has_complement = _has_complement(token)
            if kind == "belief" and not has_complement:
                continue
            lenient = token.lemma_.lower() in DEPENDABLE_SPEECH_LEMMAS
            speaker = self._fragment_speaker(subject, token) or self.speaker_for(subject, lenient=lenient)
            if speaker is None:
                continue
            cue = Cue(
                token, subject, speaker, kind, _is_main_clause(token, kind),
                has_complement, self._with_quote_marks(_content_span(token, kind, sent)), self.paragraph_of(token.idx),
            )  # fmt: skip
            self.cues.append(cue)
            found.append(cue)
        return found

    def _with_quote_marks(self, content: tuple[int, int] | None) -> tuple[int, int] | None:
        """A reported clause that is exactly the words of one quotation ("“A,” she said": the
        parser leaves the marks and the comma to the verb) takes the quotation's marks — what
        was said, as printed."""
        if content is None:
            return None
        start, end = content
        index = bisect.bisect_right(self._quote_starts, start) - 1
        if index < 0:
            return content
        outer_start, outer_end = self._quote_ranges[index]
        text = doc_text(self.doc)
        if (
            end <= outer_end
            and not text[outer_start:start].strip(QUOTE_EDGE_CHARS)
            and not text[end:outer_end].strip(QUOTE_EDGE_CHARS + ".,;:!?")
        ):
            return outer_start, outer_end
        return content

    def _fragment_speaker(self, subject: Token, cue: Token) -> Speaker | None:
        """A sentence split at a stray full stop: "… in a letter sent to X. , the UN high
        commissioner for …, also noting that …". The noun phrase set off by commas at the start
        is an apposition to the previous sentence's last noun, not a subject: the speaker is that
        of the previous sentence's cue (in the same paragraph), else none."""
        doc, left = self.doc, subject.left_edge.i
        before = [t for t in doc[max(0, left - 4) : left] if not t.is_space][-2:]
        if len(before) < 2 or before[1].text not in ",;" or before[0].text not in ".!?":
            return None
        if not subject.i < cue.i or not any(t.text == "," for t in doc[subject.i + 1 : cue.i]):
            return None
        paragraph = self.paragraph_of(subject.idx)
        previous = [c for c in self.cues if c.start < subject.idx and c.paragraph == paragraph and c.speaker.name]
        return previous[-1].speaker if previous else Speaker(mention=subject.text)

    # speaker resolution

    def speaker_for(self, subject: Token, *, lenient: bool = False) -> Speaker | None:
        """The speaker a subject refers to; ``lenient`` (the subject of "say"/"tell") accepts
        any common noun as a source ("the gambling tycoon told …")."""
        if subject.lower_ in PERSONAL_PRONOUNS:
            return self._pronoun(subject)
        if subject.tag_ in ("WP", "WDT"):
            return Speaker(mention=subject.text)
        person = self._mention_for(subject)
        if person is not None:
            return self._person(person.name, span_text(self.doc, _np_tokens(subject)), subject.idx)
        entity = _entity_for(subject)
        if entity is not None:
            name = re.sub(r"[’']s$", "", strip_determiner(entity.text))
            named = self._person_named(name, subject.idx)
            if named:  # "Holt’s" tagged as an organisation, "Dana Holt" named before
                return self._person(named, entity.text, subject.idx)
            return Speaker(name=name, mention=entity.text, kind="organization", geo=frozenset({geo_key(name)}))
        return self._description(subject, lenient=lenient)

    def _person_named(self, name: str, pos: int) -> str:
        """The full name of a person named before ``pos`` whose last name is ``name``."""
        if " " in name:
            return ""
        return next((m.name for m in reversed(self.mentions) if m.start < pos and m.name.split()[-1] == name), "")

    def _mention_for(self, token: Token) -> PersonMention | None:
        candidates = [token] + [c for c in token.children if c.dep_ in ("appos", "compound")]
        for candidate in candidates:
            for mention in self.mentions:
                if mention.start <= candidate.idx < mention.end:
                    return mention
        return None

    def _pronoun(self, subject: Token) -> Speaker:
        word, pos = subject.lower_, subject.idx
        paragraph = self.paragraph_of(pos)
        if word in ("he", "she"):
            name = self._resolve_gendered("m" if word == "he" else "f", pos, paragraph)
            return self._person(name, subject.text, pos) if name else Speaker(mention=subject.text)
        if word == "i" and not self.in_quote(pos):
            return Speaker(
                name=AUTHOR, role="author", mention=subject.text, kind="author"
            )  # first person outside quotes
        if word in ("they", "it"):
            for cue in reversed(self.cues):
                if cue.start >= pos or paragraph - cue.paragraph > RECENT_PARAGRAPHS:
                    continue
                speaker = cue.speaker
                if speaker.name and (speaker.kind == "organization" or (word == "they" and speaker.plural)):
                    return replace(speaker, mention=subject.text)
        return Speaker(mention=subject.text)

    def _resolve_gendered(self, gender: str, pos: int, paragraph: int) -> str:
        salient = [(c.start, c.speaker.name) for c in self.cues if c.speaker.kind == "person" and c.start < pos]
        salient += [(m.start, m.name) for m in self.mentions if m.is_subject and m.start < pos]
        salient.sort()
        recent = [(p, n) for p, n in salient if paragraph - self.paragraph_of(p) <= RECENT_PARAGRAPHS]
        earlier = [(m.start, m.name) for m in self.mentions if m.start < pos]
        nearby = [(p, n) for p, n in earlier if paragraph - self.paragraph_of(p) <= RECENT_PARAGRAPHS]
        for pool, wanted in ((recent, gender), (earlier, gender), (recent, None), (nearby, None)):
            for _, name in reversed(pool):
                if self._genders.get(name) == wanted:
                    return name
        return ""

    def _description(self, subject: Token, *, lenient: bool = False) -> Speaker | None:
        """A common-noun subject: unnamed source, role to resolve, or plain description.
        None when the noun cannot be a source ("the decision claimed" is a misparse)."""
        if not (_animate(subject) or (lenient and subject.pos_ == "NOUN")):
            return None
        tokens = _np_tokens(subject)
        text = span_text(self.doc, tokens)
        head, plural = _head_lemma(subject)
        words = {t.lower_ for t in tokens}
        has_det = any(
            c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in subject.children
        )
        has_poss = any(c.dep_ == "poss" for c in subject.children)
        indefinite = bool(words & INDEFINITE_WORDS and not has_det) or (not has_det and not has_poss)
        anon_marked = bool(words & ANON_MARKERS) or "familiar" in words
        geo = geo_keys([t for t in tokens if t.i != subject.i])
        role_tokens = [
            t for t in tokens if t.i > max([c.i for c in subject.children if c.dep_ in ("det", "poss")] + [-1])
        ]
        role_tokens = [t for t in role_tokens if t.i <= subject.i and t.tag_ != "POS"]
        role = strip_determiner(span_text(self.doc, role_tokens))
        classes = role_classes(role)
        anonymous = Speaker(text, role, True, text, "anonymous", plural, head, geo)
        if (indefinite or anon_marked) and (head in ANON_HEADS or anon_marked):
            if anon_marked and not indefinite:
                return self._earlier_anonymous(head, plural, subject.idx, role) or anonymous
            return anonymous
        if head in ANON_HEADS or classes:
            found = self._resolve_role(head, classes, geo, plural, subject.idx, role)
            if found is not None:
                return replace(found, mention=text)
            if head in GENERIC_ANON_HEADS:
                return anonymous
            return Speaker(text, role, False, text, "description", plural, head, geo)
        return Speaker(text, "", False, text, "description", plural, head, geo)

    def resolve_later_roles(self, unit_cues: list[list[Cue]]) -> list[list[Cue]]:
        """Roles named before the person ("the country's foreign minister says" … "Amara Obi
        stressed", later "the foreign minister said"): once every sentence is read, a role that
        resolved to no one takes the nearest person named later (within RECENT_PARAGRAPHS) whose
        known roles fit it and whose affiliations do not conflict. Returns ``unit_cues`` with the
        re-resolved cues (also updated in ``self.cues``)."""
        replaced: dict[int, Cue] = {}
        for k, cue in enumerate(self.cues):
            speaker = cue.speaker
            if speaker.kind != "description" or speaker.plural or not speaker.role:
                continue
            name = self._later_person(speaker, cue)
            if name:
                found = self._person(name, speaker.mention, len(doc_text(self.doc)))
                self.cues[k] = replaced[id(cue)] = replace(cue, speaker=found)
        if not replaced:
            return unit_cues
        return [[replaced.get(id(c), c) for c in cues] for cues in unit_cues]

    def _later_person(self, speaker: Speaker, cue: Cue) -> str:
        classes, end = role_classes(speaker.role), len(doc_text(self.doc))
        if not classes:
            return ""
        seen: set[str] = set()
        for mention in self.mentions:
            if mention.start <= cue.start or mention.name in seen:
                continue
            if mention.paragraph - cue.paragraph > RECENT_PARAGRAPHS:
                break
            seen.add(mention.name)
            affiliations = self._affiliations(mention.name, end)
            if speaker.geo and affiliations and not speaker.geo & affiliations:
                continue
            person_classes = self._classes(mention.name, end)
            if classes - {"official"} <= person_classes and _roles_match(
                classes, person_classes, speaker.head, self._roles_text(mention.name, end)
            ):
                return mention.name  # stricter than backwards: every specific class of the role fits
        return ""

    def _earlier_anonymous(self, head: str, plural: bool, pos: int, role: str = "") -> Speaker | None:
        """The latest unnamed source with this head noun; when the description has modifiers
        ("the senior administration official"), the latest one whose words include them all."""
        same = [
            c.speaker for c in reversed(self.cues)
            if c.start < pos and c.speaker.kind == "anonymous" and c.speaker.head == head and c.speaker.plural == plural
        ]  # fmt: skip
        modifiers = set(re.findall(r"\w+", role.lower())) - {head, f"{head}s"}
        described = [s for s in same if modifiers <= set(re.findall(r"\w+", s.name.lower()))]
        found = described or same
        return found[0] if found else None

    def _resolve_role(
        self, head: str, classes: frozenset[str], geo: frozenset[str], plural: bool, pos: int, role: str
    ) -> Speaker | None:
        """A definite role ("the foreign minister") → the person or unnamed source it refers to."""
        paragraph = self.paragraph_of(pos)
        best: tuple[float, int, Speaker] | None = None

        def consider(score: float, at: int, speaker: Speaker) -> None:
            nonlocal best
            if best is None or (score, at) > (best[0], best[1]):
                best = (score, at, speaker)

        anonymous = self._earlier_anonymous(head, plural, pos, role)
        if anonymous is not None and not (geo and anonymous.geo and not geo & anonymous.geo):
            consider(5 if head in GENERIC_ANON_HEADS else 3, self._last_cue_of(anonymous), anonymous)
        if plural or not classes:
            return best[2] if best else None
        for mention in self.mentions:
            if mention.start >= pos:
                break
            score = self._role_score(mention.name, head, classes, geo, pos)
            if score > 0:
                consider(score, mention.start, self._person(mention.name, "", pos))
        for cue in self.cues:
            speaker = cue.speaker
            if cue.start >= pos or speaker.kind != "person" or paragraph - cue.paragraph > RECENT_PARAGRAPHS:
                continue
            person_classes = self._classes(speaker.name, pos)
            if person_classes and not _roles_match(classes, person_classes, head, self._roles_text(speaker.name, pos)):
                continue
            if not geo or geo & self._affiliations(speaker.name, pos):
                consider(0.5, cue.start, speaker)
        if best is None:
            return None
        speaker = best[2]
        if speaker.kind == "person":
            if not self.role_for(speaker.name, pos) and role:
                self._learned_roles[speaker.name] = role
            speaker = replace(speaker, role=self.role_for(speaker.name, pos) or role)
        return speaker

    def _role_score(self, name: str, head: str, classes: frozenset[str], geo: frozenset[str], pos: int) -> float:
        """How well a named person fits a role description: role +2, place/organisation +2,
        a place in the description that the person is not known for -1; 0 means no fit."""
        affiliations = self._affiliations(name, pos)
        if geo and affiliations and not geo & affiliations:
            return 0
        person_classes = self._classes(name, pos)
        role_fit = bool(person_classes) and _roles_match(classes, person_classes, head, self._roles_text(name, pos))
        geo_fit = bool(geo & affiliations)
        if not role_fit and not (geo_fit and (head in GENERIC_ANON_HEADS or not person_classes)):
            return 0
        return 2 * role_fit + 2 * geo_fit - (1 if geo and not affiliations else 0)

    def _last_cue_of(self, speaker: Speaker) -> int:
        return max((c.start for c in self.cues if c.speaker == speaker), default=0)
