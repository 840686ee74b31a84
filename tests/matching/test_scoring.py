"""The matcher's judgement on pairs of sentences: same truth conditions or not (no database)."""

import pytest

from matching.scoring import match_score, numbers_agree
from matching.signature import entity_key, signature_terms, signatures_compute

AUTO = 0.72
SUGGEST = 0.5


def score(a: str, b: str, speakers=("", ""), types=("", "")) -> float:
    sa, sb = signatures_compute([(a, speakers[0], types[0]), (b, speakers[1], types[1])])
    return match_score(sa, sb)


@pytest.mark.parametrize("a,b", [
    # Different actors: the same words, another person did it.
    ("Biden spoke with the leaders of France and Germany on Monday.",
     "Putin spoke with the leaders of France and Germany on Monday."),
    ("Biden spoke with the leaders of France and Germany.",
     "Putin told the leaders of France and Germany by phone."),
    # Two different troop figures.
    ("Russia has amassed over 130,000 troops along the Ukraine border.",
     "Russia has massed 190,000 troops along the border with Ukraine."),
    ("Five Ukrainian soldiers crossed the border, the FSB said.",
     "Two Ukrainian soldiers crossed the border, the FSB said."),
    # Opposite polarity.
    ("The deployment of troops constitutes an invasion, the official said.",
     "The deployment of troops does not constitute an invasion, the official said."),
    # Different years.
    ("Donetsk and Luhansk declared their autonomy from Kyiv in 2014.",
     "Donetsk and Luhansk declared their autonomy from Kyiv in 2022."),
    # The same quotation put in different mouths.
    ("“We will respond swiftly and decisively to any further aggression,” Macron said.",
     "“We will respond swiftly and decisively to any further aggression,” Scholz said."),
])
def test_false_friends_stay_apart(a, b):
    result = score(a, b)
    assert result.score < SUGGEST, result.reasons
    assert result.veto or result.score < 0.3


def test_different_actors_is_a_veto_with_a_reason():
    result = score("Biden spoke with the leaders of France and Germany on Monday.",
                   "Putin spoke with the leaders of France and Germany on Monday.")
    assert result.score == 0.0
    assert "different actors" in result.veto


def test_troop_figures_veto_names_the_numbers():
    result = score("Russia has amassed over 130,000 troops along the Ukraine border.",
                   "Russia has massed 190,000 troops along the border with Ukraine.")
    assert result.veto == "numbers differ: 130,000 vs 190,000"


@pytest.mark.parametrize("a,b", [
    # Paraphrases across outlets: who did what to whom is the same.
    ("Joe Biden signed an executive order late on Monday banning new investment in the breakaway regions.",
     "Meanwhile, US President Biden signed an executive order halting all business activity in the region."),
    ("President Vladimir Putin on Monday recognized two occupied regions as independent from Ukraine.",
     "Late on Monday, Russian President Vladimir Putin made the decision to recognize the two Donbass republics "
     "as independent states."),
    # Rounding is not a difference.
    ("Russia has amassed 130,000 troops along the Ukraine border.",
     "Russia has amassed 127,500 troops along the border with Ukraine."),
])
def test_same_claim_in_other_words_links(a, b):
    result = score(a, b)
    assert result.score >= AUTO, result.reasons
    assert not result.veto


def test_quote_variants_of_one_speaker_link():
    a = "I deem it necessary to take a decision that should have been taken long ago and to recognise Luhansk at once"
    b = "I deem it necessary to take a decision that should have been taken long ago — to recognise Lugansk at once"
    result = score(a, b, speakers=("Vladimir Putin", "Putin"), types=("quote", "quote"))
    assert result.score >= 0.9
    assert any("same quotation" in r for r in result.reasons)


def test_a_hedge_is_a_difference_not_a_veto():
    result = score("Putin floated the idea of sending Russian peacekeepers to the Donbas region.",
                   "Putin has sent Russian peacekeepers to the Donbas region.")
    assert result.score >= SUGGEST
    assert not result.veto


@pytest.mark.parametrize("a,b,same", [
    (130000, 127500, True), (1.5e6, 1_500_000, True), (130000, 190000, False), (2, 5, False), (100, 150, False),
    (3.2, 3.2, True),
])
def test_numbers_agree_up_to_rounding(a, b, same):
    assert numbers_agree(a, b) is same


def test_entity_keys_fold_spellings_and_titles():
    assert entity_key("Russian President Vladimir Putin", "PERSON") == "putin"
    assert entity_key("the Lugansk People’s Republic", "GPE") == "lnr"
    assert entity_key("U.S.", "GPE") == "us"
    assert entity_key("Donbass", "GPE") == entity_key("Donbas", "GPE")


def test_signature_terms_include_actor_verb_and_quote_keys():
    (sig,) = signatures_compute([("Putin ordered troops into the two breakaway regions of Donetsk and Luhansk.", "")])
    terms = signature_terms(sig)
    assert "av:putin|order" in terms
    assert any(t.startswith("vo:order|") for t in terms)
    assert "e:putin" in terms
