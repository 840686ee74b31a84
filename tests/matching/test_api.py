"""Match suggestions through the API: list for every role, confirm/reject for editors only."""

import pytest

from factcheck.models import Claim
from matching import services
from matching.models import MatchSuggestion

WIRE = "The city council approved a plan on Monday to ban cars from the old town centre."
DAILY = "On Monday the city council backed a plan to ban cars from the historic town centre."


@pytest.fixture
def suggestion(make_mention, settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "MATCH_AUTO_LINK": 0.99}
    first, second = make_mention("Wire", WIRE), make_mention("Daily", DAILY)
    services.claims_match(article_ids=[first.article_id, second.article_id])
    return MatchSuggestion.objects.get()


@pytest.mark.django_db
def test_list_suggestions(client, integration, suggestion, django_assert_max_num_queries):
    client.force_login(integration)
    with django_assert_max_num_queries(6):  # session, user, roles, count, page (joins claim, outlets, group)
        response = client.get("/api/v1/match-suggestions/")
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["id"] == suggestion.pk and row["status"] == "suggested" and row["matcher"] == suggestion.matcher
    assert row["claim_outlet"] in ("Wire", "Daily") and row["target_outlet"] in ("Wire", "Daily")


@pytest.mark.django_db
def test_reviewer_cannot_confirm(client, reviewer, suggestion):
    client.force_login(reviewer)
    response = client.post(f"/api/v1/match-suggestions/{suggestion.pk}/confirm/")
    assert response.status_code == 403
    assert MatchSuggestion.objects.get().status == "suggested"


@pytest.mark.django_db
def test_editor_confirms_and_rejects(client, editor, suggestion):
    client.force_login(editor)
    response = client.post(f"/api/v1/match-suggestions/{suggestion.pk}/confirm/")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    assert response.json()["decided_by"] == editor.username
    claims = Claim.objects.filter(pk__in=[suggestion.claim_id, suggestion.target_claim_id])
    assert len({c.group_id for c in claims}) == 1
    response = client.post(f"/api/v1/match-suggestions/{suggestion.pk}/confirm/")
    assert response.status_code == 400
