"""Import benchmark: N synthetic articles (~700 words each) through the import service, next to a
raw bulk insert of the same rows, in the same run. Also runs the service at N/10 to show that
peak memory stays flat as N grows (records are streamed and written in chunks).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import_articles.py [--n 10000]

Each measurement runs in a fresh process against a fresh database `workbench_bench` (created and
dropped on the server named by DATABASE_URL; SQLite is used when DATABASE_URL is not set).
Prints articles/s and peak RSS for each, and the ratio service/baseline.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = (
    "council minister government percent million report officials said according election troops border "
    "sanctions agreement economy inflation budget court ruling vote parliament spokesman statement week "
    "investment trade analysts warned expected announced crisis region president security cost city"
).split()


def write_articles(path: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with path.open("w") as out:
        for i in range(n):
            paragraphs = []
            for _ in range(7):
                sentences = []
                for _ in range(5):
                    words = [rng.choice(WORDS) for _ in range(19)]
                    sentences.append(" ".join(words).capitalize() + f" {rng.randint(1, 10_000)}.")
                paragraphs.append(" ".join(sentences))
            out.write(
                json.dumps(
                    {
                        "external_id": f"bench-{i}",
                        "url": f"https://bench.example/{i}",
                        "outlet": f"Outlet {i % 20}",
                        "headline": f"Benchmark article {i}",
                        "body": "\n\n".join(paragraphs),
                        "published_at": "2026-04-12",
                    }
                )
                + "\n"
            )


def child(mode: str, path: str) -> None:
    """Runs in a fresh process: one measurement, printed as JSON."""
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from articles.models import Article, Outlet

    n = sum(1 for _ in open(path))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    if mode == "service":
        from articles.services import articles_import_paths

        batch = articles_import_paths(paths=[path])
        assert batch.created_count == n, (batch.created_count, batch.errors[:3])
    else:  # baseline: parse the same file and bulk insert the same rows, nothing else
        from articles.text import content_hash, normalize_url

        outlets = {}
        rows = []
        with open(path) as f:
            for line in f:
                d = json.loads(line)
                outlet = outlets.get(d["outlet"]) or outlets.setdefault(
                    d["outlet"], Outlet.objects.create(name=d["outlet"])
                )
                rows.append(
                    Article(
                        outlet=outlet,
                        external_id=d["external_id"],
                        url=d["url"],
                        normalized_url=normalize_url(d["url"]),
                        headline=d["headline"],
                        body=d["body"],
                        content_hash=content_hash(d["body"]),
                    )
                )
                if len(rows) == 1000:
                    Article.objects.bulk_create(rows)
                    rows = []
        Article.objects.bulk_create(rows)
    elapsed = time.perf_counter() - started
    assert Article.objects.count() == n
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "n": n,
                "seconds": elapsed,
                "rate": n / elapsed,
                "peak_rss_mb": peak / 1024,
                "rss_growth_mb": (peak - rss_before) / 1024,
            }
        )
    )


def run_child(mode: str, path: Path, env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)], env=env, capture_output=True, text=True, check=False
    )
    if out.returncode:
        sys.exit(f"{mode} run failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def fresh_database(env: dict, tmp: Path) -> dict:
    url = os.environ.get("DATABASE_URL", "")
    env = dict(env)
    if url.startswith("postgres"):
        import psycopg

        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS workbench_bench")
            conn.execute("CREATE DATABASE workbench_bench")
        env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/workbench_bench"
    else:
        db = tmp / f"bench-{time.monotonic_ns()}.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{db}"
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {
            **os.environ,
            "WORKBENCH_VAR_DIR": str(tmp / "var"),
            "WORKBENCH_IMPORT_MAX_FILE_BYTES": str(10**10),
            "DJANGO_DEBUG": "false",
            "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "filesystem://"),
        }
        big, small = tmp / "big.jsonl", tmp / "small.jsonl"
        write_articles(big, args.n)
        write_articles(small, max(1, args.n // 10))
        words = sum(len(json.loads(line)["body"].split()) for line in open(big)) / args.n
        print(
            f"{args.n} synthetic articles of ~{words:.0f} words; database: {os.environ.get('DATABASE_URL', 'SQLite')}"
        )
        results = {}
        for label, mode, path in [
            ("baseline bulk insert", "baseline", big),
            ("import service", "service", big),
            ("import service, N/10", "service", small),
        ]:
            results[label] = run_child(mode, path, fresh_database(env, tmp))
        print(f"{'run':<24}{'articles':>10}{'seconds':>10}{'articles/s':>12}{'peak RSS MB':>13}{'RSS growth MB':>15}")
        for label, r in results.items():
            print(
                f"{label:<24}{r['n']:>10}{r['seconds']:>10.1f}{r['rate']:>12.0f}{r['peak_rss_mb']:>13.0f}{r['rss_growth_mb']:>15.0f}"
            )
        ratio = results["import service"]["rate"] / results["baseline bulk insert"]["rate"]
        print(f"service / baseline rate: {ratio:.2f} (target ≥ 0.5)")
        growth = results["import service"]["peak_rss_mb"] - results["import service, N/10"]["peak_rss_mb"]
        print(f"peak RSS at N minus at N/10: {growth:+.0f} MB (flat memory: close to 0)")


if __name__ == "__main__":
    main()
