"""General English function-word lists the claim signatures use with the dependency parse:
reporting and framing verbs, hedges, stop lemmas, number qualifiers, weekdays and months.

Nothing here names a topic, a person, a place or an event: near-synonyms ("troops" / "forces")
and paraphrases are the sentence encoder's job (matching/semantic.py), and spelling variants of
names are matched by string similarity (signature.keys_match).
"""

# Verbs whose clause reports someone else's statement: the claim is in the complement.
REPORTING_VERBS = frozenset(
    """say tell add note state explain claim insist stress warn write report reiterate suggest caution
    allege argue acknowledge respond announce assert contend maintain reply remark confirm emphasize
    emphasise testify declare comment observe tweet post""".split()
)

# Verbs that frame the event in their complement (decide to, order to, float the idea of ...).
FRAME_VERBS = frozenset(
    """decide order float plan want intend threaten expect agree seek try attempt aim promise vow pledge
    hope direct authorize authorise propose consider mull weigh make take move begin start continue
    vote appear seem set prepare""".split()
)
FRAME_NOUNS = frozenset("decision idea plan order decree move intention threat proposal promise attempt bid".split())

# Certainty markers: words and phrases that hedge a claim ("could", "reportedly", "floated the idea").
HEDGE_PHRASES = (
    "floated the idea",
    "float the idea",
    "floats the idea",
    "considering",
    "mulling",
    "weighing",
    "is expected to",
    "are expected to",
    "was expected to",
    "were expected to",
    "expected to",
    "is believed to",
    "are believed to",
    "believed to",
    "is said to",
    "are said to",
    "appears to",
    "appear to",
    "seems to",
    "seem to",
    "according to",
    "it is unclear",
    "it remains unclear",
    "as soon as",
    "may have",
    "could pave the way",
    "potential",
    "possible",
    "possibly",
    "potentially",
    "purportedly",
    "presumably",
    "reportedly",
    "allegedly",
    "apparently",
    "likely",
    "unlikely",
    "perhaps",
    "probably",
    "suspected",
    "alleged",
    "claimed",
    "claims",
    "could",
    "might",
    "may",
    "would",
    "suggested",
    "suggests",
)
# Markers that state something as done or certain; shown next to hedges ("ordered" vs "floated the idea").
ASSERTIVE_VERBS = frozenset("confirm announce declare state assert affirm".split())

STOP_LEMMAS = frozenset(
    """be have do say also the a an and or but of to in on at by for with from as that this these those it its
    he she they we you i his her their our your there here which who whom whose what when where while after
    before over under into onto about than then so such not no nor only just very more most much many some any
    all both each other another same own will would could should may might must can shall being been was were
    is are am has had did does doing done get got make made take took well still even now however though
    although because since until if whether -pron- mr mrs ms""".split()
)

# Definite noun phrases that stand for a person or body named elsewhere ("the Russian leader"):
# they are compatible with any named actor, never a conflict.
DESCRIPTIVE_ACTOR_HEADS = frozenset(
    """president leader minister chancellor official spokesman spokeswoman spokesperson secretary diplomat
    government administration ministry department office country nation state side authority authorities
    officials source sources""".split()
)

NUMBER_QUALIFIERS = {
    "over": "more than",
    "more": "more than",
    "above": "more than",
    "nearly": "almost",
    "almost": "almost",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "some": "about",
    "up": "up to",
    "under": "less than",
    "fewer": "less than",
    "less": "less than",
    "at": "at least",
}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
