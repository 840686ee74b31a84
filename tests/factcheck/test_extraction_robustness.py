"""Extraction never raises on odd text, and one sentence the rules cannot handle costs only
its own candidates (factcheck/extraction/isolation.py): property-based over random token
sequences, punctuation, quotation marks in every position and very long sentences."""

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.extraction import attribution, extract_candidates, get_nlp, pipeline

WORDS = (
    "said told added says according to he she they it the a an official minister spokeswoman "
    "senior unnamed anonymous President Maria Keller Tom Okafor Acme Corp will would not never "
    "to of in with that which who fell rose year years percent 12 3.5 million since after and but "
    "warned claimed statement assertion 's ’s familiar sources people"
).split()
MARKS = list("“”\"‘’'«»„,.;:!?…—–-()[]") + ["''", " , ", ". ,", "\n", "\n\n", " \u00a0"]
GOOD = "The ministry said on Tuesday that unemployment fell to 4.2 percent in March."


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def _check(text: str, candidates) -> None:
    for c in candidates:
        assert 0 <= c.start < c.end <= len(text) and text[c.start : c.end] == c.exact
        assert c.sentence_start <= c.start and c.end <= c.sentence_end
        assert c.exact[0] not in ",;", c.exact  # never a stray comma first


def test_garbled_sentence_of_the_issue_no_longer_raises(nlp):
    text = f"{GOOD}\n\nsaid the will minister to fell year will"  # raised IndexError before
    (candidates,) = extract_candidates([text], nlp=nlp)
    _check(text, candidates)
    assert any(c.exact == GOOD for c in candidates)


pieces = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(MARKS)), min_size=1, max_size=60)
texts = st.lists(pieces.map(" ".join), min_size=1, max_size=6).map(lambda parts: "\n\n".join(parts))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(text=texts)
def test_random_token_sequences_never_raise(nlp, text):
    (candidates,) = extract_candidates([text], nlp=nlp)
    _check(text, candidates)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0, max_value=len(GOOD)), mark=st.sampled_from(list("“”\"‘’'«»„") + ["''"]))
def test_a_quotation_mark_in_any_position(nlp, position, mark):
    sentence = GOOD[:position] + mark + GOOD[position:]
    text = f"“We will not raise taxes,” she said. {sentence}\n\nMaria Keller said {sentence}"
    (candidates,) = extract_candidates([text], nlp=nlp)
    _check(text, candidates)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(WORDS + [",", "“", "”", "and"]), min_size=400, max_size=1200))
def test_very_long_sentences(nlp, words):
    text = " ".join(words) + ". " + GOOD
    (candidates,) = extract_candidates([text], nlp=nlp)
    _check(text, candidates)


def test_one_failing_sentence_costs_only_its_own_candidates(nlp, monkeypatch, caplog):
    """A rule that raises on one sentence's cues, or on one quote, is logged with its offset;
    every other candidate of the article is still proposed, with its speaker."""
    text = (
        "Maria Keller, the finance minister, said exports rose 12 percent last year.\n\n"
        "Officials said the poison sentence would never be finished.\n\n"
        "“We will cut the deficit by half,” Keller told reporters.\n\n"
        "“The poison quote is here,” she said."
    )
    (reference,) = extract_candidates([text], nlp=nlp)
    find_cues, quote_candidate = attribution.Discourse.find_cues, pipeline._quote_candidate

    def failing_cues(self, sent):
        if "poison" in sent.text:
            raise IndexError("list index out of range")
        return find_cues(self, sent)

    def failing_quote(doc, quote, *args):
        if "poison" in doc.text[quote.start : quote.end]:
            raise ValueError("broken quote")
        return quote_candidate(doc, quote, *args)

    monkeypatch.setattr(attribution.Discourse, "find_cues", failing_cues)
    monkeypatch.setattr(pipeline, "_quote_candidate", failing_quote)
    with caplog.at_level(logging.ERROR, logger="factcheck.extraction"):
        (candidates,) = extract_candidates([text], nlp=nlp)
    _check(text, candidates)
    failed = [r for r in caplog.records if "failed; skipped" in r.getMessage()]
    assert {r.getMessage().split(" at ")[0] for r in failed} == {
        "claim extraction: attribution",
        "claim extraction: quote",
    }
    poison_sentence = text.index("Officials said the poison")
    assert any(str(poison_sentence) in r.getMessage() for r in failed)
    untouched = [c for c in reference if "poison" not in c.exact]
    assert untouched and [(c.start, c.end, c.speaker) for c in candidates if "poison" not in c.exact] == [
        (c.start, c.end, c.speaker) for c in untouched
    ]
    assert not [c for c in candidates if c.claim_type == "quote" and "poison" in c.exact]
    deficit = next(c for c in candidates if c.exact.startswith("We will cut the deficit"))
    assert deficit.speaker == "Maria Keller"


@pytest.mark.django_db
def test_article_with_the_garbled_sentence_is_extracted_not_failed():
    from articles.models import Article
    from factcheck.services.extraction import claims_extract
    from tests.factories import ArticleFactory

    article = ArticleFactory(
        body=f"{GOOD}\n\nsaid the will minister to fell year will", extraction_status=Article.ExtractionStatus.PENDING
    )
    result = claims_extract(article_ids=[article.pk])
    article.refresh_from_db()
    assert result.extracted == [article.pk] and not result.failed
    assert article.extraction_status == "done" and article.extraction_error == ""
    assert article.claims.filter(exact=GOOD).exists()


def test_a_failing_person_mention_costs_only_that_mention(nlp, monkeypatch, caplog):
    text = "Maria Keller said exports rose 12 percent last year. Tom Okafor said imports fell."
    role_of = attribution.Discourse._role_of

    def failing(self, span):
        if span.text.startswith("Tom"):
            raise IndexError("list index out of range")
        return role_of(self, span)

    monkeypatch.setattr(attribution.Discourse, "_role_of", failing)
    with caplog.at_level(logging.ERROR, logger="factcheck.extraction"):
        (candidates,) = extract_candidates([text], nlp=nlp)
    assert any("person mention at character 53" in r.getMessage() for r in caplog.records)
    assert [c.speaker for c in candidates if c.exact.startswith("Maria")] == ["Maria Keller"]
    assert [c.exact for c in candidates if c.exact.startswith("Tom")] == ["Tom Okafor said imports fell."]
