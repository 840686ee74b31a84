"""factcheck's answers to what the articles app tells (articles/signals.py); connected in
FactcheckConfig.ready(). Each receiver only calls a service (looked up at call time)."""

from django.db import transaction

from factcheck.services import extraction


def extraction_queue(*, article_ids: list[int], **kwargs) -> None:
    transaction.on_commit(lambda: extraction.claims_extract_enqueue(article_ids=article_ids))


def claims_follow_text(*, article, old_body: str, **kwargs) -> None:
    extraction.claims_reanchor(article=article, old_body=old_body)


def connect() -> None:
    from articles import signals

    signals.articles_text_changed.connect(extraction_queue, dispatch_uid="factcheck.extraction_queue")
    signals.article_text_replaced.connect(claims_follow_text, dispatch_uid="factcheck.claims_follow_text")
