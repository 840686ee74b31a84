"""Accessibility and finish (issue 18, items 7 and 8): axe-core on every main page (0 serious or
critical violations), single-key shortcuts turned off and remapped, highlights that differ by more
than colour, a 390 px phone, the favicon and the API docs served by the project."""

import re

import pytest
from playwright.sync_api import expect

from factcheck.models import Claim, Evidence, Verdict
from factcheck.services.ratings import rating_scale_ensure_default
from tests.browser.axe import axe_violations
from tests.factories import ArticleFactory, ClaimFactory, ClaimGroupFactory, OutletFactory, SourceFactory

pytestmark = pytest.mark.browser

BODY = (
    "The mayor said the harbour barrier will cost €7 million. A senior official said the works "
    "start in May. Critics said the plan was rushed.\n\nThe council votes on Monday, officials said."
)


def claim_on(article, phrase, **fields):
    start = article.body.index(phrase)
    return ClaimFactory(article=article, start=start, end=start + len(phrase), exact=phrase, **fields)


@pytest.fixture
def newsroom(transactional_db, editor, reviewer):
    """An article with a candidate, an accepted claim (in a group with a published verdict and a
    source), an anonymous source and a rejected claim."""
    ratings = list(rating_scale_ensure_default().ratings.order_by("order"))
    article = ArticleFactory(body=BODY, headline="Harbour barrier approved", outlet=OutletFactory(name="Daily Ledger"))
    group = ClaimGroupFactory(label="The harbour barrier will cost €7 million")
    candidate = claim_on(article, "Critics said the plan was rushed.", checkworthiness=0.7)
    accepted = claim_on(
        article,
        "the harbour barrier will cost €7 million",
        status=Claim.Status.ACCEPTED,
        group=group,
        checkworthiness=0.9,
        speaker="The mayor",
    )
    anonymous = claim_on(article, "the works start in May", is_anonymous_source=True, checkworthiness=0.6)
    claim_on(article, "The council votes on Monday", status=Claim.Status.REJECTED, checkworthiness=0.2)
    Verdict.objects.create(
        group=group,
        reviewer=reviewer,
        rating=ratings[0],
        rationale="The budget says €9 million.",
        status=Verdict.Status.PUBLISHED,
        approved_by=editor,
        published_by=editor,
    )
    source = SourceFactory(title="Council budget 2026")
    Evidence.objects.create(group=group, source=source, relation=Evidence.Relation.REFUTES, added_by=reviewer)
    return {
        "article": article,
        "group": group,
        "candidate": candidate,
        "accepted": accepted,
        "anonymous": anonymous,
        "source": source,
    }


def main_pages(world) -> list[str]:
    return [
        "/",
        "/?view=claims&status=any",
        "/?view=mine",
        f"/articles/{world['article'].pk}/",
        f"/groups/{world['group'].pk}/",
        f"/claims/{world['candidate'].pk}/",
        "/search/?q=harbour",
        "/dashboard/",
        "/sources/",
        f"/sources/{world['source'].pk}/",
        "/suggestions/",
        "/preferences/",
    ]


def test_axe_finds_no_serious_violations_on_the_main_pages(session, newsroom, editor, reviewer):
    anonymous = session(None)
    anonymous.page.goto("/accounts/login/")
    found = {"/accounts/login/": axe_violations(anonymous.page)}
    for user in (editor, reviewer):
        s = session(user)
        for path in main_pages(newsroom):
            s.page.goto(path)
            if path.startswith("/articles/"):
                s.page.wait_for_selector("body[data-ready='1']")
                s.page.locator(f"#ci-{newsroom['accepted'].pk} button").click()  # the claim panel open too
            found[f"{user.username} {path}"] = axe_violations(s.page)
    failing = {page: v for page, v in found.items() if v}
    assert not failing, "\n".join(f"{page}: {v}" for page, v in failing.items())


def test_single_key_shortcuts_can_be_turned_off_and_remapped(session, newsroom, editor):
    ed = session(editor)
    ed.page.goto("/")
    ed.page.get_by_role("link", name="Preferences").click()
    ed.page.get_by_label("Use single-key shortcuts on the article page").uncheck()
    ed.page.get_by_role("button", name="Save preferences").click()
    expect(ed.page.locator(".messages")).to_contain_text("Preferences saved.")

    candidate = newsroom["candidate"]
    ed.open_article(newsroom["article"])
    ed.page.locator(f"#ci-{candidate.pk} button").click()
    ed.page.locator("#article-text").click(position={"x": 1, "y": 1})  # focus out of the list, claim still selected
    ed.page.keyboard.press("a")
    ed.page.keyboard.press("j")
    ed.page.wait_for_timeout(300)
    candidate.refresh_from_db()
    assert candidate.status == Claim.Status.CANDIDATE  # "a" did nothing
    expect(ed.page.locator("#cd-quote")).to_have_text(candidate.exact)  # "j" did not move on
    ed.page.get_by_role("button", name="Keyboard shortcuts").click()  # the sheet still opens from its button
    expect(ed.page.locator("#help-dialog")).to_contain_text("Single-key shortcuts are off.")
    ed.shot("22-shortcuts-off")
    ed.page.get_by_role("link", name="Turn shortcuts off or change their keys").click()

    ed.page.get_by_label("Use single-key shortcuts on the article page").check()
    ed.page.get_by_label("Accept the selected claim").fill("y")
    ed.page.get_by_role("button", name="Save preferences").click()
    expect(ed.page.locator(".messages")).to_contain_text("Preferences saved.")
    ed.open_article(newsroom["article"])
    ed.page.locator(f"#ci-{candidate.pk} button").click()
    ed.page.locator("#article-text").click(position={"x": 1, "y": 1})
    ed.page.keyboard.press("a")
    ed.page.wait_for_timeout(300)
    candidate.refresh_from_db()
    assert candidate.status == Claim.Status.CANDIDATE
    ed.page.keyboard.press("y")
    expect(ed.page.locator("#claim-detail .badge")).to_have_text("Accepted")
    candidate.refresh_from_db()
    assert candidate.status == Claim.Status.ACCEPTED
    expect(ed.page.locator("#cd-accept")).to_contain_text("y")
    expect(ed.page.locator("#cd-meta")).not_to_contain_text(re.compile(r"\bv\d"))  # no internal version numbers


def test_highlights_differ_by_more_than_colour(session, newsroom, editor):
    ed = session(editor)
    ed.open_article(newsroom["article"])

    def style(claim_id, pseudo=None):
        return ed.page.evaluate(
            """([id, pseudo]) => {
            const el = window.WorkbenchArticle.claims.get(id).segs[0].el;
            const s = getComputedStyle(el, pseudo);
            return { line: s.textDecorationLine, style: s.textDecorationStyle, shadow: s.boxShadow, content: s.content };
        }""",
            [claim_id, pseudo],
        )

    candidate, accepted = style(newsroom["candidate"].pk), style(newsroom["accepted"].pk)
    assert candidate["line"] == "underline" and candidate["style"] == "dashed"  # dashed underline
    assert accepted["line"] == "none" and "inset" in accepted["shadow"]  # a solid bar, no dashes
    assert style(newsroom["anonymous"].pk, "::before")["content"] == '"anon"'  # a label, not a colour
    assert style(newsroom["candidate"].pk, "::before")["content"] in ("none", "normal")
    ed.page.select_option("#f-status", "all")  # rejected claims are hidden by default
    rejected = ed.page.locator("#article-text .hl-rej")
    expect(rejected).to_have_css("text-decoration-line", "line-through")
    ed.shot("23-highlight-kinds")


def test_every_main_page_fits_a_390_px_phone(session, newsroom, editor):
    phone = session(editor, width=390, height=844)
    for path in main_pages(newsroom):
        phone.page.goto(path)
        overflow = phone.page.evaluate("document.documentElement.scrollWidth")
        wide = phone.page.evaluate("""() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > 391).slice(0, 8)
            .map(e => `${e.tagName.toLowerCase()}.${e.className}`)""")
        assert overflow <= 390, f"{path} is {overflow} px wide: {wide}"
        for link in phone.page.locator(".topnav a, .usermenu a, .usermenu button").all():
            box = link.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, f"{path}: {link.inner_text()} off screen"
        expect(phone.page.locator("#top-q")).to_be_visible()
    phone.page.goto("/")
    phone.shot("20-phone-work-queue")
    phone.open_article(newsroom["article"])
    phone.shot("21-phone-article")


def test_favicon_and_api_docs_come_from_the_project(session, transactional_db, admin_user):
    s = session(admin_user)
    failures = []
    s.page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for path in ("/", "/admin/", "/api/docs/"):
        s.page.goto(path)
        s.page.wait_for_load_state("networkidle")
    s.page.goto("/api/redoc/")
    assert s.page.url.endswith("/api/docs/")
    s.page.wait_for_load_state("networkidle")
    icon = s.page.request.get("/favicon.ico")
    assert icon.ok and icon.headers["content-type"].startswith("image/svg+xml")
    assert not failures, failures  # the session fixture also fails on any request outside the server
