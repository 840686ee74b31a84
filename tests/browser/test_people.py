"""People in the browser (issue 18 item 4): a misspelt speaker corrected once by merging it into
the right person, and every mention follows — on the speaker page, the claim page and in search."""

import pytest
from playwright.sync_api import expect

from factcheck.models import Claim, ClaimGroup, Person
from factcheck.services.people import claims_people_attach
from tests.browser.axe import axe_violations
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory

pytestmark = pytest.mark.browser


def _quote(outlet: str, speaker: str, role: str, words: str) -> Claim:
    body = f"“{words},” said {speaker}, {role}, on Tuesday. Talks continue."
    article = ArticleFactory(outlet=OutletFactory(name=outlet), headline=f"{outlet}: talks continue", body=body)
    start = body.index(words)
    claim = ClaimFactory(
        article=article,
        start=start,
        end=start + len(words),
        exact=words,
        speaker=speaker,
        speaker_role=role,
        claim_type=Claim.Type.QUOTE,
        status=Claim.Status.ACCEPTED,
        group=ClaimGroup.objects.create(label=words),
    )
    claims_people_attach(article_id=article.pk)
    return claim


def test_speaker_merge_every_mention_follows(session, transactional_db, editor):
    misspelt = [
        _quote("Daily Ledger", "Anthony Blinked", "the US Secretary of State", "We will keep talking"),
        _quote("Wire Report", "Anthony Blinked", "the secretary of state", "Nothing is agreed yet"),
    ]
    right = _quote("Evening Post", "Antony Blinken", "the US Secretary of State", "The door stays open")
    ed = session(editor)

    # the claim page's speaker label leads to the speaker page
    ed.page.goto(f"/groups/{misspelt[0].group_id}/")
    ed.page.locator(".speaker-link", has_text="Anthony Blinked").first.click()
    expect(ed.page.locator("#person-name")).to_have_text("Anthony Blinked")
    expect(ed.page.locator("#mentions tbody tr")).to_have_count(2)

    # merge into the right person: choose, confirm
    ed.page.locator("#merge summary").click()
    ed.page.get_by_label("The same person as").fill("antony blinken")
    ed.page.get_by_role("button", name="Choose…").click()
    confirm = ed.page.locator("#merge-confirm")
    expect(confirm).to_contain_text("2 mentions of Anthony Blinked become Antony Blinken's")
    assert axe_violations(ed.page) == []
    ed.shot("28-speaker-merge")
    ed.page.get_by_role("button", name="Merge into Antony Blinken").click()

    # his page: every mention across the three outlets, both spellings, both roles
    expect(ed.page.locator("#person-name")).to_have_text("Antony Blinken")
    expect(ed.page.locator(".messages")).to_contain_text("2 mentions and 1 alias moved")
    rows = ed.page.locator("#mentions tbody tr")
    expect(rows).to_have_count(3)
    for outlet in ("Daily Ledger", "Wire Report", "Evening Post"):
        expect(rows.filter(has_text=outlet)).to_have_count(1)
    expect(ed.page.locator("#aliases")).to_contain_text("Anthony Blinked")
    expect(ed.page.locator("#person-roles")).to_contain_text("the US Secretary of State")
    assert axe_violations(ed.page) == []
    ed.shot("29-speaker-page", full_page=True)

    # the claim page names him now, the article's words kept
    ed.page.goto(f"/groups/{misspelt[1].group_id}/")
    expect(ed.page.locator("dd", has=ed.page.locator(".speaker-link")).first).to_contain_text(
        "Anthony Blinked (Antony Blinken)"
    )

    # the people list and the search find him by the old spelling
    ed.page.goto("/people/?q=anthony+blinked")
    expect(ed.page.locator("#people tbody tr")).to_have_count(1)
    expect(ed.page.locator("#people tbody tr")).to_contain_text("Antony Blinken")
    ed.page.goto("/search/?q=anthony+blinked")
    expect(ed.page.locator("#people-hits")).to_contain_text("Antony Blinken")

    merged = Claim.objects.get(pk=right.pk).person
    assert set(Claim.objects.filter(person=merged).values_list("id", flat=True)) == {c.pk for c in misspelt + [right]}
    assert Person.objects.filter(merged_into=merged, merged_by=editor).count() == 1
