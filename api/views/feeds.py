"""Feeds of outlets (editors add and poll them) and the pages fetched from them."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action

from feeds import selectors
from feeds import services as feed_services
from feeds.models import ArticlePage

from .. import serializers as s
from .base import ERRORS, WorkbenchViewSet


@extend_schema_view(list=extend_schema(summary="Feeds with their health"), retrieve=extend_schema(summary="A feed"))
class FeedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkbenchViewSet):
    serializer_class = s.FeedSerializer
    ordering_fields = ["id", "next_poll_at", "last_polled_at"]
    ordering = ["id"]
    filterset_fields = ["outlet", "is_active", "last_status"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    capabilities = {"create": "outlet.manage", "partial_update": "outlet.manage", "poll": "outlet.manage"}

    def get_queryset(self):
        return selectors.feed_list()

    @extend_schema(
        summary="Follow a feed",
        request=s.FeedWriteSerializer,
        responses={201: s.FeedSerializer, **ERRORS},
        description="The URL must be http(s) and not an internal address (unless allow-listed in "
        "WORKBENCH_OUTBOUND_ALLOW). The first poll is queued at once.",
    )
    def create(self, request):
        data = self.input(s.FeedWriteSerializer)
        feed = feed_services.feed_create(
            by=request.user, url=data["url"], outlet=data["outlet"], interval_seconds=data.get("interval_seconds")
        )
        return self.respond(
            self.get_queryset().get(pk=feed.pk),
            code=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/feeds/{feed.pk}/"},
        )

    @extend_schema(
        summary="Change a feed's interval or pause it",
        request=s.FeedUpdateSerializer,
        responses={200: s.FeedSerializer, **ERRORS},
    )
    def partial_update(self, request, pk=None):
        feed = self.get_object()
        data = self.input(s.FeedUpdateSerializer)
        feed_services.feed_update(feed=feed, by=request.user, **data)
        return self.respond(self.get_queryset().get(pk=feed.pk))

    @extend_schema(summary="Poll this feed now", request=None, responses={202: s.FeedSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def poll(self, request, pk=None):
        feed = self.get_object()
        feed_services.feed_poll_request(feed=feed, by=request.user)
        return self.respond(self.get_queryset().get(pk=feed.pk), code=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The feed's entries (pages) with their status and errors",
        responses={200: s.ArticlePageSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def pages(self, request, pk=None):
        feed = self.get_object()
        queryset = ArticlePage.objects.filter(feed=feed).order_by("-id")
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.ArticlePageSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Fetched pages (feed entries and pasted URLs)"),
    retrieve=extend_schema(summary="A fetched page: status, error, article"),
)
class ArticlePageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkbenchViewSet):
    serializer_class = s.ArticlePageSerializer
    queryset = ArticlePage.objects.all()
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]
    filterset_fields = ["feed", "status"]
