"""Shared fixtures: the three personas of every permission test (plus integration and anonymous),
factories, the seed articles, and a real Celery worker process."""

import os
import signal
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


@pytest.fixture
def allow_loopback(settings):
    """Outbound requests (core/outbound.py) refuse loopback addresses: a test that talks to its own
    server on 127.0.0.1 allow-lists it explicitly, as an operator would an internal receiver."""
    settings.WORKBENCH = {**settings.WORKBENCH, "OUTBOUND_ALLOW": ["127.0.0.1"]}


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


class WorkerProcess:
    """A real `celery worker` process (its own process group, so it can be SIGKILLed whole)."""

    def __init__(self, log_path: Path, extra_env: dict | None = None):
        self.log_path = log_path
        self.extra_env = extra_env or {}
        self.proc: subprocess.Popen | None = None

    def start(self) -> "WorkerProcess":
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "workbench.settings.test",
            "DATABASE_URL": _database_url(),
            **self.extra_env,
        }
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "workbench",
                "worker",
                "-Q",
                "default,extraction,scoring",
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "--loglevel",
                "INFO",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=REPO,
            env=env,
            stdout=self.log_path.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while b"ready." not in self.log_path.read_bytes()[offset:]:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"celery worker did not start:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once, as a crash would."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=20)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def purge_broker() -> None:
    from workbench.celery import app

    with app.connection_for_write() as conn:  # no stale messages from earlier runs
        for queue in ("default", "extraction", "scoring"):
            try:
                conn.default_channel.queue_purge(queue)
            except Exception:
                pass


@pytest.fixture
def worker_factory(transactional_db, tmp_path):
    """Make (not yet started) worker processes sharing this test's database and broker."""
    purge_broker()
    workers: list[WorkerProcess] = []

    def make(**extra_env) -> WorkerProcess:
        worker = WorkerProcess(tmp_path / f"worker-{len(workers)}.log", {k: str(v) for k, v in extra_env.items()})
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()


@pytest.fixture
def celery_worker_process(worker_factory):
    """A started real worker consuming from the configured broker (the filesystem broker by default,
    Redis in CI), writing to this test's database. Use with transactional_db data."""
    return worker_factory().start()


def wait_for(predicate, *, timeout: float = 90, interval: float = 0.25, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {message}")


def pytest_sessionfinish(session, exitstatus):
    """Remove this run's filesystem-broker folders (workbench/settings/test.py names them by run)."""
    import shutil

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    if "data_folder_in" in options:
        shutil.rmtree(Path(options["data_folder_in"]).parent, ignore_errors=True)
