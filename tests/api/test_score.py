"""POST /api/v1/score/: sentences of any text with their check-worthiness score and claim type."""


def test_score_text_sentence_by_sentence(api, integration, settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "CHECKWORTHY_THRESHOLD": 0.5}
    text = "Unemployment fell to 3.5% in 2019, the lowest rate in 50 years.  I love sunny Mondays!"
    response = api(integration).post("/api/v1/score/", {"text": text}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    rows = data["sentences"]
    assert [r["text"] for r in rows] == [
        "Unemployment fell to 3.5% in 2019, the lowest rate in 50 years.",
        "I love sunny Mondays!",
    ]
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    assert rows[0]["claim_type"] == "quantity"
    assert rows[0]["score"] > rows[1]["score"]
    assert all(r["check_worthy"] == (r["score"] >= 0.5) for r in rows)
    assert data["threshold"] == 0.5 and data["model_version"]


def test_score_given_sentences(api, reviewer):
    sentences = ["The law requires companies to disclose emissions by 2025.", "Thanks for reading."]
    rows = api(reviewer).post("/api/v1/score/", {"sentences": sentences}, format="json").json()["sentences"]
    assert [r["text"] for r in rows] == sentences and rows[0]["start"] is None
    assert rows[0]["score"] > rows[1]["score"]


def test_score_needs_text_or_sentences(api, reviewer):
    client = api(reviewer)
    assert client.post("/api/v1/score/", {}, format="json").status_code == 400
    assert client.post("/api/v1/score/", {"text": "a", "sentences": ["b"]}, format="json").status_code == 400


# --- Bounded work: sizes (413), throttle (429), the worker queue (503) ---------------------------

import re
import threading
import time

import pytest
from django.db import connection
from knox.models import AuthToken
from rest_framework.test import APIClient

from factcheck import scoring
from factcheck.tasks import text_score_task
from tests.conftest import purge_broker, wait_for


@pytest.fixture
def small_limits(settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "SCORE_MAX_CHARS": 200, "SCORE_MAX_SENTENCES": 3}


@pytest.fixture
def queued(monkeypatch):
    """Records what would be queued (the size checks must refuse before anything is)."""
    sent = []
    monkeypatch.setattr(text_score_task, "apply_async", lambda *a, **kw: sent.append(kw) or pytest.fail("queued"))
    return sent


@pytest.mark.parametrize(
    "body, field",
    [
        ({"text": "Unemployment fell. " * 11}, "text"),  # 209 characters in one text
        ({"sentences": ["Unemployment fell to 3.5% in 2019." * 2] * 3}, "sentences"),  # 3 × 68 = 204 in all
        ({"sentences": ["Prices rose."] * 4}, "sentences"),  # 4 sentences, 48 characters
    ],
)
def test_more_than_the_limits_is_413_and_nothing_is_queued(api, reviewer, small_limits, queued, body, field):
    response = api(reviewer).post("/api/v1/score/", body, format="json")
    assert response.status_code == 413, response.content
    data = response.json()
    assert data["code"] == "too_large" and data["field"] == field
    assert "at most" in data["detail"] and queued == []


def test_a_body_too_large_to_be_worth_parsing_is_413_before_it_is_read(api, reviewer, small_limits, monkeypatch):
    from rest_framework.request import Request

    monkeypatch.setattr(Request, "data", property(lambda self: pytest.fail("the body was parsed")))
    body = '{"text": "' + "x" * (scoring.score_body_max_bytes() + 1) + '"}'
    response = api(reviewer).post("/api/v1/score/", body, content_type="application/json")
    assert response.status_code == 413 and "Request body too large" in response.json()["detail"]


def test_within_the_limits_is_scored(api, reviewer, small_limits):
    response = api(reviewer).post("/api/v1/score/", {"sentences": ["Prices rose by 4% in May."] * 3}, format="json")
    assert response.status_code == 200 and len(response.json()["sentences"]) == 3


def test_throttled_per_token_with_retry_after(reviewer, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "score": "2/min"},
    }
    first, second = APIClient(), APIClient()
    for client in (first, second):
        client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=reviewer)[1]}")
    body = {"sentences": ["Prices rose by 4% in May."]}
    assert [first.post("/api/v1/score/", body, format="json").status_code for _ in range(2)] == [200, 200]
    refused = first.post("/api/v1/score/", body, format="json")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "throttled" in refused.json()["detail"]
    assert second.post("/api/v1/score/", body, format="json").status_code == 200  # its own budget


@pytest.mark.scoring_queue
def test_broker_down_is_503_at_once(api, reviewer, monkeypatch):
    from kombu.exceptions import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(text_score_task, "apply_async", down)
    response = api(reviewer).post("/api/v1/score/", {"sentences": ["Prices rose."]}, format="json")
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json() == {"detail": "The scoring queue is unreachable. Try again later.", "code": "unavailable"}


@pytest.fixture
def no_local_scoring(monkeypatch):
    """The web (test) process must not run spaCy or the model: if it did, this fails."""
    import factcheck.extraction

    def refuse(*args, **kwargs):
        pytest.fail("spaCy or the model ran in the web process")

    monkeypatch.setattr(scoring, "text_score", refuse)
    monkeypatch.setattr(factcheck.extraction, "get_nlp", refuse)
    monkeypatch.setattr("factcheck.checkworthiness.score_sentences", refuse)


@pytest.mark.scoring_queue
def test_no_worker_is_503_after_the_bounded_wait(transactional_db, reviewer, settings, no_local_scoring):
    purge_broker()
    settings.WORKBENCH = {**settings.WORKBENCH, "SCORE_WAIT": 1}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=reviewer)[1]}")
    started = time.monotonic()
    response = client.post("/api/v1/score/", {"sentences": ["Prices rose."]}, format="json")
    elapsed = time.monotonic() - started
    purge_broker()  # the expired message
    assert response.status_code == 503, response.content
    assert response.json()["detail"].startswith("No scoring worker answered within 1 s")
    assert 1 <= elapsed < 5


@pytest.mark.scoring_queue
def test_requests_waiting_per_process_are_bounded(transactional_db, reviewer, settings, no_local_scoring):
    """With no worker, one request waits (SCORE_MAX_WAITING=1); a second one is refused at once
    instead of holding another web thread."""
    purge_broker()
    settings.WORKBENCH = {**settings.WORKBENCH, "SCORE_WAIT": 3, "SCORE_MAX_WAITING": 1}
    token = AuthToken.objects.create(user=reviewer)[1]
    results = {}

    def post(name):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        started = time.monotonic()
        response = client.post("/api/v1/score/", {"sentences": ["Prices rose."]}, format="json")
        results[name] = (response.status_code, response.json()["detail"], time.monotonic() - started)
        connection.close()

    waiting = threading.Thread(target=post, args=("waiting",))
    waiting.start()
    time.sleep(1)
    post("second")
    waiting.join()
    purge_broker()
    assert results["second"][0] == 503 and "busy" in results["second"][1] and results["second"][2] < 1
    assert results["waiting"][0] == 503 and "No scoring worker answered" in results["waiting"][1]


@pytest.mark.worker
@pytest.mark.scoring_queue
def test_scored_by_a_real_worker_on_the_scoring_queue(celery_worker_process, reviewer, no_local_scoring):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=reviewer)[1]}")
    text = "Unemployment fell to 3.5% in 2019, the lowest rate in 50 years.  I love sunny Mondays!"
    response = client.post("/api/v1/score/", {"text": text}, format="json")
    assert response.status_code == 200, response.content
    rows = response.json()["sentences"]
    assert [r["text"] for r in rows] == [
        "Unemployment fell to 3.5% in 2019, the lowest rate in 50 years.",
        "I love sunny Mondays!",
    ]
    assert rows[0]["score"] > rows[1]["score"]
    # The worker logs the task after it has stored the result: wait for the line.
    wait_for(
        lambda: re.search(
            r"Task factcheck\.tasks\.text_score_task\[[-0-9a-f]+\] succeeded",
            celery_worker_process.log_path.read_text(),
        ),
        timeout=15,
        message="the worker's log",
    )


@pytest.mark.worker
@pytest.mark.scoring_queue
def test_the_workers_time_limit_is_503(worker_factory, reviewer, settings, no_local_scoring):
    # The limits travel with the message, from the web process's settings.
    settings.WORKBENCH = {**settings.WORKBENCH, "SCORE_MAX_CHARS": 200_000, "SCORE_TIME_LIMIT": 0.5}
    worker = worker_factory().start()  # 200,000 characters take several seconds
    wait_for(lambda: "models loaded" in worker.log_path.read_text(), timeout=60, message="the worker's models")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=reviewer)[1]}")
    text = ("Unemployment fell to 3.5% in 2019, officials said on Monday in the capital. " * 2700)[:200_000]
    started = time.monotonic()
    response = client.post("/api/v1/score/", {"text": text}, format="json")
    assert response.status_code == 503, response.content
    assert response.json()["detail"].startswith("Scoring took longer than its")
    assert time.monotonic() - started < 5
