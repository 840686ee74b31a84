"""Extraction → matching: when an extraction run wrote candidates (factcheck/signals.py), queue
cross-linking of those articles after commit. Connected in MatchingConfig.ready(); factcheck
never imports matching."""

from django.db import transaction


def claims_match_queue(*, article_ids: list[int], **kwargs) -> None:
    from matching import tasks  # not at start-up: web processes import the matching models only when used

    extracted = list(article_ids)
    transaction.on_commit(lambda: tasks.claims_match_enqueue(article_ids=extracted))


def connect() -> None:
    from factcheck import signals

    signals.claims_extracted.connect(claims_match_queue, dispatch_uid="matching.claims_match_queue")
