"""State transitions of match suggestions (#15 item 9): confirming never strands a verdict or
evidence on a group with no mentions; rejecting never records "different" for two claims that
are still grouped. Suggestions are made by hand here (no model needed)."""

import pytest

from core.errors import ConflictError, InvalidInput
from factcheck.models import Claim, ClaimGroup, Evidence, Verdict
from factcheck.services.groups import claim_move_to_group
from matching import services
from matching.models import MatchDecision, MatchSuggestion
from tests.factories import RatingFactory, SourceFactory, UserFactory


def _suggest(claim, target, status=MatchSuggestion.Status.SUGGESTED):
    return MatchSuggestion.objects.create(
        claim=claim,
        group_id=target.group_id,
        target_claim=target,
        score=0.8,
        reasons=["Meaning similar."],
        status=status,
        matcher="test/1",
    )


def _with_work(claim, editor):
    """Put `claim` alone in a group holding a draft verdict and evidence."""
    claim_move_to_group(claim=claim, group=None, by=editor)
    group = Claim.objects.get(pk=claim.pk).group
    Verdict.objects.create(group=group, reviewer=UserFactory(), rating=RatingFactory(), rationale="Draft.")
    Evidence.objects.create(group=group, source=SourceFactory(), quoted_passage="A passage.")
    return group


@pytest.mark.django_db
def test_confirm_refuses_to_strand_a_draft_verdict_and_evidence(make_mention, editor):
    claim, target = make_mention("Wire", "The council raised the tax."), make_mention("Daily", "The tax went up.")
    worked = _with_work(claim, editor)
    claim_move_to_group(claim=target, group=None, by=editor)
    suggestion = _suggest(claim, Claim.objects.get(pk=target.pk))
    with pytest.raises(ConflictError, match="merge the two groups"):
        services.match_suggestion_confirm(suggestion=suggestion, by=editor)
    assert Claim.objects.get(pk=claim.pk).group_id == worked.pk
    assert worked.verdicts.count() == 1 and worked.evidence.count() == 1
    assert MatchSuggestion.objects.get(pk=suggestion.pk).status == MatchSuggestion.Status.SUGGESTED
    assert not MatchDecision.objects.exists()


@pytest.mark.django_db
def test_confirm_moves_a_claim_whose_group_keeps_other_mentions(make_mention, editor):
    claim, sibling = make_mention("Wire", "The council raised the tax."), make_mention("Post", "Tax raised.")
    target = make_mention("Daily", "The tax went up.")
    worked = _with_work(claim, editor)
    claim_move_to_group(claim=sibling, group=worked, by=editor)
    claim_move_to_group(claim=target, group=None, by=editor)
    target = Claim.objects.get(pk=target.pk)
    services.match_suggestion_confirm(suggestion=_suggest(claim, target), by=editor)
    assert Claim.objects.get(pk=claim.pk).group_id == target.group_id
    assert list(worked.claims.values_list("pk", flat=True)) == [sibling.pk]  # the verdict keeps a mention
    assert MatchDecision.objects.get().kind == MatchDecision.Kind.SAME


@pytest.mark.django_db
def test_rejecting_a_confirmed_suggestion_is_refused(make_mention, editor, client):
    claim, target = make_mention("Wire", "The council raised the tax."), make_mention("Daily", "The tax went up.")
    suggestion = _suggest(claim, target)
    services.match_suggestion_confirm(suggestion=suggestion, by=editor)
    with pytest.raises(InvalidInput, match="confirmed"):
        services.match_suggestion_reject(suggestion=suggestion, by=editor)
    client.force_login(editor)
    response = client.post(f"/api/v1/match-suggestions/{suggestion.pk}/reject/")
    assert response.status_code == 400
    assert not MatchDecision.objects.filter(kind=MatchDecision.Kind.DIFFERENT).exists()
    claim, target = Claim.objects.get(pk=claim.pk), Claim.objects.get(pk=target.pk)
    assert claim.group_id == target.group_id
    assert MatchSuggestion.objects.get(pk=suggestion.pk).status == MatchSuggestion.Status.CONFIRMED


@pytest.mark.django_db
def test_rejecting_a_suggestion_for_claims_an_editor_grouped_since_is_refused(make_mention, editor):
    claim, target = make_mention("Wire", "The council raised the tax."), make_mention("Daily", "The tax went up.")
    suggestion = _suggest(claim, target)
    claim_move_to_group(claim=target, group=None, by=editor)
    claim_move_to_group(claim=claim, group=Claim.objects.get(pk=target.pk).group, by=editor)
    with pytest.raises(InvalidInput, match="one claim group"):
        services.match_suggestion_reject(suggestion=suggestion, by=editor)
    assert not MatchDecision.objects.exists()


@pytest.mark.django_db
def test_rejecting_an_automatic_link_undoes_it(make_mention, editor):
    claim, target = make_mention("Wire", "The council raised the tax."), make_mention("Daily", "The tax went up.")
    group = ClaimGroup.objects.create(label="tax")
    Claim.objects.filter(pk__in=[claim.pk, target.pk]).update(group=group, grouped_by="semantic-matcher/2.0")
    suggestion = _suggest(
        Claim.objects.get(pk=claim.pk), Claim.objects.get(pk=target.pk), status=MatchSuggestion.Status.AUTO
    )
    services.match_suggestion_reject(suggestion=suggestion, by=editor)
    claim, target = Claim.objects.get(pk=claim.pk), Claim.objects.get(pk=target.pk)
    assert claim.group_id != target.group_id
    assert MatchDecision.objects.get(claim_a=min(claim, target, key=lambda c: c.pk)).kind == "different"
    assert MatchSuggestion.objects.get(pk=suggestion.pk).status == MatchSuggestion.Status.REJECTED
