import pytest
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _scoring_in_process(request, monkeypatch):
    """API tests that do not start a worker score in the test process (Celery's eager `apply`), so
    that the permission matrix and the fuzzer need no worker. tests/api/test_score.py checks the
    queue itself: with a real worker, with none, with the time limit; mark those `scoring_queue`."""
    if request.node.get_closest_marker("scoring_queue") or "worker_factory" in request.fixturenames:
        yield
        return
    from factcheck.tasks import text_score_task

    monkeypatch.setattr(
        text_score_task, "apply_async", lambda args=None, kwargs=None, **options: text_score_task.apply(args, kwargs)
    )
    yield


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def token_client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        _, token = AuthToken.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def api():
    """api(user) → an APIClient authenticated with a fresh knox token of `user` (None: anonymous)."""
    return token_client
