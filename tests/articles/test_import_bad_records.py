"""Issue #15 items 1, 2, 4: one bad record costs only itself. Every record is validated on its own
and reported with file, row and field; the valid records before and after it are imported, the
batch ends `done` (not `failed` with no errors, not stuck `running`)."""

import io
import json
from datetime import UTC

import pytest
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from articles.formats import read_stream
from articles.models import Article, ImportBatch
from articles.services import articles_import, import_batch_create
from tests.payloads import make_zip

pytestmark = pytest.mark.django_db


def _import(name: str, data: bytes, **kwargs) -> ImportBatch:
    batch = import_batch_create(source_name=name)
    return articles_import(batch=batch, records=read_stream(name, io.BytesIO(data)), **kwargs)


def _row(i: int, **fields) -> dict:
    return {
        "headline": f"Headline {i}",
        "body": f"Article number {i} about the harbour budget.",
        "url": f"https://news.example/{i}",
        **fields,
    }


def _csv(rows: list[dict]) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["headline", "body", "url", "published_at"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _errors(batch) -> list[tuple]:
    return [(e["file"], e["row"], e["field"]) for e in batch.errors]


def test_a_port_above_65535_in_row_1050_of_1100_costs_only_that_row():
    rows = [_row(i) for i in range(1100)]
    rows[1048]["url"] = "https://news.example:99999/bad"  # data row 1049 = line 1050
    batch = _import("feed.csv", _csv(rows))
    assert batch.status == "done", batch.message
    assert _errors(batch) == [("feed.csv", 1050, "url")]
    assert "port" in batch.errors[0]["message"]
    assert batch.created_count == 1099 and Article.objects.count() == 1099


def _jsonl_lines(*lines: str) -> bytes:
    return "\n".join(lines).encode()


@pytest.mark.parametrize(
    "bad_line, field",
    [
        ('{"headline": "Bad \\ud800 value", "body": "Some text."}', "headline"),
        ('{"headline": "Bad", "body": "Text \\udfff here."}', "body"),
        ('{"headline": "Bad", "body": "Text.", "\\ud800": "x"}', "\\ud800"),
        ('{"headline": "Bad", "body": "Text.", "byline": ' + "[" * 50_000 + "]" * 50_000 + "}", "json"),
    ],
)
def test_jsonl_lone_surrogates_and_deep_nesting_cost_only_their_line(bad_line, field):
    good = [json.dumps(_row(i)) for i in range(4)]
    batch = _import("feed.jsonl", _jsonl_lines(good[0], good[1], bad_line, good[2], good[3]), chunk_size=2)
    assert batch.status == "done", batch.message
    assert _errors(batch) == [("feed.jsonl", 3, field)], batch.errors
    assert batch.created_count == 4 and Article.objects.count() == 4
    json.dumps(batch.errors).encode()  # the report itself is storable and renderable
    batch.refresh_from_db()
    assert batch.failed_count == 1


def test_a_record_that_upsets_the_database_in_a_chunk_falls_back_to_one_by_one(monkeypatch):
    """Any error escaping validation (here: an exception from normalization) is one row's error."""
    from articles import services

    real = services.normalize_url

    def flaky(url):
        if url and "boom" in url:
            raise RuntimeError("unexpected")
        return real(url)

    monkeypatch.setattr(services, "normalize_url", flaky)
    rows = [_row(i) for i in range(6)]
    rows[3]["url"] = "https://news.example/boom"
    batch = _import("feed.csv", _csv(rows), chunk_size=2)
    assert batch.status == "done"
    assert _errors(batch) == [("feed.csv", 5, "record")]
    assert batch.created_count == 5


# --- item 2: published_at range ------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-10:00", "1200-05-01", "2999-01-01T00:00:00Z"]
)
def test_published_at_out_of_range_is_a_row_error_and_the_rest_is_imported(value, client, admin_user):
    rows = [_row(1), _row(2, published_at=value), _row(3, published_at="2024-03-01T12:00:00+05:00")]
    batch = _import("feed.jsonl", "\n".join(json.dumps(r) for r in rows).encode())
    assert _errors(batch) == [("feed.jsonl", 2, "published_at")]
    assert "between" in batch.errors[0]["message"]
    assert batch.created_count == 2
    stored = Article.objects.get(url="https://news.example/3").published_at
    assert stored.utcoffset().total_seconds() == 0 and stored.hour == 7  # normalised to UTC
    client.force_login(admin_user)
    assert client.get("/api/v1/articles/").status_code == 200
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-10:00"])
def test_published_at_out_of_range_through_the_api(value, editor, admin_user):
    client = APIClient()
    client.force_authenticate(editor)
    response = client.post(
        "/api/v1/articles/", {"headline": "H", "body": "Body text.", "published_at": value}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "published_at" and "between" in response.json()["detail"]
    client.force_authenticate(admin_user)
    response = client.post("/api/v1/imports/", {"articles": [_row(1), _row(2, published_at=value)]}, format="json")
    assert response.status_code == 201
    assert response.json()["created_count"] == 1
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [(2, "published_at")]


def test_the_database_refuses_an_out_of_range_published_at_whatever_path_writes_it():
    from datetime import datetime

    from django.db import IntegrityError, transaction

    from tests.factories import ArticleFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(published_at=datetime(1, 1, 1, 12, tzinfo=UTC))


# --- item 4: CSV reader ---------------------------------------------------------------------------


def test_csv_invalid_utf8_byte_costs_only_its_row():
    data = _csv([_row(i) for i in range(5)]).replace(b"Headline 1", b"Headline \xff1")
    batch = _import("feed.csv", data)
    assert _errors(batch) == [("feed.csv", 3, "headline")]
    assert "not valid UTF-8" in batch.errors[0]["message"]
    assert batch.created_count == 4


def test_csv_invalid_utf8_in_the_header_names_row_1():
    data = b"head\xffline,body\nH,B\n"
    batch = _import("feed.csv", data)
    assert _errors(batch) == [("feed.csv", 1, "encoding")]


def test_csv_field_over_the_size_limit_costs_only_its_row(settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "IMPORT_MAX_ARTICLE_CHARS": 100_000}
    rows = [_row(i) for i in range(5)]
    rows[1]["body"] = "x" * 2_100_000
    batch = _import("feed.csv", _csv(rows))
    assert _errors(batch) == [("feed.csv", 3, "body")]
    assert batch.created_count == 4


# --- through the interfaces ---------------------------------------------------------------------


SURROGATE_KEY_BODY = (
    '{"articles": [{"headline": "A", "body": "Text A."}, '
    '{"headline": "B", "body": "Text B.", "\\ud800": "x"}, {"headline": "C", "body": "Text C."}]}'
)


@pytest.mark.parametrize("extra", [0, 150])  # imported in the request, or by a worker
def test_api_import_with_a_surrogate_field_name_reports_that_row_and_imports_the_rest(
    admin_user, extra, settings, django_capture_on_commit_callbacks
):
    from workbench.celery import app

    _, token = AuthToken.objects.create(user=admin_user)
    client = APIClient()
    client.raise_request_exception = False
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    more = "".join(f', {{"headline": "M{i}", "body": "More text {i}."}}' for i in range(extra))
    body = SURROGATE_KEY_BODY.replace("]}", more + "]}")
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/v1/imports/", data=body, content_type="application/json")
    finally:
        app.conf.task_always_eager = False
    assert response.status_code == (202 if extra else 201), response.content[:500]
    batch = ImportBatch.objects.get()
    assert batch.status == "done" and batch.created_count == 2 + extra
    assert [(e["row"], e["field"]) for e in batch.errors] == [(2, "\\ud800")]
    assert client.get(f"/api/v1/imports/{batch.pk}/").status_code == 200


def test_admin_upload_with_bad_records_imports_the_rest(
    client, admin_user, django_capture_on_commit_callbacks, settings
):
    from workbench.celery import app

    rows = [json.dumps(_row(i)) for i in range(3)]
    data = _jsonl_lines(
        rows[0],
        '{"headline": "X", "body": "Y", "\\ud800": 1}',
        '{"headline": "X", "body": "Y", "url": "http://x:99999/"}',
        rows[1],
        rows[2],
    )
    upload = io.BytesIO(make_zip({"feed.jsonl": data}))
    upload.name = "upload.zip"
    app.conf.task_always_eager = True
    try:
        client.force_login(admin_user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("admin:articles_importbatch_add"), {"upload": upload, "format": "auto"})
        assert response.status_code == 302
    finally:
        app.conf.task_always_eager = False
    batch = ImportBatch.objects.get()
    assert batch.status == "done" and batch.created_count == 3
    assert _errors(batch) == [("upload.zip:feed.jsonl", 2, "\\ud800"), ("upload.zip:feed.jsonl", 3, "url")]
    assert client.get(reverse("admin:articles_importbatch_change", args=[batch.pk])).status_code == 200


def test_the_command_reports_each_bad_record_and_imports_the_rest(tmp_path, capsys):
    from django.core.management import CommandError, call_command

    path = tmp_path / "feed.jsonl"
    path.write_bytes(
        _jsonl_lines(
            json.dumps(_row(1)),
            '{"headline": "B", "body": "Body B.", "\\ud800": 1}',
            json.dumps(_row(3, url="http://x:99999/")),
            json.dumps(_row(4, published_at="0001-01-01T00:00:00+01:00")),
            json.dumps(_row(5)),
        )
    )
    with pytest.raises(CommandError, match="3 record"):
        call_command("import_articles", str(path), "--no-progress")
    err = capsys.readouterr().err
    assert f"{path}, row 2: \\ud800: unknown field" in err
    assert f"{path}, row 3: url:" in err and "port" in err
    assert f"{path}, row 4: published_at: out of range" in err
    assert Article.objects.count() == 2


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_admin_article_form_refuses_an_out_of_range_published_at(client, admin_user, day):
    client.raise_request_exception = False
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "headline": "H",
            "body": "Body text.",
            "language": "en",
            "published_at_0": day,
            "published_at_1": "23:59:59",
            "claims-TOTAL_FORMS": "0",
            "claims-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200, response.content[:300]
    assert not Article.objects.exists()
    assert b"must be between 1800-01-01 and 2100-01-01" in response.content
