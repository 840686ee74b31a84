"""Pages that only read: the work queue, the article view, search, sources and the dashboard."""

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from accounts.roles import user_can
from accounts.selectors import user_shortcuts
from articles.models import Article
from factcheck.models import Claim, Person, Source
from factcheck.selectors import person_list, review_agreement

from .. import charts
from ..decorators import capability_required
from ..forms import AgreementPeriodForm, QueueFilterForm, SearchForm
from ..search import ARTICLE_LIMIT, CLAIM_LIMIT, Hit, search_run
from ..selectors import (
    article_for_view,
    claims_payload,
    dashboard_stats,
    match_suggestions_pending_count,
    queue_articles,
    queue_claims,
    queue_counts,
    ratings_for_verdicts,
    search_scope,
    source_for_view,
    sources_list,
)

QUEUE_PAGE_SIZE = 50
PEOPLE_LIMIT = 5


@capability_required("read")
def queue(request):
    """The work queue: articles with undecided candidates, all claims, or the claims assigned to me."""
    threshold = settings.WORKBENCH["CHECKWORTHY_THRESHOLD"]
    form = QueueFilterForm(request.GET or None, threshold=threshold)
    filters = form.filters()
    view = (form.cleaned_data.get("view") if form.is_bound and form.is_valid() else "") or "articles"
    items: QuerySet[Any]
    if view == "articles":
        items = queue_articles(filters=filters)
    else:
        items = queue_claims(filters=filters, user=request.user)
    page: Page = Paginator(items, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))  # of articles or of claims
    last_bulk = request.session.get("web_bulk_undo")
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "web/queue.html",
        {
            "export_query": export_query.urlencode(),
            "export_links": [
                ("claims", "web:claims-export", "claims"),
                ("verdicts", "web:verdicts-export", "their verdicts"),
            ],
            "export_formats": [("csv", "CSV"), ("jsonl", "JSON Lines"), ("jsonld", "Web Annotation")],
            "form": form,
            "view": view,
            "page": page,
            "counts": queue_counts(user=request.user),
            "pending_matches": match_suggestions_pending_count(),
            "threshold": threshold,
            "score_filtered": filters.min_score is not None,
            "all_scores_query": _query_with(request, min_score="", page=None),
            # each claim with the version shown: the bulk decision skips claims changed since
            "page_claims": ",".join(f"{c.id}:{c.version}" for c in page.object_list) if view != "articles" else "",
            "last_bulk": last_bulk,
            "can_curate": user_can(request.user, "claim.curate"),
        },
    )


def _query_with(request, **changes) -> str:
    """The page's query string with some parameters set ("" keeps the name with no value) or
    removed (None)."""
    query = request.GET.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return query.urlencode()


def _url_template(name: str) -> str:
    """A URL with the claim id left as {id}, for the article script."""
    return reverse(name, args=[987654321]).replace("987654321", "{id}")


@capability_required("read")
def article_detail(request, pk: int):
    """The article's canonical text, rendered once as escaped text; the script draws the claim
    highlights from a JSON list. Constant number of queries whatever the number of claims."""
    try:
        article = article_for_view(article_id=pk)
    except Article.DoesNotExist:
        raise Http404("No such article") from None
    payload = claims_payload(claims=Claim.objects.filter(article=article))
    can_curate = user_can(request.user, "claim.curate")
    shortcuts = user_shortcuts(user=request.user, can_curate=can_curate)
    config = {
        "article": article.pk,
        "canCurate": can_curate,
        "shortcuts": {"enabled": shortcuts["enabled"], "keys": shortcuts["keys"]},
        "threshold": settings.WORKBENCH["CHECKWORTHY_THRESHOLD"],
        "types": Claim.Type.choices,
        "urls": {
            "create": reverse("web:claim-create"),
            "bulk": reverse("web:claims-bulk"),
            "undo": reverse("web:claims-bulk-undo"),
            "accept": _url_template("web:claim-accept"),
            "reject": _url_template("web:claim-reject"),
            "update": _url_template("web:claim-update"),
            "span": _url_template("web:claim-span"),
            "detail": _url_template("web:claim-detail"),
            "person": _url_template("web:person-detail"),
            "linkConfirm": _url_template("web:claim-link-confirm"),
            "linkDetach": _url_template("web:claim-link-detach"),
        },
        "canGroup": user_can(request.user, "claim.group"),
    }
    counts = {"candidate": 0, "accepted": 0, "rejected": 0}
    for claim in payload:
        counts[claim["status"]] = counts.get(claim["status"], 0) + 1
    from feeds.selectors import article_revision_info

    return render(
        request,
        "web/article_detail.html",
        {
            "article": article,
            "revision": article_revision_info(article=article, claims=payload),
            "can_write": user_can(request.user, "article.write"),
            "claims": payload,
            "config": config,
            "counts": counts,
            "threshold": config["threshold"],
            "claim_types": Claim.Type.choices,
            "can_curate": can_curate,
            "shortcuts": shortcuts,
        },
    )


@capability_required("read")
def search(request):
    """Ranked full-text search (web/search.py) under the filters of SearchForm."""
    form = SearchForm(request.GET or None, ratings=ratings_for_verdicts())
    q = ""
    articles: list[Hit] = []
    claims: list[Hit] = []
    people: list[Person] = []
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            data = {k: v for k, v in form.cleaned_data.items() if k != "q"}
            scope_articles, scope_claims = search_scope(**data, claim_filtered=form.claim_filtered())
            articles, claims = search_run(q=q, articles=scope_articles, claims=scope_claims)
            people = list(person_list(q=q)[:PEOPLE_LIMIT])  # a person found by any of their names
    return render(
        request,
        "web/search.html",
        {
            "form": form,
            "q": q,
            "articles": articles,
            "claims": claims,
            "people": people,
            "article_limit": ARTICLE_LIMIT,
            "claim_limit": CLAIM_LIMIT,
        },
    )


@capability_required("read")
def source_list(request):
    q = request.GET.get("q", "").strip()[:200]
    page = Paginator(sources_list(q=q), 50).get_page(request.GET.get("page"))
    return render(request, "web/source_list.html", {"page": page, "q": q})


@capability_required("read")
def source_detail(request, pk: int):
    try:
        source = source_for_view(source_id=pk)
    except Source.DoesNotExist:
        raise Http404("No such source") from None
    return render(request, "web/source_detail.html", {"source": source, "uses": list(source.evidence.all())})


@capability_required("read")
def dashboard(request):
    stats = dashboard_stats(days=14)
    period = AgreementPeriodForm(request.GET or None)
    since, until = period.period()
    return render(
        request,
        "web/dashboard.html",
        {
            "stats": stats,
            "agreement": review_agreement(since=since, until=until),
            "agreement_form": period,
            "totals": stats["totals"],
            "claims_chart": charts.hbar_stacked(stats["claims_by_outlet"], charts.STATUS_SERIES),
            "verdicts_chart": charts.hbar_stacked(
                stats["verdicts_by_outlet"], charts.rating_series(stats["rating_labels"])
            ),
            "decisions_chart": charts.vbar_stacked(stats["days"], stats["decided_by_day"], charts.STATUS_SERIES[1:]),
            "published_chart": charts.vbar_stacked(
                stats["days"], stats["published_by_day"], [("published", "Published verdicts", "#2E7D4F")]
            ),
        },
    )
