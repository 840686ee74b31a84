"""Public fact-check pages: no sign-in, only published/superseded verdicts (never a draft, for any
role), the page's embedded ClaimReview is the API's, valid against schema.org, one per page, with
only confirmed appearances; the index and the feeds."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from django.test import Client

from accounts.roles import Role
from factcheck.models import ClaimGroup, Verdict
from factcheck.services.sources import evidence_add, source_get_or_create
from factcheck.services.verdicts import verdict_approve, verdict_correct, verdict_draft, verdict_publish, verdict_submit
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory, UserFactory, correction_published
from tests.publishing.schemaorg import claimreview_errors, jsonld_in_page, vocabulary_errors

XSS = "</script><script>window.__pwned=1</script>"


@pytest.fixture
def ratings(db):
    from factcheck.services.ratings import rating_scale_ensure_default

    return list(rating_scale_ensure_default().ratings.order_by("order"))


@pytest.fixture
def checked(db, reviewer, editor, ratings, settings):
    """A claim in two outlets (one confirmed by a person, one only machine-linked), a source, and
    a published verdict on it."""
    settings.WORKBENCH = {
        **settings.WORKBENCH,
        "PUBLISHER_NAME": "Desk Check",
        "PUBLISHER_URL": "https://check.example/",
    }
    group = ClaimGroup.objects.create(label=f"Cargo rose 12% in 2023 {XSS}")
    confirmed_article = ArticleFactory(
        outlet=OutletFactory(name="Harbour Courier"),
        url="https://courier.example/cargo",
        headline="Port traffic up",
        published_at=datetime(2024, 3, 1, tzinfo=UTC),
    )
    machine_article = ArticleFactory(
        outlet=OutletFactory(name="Valley Gazette"),
        url="https://gazette.example/all-goods",
        headline="Port bans all goods",
        published_at=datetime(2024, 2, 1, tzinfo=UTC),
    )
    confirmed = ClaimFactory(
        article=confirmed_article, group=group, grouped_by="human", status="accepted", speaker="The port authority"
    )
    machine = ClaimFactory(
        article=machine_article, group=group, grouped_by="clause-matcher/1.0", group_score=0.8, speaker="A spokesman"
    )
    source = source_get_or_create(url="https://stats.example/cargo", title="Customs table", by=reviewer)
    evidence_add(group=group, source=source, relation="refutes", quoted_passage="Cargo: +4%", by=reviewer)
    verdict = verdict_draft(group=group, by=reviewer, rating=ratings[1], rationale=f"Customs data show 4%. {XSS}")
    verdict_submit(verdict=verdict, by=reviewer)
    verdict_approve(verdict=verdict, by=editor)
    verdict_publish(verdict=verdict, by=editor)
    return {"group": group, "verdict": verdict, "confirmed": confirmed, "machine": machine}


def test_the_public_page_needs_no_sign_in_and_shows_the_fact_check(checked, reviewer, editor):
    group = checked["group"]
    response = Client().get(f"/fact-checks/{group.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cargo rose 12% in 2023 &lt;/script&gt;" in page and XSS not in page  # escaped, never run
    assert "Customs data show 4%." in page and checked["verdict"].rating.label in page
    assert "The port authority" in page and 'href="https://courier.example/cargo"' in page  # who said it, where
    assert "Customs table" in page and "Cargo: +4%" in page  # the evidence
    assert f"Written by {reviewer.username}" in page and f"approved by {editor.username}" in page
    # only mentions a person confirmed: the machine-linked "all goods" article is not an appearance
    assert "gazette.example" not in page and "A spokesman" not in page


def test_the_embedded_claimreview_is_the_apis_valid_and_only_one(checked, api, integration):
    group, verdict = checked["group"], checked["verdict"]
    html = Client().get(f"/fact-checks/{group.pk}/").content.decode()
    blocks = jsonld_in_page(html)
    assert [b["@type"] for b in blocks] == ["ClaimReview"]  # one ClaimReview per page
    assert html.count("</script>") == html.count("<script")  # the statement's </script> did not end the block
    (embedded,) = blocks
    from_api = api(integration).get(f"/api/v1/verdicts/{verdict.pk}/claimreview/").json()
    assert embedded == from_api
    assert claimreview_errors(embedded) == []
    assert embedded["url"] == f"https://check.example/fact-checks/{group.pk}/"
    assert embedded["claimReviewed"] == group.label
    assert [a["url"] for a in embedded["itemReviewed"]["appearance"]] == ["https://courier.example/cargo"]
    assert embedded["itemReviewed"]["firstAppearance"]["url"] == "https://courier.example/cargo"
    assert embedded["itemReviewed"]["author"]["name"] == "The port authority"


def test_the_validator_catches_what_consumers_reject(checked):
    """The vocabulary check is real: a misspelt property, a property of another type, a missing
    alternateName are all reported."""
    from factcheck.claimreview import claimreview_jsonld
    from factcheck.selectors import verdicts_for_claimreview

    good = claimreview_jsonld(verdicts_for_claimreview().get(pk=checked["verdict"].pk))
    assert claimreview_errors(good) == []
    assert vocabulary_errors({**good, "claimReviewd": "x"}) == ["$: ClaimReview has no property 'claimReviewd'"]
    item = {**good["itemReviewed"], "ratingValue": 3}
    assert vocabulary_errors({**good, "itemReviewed": item}) == ["$.itemReviewed: Claim has no property 'ratingValue'"]
    rating = {k: v for k, v in good["reviewRating"].items() if k != "alternateName"}
    assert "reviewRating has no alternateName" in claimreview_errors({**good, "reviewRating": rating})
    assert "missing required url" in claimreview_errors({k: v for k, v in good.items() if k != "url"})


@pytest.mark.parametrize("role", [None, Role.INTEGRATION, Role.REVIEWER, Role.EDITOR, Role.ADMIN])
def test_drafts_never_leak_whoever_asks(role, checked, reviewer, editor, ratings):
    """A claim with only a draft, submitted or approved verdict has no public page; a pending
    correction of a published verdict shows nowhere; the index and feeds list published ones only."""
    for step in ("draft", "submitted", "approved"):
        group = ClaimGroup.objects.create(label=f"Secret {step} claim")
        ClaimFactory(group=group, grouped_by="human")
        v = verdict_draft(group=group, by=reviewer, rating=ratings[0], rationale=f"Unpublished {step} rationale")
        if step != "draft":
            verdict_submit(verdict=v, by=reviewer)
        if step == "approved":
            verdict_approve(verdict=v, by=editor)
    verdict_correct(
        verdict=checked["verdict"],
        by=editor,
        rating=ratings[4],
        rationale="Pending correction rationale",
        note="Pending note",
    )
    client = Client()
    if role is not None:
        client.force_login(UserFactory(username=f"who-{role.value}", role=role))
    for group in ClaimGroup.objects.filter(label__startswith="Secret"):
        assert client.get(f"/fact-checks/{group.pk}/").status_code == 404
    shown = "".join(
        client.get(url).content.decode()
        for url in (
            "/fact-checks/",
            "/fact-checks/feed/",
            "/fact-checks/feed/atom/",
            f"/fact-checks/{checked['group'].pk}/",
        )
    )
    assert "Secret" not in shown and "Unpublished" not in shown and "Pending" not in shown
    assert "Customs data show 4%." in shown


def test_corrections_show_with_note_and_date_and_the_old_verdict_stays_public_marked_superseded(
    checked, editor, admin_user, ratings, api, integration
):
    old = checked["verdict"]
    correction = correction_published(
        verdict=old,
        by=editor,
        approver=admin_user,
        rating=ratings[2],
        rationale="Revised customs data.",
        note="Customs revised their figures.",
    )
    group = checked["group"]
    page = Client().get(f"/fact-checks/{group.pk}/").content.decode()
    assert "Customs revised their figures." in page and correction.published_at.strftime("%-d %B %Y") in page
    assert 'id="correction-history"' in page and f"/fact-checks/{group.pk}/versions/{old.pk}/" in page
    (doc,) = jsonld_in_page(page)
    assert doc["correction"]["text"] == "Customs revised their figures." and claimreview_errors(doc) == []
    assert doc["contributor"] == [{"@type": "Person", "name": editor.username}]
    assert doc["editor"] == {"@type": "Person", "name": admin_user.username}
    old_page = Client().get(f"/fact-checks/{group.pk}/versions/{old.pk}/")
    assert old_page.status_code == 200 and "superseded" in old_page.content.decode()
    (old_doc,) = jsonld_in_page(old_page.content.decode())
    assert old_doc == api(integration).get(f"/api/v1/verdicts/{old.pk}/claimreview/").json()
    assert old_doc["url"].endswith(f"/fact-checks/{group.pk}/versions/{old.pk}/")
    # the current verdict has no "version" page, and an unknown one is a 404
    assert Client().get(f"/fact-checks/{group.pk}/versions/{correction.pk}/").status_code == 404


def test_index_and_feeds(checked, django_assert_num_queries):
    for i in range(3):
        group = ClaimGroup.objects.create(label=f"Another checked claim {i}")
        ClaimFactory(group=group, grouped_by="human")
        Verdict.objects.create(
            group=group,
            reviewer=checked["verdict"].reviewer,
            rating=checked["verdict"].rating,
            rationale="r",
            status="published",
            published_at=datetime(2024, 1, 1 + i, tzinfo=UTC),
        )
    client = Client()
    with django_assert_num_queries(2):  # count, the page of verdicts with group and rating
        index = client.get("/fact-checks/")
    page = index.content.decode()
    assert page.index("Cargo rose 12%") < page.index("Another checked claim 2") < page.index("Another checked claim 0")
    with django_assert_num_queries(1):
        rss = client.get("/fact-checks/feed/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(rss.content).findall("./channel/item")
    assert len(items) == 4 and items[0].findtext("link") == f"https://check.example/fact-checks/{checked['group'].pk}/"
    atom = client.get("/fact-checks/feed/atom/")
    entries = ET.fromstring(atom.content).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 4 and "Cargo rose 12%" in entries[0].findtext("{http://www.w3.org/2005/Atom}title")


def test_the_public_page_costs_a_fixed_number_of_queries(checked, django_assert_num_queries):
    for i in range(5):
        ClaimFactory(group=checked["group"], grouped_by="human", article=ArticleFactory(outlet=OutletFactory()))
    # verdict (+group, rating, people), contributors, scale's ratings, mentions, evidence, history
    with django_assert_num_queries(6):
        assert Client().get(f"/fact-checks/{checked['group'].pk}/").status_code == 200


def test_the_public_base_is_a_setting():
    from django.urls import reverse

    assert reverse("public:factcheck-detail", kwargs={"pk": 3}) == "/fact-checks/3/"
