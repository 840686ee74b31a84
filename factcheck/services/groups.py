"""Claim groups: one claim, many appearances. Merge groups that are the same claim, split off
mentions that are not, move one mention.

`_group_merge` and `_group_split` are private: they do not record the matching decision, so the
matcher could undo them. Every interface (API, web UI, admin) merges and splits through
matching.services.match_groups_merge / match_group_split, which call them and record it."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.roles import require
from core.errors import InvalidInput
from core.versioning import versioned_update
from factcheck.models import Claim, ClaimGroup, Evidence, Verdict

LIVE_VERDICT_STATUSES = [Verdict.Status.PUBLISHED]


def _move_claims(claim_ids: list[int], group: ClaimGroup, by, reason: str) -> None:
    if not claim_ids:
        return
    Claim.objects.filter(id__in=claim_ids).update(
        group=group, grouped_by="human", group_score=None, updated_at=timezone.now(), version=F("version") + 1
    )
    Claim.history.bulk_history_create(
        list(Claim.objects.filter(id__in=claim_ids)), update=True, default_user=by, default_change_reason=reason
    )


def _bump(group: ClaimGroup, by, version: int | None, reason: str, **fields) -> ClaimGroup:
    return versioned_update(group, by=by, version=version, fields=fields, reason=reason)


@transaction.atomic
def _group_merge(*, target: ClaimGroup, others: list[ClaimGroup], by, version: int | None = None) -> ClaimGroup:
    """Merge `others` into `target`: their mentions, evidence and verdicts move to `target` and
    the emptied groups are deleted. Refused when more than one of the groups has a published
    verdict (correct one of them first)."""
    require(by, "claim.group", "merge claim groups")
    others = [g for g in others if g.pk != target.pk]
    if not others:
        raise InvalidInput("Name at least one other group to merge into this one.", field="others")
    other_ids = [g.pk for g in others]
    if ClaimGroup.objects.filter(pk__in=other_ids).count() != len(set(other_ids)):
        raise InvalidInput("Some of the groups to merge no longer exist.", field="others")
    published = list(
        Verdict.objects.filter(group_id__in=[target.pk, *other_ids], status=Verdict.Status.PUBLISHED).values_list(
            "group_id", flat=True
        )
    )
    if len(published) > 1:
        raise InvalidInput(
            f"Groups {', '.join(map(str, sorted(published)))} each have a published verdict; a claim group can have "
            "only one. Correct or keep them apart.",
            field="others",
        )
    _bump(target, by, version, "merge")
    _move_claims(
        list(Claim.objects.filter(group_id__in=other_ids).values_list("id", flat=True)),
        target,
        by,
        f"merged into group {target.pk}",
    )
    # Evidence: a source already attached to the target is not attached twice.
    have = set(Evidence.objects.filter(group=target).values_list("source_id", flat=True))
    for evidence in Evidence.objects.filter(group_id__in=other_ids).order_by("created_at", "id"):
        if evidence.source_id in have:
            continue
        have.add(evidence.source_id)
        evidence.group = target
        evidence._history_user = by
        evidence.save(update_fields=["group"])
    for verdict in Verdict.objects.filter(group_id__in=other_ids):
        verdict.group = target
        verdict._history_user = by
        verdict.save(update_fields=["group", "updated_at"])
    for group in ClaimGroup.objects.filter(pk__in=other_ids):
        group._history_user = by
        group.delete()
    target.refresh_from_db()
    return target


@transaction.atomic
def _group_split(*, group: ClaimGroup, claim_ids: list[int], by, version: int | None = None) -> ClaimGroup:
    """Move these mentions of `group` into a new group (they are a different claim). Evidence and
    verdicts stay with `group`."""
    require(by, "claim.group", "split claim groups")
    wanted = set(claim_ids)
    if not wanted:
        raise InvalidInput("Name the mentions to split off.", field="claim_ids")
    members = list(Claim.objects.filter(group=group).order_by("article__published_at", "id").values_list("id", "exact"))
    member_ids = {pk for pk, _ in members}
    if stray := wanted - member_ids:
        raise InvalidInput(
            f"Claims {', '.join(map(str, sorted(stray)))} are not in group {group.pk}.", field="claim_ids"
        )
    if wanted == member_ids:
        raise InvalidInput(
            "Splitting off every mention would leave the group empty; keep at least one.", field="claim_ids"
        )
    _bump(group, by, version, "split")
    label = next(exact for pk, exact in members if pk in wanted)
    new = ClaimGroup(label=label, created_by=by)
    new._history_user = by
    new.save()
    _move_claims(sorted(wanted), new, by, f"split from group {group.pk}")
    return new


@transaction.atomic
def claim_move_to_group(*, claim: Claim, group: ClaimGroup | None, by, version: int | None = None) -> Claim:
    """Move one mention to another group (None: a new group of its own). A group left with no
    mentions, evidence or verdicts is deleted."""
    require(by, "claim.group", "group claims")
    old_id = claim.group_id
    if group is None:
        group = ClaimGroup(label=claim.exact, created_by=by)
        group._history_user = by
        group.save()
    if group.pk == old_id:
        return claim
    versioned_update(
        claim,
        by=by,
        version=version,
        fields={"group": group, "grouped_by": "human", "group_score": None},
        reason=f"moved to group {group.pk}",
    )
    if old_id:
        old = ClaimGroup.objects.filter(pk=old_id).first()
        if old and not (old.claims.exists() or old.evidence.exists() or old.verdicts.exists()):
            old._history_user = by
            old.delete()
    return claim


STATEMENT_RECOMMENDED_CHARS = 75  # what search engines recommend for ClaimReview's claimReviewed
STATEMENT_MAX_CHARS = 1000


def statement_warning(statement: str) -> str:
    """A warning (not an error) for a statement longer than search engines show."""
    if len(statement) > STATEMENT_RECOMMENDED_CHARS:
        return (
            f"The statement is {len(statement)} characters long; search engines recommend at most "
            f"{STATEMENT_RECOMMENDED_CHARS} for a fact-check's claim (claimReviewed)."
        )
    return ""


@transaction.atomic
def group_statement_update(*, group: ClaimGroup, statement: str, by, version: int | None = None) -> ClaimGroup:
    """Set the claim statement (what was checked, in the newsroom's words; ClaimReview's
    claimReviewed), kept in the group's history. It starts as the first mention's text."""
    require(by, "claim.curate", "edit claim statements")
    statement = " ".join((statement or "").split())
    if not statement:
        raise InvalidInput("The claim statement cannot be empty.", field="statement")
    if len(statement) > STATEMENT_MAX_CHARS:
        raise InvalidInput(f"The claim statement is longer than {STATEMENT_MAX_CHARS} characters.", field="statement")
    if statement == group.label:
        return group
    return _bump(group, by, version, "statement edited", label=statement)


@transaction.atomic
def group_double_review_update(
    *, group: ClaimGroup, double_review: bool | None, by, version: int | None = None
) -> ClaimGroup:
    """Two independent reviews before an editor approves, for this claim (True), one (False), or
    the rating scale's / the setting's choice (None)."""
    require(by, "claim.curate", "choose how a claim is reviewed")
    if double_review not in (True, False, None):
        raise InvalidInput("double_review must be true, false or null.", field="double_review")
    if double_review == group.double_review:
        return group
    label = {True: "two reviewers", False: "one reviewer", None: "the default"}[double_review]
    return _bump(group, by, version, f"review: {label}", double_review=double_review)
