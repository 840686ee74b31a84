"""Broker outage drill: Redis dies (SIGKILL: every queued message is lost) right after an import,
stays down while more articles are imported, then comes back empty. Nothing may be lost: the
imports succeed, and extraction catches up by itself (the beat sweep) once Redis is back.

    .venv/bin/python bench/drill_broker_outage.py                     # SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/drill_broker_outage.py

Needs `redis-server` on PATH: the drill runs its own Redis on a free loopback port (no
persistence) so that it can kill and restart it; the machine's Redis is never touched. Uses a
fresh database (`workbench_drill` on the PostgreSQL server of DATABASE_URL, dropped afterwards, or
a temporary SQLite file), one real Celery worker (queues default and extraction) and celery beat
with a 5-second sweep and WORKBENCH_EXTRACTION_REQUEUE_AFTER=20 (production: 60 s and 600 s).

gunicorn serves the REST API, and a webhook (subscribed to `article.imported`) points at a
receiver run by the drill on loopback (allowed with WORKBENCH_OUTBOUND_ALLOW).

Steps, each checked (exit 1 on any failure):
1. `import_articles` of N articles with Redis up; Redis is SIGKILLed at once, before the worker
   has extracted them, so queued messages (extraction, the webhook delivery) are lost;
2. `import_articles` of N more articles while Redis is down: exit 0, all created, none failed;
   `POST /api/v1/imports/` of --api articles (more than the API imports in the request) while
   Redis is down: 202, the batch waits `pending` (its outbox row);
3. Redis restarted, empty, on the same port;
4. every article ends `done` (none failed), each with its claims once (the span constraint), and
   re-running extraction of the same version would change nothing (the extractor version recorded);
   the API batch is `done` with every article created; every webhook delivery `succeeded` and the
   receiver got each event (none pending with 0 attempts).
Prints how long the outage import took and how long extraction took to catch up.
"""

import argparse
import http.server
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from load import PYTHON, REPO, free_port, spawn, stop, synthetic_article, wait_until

DRILL_DB = f"workbench_drill_{os.getpid()}"  # one per run: drills may run side by side on one server


def start_redis(port: int, log: Path) -> subprocess.Popen:
    redis = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "yes",
        ],
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    import redis as redis_client

    def up():
        try:
            return redis_client.Redis(port=port, socket_connect_timeout=0.5).ping()
        except redis_client.ConnectionError:
            return False

    wait_until(up, 20, "redis-server", interval=0.1)
    return redis


class Receiver(http.server.ThreadingHTTPServer):
    """The integration's end of the webhook: answers 200 and records the delivery ids it got."""

    def __init__(self):
        self.got: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(handler):  # noqa: N805
                handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
                self.got.append(handler.headers.get("X-Workbench-Delivery", ""))
                handler.send_response(200)
                handler.end_headers()

            def log_message(handler, *args):  # noqa: N805
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


def import_file(env: dict, path: Path) -> tuple[int, str, float]:
    began = time.monotonic()
    done = subprocess.run(
        [PYTHON, "manage.py", "import_articles", str(path), "--outlet", "Drill wire"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    summary = (done.stdout.strip() or done.stderr.strip()).splitlines()[-1:] or [""]
    return done.returncode, summary[0], time.monotonic() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=40, help="articles per import")
    parser.add_argument("--api", type=int, default=150, help="articles posted to /api/v1/imports/ while Redis is down")
    parser.add_argument("--down", type=float, default=8, help="seconds Redis stays down after the second import")
    args = parser.parse_args()
    if not shutil.which("redis-server"):
        print("redis-server is not on PATH: this drill needs it (apt-get install redis-server)", file=sys.stderr)
        return 1

    tmp = Path(tempfile.mkdtemp(prefix="workbench-drill-"))
    port = free_port()
    database_url = os.environ.get("DATABASE_URL", "")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "workbench.settings.local",
            "DJANGO_DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "WORKBENCH_VAR_DIR": str(tmp),
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0",
            "WORKBENCH_SWEEP_INTERVAL": "5",
            "WORKBENCH_EXTRACTION_REQUEUE_AFTER": "20",
            "WORKBENCH_OUTBOX_REQUEUE_AFTER": "20",
            "WORKBENCH_OUTBOUND_ALLOW": "127.0.0.1",
            "WORKBENCH_MEDIA_ROOT": str(tmp / "media"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    if database_url.startswith("postgres"):
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DRILL_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DRILL_DB}")
        env["DATABASE_URL"] = database_url.rsplit("/", 1)[0] + f"/{DRILL_DB}"
    os.environ.update(env)
    os.environ.pop("CACHE_URL", None)
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(REPO))

    procs: list[subprocess.Popen] = []
    redis = None
    try:
        subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=REPO, env=env, check=True)
        import django

        django.setup()
        from django.db import connections
        from django.db.models import Count
        from knox.models import AuthToken

        from accounts.roles import Role
        from accounts.services import roles_ensure, user_create
        from articles.models import Article, ImportBatch
        from factcheck.models import Claim
        from webhooks.models import Webhook, WebhookDelivery

        roles_ensure()
        admin = user_create(username="drill-admin", password="drill-pass-" + os.urandom(4).hex(), role=Role.ADMIN)
        token = AuthToken.objects.create(user=admin)[1]
        receiver = Receiver()
        Webhook.objects.create(
            url=f"http://127.0.0.1:{receiver.server_address[1]}/hook",
            events=["article.imported"],
            owner=admin,
            name="drill receiver",
        )
        connections.close_all()

        files = []
        for name in ("before", "during"):
            path = tmp / f"{name}.jsonl"
            rng = random.Random(name)
            path.write_text("".join(json.dumps(synthetic_article(i, rng, name)) + "\n" for i in range(args.n)))
            files.append(path)

        redis = start_redis(port, tmp / "redis.log")
        worker_cmd = [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "workbench",
            "worker",
            "-Q",
            "default,extraction",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ]
        procs.append(spawn(worker_cmd, env, tmp / "worker.log"))
        procs.append(
            spawn(
                [
                    PYTHON,
                    "-m",
                    "celery",
                    "-A",
                    "workbench",
                    "beat",
                    "--loglevel",
                    "WARNING",
                    "--schedule",
                    str(tmp / "beat-schedule"),
                ],
                env,
                tmp / "beat.log",
            )
        )
        web_port = free_port()
        procs.append(
            spawn(
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "workbench.wsgi",
                    "--bind",
                    f"127.0.0.1:{web_port}",
                    "--workers",
                    "1",
                    "--threads",
                    "2",
                    "--worker-class",
                    "gthread",
                    "--timeout",
                    "120",
                    "--log-level",
                    "warning",
                ],
                env,
                tmp / "gunicorn.log",
            )
        )
        import httpx

        api = httpx.Client(
            base_url=f"http://127.0.0.1:{web_port}", timeout=120, headers={"Authorization": f"Token {token}"}
        )

        def web_up():
            try:
                return api.get("/api/v1/imports/").status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(web_up, 60, "gunicorn", interval=0.2)
        wait_until(
            lambda: b"extraction models loaded" in (tmp / "worker.log").read_bytes(), 120, "the worker", interval=0.2
        )

        code, line, _ = import_file(env, files[0])
        redis.kill()  # SIGKILL: what was queued in Redis is gone
        redis.wait()
        killed_at = time.monotonic()
        assert code == 0, f"import with Redis up failed: {line}"
        done_before_kill = Article.objects.filter(extraction_status="done").count()
        print(
            f"1. imported {args.n} articles with Redis up ({line}); Redis killed, {done_before_kill} of them "
            f"extracted before that",
            flush=True,
        )

        code, line, seconds = import_file(env, files[1])
        statuses = dict(Article.objects.values_list("extraction_status").annotate(n=Count("id")).order_by())
        print(
            f"2. imported {args.n} more with Redis down in {seconds:.1f}s: exit {code} ({line}); "
            f"extraction states now {statuses}",
            flush=True,
        )
        assert code == 0 and Article.objects.count() == 2 * args.n, (
            "the import during the outage did not create every article"
        )
        rng = random.Random("api")
        began = time.monotonic()
        response = api.post(
            "/api/v1/imports/",
            json={"articles": [synthetic_article(i, rng, "api") for i in range(args.api)], "source_name": "drill api"},
        )
        api_batch = response.json().get("id") if response.status_code == 202 else None
        deliveries = dict(WebhookDelivery.objects.values_list("status").annotate(n=Count("id")).order_by())
        print(
            f"2b. POST /api/v1/imports/ of {args.api} articles with Redis down: {response.status_code} in "
            f"{time.monotonic() - began:.1f}s, batch {response.json().get('status')}; webhook deliveries {deliveries}",
            flush=True,
        )
        assert response.status_code == 202 and response.json()["status"] == "pending", response.text[:500]

        time.sleep(max(0.0, args.down - (time.monotonic() - killed_at)))
        redis = start_redis(port, tmp / "redis.log")
        back_at = time.monotonic()
        print(f"3. Redis back (empty) after {back_at - killed_at:.1f}s down", flush=True)

        def caught_up():
            connections.close_all()
            return (
                ImportBatch.objects.filter(pk=api_batch, status__in=["done", "failed"]).exists()
                and not Article.objects.exclude(extraction_status__in=["done", "failed"]).exists()
                and not WebhookDelivery.objects.exclude(status__in=["succeeded", "failed"]).exists()
            )

        wait_until(caught_up, 300, "the API import, extraction and webhook deliveries to catch up", interval=1)
        caught_up_in = time.monotonic() - back_at
        failed = Article.objects.filter(extraction_status="failed").count()
        stale = Article.objects.exclude(extracted_revision=django.db.models.F("revision")).count()
        without_claims = Article.objects.annotate(n=Count("claims")).filter(n=0).count()
        duplicates = Claim.objects.values("article_id", "start", "end").annotate(n=Count("id")).filter(n__gt=1).count()
        versions = set(Article.objects.values_list("extractor_version", flat=True))
        batch = ImportBatch.objects.get(pk=api_batch)
        print(
            f"4a. API batch {batch.status}: {batch.created_count} created, {batch.failed_count} failed; webhook "
            f"deliveries {dict(WebhookDelivery.objects.values_list('status').annotate(n=Count('id')).order_by())}, "
            f"the receiver got {len(set(receiver.got))} events ({len(receiver.got)} requests)",
            flush=True,
        )
        expected_events = set(map(str, WebhookDelivery.objects.values_list("event_id", flat=True)))
        webhooks_ok = (
            WebhookDelivery.objects.count() == 3
            and expected_events == set(receiver.got)
            and not WebhookDelivery.objects.exclude(status="succeeded").exists()
        )
        api_ok = batch.status == "done" and batch.created_count == args.api and batch.failed_count == 0
        print(
            f"4. extraction caught up {caught_up_in:.1f}s after Redis came back: {Article.objects.count()} articles "
            f"done, {failed} failed, {stale} not extracted at their revision, {without_claims} without claims, "
            f"{duplicates} duplicated spans, {Claim.objects.count()} claims, extractor versions {len(versions)}"
        )
        ok = (
            failed == 0
            and stale == 0
            and without_claims == 0
            and duplicates == 0
            and len(versions) == 1
            and webhooks_ok
            and api_ok
        )
        print("nothing lost" if ok else "FAILED: something was lost or duplicated")
        return 0 if ok else 1
    except AssertionError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        for proc in procs:
            stop(proc)
        if redis is not None and redis.poll() is None:
            redis.kill()
        if database_url.startswith("postgres"):
            import psycopg

            if "django.db" in sys.modules:
                sys.modules["django.db"].connections.close_all()
            with psycopg.connect(database_url, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DRILL_DB} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
