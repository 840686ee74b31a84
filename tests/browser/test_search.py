"""Search in the browser (issue 18 item 5): ranked, word forms, highlights, filters."""

import pytest
from playwright.sync_api import expect

from factcheck.models import Claim
from tests.browser.axe import axe_violations
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory

pytestmark = pytest.mark.browser


def test_search_finds_word_forms_highlights_and_filters(session, transactional_db, editor):
    ledger, post = OutletFactory(name="Daily Ledger"), OutletFactory(name="Evening Post")
    body = "The senator said the treaty was recognized by 40 countries. <b>Critics</b> disagreed."
    american = ArticleFactory(outlet=ledger, headline="Treaty recognized", body=body)
    phrase = "the treaty was recognized by 40 countries"
    ClaimFactory(
        article=american,
        start=body.index(phrase),
        end=body.index(phrase) + len(phrase),
        exact=phrase,
        status=Claim.Status.ACCEPTED,
        speaker="The senator",
    )
    ArticleFactory(outlet=post, headline="Recognition", body="The minister said the state is now recognised by most.")
    ed = session(editor)
    ed.page.goto("/")
    ed.page.locator("#top-q").fill("recognised")
    ed.page.locator("#top-q").press("Enter")
    results = ed.page.locator("#article-results + .results .result")
    expect(results).to_have_count(2)
    expect(ed.page.locator(".result-title mark").first).to_have_text("recognized")
    expect(ed.page.locator("#claims-results + .results .result mark")).to_have_text("recognized")
    snippet = ed.page.locator("#article-results + .results .result-snippet").filter(has_text="Critics")
    expect(snippet.locator("b")).to_have_count(0)  # the text's "<b>" is never markup (shown as text on SQLite,
    expect(snippet.locator("mark")).to_have_text("recognized")  # left out by PostgreSQL's ts_headline)
    assert axe_violations(ed.page) == []
    ed.shot("27-search-highlights")
    ed.page.get_by_label("Outlet").select_option(label="Evening Post")
    ed.page.get_by_role("button", name="Search").click()
    expect(results).to_have_count(1)
    expect(results.first.locator("mark")).to_contain_text(["recognised"])
    expect(ed.page.locator("#claims-results ~ p.muted")).to_contain_text("No claims match")
