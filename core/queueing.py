"""Handing tasks to the broker from an outbox: never raises. What could not be sent stays in its
durable state (a pending row) for a periodic sweep to send later."""

import logging

logger = logging.getLogger(__name__)


def tasks_send(*, task, ids: list) -> list:
    """Send `task(id)` for each id over one broker connection, without Celery's publish retries
    (imports and requests must not hang on a dead broker). Returns the ids that were sent."""
    sent = []
    try:
        with task.app.producer_or_acquire() as producer:
            for pk in ids:
                task.apply_async(args=[pk], retry=False, producer=producer)
                sent.append(pk)
    except Exception as exc:  # the broker is unreachable: the rest waits for the sweep
        logger.warning(
            "could not queue %s for %s (%s); the sweep will send them",
            task.name,
            [pk for pk in ids if pk not in sent],
            exc,
        )
    return sent
