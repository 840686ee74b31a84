"""Linking mentions across articles, thresholds, editors' decisions surviving re-runs, verdicts
propagating to new mentions, and the Celery task."""

import pytest
from django.utils import timezone

from core.errors import PermissionDenied
from factcheck.models import Claim, ClaimGroup, Verdict
from matching import linking, selectors, services
from matching.models import ClaimSignature, MatchDecision, MatchSuggestion, SignatureTerm, SignatureTermCount
from matching.signature import MATCHER_ID
from tests.factories import RatingFactory, UserFactory

# One claim in three outlets' words, on no particular story (the seeds have their own test).
EO = {
    "Wire": "The city council approved a plan on Monday to ban cars from the old town centre.",
    "Daily": "On Monday the city council backed a plan to ban cars from the historic town centre.",
    "Post": "Cars will be banned from the old town centre under a plan the city council approved on Monday.",
}
BIDEN_CALL = "Mayor Lindqvist spoke with the leaders of the two unions on Monday."
PUTIN_CALL = "Councillor Moreau spoke with the leaders of the two unions on Monday."
TROOPS_A = "The storm left 130,000 homes without power across the region."
TROOPS_B = "The storm left 190,000 homes without power across the region."


def _pair_links(settings):
    """Tests of what happens around a link (verdicts, editors' placements, overlaps) link the Wire /
    Daily pair (model score 0.77, below the fitted auto-link) by setting the threshold."""
    settings.WORKBENCH = {**settings.WORKBENCH, "MATCH_AUTO_LINK": 0.7}


def _match(*claims):
    return services.claims_match(article_ids=[c.article_id for c in claims])


def _reload(*claims):
    return [Claim.objects.get(pk=c.pk) for c in claims]


@pytest.mark.django_db
def test_mentions_of_one_claim_in_three_outlets_become_one_group(make_mention):
    claims = [make_mention(outlet, text) for outlet, text in EO.items()]
    result = _match(*claims)
    claims = _reload(*claims)
    assert claims[0].group_id is not None
    assert {c.group_id for c in claims} == {claims[0].group_id}
    # No pair reaches auto-link with this wording (0.67-0.77); each claim is a likely match
    # (>= suggest) of the others, so the three outlets corroborate one claim and link.
    _, suggest = linking.thresholds()
    assert all(c.grouped_by == MATCHER_ID and c.group_score >= suggest for c in claims)
    assert len(result.linked) == 2  # two joined the first one's group
    # Which model proposed each link is recorded, with the thresholds in force.
    auto = MatchSuggestion.objects.filter(status=MatchSuggestion.Status.AUTO)
    assert auto.count() == 3 and all("Three outlets state it" in " ".join(s.reasons) for s in auto)
    assert {s.claim_id for s in auto} == {c.pk for c in claims}  # each records its automatic link
    assert {s.matcher for s in auto} == {MATCHER_ID}
    assert {s.auto_link_threshold for s in auto} == {linking.thresholds()[0]}
    # Each says why, in words (no "X verb ~ Y verb" formulas).
    assert all(s.reasons and "~" not in " ".join(s.reasons) and "model score" in s.reasons[0] for s in auto)


@pytest.mark.django_db
def test_rerun_changes_nothing(make_mention):
    claims = [make_mention(outlet, text) for outlet, text in EO.items()]
    _match(*claims)
    before = (
        list(Claim.objects.order_by("id").values_list("id", "group_id", "version")),
        MatchSuggestion.objects.count(),
        ClaimGroup.objects.count(),
        SignatureTerm.objects.count(),
    )
    result = _match(*claims)
    after = (
        list(Claim.objects.order_by("id").values_list("id", "group_id", "version")),
        MatchSuggestion.objects.count(),
        ClaimGroup.objects.count(),
        SignatureTerm.objects.count(),
    )
    assert result.linked == [] and result.suggested == []
    assert before == after


@pytest.mark.django_db
@pytest.mark.parametrize("a,b", [(BIDEN_CALL, PUTIN_CALL), (TROOPS_A, TROOPS_B)])
def test_false_friends_are_neither_linked_nor_suggested(make_mention, a, b):
    first, second = make_mention("Wire", a), make_mention("Daily", b)
    result = _match(first, second)
    assert result.linked == [] and result.suggested == []
    assert all(c.group_id is None for c in _reload(first, second))
    assert not MatchSuggestion.objects.exists()


@pytest.mark.django_db
def test_thresholds_come_from_settings(make_mention, settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "MATCH_AUTO_LINK": 0.99, "MATCH_SUGGEST": 0.5}
    first, second = make_mention("Wire", EO["Wire"]), make_mention("Daily", EO["Daily"])
    result = _match(first, second)
    assert result.linked == []
    assert len(result.suggested) == 1
    suggestion = MatchSuggestion.objects.get()
    assert suggestion.status == MatchSuggestion.Status.SUGGESTED
    assert 0.5 <= suggestion.score < 0.99 and suggestion.matcher == MATCHER_ID
    assert all(c.group_id is None for c in _reload(first, second))


@pytest.mark.django_db
def test_rejected_suggestion_is_never_proposed_again(make_mention, editor, settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "MATCH_AUTO_LINK": 0.99}
    first, second = make_mention("Wire", EO["Wire"]), make_mention("Daily", EO["Daily"])
    _match(first, second)
    suggestion = MatchSuggestion.objects.get()
    services.match_suggestion_reject(suggestion=suggestion, by=editor)
    suggestion.refresh_from_db()
    assert suggestion.status == MatchSuggestion.Status.REJECTED
    assert suggestion.decided_by == editor and suggestion.decided_at is not None
    decision = MatchDecision.objects.get()
    assert decision.kind == MatchDecision.Kind.DIFFERENT and decision.decided_by == editor
    # Even with a threshold that would now link them automatically.
    settings.WORKBENCH = {**settings.WORKBENCH, "MATCH_AUTO_LINK": 0.5}
    result = _match(first, second)
    assert result.linked == [] and result.suggested == []
    assert all(c.group_id is None for c in _reload(first, second))


@pytest.mark.django_db
def test_confirmed_suggestion_links_the_claim(make_mention, editor, settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "MATCH_AUTO_LINK": 0.99}
    first, second = make_mention("Wire", EO["Wire"]), make_mention("Daily", EO["Daily"])
    _match(first, second)
    suggestion = MatchSuggestion.objects.get()
    services.match_suggestion_confirm(suggestion=suggestion, by=editor)
    first, second = _reload(first, second)
    assert first.group_id and first.group_id == second.group_id
    linked = Claim.objects.get(pk=suggestion.claim_id)
    assert linked.grouped_by == "human"
    suggestion.refresh_from_db()
    assert suggestion.status == MatchSuggestion.Status.CONFIRMED and suggestion.decided_by == editor
    assert MatchDecision.objects.filter(kind=MatchDecision.Kind.SAME, decided_by=editor).exists()


@pytest.mark.django_db
def test_only_editors_decide(make_mention, reviewer, settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "MATCH_AUTO_LINK": 0.99}
    first, second = make_mention("Wire", EO["Wire"]), make_mention("Daily", EO["Daily"])
    _match(first, second)
    suggestion = MatchSuggestion.objects.get()
    with pytest.raises(PermissionDenied):
        services.match_suggestion_confirm(suggestion=suggestion, by=reviewer)
    with pytest.raises(PermissionDenied):
        services.match_suggestion_reject(suggestion=suggestion, by=reviewer)
    assert MatchSuggestion.objects.get().status == MatchSuggestion.Status.SUGGESTED


@pytest.mark.django_db
def test_split_survives_rerun(make_mention, editor):
    claims = [make_mention(outlet, text) for outlet, text in EO.items()]
    _match(*claims)
    group = ClaimGroup.objects.get(pk=_reload(claims[0])[0].group_id)
    new = services.match_group_split(group=group, claim_ids=[claims[2].pk], by=editor)
    assert MatchDecision.objects.filter(kind="different", action="split", decided_by=editor).count() == 2
    _match(*claims)
    claims = _reload(*claims)
    assert claims[2].group_id == new.pk
    assert claims[0].group_id == claims[1].group_id == group.pk
    # A new article repeating the claim joins a group, but never brings the split mention back.
    fourth = make_mention("Gazette", "The city council on Monday approved banning cars from the old town centre.")
    _match(fourth)
    assert _reload(claims[2])[0].group_id == new.pk


@pytest.mark.django_db
def test_split_through_factcheck_service_is_respected_too(make_mention, editor):
    """Even through the lower-level factcheck service (no decision recorded), a person's placement stands."""
    from factcheck.services.groups import _group_split

    claims = [make_mention(outlet, text) for outlet, text in EO.items()]
    _match(*claims)
    group = ClaimGroup.objects.get(pk=_reload(claims[0])[0].group_id)
    new = _group_split(group=group, claim_ids=[claims[1].pk], by=editor)
    _match(*claims)
    assert _reload(claims[1])[0].group_id == new.pk


@pytest.mark.django_db
def test_merge_survives_rerun_and_is_recorded(make_mention, editor):
    first, second = make_mention("Wire", BIDEN_CALL), make_mention("Daily", TROOPS_A)
    from factcheck.services.claims import claim_accept

    claim_accept(claim=first, by=editor)
    claim_accept(claim=second, by=editor)
    first, second = _reload(first, second)
    target = ClaimGroup.objects.get(pk=first.group_id)
    services.match_groups_merge(target=target, others=[ClaimGroup.objects.get(pk=second.group_id)], by=editor)
    assert MatchDecision.objects.filter(kind="same", action="merge", decided_by=editor).count() == 1
    _match(first, second)
    first, second = _reload(first, second)
    assert first.group_id == second.group_id == target.pk


@pytest.mark.django_db
def test_unlinking_a_wrong_automatic_link(make_mention, editor):
    claims = [make_mention(outlet, text) for outlet, text in EO.items()]
    _match(*claims)
    group_id = _reload(claims[0])[0].group_id
    services.claim_link_reject(claim=claims[1], by=editor)
    _match(*claims)
    claims = _reload(*claims)
    assert claims[1].group_id != group_id
    assert claims[0].group_id == claims[2].group_id == group_id
    assert MatchDecision.objects.filter(action="unlink", decided_by=editor).count() == 2


@pytest.mark.django_db
def test_verdict_propagates_to_every_mention_and_to_new_articles(make_mention, editor, settings):
    _pair_links(settings)
    first, second = make_mention("Wire", EO["Wire"]), make_mention("Daily", EO["Daily"])
    _match(first, second)
    group = ClaimGroup.objects.get(pk=_reload(first)[0].group_id)
    rating = RatingFactory(label="True")
    Verdict.objects.create(
        group=group,
        reviewer=UserFactory(),
        rating=rating,
        status=Verdict.Status.PUBLISHED,
        published_at=timezone.now(),
        rationale="The order was signed.",
    )
    # A new article repeating the checked claim gets the link, and the verdict, automatically.
    third = make_mention("Gazette", EO["Post"])
    result = services.claims_match(article_ids=[third.article_id])
    assert result.linked == [(third.pk, group.pk)]
    mentions = list(selectors.claims_with_group_data(Claim.objects.filter(group=group)))
    assert len(mentions) == 3
    assert {selectors.claim_verdict(c).rating.label for c in mentions} == {"True"}


@pytest.mark.django_db
def test_claims_placed_by_people_are_not_moved(make_mention, editor, settings):
    _pair_links(settings)
    from factcheck.services.groups import claim_move_to_group

    first, second = make_mention("Wire", EO["Wire"]), make_mention("Daily", EO["Daily"])
    claim_move_to_group(claim=first, group=None, by=editor)  # an editor put it in a group of its own
    own = _reload(first)[0].group_id
    _match(first, second)
    first, second = _reload(first, second)
    assert first.group_id == own
    # The other mention may still join the editor's group.
    assert second.group_id == own


@pytest.mark.django_db
def test_signatures_are_recomputed_when_the_text_changes(make_mention):
    claim = make_mention("Wire", EO["Wire"])
    services.claims_match(article_ids=[claim.article_id])
    before = ClaimSignature.objects.get(claim=claim).text_hash
    Claim.objects.filter(pk=claim.pk).update(speaker="Anna Lindqvist")
    services.claims_match(article_ids=[claim.article_id])
    assert ClaimSignature.objects.get(claim=claim).text_hash != before
    assert SignatureTerm.objects.filter(claim=claim, term="s:lindqvist").exists()
    # The key counts follow: every key of the claim counted once, nothing left from before.
    counts = dict(SignatureTermCount.objects.values_list("term", "postings"))
    terms = list(SignatureTerm.objects.filter(claim=claim).values_list("term", flat=True))
    assert all(counts[t] == 1 for t in terms) and sum(counts.values()) == len(terms)


@pytest.mark.django_db
def test_candidate_retrieval_is_bounded_and_skips_the_same_article(make_mention):
    claims = [make_mention(f"Outlet {i}", EO["Wire"].replace("Monday", f"day {i}")) for i in range(6)]
    linking.claim_signatures_update(claims=claims)
    data = ClaimSignature.objects.get(claim=claims[0]).data
    ids = linking.candidate_claim_ids(data=data, exclude_article_id=claims[0].article_id, limit=3)
    assert len(ids) == 3 and claims[0].pk not in ids


@pytest.mark.django_db(transaction=True)
def test_task_links_articles(make_mention):
    from matching.tasks import claims_match_task

    claims = [make_mention(outlet, text) for outlet, text in EO.items()]
    outcome = claims_match_task.apply(args=[[c.article_id for c in claims]]).get()
    assert outcome["linked"] == 2 and outcome["suggested"] == 0  # three outlets corroborating each other
    assert len({c.group_id for c in _reload(*claims)}) == 1


@pytest.mark.django_db
def test_retrieval_reads_rare_keys_in_full_so_old_claims_are_found():
    """Before, each key returned its 60 most recent postings: an old claim sharing a key with many
    newer ones was lost. Now a rare key is read in full and a too-common key is dropped."""
    from tests.factories import ArticleFactory

    old_article, busy_article, new_article = ArticleFactory(), ArticleFactory(), ArticleFactory()
    old = Claim.objects.create(article=old_article, start=0, end=10, exact="old claim")
    newer = Claim.objects.bulk_create(
        [
            Claim(article=busy_article, start=i * 20, end=i * 20 + 10, exact=f"newer {i}")
            for i in range(linking.POSTINGS_CAP + 50)
        ]
    )
    rows = SignatureTerm.objects.bulk_create(
        [
            SignatureTerm(term="e:harbourmaster", claim=old, article=old_article),
            SignatureTerm(term="l:common", claim=old, article=old_article),
        ]
        + [SignatureTerm(term="l:common", claim=c, article=busy_article) for c in newer]
        + [SignatureTerm(term="e:harbourmaster", claim=c, article=busy_article) for c in newer[:30]]
    )
    linking.term_counts_update(added=[r.term for r in rows], removed=[])
    data = {"entities": [{"key": "harbourmaster", "label": "PERSON", "text": "Harbourmaster"}], "lemmas": ["common"]}
    ids = linking.candidate_claim_ids(data=data, exclude_article_id=new_article.pk)
    assert old.pk in ids  # the oldest posting of the rare key
    assert len(ids) == 31  # the 451-posting key is too common to retrieve by
    assert SignatureTermCount.objects.get(term="l:common").postings == linking.POSTINGS_CAP + 51


@pytest.mark.django_db
def test_an_overlapping_claim_of_the_same_article_does_not_join_the_group_twice(make_mention, settings):
    """A clause claim inside a sentence claim: the group gets one mention of that article."""
    _pair_links(settings)
    sentence = (
        "The mayor closed the old bridge to trucks on Friday, after engineers found cracks in two of its "
        "supporting pillars."
    )
    first = make_mention("Wire", sentence)
    clause = Claim.objects.create(
        article=first.article,
        start=0,
        end=sentence.index(","),
        exact=sentence[: sentence.index(",")],
        status="candidate",
    )
    other = make_mention("Daily", "On Friday the mayor shut the old bridge to trucks.")
    services.claims_match(article_ids=[other.article_id])
    services.claims_match(article_ids=[first.article_id])
    first, clause, other = _reload(first, clause, other)
    assert other.group_id is not None
    in_group = [c for c in (first, clause) if c.group_id == other.group_id]
    assert len(in_group) == 1


def _machine_group(*claims):
    """A group the matcher made earlier (signatures and index keys stored)."""
    linking.claim_signatures_update(claims=list(claims))
    group = ClaimGroup.objects.create(label=claims[0].exact)
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(group=group, grouped_by=MATCHER_ID)
    return group


@pytest.mark.django_db
def test_a_claim_close_to_a_group_in_two_other_outlets_joins_it(make_mention, settings):
    """Group-level evidence (#14): no pair reaches auto-link here (set out of reach), but the new
    mention is more likely the same than not as two mentions of one group in two other outlets."""
    settings.WORKBENCH = {**settings.WORKBENCH, "MATCH_AUTO_LINK": 0.999}
    wire, daily = make_mention("Wire", EO["Wire"]), make_mention("Daily", EO["Daily"])
    group = _machine_group(wire, daily)
    post = make_mention("Post", EO["Post"])
    result = services.claims_match(article_ids=[post.article_id])
    assert result.linked == [(post.pk, group.pk)]
    link = MatchSuggestion.objects.get(claim=post)
    assert link.status == MatchSuggestion.Status.AUTO and link.score < 0.999
    assert "Close to mentions of this group in 2 other outlets." in link.reasons


@pytest.mark.django_db
def test_one_close_mention_of_a_group_is_not_enough_evidence(make_mention, settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "MATCH_AUTO_LINK": 0.999, "MATCH_SUGGEST": 0.3}
    wire = make_mention("Wire", EO["Wire"])
    unrelated = make_mention("Daily", "The museum will reopen its east wing after a two-year renovation.")
    group = _machine_group(wire, unrelated)
    post = make_mention("Post", EO["Post"])
    result = services.claims_match(article_ids=[post.article_id])
    assert result.linked == []
    assert Claim.objects.get(pk=post.pk).group_id is None
    assert MatchSuggestion.objects.get(claim=post).group_id == group.pk  # an editor decides


@pytest.mark.django_db
def test_a_group_formed_late_in_a_run_is_joined_in_the_same_run(make_mention, settings):
    """Passes repeat while they link: the first article's claim, matched before the group existed,
    joins it in the same run, and a re-run changes nothing."""
    post = make_mention("Post", EO["Post"])
    wire, daily = make_mention("Wire", EO["Wire"]), make_mention("Daily", EO["Daily"])
    result = _match(post, wire, daily)
    groups = {c.group_id for c in _reload(post, wire, daily)}
    assert len(groups) == 1 and None not in groups
    again = _match(post, wire, daily)
    assert again.linked == [] and again.suggested == []
    assert result.linked
