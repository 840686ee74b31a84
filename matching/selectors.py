"""Reads for cross-linking: a group's differences between outlets, the verdict every mention
shows, export extras (group, verdict, sources), suggestions for editors, and the search of past
fact-checks. Each read makes a fixed number of queries."""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
from datetime import date
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet

from factcheck.claimreview import mention_is_confirmed
from factcheck.models import Claim, ClaimGroup, Evidence, Verdict

from .differences import Mention, group_differences_compute
from .models import ClaimSignature, MatchSuggestion, PastFactCheck

# --- verdicts on every mention ------------------------------------------------------------------


def _published(group: ClaimGroup | None) -> Verdict | None:
    """The group's published verdict, from prefetched `verdicts` when there are."""
    if group is None:
        return None
    cache = getattr(group, "_prefetched_objects_cache", {})
    verdicts = cache["verdicts"] if "verdicts" in cache else group.verdicts.select_related("rating")
    for verdict in verdicts:
        if verdict.status == Verdict.Status.PUBLISHED:
            return verdict
    return None


def claims_with_group_data(queryset: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """Claims with their group, its verdicts (rating) and evidence (source) prefetched: what
    `claim_verdict` and `claim_export_extra` read, in a fixed number of queries."""
    queryset = Claim.objects.all() if queryset is None else queryset
    return queryset.select_related("group").prefetch_related(
        Prefetch("group__verdicts", queryset=Verdict.objects.select_related("rating").order_by("-published_at", "-id")),
        Prefetch("group__evidence", queryset=Evidence.objects.select_related("source").order_by("created_at", "id")),
    )


def claim_verdict(claim: Claim) -> Verdict | None:
    """The published verdict shown on this mention: the verdict of its claim group."""
    return _published(claim.group) if claim.group_id else None


def claim_export_extra(claim: Claim) -> dict:
    """Group id, verdict and sources of a claim for export_claims and the API. Use on claims from
    `claims_with_group_data()` so that a list costs no query per claim."""
    group = claim.group if claim.group_id else None
    verdict = _published(group)
    sources = []
    if group is not None:
        cache = getattr(group, "_prefetched_objects_cache", {})
        evidence = cache["evidence"] if "evidence" in cache else group.evidence.select_related("source")
        for ev in evidence:
            sources.append(
                {
                    "url": ev.source.url,
                    "title": ev.source.title,
                    "publisher": ev.source.publisher,
                    "relation": ev.relation,
                    "quoted_passage": ev.quoted_passage,
                    "source_id": ev.source_id,
                }
            )
    return {
        "group_id": claim.group_id,
        "group_label": group.label if group is not None else None,
        "grouped_by": claim.grouped_by or None,
        "group_score": claim.group_score,
        "verdict": None
        if verdict is None
        else {
            "id": verdict.pk,
            "rating": verdict.rating.label if verdict.rating_id else None,
            "rating_value": verdict.rating.value if verdict.rating_id else None,
            "rationale": verdict.rationale,
            "published_at": verdict.published_at.isoformat() if verdict.published_at else None,
            # False on a machine-linked mention no person confirmed: only "possibly the same claim"
            "confirmed": mention_is_confirmed(claim),
        },
        "sources": sources,
    }


# --- how outlets differ -----------------------------------------------------------------------


def group_differences(group: ClaimGroup) -> dict:
    """Each outlet's version of the claim side by side, differences marked. Reads the group's
    mentions as prefetched (`group.claims.all()` with article and outlet) plus one query for the
    mentions' signatures."""
    claims = [c for c in group.claims.all() if c.status != Claim.Status.REJECTED]
    signatures = dict(
        ClaimSignature.objects.filter(claim_id__in=[c.pk for c in claims]).values_list("claim_id", "data")
    )
    mentions = []
    for claim in claims:
        article = claim.article
        outlet = article.outlet.name if article.outlet_id else ""
        mentions.append(
            Mention(
                claim_id=claim.pk,
                text=claim.exact,
                signature=signatures.get(claim.pk),
                outlet=outlet,
                extra={
                    "claim": claim,
                    "article": article,
                    "speaker": claim.speaker,
                    "grouped_by": claim.grouped_by,
                    "group_score": claim.group_score,
                },
            )
        )
    return group_differences_compute(mentions)


# --- suggestions ------------------------------------------------------------------------------


def match_suggestion_list(*, status: str | None = MatchSuggestion.Status.SUGGESTED) -> QuerySet[MatchSuggestion]:
    qs = MatchSuggestion.objects.select_related(
        "claim",
        "claim__article",
        "claim__article__outlet",
        "group",
        "target_claim",
        "target_claim__article",
        "target_claim__article__outlet",
        "decided_by",
    )
    qs = qs.defer("claim__article__body", "target_claim__article__body")
    return qs.filter(status=status) if status else qs


# --- previously checked ---------------------------------------------------------------------

_RANKER_LOCK = threading.Lock()
_RANKER: dict = {}


def _index_key() -> tuple:
    stamp = PastFactCheck.objects.aggregate(n=Max("id"), t=Max("imported_at"))
    return (
        PastFactCheck.objects.count(),
        stamp["n"],
        str(stamp["t"]),
        PastFactCheck.objects.filter(embedding="").count(),
    )


def _ranker():
    """The ranker over all past fact-checks, rebuilt only when the table changed (count, last id,
    last import, embedded rows). Kept in memory per process and on disk (var/index/), so a new
    process (each `manage.py previously_checked` run) loads it instead of rebuilding it. Uses the
    embeddings the importer stored; it never embeds the collection itself."""
    from .retrieval import WEIGHTS_PATH, FactCheckRanker
    from .semantic import vector_unpack

    key = _index_key()
    with _RANKER_LOCK:
        if _RANKER.get("key") == key:
            return _RANKER["ranker"], _RANKER["ids"]
        digest = hashlib.sha256(
            repr((key, WEIGHTS_PATH.stat().st_mtime_ns if WEIGHTS_PATH.exists() else 0)).encode()
        ).hexdigest()[:16]
        folder = Path(settings.VAR_DIR if hasattr(settings, "VAR_DIR") else settings.BASE_DIR / "var") / "index"
        path = folder / f"previously-checked-{digest}.pickle"
        if path.exists():
            with path.open("rb") as handle:
                ranker, ids = pickle.load(handle)  # written by this process type only, never from outside
        else:
            rows = list(
                PastFactCheck.objects.order_by("id").values("id", "claim_text", "title", "published", "embedding")
            )
            items = [{"claim": r["claim_text"], "title": r["title"], "date": r["published"]} for r in rows]
            vectors = np.zeros((len(rows), 384), dtype=np.float32)
            titles = np.zeros((len(rows), 384), dtype=np.float32)
            for i, r in enumerate(rows):
                if r["embedding"]:
                    claim_part, _, title_part = r["embedding"].partition(":")
                    vectors[i], titles[i] = vector_unpack(claim_part), vector_unpack(title_part)
            ranker, ids = FactCheckRanker(items, vectors=vectors, title_vectors=titles), [r["id"] for r in rows]
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob("previously-checked-*.pickle"):
                old.unlink(missing_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            with temporary.open("wb") as handle:
                pickle.dump((ranker, ids), handle, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(path)
        _RANKER.update(key=key, ranker=ranker, ids=ids)
        return ranker, ids


def previously_checked_search(*, text: str, when: date | None = None, limit: int = 5) -> list[dict]:
    """Past fact-checks that match `text`, best first, each with its score (0..1). `when` is used
    only when the caller passes it (the date is never guessed from the text). Embeds the one
    query (bounded: at most 128 tokens) with the sentence encoder loaded once per process."""
    from .retrieval import clean_query
    from .semantic import embed

    limit = max(1, min(int(limit), 50))
    if not text or not text.strip() or not PastFactCheck.objects.exists():
        return []
    ranker, ids = _ranker()
    hits = ranker.rank(text, limit=limit, when=when, query_vector=embed([clean_query(text)[:2000]])[0])
    rows = PastFactCheck.objects.in_bulk([ids[h.index] for h in hits])
    return [
        {"fact_check": rows[ids[h.index]], "score": round(h.score, 4), "rank": n}
        for n, h in enumerate(hits, 1)
        if ids[h.index] in rows
    ]


def previously_checked_for_claim(*, claim: Claim, limit: int = 5, use_date: bool = False) -> list[dict]:
    """Past fact-checks for a claim; with `use_date`, its article's publication date counts too."""
    published = claim.article.published_at if use_date else None
    return previously_checked_search(text=claim.exact, when=published.date() if published else None, limit=limit)
