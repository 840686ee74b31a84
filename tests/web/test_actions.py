"""The web UI's actions: each calls a review service, answers JSON to fetch() and redirects plain
forms, and turns a stale version into a visible conflict that loses nothing."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from factcheck.models import Claim, ClaimGroup, Evidence, Source, Verdict
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory, UserFactory

JSON = {"HTTP_ACCEPT": "application/json"}


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json", **JSON)


# --- claims ---------------------------------------------------------------------------------------


def test_accept_returns_the_claim_as_the_script_knows_it(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    response = client.post(reverse("web:claim-accept", args=[claim.pk]), {"version": 1}, **JSON)
    assert response.status_code == 200
    data = response.json()["claim"]
    assert (data["id"], data["status"], data["version"]) == (claim.pk, "accepted", 2)
    assert data["group"] is not None  # an accepted claim gets a claim group for its review
    claim.refresh_from_db()
    assert claim.status == "accepted" and claim.decided_by == editor


def test_a_stale_version_is_a_conflict_with_both_versions_and_changes_nothing(client, editor, admin_user):
    claim = ClaimFactory()
    other = Client()
    other.force_login(admin_user)
    assert other.post(reverse("web:claim-reject", args=[claim.pk]), {"version": 1}, **JSON).status_code == 200
    client.force_login(editor)
    response = client.post(reverse("web:claim-accept", args=[claim.pk]), {"version": 1}, **JSON)
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "conflict"
    assert body["current"]["status"] == "rejected" and body["current"]["version"] == 2
    assert body["yours"] == {"action": "accept", "version": 1}
    claim.refresh_from_db()
    assert claim.status == "rejected" and claim.decided_by == admin_user
    # applying mine on top of theirs is a deliberate second request with their version
    again = client.post(reverse("web:claim-accept", args=[claim.pk]), {"version": 2}, **JSON)
    assert again.status_code == 200 and again.json()["claim"]["status"] == "accepted"


def test_edit_conflict_reports_what_was_sent(client, editor):
    claim = ClaimFactory()
    Claim.objects.filter(pk=claim.pk).update(version=5, speaker="Someone else")
    client.force_login(editor)
    response = client.post(
        reverse("web:claim-update", args=[claim.pk]),
        {"version": 4, "claim_type": "quantity", "speaker": "The mayor"},
        **JSON,
    )
    assert response.status_code == 409
    assert response.json()["yours"] == {
        "action": "update",
        "version": 4,
        "claim_type": "quantity",
        "speaker": "The mayor",
    }
    assert response.json()["current"]["speaker"] == "Someone else"


def test_reviewer_cannot_decide_claims(client, reviewer):
    claim = ClaimFactory()
    client.force_login(reviewer)
    response = client.post(reverse("web:claim-accept", args=[claim.pk]), {"version": 1}, **JSON)
    assert response.status_code == 403 and response.json()["error"] == "permission_denied"
    claim.refresh_from_db()
    assert claim.status == "candidate"


def test_actions_need_csrf_and_post(editor):
    claim = ClaimFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(reverse("web:claim-accept", args=[claim.pk]), {"version": 1}).status_code == 403
    assert client.get(reverse("web:claim-accept", args=[claim.pk])).status_code == 405
    claim.refresh_from_db()
    assert claim.status == "candidate"


def test_plain_form_decision_redirects_back_with_a_message(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    back = reverse("web:queue") + "?view=claims"
    response = client.post(reverse("web:claim-reject", args=[claim.pk]), {"version": 1, "next": back}, follow=True)
    assert response.redirect_chain[-1][0] == back
    assert "Claim rejected." in response.content.decode()
    evil = client.post(reverse("web:claim-accept", args=[claim.pk]), {"version": 2, "next": "https://evil.example/"})
    assert evil["Location"].startswith(reverse("web:article-detail", args=[claim.article_id]))


def test_create_a_claim_from_code_point_offsets_with_curly_quotes_and_emoji(client, editor):
    body = "Intro 😀 text. “We will act now,” the minister\u00a0said. End."
    article = ArticleFactory(body=body)
    exact = "“We will act now,” the minister\u00a0said."
    start = body.index(exact)  # code points: the emoji counts once
    client.force_login(editor)
    response = client.post(
        reverse("web:claim-create"),
        {
            "article": article.pk,
            "start": start,
            "end": start + len(exact),
            "exact": exact,
            "claim_type": "quote",
        },
        **JSON,
    )
    assert response.status_code == 201, response.content
    data = response.json()["claim"]
    assert (data["start"], data["end"], data["type"], data["origin"], data["status"]) == (
        start,
        start + len(exact),
        "quote",
        "human",
        "accepted",
    )
    claim = Claim.objects.get(pk=data["id"])
    assert claim.exact == exact and claim.created_by == editor and claim.group_id


def test_create_a_claim_from_utf16_offsets(client, editor):
    body = "Intro 😀 text. The budget rose 4%. End."
    article = ArticleFactory(body=body)
    exact = "The budget rose 4%."
    utf16_start = len(body[: body.index(exact)].encode("utf-16-le")) // 2
    client.force_login(editor)
    response = client.post(
        reverse("web:claim-create"),
        {
            "article": article.pk,
            "start": utf16_start,
            "end": utf16_start + len(exact),
            "exact": exact,
            "units": "utf16",
        },
        **JSON,
    )
    assert response.status_code == 201
    assert response.json()["claim"]["start"] == body.index(exact)


def test_create_rejects_a_quote_that_does_not_match(client, editor):
    article = ArticleFactory(body="Intro 😀 text. The budget rose 4%. End.")
    client.force_login(editor)
    # UTF-16 offsets sent as code points: off by one because of the emoji
    start = article.body.index("The budget") + 1
    response = client.post(
        reverse("web:claim-create"),
        {
            "article": article.pk,
            "start": start,
            "end": start + 19,
            "exact": "The budget rose 4%.",
        },
        **JSON,
    )
    assert response.status_code == 400
    assert "does not match" in response.json()["message"]
    assert not Claim.objects.filter(article=article).exists()


@pytest.mark.parametrize("exact, phrase", [("Fans replied 👍", "splits a character"), ("  ", "white space")])
def test_create_refuses_a_span_splitting_a_grapheme_or_holding_only_white_space(client, editor, exact, phrase):
    """The web form shares the service's check with the API (issue #15 item 15)."""
    article = ArticleFactory(body="Fans replied 👍🏽 at once.  The end.")
    client.force_login(editor)
    start = article.body.index(exact)
    response = client.post(
        reverse("web:claim-create"),
        {"article": article.pk, "start": start, "end": start + len(exact), "exact": exact},
        **JSON,
    )
    assert response.status_code == 400
    assert phrase in response.json()["message"], response.json()
    assert not Claim.objects.filter(article=article).exists()


def test_update_changes_type_speaker_and_anonymous_flag(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    response = client.post(
        reverse("web:claim-update", args=[claim.pk]),
        {"version": 1, "claim_type": "quantity", "speaker": "Jen Psaki", "is_anonymous_source": "true"},
        **JSON,
    )
    assert response.status_code == 200
    claim.refresh_from_db()
    assert (claim.claim_type, claim.speaker, claim.is_anonymous_source, claim.edited, claim.version) == (
        "quantity",
        "Jen Psaki",
        True,
        True,
        2,
    )
    # a field that is not sent is left alone
    client.post(reverse("web:claim-update", args=[claim.pk]), {"version": 2, "is_anonymous_source": "false"}, **JSON)
    claim.refresh_from_db()
    assert (claim.claim_type, claim.speaker, claim.is_anonymous_source) == ("quantity", "Jen Psaki", False)


def _shown(claims) -> list[dict]:
    return [{"id": c.pk, "version": c.version} for c in claims]


def test_bulk_accept_what_the_filter_shows_then_undo(client, editor):
    shown = [ClaimFactory() for _ in range(3)]
    already = ClaimFactory(status=Claim.Status.REJECTED)
    client.force_login(editor)
    response = post_json(client, reverse("web:claims-bulk"), {"decision": "accept", "claims": _shown(shown)})
    assert response.status_code == 200
    body = response.json()
    assert body["changed"] == [c.pk for c in shown] and body["skipped"] == [] and body["undo"]
    assert {c["status"] for c in body["claims"]} == {"accepted"}
    assert Claim.objects.filter(status="accepted").count() == 3
    undo = post_json(client, reverse("web:claims-bulk-undo"), {"undo": body["undo"]})
    assert undo.status_code == 200 and sorted(undo.json()["restored"]) == sorted(c.pk for c in shown)
    assert Claim.objects.filter(status="candidate").count() == 3
    already.refresh_from_db()
    assert already.status == "rejected"


def test_bulk_skips_a_claim_someone_changed_since_and_says_so(client, editor, admin_user):
    """#15.8: a claim another editor rejected a moment ago is not accepted over it."""
    shown = [ClaimFactory() for _ in range(2)]
    seen = _shown(shown)
    other = Client()
    other.force_login(admin_user)
    other.post(reverse("web:claim-reject", args=[shown[1].pk]), {"version": 1}, **JSON)
    client.force_login(editor)
    body = post_json(client, reverse("web:claims-bulk"), {"decision": "accept", "claims": seen}).json()
    assert body["changed"] == [shown[0].pk] and [s["id"] for s in body["skipped"]] == [shown[1].pk]
    assert f"1 skipped: #{shown[1].pk} changed by someone else" in body["message"]
    assert Claim.objects.get(pk=shown[1].pk).status == "rejected"
    assert {c["id"]: c["status"] for c in body["claims"]} == {shown[0].pk: "accepted", shown[1].pk: "rejected"}
    forged = post_json(
        client,
        reverse("web:claims-bulk-undo"),
        {"undo": '[{"id": %d, "previous_status": "accepted", "version": 2}]' % shown[1].pk},
    )
    assert forged.status_code == 400 and Claim.objects.get(pk=shown[1].pk).status == "rejected"


def test_queue_bulk_form_and_undo_from_the_session(client, editor):
    claims = [ClaimFactory() for _ in range(2)]
    client.force_login(editor)
    back = reverse("web:queue") + "?view=claims"
    page = client.get(back).content.decode()
    shown = ",".join(f"{c.pk}:{c.version}" for c in sorted(claims, key=lambda c: c.pk))
    assert all(f"{c.pk}:1" in page for c in claims)  # the form carries each claim's version
    page = client.post(reverse("web:claims-bulk"), {"decision": "reject", "claims": shown, "next": back}, follow=True)
    assert "2 claims rejected." in page.content.decode()
    assert "Undo last bulk reject (2)" in page.content.decode()
    assert Claim.objects.filter(status="rejected").count() == 2
    client.post(reverse("web:claims-bulk-undo"), {"next": back})
    assert Claim.objects.filter(status="candidate").count() == 2


def test_undo_leaves_claims_changed_since_alone(client, editor, admin_user):
    claims = [ClaimFactory() for _ in range(2)]
    client.force_login(editor)
    undo = post_json(client, reverse("web:claims-bulk"), {"decision": "reject", "claims": _shown(claims)}).json()[
        "undo"
    ]
    other = Client()
    other.force_login(admin_user)
    other.post(reverse("web:claim-accept", args=[claims[0].pk]), {"version": 2}, **JSON)
    result = post_json(client, reverse("web:claims-bulk-undo"), {"undo": undo}).json()
    assert result["conflicts"] == [claims[0].pk] and result["restored"] == [claims[1].pk]
    assert "changed since" in result["message"]
    assert Claim.objects.get(pk=claims[0].pk).status == "accepted"


def test_assign_a_claim_to_a_reviewer(client, editor, reviewer, two_outlets):
    claim = two_outlets["claims"][0]
    client.force_login(editor)
    response = client.post(
        reverse("web:claim-assign", args=[claim.pk]), {"assignee": reviewer.pk, "version": 1}, follow=True
    )
    assert f"Assigned to {reviewer.username}." in response.content.decode()
    claim.refresh_from_db()
    assert claim.assigned_to == reviewer


# --- evidence -------------------------------------------------------------------------------------


def test_link_a_new_source_then_the_same_one_by_another_spelling(client, reviewer, two_outlets):
    group = two_outlets["group"]
    client.force_login(reviewer)
    url = reverse("web:evidence-add", args=[group.pk])
    response = client.post(
        url,
        {
            "url": "https://www.stats.example/report?utm_source=x",
            "title": "Report",
            "relation": "supports",
            "quoted_passage": "40,000 homes",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#evidence")
    evidence = Evidence.objects.get(group=group)
    assert (evidence.source.title, evidence.relation, evidence.added_by) == ("Report", "supports", reviewer)
    # the same document under another URL spelling is the existing source, linked to another group
    other = ClaimGroup.objects.create(label="Another claim")
    client.post(
        reverse("web:evidence-add", args=[other.pk]), {"url": "http://stats.example/report/", "relation": "context"}
    )
    assert Source.objects.count() == 1
    assert Evidence.objects.get(group=other).source == evidence.source


def test_linking_a_source_twice_or_a_bad_url_shows_the_error_and_keeps_the_input(client, reviewer, two_outlets):
    group = two_outlets["group"]
    source = SourceFactory(url="https://evidence.example/doc/1")
    Evidence.objects.create(group=group, source=source)
    client.force_login(reviewer)
    url = reverse("web:evidence-add", args=[group.pk])
    twice = client.post(url, {"url": source.url, "relation": "context", "quoted_passage": "my careful quote"})
    assert twice.status_code == 400
    assert "already evidence" in twice.content.decode() and "my careful quote" in twice.content.decode()
    bad = client.post(url, {"url": "not a url", "relation": "context"})
    assert bad.status_code == 400 and "Enter a valid URL" in bad.content.decode()


def test_remove_evidence(client, editor, two_outlets):
    evidence = Evidence.objects.create(group=two_outlets["group"], source=SourceFactory())
    client.force_login(editor)
    client.post(reverse("web:evidence-remove", args=[evidence.pk]))
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


# --- verdicts -------------------------------------------------------------------------------------


def test_reviewer_drafts_and_submits_editor_approves_and_publishes(client, reviewer, editor, ratings, two_outlets):
    group = two_outlets["group"]
    client.force_login(reviewer)
    response = client.post(
        reverse("web:verdict-draft", args=[group.pk]),
        {"rating": ratings[4].pk, "rationale": "The council's report says so.", "and_submit": "1"},
    )
    assert response.status_code == 302
    verdict = Verdict.objects.get(group=group)
    assert (verdict.status, verdict.reviewer, verdict.rating) == ("submitted", reviewer, ratings[4])
    page = client.get(reverse("web:group-detail", args=[group.pk])).content.decode()
    assert "Waiting for an editor" in page and reverse("web:verdict-approve", args=[verdict.pk]) not in page
    # the reviewer cannot approve
    refused = client.post(reverse("web:verdict-approve", args=[verdict.pk]), {"version": verdict.version}, follow=True)
    assert "permission" in refused.content.decode()
    client.force_login(editor)
    page = client.get(reverse("web:group-detail", args=[group.pk])).content.decode()
    assert reverse("web:verdict-approve", args=[verdict.pk]) in page
    client.post(reverse("web:verdict-approve", args=[verdict.pk]), {"version": verdict.version})
    verdict.refresh_from_db()
    assert verdict.status == "approved" and verdict.approved_by == editor
    client.post(reverse("web:verdict-publish", args=[verdict.pk]), {"version": verdict.version})
    verdict.refresh_from_db()
    assert verdict.status == "published"
    # the verdict shows on the other outlet's article
    other = two_outlets["articles"][1]
    from tests.web.test_pages import claims_json

    [item] = claims_json(client.get(reverse("web:article-detail", args=[other.pk])))
    assert item["verdict"]["label"] == ratings[4].label


def test_an_editor_cannot_approve_their_own_verdict(client, editor, ratings, two_outlets):
    group = two_outlets["group"]
    client.force_login(editor)
    client.post(
        reverse("web:verdict-draft", args=[group.pk]),
        {"rating": ratings[1].pk, "rationale": "Wrong.", "and_submit": "1"},
    )
    verdict = Verdict.objects.get(group=group)
    page = client.get(reverse("web:group-detail", args=[group.pk])).content.decode()
    assert reverse("web:verdict-approve", args=[verdict.pk]) not in page
    response = client.post(reverse("web:verdict-approve", args=[verdict.pk]), {"version": verdict.version}, follow=True)
    assert "someone other than its author" in response.content.decode()
    verdict.refresh_from_db()
    assert verdict.status == "submitted"


def test_submitting_without_a_rating_keeps_the_draft(client, reviewer, ratings, two_outlets):
    group = two_outlets["group"]
    client.force_login(reviewer)
    response = client.post(
        reverse("web:verdict-draft", args=[group.pk]),
        {"rating": "", "rationale": "Half written.", "and_submit": "1"},
        follow=True,
    )
    assert "Draft saved, but not submitted: Choose a rating" in response.content.decode()
    assert Verdict.objects.get(group=group).status == "draft"


def test_verdict_edit_conflict_shows_both_versions_and_keeps_my_text(client, reviewer, editor, ratings, two_outlets):
    group = two_outlets["group"]
    verdict = Verdict.objects.create(group=group, reviewer=reviewer, rating=ratings[2], rationale="First draft.")
    other = Client()
    other.force_login(editor)
    other.post(
        reverse("web:verdict-update", args=[verdict.pk]),
        {"version": 1, "rating": ratings[3].pk, "rationale": "The editor's rewrite."},
    )
    client.force_login(reviewer)
    response = client.post(
        reverse("web:verdict-update", args=[verdict.pk]),
        {"version": 1, "rating": ratings[2].pk, "rationale": "My improved draft."},
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed verdict" in content
    assert "The editor&#x27;s rewrite." in content  # theirs
    assert content.count("My improved draft.") >= 2  # yours, and still in the form
    assert 'name="version" value="2"' in content
    verdict.refresh_from_db()
    assert verdict.rationale == "The editor's rewrite."
    # sending it again from the conflict page is a deliberate overwrite
    client.post(
        reverse("web:verdict-update", args=[verdict.pk]),
        {"version": 2, "rating": ratings[2].pk, "rationale": "My improved draft."},
    )
    verdict.refresh_from_db()
    assert verdict.rationale == "My improved draft." and verdict.version == 3


def test_publish_conflict_is_shown_not_applied(client, editor, admin_user, ratings, two_outlets, reviewer):
    verdict = Verdict.objects.create(
        group=two_outlets["group"],
        reviewer=reviewer,
        rating=ratings[2],
        rationale="Approved text.",
        status=Verdict.Status.APPROVED,
        version=3,
    )
    client.force_login(editor)
    response = client.post(reverse("web:verdict-publish", args=[verdict.pk]), {"version": 2})
    assert response.status_code == 409 and "Theirs (as it is now" in response.content.decode()
    verdict.refresh_from_db()
    assert verdict.status == "approved"


def test_correct_a_published_verdict_keeps_the_history(client, editor, reviewer, ratings, two_outlets):
    group = two_outlets["group"]
    published = Verdict.objects.create(
        group=group, reviewer=reviewer, rating=ratings[5], rationale="True.", status=Verdict.Status.PUBLISHED
    )
    client.force_login(editor)
    missing_note = client.post(
        reverse("web:verdict-correct", args=[published.pk]),
        {"version": 1, "rating": ratings[3].pk, "rationale": "Half true after all."},
    )
    assert missing_note.status_code == 400 and "Half true after all." in missing_note.content.decode()
    response = client.post(
        reverse("web:verdict-correct", args=[published.pk]),
        {"version": 1, "rating": ratings[3].pk, "rationale": "Half true after all.", "note": "The report was revised."},
    )
    assert response.status_code == 302
    correction = Verdict.objects.get(group=group, corrects=published)
    assert correction.status == "submitted" and Verdict.objects.get(pk=published.pk).status == "published"
    # four eyes: the editor who wrote the correction may not approve it; another editor does
    refused = client.post(reverse("web:verdict-approve", args=[correction.pk]), {"version": correction.version})
    assert refused.status_code == 302 and Verdict.objects.get(pk=correction.pk).status == "submitted"
    client.force_login(UserFactory(username="other-editor", role=Role.EDITOR))
    client.post(reverse("web:verdict-approve", args=[correction.pk]), {"version": correction.version})
    client.post(reverse("web:verdict-publish", args=[correction.pk]), {"version": correction.version + 1})
    published.refresh_from_db()
    correction.refresh_from_db()
    assert published.status == "superseded" and correction.status == "published"
    page = client.get(reverse("web:group-detail", args=[group.pk])).content.decode()
    assert "Correction history" in page and "The report was revised." in page
    assert f"superseded by correction {correction.pk}" in page  # the audit history records why


def test_group_history_lists_who_changed_what(client, editor, two_outlets):
    claim = ClaimFactory(article=two_outlets["articles"][0], start=0, end=3, group=two_outlets["group"])
    client.force_login(editor)
    client.post(reverse("web:claim-update", args=[claim.pk]), {"version": 1, "speaker": "The mayor"}, **JSON)
    history = client.get(reverse("web:group-detail", args=[two_outlets["group"].pk])).context["history"]
    entry = history[0]
    assert (entry.who, entry.what, entry.action) == (editor.username, "Mention in Harbour Courier", "changed")
    assert ("speaker", "—", "The mayor") in entry.changes


def test_split_a_mention_off_into_its_own_group(client, editor, two_outlets):
    group = two_outlets["group"]
    b = two_outlets["claims"][1]
    client.force_login(editor)
    response = client.post(reverse("web:group-split", args=[group.pk]), {"claim": b.pk})
    b.refresh_from_db()
    assert b.group_id != group.pk
    assert response["Location"] == reverse("web:group-detail", args=[b.group_id])


@pytest.mark.parametrize("name", ["web:verdict-submit", "web:verdict-approve", "web:verdict-publish"])
def test_verdict_transitions_refuse_outsiders(client, outsider, ratings, two_outlets, reviewer, name):
    verdict = Verdict.objects.create(group=two_outlets["group"], reviewer=reviewer, rating=ratings[0])
    client.force_login(outsider)
    assert client.post(reverse(name, args=[verdict.pk]), {"version": 1}).status_code == 403
