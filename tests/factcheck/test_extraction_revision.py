"""Re-extraction after a revision: only the changed paragraphs (with their context) go through spaCy;
the machine candidates of unchanged paragraphs keep their rows, moved to their new offsets; the
candidates of removed text go; decided claims follow the re-anchor rules; a new extractor version
and the first extraction still read the whole text."""

import pytest
from django.utils import timezone

import factcheck.extraction
from articles.models import Article
from articles.services import article_update_text
from factcheck.extraction.revision import CONTEXT_AFTER, CONTEXT_BEFORE, revision_plan
from factcheck.models import Claim
from factcheck.services import extraction
from factcheck.services.extraction import claims_extract
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

GOODS = ["grain", "timber", "copper", "coffee", "cotton", "steel", "salt", "wool", "rice", "sugar"]


def paragraphs(n: int = 40) -> list[str]:
    rows = []
    for i in range(n):
        good = GOODS[i % len(GOODS)]
        rows.append(
            f"Exports of {good} rose by {i + 3} percent in {1990 + i}, the statistics office reported. "
            f"The port handled {120 + i} ships carrying {good} that year."
        )
    rows[20] = "Amara Velde, the director of the port authority, gave the figures on Monday."
    rows[21] = "“We will need 40 more cranes before the winter,” she said."
    return rows


@pytest.fixture
def spacy_inputs(monkeypatch):
    """Every text handed to the extractor (and so to nlp.pipe)."""
    seen: list[str] = []
    real = factcheck.extraction.extract_candidates

    def spy(texts, **kwargs):
        seen.extend(texts)
        return real(texts, **kwargs)

    monkeypatch.setattr(factcheck.extraction, "extract_candidates", spy)
    return seen


@pytest.fixture
def article(spacy_inputs):
    body = "\n\n".join(paragraphs())
    article = ArticleFactory(body=body, extraction_status=Article.ExtractionStatus.PENDING)
    assert not claims_extract(article_ids=[article.pk]).failed
    assert spacy_inputs == [body]  # the first extraction reads the whole text
    spacy_inputs.clear()
    article.refresh_from_db()
    assert article.extracted_revision == 1
    return article


def claims_by_words(article):
    return {c.exact: c for c in Claim.objects.filter(article=article)}


def test_a_revision_of_one_paragraph_reextracts_only_that_paragraph(article, spacy_inputs, editor):
    before = claims_by_words(article)
    old = paragraphs()
    changed, cut = old[21], old[30]
    assert any(exact in changed for exact in before) and any(exact in cut for exact in before), sorted(before)[:50]
    # An editor decided on a sentence after the change: it is re-anchored by the revision, untouched by the run.
    decided_text = f"The port handled {120 + 35} ships carrying {GOODS[35 % 10]} that year."
    decided = before[decided_text]
    Claim.objects.filter(pk=decided.pk).update(status="accepted", decided_by=editor, decided_at=timezone.now())
    # ... and rejected one in the paragraph that changes, whose words stay there.
    rejected_text = next(exact for exact in before if exact in changed and exact != changed)
    Claim.objects.filter(pk=before[rejected_text].pk).update(
        status="rejected", decided_by=editor, decided_at=timezone.now()
    )

    new = list(old)
    new[0] = "Editor's note: this story was updated with the harbour figures for the spring."  # shifts what follows
    new[21] = "“We will need 40 more cranes before the winter,” she said. The authority bought 12 cranes in March."
    del new[30]  # a paragraph cut
    new_body = "\n\n".join(new)
    article_update_text(article=article, headline=article.headline, body=new_body, by=editor)
    assert not claims_extract(article_ids=[article.pk]).failed
    article.refresh_from_db()

    # spaCy read the changed paragraphs with their context only.
    assert len(spacy_inputs) == 2
    assert spacy_inputs[0] == "\n\n".join(new[0 : 1 + CONTEXT_AFTER])
    assert spacy_inputs[1] == "\n\n".join(new[21 - CONTEXT_BEFORE : 21 + CONTEXT_AFTER + 1])
    assert sum(map(len, spacy_inputs)) < len(new_body) / 4

    after = claims_by_words(article)
    for claim in after.values():
        assert article.body[claim.start : claim.end] == claim.exact
        assert claim.article_revision == 2
    # Unchanged paragraphs: the same rows, at their new offsets.
    for exact, claim in before.items():
        if any(exact in p for p in new[1:21] + new[22:]) and claim.pk != decided.pk:
            assert after[exact].pk == claim.pk, exact
            assert after[exact].start != claim.start  # moved by the new first paragraph
            assert after[exact].prefix == article.body[max(0, after[exact].start - 48) : after[exact].start]
    # The changed paragraph: a new candidate, its speaker resolved through the paragraph before
    # (context), the rejected words not proposed again, the unchanged quote kept its row.
    new_one = after["The authority bought 12 cranes in March."]
    assert new_one.origin == "machine" and new_one.pk not in {c.pk for c in before.values()}
    quote = next(c for c in after.values() if c.claim_type == "quote" and "40 more cranes" in c.exact)
    assert quote.speaker == "Amara Velde"
    assert quote.pk in {c.pk for c in before.values()}
    assert Claim.objects.filter(article=article, exact=rejected_text).count() == 1
    # Removed text: its machine candidates went.
    assert not any(exact in cut for exact in after)
    # The decided claim was re-anchored to the same words by the revision.
    decided.refresh_from_db()
    assert (decided.status, decided.anchor_status) == ("accepted", "ok")
    assert article.body[decided.start : decided.end] == decided_text
    assert article.extracted_revision == 2


def test_a_new_extractor_version_reads_the_whole_revised_text(article, spacy_inputs, monkeypatch, editor):
    body = article.body.replace("Amara Velde, the director", "Amara Velde, the new director")
    article_update_text(article=article, headline=article.headline, body=body, by=editor)
    monkeypatch.setattr(extraction, "extractor_version", lambda: "another-version")
    assert not claims_extract(article_ids=[article.pk]).failed
    assert spacy_inputs == [Article.objects.get(pk=article.pk).body]


def test_plan_falls_back_to_the_whole_text_when_most_of_it_changed():
    old = "\n\n".join(paragraphs())
    assert revision_plan(old, "\n\n".join(p + " Updated." for p in paragraphs())) is None
    assert (
        revision_plan(old, "\n\n".join(p + (" Updated." if i % 3 else "") for i, p in enumerate(paragraphs()))) is None
    )
    plan = revision_plan(old, old.replace("in 1995,", "in 1996,"))
    assert plan is not None and len(plan.changed) == 1 and plan.chars < len(old)
