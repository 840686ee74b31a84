"""Search benchmark: the search page's ranked full-text search (web/search.py: PostgreSQL full-text
search with a GIN index, or SQLite FTS5) next to the naive baseline it replaced (icontains on
headline, text and byline, newest first; claims by icontains), on the same database, same queries.

    .venv/bin/python bench/search.py                                                    # 100,000 articles, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/search.py --articles 100000

Data: a fresh database (`workbench_bench_search` on the server of DATABASE_URL, else a temporary
SQLite file) with N articles made of shuffled sentences of the sample and seed articles (≈150
words each), 2 claims per article, 5 outlets. Each query runs --repeat times on each side; the
median is printed (ms), with the number of hits.
"""

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DB = "workbench_bench_search"
QUERIES = ["recognised", "minister said", "troops", "inflation rose", "economy", "president"]


def fresh_database(tmp: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB}")
            conn.execute(f"CREATE DATABASE {DB}")
        return url.rsplit("/", 1)[0] + f"/{DB}"
    return f"sqlite:///{tmp / 'bench-search.sqlite3'}"


def sentences() -> list[str]:
    found = []
    for folder in (REPO / "sample_data", REPO.parent / "shared" / "seeds"):
        for path in sorted(folder.glob("*.txt")) if folder.exists() else []:
            text = path.read_text(encoding="utf-8")
            found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if 40 < len(s.strip()) < 300]
    found += ["The treaty was recognised by the assembly.", "Officials said the state is recognized by 40 countries."]
    return found


def fill(n: int, rng: random.Random) -> None:
    from django.utils import timezone

    from articles.models import Article, Outlet
    from factcheck.models import Claim

    pool = sentences()
    outlets = [Outlet.objects.create(name=f"Outlet {i}") for i in range(5)]
    now = timezone.now()
    batch = 2000
    for offset in range(0, n, batch):
        articles = []
        for i in range(offset, min(n, offset + batch)):
            body = " ".join(rng.sample(pool, 8))
            articles.append(
                Article(
                    outlet=outlets[i % 5],
                    headline=rng.choice(pool)[:120],
                    body=body,
                    byline="Staff",
                    content_hash=f"{i:064x}",
                    external_id=f"b{i}",
                    published_at=now - timezone.timedelta(hours=i),
                )
            )
        Article.objects.bulk_create(articles)
        claims = []
        for article in articles:
            first = article.body.split(". ")[0]
            claims.append(Claim(article=article, start=0, end=len(first), exact=first, checkworthiness=rng.random()))
            tail = article.body[-60:]
            claims.append(
                Claim(
                    article=article,
                    start=len(article.body) - 60,
                    end=len(article.body),
                    exact=tail,
                    checkworthiness=rng.random(),
                )
            )
        Claim.objects.bulk_create(claims)
        print(f"\r  {min(n, offset + batch):,} articles", end="", flush=True)
    print()


def naive(q: str):
    """What the search page did before: icontains, newest first (web/selectors.py before this change)."""
    from django.db.models import Q

    from articles.models import Article
    from factcheck.models import Claim

    articles = list(
        Article.objects.filter(Q(headline__icontains=q) | Q(body__icontains=q) | Q(byline__icontains=q))
        .select_related("outlet")
        .defer("body")
        .order_by("-published_at", "-id")[:30]
    )
    claims = list(
        Claim.objects.filter(Q(exact__icontains=q) | Q(speaker__icontains=q))
        .exclude(status="rejected")
        .select_related("article__outlet")
        .defer("article__body")
        .order_by("-checkworthiness", "-id")[:60]
    )
    return articles, claims


def ranked(q: str):
    from web.search import search_run
    from web.selectors import search_scope

    articles, claims = search_scope()
    return search_run(q=q, articles=articles, claims=claims)


def timed(fn, q: str, repeat: int) -> tuple[float, int, int]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        articles, claims = fn(q)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(articles), len(claims)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        url = fresh_database(tmp)
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "workbench.settings.local",
                "DATABASE_URL": url,
                "DJANGO_DEBUG": "false",
                "WORKBENCH_VAR_DIR": str(tmp / "var"),
            }
        )
        sys.path.insert(0, str(REPO))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        fill(args.articles, random.Random(7))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE articles_article") if connection.get_autocommit() else None
        print(f"filled in {time.perf_counter() - started:.0f} s on {connection.vendor}")
        print(f"\n{args.articles:,} articles, {2 * args.articles:,} claims; median of {args.repeat} runs (ms)\n")
        print(
            "| query | ranked full-text (ms) | hits (articles/claims) | naive icontains (ms) | hits | naive / ranked |"
        )
        print("|---|---|---|---|---|---|")
        for q in QUERIES:
            ranked(q), naive(q)  # warm
            ours, a1, c1 = timed(ranked, q, args.repeat)
            base, a2, c2 = timed(naive, q, args.repeat)
            print(f"| {q} | {ours:.1f} | {a1}/{c1} | {base:.1f} | {a2}/{c2} | {base / ours:.1f}× |")
        connections.close_all()
        if url.startswith("postgres"):
            import psycopg

            with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
