"""Browser tests: Debian's Chromium driven by Playwright (sync API) against pytest-django's live
server. Screenshots of the main pages go to artifacts/screenshots/ (kept by CI)."""

import os
import re
from pathlib import Path

import pytest

from articles.models import Article, Outlet
from articles.services import articles_import_paths
from factcheck.models import Claim, ClaimGroup
from factcheck.services.extraction import claims_extract
from factcheck.services.ratings import rating_scale_ensure_default

REPO = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = REPO / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("WORKBENCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
OUTLETS = ["Daily Ledger", "Wire Report", "Mint Herald", "Capital Courier", "Evening Post"]


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module. Playwright's sync API runs an event loop in this thread, so
    Django's async-safety check is switched off while it runs (the ORM is still used synchronously)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install chromium"
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Session:
    """A signed-in browser context for one person, collecting page errors (they fail the test)."""

    def __init__(self, browser, base_url: str, user, *, width: int = 1440, height: int = 900):
        self.base_url = base_url
        self.context = browser.new_context(viewport={"width": width, "height": height}, base_url=base_url)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", self._console)
        self.page.on("request", self._only_local)
        if user is not None:
            self.sign_in(user)

    def _console(self, message):
        # A 4xx answer to a fetch() (a conflict, a refused quote) is part of the flow under test;
        # anything else logged as an error is not.
        if message.type == "error" and "the server responded with a status of 4" not in message.text:
            self.errors.append(message.text)

    def _only_local(self, request):
        if not (request.url.startswith(self.base_url) or request.url.startswith("data:")):
            self.errors.append(f"request outside the server: {request.url}")

    def sign_in(self, user, password: str = "pass-for-tests"):
        self.page.goto("/accounts/login/")
        self.page.get_by_label("User name").fill(user.username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(re.compile(r".*/$"))

    def open_article(self, article):
        self.page.goto(f"/articles/{article.pk}/")
        self.page.wait_for_selector("body[data-ready='1']")

    def shot(self, name: str, *, full_page: bool = False):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        if full_page:  # the sticky top bar would otherwise be drawn where the page was scrolled to
            self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    def close(self):
        self.context.close()


@pytest.fixture
def session(browser, live_server):
    opened = []

    def open_session(user, **kwargs) -> Session:
        s = Session(browser, live_server.url, user, **kwargs)
        opened.append(s)
        return s

    yield open_session
    errors = [e for s in opened for e in s.errors]
    for s in opened:
        s.close()
    assert not errors, f"errors in the browser: {errors}"


@pytest.fixture
def seeded(transactional_db, seeds_dir):
    """The five real seed articles, each from an outlet, with the extractor's candidates and one
    claim carried by two outlets, in one claim group."""
    rating_scale_ensure_default()
    articles_import_paths(paths=[str(seeds_dir)])
    articles = list(Article.objects.order_by("external_id"))
    assert len(articles) == 5
    for i, article in enumerate(articles):
        article.outlet = Outlet.objects.get_or_create(name=OUTLETS[i])[0]
        article.save(update_fields=["outlet"])
    first, last = articles[0], articles[4]
    claims_extract(article_ids=[a.pk for a in articles])  # the real extractor (spaCy), in this process
    # One claim, two outlets: "Putin sent troops" in the first and the last article.
    group = ClaimGroup.objects.create(label="Putin has sent Russian troops into eastern Ukraine")
    mentions = []
    for article, phrase in (
        (first, "the Russian leader ordered a “peacekeeping operation” in these regions."),
        (last, "Russian President Vladimir Putin has sent troops to eastern Ukraine"),
    ):
        start = article.body.index(phrase)
        Claim.objects.filter(article=article, start__lt=start + len(phrase), end__gt=start).delete()
        mentions.append(
            Claim.objects.create(
                article=article,
                start=start,
                end=start + len(phrase),
                exact=phrase,
                status=Claim.Status.ACCEPTED,
                group=group,
                checkworthiness=0.9,
                claim_type=Claim.Type.ATTRIBUTED,
                speaker="Vladimir Putin",
            )
        )
    return {"articles": articles, "group": group, "mentions": mentions}
