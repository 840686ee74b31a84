"""Claims and verdicts over HTTP: offsets in both units, clear 400s, ETag / If-Match (412),
version field (409), neither (428) — and a stale write changes nothing."""

import pytest

from factcheck.models import Claim, Verdict
from factcheck.services.verdicts import verdict_draft
from tests.factories import ArticleFactory, ClaimFactory, ClaimGroupFactory, RatingFactory

BODY = "Fans 🎉 cheered “loudly” as the mayor said: ‘The budget rose 5% in 2023.’ Nobody disagreed."


@pytest.fixture
def article(db):
    return ArticleFactory(body=BODY)


def test_create_from_utf16_offsets(api, editor, article):
    quote = "‘The budget rose 5% in 2023.’"
    start = BODY.index(quote)
    response = api(editor).post(
        "/api/v1/claims/",
        {
            "article": article.pk,
            "start": start + 1,
            "end": start + 1 + len(quote),
            "units": "utf16",
            "exact": quote,
            "claim_type": "quantity",
            "speaker": "the mayor",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["start"], data["end"], data["exact"], data["status"], data["origin"]) == (
        start,
        start + len(quote),
        quote,
        "accepted",
        "human",
    )
    assert response["ETag"] == f'"claim-{data["id"]}-v1"'
    assert response["Location"] == f"/api/v1/claims/{data['id']}/"


def test_mismatched_quote_is_a_clear_400(api, editor, article):
    quote = "“loudly”"
    start = BODY.index(quote)
    response = api(editor).post(
        "/api/v1/claims/",
        {"article": article.pk, "start": start, "end": start + len(quote), "exact": '"loudly"'},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "exact" and body["code"] == "invalid"
    assert "U+201C LEFT DOUBLE QUOTATION MARK" in body["detail"] and "U+0022 QUOTATION MARK" in body["detail"]
    assert not Claim.objects.exists()


def test_utf16_offset_inside_an_emoji_is_a_400(api, editor, article):
    inside = BODY.index("🎉") + 1
    response = api(editor).post(
        "/api/v1/claims/",
        {"article": article.pk, "start": inside, "end": inside + 3, "units": "utf16", "exact": "abc"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "start"


def test_if_match_stale_is_412_and_changes_nothing(api, editor, article):
    claim = ClaimFactory(article=article)
    client = api(editor)
    etag = client.get(f"/api/v1/claims/{claim.pk}/")["ETag"]
    assert (
        client.patch(f"/api/v1/claims/{claim.pk}/", {"speaker": "A"}, format="json", HTTP_IF_MATCH=etag).status_code
        == 200
    )
    stale = client.patch(f"/api/v1/claims/{claim.pk}/", {"speaker": "B"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert client.post(f"/api/v1/claims/{claim.pk}/reject/", {}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    claim.refresh_from_db()
    assert (claim.speaker, claim.version, claim.status, claim.edited) == ("A", 2, "candidate", True)


def test_stale_version_field_is_409_and_changes_nothing(api, editor, admin_user, article):
    claim = ClaimFactory(article=article)
    assert api(editor).post(f"/api/v1/claims/{claim.pk}/accept/", {"version": 1}, format="json").status_code == 200
    response = api(admin_user).post(f"/api/v1/claims/{claim.pk}/reject/", {"version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["current_version"] == 2 and response.json()["code"] == "conflict"
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("accepted", 2)


def test_write_without_version_or_if_match_is_428(api, editor, article):
    claim = ClaimFactory(article=article)
    assert api(editor).patch(f"/api/v1/claims/{claim.pk}/", {"speaker": "A"}, format="json").status_code == 428
    assert api(editor).post(f"/api/v1/claims/{claim.pk}/accept/", {}, format="json").status_code == 428
    assert Claim.objects.get(pk=claim.pk).version == 1


def test_bad_version_value_is_400(api, editor, article):
    claim = ClaimFactory(article=article)
    assert api(editor).post(f"/api/v1/claims/{claim.pk}/accept/", {"version": "two"}, format="json").status_code == 400


def test_stale_verdict_edit_is_409(api, reviewer, db):
    verdict = verdict_draft(group=ClaimGroupFactory(), by=reviewer)
    client = api(reviewer)
    assert (
        client.patch(f"/api/v1/verdicts/{verdict.pk}/", {"rationale": "one", "version": 1}, format="json").status_code
        == 200
    )
    assert (
        client.patch(f"/api/v1/verdicts/{verdict.pk}/", {"rationale": "two", "version": 1}, format="json").status_code
        == 409
    )
    assert Verdict.objects.get(pk=verdict.pk).rationale == "one"


def test_approving_your_own_verdict_is_403(api, editor, db):
    rating = RatingFactory()
    verdict = verdict_draft(group=ClaimGroupFactory(), by=editor, rating=rating, rationale="x")
    client = api(editor)
    assert client.post(f"/api/v1/verdicts/{verdict.pk}/submit/", {"version": 1}, format="json").status_code == 200
    response = client.post(f"/api/v1/verdicts/{verdict.pk}/approve/", {"version": 2}, format="json")
    assert response.status_code == 403 and "other than its author" in response.json()["detail"]


def test_an_editor_who_patched_a_verdict_cannot_approve_it_and_a_correction_needs_a_second_person(
    api, reviewer, editor, admin_user, db
):
    """#15.7: PATCH by the editor, then approve alone → 403; correct/ publishes nothing by itself."""
    low = RatingFactory(label="False", order=1, value=1)
    high = RatingFactory(scale=low.scale, label="True", order=2, value=2)
    verdict = verdict_draft(group=ClaimGroupFactory(), by=reviewer, rating=low, rationale="x")
    api(reviewer).post(f"/api/v1/verdicts/{verdict.pk}/submit/", {"version": 1}, format="json")
    ed = api(editor)
    patched = ed.patch(f"/api/v1/verdicts/{verdict.pk}/", {"rating": high.pk, "version": 2}, format="json")
    assert patched.status_code == 200 and patched.json()["contributors"] == sorted([reviewer.username, editor.username])
    response = ed.post(f"/api/v1/verdicts/{verdict.pk}/approve/", {"version": 3}, format="json")
    assert response.status_code == 403 and "changed its rating or rationale" in response.json()["detail"]
    boss = api(admin_user)
    assert boss.post(f"/api/v1/verdicts/{verdict.pk}/approve/", {"version": 3}, format="json").status_code == 200
    body = ed.post(f"/api/v1/verdicts/{verdict.pk}/publish/", {"version": 4}, format="json").json()
    assert (body["status"], body["reviewer"], body["approved_by"]) == (
        "published",
        reviewer.username,
        admin_user.username,
    )
    assert body["contributors"] == sorted([reviewer.username, editor.username])
    doc = ed.get(f"/api/v1/verdicts/{verdict.pk}/claimreview/").json()
    assert {p["name"] for p in doc["contributor"]} == {reviewer.username, editor.username}
    assert doc["editor"]["name"] == admin_user.username
    # a correction: 201 with a submitted verdict; the published one stays until someone else approves
    corrected = ed.post(
        f"/api/v1/verdicts/{verdict.pk}/correct/",
        {"rating": low.pk, "rationale": "Revised", "note": "Data revised", "version": 5},
        format="json",
    )
    assert corrected.status_code == 201 and corrected.json()["status"] == "submitted"
    correction = corrected.json()["id"]
    assert Verdict.objects.get(pk=verdict.pk).status == "published"
    assert ed.post(f"/api/v1/verdicts/{correction}/approve/", {"version": 1}, format="json").status_code == 403
    assert boss.post(f"/api/v1/verdicts/{correction}/approve/", {"version": 1}, format="json").status_code == 200
    assert boss.post(f"/api/v1/verdicts/{correction}/publish/", {"version": 2}, format="json").status_code == 200
    assert Verdict.objects.get(pk=verdict.pk).status == "superseded"


def test_bulk_decide_and_undo_over_http(api, editor, admin_user, db):
    claims = [ClaimFactory() for _ in range(3)]
    client = api(editor)
    stale = claims[2]
    api(admin_user).post(f"/api/v1/claims/{stale.pk}/reject/", {"version": 1}, format="json")  # changed meanwhile
    body = client.post(
        "/api/v1/claims/bulk-decide/",
        {"claims": [{"id": c.pk, "version": 1} for c in claims], "decision": "accept"},
        format="json",
    ).json()
    assert body["changed"] == [c.pk for c in claims[:2]] and [s["id"] for s in body["skipped"]] == [stale.pk]
    assert body["skipped"][0]["current_version"] == 2 and "someone else" in body["skipped"][0]["reason"]
    assert list(Claim.objects.order_by("id").values_list("status", flat=True)) == ["accepted", "accepted", "rejected"]
    assert (
        client.post("/api/v1/claims/bulk-undo/", {"undo": body["undo"][:-2] + "xx"}, format="json").status_code == 400
    )
    assert api(admin_user).post("/api/v1/claims/bulk-undo/", {"undo": body["undo"]}, format="json").status_code == 403
    result = client.post("/api/v1/claims/bulk-undo/", {"undo": body["undo"]}, format="json").json()
    assert sorted(result["restored"]) == sorted(c.pk for c in claims[:2]) and result["conflicts"] == []
    assert list(Claim.objects.order_by("id").values_list("status", flat=True)) == ["candidate", "candidate", "rejected"]


def test_merge_and_split_over_http(api, editor, db):
    a, b = ClaimGroupFactory(), ClaimGroupFactory()
    m1, m2 = ClaimFactory(group=a), ClaimFactory(group=b)
    client = api(editor)
    merged = client.post(f"/api/v1/groups/{a.pk}/merge/", {"others": [b.pk], "version": 1}, format="json")
    assert merged.status_code == 200
    assert {m["id"] for m in merged.json()["mentions"]} == {m1.pk, m2.pk} and merged.json()["version"] == 2
    assert client.get(f"/api/v1/groups/{b.pk}/").status_code == 404
    split = client.post(
        f"/api/v1/groups/{a.pk}/split/", {"claim_ids": [m2.pk]}, format="json", HTTP_IF_MATCH=merged["ETag"]
    )
    assert split.status_code == 201 and [m["id"] for m in split.json()["mentions"]] == [m2.pk]
    again = client.post(f"/api/v1/groups/{a.pk}/split/", {"claim_ids": [m1.pk], "version": 3}, format="json")
    assert again.status_code == 400 and again.json()["field"] == "claim_ids"  # would empty the group


def test_claim_filters(api, integration, db):
    article = ArticleFactory()
    worthy = ClaimFactory(article=article, checkworthiness=0.9, claim_type="quantity", speaker="Jen Psaki")
    ClaimFactory(article=ArticleFactory(), checkworthiness=0.1, status="rejected")
    client = api(integration)

    def ids(**params):
        return [c["id"] for c in client.get("/api/v1/claims/", params).json()["results"]]

    assert ids(check_worthy="true") == [worthy.pk]
    assert ids(article=article.pk, claim_type="quantity", speaker="psaki", min_score=0.5) == [worthy.pk]
    assert ids(status="rejected", max_score=0.2) != [worthy.pk] and len(ids(status="rejected")) == 1
    assert client.get("/api/v1/claims/", {"status": "bogus"}).status_code == 400


def test_fast_claim_representation_equals_the_declared_fields(editor, reviewer, db):
    """ClaimSerializer.to_representation reads attributes directly for speed: same output as DRF's."""
    from rest_framework import serializers

    from api.serializers import ClaimSerializer

    decided = ClaimFactory(
        decided_by=editor,
        assigned_to=reviewer,
        status="accepted",
        group=ClaimGroupFactory(),
        speaker="The mayor",
        entities=[{"text": "Paris"}],
        numbers=[{"value": 3}],
    )
    from django.utils import timezone

    Claim.objects.filter(pk=decided.pk).update(decided_at=timezone.now())
    for claim in (Claim.objects.get(pk=decided.pk), ClaimFactory(checkworthiness=None)):
        serializer = ClaimSerializer()
        assert serializer.to_representation(claim) == serializers.ModelSerializer.to_representation(serializer, claim)


def test_patch_moves_a_span_through_the_span_service(api, editor, admin_user, article):
    """#18.2: PATCH start/end/exact (+ units) moves the edges, verified as on creation; stale → 409."""
    quote = "‘The budget rose 5% in 2023.’"
    start = BODY.index(quote)
    claim = ClaimFactory(
        article=article,
        start=start,
        end=start + len(quote),
        exact=quote,
        status="accepted",
        group=ClaimGroupFactory(),
        speaker="the mayor",
    )
    client = api(editor)
    inner = "The budget rose 5%"
    u_start = BODY.index(inner) + 1  # one emoji before: one extra UTF-16 unit
    response = client.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"start": u_start, "end": u_start + len(inner), "exact": inner, "units": "utf16", "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["start"], body["exact"], body["status"], body["group"], body["speaker"], body["version"]) == (
        BODY.index(inner),
        inner,
        "accepted",
        claim.group_id,
        "the mayor",
        2,
    )
    assert body["prefix"].endswith("said: ‘") and body["suffix"].startswith(" in 2023")
    assert response["ETag"].endswith('-v2"')
    bad = client.patch(
        f"/api/v1/claims/{claim.pk}/", {"start": 0, "end": 4, "exact": "Fanz", "version": 2}, format="json"
    )
    assert bad.status_code == 400 and "exact" in str(bad.json())
    half = client.patch(f"/api/v1/claims/{claim.pk}/", {"start": 0, "end": 4, "version": 2}, format="json")
    assert half.status_code == 400 and "exact" in str(half.json())
    stale = api(admin_user).patch(
        f"/api/v1/claims/{claim.pk}/", {"start": 0, "end": 4, "exact": "Fans", "version": 1}, format="json"
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert Claim.objects.get(pk=claim.pk).exact == inner


def test_single_decisions_and_edits_return_an_undo_token_for_bulk_undo(api, editor, admin_user, article):
    """#18.3: accept/, reject/ and a PATCH of type/speaker answer with `undo`; only their maker can use it."""
    claim = ClaimFactory(article=article)
    client = api(editor)
    accepted = client.post(f"/api/v1/claims/{claim.pk}/accept/", {"version": 1}, format="json").json()
    assert accepted["status"] == "accepted" and accepted["undo"]
    assert (
        api(admin_user).post("/api/v1/claims/bulk-undo/", {"undo": accepted["undo"]}, format="json").status_code == 403
    )
    assert client.post("/api/v1/claims/bulk-undo/", {"undo": accepted["undo"]}, format="json").json() == {
        "restored": [claim.pk],
        "conflicts": [],
    }
    assert Claim.objects.get(pk=claim.pk).status == "candidate"
    edited = client.patch(
        f"/api/v1/claims/{claim.pk}/", {"speaker": "Mayor", "claim_type": "quantity", "version": 3}, format="json"
    ).json()
    assert edited["speaker"] == "Mayor" and edited["undo"]
    client.post("/api/v1/claims/bulk-undo/", {"undo": edited["undo"]}, format="json")
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.speaker, stored.claim_type, stored.version) == ("", "other", 5)
    assert client.get(f"/api/v1/claims/{claim.pk}/").json().get("undo", "absent") == "absent"  # reads carry no token
