"""Candidates an editor wants (issue #13.3) and one claim per checkable statement (#14.1),
on sentences written for these tests."""

import pytest

from factcheck.extraction import Candidate, extract_candidates, get_nlp


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def extract(nlp, text: str) -> list[Candidate]:
    (candidates,) = extract_candidates([text], nlp=nlp)
    for c in candidates:
        assert text[c.start : c.end] == c.exact
    return candidates


def test_scare_quoted_phrases_are_not_candidates_but_their_sentences_are(nlp):
    text = (
        "The governor ordered a “humanitarian pause” in the northern districts on Friday.\n\n"
        "Critics said the agency had tried to “protect the brand” for years.\n\n"
        "The senator dismissed the audit as “partisan theatre,” and said it would be ignored.\n\n"
        "“Our reserves are lower than at any point since 1998,” the central bank said."
    )
    candidates = extract(nlp, text)
    quotes = [c.exact for c in candidates if c.claim_type == "quote"]
    assert quotes == ["Our reserves are lower than at any point since 1998"]  # a clause of its own stays
    sentences = [c.exact for c in candidates if c.claim_type != "quote"]
    assert any(s.startswith("The governor ordered a “humanitarian pause”") for s in sentences)
    assert any(s.startswith("Critics said the agency had tried to “protect the brand”") for s in sentences)


def test_a_longer_quoted_fragment_is_still_a_quote(nlp):
    text = "The minister said the plan would bring “stability, jobs and lower prices to every region of the country”."
    quotes = [c.exact for c in extract(nlp, text) if c.claim_type == "quote"]
    assert quotes == ["stability, jobs and lower prices to every region of the country"]


def test_no_candidate_starts_with_a_stray_comma(nlp):
    text = (
        "The mayor wrote to Anna Berg. , the regional auditor, noting that the budget had grown by 40 percent.\n\n"
        "The council said it “will keep funding the clinics.” , and the cuts will fall on roads instead,” a spokesman said."
    )
    candidates = extract(nlp, text)
    assert candidates and all(c.exact[0] not in ",; " for c in candidates)
    assert any(c.exact.startswith("and the cuts will fall on roads instead") for c in candidates)


def test_a_repeated_sentence_is_one_candidate(nlp):
    body = "The company cut 1,200 jobs in Ohio after sales fell by a third."
    text = (
        f"- {body}\n- The board will meet again in May.\n\n"
        f"{body.replace('.', '')}\n\n"  # the body repeats the summary bullet (without its full stop)
        "Analysts said the cuts were expected. “The board will meet again in May,” a spokeswoman said."
    )
    candidates = extract(nlp, text)
    cut = [c for c in candidates if c.exact.startswith("The company cut 1,200 jobs")]
    assert len(cut) == 1 and cut[0].start == text.index(body)
    # a quote is not a repeated sentence: its words stand in a different sentence
    assert [c.exact for c in candidates if c.claim_type == "quote"] == ["The board will meet again in May"]
