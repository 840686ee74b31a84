"""Shared fixtures: the three personas of every permission test (plus integration and anonymous),
factories, the seed articles, and a real Celery worker process."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from accounts.roles import Role
from tests.factories import UserFactory

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
SHARED_DATA = REPO.parent / "shared" / "data"


def pytest_sessionstart(session):
    """Fail loudly, never skip, when a configured service is unreachable."""
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if broker.startswith("redis://"):
        import redis

        try:
            redis.Redis.from_url(broker, socket_connect_timeout=3).ping()
        except redis.RedisError as exc:
            pytest.exit(f"CELERY_BROKER_URL={broker} is unreachable: {exc}", returncode=2)


@pytest.fixture
def seeds_dir() -> Path:
    """../shared/seeds (five real articles about one event). Tests using it fail if it is missing."""
    assert SEEDS.is_dir(), f"{SEEDS} is missing: these tests need ../shared/seeds beside the repository"
    return SEEDS


def _user(role: Role | None, username: str):
    return UserFactory(username=username, role=role)


@pytest.fixture
def admin_user(db):
    return _user(Role.ADMIN, "alice-admin")


@pytest.fixture
def editor(db):
    return _user(Role.EDITOR, "erin-editor")


@pytest.fixture
def reviewer(db):
    return _user(Role.REVIEWER, "rob-reviewer")


@pytest.fixture
def integration(db):
    return _user(Role.INTEGRATION, "ivy-integration")


@pytest.fixture
def outsider(db):
    """Signed in, but with no role."""
    return _user(None, "olaf-outsider")


def _database_url() -> str:
    """The URL of the test database this process uses, for a worker process to share it."""
    from django.db import connection

    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real `celery worker` process consuming from the configured broker (the filesystem broker by
    default, Redis in CI), writing to this test's database. Use with transactional_db data."""
    from workbench.celery import app

    with app.connection_for_write() as conn:  # no stale messages from earlier runs
        for queue in ("default", "extraction"):
            try:
                conn.default_channel.queue_purge(queue)
            except Exception:
                pass
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "workbench.settings.test", "DATABASE_URL": _database_url()}
    log = tmp_path / "worker.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "workbench", "worker", "-Q", "default,extraction", "--concurrency", "1",
         "--pool", "prefork", "--loglevel", "INFO", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while b"ready." not in log.read_bytes():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"celery worker did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    proc.log_path = log
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def wait_for(predicate, *, timeout: float = 90, interval: float = 0.25, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {message}")
