"""Every endpoint × every persona (anonymous, no role, integration, reviewer, editor, admin):
allowed personas get the endpoint's success status, the others 401 (anonymous) or 403. A test
also checks that the matrix names every route and method the API has."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import pytest
from django.urls import URLPattern, URLResolver
from knox.models import AuthToken

from accounts.roles import Role
from factcheck.models import Claim, Verdict
from factcheck.services.verdicts import verdict_approve, verdict_draft, verdict_publish, verdict_submit
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimGroupFactory,
    RatingFactory,
    SourceFactory,
    UserFactory,
)
from webhooks.models import Webhook

from .conftest import token_client

PERSONAS = ["anonymous", "outsider", "integration", "reviewer", "editor", "admin_user"]
EVERYONE = {"integration", "reviewer", "editor", "admin_user"}
CURATORS = {"editor", "admin_user"}
WRITERS = {"reviewer", "editor", "admin_user"}
HOOKS = {"integration", "admin_user"}
ADMINS = {"admin_user"}


class World:
    """The objects the endpoints act on, each created on first use (most endpoints need one or two)."""

    def __init__(self, request):
        self.request = request

    def user(self, persona):
        return None if persona == "anonymous" else self.request.getfixturevalue(persona)

    @cached_property
    def rita(self):  # another reviewer: the author of the verdicts and evidence below
        return UserFactory(username="rita-reviewer", role=Role.REVIEWER)

    @cached_property
    def boss(self):  # another editor: approves and publishes them
        return UserFactory(username="bob-editor", role=Role.EDITOR)

    @cached_property
    def rating(self):
        return RatingFactory(label="False", value=1)

    @cached_property
    def article(self):
        return ArticleFactory(
            body="The mayor unveiled the harbour plan on Tuesday. It will cost €7 million, officials said."
        )

    @cached_property
    def claim(self):
        return ClaimFactory(article=self.article)

    def _group(self, mentions=1):
        group = ClaimGroupFactory()
        claims = [ClaimFactory(group=group) for _ in range(mentions)]
        return group, claims

    @cached_property
    def group_a(self):
        return self._group()[0]

    @cached_property
    def group_b(self):
        return self._group()[0]

    @cached_property
    def split(self):
        return self._group(mentions=2)

    def _verdict(self, state):
        v = verdict_draft(
            group=ClaimGroupFactory(), by=self.rita, rating=self.rating, rationale="Records show otherwise."
        )
        if state in ("submitted", "approved", "published"):
            verdict_submit(verdict=v, by=self.rita)
        if state in ("approved", "published"):
            verdict_approve(verdict=v, by=self.boss)
        if state == "published":
            verdict_publish(verdict=v, by=self.boss)
        return v

    draft = cached_property(lambda self: self._verdict("draft"))
    submitted = cached_property(lambda self: self._verdict("submitted"))
    approved = cached_property(lambda self: self._verdict("approved"))
    published = cached_property(lambda self: self._verdict("published"))

    @cached_property
    def source(self):
        return SourceFactory()

    @cached_property
    def evidence(self):
        from factcheck.services.sources import evidence_add

        return evidence_add(group=self.group_a, source=SourceFactory(), relation="refutes", by=self.rita)

    @cached_property
    def feed(self):
        from feeds.models import Feed

        return Feed.objects.create(outlet=self.article.outlet, url="https://harbourherald.example/feed.xml")

    @cached_property
    def page(self):
        from feeds.models import ArticlePage

        return ArticlePage.objects.create(feed=self.feed, guid="g1", url="https://harbourherald.example/news/0")

    @cached_property
    def web_article(self):
        return ArticleFactory(url="https://harbourherald.example/news/2")

    @cached_property
    def webhook(self):
        owner = self.user("integration")
        return Webhook.objects.create(url="https://cms.example/hook", events=["verdict.published"], owner=owner)

    @cached_property
    def people(self):
        """Two people, the first with a second alias (removable) and a mention."""
        from factcheck.models import PersonAlias
        from factcheck.services.people import person_for_speaker

        a = person_for_speaker(speaker="Ada Lind", anonymous=False, article_id=self.article.pk)
        b = person_for_speaker(speaker="Bo Brand", anonymous=False, article_id=self.article.pk)
        alias = PersonAlias.objects.create(person=a, text="A. Lind", normalized="a lind")
        ClaimFactory(article=self.article, speaker="Ada Lind", person=a)
        return a, b, alias

    @cached_property
    def suggestion(self):
        from matching.models import MatchSuggestion

        target, claims = self._group()
        return MatchSuggestion.objects.create(
            claim=self.claim, group=target, target_claim=claims[0], score=0.6, matcher="test-1"
        )

    @cached_property
    def batch(self):
        from articles.services import import_batch_create

        return import_batch_create(by=self.user("admin_user"), source_name="earlier.csv")


@pytest.fixture
def world(request, db):
    return World(request)


def _undo_token(w, user) -> str:
    """A genuine undo token of `user` (signed as claims_bulk_decide signs them)."""
    from django.core import signing

    from factcheck.services.claims import UNDO_SALT

    return signing.dumps(
        {"by": user.pk if user else 0, "claims": [[w.claim.pk, "accepted", 1]]}, salt=UNDO_SALT, compress=True
    )


@dataclass
class Endpoint:
    name: str  # URL name in the api namespace
    method: str
    path: Callable[[World, object], str]
    allowed: set
    success: int
    body: Callable[[World, object], dict] = lambda w, u: {}
    headers: dict = field(default_factory=dict)


def _own_comparison(user) -> int:
    from matching.models import ClaimComparison

    return ClaimComparison.objects.create(requested_by=user, pairs=[{"a": "x", "b": "y"}]).pk


def _own_token_key(w, user):
    if user is None:
        return "abcdef12"
    instance, _ = AuthToken.objects.create(user=user)
    return instance.token_key


ENDPOINTS = [
    Endpoint("api-root", "GET", lambda w, u: "/api/v1/", EVERYONE, 200),
    Endpoint("me", "GET", lambda w, u: "/api/v1/me/", EVERYONE, 200),
    Endpoint(
        "score",
        "POST",
        lambda w, u: "/api/v1/score/",
        EVERYONE,
        200,
        body=lambda w, u: {"sentences": ["Unemployment fell to 3.5% last year."]},
    ),
    # Compare: queued to a worker (none runs here), so 202 with the URL to poll.
    Endpoint(
        "claim-compare",
        "POST",
        lambda w, u: "/api/v1/claims/compare/",
        EVERYONE,
        202,
        body=lambda w, u: {"pairs": [{"a": "Unemployment fell to 3.5%.", "b": "Joblessness dropped to 3.5%."}]},
    ),
    Endpoint(
        "claim-compare-detail", "GET", lambda w, u: f"/api/v1/claims/compare/{_own_comparison(u)}/", EVERYONE, 202
    ),
    # outlets, articles, imports
    Endpoint("outlet-list", "GET", lambda w, u: "/api/v1/outlets/", EVERYONE, 200),
    Endpoint("outlet-detail", "GET", lambda w, u: f"/api/v1/outlets/{w.article.outlet_id}/", EVERYONE, 200),
    Endpoint(
        "outlet-list",
        "POST",
        lambda w, u: "/api/v1/outlets/",
        CURATORS,
        201,
        body=lambda w, u: {"name": "Harbour Herald", "domains": ["harbourherald.example"]},
    ),
    Endpoint(
        "outlet-detail",
        "PATCH",
        lambda w, u: f"/api/v1/outlets/{w.article.outlet_id}/",
        CURATORS,
        200,
        body=lambda w, u: {"domains": ["renamed.example"]},
    ),
    # feeds and fetched pages (editors manage feeds and paste URLs; everyone reads)
    Endpoint("feed-list", "GET", lambda w, u: "/api/v1/feeds/", EVERYONE, 200),
    Endpoint("feed-detail", "GET", lambda w, u: f"/api/v1/feeds/{w.feed.pk}/", EVERYONE, 200),
    Endpoint(
        "feed-list",
        "POST",
        lambda w, u: "/api/v1/feeds/",
        CURATORS,
        201,
        body=lambda w, u: {"url": "https://harbourherald.example/rss.xml", "outlet": w.article.outlet_id},
    ),
    Endpoint(
        "feed-detail",
        "PATCH",
        lambda w, u: f"/api/v1/feeds/{w.feed.pk}/",
        CURATORS,
        200,
        body=lambda w, u: {"interval_seconds": 3600},
    ),
    Endpoint("feed-poll", "POST", lambda w, u: f"/api/v1/feeds/{w.feed.pk}/poll/", CURATORS, 202),
    Endpoint("feed-pages", "GET", lambda w, u: f"/api/v1/feeds/{w.feed.pk}/pages/", EVERYONE, 200),
    Endpoint("page-list", "GET", lambda w, u: "/api/v1/pages/", EVERYONE, 200),
    Endpoint("page-detail", "GET", lambda w, u: f"/api/v1/pages/{w.page.pk}/", EVERYONE, 200),
    Endpoint(
        "article-fetch",
        "POST",
        lambda w, u: "/api/v1/articles/fetch/",
        CURATORS,
        202,
        body=lambda w, u: {"url": "https://harbourherald.example/news/1"},
    ),
    Endpoint("article-refetch", "POST", lambda w, u: f"/api/v1/articles/{w.web_article.pk}/refetch/", CURATORS, 202),
    Endpoint("article-list", "GET", lambda w, u: "/api/v1/articles/", EVERYONE, 200),
    Endpoint("article-detail", "GET", lambda w, u: f"/api/v1/articles/{w.article.pk}/", EVERYONE, 200),
    Endpoint(
        "article-list",
        "POST",
        lambda w, u: "/api/v1/articles/",
        CURATORS,
        201,
        body=lambda w, u: {"headline": "New", "body": "A brand new text about the budget.", "external_id": "n-1"},
    ),
    Endpoint(
        "article-upsert",
        "POST",
        lambda w, u: "/api/v1/articles/upsert/",
        CURATORS,
        200,
        body=lambda w, u: {
            "external_id": w.article.external_id,
            "headline": "Changed headline",
            "body": w.article.body,
        },
    ),
    Endpoint("article-extract", "POST", lambda w, u: f"/api/v1/articles/{w.article.pk}/extract/", CURATORS, 202),
    Endpoint("import-list", "GET", lambda w, u: "/api/v1/imports/", EVERYONE, 200),
    Endpoint("import-detail", "GET", lambda w, u: f"/api/v1/imports/{w.batch.pk}/", EVERYONE, 200),
    Endpoint(
        "import-list",
        "POST",
        lambda w, u: "/api/v1/imports/",
        ADMINS,
        201,
        body=lambda w, u: {"articles": [{"headline": "Imported", "body": "Imported text about taxes."}]},
    ),
    # claims
    Endpoint("claim-list", "GET", lambda w, u: "/api/v1/claims/", EVERYONE, 200),
    Endpoint("claim-detail", "GET", lambda w, u: f"/api/v1/claims/{w.claim.pk}/", EVERYONE, 200),
    Endpoint(
        "claim-list",
        "POST",
        lambda w, u: "/api/v1/claims/",
        CURATORS,
        201,
        body=lambda w, u: {"article": w.article.pk, "start": 48, "end": 88, "exact": w.article.body[48:88]},
    ),
    Endpoint(
        "claim-detail",
        "PATCH",
        lambda w, u: f"/api/v1/claims/{w.claim.pk}/",
        CURATORS,
        200,
        body=lambda w, u: {"speaker": "officials", "version": 1},
    ),
    Endpoint(
        "claim-accept",
        "POST",
        lambda w, u: f"/api/v1/claims/{w.claim.pk}/accept/",
        CURATORS,
        200,
        body=lambda w, u: {"version": 1},
    ),
    Endpoint(
        "claim-reject",
        "POST",
        lambda w, u: f"/api/v1/claims/{w.claim.pk}/reject/",
        CURATORS,
        200,
        body=lambda w, u: {"version": 1},
    ),
    Endpoint(
        "claim-assign",
        "POST",
        lambda w, u: f"/api/v1/claims/{w.claim.pk}/assign/",
        CURATORS,
        200,
        body=lambda w, u: {"assignee": w.user("reviewer").username, "version": 1},
    ),
    Endpoint(
        "claim-bulk-decide",
        "POST",
        lambda w, u: "/api/v1/claims/bulk-decide/",
        CURATORS,
        200,
        body=lambda w, u: {"claims": [{"id": w.claim.pk, "version": 1}], "decision": "reject"},
    ),
    Endpoint(
        "claim-bulk-undo",
        "POST",
        lambda w, u: "/api/v1/claims/bulk-undo/",
        CURATORS,
        200,
        body=lambda w, u: {"undo": _undo_token(w, u)},
    ),
    Endpoint("claim-annotation", "GET", lambda w, u: f"/api/v1/claims/{w.claim.pk}/annotation/", EVERYONE, 200),
    # groups, sources, evidence, ratings
    Endpoint("group-list", "GET", lambda w, u: "/api/v1/groups/", EVERYONE, 200),
    Endpoint("group-detail", "GET", lambda w, u: f"/api/v1/groups/{w.group_a.pk}/", EVERYONE, 200),
    Endpoint(
        "group-detail",
        "PATCH",
        lambda w, u: f"/api/v1/groups/{w.group_a.pk}/",
        CURATORS,
        200,
        body=lambda w, u: {"statement": "The harbour plan costs €7 million", "version": 1},
    ),
    Endpoint(
        "group-merge",
        "POST",
        lambda w, u: f"/api/v1/groups/{w.group_a.pk}/merge/",
        CURATORS,
        200,
        body=lambda w, u: {"others": [w.group_b.pk], "version": 1},
    ),
    Endpoint(
        "group-split",
        "POST",
        lambda w, u: f"/api/v1/groups/{w.split[0].pk}/split/",
        CURATORS,
        201,
        body=lambda w, u: {"claim_ids": [w.split[1][1].pk], "version": 1},
    ),
    Endpoint("source-list", "GET", lambda w, u: "/api/v1/sources/", EVERYONE, 200),
    Endpoint("source-detail", "GET", lambda w, u: f"/api/v1/sources/{w.source.pk}/", EVERYONE, 200),
    Endpoint(
        "source-list",
        "POST",
        lambda w, u: "/api/v1/sources/",
        WRITERS,
        201,
        body=lambda w, u: {"url": "https://stats.example/t1", "title": "Table 1"},
    ),
    Endpoint("evidence-list", "GET", lambda w, u: "/api/v1/evidence/", EVERYONE, 200),
    Endpoint("evidence-detail", "GET", lambda w, u: f"/api/v1/evidence/{w.evidence.pk}/", EVERYONE, 200),
    Endpoint(
        "evidence-list",
        "POST",
        lambda w, u: "/api/v1/evidence/",
        WRITERS,
        201,
        body=lambda w, u: {"group": w.group_a.pk, "source": w.source.pk, "relation": "supports"},
    ),
    # evidence added by another reviewer: reviewers may remove only their own (per object)
    Endpoint("evidence-detail", "DELETE", lambda w, u: f"/api/v1/evidence/{w.evidence.pk}/", CURATORS, 204),
    Endpoint("rating-scale-list", "GET", lambda w, u: "/api/v1/rating-scales/", EVERYONE, 200),
    Endpoint("rating-scale-detail", "GET", lambda w, u: f"/api/v1/rating-scales/{w.rating.scale_id}/", EVERYONE, 200),
    # verdicts (written by another reviewer, approved by another editor)
    Endpoint("verdict-list", "GET", lambda w, u: "/api/v1/verdicts/", EVERYONE, 200),
    Endpoint("verdict-detail", "GET", lambda w, u: f"/api/v1/verdicts/{w.draft.pk}/", EVERYONE, 200),
    Endpoint(
        "verdict-list",
        "POST",
        lambda w, u: "/api/v1/verdicts/",
        WRITERS,
        201,
        body=lambda w, u: {"group": w.group_a.pk, "rating": w.rating.pk, "rationale": "Draft."},
    ),
    Endpoint(
        "verdict-detail",
        "PATCH",
        lambda w, u: f"/api/v1/verdicts/{w.draft.pk}/",
        CURATORS,
        200,
        body=lambda w, u: {"rationale": "Edited.", "version": 1},
    ),
    Endpoint(
        "verdict-submit",
        "POST",
        lambda w, u: f"/api/v1/verdicts/{w.draft.pk}/submit/",
        CURATORS,
        200,
        body=lambda w, u: {"version": 1},
    ),
    Endpoint(
        "verdict-approve",
        "POST",
        lambda w, u: f"/api/v1/verdicts/{w.submitted.pk}/approve/",
        CURATORS,
        200,
        body=lambda w, u: {"version": 2},
    ),
    Endpoint(
        "verdict-publish",
        "POST",
        lambda w, u: f"/api/v1/verdicts/{w.approved.pk}/publish/",
        CURATORS,
        200,
        body=lambda w, u: {"version": 3},
    ),
    Endpoint(
        "verdict-correct",
        "POST",
        lambda w, u: f"/api/v1/verdicts/{w.published.pk}/correct/",
        CURATORS,
        201,
        body=lambda w, u: {"version": 4, "rating": w.rating.pk, "rationale": "New data.", "note": "Fixed."},
    ),
    Endpoint(
        "verdict-claimreview", "GET", lambda w, u: f"/api/v1/verdicts/{w.published.pk}/claimreview/", EVERYONE, 200
    ),
    Endpoint("claimreview-list", "GET", lambda w, u: "/api/v1/claimreviews/", EVERYONE, 200),
    # people (speakers with aliases): everyone reads, curators rename, edit aliases, merge
    Endpoint("person-list", "GET", lambda w, u: "/api/v1/people/?q=lind", EVERYONE, 200),
    Endpoint("person-detail", "GET", lambda w, u: f"/api/v1/people/{w.people[0].pk}/", EVERYONE, 200),
    Endpoint(
        "person-detail",
        "PATCH",
        lambda w, u: f"/api/v1/people/{w.people[0].pk}/",
        CURATORS,
        200,
        body=lambda w, u: {"description": "City mayor", "version": 1},
    ),
    Endpoint(
        "person-alias-add",
        "POST",
        lambda w, u: f"/api/v1/people/{w.people[0].pk}/aliases/",
        CURATORS,
        201,
        body=lambda w, u: {"alias": "Mayor Lind", "version": 1},
    ),
    Endpoint(
        "person-alias-remove",
        "DELETE",
        lambda w, u: f"/api/v1/people/{w.people[0].pk}/aliases/{w.people[2].pk}/",
        CURATORS,
        200,
        body=lambda w, u: {"version": 1},
    ),
    Endpoint(
        "person-merge",
        "POST",
        lambda w, u: f"/api/v1/people/{w.people[0].pk}/merge/",
        CURATORS,
        200,
        body=lambda w, u: {"into": w.people[1].pk, "version": 1},
    ),
    # the caller's own tokens
    Endpoint("token-list", "GET", lambda w, u: "/api/v1/tokens/", EVERYONE, 200),
    Endpoint(
        "token-list",
        "POST",
        lambda w, u: "/api/v1/tokens/",
        EVERYONE,
        201,
        body=lambda w, u: {"password": "pass-for-tests"},
    ),  # a new token always needs the password
    Endpoint("token-detail", "DELETE", lambda w, u: f"/api/v1/tokens/{_own_token_key(w, u)}/", EVERYONE, 204),
    # webhooks (the integration's own; admins see all)
    Endpoint("webhook-list", "GET", lambda w, u: "/api/v1/webhooks/", HOOKS, 200),
    Endpoint("webhook-detail", "GET", lambda w, u: f"/api/v1/webhooks/{w.webhook.pk}/", HOOKS, 200),
    Endpoint(
        "webhook-list",
        "POST",
        lambda w, u: "/api/v1/webhooks/",
        HOOKS,
        201,
        body=lambda w, u: {"url": "https://cms.example/hooks", "events": ["verdict.published"]},
    ),
    Endpoint(
        "webhook-detail",
        "PATCH",
        lambda w, u: f"/api/v1/webhooks/{w.webhook.pk}/",
        HOOKS,
        200,
        body=lambda w, u: {"is_active": False},
    ),
    Endpoint("webhook-detail", "DELETE", lambda w, u: f"/api/v1/webhooks/{w.webhook.pk}/", HOOKS, 204),
    Endpoint("webhook-deliveries", "GET", lambda w, u: f"/api/v1/webhooks/{w.webhook.pk}/deliveries/", HOOKS, 200),
    # cross-linking (matching): searching changes nothing, so every reader may search
    Endpoint("previously-checked", "GET", lambda w, u: "/api/v1/previously-checked/?text=harbour+plan", EVERYONE, 200),
    Endpoint(
        "previously-checked",
        "POST",
        lambda w, u: "/api/v1/previously-checked/",
        EVERYONE,
        200,
        body=lambda w, u: {"text": "harbour plan"},
    ),
    Endpoint("match-suggestion-list", "GET", lambda w, u: "/api/v1/match-suggestions/", EVERYONE, 200),
    Endpoint(
        "match-suggestion-detail", "GET", lambda w, u: f"/api/v1/match-suggestions/{w.suggestion.pk}/", EVERYONE, 200
    ),
    Endpoint(
        "match-suggestion-confirm",
        "POST",
        lambda w, u: f"/api/v1/match-suggestions/{w.suggestion.pk}/confirm/",
        CURATORS,
        200,
    ),
    Endpoint(
        "match-suggestion-reject",
        "POST",
        lambda w, u: f"/api/v1/match-suggestions/{w.suggestion.pk}/reject/",
        CURATORS,
        200,
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method}:{e.name}")
def test_permission_matrix(endpoint, persona, world):
    user = world.user(persona)
    client = token_client(user)
    path, body = endpoint.path(world, user), endpoint.body(world, user)
    before = _state()
    response = getattr(client, endpoint.method.lower())(path, body, format="json")
    if persona == "anonymous":
        expected = 401
    elif persona in endpoint.allowed:
        expected = endpoint.success
    else:
        expected = 403
    assert response.status_code == expected, (path, response.content[:500])
    if expected != endpoint.success:
        assert _state() == before, "a refused request changed something"


def _state() -> tuple:
    """Counts of rows and history rows: a refused request changes none of them."""
    from articles.models import Article, ImportBatch, Outlet, OutletDomain
    from factcheck.models import ClaimGroup, Evidence, Person, PersonAlias, Source
    from feeds.models import ArticlePage, ArticleSource, Feed

    models = [
        Article,
        ImportBatch,
        Claim,
        ClaimGroup,
        Verdict,
        Evidence,
        Source,
        Webhook,
        AuthToken,
        Outlet,
        OutletDomain,
        Feed,
        ArticlePage,
        ArticleSource,
        Person,
        PersonAlias,
    ]
    return (
        tuple(m.objects.count() for m in models)
        + tuple(m.history.count() for m in (Article, Claim, ClaimGroup, Verdict, Evidence, Source, Person, PersonAlias))
        + (tuple(Person.objects.order_by("id").values_list("version", "merged_into_id")),)
    )


def _routes(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern):
            callback = entry.callback
            actions = getattr(callback, "actions", None)
            if actions:
                methods = {m.upper() for m in actions} - {"HEAD", "OPTIONS"}
            else:
                view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
                methods = {m.upper() for m in ("get", "post", "patch", "put", "delete") if hasattr(view_class, m)}
            for method in methods:
                yield entry.name, method


def test_matrix_covers_every_route_and_method():
    from api.urls import urlpatterns

    routes = set(_routes(urlpatterns))
    covered = {(e.name, e.method) for e in ENDPOINTS}
    assert routes - covered == set(), "endpoints missing from the permission matrix"
    assert covered - routes == set(), "matrix names endpoints that do not exist"
