"""Who said it: reporting cues, their subjects, and resolution of a subject to a speaker.

A ``Discourse`` is built per document. It first registers every named person (with the role
and affiliation the text gives them: "city hall spokeswoman Ana Ruiz", "Tom
Okafor, the state's finance minister"). Sentences are then read in order with ``find_cues``: each
reporting verb ("said", "told", "warned"...), "according to X" and "X's statement" becomes a
``Cue`` whose subject is resolved, looking only backwards:

- a name → the full name ("Okafor" → "Tom Okafor");
- he/she → the latest salient person of that gender (speaker or grammatical subject), then
  any earlier person of that gender, then the latest speaker of unknown gender;
- a role ("the foreign minister", "the Russian leader", "the diplomat") → the latest person
  or unnamed source whose role matches, else the latest named speaker with no conflicting role;
- an unnamed source ("a senior administration official", "officials", "sources familiar
  with...") → anonymous, the description itself; "the official" later → that description.

``assign_quotes`` then gives each quotation the nearest cue of its sentence(s) (syntactically
governing cues first, speech verbs before belief verbs), else the speaker of the previous
quote of the paragraph, of the quote it continues, or of the context for a stand-alone quote.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from dataclasses import dataclass, replace

import numpy
from spacy.attrs import IDX, LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from .gazetteer import country_key
from .gazetteer import normalize as gazetteer_normalize
from .isolation import isolated
from .names import gender_of_name
from .nlp import doc_ents, doc_sents, doc_text
from .quotes import Quote

SPEECH_LEMMAS = frozenset(
    """
    say tell add note explain stress insist warn claim argue state announce reiterate respond
    reply conclude ask reveal suggest accuse call describe deny dismiss write tweet post declare
    confirm acknowledge admit assert allege maintain emphasize emphasise urge predict promise
    vow pledge threaten caution complain comment remark observe point mention recall report
    quote cite contend counter testify concede boast joke recount inform brief
    signal indicate characterize characterise label dub term brand praise criticize criticise
    blast slam condemn decry lament question affirm proclaim advise recommend demand disagree
    acknowledge estimate forecast assure announce retort rule exclaim charge shout yell scream
    chant quip muse gush interject answer continue scoff snap plead concur opine
    """.split()
)
STRICT_SPEECH_LEMMAS = frozenset(
    """
    say tell claim insist stress warn explain argue assert allege reiterate state comment
    remark tweet write emphasize emphasise contend testify concede retort
    """.split()
)
BELIEF_LEMMAS = frozenset(
    """
    believe think deem consider feel fear hope expect know worry doubt suspect assume reckon
    want wish understand learn guess imagine assess
    """.split()
)
NOUN_CUE_LEMMAS = frozenset(
    """
    statement remark comment claim assertion warning announcement letter tweet post argument
    accusation allegation insistence promise pledge threat belief assessment testimony
    declaration
    """.split()
)
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})
# Speech verbs whose subject is a source whatever the noun ("the tycoon told", "the filing says").
DEPENDABLE_SPEECH_LEMMAS = frozenset({"say", "tell"})
AUTHOR = "the author"  # "I said" outside quotation marks: the writer of the article
PERSONAL_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it", "you"})
INDEFINITE_WORDS = frozenset(
    {"a", "an", "one", "some", "several", "two", "three", "four", "many", "few", "other", "another",
     "various", "multiple", "numerous", "dozen", "nearly"}
)  # fmt: skip
ANON_MARKERS = frozenset({"unnamed", "anonymous", "unidentified"})
GENERIC_ANON_HEADS = frozenset(
    {"official", "source", "person", "people", "aide", "insider", "officer", "staffer", "member",
     "individual", "figure", "administrator", "employee", "worker", "operative"}
)  # fmt: skip
ANON_HEADS = GENERIC_ANON_HEADS | frozenset(
    {"diplomat", "analyst", "expert", "adviser", "advisor", "spokesman", "spokeswoman", "spokesperson",
     "lawmaker", "legislator", "negotiator", "investigator", "commander", "soldier", "resident",
     "witness", "observer", "politician", "minister", "envoy", "strategist"}
)  # fmt: skip
TITLE_WORDS = frozenset(
    """
    president minister secretary ambassador chancellor spokesman spokeswoman spokesperson official
    diplomat chief leader representative commissioner senator governor general director head
    premier mayor chairman chairwoman chair adviser advisor envoy lawmaker congressman
    congresswoman judge justice prosecutor attorney commander colonel admiral king queen prince
    emir sheikh pope bishop ceo founder executive analyst expert professor economist
    """.split()
)
HONORIFICS = frozenset(
    {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "sir", "dame", "lord", "lady", "madam"}
)
ROLE_CLASSES: dict[str, re.Pattern[str]] = {
    "diplomat": re.compile(
        r"diplomat|foreign (?:minister|secretary|policy|affairs)|secretary of state|ambassador|envoy|"
        r"high representative|representative to", re.I),
    "leader": re.compile(
        r"president|prime minister|premier|chancellor|leader|\bking\b|\bqueen\b|head of (?:state|government)|"
        r"monarch|\bemir\b|dictator|strongman|ruler", re.I),
    "spokesperson": re.compile(r"spokes(?:man|woman|person)|press secretary|press officer", re.I),
    "minister": re.compile(r"minister", re.I),
    "lawmaker": re.compile(r"senator|congress(?:man|woman)|lawmaker|legislator|\bmp\b", re.I),
    "military": re.compile(r"\bgeneral\b|commander|colonel|admiral|chief of staff|defen[cs]e (?:minister|secretary)", re.I),
    "official": re.compile(
        r"official|officer|secretary|minister|adviser|advisor|\baide\b|director|\bchief\b|\bhead\b|"
        r"commissioner|ambassador|spokes|representative|administrator|governor|mayor|president|"
        r"chancellor|diplomat|envoy|leader|premier", re.I),
}  # fmt: skip
GEO_LABELS = frozenset({"GPE", "NORP", "ORG", "LOC"})
ORG_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})
# Common nouns that can be the source of a statement besides people and roles.
SOURCE_NOUNS = frozenset(
    """
    report statement study survey poll document letter order memo analysis data investigation
    assessment filing lawsuit complaint ruling article paper website tweet post video book
    government administration ministry military army police court campaign team committee
    council party group company agency embassy union office parliament congress senate media
    press country nation state side authority critic supporter opponent protester resident
    voter expert analyst citizen leader head chief everyone nobody someone many some other
    others both organization organisation service intelligence bloc alliance coalition camp
    family friend colleague partner ally rival neighbour neighbor community public crowd
    commission board panel department bureau network newspaper magazine outlet station
    channel site blog release filing staff troop woman man child fan audience lawyer
    attorney doctor physician scientist researcher economist student teacher victim
    survivor candidate nominee campaign democrat republican conservative liberal activist
    """.split()
)
_AGENT_SUFFIX_RE = re.compile(r"(?:er|or|ist|ian|ant|ent|man|woman|person|ee)s?$")
NOT_AGENTS = frozenset(
    """
    percent cent moment event payment element agreement content extent incident amount
    number matter border water power center centre chapter quarter winter summer
    """.split()
)
RECENT_PARAGRAPHS = 2
DASH_NAME_RE = re.compile(r"[ \t\u00a0]*[―—–-]{1,2}[ \t\u00a0]*(?=[A-Z])")
NAME_RE = re.compile(r"([A-Z][\w.'’-]+(?:[ \u00a0][A-Z][\w.'’-]+){1,3})")
NOT_NAME_STARTS = frozenset({"the", "a", "an", "this", "that", "it", "but", "and", "in", "on", "at", "for", "as", "if"})


@dataclass(frozen=True)
class Speaker:
    """A resolved (or unresolved, ``name == ""``) source of a statement."""

    name: str = ""
    role: str = ""
    is_anonymous: bool = False
    mention: str = ""  # the words of the text: "she", "the diplomat", "Okafor"
    kind: str = ""  # "person" | "organization" | "anonymous" | "description" | ""
    plural: bool = False
    head: str = ""  # head lemma of a description ("official")
    geo: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PersonMention:
    start: int
    end: int
    name: str  # canonical full name
    role: str
    affiliations: frozenset[str]
    is_subject: bool
    paragraph: int


@dataclass(frozen=True)
class Cue:
    """A reporting expression with its resolved speaker and (if found) its content span."""

    token: Token
    subject: Token
    speaker: Speaker
    kind: str  # "speech" | "belief" | "according" | "noun"
    main_clause: bool
    has_complement: bool
    content: tuple[int, int] | None
    paragraph: int

    @property
    def start(self) -> int:
        return self.token.idx

    @property
    def end(self) -> int:
        return self.token.idx + len(self.token.text)

    @property
    def is_speech(self) -> bool:
        return self.kind != "belief"

    @property
    def attributes_sentence(self) -> bool:
        """Strong enough to make its sentence an "attributed" claim."""
        return self.kind == "according" or (
            self.kind in ("speech", "belief") and (self.has_complement or self.token.lemma_.lower() in STRICT_SPEECH_LEMMAS)
        )


@dataclass(frozen=True)
class QuoteAttribution:
    speaker: Speaker
    method: str  # "cue" | "previous_quote" | "continuation" | "next_quote" | "context" | ""
    cue: Cue | None = None


# --- small helpers ---------------------------------------------------------------------------


def span_text(doc: Doc, tokens: list[Token]) -> str:
    if not tokens:
        return ""
    return doc_text(doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]


def strip_determiner(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)


def geo_key(text: str) -> str:
    """One key per place: a country's names, demonyms and capital share it (gazetteer.py)."""
    return country_key(text) or gazetteer_normalize(text)


def geo_keys(tokens: list[Token]) -> frozenset[str]:
    """Normalised places/organisations among tokens: entity texts, or known adjectives."""
    keys: set[str] = set()
    seen: set[int] = set()
    for token in tokens:
        if token.ent_type_ in GEO_LABELS:
            ent = next((e for e in doc_ents(token.doc) if e.start <= token.i < e.end), None)
            if ent is not None and ent.start not in seen:
                seen.add(ent.start)
                keys.add(geo_key(strip_determiner(ent.text)))
        elif (country := country_key(token.text)) is not None:
            keys.add(country)
    return frozenset(keys)


@functools.lru_cache(maxsize=4096)
def role_classes(text: str) -> frozenset[str]:
    return frozenset(name for name, pattern in ROLE_CLASSES.items() if pattern.search(text))


def _roles_match(query: frozenset[str], candidate: frozenset[str], head: str = "", candidate_role: str = "") -> bool:
    """Does a role description (classes, head noun) fit a person's known role?

    Specific classes must overlap ("the diplomat" fits "Foreign Minister"); the generic
    "official" fits any role; otherwise the head noun itself must occur in the role."""
    specific = query - {"official"}
    if specific:
        return bool(specific & candidate)
    if head == "official":
        return bool(candidate)
    return bool(head) and re.search(rf"\b{re.escape(head)}\b", candidate_role, re.I) is not None


def _animate(token: Token) -> bool:
    """Could this common noun say something? (people, roles, groups, documents)"""
    lemma, _ = _head_lemma(token)
    return (
        lemma in SOURCE_NOUNS
        or lemma in ANON_HEADS
        or lemma in TITLE_WORDS
        or token.pos_ == "PROPN"
        or (bool(_AGENT_SUFFIX_RE.search(lemma)) and lemma not in NOT_AGENTS)
    )


def _is_role_text(tokens: list[Token]) -> bool:
    return any(t.pos_ == "NOUN" or t.lower_ in TITLE_WORDS for t in tokens)


def _looks_like_person(span: Span) -> bool:
    """A mislabelled name such as "Aleksey Danilov" (ORG): 2–3 capitalised PROPNs, known first name."""
    tokens = [t for t in span if not t.is_punct]
    return (
        2 <= len(tokens) <= 3
        and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in tokens)
        and gender_of_name(span.text) is not None
    )


def _running_count(flags) -> list[int]:
    """counts[i] = how many of flags[:i] are set (so a range's count is counts[end] - counts[start])."""
    return [0] + numpy.cumsum(flags, dtype="int64").tolist()


def _token_end(token: Token) -> int:
    return token.idx + len(token.text)


# --- the discourse model ---------------------------------------------------------------------


class Discourse:
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
        spans = [e for e in doc_ents(self.doc) if e.label_ == "PERSON" or (e.label_ in ORG_LABELS and _looks_like_person(e))]
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
                has_complement, _content_span(token, kind, sent), self.paragraph_of(token.idx),
            )  # fmt: skip
            self.cues.append(cue)
            found.append(cue)
        return found

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
            return Speaker(name=AUTHOR, role="author", mention=subject.text, kind="author")  # first person outside quotes
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
        has_det = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in subject.children)
        has_poss = any(c.dep_ == "poss" for c in subject.children)
        indefinite = bool(words & INDEFINITE_WORDS and not has_det) or (not has_det and not has_poss)
        anon_marked = bool(words & ANON_MARKERS) or "familiar" in words
        geo = geo_keys([t for t in tokens if t.i != subject.i])
        role_tokens = [t for t in tokens if t.i > max([c.i for c in subject.children if c.dep_ in ("det", "poss")] + [-1])]
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
        """Roles named before the person ("the country's foreign minister says" … "Sergey Lavrov
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
            if classes - {"official"} <= person_classes and _roles_match(classes, person_classes, speaker.head, self._roles_text(mention.name, end)):
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


# --- syntax helpers --------------------------------------------------------------------------


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
    """"..., with Aleksey Danilov, the secretary of ..., insisting that ..." → Danilov."""
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
    """"…, he told CNN a senior US official familiar with …": a person description as the
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
    """"According to X, ..." / "..., according to X." frame the whole sentence."""
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
        if child.dep_ in ("acl", "ccomp", "relcl") and any(c.dep_ == "mark" and c.lower_ == "that" for c in child.children):
            return child
    governor = noun.head
    for child in governor.rights:
        if child.dep_ == "ccomp" and child.left_edge.lower_ == "that" and child.left_edge.i > noun.i:
            between = noun.doc[noun.right_edge.i + 1 : child.left_edge.i]
            if all(t.head.i == governor.i and t.dep_ in ("npadvmod", "advmod") or t.head.head.i == governor.i for t in between):
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


def _head_lemma(token: Token) -> tuple[str, bool]:
    """Lower-case singular head and plurality; "Officials" tagged as a proper noun included."""
    lemma = token.lemma_.lower()
    plural = token.tag_ in ("NNS", "NNPS")
    known = ANON_HEADS | TITLE_WORDS | SOURCE_NOUNS
    if lemma not in known and lemma.endswith("s") and lemma[:-1] in known:
        return lemma[:-1], True
    return lemma, plural


def _np_tokens(subject: Token) -> list[Token]:
    """The subject's noun phrase: left modifiers and a few right ones ("familiar with ...")."""
    doc = subject.doc
    tokens = list(doc[subject.left_edge.i : subject.i + 1])
    cut = max((k for k, t in enumerate(tokens) if t.text in ",;:—–(" or t.pos_ in ("VERB", "AUX")), default=-1)
    tokens = tokens[cut + 1 :] or [subject]  # the subject itself can be tagged VERB/AUX in garbled text
    while len(tokens) > 1 and tokens[0].is_punct:
        tokens = tokens[1:]
    for child in subject.rights:
        if child.dep_ in ("amod", "prep", "acl") and child.i == tokens[-1].i + 1 and child.lower_ in ("familiar", "from", "at", "in", "with", "close"):
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
