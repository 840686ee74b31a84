"""Fixtures for the web UI tests: a claim that appears in two outlets' articles (one claim group),
the default rating scale, and an article with many claims for the query-count checks."""

import uuid

import pytest

from factcheck.models import Claim, ClaimGroup
from factcheck.services.ratings import rating_scale_ensure_default
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory


@pytest.fixture
def ratings(db):
    return list(rating_scale_ensure_default().ratings.order_by("order"))


@pytest.fixture
def two_outlets(db):
    """The same claim in two outlets' articles, accepted, in one claim group."""
    first = ArticleFactory(
        outlet=OutletFactory(name="Harbour Courier"),
        headline="Council approves the barrier",
        body="The council approved a €2.4 billion barrier on Tuesday. “It will protect 40,000 homes,” the mayor said.",
    )
    second = ArticleFactory(
        outlet=OutletFactory(name="Valley Gazette"),
        headline="Barrier gets the go-ahead",
        body="Councillors backed a barrier costing €2.5bn. Officials said it could protect 40,000 homes.",
    )
    group = ClaimGroup.objects.create(label="The barrier will protect 40,000 homes")
    a = ClaimFactory(
        article=first,
        start=first.body.index("“It"),
        end=first.body.index(" the mayor"),
        status=Claim.Status.ACCEPTED,
        group=group,
        speaker="the mayor",
        claim_type=Claim.Type.QUANTITY,
    )
    b = ClaimFactory(
        article=second,
        start=second.body.index("Officials"),
        end=len(second.body),
        status=Claim.Status.ACCEPTED,
        group=group,
        speaker="Officials",
        is_anonymous_source=True,
    )
    return {"group": group, "claims": [a, b], "articles": [first, second]}


def article_with_claims(n: int, *, grouped: bool = True):
    """An article with n claims, one per sentence; every other one in a claim group."""
    sentences = [f"Sentence {i} says that {i * 7} people agreed." for i in range(n)]
    body = " ".join(sentences) + f" (ref {uuid.uuid4().hex})"
    article = ArticleFactory(body=body)
    claims, pos = [], 0
    for i, sentence in enumerate(sentences):
        group = ClaimGroup.objects.create(label=sentence) if grouped and i % 2 else None
        claims.append(
            Claim(
                article=article,
                start=pos,
                end=pos + len(sentence),
                exact=sentence,
                checkworthiness=i / n,
                status=Claim.Status.ACCEPTED if group else Claim.Status.CANDIDATE,
                group=group,
            )
        )
        pos += len(sentence) + 1
    Claim.objects.bulk_create(claims)
    return article
