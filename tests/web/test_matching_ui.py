"""The editors' matching decisions in the web UI: confirm/reject suggestions (group page and
/suggestions/), merge groups, take a wrongly linked mention out — each stored with who and when,
and respected by re-runs of the matcher."""

import pytest
from django.urls import reverse

from factcheck.models import Claim, ClaimGroup
from matching import services
from matching.models import MatchDecision, MatchSuggestion
from matching.signature import MATCHER_ID
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory

# Three outlets' wording of one claim (the matcher links them automatically).
EO = {
    "Wire": "The city council approved a plan on Monday to ban cars from the old town centre.",
    "Daily": "On Monday the city council backed a plan to ban cars from the historic town centre.",
    "Post": "Cars will be banned from the old town centre under a plan the city council approved on Monday.",
}


def mention(outlet: str, text: str, **fields) -> Claim:
    article = ArticleFactory(outlet=OutletFactory(name=outlet), body=text)
    fields.setdefault("status", Claim.Status.ACCEPTED)
    return ClaimFactory(article=article, start=0, end=len(text), **fields)


def suggest(claim: Claim, group: ClaimGroup, target: Claim, score: float = 0.6) -> MatchSuggestion:
    return MatchSuggestion.objects.create(
        claim=claim,
        group=group,
        target_claim=target,
        score=score,
        reasons=["same actor and verb"],
        matcher=MATCHER_ID,
        auto_link_threshold=0.72,
        suggest_threshold=0.5,
    )


@pytest.fixture
def pending(db, two_outlets):
    """A claim from a third outlet, alone in its own group, suggested as a mention of the
    two-outlet group."""
    lone_group = ClaimGroup.objects.create(label="Barrier protects 40,000 homes, mayor says")
    claim = mention("Coast Herald", "The mayor said the barrier would protect 40,000 homes.", group=lone_group)
    return suggest(claim, two_outlets["group"], two_outlets["claims"][0])


def test_group_page_lists_suggestions_for_its_mentions_and_pointing_at_it(client, editor, two_outlets, pending):
    group = two_outlets["group"]
    # One of this group's mentions suggested for another group (outgoing), and a stranger one.
    elsewhere = ClaimGroup.objects.create(label="Somewhere else")
    outgoing = suggest(two_outlets["claims"][1], elsewhere, mention("Other", "Something else entirely was said."))
    unrelated = suggest(
        mention("X", "An unrelated claim about bridges."),
        elsewhere,
        mention("Y", "Another unrelated claim about bridges."),
    )
    client.force_login(editor)
    response = client.get(reverse("web:group-detail", args=[group.pk]))
    assert {s.pk for s in response.context["suggestions"]} == {pending.pk, outgoing.pk}
    assert unrelated.pk not in {s.pk for s in response.context["suggestions"]}
    content = response.content.decode()
    assert "Coast Herald" in content and "0.60" in content and MATCHER_ID in content
    assert reverse("web:suggestion-confirm", args=[pending.pk]) in content
    assert reverse("web:suggestion-reject", args=[outgoing.pk]) in content
    # The merge form offers the groups the matcher relates to this one.
    assert {g.pk for g in response.context["similar_groups"]} == {pending.claim.group_id, elsewhere.pk}


def test_reviewer_sees_suggestions_read_only(client, reviewer, two_outlets, pending):
    client.force_login(reviewer)
    content = client.get(reverse("web:group-detail", args=[two_outlets["group"].pk])).content.decode()
    assert "Suggested matches" in content and "Coast Herald" in content
    assert reverse("web:suggestion-confirm", args=[pending.pk]) not in content
    assert reverse("web:group-merge", args=[two_outlets["group"].pk]) not in content


def test_editor_confirms_a_suggestion(client, editor, two_outlets, pending):
    group = two_outlets["group"]
    client.force_login(editor)
    page = reverse("web:group-detail", args=[group.pk])
    response = client.post(reverse("web:suggestion-confirm", args=[pending.pk]), {"next": page})
    assert response.status_code == 302 and response["Location"] == page
    pending.refresh_from_db()
    assert pending.status == MatchSuggestion.Status.CONFIRMED
    assert pending.decided_by == editor and pending.decided_at is not None
    claim = Claim.objects.get(pk=pending.claim_id)
    assert claim.group_id == group.pk and claim.grouped_by == "human"
    assert MatchDecision.objects.filter(kind="same", action="confirm", decided_by=editor).count() == 2
    # Decided: gone from the panel, and confirming again is refused with a message.
    assert client.get(page).context["suggestions"] == []
    again = client.post(reverse("web:suggestion-confirm", args=[pending.pk]), follow=True)
    assert "already confirmed" in again.content.decode()


def test_editor_rejects_a_suggestion(client, editor, two_outlets, pending):
    client.force_login(editor)
    response = client.post(reverse("web:suggestion-reject", args=[pending.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("web:suggestion-list")
    pending.refresh_from_db()
    assert pending.status == MatchSuggestion.Status.REJECTED
    assert pending.decided_by == editor and pending.decided_at is not None
    assert Claim.objects.get(pk=pending.claim_id).group_id != two_outlets["group"].pk
    decisions = MatchDecision.objects.filter(kind="different", action="reject", decided_by=editor)
    assert decisions.count() == 2  # the claim vs each of the group's two mentions


@pytest.mark.parametrize("name", ["web:suggestion-confirm", "web:suggestion-reject"])
@pytest.mark.parametrize("persona", ["reviewer", "integration"])
def test_only_editors_decide_suggestions(client, request, pending, name, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse(name, args=[pending.pk])).status_code == 403
    pending.refresh_from_db()
    assert pending.status == MatchSuggestion.Status.SUGGESTED and pending.decided_by is None
    assert not MatchDecision.objects.exists()


def test_suggestion_list_and_the_work_queue_hint(client, editor, reviewer, pending):
    decided = suggest(mention("Z", "A decided claim about roads."), None, mention("W", "A claim about roads."))
    decided.status = MatchSuggestion.Status.REJECTED
    decided.save(update_fields=["status"])
    Claim.objects.filter(pk=pending.claim_id).update(group=None)  # an ungrouped mention
    client.force_login(editor)
    queue = client.get(reverse("web:queue"))
    assert queue.context["pending_matches"] == 1
    assert f'href="{reverse("web:suggestion-list")}"' in queue.content.decode()
    listing = client.get(reverse("web:suggestion-list"))
    assert [s.pk for s in listing.context["page"].object_list] == [pending.pk]
    assert reverse("web:suggestion-confirm", args=[pending.pk]) in listing.content.decode()
    assert "a mention of this claim" not in listing.content.decode()  # no "this claim" on the list page
    client.force_login(reviewer)
    read_only = client.get(reverse("web:suggestion-list")).content.decode()
    assert "Coast Herald" in read_only and reverse("web:suggestion-confirm", args=[pending.pk]) not in read_only


def test_merge_by_id_moves_mentions_and_records_the_decision(client, editor, two_outlets, pending):
    group = two_outlets["group"]
    other = ClaimGroup.objects.get(pk=pending.claim.group_id)
    client.force_login(editor)
    response = client.post(
        reverse("web:group-merge", args=[group.pk]), {"other": f"#{other.pk} — {other.label}", "version": group.version}
    )
    assert response.status_code == 302
    assert Claim.objects.get(pk=pending.claim_id).group_id == group.pk
    assert not ClaimGroup.objects.filter(pk=other.pk).exists()
    decisions = MatchDecision.objects.filter(kind="same", action="merge", decided_by=editor)
    assert decisions.count() == 2 and decisions.first().decided_at is not None


def test_merge_by_label_needs_one_match(client, editor, two_outlets, pending):
    group = two_outlets["group"]
    ClaimGroup.objects.create(label="Mayor says the dam is safe")
    client.force_login(editor)
    url = reverse("web:group-merge", args=[group.pk])
    ambiguous = client.post(url, {"other": "mayor", "version": group.version})
    assert ambiguous.status_code == 400 and "Several claims match" in ambiguous.content.decode()
    assert Claim.objects.get(pk=pending.claim_id).group_id != group.pk
    response = client.post(url, {"other": "protects 40,000 homes, mayor", "version": group.version})
    assert response.status_code == 302
    assert Claim.objects.get(pk=pending.claim_id).group_id == group.pk


def test_merge_with_a_stale_version_shows_a_conflict_and_merges_nothing(client, editor, two_outlets, pending):
    group = two_outlets["group"]
    other_id = pending.claim.group_id
    stale = group.version
    ClaimGroup.objects.filter(pk=group.pk).update(version=stale + 1)  # someone else changed it meanwhile
    client.force_login(editor)
    response = client.post(reverse("web:group-merge", args=[group.pk]), {"other": str(other_id), "version": stale})
    assert response.status_code == 409
    content = response.content.decode()
    assert 'id="merge-conflict"' in content and "nothing was merged" in content
    assert f'name="version" value="{stale + 1}"' in content  # sending again is a deliberate choice
    assert ClaimGroup.objects.filter(pk=other_id).exists()
    assert Claim.objects.get(pk=pending.claim_id).group_id == other_id
    assert not MatchDecision.objects.exists()


def test_reviewer_cannot_merge(client, reviewer, two_outlets, pending):
    client.force_login(reviewer)
    response = client.post(
        reverse("web:group-merge", args=[two_outlets["group"].pk]), {"other": str(pending.claim.group_id)}
    )
    assert response.status_code == 403
    assert ClaimGroup.objects.filter(pk=pending.claim.group_id).exists()


def test_not_the_same_claim_is_recorded_and_survives_a_rerun(client, editor):
    claims = [mention(outlet, text, status=Claim.Status.CANDIDATE) for outlet, text in EO.items()]
    services.claims_match(article_ids=[c.article_id for c in claims])
    claims = [Claim.objects.get(pk=c.pk) for c in claims]
    group_id = claims[0].group_id
    assert group_id and {c.group_id for c in claims} == {group_id}  # linked automatically
    client.force_login(editor)
    response = client.post(reverse("web:group-split", args=[group_id]), {"claim": claims[1].pk})
    taken_out = Claim.objects.get(pk=claims[1].pk)
    assert taken_out.group_id != group_id
    assert response["Location"] == reverse("web:group-detail", args=[taken_out.group_id])
    decisions = MatchDecision.objects.filter(kind="different", action="unlink", decided_by=editor)
    assert decisions.count() == 2 and all(d.decided_at for d in decisions)
    link = MatchSuggestion.objects.get(claim=claims[1], group_id=group_id)
    assert link.status == MatchSuggestion.Status.REJECTED and link.decided_by == editor  # the machine's link overruled
    services.claims_match(article_ids=[c.article_id for c in claims])
    assert Claim.objects.get(pk=claims[1].pk).group_id == taken_out.group_id
    assert {Claim.objects.get(pk=c.pk).group_id for c in (claims[0], claims[2])} == {group_id}


def test_not_the_same_claim_from_a_stale_page_changes_nothing(client, editor, two_outlets):
    group = two_outlets["group"]
    stranger = ClaimFactory()
    client.force_login(editor)
    response = client.post(reverse("web:group-split", args=[group.pk]), {"claim": stranger.pk}, follow=True)
    assert "no longer part of this claim" in response.content.decode()
    assert not MatchDecision.objects.exists()
    assert set(group.claims.values_list("id", flat=True)) == {c.pk for c in two_outlets["claims"]}


def _suggestions_for(group: ClaimGroup, n: int) -> None:
    start = MatchSuggestion.objects.count()
    for i in range(start, start + n):
        lone = ClaimGroup.objects.create(label=f"Lone claim {i}")
        suggest(
            mention(f"Outlet {i}", f"Claim number {i} says the barrier protects homes.", group=lone),
            group,
            group.claims.first(),
            score=0.5 + i / 100,
        )


def test_group_page_queries_do_not_grow_with_suggestions(
    client, editor, two_outlets, django_assert_num_queries, django_assert_max_num_queries
):
    group = two_outlets["group"]
    client.force_login(editor)
    url = reverse("web:group-detail", args=[group.pk])
    _suggestions_for(group, 2)
    client.get(url)  # warm caches (content types etc.)
    with django_assert_max_num_queries(40) as small:
        assert len(client.get(url).context["suggestions"]) == 2
    _suggestions_for(group, 8)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(url).context["suggestions"]) == 10


def test_suggestion_list_queries_do_not_grow(client, editor, two_outlets, django_assert_num_queries):
    group = two_outlets["group"]
    client.force_login(editor)
    url = reverse("web:suggestion-list")
    for n in (2, 10):
        _suggestions_for(group, n - MatchSuggestion.objects.count())
        # session, user, roles, page count, page rows, the bell's unread notifications
        with django_assert_num_queries(6):
            assert len(client.get(url).context["page"].object_list) == n
