"""Attribution cases of issue #13.4, on sentences written for these tests, and on the seeds
(acceptance: read from ../shared/seeds, fail if missing)."""

from pathlib import Path

import pytest

from factcheck.extraction import Candidate, extract_candidates, get_nlp

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def extract(nlp, text: str) -> list[Candidate]:
    (candidates,) = extract_candidates([text], nlp=nlp)
    return candidates


def starting(candidates, prefix: str, quote: bool | None = None) -> Candidate:
    found = [
        c for c in candidates if c.exact.startswith(prefix) and (quote is None or (c.claim_type == "quote") == quote)
    ]
    assert len(found) == 1, (prefix, [c.exact for c in candidates])
    return found[0]


def test_pronoun_told_outlet_then_the_unnamed_source(nlp):
    text = (
        "Governor Alan Whitby signed the budget on Friday.\n\n"
        "The state expects the deficit to double by next spring, after the governor cut the fuel tax, "
        "he told the Herald a senior treasury official familiar with the forecasts."
    )
    claim = starting(extract(nlp, text), "The state expects the deficit")
    assert claim.speaker == "a senior treasury official familiar with the forecasts" and claim.is_anonymous


def test_apposition_after_a_stray_full_stop_is_the_addressee_not_a_speaker(nlp):
    text = (
        "“The reservoir will be empty by August,” engineer Clara Voss wrote in a letter sent to Peter Hale. "
        ", the regional water commissioner, also noting that “water will be rationed in every district”."
    )
    candidates = extract(nlp, text)
    assert starting(candidates, "The reservoir will be empty", quote=True).speaker == "Clara Voss"
    assert starting(candidates, "water will be rationed", quote=True).speaker == "Clara Voss"
    assert all(c.speaker != "the regional water commissioner" for c in candidates)


def test_possessor_of_a_statement_noun_owns_its_quotation(nlp):
    text = (
        "Mayor Dana Holt promised a new tram line last year. "
        "But some residents say the plan is late, especially considering Holt’s assertion last month that "
        "“the first trams will run before the summer” and “will cost less than the bridge.”"
    )
    candidates = extract(nlp, text)
    for prefix in ("the first trams will run", "will cost less than the bridge"):  # not "some residents"
        quote = starting(candidates, prefix, quote=True)
        assert quote.speaker == "Dana Holt" and not quote.is_anonymous
    sentence = starting(candidates, "But some residents say", quote=False)
    assert sentence.speaker == "some residents"


def test_role_resolves_to_the_person_named_later(nlp):
    text = (
        "The embargo will stay in place until the talks resume, the country’s trade minister says.\n\n"
        "Speaking on Tuesday, Ingrid Solberg stressed that the embargo was temporary.\n\n"
        "“We are ready to talk at any moment,” the trade minister said. “We want a deal,” she added."
    )
    candidates = extract(nlp, text)
    assert starting(candidates, "The embargo will stay in place").speaker == "Ingrid Solberg"
    assert starting(candidates, "We are ready to talk", quote=True).speaker == "Ingrid Solberg"
    assert starting(candidates, "We want a deal", quote=True).speaker == "Ingrid Solberg"


def test_a_later_person_with_another_role_is_not_taken(nlp):
    text = (
        "The embargo will stay in place, the country’s trade minister says. "
        "Ingrid Solberg, the central bank governor, said rates would not change."
    )
    assert starting(extract(nlp, text), "The embargo will stay in place").speaker != "Ingrid Solberg"


def test_she_added_after_a_paragraph_break_keeps_her(nlp):
    text = (
        "“Prices will fall next year,” said Olga Brandt, the economy minister.\n\n"
        "President Marcus Lee has not commented on the forecast.\n\n"
        "“Wages will rise faster than prices,” she added."
    )
    assert starting(extract(nlp, text), "Wages will rise faster", quote=True).speaker == "Olga Brandt"


def test_a_reported_quotation_is_its_content_with_the_marks(nlp):
    """The parser gives the quotation marks and the comma to the verb; the reported content is
    still the quotation as printed, marks included (what PolNeAR and an editor call the quote)."""
    text = (
        "The harbour board met on Monday.\n\n"
        '"Today is a good day for the fishermen of this town," Maria Ortega said at the meeting, '
        "noting that the quay had been closed for a year.\n\n"
        "''We will open the new quay in May,'' Ms. Ortega added."
    )
    candidates = extract(nlp, text)
    sentence = starting(candidates, '"Today is a good day', quote=False)
    start, end = sentence.features["attributions"][0]["content"]
    assert text[start:end] == '"Today is a good day for the fishermen of this town,"'
    assert sentence.speaker == "Maria Ortega"
    quote = starting(candidates, "We will open the new quay", quote=True)  # the whole sentence: no sentence candidate
    start, end = quote.features["attribution_content"]
    assert text[start:end] == "''We will open the new quay in May,''" and quote.speaker == "Maria Ortega"
    # a content that is more than one quotation's words keeps its own edges
    noting = starting(candidates, '"Today is a good day', quote=False).features["attributions"][1]
    assert text[noting["content"][0] : noting["content"][1]] == "that the quay had been closed for a year"


# --- seeds (acceptance) --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(nlp) -> dict[str, list[Candidate]]:
    assert SEEDS.is_dir(), f"{SEEDS.resolve()} is missing: these tests need ../shared/seeds beside the repository"
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) >= 5
    texts = [p.read_text(encoding="utf-8") for p in paths]
    return {p.name[:3]: c for p, c in zip(paths, extract_candidates(texts, nlp=nlp))}


def test_seed_attributions(seeds):
    glm = [c for c in seeds["001"] if c.claim_type != "quote" and "familiar with the latest intelligence" in c.exact]
    assert len(glm) == 1 and glm[0].is_anonymous and glm[0].speaker.startswith("a senior US official familiar")
    letter = [c for c in seeds["000"] if "high commissioner" in c.exact or c.exact.startswith("lethal measures")]
    assert letter and all(c.speaker == "Bathsheba Nell Crocker" for c in letter)
    assertion = [
        c
        for c in seeds["001"]
        if c.claim_type == "quote" and ("assembled Russian unit" in c.exact or "harsh and" in c.exact)
    ]
    assert len(assertion) == 2 and all(c.speaker == "Biden" and not c.is_anonymous for c in assertion)  # named so only
    says = [c for c in seeds["003"] if "foreign minister says" in c.exact or "top diplomat has said" in c.exact]
    says = [c for c in says if "clause" not in c.features]  # the sentences (a clause of one carries the speaker too)
    assert len(says) == 2 and all(c.speaker == "Sergey Lavrov" for c in says)
