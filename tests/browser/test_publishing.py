"""Publishing in a real browser (#16): two reviewers and an editor take a seed claim from candidate
to a public fact-check page that renders without signing in, with valid ClaimReview; a
disagreement escalates and an editor resolves it; the verdict shows as confirmed only on confirmed
mentions. Screenshots of the public page and the escalation view go to artifacts/screenshots/."""

import json
import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from articles.models import Article
from factcheck.models import Claim, ClaimGroup, Rating, Verdict
from tests.browser.conftest import browser, seeded, session  # noqa: F401  (the shared Playwright fixtures)
from tests.factories import UserFactory
from tests.publishing.schemaorg import claimreview_errors

pytestmark = pytest.mark.browser


def _review(s, group, rating: Rating, rationale: str):
    """A reviewer drafts and submits a verdict on the claim page."""
    s.page.goto(f"/groups/{group.pk}/")
    if s.page.locator("#new-verdict").get_attribute("open") is None:  # folded when other reviews are shown
        s.page.locator("#new-verdict summary").click()
    s.page.locator("#new-rating").select_option(str(rating.pk))
    s.page.locator("#new-rationale").fill(rationale)
    s.page.get_by_role("button", name="Save and submit for approval").click()
    expect(s.page.locator(".msg-success")).to_contain_text("submitted")


def test_two_reviewers_and_an_editor_take_a_seed_claim_to_a_public_page(session, seeded, editor, reviewer):
    article = seeded["articles"][1]
    # (.txt seeds carry no date; a feed or CSV import would: ClaimReview recommends the claim's date)
    Article.objects.filter(pk=article.pk).update(published_at=datetime(2022, 2, 24, 5, 0, tzinfo=UTC))
    ratings = {r.label: r for r in Rating.objects.all()}
    second_reviewer = UserFactory(username="bea-reviewer", role=Role.REVIEWER)

    # --- the editor accepts a candidate of a seed article: it becomes a claim of its own
    ed = session(editor)
    ed.open_article(article)
    # the first candidate the article page shows (it starts at the check-worthiness threshold)
    item = ed.page.locator("#claim-list .ci-candidate:visible").first
    claim_id = int(item.get_attribute("data-id"))
    item.locator("button").click()
    ed.page.keyboard.press("a")
    expect(ed.page.locator(f"#ci-{claim_id}")).to_have_class(re.compile(r"\bci-accepted\b"))
    group = Claim.objects.get(pk=claim_id).group
    assert group is not None

    # --- on the claim page: the statement in the newsroom's words, and two reviewers for it
    ed.page.goto(f"/groups/{group.pk}/")
    ed.page.locator("#statement-edit summary").click()
    ed.page.locator("#statement-input").fill("Ukraine's president says Russia has started a full-scale invasion")
    ed.page.get_by_role("button", name="Save statement").click()
    expect(ed.page.locator("#claim-statement")).to_have_text(
        "Ukraine's president says Russia has started a full-scale invasion"
    )
    ed.page.locator("#review-mode").select_option("two")
    ed.page.locator("#review-mode-form").get_by_role("button", name="Save").click()
    expect(ed.page.locator("#double-review-note")).to_be_visible()

    # --- two reviewers rate it independently: the second cannot see the first's rating
    rv = session(reviewer)
    _review(rv, group, ratings["Mostly true"], "Officials on both sides confirm the troop movements.")
    rv2 = session(second_reviewer)
    rv2.page.goto(f"/groups/{group.pk}/")
    expect(rv2.page.locator(".blind-note")).to_have_count(1)
    expect(rv2.page.locator("#verdicts")).not_to_contain_text("Officials on both sides")
    _review(rv2, group, ratings["Mostly true"], "The deployment is documented by several outlets.")
    expect(rv2.page.locator("#agreed")).to_contain_text("Both reviewers agree: Mostly true")

    # --- they agree: the editor approves one of the two reviews and publishes it
    ed.page.reload()
    expect(ed.page.locator("#agreed")).to_be_visible()
    ed.page.get_by_role("button", name="Approve this review").first.click()
    expect(ed.page.locator(".verdict .badge-approved")).to_be_visible()
    ed.page.get_by_role("button", name="Publish").click()
    expect(ed.page.locator("#published-verdict")).to_contain_text("Mostly true")
    published = Verdict.objects.get(group=group, status="published")
    assert published.approved_by_id == editor.pk and published.reviewer_id in (reviewer.pk, second_reviewer.pk)
    assert Verdict.objects.filter(group=group, status="set_aside").count() == 1

    # --- the public page, without signing in: statement, rating, who said it, embedded ClaimReview
    reader = session(None)
    response = reader.page.goto(f"/fact-checks/{group.pk}/")
    assert response.status == 200
    expect(reader.page.locator("h1")).to_have_text("Ukraine's president says Russia has started a full-scale invasion")
    expect(reader.page.locator("#public-rating")).to_contain_text("Mostly true")
    expect(reader.page.locator(".appearances li")).to_have_count(1)
    blocks = reader.page.locator('script[type="application/ld+json"]')
    expect(blocks).to_have_count(1)
    doc = json.loads(blocks.first.text_content())
    assert claimreview_errors(doc) == [] and doc["claimReviewed"].startswith("Ukraine's president")
    assert doc["url"].endswith(f"/fact-checks/{group.pk}/") and doc["editor"]["name"] == editor.username
    reader.shot("18-public-fact-check", full_page=True)
    reader.page.goto("/fact-checks/")
    expect(reader.page.locator(".factcheck-list li")).to_have_count(1)
    # a draft claim has no public page
    assert reader.page.goto(f"/fact-checks/{seeded['group'].pk}/").status == 404


def test_a_disagreement_escalates_and_the_verdict_is_confirmed_only_on_confirmed_mentions(
    session, seeded, editor, reviewer
):
    group = seeded["group"]
    ClaimGroup.objects.filter(pk=group.pk).update(double_review=True)
    ratings = {r.label: r for r in Rating.objects.all()}
    second_reviewer = UserFactory(username="bea-reviewer", role=Role.REVIEWER)
    # a third outlet's mention that only the matcher linked (nobody confirmed it is the same claim)
    third = seeded["articles"][2]
    machine = Claim.objects.filter(article=third, group=None).order_by("start").first()
    Claim.objects.filter(pk=machine.pk).update(group=group, grouped_by="clause-matcher/1.0", group_score=0.74)

    _review(session(reviewer), group, ratings["False"], "The order names peacekeepers, not an invasion force.")
    _review(session(second_reviewer), group, ratings["Mostly true"], "The troops crossed into Ukraine.")

    # --- escalated: the editor sees both reviews side by side and decides
    ed = session(editor)
    ed.page.goto(f"/groups/{group.pk}/")
    pair = ed.page.locator("#review-pair")
    expect(pair.locator("#escalated")).to_be_visible()
    expect(pair.locator(".verdict")).to_have_count(2)
    expect(pair).to_contain_text("not an invasion force")
    expect(pair).to_contain_text("The troops crossed into Ukraine.")
    pair.scroll_into_view_if_needed()
    ed.shot("19-escalation")
    pair.locator(".verdict").nth(1).get_by_role("button", name="Decide for this review").click()
    expect(ed.page.locator(".verdict .badge-approved")).to_be_visible()
    ed.page.get_by_role("button", name="Publish").click()
    expect(ed.page.locator("#published-verdict")).to_contain_text("Mostly true")
    decided = Verdict.objects.get(group=group, status="published")
    assert decided.agreement == "resolved" and decided.reviewer_id == second_reviewer.pk
    expect(ed.page.locator(f"#possible-{machine.pk}")).to_contain_text("Possibly the same claim")

    # --- the verdict on a confirmed mention is the verdict; on the machine link only "possibly"
    confirmed = seeded["mentions"][1]
    ed.open_article(seeded["articles"][4])
    chip = ed.page.locator(f"#ci-{confirmed.pk} .verdict-chip")
    expect(chip).to_have_text("Mostly true")
    expect(chip).not_to_have_class(re.compile(r"verdict-possible"))
    ed.open_article(third)
    chip = ed.page.locator(f"#ci-{machine.pk} .verdict-chip")
    expect(chip).to_have_text("possibly: Mostly true")
    expect(chip).to_have_class(re.compile(r"verdict-possible"))
    ed.page.locator(f"#ci-{machine.pk} button").click()
    expect(ed.page.locator("#cd-verdict")).to_contain_text("Possibly the same claim — verdict Mostly true on")
    ed.shot("20-possibly-the-same-claim")
    # the public page lists only the confirmed mentions as appearances
    reader = session(None)
    reader.page.goto(f"/fact-checks/{group.pk}/")
    expect(reader.page.locator(".appearances li")).to_have_count(2)
    # one click: the same claim — now it is this mention's verdict, and an appearance
    ed.page.locator("#cd-link-confirm").click()
    expect(chip).to_have_text("Mostly true")
    expect(chip).not_to_have_class(re.compile(r"verdict-possible"))
    assert Claim.objects.get(pk=machine.pk).grouped_by == "human"
    reader.page.reload()
    expect(reader.page.locator(".appearances li")).to_have_count(3)
