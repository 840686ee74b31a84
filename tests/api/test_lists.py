"""Lists: one page costs the same number of queries whatever its size (page numbers and cursors),
filters, ordering, search, and the cursor sync."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from articles.models import ImportBatch, OutletDomain
from factcheck.models import Evidence, Verdict
from factcheck.services.people import person_for_speaker
from feeds.models import ArticlePage, Feed
from matching.models import MatchSuggestion
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimGroupFactory,
    OutletFactory,
    RatingFactory,
    SourceFactory,
    UserFactory,
)
from webhooks.models import Webhook, WebhookDelivery

N = 60


@pytest.fixture
def many(db, editor, reviewer, integration):
    rating = RatingFactory(label="False", value=1)
    RatingFactory(scale=rating.scale, label="True", value=2)
    hook = Webhook.objects.create(url="http://127.0.0.1:9/", events=["verdict.published"], owner=integration)
    for i in range(N):
        article = ArticleFactory(outlet=OutletFactory(name=f"Outlet {i % 7}"), published_at=timezone.now())
        group = ClaimGroupFactory()
        speaker = person_for_speaker(speaker=f"Speaker {i % 20}", anonymous=False, article_id=article.pk)
        ClaimFactory(
            article=article,
            group=group,
            decided_by=editor,
            assigned_to=reviewer,
            status="accepted",
            speaker=f"Speaker {i % 20}",
            person=speaker,
        )
        ClaimFactory(article=ArticleFactory(), group=group)
        source = SourceFactory()
        Evidence.objects.create(group=group, source=source, added_by=reviewer, relation="supports")
        Verdict.objects.create(
            group=group,
            reviewer=reviewer,
            rating=rating,
            status="published",
            approved_by=editor,
            published_by=editor,
            published_at=timezone.now(),
            rationale="r",
        )
        ImportBatch.objects.create(source_name=f"file{i}.csv", created_by=editor)
        WebhookDelivery.objects.create(webhook=hook, event="verdict.published", payload={"i": i})
        feed = Feed.objects.create(outlet=article.outlet, url=f"https://outlet{i}.example/rss.xml")
        ArticlePage.objects.create(feed=feed, guid=f"g{i}", url=f"https://outlet{i}.example/news/{i}")
        OutletDomain.objects.create(outlet=OutletFactory(name=f"Domain outlet {i}"), domain=f"outlet{i}.example")
        target = group.claims.first()
        MatchSuggestion.objects.create(
            claim=ClaimFactory(), group=group, target_claim=target, score=0.6, matcher="test-1"
        )
    for i in range(3):
        UserFactory(username=f"extra{i}", role=Role.REVIEWER)
    return hook


LISTS = [
    # (path, expected queries) — 3 for authentication (knox token, its user, the user's roles),
    # then the count and the page, plus one per prefetch.
    ("/api/v1/outlets/", 6),  # outlets; domains (prefetch)
    ("/api/v1/feeds/", 5),  # feeds + outlets (join), page counts (annotations)
    ("/api/v1/pages/", 5),
    ("/api/v1/articles/", 5),  # articles + outlets (join)
    ("/api/v1/imports/", 5),  # batches + creators (join)
    ("/api/v1/claims/", 5),  # claims + decided_by + assigned_to + person (joins)
    ("/api/v1/people/", 6),  # people with their mention counts; aliases (prefetch)
    ("/api/v1/groups/", 6),  # groups; mentions + articles + outlets (one prefetch)
    ("/api/v1/sources/", 5),
    ("/api/v1/evidence/", 5),  # evidence + sources + adders (joins)
    ("/api/v1/rating-scales/", 6),  # scales; ratings (prefetch)
    ("/api/v1/verdicts/", 6),  # verdicts + reviewer/approver/publisher + rating (joins); contributors
    ("/api/v1/claimreviews/", 8),  # verdicts + group + rating + scale + people; contributors; scale ratings; mentions
    ("/api/v1/webhooks/", 5),
    ("/api/v1/match-suggestions/", 5),  # suggestions + claim, article, outlet, group, target's, decider (joins)
    ("WEBHOOK_DELIVERIES", 6),  # + the webhook itself
]


def _path(path, hook):
    return f"/api/v1/webhooks/{hook.pk}/deliveries/" if path == "WEBHOOK_DELIVERIES" else path


def test_query_count_does_not_depend_on_page_size(api, integration, admin_user, many, django_assert_num_queries):
    """Every list endpoint, page sizes 5 and 50, page numbers and cursors (one data set for all)."""
    for path, queries in LISTS:
        client = api(admin_user if "webhook" in path.lower() else integration)
        path = _path(path, many)
        for size in (5, 50):
            with django_assert_num_queries(queries):
                response = client.get(path, {"page_size": size})
            assert response.status_code == 200, path
            results = response.json()["results"]
            assert len(results) == min(size, response.json()["count"]) and len(results) > 0, path
        for size in (5, 50):  # cursor paging: no count query
            with django_assert_num_queries(queries - 1):
                response = client.get(path, {"page_size": size, "cursor": ""})
            assert response.status_code == 200 and "count" not in response.json(), path


def test_cursor_sync_walks_every_row_once_even_with_inserts(api, integration, db):
    claims = [ClaimFactory() for _ in range(12)]
    client = api(integration)
    seen, url = [], "/api/v1/claims/?cursor=&page_size=5"
    while url:
        page = client.get(url).json()
        seen += [c["id"] for c in page["results"]]
        if len(seen) == 5:
            ClaimFactory()  # inserted while syncing: shows up at the end
        url = page["next"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 13
    assert seen[:12] == [c.pk for c in claims]


def test_page_size_is_capped(api, integration, db):
    for _ in range(3):
        SourceFactory()
    response = api(integration).get("/api/v1/sources/", {"page_size": 100000})
    assert response.status_code == 200 and len(response.json()["results"]) == 3


def test_article_search_filters_and_ordering(api, integration, db):
    outlet = OutletFactory(name="Harbour Gazette")
    hit = ArticleFactory(
        outlet=outlet,
        headline="Harbour dredging approved",
        body="The council approved dredging the harbour.",
        published_at=timezone.now(),
    )
    ArticleFactory(headline="Budget", body="The budget rose.", published_at=timezone.now() - timezone.timedelta(days=3))
    client = api(integration)

    def ids(**params):
        response = client.get("/api/v1/articles/", params)
        assert response.status_code == 200, response.content
        return [a["id"] for a in response.json()["results"]]

    assert ids(q="dredging harbour") == [hit.pk]
    assert ids(outlet_name="harbour gazette") == [hit.pk]
    assert ids(url=hit.url.replace("https://", "http://www.") + "/?utm_source=x") == [hit.pk]
    assert ids(ordering="published_at")[-1] == hit.pk and ids(ordering="-published_at")[0] == hit.pk
    assert client.get("/api/v1/articles/", {"ordering": "body"}).status_code == 200  # unknown ordering ignored
    detail = client.get(f"/api/v1/articles/{hit.pk}/").json()
    assert detail["body"] == hit.body and detail["outlet"] == {"id": outlet.pk, "name": "Harbour Gazette"}
    assert "body" not in client.get("/api/v1/articles/").json()["results"][0]


def test_previously_checked_costs_the_same_whatever_the_limit(api, integration, tmp_path, django_assert_num_queries):
    """The search endpoint (on the one router since matching's own router went): 3 for
    authentication, whether any past fact-check exists, the index's freshness key (last id and
    import; count; rows not embedded), the ranked rows in one query."""
    import json

    from matching.factchecks import past_fact_checks_import

    jsonl = tmp_path / "vclaims.jsonl"
    jsonl.write_text(
        "\n".join(
            json.dumps(
                {
                    "vclaim_id": f"v{i}",
                    "vclaim": f"The bridge toll rose to {i} euros in 20{i:02d}.",
                    "title": f"Toll {i}",
                    "subtitle": "",
                    "author": "A Checker",
                    "date": "1 April 2019",
                }
            )
            for i in range(12)
        )
        + "\n"
    )
    past_fact_checks_import(paths=[jsonl])
    client = api(integration)
    client.get("/api/v1/previously-checked/", {"text": "bridge toll"})  # builds the in-process index once
    for limit in (2, 10):
        with django_assert_num_queries(8):
            response = client.get("/api/v1/previously-checked/", {"text": "bridge toll euros", "limit": limit})
        assert response.status_code == 200 and len(response.json()["results"]) == limit
