"""Serializers: output shapes of the resources, and input shapes of the commands. They validate
the shape of input only; rules live in the services. Names are unique (they become OpenAPI
component names)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.encoding import iri_to_uri
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from knox.models import AuthToken
from rest_framework import serializers

from articles.formats import FIELD_ALIASES
from articles.models import Article, ImportBatch, Outlet, OutletDomain
from factcheck.claimreview import verdict_public_url
from factcheck.models import Claim, ClaimGroup, Evidence, Person, PersonAlias, Rating, RatingScale, Source, Verdict
from factcheck.services.groups import statement_warning
from feeds.models import ArticlePage, Feed
from webhooks.models import Webhook, WebhookDelivery

User = get_user_model()
MAX_ID = 2**63 - 1  # the database's integer range: larger ids are a 400, not an overflow
MAX_VERSION = 2**31 - 1


class UsernameField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(slug_field="username", **kwargs)


# --- outlets, articles, imports -----------------------------------------------------------------


class URIField(serializers.URLField):
    """A stored URL as the schema promises it (`format: uri`): null when there is none, and
    characters a URI may not hold (quotes, spaces, non-ASCII; in rows stored before they were
    refused) percent-encoded."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return iri_to_uri(value) if value else None


class OutletSerializer(serializers.ModelSerializer):
    homepage = URIField()
    domains: serializers.SlugRelatedField[OutletDomain] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="domain"
    )

    class Meta:
        model = Outlet
        fields = ["id", "name", "homepage", "domains", "created_at"]


class OutletWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    homepage = serializers.CharField(max_length=200, required=False, allow_blank=True)
    domains = serializers.ListField(child=serializers.CharField(max_length=253), required=False, max_length=50)


class OutletBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "name"]


ARTICLE_FIELDS = [
    "id",
    "url",
    "external_id",
    "headline",
    "byline",
    "published_at",
    "language",
    "outlet",
    "revision",
    "import_batch",
    "extraction_status",
    "extracted_at",
    "extracted_revision",
    "extractor_version",
    "created_at",
    "updated_at",
]


class ArticleSerializer(serializers.ModelSerializer):
    outlet = OutletBriefSerializer(read_only=True, allow_null=True)
    url = URIField()

    class Meta:
        model = Article
        fields = ARTICLE_FIELDS
        read_only_fields = fields


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ARTICLE_FIELDS, "body", "extraction_error"]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An article",
            request_only=True,
            value={
                "external_id": "cms-48213",
                "url": "https://news.example/2022/02/22/troops",
                "headline": "Council approves harbour plan",
                "body": "The city council on Monday approved ...",
                "outlet": "Example News",
                "byline": "Jane Doe",
                "published_at": "2022-02-22T08:30:00Z",
                "language": "en",
            },
        )
    ]
)
class ArticleWriteSerializer(serializers.Serializer):
    """Fields of articles/formats.py (canonical names). Give `body` (plain text) or `body_html`."""

    headline = serializers.CharField(max_length=1000)
    body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    body_html = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    url = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    external_id = serializers.CharField(required=False, allow_blank=True, max_length=255)
    outlet = serializers.CharField(required=False, allow_blank=True, max_length=200)
    byline = serializers.CharField(required=False, allow_blank=True, max_length=500)
    published_at = serializers.CharField(required=False, allow_blank=True, help_text="ISO 8601 date or date-time.")
    language = serializers.CharField(required=False, allow_blank=True, max_length=12)

    def validate(self, attrs):
        if isinstance(self.initial_data, dict):
            unknown = sorted(set(self.initial_data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["unknown field"] for name in unknown})
        return attrs


class ImportBatchSerializer(serializers.ModelSerializer):
    created_by = UsernameField()
    processed = serializers.IntegerField(read_only=True)
    errors = serializers.ListField(  # type: ignore[assignment]  # the API's field name; the stubs see Serializer.errors
        child=serializers.DictField(), read_only=True, help_text="Per-row errors: file, row, field, message."
    )

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "source_name",
            "format",
            "status",
            "total",
            "processed",
            "created_count",
            "updated_count",
            "duplicate_count",
            "failed_count",
            "errors",
            "message",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Two articles",
            request_only=True,
            value={
                "outlet": "Example News",
                "articles": [
                    {
                        "external_id": "cms-1",
                        "headline": "First",
                        "body": "The council approved the plan on Tuesday.",
                        "url": "https://news.example/1",
                    },
                    {"external_id": "cms-2", "headline": "Second", "body_html": "<p>It will cost €4 million.</p>"},
                ],
            },
        )
    ]
)
class ImportCreateSerializer(serializers.Serializer):
    articles = serializers.ListField(
        child=serializers.DictField(),
        min_length=1,
        max_length=10_000,
        help_text=f"Article objects with the fields {', '.join(FIELD_ALIASES)} (or their aliases).",
    )
    outlet = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Outlet of articles that name none."
    )
    update_existing = serializers.BooleanField(
        default=False, help_text="Replace the text of existing articles whose text changed."
    )
    source_name = serializers.CharField(required=False, allow_blank=True, max_length=200)


# --- claims -------------------------------------------------------------------------------------


class ClaimSerializer(serializers.ModelSerializer):
    check_worthy = serializers.SerializerMethodField(help_text="checkworthiness ≥ the newsroom's threshold.")
    decided_by = UsernameField()
    assigned_to = UsernameField()
    entities = serializers.JSONField(read_only=True)
    numbers = serializers.JSONField(read_only=True)
    person_name = serializers.CharField(
        read_only=True,
        allow_null=True,
        source="person.name",
        help_text="The speaker's person (people/{person}/); `speaker` is the article's words.",
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "article",
            "start",
            "end",
            "exact",
            "prefix",
            "suffix",
            "sentence_start",
            "sentence_end",
            "anchor_status",
            "article_revision",
            "claim_type",
            "checkworthiness",
            "check_worthy",
            "speaker",
            "speaker_role",
            "person",
            "person_name",
            "is_anonymous_source",
            "entities",
            "numbers",
            "origin",
            "extractor_name",
            "extractor_version",
            "edited",
            "status",
            "decided_by",
            "decided_at",
            "assigned_to",
            "group",
            "grouped_by",
            "group_score",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_check_worthy(self, claim) -> bool:
        threshold = settings.WORKBENCH["CHECKWORTHY_THRESHOLD"]
        return claim.checkworthiness is not None and claim.checkworthiness >= threshold

    PLAIN = [
        "id",
        "start",
        "end",
        "exact",
        "prefix",
        "suffix",
        "sentence_start",
        "sentence_end",
        "anchor_status",
        "article_revision",
        "claim_type",
        "checkworthiness",
        "speaker",
        "speaker_role",
        "is_anonymous_source",
        "entities",
        "numbers",
        "origin",
        "extractor_name",
        "extractor_version",
        "edited",
        "status",
        "grouped_by",
        "group_score",
        "version",
    ]

    def to_representation(self, claim) -> dict:
        """The hot path of the busiest list: the declared fields' output, read directly (the schema
        fuzz test checks it stays the same shape)."""
        data = {name: getattr(claim, name) for name in self.PLAIN}
        date = self.fields["created_at"].to_representation
        decided_at = claim.decided_at
        data.update(
            article=claim.article_id,
            group=claim.group_id,
            check_worthy=self.get_check_worthy(claim),
            person=claim.person_id,
            person_name=claim.person.name if claim.person_id else None,
            decided_by=claim.decided_by.username if claim.decided_by_id else None,
            assigned_to=claim.assigned_to.username if claim.assigned_to_id else None,
            decided_at=date(decided_at) if decided_at else None,
            created_at=date(claim.created_at),
            updated_at=date(claim.updated_at),
            undo=getattr(claim, "undo_token", None),  # only ClaimChangeSerializer declares it
        )
        return {name: data[name] for name in self.Meta.fields}


class ClaimChangeSerializer(ClaimSerializer):
    """A claim after accept, reject or an edit of type/speaker/anonymity, with the signed token
    that undoes that change."""

    undo = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Pass to claims/bulk-undo/ (by you, within WORKBENCH_UNDO_MAX_AGE) to put "
        "the previous decision or values back; null when nothing undoable changed.",
    )

    class Meta(ClaimSerializer.Meta):
        fields = ClaimSerializer.Meta.fields + ["undo"]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Code points",
            request_only=True,
            value={
                "article": 12,
                "start": 120,
                "end": 168,
                "exact": "It will cost €4 million, officials said.",
                "claim_type": "quantity",
                "speaker": "officials",
            },
        ),
        OpenApiExample(
            "UTF-16 units from a browser selection",
            request_only=True,
            value={
                "article": 12,
                "start": 122,
                "end": 170,
                "units": "utf16",
                "exact": "It will cost €4 million, officials said.",
            },
        ),
    ]
)
class ClaimCreateSerializer(serializers.Serializer):
    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.all())
    start = serializers.IntegerField(min_value=0, max_value=MAX_VERSION)
    end = serializers.IntegerField(min_value=0, max_value=MAX_VERSION)
    exact = serializers.CharField(
        trim_whitespace=False, help_text="The quoted text; must equal the article text there."
    )
    units = serializers.ChoiceField(
        choices=["codepoint", "utf16"],
        default="codepoint",
        help_text="What start/end count: Unicode code points or UTF-16 code units.",
    )
    claim_type = serializers.ChoiceField(choices=Claim.Type.choices, default=Claim.Type.OTHER)
    speaker = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="The version you read (or send If-Match with the ETag).",
    )


class ClaimUpdateSerializer(VersionSerializer):
    claim_type = serializers.ChoiceField(choices=Claim.Type.choices, required=False)
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        help_text="Correct the speaker to this existing person (people/).",
    )
    speaker = serializers.CharField(required=False, allow_blank=True, max_length=300)
    is_anonymous_source = serializers.BooleanField(required=False)
    start = serializers.IntegerField(
        required=False, min_value=0, max_value=MAX_VERSION, help_text="New start of the span (with end and exact)."
    )
    end = serializers.IntegerField(
        required=False, min_value=0, max_value=MAX_VERSION, help_text="New end of the span (with start and exact)."
    )
    exact = serializers.CharField(
        required=False, trim_whitespace=False, help_text="The text of the new span; must equal the article text there."
    )
    units = serializers.ChoiceField(
        choices=["codepoint", "utf16"], required=False, help_text="What start/end count (default code points)."
    )

    SPAN = ("start", "end", "exact")

    def validate(self, data):
        given = [name for name in self.SPAN if name in data]
        if given and len(given) != len(self.SPAN):
            missing = [name for name in self.SPAN if name not in data]
            raise serializers.ValidationError(
                {missing[0]: "start, end and exact move a span together; send all three."}
            )
        if "units" in data and not given:
            raise serializers.ValidationError({"units": "units only goes with start, end and exact."})
        return data


class ClaimAssignSerializer(VersionSerializer):
    assignee = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), allow_null=True, help_text="Username, or null to unassign."
    )


class BulkClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    version = serializers.IntegerField(min_value=1, max_value=MAX_VERSION, help_text="The version you were shown.")


class ClaimsBulkDecideSerializer(serializers.Serializer):
    claims = BulkClaimSerializer(  # type: ignore[call-arg]  # ListSerializer takes min/max_length; the stubs' many=True overload omits them
        many=True,
        allow_empty=False,
        max_length=1000,
        help_text="Each claim with the version it was shown at; changed ones are skipped.",
    )
    decision = serializers.ChoiceField(choices=["accept", "reject"])


class BulkSkippedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()
    current_version = serializers.IntegerField(allow_null=True)


class ClaimsBulkDecideResultSerializer(serializers.Serializer):
    changed = serializers.ListField(child=serializers.IntegerField())
    skipped = BulkSkippedSerializer(many=True)
    undo = serializers.CharField(help_text="Signed undo token (empty when nothing changed); expires.")


class ClaimsBulkUndoSerializer(serializers.Serializer):
    undo = serializers.CharField(
        max_length=200_000,
        help_text="The undo token bulk-decide, accept/, reject/ or a PATCH of type/speaker/anonymity returned.",
    )


class ClaimsBulkUndoResultSerializer(serializers.Serializer):
    restored = serializers.ListField(child=serializers.IntegerField())
    conflicts = serializers.ListField(child=serializers.IntegerField())


# --- groups, sources, evidence ------------------------------------------------------------------


class MentionSerializer(serializers.ModelSerializer):
    article_headline = serializers.CharField(source="article.headline", read_only=True)
    article_url = serializers.CharField(source="article.url", read_only=True)
    article_published_at = serializers.DateTimeField(source="article.published_at", read_only=True, allow_null=True)
    outlet = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "article",
            "article_headline",
            "article_url",
            "article_published_at",
            "outlet",
            "start",
            "end",
            "exact",
            "speaker",
            "status",
            "grouped_by",
            "group_score",
        ]
        read_only_fields = fields

    def get_outlet(self, claim) -> str | None:
        return claim.article.outlet.name if claim.article.outlet_id else None


class ClaimGroupSerializer(serializers.ModelSerializer):
    mentions = MentionSerializer(source="claims", many=True, read_only=True)
    statement = serializers.CharField(
        source="label",
        read_only=True,
        help_text="The claim statement (ClaimReview's claimReviewed); `label` is the same.",
    )
    statement_warning = serializers.SerializerMethodField(
        help_text="Non-empty when the statement is over 75 characters."
    )

    class Meta:
        model = ClaimGroup
        fields = ["id", "label", "statement", "statement_warning", "double_review", "created_at", "version", "mentions"]
        read_only_fields = fields

    def get_statement_warning(self, group) -> str:
        return statement_warning(group.label)


class SourceSerializer(serializers.ModelSerializer):
    url = URIField(allow_null=False)

    class Meta:
        model = Source
        fields = ["id", "url", "title", "publisher", "published_at", "created_at"]
        read_only_fields = fields


class SourceCreateSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000)
    title = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    publisher = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class EvidenceSerializer(serializers.ModelSerializer):
    source = SourceSerializer(read_only=True)  # type: ignore[assignment]  # a field named source: the stubs see Field.source
    added_by = UsernameField()

    class Meta:
        model = Evidence
        fields = ["id", "group", "source", "relation", "quoted_passage", "added_by", "created_at"]
        read_only_fields = fields


class EvidenceCreateSerializer(serializers.Serializer):
    group = serializers.PrimaryKeyRelatedField(queryset=ClaimGroup.objects.all())
    source = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]  # a field named source: the stubs see Field.source
        queryset=Source.objects.all(), required=False, help_text="An existing source, or give source_url."
    )
    source_url = serializers.CharField(required=False, max_length=2000, help_text="Creates the source if new.")
    source_title = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    relation = serializers.ChoiceField(choices=Evidence.Relation.choices, default=Evidence.Relation.CONTEXT)
    quoted_passage = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if not attrs.get("source") and not attrs.get("source_url"):
            raise serializers.ValidationError({"source": ["Give source (an id) or source_url."]})
        return attrs


class ClaimGroupDetailSerializer(ClaimGroupSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)
    verdicts = serializers.SerializerMethodField()

    class Meta(ClaimGroupSerializer.Meta):
        fields = [*ClaimGroupSerializer.Meta.fields, "evidence", "verdicts"]
        read_only_fields = fields

    def get_verdicts(self, group) -> list[int]:
        return [v.pk for v in group.verdicts.all()]


class GroupUpdateSerializer(VersionSerializer):
    statement = serializers.CharField(
        max_length=1000, required=False, help_text="What was checked, in the newsroom's words."
    )
    double_review = serializers.BooleanField(
        required=False, allow_null=True, help_text="Two independent reviews, then an editor (null: the default)."
    )

    def validate(self, attrs):
        if "statement" not in attrs and "double_review" not in attrs:
            raise serializers.ValidationError("Give statement and/or double_review.")
        return attrs


class GroupMergeSerializer(VersionSerializer):
    others = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=100,
        help_text="Ids of the groups merged into this one.",
    )


class GroupSplitSerializer(VersionSerializer):
    claim_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=1000,
        help_text="Mentions moved to a new group.",
    )


# --- ratings, verdicts --------------------------------------------------------------------------


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["id", "label", "order", "value", "description"]
        read_only_fields = fields


class RatingScaleSerializer(serializers.ModelSerializer):
    ratings = RatingSerializer(many=True, read_only=True)

    class Meta:
        model = RatingScale
        fields = ["id", "name", "description", "is_default", "ratings"]
        read_only_fields = fields


class VerdictSerializer(serializers.ModelSerializer):
    reviewer = UsernameField(allow_null=False)
    approved_by = UsernameField()
    published_by = UsernameField()
    rating_label = serializers.CharField(source="rating.label", read_only=True, allow_null=True, default=None)
    contributors = serializers.SerializerMethodField(
        help_text="Everyone who wrote or changed the rating or rationale (none of them may approve it)."
    )
    claimreview_url = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField(help_text="The public fact-check page (published or superseded).")

    class Meta:
        model = Verdict
        fields = [
            "id",
            "group",
            "reviewer",
            "contributors",
            "rating",
            "rating_label",
            "rationale",
            "status",
            "agreement",
            "peer",
            "corrects",
            "correction_note",
            "submitted_at",
            "approved_by",
            "approved_at",
            "published_by",
            "published_at",
            "created_at",
            "updated_at",
            "version",
            "claimreview_url",
            "public_url",
            "blind",
        ]
        read_only_fields = fields

    blind = serializers.SerializerMethodField(
        help_text="Double review: true while the other reviewer's rating and rationale are hidden from you."
    )

    def get_blind(self, verdict) -> bool:
        return verdict.pk in self.context.get("blind", ())

    def to_representation(self, verdict):
        data = super().to_representation(verdict)
        if data["blind"]:
            data.update(rating=None, rating_label=None, rationale="")
        return data

    def get_contributors(self, verdict) -> list[str]:
        return sorted({u.get_username() for u in verdict.contributors.all()} | {verdict.reviewer.get_username()})

    def get_public_url(self, verdict) -> str | None:
        if verdict.status not in (Verdict.Status.PUBLISHED, Verdict.Status.SUPERSEDED):
            return None
        return verdict_public_url(verdict)

    def get_claimreview_url(self, verdict) -> str | None:
        if verdict.status not in (Verdict.Status.PUBLISHED, Verdict.Status.SUPERSEDED):
            return None
        request = self.context.get("request")
        path = f"/api/v1/verdicts/{verdict.pk}/claimreview/"
        return request.build_absolute_uri(path) if request else path


class VerdictCreateSerializer(serializers.Serializer):
    group = serializers.PrimaryKeyRelatedField(queryset=ClaimGroup.objects.all())
    rating = serializers.PrimaryKeyRelatedField(queryset=Rating.objects.all(), required=False, allow_null=True)
    rationale = serializers.CharField(required=False, allow_blank=True, default="")


class VerdictUpdateSerializer(VersionSerializer):
    rating = serializers.PrimaryKeyRelatedField(queryset=Rating.objects.all(), required=False)
    rationale = serializers.CharField(required=False, allow_blank=True)


class VerdictCorrectSerializer(VersionSerializer):
    rating = serializers.PrimaryKeyRelatedField(queryset=Rating.objects.all())
    rationale = serializers.CharField()
    note = serializers.CharField(help_text="What was corrected and why (published with the correction).")


# --- tokens, webhooks, scoring ------------------------------------------------------------------


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuthToken
        fields = ["token_key", "created", "expiry"]
        read_only_fields = fields


class TokenCreateSerializer(serializers.Serializer):
    username = serializers.CharField(required=False, help_text="Default: the signed-in user (session).")
    password = serializers.CharField(
        required=False,
        style={"input_type": "password"},
        trim_whitespace=False,
        help_text="Always required, also when signed in.",
    )
    expiry_days = serializers.IntegerField(
        required=False, min_value=1, max_value=3650, help_text="Shorter than the server's maximum if you like."
    )


class TokenCreatedSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`. Shown once; stored hashed.")
    token_key = serializers.CharField()
    expiry = serializers.DateTimeField(allow_null=True)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    capabilities = serializers.ListField(child=serializers.CharField())


class WebhookSerializer(serializers.ModelSerializer):
    owner = UsernameField(allow_null=False)
    events = serializers.ListField(child=serializers.ChoiceField(choices=Webhook.Event.choices), min_length=1)

    class Meta:
        model = Webhook
        fields = ["id", "name", "url", "events", "is_active", "owner", "created_at"]
        read_only_fields = ["id", "owner", "created_at"]


class WebhookCreatedSerializer(WebhookSerializer):
    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = [*WebhookSerializer.Meta.read_only_fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    payload = serializers.JSONField(read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "webhook",
            "event",
            "event_id",
            "payload",
            "status",
            "attempts",
            "response_status",
            "error",
            "created_at",
            "last_attempt_at",
            "delivered_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Text", request_only=True, value={"text": "Unemployment fell to 3.5% last year. I love Mondays."}
        ),
        OpenApiExample("Sentences", request_only=True, value={"sentences": ["Unemployment fell to 3.5% last year."]}),
    ]
)
class ScoreRequestSerializer(serializers.Serializer):
    # Sizes (413 above them) are checked by factcheck.scoring.text_score_size_check: characters in
    # all, WORKBENCH_SCORE_MAX_CHARS, and WORKBENCH_SCORE_MAX_SENTENCES.
    text = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text="Split into sentences by the server. At most WORKBENCH_SCORE_MAX_CHARS characters (default 50,000).",
    )
    sentences = serializers.ListField(
        child=serializers.CharField(trim_whitespace=False),
        required=False,
        help_text="At most WORKBENCH_SCORE_MAX_SENTENCES sentences (default 1,000) "
        "and WORKBENCH_SCORE_MAX_CHARS characters in all.",
    )

    def validate(self, attrs):
        if ("text" in attrs) == ("sentences" in attrs):
            raise serializers.ValidationError("Give either text or sentences.")
        return attrs


class ScoredSentenceSerializer(serializers.Serializer):
    text = serializers.CharField()
    start = serializers.IntegerField(allow_null=True, help_text="Code point offset into `text` (null for sentences).")
    end = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField()
    claim_type = serializers.CharField()
    check_worthy = serializers.BooleanField()


class ScoreResponseSerializer(serializers.Serializer):
    threshold = serializers.FloatField()
    model_version = serializers.CharField()
    sentences = ScoredSentenceSerializer(many=True)


# --- feeds -------------------------------------------------------------------------------------


class FeedSerializer(serializers.ModelSerializer):
    outlet = OutletBriefSerializer(read_only=True)
    imported = serializers.IntegerField(read_only=True, help_text="Articles imported from its entries.")
    failed = serializers.IntegerField(read_only=True, help_text="Entries whose page could not be imported.")
    waiting = serializers.IntegerField(read_only=True, help_text="Entries waiting to be fetched (or retried).")

    class Meta:
        model = Feed
        fields = [
            "id",
            "outlet",
            "url",
            "title",
            "interval_seconds",
            "is_active",
            "last_polled_at",
            "last_status",
            "last_error",
            "consecutive_failures",
            "last_new_entries",
            "entries_total",
            "next_poll_at",
            "imported",
            "failed",
            "waiting",
            "created_at",
        ]
        read_only_fields = fields


class FeedWriteSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000)
    outlet = serializers.PrimaryKeyRelatedField(queryset=Outlet.objects.all())
    interval_seconds = serializers.IntegerField(required=False, min_value=60)


class FeedUpdateSerializer(serializers.Serializer):
    interval_seconds = serializers.IntegerField(required=False, min_value=60)
    is_active = serializers.BooleanField(required=False)


class ArticlePageSerializer(serializers.ModelSerializer):
    class Meta:
        model = ArticlePage
        fields = ["id", "feed", "url", "status", "attempts", "error", "next_attempt_at", "article", "created_at"]
        read_only_fields = fields


class ArticleFetchSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000)
    outlet = serializers.PrimaryKeyRelatedField(queryset=Outlet.objects.all(), required=False, allow_null=True)


# --- people ---------------------------------------------------------------------------------


class PersonAliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonAlias
        fields = ["id", "text", "normalized"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    aliases = PersonAliasSerializer(many=True, read_only=True)
    mentions = serializers.IntegerField(read_only=True, help_text="Claims whose speaker is this person.")

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "kind",
            "description",
            "aliases",
            "mentions",
            "merged_into",
            "merged_at",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class PersonUpdateSerializer(VersionSerializer):
    name = serializers.CharField(required=False, max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class PersonAliasAddSerializer(VersionSerializer):
    alias = serializers.CharField(max_length=300, help_text="Another name the person goes by.")


class PersonMergeSerializer(VersionSerializer):
    into = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), help_text="The person this one is merged into (mentions and aliases move there)."
    )
    into_version = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_VERSION, help_text="The version of `into` you read."
    )


class PersonMergeResultSerializer(serializers.Serializer):
    target = serializers.IntegerField()
    source = serializers.IntegerField()  # type: ignore[assignment]  # a field named source: the stubs see Field.source
    mentions = serializers.IntegerField(help_text="Mentions moved.")
    aliases = serializers.IntegerField(help_text="Aliases moved.")
