"""List filters (django-filter). Every filter is one WHERE clause, so the query count of a page
does not depend on them."""

from datetime import UTC

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from articles.models import Article, ImportBatch, Outlet
from articles.text import normalize_url
from factcheck.models import Claim, ClaimGroup, Evidence, Person, Verdict
from factcheck.selectors import person_alias_q, speaker_q
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


class IdFilter(filters.NumberFilter):
    """An object id: a whole number in the databases' range (1 to 2**63 - 1), else a 400 (not an
    overflow deep in the database driver for 1e+16 or a fraction)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class NormalizedURLField(forms.CharField):
    """A URL to look up (scheme optional), normalized as articles' URLs are; unparsable → 400."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        try:
            return normalize_url(value)
        except ValueError as exc:
            raise ValidationError(f"Not a URL that could match an article: {exc}.", code="invalid") from None


class NormalizedURLFilter(filters.CharFilter):
    field_class = NormalizedURLField


class ArticleFilter(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Full-text search in headline and text")
    outlet = IdFilter(field_name="outlet_id")
    outlet_name = filters.CharFilter(field_name="outlet__name", lookup_expr="iexact")
    published_after = DateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = DateTimeFilter(field_name="published_at", lookup_expr="lt")
    updated_since = DateTimeFilter(field_name="updated_at", lookup_expr="gte")
    url = NormalizedURLFilter(field_name="normalized_url", label="Same article URL (normalized)")
    extraction_status = filters.MultipleChoiceFilter(choices=Article.ExtractionStatus.choices)

    class Meta:
        model = Article
        fields = ["external_id", "language", "import_batch"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            vector = SearchVector("headline", weight="A", config="english") + SearchVector(
                "body", weight="B", config="english"
            )
            return queryset.annotate(search=vector).filter(
                search=SearchQuery(value, config="english", search_type="websearch")
            )
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
    speaker = filters.CharFilter(method="by_speaker", label="The article's words or any alias of the person")
    person = IdFilter(field_name="person_id")
    outlet = IdFilter(field_name="article__outlet_id")
    assigned_to = filters.CharFilter(field_name="assigned_to__username")
    updated_since = DateTimeFilter(field_name="updated_at", lookup_expr="gte")
    has_group = filters.BooleanFilter(field_name="group", lookup_expr="isnull", exclude=True)
    # Plain ids (not model choices): no query to check that the article exists.
    article = IdFilter(field_name="article_id")
    group = IdFilter(field_name="group_id")

    class Meta:
        model = Claim
        fields = ["is_anonymous_source", "edited"]

    def by_speaker(self, queryset, name, value):
        return queryset.filter(speaker_q(value))

    def by_check_worthy(self, queryset, name, value):
        threshold = settings.WORKBENCH["CHECKWORTHY_THRESHOLD"]
        worthy = Q(checkworthiness__gte=threshold)
        return queryset.filter(worthy) if value else queryset.exclude(worthy)


class ClaimGroupFilter(filters.FilterSet):
    article = IdFilter(field_name="claims__article", distinct=True)

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


class PersonFilter(filters.FilterSet):
    """People: `q` matches any alias (case, accents and punctuation folded)."""

    q = filters.CharFilter(method="by_alias", label="Any of the person's names")
    kind = filters.ChoiceFilter(choices=Person.Kind.choices)

    class Meta:
        model = Person
        fields = ["kind"]

    def by_alias(self, queryset, name, value):
        return queryset.filter(person_alias_q(value))
