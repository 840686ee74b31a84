"""Extraction benchmark: end-to-end (Celery task through the broker, spaCy, scoring, database
writes) with one worker process and with two, next to raw `nlp.pipe` over the same texts with
the same model, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres CELERY_BROKER_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python bench/extract.py [--n 200] [--chunk 20]

Texts: the seed articles in ../shared/seeds, repeated with a distinct closing line so that each
is a new article; 2 × N articles are imported (N for one worker, N for two), into a fresh
database `workbench_bench_extract` (PostgreSQL) or a temporary SQLite file.

Shared machines drift by ±20 % over seconds, so the runs are interleaved: in each round, one
chunk of texts goes through raw nlp.pipe (the model as shipped), through the worker's own
pipeline, through one worker (the second worker's consumer cancelled) and, as new articles,
through two workers. Figures are sums over the rounds, plus the median of the per-round ratios. The workers do not queue cross-linking
after extraction (bench/extract_app.py; bench/match.py measures matching). Targets, with the
transformer scoring every candidate: one worker ≥ 0.6 of raw; two workers ≥ 1.8 × one worker (or
the machine's own two-process ceiling, printed beside it). The check-worthiness scorer alone is
timed last, over the candidates the workers wrote, in this process (one ONNX thread).
"""

import argparse
import multiprocessing
import os
import statistics
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
    return [
        (f"{seeds[i % len(seeds)][0]} ({i})", f"{seeds[i % len(seeds)][1].strip()}\n\nBenchmark copy number {i}.")
        for i in range(n)
    ]


def pipe_process(model: str, own: bool, conn) -> None:
    """A bare spaCy process, nothing else loaded: the model as shipped, or (`own`) the worker's
    pipeline. Runs nlp.pipe over the texts it is sent and answers when done."""
    if own:
        from factcheck.extraction.nlp import get_nlp

        nlp = get_nlp(model)
    else:
        import spacy

        nlp = spacy.load(model)
    list(nlp.pipe(["Warm up. It said so."]))
    conn.send("ready")
    while (bodies := conn.recv()) is not None:
        for _ in nlp.pipe(bodies, batch_size=16):
            pass
        conn.send("done")


def setup_env(tmp: Path, chunk: int) -> dict:
    # Tasks of half a round: with two workers each takes one, as the two bare processes each take half.
    env = {
        **os.environ,
        "WORKBENCH_VAR_DIR": str(tmp / "var"),
        "DJANGO_DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "workbench.settings.local",
        "WORKBENCH_EXTRACTION_BATCH_SIZE": str((chunk + 1) // 2),
    }
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
    parser.add_argument("--n", type=int, default=200, help="articles per configuration")
    parser.add_argument("--chunk", type=int, default=20, help="articles per round")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        env = setup_env(Path(tmp_name), args.chunk)
        os.environ.update(
            {
                k: env[k]
                for k in (
                    "WORKBENCH_VAR_DIR",
                    "DATABASE_URL",
                    "DJANGO_SETTINGS_MODULE",
                    "DJANGO_DEBUG",
                    "WORKBENCH_EXTRACTION_BATCH_SIZE",
                )
            }
        )
        sys.path.insert(0, str(REPO))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from articles.formats import ImportRecord
        from articles.models import Article
        from articles.services import articles_import, import_batch_create
        from factcheck.models import Claim
        from factcheck.services.extraction import claims_extract_enqueue
        from workbench.celery import app

        docs = texts(2 * args.n)
        words = sum(len(body.split()) for _, body in docs[: args.n])
        print(
            f"{args.n} articles ({words} words) per configuration, rounds of {args.chunk}; "
            f"database: {env['DATABASE_URL'].split('@')[-1]}; broker: {app.conf.broker_url.split('@')[-1]}"
        )

        def purge():
            with app.connection_for_write() as conn:
                conn.default_channel.queue_purge("extraction")

        purge()
        records = [ImportRecord("bench", i, {"headline": h, "body": b}) for i, (h, b) in enumerate(docs)]
        articles_import(batch=import_batch_create(source_name="bench"), records=records)  # queues extraction
        purge()  # queued again below, chunk by chunk, once the workers are ready
        ids = list(Article.objects.order_by("id").values_list("id", flat=True))
        Article.objects.update(extraction_status="pending", extraction_attempts=0)

        # Bare processes, like the workers one per core: two with the model as shipped, one with the
        # worker's own pipeline (unused components off, attribute ruler and lemmatizer over arrays).
        model = settings.WORKBENCH["SPACY_MODEL"]
        spawn = multiprocessing.get_context("spawn")
        pipes = [spawn.Pipe() for _ in range(3)]
        bare = [
            spawn.Process(target=pipe_process, args=(model, own, child), daemon=True)
            for (_, child), own in zip(pipes, (False, False, True))
        ]
        for process in bare:
            process.start()

        def answer(process: int) -> None:
            while not pipes[process][0].poll(0.5):
                if not bare[process].is_alive():
                    sys.exit("a spaCy process died (its traceback is above)")
            pipes[process][0].recv()

        for process in range(len(bare)):
            answer(process)

        names = [f"bench{i}@{os.uname().nodename}" for i in range(2)]
        logs = [Path(tmp_name) / f"worker-{i}.log" for i in range(2)]
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "bench.extract_app",
                    "worker",
                    "-Q",
                    "extraction",
                    "-c",
                    "1",
                    "-n",
                    name,
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                    "-l",
                    "WARNING",
                ],
                cwd=REPO,
                env=env,
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
            )
            for name, log in zip(names, logs)
        ]

        def consume(on: bool) -> None:
            """Second worker: take tasks from the queue or not (Celery remote control)."""
            command = app.control.add_consumer if on else app.control.cancel_consumer
            replies = command("extraction", destination=[names[1]], reply=True, timeout=10)
            if not replies:
                sys.exit("the second worker did not answer a remote-control command")

        def timed_pipe(jobs: list[tuple[int, list[str]]]) -> float:
            """nlp.pipe in the given bare processes at once, each over its texts."""
            started = time.perf_counter()
            for process, bodies in jobs:
                pipes[process][0].send(bodies)
            for process, _ in jobs:
                answer(process)
            return time.perf_counter() - started

        def timed_extraction(chunk_ids) -> float:
            started = time.perf_counter()
            claims_extract_enqueue(article_ids=chunk_ids)
            while Article.objects.filter(id__in=chunk_ids, extraction_status="done").count() < len(chunk_ids):
                if any(w.poll() is not None for w in workers):
                    sys.exit("a worker died: " + logs[0].read_text()[-2000:] + logs[1].read_text()[-2000:])
                time.sleep(0.05)
            return time.perf_counter() - started

        totals = {"raw": 0.0, "raw2": 0.0, "lean": 0.0, "one": 0.0, "two": 0.0}
        rounds: list[dict[str, float]] = []
        try:
            while not all(b"extraction models loaded" in log.read_bytes() for log in logs):
                if any(w.poll() is not None for w in workers):
                    sys.exit("a worker died: " + logs[0].read_text()[-2000:])
                time.sleep(0.1)
            for start in range(0, args.n, args.chunk):
                chunk = range(start, min(start + args.chunk, args.n))
                bodies = [docs[i][1] for i in chunk]
                half = (len(bodies) + 1) // 2  # as the two workers split it: one task each (setup_env)
                times = {
                    "raw": timed_pipe([(0, bodies)]),
                    "raw2": timed_pipe([(0, bodies[:half]), (1, bodies[half:])]),
                    "lean": timed_pipe([(2, bodies)]),
                }
                consume(False)
                times["one"] = timed_extraction([ids[i] for i in chunk])
                consume(True)
                times["two"] = timed_extraction([ids[args.n + i] for i in chunk])
                rounds.append(times)
                for key, seconds in times.items():
                    totals[key] += seconds
                print(
                    f"  rounds done: {chunk.stop}/{args.n} articles; seconds so far: "
                    + ", ".join(f"{k} {v:.1f}" for k, v in totals.items()),
                    flush=True,
                )
        finally:
            for w in workers:
                w.terminate()
            for w in workers:
                w.wait()
            for (parent, _), process in zip(pipes, bare):
                if process.is_alive():
                    parent.send(None)
                    process.join(timeout=10)

        one_claims = Claim.objects.filter(article_id__in=ids[: args.n]).count()
        two_claims = Claim.objects.filter(article_id__in=ids[args.n :]).count()
        assert one_claims == two_claims, f"one worker wrote {one_claims} claims, two wrote {two_claims}"
        raw, raw2, lean_rate = words / totals["raw"], words / totals["raw2"], words / totals["lean"]
        one, two = words / totals["one"], words / totals["two"]

        def spread(values: list[float]) -> str:
            return f"median {statistics.median(values):.2f}, rounds {min(values):.2f}–{max(values):.2f}"

        print(f"{'run':<44}{'words/s':>10}{'ratio':>8}")
        print(f"{'raw nlp.pipe, the model as shipped':<44}{raw:>10.0f}{1.0:>8.2f}")
        print(
            f"{'raw nlp.pipe, 2 processes at once':<44}{raw2:>10.0f}{raw2 / raw:>8.2f}   "
            f"(what 2 processes gain on this machine)"
        )
        print(f"{'nlp.pipe, the worker pipeline (no rules)':<44}{lean_rate:>10.0f}{lean_rate / raw:>8.2f}")
        print(f"{'end to end, 1 worker process':<44}{one:>10.0f}{one / raw:>8.2f}   (target ≥ 0.6 of raw)")
        print(
            f"{'end to end, 2 worker processes':<44}{two:>10.0f}{two / raw:>8.2f}   "
            f"({two / one:.2f} × one worker; target ≥ 1.8; machine ceiling {raw2 / raw:.2f})"
        )
        print("per round (same texts, back to back):")
        print(f"  1 worker / raw:           {spread([r['raw'] / r['one'] for r in rounds])}")
        print(f"  1 worker / worker pipeline: {spread([r['lean'] / r['one'] for r in rounds])}")
        print(f"  2 workers / 1 worker:     {spread([r['one'] / r['two'] for r in rounds])}")
        print(f"  raw, 2 processes / 1:     {spread([r['raw'] / r['raw2'] for r in rounds])}")
        print(f"claims written: {one_claims} per configuration ({one_claims / args.n:.1f} per article)")
        print("each end-to-end figure is timed from queueing to the last article done, workers warm")
        scorer_speed(
            list(Claim.objects.filter(article_id__in=ids[: args.n]).values_list("exact", flat=True)), one_claims
        )


def scorer_speed(candidates: list[str], claims: int) -> None:
    """Sentences/s of the check-worthiness scorer alone over the candidates the workers wrote
    (one ONNX thread, as in a worker; each distinct text once, as the workers do)."""
    from factcheck import checkworthiness

    model = checkworthiness.load_model()
    checkworthiness.score_sentences(candidates[:64], model)  # warm up
    distinct = list(dict.fromkeys(candidates))
    started = time.perf_counter()
    checkworthiness.score_sentences(distinct, model)
    seconds = time.perf_counter() - started
    print(
        f"check-worthiness scorer alone ({model.version_tag}, {model.session.get_session_options().intra_op_num_threads} "
        f"thread): {len(distinct) / seconds:.0f} sentences/s over {len(distinct)} distinct candidates "
        f"({seconds:.1f} s)"
    )


if __name__ == "__main__":
    main()
