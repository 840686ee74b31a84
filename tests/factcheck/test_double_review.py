"""#16.5: two reviewers, then an editor — optional per rating scale or claim group (default from
WORKBENCH["DOUBLE_REVIEW"]); blind until both have submitted; agreement → an editor approves;
disagreement → escalated, an editor sees both and decides; audit history and webhooks
(verdict.agreed, verdict.escalated); agreement (Cohen's kappa) per reviewer pair and overall."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.errors import InvalidInput, PermissionDenied
from factcheck.models import ClaimGroup, Verdict
from factcheck.selectors import review_agreement, verdicts_blind_for
from factcheck.services.groups import group_double_review_update
from factcheck.services.verdicts import (
    double_review_required,
    verdict_approve,
    verdict_draft,
    verdict_publish,
    verdict_submit,
)
from tests.api.conftest import _fresh_throttles, api  # noqa: F401
from tests.factories import ClaimFactory, UserFactory
from webhooks.models import Webhook, WebhookDelivery


@pytest.fixture
def ratings(db):
    from factcheck.services.ratings import rating_scale_ensure_default

    return list(rating_scale_ensure_default().ratings.order_by("order"))


@pytest.fixture
def people(db, reviewer, editor):
    return {"a": reviewer, "b": UserFactory(username="bea-reviewer", role=Role.REVIEWER), "editor": editor}


@pytest.fixture
def group(db, editor):
    group = ClaimGroup.objects.create(label="Cargo rose 12% in 2023")
    ClaimFactory(group=group, grouped_by="human")
    group_double_review_update(group=group, double_review=True, by=editor)
    return ClaimGroup.objects.get(pk=group.pk)


def _review(group, by, rating, rationale="Because.", submit=True):
    v = verdict_draft(group=group, by=by, rating=rating, rationale=rationale)
    if submit:
        verdict_submit(verdict=v, by=by)
    return Verdict.objects.get(pk=v.pk)


def test_where_double_review_applies(ratings, settings, editor):
    group = ClaimGroup.objects.create(label="x")
    scale = ratings[0].scale
    assert double_review_required(group=group, rating=ratings[0]) is False  # the setting's default
    settings.WORKBENCH = {**settings.WORKBENCH, "DOUBLE_REVIEW": True}
    assert double_review_required(group=group, rating=ratings[0]) is True
    scale.double_review = False
    scale.save()
    assert double_review_required(group=group, rating=ratings[0]) is False  # the scale's choice
    group_double_review_update(group=group, double_review=True, by=editor)
    assert double_review_required(group=group, rating=ratings[0]) is True  # the group's, above all


def test_blind_until_both_have_submitted(group, people, ratings, integration):
    a, b, editor = people["a"], people["b"], people["editor"]
    first = _review(group, a, ratings[1])
    assert first.agreement == "awaiting"
    second = _review(group, b, ratings[1], submit=False)
    verdicts = list(Verdict.objects.select_related("group", "rating__scale").filter(group=group))
    assert verdicts_blind_for(user=b, verdicts=verdicts) == {first.pk}  # b cannot see a's rating
    assert verdicts_blind_for(user=a, verdicts=verdicts) == {second.pk}  # nor a b's draft
    assert verdicts_blind_for(user=integration, verdicts=verdicts) == {first.pk, second.pk}
    assert verdicts_blind_for(user=editor, verdicts=verdicts) == set()  # the editor, not a reviewer of it, sees both
    with pytest.raises(InvalidInput, match="second, independent review"):
        verdict_approve(verdict=first, by=editor)
    verdict_submit(verdict=second, by=b)
    verdicts = list(Verdict.objects.select_related("group", "rating__scale").filter(group=group))
    assert verdicts_blind_for(user=b, verdicts=verdicts) == set() == verdicts_blind_for(user=a, verdicts=verdicts)


def test_blind_over_the_api_and_on_the_page(api, client, group, people, ratings):
    a, b = people["a"], people["b"]
    first = _review(group, a, ratings[1], rationale="Secret rationale of A")
    seen = api(b).get(f"/api/v1/verdicts/{first.pk}/").json()
    assert seen["blind"] is True and seen["rating"] is None and seen["rationale"] == ""
    listed = {v["id"]: v for v in api(b).get("/api/v1/verdicts/").json()["results"]}
    assert listed[first.pk]["rationale"] == "" and listed[first.pk]["rating_label"] is None
    assert api(a).get(f"/api/v1/verdicts/{first.pk}/").json()["rationale"] == "Secret rationale of A"
    client.force_login(b)
    page = client.get(reverse("web:group-detail", args=[group.pk])).content.decode()
    assert "Secret rationale of A" not in page and f'id="blind-{first.pk}"' in page


def test_agreement_then_an_editor_approves_and_the_other_review_is_set_aside(
    group, people, ratings, django_capture_on_commit_callbacks, integration
):
    Webhook.objects.create(
        url="https://cms.example/hook", events=["verdict.agreed", "verdict.escalated"], owner=integration
    )
    a, b, editor = people["a"], people["b"], people["editor"]
    first = _review(group, a, ratings[1])
    second = _review(group, b, ratings[1])
    first.refresh_from_db()
    assert (first.agreement, second.agreement, first.peer_id, second.peer_id) == (
        "agreed",
        "agreed",
        second.pk,
        first.pk,
    )
    (delivery,) = WebhookDelivery.objects.all()
    assert delivery.event == "verdict.agreed" and delivery.payload["data"]["peer_id"] == first.pk
    with pytest.raises(PermissionDenied):
        verdict_approve(verdict=second, by=a)  # reviewers do not approve (and a wrote the other one)
    verdict_approve(verdict=second, by=editor)
    verdict_publish(verdict=second, by=editor)
    first.refresh_from_db()
    assert first.status == "set_aside"
    reasons = list(
        Verdict.history.filter(id=first.pk).order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert "second review agrees" in reasons and f"set aside: review {second.pk} was approved" in reasons


def test_disagreement_escalates_and_an_editor_decides(group, people, ratings, client, integration):
    Webhook.objects.create(url="https://cms.example/hook", events=["verdict.escalated"], owner=integration)
    a, b, editor = people["a"], people["b"], people["editor"]
    first = _review(group, a, ratings[1], rationale="A says false")
    second = _review(group, b, ratings[4], rationale="B says mostly true")
    assert second.agreement == "escalated"
    assert WebhookDelivery.objects.get().event == "verdict.escalated"
    from factcheck.services.verdicts import verdict_update

    with pytest.raises(InvalidInput, match="independent reviews"):  # the editor decides, not rewrites one
        verdict_update(verdict=second, by=editor, version=second.version, rating=ratings[1])
    client.force_login(editor)
    page = client.get(reverse("web:group-detail", args=[group.pk])).content.decode()
    assert 'id="escalated"' in page and "A says false" in page and "B says mostly true" in page  # side by side
    assert page.count("Decide for this review") == 2
    dashboard = client.get(reverse("web:dashboard"))
    assert dashboard.context["totals"]["escalated"] == 1
    assert f'href="/groups/{group.pk}/#review-pair"' in dashboard.content.decode()
    first.refresh_from_db()  # (pairing moved its version on)
    client.post(reverse("web:verdict-approve", args=[first.pk]), {"version": first.version})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.agreement, second.status) == ("approved", "resolved", "set_aside")
    assert first.approved_by == editor


def test_an_editor_who_wrote_one_of_the_two_does_not_decide(group, people, ratings):
    a, editor = people["a"], people["editor"]
    first = _review(group, a, ratings[1])
    _review(group, editor, ratings[3])
    first.refresh_from_db()
    with pytest.raises(PermissionDenied, match="another editor decides"):
        verdict_approve(verdict=first, by=editor)


def test_kappa_per_pair_and_overall_over_a_period(db, people, ratings, editor, client, django_assert_num_queries):
    a, b = people["a"], people["b"]
    c = UserFactory(username="cy-reviewer", role=Role.REVIEWER)
    plan = [(a, b, 1, 1), (a, b, 2, 2), (a, b, 1, 2), (a, b, 3, 3), (a, c, 1, 1), (a, c, 2, 2)]
    for i, (x, y, rx, ry) in enumerate(plan):
        g = ClaimGroup.objects.create(label=f"claim {i}", double_review=True)
        _review(g, x, ratings[rx])
        _review(g, y, ratings[ry])
    with django_assert_num_queries(2):  # the pairs (with reviewers and ratings), the escalated claims
        result = review_agreement(since=timezone.localdate() - timedelta(days=1), until=timezone.localdate())
    by_pair = {tuple(p["reviewers"]): p for p in result["pairs"]}
    from sklearn.metrics import cohen_kappa_score

    ab = by_pair[(b.username, a.username)]  # (reviewers by name)
    assert (ab["n"], ab["agreed"]) == (4, 3)
    assert ab["kappa"] == round(cohen_kappa_score(["1", "2", "1", "3"], ["1", "2", "2", "3"]), 3)
    assert by_pair[(c.username, a.username)]["kappa"] == 1.0
    assert result["overall"]["n"] == 6 and result["overall"]["agreed"] == 5
    old = review_agreement(
        since=timezone.localdate() - timedelta(days=30), until=timezone.localdate() - timedelta(days=2)
    )
    assert old["pairs"] == [] and old["overall"]["n"] == 0
    client.force_login(editor)
    page = client.get(reverse("web:dashboard")).content.decode()
    assert 'id="agreement-table"' in page and f"{b.username} &amp; {a.username}" in page
    assert f'id="kappa-overall">{result["overall"]["kappa"]}' in page


def test_review_mode_per_claim_in_the_web_ui_and_the_api(client, api, editor, reviewer, db):
    group = ClaimGroup.objects.create(label="x")
    client.force_login(editor)
    client.post(reverse("web:group-review-mode", args=[group.pk]), {"double_review": "two"})
    assert ClaimGroup.objects.get(pk=group.pk).double_review is True
    response = api(editor).patch(f"/api/v1/groups/{group.pk}/", {"double_review": None, "version": 2}, format="json")
    assert response.status_code == 200 and response.json()["double_review"] is None
    assert (
        api(reviewer)
        .patch(f"/api/v1/groups/{group.pk}/", {"double_review": True, "version": 3}, format="json")
        .status_code
        == 403
    )
