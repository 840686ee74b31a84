"""Outlets and feeds (editors manage them), pasting an article URL, re-fetching an article. Each
action calls one service of articles.outlets or feeds.services, which check permissions again."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import user_can
from articles import outlets as outlet_services
from articles.models import Article, Outlet
from core.errors import ServiceError
from feeds import selectors
from feeds import services as feed_services
from feeds.models import Feed

from ..decorators import capability_required
from ..forms import ArticleUrlForm, FeedForm, OutletForm
from .common import done, failed, form_error_response


@capability_required("read")
def outlet_list(request):
    return render(
        request,
        "web/outlet_list.html",
        {
            "outlets": selectors.outlet_list(),
            "form": OutletForm(),
            "can_manage": user_can(request.user, "outlet.manage"),
            "here": "outlet-list",
        },
    )


@capability_required("read")
def outlet_detail(request, pk: int):
    try:
        outlet = selectors.outlet_for_view(outlet_id=pk)
    except Outlet.DoesNotExist:
        raise Http404("No such outlet") from None
    form = OutletForm(
        initial={
            "name": outlet.name,
            "homepage": outlet.homepage,
            "domains": ", ".join(d.domain for d in outlet.domains.all()),
        }
    )
    return render(
        request,
        "web/outlet_detail.html",
        {
            "outlet": outlet,
            "form": form,
            "feed_form": FeedForm(initial={"outlet": outlet.pk}),
            "can_manage": user_can(request.user, "outlet.manage"),
            "now": timezone.now(),
            "here": "outlet-list",
        },
    )


@require_POST
@capability_required("outlet.manage")
def outlet_create(request):
    form = OutletForm(request.POST)
    if not form.is_valid():
        return form_error_response(request, form, reverse("web:outlet-list"))
    try:
        outlet = outlet_services.outlet_create(
            by=request.user,
            name=form.cleaned_data["name"],
            homepage=form.cleaned_data["homepage"],
            domains=form.domain_list(),
        )
    except ServiceError as exc:
        return failed(request, exc, reverse("web:outlet-list"))
    return done(
        request,
        reverse("web:outlet-detail", args=[outlet.pk]),
        message=f"Outlet {outlet.name} created.",
        payload={"id": outlet.pk},
        status=201,
    )


@require_POST
@capability_required("outlet.manage")
def outlet_update(request, pk: int):
    outlet = get_object_or_404(Outlet, pk=pk)
    back = reverse("web:outlet-detail", args=[pk])
    form = OutletForm(request.POST)
    if not form.is_valid():
        return form_error_response(request, form, back)
    try:
        outlet_services.outlet_update(
            outlet=outlet,
            by=request.user,
            name=form.cleaned_data["name"],
            homepage=form.cleaned_data["homepage"],
            domains=form.domain_list(),
        )
    except ServiceError as exc:
        return failed(request, exc, back)
    return done(request, back, message="Outlet saved.")


@capability_required("read")
def feed_list(request):
    return render(
        request,
        "web/feed_list.html",
        {
            "feeds": selectors.feed_list(),
            "problems": selectors.page_problems(),
            "requested": selectors.pages_requested(),
            "feed_form": FeedForm(),
            "url_form": ArticleUrlForm(),
            "now": timezone.now(),
            "can_manage": user_can(request.user, "outlet.manage"),
            "can_write": user_can(request.user, "article.write"),
            "here": "feed-list",
        },
    )


@require_POST
@capability_required("outlet.manage")
def feed_create(request):
    form = FeedForm(request.POST)
    if not form.is_valid():
        return form_error_response(request, form, reverse("web:feed-list"))
    try:
        feed = feed_services.feed_create(
            by=request.user,
            url=form.cleaned_data["url"],
            outlet=form.cleaned_data["outlet"],
            interval_seconds=form.cleaned_data.get("interval_seconds"),
        )
    except ServiceError as exc:
        return failed(request, exc, reverse("web:feed-list"))
    return done(
        request,
        reverse("web:feed-list"),
        message="Feed added; its first poll is queued.",
        payload={"id": feed.pk},
        status=201,
    )


@require_POST
@capability_required("outlet.manage")
def feed_poll(request, pk: int):
    feed = get_object_or_404(Feed, pk=pk)
    try:
        feed_services.feed_poll_request(feed=feed, by=request.user)
    except ServiceError as exc:
        return failed(request, exc, reverse("web:feed-list"))
    return done(request, reverse("web:feed-list"), message="Poll queued.")


@require_POST
@capability_required("article.write")
def article_fetch(request):
    """An editor pastes one article URL: a worker fetches and imports it."""
    form = ArticleUrlForm(request.POST)
    if not form.is_valid():
        return form_error_response(request, form, reverse("web:feed-list"))
    try:
        page = feed_services.article_page_request(
            by=request.user, url=form.cleaned_data["url"], outlet=form.cleaned_data.get("outlet")
        )
    except ServiceError as exc:
        return failed(request, exc, reverse("web:feed-list"))
    if page.article_id:
        messages.info(request, "This article is known already.")
        return HttpResponseRedirect(reverse("web:article-detail", args=[page.article_id]))
    return done(
        request,
        reverse("web:feed-list"),
        message="The page is being fetched; it appears below when done.",
        payload={"page": page.pk},
        status=202,
    )


@require_POST
@capability_required("article.write")
def article_refetch(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    back = reverse("web:article-detail", args=[pk])
    try:
        feed_services.article_refetch_request(article=article, by=request.user)
    except ServiceError as exc:
        return failed(request, exc, back)
    return done(
        request, back, message="The article is being fetched again; a changed text becomes a new revision.", status=202
    )
