"""Feed drill: what a new user does, end to end, with a real Celery worker and beat. A news site on
127.0.0.1 (tests/feeds/site.py: RSS 2.0 with ten entries — good pages with page furniture, a
redirect, a slow page, a huge page, a 404, a PDF, a page robots.txt forbids, Latin-1 pages) is
followed with `manage.py add_feed`; then one article changes on the site and is fetched again.

    .venv/bin/python bench/drill_feeds.py                     # SQLite + filesystem broker
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres CELERY_BROKER_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python bench/drill_feeds.py

Uses a fresh database (`workbench_feed_drill_<pid>` on the PostgreSQL server of DATABASE_URL, dropped
afterwards, or a temporary SQLite file), WORKBENCH_OUTBOUND_ALLOW=127.0.0.1 (the site is on
loopback, which is otherwise refused) and a 2-second feeds sweep. Steps, each checked (exit 1 on
any failure):
1. `add_feed URL --outlet "Harbour Herald"`: the worker polls it, fetches every entry's page;
   the five good pages become articles with outlet, date and byline and without page furniture,
   they are extracted and in the work queue; each bad page is recorded with its reason and none
   holds up the others;
2. an editor accepts the claim "We have waited twenty years for this" (the endpoints the article
   view uses: accept the extractor's candidate, or mark it if there is none);
3. the article changes on the site (a correction note added, a figure changed, a paragraph cut);
   `refetch_articles --article ID` queues it; the worker makes revision 2, and the claim is still
   on the same words.
Prints how long each step took.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from load import PYTHON, REPO, spawn, stop, wait_until

DRILL_DB = f"workbench_feed_drill_{os.getpid()}"  # per process: several drills may share one server
FURNITURE = [
    "Read More",
    "Share on",
    "Comments are closed",
    "newsletter",
    "All rights reserved",
    "Cookie settings",
    "Ferry timetable",
]
QUOTE = "We have waited twenty years for this"


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="workbench-feed-drill-"))
    database_url = os.environ.get("DATABASE_URL", "")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CACHE_URL")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "workbench.settings.local",
            "DJANGO_DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "WORKBENCH_VAR_DIR": str(tmp),
            "WORKBENCH_OUTBOUND_ALLOW": "127.0.0.1",
            "WORKBENCH_FEEDS_SWEEP_INTERVAL": "2",
            "WORKBENCH_SWEEP_INTERVAL": "5",
            "WORKBENCH_FEEDS_TIMEOUT": "2",
            "WORKBENCH_FEEDS_HOST_DELAY": "0.2",
            "WORKBENCH_FEEDS_MAX_PAGE_BYTES": "200000",
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
    from tests.feeds.site import NewsSite

    site = NewsSite().__enter__()
    try:
        subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=REPO, env=env, check=True)
        import django

        django.setup()
        from django.db import connections
        from django.test import Client

        from accounts.roles import Role
        from accounts.services import user_create
        from articles.models import Article
        from factcheck.models import Claim
        from feeds.models import ArticlePage, Feed

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
        wait_until(
            lambda: b"extraction models loaded" in (tmp / "worker.log").read_bytes(), 180, "the worker", interval=0.2
        )

        began = time.monotonic()
        done = subprocess.run(
            [PYTHON, "manage.py", "add_feed", site.url("/rss.xml"), "--outlet", "Harbour Herald"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, f"add_feed failed: {done.stderr.strip()}"
        print(f"1. {done.stdout.strip()}", flush=True)

        def settled():
            connections.close_all()
            pages = ArticlePage.objects.filter(feed__url=site.url("/rss.xml"))
            final = pages.exclude(status__in=["pending", "fetching"]).count()
            retrying = pages.filter(status="pending").exclude(error="").count()
            extracted = Article.objects.filter(extraction_status="done").count()
            return pages.count() == 10 and final + retrying == 10 and extracted == 5

        wait_until(settled, 240, "the feed's pages to be fetched and the articles extracted", interval=0.5)
        feed = Feed.objects.get(url=site.url("/rss.xml"))
        pages = {p.url.removeprefix(site.base): p for p in ArticlePage.objects.filter(feed=feed)}
        articles = list(Article.objects.select_related("outlet"))
        print(
            f"   polled ({feed.get_last_status_display()}, {feed.last_new_entries} new entries); "
            f"{len(articles)} articles extracted with {Claim.objects.count()} candidate claims "
            f"{time.monotonic() - began:.1f}s after add_feed",
            flush=True,
        )
        for article in articles:
            problems = [w for w in FURNITURE if w in article.body]
            print(
                f"   - {article.headline!r}: {article.outlet.name}, {article.byline}, "
                f"{article.published_at:%Y-%m-%d %H:%M}, {len(article.body)} chars"
                + (f", FURNITURE {problems}" if problems else ""),
                flush=True,
            )
            assert article.outlet.name == "Harbour Herald" and article.byline and article.published_at, article.headline
            assert not problems, f"page furniture in {article.headline!r}: {problems}"
        for path in ("/news/slow", "/news/huge", "/news/missing", "/news/report.pdf", "/private/secret"):
            print(f"   - {path}: {pages[path].get_status_display()}: {pages[path].error}", flush=True)
            assert pages[path].error, f"{path} has no reason"
        editor = user_create(username="drill-editor", password="drill-pass-123", role=Role.EDITOR)
        client = Client()
        client.force_login(editor)
        queue = client.get("/").content.decode()  # the work queue lists articles with undecided candidates
        with_candidates = [a for a in articles if a.claims.filter(status="candidate").exists()]
        missing = [a.headline for a in with_candidates if a.headline not in queue]
        assert len(with_candidates) >= 3 and not missing, f"not in the work queue: {missing}"
        feeds_page = client.get("/feeds/").content.decode()
        assert "response too large" in feeds_page and "disallowed by the site" in feeds_page
        print(
            f"   the {len(with_candidates)} with candidate claims are in the work queue; the feeds page lists the "
            "failures",
            flush=True,
        )

        harbour = Article.objects.get(url=site.url("/news/harbour-plan"))
        start = harbour.body.index(QUOTE)
        existing = Claim.objects.filter(article=harbour, start=start, end=start + len(QUOTE)).first()
        if existing is not None:  # the extractor proposed it: accept it, as in the article view
            response = client.post(
                f"/claims/{existing.pk}/accept/", {"version": existing.version}, HTTP_ACCEPT="application/json"
            )
            assert response.status_code == 200, response.content[:300]
            claim = Claim.objects.get(pk=existing.pk)
        else:  # mark it
            response = client.post(
                "/claims/new/",
                {"article": harbour.pk, "start": start, "end": start + len(QUOTE), "exact": QUOTE},
                HTTP_ACCEPT="application/json",
            )
            assert response.status_code == 201, response.content[:300]
            claim = Claim.objects.get(pk=response.json()["claim"]["id"])
        assert claim.status == "accepted", claim.status
        print(f"2. editor accepted claim #{claim.pk} “{claim.exact}” at [{claim.start}, {claim.end})", flush=True)

        site.revise_harbour()
        began = time.monotonic()
        done = subprocess.run(
            [PYTHON, "manage.py", "refetch_articles", "--article", str(harbour.pk)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, f"refetch_articles failed: {done.stderr.strip()}"

        def revised():
            connections.close_all()
            article = Article.objects.get(pk=harbour.pk)
            return article.revision == 2 and article.extraction_status == "done"

        wait_until(revised, 180, "revision 2 to be fetched and extracted", interval=0.5)
        harbour.refresh_from_db()
        claim.refresh_from_db()
        same = harbour.body[claim.start : claim.end] == QUOTE and claim.anchor_status == "ok"
        print(
            f"3. {done.stdout.strip()} → revision {harbour.revision} in {time.monotonic() - began:.1f}s; "
            f"claim #{claim.pk} now at [{claim.start}, {claim.end}) ({claim.get_anchor_status_display()}): "
            f"{'the same words' if same else 'MOVED OFF ITS WORDS'}",
            flush=True,
        )
        assert same, "the claim is not on the same words after the revision"
        page = client.get(f"/articles/{harbour.pk}/").content.decode()
        assert "Changes from revision 1 to 2" in page and "<ins>" in page
        print("feed drill passed")
        return 0
    except AssertionError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        for proc in procs:
            stop(proc)
        site.__exit__(None, None, None)
        if database_url.startswith("postgres"):
            import psycopg

            if "django.db" in sys.modules:
                sys.modules["django.db"].connections.close_all()
            with psycopg.connect(database_url, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DRILL_DB} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
