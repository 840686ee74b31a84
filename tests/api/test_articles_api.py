"""Articles through the API: create, upsert by external id or URL, bulk import (at once, or by
a worker for large bodies) with per-row errors to poll."""

import pytest

from articles.models import Article, ImportBatch
from articles.services import import_batch_process

BODY = "The port authority said on Monday that cargo volumes rose 12% in 2021, the fastest growth in a decade."


def test_create_then_conflict_on_the_same_article(api, editor, db):
    client = api(editor)
    data = {
        "external_id": "cms-1",
        "url": "https://news.example/a?utm_source=feed",
        "headline": " Cargo\u00a0up ",
        "body": BODY,
        "outlet": "Port News",
        "published_at": "2022-02-21",
    }
    response = client.post("/api/v1/articles/", data, format="json")
    assert response.status_code == 201, response.content
    article = Article.objects.get()
    assert (article.headline, article.outlet.name, article.created_by) == ("Cargo up", "Port News", editor)
    assert response.json()["extraction_status"] == "pending"
    again = client.post("/api/v1/articles/", data, format="json")
    assert again.status_code == 409 and f"id {article.pk}" in again.json()["detail"]
    bad = client.post(
        "/api/v1/articles/", {**data, "external_id": "cms-2", "url": "", "published_at": "Tuesday"}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["field"] == "published_at"
    assert Article.objects.count() == 1


def test_upsert_by_external_id_then_by_url(api, editor, db):
    client = api(editor)
    first = client.post(
        "/api/v1/articles/upsert/", {"external_id": "cms-9", "headline": "Cargo", "body": BODY}, format="json"
    )
    assert first.status_code == 201 and first["X-Upsert"] == "created"
    same = client.post(
        "/api/v1/articles/upsert/", {"external_id": "cms-9", "headline": "Cargo", "body": BODY}, format="json"
    )
    assert same.status_code == 200 and same["X-Upsert"] == "unchanged" and same.json()["revision"] == 1
    changed = client.post(
        "/api/v1/articles/upsert/",
        {
            "external_id": "cms-9",
            "headline": "Cargo up",
            "body": BODY + " Imports fell.",
            "url": "https://news.example/c",
        },
        format="json",
    )
    assert changed.status_code == 200 and changed["X-Upsert"] == "updated"
    assert changed.json()["revision"] == 2 and changed.json()["url"] == "https://news.example/c"
    by_url = client.post(
        "/api/v1/articles/upsert/",
        {"url": "http://www.news.example/c/", "headline": "Cargo up again", "body": BODY + " Imports fell."},
        format="json",
    )
    assert by_url.status_code == 200 and by_url.json()["id"] == first.json()["id"]
    assert Article.objects.count() == 1 and Article.objects.get().headline == "Cargo up again"


def test_small_import_runs_at_once_with_per_row_errors(api, admin_user, db):
    articles = [
        {"id": "w-1", "title": "One", "text": BODY},  # aliases are accepted
        {"external_id": "w-2", "headline": "Two", "body_html": "<p>The mayor <b>resigned</b> on Friday.</p>"},
        {"external_id": "w-3", "headline": "", "body": "No headline here."},
        {"external_id": "w-4", "headline": "Extra", "body": "Text.", "colour": "red"},
        {"external_id": "w-1", "headline": "One again", "body": BODY},
    ]
    response = api(admin_user).post("/api/v1/imports/", {"articles": articles, "outlet": "Wire"}, format="json")
    assert response.status_code == 201, response.content
    batch = response.json()
    assert (batch["status"], batch["total"], batch["created_count"], batch["failed_count"]) == ("done", 5, 2, 3)
    assert {(e["row"], e["field"]) for e in batch["errors"]} == {(3, "headline"), (4, "colour"), (5, "text")}
    assert set(Article.objects.values_list("outlet__name", flat=True)) == {"Wire"}
    assert Article.objects.get(external_id="w-2").body == "The mayor resigned on Friday."


def test_large_import_is_queued_and_polled(api, admin_user, db, monkeypatch, django_capture_on_commit_callbacks):
    from articles import services

    monkeypatch.setattr(services, "IMPORT_SYNC_MAX", 2)
    queued = []
    monkeypatch.setattr(
        "articles.tasks.import_batch_process_task.apply_async", lambda args, **kw: queued.append(args[0])
    )
    articles = [
        {"external_id": f"big-{i}", "headline": f"Story {i}", "body": f"{BODY} Story number {i}."} for i in range(5)
    ]
    articles.append({"external_id": "big-x", "headline": "Bad", "body": "x", "published_at": "soon"})
    client = api(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/imports/", {"articles": articles}, format="json")
    assert response.status_code == 202 and response.json()["status"] == "pending"
    batch_id = response.json()["id"]
    assert queued == [batch_id] and ImportBatch.objects.get(pk=batch_id).upload.name.endswith(".jsonl")
    import_batch_process(batch_id=batch_id)  # what the worker does with the task
    polled = client.get(response["Location"]).json()
    assert (polled["status"], polled["created_count"], polled["failed_count"]) == ("done", 5, 1)
    assert polled["errors"][0]["row"] == 6 and polled["errors"][0]["field"] == "published_at"


@pytest.mark.parametrize("body", [{"articles": []}, {"articles": "nope"}, {"articles": [1, 2]}, {}])
def test_import_body_shape_is_validated(api, admin_user, db, body):
    assert api(admin_user).post("/api/v1/imports/", body, format="json").status_code == 400
    assert not ImportBatch.objects.exists()


def test_far_time_zone_offsets_are_stored_in_utc_and_filtered(api, editor, db):
    """+23:49 parses in Python but is out of PostgreSQL's range: both paths convert to UTC."""
    client = api(editor)
    response = client.post(
        "/api/v1/articles/",
        {"headline": "Late", "body": BODY, "published_at": "2022-02-21T23:00:00+23:49"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["published_at"].startswith("2022-02-20T23:11:00")
    listed = client.get("/api/v1/articles/", {"published_after": "2022-02-20T00:00:00+23:49"})
    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert client.get("/api/v1/articles/", {"published_after": "9999-12-31T23:00:00-23:00"}).status_code == 400
