"""List filters (django-filter). Every filter is one WHERE clause, so the query count of a page
does not depend on them."""

from datetime import UTC

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from articles.models import Article, ImportBatch, Outlet
from articles.text import normalize_url
from factcheck.models import Claim, ClaimGroup, Evidence, Verdict
from webhooks.models import WebhookDelivery


class UTCIsoDateTimeField(IsoDateTimeField):
    """ISO 8601, converted to UTC: offsets Python accepts (up to ±24 h) can be out of the
    database's range (PostgreSQL: ±16 h)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None:
            try:
                value = value.astimezone(UTC)
            except OverflowError:
                raise ValidationError("Date out of range.", code="invalid") from None
        return value


class DateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UTCIsoDateTimeField


class ArticleFilter(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Full-text search in headline and text")
    outlet = filters.NumberFilter(field_name="outlet_id")
    outlet_name = filters.CharFilter(field_name="outlet__name", lookup_expr="iexact")
    published_after = DateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = DateTimeFilter(field_name="published_at", lookup_expr="lt")
    updated_since = DateTimeFilter(field_name="updated_at", lookup_expr="gte")
    url = filters.CharFilter(method="by_url", label="Same article URL (normalized)")
    extraction_status = filters.MultipleChoiceFilter(choices=Article.ExtractionStatus.choices)

    class Meta:
        model = Article
        fields = ["external_id", "language", "import_batch"]

    def by_url(self, queryset, name, value):
        return queryset.filter(normalized_url=normalize_url(value))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            vector = SearchVector("headline", weight="A", config="english") + SearchVector("body", weight="B", config="english")
            return queryset.annotate(search=vector).filter(search=SearchQuery(value, config="english",
                                                                             search_type="websearch"))
        query = Q()
        for word in value.split()[:10]:
            query &= Q(headline__icontains=word) | Q(body__icontains=word)
        return queryset.filter(query)


class ClaimFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=Claim.Status.choices)
    claim_type = filters.MultipleChoiceFilter(choices=Claim.Type.choices)
    origin = filters.ChoiceFilter(choices=Claim.Origin.choices)
    anchor_status = filters.ChoiceFilter(choices=Claim.Anchor.choices)
    min_score = filters.NumberFilter(field_name="checkworthiness", lookup_expr="gte")
    max_score = filters.NumberFilter(field_name="checkworthiness", lookup_expr="lte")
    check_worthy = filters.BooleanFilter(method="by_check_worthy", label="Score at or above the threshold")
    speaker = filters.CharFilter(field_name="speaker", lookup_expr="icontains")
    outlet = filters.NumberFilter(field_name="article__outlet_id")
    assigned_to = filters.CharFilter(field_name="assigned_to__username")
    updated_since = DateTimeFilter(field_name="updated_at", lookup_expr="gte")
    has_group = filters.BooleanFilter(field_name="group", lookup_expr="isnull", exclude=True)
    # Plain ids (not model choices): no query to check that the article exists.
    article = filters.NumberFilter(field_name="article_id")
    group = filters.NumberFilter(field_name="group_id")

    class Meta:
        model = Claim
        fields = ["is_anonymous_source", "edited"]

    def by_check_worthy(self, queryset, name, value):
        threshold = settings.WORKBENCH["CHECKWORTHY_THRESHOLD"]
        worthy = Q(checkworthiness__gte=threshold)
        return queryset.filter(worthy) if value else queryset.exclude(worthy)


class ClaimGroupFilter(filters.FilterSet):
    article = filters.NumberFilter(field_name="claims__article", distinct=True)

    class Meta:
        model = ClaimGroup
        fields = []


class VerdictFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=Verdict.Status.choices)
    reviewer = filters.CharFilter(field_name="reviewer__username")
    published_since = DateTimeFilter(field_name="published_at", lookup_expr="gte")
    updated_since = DateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Verdict
        fields = ["group"]


class EvidenceFilter(filters.FilterSet):
    relation = filters.ChoiceFilter(choices=Evidence.Relation.choices)

    class Meta:
        model = Evidence
        fields = ["group", "source"]


class ImportBatchFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=ImportBatch.Status.choices)

    class Meta:
        model = ImportBatch
        fields = []


class WebhookDeliveryFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=WebhookDelivery.Status.choices)

    class Meta:
        model = WebhookDelivery
        fields = ["webhook", "event"]


class OutletFilter(filters.FilterSet):
    name = filters.CharFilter(field_name="name", lookup_expr="iexact")
    domain = filters.CharFilter(field_name="domains__domain", lookup_expr="iexact")

    class Meta:
        model = Outlet
        fields = ["name", "domain"]
