"""The OpenAPI schema validates with no warnings, the docs are served from the project (no CDN),
and the JSON-LD exports (ClaimReview per verdict and as a feed, Web Annotation per claim)."""

import re

import pytest
from django.core.management import call_command

from accounts.roles import Role
from factcheck.services.verdicts import verdict_approve, verdict_draft, verdict_publish, verdict_submit
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimGroupFactory,
    RatingFactory,
    UserFactory,
    correction_published,
)


def test_schema_validates_without_warnings(tmp_path, db):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in (
        "/api/v1/claims/{id}/accept/",
        "/api/v1/verdicts/{id}/claimreview/",
        "/api/v1/imports/",
        "/api/v1/articles/upsert/",
        "/api/v1/score/",
        "/api/v1/tokens/{token_key}/",
    ):
        assert f"  {path}:" in text, path
    assert "knoxApiToken" in text and "cookieAuth" in text  # knox token and session authentication are documented
    assert "examples:" in text


def test_docs_are_served_without_a_cdn(client, db):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("drf_spectacular_sidecar/swagger-ui-dist" in a for a in assets)
    assert not [a for a in assets if a.startswith(("http://", "https://", "//"))], assets
    assert client.get("/api/schema/").status_code == 200
    # ReDoc's bundle loads fonts and a logo from the internet: its old address opens Swagger UI.
    redoc = client.get("/api/redoc/")
    assert redoc.status_code == 301 and redoc["Location"] == "/api/docs/"


def test_favicon_is_served_by_the_project(client, db, settings):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("web/favicon.svg")
    from django.contrib.staticfiles import finders

    icon = finders.find("web/favicon.svg")
    assert icon and open(icon).read().startswith("<svg")
    assert 'rel="icon" href="/static/web/favicon.svg"' in client.get("/accounts/login/").content.decode()


@pytest.fixture
def published(db, reviewer, editor, admin_user):
    rating = RatingFactory(label="False", value=1)
    RatingFactory(scale=rating.scale, label="True", value=5)
    group = ClaimGroupFactory(label="Cargo rose 12%")
    ClaimFactory(group=group, speaker="The port authority")
    verdict = verdict_draft(group=group, by=reviewer, rating=rating, rationale="Customs data show 4%.")
    verdict_submit(verdict=verdict, by=reviewer)
    verdict_approve(verdict=verdict, by=editor)
    return verdict_publish(verdict=verdict, by=editor)


def test_claimreview_per_verdict_feed_and_corrections(api, integration, editor, published):
    client = api(integration)
    doc = client.get(f"/api/v1/verdicts/{published.pk}/claimreview/").json()
    assert doc["claimReviewed"] == "Cargo rose 12%" and doc["reviewRating"]["alternateName"] == "False"
    assert (doc["reviewRating"]["bestRating"], doc["reviewRating"]["worstRating"]) == (5, 1)
    assert doc["itemReviewed"]["author"]["name"] == "The port authority"
    correction = correction_published(
        verdict=published,
        by=editor,
        approver=UserFactory(role=Role.EDITOR),
        rating=published.rating.scale.ratings.get(label="True"),
        rationale="Revised data.",
        note="Customs revised their figures.",
    )
    feed = client.get("/api/v1/claimreviews/").json()["results"]
    assert len(feed) == 1 and feed[0]["reviewRating"]["alternateName"] == "True"
    assert feed[0]["correction"]["text"] == "Customs revised their figures."
    assert feed[0]["url"].endswith(f"/fact-checks/{published.group_id}/")  # the public page, stable across corrections
    assert (
        client.get(f"/api/v1/verdicts/{published.pk}/claimreview/")
        .json()["url"]
        .endswith(f"/fact-checks/{published.group_id}/versions/{published.pk}/")
    )
    assert correction.corrects_id == published.pk
    # the superseded verdict keeps its ClaimReview (it was public); drafts have none
    assert client.get(f"/api/v1/verdicts/{published.pk}/claimreview/").status_code == 200
    draft = verdict_draft(group=published.group, by=editor)
    assert client.get(f"/api/v1/verdicts/{draft.pk}/claimreview/").status_code == 404


def test_web_annotation_of_a_claim(api, integration, db):
    claim = ClaimFactory(article=ArticleFactory(url="https://news.example/x"), prefix="", suffix=" It will")
    response = api(integration).get(f"/api/v1/claims/{claim.pk}/annotation/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/ld+json")
    doc = response.json()
    assert doc["target"]["source"] == "https://news.example/x"
    assert doc["target"]["selector"][1] == {"type": "TextPositionSelector", "start": claim.start, "end": claim.end}
    assert doc["target"]["selector"][0]["exact"] == claim.exact


def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_urls_in_responses_are_what_the_schema_says(client, admin_user):
    """Issue #15 item 14: no "" for a `format: uri` (null instead), and a stored URL holding quotes
    (from before they were refused) comes out percent-encoded."""
    from factcheck.models import Source

    article = ArticleFactory(url="")
    source = Source.objects.create(url='https://x.example/a"b c', normalized_url='x.example/a"b c')
    client.force_login(admin_user)
    body = client.get(f"/api/v1/articles/{article.pk}/").json()
    assert body["url"] is None
    body = client.get(f"/api/v1/sources/{source.pk}/").json()
    assert body["url"] == "https://x.example/a%22b%20c"
    url_schema = _schema()["components"]["schemas"]["Source"]["properties"]["url"]
    assert url_schema["format"] == "uri"
    article_url = _schema()["components"]["schemas"]["Article"]["properties"]["url"]
    assert article_url.get("nullable") is True and article_url["format"] == "uri"


def test_match_suggestion_outlets_may_be_null_in_the_schema(db):
    props = _schema()["components"]["schemas"]["MatchSuggestion"]["properties"]
    for name in ("claim_outlet", "target_outlet", "target_text", "decided_by"):
        assert props[name].get("nullable") is True, name
