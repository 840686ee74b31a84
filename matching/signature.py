"""Claim signatures: who did what to whom, with numbers, dates, quotes and certainty markers.

A signature is a plain dict (stored as JSON in `matching.ClaimSignature.data`) computed from a
claim's text with the spaCy dependency parse:

- ``props``: clause-level propositions. Each has an actor (the grammatical subject, or the
  subject inherited from the governing clause: "Putin ordered the ministry to *send* forces"),
  a verb class, object terms (entities and noun classes of the verb's complements), negation,
  the frame verbs above it ("floated the idea of", "ordered") and whether it is the claim's main
  proposition (not inside another event clause). Reporting clauses ("X said") are not
  propositions: the claim is what was said.
- ``entities``, ``numbers`` (value, the noun it counts, qualifiers such as "over"), ``dates``,
  ``quotes`` and ``hedges``, each with offsets into the claim text (for highlighting).
- ``lemmas``: content lemmas (lexical overlap, one feature of the decision).
- ``emb``: the claim's sentence embedding (matching/semantic.py), float16, base64.

Pure functions: no database. spaCy is loaded once per process through factcheck.extraction.nlp.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from .lexicon import (
    FRAME_NOUNS,
    FRAME_VERBS,
    HEDGE_PHRASES,
    MONTHS,
    NUMBER_QUALIFIERS,
    REPORTING_VERBS,
    STOP_LEMMAS,
    WEEKDAYS,
)

MATCHER_NAME = "semantic-matcher"
MATCHER_VERSION = "2.1"
MATCHER_ID = f"{MATCHER_NAME}/{MATCHER_VERSION}"

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"})
DATE_LABELS = frozenset({"DATE", "TIME"})
MIN_SEGMENT_WORDS = 4
NON_QUANTITY = frozenset({"DATE", "TIME", "ORDINAL"})
CLAUSE_DEPS = frozenset(
    {"ROOT", "ccomp", "xcomp", "advcl", "relcl", "conj", "pcomp", "acl", "csubj", "csubjpass", "parataxis"}
)
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
SKIP_OBJECT_DEPS = frozenset(
    {
        "nsubj",
        "nsubjpass",
        "csubj",
        "csubjpass",
        "expl",
        "aux",
        "auxpass",
        "neg",
        "punct",
        "mark",
        "cc",
        "advmod",
        "prt",
        "det",
        "intj",
        "dep",
        "npadvmod",
    }
)
GENERIC_ADJECTIVES = frozenset(
    "new latest other further additional current recent last next first big large small "
    "major full certain several various such good bad high low".split()
)
PRONOUNS = frozenset("he she they it we i you who which that this these those one".split())
TITLES = frozenset(
    "president prime minister chancellor secretary general ambassador senator governor mr mrs ms dr "
    "sir lord king queen prince princess pope minister-president premier spokesman spokeswoman "
    "press foreign defense defence state".split()
)
QUOTE_RE = re.compile(r"[“\"«„]([^“”\"«»„]{3,}?)[”\"»“]|[“«„]([^“”\"«»„]{3,})$")
_WORD_RE = re.compile(r"[\w%$€£]+(?:[’'.-][\w]+)*", re.UNICODE)
_SPACE_RE = re.compile(r"\s+")
_ISE_EXCEPTIONS = frozenset(
    "promise raise rise advise exercise surprise compromise supervise revise televise devise "
    "premise otherwise enterprise franchise merchandise expertise disguise despise wise noise "
    "praise cruise poise concise precise arise comprise".split()
)


# --- normalization ------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, NFKC, curly quotes/dashes to plain, collapsed spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace("—", " - ").replace("–", " - ")
    return _SPACE_RE.sub(" ", text).strip()


def words(text: str) -> list[str]:
    return _WORD_RE.findall(fold(text))


def canonical_lemma(lemma: str) -> str:
    lemma = lemma.lower()
    if len(lemma) > 5 and lemma.endswith("ise") and lemma not in _ISE_EXCEPTIONS:
        lemma = lemma[:-3] + "ize"
    return lemma


def verb_class(lemma: str) -> str:
    """The verb's key: its lemma (synonyms are the sentence encoder's business)."""
    return canonical_lemma(lemma)


def noun_class(lemma: str) -> str:
    return canonical_lemma(lemma)


def entity_key(text: str, label: str = "") -> str:
    """A comparable key for a name: "President Jane Doe" → "doe", "the U.N." → "un". Spelling
    variants are left to `keys_match` (string similarity), not to a list of names."""
    t = fold(text).strip(" .,;:!?\"'()[]")
    t = re.sub(r"^(the|a|an) ", "", t)
    t = re.sub(r"'s$|'$", "", t).strip()
    if label == "PERSON":
        parts = [p for p in t.replace(".", " ").split() if p not in TITLES]
        if parts:
            t = parts[-1]
    return t.replace(".", "")


def keys_match(a: str, b: str) -> bool:
    """Same name, allowing transliteration variants (Zelensky/Zelenskiy) and surname vs full name."""
    if not a or not b:
        return False
    if a == b:
        return True
    if len(a) >= 5 and len(b) >= 5:
        from rapidfuzz import fuzz

        if fuzz.ratio(a, b) >= 85:
            return True
    a_parts, b_parts = a.split(), b.split()
    return (len(a_parts) > 1 or len(b_parts) > 1) and (a_parts[-1] == b_parts[-1])


def quote_norm(text: str) -> str:
    """A quotation folded for comparison: words only."""
    return " ".join(w.replace("'", "") for w in words(text))


def short_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=5).hexdigest()


# --- the parse ---------------------------------------------------------------------------------


def _ent_of(token):
    if token.ent_type_ and token.ent_iob_ in ("B", "I"):
        for ent in token.doc.ents:
            if ent.start <= token.i < ent.end:
                return ent
    return None


def _actor_from(token) -> dict:
    """The actor named by a subject (or agent) phrase headed by `token`."""
    if token is None:
        return {"key": "", "kind": "none", "text": ""}
    lower = token.lower_
    if token.pos_ == "PRON" or lower in PRONOUNS:
        return {"key": "", "kind": "pronoun", "text": token.text}
    subtree = list(token.subtree)
    ents = [
        e for e in token.doc.ents if e.label_ in NAME_LABELS and e.start >= subtree[0].i and e.end <= subtree[-1].i + 1
    ]
    persons = [e for e in ents if e.label_ == "PERSON"]
    head_ent = _ent_of(token)
    if head_ent is not None and head_ent.label_ in NAME_LABELS:
        chosen = head_ent
    elif persons:
        chosen = persons[0]
    elif token.pos_ == "PROPN" and not ents:
        return {"key": entity_key(token.text), "kind": "group", "text": token.text}
    elif token.pos_ == "NOUN":
        left = [t for t in subtree if t.i <= token.i]
        left_ents = [e for e in ents if e.end <= token.i + 1]
        hint = entity_key(left_ents[-1].text, left_ents[-1].label_) if left_ents else ""
        return {"key": "", "kind": "descriptive", "text": " ".join(t.text for t in left)[:120], "hint": hint}
    elif ents:
        chosen = ents[0]
    else:
        return {"key": "", "kind": "descriptive", "text": token.text}
    kind = "person" if chosen.label_ == "PERSON" else "group"
    return {"key": entity_key(chosen.text, chosen.label_), "kind": kind, "text": chosen.text}


def _subject(verb):
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            return child, child.dep_ in ("nsubjpass", "csubjpass")
    return None, False


def _agent(verb):
    for child in verb.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _is_clause_head(token) -> bool:
    if token.pos_ == "VERB":
        return token.dep_ not in ("aux", "auxpass", "amod", "compound", "nmod", "punct")
    return token.pos_ == "AUX" and token.dep_ == "ROOT"


def _clause_actor(verb, depth: int = 0) -> dict:
    subj, passive = _subject(verb)
    if subj is not None and not passive:
        if subj.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
            return _actor_from(verb.head)
        return _actor_from(subj)
    if passive:
        return _actor_from(_agent(verb))
    if depth > 6 or verb.dep_ == "ROOT":
        return {"key": "", "kind": "none", "text": ""}
    head = verb.head
    # A noun's clause ("Putin's decision to recognize"): the possessor acts.
    while head.pos_ in ("NOUN", "PROPN", "ADP") and head.dep_ != "ROOT":
        if head.pos_ == "NOUN":
            for child in head.children:
                if child.dep_ == "poss":
                    return _actor_from(child)
        head = head.head
    if head.pos_ in ("NOUN", "PROPN"):
        for child in head.children:
            if child.dep_ == "poss":
                return _actor_from(child)
    return _clause_actor(head, depth + 1) if head is not verb else {"key": "", "kind": "none", "text": ""}


def _object_terms(verb, entity_keys: dict[int, str]) -> list[str]:
    """Entity keys and noun classes in the verb's complements (not its subject, not nested clauses)."""
    terms: list[str] = []
    subj, passive = _subject(verb)
    roots = [c for c in verb.children if c.dep_ not in SKIP_OBJECT_DEPS and not _is_clause_head(c)]
    if passive and subj is not None:
        roots.append(subj)
    stack = list(roots)
    while stack:
        tok = stack.pop()
        if _is_clause_head(tok) and tok is not verb:
            continue
        if tok.i in entity_keys:
            terms.append("@" + entity_keys[tok.i])
        elif tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in DATE_LABELS:
            lemma = noun_class(tok.lemma_)
            if lemma not in STOP_LEMMAS and len(lemma) > 1:
                terms.append(lemma)
        elif tok.pos_ == "ADJ" and tok.dep_ in ("amod", "acomp", "oprd") and tok.ent_type_ not in DATE_LABELS:
            lemma = noun_class(tok.lemma_)
            if lemma not in STOP_LEMMAS and lemma not in GENERIC_ADJECTIVES and len(lemma) > 2:
                terms.append(lemma)
        stack.extend(tok.children)
    seen: dict[str, None] = {}
    for term in terms:
        seen.setdefault(term, None)
    return list(seen)


def _negated(verb) -> bool:
    return any(c.dep_ == "neg" or c.lower_ == "never" for c in verb.children)


def _frame_kind(verb) -> str:
    """'report' (X said ...), 'frame' (decided to / floated the idea of ...) or 'event'."""
    lemma = canonical_lemma(verb.lemma_)
    children = list(verb.children)
    has_comp = any(c.dep_ in ("ccomp", "xcomp", "parataxis") for c in children)
    if lemma in REPORTING_VERBS and (
        has_comp
        or verb.dep_ in ("parataxis",)
        or any(c.dep_ == "dobj" and c.lower_ in ("reporters", "journalists") for c in children)
    ):
        return "report"
    if lemma in FRAME_VERBS and has_comp:
        return "frame"
    if verb_class(lemma) == "sign":  # signing an order/decree is itself a fact
        return "event"
    for c in children:
        if c.dep_ in ("dobj", "attr") and canonical_lemma(c.lemma_) in FRAME_NOUNS:
            if any(
                _is_clause_head(g) or (g.dep_ == "prep" and any(_is_clause_head(x) for x in g.children))
                for g in c.children
            ):
                return "frame"
    return "event"


def _mainness(verb, kinds: dict[int, str]) -> tuple[bool, list[str]]:
    """Is this proposition what the claim asserts (not background: an adverbial clause, a
    relative clause, a prepositional adjunct, a subject), and which frames sit above it?"""
    main, frames, tok, steps, via_frame_noun = True, [], verb, 0, False
    while tok.dep_ != "ROOT" and steps < 25:
        dep, head = tok.dep_, tok.head
        steps += 1
        if dep in SUBJECT_DEPS or dep in ("advcl", "relcl", "npadvmod", "appos"):
            main = False
        elif dep == "acl" and not (head.pos_ == "NOUN" and canonical_lemma(head.lemma_) in FRAME_NOUNS):
            main = False
        elif dep == "prep" and head.i in kinds:
            main = False
        if head.i in kinds:
            if kinds[head.i] == "event" and dep != "conj" and not via_frame_noun:
                main = False
            elif kinds[head.i] == "frame":
                frames.append(canonical_lemma(head.lemma_))
            elif via_frame_noun:
                frames.append(canonical_lemma(head.lemma_))
            via_frame_noun = False
        elif head.pos_ == "NOUN" and canonical_lemma(head.lemma_) in FRAME_NOUNS:
            frames.append(canonical_lemma(head.lemma_))
            via_frame_noun = True
        elif head.pos_ != "ADP":
            via_frame_noun = False
        tok = head
    return main, frames


def _propositions(doc, entity_keys: dict[int, str]) -> list[dict]:
    heads = [t for t in doc if _is_clause_head(t)]
    kinds = {t.i: _frame_kind(t) for t in heads}
    props = []
    for verb in heads:
        kind = kinds[verb.i]
        if kind != "event":
            continue
        main, frames = _mainness(verb, kinds)
        actor = _clause_actor(verb)
        props.append(
            {
                "verb": verb_class(verb.lemma_),
                "verb_text": verb.text,
                "actor": actor,
                "objects": _object_terms(verb, entity_keys),
                "neg": _negated(verb),
                "main": main,
                "frames": frames,
            }
        )
    return props


def _numbers(doc) -> list[dict]:
    from factcheck.extraction.numbers import parse_number

    out, i = [], 0
    tokens = list(doc)
    while i < len(tokens):
        tok = tokens[i]
        lower = tok.lower_
        if not tok.like_num or tok.ent_type_ in NON_QUANTITY or re.match(r"^\d+(st|nd|rd|th)$", lower):
            i += 1
            continue
        group = [tok]
        j = i + 1
        while j < len(tokens) and (
            tokens[j].like_num
            or tokens[j].lower_ in ("million", "billion", "trillion", "thousand", "hundred", "%", "percent")
        ):
            group.append(tokens[j])
            j += 1
        first = group[0]
        if first.i > 0 and doc[first.i - 1].text in "$€£¥₽₴":
            first = doc[first.i - 1]
        start, end = first.idx, group[-1].idx + len(group[-1].text)
        text = doc.text[start:end]
        value = parse_number(text)
        last = group[-1]
        head = last.head if last.dep_ in ("nummod", "quantmod", "compound") else None
        if last.lower_ in ("%", "percent"):
            head_key = "percent"
        elif head is not None and head.pos_ in ("NOUN", "PROPN"):
            head_key = noun_class(head.lemma_)
        else:
            head_key = ""
        qualifier = ""
        prev = doc[first.i - 1] if first.i > 0 else None
        if prev is not None:
            qualifier = NUMBER_QUALIFIERS.get(prev.lower_, "")
            if prev.lower_ == "than" and first.i > 1:
                qualifier = NUMBER_QUALIFIERS.get(doc[first.i - 2].lower_, "")
        if value is not None:
            out.append(
                {"text": text, "value": value, "head": head_key, "qualifier": qualifier, "start": start, "end": end}
            )
        i = j
    return out


def date_keys(text: str) -> list[str]:
    t = fold(text)
    keys = [w for w in WEEKDAYS if w in t]
    keys += [m for m in MONTHS if re.search(rf"\b{m}\b", t)]
    keys += re.findall(r"\b(1[89]\d\d|20\d\d)\b", t)
    for rel in ("yesterday", "today", "tomorrow", "last week", "last month", "last year", "next week"):
        if rel in t:
            keys.append(rel)
    return keys


def find_quotes(text: str) -> list[dict]:
    out = []
    for m in QUOTE_RE.finditer(text):
        group = 1 if m.group(1) is not None else 2
        body = m.group(group).strip(" ,.;:")
        if len(words(body)) < 1:
            continue
        start = m.start(group) + (len(m.group(group)) - len(m.group(group).lstrip(" ,.;:")))
        out.append({"text": body, "norm": quote_norm(body), "start": start, "end": start + len(body)})
    return out


def find_hedges(text: str) -> list[dict]:
    lowered = text.lower().replace("’", "'")
    found: list[dict] = []
    taken: list[tuple[int, int]] = []
    for phrase in HEDGE_PHRASES:
        for m in re.finditer(rf"(?<![\w]){re.escape(phrase)}(?![\w])", lowered):
            if any(not (m.end() <= s or m.start() >= e) for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append({"text": text[m.start() : m.end()], "key": phrase, "start": m.start(), "end": m.end()})
    return sorted(found, key=lambda h: h["start"])


def speaker_key(speaker: str) -> str:
    """A key for a named speaker ("Vladimir Putin" → "putin"); "" for a description ("a senior
    official", "U.S. and Western officials"), which is compatible with anyone."""
    parts = [
        w
        for w in speaker.replace("’s", "").replace("'s", "").split()
        if w.lower() not in ("of", "the", "and", "de", "von")
    ]
    if not parts or not all(w[0].isupper() for w in parts):
        return ""
    return entity_key(speaker, "PERSON")


# Dependents that head a clause of their own: a claim's segments are cut along them (#14 item 1).
SEGMENT_DEPS = frozenset({"advcl", "conj", "relcl", "acl", "ccomp", "pcomp", "xcomp", "parataxis"})
SEGMENT_EDGE_WORDS = frozenset({"and", "but", "or", "as", "after", "while", "so", "yet"})
MAX_SEGMENTS = 8


def _heads_clause(token) -> bool:
    """A verb heading a clause, or an auxiliary with its own subject ("forces have been there")."""
    return _is_clause_head(token) or (
        token.pos_ == "AUX" and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in token.children)
    )


def segments(doc) -> list[str]:
    """The shorter statements inside a long claim, for matching a claim that says the same as one of
    its parts: each sentence of a multi-sentence claim, each clause (the head's whole subtree) and
    each clause without its own subordinate clauses ("X recognized the regions, marking a turn" →
    "X recognized the regions"). At least MIN_SEGMENT_WORDS words and shorter than the claim; [] for a
    short one-clause claim."""
    words = sum(1 for t in doc if not (t.is_punct or t.is_space))
    out: list[str] = []

    def add(tokens) -> None:
        tokens = sorted(tokens, key=lambda t: t.i)
        while tokens and (
            tokens[0].is_punct or tokens[0].dep_ in ("cc", "mark") or tokens[0].lower_ in SEGMENT_EDGE_WORDS
        ):
            tokens = tokens[1:]
        while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "cc"):
            tokens = tokens[:-1]
        n = sum(1 for t in tokens if not (t.is_punct or t.is_space))
        text = "".join(t.text_with_ws for t in tokens).strip()
        if MIN_SEGMENT_WORDS <= n < words - 1 and text not in out:
            out.append(text)

    sentences = list(doc.sents)
    if len(sentences) > 1:
        for sentence in sentences:
            add(list(sentence))
    for head in doc:
        if not (_heads_clause(head) and (head.dep_ == "ROOT" or head.dep_ in SEGMENT_DEPS)):
            continue
        subtree = list(head.subtree)
        add(subtree)
        nested = {
            t.i
            for c in head.children
            if (c.dep_ in SEGMENT_DEPS and _heads_clause(c))
            or (c.dep_ == "prep" and any(g.dep_ == "pcomp" for g in c.children))
            for t in c.subtree
        }
        if nested:
            add([t for t in subtree if t.i not in nested])
    return out[:MAX_SEGMENTS]


def signature_from_doc(doc, *, speaker: str = "", claim_type: str = "") -> dict:
    text = doc.text
    speaker_id = speaker_key(speaker) if speaker else ""
    entities, entity_keys = [], {}
    for ent in doc.ents:
        if ent.label_ in NAME_LABELS:
            key = entity_key(ent.text, ent.label_)
            if not key:
                continue
            entities.append(
                {"text": ent.text, "key": key, "label": ent.label_, "start": ent.start_char, "end": ent.end_char}
            )
            for tok in ent:
                entity_keys[tok.i] = key
    dates = []
    for ent in doc.ents:
        if ent.label_ in DATE_LABELS:
            dates.append({"text": ent.text, "keys": date_keys(ent.text), "start": ent.start_char, "end": ent.end_char})
    lemmas = []
    for tok in doc:
        if tok.is_punct or tok.is_space or tok.like_num:
            continue
        if tok.i in entity_keys:
            lemmas.append(entity_keys[tok.i])
            continue
        lemma = canonical_lemma(tok.lemma_)
        if lemma in STOP_LEMMAS or tok.is_stop or len(lemma) < 2:
            continue
        if tok.pos_ == "VERB":
            lemmas.append(verb_class(lemma))
        elif tok.pos_ in ("NOUN", "ADJ"):
            lemmas.append(noun_class(lemma))
        elif tok.pos_ in ("PROPN", "ADV"):
            lemmas.append(lemma)
    props = _propositions(doc, entity_keys)
    if not speaker_id:  # "..., Macron said": the named subject of a reporting verb
        for tok in doc:
            if _is_clause_head(tok) and _frame_kind(tok) == "report":
                actor = _clause_actor(tok)
                if actor["key"] and actor["kind"] in ("person", "group"):
                    speaker_id = actor["key"]
                    break
    if speaker_id:  # in a quotation "I"/"we" is the speaker
        for prop in props:
            if prop["actor"]["kind"] == "pronoun" and prop["actor"]["text"].lower() in ("i", "we"):
                prop["actor"] = {"key": speaker_id, "kind": "person", "text": speaker}
    quotes = find_quotes(text)
    if claim_type == "quote" and not quotes and text.strip():
        body = text.strip()
        quotes = [
            {
                "text": body,
                "norm": quote_norm(body),
                "start": text.index(body[0]),
                "end": text.index(body[0]) + len(body),
            }
        ]
    return {
        "v": MATCHER_VERSION,
        "speaker": speaker_id,
        "props": props,
        "entities": entities,
        "numbers": _numbers(doc),
        "dates": dates,
        "quotes": quotes,
        "hedges": find_hedges(text),
        "lemmas": sorted(set(lemmas)),
        "segments": segments(doc),
    }


def signatures_compute(items: Iterable[tuple]) -> list[dict]:
    """Signatures for (text, speaker[, claim_type]) tuples, parsed in one batch."""
    from factcheck.extraction.nlp import get_nlp

    items = [tuple(item) + ("",) * (3 - len(item)) for item in items]
    nlp = get_nlp()
    docs = nlp.pipe([item[0] for item in items], batch_size=64)
    return [signature_from_doc(doc, speaker=item[1], claim_type=item[2]) for doc, item in zip(docs, items)]


# --- index terms -------------------------------------------------------------------------------


def _round_sig(value: float, digits: int = 2) -> str:
    if value == 0:
        return "0"
    from math import floor, log10

    magnitude = floor(log10(abs(value)))
    scale = 10 ** (magnitude - digits + 1)
    return f"{round(value / scale) * scale:g}"


def signature_terms(sig: dict) -> list[str]:
    """Retrieval keys for the inverted index, most specific first. Composite keys
    (actor+verb, verb+object, quote shingles) are rare even in a large store."""
    terms: list[str] = []
    for prop in sig.get("props", []):
        verb, actor = prop["verb"], prop["actor"].get("key", "")
        if actor:
            terms.append(f"av:{actor}|{verb}")
        for obj in prop["objects"][:6]:
            terms.append(f"vo:{verb}|{obj.lstrip('@')}")
    for quote in sig.get("quotes", []):
        toks = quote["norm"].split()
        if len(toks) >= 4:
            shingles = [" ".join(toks[i : i + 4]) for i in range(0, len(toks) - 3)]
            step = max(1, len(shingles) // 8)
            terms.extend(f"q:{short_hash(s)}" for s in shingles[::step][:8])
    for number in sig.get("numbers", []):
        if number["value"] is not None and abs(number["value"]) >= 10:
            terms.append(f"n:{_round_sig(number['value'])}")
    for ent in sig.get("entities", []):
        terms.append(f"e:{ent['key']}")
    if sig.get("speaker"):
        terms.append(f"s:{sig['speaker']}")
    terms.extend(f"l:{lemma}" for lemma in sig.get("lemmas", []))
    seen: dict[str, None] = {}
    for term in terms:
        if len(term) <= 120:
            seen.setdefault(term, None)
    return list(seen)
