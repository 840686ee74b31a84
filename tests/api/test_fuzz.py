"""Schemathesis against the live API (a real server thread, a real token): every GET endpoint, the
safe POSTs, and every other write operation (PATCH, DELETE, state changes such as accept, merge,
publish, imports, tokens, webhooks), with a bounded number of generated requests each. No 5xx, and
every response conforms to the published schema (body and content type). For write operations on
one object, half of the generated requests are aimed at objects that exist (ids from the data
set), so that they get past the 404 and exercise the validation and the services."""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from accounts.roles import Role
from factcheck.services.ratings import rating_scale_ensure_default
from factcheck.services.verdicts import verdict_approve, verdict_draft, verdict_publish, verdict_submit
from tests.factories import ArticleFactory, ClaimFactory, ClaimGroupFactory, SourceFactory, UserFactory
from webhooks.models import Webhook, WebhookDelivery

# The POSTs that are safe to fuzz: they validate and create, or only compute.
SAFE_POSTS = r"^/api/v1/(score|claims|sources|evidence|verdicts|articles|articles/upsert|claims/bulk-decide)/$"


def _openapi() -> dict:
    """The schema the server publishes at /api/schema/, generated in-process at collection."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


schema = schemathesis.openapi.from_dict(_openapi())
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def token(live_server, transactional_db):
    """Data for the fuzzer to find (lists with rows, a published verdict), and an admin's token."""
    admin = UserFactory(username="fuzz-admin", role=Role.ADMIN)
    writer = UserFactory(username="fuzz-writer", role=Role.REVIEWER)
    scale = rating_scale_ensure_default()
    group = ClaimGroupFactory(label="Cargo rose 12%")
    for _ in range(3):
        ClaimFactory(article=ArticleFactory(), group=group, speaker="The port authority", status="accepted")
    SourceFactory()
    verdict = verdict_draft(group=group, by=writer, rating=scale.ratings.first(), rationale="No.")
    verdict_submit(verdict=verdict, by=writer)
    verdict_approve(verdict=verdict, by=admin)
    verdict_publish(verdict=verdict, by=admin)
    hook = Webhook.objects.create(url="http://127.0.0.1:9/", events=["verdict.published"], owner=admin)
    WebhookDelivery.objects.create(webhook=hook, event="verdict.published", payload={"a": 1})
    return AuthToken.objects.create(user=admin)[1]


def _fuzz(selection, live_server, token, max_examples: int, real_ids: dict | None = None) -> None:
    """Run every operation of `selection` with up to `max_examples` generated requests; one live
    server and one data set for all of them (a per-operation test would flush the database each time)."""
    headers = {"Authorization": f"Token {token}"}
    failures, operations = {}, 0
    for result in selection.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=max_examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
        def run(case):
            ids = (real_ids or {}).get(operation.path.split("/")[3])
            if ids and "id" in (case.path_parameters or {}) and hash(repr(case.body)) % 2 == 0:
                case.path_parameters["id"] = ids[hash(repr(case.query)) % len(ids)]
            case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # report every failing operation, not only the first
            failures[f"{operation.method.upper()} {operation.path}"] = str(exc)[:3000]
    assert operations > 0
    assert not failures, "\n\n".join(f"{name}:\n{text}" for name, text in failures.items())


def test_get_endpoints(live_server, token):
    _fuzz(schema.include(method="GET"), live_server, token, max_examples=5)


def test_safe_posts(live_server, token):
    _fuzz(schema.include(method="POST", path_regex=SAFE_POSTS), live_server, token, max_examples=6)


def test_write_operations(live_server, token):
    """Everything that changes state and is not among the safe POSTs."""
    from articles.models import Article
    from factcheck.models import Claim, ClaimGroup, Evidence, Source, Verdict

    Evidence.objects.create(group=ClaimGroup.objects.first(), source=Source.objects.first(), relation="context")
    real_ids = {
        "claims": list(Claim.objects.values_list("id", flat=True)),
        "groups": list(ClaimGroup.objects.values_list("id", flat=True)),
        "verdicts": list(Verdict.objects.values_list("id", flat=True)),
        "articles": list(Article.objects.values_list("id", flat=True)),
        "evidence": list(Evidence.objects.values_list("id", flat=True)),
        "webhooks": list(Webhook.objects.values_list("id", flat=True)),
    }
    writes = schema.include(method=["POST", "PATCH", "PUT", "DELETE"]).exclude(
        path_regex=SAFE_POSTS.replace("(score|", "(score|previously-checked|"), method="POST"
    )
    _fuzz(writes, live_server, token, max_examples=5, real_ids=real_ids)
