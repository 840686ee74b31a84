"""Reads for the outlets and feeds pages, the API and the article view: a constant number of
queries whatever the number of rows."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Article, Outlet
from factcheck.models import Claim

from .models import ArticlePage, ArticleSource, Feed

DIFF_CONTEXT = 160  # characters of unchanged text kept around each change


def feed_list() -> QuerySet[Feed]:
    """Feeds with their health: imported/failed/waiting page counts (one query)."""
    return (
        Feed.objects.select_related("outlet")
        .annotate(
            imported=Count("pages", filter=Q(pages__status=ArticlePage.Status.IMPORTED)),
            failed=Count("pages", filter=Q(pages__status=ArticlePage.Status.FAILED)),
            waiting=Count(
                "pages", filter=Q(pages__status__in=[ArticlePage.Status.PENDING, ArticlePage.Status.FETCHING])
            ),
        )
        .order_by("outlet__name", "url")
    )


def outlet_list() -> QuerySet[Outlet]:
    return (
        Outlet.objects.annotate(
            article_count=Count("articles", distinct=True), feed_count=Count("feeds", distinct=True)
        )
        .prefetch_related("domains")
        .order_by("name")
    )


def outlet_for_view(*, outlet_id: int) -> Outlet:
    return Outlet.objects.prefetch_related("domains", Prefetch("feeds", queryset=feed_list())).get(pk=outlet_id)


def page_problems(*, limit: int = 50) -> QuerySet[ArticlePage]:
    """Pages that failed or wait for a retry, newest first, with their reasons."""
    return (
        ArticlePage.objects.exclude(error="")
        .filter(status__in=[ArticlePage.Status.FAILED, ArticlePage.Status.PENDING])
        .select_related("feed__outlet", "outlet")
        .order_by("-changed_at")[:limit]
    )


def pages_requested(*, limit: int = 20) -> QuerySet[ArticlePage]:
    return (
        ArticlePage.objects.filter(feed__isnull=True)
        .select_related("article", "outlet")
        .order_by("-created_at")[:limit]
    )


def article_revision_info(*, article: Article, claims: list[dict]) -> dict:
    """For the article view: where it was fetched from (select the article with `source`), its
    previous revision's diff (HTML with <del>/<ins>, everything escaped) and the claims whose
    words were lost or changed. `claims` is the view's claims payload: no query unless the
    article has a previous revision (its text) or claims off their words (their quotes)."""
    try:
        source = article.source
    except ArticleSource.DoesNotExist:
        source = None
    diff_html = ""
    if article.revision > 1:
        previous = (
            article.history.filter(revision__lt=article.revision)
            .order_by("-revision", "-history_id")
            .values_list("revision", "body")
            .first()
        )
        if previous:
            diff_html = revision_diff_html(previous[1], article.body)
    unanchored = []
    if any(c["anchor"] != Claim.Anchor.OK for c in claims):
        unanchored = list(
            Claim.objects.filter(article=article, anchor_status__in=[Claim.Anchor.ORPHAN, Claim.Anchor.NEEDS_REVIEW])
            .order_by("anchor_status", "id")
            .only("id", "exact", "status", "anchor_status")
        )
    return {
        "source": source,
        "diff_html": mark_safe(diff_html),
        "unanchored": unanchored,  # noqa: S308 (escaped)
        "previous_revision": article.revision - 1 if diff_html else None,
    }


def revision_diff_html(old: str, new: str) -> str:
    import diff_match_patch

    dmp = diff_match_patch.diff_match_patch()
    dmp.Diff_Timeout = 1.0
    diffs = dmp.diff_main(old, new)
    dmp.diff_cleanupSemantic(diffs)
    parts = []
    for i, (op, text) in enumerate(diffs):
        if op == dmp.DIFF_EQUAL:
            if len(text) > 2 * DIFF_CONTEXT + 20:
                head = text[:DIFF_CONTEXT] if i > 0 else ""
                tail = text[-DIFF_CONTEXT:] if i < len(diffs) - 1 else ""
                text_html = escape(head) + ('<span class="diff-gap"> … </span>' if head or tail else "") + escape(tail)
            else:
                text_html = escape(text)
            parts.append(text_html)
        elif op == dmp.DIFF_DELETE:
            parts.append(f"<del>{escape(text)}</del>")
        else:
            parts.append(f"<ins>{escape(text)}</ins>")
    return "".join(parts)
