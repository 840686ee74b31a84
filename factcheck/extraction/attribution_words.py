"""Word lists, the data classes (``Speaker``, ``PersonMention``, ``Cue``, ``QuoteAttribution``) and
small token helpers shared by the attribution modules (:mod:`factcheck.extraction.attribution`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy
from spacy.tokens import Doc, Span, Token

from .gazetteer import country_key
from .gazetteer import normalize as gazetteer_normalize
from .names import gender_of_name
from .nlp import doc_ents, doc_text

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
            self.kind in ("speech", "belief")
            and (self.has_complement or self.token.lemma_.lower() in STRICT_SPEECH_LEMMAS)
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


def _head_lemma(token: Token) -> tuple[str, bool]:
    """Lower-case singular head and plurality; "Officials" tagged as a proper noun included."""
    lemma = token.lemma_.lower()
    plural = token.tag_ in ("NNS", "NNPS")
    known = ANON_HEADS | TITLE_WORDS | SOURCE_NOUNS
    if lemma not in known and lemma.endswith("s") and lemma[:-1] in known:
        return lemma[:-1], True
    return lemma, plural


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
