"""Celery app for bench/extract.py's workers: the workbench's own, except that extraction does not
queue cross-linking afterwards. Matching runs on the same queue and would otherwise land in the
middle of the timed rounds; bench/match.py measures it."""

from celery.signals import worker_process_init

from workbench.celery import app


@worker_process_init.connect
def _no_cross_linking(**kwargs) -> None:
    import matching.tasks

    matching.tasks.claims_match_enqueue = lambda **kwargs: None


__all__ = ["app"]
