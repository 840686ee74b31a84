"""Access control over the whole project (acceptance item 6).

Every URL pattern of the project (walked from `get_resolver()`, so a new page or endpoint cannot
escape: the coverage test fails when a pattern is in no table) × every persona — anonymous, signed
in without a role (outsider), integration (read-only API), reviewer, editor, admin — with the
expected outcome, one request per cell. The REST API routes under `api:` are the matrix of
tests/api/test_permissions.py (same personas, and it checks that refused requests change nothing);
this module checks that every one of them is in it, and covers everything else: the web UI (pages
and actions, with per-object rules), the Django admin (every registered model), sign-in and
password pages, the API docs and schema, and the matching endpoints.

Also here: CSRF on session-authenticated POSTs (web forms, admin, the API with a session), token
hygiene (hashed at rest, expired / revoked / inactive-user tokens refused, never read from the
query string), session hygiene (a new session key at sign-in, cookie flags in production), and
upload limits (size of an admin import upload, number of files in one request).
"""

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from knox.models import AuthToken

from accounts.roles import Role
from articles.models import ImportBatch
from factcheck.models import Claim, ClaimGroup, Evidence, Verdict
from factcheck.services.ratings import rating_scale_ensure_default
from factcheck.services.sources import evidence_add
from factcheck.services.verdicts import verdict_approve, verdict_draft, verdict_publish, verdict_submit
from tests.factories import ArticleFactory, ClaimFactory, ClaimGroupFactory, SourceFactory, UserFactory

REPO = Path(__file__).resolve().parent.parent.parent
PERSONAS = ["anonymous", "outsider", "integration", "reviewer", "editor", "admin_user"]
READERS = {"integration", "reviewer", "editor", "admin_user"}
CURATORS = {"editor", "admin_user"}
WRITERS = {"reviewer", "editor", "admin_user"}
STAFF = {"editor", "admin_user"}  # editors and admins are staff users (accounts.services.user_create)
ADMINS = {"admin_user"}
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


class World:
    """Objects the requests act on. Objects that a request changes are made fresh per request."""

    def __init__(self, request):
        self.request = request
        self.ratings = list(rating_scale_ensure_default().ratings.order_by("order"))

    def user(self, persona):
        return None if persona == "anonymous" else self.request.getfixturevalue(persona)

    @cached_property
    def rita(self):  # another reviewer: author of drafts and evidence
        return UserFactory(username="rita-reviewer", role=Role.REVIEWER)

    @cached_property
    def boss(self):  # another editor: approves and publishes
        return UserFactory(username="bob-editor", role=Role.EDITOR)

    @cached_property
    def article(self):
        return ArticleFactory(
            body="The mayor unveiled the harbour plan on Tuesday. It will cost €7 million, officials said."
        )

    def claim(self, **kwargs):
        return ClaimFactory(article=ArticleFactory(), **kwargs)

    def group(self, mentions=1):
        group = ClaimGroupFactory()
        for _ in range(mentions):
            ClaimFactory(group=group, status=Claim.Status.ACCEPTED)
        return group

    def verdict(self, state="draft", by=None):
        v = verdict_draft(group=self.group(), by=by or self.rita, rating=self.ratings[1], rationale="Records differ.")
        if state in ("submitted", "approved", "published"):
            verdict_submit(verdict=v, by=by or self.rita)
        if state in ("approved", "published"):
            verdict_approve(verdict=v, by=self.boss)
        if state == "published":
            verdict_publish(verdict=v, by=self.boss)
        return v

    def evidence(self, by=None):
        return evidence_add(group=self.group(), source=SourceFactory(), relation="refutes", by=by or self.rita)

    def notification(self, user):
        from discussion.models import Notification

        recipient = user or self.rita
        return Notification.objects.create(
            recipient=recipient, kind=Notification.Kind.MENTION, text="hello", group=self.group()
        )

    @cached_property
    def source(self):
        return SourceFactory()

    def person(self):
        """A fresh person (with one mention and a second, removable alias)."""
        from factcheck.services.people import person_for_speaker

        claim = self.claim()
        person = person_for_speaker(speaker=f"Speaker {claim.pk}", anonymous=False, article_id=claim.article_id)
        Claim.objects.filter(pk=claim.pk).update(speaker=person.name, person=person)
        person.aliases.create(text=f"Spkr {claim.pk}", normalized=f"spkr {claim.pk}")
        return person

    @cached_property
    def feed(self):
        from feeds.models import Feed

        return Feed.objects.create(outlet=self.article.outlet, url="https://harbour.example/rss.xml")

    def suggestion(self):
        from matching.models import MatchSuggestion

        target = self.group()
        return MatchSuggestion.objects.create(
            claim=self.claim(), group=target, target_claim=target.claims.first(), score=0.6, matcher="test-1"
        )

    def admin_object(self, label: str):
        """One object of an admin-registered model, for its change/delete/history pages."""
        from django.apps import apps

        model = apps.get_model(label)
        existing = model.objects.order_by("pk").first()
        if existing is not None:
            return existing
        makers = {
            "auth.group": lambda: __import__(
                "django.contrib.auth.models", fromlist=["Group"]
            ).Group.objects.get_or_create(name="editor")[0],
            "knox.authtoken": lambda: AuthToken.objects.create(user=self.rita)[0],
            "articles.outlet": lambda: self.article.outlet,
            "articles.importbatch": lambda: ImportBatch.objects.create(source_name="earlier.csv"),
            "factcheck.claim": lambda: self.claim(),
            "factcheck.claimgroup": lambda: self.group(),
            "factcheck.source": lambda: self.source,
            "factcheck.verdict": lambda: self.verdict(),
            "factcheck.person": lambda: self.person(),
            "matching.matchsuggestion": lambda: self.suggestion(),
            "matching.matchdecision": lambda: _match_decision(self),
            "matching.claimsignature": lambda: _claim_signature(self),
            "matching.pastfactcheck": lambda: _past_fact_check(),
            "webhooks.webhook": lambda: _webhook(self),
            "feeds.feed": lambda: self.feed,
            "feeds.articlepage": lambda: self.feed.pages.create(guid="g", url="https://harbour.example/news/1"),
            "feeds.articlesource": lambda: _article_source(self),
            "feeds.hoststate": lambda: __import__("feeds.models", fromlist=["HostState"]).HostState.objects.create(
                host="harbour.example"
            ),
            "webhooks.webhookdelivery": lambda: _webhook(self).deliveries.create(event="verdict.published", payload={}),
            "axes.accessattempt": lambda: model.objects.create(
                username="rita-reviewer", ip_address="192.0.2.1", failures_since_start=1
            ),
            "axes.accesslog": lambda: model.objects.create(username="rita-reviewer", ip_address="192.0.2.1"),
            "axes.accessfailurelog": lambda: model.objects.create(username="rita-reviewer", ip_address="192.0.2.1"),
        }
        return makers[label]()


def _article_source(w):
    from feeds.models import ArticleSource

    return ArticleSource.objects.create(article=w.article, url=w.article.url)


def _webhook(w):
    from webhooks.models import Webhook

    return Webhook.objects.create(url="https://cms.example/hook", events=["verdict.published"], owner=w.rita)


def _match_decision(w):
    from matching.models import MatchDecision

    return MatchDecision.objects.create(
        claim_a=w.claim(), claim_b=w.claim(), kind="same", action="confirm", decided_by=w.boss
    )


def _claim_signature(w):
    from matching.models import ClaimSignature

    claim = w.claim()
    return ClaimSignature.objects.create(claim=claim, article=claim.article, matcher="test-1", text_hash="abc")


def _past_fact_check():
    from matching.models import PastFactCheck

    return PastFactCheck.objects.create(
        claim_text="The harbour plan costs €7 million.",
        dataset="test",
        external_id="1",
        url="https://factcheck.example/1",
    )


@dataclass
class Cell:
    """One URL pattern: how to call it, who may, and what 'allowed' looks like."""

    name: str
    method: str
    path: Callable[[World, object], str]
    allowed: set
    success: tuple = (200,)
    body: Callable[[World, object], dict] = lambda w, u: {}
    anonymous: object = "login"  # "login" (302 to sign-in), "admin-login", or a status code
    refused: int = 403  # status for a signed-in persona that may not
    json: bool = True  # send Accept: application/json (the article script's calls)


def _who(user) -> str:
    return user.username if user is not None else "anonymous"


def _undo_token(w, user) -> str:
    from django.core import signing

    from factcheck.services.claims import UNDO_SALT

    return signing.dumps(
        {"by": user.pk if user else 0, "claims": [[w.claim().pk, "candidate", 1]]}, salt=UNDO_SALT, compress=True
    )


def _alias_remove_path(w) -> str:
    person = w.person()
    alias = person.aliases.exclude(text=person.name).get()
    return f"/people/{person.pk}/aliases/{alias.pk}/remove/"


def _machine_linked(w):
    group = w.group()
    return ClaimFactory(group=group, grouped_by="clause-matcher/1.0", group_score=0.8)


def _v(obj) -> dict:
    return {"version": obj.version}


WEB = [
    Cell("web:queue", "GET", lambda w, u: "/", READERS),
    Cell("web:article-detail", "GET", lambda w, u: f"/articles/{w.article.pk}/", READERS),
    Cell("web:search", "GET", lambda w, u: "/search/?q=harbour", READERS),
    # outlets and feeds: everyone reads, editors manage; editors paste article URLs and re-fetch
    Cell("web:outlet-list", "GET", lambda w, u: "/outlets/", READERS),
    Cell("web:outlet-detail", "GET", lambda w, u: f"/outlets/{w.article.outlet_id}/", READERS),
    Cell(
        "web:outlet-create",
        "POST",
        lambda w, u: "/outlets/new/",
        CURATORS,
        (201,),
        body=lambda w, u: {"name": f"Outlet of {_who(u)}", "domains": f"{_who(u)}.example"},
    ),
    Cell(
        "web:outlet-update",
        "POST",
        lambda w, u: f"/outlets/{w.article.outlet_id}/update/",
        CURATORS,
        body=lambda w, u: {"name": w.article.outlet.name, "domains": "harbour.example"},
    ),
    Cell("web:feed-list", "GET", lambda w, u: "/feeds/", READERS),
    Cell(
        "web:feed-create",
        "POST",
        lambda w, u: "/feeds/new/",
        CURATORS,
        (201,),
        body=lambda w, u: {"outlet": w.article.outlet_id, "url": f"https://harbour.example/{_who(u)}.xml"},
    ),
    Cell("web:feed-poll", "POST", lambda w, u: f"/feeds/{w.feed.pk}/poll/", CURATORS),
    Cell(
        "web:article-fetch",
        "POST",
        lambda w, u: "/articles/fetch/",
        CURATORS,
        (202,),
        body=lambda w, u: {"url": f"https://harbour.example/news/{_who(u)}"},
    ),
    Cell("web:article-refetch", "POST", lambda w, u: f"/articles/{w.article.pk}/refetch/", CURATORS, (202,)),
    Cell("web:dashboard", "GET", lambda w, u: "/dashboard/", READERS),
    Cell("web:source-list", "GET", lambda w, u: "/sources/", READERS),
    Cell("web:source-detail", "GET", lambda w, u: f"/sources/{w.source.pk}/", READERS),
    Cell("web:preference-edit", "GET", lambda w, u: "/preferences/", READERS),
    Cell("web:claims-export", "GET", lambda w, u: "/exports/claims.csv?view=claims&status=any", READERS, json=False),
    Cell("web:verdicts-export", "GET", lambda w, u: "/exports/verdicts.jsonld?view=claims", READERS, json=False),
    Cell("web:claim-detail", "GET", lambda w, u: f"/claims/{w.claim().pk}/", READERS),
    Cell("web:group-detail", "GET", lambda w, u: f"/groups/{w.group().pk}/", READERS),
    # claim actions (JSON for the article script)
    Cell(
        "web:claim-create",
        "POST",
        lambda w, u: "/claims/new/",
        CURATORS,
        (201,),
        body=lambda w, u: {"article": w.article.pk, "start": 0, "end": 9, "exact": "The mayor"},
    ),
    Cell(
        "web:claims-bulk",
        "POST",
        lambda w, u: "/claims/bulk/",
        CURATORS,
        body=lambda w, u: {"claims": f"{w.claim().pk}:1", "decision": "reject"},
    ),
    Cell(
        "web:claims-bulk-undo",
        "POST",
        lambda w, u: "/claims/bulk/undo/",
        CURATORS,
        (200, 302),
        body=lambda w, u: {"undo": _undo_token(w, u)},
    ),
    Cell(
        "web:claim-accept",
        "POST",
        lambda w, u: f"/claims/{(c := w.claim()).pk}/accept/",
        CURATORS,
        body=lambda w, u: {"version": 1},
    ),
    Cell(
        "web:claim-reject",
        "POST",
        lambda w, u: f"/claims/{w.claim().pk}/reject/",
        CURATORS,
        body=lambda w, u: {"version": 1},
    ),
    Cell(
        "web:claim-update",
        "POST",
        lambda w, u: f"/claims/{w.claim().pk}/update/",
        CURATORS,
        body=lambda w, u: {"version": 1, "speaker": "officials", "claim_type": "quantity"},
    ),
    Cell(
        "web:claim-span",
        "POST",
        lambda w, u: f"/claims/{w.claim().pk}/span/",
        CURATORS,
        body=lambda w, u: {"version": 1, "start": 0, "end": 11, "exact": "The council"},
    ),
    Cell(
        "web:claim-assign",
        "POST",
        lambda w, u: f"/claims/{w.claim().pk}/assign/",
        CURATORS,
        body=lambda w, u: {"version": 1, "assignee": w.rita.pk},
    ),
    # claim group page forms (redirect back to the group on success)
    Cell(
        "web:group-split",
        "POST",
        lambda w, u: f"/groups/{(g := w.group(2)).pk}/split/",
        CURATORS,
        (302,),
        body=lambda w, u: {"claim": ClaimGroup.objects.order_by("-pk").first().claims.order_by("pk").last().pk},
    ),
    Cell(
        "web:group-merge",
        "POST",
        lambda w, u: f"/groups/{w.group().pk}/merge/",
        CURATORS,
        (302,),
        body=lambda w, u: {"other": str(w.group().pk)},
    ),
    # the matcher's suggestions, decided by editors
    Cell("web:suggestion-list", "GET", lambda w, u: "/suggestions/", READERS),
    Cell("web:suggestion-confirm", "POST", lambda w, u: f"/suggestions/{w.suggestion().pk}/confirm/", CURATORS),
    Cell("web:suggestion-reject", "POST", lambda w, u: f"/suggestions/{w.suggestion().pk}/reject/", CURATORS),
    Cell(
        "web:evidence-add",
        "POST",
        lambda w, u: f"/groups/{w.group().pk}/evidence/",
        WRITERS,
        (302,),
        body=lambda w, u: {"url": "https://stats.example/t1", "title": "Table 1", "relation": "supports"},
    ),
    # evidence added by another reviewer: a reviewer may remove only their own
    Cell("web:evidence-remove", "POST", lambda w, u: f"/evidence/{w.evidence().pk}/remove/", CURATORS, (302,)),
    Cell(
        "web:verdict-draft",
        "POST",
        lambda w, u: f"/groups/{w.group().pk}/verdicts/",
        WRITERS,
        (302,),
        body=lambda w, u: {"rating": w.ratings[0].pk, "rationale": "Draft."},
    ),
    # another reviewer's draft: a reviewer may not edit or submit it; editors may
    Cell(
        "web:verdict-update",
        "POST",
        lambda w, u: f"/verdicts/{w.verdict().pk}/update/",
        CURATORS,
        (302,),
        body=lambda w, u: {"rating": w.ratings[2].pk, "rationale": "Edited.", "version": 1},
    ),
    Cell(
        "web:verdict-submit",
        "POST",
        lambda w, u: f"/verdicts/{w.verdict().pk}/submit/",
        CURATORS,
        (302,),
        body=lambda w, u: {"version": 1},
    ),
    Cell(
        "web:claim-link-confirm",
        "POST",
        lambda w, u: f"/claims/{_machine_linked(w).pk}/link-confirm/",
        CURATORS,
        body=lambda w, u: {},
    ),
    Cell(
        "web:claim-link-detach",
        "POST",
        lambda w, u: f"/claims/{_machine_linked(w).pk}/link-detach/",
        CURATORS,
        body=lambda w, u: {},
    ),
    Cell(
        "web:group-review-mode",
        "POST",
        lambda w, u: f"/groups/{w.group().pk}/review-mode/",
        CURATORS,
        (302,),
        body=lambda w, u: {"double_review": "two"},
        json=False,
    ),
    Cell(
        "web:group-statement",
        "POST",
        lambda w, u: f"/groups/{w.group().pk}/statement/",
        CURATORS,
        (302,),
        body=lambda w, u: {"statement": "The harbour plan costs €7 million", "version": 1},
        json=False,
    ),
    Cell(
        "web:verdict-approve",
        "POST",
        lambda w, u: f"/verdicts/{w.verdict('submitted').pk}/approve/",
        CURATORS,
        (302,),
        body=lambda w, u: {"version": 2},
    ),
    Cell(
        "web:verdict-publish",
        "POST",
        lambda w, u: f"/verdicts/{w.verdict('approved').pk}/publish/",
        CURATORS,
        (302,),
        body=lambda w, u: {"version": 3},
    ),
    Cell(
        "web:verdict-correct",
        "POST",
        lambda w, u: f"/verdicts/{w.verdict('published').pk}/correct/",
        CURATORS,
        (302,),
        body=lambda w, u: {
            "version": 4,
            "rating": w.ratings[3].pk,
            "rationale": "New data.",
            "note": "Fixed the figure.",
        },
    ),
    # discussion: integrations only read; a notification is opened only by its recipient
    Cell(
        "web:group-comment",
        "POST",
        lambda w, u: f"/groups/{w.group().pk}/comments/",
        WRITERS,
        (302,),
        body=lambda w, u: {"body": "Checked the **budget** table."},
    ),
    Cell(
        "web:verdict-comment",
        "POST",
        lambda w, u: f"/verdicts/{w.verdict().pk}/comments/",
        WRITERS,
        (302,),
        body=lambda w, u: {"body": "Rating looks right."},
    ),
    # people: everyone reads, editors rename, edit aliases and merge (the confirmation page too)
    Cell("web:person-list", "GET", lambda w, u: "/people/?q=speaker", READERS),
    Cell("web:person-detail", "GET", lambda w, u: f"/people/{w.person().pk}/", READERS),
    Cell(
        "web:person-update",
        "POST",
        lambda w, u: f"/people/{w.person().pk}/update/",
        CURATORS,
        (302,),
        body=lambda w, u: {"name": f"Renamed by {_who(u)}", "description": "", "version": 1},
        json=False,
    ),
    Cell(
        "web:person-alias-add",
        "POST",
        lambda w, u: f"/people/{w.person().pk}/aliases/",
        CURATORS,
        (302,),
        body=lambda w, u: {"alias": f"Alias by {_who(u)}", "version": 1},
        json=False,
    ),
    Cell(
        "web:person-alias-remove",
        "POST",
        lambda w, u: _alias_remove_path(w),
        CURATORS,
        (302,),
        body=lambda w, u: {"version": 1},
        json=False,
    ),
    Cell("web:person-merge", "GET", lambda w, u: f"/people/{w.person().pk}/merge/?target={w.person().pk}", CURATORS),
    Cell(
        "web:person-merge",
        "POST",
        lambda w, u: f"/people/{(p := w.person()).pk}/merge/",
        CURATORS,
        (302,),
        body=lambda w, u: {"target": w.person().pk, "version": 1, "target_version": 1},
        json=False,
    ),
    Cell("web:notification-list", "GET", lambda w, u: "/notifications/", READERS),
    Cell("web:notifications-read", "POST", lambda w, u: "/notifications/read/", READERS, (302,)),
    Cell("web:notification-open", "POST", lambda w, u: f"/notifications/{w.notification(u).pk}/open/", READERS, (302,)),
]

EVERYONE = set(PERSONAS) - {"anonymous"}
# Public fact-check pages: no sign-in, the same for every persona (drafts never shown: see
# tests/publishing/test_public_pages.py::test_drafts_never_leak_whoever_asks).
PUBLIC = [
    Cell("public:factcheck-list", "GET", lambda w, u: "/fact-checks/", EVERYONE, anonymous=200, json=False),
    Cell("public:factcheck-feed-rss", "GET", lambda w, u: "/fact-checks/feed/", EVERYONE, anonymous=200, json=False),
    Cell(
        "public:factcheck-feed-atom", "GET", lambda w, u: "/fact-checks/feed/atom/", EVERYONE, anonymous=200, json=False
    ),
    Cell(
        "public:factcheck-detail",
        "GET",
        lambda w, u: f"/fact-checks/{w.verdict('published').group_id}/",
        EVERYONE,
        anonymous=200,
        json=False,
    ),
    Cell("public:factcheck-version", "GET", lambda w, u: _superseded_page(w), EVERYONE, anonymous=200, json=False),
]


def _superseded_page(w) -> str:
    from tests.factories import correction_published

    old = w.verdict("published")
    correction_published(
        verdict=old,
        by=w.boss,
        approver=w.request.getfixturevalue("admin_user"),
        rating=w.ratings[2],
        rationale="Revised.",
        note="Revised figures.",
    )
    return f"/fact-checks/{old.group_id}/versions/{old.pk}/"


ACCOUNTS = [
    Cell("login", "GET", lambda w, u: "/accounts/login/", EVERYONE, anonymous=200),
    # Signing out is a POST (a GET could be forged by any page).
    Cell("logout", "POST", lambda w, u: "/accounts/logout/", EVERYONE, (302,), anonymous=302, json=False),
    Cell("password_change", "GET", lambda w, u: "/accounts/password_change/", EVERYONE),
    Cell("password_change_done", "GET", lambda w, u: "/accounts/password_change/done/", EVERYONE),
    Cell("password_reset", "GET", lambda w, u: "/accounts/password_reset/", EVERYONE, anonymous=200),
    Cell("password_reset_done", "GET", lambda w, u: "/accounts/password_reset/done/", EVERYONE, anonymous=200),
    Cell("password_reset_confirm", "GET", lambda w, u: "/accounts/reset/MQ/bad-token/", EVERYONE, anonymous=200),
    Cell("password_reset_complete", "GET", lambda w, u: "/accounts/reset/done/", EVERYONE, anonymous=200),
]

DOCS = [
    # The schema and the docs describe the endpoints and hold no data: public, like the sign-in page.
    Cell("api-schema", "GET", lambda w, u: "/api/schema/", EVERYONE, anonymous=200, json=False),
    Cell("api-docs", "GET", lambda w, u: "/api/docs/", EVERYONE, anonymous=200, json=False),
    Cell("api-redoc", "GET", lambda w, u: "/api/redoc/", EVERYONE, (301,), anonymous=301, json=False),
    Cell("favicon", "GET", lambda w, u: "/favicon.ico", EVERYONE, (301,), anonymous=301, json=False),
]


# Django admin: who may open each model's pages. Editors are staff with view permissions on
# articles and factcheck (read-only admin); admins (the role, not superusers) do everything there.
# Non-staff personas are sent to the admin sign-in page.
ADMIN_VIEW = {
    "auth.group": ADMINS,
    "auth.user": ADMINS,
    "knox.authtoken": ADMINS,
    "articles.outlet": STAFF,
    "articles.article": STAFF,
    "articles.importbatch": STAFF,
    "factcheck.ratingscale": STAFF,
    "factcheck.claim": STAFF,
    "factcheck.claimgroup": STAFF,
    "factcheck.source": STAFF,
    "factcheck.verdict": STAFF,
    "factcheck.person": STAFF,
    "matching.matchsuggestion": ADMINS,
    "matching.matchdecision": ADMINS,
    "matching.claimsignature": ADMINS,
    "matching.pastfactcheck": ADMINS,
    "webhooks.webhook": ADMINS,
    "webhooks.webhookdelivery": ADMINS,
    "axes.accessattempt": ADMINS,
    "axes.accesslog": ADMINS,
    "axes.accessfailurelog": ADMINS,
    "feeds.feed": STAFF,
    "feeds.articlepage": STAFF,
    "feeds.articlesource": STAFF,
    "feeds.hoststate": STAFF,
}
# Editors manage outlets and feeds, in the admin too (through the same services).
ADMIN_ADD = {"articles.outlet": STAFF, "feeds.feed": STAFF}


# Models that nobody adds through the admin: services write them (claims come from extraction or
# the UI with verified offsets; verdicts go draft → submitted → approved by someone else →
# published; suggestions and signatures come from matching, deliveries from events).
ADMIN_NO_ADD = {
    "factcheck.claim",
    "factcheck.verdict",
    "factcheck.claimgroup",
    "factcheck.source",
    "factcheck.person",
    "matching.matchsuggestion",
    "matching.matchdecision",
    "matching.claimsignature",
    "webhooks.webhookdelivery",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",  # django-axes writes them
    "feeds.articlepage",
    "feeds.articlesource",
    "feeds.hoststate",
}


def _history_url(base: str, pk, model) -> str:
    record = model.history.filter(id=pk).order_by("history_id").first()
    if record is None:  # objects made without a history row: make one
        model.objects.get(pk=pk).save()
        record = model.history.filter(id=pk).order_by("history_id").first()
    return f"{base}{pk}/history/{record.history_id}/"


def _ct(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def admin_cells() -> list[Cell]:
    cells = [
        Cell("admin:index", "GET", lambda w, u: "/admin/", STAFF, anonymous="admin-login", refused="admin-login"),
        Cell(
            "admin:login",
            "GET",
            lambda w, u: "/admin/login/",
            STAFF | {"outsider", "integration", "reviewer"},
            (200, 302),
            anonymous=200,
        ),
        Cell("admin:logout", "POST", lambda w, u: "/admin/logout/", EVERYONE, (302,), anonymous=302, json=False),
        Cell(
            "admin:password_change",
            "GET",
            lambda w, u: "/admin/password_change/",
            STAFF,
            anonymous="admin-login",
            refused="admin-login",
        ),
        Cell(
            "admin:password_change_done",
            "GET",
            lambda w, u: "/admin/password_change/done/",
            STAFF,
            anonymous="admin-login",
            refused="admin-login",
        ),
        Cell(
            "admin:jsi18n", "GET", lambda w, u: "/admin/jsi18n/", STAFF, anonymous="admin-login", refused="admin-login"
        ),
        # autocomplete without a known field: staff get 403 (bad request for it), others the sign-in page
        Cell(
            "admin:autocomplete",
            "GET",
            lambda w, u: "/admin/autocomplete/",
            set(),
            anonymous="admin-login",
            refused=403,
        ),
        Cell(
            "admin:catch-all",
            "GET",
            lambda w, u: "/admin/no-such-page/",
            STAFF,
            (302, 404),
            anonymous="admin-login",
            refused="admin-login",
        ),
    ]
    apps_seen = set()
    for model in admin.site._registry:
        label = model._meta.label_lower
        app, name = label.split(".")
        apps_seen.add(app)
        view = ADMIN_VIEW.get(label, set())
        base = f"/admin/{app}/{name}/"
        obj = lambda w, u, label=label: w.admin_object(label).pk  # noqa: E731
        cells += [
            Cell(
                f"admin:{app}_{name}_changelist",
                "GET",
                lambda w, u, b=base: b,
                view,
                anonymous="admin-login",
                refused=403,
            ),
            Cell(
                f"admin:{app}_{name}_add",
                "GET",
                lambda w, u, b=base: b + "add/",
                set() if label in ADMIN_NO_ADD else ADMIN_ADD.get(label, ADMINS & view),
                anonymous="admin-login",
                refused=403,
            ),
            Cell(
                f"admin:{app}_{name}_change",
                "GET",
                lambda w, u, b=base, o=obj: f"{b}{o(w, u)}/change/",
                view,
                anonymous="admin-login",
                refused=403,
            ),
            Cell(
                f"admin:{app}_{name}_history",
                "GET",
                lambda w, u, b=base, o=obj: f"{b}{o(w, u)}/history/",
                view,
                anonymous="admin-login",
                refused=403,
            ),
            Cell(
                f"admin:{app}_{name}_delete",
                "GET",
                lambda w, u, b=base, o=obj: f"{b}{o(w, u)}/delete/",
                ADMINS & view,
                anonymous="admin-login",
                refused=403,
            ),
            # /admin/<app>/<model>/<id>/ redirects to the change page (for anyone who may open admin)
            Cell(
                f"admin:{app}_{name}_redirect",
                "GET",
                lambda w, u, b=base, o=obj: f"{b}{o(w, u)}/",
                STAFF,
                (302,),
                anonymous="admin-login",
                refused="admin-login",
            ),
        ]
        if hasattr(model, "history") and f"admin:{app}_{name}_simple_history" in _ADMIN_NAMES:
            cells.append(
                Cell(
                    f"admin:{app}_{name}_simple_history",
                    "GET",
                    lambda w, u, b=base, o=obj, m=model: _history_url(b, o(w, u), m),
                    view,
                    anonymous="admin-login",
                    refused=403,
                )
            )
    cells += [
        Cell(
            "admin:auth_user_password_change",
            "GET",
            lambda w, u: f"/admin/auth/user/{w.rita.pk}/password/",
            ADMINS,
            anonymous="admin-login",
            refused=403,
        ),
        # "view on site": none of the models has a public page of its own
        Cell(
            "admin:view_on_site",
            "GET",
            lambda w, u: f"/admin/r/{_ct(w.article)}/{w.article.pk}/",
            set(),
            anonymous="admin-login",
            refused=404,
        ),
    ]
    for app in sorted(apps_seen):
        app_view = {p for label, who in ADMIN_VIEW.items() if label.startswith(app + ".") for p in who}
        cells.append(
            Cell(
                f"admin:app_list:{app}",
                "GET",
                lambda w, u, a=app: f"/admin/{a}/",
                app_view,
                anonymous="admin-login",
                refused=404,
            )
        )
    return cells


def _client(user) -> Client:
    client = Client()
    client.raise_request_exception = False
    if user is not None:
        client.force_login(user)
    return client


def _outcome(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith(LOGIN + "?next="):
        return "login"
    if response.status_code == 302 and location.startswith(ADMIN_LOGIN + "?next="):
        return "admin-login"
    return str(response.status_code)


def _expected(cell: Cell, persona: str) -> set[str]:
    if persona == "anonymous":
        return {str(cell.anonymous)}
    if persona in cell.allowed:
        return {str(s) for s in cell.success}
    if cell.anonymous == "admin-login" and persona not in STAFF:
        return {"admin-login"}  # the admin lets in staff only; the others are sent to its sign-in page
    return {str(cell.refused)}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_and_endpoint_for_every_persona(persona, request):
    """One request per URL pattern for this persona; all mismatches are reported together."""
    from django.core.cache import cache

    cache.clear()
    world = World(request)
    user = world.user(persona)
    client = _client(user)
    wrong = []
    for cell in ALL_CELLS:
        path = cell.path(world, user)
        headers = {"HTTP_ACCEPT": "application/json"} if cell.json else {}
        if cell.method == "GET":
            response = client.get(path, **headers)
        else:
            response = client.post(path, cell.body(world, user), **headers)
        got = _outcome(response)
        expected = _expected(cell, persona)
        if got not in expected:
            wrong.append(
                f"{cell.method} {path} [{cell.name}]: got {got}, expected {' or '.join(sorted(expected))}"
                f" {response.content[:160]!r}"
            )
        if cell.name in ("logout", "admin:logout") and user is not None:
            client.force_login(user)  # signed out by that request: sign in again for the rest
    assert not wrong, f"{len(wrong)} cells wrong for {persona}:\n" + "\n".join(wrong)


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace + (entry.name or "")


_ADMIN_NAMES = {name for _, name in _walk(get_resolver().url_patterns) if name.startswith("admin:")}
ADMIN = admin_cells()
ALL_CELLS = WEB + ACCOUNTS + PUBLIC + DOCS + ADMIN  # the API's, matching's included: tests/api/test_permissions.py


def _cell_for(route: str, name: str) -> str:
    """The matrix cell name that covers a resolved pattern."""
    if name == "admin:":  # unnamed admin patterns: <app>/<model>/<id>/ redirect and the catch-all
        parts = route.split("/")
        return "admin:catch-all" if route.endswith("(?P<url>.*)$") else f"admin:{parts[1]}_{parts[2]}_redirect"
    if name == "admin:app_list":
        return "admin:app_list"
    return name


def test_every_url_pattern_of_the_project_is_in_a_matrix():
    from tests.api.test_permissions import ENDPOINTS

    api_names = {f"api:{e.name}" for e in ENDPOINTS}
    ours = {c.name for c in ALL_CELLS} | {"admin:app_list"}
    missing = []
    patterns = list(_walk(get_resolver().url_patterns))
    for route, name in patterns:
        cell = _cell_for(route, name)
        if cell.startswith("api:"):
            if cell not in api_names:
                missing.append(f"{route} ({name}) is not in tests/api/test_permissions.py")
        elif cell not in ours:
            missing.append(f"{route} ({name})")
    assert not missing, "URL patterns with no row in an access matrix:\n" + "\n".join(missing)
    assert len(patterns) > 150  # the admin, the web UI, the API, accounts: all found


# --- per object ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reviewer_edits_and_submits_only_their_own_draft(reviewer):
    world = World.__new__(World)
    world.ratings = list(rating_scale_ensure_default().ratings.order_by("order"))
    client = _client(reviewer)
    own = verdict_draft(group=ClaimGroupFactory(), by=reviewer, rating=world.ratings[0], rationale="Mine.")
    other = verdict_draft(
        group=ClaimGroupFactory(),
        by=UserFactory(username="rita", role=Role.REVIEWER),
        rating=world.ratings[0],
        rationale="Hers.",
    )
    body = {"rating": world.ratings[1].pk, "rationale": "Changed.", "version": 1}
    assert client.post(f"/verdicts/{other.pk}/update/", body, HTTP_ACCEPT="application/json").status_code == 403
    assert client.post(f"/verdicts/{own.pk}/update/", body).status_code == 302
    other.refresh_from_db()
    own.refresh_from_db()
    assert (other.rationale, other.version) == ("Hers.", 1)
    assert (own.rationale, own.version) == ("Changed.", 2)


@pytest.mark.django_db
def test_an_editor_never_approves_their_own_verdict(editor):
    ratings = list(rating_scale_ensure_default().ratings.order_by("order"))
    v = verdict_draft(group=ClaimGroupFactory(), by=editor, rating=ratings[0], rationale="Mine.")
    verdict_submit(verdict=v, by=editor)
    response = _client(editor).post(f"/verdicts/{v.pk}/approve/", {"version": 2}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert Verdict.objects.get(pk=v.pk).status == Verdict.Status.SUBMITTED


@pytest.mark.django_db
def test_a_reviewer_removes_only_their_own_evidence(reviewer):
    rita = UserFactory(username="rita", role=Role.REVIEWER)
    hers = evidence_add(group=ClaimGroupFactory(), source=SourceFactory(), relation="refutes", by=rita)
    mine = evidence_add(group=ClaimGroupFactory(), source=SourceFactory(), relation="supports", by=reviewer)
    client = _client(reviewer)
    assert client.post(f"/evidence/{hers.pk}/remove/", HTTP_ACCEPT="application/json").status_code == 403
    assert client.post(f"/evidence/{mine.pk}/remove/").status_code == 302
    assert list(Evidence.objects.values_list("pk", flat=True)) == [hers.pk]


@pytest.mark.django_db
def test_tokens_are_listed_and_revoked_only_by_their_owner(editor, reviewer):
    from rest_framework.test import APIClient

    mine, my_token = AuthToken.objects.create(user=editor)
    theirs, _ = AuthToken.objects.create(user=reviewer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {my_token}")
    listed = {t["token_key"] for t in client.get("/api/v1/tokens/").json()["results"]}
    assert listed == {mine.token_key}
    assert client.delete(f"/api/v1/tokens/{theirs.token_key}/").status_code == 404
    assert AuthToken.objects.filter(pk=theirs.pk).exists()


# --- CSRF ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_csrf_is_enforced_on_session_posts_of_the_web_ui_api_and_admin(editor, admin_user):
    claim = ClaimFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    # web UI action, with and without the token
    assert client.post(f"/claims/{claim.pk}/accept/", {"version": 1}).status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.CANDIDATE
    client.get(f"/articles/{claim.article_id}/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/claims/{claim.pk}/accept/", {"version": 1, "csrfmiddlewaretoken": token}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200 and Claim.objects.get(pk=claim.pk).status == Claim.Status.ACCEPTED
    # the API with a session (not a token) needs the CSRF header too
    other = ClaimFactory()
    response = client.post(f"/api/v1/claims/{other.pk}/reject/", {"version": 1}, content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert Claim.objects.get(pk=other.pk).status == Claim.Status.CANDIDATE
    response = client.post(
        f"/api/v1/claims/{other.pk}/reject/", {"version": 1}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
    # the admin (an import upload) and sign-in and sign-out
    admin_client = Client(enforce_csrf_checks=True)
    admin_client.force_login(admin_user)
    upload = SimpleUploadedFile("a.txt", b"Headline\nBody.")
    assert (
        admin_client.post("/admin/articles/importbatch/add/", {"upload": upload, "format": "auto"}).status_code == 403
    )
    assert not ImportBatch.objects.exists()
    assert admin_client.post("/accounts/logout/").status_code == 403
    anonymous = Client(enforce_csrf_checks=True)
    assert (
        anonymous.post("/accounts/login/", {"username": editor.username, "password": "pass-for-tests"}).status_code
        == 403
    )


@pytest.mark.django_db
def test_token_requests_need_no_csrf_and_a_session_cannot_ride_on_them(editor):
    from rest_framework.test import APIClient

    claim = ClaimFactory()
    _, token = AuthToken.objects.create(user=editor)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.post(f"/api/v1/claims/{claim.pk}/accept/", {"version": 1}, format="json").status_code == 200


# --- tokens and sessions ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_token_hygiene(editor):
    from rest_framework.test import APIClient

    instance, token = AuthToken.objects.create(user=editor)
    row = AuthToken.objects.filter(pk=instance.pk).values().get()
    assert all(token not in str(value) for value in row.values()), "the token is stored in plain text"
    assert len(token) >= 64

    def status(header=None, url="/api/v1/me/"):
        client = APIClient()
        if header:
            client.credentials(HTTP_AUTHORIZATION=header)
        return client.get(url).status_code

    assert status(f"Token {token}") == 200
    assert status(url=f"/api/v1/me/?token={token}") == 401  # never read from the URL (it would end up in logs)
    assert status(f"Bearer {token}") == 401
    assert status(f"Token {token[:-1]}x") == 401  # same key prefix, wrong secret
    assert status("Token " + "a" * 64) == 401
    # expired
    _, expired = AuthToken.objects.create(user=editor, expiry=timedelta(seconds=-1))
    assert status(f"Token {expired}") == 401
    # revoked
    AuthToken.objects.filter(pk=instance.pk).delete()
    assert status(f"Token {token}") == 401
    # the account switched off: its tokens stop working at once
    _, live = AuthToken.objects.create(user=editor)
    assert status(f"Token {live}") == 200
    editor.is_active = False
    editor.save(update_fields=["is_active"])
    assert status(f"Token {live}") == 401


@pytest.mark.django_db
def test_a_role_taken_away_takes_effect_at_once(editor):
    from rest_framework.test import APIClient

    _, token = AuthToken.objects.create(user=editor)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    claim = ClaimFactory()
    editor.groups.clear()
    assert client.post(f"/api/v1/claims/{claim.pk}/accept/", {"version": 1}, format="json").status_code == 403
    assert client.get("/api/v1/claims/").status_code == 403


@pytest.mark.django_db
def test_signing_in_starts_a_new_session_and_signing_out_ends_it(editor):
    client = Client()
    client.get("/accounts/login/")
    client.session["planted"] = "by an attacker"  # a session that existed before signing in
    before = client.session.session_key
    response = client.post("/accounts/login/", {"username": editor.username, "password": "pass-for-tests"})
    assert response.status_code == 302
    after = client.session.session_key
    assert after and after != before  # no session fixation
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=after).exists()


def test_production_cookies_and_headers_are_locked_down():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k) "
        "for k in ['SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SECURE', "
        "'CSRF_COOKIE_SAMESITE', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', 'SECURE_CONTENT_TYPE_NOSNIFF', "
        "'X_FRAME_OPTIONS', 'DEBUG', 'DATA_UPLOAD_MAX_NUMBER_FILES', 'DATA_UPLOAD_MAX_MEMORY_SIZE']}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "workbench.settings.production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/x",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    }
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    import json

    s = json.loads(out.stdout.strip().splitlines()[-1])
    assert s["SESSION_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"] and s["CSRF_COOKIE_SECURE"]
    assert s["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict") and s["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert s["SECURE_HSTS_SECONDS"] >= 31_536_000 and s["SECURE_SSL_REDIRECT"] and s["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert s["X_FRAME_OPTIONS"] == "DENY" and s["DEBUG"] is False
    assert s["DATA_UPLOAD_MAX_NUMBER_FILES"] <= 100 and s["DATA_UPLOAD_MAX_MEMORY_SIZE"] <= 50 * 1024 * 1024


@pytest.mark.django_db
def test_session_cookie_is_httponly_and_csrf_cookie_is_set_on_forms(editor):
    client = Client()
    response = client.post("/accounts/login/", {"username": editor.username, "password": "pass-for-tests"})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


# --- uploads -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_import_upload_over_the_size_limit_is_refused(admin_user, settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "IMPORT_MAX_FILE_BYTES": 1000}
    client = _client(admin_user)
    upload = SimpleUploadedFile("big.txt", b"Headline\n" + b"word " * 400)
    response = client.post("/admin/articles/importbatch/add/", {"upload": upload, "format": "auto"})
    assert response.status_code == 200  # the form again, with the error
    assert b"the limit is 1000" in response.content
    assert not ImportBatch.objects.exists()
    ok = SimpleUploadedFile("small.txt", b"Headline\nA short body.")
    assert client.post("/admin/articles/importbatch/add/", {"upload": ok, "format": "auto"}).status_code == 302
    assert ImportBatch.objects.count() == 1


@pytest.mark.django_db
def test_too_many_files_in_one_request_are_refused(admin_user, settings):
    client = _client(admin_user)
    files = {
        f"upload{i}": SimpleUploadedFile(f"f{i}.txt", b"Headline\nBody.")
        for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    }
    response = client.post("/admin/articles/importbatch/add/", {"format": "auto", **files})
    assert response.status_code == 400
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_form_body_over_the_memory_limit_is_refused(editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    claim = ClaimFactory()
    client = _client(editor)
    response = client.post(f"/claims/{claim.pk}/update/", {"version": 1, "speaker": "x" * 20_000})
    assert response.status_code in (400, 413)
    assert Claim.objects.get(pk=claim.pk).version == 1
