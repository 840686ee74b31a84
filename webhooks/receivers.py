"""The webhook events the apps below send as signals (articles/signals.py, factcheck/signals.py);
connected in WebhooksConfig.ready(). Each receiver only calls a service (looked up at call time)."""

from webhooks import services


def articles_imported(*, article_ids: list[int], batch=None, **kwargs) -> None:
    services.articles_imported_emit(article_ids=article_ids, batch=batch)


def claims_extracted(*, article_ids: list[int], **kwargs) -> None:
    services.claims_extracted_emit(article_ids=article_ids)


def article_revised(*, article, orphaned_claim_ids: list[int], **kwargs) -> None:
    services.article_revised_emit(article=article, orphaned_claim_ids=orphaned_claim_ids)


def verdict_event(*, event: str, payload: dict, **kwargs) -> None:
    services.webhook_event_emit(event=event, payload=payload)


def connect() -> None:
    from articles import signals as article_signals
    from factcheck import signals as factcheck_signals

    article_signals.articles_imported.connect(articles_imported, dispatch_uid="webhooks.articles_imported")
    factcheck_signals.claims_extracted.connect(claims_extracted, dispatch_uid="webhooks.claims_extracted")
    factcheck_signals.claims_reanchored.connect(article_revised, dispatch_uid="webhooks.article_revised")
    factcheck_signals.verdict_event.connect(verdict_event, dispatch_uid="webhooks.verdict_event")
