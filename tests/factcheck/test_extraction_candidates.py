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
    cut = [c for c in candidates if c.exact.startswith("The company cut 1,200 jobs") and "clause" not in c.features]
    assert len(cut) == 1 and cut[0].start == text.index(body)
    # a quote is not a repeated sentence: its words stand in a different sentence
    assert [c.exact for c in candidates if c.claim_type == "quote"] == ["The board will meet again in May"]


# --- one claim per checkable statement (#14.1) -------------------------------------------------


def clauses(candidates, sentence_prefix: str) -> list[Candidate]:
    sentence = [c for c in candidates if c.exact.startswith(sentence_prefix) and "clause" not in c.features]
    assert len(sentence) == 1, [c.exact for c in candidates]
    return [c for c in candidates if c.features.get("clause_of") == [sentence[0].start, sentence[0].end]]


def test_a_sentence_with_two_checkable_statements_yields_each_clause_too(nlp):
    text = (
        "The army has moved tanks to the northern border, after declaring two border towns a military zone.\n\n"
        "Exports grew 5 percent last year, while imports fell by a third."
    )
    candidates = extract(nlp, text)
    first = clauses(candidates, "The army has moved tanks")
    assert [(c.exact, c.features["clause"]) for c in first] == [
        ("The army has moved tanks to the northern border", "main"),
        ("after declaring two border towns a military zone", "adjunct"),
    ]
    second = clauses(candidates, "Exports grew 5 percent")
    assert [c.exact for c in second] == ["Exports grew 5 percent last year", "imports fell by a third"]
    assert second[0].claim_type == "quantity" and second[0].sentence_start == text.index("Exports")
    assert all(c.sentence_start <= c.start < c.end <= c.sentence_end for c in first + second)


def test_one_statement_stays_one_candidate(nlp):
    text = (
        "Unemployment fell to 4 percent in March.\n\n"
        "Prices rose and fell sharply in May.\n\n"
        "The minister did not say which regions would lose funding.\n\n"
        "The plant will close if the subsidy is withdrawn.\n\n"
        "The committee said the plan would cost 3 million dollars."
    )
    candidates = extract(nlp, text)
    assert not [c for c in candidates if "clause" in c.features]
    assert len(candidates) == 5


def test_each_clause_keeps_its_own_speaker(nlp):
    text = (
        "Maria Keller, the finance minister, said on Monday that the deficit would halve by 2027. "
        "Tom Okafor, the opposition leader, rejected the forecast, but he said that taxes would rise."
    )
    candidates = extract(nlp, text)
    parts = clauses(candidates, "Tom Okafor, the opposition leader")
    assert [c.exact for c in parts] == [
        "Tom Okafor, the opposition leader, rejected the forecast",
        "he said that taxes would rise",
    ]
    assert parts[1].speaker == "Tom Okafor" and parts[1].claim_type == "attributed"
