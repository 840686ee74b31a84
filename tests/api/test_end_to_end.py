"""The acceptance flow of the REST API, with tokens and nothing else: import articles, follow
extraction, review claims, publish a verdict and fetch its ClaimReview."""

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from factcheck.services.ratings import rating_scale_ensure_default
from tests.factories import UserFactory


@pytest.fixture
def eager_celery():
    """Tasks queued after commit run in this process (the worker's code, without a broker)."""
    from workbench.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def token_for(username: str, password: str) -> APIClient:
    client = APIClient()
    response = client.post("/api/v1/tokens/", {"username": username, "password": password}, format="json")
    assert response.status_code == 201, response.content
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_import_extract_review_publish_and_fetch_claimreview(
    db, seeds_dir, eager_celery, settings, django_capture_on_commit_callbacks
):
    settings.WORKBENCH = {
        **settings.WORKBENCH,
        "PUBLISHER_NAME": "Desk Check",
        "PUBLISHER_URL": "https://check.example/",
    }
    for name, role in (("cms", Role.ADMIN), ("erin", Role.EDITOR), ("rob", Role.REVIEWER)):
        UserFactory(username=name, role=role)
    rating_scale_ensure_default()
    cms, editor, reviewer = (token_for(name, "pass-for-tests") for name in ("cms", "erin", "rob"))

    # 1. Import the five seed articles as one batch, then poll it.
    articles = []
    for i, path in enumerate(sorted(seeds_dir.glob("*.txt"))):
        headline, _, body = path.read_text(encoding="utf-8").partition("\n")
        articles.append(
            {
                "external_id": path.stem,
                "headline": headline,
                "body": body,
                "url": f"https://outlet{i}.example/news/{path.stem}",
                "published_at": f"2022-02-2{i + 1}",
            }
        )
    articles.append({"headline": "Broken", "body": "", "external_id": "broken"})  # reported per row
    with django_capture_on_commit_callbacks(execute=True):
        response = cms.post("/api/v1/imports/", {"articles": articles, "outlet": "Wire"}, format="json")
    assert response.status_code == 201, response.content
    batch = cms.get(response["Location"]).json()
    assert (batch["status"], batch["created_count"], batch["failed_count"]) == ("done", 5, 1)
    assert batch["errors"] == [{"file": "api", "row": 6, "field": "body", "message": "missing article text"}]

    # 2. Follow extraction: every article is extracted (the worker ran after commit).
    listing = cms.get("/api/v1/articles/", {"import_batch": batch["id"], "page_size": 10}).json()
    assert listing["count"] == 5
    assert {a["extraction_status"] for a in listing["results"]} == {"done"}
    article = cms.get("/api/v1/articles/", {"external_id": "000_d20f69a71a53ef0e"}).json()["results"][0]

    # 3. Review: the best candidate of an article is accepted (with the ETag it was read with)...
    claims = editor.get(
        "/api/v1/claims/", {"article": article["id"], "status": "candidate", "ordering": "-checkworthiness"}
    ).json()
    assert claims["count"] > 0
    top = claims["results"][0]
    read = editor.get(f"/api/v1/claims/{top['id']}/")
    accepted = editor.post(f"/api/v1/claims/{top['id']}/accept/", {}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    # ... and a span the extractor missed is added from a browser selection (UTF-16 offsets).
    body = editor.get(f"/api/v1/articles/{article['id']}/").json()["body"]
    quote = "“peacekeeping operation”"
    start = body.index(quote)
    utf16_start = len(body[:start].encode("utf-16-le")) // 2
    created = editor.post(
        "/api/v1/claims/",
        {
            "article": article["id"],
            "start": utf16_start,
            "end": utf16_start + len(quote),
            "units": "utf16",
            "exact": quote,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    group_id = accepted.json()["group"]
    assert group_id is not None

    # 4. Verdict: the reviewer drafts with evidence and submits; an editor approves and publishes.
    scale = reviewer.get("/api/v1/rating-scales/").json()["results"][0]
    false = next(r for r in scale["ratings"] if r["label"] == "False")
    draft = reviewer.post(
        "/api/v1/verdicts/",
        {"group": group_id, "rating": false["id"], "rationale": "The official's own statement contradicts it."},
        format="json",
    )
    assert draft.status_code == 201, draft.content
    evidence = reviewer.post(
        "/api/v1/evidence/",
        {
            "group": group_id,
            "source_url": "https://www.whitehouse.gov/briefing",
            "relation": "refutes",
            "quoted_passage": "...",
        },
        format="json",
    )
    assert evidence.status_code == 201, evidence.content
    verdict = draft.json()
    submitted = reviewer.post(
        f"/api/v1/verdicts/{verdict['id']}/submit/", {"version": verdict["version"]}, format="json"
    )
    assert submitted.status_code == 200, submitted.content
    approved = editor.post(
        f"/api/v1/verdicts/{verdict['id']}/approve/", {}, format="json", HTTP_IF_MATCH=submitted["ETag"]
    )
    assert approved.status_code == 200, approved.content
    published = editor.post(
        f"/api/v1/verdicts/{verdict['id']}/publish/", {"version": approved.json()["version"]}, format="json"
    )
    assert published.status_code == 200 and published.json()["status"] == "published"

    # 5. Its ClaimReview, alone and in the feed.
    review = cms.get(published.json()["claimreview_url"])
    assert review.status_code == 200 and review["Content-Type"].startswith("application/ld+json")
    doc = review.json()
    assert doc["@type"] == "ClaimReview" and doc["claimReviewed"] == top["exact"]
    assert doc["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 2,
        "bestRating": 6,
        "worstRating": 1,
        "alternateName": "False",
    }
    assert doc["itemReviewed"]["appearance"][0]["url"] == "https://outlet0.example/news/000_d20f69a71a53ef0e"
    assert doc["itemReviewed"]["firstAppearance"]["url"] == doc["itemReviewed"]["appearance"][0]["url"]
    if top["speaker"]:
        assert doc["itemReviewed"]["author"]["name"] == top["speaker"]
    assert doc["author"] == {"@type": "Organization", "name": "Desk Check", "url": "https://check.example/"}
    feed = cms.get("/api/v1/claimreviews/").json()
    assert [item["url"] for item in feed["results"]] == [doc["url"]]
