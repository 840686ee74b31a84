"""Extraction → matching without factcheck importing matching: an extraction run sends
factcheck.signals.claims_extracted; matching (receivers.py) queues cross-linking of exactly the
extracted articles after commit, and webhooks record `claims.extracted`."""

import pytest

from factcheck.services.extraction import claims_extract
from tests.factories import ArticleFactory
from webhooks.models import Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db


def test_an_extraction_run_queues_matching_of_its_articles_after_commit(
    monkeypatch, integration, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr("matching.tasks.claims_match_enqueue", lambda *, article_ids: queued.append(article_ids))
    Webhook.objects.create(url="https://cms.example/hook", events=["claims.extracted"], owner=integration)
    articles = [
        ArticleFactory(
            extraction_status="pending",
            body="The council approved a budget of 40 million for the new bridge, the mayor said.",
        ),
        ArticleFactory(
            extraction_status="pending",
            body="Unemployment fell to 4.1 percent in March, the statistics office reported.",
        ),
    ]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = claims_extract(article_ids=[a.pk for a in articles])
    assert sorted(result.extracted) == sorted(a.pk for a in articles)
    assert queued == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert [sorted(ids) for ids in queued] == [sorted(a.pk for a in articles)]
    delivery = WebhookDelivery.objects.get(event="claims.extracted")
    assert sorted(delivery.payload["data"]["article_ids"]) == sorted(a.pk for a in articles)


def test_a_run_that_extracted_nothing_queues_no_matching(monkeypatch):
    queued = []
    monkeypatch.setattr("matching.tasks.claims_match_enqueue", lambda *, article_ids: queued.append(article_ids))
    assert claims_extract(article_ids=[987654]).extracted == []
    assert queued == []
