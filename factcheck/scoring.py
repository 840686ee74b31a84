"""Score any text, sentence by sentence (as ClaimBuster's API does for integrations): the
check-worthiness score, the claim type and whether the score passes the configured threshold.
Used by the REST API (`POST /api/v1/score/`) and `manage.py score_text`. The NLP modules load on
first use, never at start-up; only workers and the command load them (see text_score_on_worker)."""

import logging
import threading

from django.conf import settings

logger = logging.getLogger(__name__)


def _claim_type(candidates, start: int, end: int) -> str:
    inside = [c for c in candidates if c.sentence_start >= start and c.sentence_end <= end]
    sentence = next((c for c in inside if c.start == c.sentence_start and c.end == c.sentence_end), None)
    chosen = sentence or (inside[0] if inside else None)
    return chosen.claim_type if chosen else "other"


def text_score(*, text: str | None = None, sentences: list[str] | None = None) -> dict:
    """Either `text` (split into sentences by spaCy, with code-point offsets) or `sentences`
    (taken as they are, one per item)."""
    from factcheck import checkworthiness
    from factcheck.extraction import extract_from_doc, get_nlp

    nlp = get_nlp()
    rows = []
    if text is not None:
        doc = nlp(text)
        candidates = extract_from_doc(doc)
        for sent in doc.sents:
            raw = text[sent.start_char : sent.end_char]
            stripped = raw.strip()
            if not stripped:
                continue
            start = sent.start_char + (len(raw) - len(raw.lstrip()))
            end = start + len(stripped)
            rows.append(
                {"text": stripped, "start": start, "end": end, "claim_type": _claim_type(candidates, start, end)}
            )
    else:
        for sentence, doc in zip(sentences or [], nlp.pipe(sentences or [])):
            rows.append(
                {
                    "text": sentence,
                    "start": None,
                    "end": None,
                    "claim_type": _claim_type(extract_from_doc(doc), 0, len(sentence)),
                }
            )
    scores = checkworthiness.score_sentences([r["text"] for r in rows]) if rows else []
    threshold = checkworthiness.threshold()
    for row, score in zip(rows, scores):
        row["score"] = round(float(score), 6)
        row["check_worthy"] = score >= threshold
    return {"threshold": threshold, "model_version": checkworthiness.model_version(), "sentences": rows}


# --- Scoring for the web: bounded, on a worker ----------------------------------------------
# A web process never runs spaCy or a model. `text_score_on_worker` checks the size of the work,
# sends it to the `scoring` queue (factcheck.tasks.text_score_task, which runs `text_score` under a
# time limit) and waits a bounded time for the answer. At most SCORE_MAX_WAITING requests per web
# process wait at once, so scoring can never hold every thread of a web server.

_waiting: dict[int, threading.BoundedSemaphore] = {}
_waiting_lock = threading.Lock()


def _limits() -> dict:
    w = settings.WORKBENCH
    return {
        "chars": int(w["SCORE_MAX_CHARS"]),
        "sentences": int(w["SCORE_MAX_SENTENCES"]),
        "time_limit": float(w["SCORE_TIME_LIMIT"]),
        "wait": float(w["SCORE_WAIT"]),
        "waiting": int(w["SCORE_MAX_WAITING"]),
    }


def score_body_max_bytes() -> int:
    """The largest request body worth parsing for SCORE_MAX_CHARS characters of JSON (a code point is
    at most 12 bytes as JSON escapes), plus room for the rest of the document."""
    return _limits()["chars"] * 12 + 64 * 1024


def text_score_size_check(*, text: str | None = None, sentences: list[str] | None = None) -> None:
    """Raise TooLarge unless the request is within WORKBENCH_SCORE_MAX_CHARS (characters in all,
    whichever form) and WORKBENCH_SCORE_MAX_SENTENCES."""
    from core.errors import TooLarge

    limits = _limits()
    if sentences is not None and len(sentences) > limits["sentences"]:
        raise TooLarge(f"{len(sentences):,} sentences: at most {limits['sentences']:,} per request.", field="sentences")
    chars = len(text) if text is not None else sum(len(s) for s in sentences or [])
    if chars > limits["chars"]:
        raise TooLarge(
            f"{chars:,} characters: at most {limits['chars']:,} per request "
            "(WORKBENCH_SCORE_MAX_CHARS); send the rest in further requests.",
            field="text" if text is not None else "sentences",
        )


def _semaphore(size: int) -> threading.BoundedSemaphore:
    with _waiting_lock:
        return _waiting.setdefault(size, threading.BoundedSemaphore(size))


def text_score_on_worker(*, text: str | None = None, sentences: list[str] | None = None) -> dict:
    """`text_score` on a worker of the `scoring` queue, within the size and time limits. Raises
    TooLarge (too much input) or Unavailable (busy, queue down, no worker answered in time, the time
    limit was hit, or the worker failed), each with a message saying which."""
    from celery.exceptions import TimeoutError as ResultTimeout
    from kombu.exceptions import OperationalError

    from core.errors import Unavailable
    from factcheck.tasks import text_score_task

    text_score_size_check(text=text, sentences=sentences)
    limits = _limits()
    wait = limits["wait"]
    slots = _semaphore(limits["waiting"])
    if not slots.acquire(blocking=False):
        raise Unavailable(
            f"Scoring is busy on this server ({limits['waiting']} requests waiting). Try again shortly.", retry_after=5
        )
    try:
        try:
            # The time limits travel with the message; a worker that picks the task up after we
            # stopped waiting drops it (expires).
            result = text_score_task.apply_async(
                kwargs={"text": text, "sentences": sentences},
                expires=wait,
                soft_time_limit=limits["time_limit"],
                time_limit=limits["time_limit"] + 5,
            )
        except OperationalError:
            logger.exception("scoring task could not be queued")
            raise Unavailable("The scoring queue is unreachable. Try again later.") from None
        try:
            return result.get(timeout=wait, interval=0.05, propagate=True)
        except ResultTimeout:
            raise Unavailable(
                f"No scoring worker answered within {wait:g} s: the workers are busy or none is "
                "running (queue 'scoring'). Try again later."
            ) from None
        except Exception as exc:
            if type(exc).__name__ in ("SoftTimeLimitExceeded", "TimeLimitExceeded"):
                raise Unavailable(
                    f"Scoring took longer than its {limits['time_limit']:g} s limit: send less text per request.",
                    retry_after=1,
                ) from None
            logger.error("scoring failed on the worker: %r", exc)
            raise Unavailable("Scoring failed on the worker (logged). Try again later.") from None
        finally:
            _forget(result)
    finally:
        slots.release()


def _forget(result) -> None:
    """Drop the stored result (there is none yet when we stopped waiting: the backend's expiry,
    CELERY_RESULT_EXPIRES, removes what a late worker writes)."""
    try:
        result.forget()
    except Exception:  # e.g. the filesystem backend's missing file
        pass
