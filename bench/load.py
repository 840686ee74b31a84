"""Load test: concurrent editors reading and annotating while a bulk import and extraction run.

    .venv/bin/python bench/load.py                          # embedded defaults: SQLite + filesystem broker
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres CELERY_BROKER_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python bench/load.py --seconds 60         # PostgreSQL + Redis

What runs, all on 127.0.0.1 (nothing else is ever contacted):
- a fresh database: a new PostgreSQL database `workbench_load` on the server of DATABASE_URL (dropped
  afterwards), else a new SQLite file in a temporary WORKBENCH_VAR_DIR (with its filesystem broker);
- gunicorn (`--workers`, gthread) on a free port and one real Celery worker (queues default and
  extraction), both with DEBUG off; with Redis the cache (API throttling) is Redis too;
- seeding: users, one knox token per editor, the five real seed articles (../shared/seeds) and
  `--seed-articles` synthetic ones imported through the API, extracted by the worker;
- for `--seconds`: `--editors` threads, each signed in to the web UI (session + CSRF) and holding a
  token, in a loop: work queue page, article page, the article's claims through the API, the claim
  list, an article through the API, accept/reject a candidate (with its version), mark a new span
  as a claim; at the same time an importer posts `--bulk` synthetic articles to /api/v1/imports/
  (more than 100: the worker imports them, then extracts them) and, every 5 s, a small batch that
  is imported in the request.

Prints requests/s, p50/p95/max latency per kind, conflicts (409/412, expected when two people
edit the same claim; editors here work on separate articles, so there should be none) and errors
(any other non-2xx answer or failed connection). Then it checks nothing was lost: every decision
and claim the server confirmed is in the database as confirmed, and the bulk import created every
article. Exits 1 on any error or lost write. Loops are bounded by time and count.
"""

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
PYTHON = sys.executable
LOAD_DB = "workbench_load"

TOWNS = ["Harbourside", "Millbrook", "Eastvale", "Northgate", "Riverton", "Kingsford", "Ashby", "Westmere"]
TEMPLATES = [
    "The council of {town} approved a budget of {n} million euros on Tuesday, officials said.",
    "“We will build {m} new homes by 2028,” the mayor of {town} told reporters.",
    "Unemployment in {town} fell to {p} percent last year, according to the statistics office.",
    "A senior official said the new bridge would cut travel times by {p} percent.",
    "Critics argued that the plan could raise local taxes by {n} euros per household.",
    "The hospital treated {m} patients in March, up from {n} a year earlier.",
]


def synthetic_article(i: int, rng: random.Random, tag: str) -> dict:
    town = TOWNS[i % len(TOWNS)]
    sentences = [
        rng.choice(TEMPLATES).format(town=town, n=rng.randint(2, 900), m=rng.randint(100, 9000), p=rng.randint(2, 40))
        for _ in range(8)
    ]
    return {
        "external_id": f"{tag}-{i}",
        "url": f"https://load.example/{tag}/{i}",
        "outlet": f"Outlet {i % 7}",
        "headline": f"{town} story {tag}-{i}",
        "body": " ".join(sentences) + f" (Report {tag}-{i}.)",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.conflicts = 0

    def record(self, kind: str, seconds: float):
        with self.lock:
            self.latency[kind].append(seconds)

    def error(self, message: str):
        with self.lock:
            if len(self.errors) < 1000:
                self.errors.append(message)


# --- environment ------------------------------------------------------------------------------------


def prepare_environment(args, tmp: Path) -> tuple[dict, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "workbench.settings.local",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "load-test-secret-" + os.urandom(8).hex(),
            "WORKBENCH_VAR_DIR": str(tmp),
            "WORKBENCH_MEDIA_ROOT": str(tmp / "media"),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    database_url = os.environ.get("DATABASE_URL", "")
    broker_url = os.environ.get("CELERY_BROKER_URL", "")
    if database_url.startswith("postgres"):
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {LOAD_DB}")
            conn.execute(f"CREATE DATABASE {LOAD_DB}")
        env["DATABASE_URL"] = database_url.rsplit("/", 1)[0] + f"/{LOAD_DB}"
        label = "PostgreSQL"
    else:
        label = "SQLite"
    if broker_url.startswith("redis"):
        env["CELERY_BROKER_URL"] = broker_url
        env["CACHE_URL"] = broker_url.rsplit("/", 1)[0] + "/" + str(int(broker_url.rsplit("/", 1)[1] or 0) + 1)
        label += " + Redis"
    else:
        label += " + filesystem broker"
    return env, label


ORIGINAL_DATABASE_URL = os.environ.get("DATABASE_URL", "")


def drop_database(env: dict) -> None:
    url = ORIGINAL_DATABASE_URL
    if url.startswith("postgres"):
        import psycopg
        from django.db import connections

        connections.close_all()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {LOAD_DB} WITH (FORCE)")


def spawn(cmd: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(proc: subprocess.Popen | None) -> None:
    if proc and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def wait_until(predicate, timeout: float, what: str, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise SystemExit(f"timed out after {timeout:.0f}s waiting for {what}")


# --- the simulated people ------------------------------------------------------------------------------


class Editor(threading.Thread):
    def __init__(
        self,
        n: int,
        base: str,
        token: str,
        username: str,
        password: str,
        articles: list[dict],
        deadline: float,
        stats: Stats,
        max_requests: int,
    ):
        super().__init__(name=f"editor-{n}", daemon=True)
        import httpx

        self.n, self.base, self.username, self.password = n, base, username, password
        self.articles, self.deadline, self.stats, self.max_requests = articles, deadline, stats, max_requests
        self.rng = random.Random(n)
        # Idle keep-alive connections are dropped by the client (1 s) before gunicorn closes them
        # (--keep-alive 5 s), so a request never races a server-side close.
        limits = httpx.Limits(keepalive_expiry=1.0)
        self.web = httpx.Client(base_url=base, timeout=60, follow_redirects=False, limits=limits)
        self.api = httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Token {token}"}, limits=limits)
        self.decisions: dict[int, tuple[int, str]] = {}  # claim id -> (version, status) the server confirmed
        self.created: dict[int, tuple[int, int, int, str]] = {}  # claim id -> (article, start, end, exact)
        self.candidates: list[dict] = []

    def call(self, kind: str, client, method: str, url: str, ok=(200,), **kwargs):
        began = time.perf_counter()
        try:
            response = client.request(method, url, **kwargs)
        except Exception as exc:
            self.stats.error(f"{kind} {method} {url}: {type(exc).__name__}: {exc}")
            return None
        self.stats.record(kind, time.perf_counter() - began)
        if response.status_code in (409, 412):
            with self.stats.lock:
                self.stats.conflicts += 1
            return None
        if response.status_code not in ok:
            self.stats.error(f"{kind} {method} {url}: {response.status_code} {response.text[:300]}")
            return None
        return response

    def sign_in(self):
        self.web.get("/accounts/login/")
        response = self.web.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": self.password,
                "next": "/",
                "csrfmiddlewaretoken": self.web.cookies.get("csrftoken"),
            },
        )
        if response.status_code != 302:
            raise SystemExit(f"{self.username} could not sign in: {response.status_code}")

    def run(self):
        self.sign_in()
        actions = [
            (self.queue, 1),
            (self.article_page, 2),
            (self.article_claims, 2),
            (self.claim_list, 1),
            (self.article_api, 1),
            (self.decide, 2),
            (self.create_claim, 1),
        ]
        population = [a for a, w in actions for _ in range(w)]
        for _ in range(self.max_requests):
            if time.monotonic() >= self.deadline:
                break
            self.rng.choice(population)()

    def article(self) -> dict:
        return self.rng.choice(self.articles)

    def queue(self):
        self.call("web: work queue", self.web, "GET", "/")

    def article_page(self):
        self.call("web: article page", self.web, "GET", f"/articles/{self.article()['id']}/")

    def article_api(self):
        self.call("api: article", self.api, "GET", f"/api/v1/articles/{self.article()['id']}/")

    def claim_list(self):
        self.call(
            "api: claim list",
            self.api,
            "GET",
            "/api/v1/claims/",
            params={"status": "candidate", "page_size": 50, "page": self.rng.randint(1, 3)},
        )

    def article_claims(self):
        article = self.article()
        response = self.call(
            "api: article claims",
            self.api,
            "GET",
            "/api/v1/claims/",
            params={"article": article["id"], "page_size": 200},
        )
        if response is not None:
            self.candidates = [c for c in response.json()["results"] if c["status"] == "candidate"]

    def decide(self):
        if not self.candidates:
            return self.article_claims()
        claim = self.candidates.pop(self.rng.randrange(len(self.candidates)))
        verb = self.rng.choice(["accept", "reject"])
        response = self.call(
            f"api: {verb}",
            self.api,
            "POST",
            f"/api/v1/claims/{claim['id']}/{verb}/",
            json={"version": claim["version"]},
        )
        if response is not None:
            body = response.json()
            self.decisions[body["id"]] = (body["version"], body["status"])

    def create_claim(self):
        article = self.article()
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", article["body"])]
        i = self.rng.randrange(1, max(2, len(words) - 6))
        start, end = words[i][0], words[min(len(words) - 1, i + self.rng.randint(2, 5))][1]
        if any(c[0] == article["id"] and c[1] == start and c[2] == end for c in self.created.values()):
            return
        exact = article["body"][start:end]
        response = self.call(
            "api: create claim",
            self.api,
            "POST",
            "/api/v1/claims/",
            ok=(201,),
            json={"article": article["id"], "start": start, "end": end, "exact": exact, "claim_type": "quantity"},
        )
        if response is not None:
            self.created[response.json()["id"]] = (article["id"], start, end, exact)


class Importer(threading.Thread):
    """The bulk import (worker-side, then extraction) and small in-request imports every 5 s."""

    def __init__(self, base: str, token: str, bulk: int, deadline: float, stats: Stats):
        super().__init__(name="importer", daemon=True)
        import httpx

        self.api = httpx.Client(
            base_url=base,
            timeout=120,
            headers={"Authorization": f"Token {token}"},
            limits=httpx.Limits(keepalive_expiry=1.0),
        )
        self.bulk, self.deadline, self.stats = bulk, deadline, stats
        self.bulk_batch: int | None = None
        self.small_created = 0
        self.rng = random.Random(99)

    def post(self, kind: str, articles: list[dict], ok: tuple) -> dict | None:
        began = time.perf_counter()
        try:
            response = self.api.post("/api/v1/imports/", json={"articles": articles, "source_name": kind})
        except Exception as exc:
            self.stats.error(f"{kind}: {type(exc).__name__}: {exc}")
            return None
        self.stats.record(kind, time.perf_counter() - began)
        if response.status_code not in ok:
            self.stats.error(f"{kind}: {response.status_code} {response.text[:300]}")
            return None
        return response.json()

    def run(self):
        body = self.post(
            "api: bulk import (queued)",
            [synthetic_article(i, self.rng, "bulk") for i in range(self.bulk)],
            ok=(202, 201),
        )
        if body:
            self.bulk_batch = body["id"]
        for round_ in range(10_000):
            if time.monotonic() + 5 >= self.deadline:
                break
            time.sleep(5)
            body = self.post(
                "api: import 10 (in request)",
                [synthetic_article(i, self.rng, f"small{round_}") for i in range(10)],
                ok=(201,),
            )
            if body:
                self.small_created += body["created_count"]
                if body["created_count"] != 10:
                    self.stats.error(
                        f"small import {round_}: {body['created_count']} created, errors {body['errors'][:3]}"
                    )


# --- main ---------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--editors", type=int, default=8)
    parser.add_argument("--bulk", type=int, default=300, help="articles in the bulk import")
    parser.add_argument("--seed-articles", type=int, default=40)
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn worker processes (4 threads each)")
    parser.add_argument("--drain", type=float, default=600, help="seconds to wait afterwards for import and extraction")
    parser.add_argument("--max-requests", type=int, default=100_000, help="per editor, a bound besides time")
    parser.add_argument(
        "--output", default=str(REPO / "artifacts" / "load.txt"), help="the report is also written here"
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="workbench-load-"))
    env, label = prepare_environment(args, tmp)
    os.environ.update(env)
    for key in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"):
        if key not in env:
            os.environ.pop(key, None)
    sys.path.insert(0, str(REPO))
    procs: list[subprocess.Popen] = []
    try:
        subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=REPO, env=env, check=True)
        import django

        django.setup()
        from django.db import connections
        from knox.models import AuthToken

        from accounts.roles import Role
        from accounts.services import roles_ensure, user_create
        from articles.models import Article, ImportBatch
        from factcheck.models import Claim
        from factcheck.services.ratings import rating_scale_ensure_default

        if env.get("CELERY_BROKER_URL", "").startswith("redis"):
            subprocess.run(
                [PYTHON, "-m", "celery", "-A", "workbench", "purge", "-f", "-Q", "default,extraction"],
                cwd=REPO,
                env=env,
                check=False,
                capture_output=True,
            )
        roles_ensure()
        rating_scale_ensure_default()
        password = "load-test-pass-" + os.urandom(4).hex()
        admin = user_create(username="load-admin", password=password, role=Role.ADMIN)
        editors = [
            user_create(username=f"load-editor-{i}", password=password, role=Role.EDITOR) for i in range(args.editors)
        ]
        tokens = {u.username: AuthToken.objects.create(user=u)[1] for u in [admin, *editors]}
        connections.close_all()

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        procs.append(
            spawn(
                [
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
                ],
                env,
                tmp / "worker.log",
            )
        )
        procs.append(
            spawn(
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "workbench.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(args.web_workers),
                    "--threads",
                    "4",
                    "--worker-class",
                    "gthread",
                    "--timeout",
                    "120",
                    "--keep-alive",
                    "5",
                    "--log-level",
                    "warning",
                ],
                env,
                tmp / "gunicorn.log",
            )
        )

        import httpx

        def up():
            try:
                return httpx.get(f"{base}/accounts/login/", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(up, 60, "gunicorn")
        admin_api = httpx.Client(base_url=base, timeout=120, headers={"Authorization": f"Token {tokens['load-admin']}"})
        rng = random.Random(1)
        seed = [synthetic_article(i, rng, "seed") for i in range(args.seed_articles)]
        if SEEDS.is_dir():
            for path in sorted(SEEDS.glob("*.txt")):
                headline, _, body = path.read_text(encoding="utf-8").partition("\n")
                seed.append({"external_id": path.stem, "headline": headline.strip(), "body": body, "outlet": "Seeds"})
        response = admin_api.post("/api/v1/imports/", json={"articles": seed[:100], "source_name": "load seed"})
        assert response.status_code == 201 and response.json()["created_count"] == len(seed[:100]), response.text[:500]
        print(f"[{label}] seeded {len(seed)} articles; waiting for their extraction (worker) ...", flush=True)
        wait_until(
            lambda: not Article.objects.exclude(extraction_status__in=["done", "failed"]).exists(),
            600,
            "extraction of the seed articles",
        )
        articles = list(Article.objects.values("id", "body").order_by("id"))
        candidates = Claim.objects.filter(status="candidate").count()
        print(
            f"[{label}] {len(articles)} articles, {candidates} candidate claims; load for {args.seconds:.0f}s with "
            f"{args.editors} editors + bulk import of {args.bulk} ...",
            flush=True,
        )
        connections.close_all()

        stats = Stats()
        began = time.monotonic()
        deadline = began + args.seconds
        people = [
            Editor(
                i,
                base,
                tokens[u.username],
                u.username,
                password,
                articles[i :: args.editors],
                deadline,
                stats,
                args.max_requests,
            )
            for i, u in enumerate(editors)
        ]
        importer = Importer(base, tokens["load-admin"], args.bulk, deadline, stats)
        for t in [importer, *people]:
            t.start()
        for t in [importer, *people]:
            t.join(timeout=args.seconds + 300)
        elapsed = time.monotonic() - began
        at_end = dict(
            Article.objects.values_list("extraction_status").annotate(n=django.db.models.Count("id")).order_by()
        )

        # --- drain: the bulk import and its extraction finish (bounded) ---------------------------------
        bulk_created = 0
        drained_in = None
        if importer.bulk_batch:
            wait_until(
                lambda: ImportBatch.objects.get(pk=importer.bulk_batch).status in ("done", "failed"),
                args.drain,
                "the bulk import",
            )
            batch = ImportBatch.objects.get(pk=importer.bulk_batch)
            bulk_created = batch.created_count
            if batch.status != "done" or batch.created_count != args.bulk:
                stats.error(
                    f"bulk import: {batch.status}, {batch.created_count} created, {batch.errors[:3]} {batch.message}"
                )
            wait_until(
                lambda: not Article.objects.exclude(extraction_status__in=["done", "failed"]).exists(),
                args.drain,
                "extraction of the imported articles",
                interval=1,
            )
            drained_in = time.monotonic() - began
        failed_extractions = Article.objects.filter(extraction_status="failed").count()
        if failed_extractions:
            stats.error(f"{failed_extractions} articles failed extraction")

        # --- nothing lost -------------------------------------------------------------------------------
        lost = []
        stored = {
            c["id"]: c for c in Claim.objects.values("id", "version", "status", "article_id", "start", "end", "exact")
        }
        for person in people:
            for claim_id, (version, status) in person.decisions.items():
                row = stored.get(claim_id)
                if not row or row["version"] < version or (row["version"] == version and row["status"] != status):
                    lost.append(f"decision on claim {claim_id}: server said v{version} {status}, stored {row}")
            for claim_id, (article_id, start, end, exact) in person.created.items():
                row = stored.get(claim_id)
                if not row or (row["article_id"], row["start"], row["end"], row["exact"]) != (
                    article_id,
                    start,
                    end,
                    exact,
                ):
                    lost.append(f"created claim {claim_id} missing or changed: {row}")

        # --- report -------------------------------------------------------------------------------------
        total = sum(len(v) for v in stats.latency.values())
        lines = [
            f"Load test on {label}: {args.editors} editors for {elapsed:.0f} s, gunicorn {args.web_workers}x4 threads, "
            f"1 Celery worker; bulk import of {args.bulk} articles + 10 every 5 s during the run",
            f"{'kind':32} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}",
        ]
        for kind in sorted(stats.latency):
            values = stats.latency[kind]
            lines.append(
                f"{kind:32} {len(values):8d} {percentile(values, 0.5) * 1000:8.0f} "
                f"{percentile(values, 0.95) * 1000:8.0f} {max(values) * 1000:8.0f}"
            )
        everything = [v for values in stats.latency.values() for v in values]
        lines.append(
            f"{'all':32} {total:8d} {percentile(everything, 0.5) * 1000:8.0f} "
            f"{percentile(everything, 0.95) * 1000:8.0f} {max(everything, default=0) * 1000:8.0f}"
        )
        decisions = sum(len(p.decisions) for p in people)
        created = sum(len(p.created) for p in people)
        lines += [
            f"throughput: {total / elapsed:.1f} requests/s; errors: {len(stats.errors)}; conflicts (409/412): "
            f"{stats.conflicts}; lost writes: {len(lost)}",
            f"writes confirmed: {decisions} decisions, {created} new claims; articles imported during the run: "
            f"{bulk_created} (bulk) + {importer.small_created} (in request)",
            f"extraction status at the end of the run: {at_end}; everything imported and extracted after "
            f"{drained_in:.0f} s"
            if drained_in
            else "bulk import did not start",
        ]
        report = "\n".join(lines)
        print(report)
        for message in stats.errors[:20] + lost[:20]:
            print("  !", message)
        if stats.errors:
            for log in ("gunicorn.log", "worker.log"):
                print(
                    f"--- last lines of {log}:\n"
                    + "\n".join((tmp / log).read_text(errors="replace").splitlines()[-30:])
                )
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report + "\n")
        return 1 if stats.errors or lost else 0
    finally:
        for proc in reversed(procs):
            stop(proc)
        try:
            drop_database(env)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
