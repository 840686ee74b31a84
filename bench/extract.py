"""Extraction benchmark: end-to-end (Celery task through the broker, spaCy, scoring, database
writes) over N articles with one worker process and with two, next to raw `nlp.pipe` over the
same texts with the same model, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres CELERY_BROKER_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python bench/extract.py [--n 200]

Texts: the seed articles in ../shared/seeds, repeated with a distinct closing line so that each
is a new article. Uses a fresh database `workbench_bench_extract` (PostgreSQL) or a temporary
SQLite file. Targets: one worker ≥ 0.9 of raw; two workers ≥ 1.8 × one worker (2 cores).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core per process, as a worker has


def texts(n: int) -> list[tuple[str, str]]:
    seeds = [p.read_text().split("\n", 1) for p in sorted(SEEDS.glob("*.txt"))]
    return [(f"{seeds[i % len(seeds)][0]} ({i})", f"{seeds[i % len(seeds)][1].strip()}\n\nBenchmark copy number {i}.")
            for i in range(n)]


def setup_env(tmp: Path) -> dict:
    env = {**os.environ, "WORKBENCH_VAR_DIR": str(tmp / "var"), "DJANGO_DEBUG": "false",
           "DJANGO_SETTINGS_MODULE": "workbench.settings.local", "WORKBENCH_EXTRACTION_BATCH_SIZE": "10"}
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS workbench_bench_extract")
            conn.execute("CREATE DATABASE workbench_bench_extract")
        env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/workbench_bench_extract"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        env = setup_env(Path(tmp_name))
        os.environ.update({k: env[k] for k in ("WORKBENCH_VAR_DIR", "DATABASE_URL", "DJANGO_SETTINGS_MODULE",
                                               "DJANGO_DEBUG", "WORKBENCH_EXTRACTION_BATCH_SIZE")})
        sys.path.insert(0, str(REPO))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from articles.formats import ImportRecord
        from articles.models import Article
        from factcheck.extraction.nlp import get_nlp
        from factcheck.models import Claim
        from factcheck.services.extraction import claims_extract_enqueue
        from workbench.celery import app

        docs = texts(args.n)
        words = sum(len(body.split()) for _, body in docs)
        print(f"{args.n} articles, {words} words; database: {env['DATABASE_URL'].split('@')[-1]}; "
              f"broker: {app.conf.broker_url.split('@')[-1]}")

        import spacy
        from django.conf import settings

        bodies = [body for _, body in docs]

        def pipe_rate(nlp) -> float:
            """Words per second of nlp.pipe over the texts; best of two runs (the baseline's best)."""
            best = 0.0
            for _ in range(2):
                started = time.perf_counter()
                for _ in nlp.pipe(bodies, batch_size=16):
                    pass
                best = max(best, words / (time.perf_counter() - started))
            return best

        raw = pipe_rate(spacy.load(settings.WORKBENCH["SPACY_MODEL"]))  # the model as shipped
        lean = pipe_rate(get_nlp())  # the worker's pipeline: unused components off, array attribute ruler

        from articles.services import articles_import, import_batch_create

        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge("extraction")
        records = [ImportRecord("bench", i, {"headline": h, "body": b}) for i, (h, b) in enumerate(docs)]
        articles_import(batch=import_batch_create(source_name="bench"), records=records)  # queues extraction
        ids = list(Article.objects.values_list("id", flat=True))
        with app.connection_for_write() as conn:  # queued again below, once the workers are ready
            conn.default_channel.queue_purge("extraction")

        def enqueue():
            Article.objects.update(extraction_status="pending", extraction_attempts=0)
            claims_extract_enqueue(article_ids=ids)

        def run_workers(processes: int, enqueue) -> float:
            """Start the workers, wait until each has loaded its models, then queue and time."""
            logs = [Path(tmp_name) / f"worker-{processes}-{i}.log" for i in range(processes)]
            workers = [subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "workbench", "worker", "-Q", "extraction", "-c", "1",
                 "-n", f"bench{i}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"],
                cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT) for i, log in enumerate(logs)]
            while not all(b"extraction models loaded" in log.read_bytes() for log in logs):
                if any(w.poll() is not None for w in workers):
                    sys.exit("a worker died: " + logs[0].read_text()[-2000:])
                time.sleep(0.1)
            started = time.perf_counter()
            enqueue()
            try:
                while Article.objects.filter(extraction_status="done").count() < len(ids):
                    if any(w.poll() is not None for w in workers):
                        sys.exit("a worker died")
                    time.sleep(0.1)
                return words / (time.perf_counter() - started)
            finally:
                for w in workers:
                    w.terminate()
                for w in workers:
                    w.wait()

        one = run_workers(1, enqueue)
        claims = Claim.objects.count()
        Claim.objects.all().delete()
        two = run_workers(2, enqueue)
        assert Claim.objects.count() == claims, "two workers must produce the same claims as one"

        print(f"{'run':<44}{'words/s':>10}{'ratio':>8}")
        print(f"{'raw nlp.pipe, the model as shipped':<44}{raw:>10.0f}{1.0:>8.2f}")
        print(f"{'nlp.pipe, the worker pipeline (no rules)':<44}{lean:>10.0f}{lean / raw:>8.2f}")
        print(f"{'end to end, 1 worker process':<44}{one:>10.0f}{one / raw:>8.2f}   "
              f"(target ≥ 0.9 of raw; {one / lean:.2f} of the worker pipeline alone)")
        print(f"{'end to end, 2 worker processes':<44}{two:>10.0f}{two / raw:>8.2f}   "
              f"({two / one:.2f} × one worker; target ≥ 1.8)")
        print(f"claims written: {claims} ({claims / args.n:.1f} per article)")
        print("timed from queueing to the last article done; workers had loaded their models before")


if __name__ == "__main__":
    main()
