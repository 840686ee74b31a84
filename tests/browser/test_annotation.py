"""Annotating in the browser: offsets with emoji, curly quotes and non-breaking spaces, overlapping
claims, keyboard shortcuts, bulk decisions with undo, and two editors changing the same claim."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from factcheck.models import Claim, ClaimGroup
from tests.browser.test_journey import SELECT_JS
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.browser

# Non-NFC-normalised on purpose (the factory stores it as is): an emoji (two UTF-16 units), a
# non-breaking space and curly quotes before and inside the claims.
BODY = (
    "Fans 😀 cheered. The mayor\u00a0said: “Prices rose 40% in 2025.” Critics 🧐 disagreed, "
    "saying the rise was 12%.\n\nThe council will vote on Monday."
)


def claim_on(article, phrase, **fields):
    start = article.body.index(phrase)
    return ClaimFactory(article=article, start=start, end=start + len(phrase), **fields)


def test_highlights_and_new_claims_use_code_points_across_emoji(session, transactional_db, editor):
    article = ArticleFactory(body=BODY)
    quote = claim_on(article, "“Prices rose 40% in 2025.”", checkworthiness=0.9, speaker="The mayor")
    inner = claim_on(article, "rose 40%", checkworthiness=0.6)  # overlaps the quote
    after = claim_on(article, "saying the rise was 12%.", checkworthiness=0.7, is_anonymous_source=True)
    ed = session(editor)
    ed.open_article(article)
    ed.page.locator("#f-score-all").click()  # the filter starts at the threshold; these tests see every score
    text_of = """id => { const c = window.WorkbenchArticle.claims.get(id);
                         return c.segs.map(s => s.el.textContent).join(""); }"""
    for claim in (quote, inner, after):
        assert ed.page.evaluate(text_of, claim.pk) == claim.exact
    # the overlap: the inner claim's text is covered by two claims; clicking there cycles through them
    overlap = ed.page.locator("#article-text .hl-multi")
    expect(overlap).to_have_count(1)
    expect(overlap).to_have_text("rose 40%")
    overlap.click()
    expect(ed.page.locator("#cd-quote")).to_have_text("rose 40%")  # the innermost first
    expect(ed.page.locator("#cd-overlaps")).to_contain_text("Prices rose 40%")
    overlap.click()
    expect(ed.page.locator("#cd-quote")).to_have_text("“Prices rose 40% in 2025.”")
    expect(ed.page.locator("#article-text .hl-anon")).to_have_count(1)

    # select "ritics 🧐 disagr" (inside words, across an emoji): snapped to "Critics 🧐 disagreed,"
    needle = "Critics 🧐 disagreed,"
    ed.page.evaluate(SELECT_JS, [needle, 1, needle.index("disagreed") + 6])
    expect(ed.page.locator("#sm-quote")).to_have_text("Critics 🧐 disagreed")
    ed.page.keyboard.press("c")
    expect(ed.page.locator("#cd-quote")).to_have_text("Critics 🧐 disagreed")
    expect(ed.page.locator("#claim-detail .badge")).to_have_text("Accepted")
    created = Claim.objects.get(article=article, origin=Claim.Origin.HUMAN)
    assert created.exact == "Critics 🧐 disagreed"
    assert created.start == BODY.index("Critics")  # code points: each emoji counts once
    # the non-breaking space is kept in the exact text of a selection across it
    needle = "mayor\u00a0said"
    ed.page.evaluate(SELECT_JS, [needle, 0, len(needle)])
    ed.page.get_by_role("button", name="Mark as claim").click()
    expect(ed.page.locator("#claim-detail #cd-quote")).to_have_text("mayor\u00a0said")
    assert Claim.objects.filter(article=article, exact="mayor\u00a0said", start=BODY.index("mayor")).exists()
    ed.shot("12-overlaps-and-emoji")


def test_keyboard_shortcuts_filter_bulk_decisions_and_undo(session, transactional_db, editor):
    body = " ".join(f"Claim number {i} says {i * 3} people came." for i in range(8))
    article = ArticleFactory(body=body)
    claims = [
        claim_on(article, f"Claim number {i} says {i * 3} people came.", checkworthiness=i / 10) for i in range(8)
    ]
    ed = session(editor)
    ed.open_article(article)
    page = ed.page
    # the score filter starts at the configured threshold; "All scores" shows the rest
    threshold = settings.WORKBENCH["CHECKWORTHY_THRESHOLD"]
    expect(page.locator("#f-score")).to_have_value(str(threshold))
    expect(page.locator("#filter-count")).to_have_text(f"{sum(i / 10 >= threshold for i in range(8))} of 8 shown")
    page.locator("#f-score-all").click()
    expect(page.locator("#filter-count")).to_have_text("8 of 8 shown")
    page.keyboard.press("j")
    expect(page.locator("#cd-quote")).to_have_text(claims[0].exact)
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(page.locator("#cd-quote")).to_have_text(claims[2].exact)
    page.keyboard.press("k")
    expect(page.locator("#cd-quote")).to_have_text(claims[1].exact)
    page.keyboard.press("r")
    expect(page.locator(f"#ci-{claims[1].pk}")).to_have_class(re.compile(r"\bci-rejected\b"))
    page.keyboard.press("j")  # skips decided claims
    expect(page.locator("#cd-quote")).to_have_text(claims[2].exact)
    page.keyboard.press("t")
    expect(page.locator("#cd-type")).to_be_focused()
    page.locator("#cd-type").select_option("quantity")
    page.locator("#cd-speaker").fill("The organisers")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(f"#ci-{claims[2].pk}")).to_contain_text("The organisers")
    claims[2].refresh_from_db()
    assert (claims[2].claim_type, claims[2].speaker, claims[2].edited) == ("quantity", "The organisers", True)

    page.keyboard.press("?")
    expect(page.locator("#help-dialog")).to_be_visible()
    ed.shot("13-keyboard-help")
    page.keyboard.press("Escape")
    expect(page.locator("#help-dialog")).to_be_hidden()

    # bulk: accept what the filter shows (score >= 0.5), then undo
    page.locator("#f-score").fill("0.5")
    expect(page.locator("#filter-count")).to_have_text("3 of 8 shown")
    expect(page.locator("#article-text .hl")).to_have_count(3)  # highlights follow the filter
    page.get_by_role("button", name="Accept shown").click()
    expect(page.locator(".toast", has_text="3 claims accepted.")).to_be_visible()
    assert set(Claim.objects.filter(status="accepted").values_list("id", flat=True)) == {c.pk for c in claims[5:]}
    page.keyboard.press("u")
    expect(page.locator(".toast", has_text="Undone for 3 claims.")).to_be_visible()
    expect(page.locator("#claim-list .ci-accepted")).to_have_count(0)
    assert not Claim.objects.filter(status="accepted").exists()


def test_two_editors_change_the_same_claim_the_second_sees_a_conflict(session, transactional_db, editor, admin_user):
    article = ArticleFactory(body=BODY)
    claim = claim_on(article, "“Prices rose 40% in 2025.”")
    first, second = session(editor), session(admin_user)
    for s in (first, second):
        s.open_article(article)
        s.page.locator(f"#ci-{claim.pk} button").click()
    first.page.locator("#cd-speaker").fill("The mayor")
    first.page.get_by_role("button", name="Save changes").click()
    expect(first.page.locator(f"#ci-{claim.pk}")).to_contain_text("The mayor")

    second.page.keyboard.press("r")  # still looking at version 1
    conflict = second.page.locator("#cd-conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Someone else changed this claim")
    expect(conflict).to_contain_text("Theirs (as it is now)")
    expect(conflict).to_contain_text("“The mayor”")
    expect(conflict).to_contain_text("Yours (not applied yet): reject it")
    expect(second.page.locator(f"#ci-{claim.pk}")).to_contain_text("The mayor")  # their change is shown
    second.shot("14-conflict")
    claim.refresh_from_db()
    assert (claim.status, claim.speaker) == ("candidate", "The mayor")
    second.page.get_by_role("button", name="Apply mine on top of theirs").click()
    expect(second.page.locator(f"#ci-{claim.pk}")).to_have_class(re.compile(r"\bci-rejected\b"))
    claim.refresh_from_db()
    assert (claim.status, claim.speaker, claim.version) == ("rejected", "The mayor", 3)


def test_selections_snap_to_whole_grapheme_clusters(session, transactional_db, editor):
    """Issue #15 item 15: a selection ending between 👍 and its skin tone, or starting inside a flag,
    is widened to the whole character (Intl.Segmenter), and the server accepts the span."""
    body = "Fans replied 👍🏽 today. Voters 🇫🇷 agreed at once.\n\nThe end."
    article = ArticleFactory(body=body)
    ed = session(editor)
    ed.open_article(article)
    needle = "replied 👍🏽"
    ed.page.evaluate(SELECT_JS, [needle, 0, len("replied ") + 2])  # ends between 👍 and 🏽 (UTF-16 units)
    expect(ed.page.locator("#sm-quote")).to_have_text("replied 👍🏽")
    ed.page.get_by_role("button", name="Mark as claim").click()
    expect(ed.page.locator("#claim-detail #cd-quote")).to_have_text("replied 👍🏽")
    assert Claim.objects.filter(article=article, exact="replied 👍🏽", start=body.index("replied")).exists()
    needle = "🇫🇷 agreed"
    ed.page.evaluate(SELECT_JS, [needle, 2, len(needle.encode("utf-16-le")) // 2])  # starts between 🇫 and 🇷
    expect(ed.page.locator("#sm-quote")).to_have_text("🇫🇷 agreed")


def test_adjust_a_claims_edges_by_keyboard_and_drag_handle(session, transactional_db, editor):
    """#18.2: Shift+→/← move the selected claim's end by a word, Alt+Shift+→/← its start; the handle
    on the highlight's end drags it. Status and group stay; the server verifies each span."""
    article = ArticleFactory(body=BODY)
    claim = claim_on(
        article, "Prices rose 40%", checkworthiness=0.9, status="accepted", group=ClaimGroup.objects.create(label="p")
    )
    ed = session(editor)
    ed.open_article(article)
    page = ed.page
    page.locator("#f-status").select_option("all")
    page.locator("#f-score-all").click()
    page.locator("#article-text .hl", has_text="Prices rose 40%").first.click()
    expect(page.locator("#cd-quote")).to_have_text("Prices rose 40%")
    expect(page.locator(".span-handle-end")).to_be_visible()
    page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#cd-quote")).to_have_text("Prices rose 40% in")
    page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#cd-quote")).to_have_text("Prices rose 40% in 2025.”")
    page.keyboard.press("Alt+Shift+ArrowLeft")  # a word is what lies between spaces: the quote mark comes with it
    expect(page.locator("#cd-quote")).to_have_text("“Prices rose 40% in 2025.”")
    page.keyboard.press("Alt+Shift+ArrowLeft")  # across the non-breaking space
    expect(page.locator("#cd-quote")).to_have_text("said: “Prices rose 40% in 2025.”")
    page.keyboard.press("Alt+Shift+ArrowRight")
    expect(page.locator("#cd-quote")).to_have_text("“Prices rose 40% in 2025.”")
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.exact, stored.status, stored.group_id) == ("“Prices rose 40% in 2025.”", "accepted", claim.group_id)
    assert stored.start == BODY.index("“Prices") and stored.version == 6
    ed.shot("18-span-adjust-keyboard")

    # drag the end handle back onto "40%": the end snaps to the end of that word
    handle = page.locator(".span-handle-end")
    box = handle.bounding_box()
    target = page.evaluate("""() => { const t = document.getElementById('article-text');
        const walker = document.createTreeWalker(t, NodeFilter.SHOW_TEXT); let n;
        while ((n = walker.nextNode())) { const i = n.textContent.indexOf('40%');
          if (i >= 0) { const r = document.createRange(); r.setStart(n, i + 1); r.setEnd(n, i + 2);
            const b = r.getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2]; } } }""")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(target[0], target[1], steps=5)
    page.mouse.up()
    expect(page.locator("#cd-quote")).to_have_text("“Prices rose 40%")
    assert Claim.objects.get(pk=claim.pk).exact == "“Prices rose 40%"
    ed.shot("18-span-adjust-drag")


def test_undo_a_single_decision_and_edit(session, transactional_db, editor):
    """#18.3: after a single accept (or a type/speaker change) a toast offers Undo; `u` undoes it."""
    article = ArticleFactory(body=BODY)
    claim = claim_on(article, "Prices rose 40% in 2025.", checkworthiness=0.9)
    ed = session(editor)
    ed.open_article(article)
    page = ed.page
    page.keyboard.press("j")
    expect(page.locator("#cd-quote")).to_have_text(claim.exact)
    page.keyboard.press("a")
    toast = page.locator(".toast", has_text="Accepted.")
    expect(toast.get_by_role("button", name="Undo (u)")).to_be_visible()
    ed.shot("18-single-undo-toast")
    assert Claim.objects.get(pk=claim.pk).status == "accepted"
    toast.get_by_role("button", name="Undo (u)").click()
    expect(page.locator(".toast", has_text="Undone for 1 claim.")).to_be_visible()
    expect(page.locator("#claim-detail .badge")).to_have_text("Undecided")
    assert Claim.objects.get(pk=claim.pk).status == "candidate"
    page.locator("#cd-speaker").fill("The mayor")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(f"#ci-{claim.pk}")).to_contain_text("The mayor")
    page.locator("#cd-speaker").blur()
    page.keyboard.press("u")
    expect(page.locator(".toast", has_text="Undone for 1 claim.").last).to_be_visible()
    expect(page.locator(f"#ci-{claim.pk}")).not_to_contain_text("The mayor")
    assert Claim.objects.get(pk=claim.pk).speaker == ""
    ed.shot("18-single-undo-done")
