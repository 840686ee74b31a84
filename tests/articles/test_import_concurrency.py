"""Concurrent imports of the same articles create each of them once (the unique constraints decide;
the losing import counts a duplicate)."""

import threading

import pytest
from django.db import connection

from articles.formats import ImportRecord
from articles.models import Article
from articles.services import articles_import, import_batch_create

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_imports_of_the_same_articles_create_each_once():
    records = [
        ImportRecord(
            "same.jsonl",
            i,
            {"headline": f"Same story {i}", "body": f"Shared text number {i}.", "url": f"https://same.example/{i}"},
        )
        for i in range(1, 41)
    ]
    batches, errors = [], []
    barrier = threading.Barrier(4)

    def importer():
        try:
            barrier.wait()
            batches.append(
                articles_import(batch=import_batch_create(source_name="same"), records=list(records), chunk_size=7)
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=importer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert Article.objects.count() == 40
    assert sum(b.created_count for b in batches) == 40
    assert sum(b.duplicate_count for b in batches) == 3 * 40
    assert all(b.failed_count == 0 and b.status == "done" for b in batches)
