"""The whole job in a real browser: sign in, open a seed article, accept a candidate, create a claim
by selecting text, link a source, draft and publish a verdict as the right roles, and see the
verdict on another outlet's article. Screenshots of each main page are saved for reviewers."""

import re

import pytest
from playwright.sync_api import expect

from factcheck.models import Claim, Evidence, Verdict

pytestmark = pytest.mark.browser

SELECT_JS = """([needle, from, to]) => {
  // Select [from, to) UTF-16 units relative to the start of `needle` in the article text, the way
  // a person dragging the mouse would (possibly starting and ending inside words), then release.
  const root = document.getElementById("article-text");
  const base = root.textContent.indexOf(needle);
  if (base < 0) throw new Error("needle not found");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const points = [];
  let seen = 0, node;
  const wanted = [base + from, base + to];
  while ((node = walker.nextNode())) {
    for (let k = 0; k < 2; k++) {
      if (points[k] === undefined && wanted[k] <= seen + node.length) points[k] = [node, wanted[k] - seen];
    }
    seen += node.length;
  }
  const range = document.createRange();
  range.setStart(...points[0]);
  range.setEnd(...points[1]);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  root.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
}"""


def test_editor_and_reviewer_do_the_whole_job_in_the_browser(session, seeded, editor, reviewer):
    first, last = seeded["articles"][0], seeded["articles"][4]
    group = seeded["group"]

    # --- sign in (as a person would) and land on the work queue
    ed = session(None)
    ed.page.goto("/")
    expect(ed.page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    ed.shot("01-sign-in")
    ed.sign_in(editor)
    expect(ed.page.get_by_role("heading", name="Work queue")).to_be_visible()
    ed.shot("02-work-queue")

    # --- open the seed article from the queue
    ed.page.get_by_role("link", name=first.headline).click()
    ed.page.wait_for_selector("body[data-ready='1']")
    expect(ed.page.locator("#article-text")).to_contain_text("senior administration official")
    candidates = first.claims.filter(status=Claim.Status.CANDIDATE).count()
    expect(ed.page.locator("#claim-list .ci-candidate")).to_have_count(candidates)
    # hovering a highlight lights up its sidebar entry and shows score and speaker
    highlight = ed.page.locator("#article-text .hl-cand").first
    highlight.hover()
    expect(ed.page.locator("#hl-tip")).to_contain_text("score")
    # the extractor's first candidate: an anonymous source, named once (its role is in the name)
    expect(ed.page.locator("#hl-tip")).to_contain_text(re.compile(r"Speaker: a senior administration official(?!, )"))
    expect(ed.page.locator("#claim-list .ci.is-linked")).to_have_count(1)
    ed.shot("03-article-view")

    # --- accept a candidate: select it in the sidebar, then the "a" key
    item = ed.page.locator("#claim-list .ci-candidate").first
    claim_id = int(item.get_attribute("data-id"))
    item.locator("button").click()
    expect(ed.page.locator("#claim-detail")).to_be_visible()
    ed.page.keyboard.press("a")
    expect(ed.page.locator(f"#ci-{claim_id}")).to_have_class(re.compile(r"\bci-accepted\b"))
    expect(ed.page.locator("#article-text .hl-acc.is-selected").first).to_be_visible()
    accepted = Claim.objects.get(pk=claim_id)
    assert (accepted.status, accepted.decided_by_id) == ("accepted", editor.pk)

    # --- create a claim by selecting text (from inside a word: snapped to whole words; curly quote kept)
    needle = "“We have anticipated such a move from Russia and are ready"
    ed.page.evaluate(SELECT_JS, [needle, 0, needle.index("Russia") + 3])
    menu = ed.page.locator("#selection-menu")
    expect(menu).to_be_visible()
    expect(menu.locator("#sm-quote")).to_have_text("“We have anticipated such a move from Russia")
    ed.shot("04-select-to-create")
    menu.get_by_label("Claim type").select_option("quote")
    menu.get_by_role("button", name="Mark as claim").click()
    expect(ed.page.locator("#cd-quote")).to_have_text("“We have anticipated such a move from Russia")
    expect(ed.page.locator("#claim-detail .badge")).to_have_text("Accepted")
    created = Claim.objects.get(article=first, origin=Claim.Origin.HUMAN)
    assert created.exact == "“We have anticipated such a move from Russia"
    assert first.body[created.start : created.end] == created.exact
    assert created.claim_type == "quote" and created.group_id
    expect(ed.page.locator(f"#ci-{created.pk}")).to_contain_text("by hand")

    # --- the claim (group) page: both outlets side by side; link a source
    ed.page.goto(f"/groups/{group.pk}/")
    expect(ed.page.locator(".mention")).to_have_count(2)
    expect(ed.page.locator(".mention-outlet")).to_have_text(["Daily Ledger", "Evening Post"])
    ed.page.get_by_label("Source URL").fill("https://www.kremlin.example/events/67828")
    ed.page.get_by_label("Title").fill("Address by the President of the Russian Federation")
    ed.page.get_by_label("Relation").select_option("supports")
    ed.page.get_by_label("Quoted passage").fill("I consider it necessary to take a long overdue decision")
    ed.page.get_by_role("button", name="Link source").click()
    expect(ed.page.locator(".evidence-item")).to_contain_text("Address by the President")
    evidence = Evidence.objects.get(group=group)
    assert (evidence.relation, evidence.added_by_id) == ("supports", editor.pk)

    # --- a reviewer drafts the verdict and submits it
    rv = session(reviewer)
    rv.page.goto(f"/groups/{group.pk}/")
    expect(rv.page.get_by_role("button", name="Approve")).to_have_count(0)
    rv.page.locator("#new-rating").select_option(label="Mostly true (5)")
    rv.page.locator("#new-rationale").fill("The Kremlin's own order confirms the deployment of troops.")
    rv.page.get_by_role("button", name="Save and submit for approval").click()
    expect(rv.page.locator(".verdict .badge-submitted")).to_be_visible()
    expect(rv.page.get_by_text("Waiting for an editor")).to_be_visible()
    verdict = Verdict.objects.get(group=group)
    assert (verdict.status, verdict.reviewer_id) == ("submitted", reviewer.pk)

    # --- the editor approves and publishes it
    ed.page.reload()
    ed.page.get_by_role("button", name="Approve").click()
    expect(ed.page.locator(".verdict .badge-approved")).to_be_visible()
    ed.page.get_by_role("button", name="Publish").click()
    expect(ed.page.locator("#published-verdict")).to_contain_text("Mostly true")
    verdict.refresh_from_db()
    assert (verdict.status, verdict.approved_by_id, verdict.published_by_id) == ("published", editor.pk, editor.pk)
    ed.shot("05-claim-group-view", full_page=True)

    # --- the verdict shows on the other outlet's article
    other_mention = seeded["mentions"][1]
    ed.open_article(last)
    expect(ed.page.locator(f"#ci-{other_mention.pk} .verdict-chip")).to_have_text("Mostly true")
    ed.page.locator(f"#ci-{other_mention.pk} button").click()
    expect(ed.page.locator("#cd-verdict")).to_contain_text("Published verdict: Mostly true")
    ed.shot("06-verdict-on-other-outlet")

    # --- the remaining main pages, for the reviewers of this change
    ed.page.goto("/search/?q=troops")
    expect(ed.page.locator("#claims-results")).to_be_visible()
    ed.shot("07-search")
    ed.page.goto(f"/sources/{evidence.source_id}/")
    expect(ed.page.get_by_role("heading", name="Address by the President of the Russian Federation")).to_be_visible()
    ed.shot("08-source")
    ed.page.goto("/dashboard/")
    expect(ed.page.locator("svg.chart")).to_have_count(4)
    ed.shot("09-dashboard", full_page=True)
    ed.page.goto("/?view=claims")
    ed.shot("10-work-queue-claims")

    # --- a suggested match: the work queue counts it, the editor confirms it on the suggestions page
    from matching.models import MatchSuggestion

    third = Claim.objects.filter(article=seeded["articles"][2], group=None).order_by("start").first()
    suggestion = MatchSuggestion.objects.create(
        claim=third,
        group=group,
        target_claim=seeded["mentions"][1],
        score=0.64,
        reasons=["same actor and verb"],
        matcher="clause-matcher/1.0",
    )
    ed.page.goto("/")
    expect(ed.page.locator("#pending-matches")).to_have_text("1")
    ed.page.locator("#pending-matches").click()
    expect(ed.page.locator(f"#suggestion-{suggestion.pk}")).to_contain_text("0.64")
    ed.shot("17-suggested-matches")
    ed.page.locator(f"#suggestion-{suggestion.pk}").get_by_role("button", name="Confirm").click()
    expect(ed.page.locator(".msg-success")).to_contain_text("Confirmed")
    expect(ed.page.locator(f"#suggestion-{suggestion.pk}")).to_have_count(0)
    ed.page.goto(f"/groups/{group.pk}/")
    expect(ed.page.locator(".mention")).to_have_count(3)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by_id) == ("confirmed", editor.pk)


def test_an_article_with_html_and_script_shows_as_inert_text(session, transactional_db, editor):
    from tests.factories import ArticleFactory, ClaimFactory

    body = (
        "Officials said <script>window.__pwned = true</script> nothing. "
        '<img src="x" onerror="window.__pwned = true"> <b>Bold?</b> & more.'
    )
    article = ArticleFactory(body=body, headline="<script>window.__pwned = true</script> headline")
    ClaimFactory(article=article, start=0, end=body.index("."))
    ed = session(editor)
    ed.open_article(article)
    assert ed.page.evaluate("window.__pwned") is None
    assert ed.page.locator("#article-text script, #article-text img, #article-text b").count() == 0
    assert ed.page.locator("#article-text").text_content() == body
    expect(ed.page.locator("#article-headline")).to_have_text("<script>window.__pwned = true</script> headline")
    ed.shot("11-inert-html-article")
