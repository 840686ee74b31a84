"""The work queue's downloads in the browser (issue 18 item 6): the current filter's claims as CSV,
downloaded as a file, with formula cells neutralised."""

import csv
import io

import pytest
from playwright.sync_api import expect

from factcheck.models import Claim
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory

pytestmark = pytest.mark.browser


def test_the_filtered_claims_download_as_csv(session, transactional_db, editor):
    ledger, post = OutletFactory(name="Daily Ledger"), OutletFactory(name="Evening Post")
    kept = ClaimFactory(
        article=ArticleFactory(outlet=ledger, body="=SUM(A1) rose 40% last year."),
        start=0,
        end=8,
        exact="=SUM(A1)",
        status=Claim.Status.ACCEPTED,
        speaker="The mayor",
    )
    ClaimFactory(
        article=ArticleFactory(outlet=post, body="Prices rose 12% in May."),
        start=0,
        end=6,
        status=Claim.Status.ACCEPTED,
    )
    ed = session(editor)
    ed.page.goto("/?view=claims")
    ed.page.get_by_label("Outlet").select_option(label="Daily Ledger")
    ed.page.get_by_label("Status").select_option("accepted")
    ed.page.get_by_role("button", name="Apply").click()
    expect(ed.page.locator("table.table tbody tr")).to_have_count(1)
    ed.shot("24-export-links")
    with ed.page.expect_download() as info:
        ed.page.get_by_role("link", name="claims as CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("claims-") and download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["claim_id"]) for r in rows] == [kept.pk]
    assert rows[0]["exact"] == "'=SUM(A1)" and rows[0]["outlet"] == "Daily Ledger"
