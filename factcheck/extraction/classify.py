"""Claim types of a sentence-level candidate, from small lexicons over spaCy tokens.

``detect_types`` returns every type whose cue is present; ``primary_type`` picks one by the
priority: quantity > attributed (main clause) > rule > causal > prediction > attributed
(parenthetical) > opinion > other. Opinion only applies when the sentence has no verifiable
anchor (no named entity and no number).
"""

from __future__ import annotations

import re

from spacy.tokens import Token

CLAIM_TYPES = ("quantity", "quote", "attributed", "causal", "prediction", "rule", "opinion", "other")

CAUSAL_LEMMAS = frozenset(
    {"cause", "trigger", "spark", "fuel", "prompt", "provoke", "because", "consequently", "therefore", "hence", "thus"}
)
CAUSAL_PHRASES = re.compile(
    r"\b(?:due to|owing to|thanks to|as a result(?: of)?|as a consequence|led to|leads? to|leading to|"
    r"result(?:s|ed|ing)? in|result(?:s|ed|ing)? from|in response to|in retaliation for|"
    r"because of|blamed? .{1,40}? for|responsible for|contribut(?:e|ed|es|ing) to|so that)\b",
    re.IGNORECASE,
)
PREDICTION_MODALS = frozenset({"will", "shall", "'ll", "’ll", "wo", "going"})
WEAK_PREDICTION_MODALS = frozenset({"could", "may", "might", "would"})
PREDICTION_PHRASES = re.compile(
    r"\b(?:(?:is|are|was|were) (?:expected|likely|set|poised|due|scheduled|slated|going|projected|forecast|predicted) to|"
    r"(?:plans?|planned|planning|intends?|intended) to|forecasts?|predict(?:s|ed)?|projected|"
    r"next (?:week|month|year|decade)|in the coming (?:hours|days|weeks|months|years)|soon|imminent(?:ly)?|by (?:the end of )?20\d\d)\b",
    re.IGNORECASE,
)
STRONG_RULE_LEMMAS = frozenset(
    {"law", "decree", "ban", "prohibit", "prohibition", "regulation", "legislation", "statute", "treaty",
     "ratify", "outlaw", "embargo", "ordinance", "illegal", "unlawful", "forbid", "veto", "enact"}
)  # fmt: skip
RULE_PHRASES = re.compile(
    r"\b(?:executive order|impos(?:e|ed|es|ing) (?:new |fresh |further |additional |tough |harsh |severe |economic |financial )*"
    r"(?:sanctions|restrictions|measures|ban|tariffs)|sanctions? (?:on|against)|legally[- ]binding|signed (?:a|an|the) (?:decree|law|bill|order))\b",
    re.IGNORECASE,
)
OPINION_LEMMAS = frozenset(
    """
    good bad great terrible awful horrible wonderful excellent fantastic amazing brilliant
    disgraceful shameful outrageous ridiculous absurd pathetic disgusting appalling shocking
    blatant flagrant reckless irresponsible incompetent unacceptable disastrous catastrophic
    tragic sad unfortunate fortunate beautiful ugly stupid foolish wise clever smart dumb
    best worst better worse right wrong fair unfair deplorable despicable heroic cowardly
    evil wicked noble brave courageous weak strong hypocritical dishonest honest corrupt
    tirade hysteria nonsense farce sham shame disgrace scandalous sensible insane crazy
    should must ought needless pointless senseless
    """.split()
)
OPINION_PHRASES = re.compile(
    r"\b(?:i think|i believe|i feel|in my (?:view|opinion)|we believe|it is clear that|clearly|obviously|"
    r"of course|frankly|honestly|it seems|arguably)\b",
    re.IGNORECASE,
)
HEDGES = re.compile(
    r"\b(?:reportedly|allegedly|apparently|purportedly|presumably|possibly|probably|likely|unlikely|"
    r"appears? to|seems? to|may|might|could|perhaps|suggests?|reported|alleged|claimed|unconfirmed|"
    r"it is (?:believed|thought|understood)|sources? (?:say|said))\b",
    re.IGNORECASE,
)


def hedges(text: str) -> list[str]:
    """Hedge words found in the text, lower-cased, in order."""
    return [m.group(0).lower() for m in HEDGES.finditer(text)]


def detect_types(tokens: list[Token], text: str) -> set[str]:
    """Types (other than quantity/quote/attributed, decided by the caller) whose cues occur."""
    lemmas = {t.lemma_.lower() for t in tokens}
    found: set[str] = set()
    if lemmas & CAUSAL_LEMMAS or CAUSAL_PHRASES.search(text):
        found.add("causal")
    if _is_prediction(tokens, text):
        found.add("prediction")
    if _is_rule(tokens, lemmas, text):
        found.add("rule")
    if lemmas & OPINION_LEMMAS or OPINION_PHRASES.search(text):
        found.add("opinion")
    return found


def _is_prediction(tokens: list[Token], text: str) -> bool:
    for token in tokens:
        lower = token.lower_
        if token.tag_ == "MD" and lower in PREDICTION_MODALS:
            return True
        if lower == "going" and token.i + 1 < len(token.doc) and token.nbor(1).lower_ == "to":
            return True
        if token.tag_ == "MD" and lower in WEAK_PREDICTION_MODALS and not _perfect_after(token):
            return True
    return bool(PREDICTION_PHRASES.search(text))


def _perfect_after(modal: Token) -> bool:
    """ "could have done" is counterfactual, not a prediction."""
    doc = modal.doc
    return modal.i + 1 < len(doc) and doc[modal.i + 1].lower_ == "have"


def _is_rule(tokens: list[Token], lemmas: set[str], text: str) -> bool:
    if lemmas & STRONG_RULE_LEMMAS or RULE_PHRASES.search(text):
        return True
    for token in tokens:
        lemma = token.lemma_.lower()
        if lemma == "order" and (token.pos_ == "VERB" or _has_modifier(token, {"executive", "court", "presidential"})):
            return True
        if lemma == "sanction" and _near_lemma(
            token, {"impose", "slap", "adopt", "approve", "levy", "introduce", "announce", "unveil", "lift", "extend"}
        ):
            return True
    return False


def _has_modifier(token: Token, words: set[str]) -> bool:
    return any(child.lower_ in words for child in token.children)


def _near_lemma(token: Token, lemmas: set[str]) -> bool:
    sent = token.sent
    return any(t.lemma_.lower() in lemmas for t in sent)


def primary_type(
    found: set[str], *, has_quantity: bool, attributed_main: bool, attributed_any: bool, has_anchor: bool
) -> str:
    """Pick the single claim type for a sentence candidate."""
    if has_quantity:
        return "quantity"
    if attributed_main:
        return "attributed"
    for kind in ("rule", "causal", "prediction"):
        if kind in found:
            return kind
    if attributed_any:
        return "attributed"
    if "opinion" in found and not has_anchor:
        return "opinion"
    return "other"
