"""Reads of the public pages. Only published (and, marked as such, superseded) verdicts; nothing
else of the newsroom's work is ever read here. Each read costs a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from factcheck.claimreview import mention_is_confirmed
from factcheck.models import Evidence, Verdict
from factcheck.selectors import verdicts_for_claimreview

PUBLIC_STATUSES = (Verdict.Status.PUBLISHED, Verdict.Status.SUPERSEDED)


def factcheck_list() -> QuerySet[Verdict]:
    """Published verdicts, newest first, with their claim (statement) and rating."""
    return (
        Verdict.objects.filter(status=Verdict.Status.PUBLISHED)
        .select_related("group", "rating", "corrects")
        .order_by("-published_at", "-id")
    )


def factcheck_feed_items(*, limit: int = 50) -> list[Verdict]:
    return list(factcheck_list()[:limit])


def factcheck_page(*, group_id: int, verdict_id: int | None = None) -> dict | None:
    """What a public fact-check page shows: the verdict (the claim's published one, or a superseded
    one by id) with everything ClaimReview needs, the confirmed mentions, the evidence and the
    correction history. None when there is no such public verdict. Five queries."""
    verdicts = (
        verdicts_for_claimreview(include_superseded=True)
        .filter(group_id=group_id)
        .prefetch_related(
            Prefetch("group__evidence", queryset=Evidence.objects.select_related("source").order_by("created_at", "id"))
        )
    )
    if verdict_id is None:
        verdict = verdicts.filter(status=Verdict.Status.PUBLISHED).first()
    else:
        verdict = verdicts.filter(pk=verdict_id, status=Verdict.Status.SUPERSEDED).first()
    if verdict is None:
        return None
    history = list(
        Verdict.objects.filter(group_id=group_id, status__in=PUBLIC_STATUSES)
        .select_related("rating")
        .order_by("published_at", "id")
    )
    mentions = [c for c in verdict.group.claims.all() if mention_is_confirmed(c)]
    current = next((v for v in history if v.status == Verdict.Status.PUBLISHED), None)
    return {
        "verdict": verdict,
        "group": verdict.group,
        "mentions": mentions,
        "speakers": list(dict.fromkeys(c.speaker for c in mentions if c.speaker)),
        "evidence": list(verdict.group.evidence.all()),
        "history": history,
        "current": current,
        "superseded_by": next((v for v in history if v.corrects_id == verdict.pk), None),
    }
