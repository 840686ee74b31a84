"""From texts to candidates: one batched spaCy pass, then pure-Python rules per document."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from . import boilerplate
from .attribution import Cue, Discourse, QuoteAttribution
from .candidate import Candidate
from .classify import detect_types, hedges, primary_type
from .clauses import clause_ranges
from .isolation import isolated
from .nlp import doc_ents, doc_sents, doc_text, get_nlp, word_lengths
from .numbers import is_counting_number, numbers_in_span
from .quotes import Quote, find_quotes, paragraph_spans

MIN_QUOTE_WORDS = 2
# A quoted phrase of at most this many words with no clause of its own (“peacekeeping
# operation”, “keep the peace”, “fake news”) is a scare quote or a borrowed label, not a
# statement: its sentence is the candidate. Chosen on PolNeAR train (bench/eval_attribution.py).
SCARE_QUOTE_MAX_WORDS = 5
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
QUOTE_ONLY = 0.85  # share of a sentence's words inside quotes above which only the quote counts
FRAME_DEPS = frozenset({"ccomp", "xcomp", "conj", "advcl", "parataxis", "cc"})
FILLER_WORDS = frozenset({"that", "also", "and", "but", "then", "again"})
MULTI_SENTENCE_RE = re.compile(r"[.!?…][”’\"']?\s+[“‘\"']?[A-Z]")
QUOTE_GROUP_GAP_WORDS = 30
LEADING_STRAY = ",;"  # a unit never starts with these: ". , the commissioner …" after a stray full stop
_QUOTE_STYLES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})


@dataclass(frozen=True)
class Unit:
    """A sentence, cut at line breaks and trimmed of bullets, widget text and blanks."""

    start: int
    end: int
    span: Span
    paragraph: int
    tokens: tuple[Token, ...]


def extract_candidates(texts: list[str], *, nlp: Language | None = None, batch_size: int = 16) -> list[list[Candidate]]:
    """Candidates for each text, in text order; spaCy runs once, batched, over all texts."""
    nlp = nlp or get_nlp()
    results = []
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=batch_size)):
        doc.user_data["workbench_text"] = text  # spaCy keeps the text: doc.text == text, without rebuilding it
        results.append(extract_from_doc(doc))
    return results


def extract_from_doc(doc: Doc) -> list[Candidate]:
    """Candidates of one parsed document (offsets into ``doc.text``).

    Each sentence and each quote is isolated (``isolation.isolated``): a rule that fails on one
    is logged and costs only that sentence's or quote's candidates."""
    text = doc_text(doc)
    paragraphs = paragraph_spans(text)
    paragraph_texts = [text[s:e] for s, e in paragraphs]
    kinds = [boilerplate.paragraph_kind(paragraph_texts, i) for i in range(len(paragraphs))]
    quotes = find_quotes(text, paragraphs)
    units = _units(doc, paragraphs)
    discourse = Discourse(doc, paragraphs, quotes)
    unit_cues = [_cues_of(discourse, unit) for unit in units]
    unit_cues = isolated("later roles", 0, unit_cues, discourse.resolve_later_roles, unit_cues)
    attributions = discourse.assign_quotes(quotes, [(u.start, u.end) for u in units])
    repeated = _repeated_units(text, units)

    candidates: list[Candidate] = []
    for unit, cues, again in zip(units, unit_cues, repeated):
        if not kinds[unit.paragraph] and not again:
            candidate = isolated("sentence", unit.start, None, _sentence_candidate, unit, cues, quotes, discourse)
            if candidate is not None:
                candidates.append(candidate)
                candidates.extend(isolated("clauses", unit.start, [], _clause_candidates, unit, cues, candidate))
    inside_repeated = [(u.start, u.end) for u, again in zip(units, repeated) if again]
    for quote, attribution, group in zip(quotes, attributions, _quote_groups(text, quotes, attributions)):
        if kinds[quote.paragraph] or any(s <= quote.start and quote.end <= e for s, e in inside_repeated):
            continue
        candidate = isolated("quote", quote.start, None, _quote_candidate, doc, quote, attribution, group, units)
        if candidate is not None and not _scare_quote(candidate, doc):
            candidates.append(candidate)
    candidates.sort(key=lambda c: (c.start, c.end, c.claim_type != "quote"))
    return candidates


def _cues_of(discourse: Discourse, unit: Unit) -> list[Cue]:
    """The unit's reporting cues; if resolving them fails, none (and none remembered)."""
    known = len(discourse.cues)
    cues = isolated("attribution", unit.start, None, discourse.find_cues, unit.span)
    if cues is None:
        del discourse.cues[known:]
        return []
    return cues


def _repeated_units(text: str, units: list[Unit]) -> list[bool]:
    """Per unit: does an earlier unit of the article say the same words (summary bullets that
    repeat the body, a standfirst repeated as the first paragraph)? Compared case-folded, with
    whitespace, quotation-mark styles and final punctuation normalised."""
    seen: set[str] = set()
    repeated = []
    for unit in units:
        key = _sentence_key(text[unit.start : unit.end])
        repeated.append(bool(key) and key in seen)
        seen.add(key)
    return repeated


def _sentence_key(sentence: str) -> str:
    key = " ".join(sentence.translate(_QUOTE_STYLES).casefold().split())
    return key.rstrip(" .!?…;:,")


# --- units -----------------------------------------------------------------------------------


def _units(doc: Doc, paragraphs: list[tuple[int, int]]) -> list[Unit]:
    text = doc_text(doc)
    starts = [s for s, _ in paragraphs]
    units: list[Unit] = []
    for sent in doc_sents(doc):
        position = sent.start_char
        for piece in text[sent.start_char : sent.end_char].split("\n"):
            start, end = boilerplate.trim_furniture(text, position, position + len(piece))
            position += len(piece) + 1
            while start < end and (text[start] in LEADING_STRAY or text[start].isspace()):
                start += 1
            if end <= start:
                continue
            paragraph = max(0, bisect.bisect_right(starts, start) - 1)
            if units and _continues_quote_sentence(text, units[-1], start, paragraph):
                start = units.pop().start  # “Will you resign?” | a reporter asked. → one sentence
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            units.append(Unit(start, end, span, paragraph, tuple(span)))
    return units


def _continues_quote_sentence(text: str, previous: Unit, start: int, paragraph: int) -> bool:
    """spaCy ends a sentence after “…?” or “…!” even when the attribution follows in lower case."""
    return (
        previous.paragraph == paragraph
        and text[start].islower()
        and text[previous.end - 1] in "”\"’'"
        and text[previous.start : previous.end].rstrip("”\"’'")[-1:] in ("?", "!", ",")
    )


# --- sentence candidates ---------------------------------------------------------------------


def _sentence_candidate(unit: Unit, cues: list[Cue], quotes: list[Quote], discourse: Discourse) -> Candidate | None:
    text = doc_text(unit.span.doc)
    exact = text[unit.start : unit.end]
    if boilerplate.is_boilerplate_sentence(exact) or not any(t.pos_ in ("VERB", "AUX") for t in unit.tokens):
        return None
    coverage = _quote_coverage(unit, discourse)
    attributing = [c for c in cues if c.attributes_sentence]
    main = next((c for c in attributing if c.main_clause), None)
    if _inside_one_quote(unit, quotes) or coverage >= QUOTE_ONLY or _frame_only(unit, cues, quotes, discourse.in_quote):
        return None
    numbers = numbers_in_span(unit.span, unit.start, unit.end)
    entities = _entities(unit.span, unit.start, unit.end)
    has_quantity = any(is_counting_number(unit.span, n) for n in numbers)
    found = detect_types(list(unit.tokens), exact)
    cue = main or _sentence_cue(attributing)
    claim_type = primary_type(
        found,
        has_quantity=has_quantity,
        attributed_main=main is not None,
        attributed_any=cue is not None,
        has_anchor=bool(entities or numbers),
    )
    all_types = found | ({"quantity"} if has_quantity else set()) | ({"attributed"} if cue else set())
    features = _common_features(unit, exact, all_types)
    features["quote_coverage"] = round(coverage, 2)
    speaker = cue.speaker if cue is not None else None
    if cue is not None:
        features.update(_cue_features(cue, attributing))
    return Candidate(
        start=unit.start,
        end=unit.end,
        exact=exact,
        sentence_start=unit.start,
        sentence_end=unit.end,
        claim_type=claim_type,
        speaker=speaker.name if speaker else "",
        speaker_role=speaker.role if speaker else "",
        is_anonymous=speaker.is_anonymous if speaker else False,
        entities=entities,
        numbers=numbers,
        features=features,
    )


def _clause_candidates(unit: Unit, cues: list[Cue], sentence: Candidate) -> list[Candidate]:
    """Extra, overlapping candidates for the clauses of a sentence that states several checkable
    things (``clauses.clause_ranges``); the sentence candidate stays. A clause's speaker is that of
    a cue inside it, else the sentence's when the clause lies in what that cue reports."""
    doc, text = unit.span.doc, doc_text(unit.span.doc)
    found = []
    for first, last, relation in clause_ranges(unit.span):
        start, end = max(doc[first].idx, unit.start), min(doc[last].idx + len(doc[last].text), unit.end)
        if end <= start or (start, end) == (sentence.start, sentence.end):
            continue
        span = doc[first : last + 1]
        exact = text[start:end]
        inside = [c for c in cues if start <= c.start < end and c.attributes_sentence]
        reported = sentence.speaker and any(
            c.content and c.content[0] <= start and end <= c.content[1]
            for c in cues
            if c.speaker.name == sentence.speaker
        )
        numbers = numbers_in_span(span, start, end)
        entities = _entities(span, start, end)
        has_quantity = any(is_counting_number(span, n) for n in numbers)
        types = detect_types(list(span), exact)
        claim_type = primary_type(
            types, has_quantity=has_quantity, attributed_main=bool(inside), attributed_any=bool(inside or reported),
            has_anchor=bool(entities or numbers),
        )  # fmt: skip
        all_types = (
            types | ({"quantity"} if has_quantity else set()) | ({"attributed"} if inside or reported else set())
        )
        features = {
            "types": sorted(all_types), "hedges": hedges(exact), "negated": any(t.dep_ == "neg" for t in span),
            "paragraph": unit.paragraph, "clause": relation, "clause_of": [sentence.start, sentence.end],
        }  # fmt: skip
        speaker = inside[0].speaker if inside else None
        found.append(
            Candidate(
                start=start, end=end, exact=exact, sentence_start=unit.start, sentence_end=unit.end,
                claim_type=claim_type,
                speaker=speaker.name if speaker else sentence.speaker if reported else "",
                speaker_role=speaker.role if speaker else sentence.speaker_role if reported else "",
                is_anonymous=speaker.is_anonymous if speaker else sentence.is_anonymous if reported else False,
                entities=entities, numbers=numbers, features=features,
            )
        )  # fmt: skip
    return found


def _sentence_cue(cues: list[Cue]) -> Cue | None:
    """The attribution of a sentence whose main verb is not a reporting verb: prefer a cue
    whose speaker is the sentence's subject ("X responded by saying that ...")."""
    for cue in cues:
        root = cue.token.sent.root
        if any(c.dep_ in ("nsubj", "nsubjpass") and c.i == cue.subject.i for c in root.children):
            return cue
    return cues[0] if cues else None


def _quote_coverage(unit: Unit, discourse: Discourse) -> float:
    """Share of the unit's word characters (not punctuation or spaces) inside quotation marks."""
    start, end = unit.span.start, unit.span.end
    lengths = word_lengths(unit.span.doc)[start:end]
    total = int(lengths.sum())
    return int(lengths[discourse.tokens_in_quote()[start:end]].sum()) / total if total else 0.0


def _frame_only(unit: Unit, cues: list[Cue], quotes: list[Quote], in_quote: Callable[[int], bool]) -> bool:
    """Outside its quotes the sentence is only an attribution: "“…,” X told reporters on Monday."."""
    if not cues or not any(unit.start < q.outer_end and q.outer_start < unit.end for q in quotes):
        return False
    frame: set[int] = set()
    for cue in cues:
        frame.add(cue.token.i)
        frame.update(t.i for t in cue.subject.subtree)
        for child in cue.token.children:
            if child.dep_ not in FRAME_DEPS:
                frame.update(t.i for t in child.subtree)
    return not any(
        not (t.is_punct or t.is_space or t.i in frame or t.lower_ in FILLER_WORDS or in_quote(t.idx))
        for t in unit.tokens
    )


def _inside_one_quote(unit: Unit, quotes: list[Quote]) -> bool:
    return any(q.outer_start <= unit.start and unit.end <= q.outer_end + 1 for q in quotes) or any(
        q.start <= unit.start and unit.end <= q.end + 1 for q in quotes
    )


# --- quote candidates ------------------------------------------------------------------------


def _quote_candidate(
    doc: Doc, quote: Quote, attribution: QuoteAttribution, group: int, units: list[Unit]
) -> Candidate | None:
    text = doc_text(doc)
    exact = text[quote.start : quote.end]
    if len(boilerplate.words(exact)) < MIN_QUOTE_WORDS or boilerplate.is_furniture(exact):
        return None
    if boilerplate.is_question(exact) and not MULTI_SENTENCE_RE.search(exact):
        return None  # a quoted question; a longer quote that merely ends with one stays
    if boilerplate.is_title(exact):
        return None  # “Miss Piggy”, “Fox News Sunday”: a name or title, not a statement
    span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if span is None:
        return None
    overlapping = [u for u in units if u.start < quote.outer_end and u.end > quote.outer_start]
    sentence_start = min([u.start for u in overlapping] + [quote.outer_start])
    sentence_end = max([u.end for u in overlapping] + [quote.outer_end])
    numbers = numbers_in_span(span, quote.start, quote.end)
    has_quantity = any(is_counting_number(span, n) for n in numbers)
    found = detect_types(list(span), exact) | ({"quantity"} if has_quantity else set())
    features = {
        "types": sorted(found),
        "hedges": hedges(exact),
        "quote_kind": quote.kind,
        "quote_closed": quote.closed,
        "quote_group": group,
        "partial": quote.outer_start > sentence_start or quote.outer_end < sentence_end,
        "paragraph": quote.paragraph,
        "attribution_method": attribution.method,
        "speaker_mention": attribution.speaker.mention,
    }
    cue = attribution.cue
    if cue is not None:
        features["cue"] = cue.token.text
        if cue.content is not None and cue.content[0] <= quote.start and quote.end <= cue.content[1]:
            features["attribution_content"] = list(cue.content)
    speaker = attribution.speaker
    return Candidate(
        start=quote.start,
        end=quote.end,
        exact=exact,
        sentence_start=sentence_start,
        sentence_end=sentence_end,
        claim_type="quote",
        speaker=speaker.name,
        speaker_role=speaker.role,
        is_anonymous=speaker.is_anonymous,
        entities=_entities(span, quote.start, quote.end),
        numbers=numbers,
        features=features,
    )


def _quote_groups(text: str, quotes: list[Quote], attributions: list[QuoteAttribution]) -> list[int]:
    """Group ids: a quote interrupted by its attribution ("“A,” she said, “b.”", "“A,” said X,
    an economist. “B.”") or continued in the next paragraph shares its predecessor's group."""
    groups: list[int] = []
    for i, quote in enumerate(quotes):
        same_speaker = i > 0 and attributions[i].speaker.name in ("", attributions[i - 1].speaker.name)
        if i and same_speaker and (_continues(text, quotes[i - 1], quote) or _speaker_goes_on(quotes, attributions, i)):
            groups.append(groups[-1])
        else:
            groups.append(groups[-1] + 1 if groups else 0)
    return groups


def _speaker_goes_on(quotes: list[Quote], attributions: list[QuoteAttribution], i: int) -> bool:
    """“A,” X said. ¶ “B.”: a paragraph that is only a quotation, given to the speaker of the
    quotation that ended the previous paragraph, goes on with that statement."""
    previous, quote = quotes[i - 1], quotes[i]
    if attributions[i].method == "previous_quote" and quote.paragraph == previous.paragraph and previous.closed:
        return quote.kind == previous.kind == "double"  # “A.” X said. “B.” (B has no attribution of its own)
    return (
        attributions[i].method == "context"
        and bool(attributions[i].speaker.name)
        and quote.paragraph == previous.paragraph + 1
        and (i + 1 == len(quotes) or quotes[i + 1].paragraph != quote.paragraph or quotes[i + 1].continues)
    )


def _continues(text: str, previous: Quote, quote: Quote) -> bool:
    """Same quotation: continued in the next paragraph, or interrupted by its attribution
    (the first part ends with a comma and at most a short attribution stands between)."""
    if quote.continues:
        return True
    if (
        quote.paragraph != previous.paragraph
        or quote.kind != previous.kind
        or quote.kind != "double"
        or not previous.closed
    ):
        return False
    gap = text[previous.outer_end : quote.outer_start]
    ends_with_comma = text[previous.end : previous.close_mark].strip().endswith(",") or gap.lstrip().startswith(",")
    return ends_with_comma and len(boilerplate.words(gap)) <= QUOTE_GROUP_GAP_WORDS


def _scare_quote(candidate: Candidate, doc: Doc) -> bool:
    """A short quoted phrase without a clause of its own: no finite verb, no verb with a subject."""
    if len(boilerplate.words(candidate.exact)) > SCARE_QUOTE_MAX_WORDS:
        return False
    span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
    return span is not None and not any(
        t.tag_ in FINITE_TAGS or (t.pos_ in ("VERB", "AUX") and any(c.dep_ in SUBJECT_DEPS for c in t.children))
        for t in span
    )


# --- shared ----------------------------------------------------------------------------------


def _entities(span: Span, start: int, end: int) -> list[dict]:
    """The named entities wholly inside [start, end) (entities are sorted and do not overlap)."""
    starts, rows = _entity_rows(span.doc)
    found = []
    for i in range(bisect.bisect_left(starts, start), len(starts)):
        if starts[i] >= end:
            break
        if rows[i]["end"] <= end:
            found.append(dict(rows[i]))
    return found


def _entity_rows(doc: Doc) -> tuple[list[int], list[dict]]:
    cached = doc.user_data.get("workbench_entity_rows")
    if cached is None:
        rows = [{"text": e.text, "label": e.label_, "start": e.start_char, "end": e.end_char} for e in doc_ents(doc)]
        cached = doc.user_data["workbench_entity_rows"] = ([r["start"] for r in rows], rows)
    return cached


def _common_features(unit: Unit, exact: str, types: set[str]) -> dict:
    return {
        "types": sorted(types),
        "hedges": hedges(exact),
        "negated": any(t.dep_ == "neg" for t in unit.tokens),
        "paragraph": unit.paragraph,
    }


def _cue_features(cue: Cue, cues: list[Cue]) -> dict:
    """The sentence's attribution, plus every attribution found in it (a sentence can report
    several sources: "X said A, and Y told reporters B")."""
    features: dict = {
        "cue": cue.token.text,
        "cue_kind": cue.kind,
        "speaker_mention": cue.speaker.mention,
        "attribution_main_clause": cue.main_clause,
    }
    if cue.content is not None:
        features["attribution_content"] = list(cue.content)
    features["attributions"] = [
        {
            "speaker": c.speaker.name,
            "speaker_role": c.speaker.role,
            "is_anonymous": c.speaker.is_anonymous,
            "speaker_mention": c.speaker.mention,
            "cue": c.token.text,
            "content": list(c.content) if c.content else None,
        }
        for c in cues
        if c.speaker.name
    ]
    return features
