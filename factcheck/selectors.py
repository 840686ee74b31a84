"""Reads shared by the REST API and the web UI. Each returns a queryset (or object) with the
joins and prefetches its callers need, so that no page or endpoint makes a query per row."""

from typing import TypedDict

from django.db.models import Count, F, Prefetch, Q, QuerySet

from articles.models import Article, ImportBatch, Outlet
from factcheck.aliases import alias_normalize
from factcheck.models import Claim, ClaimGroup, Evidence, Person, PersonAlias, Rating, RatingScale, Source, Verdict


def outlet_list() -> QuerySet[Outlet]:
    return Outlet.objects.all()


def article_list() -> QuerySet[Article]:
    """Articles with their outlet; the body is deferred (list pages do not need it)."""
    return Article.objects.select_related("outlet").defer("body")


def article_detail() -> QuerySet[Article]:
    return Article.objects.select_related("outlet")


def import_batch_list() -> QuerySet[ImportBatch]:
    return ImportBatch.objects.select_related("default_outlet", "created_by")


def claim_list(*, with_article: bool = True) -> QuerySet[Claim]:
    """Claims with who decided and who is assigned; with their article and outlet (text deferred)
    unless `with_article=False` (the API lists article ids only)."""
    if not with_article:
        return Claim.objects.select_related("decided_by", "assigned_to", "person")
    return Claim.objects.select_related("article", "article__outlet", "decided_by", "assigned_to", "person").defer(
        "article__body"
    )


def _mentions() -> Prefetch:
    return Prefetch(
        "claims",
        queryset=Claim.objects.select_related("article", "article__outlet", "person")
        .defer("article__body")
        .order_by("article__published_at", "article_id", "start"),
    )


def group_list() -> QuerySet[ClaimGroup]:
    return ClaimGroup.objects.prefetch_related(_mentions())


def verdict_list() -> QuerySet[Verdict]:
    return Verdict.objects.select_related(
        "group", "reviewer", "approved_by", "published_by", "rating", "rating__scale"
    ).prefetch_related("contributors")


def source_list() -> QuerySet[Source]:
    return Source.objects.all()


def evidence_list() -> QuerySet[Evidence]:
    return Evidence.objects.select_related("source", "group", "added_by")


def rating_scale_list() -> QuerySet[RatingScale]:
    return RatingScale.objects.prefetch_related(Prefetch("ratings", queryset=Rating.objects.order_by("order")))


def verdicts_for_claimreview(*, include_superseded: bool = False) -> QuerySet[Verdict]:
    """Published verdicts with everything ClaimReview needs: the rating and its scale's ratings
    (best/worst), the group and its mentions with articles and outlets. Constant query count."""
    statuses = [Verdict.Status.PUBLISHED] + ([Verdict.Status.SUPERSEDED] if include_superseded else [])
    return (
        Verdict.objects.filter(status__in=statuses)
        .select_related("group", "rating", "rating__scale", "reviewer", "approved_by", "corrects")
        .prefetch_related(
            "contributors",
            Prefetch("rating__scale__ratings", queryset=Rating.objects.order_by("order")),
            Prefetch(
                "group__claims",
                queryset=Claim.objects.exclude(status=Claim.Status.REJECTED)
                .select_related("article", "article__outlet")
                .defer("article__body")
                .order_by("article__published_at", "article_id", "start"),
            ),
        )
        .order_by("-published_at", "-id")
    )


# --- double review: blind until both have submitted; agreement ---------------------------------


def _blind_candidate(verdict: Verdict) -> bool:
    """One of two independent reviews whose pair is not complete yet."""
    from factcheck.services.verdicts import double_review_required

    if verdict.corrects_id or verdict.peer_id:
        return False
    if verdict.agreement == Verdict.Agreement.AWAITING:
        return True
    return verdict.status == Verdict.Status.DRAFT and double_review_required(group=verdict.group, rating=verdict.rating)


def verdicts_blind_for(*, user, verdicts) -> set[int]:
    """Ids of the verdicts whose rating and rationale `user` may not see yet: under double review
    neither reviewer sees the other's until both have submitted. Their author always sees them; an
    editor sees them unless one of the open reviews on that claim is theirs. Reads `verdicts` (with
    group and rating scale loaded) and, when any is pending, one query for the user's own."""
    from accounts.roles import user_can

    pending = [v for v in verdicts if _blind_candidate(v)]
    if not pending or not getattr(user, "is_authenticated", False):
        return {v.pk for v in pending}
    mine = set(
        Verdict.objects.filter(
            reviewer=user,
            group_id__in={v.group_id for v in pending},
            peer__isnull=True,
            corrects__isnull=True,
            status__in=[Verdict.Status.DRAFT, Verdict.Status.SUBMITTED],
        ).values_list("group_id", flat=True)
    )
    may_approve = user_can(user, "verdict.approve")
    return {v.pk for v in pending if v.reviewer_id != user.pk and (not may_approve or v.group_id in mine)}


def review_pairs(*, since=None, until=None) -> QuerySet[Verdict]:
    """Completed pairs of independent reviews (each pair once: the first submitted), submitted in
    [since, until] (dates)."""
    qs = Verdict.objects.filter(peer__isnull=False, peer_id__gt=F("id")).select_related(
        "rating", "reviewer", "peer", "peer__rating", "peer__reviewer"
    )
    if since:
        qs = qs.filter(peer__submitted_at__date__gte=since)
    if until:
        qs = qs.filter(peer__submitted_at__date__lte=until)
    return qs.order_by("id")


def review_agreement(*, since=None, until=None) -> dict:
    """How often two independent reviewers agree: Cohen's kappa (scikit-learn) and raw agreement,
    per reviewer pair and overall, over the pairs completed in the period (kappa None where it is
    undefined: every rating the same); and the claims escalated now. Two queries."""
    import math
    import warnings

    from sklearn.metrics import cohen_kappa_score

    def summary(a: list, b: list) -> dict:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kappa = float(cohen_kappa_score(a, b)) if a else math.nan
        agree = sum(x == y for x, y in zip(a, b))
        return {
            "n": len(a),
            "agreed": agree,
            "percent": round(100 * agree / len(a)) if a else None,
            "kappa": None if math.isnan(kappa) else round(kappa, 3),
        }

    per_pair: dict[tuple[str, str], tuple[list, list]] = {}
    first: list[str] = []
    second: list[str] = []
    for v in review_pairs(since=since, until=until):
        assert v.peer is not None and v.rating is not None and v.peer.rating is not None  # review_pairs' filter
        mine = (v.reviewer.get_username(), v.rating.label)
        theirs = (v.peer.reviewer.get_username(), v.peer.rating.label)
        a, b = (mine, theirs) if mine[0] <= theirs[0] else (theirs, mine)
        left, right = per_pair.setdefault((a[0], b[0]), ([], []))
        left.append(a[1])
        right.append(b[1])
        first.append(mine[1])
        second.append(theirs[1])
    escalated = list(
        Verdict.objects.filter(
            status=Verdict.Status.SUBMITTED, agreement=Verdict.Agreement.ESCALATED, peer_id__gt=F("id")
        )
        .select_related("group")
        .order_by("submitted_at")[:20]
    )
    return {
        "pairs": [{"reviewers": key, **summary(*labels)} for key, labels in sorted(per_pair.items())],
        "overall": summary(first, second),
        "since": since,
        "until": until,
        "escalated": escalated,
    }


# --- people ---------------------------------------------------------------------------------


def person_alias_q(value: str, *, field: str = "id") -> Q:
    """People (`field` holding their id) with an alias containing `value`, compared normalised
    (case, accents, punctuation folded); no condition for a value without letters or digits."""
    key = alias_normalize(value)
    if not key:
        return Q()
    return Q(**{f"{field}__in": PersonAlias.objects.filter(normalized__contains=key).values("person_id")})


def speaker_q(value: str, *, prefix: str = "") -> Q:
    """Claims whose speaker is `value`: the words of the article, or any alias of their person
    (so a search for one spelling finds the mentions spelled another way). `prefix` reads it from
    a related model ("claims__")."""
    by_alias = person_alias_q(value, field=f"{prefix}person_id")
    words = Q(**{f"{prefix}speaker__icontains": value})
    return words | by_alias if by_alias else words


def people_with_aliases() -> QuerySet[Person]:
    """People with their aliases (by text) and number of mentions (`mentions`)."""
    return Person.objects.annotate(mentions=Count("claims")).prefetch_related(
        Prefetch("aliases", queryset=PersonAlias.objects.order_by("text"))
    )


def person_list(*, q: str = "") -> QuerySet[Person]:
    """People not merged away, with their aliases and number of mentions; `q` matches any alias."""
    people = people_with_aliases().filter(merged_into__isnull=True)
    return people.filter(person_alias_q(q)).order_by("name", "id")


def person_detail() -> QuerySet[Person]:
    return Person.objects.select_related("merged_into", "merged_by").prefetch_related(
        Prefetch("aliases", queryset=PersonAlias.objects.order_by("text"))
    )


def person_mentions(*, person: Person) -> QuerySet[Claim]:
    """What the person said, across outlets: claims with their article and outlet, newest article first."""
    return (
        Claim.objects.filter(person=person)
        .select_related("article__outlet")
        .defer("article__body")
        .order_by(F("article__published_at").desc(nulls_last=True), "article_id", "start")
    )


class RoleCount(TypedDict):
    speaker_role: str
    mentions: int


def person_roles(*, person: Person) -> list[RoleCount]:
    """The roles the articles gave the person ("the foreign minister"), most used first."""
    return list(
        Claim.objects.filter(person=person)
        .exclude(speaker_role="")
        .values("speaker_role")
        .annotate(mentions=Count("id"))
        .order_by("-mentions", "speaker_role")
    )
