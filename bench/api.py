"""REST API benchmark: the claim list endpoint (requests/s) over realistic data, next to a plain
Django view returning the same rows as JSON, in the same run on the same database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/api.py            # 10,000 articles, 200,000 claims
    .venv/bin/python bench/api.py --articles 1000 --claims 20000 --seconds 5                          # quick, SQLite

Data: a fresh database `workbench_bench_api` (created and dropped on the server named by
DATABASE_URL; a temporary SQLite file otherwise), filled with bulk_create. Requests go through
Django's full request cycle in-process (middleware, knox token authentication, throttling, DRF)
with the test client, so no network or server threads are measured, for both sides alike.

Scenarios (50 rows a page; random pages among the first 100):
- all claims, page numbers (the API counts the rows for `count`; the plain view does too);
- all claims, cursor paging (no count; the plain view pages by id the same way);
- the claims of one article (the annotation view's query).
Prints requests/s, the ratio API / plain view and the SQL queries per request.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
import types
from base64 import b64encode
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
PAGE = 50


def fresh_database(tmp: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS workbench_bench_api")
            conn.execute("CREATE DATABASE workbench_bench_api")
        return url.rsplit("/", 1)[0] + "/workbench_bench_api"
    return f"sqlite:///{tmp / 'bench-api.sqlite3'}"


def drop_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg
        from django.db import connections

        connections.close_all()
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS workbench_bench_api")


def setup_django(database_url: str, tmp: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "workbench.settings.local",
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "false",
            "DATABASE_CONN_MAX_AGE": "600",
            "WORKBENCH_VAR_DIR": str(tmp / "var"),
            "API_THROTTLE_USER": "100000000/min",
        }
    )
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def plain_urls():
    """The baseline: a plain Django view, the same rows and fields as the API, as JSON."""
    from django.core.paginator import Paginator
    from django.http import JsonResponse
    from django.urls import include, path

    from factcheck.models import Claim

    fields = [
        "id",
        "article_id",
        "start",
        "end",
        "exact",
        "prefix",
        "suffix",
        "sentence_start",
        "sentence_end",
        "anchor_status",
        "article_revision",
        "claim_type",
        "checkworthiness",
        "speaker",
        "speaker_role",
        "is_anonymous_source",
        "entities",
        "numbers",
        "origin",
        "extractor_name",
        "extractor_version",
        "edited",
        "status",
        "decided_by__username",
        "decided_at",
        "assigned_to__username",
        "group_id",
        "grouped_by",
        "group_score",
        "created_at",
        "updated_at",
        "version",
    ]

    def plain_claims(request):
        qs = Claim.objects.order_by("id").values(*fields)
        if "article" in request.GET:
            qs = qs.filter(article_id=int(request.GET["article"]))
        if "after" in request.GET:
            rows = list(qs.filter(id__gt=int(request.GET["after"]))[:PAGE])
            return JsonResponse({"next": rows[-1]["id"] if rows else None, "results": rows})
        page = Paginator(qs, PAGE).page(int(request.GET.get("page", 1)))
        return JsonResponse({"count": page.paginator.count, "results": list(page.object_list)})

    module = types.ModuleType("bench_api_urls")
    module.urlpatterns = [path("api/v1/", include("api.urls")), path("plain/claims/", plain_claims)]
    sys.modules["bench_api_urls"] = module


def generate(n_articles: int, n_claims: int) -> dict:
    from django.utils import timezone

    from accounts.roles import Role
    from accounts.services import roles_ensure, user_create
    from articles.models import Article, Outlet
    from articles.text import content_hash
    from factcheck.models import Claim

    roles_ensure()
    editor = user_create(username="bench-editor", password="bench-pass-123", role=Role.EDITOR)
    reader = user_create(username="bench-integration", password="bench-pass-123", role=Role.INTEGRATION)
    rng = random.Random(7)
    outlets = Outlet.objects.bulk_create(Outlet(name=f"Outlet {i}") for i in range(20))
    per_article = max(1, -(-n_claims // n_articles))
    sentence = "Officials said the project will cost {n} million euros and create {m} jobs by 2027. "
    articles = []
    for i in range(n_articles):
        body = "".join(sentence.format(n=rng.randint(1, 999), m=i * 1000 + k) for k in range(per_article))
        articles.append(
            Article(
                outlet=outlets[i % 20],
                headline=f"Article {i}",
                body=body,
                content_hash=content_hash(body),
                url=f"https://bench.example/{i}",
                normalized_url=f"bench.example/{i}",
                external_id=f"bench-{i}",
                published_at=timezone.now(),
                extraction_status="done",
            )
        )
    articles = Article.objects.bulk_create(articles, batch_size=2000)
    claims, now = [], timezone.now()
    types_ = [t for t, _ in Claim.Type.choices]
    for index in range(n_claims):
        article = articles[index % n_articles]
        start, end = _sentence_spans(article.body)[index // n_articles]
        decided = rng.random() < 0.3
        claims.append(
            Claim(
                article=article,
                start=start,
                end=end,
                exact=article.body[start:end],
                prefix=article.body[max(0, start - 48) : start],
                suffix=article.body[end : end + 48],
                sentence_start=start,
                sentence_end=end,
                claim_type=rng.choice(types_),
                checkworthiness=round(rng.random(), 4),
                speaker=rng.choice(["Officials", "The minister", ""]),
                entities=[{"text": "Officials", "label": "ORG", "start": start, "end": start + 9}],
                numbers=[{"text": "2027", "value": 2027, "start": end - 5, "end": end - 1}],
                extractor_name="workbench-spacy",
                extractor_version="bench",
                status="accepted" if decided else "candidate",
                decided_by=editor if decided else None,
                decided_at=now if decided else None,
                assigned_to=editor if decided and rng.random() < 0.5 else None,
            )
        )
        if len(claims) == 5000:
            Claim.objects.bulk_create(claims)
            claims = []
    Claim.objects.bulk_create(claims)
    return {"reader": reader, "articles": [a.pk for a in articles]}


_SPAN_CACHE: dict[str, list[tuple[int, int]]] = {}


def _sentence_spans(body: str) -> list[tuple[int, int]]:
    if body not in _SPAN_CACHE:
        _SPAN_CACHE.clear()
        spans, start = [], 0
        while start < len(body):
            end = body.find(". ", start)
            end = len(body) if end < 0 else end + 1
            spans.append((start, end))
            start = end + 1
        _SPAN_CACHE[body] = spans
    return _SPAN_CACHE[body]


def measure(client, make_url, seconds: float, headers: dict) -> tuple[float, float, int]:
    """(requests/s, queries per request, requests) for `seconds` of requests to make_url(i)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(5):  # warm up
        assert client.get(make_url(i), **headers).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(make_url(1), **headers)
    assert response.status_code == 200 and len(json.loads(response.content)["results"]) > 0
    queries = len(ctx.captured_queries)
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        assert client.get(make_url(done), **headers).status_code == 200
        done += 1
    return done / (time.perf_counter() - started), queries, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="per scenario and side")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        setup_django(fresh_database(tmp), tmp)
        try:
            run(args)
        finally:
            drop_database()


def run(args) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import clear_url_caches
    from knox.models import AuthToken

    from factcheck.models import Claim

    call_command("migrate", verbosity=0)
    plain_urls()
    settings.ROOT_URLCONF = "bench_api_urls"
    clear_url_caches()
    started = time.perf_counter()
    data = generate(args.articles, args.claims)
    print(
        f"{args.articles} articles, {Claim.objects.count()} claims generated in {time.perf_counter() - started:.0f} s; "
        f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
    )
    _, token = AuthToken.objects.create(user=data["reader"])
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    client = Client()
    rng = random.Random(3)
    pages = [rng.randint(1, 100) for _ in range(100_000)]
    articles = [rng.choice(data["articles"]) for _ in range(100_000)]
    ids = list(Claim.objects.order_by("id").values_list("id", flat=True)[: 100 * PAGE : PAGE])
    cursor_after = [rng.choice(ids) for _ in range(100_000)]

    def api_cursor(i):  # DRF's cursor: base64 of "p=<last id seen>"
        position = urlencode({"p": cursor_after[i % len(cursor_after)]})
        return f"/api/v1/claims/?page_size={PAGE}&cursor={b64encode(position.encode()).decode()}"

    scenarios = [
        (
            "all claims, page numbers",
            lambda i: f"/api/v1/claims/?page_size={PAGE}&page={pages[i]}",
            lambda i: f"/plain/claims/?page={pages[i]}",
        ),
        ("all claims, cursor", api_cursor, lambda i: f"/plain/claims/?after={cursor_after[i % len(cursor_after)]}"),
        (
            "claims of one article",
            lambda i: f"/api/v1/claims/?article={articles[i]}&page_size={PAGE}",
            lambda i: f"/plain/claims/?article={articles[i]}",
        ),
    ]
    print(
        f"{'scenario':<28}{'API req/s':>11}{'plain req/s':>13}{'API/plain':>11}{'API queries':>13}{'plain queries':>15}"
    )
    for label, api_url, plain_url in scenarios:
        api_rate, api_queries, _ = measure(client, api_url, args.seconds, auth)
        plain_rate, plain_queries, _ = measure(client, plain_url, args.seconds, {})
        print(
            f"{label:<28}{api_rate:>11.0f}{plain_rate:>13.0f}{api_rate / plain_rate:>11.2f}{api_queries:>13}{plain_queries:>15}"
        )


if __name__ == "__main__":
    main()
