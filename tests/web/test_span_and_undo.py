"""#18.2 and #18.3 in the web UI: the article script's span endpoint and single-decision undo."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from factcheck.models import Claim, ClaimGroup
from tests.factories import ArticleFactory, ClaimFactory

JSON = {"HTTP_ACCEPT": "application/json"}
BODY = "The mayor said the budget rose 5% in 2023. Nobody disagreed."


@pytest.fixture
def claim(db):
    start = BODY.index("the budget")
    return ClaimFactory(
        article=ArticleFactory(body=BODY),
        start=start,
        end=start + len("the budget rose"),
        exact="the budget rose",
        status="accepted",
        group=ClaimGroup.objects.create(label="x"),
    )


def test_span_endpoint_moves_the_edges_and_answers_the_claim(client, editor, claim):
    client.force_login(editor)
    end = BODY.index(" in 2023")
    response = client.post(
        reverse("web:claim-span", args=[claim.pk]),
        {"version": 1, "start": claim.start, "end": end, "exact": BODY[claim.start : end]},
        **JSON,
    )
    assert response.status_code == 200, response.json()
    data = response.json()["claim"]
    assert (data["start"], data["end"], data["status"], data["group"], data["version"]) == (
        claim.start,
        end,
        "accepted",
        claim.group_id,
        2,
    )
    assert Claim.objects.get(pk=claim.pk).exact == "the budget rose 5%"


def test_span_endpoint_refuses_bad_spans_and_stale_versions(client, editor, admin_user, claim):
    client.force_login(editor)
    url = reverse("web:claim-span", args=[claim.pk])
    bad = client.post(url, {"version": 1, "start": 0, "end": 3, "exact": "Thy"}, **JSON)
    assert bad.status_code == 400 and "differ" in bad.json()["message"]
    blank = client.post(url, {"version": 1, "start": 3, "end": 4, "exact": " "}, **JSON)
    assert blank.status_code == 400 and "white space" in blank.json()["message"]
    other = Client()
    other.force_login(admin_user)
    assert other.post(url, {"version": 1, "start": 0, "end": 9, "exact": "The mayor"}, **JSON).status_code == 200
    stale = client.post(url, {"version": 1, "start": 0, "end": 3, "exact": "The"}, **JSON)
    assert stale.status_code == 409 and stale.json()["current"]["version"] == 2
    assert Claim.objects.get(pk=claim.pk).exact == "The mayor"


def test_a_single_decision_answers_an_undo_token_that_the_undo_endpoint_takes(client, editor, db):
    claim = ClaimFactory()
    client.force_login(editor)
    rejected = client.post(reverse("web:claim-reject", args=[claim.pk]), {"version": 1}, **JSON).json()
    assert rejected["claim"]["status"] == "rejected" and rejected["undo"]
    session = client.session
    session["web_bulk_undo"] = {"decision": "accept", "undo": "a bulk token", "count": 3}
    session.save()
    undone = client.post(
        reverse("web:claims-bulk-undo"), json.dumps({"undo": rejected["undo"]}), content_type="application/json", **JSON
    )
    assert undone.status_code == 200 and undone.json()["restored"] == [claim.pk]
    assert [c["status"] for c in undone.json()["claims"]] == ["candidate"]
    assert client.session["web_bulk_undo"]["undo"] == "a bulk token"  # the queue's bulk Undo is still there
    saved = client.post(reverse("web:claim-update", args=[claim.pk]), {"version": 3, "speaker": "Ann"}, **JSON).json()
    assert saved["undo"]
    client.post(
        reverse("web:claims-bulk-undo"), json.dumps({"undo": saved["undo"]}), content_type="application/json", **JSON
    )
    assert Claim.objects.get(pk=claim.pk).speaker == ""
