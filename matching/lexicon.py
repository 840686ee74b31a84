"""Small hand-made lexicons the matcher uses as lexical support for the dependency parse.

The small spaCy pipeline has no word vectors, so near-synonyms that news outlets use for the
same thing ("troops", "forces", "peacekeepers"; "region", "territory", "republic") and spelling
variants of transliterated names ("Luhansk", "Lugansk") are folded here. Lists are deliberately
short and generic (news about politics, conflict, economy); everything else is compared by lemma.
"""

# Verb lemma -> class. Verbs in one class describe the same kind of event.
VERB_CLASSES: dict[str, str] = {}
for _cls, _verbs in {
    "recognize": "recognize recognise declare proclaim acknowledge",
    "send": "send deploy dispatch move advance",
    "enter": "enter cross",
    "invade": "invade",
    "sign": "sign issue unveil",
    "prohibit": "prohibit ban bar halt block forbid outlaw",
    "impose": "impose slap levy",
    "sanction": "sanction",
    "attack": "attack strike shell bomb bombard",
    "kill": "kill slay",
    "warn": "warn caution",
    "meet": "meet",
    "speak": "speak talk call phone",
    "amass": "amass mass gather build assemble",
    "invest": "invest",
    "raise": "raise increase hike lift",
    "cut": "cut reduce lower slash",
    "deny": "deny reject dismiss refute",
    "guarantee": "guarantee safeguard protect defend",
    "build": "build construct establish",
}.items():
    for _verb in _verbs.split():
        VERB_CLASSES[_verb] = _cls

# Noun lemma -> class (for objects and number heads).
NOUN_CLASSES: dict[str, str] = {}
for _cls, _nouns in {
    "troop": "troop force peacekeeper soldier unit army military personnel serviceman servicemen",
    "region": "region territory republic province area state entity land enclave",
    "independence": "independence independent sovereignty sovereign",
    "order": "order decree",
    "sanction": "sanction restriction measure penalty",
    "invasion": "invasion incursion offensive",
    "person": "person individual people citizen",
    "investment": "investment financing finance",
    "leader": "leader head president chancellor premier",
    "vehicle": "vehicle carrier tank",
    "percent": "% percent pct",
}.items():
    for _noun in _nouns.split():
        NOUN_CLASSES[_noun] = _cls

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
    "floated the idea", "float the idea", "floats the idea", "considering", "mulling", "weighing",
    "is expected to", "are expected to", "was expected to", "were expected to", "expected to",
    "is believed to", "are believed to", "believed to", "is said to", "are said to", "appears to", "appear to",
    "seems to", "seem to", "according to", "it is unclear", "it remains unclear", "as soon as", "may have",
    "could pave the way", "potential", "possible", "possibly", "potentially", "purportedly", "presumably",
    "reportedly", "allegedly", "apparently", "likely", "unlikely", "perhaps", "probably", "suspected",
    "alleged", "claimed", "claims", "could", "might", "may", "would", "suggested", "suggests",
)
# Markers that state something as done or certain; shown next to hedges ("ordered" vs "floated the idea").
ASSERTIVE_VERBS = frozenset("order sign send recognize recognise declare announce confirm deploy impose ban".split())

STOP_LEMMAS = frozenset(
    """be have do say also the a an and or but of to in on at by for with from as that this these those it its
    he she they we you i his her their our your there here which who whom whose what when where while after
    before over under into onto about than then so such not no nor only just very more most much many some any
    all both each other another same own will would could should may might must can shall being been was were
    is are am has had did does doing done get got make made take took well still even now however though
    although because since until if whether -pron- mr mrs ms""".split()
)

# Spelling variants and acronyms of the same name. Keys and values are lower case.
ENTITY_ALIASES: dict[str, str] = {
    "u.s.": "us", "u.s": "us", "united states": "us", "usa": "us", "america": "us", "american": "us",
    "americans": "us", "washington": "us",
    "russian": "russia", "russians": "russia", "russian federation": "russia", "moscow": "russia",
    "kremlin": "russia",
    "ukrainian": "ukraine", "ukrainians": "ukraine", "kiev": "kyiv",
    "french": "france", "paris": "france", "german": "germany", "berlin": "germany",
    "british": "uk", "britain": "uk", "united kingdom": "uk", "great britain": "uk", "london": "uk",
    "european union": "eu", "european": "eu", "brussels": "eu",
    "chinese": "china", "beijing": "china",
    "lugansk": "luhansk", "lugansk people's republic": "lnr", "luhansk people's republic": "lnr", "lpr": "lnr",
    "donetsk people's republic": "dnr", "dpr": "dnr",
    "donbass": "donbas",
    "zelenskiy": "zelensky", "zelenskyy": "zelensky", "zelenskyi": "zelensky",
    "white house": "white house", "un": "united nations", "u.n.": "united nations",
    "nato": "nato", "north atlantic treaty organization": "nato",
}

# Definite noun phrases that stand for a person or body named elsewhere ("the Russian leader"):
# they are compatible with any named actor, never a conflict.
DESCRIPTIVE_ACTOR_HEADS = frozenset(
    """president leader minister chancellor official spokesman spokeswoman spokesperson secretary diplomat
    government administration ministry department office country nation state side authority authorities
    officials source sources""".split()
)

NUMBER_QUALIFIERS = {
    "over": "more than", "more": "more than", "above": "more than", "nearly": "almost", "almost": "almost",
    "about": "about", "around": "about", "approximately": "about", "roughly": "about", "some": "about",
    "up": "up to", "under": "less than", "fewer": "less than", "less": "less than", "at": "at least",
}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
