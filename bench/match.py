"""Cost of linking one new article as the stored claims grow 10× and 100×.

    .venv/bin/python bench/match.py                 # 1,000 → 10,000 → 100,000 stored claims, + the seeds check
    .venv/bin/python bench/match.py --base 500      # smaller
    .venv/bin/python bench/match.py --no-seeds      # without the seeds check

Runs on a scratch SQLite database in a temporary folder unless DATABASE_URL is set (then it
must be an empty database of its own: the script creates and fills tables there). Stored claims
are synthetic: news-like sentences (templates parsed once with spaCy) whose names and numbers are
varied, so the index holds realistic, growing vocabularies. The new article has 20 claims, some
repeating stored claims. Printed per size: time to link the article (median of 3 new articles),
of which retrieval + scoring, SQL queries, and candidates scored per claim — next to the claim
count, which is the cost of comparing with every stored claim. Stored claims get the embedding of
their template plus a little noise (embedding 100,000 texts would take longer than the benchmark);
the new articles' claims are embedded for real.

The seeds check: the five seed articles (../shared/seeds) are imported, extracted and matched in
the empty database, then removed; after the store holds 100 × base claims they are imported and
matched again, and the two groupings are compared (claims identified by article and offsets).
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TEMPLATES = [
    "Actorzz signed an order banning new investment in Placezz on Monday.",
    "Actorzz has sent Numzz troops to Placezz, officials said.",
    "Actorzz recognized Placezz as an independent state.",
    "Officials said Actorzz would impose new sanctions on Placezz.",
    "Actorzz spoke with the leaders of Placezz by phone.",
    "Actorzz has amassed Numzz soldiers along the border with Placezz.",
    "“We will defend Placezz with every means we have,” Actorzz said.",
    "Actorzz denied that its forces had crossed into Placezz.",
    "The government of Placezz raised fuel prices by Numzz percent, Actorzz said.",
    "Actorzz announced Numzz new jobs at a plant in Placezz.",
    "Actorzz warned that an attack on Placezz would bring severe economic sanctions.",
    "Actorzz met the president of Placezz to discuss a ceasefire.",
]


def setup_django(db_url: str | None) -> None:
    if not db_url:
        folder = tempfile.mkdtemp(prefix="bench-match-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ["WORKBENCH_VAR_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings.local")
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def base_signatures() -> list[tuple[str, str, object]]:
    from matching import semantic
    from matching.signature import signatures_compute

    sigs = signatures_compute([(t, "") for t in TEMPLATES])
    vectors = semantic.embed(
        [
            t.replace("Actorzz", "The minister").replace("Placezz", "the province").replace("Numzz", "20,000")
            for t in TEMPLATES
        ]
    )
    return [(t, json.dumps(s), v) for t, s, v in zip(TEMPLATES, sigs, vectors)]


def noisy(vector, rng: random.Random):
    import numpy as np

    from matching import semantic

    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 0.02, vector.shape).astype("float32")
    out = vector + noise
    return semantic.vector_pack(out / np.linalg.norm(out))


def variant(template: str, sig_json: str, rng: random.Random, actors: int, places: int):
    actor, place, num = f"Actor{rng.randrange(actors)}", f"Place{rng.randrange(places)}", rng.randrange(10, 90) * 1000
    text = template.replace("Actorzz", actor).replace("Placezz", place).replace("Numzz", f"{num:,}")
    data = sig_json.replace("actorzz", actor.lower()).replace("Actorzz", actor).replace("placezz", place.lower())
    data = data.replace("Placezz", place).replace('"Numzz"', f'"{num:,}"')
    data = json.loads(data)
    for number in data["numbers"]:
        number["value"], number["text"] = float(num), f"{num:,}"
    return text, data


def grow(to: int, base, rng, state: dict) -> None:
    """Add synthetic stored claims (articles of 10 claims) until there are `to`."""
    from articles.models import Article
    from articles.outlets import outlet_get_or_create
    from factcheck.models import Claim
    from matching.linking import claim_terms, term_counts_update
    from matching.models import ClaimSignature, SignatureTerm
    from matching.signature import MATCHER_ID

    outlet = outlet_get_or_create(name="Bench outlet")
    while state["claims"] < to:
        n_articles = min(500, (to - state["claims"]) // 10)
        articles = Article.objects.bulk_create(
            [
                Article(
                    outlet=outlet,
                    headline=f"Bench {state['articles'] + i}",
                    body="x" * 2000,
                    content_hash=f"bench-{state['articles'] + i}",
                    extraction_status="done",
                )
                for i in range(n_articles)
            ]
        )
        state["articles"] += n_articles
        claims, datas = [], []
        actors, places = max(50, to // 40), max(50, to // 40)  # vocabularies grow with the store
        for article in articles:
            for k in range(10):
                template, sig, vector = base[rng.randrange(len(base))]
                text, data = variant(template, sig, rng, actors, places)
                data["emb"] = noisy(vector, rng)
                claims.append(Claim(article=article, start=k * 100, end=k * 100 + len(text), exact=text))
                datas.append(data)
        claims = Claim.objects.bulk_create(claims, batch_size=1000)
        ClaimSignature.objects.bulk_create(
            [
                ClaimSignature(claim_id=c.pk, article_id=c.article_id, matcher=MATCHER_ID, text_hash="bench", data=d)
                for c, d in zip(claims, datas)
            ],
            batch_size=1000,
        )
        rows = [
            SignatureTerm(term=t, claim_id=c.pk, article_id=c.article_id)
            for c, d in zip(claims, datas)
            for t in claim_terms(d)
        ]
        SignatureTerm.objects.bulk_create(rows, batch_size=5000)
        term_counts_update(added=[r.term for r in rows], removed=[])
        state["claims"] += len(claims)


def new_article(base, rng, stored: int, serial: int):
    from articles.models import Article
    from articles.outlets import outlet_get_or_create
    from factcheck.models import Claim

    outlet = outlet_get_or_create(name="New outlet")
    texts = []
    for _ in range(20):
        template, sig, _ = base[rng.randrange(len(base))]
        texts.append(variant(template, sig, rng, max(50, stored // 40), max(50, stored // 40))[0])
    body = "\n\n".join(texts)
    article = Article.objects.create(
        outlet=outlet,
        headline=f"New {serial}",
        body=body,
        content_hash=f"new-{stored}-{serial}",
        extraction_status="done",
    )
    pos = 0
    for text in texts:
        start = body.index(text, pos)
        Claim.objects.create(article=article, start=start, end=start + len(text), exact=text)
        pos = start + len(text)
    return article


def measure(base, rng, stored: int, serial: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from factcheck.models import Claim
    from matching import linking, services

    article = new_article(base, rng, stored, serial)
    claims = list(Claim.objects.filter(article=article))
    linking.claim_signatures_update(claims=claims)  # parsing and embedding the new claims: the same at every size
    scored = []
    original = linking.candidate_claim_ids

    def counting(**kwargs):
        ids = original(**kwargs)
        scored.append(len(ids))
        return ids

    linking.candidate_claim_ids = counting
    connection.queries_log.clear()
    try:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = services.claims_match(article_ids=[article.pk])
            elapsed = time.perf_counter() - started
    finally:
        linking.candidate_claim_ids = original
    return {
        "seconds": elapsed,
        "queries": len(queries),
        "scored": statistics.mean(scored) if scored else 0,
        "linked": len(result.linked) + len(result.suggested),
    }


SEEDS = REPO.parent / "shared" / "seeds"


def seeds_grouping(*, keep: bool) -> tuple[set, float]:
    """Import, extract and match the seed articles; their groups as sets of (article, start, end)."""
    from django.core.management import call_command

    from articles.models import Article
    from factcheck.models import Claim, ClaimGroup
    from factcheck.services.extraction import claims_extract
    from matching import services

    before = set(Article.objects.values_list("id", flat=True))
    call_command("import_articles", str(SEEDS), verbosity=0)
    ids = list(Article.objects.exclude(id__in=before).values_list("id", flat=True))
    Article.objects.filter(id__in=ids).update(extraction_status=Article.ExtractionStatus.PENDING)
    claims_extract(article_ids=ids)
    started = time.perf_counter()
    services.claims_match(article_ids=ids)
    elapsed = time.perf_counter() - started
    external = dict(Article.objects.filter(id__in=ids).values_list("id", "external_id"))
    groups: dict[int, set] = {}
    for claim in Claim.objects.filter(article_id__in=ids, group__isnull=False):
        groups.setdefault(claim.group_id, set()).add((external[claim.article_id], claim.start, claim.end))
    grouping = {frozenset(g) for g in groups.values() if len(g) > 1}
    if not keep:
        group_ids = set(groups)
        Article.objects.filter(id__in=ids).delete()
        ClaimGroup.objects.filter(id__in=group_ids, claims__isnull=True).delete()
    return grouping, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=int, default=1000, help="stored claims at the first size (then ×10, ×100)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-seeds", action="store_true", help="skip the seeds-among-100× check")
    args = parser.parse_args()
    setup_django(os.environ.get("DATABASE_URL"))
    import warnings

    from django.db import connection

    warnings.filterwarnings("ignore", message="Limit for query logging exceeded")

    rng = random.Random(args.seed)
    base = base_signatures()
    state = {"claims": 0, "articles": 0}
    if not args.no_seeds:
        alone, alone_seconds = seeds_grouping(keep=False)
    rows = []
    for factor in (1, 10, 100):
        target = args.base * factor
        started = time.perf_counter()
        grow(target, base, rng, state)
        built = time.perf_counter() - started
        runs = [measure(base, rng, target, serial) for serial in range(3)]
        best = sorted(runs, key=lambda r: r["seconds"])[1]
        rows.append((target, best, built))
        print(f"  {target:>9,} stored claims: filled in {built:.0f}s, linking measured", flush=True)
    print(f"\nLinking one new article of 20 claims ({connection.vendor}); median of 3 articles per size")
    print(
        f"{'stored claims':>14} {'× claims':>9} {'link time':>10} {'× time':>7} {'SQL queries':>12} "
        f"{'scored/claim':>13} {'links+sugg.':>12}"
    )
    first = rows[0][1]["seconds"]
    for target, run, _ in rows:
        print(
            f"{target:>14,} {target / rows[0][0]:>8.0f}× {run['seconds'] * 1000:>8.0f}ms {run['seconds'] / first:>6.2f}× "
            f"{run['queries']:>12} {run['scored']:>13.1f} {run['linked']:>12}"
        )
    print(
        "Retrieval reads the counts of at most QUERY_TERMS keys, then the postings of the keys held by at most "
        "POSTINGS_CAP claims; it compares at most CANDIDATES embeddings and re-ranks at most RERANK pairs, "
        "whatever the size."
    )
    if not args.no_seeds:
        among, among_seconds = seeds_grouping(keep=True)
        same = alone == among
        print(
            f"\nSeeds: {len(alone)} groups of 2+ mentions in an empty database (matched in {alone_seconds:.1f}s), "
            f"{len(among)} among {state['claims']:,} other claims (matched in {among_seconds:.1f}s): "
            f"{'the same groups' if same else 'DIFFERENT groups'}"
        )
        if not same:
            print(f"  only alone: {len(alone - among)}, only among others: {len(among - alone)}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
