"""The review services: claims from offsets (code points and UTF-16), decisions with versions,
groups, sources and evidence, the verdict workflow, and the ClaimReview / Web Annotation exports."""

import pytest
from django.db import transaction

from articles.models import Article
from articles.services import articles_import_paths
from core.errors import ConflictError, InvalidInput, PermissionDenied
from factcheck.claimreview import claimreview_jsonld, web_annotation_jsonld
from factcheck.models import Claim, ClaimGroup, Evidence, Source, Verdict
from factcheck.selectors import verdicts_for_claimreview
from factcheck.services import claims as claim_services
from factcheck.services.claims import (
    claim_accept,
    claim_assign,
    claim_create,
    claim_reject,
    claim_update,
    claims_bulk_decide,
    claims_bulk_undo,
    codepoint_to_utf16,
    utf16_to_codepoint,
)
from factcheck.services.groups import _group_merge, _group_split, claim_move_to_group
from factcheck.services.sources import evidence_add, evidence_add_from_url, evidence_remove, source_get_or_create
from factcheck.services.verdicts import (
    verdict_approve,
    verdict_correct,
    verdict_draft,
    verdict_publish,
    verdict_submit,
    verdict_update,
)
from tests.factories import ArticleFactory, ClaimFactory, ClaimGroupFactory, RatingFactory, SourceFactory

EMOJI_BODY = "Fans 🎉🎉 cheered “loudly” as the mayor said: ‘The budget rose 5% in 2023.’ Nobody disagreed."


def utf16(text: str, start: int, end: int) -> tuple[int, int]:
    """What a browser's Range offsets would say for code points [start, end)."""
    return codepoint_to_utf16(text, start), codepoint_to_utf16(text, end)


@pytest.fixture
def article(db):
    return ArticleFactory(body=EMOJI_BODY)


@pytest.fixture
def rating(db):
    low = RatingFactory(label="False", order=1, value=1)
    RatingFactory(scale=low.scale, label="Half true", order=2, value=2)
    RatingFactory(scale=low.scale, label="True", order=3, value=3)
    return low


# --- offsets ----------------------------------------------------------------------------------


def test_utf16_offsets_are_converted_past_emoji_and_curly_quotes(article, editor):
    quote = "‘The budget rose 5% in 2023.’"
    start = EMOJI_BODY.index(quote)
    u_start, u_end = utf16(EMOJI_BODY, start, start + len(quote))
    assert (u_start, u_end) == (start + 2, start + 2 + len(quote))  # two emoji: two extra UTF-16 units before the quote
    claim = claim_create(article=article, start=u_start, end=u_end, exact=quote, by=editor, units="utf16")
    assert (claim.start, claim.end) == (start, start + len(quote))
    assert claim.exact == quote == article.body[claim.start : claim.end]
    assert claim.status == Claim.Status.ACCEPTED and claim.origin == Claim.Origin.HUMAN
    assert claim.group.label == quote and claim.grouped_by == "human"
    assert claim.prefix.endswith("the mayor said: ") and claim.suffix.startswith(" Nobody")


def test_codepoint_offsets_given_as_utf16_are_rejected_with_where_the_quote_is(article, editor):
    quote = "“loudly”"
    start = EMOJI_BODY.index(quote)
    with pytest.raises(InvalidInput) as exc:  # code points sent as if they were UTF-16 units
        claim_create(article=article, start=start, end=start + len(quote), exact=quote, by=editor, units="utf16")
    assert exc.value.field == "exact"
    assert f"occurs at code points [{start}, {start + len(quote)})" in exc.value.message
    assert not Claim.objects.exists() and not ClaimGroup.objects.exists()


def test_offset_inside_an_emoji_is_rejected(article):
    first_emoji_utf16 = EMOJI_BODY.index("🎉")
    with pytest.raises(InvalidInput, match="inside a character"):
        utf16_to_codepoint(EMOJI_BODY, first_emoji_utf16 + 1)
    assert utf16_to_codepoint(EMOJI_BODY, first_emoji_utf16 + 2) == first_emoji_utf16 + 1


def test_non_breaking_space_in_the_quote_is_named_in_the_error(seeds_dir, editor, admin_user):
    """A seed article with non-breaking spaces: the canonical text has plain spaces, so a quote
    copied from the original (with U+00A0) is rejected and the error names the character."""
    articles_import_paths(paths=[str(seeds_dir / "001_cca49c2fcdb13049.txt")], by=admin_user)
    article = Article.objects.get()
    raw = (seeds_dir / "001_cca49c2fcdb13049.txt").read_text()
    nbsp_at = raw.index("\u00a0")
    raw_quote = raw[nbsp_at - 20 : nbsp_at + 20]
    canonical_quote = raw_quote.replace("\u00a0", " ")
    start = article.body.index(canonical_quote)
    with pytest.raises(InvalidInput) as exc:
        claim_create(article=article, start=start, end=start + len(raw_quote), exact=raw_quote, by=editor)
    assert "U+00A0 NO-BREAK SPACE" in exc.value.message and "U+0020 SPACE" in exc.value.message
    assert exc.value.field == "exact"
    claim = claim_create(
        article=article, start=start, end=start + len(canonical_quote), exact=canonical_quote, by=editor
    )
    assert article.body[claim.start : claim.end] == canonical_quote


def test_curly_quotes_in_a_seed_article_with_utf16_offsets(seeds_dir, editor, admin_user):
    articles_import_paths(paths=[str(seeds_dir / "000_d20f69a71a53ef0e.txt")], by=admin_user)
    article = Article.objects.get()
    quote = "“peacekeeping operation”"
    start = article.body.index(quote)
    claim = claim_create(article=article, start=start, end=start + len(quote), exact=quote, by=editor, units="utf16")
    assert claim.exact == quote
    straight = quote.replace("“", '"').replace("”", '"')
    with pytest.raises(InvalidInput, match="U\\+201C LEFT DOUBLE QUOTATION MARK"):
        claim_create(article=article, start=start, end=start + len(quote), exact=straight, by=editor)


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        (-1, 3, "start", "negative"),
        (5, 5, "end", "greater than start"),
        (0, 10_000, "end", "past the end"),
        ("1", 3, "start", "integer"),
    ],
)
def test_bad_offsets_name_the_field(article, editor, start, end, field, words):
    with pytest.raises(InvalidInput, match=words) as exc:
        claim_create(article=article, start=start, end=end, exact="Fans", by=editor)
    assert exc.value.field == field


def test_same_span_twice_is_refused(article, editor):
    claim_create(article=article, start=0, end=4, exact="Fans", by=editor)
    with pytest.raises(InvalidInput, match="already claim"):
        claim_create(article=article, start=0, end=4, exact="Fans", by=editor)
    assert Claim.objects.count() == 1


# --- permissions per role ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("admin_user", True),
        ("editor", True),
        ("reviewer", False),
        ("integration", False),
        ("outsider", False),
    ],
)
def test_claim_curation_needs_editor_or_admin(request, persona, allowed, article):
    user = request.getfixturevalue(persona)
    claim = ClaimFactory(article=article)
    calls = [
        lambda: claim_create(article=article, start=0, end=4, exact="Fans", by=user),
        lambda: claim_accept(claim=claim, by=user),
        lambda: claim_reject(claim=claim, by=user),
        lambda: claim_update(claim=claim, by=user, version=None, speaker="The mayor"),
        lambda: claims_bulk_decide(claims=[{"id": claim.pk, "version": claim.version}], decision="accept", by=user),
    ]
    for call in calls:
        if allowed:
            call()
        else:
            with pytest.raises(PermissionDenied):
                call()
    if not allowed:
        claim.refresh_from_db()
        assert claim.status == Claim.Status.CANDIDATE and claim.version == 1 and Claim.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "can_draft", "can_approve"),
    [
        ("admin_user", True, True),
        ("editor", True, True),
        ("reviewer", True, False),
        ("integration", False, False),
        ("outsider", False, False),
    ],
)
def test_verdict_permissions_per_role(request, persona, can_draft, can_approve, rating):
    user = request.getfixturevalue(persona)
    group = ClaimGroupFactory()
    if can_draft:
        assert verdict_draft(group=group, by=user, rating=rating, rationale="x").reviewer == user
    else:
        with pytest.raises(PermissionDenied):
            verdict_draft(group=group, by=user)
    author = request.getfixturevalue("reviewer" if persona != "reviewer" else "editor")
    verdict = verdict_draft(group=group, by=author, rating=rating, rationale="Because.")
    verdict_submit(verdict=verdict, by=author)
    if can_approve:
        verdict_approve(verdict=verdict, by=user)
        verdict_publish(verdict=verdict, by=user)
        assert verdict.status == Verdict.Status.PUBLISHED
    else:
        with pytest.raises(PermissionDenied):
            verdict_approve(verdict=verdict, by=user)
        verdict.refresh_from_db()
        assert verdict.status == Verdict.Status.SUBMITTED


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("admin_user", True),
        ("editor", True),
        ("reviewer", False),
        ("integration", False),
        ("outsider", False),
    ],
)
def test_grouping_needs_editor_or_admin(request, persona, allowed):
    user = request.getfixturevalue(persona)
    a, b = ClaimGroupFactory(), ClaimGroupFactory()
    ClaimFactory(group=a), ClaimFactory(group=b)
    if allowed:
        _group_merge(target=a, others=[b], by=user)
        assert not ClaimGroup.objects.filter(pk=b.pk).exists()
    else:
        with pytest.raises(PermissionDenied):
            _group_merge(target=a, others=[b], by=user)
        assert ClaimGroup.objects.count() == 2


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("admin_user", True),
        ("editor", True),
        ("reviewer", True),
        ("integration", False),
        ("outsider", False),
    ],
)
def test_sources_and_evidence_permissions(request, persona, allowed):
    user = request.getfixturevalue(persona)
    group = ClaimGroupFactory()
    if allowed:
        source = source_get_or_create(url="https://stats.example/report?utm_source=x", title="Report", by=user)
        evidence = evidence_add(group=group, source=source, relation="refutes", quoted_passage="It fell.", by=user)
        assert evidence.added_by == user and evidence.relation == "refutes"
        evidence_remove(evidence=evidence, by=user)
        assert not Evidence.objects.exists()
    else:
        with pytest.raises(PermissionDenied):
            source_get_or_create(url="https://stats.example/report", by=user)
        with pytest.raises(PermissionDenied):
            evidence_add(group=group, source=SourceFactory(), relation="refutes", by=user)


# --- versions ---------------------------------------------------------------------------------


def test_stale_claim_edit_is_a_conflict_and_changes_nothing(article, editor, admin_user):
    claim = ClaimFactory(article=article, speaker="")
    stale = Claim.objects.get(pk=claim.pk)
    claim_update(claim=claim, by=editor, version=1, speaker="The mayor")
    assert claim.version == 2 and claim.edited
    history_rows = claim.history.count()
    with pytest.raises(ConflictError) as exc:  # the caller read version 1
        claim_update(claim=stale, by=admin_user, version=1, claim_type="quantity")
    assert exc.value.current_version == 2
    with pytest.raises(ConflictError):  # version given but the object itself is newer
        claim_reject(claim=claim, by=admin_user, version=1)
    with pytest.raises(ConflictError):  # no version given: the stale instance's own version is checked
        claim_accept(claim=stale, by=admin_user)
    claim.refresh_from_db()
    assert (claim.version, claim.claim_type, claim.speaker, claim.status) == (2, "other", "The mayor", "candidate")
    assert claim.history.count() == history_rows


def test_decisions_bump_version_and_record_who(article, editor):
    claim = ClaimFactory(article=article)
    claim_accept(claim=claim, by=editor, version=1)
    claim.refresh_from_db()
    assert (claim.status, claim.version, claim.decided_by) == ("accepted", 2, editor)
    assert claim.group is not None  # an accepted claim is a claim group of its own
    latest = claim.history.first()
    assert latest.history_user == editor and latest.status == "accepted" and latest.version == 2
    claim_reject(claim=claim, by=editor, version=2)
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("rejected", 3)


def test_stale_verdict_edit_is_a_conflict(reviewer, rating):
    verdict = verdict_draft(group=ClaimGroupFactory(), by=reviewer)
    verdict_update(verdict=verdict, by=reviewer, version=1, rationale="First.")
    with pytest.raises(ConflictError):
        verdict_update(verdict=verdict, by=reviewer, version=1, rationale="Second.")
    verdict.refresh_from_db()
    assert (verdict.rationale, verdict.version) == ("First.", 2)


def test_stale_group_merge_is_a_conflict_and_moves_nothing(editor):
    a, b = ClaimGroupFactory(), ClaimGroupFactory()
    claim = ClaimFactory(group=b)
    with pytest.raises(ConflictError):
        _group_merge(target=a, others=[b], by=editor, version=7)
    claim.refresh_from_db()
    assert claim.group == b and ClaimGroup.objects.count() == 2


def _shown(*claims) -> list[dict]:
    return [{"id": c.pk, "version": c.version} for c in claims]


def test_bulk_decide_and_undo(article, editor):
    candidates = [ClaimFactory(article=ArticleFactory()) for _ in range(3)]
    already = ClaimFactory(article=article, status=Claim.Status.REJECTED)
    result = claims_bulk_decide(claims=_shown(*candidates, already), decision="reject", by=editor)
    assert result["changed"] == [c.pk for c in candidates]  # the already rejected one is unchanged
    assert result["skipped"] == [{"id": already.pk, "reason": "already rejected", "current_version": 1}]
    assert Claim.objects.filter(status="rejected").count() == 4
    claim_accept(claim=Claim.objects.get(pk=candidates[0].pk), by=editor)  # changed again since: not undone
    undone = claims_bulk_undo(undo=result["undo"], by=editor)
    assert undone == {"restored": [c.pk for c in candidates[1:]], "conflicts": [candidates[0].pk]}
    statuses = dict(Claim.objects.values_list("id", "status"))
    assert [statuses[c.pk] for c in candidates] == ["accepted", "candidate", "candidate"]
    with pytest.raises(InvalidInput):
        claims_bulk_decide(claims=_shown(already), decision="maybe", by=editor)
    with pytest.raises(InvalidInput, match="version"):
        claims_bulk_decide(claims=[{"id": already.pk}], decision="accept", by=editor)


def test_bulk_decisions_skip_claims_changed_since_they_were_shown(article, editor, admin_user):
    """#15.8: a claim another editor rejected a moment ago is not accepted over it; each skipped
    claim is reported with why."""
    fresh, stale = ClaimFactory(article=ArticleFactory()), ClaimFactory(article=ArticleFactory())
    shown = _shown(fresh, stale)
    claim_reject(claim=stale, by=admin_user)  # meanwhile: version 2
    result = claims_bulk_decide(claims=shown + [{"id": 987654, "version": 1}], decision="accept", by=editor)
    assert result["changed"] == [fresh.pk]
    assert [s["id"] for s in result["skipped"]] == [stale.pk, 987654]
    assert (
        result["skipped"][0]["reason"] == "changed by someone else (you saw version 1, it is now version 2, rejected)"
    )
    assert result["skipped"][1]["reason"] == "not found"
    stale.refresh_from_db()
    assert (stale.status, stale.decided_by) == ("rejected", admin_user)


def test_undo_tokens_are_signed_expire_and_belong_to_their_maker(article, editor, admin_user, settings):
    from django.core import signing

    claim = ClaimFactory(article=ArticleFactory())
    token = claims_bulk_decide(claims=_shown(claim), decision="accept", by=editor)["undo"]
    # a forged token (what an attacker would send: accepted, with no group) is refused
    forged = signing.dumps({"by": editor.pk, "claims": [[claim.pk, "accepted", 2]]}, salt="another-salt", compress=True)
    for bad in (forged, token[:-3] + "abc", "", '[{"id": 1, "previous_status": "accepted", "version": 2}]'):
        with pytest.raises(InvalidInput, match="Not an undo token"):
            claims_bulk_undo(undo=bad, by=editor)
    with pytest.raises(PermissionDenied):
        claims_bulk_undo(undo=token, by=admin_user)
    settings.WORKBENCH = {**settings.WORKBENCH, "UNDO_MAX_AGE": -1}
    with pytest.raises(InvalidInput, match="expired"):
        claims_bulk_undo(undo=token, by=editor)
    settings.WORKBENCH = {**settings.WORKBENCH, "UNDO_MAX_AGE": 3600}
    assert claims_bulk_undo(undo=token, by=editor) == {"restored": [claim.pk], "conflicts": []}
    claim.refresh_from_db()
    assert claim.status == "candidate" and claim.group_id is not None


def test_assign_only_to_people_who_can_review(article, editor, reviewer, integration):
    claim = ClaimFactory(article=article)
    claim_assign(claim=claim, assignee=reviewer, by=editor)
    assert Claim.objects.get(pk=claim.pk).assigned_to == reviewer
    with pytest.raises(InvalidInput, match="cannot review"):
        claim_assign(claim=claim, assignee=integration, by=editor)


# --- groups -----------------------------------------------------------------------------------


def test_merge_moves_mentions_evidence_and_verdicts(editor, reviewer, rating):
    a, b, c = ClaimGroupFactory(), ClaimGroupFactory(), ClaimGroupFactory()
    m1, m2, m3 = ClaimFactory(group=a), ClaimFactory(group=b), ClaimFactory(group=c)
    shared = SourceFactory()
    evidence_add(group=a, source=shared, relation="refutes", by=reviewer)
    evidence_add(group=b, source=shared, relation="supports", by=reviewer)
    evidence_add(group=c, source=SourceFactory(), relation="context", by=reviewer)
    draft = verdict_draft(group=b, by=reviewer, rating=rating, rationale="x")
    _group_merge(target=a, others=[b, c], by=editor)
    assert set(a.claims.values_list("id", flat=True)) == {m1.pk, m2.pk, m3.pk}
    assert Claim.objects.get(pk=m2.pk).version == 2
    assert a.evidence.count() == 2 and a.evidence.get(source=shared).relation == "refutes"
    assert Verdict.objects.get(pk=draft.pk).group == a
    assert list(ClaimGroup.objects.values_list("id", flat=True)) == [a.pk]


def test_merge_refuses_two_published_verdicts(editor, reviewer, admin_user, rating):
    groups = [ClaimGroupFactory(), ClaimGroupFactory()]
    for group in groups:
        _published(group, reviewer, editor, rating)
    with pytest.raises(InvalidInput, match="only one"):
        _group_merge(target=groups[0], others=[groups[1]], by=admin_user)
    assert ClaimGroup.objects.count() == 2


def test_split_makes_a_new_group_and_refuses_to_empty_one(editor):
    group = ClaimGroupFactory()
    keep, move1, move2 = (ClaimFactory(group=group) for _ in range(3))
    new = _group_split(group=group, claim_ids=[move1.pk, move2.pk], by=editor)
    assert set(new.claims.values_list("id", flat=True)) == {move1.pk, move2.pk}
    assert list(group.claims.values_list("id", flat=True)) == [keep.pk]
    assert new.label == move1.exact
    with pytest.raises(InvalidInput, match="empty"):
        _group_split(group=group, claim_ids=[keep.pk], by=editor)
    with pytest.raises(InvalidInput, match="not in group"):
        _group_split(group=group, claim_ids=[move1.pk], by=editor)


def test_move_to_group_deletes_the_empty_old_group(editor):
    old, target = ClaimGroupFactory(), ClaimGroupFactory()
    claim = ClaimFactory(group=old)
    claim_move_to_group(claim=claim, group=target, by=editor)
    assert Claim.objects.get(pk=claim.pk).group == target and not ClaimGroup.objects.filter(pk=old.pk).exists()


# --- sources ----------------------------------------------------------------------------------


def test_sources_are_deduplicated_by_normalized_url(reviewer):
    first = source_get_or_create(url="https://www.Stats.example/report/?utm_source=feed", by=reviewer)
    second = source_get_or_create(url="http://stats.example/report", title="Annual report", by=reviewer)
    assert first.pk == second.pk and second.title == "Annual report"
    with pytest.raises(InvalidInput) as exc:
        source_get_or_create(url="javascript:alert(1)", by=reviewer)
    assert exc.value.field == "url"


def test_evidence_once_per_group_and_only_its_author_or_an_editor_removes_it(reviewer, editor, admin_user):
    group, source = ClaimGroupFactory(), SourceFactory()
    evidence = evidence_add(group=group, source=source, relation="supports", by=editor)
    with pytest.raises(InvalidInput, match="already evidence"):
        evidence_add(group=group, source=source, relation="refutes", by=reviewer)
    with pytest.raises(PermissionDenied):
        evidence_remove(evidence=evidence, by=reviewer)
    with pytest.raises(InvalidInput, match="relation"):
        evidence_add(group=group, source=SourceFactory(), relation="proves", by=reviewer)
    evidence_remove(evidence=evidence, by=admin_user)
    assert not Evidence.objects.exists()


# --- verdicts ---------------------------------------------------------------------------------


def _published(group, author, approver, rating) -> Verdict:
    verdict = verdict_draft(group=group, by=author, rating=rating, rationale="The records say otherwise.")
    verdict_submit(verdict=verdict, by=author)
    verdict_approve(verdict=verdict, by=approver)
    return verdict_publish(verdict=verdict, by=approver)


def test_verdict_workflow(reviewer, editor, rating):
    group = ClaimGroupFactory()
    verdict = verdict_draft(group=group, by=reviewer)
    assert verdict.status == "draft" and verdict.version == 1
    with pytest.raises(InvalidInput, match="rating"):
        verdict_submit(verdict=verdict, by=reviewer)
    verdict_update(verdict=verdict, by=reviewer, version=1, rating=rating, rationale="Official data show a fall.")
    with pytest.raises(InvalidInput, match="submitted"):
        verdict_approve(verdict=verdict, by=editor)  # not submitted yet
    verdict_submit(verdict=verdict, by=reviewer, version=2)
    with pytest.raises(InvalidInput):  # the author can no longer edit it once submitted
        verdict_update(verdict=verdict, by=reviewer, version=3, rationale="changed")
    with pytest.raises(InvalidInput, match="approved"):
        verdict_publish(verdict=verdict, by=editor)
    verdict_approve(verdict=verdict, by=editor, version=3)
    verdict_publish(verdict=verdict, by=editor, version=4)
    verdict.refresh_from_db()
    assert (verdict.status, verdict.version, verdict.approved_by, verdict.published_by) == (
        "published",
        5,
        editor,
        editor,
    )
    assert verdict.published_at is not None
    assert [h.status for h in verdict.history.order_by("history_id")] == [
        "draft",
        "draft",
        "submitted",
        "approved",
        "published",
    ]


def test_author_cannot_approve_their_own_verdict(editor, admin_user, rating):
    verdict = verdict_draft(group=ClaimGroupFactory(), by=editor, rating=rating, rationale="x")
    verdict_submit(verdict=verdict, by=editor)
    with pytest.raises(PermissionDenied, match="someone other than its author"):
        verdict_approve(verdict=verdict, by=editor)
    assert Verdict.objects.get(pk=verdict.pk).status == "submitted"
    verdict_approve(verdict=verdict, by=admin_user)


def test_reviewers_cannot_edit_other_reviewers_verdicts(reviewer, rating):
    from accounts.roles import Role
    from tests.factories import UserFactory

    other = UserFactory(username="rita-reviewer", role=Role.REVIEWER)
    verdict = verdict_draft(group=ClaimGroupFactory(), by=other, rating=rating, rationale="x")
    with pytest.raises(PermissionDenied):
        verdict_update(verdict=verdict, by=reviewer, version=1, rationale="mine now")
    with pytest.raises(PermissionDenied):
        verdict_submit(verdict=verdict, by=reviewer)


def test_one_published_verdict_per_group(reviewer, editor, admin_user, rating):
    group = ClaimGroupFactory()
    first = _published(group, reviewer, editor, rating)
    second = verdict_draft(group=group, by=reviewer, rating=rating, rationale="Another view.")
    verdict_submit(verdict=second, by=reviewer)
    verdict_approve(verdict=second, by=admin_user)
    with pytest.raises(InvalidInput, match=f"already has a published verdict \\({first.pk}\\)"):
        verdict_publish(verdict=second, by=admin_user)
    assert Verdict.objects.get(pk=second.pk).status == "approved"
    assert Verdict.objects.filter(group=group, status="published").count() == 1


def test_correction_supersedes_and_keeps_history(reviewer, editor, admin_user, rating):
    group = ClaimGroupFactory()
    original = _published(group, reviewer, editor, rating)
    better = rating.scale.ratings.get(label="Half true")
    with pytest.raises(InvalidInput, match="correction note"):
        verdict_correct(verdict=original, by=editor, rating=better, rationale="New data.", note=" ")
    with pytest.raises(PermissionDenied):
        verdict_correct(verdict=original, by=reviewer, rating=better, rationale="New data.", note="Figures revised.")
    correction = verdict_correct(
        verdict=original, by=editor, rating=better, rationale="New data.", note="Figures revised."
    )
    # A correction is a proposal: the published verdict stays until someone else approves it.
    original.refresh_from_db()
    assert (original.status, correction.status, correction.corrects) == ("published", "submitted", original)
    with pytest.raises(InvalidInput, match="already awaits approval"):
        verdict_correct(verdict=original, by=admin_user, rating=rating, rationale="other", note="other")
    with pytest.raises(PermissionDenied, match="someone other than its author"):
        verdict_approve(verdict=correction, by=editor)
    verdict_approve(verdict=correction, by=admin_user)
    verdict_publish(verdict=correction, by=editor)
    original.refresh_from_db()
    assert original.status == "superseded" and original.rating == rating
    assert (correction.status, correction.corrects, correction.correction_note) == (
        "published",
        original,
        "Figures revised.",
    )
    assert (correction.reviewer, correction.approved_by) == (editor, admin_user)
    assert list(Verdict.objects.filter(group=group, status="published")) == [correction]
    with pytest.raises(InvalidInput):
        verdict_correct(verdict=original, by=editor, rating=better, rationale="again", note="again")
    assert [h.status for h in original.history.order_by("history_id")][-2:] == ["published", "superseded"]


def test_an_editor_who_changed_a_submitted_verdict_cannot_approve_it(reviewer, editor, admin_user, rating):
    """Four eyes: the editor's change makes them a writer of the verdict; someone else approves."""
    verdict = verdict_draft(group=ClaimGroupFactory(), by=reviewer, rating=rating, rationale="Official data.")
    verdict_submit(verdict=verdict, by=reviewer)
    verdict_update(verdict=verdict, by=editor, version=verdict.version, rating=rating.scale.ratings.get(label="True"))
    with pytest.raises(PermissionDenied, match="changed its rating or rationale"):
        verdict_approve(verdict=verdict, by=editor)
    assert Verdict.objects.get(pk=verdict.pk).status == "submitted"
    verdict_approve(verdict=verdict, by=admin_user)
    verdict_publish(verdict=verdict, by=editor)
    assert {u.username for u in verdict.contributors.all()} == {reviewer.username, editor.username}
    assert verdict.approved_by == admin_user


def test_an_edit_that_changes_nothing_does_not_make_a_writer(reviewer, editor, rating):
    verdict = verdict_draft(group=ClaimGroupFactory(), by=reviewer, rating=rating, rationale="Official data.")
    verdict_submit(verdict=verdict, by=reviewer)
    verdict_update(verdict=verdict, by=editor, version=verdict.version, rating=rating, rationale="Official data.")
    verdict_approve(verdict=verdict, by=editor)
    assert Verdict.objects.get(pk=verdict.pk).status == "approved"


# --- exports ----------------------------------------------------------------------------------


def test_claimreview_jsonld(reviewer, editor, rating, settings, django_assert_num_queries):
    from datetime import UTC, datetime

    settings.WORKBENCH = {
        **settings.WORKBENCH,
        "PUBLISHER_NAME": "Desk Check",
        "PUBLISHER_URL": "https://check.example/",
    }
    group = ClaimGroupFactory(label="The budget rose 5% in 2023")
    late = ArticleFactory(published_at=datetime(2024, 3, 2, tzinfo=UTC), url="https://late.example/a")
    early = ArticleFactory(published_at=datetime(2024, 3, 1, tzinfo=UTC), url="https://early.example/b")
    ClaimFactory(article=late, group=group, speaker="The mayor", status="accepted")
    ClaimFactory(article=early, group=group, speaker="The mayor", status="accepted")
    ClaimFactory(group=group, status="rejected")  # a rejected mention is not an appearance
    verdict = _published(group, reviewer, editor, rating)
    # verdict+group+rating+scale+reviewer+approver, contributors, scale's ratings, mentions+articles+outlets
    with django_assert_num_queries(4):
        doc = claimreview_jsonld(verdicts_for_claimreview().get(pk=verdict.pk))
    assert doc["@type"] == "ClaimReview" and doc["@context"] == "https://schema.org"
    assert doc["claimReviewed"] == "The budget rose 5% in 2023"
    assert doc["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 3,
        "worstRating": 1,
        "alternateName": "False",
    }
    item = doc["itemReviewed"]
    assert item["@type"] == "Claim" and item["author"] == {"@type": "Person", "name": "The mayor"}
    assert [a["url"] for a in item["appearance"]] == ["https://early.example/b", "https://late.example/a"]
    assert item["firstAppearance"]["url"] == "https://early.example/b"
    assert doc["author"] == {"@type": "Organization", "name": "Desk Check", "url": "https://check.example/"}
    assert doc["datePublished"] == verdict.published_at.isoformat()
    assert doc["url"] == f"https://check.example/fact-checks/{group.pk}/"  # the public page


def test_web_annotation_jsonld(article, editor):
    quote = "“loudly”"
    start = EMOJI_BODY.index(quote)
    claim = claim_create(article=article, start=start, end=start + len(quote), exact=quote, by=editor)
    doc = web_annotation_jsonld(claim)
    assert doc["type"] == "Annotation" and doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["target"]["source"] == article.url
    quote_sel, pos_sel = doc["target"]["selector"]
    assert quote_sel == {
        "type": "TextQuoteSelector",
        "exact": quote,
        "prefix": EMOJI_BODY[:start],
        "suffix": EMOJI_BODY[start + len(quote) :][:48],
    }
    assert pos_sel == {"type": "TextPositionSelector", "start": start, "end": start + len(quote)}


def test_claim_create_is_atomic_when_the_span_races(article, editor, monkeypatch):
    """Another request created the same span between the check and the insert: a conflict, and
    the group made for it is not left behind."""
    real_filter = Claim.objects.filter

    def no_existing(*args, **kwargs):
        qs = real_filter(*args, **kwargs)
        return qs.none() if kwargs.get("start") == 0 else qs

    ClaimFactory(article=article, start=0, end=4)
    monkeypatch.setattr(claim_services.Claim.objects, "filter", no_existing)
    with pytest.raises(ConflictError), transaction.atomic():
        claim_create(article=article, start=0, end=4, exact="Fans", by=editor)
    assert not ClaimGroup.objects.exists()


def test_evidence_from_a_url_is_one_transaction(reviewer):
    group = ClaimGroupFactory()
    with pytest.raises(InvalidInput, match="relation"):
        evidence_add_from_url(group=group, url="https://example.org/report", relation="bogus", by=reviewer)
    assert not Source.objects.exists()  # the source is not left behind
    evidence = evidence_add_from_url(
        group=group, url="https://example.org/report", title="Report", relation=Evidence.Relation.SUPPORTS, by=reviewer
    )
    assert (evidence.source.title, evidence.relation, evidence.added_by) == ("Report", "supports", reviewer)
    with pytest.raises(InvalidInput, match="already evidence"):
        evidence_add_from_url(group=group, url="https://EXAMPLE.org/report", by=reviewer)
    assert Source.objects.count() == 1 and group.evidence.count() == 1


def test_verdict_allowed_actions_follow_the_service_rules(reviewer, editor, admin_user):
    from factcheck.services.verdicts import verdict_allowed_actions, verdict_approve, verdict_draft, verdict_submit

    group = ClaimGroupFactory()
    verdict = verdict_draft(group=group, by=reviewer, rating=RatingFactory(), rationale="Because.")
    assert verdict_allowed_actions(verdict=verdict, by=reviewer) == {"edit", "submit"}
    assert verdict_allowed_actions(verdict=verdict, by=editor) == {"edit", "submit"}
    verdict = verdict_submit(verdict=verdict, by=reviewer)
    assert verdict_allowed_actions(verdict=verdict, by=reviewer) == set()
    assert verdict_allowed_actions(verdict=verdict, by=editor) == {"edit", "approve"}
    other = verdict_draft(group=ClaimGroupFactory(), by=editor, rating=RatingFactory(), rationale="Mine.")
    assert verdict_allowed_actions(verdict=verdict, by=editor, peer=other) == {"edit"}  # wrote the other review
    verdict = verdict_approve(verdict=verdict, by=editor)
    assert verdict_allowed_actions(verdict=verdict, by=admin_user) == {"publish"}
    assert verdict_allowed_actions(verdict=verdict, by=reviewer) == set()
