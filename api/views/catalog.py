"""Outlets, articles (create, upsert, search), import batches (bulk import, polled)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action

from accounts.roles import require
from articles import services as article_services
from articles.models import ImportBatch, Outlet
from articles.outlets import outlet_create, outlet_update
from factcheck import selectors

from .. import serializers as s
from ..filters import ArticleFilter, ImportBatchFilter, OutletFilter
from .base import ERRORS, WorkbenchViewSet

IMPORT_SYNC_MAX = article_services.IMPORT_SYNC_MAX


@extend_schema_view(list=extend_schema(summary="List outlets"), retrieve=extend_schema(summary="An outlet"))
class OutletViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkbenchViewSet):
    serializer_class = s.OutletSerializer
    queryset = Outlet.objects.prefetch_related("domains")
    ordering_fields = ["name", "id", "created_at"]
    ordering = ["name"]
    filterset_class = OutletFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    capabilities = {"create": "outlet.manage", "partial_update": "outlet.manage"}

    @extend_schema(
        summary="Create an outlet", request=s.OutletWriteSerializer, responses={201: s.OutletSerializer, **ERRORS}
    )
    def create(self, request):
        data = self.input(s.OutletWriteSerializer)
        outlet = outlet_create(
            by=request.user, name=data["name"], homepage=data.get("homepage", ""), domains=data.get("domains", [])
        )
        return self.respond(outlet, code=status.HTTP_201_CREATED, headers={"Location": f"/api/v1/outlets/{outlet.pk}/"})

    @extend_schema(
        summary="Change an outlet (name, home page, domains)",
        request=s.OutletWriteSerializer(partial=True),
        responses={200: s.OutletSerializer, **ERRORS},
    )
    def partial_update(self, request, pk=None):
        outlet = self.get_object()
        serializer = s.OutletWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        outlet = outlet_update(outlet=outlet, by=request.user, **serializer.validated_data)
        return self.respond(Outlet.objects.prefetch_related("domains").get(pk=outlet.pk))


@extend_schema_view(
    list=extend_schema(summary="List and search articles"),
    retrieve=extend_schema(summary="An article with its text"),
)
class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkbenchViewSet):
    serializer_class = s.ArticleSerializer
    filterset_class = ArticleFilter
    ordering_fields = ["published_at", "created_at", "updated_at", "id"]
    ordering = ["-id"]
    capabilities = {
        "create": "article.write",
        "upsert": "article.write",
        "extract": "extraction.run",
        "fetch": "article.write",
        "refetch": "article.write",
    }

    def get_queryset(self):
        return selectors.article_list() if self.action == "list" else selectors.article_detail()

    def get_serializer_class(self):
        return s.ArticleSerializer if self.action == "list" else s.ArticleDetailSerializer

    @extend_schema(
        summary="Create an article",
        request=s.ArticleWriteSerializer,
        responses={
            201: s.ArticleDetailSerializer,
            409: OpenApiResponse(description="It exists already (same external id, URL or text)."),
            **ERRORS,
        },
    )
    def create(self, request):
        data = self.input(s.ArticleWriteSerializer)
        article, _ = article_services.article_upsert(data=data, by=request.user, create_only=True)
        return self.respond(
            article,
            s.ArticleDetailSerializer,
            code=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/articles/{article.pk}/"},
        )

    @extend_schema(
        summary="Create or update an article by external id or URL",
        request=s.ArticleWriteSerializer,
        description="Matches an existing article by `external_id`, else by (normalized) `url`. A changed "
        "text raises the article's revision and runs extraction again.",
        responses={
            200: s.ArticleDetailSerializer,
            201: s.ArticleDetailSerializer,
            409: OpenApiResponse(description="Another article has this text."),
            **ERRORS,
        },
    )
    @action(detail=False, methods=["post"], url_path="upsert")
    def upsert(self, request):
        data = self.input(s.ArticleWriteSerializer)
        article, outcome = article_services.article_upsert(data=data, by=request.user)
        code = status.HTTP_201_CREATED if outcome == "created" else status.HTTP_200_OK
        return self.respond(article, s.ArticleDetailSerializer, code=code, headers={"X-Upsert": outcome})

    @extend_schema(
        summary="Import one article from its page",
        request=s.ArticleFetchSerializer,
        description="A worker fetches the page and extracts its text, headline, byline and date. Poll the "
        "returned page (`status`, `error`, `article`) at `Location`.",
        responses={202: s.ArticlePageSerializer, 200: s.ArticlePageSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"])
    def fetch(self, request):
        from feeds.services import article_page_request

        data = self.input(s.ArticleFetchSerializer)
        page = article_page_request(by=request.user, url=data["url"], outlet=data.get("outlet"))
        code = status.HTTP_200_OK if page.article_id else status.HTTP_202_ACCEPTED
        return self.respond(page, s.ArticlePageSerializer, code=code, headers={"Location": f"/api/v1/pages/{page.pk}/"})

    @extend_schema(
        summary="Fetch this article's page again (a changed text becomes a new revision)",
        request=None,
        responses={202: s.ArticleSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def refetch(self, request, pk=None):
        from feeds.services import article_refetch_request

        article = self.get_object()
        article_refetch_request(article=article, by=request.user)
        return self.respond(article, s.ArticleSerializer, code=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Run claim extraction on this article again",
        request=None,
        responses={202: s.ArticleSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def extract(self, request, pk=None):
        from factcheck.services.extraction import claims_reextract_all

        article = self.get_object()
        claims_reextract_all(by=request.user, article_ids=[article.pk])
        article.refresh_from_db()
        return self.respond(article, s.ArticleSerializer, code=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    list=extend_schema(summary="List import batches"),
    retrieve=extend_schema(summary="An import batch: status, counts and per-row errors (poll this)"),
)
class ImportBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkbenchViewSet):
    serializer_class = s.ImportBatchSerializer
    queryset = selectors.import_batch_list()
    filterset_class = ImportBatchFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-id"]
    capabilities = {"create": "article.import"}
    json_text_checked_by_service = ("articles",)  # a bad article is that row's error, not the request's

    @extend_schema(
        summary="Import many articles",
        request=s.ImportCreateSerializer,
        description=f"Up to {IMPORT_SYNC_MAX} articles are imported at once (201, the batch is done); more are "
        "imported by a worker (202): poll the batch URL in `Location` until `status` is done or failed. "
        "Invalid records are reported per row in `errors`; the valid ones are imported.",
        responses={201: s.ImportBatchSerializer, 202: s.ImportBatchSerializer, **ERRORS},
    )
    def create(self, request):
        require(request.user, "article.import", "import articles")
        data = self.input(s.ImportCreateSerializer)
        batch = article_services.import_batch_submit(
            by=request.user,
            articles=data["articles"],
            outlet_name=data.get("outlet") or "",
            source_name=data.get("source_name") or "",
            update_existing=data["update_existing"],
        )
        # 202 while a worker has it (even if the broker is down: the sweep sends it later).
        code = status.HTTP_202_ACCEPTED if batch.status == ImportBatch.Status.PENDING else status.HTTP_201_CREATED
        return self.respond(batch, code=code, headers={"Location": f"/api/v1/imports/{batch.pk}/"})
