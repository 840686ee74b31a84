"""Reads shared by the REST API and the web UI. Each returns a queryset (or object) with the
joins and prefetches its callers need, so that no page or endpoint makes a query per row."""

from django.db.models import Prefetch, QuerySet

from articles.models import Article, ImportBatch, Outlet
from factcheck.models import Claim, ClaimGroup, Evidence, Rating, RatingScale, Source, Verdict


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
        return Claim.objects.select_related("decided_by", "assigned_to")
    return Claim.objects.select_related("article", "article__outlet", "decided_by", "assigned_to").defer("article__body")


def claims_for_article(article: Article) -> QuerySet[Claim]:
    """The claims of one article in text order (for the annotation view)."""
    return (Claim.objects.filter(article=article).select_related("decided_by", "assigned_to", "group")
            .order_by("start", "end", "id"))


def _mentions() -> Prefetch:
    return Prefetch("claims", queryset=Claim.objects.select_related("article", "article__outlet")
                    .defer("article__body").order_by("article__published_at", "article_id", "start"))


def group_list() -> QuerySet[ClaimGroup]:
    return ClaimGroup.objects.prefetch_related(_mentions())


def group_with_mentions(group_id: int) -> ClaimGroup:
    """A claim group with its mentions (and their articles and outlets), evidence and verdicts."""
    return (ClaimGroup.objects.prefetch_related(
        _mentions(),
        Prefetch("evidence", queryset=Evidence.objects.select_related("source", "added_by")),
        Prefetch("verdicts", queryset=verdict_list()),
    ).get(pk=group_id))


def verdict_list() -> QuerySet[Verdict]:
    return (Verdict.objects.select_related("group", "reviewer", "approved_by", "published_by", "rating", "rating__scale")
            .prefetch_related("contributors"))


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
    return (Verdict.objects.filter(status__in=statuses)
            .select_related("group", "rating", "rating__scale", "reviewer", "approved_by", "corrects")
            .prefetch_related(
                "contributors",
                Prefetch("rating__scale__ratings", queryset=Rating.objects.order_by("order")),
                Prefetch("group__claims", queryset=Claim.objects.exclude(status=Claim.Status.REJECTED)
                         .select_related("article", "article__outlet").defer("article__body")
                         .order_by("article__published_at", "article_id", "start")),
            ).order_by("-published_at", "-id"))
