"""Database faults (acceptance item 3): a real error raised by the database in the middle of a
write rolls back only the article concerned.

tests/articles/test_import.py simulates the failure in Python (monkeypatched save/bulk_create).
Here the database itself fails: a trigger raises on one row's INSERT — PL/pgSQL `RAISE EXCEPTION`
on PostgreSQL, a user function that raises on SQLite — so the multi-row INSERT of the chunk really
aborts inside the database, the savepoint is really rolled back, and the service must recover."""

import io

import pytest
from django.db import connection
from knox.models import AuthToken
from rest_framework.test import APIClient

from articles.formats import read_stream
from articles.models import Article
from articles.services import articles_import, import_batch_create
from tests.payloads import jsonl
from webhooks.models import Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db


class SimulatedDiskFailure(Exception):
    pass


def _fail_when(value):
    if value == "Poison":
        raise SimulatedDiskFailure("simulated disk failure")
    return 0


def install_failing_trigger(table: str, column: str) -> None:
    """INSERTs into `table` whose `column` is 'Poison' fail inside the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"""
                CREATE FUNCTION test_poison_{table}() RETURNS trigger AS $$
                BEGIN
                    IF NEW.{column}::text = 'Poison' THEN RAISE EXCEPTION 'simulated disk failure'; END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql""")
            cursor.execute(
                f"CREATE TRIGGER test_poison BEFORE INSERT ON {table} FOR EACH ROW "
                f"EXECUTE FUNCTION test_poison_{table}()"
            )
        else:
            connection.ensure_connection()
            connection.connection.create_function("test_poison", 1, _fail_when)
            cursor.execute(
                f"CREATE TRIGGER test_poison_{table} BEFORE INSERT ON {table} "
                f"BEGIN SELECT test_poison(NEW.{column}); END"
            )


def test_a_real_database_error_in_the_middle_of_a_chunk_costs_only_that_article(
    django_capture_on_commit_callbacks, monkeypatch
):
    install_failing_trigger("articles_article", "headline")
    queued = []
    monkeypatch.setattr(
        "factcheck.services.extraction.claims_extract_enqueue", lambda *, article_ids: queued.extend(article_ids)
    )
    rows = [{"headline": f"Story {i}", "body": f"Text of story {i}.", "external_id": f"s{i}"} for i in range(1, 6)]
    rows.insert(2, {"headline": "Poison", "body": "This one the database refuses.", "external_id": "poison"})
    with django_capture_on_commit_callbacks(execute=True):
        batch = articles_import(
            batch=import_batch_create(source_name="feed.jsonl"),
            records=read_stream("feed.jsonl", io.BytesIO(jsonl(*rows))),
        )
    assert batch.status == "done"
    assert (batch.created_count, batch.failed_count) == (5, 1)
    assert [(e["file"], e["row"], e["field"]) for e in batch.errors] == [("feed.jsonl", 3, "database")]
    message = batch.errors[0]["message"]
    assert message.startswith("could not be stored:") and (
        "simulated disk failure" in message  # PostgreSQL
        or "user-defined function raised exception" in message
    )
    assert sorted(Article.objects.values_list("external_id", flat=True)) == ["s1", "s2", "s3", "s4", "s5"]
    # Extraction is queued for exactly the articles that exist (nothing for the rolled-back one).
    assert sorted(queued) == sorted(Article.objects.values_list("id", flat=True))


def test_a_failure_after_the_article_row_is_written_rolls_the_article_back(editor, integration, monkeypatch):
    """POST /api/v1/articles/ writes the article, then its webhook delivery rows in the same
    transaction. When the database refuses the delivery row, the article must not remain."""
    Webhook.objects.create(url="https://cms.example/hook", events=["article.imported"], owner=integration)
    install_failing_trigger("webhooks_webhookdelivery", "event")
    from webhooks import services as webhook_services

    original = webhook_services.articles_imported_emit

    def emit_poisoned(**kwargs):  # the delivery row is written with event "Poison": the trigger fires
        from webhooks.models import WebhookDelivery as D

        D.objects.create(webhook=Webhook.objects.get(), event="Poison", payload={})
        return original(**kwargs)

    monkeypatch.setattr(webhook_services, "articles_imported_emit", emit_poisoned)
    _, token = AuthToken.objects.create(user=editor)
    client = APIClient()
    client.raise_request_exception = False
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post("/api/v1/articles/", {"headline": "Half written?", "body": "It must not be."}, format="json")
    assert response.status_code == 500
    assert not Article.objects.filter(headline="Half written?").exists()
    assert not WebhookDelivery.objects.exists()
