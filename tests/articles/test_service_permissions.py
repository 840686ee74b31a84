"""The import and re-extraction services check who calls them (None: the system)."""

import pytest

from articles.formats import ImportRecord
from articles.models import Article, ImportBatch
from articles.services import articles_import, import_batch_create
from core.errors import PermissionDenied
from factcheck.services.extraction import claims_reextract_all
from tests.factories import ArticleFactory

RECORD = ImportRecord(
    file="api", row=1, data={"headline": "Rates", "body": "The council raised rates by 4% on Monday."}
)


@pytest.mark.django_db
def test_import_batch_create_needs_article_import(admin_user, editor):
    with pytest.raises(PermissionDenied, match="import articles"):
        import_batch_create(by=editor, source_name="x.jsonl")
    assert not ImportBatch.objects.exists()
    assert import_batch_create(by=admin_user, source_name="x.jsonl").created_by == admin_user
    assert import_batch_create(by=None, source_name="command").created_by is None
    # an article fetched from a URL needs only article.write
    assert import_batch_create(by=editor, source_name="web: …", capability="article.write").created_by == editor


@pytest.mark.django_db
def test_articles_import_needs_article_import(admin_user, reviewer):
    batch = import_batch_create(by=None, source_name="api")
    with pytest.raises(PermissionDenied):
        articles_import(batch=batch, records=[RECORD], by=reviewer)
    assert not Article.objects.exists()
    assert articles_import(batch=batch, records=[RECORD], by=admin_user).created_count == 1


@pytest.mark.django_db
def test_claims_reextract_all_needs_extraction_run(editor, reviewer):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(extraction_status=Article.ExtractionStatus.DONE)
    with pytest.raises(PermissionDenied, match="run extraction"):
        claims_reextract_all(by=reviewer, article_ids=[article.pk])
    article.refresh_from_db()
    assert article.extraction_status == Article.ExtractionStatus.DONE
    assert claims_reextract_all(by=editor, article_ids=[article.pk]) == 1
    article.refresh_from_db()
    assert article.extraction_status in (Article.ExtractionStatus.PENDING, Article.ExtractionStatus.QUEUED)
