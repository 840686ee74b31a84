"""Output safety in a real browser (acceptance item 7): what people type — a claim's speaker, a
verdict's rationale and correction note, a source's title and publisher and the quoted passage,
an outlet's name, a byline, a search query — is shown as text on every page that shows it, never
run. tests/browser/test_journey.py checks the same for article text and headlines.

Every payload sets `window.__pwned` if it ever runs; the pages must also show the payload as text."""

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from factcheck.models import Claim
from factcheck.services.ratings import rating_scale_ensure_default
from factcheck.services.sources import evidence_add, source_get_or_create
from factcheck.services.verdicts import verdict_approve, verdict_draft, verdict_publish, verdict_submit
from tests.browser.conftest import browser, session  # noqa: F401  (the shared Playwright fixtures)
from tests.factories import ArticleFactory, ClaimGroupFactory, OutletFactory, UserFactory, correction_published

pytestmark = pytest.mark.browser

IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=1</script>"
SVG = '<svg onload="window.__pwned=1"></svg>'


def test_user_input_is_shown_as_text_on_every_page(session, transactional_db, editor, reviewer):  # noqa: F811
    ratings = list(rating_scale_ensure_default().ratings.order_by("order"))
    boss = UserFactory(username="bob-editor", role=Role.EDITOR)
    outlet = OutletFactory(name=f"Outlet {SVG}")
    article = ArticleFactory(
        outlet=outlet,
        byline=f"By {IMG}",
        body="The mayor said the harbour plan will cost €7 million. Critics disagreed.",
    )
    group = ClaimGroupFactory(label=f"Harbour plan cost {SCRIPT}")
    end = article.body.index(".") + 1
    claim = Claim.objects.create(
        article=article,
        start=0,
        end=end,
        exact=article.body[:end],
        group=group,
        status=Claim.Status.ACCEPTED,
        speaker=f"Mayor {IMG}",
        checkworthiness=0.9,
        claim_type=Claim.Type.QUANTITY,
    )
    Claim.objects.create(
        article=article,
        start=end + 1,
        end=len(article.body),
        exact=article.body[end + 1 :],
        speaker=f"Critic {SCRIPT}",
        checkworthiness=0.7,
    )
    source = source_get_or_create(
        url="https://stats.example/harbour",
        title=f"Budget table {IMG}",
        publisher=f"Stats office {SCRIPT}",
        by=reviewer,
    )
    evidence_add(group=group, source=source, relation="refutes", quoted_passage=f"Total: €9 million {SVG}", by=reviewer)
    verdict = verdict_draft(
        group=group, by=reviewer, rating=ratings[1], rationale=f"The table says €9 million. {SCRIPT}"
    )
    verdict_submit(verdict=verdict, by=reviewer)
    verdict_approve(verdict=verdict, by=boss)
    verdict_publish(verdict=verdict, by=boss)
    correction_published(
        verdict=verdict,
        by=boss,
        approver=editor,
        rating=ratings[2],
        rationale=f"Corrected figure {IMG}",
        note=f"Typo in the total {SVG}",
    )

    ed = session(editor)
    page = ed.page
    pages = {
        f"/articles/{article.pk}/": [f"Mayor {IMG}", f"By {IMG}"],
        f"/groups/{group.pk}/": [
            f"Mayor {IMG}",
            f"Budget table {IMG}",
            f"Total: €9 million {SVG}",
            f"The table says €9 million. {SCRIPT}",
            f"Corrected figure {IMG}",
            f"Typo in the total {SVG}",
            f"Harbour plan cost {SCRIPT}",
        ],
        f"/sources/{source.pk}/": [f"Budget table {IMG}", f"Stats office {SCRIPT}"],
        "/sources/": [f"Budget table {IMG}"],
        "/?view=claims": [f"Critic {SCRIPT}"],  # (undecided claims by default)
        f"/search/?q={quote('Mayor <img')}": [f"Mayor {IMG}"],
        f"/search/?q={quote(IMG)}": [],
        "/dashboard/": [f"Outlet {SVG}"],
    }
    for path, texts in pages.items():
        page.goto(path)
        page.wait_for_load_state("load")
        if path.startswith("/articles/"):
            page.wait_for_selector("body[data-ready='1']")
            # the sidebar list and the claim's details are built by the script from JSON: open the claim
            page.locator(f"#ci-{claim.pk} button.ci-main").click()
            page.locator("#article-text .hl").first.hover()
        assert page.evaluate("window.__pwned") is None, f"a payload ran on {path}"
        assert page.locator("main img[src='x'], main svg[onload], main script:not([type])").count() == 0, path
        # The text as rendered (some labels are upper-cased by CSS), plus text in collapsed parts
        # (the dashboard's tables) and in SVG charts; never the contents of script elements.
        body_text = (
            page.locator("body").inner_text()
            + "\n"
            + page.evaluate(
                "() => { const c = document.body.cloneNode(true); c.querySelectorAll('script').forEach(s => s.remove());"
                " return c.textContent; }"
            )
        ).lower()
        for text in texts:
            assert text.lower() in body_text, f"{text!r} is not shown as text on {path}"
    # the search box shows the query back as typed, not as markup
    page.goto(f"/search/?q={quote(IMG)}")
    expect(page.locator("#search-q")).to_have_value(IMG)
    expect(page.locator("#top-q")).to_have_value(IMG)
    assert page.evaluate("window.__pwned") is None
    ed.shot("16-escaped-user-input")
